package factory_test

// Regression tests for the review of the Redis backend (findings #1–#5).

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sessconf/sessconf/internal/engine"
	"github.com/sessconf/sessconf/internal/redistest"
	"github.com/sessconf/sessconf/session"
	"github.com/sessconf/sessconf/settings"
)

// login renews the session the cookie names and stores user.
func login(user string) func(w http.ResponseWriter, r *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		s := session.Get(r)
		s.RenewID()
		s.Set("user", user)
	}
}

// getKey reads k from the session the cookie names.
func (e *env) getKey(cookie, k string) (v any, isNew bool) {
	e.t.Helper()
	e.serve("/", cookie, func(w http.ResponseWriter, r *http.Request) {
		s := session.Get(r)
		v, _ = s.Get(k)
		isNew = s.IsNew()
	})
	return v, isNew
}

// Finding #1: within renew_grace the replaced (possibly fixated) id may
// read the renewed session, but its writes never land and it never gets
// the new id's cookie.
func TestRedisRenewGraceReadOnly(t *testing.T) {
	e := newEnv(t, redistest.Start(t), envOption{})
	attacker := e.cookie(e.serve("/", "", setKV("anon", 1)))
	victim := e.cookie(e.serve("/login", attacker, login("victim")))
	if victim == attacker {
		t.Fatal("not renewed")
	}
	resp := e.serve("/transfer", attacker, func(w http.ResponseWriter, r *http.Request) {
		s := session.Get(r)
		if u, _ := s.Get("user"); u != "victim" {
			t.Errorf("old id within the grace reads user=%v, want the renewed session", u)
		}
		s.Set("attacker_wrote", true)
		s.Set("user", "attacker")
		if v, _ := s.Get("attacker_wrote"); v != true {
			t.Error("the request's own write is not visible in memory")
		}
	})
	noCookie(t, resp)
	if v, _ := e.getKey(victim, "attacker_wrote"); v != nil {
		t.Errorf("a write through the replaced id landed: attacker_wrote=%v", v)
	}
	if v, _ := e.getKey(victim, "user"); v != "victim" {
		t.Errorf("user=%v, want victim", v)
	}
	// RenewID, Invalidate-free writes and touches through the old id give
	// no cookie either: the new id never leaks to the old id's holder.
	noCookie(t, e.serve("/login", attacker, login("attacker")))
	noCookie(t, e.serve("/", attacker, func(w http.ResponseWriter, r *http.Request) { session.Get(r).Changed() }))
	if v, _ := e.getKey(victim, "user"); v != "victim" {
		t.Errorf("after a RenewID through the old id user=%v, want victim", v)
	}
	if n := len(e.keys()); n != 2 {
		t.Errorf("%d keys, want the forward and the renewed record", n)
	}
}

// Finding #1: a request that loaded before the renew and saves after it
// is refused too (it would write through the replaced id), without a
// delete cookie that would drop the browser's new one.
func TestRedisRenewRaceWriteRefused(t *testing.T) {
	for _, grace := range []time.Duration{5 * time.Second, 0} {
		t.Run("grace="+grace.String(), func(t *testing.T) {
			e := newEnv(t, redistest.Start(t), envOption{opts: func(o *settings.Options) { o.Redis.RenewGrace = grace }})
			c := e.cookie(e.serve("/", "", setKV("a", 1)))
			loaded, release := make(chan struct{}), make(chan struct{})
			done := make(chan *http.Response)
			go func() {
				done <- e.serve("/slow", c, func(w http.ResponseWriter, r *http.Request) {
					s := session.Get(r)
					s.Get("a")
					close(loaded)
					<-release
					s.Set("user", "attacker")
				})
			}()
			<-loaded
			c2 := e.cookie(e.serve("/login", c, login("alice")))
			close(release)
			noCookie(t, <-done)
			if v, _ := e.getKey(c2, "user"); v != "alice" {
				t.Errorf("user=%v after a racing write through the old id, want alice", v)
			}
			if v, _ := e.getKey(c2, "a"); v != int64(1) {
				t.Errorf("pre-login data lost: a=%v", v)
			}
		})
	}
}

