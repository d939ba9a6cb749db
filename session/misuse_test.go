package session

import (
	"bytes"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// Every write outside the middleware is refused with ErrNoMiddleware,
// leaves nothing behind, and is logged once.
func TestWritesOutsideMiddlewareAreRefused(t *testing.T) {
	var logs bytes.Buffer
	prev := detachedManager.logger
	detachedManager.logger = slog.New(slog.NewTextHandler(&logs, nil))
	defer func() { detachedManager.logger = prev }()

	s := Get(httptest.NewRequest("GET", "/", nil))
	if !errors.Is(s.Err(), ErrNoMiddleware) {
		t.Errorf("Err = %v", s.Err())
	}
	for name, write := range writes() {
		if err := write(s); !errors.Is(err, ErrNoMiddleware) {
			t.Errorf("%s outside the middleware: err %v, want ErrNoMiddleware", name, err)
		}
	}
	if s.Len() != 0 {
		t.Errorf("refused writes left %v", s.Keys())
	}
	if n := strings.Count(logs.String(), "session write refused"); n != 1 {
		t.Errorf("logged %d refusals, want 1:\n%s", n, logs.String())
	}
}

// Once the response headers went out, writes would be lost: each is
// refused with ErrCommitted, and the first is logged at warn level.
func TestWritesAfterCommitAreRefused(t *testing.T) {
	var logs bytes.Buffer
	m := testManager(t, testOptions(), WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	w := serve(m, func(w http.ResponseWriter, r *http.Request) {
		s := Get(r)
		if err := s.Set("before", 1); err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, "body") // commits
		for name, write := range writes() {
			if err := write(s); !errors.Is(err, ErrCommitted) {
				t.Errorf("%s after commit: err %v, want ErrCommitted", name, err)
			}
		}
		if s.Has("k") || !s.Has("before") {
			t.Errorf("keys after refused writes: %v", s.Keys())
		}
	}, "")
	if w.Header().Get("Set-Cookie") == "" {
		t.Error("the write before the commit was not saved")
	}
	if n := strings.Count(logs.String(), "level=WARN msg=\"session write refused\""); n != 1 {
		t.Errorf("logged %d refusals, want 1:\n%s", n, logs.String())
	}
}

// writes lists every mutating method, each returning its error.
func writes() map[string]func(*Session) error {
	return map[string]func(*Session) error{
		"Set":        func(s *Session) error { return s.Set("k", 1) },
		"Delete":     func(s *Session) error { return s.Delete("k") },
		"Pop":        func(s *Session) error { _, err := s.Pop("k"); return err },
		"SetDefault": func(s *Session) error { _, err := s.SetDefault("k", 1); return err },
		"Update":     func(s *Session) error { return s.Update(map[string]any{"k": 1}) },
		"Clear":      func(s *Session) error { return s.Clear() },
		"Changed":    func(s *Session) error { return s.Changed() },
		"Invalidate": func(s *Session) error { return s.Invalidate() },
		"RenewID":    func(s *Session) error { return s.RenewID() },
		"SetMaxAge":  func(s *Session) error { return s.SetMaxAge(3600e9) },
		"Flash":      func(s *Session) error { return s.Flash("m", "", true) },
		"PopFlash":   func(s *Session) error { _, err := s.PopFlash(""); return err },
		"NewCSRF":    func(s *Session) error { _, err := s.NewCSRFToken(); return err },
	}
}

// frameworkWriter stands for a framework's own writer (gin's has
// Written): a handler chain that writes through it directly bypasses the
// session's commit point.
type frameworkWriter struct {
	http.ResponseWriter
	written bool
}

func (f *frameworkWriter) Write(b []byte) (int, error) {
	f.written = true
	return f.ResponseWriter.Write(b)
}
func (f *frameworkWriter) Written() bool { return f.written }

// A handler chain that writes around the wrapped writer loses the
// session's cookie; the middleware says so instead of staying silent.
func TestWriteAroundTheMiddlewareIsLogged(t *testing.T) {
	for _, bypass := range []bool{true, false} {
		var logs bytes.Buffer
		m := testManager(t, testOptions(), WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
		fw := &frameworkWriter{ResponseWriter: httptest.NewRecorder()}
		h := m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			Get(r).Set("user", "alice")
			if bypass {
				fw.Write([]byte("hello")) // the naive adapter: the framework's writer, not w
			} else {
				w.Write([]byte("hello"))
			}
		}))
		h.ServeHTTP(fw, httptest.NewRequest("GET", "/", nil))
		warned := strings.Contains(logs.String(), "session cookie not sent")
		if warned != bypass {
			t.Errorf("bypass=%v: warned=%v\n%s", bypass, warned, logs.String())
		}
	}
}

