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

// stallBound is far above the ~1 s the default timeouts give and far
// below the 40 s go-redis' defaults took: it catches a hang, not jitter.
const stallBound = 3 * time.Second

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
// (SIGSTOP) gives 503 within about a second, on loads and saves alike,
// and each failed request is logged once, by the error handler.
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
	serve := func(cookie string, h http.HandlerFunc) (*http.Response, time.Duration) {
		r := httptest.NewRequest("GET", "/", nil)
		if cookie != "" {
			r.Header.Set("Cookie", cookie)
		}
		w := httptest.NewRecorder()
		start := time.Now()
		m.Middleware(h).ServeHTTP(w, r)
		return w.Result(), time.Since(start)
	}
	resp, _ := serve("", setKV("a", 1))
	c := (&env{t: t}).cookie(resp)
	logs.take()

	var paused time.Time
	pause := func() { srv.Pause(); paused = time.Now() }
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
			defer srv.Resume()
			resp, _ := serve(tt.cookie, tt.h)
			took := time.Since(paused)
			t.Logf("%s: %d after %v", tt.name, resp.StatusCode, took.Round(time.Millisecond))
			if resp.StatusCode != http.StatusServiceUnavailable || took > stallBound {
				t.Errorf("status %d after %v, want 503 within %v", resp.StatusCode, took, stallBound)
			}
			if got := logs.take(); got[slog.LevelError] != 1 || got[slog.LevelWarn] != 0 {
				t.Errorf("log records by level %v, want one error", got)
			}
		})
	}
}
