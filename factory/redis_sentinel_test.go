package factory_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/sessconf/sessconf/internal/redistest"
	"github.com/sessconf/sessconf/session"
	"github.com/sessconf/sessconf/settings"
)

// The Sentinel tests run the middleware against real sentinels: the
// options name only the sentinels and the master name, so every command
// reaching the master proves the registry built a failover client that
// discovered it.

// sentinelEnv builds a manager the way an application does, session.New
// from options with type=redis, master_name and the sentinel addresses.
// Only serve and cookie of the returned env are usable (it has no
// backend or client of its own: session.New builds them). The Manager
// offers no way to close that client; it outlives the test, harmlessly.
func sentinelEnv(t *testing.T, g *redistest.SentinelGroup, edit func(*settings.Options)) *env {
	t.Helper()
	o := redisOptions()
	o.Redis.MasterName = redistest.MasterName
	o.Redis.Addrs = g.SentinelAddrs()
	if edit != nil {
		edit(&o)
	}
	m, err := session.New(o, session.WithLogger(quiet))
	if err != nil {
		t.Fatal(err)
	}
	return &env{t: t, m: m, opts: o}
}

// direct returns a plain client to one server, bypassing the sentinels.
func direct(t *testing.T, s *redistest.Server) *redis.Client {
	t.Helper()
	c := redis.NewClient(&redis.Options{Addr: s.Addr(), MaxRetries: -1})
	t.Cleanup(func() { c.Close() })
	return c
}

// onlyKey returns the one key c holds.
func onlyKey(t *testing.T, c *redis.Client) string {
	t.Helper()
	ks, err := c.Keys(context.Background(), "*").Result()
	if err != nil || len(ks) != 1 {
		t.Fatalf("keys on %s: %q %v, want one", c.Options().Addr, ks, err)
	}
	return ks[0]
}

func getUser(u *any) func(w http.ResponseWriter, r *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) { *u, _ = session.Get(r).Get("user") }
}

func TestRedisSentinel(t *testing.T) {
	g := redistest.StartSentinel(t, redistest.SentinelOptions{Sentinels: 1})
	e := sentinelEnv(t, g, nil)
	master := direct(t, g.Master)
	ctx := context.Background()

	resp := e.serve("/login", "", setKV("user", "alice", "n", 1.5))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("first request: status %d", resp.StatusCode)
	}
	c := e.cookie(resp)
	key := onlyKey(t, master)
	if !keyPattern.MatchString(key) {
		t.Errorf("key %q on the master, want prefix{32 hex}", key)
	}

	var user any
	resp = e.serve("/", c, getUser(&user))
	noCookie(t, resp)
	if resp.StatusCode != http.StatusOK || user != "alice" {
		t.Fatalf("second request: status %d, user %v", resp.StatusCode, user)
	}

	e.serve("/", c, setKV("user", "bob"))
	user = nil
	e.serve("/", c, getUser(&user))
	if user != "bob" {
		t.Errorf("after update user %v", user)
	}
	if k := onlyKey(t, master); k != key {
		t.Errorf("key moved from %s to %s", key, k)
	}
	var rec struct {
		V    int64                      `json:"v"`
		Data map[string]json.RawMessage `json:"data"`
	}
	v, err := master.Get(ctx, key).Bytes()
	if err == nil {
		err = json.Unmarshal(v, &rec)
	}
	if err != nil || rec.V != 2 || string(rec.Data["user"]) != `"bob"` || string(rec.Data["n"]) != "1.5" {
		t.Errorf("record on the master: %s %v", v, err)
	}
}

// TestRedisSentinelFailover kills the master and checks that the
// sentinels' promotion of the replica is transparent: a session written
// before the failover (and applied by the replica: replication is
// asynchronous) is still readable afterwards, and new writes land on the
// new master.
func TestRedisSentinelFailover(t *testing.T) {
	if testing.Short() {
		t.Skip("a failover takes a few seconds")
	}
	g := redistest.StartSentinel(t, redistest.SentinelOptions{Sentinels: 1, Replicas: 1})
	e := sentinelEnv(t, g, func(o *settings.Options) {
		o.Redis.DialTimeout = 300 * time.Millisecond
		o.Redis.ReadTimeout = 300 * time.Millisecond
		o.Redis.WriteTimeout = 300 * time.Millisecond
	})

	c := e.cookie(e.serve("/login", "", setKV("user", "alice")))
	key := onlyKey(t, direct(t, g.Master))
	// Replication is asynchronous: make sure the replica has the record
	// before the master dies.
	g.WaitReplicated(time.Second)
	if _, err := direct(t, g.Replicas[0]).Get(context.Background(), key).Result(); err != nil {
		t.Fatalf("record not on the replica before the failover: %v", err)
	}

	start := time.Now()
	g.Master.Stop()
	promoted := g.WaitFailover(g.Master, 20*time.Second)
	t.Logf("failover to %s after %v", promoted.Addr(), time.Since(start).Round(time.Millisecond))

	// The client learns of the switch from the sentinels (+switch-master
	// or on its next dial); give it a bounded time to get there.
	var user any
	switched := time.Now()
	deadline := switched.Add(10 * time.Second)
	for {
		user = nil
		resp := e.serve("/", c, getUser(&user))
		if resp.StatusCode == http.StatusOK {
			noCookie(t, resp)
			t.Logf("client on the new master %v after the switch", time.Since(switched).Round(time.Millisecond))
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no session read after the failover: status %d\n%s", resp.StatusCode, g.Logs())
		}
		time.Sleep(50 * time.Millisecond)
	}
	if user != "alice" {
		t.Fatalf("session written before the failover: user %v, want alice", user)
	}

	// Writes go to the new master: the old session, and a new one.
	if resp := e.serve("/", c, setKV("after", "failover")); resp.StatusCode != http.StatusOK {
		t.Fatalf("write after the failover: status %d", resp.StatusCode)
	}
	resp := e.serve("/", "", setKV("user", "carol"))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("new session after the failover: status %d", resp.StatusCode)
	}
	c2 := e.cookie(resp)
	var after any
	e.serve("/", c, func(w http.ResponseWriter, r *http.Request) { after, _ = session.Get(r).Get("after") })
	user = nil
	e.serve("/", c2, getUser(&user))
	if after != "failover" || user != "carol" {
		t.Errorf("after the failover: after=%v, new session user=%v", after, user)
	}
	pc := direct(t, promoted)
	ks, err := pc.Keys(context.Background(), "*").Result()
	if err != nil || len(ks) != 2 || (ks[0] != key && ks[1] != key) {
		t.Errorf("keys on the new master %q %v, want %s and the new session's", ks, err, key)
	}
}
