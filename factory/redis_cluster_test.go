package factory_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/sessconf/sessconf/internal/redistest"
	"github.com/sessconf/sessconf/session"
)

// TestRedisCluster runs the set/get, invalidate, RenewID, concurrency
// and user-session flows against a three-master Redis Cluster (alexedwards/scs#260: a
// store must accept a cluster client, not only *redis.Client).
func TestRedisCluster(t *testing.T) {
	if testing.Short() {
		t.Skip("starting a cluster takes a few seconds")
	}
	cl := redistest.StartCluster(t)
	client := redis.NewClusterClient(&redis.ClusterOptions{Addrs: cl.Addrs(), ContextTimeoutEnabled: true})
	t.Cleanup(func() { client.Close() })
	e := newEnv(t, nil, envOption{client: client})
	ctx := context.Background()

	t.Run("set/get", func(t *testing.T) {
		c := e.cookie(e.serve("/", "", setKV("user", "alice")))
		key := e.only()
		// The key is a hash tag: every key of the session (record,
		// forward, tombstone) lives in the slot of the tag.
		tag := regexp.MustCompile(`\{([0-9a-f]{32})\}`).FindStringSubmatch(key)
		if tag == nil {
			t.Fatalf("key %q has no hash tag", key)
		}
		slotKey, _ := client.ClusterKeySlot(ctx, key).Result()
		slotTag, _ := client.ClusterKeySlot(ctx, tag[1]).Result()
		if slotKey != slotTag {
			t.Errorf("slot of %s is %d, of its tag %d", key, slotKey, slotTag)
		}
		e.serve("/", c, func(w http.ResponseWriter, r *http.Request) {
			if u, _ := session.Get(r).Get("user"); u != "alice" {
				t.Errorf("user %v", u)
			}
		})
		e.serve("/", c, setKV("n", 2))
		if rec := e.stored(key); rec.V != 2 || string(rec.Data["n"]) != "2" {
			t.Errorf("stored %+v", rec)
		}
		e.flush()
	})
	t.Run("invalidate then write", func(t *testing.T) {
		c := e.cookie(e.serve("/", "", setKV("user", "alice")))
		old := e.only()
		c2 := e.cookie(e.serve("/", c, func(w http.ResponseWriter, r *http.Request) {
			s := session.Get(r)
			s.Invalidate()
			s.Set("after", 1)
		}))
		if c2 == c {
			t.Fatal("same cookie")
		}
		if v, _ := client.Get(ctx, old).Result(); v != `{"tombstone": 1}` {
			t.Errorf("old key %q", v)
		}
		resp := e.serve("/", c2, func(w http.ResponseWriter, r *http.Request) { session.Get(r).Invalidate() })
		if sc := resp.Header.Get("Set-Cookie"); !strings.Contains(sc, "Max-Age=0") {
			t.Errorf("Set-Cookie %q", sc)
		}
		e.flush()
	})
	t.Run("renew", func(t *testing.T) {
		c := e.cookie(e.serve("/", "", setKV("cart", 1)))
		c2 := e.cookie(e.serve("/", c, func(w http.ResponseWriter, r *http.Request) {
			s := session.Get(r)
			s.RenewID()
			s.Set("user", "alice")
		}))
		for _, ck := range []string{c, c2} { // old id within the grace, new id
			e.serve("/", ck, func(w http.ResponseWriter, r *http.Request) {
				if s := session.Get(r); !s.Has("cart") || !s.Has("user") {
					t.Errorf("renewed session: %v", s.Keys())
				}
			})
		}
		e.flush()
	})
	t.Run("logout after a renew", func(t *testing.T) {
		// The old and new keys sit in different slots. A logout that
		// loaded before the renew follows the forward one key at a
		// time; a logout through the replaced id ends only that id.
		c := e.cookie(e.serve("/", "", setKV("cart", 1)))
		loaded, renewed := make(chan struct{}), make(chan struct{})
		done := make(chan struct{})
		go func() {
			defer close(done)
			e.serve("/logout", c, func(w http.ResponseWriter, r *http.Request) {
				s := session.Get(r)
				s.Len()
				close(loaded)
				<-renewed
				s.Invalidate()
			})
		}()
		<-loaded
		c2 := e.cookie(e.serve("/", c, login("alice")))
		close(renewed)
		<-done
		for _, ck := range []string{c, c2} {
			if v, isNew := e.getKey(ck, "user"); !isNew || v != nil {
				t.Errorf("after the racing logout user=%v", v)
			}
		}
		x := e.cookie(e.serve("/", "", setKV("cart", 1)))
		y := e.cookie(e.serve("/", x, login("bob")))
		e.serve("/logout", x, func(w http.ResponseWriter, r *http.Request) { session.Get(r).Invalidate() })
		if v, _ := e.getKey(y, "user"); v != "bob" {
			t.Errorf("a logout through the replaced id ended the renewed session: user=%v", v)
		}
		e.flush()
	})
	t.Run("concurrent writes", func(t *testing.T) { concurrentWrites(t, e); e.flush() })
	t.Run("logout race", func(t *testing.T) { logoutRace(t, e); e.flush() })
	t.Run("50 logins of one user, then log out everywhere", func(t *testing.T) { concurrentLogins(t, e); e.flush() })
}
