package factory_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sessconf/sessconf/internal/redistest"
	"github.com/sessconf/sessconf/session"
	"github.com/sessconf/sessconf/settings"
)

// loginAs renews the session and binds it to user, recording ua.
func loginAs(user, ua string) func(w http.ResponseWriter, r *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		s := session.Get(r)
		if err := s.RenewID(); err != nil {
			panic(err)
		}
		if err := s.SetUser(user, map[string]string{"ua": ua}); err != nil {
			panic(err)
		}
	}
}

// device logs a new visitor in as user and returns its cookie.
func (e *env) device(user, ua string) string {
	e.t.Helper()
	c := e.cookie(e.serve("/", "", setKV("cart", 1)))
	return e.cookie(e.serve("/login", c, loginAs(user, ua)))
}

// indexKey is the key of user's index (the scheme redis_users.go documents).
func indexKey(user string) string {
	sum := sha256.Sum256([]byte("sessconf user\x00" + user))
	return "sessconf:user{" + hex.EncodeToString(sum[:16]) + "}"
}

// index returns the members of user's index.
func (e *env) index(user string) []string {
	e.t.Helper()
	m, err := e.client.ZRange(context.Background(), indexKey(user), 0, -1).Result()
	if err != nil {
		e.t.Fatal(err)
	}
	slices.Sort(m)
	return m
}

// handles lists the handles UserSessions returns for user.
func (e *env) handles(user string) []string {
	e.t.Helper()
	list, err := e.m.UserSessions(context.Background(), user)
	if err != nil {
		e.t.Fatal(err)
	}
	var out []string
	for _, s := range list {
		out = append(out, s.Handle)
	}
	slices.Sort(out)
	return out
}

// usable reports whether the cookie still reaches a logged-in session.
func (e *env) usable(cookie string) bool {
	e.t.Helper()
	_, isNew := e.getKey(cookie, "cart")
	return !isNew
}

func TestRedisUserSessions(t *testing.T) {
	e := newEnv(t, redistest.Start(t), envOption{})
	ctx := context.Background()
	start := time.Now().Add(-time.Second)
	phone := e.device("alice", "phone")
	laptop := e.device("alice", "laptop")
	e.device("bob", "tablet")

	list, err := e.m.UserSessions(ctx, "alice")
	if err != nil || len(list) != 2 {
		t.Fatalf("UserSessions = %+v, %v; want 2", list, err)
	}
	var uas []string
	for _, s := range list {
		uas = append(uas, s.Meta["ua"])
		if s.Created.Before(start) || s.LastAccess.Before(s.Created) || s.LastAccess.After(time.Now().Add(time.Second)) {
			t.Errorf("times %v / %v", s.Created, s.LastAccess)
		}
		if !strings.Contains(strings.Join(e.keys(), " "), "{"+s.Handle+"}") {
			t.Errorf("handle %q is not a key hash", s.Handle)
		}
		for _, c := range []string{phone, laptop} {
			id, _, _ := strings.Cut(strings.TrimPrefix(c, "session="), ".")
			if strings.Contains(s.Handle, id) || strings.Contains(id, s.Handle) {
				t.Errorf("handle %q reveals the id", s.Handle)
			}
		}
	}
	slices.Sort(uas)
	if !slices.Equal(uas, []string{"laptop", "phone"}) {
		t.Errorf("metadata %q", uas)
	}
	// The index holds key hashes only: no member is part of a cookie.
	for _, m := range e.index("alice") {
		if strings.Contains(phone+laptop, m) {
			t.Errorf("index member %q is part of a cookie", m)
		}
	}
	if got, want := e.index("alice"), e.handles("alice"); !slices.Equal(got, want) {
		t.Errorf("index %q, listed %q", got, want)
	}

	t.Run("RenewID moves the entry", func(t *testing.T) {
		before := e.index("alice")
		phone2 := e.cookie(e.serve("/login", phone, loginAs("alice", "phone")))
		after := e.index("alice")
		if len(after) != 2 || slices.Equal(before, after) {
			t.Errorf("index %q → %q, want the renewed hash in place of the old", before, after)
		}
		if !slices.Equal(after, e.handles("alice")) {
			t.Errorf("index %q, listed %q", after, e.handles("alice"))
		}
		phone = phone2
	})
	t.Run("Invalidate removes the entry", func(t *testing.T) {
		e.serve("/logout", laptop, func(w http.ResponseWriter, r *http.Request) { session.Get(r).Invalidate() })
		if n := len(e.index("alice")); n != 1 {
			t.Errorf("%d index entries, want 1", n)
		}
	})
	t.Run("an emptied session leaves the index", func(t *testing.T) {
		e.serve("/", phone, func(w http.ResponseWriter, r *http.Request) { session.Get(r).Clear() })
		if n, _ := e.client.Exists(ctx, indexKey("alice")).Result(); n != 0 {
			t.Errorf("index %q left", e.index("alice"))
		}
	})
	t.Run("writes and touches raise the score, reads cost nothing more", func(t *testing.T) {
		c := e.device("carol", "phone")
		e.rc.take()
		e.serve("/", c, func(w http.ResponseWriter, r *http.Request) { session.Get(r).Get("cart") })
		if got := e.rc.take(); len(got) != 1 {
			t.Errorf("read of a bound session: round trips %q, want 1", got)
		}
		idx := indexKey("carol")
		member := e.index("carol")[0]
		low := float64(time.Now().Add(time.Minute).UnixMilli())
		e.client.ZAdd(ctx, idx, redisZ(low, member))
		e.rc.take()
		e.serve("/", c, setKV("n", 1))
		if got := e.rc.take(); len(got) != 3 {
			t.Errorf("write to a bound session: round trips %q, want load, save and index", got)
		}
		want := float64(time.Now().Add(20 * time.Minute).UnixMilli()) // the idle timeout
		if sc, _ := e.client.ZScore(ctx, idx, member).Result(); sc < want {
			t.Errorf("score after a write %v, want at least now + timeout %v", sc, want)
		}
		// A read after reissue_time touches the TTL, and the score.
		e.client.ZAdd(ctx, idx, redisZ(low, member))
		var key string
		for _, k := range e.keys() {
			if strings.Contains(k, member) {
				key = k
			}
		}
		e.client.PExpire(ctx, key, time.Minute)
		e.serve("/", c, func(w http.ResponseWriter, r *http.Request) { session.Get(r).Get("cart") })
		if sc, _ := e.client.ZScore(ctx, idx, member).Result(); sc < want {
			t.Errorf("score after a touch %v, want at least now + timeout %v", sc, want)
		}
		if d := e.pttl(idx); d < 20*time.Minute {
			t.Errorf("index TTL %v, want it to outlive the session", d)
		}
	})
}

