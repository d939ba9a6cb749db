package factory_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/sessconf/sessconf/internal/redistest"
	"github.com/sessconf/sessconf/session"
	"github.com/sessconf/sessconf/settings"
)

// A client that disconnects once the handler has finished
// (request context cancelled) does not abort the save: logout, login and
// data writes land. Loads still honour cancellation (TestRedisContextCancel).
func TestRedisSaveSurvivesDisconnect(t *testing.T) {
	e := newEnv(t, redistest.Start(t), envOption{})
	disconnect := func(cookie string, h func(w http.ResponseWriter, r *http.Request)) *http.Response {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		return e.serveCtx(ctx, "/", cookie, func(w http.ResponseWriter, r *http.Request) {
			h(w, r)
			cancel() // the client goes away before the middleware commits
		})
	}
	t.Run("write", func(t *testing.T) {
		c := e.cookie(e.serve("/", "", setKV("a", 1)))
		disconnect(c, setKV("b", 2))
		if v, _ := e.getKey(c, "b"); v != int64(2) {
			t.Errorf("write lost on disconnect: b=%v", v)
		}
	})
	t.Run("new session", func(t *testing.T) {
		e.flush()
		resp := disconnect("", setKV("a", 1))
		if len(e.keys()) != 1 || len(resp.Header.Values("Set-Cookie")) != 1 {
			t.Errorf("new session lost on disconnect: keys %q, Set-Cookie %q", e.keys(), resp.Header.Values("Set-Cookie"))
		}
	})
	t.Run("logout", func(t *testing.T) {
		c := e.cookie(e.serve("/", "", setKV("user", "alice")))
		disconnect(c, func(w http.ResponseWriter, r *http.Request) { session.Get(r).Invalidate() })
		if v, isNew := e.getKey(c, "user"); !isNew || v != nil {
			t.Errorf("logout lost on disconnect: user=%v", v)
		}
	})
	t.Run("login", func(t *testing.T) {
		c := e.cookie(e.serve("/", "", setKV("a", 1)))
		c2 := e.cookie(disconnect(c, login("alice")))
		if v, _ := e.getKey(c2, "user"); v != "alice" {
			t.Errorf("login lost on disconnect: user=%v", v)
		}
	})
	select {
	case err := <-e.errs:
		t.Errorf("error handler: %v", err)
	default:
	}
}

// The detached save is still bounded, by write_timeout.
func TestRedisSaveTimeout(t *testing.T) {
	e := newEnv(t, redistest.Start(t), envOption{opts: func(o *settings.Options) { o.Redis.WriteTimeout = 200 * time.Millisecond }})
	c := e.cookie(e.serve("/", "", setKV("a", 1)))
	var paused time.Time
	resp := e.serve("/", c, func(w http.ResponseWriter, r *http.Request) {
		s := session.Get(r)
		s.Get("a") // loaded before the pause
		if err := e.client.Do(context.Background(), "CLIENT", "PAUSE", "1500", "ALL").Err(); err != nil {
			t.Skipf("CLIENT PAUSE: %v", err)
		}
		paused = time.Now()
		s.Set("b", 2)
	})
	took := time.Since(paused)
	if resp.StatusCode != http.StatusServiceUnavailable || took > time.Second {
		t.Errorf("status %d after %v, want 503 from a save bounded by write_timeout (200ms)", resp.StatusCode, took)
	}
	time.Sleep(1500*time.Millisecond - took) // let the pause end before cleanup
}
