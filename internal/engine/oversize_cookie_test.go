package engine

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/sessconf/sessconf/settings"
)

func oversizeRequestBackend(t testing.TB) (*CookieBackend, string) {
	o := settings.Default()
	o.Secret = strings.Repeat("ab", 32)
	c, err := CodecFor(o)
	if err != nil {
		t.Fatal(err)
	}
	return NewCookieBackend(o.Type, c, o), "session=" + strings.Repeat("A", 1<<20)
}

// A cookie longer than any session cookie is refused before any base64
// decoding or decryption, as oversize.
func TestOversizeCookieRefusedBeforeDecoding(t *testing.T) {
	b, cookie := oversizeRequestBackend(t)
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Cookie", cookie)
	rec, err := b.Load(context.Background(), r, time.Now())
	if err != nil || !errors.Is(rec.Reason, ErrOversize) || !rec.New {
		t.Fatalf("reason %v, err %v", rec.Reason, err)
	}
	allocs := testing.AllocsPerRun(20, func() { b.Load(context.Background(), r, time.Now()) })
	if allocs > 12 {
		t.Errorf("%.0f allocations to refuse a 1 MiB cookie: it is being decoded", allocs)
	}
}

// BenchmarkOversizeCookie measures the cost of refusing a 1 MiB garbage
// cookie (before the length cap: about 4-5 ms and a 786 KB allocation).
func BenchmarkOversizeCookie(b *testing.B) {
	be, cookie := oversizeRequestBackend(b)
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Cookie", cookie)
	b.ReportAllocs()
	for b.Loop() {
		be.Load(context.Background(), r, time.Now())
	}
}

// Times before 1970 are refused like a malformed payload: a creation time
// of -1e308 would make Created() a year beyond 292 billion and every
// "signed in for more than N hours" check negative.
func TestTimesBefore1970Refused(t *testing.T) {
	l := Lifetime{Timeout: settings.Duration{None: true}, Absolute: settings.Duration{None: true}}
	now := 1.8e9
	for _, tc := range []struct{ created, accessed float64 }{{-1e308, now}, {now, -1}, {-1, -1}} {
		if err := l.Check(tc.created, tc.accessed, now, nil); !errors.Is(err, ErrPayload) {
			t.Errorf("created %v accessed %v: %v, want ErrPayload", tc.created, tc.accessed, err)
		}
	}
	if err := l.Check(now-100, now, now, nil); err != nil {
		t.Errorf("ordinary times refused: %v", err)
	}
}
