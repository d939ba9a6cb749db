package sessotel_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/sessconf/sessconf/session"
	"github.com/sessconf/sessconf/settings"
)

// testSecret is the encrypted backend's key (64 hex characters); the
// signed and Redis backends use it as text.
const testSecret = "5f1c8e3a9b2d4f6071829304a5b6c7d8e9f0a1b2c3d4e5f60718293a4b5c6d7e"

// site is a small application behind a session.Manager that reports to
// an observer, with a clock the test moves.
type site struct {
	t   *testing.T
	h   http.Handler
	mu  sync.Mutex
	now time.Time
}

var epoch = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

func newSite(t *testing.T, opts settings.Options, o session.Observer) *site {
	t.Helper()
	s := &site{t: t, now: epoch}
	mgr, err := session.New(opts,
		session.WithObserver(o),
		session.WithClock(s.clock),
		session.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = mgr.Close() })
	mux := http.NewServeMux()
	mux.HandleFunc("/set", func(w http.ResponseWriter, r *http.Request) {
		s := session.Get(r)
		n, _ := session.GetAs[int](s, "visits")
		if err := s.Set("visits", n+1); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	})
	mux.HandleFunc("/read", func(w http.ResponseWriter, r *http.Request) {
		session.Get(r).Get("visits")
	})
	mux.HandleFunc("/csrf", func(w http.ResponseWriter, r *http.Request) {
		tok, err := session.Get(r).CSRFToken()
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		io.WriteString(w, tok)
	})
	mux.HandleFunc("/logout", func(w http.ResponseWriter, r *http.Request) {
		if err := session.Get(r).Invalidate(); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	})
	mux.HandleFunc("/renew", func(w http.ResponseWriter, r *http.Request) {
		if err := session.Get(r).RenewID(); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	})
	s.h = mgr.Middleware(mux)
	return s
}

func (s *site) clock() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.now
}

// at sets the clock to epoch+d.
func (s *site) at(d time.Duration) {
	s.mu.Lock()
	s.now = epoch.Add(d)
	s.mu.Unlock()
}

// get requests path presenting cookie (if not empty) and returns the
// response and the session cookie it set, if any.
func (s *site) get(path, cookie string) (*http.Response, string) {
	s.t.Helper()
	r := httptest.NewRequest("GET", path, nil)
	if cookie != "" {
		r.AddCookie(&http.Cookie{Name: "session", Value: cookie})
	}
	w := httptest.NewRecorder()
	s.h.ServeHTTP(w, r)
	res := w.Result()
	for _, c := range res.Cookies() {
		if c.Name == "session" {
			return res, c.Value
		}
	}
	return res, ""
}

// session starts a session on s and returns its cookie value.
func (s *site) session() string {
	s.t.Helper()
	res, c := s.get("/set", "")
	if c == "" {
		s.t.Fatalf("GET /set (%d) set no session cookie", res.StatusCode)
	}
	return c
}

func optsFor(backend, redisURL string) settings.Options {
	opts := settings.Default()
	opts.Secret = testSecret
	switch backend {
	case "signed":
		opts.Type = settings.TypeSigned
	case "redis":
		opts.Type = settings.TypeRedis
		opts.Redis.URL = redisURL
	}
	return opts
}

// relay forwards events to an observer the test can swap, so each step
// of a scenario is measured on its own.
type relay struct {
	mu sync.Mutex
	o  session.Observer
}

func (r *relay) Observe(ctx context.Context, e session.Event) {
	r.mu.Lock()
	o := r.o
	r.mu.Unlock()
	if o != nil {
		o.Observe(ctx, e)
	}
}

// fresh points the relay at new telemetry and returns it.
func (r *relay) fresh(t *testing.T) *telemetry {
	tm := newTelemetry(t)
	r.mu.Lock()
	r.o = tm.observer
	r.mu.Unlock()
	return tm
}
