package factory_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/sessconf/sessconf/internal/engine"
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

// untimedClient is a client that never gives up by itself (no read or
// write deadline), so any bound a test sees comes from the backend.
func untimedClient(t *testing.T, srv *redistest.Server) *redis.Client {
	c := redis.NewClient(&redis.Options{Addr: srv.Addr(), ContextTimeoutEnabled: true, ReadTimeout: -1, WriteTimeout: -1})
	t.Cleanup(func() { c.Close() })
	return c
}

// The detached save is still bounded, by write_timeout + read_timeout:
// with a client that never times out, a save to a stalled Redis answers
// 503 while Redis is still stalled.
func TestRedisSaveTimeout(t *testing.T) {
	srv := redistest.Start(t)
	e := newEnv(t, srv, envOption{client: untimedClient(t, srv), opts: func(o *settings.Options) { o.Redis.WriteTimeout = 200 * time.Millisecond }})
	c := e.cookie(e.serve("/", "", setKV("a", 1)))
	var end func() bool
	resp := e.serve("/", c, func(w http.ResponseWriter, r *http.Request) {
		s := session.Get(r)
		s.Get("a") // loaded before the stall
		end = stall(srv)
		s.Set("b", 2)
	})
	if end() {
		t.Errorf("the save waited %v for the stalled Redis: not bounded by write_timeout + read_timeout", hangLimit)
	}
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("status %d from a save to a stalled Redis, want 503", resp.StatusCode)
	}
	if err := <-e.errs; !errors.Is(err, engine.ErrUnavailable) {
		t.Errorf("error handler: %v, want ErrUnavailable", err)
	}
}
