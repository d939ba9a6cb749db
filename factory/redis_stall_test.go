package factory_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/sessconf/sessconf/internal/redistest"
	"github.com/sessconf/sessconf/session"
)

// hangLimit ends a stall no request ended: far above the ~1 s the
// default timeouts give, below the 40 s of go-redis' own defaults. It
// turns a hang into a failure, not a measured duration into one.
const hangLimit = 20 * time.Second

// stall stops srv (SIGSTOP) with a watchdog that continues it after
// hangLimit. The returned end continues it now if the watchdog has not,
// and reports whether the watchdog had to: then a request waited for
// Redis instead of giving up.
func stall(srv *redistest.Server) (end func() (hung bool)) {
	srv.Pause()
	var once sync.Once
	var hung bool
	watchdog := time.AfterFunc(hangLimit, func() { once.Do(func() { hung = true; srv.Resume() }) })
	return func() bool {
		watchdog.Stop()
		once.Do(srv.Resume)
		return hung
	}
}

// countingHandler is a slog.Handler counting records by level.
type countingHandler struct {
	mu     sync.Mutex
	counts map[slog.Level]int
}

func (h *countingHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h *countingHandler) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.counts == nil {
		h.counts = map[slog.Level]int{}
	}
	h.counts[r.Level]++
	return nil
}
func (h *countingHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *countingHandler) WithGroup(string) slog.Handler      { return h }

func (h *countingHandler) take() map[slog.Level]int {
	h.mu.Lock()
	defer h.mu.Unlock()
	c := h.counts
	h.counts = nil
	return c
}

// With the default settings (no timeouts configured), a stalled Redis
// (SIGSTOP) gives 503 while it is still stalled, on loads and saves
// alike, and each failed request is logged once, by the error handler.
func TestRedisStalledServerAnswers503(t *testing.T) {
	srv := redistest.Start(t)
	o := redisOptions()
	o.Redis.URL = srv.URL()
	logs := &countingHandler{}
	m, err := session.New(o, session.WithLogger(slog.New(logs)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	serve := func(cookie string, h http.HandlerFunc) *http.Response {
		r := httptest.NewRequest("GET", "/", nil)
		if cookie != "" {
			r.Header.Set("Cookie", cookie)
		}
		w := httptest.NewRecorder()
		m.Middleware(h).ServeHTTP(w, r)
		return w.Result()
	}
	c := (&env{t: t}).cookie(serve("", setKV("a", 1)))
	logs.take()

	var end func() bool
	pause := func() { end = stall(srv) }
	for _, tt := range []struct {
		name   string
		cookie string
		h      http.HandlerFunc
	}{
		{"load", c, func(w http.ResponseWriter, r *http.Request) { pause(); session.Get(r).Get("a") }},
		{"save", c, func(w http.ResponseWriter, r *http.Request) {
			s := session.Get(r)
			s.Get("a")
			pause()
			s.Set("b", 2)
		}},
		{"new session", "", func(w http.ResponseWriter, r *http.Request) { pause(); session.Get(r).Set("b", 2) }},
		{"logout", c, func(w http.ResponseWriter, r *http.Request) {
			s := session.Get(r)
			s.Get("a")
			pause()
			s.Invalidate()
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			end = nil
			resp := serve(tt.cookie, tt.h)
			if end == nil {
				t.Fatal("the handler did not stall Redis")
			}
			if end() {
				t.Errorf("the request waited %v for the stalled Redis: not bounded by the session timeouts", hangLimit)
			}
			if resp.StatusCode != http.StatusServiceUnavailable {
				t.Errorf("status %d while Redis was stalled, want 503", resp.StatusCode)
			}
			if got := logs.take(); got[slog.LevelError] != 1 || got[slog.LevelWarn] != 0 {
				t.Errorf("log records by level %v, want one error", got)
			}
		})
	}
}
