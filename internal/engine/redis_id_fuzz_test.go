package engine

import (
	"errors"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/sessconf/sessconf/internal/codec"
	"github.com/sessconf/sessconf/settings"
)

// idBackend is a Redis backend whose id cookies can be signed and opened
// without a server (the client never connects).
func idBackend(tb testing.TB, secret string, fallbacks ...string) *RedisBackend {
	tb.Helper()
	o := settings.Default()
	o.Type = settings.TypeRedis
	o.Secret = secret
	o.SecretFallbacks = fallbacks
	c := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"})
	tb.Cleanup(func() { c.Close() })
	b, err := NewRedis(o, c)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// FuzzRedisIDCookie: any cookie value opens to the id it was signed for
// or is refused with a reason, never a panic; a refused value is
// malformed, oversize or tampered; an accepted one is exactly what sign
// writes for its id (under the primary secret) or opens under a fallback.
func FuzzRedisIDCookie(f *testing.F) {
	b := idBackend(f, strings.Repeat("s", 64))
	old := idBackend(f, strings.Repeat("o", 64))
	both := idBackend(f, strings.Repeat("s", 64), strings.Repeat("o", 64))
	id := newID()
	for _, v := range []string{
		b.sign(id), old.sign(id), id + "." + strings.Repeat("A", macLen), "", ".",
		strings.Repeat("A", idLen+1+macLen), b.sign(id) + "A", strings.ToUpper(b.sign(id)),
	} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v string) {
		got, fallback, err := both.openCookie(v)
		if err != nil {
			if !errors.Is(err, ErrOversize) && !errors.Is(err, codec.ErrMalformed) && !errors.Is(err, codec.ErrTampered) {
				t.Fatalf("refused %q with %v: not a cookie reason", v, err)
			}
			return
		}
		switch {
		case !fallback && b.sign(got) != v:
			t.Fatalf("opened %q to %q, which signs as %q", v, got, b.sign(got))
		case fallback && old.sign(got) != v:
			t.Fatalf("opened %q under the fallback to %q, which it signs as %q", v, got, old.sign(got))
		}
	})
}

func TestSignedIDsOpen(t *testing.T) {
	b := idBackend(t, strings.Repeat("s", 64), strings.Repeat("o", 64))
	old := idBackend(t, strings.Repeat("o", 64))
	for range 100 {
		id := newID()
		if got, fallback, err := b.openCookie(b.sign(id)); err != nil || got != id || fallback {
			t.Fatalf("own cookie for %q: %q, fallback %v, %v", id, got, fallback, err)
		}
		if got, fallback, err := b.openCookie(old.sign(id)); err != nil || got != id || !fallback {
			t.Fatalf("fallback cookie for %q: %q, fallback %v, %v", id, got, fallback, err)
		}
	}
}