func TestRedisInvalidateUser(t *testing.T) {
	e := newEnv(t, redistest.Start(t), envOption{})
	ctx := context.Background()
	t.Run("all", func(t *testing.T) {
		a1, a2, a3 := e.device("alice", "1"), e.device("alice", "2"), e.device("alice", "3")
		bob := e.device("bob", "1")
		n, err := e.m.InvalidateUser(ctx, "alice", nil)
		if err != nil || n != 3 {
			t.Fatalf("InvalidateUser = %d, %v; want 3", n, err)
		}
		for _, c := range []string{a1, a2, a3} {
			if e.usable(c) {
				t.Error("a session of alice survived")
			}
		}
		if !e.usable(bob) {
			t.Error("bob's session ended")
		}
		if m := e.index("alice"); len(m) != 0 {
			t.Errorf("index %q left", m)
		}
		if n, err := e.m.InvalidateUser(ctx, "alice", nil); n != 0 || err != nil {
			t.Errorf("again: %d, %v", n, err)
		}
	})
	t.Run("all but the current one", func(t *testing.T) {
		a1, a2, a3 := e.device("alice", "1"), e.device("alice", "2"), e.device("alice", "3")
		var n int
		var err error
		e.serve("/logout-others", a1, func(w http.ResponseWriter, r *http.Request) {
			s := session.Get(r)
			n, err = e.m.InvalidateUser(r.Context(), "alice", s)
			s.Set("after", true)
		})
		if err != nil || n != 2 {
			t.Fatalf("InvalidateUser(keep) = %d, %v; want 2", n, err)
		}
		if v, _ := e.getKey(a1, "after"); v != true {
			t.Error("the kept session lost its write")
		}
		if e.usable(a2) || e.usable(a3) {
			t.Error("another session of alice survived")
		}
		if h := e.handles("alice"); len(h) != 1 {
			t.Errorf("listed %q, want the kept session", h)
		}
	})
	t.Run("a request in flight cannot resurrect a session", func(t *testing.T) {
		c := e.device("dave", "1")
		resume := e.paused(c, "cart", func(s *session.Session) { s.Set("late", true) })
		if n, err := e.m.InvalidateUser(ctx, "dave", nil); n != 1 || err != nil {
			t.Fatalf("InvalidateUser = %d, %v", n, err)
		}
		resume()
		if e.usable(c) {
			t.Error("the slow request saved the session back")
		}
		if m := e.index("dave"); len(m) != 0 {
			t.Errorf("index %q", m)
		}
	})
	t.Run("keep read through a replaced id", func(t *testing.T) {
		x := e.cookie(e.serve("/", "", setKV("cart", 1)))
		y := e.cookie(e.serve("/login", x, loginAs("erin", "1")))
		var err error
		e.serve("/", x, func(w http.ResponseWriter, r *http.Request) {
			_, err = e.m.InvalidateUser(r.Context(), "erin", session.Get(r))
			if serr := session.Get(r).SetUser("mallory", nil); serr == nil {
				t.Error("SetUser through the replaced id succeeded")
			}
		})
		if err == nil || !e.usable(y) {
			t.Errorf("InvalidateUser keeping a replaced id: %v; renewed session usable %v", err, e.usable(y))
		}
	})
}

