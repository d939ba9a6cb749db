package bench

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/securecookie"
	gsessions "github.com/gorilla/sessions"

	"github.com/sessconf/sessconf/session"
	"github.com/sessconf/sessconf/settings"
)

const (
	sessconfKey = "8d2f0b0b3e6a6d1e5f7c9a4b2c1d0e3f5a6b7c8d9e0f1a2b3c4d5e6f708192a3"
	cookieName  = "session"
)

var body = []byte("ok")

// variant is one library configuration: how to seed a cookie with a
// payload, the cycle handler (read one key, set one key, write a body)
// and a probe that reads back what a cookie holds.
type variant struct {
	name  string
	seed  func(tb testing.TB, p payload) string // the request's Cookie header
	cycle http.Handler
	probe func(tb testing.TB, cookie string) (read, written any, flashes int)
}

var quiet = slog.New(slog.DiscardHandler)

func sessconfManager(tb testing.TB, typ string) *session.Manager {
	o := settings.Default()
	o.Secret = sessconfKey
	o.Type = typ
	m, err := session.New(o, session.WithLogger(quiet))
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

func sessconfVariant(tb testing.TB, name, typ string) variant {
	return managerVariant(name, sessconfManager(tb, typ))
}

// managerVariant is the benchmark work done through any sessconf Manager,
// so the cookie and Redis comparisons run exactly the same handlers.
func managerVariant(name string, m *session.Manager) variant {
	return variant{
		name: name,
		seed: func(tb testing.TB, p payload) string {
			h := m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				s := session.Get(r)
				for _, e := range p.values {
					if err := seedValue(s, e.k, e.v); err != nil {
						tb.Fatal(err)
					}
				}
				for _, f := range p.flash {
					if err := s.Flash(f, "", true); err != nil {
						tb.Fatal(err)
					}
				}
			}))
			return setCookie(tb, serve(h, ""))
		},
		cycle: m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			s := session.Get(r)
			_, _ = s.Get(readKey)
			_ = s.Set(writeKey, newPath)
			w.Write(body)
		})),
		probe: func(tb testing.TB, cookie string) (read, written any, flashes int) {
			h := m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				s := session.Get(r)
				if s.IsNew() {
					tb.Fatal("sessconf: cookie not accepted")
				}
				read, _ = s.Get(readKey)
				written, _ = s.Get(writeKey)
				flashes = len(s.PeekFlash(""))
			}))
			serve(h, cookie)
			return read, written, flashes
		},
	}
}

// gorillaStore is gorilla's documented secure configuration: a 32-byte
// HMAC-SHA256 hash key and a 32-byte AES-256 block key, gob encoding.
// MaxLength is raised to 8192 because the large payload encodes to a
// cookie over gorilla's default 4096 limit (see BENCHMARKS.md); the
// limit check itself costs the same either way.
func gorillaStore() *gsessions.CookieStore {
	hashKey, blockKey := make([]byte, 32), make([]byte, 32)
	rand.Read(hashKey)
	rand.Read(blockKey)
	st := gsessions.NewCookieStore(hashKey, blockKey)
	for _, c := range st.Codecs {
		c.(*securecookie.SecureCookie).MaxLength(8192)
	}
	return st
}

func gorillaVariant(tb testing.TB) variant {
	st := gorillaStore()
	return variant{
		name: "gorilla-cookiestore",
		seed: func(tb testing.TB, p payload) string {
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				s, err := st.Get(r, cookieName)
				if err != nil {
					tb.Fatal(err)
				}
				for _, e := range p.values {
					s.Values[e.k] = e.v
				}
				for _, f := range p.flash {
					s.AddFlash(f)
				}
				if err := s.Save(r, w); err != nil {
					tb.Fatal(err)
				}
			})
			return setCookie(tb, serve(h, ""))
		},
		cycle: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			s, _ := st.Get(r, cookieName)
			_ = s.Values[readKey]
			s.Values[writeKey] = newPath
			_ = s.Save(r, w)
			w.Write(body)
		}),
		probe: func(tb testing.TB, cookie string) (read, written any, flashes int) {
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				s, err := st.Get(r, cookieName)
				if err != nil || s.IsNew {
					tb.Fatalf("gorilla: cookie not accepted: %v", err)
				}
				read, written = s.Values[readKey], s.Values[writeKey]
				if f, ok := s.Values["_flash"].([]any); ok {
					flashes = len(f)
				}
			})
			serve(h, cookie)
			return read, written, flashes
		},
	}
}

func variants(tb testing.TB) []variant {
	return []variant{
		sessconfVariant(tb, "sessconf-encrypted", settings.TypeEncrypted),
		sessconfVariant(tb, "sessconf-signed", settings.TypeSigned),
		gorillaVariant(tb),
	}
}