// Finding #1: renew_grace = 0 installs no forward: the old id is revoked
// at once.
func TestRedisRenewGraceZero(t *testing.T) {
	e := newEnv(t, redistest.Start(t), envOption{opts: func(o *settings.Options) { o.Redis.RenewGrace = 0 }})
	c := e.cookie(e.serve("/", "", setKV("a", 1)))
	oldKey := e.only()
	c2 := e.cookie(e.serve("/login", c, login("alice")))
	if v, _ := e.client.Get(context.Background(), oldKey).Result(); strings.Contains(v, "fwd") || strings.Contains(v, `"v"`) {
		t.Errorf("old key holds %q, want no forward and no record", v)
	}
	if v, isNew := e.getKey(c, "user"); !isNew || v != nil {
		t.Errorf("old id after a renew with grace 0: new=%v user=%v, want a new empty session", isNew, v)
	}
	if v, _ := e.getKey(c2, "user"); v != "alice" {
		t.Errorf("new id: user=%v", v)
	}
	if ks := e.keys(); !slices.Contains(ks, oldKey) || len(ks) != 2 {
		t.Errorf("keys %q", ks)
	}
}

// Finding #2: RenewID always renews and sends the new cookie, whatever
// the response headers; and only cacheable responses are cookieless.
func TestRedisRenewIDOnCookielessResponse(t *testing.T) {
	e := newEnv(t, redistest.Start(t), envOption{opts: func(o *settings.Options) { o.Redis.RenewGrace = 0 }})
	for _, cc := range []string{"public, max-age=60", "no-store"} {
		t.Run(cc, func(t *testing.T) {
			c := e.cookie(e.serve("/", "", setKV("anon", 1)))
			resp := e.serve("/login", c, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Cache-Control", cc)
				w.Header().Set("Expires", "Thu, 01 Jan 1970 00:00:00 GMT")
				login("alice")(w, r)
			})
			c2 := e.cookie(resp)
			if c2 == c {
				t.Fatal("RenewID kept the id")
			}
			if v, _ := e.getKey(c2, "user"); v != "alice" {
				t.Errorf("new id: user=%v", v)
			}
			if v, isNew := e.getKey(c, "user"); !isNew || v != nil {
				t.Errorf("the pre-login id still works: user=%v", v)
			}
		})
	}
}

func TestRedisCookielessOnlyCacheable(t *testing.T) {
	e := newEnv(t, redistest.Start(t), envOption{})
	for _, tt := range []struct {
		headers    map[string]string
		cookieless bool
	}{
		{map[string]string{"Cache-Control": "public, max-age=60"}, true},
		{map[string]string{"Expires": "Thu, 01 Jan 2099 00:00:00 GMT"}, true},
		{map[string]string{"Cache-Control": "no-store"}, false},
		{map[string]string{"Cache-Control": "max-age=0, Private"}, false},
		{map[string]string{"Cache-Control": `no-cache="Set-Cookie"`}, false},
		{map[string]string{"Cache-Control": "no-cache", "Expires": "0"}, false},
		{map[string]string{"Vary": "Accept"}, false},
	} {
		e.flush()
		resp := e.serve("/", "", func(w http.ResponseWriter, r *http.Request) {
			for k, v := range tt.headers {
				w.Header().Set(k, v)
			}
			session.Get(r).Set("user", "x")
		})
		sc := resp.Header.Values("Set-Cookie")
		if n := len(e.keys()); tt.cookieless != (len(sc) == 0) || n != len(sc) {
			t.Errorf("%v: Set-Cookie %q, %d records; want cookieless=%v", tt.headers, sc, n, tt.cookieless)
		}
	}
}

