package factory_test

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

// Within renew_grace the replaced (possibly fixated) id may
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

// A request that loaded before the renew and saves after it
// is refused too (it would write through the replaced id), without a
// delete cookie that would drop the browser's new one.
func TestRedisRenewRaceWriteRefused(t *testing.T) {
	for _, grace := range []time.Duration{5 * time.Second, 0} {
		t.Run("grace="+grace.String(), func(t *testing.T) {
			e := newEnv(t, redistest.Start(t), envOption{opts: func(o *settings.Options) { o.Redis.RenewGrace = grace }})
			c := e.cookie(e.serve("/", "", setKV("a", 1)))
			resume := e.paused(c, "a", func(s *session.Session) { s.Set("user", "attacker") })
			c2 := e.cookie(e.serve("/login", c, login("alice")))
			noCookie(t, resume())
			if v, _ := e.getKey(c2, "user"); v != "alice" {
				t.Errorf("user=%v after a racing write through the old id, want alice", v)
			}
			if v, _ := e.getKey(c2, "a"); v != int64(1) {
				t.Errorf("pre-login data lost: a=%v", v)
			}
		})
	}
}

// With renew_grace = 0 RenewID installs no forward: the old id is revoked
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

// A request with the old id arriving between renew's two
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

// A logout through the old id between renew's
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
