package session

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sessconf/sessconf/internal/engine"
	"github.com/sessconf/sessconf/settings"
)

const testKey = "8d2f0b0b3e6a6d1e5f7c9a4b2c1d0e3f5a6b7c8d9e0f1a2b3c4d5e6f708192a3"

func testOptions() settings.Options {
	o := settings.Default()
	o.Secret = testKey
	return o
}

func testManager(t *testing.T, o settings.Options, opts ...Option) *Manager {
	t.Helper()
	m, err := New(o, append([]Option{WithLogger(quiet)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func serve(m *Manager, h http.HandlerFunc, cookie string) *httptest.ResponseRecorder {
	r := httptest.NewRequest("GET", "/", nil)
	if cookie != "" {
		r.Header.Set("Cookie", cookie)
	}
	w := httptest.NewRecorder()
	m.Middleware(h).ServeHTTP(w, r)
	return w
}

func cookieOf(t *testing.T, w *httptest.ResponseRecorder) string {
	t.Helper()
	cs := w.Result().Cookies()
	if len(cs) != 1 {
		t.Fatalf("want one Set-Cookie, got %q", w.Result().Header.Values("Set-Cookie"))
	}
	return cs[0].Name + "=" + cs[0].Value
}

func TestCommitPoints(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		status  int
	}{
		{"return without writing", func(w http.ResponseWriter, r *http.Request) { Get(r).Set("k", 1) }, 200},
		{"WriteHeader", func(w http.ResponseWriter, r *http.Request) {
			Get(r).Set("k", 1)
			w.WriteHeader(http.StatusCreated)
			Get(r).Set("late", 1) // after the commit: not in this response
		}, 201},
		{"Write", func(w http.ResponseWriter, r *http.Request) {
			Get(r).Set("k", 1)
			io.WriteString(w, "body")
		}, 200},
		{"Flush", func(w http.ResponseWriter, r *http.Request) {
			Get(r).Set("k", 1)
			w.(http.Flusher).Flush()
		}, 200},
		{"ReaderFrom", func(w http.ResponseWriter, r *http.Request) {
			Get(r).Set("k", 1)
			w.(io.ReaderFrom).ReadFrom(strings.NewReader("body"))
		}, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := testManager(t, testOptions())
			w := httptest.NewRecorder()
			r := httptest.NewRequest("GET", "/", nil)
			m.Middleware(tt.handler).ServeHTTP(readerFromRecorder{w}, r)
			if w.Code != tt.status {
				t.Errorf("status %d, want %d", w.Code, tt.status)
			}
			c := cookieOf(t, w)
			// The next request sees exactly what was set before the commit.
			serve(m, func(w http.ResponseWriter, r *http.Request) {
				if keys := Get(r).Keys(); len(keys) != 1 || keys[0] != "k" {
					t.Errorf("keys after commit %v, want [k]", keys)
				}
			}, c)
			if got := w.Result().Header.Values("Vary"); len(got) != 1 || got[0] != "Cookie" {
				t.Errorf("Vary %q, want [Cookie]", got)
			}
		})
	}
}

func TestInformationalStatusDoesNotCommit(t *testing.T) {
	m := testManager(t, testOptions())
	w := &codesRecorder{ResponseRecorder: httptest.NewRecorder()}
	m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusEarlyHints)
		Get(r).Set("k", 1) // still before the commit
		w.WriteHeader(http.StatusAccepted)
	})).ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	if len(w.codes) != 2 || w.codes[0] != 103 || w.codes[1] != 202 || !w.cookieAtFinal {
		t.Errorf("codes %v, cookie at final status %v", w.codes, w.cookieAtFinal)
	}
}

// codesRecorder records every WriteHeader, including 1xx ones, and
// whether a Set-Cookie was in the headers at that moment.
type codesRecorder struct {
	*httptest.ResponseRecorder
	codes         []int
	cookieAt      []bool
	cookieAtFinal bool
}

func (c *codesRecorder) WriteHeader(code int) {
	c.codes = append(c.codes, code)
	c.cookieAt = append(c.cookieAt, c.Header().Get("Set-Cookie") != "")
	if code >= 200 {
		c.cookieAtFinal = c.cookieAt[len(c.cookieAt)-1]
		c.ResponseRecorder.WriteHeader(code)
	}
}

// readerFromRecorder adds io.ReaderFrom to a ResponseRecorder.
type readerFromRecorder struct{ *httptest.ResponseRecorder }

func (r readerFromRecorder) ReadFrom(src io.Reader) (int64, error) {
	r.ResponseRecorder.WriteHeader(http.StatusOK)
	return io.Copy(r.ResponseRecorder, src)
}

