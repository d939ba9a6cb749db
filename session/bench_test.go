package session_test

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sessconf/sessconf/session"
	"github.com/sessconf/sessconf/settings"
)

// The session data of the benchmarks, the same as in the bench module
// (which compares with gorilla/sessions): ~100 B, ~1 KB with a flash
// queue and a 40-hex CSRF token, and ~2.9 KB (the most that fits the
// 4064-character cookie limit once sealed and base64-encoded).
type benchKV struct {
	k string
	v any
}

type benchPayload struct {
	name   string
	values []benchKV
	flash  []string
}

const (
	benchSecret   = "8d2f0b0b3e6a6d1e5f7c9a4b2c1d0e3f5a6b7c8d9e0f1a2b3c4d5e6f708192a3"
	benchReadKey  = "user_id"
	benchWriteKey = "last_path"
)

func benchSmall() []benchKV {
	return []benchKV{
		{"user_id", 48213},
		{"username", "alice"},
		{"role", "admin"},
		{"locale", "en_GB"},
		{benchWriteKey, "/dashboard"},
	}
}

func benchMedium() []benchKV {
	return append(benchSmall(),
		benchKV{"_csrft_", "5f0c2b7e9a41d38c6e2f1a0b9d8c7e6f5a4b3c2d"},
		benchKV{"email", "alice.example@example.com"},
		benchKV{"display_name", "Alice Example"},
		benchKV{"org", "Example Widgets Ltd"},
		benchKV{"permissions", []string{"orders.read", "orders.write", "invoices.read", "reports.read", "users.read"}},
		benchKV{"recent_searches", []string{"blue widget", "widget 42mm", "invoice 2024-11", "acme corp", "refund policy", "gasket set", "shipping eu"}},
		benchKV{"cart", []string{"SKU-100231:2", "SKU-100877:1", "SKU-204411:4", "SKU-300129:1", "SKU-310078:3", "SKU-998812:1"}},
		benchKV{"timezone", "Europe/London"},
		benchKV{"login_at", 1735689600},
		benchKV{"ab_bucket", "checkout-v3-b"},
		benchKV{"shipping_address", "Flat 4, 221 Example Street, Example Town, EX1 2MP, United Kingdom"},
		benchKV{"billing_address", "Example Widgets Ltd, Unit 9, Example Business Park, Example City, EX9 8PL"},
		benchKV{"referrer", "https://www.example.org/landing/spring-sale?utm_source=newsletter"},
	)
}

func benchLarge() []benchKV {
	v := benchMedium()
	viewed := make([]string, 40)
	for i := range viewed {
		viewed[i] = fmt.Sprintf("product-%06d-%s", 100000+i*37, strings.Repeat("x", 12))
	}
	notes := make([]string, 13)
	for i := range notes {
		notes[i] = fmt.Sprintf("draft note %02d: remember to follow up", i)
	}
	return append(v, benchKV{"recently_viewed", viewed}, benchKV{"draft_notes", notes})
}

var benchFlashes = []string{
	"Your order #100231 has been placed.",
	"Invoice INV-2024-1187 is ready to download.",
	"Password changed successfully.",
}

var benchPayloads = []benchPayload{
	{"small", benchSmall(), nil},
	{"medium", benchMedium(), benchFlashes},
	{"large", benchLarge(), benchFlashes},
}

var benchBody = []byte("ok")

func benchManager(b *testing.B, typ string) *session.Manager {
	o := settings.Default()
	o.Secret = benchSecret
	o.Type = typ
	m, err := session.New(o, session.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		b.Fatal(err)
	}
	return m
}

// benchSeed returns a Cookie header carrying p, made by the middleware.
func benchSeed(b *testing.B, m *session.Manager, p benchPayload) string {
	h := m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := session.Get(r)
		for _, e := range p.values {
			if err := seedValue(s, e.k, e.v); err != nil {
				b.Fatal(err)
			}
		}
		for _, f := range p.flash {
			if err := s.Flash(f, "", true); err != nil {
				b.Fatal(err)
			}
		}
	}))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	cs := w.Result().Cookies()
	if len(cs) != 1 {
		b.Fatalf("seed: want one Set-Cookie, got %q", w.Result().Header.Values("Set-Cookie"))
	}
	return cs[0].Name + "=" + cs[0].Value
}

// benchServe is one benchmark iteration, built exactly as the gorilla
// comparison in the bench module builds it.
func benchServe(h http.Handler, cookie string) *httptest.ResponseRecorder {
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Cookie", cookie)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// BenchmarkCycle: a request with a valid session cookie whose handler
// reads one key and sets one key, so the response carries a new Set-Cookie.
func BenchmarkCycle(b *testing.B) {
	for _, typ := range []string{settings.TypeEncrypted, settings.TypeSigned} {
		b.Run(typ, func(b *testing.B) {
			m := benchManager(b, typ)
			h := m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				s := session.Get(r)
				_, _ = s.Get(benchReadKey)
				_ = s.Set(benchWriteKey, "/account/settings")
				w.Write(benchBody)
			}))
			for _, p := range benchPayloads {
				cookie := benchSeed(b, m, p)
				if w := benchServe(h, cookie); len(w.Result().Header.Values("Set-Cookie")) != 1 {
					b.Fatalf("%s: no Set-Cookie", p.name)
				}
				b.Run(p.name, func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						benchServe(h, cookie)
					}
				})
			}
		})
	}
}

// BenchmarkUntouched: a request carrying a session cookie whose handler
// never touches its session, with and without the middleware.
func BenchmarkUntouched(b *testing.B) {
	m := benchManager(b, settings.TypeEncrypted)
	cookie := benchSeed(b, m, benchPayloads[1])
	plain := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(benchBody) })
	for _, c := range []struct {
		name string
		h    http.Handler
	}{
		{"none", plain},
		{"middleware", m.Middleware(plain)},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				benchServe(c.h, cookie)
			}
		})
	}
}

// nopWriter is a ResponseWriter (and Flusher) that allocates nothing.
type nopWriter struct{ h http.Header }

func (w *nopWriter) Header() http.Header         { return w.h }
func (w *nopWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *nopWriter) WriteHeader(int)             {}
func (w *nopWriter) Flush()                      {}

// BenchmarkMiddlewareOnly isolates the middleware's own cost on an
// untouched request: one request reused and a writer that allocates
// nothing, so the only difference between the two is the middleware.
func BenchmarkMiddlewareOnly(b *testing.B) {
	m := benchManager(b, settings.TypeEncrypted)
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Cookie", benchSeed(b, m, benchPayloads[1]))
	w := &nopWriter{h: http.Header{}}
	plain := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(benchBody) })
	for _, c := range []struct {
		name string
		h    http.Handler
	}{
		{"none", plain},
		{"middleware", m.Middleware(plain)},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				c.h.ServeHTTP(w, r)
			}
		})
	}
}

// seedValue stores a payload value. The session manages its CSRF token,
// so "_csrft_" gets a new random one (40 hex characters, like the
// payload's) instead.
func seedValue(s *session.Session, k string, v any) error {
	if k == "_csrft_" {
		_, err := s.CSRFToken()
		return err
	}
	return s.Set(k, v)
}