// concurrentLogins logs one user in from 50 new visitors at once, then
// out everywhere: no session is left usable and the index is empty.
func concurrentLogins(t *testing.T, e *env) {
	const n = 50
	cookies := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := e.cookie(e.serve("/", "", setKV("cart", i)))
			cookies[i] = e.cookie(e.serve("/login", c, loginAs("zoe", "device")))
		}()
	}
	wg.Wait()
	if h := e.handles("zoe"); len(h) != n {
		t.Fatalf("listed %d sessions, want %d", len(h), n)
	}
	ended, err := e.m.InvalidateUser(context.Background(), "zoe", nil)
	if err != nil || ended != n {
		t.Fatalf("InvalidateUser = %d, %v; want %d", ended, err, n)
	}
	usable := 0
	for _, c := range cookies {
		if e.usable(c) {
			usable++
		}
	}
	if usable != 0 {
		t.Errorf("%d sessions still usable", usable)
	}
	if k, _ := e.client.Exists(context.Background(), indexKey("zoe")).Result(); k != 0 {
		t.Errorf("index left with %q", e.index("zoe"))
	}
	if h := e.handles("zoe"); len(h) != 0 {
		t.Errorf("listed %q", h)
	}
}

func TestRedisUserConcurrentLogins(t *testing.T) {
	concurrentLogins(t, newEnv(t, redistest.Start(t), envOption{}))
}

// The index never outlives its sessions: members of expired sessions
// leave it (by score at every update, or when listed), and the index key
// expires with its last member.
func TestRedisUserIndexExpiry(t *testing.T) {
	e := newEnv(t, redistest.Start(t), envOption{opts: func(o *settings.Options) { o.Timeout = settings.Seconds(60) }})
	ctx := context.Background()
	c := e.device("frank", "1")
	if d := e.pttl(indexKey("frank")); d <= 0 || d > 60*time.Second+6*time.Minute {
		t.Errorf("index TTL %v, want the session's TTL plus the clock skew allowance", d)
	}
	// A session that expired (its key gone) is dropped when listed.
	for _, k := range e.keys() {
		if v, _ := e.client.Get(ctx, k).Result(); strings.Contains(v, `"_sessconf_user"`) {
			e.client.Del(ctx, k)
		}
	}
	if h := e.handles("frank"); len(h) != 0 {
		t.Errorf("listed %q after expiry", h)
	}
	if n, _ := e.client.Exists(ctx, indexKey("frank")).Result(); n != 0 {
		t.Errorf("index %q left", e.index("frank"))
	}
	if e.usable(c) {
		t.Error("the expired session is usable")
	}
	// Members scored in the past leave at the next update, unlisted.
	e.client.ZAdd(ctx, indexKey("frank"), redisZ(1, "00000000000000000000000000000000"))
	e.device("frank", "2")
	if m := e.index("frank"); len(m) != 1 || m[0] == "00000000000000000000000000000000" {
		t.Errorf("index %q, want the expired member pruned", m)
	}
}

func redisZ(score float64, member string) redis.Z { return redis.Z{Score: score, Member: member} }