func TestUntouchedSessionCostsNothing(t *testing.T) {
	m := testManager(t, testOptions())
	w := serve(m, func(w http.ResponseWriter, r *http.Request) {
		_ = Get(r) // taking the session is not touching it
		io.WriteString(w, "hi")
	}, "session=garbage")
	if h := w.Result().Header; h.Get("Set-Cookie") != "" || h.Get("Vary") != "" {
		t.Errorf("untouched session wrote headers: %v", h)
	}
}

func TestReadOnlyNewSessionSetsNoCookie(t *testing.T) {
	clock := &testClock{now: 1700000000.5}
	m := testManager(t, testOptions(), WithClock(clock.Now))
	w := serve(m, func(w http.ResponseWriter, r *http.Request) { Get(r).Get("x") }, "")
	if c := w.Result().Header.Values("Set-Cookie"); len(c) != 0 {
		t.Errorf("read-only first visit set %q", c)
	}
}

// capability matrix: each optional interface is kept exactly when the
// underlying writer has it.
type plainWriter struct{ h http.Header }

func (p *plainWriter) Header() http.Header         { return p.h }
func (p *plainWriter) Write(b []byte) (int, error) { return len(b), nil }
func (p *plainWriter) WriteHeader(int)             {}

type flushWriter struct{ *plainWriter }

func (flushWriter) Flush() {}

type hijackWriter struct{ *plainWriter }

func (hijackWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) { return nil, nil, nil }

type allWriter struct{ *plainWriter }

func (allWriter) Flush()                                       {}
func (allWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) { return nil, nil, nil }
func (allWriter) ReadFrom(io.Reader) (int64, error)            { return 0, nil }

func TestWriterKeepsCapabilities(t *testing.T) {
	base := func() *plainWriter { return &plainWriter{h: http.Header{}} }
	tests := []struct {
		name     string
		w        http.ResponseWriter
		f, h, rf bool
	}{
		{"plain", base(), false, false, false},
		{"flusher", flushWriter{base()}, true, false, false},
		{"hijacker", hijackWriter{base()}, false, true, false},
		{"all", allWriter{base()}, true, true, true},
	}
	m := testManager(t, testOptions())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, f := w.(http.Flusher)
				_, h := w.(http.Hijacker)
				_, rf := w.(io.ReaderFrom)
				if f != tt.f || h != tt.h || rf != tt.rf {
					t.Errorf("Flusher %v Hijacker %v ReaderFrom %v, want %v %v %v", f, h, rf, tt.f, tt.h, tt.rf)
				}
				u, ok := w.(interface{ Unwrap() http.ResponseWriter })
				if !ok || u.Unwrap() != tt.w {
					t.Error("Unwrap does not return the underlying writer")
				}
				if tt.f {
					if err := http.NewResponseController(w).Flush(); err != nil {
						t.Errorf("ResponseController.Flush: %v", err)
					}
				}
			})).ServeHTTP(tt.w, httptest.NewRequest("GET", "/", nil))
		})
	}
}

func TestHijackCommits(t *testing.T) {
	m := testManager(t, testOptions())
	w := allWriter{&plainWriter{h: http.Header{}}}
	m.Middleware(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		Get(r).Set("k", 1)
		rw.(http.Hijacker).Hijack()
		if rw.Header().Get("Set-Cookie") == "" {
			t.Error("Hijack did not commit the session first")
		}
	})).ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
}

func TestSetOnException(t *testing.T) {
	for _, soe := range []bool{true, false} {
		o := testOptions()
		o.SetOnException = soe
		m := testManager(t, o)
		t.Run("status 500", func(t *testing.T) {
			w := serve(m, func(w http.ResponseWriter, r *http.Request) {
				Get(r).Set("k", 1)
				w.WriteHeader(500)
			}, "")
			if got := len(w.Result().Cookies()); got != map[bool]int{true: 1, false: 0}[soe] {
				t.Errorf("set_on_exception=%v: %d cookies", soe, got)
			}
		})
		t.Run("panic", func(t *testing.T) {
			w := httptest.NewRecorder()
			func() {
				defer func() {
					if p := recover(); p != "boom" {
						t.Errorf("panic %v did not continue", p)
					}
				}()
				m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					Get(r).Set("k", 1)
					panic("boom")
				})).ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
			}()
			if got := w.Header().Get("Set-Cookie") != ""; got != soe {
				t.Errorf("set_on_exception=%v: cookie after panic %v", soe, got)
			}
		})
		t.Run("redirect keeps cookie", func(t *testing.T) {
			w := serve(m, func(w http.ResponseWriter, r *http.Request) {
				Get(r).Set("k", 1)
				http.Redirect(w, r, "/x", http.StatusFound)
			}, "")
			if len(w.Result().Cookies()) != 1 {
				t.Errorf("set_on_exception=%v: redirect lost its cookie", soe)
			}
		})
	}
}