// Set refuses a value that would overflow the cookie, and the session
// keeps what it had.
func TestSetRefusesOversizeSession(t *testing.T) {
	m := testManager(t, testOptions())
	w := serve(m, func(w http.ResponseWriter, r *http.Request) {
		s := Get(r)
		if err := s.Set("msg", "short"); err != nil {
			t.Fatal(err)
		}
		err := s.Set("msg", strings.Repeat("é", 700)) // 6 characters each as JSON
		if !errors.Is(err, ErrCookieTooLarge) {
			t.Fatalf("Set: %v, want ErrCookieTooLarge", err)
		}
		if v, _ := s.Get("msg"); v != "short" {
			t.Errorf("msg = %v after a refused Set", v)
		}
		for _, f := range []func() error{
			func() error { return s.Update(map[string]any{"a": strings.Repeat("x", 5000)}) },
			func() error { return s.Flash(strings.Repeat("x", 5000), "", true) },
			func() error { _, err := s.SetDefault("b", strings.Repeat("x", 5000)); return err },
		} {
			if err := f(); !errors.Is(err, ErrCookieTooLarge) {
				t.Errorf("err %v, want ErrCookieTooLarge", err)
			}
		}
		if got := s.Keys(); len(got) != 1 {
			t.Errorf("keys %v after refused writes", got)
		}
	}, "")
	if w.Code != 200 || w.Header().Get("Set-Cookie") == "" {
		t.Errorf("status %d, cookie %q: the session that fits must be saved", w.Code, w.Header().Get("Set-Cookie"))
	}
}

// echoStyleWriter stands for echo's Response: no Written method, but an
// exported Committed field.
type echoStyleWriter struct {
	http.ResponseWriter
	Committed bool
}

func (e *echoStyleWriter) Write(b []byte) (int, error) {
	e.Committed = true
	return e.ResponseWriter.Write(b)
}

func TestWriteAroundAnEchoStyleWriterIsLogged(t *testing.T) {
	var logs bytes.Buffer
	m := testManager(t, testOptions(), WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	ew := &echoStyleWriter{ResponseWriter: httptest.NewRecorder()}
	m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		Get(r).Set("user", "alice")
		ew.Write([]byte("hello"))
	})).ServeHTTP(ew, httptest.NewRequest("GET", "/", nil))
	if !strings.Contains(logs.String(), "session cookie not sent") {
		t.Errorf("no warning:\n%s", logs.String())
	}
}

// The keys the session manages itself cannot be written, deleted or
// popped through the dictionary methods: an application that copies
// client-supplied names into the session must not unbind it from its
// user, stretch its lifetime or choose its CSRF token.
func TestReservedKeysRefused(t *testing.T) {
	m := testManager(t, testOptions())
	serve(m, func(w http.ResponseWriter, r *http.Request) {
		s := Get(r)
		for _, k := range []string{"_csrft_", "_sessconf_user", "_sessconf_max_age", "_sessconf_anything"} {
			checks := map[string]error{
				"Set":        s.Set(k, 1),
				"Update":     s.Update(map[string]any{"ok": 1, k: 1}),
				"SetDefault": func() error { _, err := s.SetDefault(k, 1); return err }(),
				"Delete":     s.Delete(k),
				"Pop":        func() error { _, err := s.Pop(k); return err }(),
			}
			for op, err := range checks {
				if !errors.Is(err, ErrInvalidKey) {
					t.Errorf("%s(%q): %v, want ErrInvalidKey", op, k, err)
				}
			}
		}
		if s.Len() != 0 {
			t.Errorf("refused writes left %v", s.Keys())
		}
		if err := s.Set("_f_", []string{"a"}); err != nil { // flash queues stay ordinary keys, as in Pyramid
			t.Errorf("Set of a flash key: %v", err)
		}
	}, "")
}

// Options given nil fall back to their defaults instead of panicking
// later, and a nil Option is skipped.
func TestNilOptionsAreDefaults(t *testing.T) {
	m, err := New(testOptions(), nil, WithClock(nil), WithErrorHandler(nil), WithLogger(nil))
	if err != nil {
		t.Fatal(err)
	}
	m.logger = quiet
	w := serve(m, func(w http.ResponseWriter, r *http.Request) { Get(r).Set("k", 1) }, "")
	if w.Header().Get("Set-Cookie") == "" {
		t.Fatal("no cookie")
	}
	failing := testManager(t, testOptions(), WithErrorHandler(nil), WithBackend(failingBackend{errors.New("down")}))
	if w := serve(failing, func(w http.ResponseWriter, r *http.Request) { Get(r).Set("k", 1) }, ""); w.Code != http.StatusInternalServerError {
		t.Errorf("default error handler: status %d", w.Code)
	}
}

// A handler chain that passes through the same manager's middleware
// twice keeps one session and sends one cookie.
func TestNestedMiddlewareKeepsOneSession(t *testing.T) {
	m := testManager(t, testOptions())
	inner := m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { Get(r).Set("inner", 1) }))
	outer := m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		Get(r).Set("outer", 1)
		inner.ServeHTTP(w, r)
	}))
	w := httptest.NewRecorder()
	outer.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	if n := len(w.Header().Values("Set-Cookie")); n != 1 {
		t.Fatalf("%d Set-Cookie headers, want 1", n)
	}
	serve(m, func(w http.ResponseWriter, r *http.Request) {
		if !Get(r).Has("inner") || !Get(r).Has("outer") {
			t.Errorf("keys %v, want inner and outer", Get(r).Keys())
		}
	}, cookieOf(t, w))
}

// A backend not built by package factory is refused when the manager is
// built, not at the first request.
type foreignBackend struct{}

func (foreignBackend) Name() string { return "foreign" }

func TestForeignBackendRefused(t *testing.T) {
	if _, err := New(testOptions(), WithBackend(foreignBackend{})); err == nil || !strings.Contains(err.Error(), "not built by package factory") {
		t.Errorf("New with a foreign backend: %v", err)
	}
}