// Finding #3: a logout that loaded before a parallel RenewID and saves
// after it ends the renewed session too (the tombstone follows the
// forward), and so does a logout through the old id within the grace.
func TestRedisInvalidateFollowsRenew(t *testing.T) {
	for _, grace := range []time.Duration{5 * time.Second, 0} {
		t.Run("racing logout, grace="+grace.String(), func(t *testing.T) {
			e := newEnv(t, redistest.Start(t), envOption{opts: func(o *settings.Options) { o.Redis.RenewGrace = grace }})
			c := e.cookie(e.serve("/", "", setKV("user", "u")))
			loaded, renewed := make(chan struct{}), make(chan struct{})
			done := make(chan *http.Response)
			go func() {
				done <- e.serve("/logout", c, func(w http.ResponseWriter, r *http.Request) {
					s := session.Get(r)
					s.Len()
					close(loaded)
					<-renewed
					s.Invalidate()
				})
			}()
			<-loaded
			c2 := e.cookie(e.serve("/login", c, login("alice")))
			close(renewed)
			<-done
			if v, isNew := e.getKey(c2, "user"); !isNew || v != nil {
				t.Errorf("after the logout the renewed id still has user=%v", v)
			}
			for _, k := range e.keys() {
				if v, _ := e.client.Get(context.Background(), k).Result(); v != `{"tombstone": 1}` {
					t.Errorf("%s holds %q, want a tombstone", k, v)
				}
			}
		})
	}
	t.Run("logout through the old id, and a chain", func(t *testing.T) {
		e := newEnv(t, redistest.Start(t), envOption{})
		c := e.cookie(e.serve("/", "", setKV("user", "u")))
		c2 := e.cookie(e.serve("/login", c, login("alice")))
		c3 := e.cookie(e.serve("/login", c2, login("alice")))
		e.serve("/logout", c, func(w http.ResponseWriter, r *http.Request) { session.Get(r).Invalidate() })
		for _, ck := range []string{c, c2, c3} {
			if v, isNew := e.getKey(ck, "user"); !isNew || v != nil {
				t.Errorf("after the logout an id still has user=%v", v)
			}
		}
		if n := len(e.keys()); n != 3 {
			t.Errorf("%d keys, want 3 tombstones", n)
		}
	})
}

// Finding #4: a client that disconnects once the handler has finished
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

// Finding #4: the detached save is still bounded, by write_timeout.
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

// Finding #5: a request with the old id arriving between renew's two
// writes neither forks the session (a forward to a missing key used to
// give it a new, empty session) nor loses a write it makes there.
func TestRedisRenewInterleavedLoad(t *testing.T) {
	e := newEnv(t, redistest.Start(t), envOption{})
	c := e.cookie(e.serve("/", "", setKV("a", 1)))
	var isNew bool
	var a any
	parallel := func() {
		resp := e.serve("/parallel", c, func(w http.ResponseWriter, r *http.Request) {
			s := session.Get(r)
			a, _ = s.Get("a")
			isNew = s.IsNew()
			s.Set("parallel", true)
		})
		if sc := resp.Header.Values("Set-Cookie"); len(sc) != 0 {
			t.Errorf("parallel request got Set-Cookie %q", sc)
		}
	}
	var once sync.Once
	restore := engine.SetRenewHook(func() { once.Do(parallel) })
	c2 := e.cookie(e.serve("/login", c, login("alice")))
	restore()
	if isNew || a != int64(1) {
		t.Errorf("a load between the renew's writes forked the session: new=%v a=%v", isNew, a)
	}
	for _, k := range []string{"a", "user", "parallel"} {
		if v, _ := e.getKey(c2, k); v == nil {
			t.Errorf("renewed session lacks %q", k)
		}
	}
	if v, _ := e.getKey(c, "user"); v != "alice" {
		t.Errorf("old id within the grace: user=%v, want the renewed session", v)
	}
}

// Finding #5 (with #3): a logout through the old id between renew's
// writes wins: the new id is not delivered and its record is removed.
func TestRedisRenewInterleavedLogout(t *testing.T) {
	e := newEnv(t, redistest.Start(t), envOption{})
	c := e.cookie(e.serve("/", "", setKV("a", 1)))
	var once sync.Once
	restore := engine.SetRenewHook(func() {
		once.Do(func() {
			e.serve("/logout", c, func(w http.ResponseWriter, r *http.Request) { session.Get(r).Invalidate() })
		})
	})
	resp := e.serve("/login", c, login("alice"))
	restore()
	if sc := resp.Header.Values("Set-Cookie"); len(sc) != 1 || !strings.Contains(sc[0], "Max-Age=0") {
		t.Errorf("login that lost to a logout: Set-Cookie %q, want the delete cookie", sc)
	}
	if ks := e.keys(); len(ks) != 1 {
		t.Errorf("keys %q, want only the tombstone", ks)
	}
}