func TestCookieTooLargeAtCommitGoesToErrorHandler(t *testing.T) {
	var got error
	m := testManager(t, testOptions(), WithErrorHandler(func(w http.ResponseWriter, r *http.Request, err error) {
		got = err
		http.Error(w, "custom", http.StatusInternalServerError)
	}))
	w := serve(m, func(w http.ResponseWriter, r *http.Request) {
		s := Get(r)
		// Fill the cookie to the brim; the CSRF token, which Set does not
		// guard, then overflows it at commit.
		for n := 3100; n > 0; n-- {
			if s.Set("big", strings.Repeat("x", n)) == nil {
				break
			}
		}
		if _, err := s.NewCSRFToken(); err != nil {
			t.Fatal(err)
		}
		w.WriteHeader(http.StatusOK)
		if _, err := io.WriteString(w, "handler body"); !errors.Is(err, errResponseReplaced) {
			t.Errorf("Write after failed commit: %v", err)
		}
	}, "")
	var tl *engine.CookieTooLargeError
	if !errors.As(got, &tl) || !errors.Is(got, ErrCookieTooLarge) || tl.Size <= engine.MaxCookieValue {
		t.Fatalf("error handler got %v", got)
	}
	if w.Code != 500 || strings.Contains(w.Body.String(), "handler body") || w.Header().Get("Set-Cookie") != "" {
		t.Errorf("status %d body %q cookie %q", w.Code, w.Body.String(), w.Header().Get("Set-Cookie"))
	}
}

func TestDefaultErrorHandlerStatus(t *testing.T) {
	tests := []struct {
		err  error
		code int
	}{
		{&engine.CookieTooLargeError{Size: 5000, Limit: 4064}, 500},
		{engine.ErrUnavailable, 503},
	}
	for _, tt := range tests {
		m := testManager(t, testOptions(), WithBackend(failingBackend{tt.err}))
		w := serve(m, func(w http.ResponseWriter, r *http.Request) { Get(r).Set("k", 1) }, "")
		if w.Code != tt.code {
			t.Errorf("%v: status %d, want %d", tt.err, w.Code, tt.code)
		}
	}
}

// failingBackend fails on Save, or on Load for ErrUnavailable.
type failingBackend struct{ err error }

func (failingBackend) Name() string { return "failing" }

func (f failingBackend) Load(_ context.Context, _ *http.Request, now time.Time) (*engine.Record, error) {
	if errors.Is(f.err, engine.ErrUnavailable) {
		return nil, f.err
	}
	return &engine.Record{New: true, State: engine.NewState()}, nil
}

func (f failingBackend) Save(context.Context, http.Header, *engine.Record, time.Time) error {
	return f.err
}

func TestStoreDownIsVisibleToHandler(t *testing.T) {
	m := testManager(t, testOptions(), WithBackend(failingBackend{engine.ErrUnavailable}))
	var seen error
	w := serve(m, func(w http.ResponseWriter, r *http.Request) {
		seen = Get(r).Err()
		Get(r).Set("k", 1) // works in memory, never saved
	}, "")
	if !errors.Is(seen, engine.ErrUnavailable) || w.Code != 503 {
		t.Errorf("Err %v, status %d", seen, w.Code)
	}
}

func TestConcurrentUseWithinRequest(t *testing.T) {
	m := testManager(t, testOptions())
	w := serve(m, func(w http.ResponseWriter, r *http.Request) {
		s := Get(r)
		var wg sync.WaitGroup
		for i := range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s.Set(string(rune('a'+i)), i)
				s.Get("a")
				s.Flash("m", "", true)
			}()
		}
		wg.Wait()
	}, "")
	serve(m, func(w http.ResponseWriter, r *http.Request) {
		if n := Get(r).Len(); n != 21 {
			t.Errorf("%d keys, want 21", n)
		}
		if n := len(Get(r).PeekFlash("")); n != 20 {
			t.Errorf("%d flashes, want 20", n)
		}
	}, cookieOf(t, w))
}