// serve runs one request the way every benchmark iteration does.
func serve(h http.Handler, cookie string) *httptest.ResponseRecorder {
	r := httptest.NewRequest("GET", "/", nil)
	if cookie != "" {
		r.Header.Set("Cookie", cookie)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func setCookie(tb testing.TB, w *httptest.ResponseRecorder) string {
	tb.Helper()
	cs := w.Result().Cookies()
	if len(cs) != 1 {
		tb.Fatalf("want one Set-Cookie, got %q", w.Result().Header.Values("Set-Cookie"))
	}
	return cs[0].Name + "=" + cs[0].Value
}

// TestRoundTrip checks that every variant's cycle handler reads the seeded
// value, writes the new one, and keeps the rest of the payload.
func TestRoundTrip(t *testing.T) {
	for _, v := range variants(t) {
		for _, p := range payloads {
			t.Run(v.name+"/"+p.name, func(t *testing.T) {
				cookie := v.seed(t, p)
				w := serve(v.cycle, cookie)
				if w.Code != 200 || w.Body.String() != "ok" {
					t.Fatalf("cycle: %d %q", w.Code, w.Body)
				}
				next := setCookie(t, w)
				if next == cookie {
					t.Fatal("cycle did not re-issue the cookie")
				}
				read, written, flashes := v.probe(t, next)
				if fmt.Sprint(read) != "48213" || written != newPath || flashes != len(p.flash) {
					t.Fatalf("probe: read %v, written %v, %d flashes; want 48213, %q, %d", read, written, flashes, newPath, len(p.flash))
				}
				t.Logf("cookie value: %d bytes", len(cookie)-len(cookieName)-1)
			})
		}
	}
}

// TestPayloadSizes logs the session data size of each payload: the
// state object inside the signed (readable) cookie's JSON payload.
func TestPayloadSizes(t *testing.T) {
	v := sessconfVariant(t, "", settings.TypeSigned)
	for _, p := range payloads {
		cookie := v.seed(t, p)
		raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(cookie, cookieName+"="))
		if err != nil {
			t.Fatal(err)
		}
		payload := string(raw[64:]) // after the HMAC-SHA512
		state := payload[strings.IndexByte(payload, '{') : len(payload)-1]
		t.Logf("%s: session data %d bytes, cookie payload %d bytes", p.name, len(state), len(payload))
	}
}

// TestUntouchedNoCookie checks that an untouched request gets no Set-Cookie.
func TestUntouchedNoCookie(t *testing.T) {
	m := sessconfManager(t, settings.TypeEncrypted)
	w := serve(m.Middleware(plain), "session=whatever")
	if len(w.Result().Header.Values("Set-Cookie")) != 0 || w.Body.String() != "ok" {
		t.Fatalf("untouched: %q %q", w.Result().Header, w.Body)
	}
}

// run is the loop of every benchmark: a fresh request and recorder per
// iteration, as in a server. Besides ns/op it reports cpu-ns/op, the
// process's user+system CPU time per iteration (GC included), which is
// far less disturbed than wall time when other processes share the cores.
func run(b *testing.B, h http.Handler, cookie string) {
	b.ReportAllocs()
	n := 0
	cpu0 := cpuTime()
	for b.Loop() {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Cookie", cookie)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		n++
	}
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(n), "cpu-ns/op")
}

func BenchmarkCycle(b *testing.B) {
	for _, v := range variants(b) {
		b.Run(v.name, func(b *testing.B) {
			for _, p := range payloads {
				cookie := v.seed(b, p)
				b.Run(p.name, func(b *testing.B) { run(b, v.cycle, cookie) })
			}
		})
	}
}

// plain is the untouched handler: it never looks at a session.
var plain = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(body) })

// BenchmarkUntouched: a request carrying a session cookie whose handler
// never touches the session. gorilla has no middleware, so its untouched
// request is the bare handler (it decodes only when store.Get is called).
func BenchmarkUntouched(b *testing.B) {
	m := sessconfManager(b, settings.TypeEncrypted)
	cookie := sessconfVariant(b, "", settings.TypeEncrypted).seed(b, payloads[1])
	for _, c := range []struct {
		name string
		h    http.Handler
	}{
		{"none", plain},
		{"sessconf", m.Middleware(plain)},
		{"gorilla", plain},
	} {
		b.Run(c.name, func(b *testing.B) { run(b, c.h, cookie) })
	}
	b.Run("interleaved", func(b *testing.B) { interleaved(b, plain, m.Middleware(plain), cookie) })
}

// interleaved measures the middleware's overhead robustly on a shared,
// noisy machine: each iteration serves one request without and one with
// the middleware (in alternating order), and overhead-% is the median of
// the per-pair time ratios, so drift from other processes cancels out.
// ns/op, B/op and allocs/op are for the pair.
func interleaved(b *testing.B, without, with http.Handler, cookie string) {
	b.ReportAllocs()
	var ratios []float64
	var t [2]time.Duration
	for i := 0; b.Loop(); i++ {
		for k := range 2 {
			which := k ^ i&1 // 0: without, 1: with
			h := [2]http.Handler{without, with}[which]
			start := time.Now()
			r := httptest.NewRequest("GET", "/", nil)
			r.Header.Set("Cookie", cookie)
			h.ServeHTTP(httptest.NewRecorder(), r)
			t[which] = time.Since(start)
		}
		ratios = append(ratios, float64(t[1])/float64(t[0]))
	}
	slices.Sort(ratios)
	b.ReportMetric((ratios[len(ratios)/2]-1)*100, "overhead-%")
}

// seedValue stores a payload value. The session manages its CSRF token,
// so "_csrft_" gets a new random one (40 hex characters, like the
// payload's) instead.
func seedValue(s *session.Session, k string, v any) error {
	if k == csrfKey {
		_, err := s.CSRFToken()
		return err
	}
	return s.Set(k, v)
}
