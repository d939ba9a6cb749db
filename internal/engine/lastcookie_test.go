package engine

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sessconf/sessconf/settings"
)

// lastCookieRef is LastCookie's specification: the last cookie net/http
// finds under name.
func lastCookieRef(r *http.Request, name string) (string, bool) {
	cs := r.CookiesNamed(name)
	if len(cs) == 0 {
		return "", false
	}
	return cs[len(cs)-1].Value, true
}

var lastCookieSeeds = []struct{ name, header string }{
	{"session", "session=abc"},
	{"session", "a=1; session=first; b=2; session=second"},
	{"session", "session=ok; session=bad\x7fvalue"},
	{"session", "session=ok; session=has space"},
	{"session", `session="quoted"`},
	{"session", `session="`},
	{"session", `session=""`},
	{"session", " \t session = abc ; "},
	{"session", "session"},
	{"session", "session="},
	{"session", "sess ion=1; session=2"},
	{"session", "session=a\"b; x=y"},
	{"session", "session=abcdefgh\\ijkl"},
	{"session", "session=abcdefghijklmnop\x80"},
	{"session", "session=ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"},
	{"session", strings.Repeat("x=1; ", 70) + "session=many"},
	{"session", strings.Repeat("x=1; ", 3001) + "session=toomany"},
	{"bad name", "bad name=1"},
	{"", "=1"},
}

func TestLastCookie(t *testing.T) {
	for _, tt := range lastCookieSeeds {
		for _, lines := range [][]string{{tt.header}, {tt.header, "session=later"}, {"session=earlier", tt.header}} {
			r := &http.Request{Header: http.Header{"Cookie": lines}}
			got, ok := LastCookie(r, tt.name)
			want, wantOK := lastCookieRef(r, tt.name)
			if got != want || ok != wantOK {
				t.Errorf("LastCookie(%q, %q) = %q, %v; want %q, %v", lines, tt.name, got, ok, want, wantOK)
			}
		}
	}
	if _, ok := LastCookie(&http.Request{Header: http.Header{}}, "session"); ok {
		t.Error("found a cookie in a request without any")
	}
}

func TestValidCookieValue(t *testing.T) {
	for c := 0; c < 256; c++ {
		want := c >= 0x20 && c < 0x7f && c != '"' && c != ';' && c != '\\'
		for _, pos := range []int{0, 3, 7, 8, 13, 15, 16} {
			v := []byte(strings.Repeat("a", 17))
			v[pos] = byte(c)
			if got := validCookieValue(string(v)); got != want {
				t.Errorf("byte %#x at %d: %v, want %v", c, pos, got, want)
			}
		}
	}
}

func FuzzLastCookie(f *testing.F) {
	for _, tt := range lastCookieSeeds {
		f.Add(tt.name, tt.header, "session=z")
	}
	f.Fuzz(func(t *testing.T, name, line1, line2 string) {
		r := &http.Request{Header: http.Header{"Cookie": {line1, line2}}}
		got, ok := LastCookie(r, name)
		want, wantOK := lastCookieRef(r, name)
		if got != want || ok != wantOK {
			t.Fatalf("LastCookie(%q, %q) = %q, %v; want %q, %v", []string{line1, line2}, name, got, ok, want, wantOK)
		}
	})
}

// TestCookieLoadPicksAsNetHTTP: Load checks a cookie value's bytes only
// when it does not open, and then uses the cookie net/http would pick.
func TestCookieLoadPicksAsNetHTTP(t *testing.T) {
	o := settings.Default()
	o.Type, o.Secret = settings.TypeEncrypted, fuzzEncKey
	b, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	cb := b.(*CookieBackend)
	now := time.Unix(1_800_000_000, 0)
	rec := NewRecord(now)
	rec.State.Set("k", json.RawMessage(`1`))
	rec.Modified = true
	h := http.Header{}
	if err := cb.Save(context.Background(), h, rec, now); err != nil {
		t.Fatal(err)
	}
	good := strings.SplitN(strings.TrimPrefix(h.Get("Set-Cookie"), "session="), ";", 2)[0]
	for _, tt := range []struct {
		header string
		used   bool // the good cookie is the one used
	}{
		{"session=" + good, true},
		{"session=" + good + "; session=bad\x7fbyte", true},            // net/http skips the last one
		{"session=" + good + "; session=has\\\\back", true},            // likewise
		{"session=" + good + "; session=has space", false},             // a space is allowed: it counts
		{"session=" + good + "; session=" + good[:len(good)-4], false}, // the last one counts, and fails
		{"session=" + good + "; session=", false},
		{strings.Repeat("x=1; ", 3001) + "session=" + good, false}, // over net/http's cookie limit
	} {
		rec, err := cb.Load(context.Background(), fuzzRequest(tt.header), now)
		if err != nil {
			t.Fatal(err)
		}
		if used := !rec.New; used != tt.used {
			t.Errorf("%.60q: used %v (reason %v), want %v", tt.header, used, rec.Reason, tt.used)
		}
	}
}