func TestRotationReissuesUnderPrimary(t *testing.T) {
	old := testOptions()
	old.Secret = strings.Repeat("ab", 32)
	w := serve(testManager(t, old), func(w http.ResponseWriter, r *http.Request) { Get(r).Set("k", "v") }, "")
	oldCookie := cookieOf(t, w)

	rotated := testOptions()
	rotated.SecretFallbacks = []string{old.Secret}
	m := testManager(t, rotated)
	w = serve(m, func(w http.ResponseWriter, r *http.Request) {
		if v, _ := Get(r).Get("k"); v != "v" {
			t.Errorf("fallback-secret cookie not loaded: %v", v)
		}
	}, oldCookie)
	newCookie := cookieOf(t, w) // re-issued although nothing changed
	// The re-issued cookie opens with the primary alone.
	serve(testManager(t, testOptions()), func(w http.ResponseWriter, r *http.Request) {
		if v, _ := Get(r).Get("k"); v != "v" {
			t.Errorf("re-issued cookie is not under the primary secret")
		}
	}, newCookie)
}

func TestExpiryAndAbsoluteTimeout(t *testing.T) {
	clock := &testClock{now: 1700000000.5}
	o := testOptions()
	o.Timeout = settings.Seconds(60)
	o.AbsoluteTimeout = settings.Seconds(3600)
	m := testManager(t, o, WithClock(clock.Now))
	c := cookieOf(t, serve(m, func(w http.ResponseWriter, r *http.Request) { Get(r).Set("k", 1) }, ""))
	tests := []struct {
		name    string
		at      float64
		wantNew bool
		wantLen int
	}{
		{"within timeout (accessed is stored as a whole second)", 1700000059.5, false, 1},
		{"idle past timeout: data gone, not new", 1700000061.5, false, 0},
		{"past absolute lifetime: brand new", 1700003601.5, true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := &testClock{now: tt.at}
			m := testManager(t, o, WithClock(clock.Now))
			serve(m, func(w http.ResponseWriter, r *http.Request) {
				s := Get(r)
				if s.IsNew() != tt.wantNew || s.Len() != tt.wantLen {
					t.Errorf("new %v len %d, want %v %d", s.IsNew(), s.Len(), tt.wantNew, tt.wantLen)
				}
			}, c)
		})
	}
}

func TestCheckCSRF(t *testing.T) {
	m := testManager(t, testOptions())
	var token string
	c := cookieOf(t, serve(m, func(w http.ResponseWriter, r *http.Request) { token, _ = Get(r).CSRFToken() }, ""))
	tests := []struct {
		name   string
		header string
		form   string
		ok     bool
	}{
		{"header", token, "", true},
		{"form field", "", token, true},
		{"wrong", "", strings.Repeat("0", 40), false},
		{"missing", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/", strings.NewReader("csrf_token="+tt.form))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			r.Header.Set("Cookie", c)
			if tt.header != "" {
				r.Header.Set(CSRFHeader, tt.header)
			}
			var err error
			m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { err = CheckCSRF(r) })).ServeHTTP(httptest.NewRecorder(), r)
			if (err == nil) != tt.ok {
				t.Errorf("CheckCSRF = %v, want ok=%v", err, tt.ok)
			}
		})
	}
}

func TestGetAs(t *testing.T) {
	m := testManager(t, testOptions())
	type cart struct {
		Items []string `json:"items"`
	}
	c := cookieOf(t, serve(m, func(w http.ResponseWriter, r *http.Request) {
		Get(r).Set("n", 42)
		Get(r).Set("cart", cart{Items: []string{"a"}})
	}, ""))
	serve(m, func(w http.ResponseWriter, r *http.Request) {
		s := Get(r)
		if n, err := GetAs[int](s, "n"); err != nil || n != 42 {
			t.Errorf("GetAs[int] = %v, %v", n, err)
		}
		if got, err := GetAs[cart](s, "cart"); err != nil || len(got.Items) != 1 {
			t.Errorf("GetAs[cart] = %v, %v", got, err)
		}
		if _, err := GetAs[int](s, "missing"); !errors.Is(err, ErrNoKey) {
			t.Errorf("missing key: %v", err)
		}
		if _, err := GetAs[int](s, "cart"); err == nil {
			t.Error("GetAs[int] of an object succeeded")
		}
	}, c)
}

func TestSetRejectsUnencodable(t *testing.T) {
	m := testManager(t, testOptions())
	w := serve(m, func(w http.ResponseWriter, r *http.Request) {
		if err := Get(r).Set("f", func() {}); err == nil {
			t.Error("Set accepted a func")
		}
	}, "")
	if len(w.Result().Cookies()) != 0 {
		t.Error("a failed Set marked the session changed")
	}
}
