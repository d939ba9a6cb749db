package factory_test

import (
	"context"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sessconf/sessconf/internal/eventlog"
	"github.com/sessconf/sessconf/internal/redistest"
	"github.com/sessconf/sessconf/session"
	"github.com/sessconf/sessconf/settings"
)

// ops is "op outcome reason" for each event.
func ops(events []session.Event) []string {
	var out []string
	for _, e := range events {
		out = append(out, strings.TrimSpace(e.Op+" "+e.Outcome+" "+e.Reason))
	}
	return out
}

// A request whose first use of an existing session is a write saves it
// without loading it (one round trip), and ends exactly as the same
// write after a read would: merged into the stored data; refused
// through an id RenewID replaced; starting a new session when the stored
// one is gone, logged out, renewed without grace, garbage, in the
// future, or past a timeout. Observers see the load the save did, with
// the reason a Load would have given.
func TestRedisWriteOnly(t *testing.T) {
	start := time.Unix(1700000000, 0)
	var mu sync.Mutex
	now := start
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	setNow := func(t time.Time) { mu.Lock(); now = t; mu.Unlock() }
	srv := redistest.Start(t)
	envs := map[time.Duration]*env{}
	obs := &eventlog.Log[session.Event]{}
	for _, grace := range []time.Duration{5 * time.Second, 0} {
		envs[grace] = newEnv(t, srv, envOption{
			opts: func(o *settings.Options) {
				o.AbsoluteTimeout = settings.Seconds(3600)
				o.Redis.RenewGrace = grace
			},
			session: []session.Option{session.WithClock(clock), session.WithObserver(obs)},
		})
	}
	bg := context.Background()
	tests := []struct {
		name  string
		grace time.Duration
		// before prepares the stored session c names; it returns the
		// cookie of a session that must stay as it is ("" for none).
		before func(e *env, c string) string
		// want: the session the cookie then reaches ("" for none) holds
		// the write next to "a" (merged), or only it (new).
		merged, newCookie bool
		// load is the load event the write-only request reports.
		load string
	}{
		{"stored", 5 * time.Second, nil, true, false, "load existing"},
		{"expired", 5 * time.Second, func(e *env, c string) string {
			e.client.Del(bg, e.only())
			return ""
		}, false, true, "load rejected not_found"},
		{"logged out", 5 * time.Second, func(e *env, c string) string {
			e.serve("/", c, func(w http.ResponseWriter, r *http.Request) { session.Get(r).Invalidate() })
			return ""
		}, false, true, "load rejected invalidated"},
		{"renewed, within renew_grace", 5 * time.Second, func(e *env, c string) string {
			return e.cookie(e.serve("/login", c, login("alice")))
		}, false, false, "load existing"},
		{"renewed, renew_grace 0", 0, func(e *env, c string) string {
			return e.cookie(e.serve("/login", c, login("alice")))
		}, false, true, "load rejected renewed"},
		{"past absolute_timeout", 5 * time.Second, func(e *env, c string) string {
			setNow(start.Add(3601 * time.Second))
			return ""
		}, false, true, "load rejected lifetime"},
		{"idle timeout passed, kept without a TTL", 5 * time.Second, func(e *env, c string) string {
			e.client.Persist(bg, e.only())
			setNow(start.Add(1201 * time.Second))
			return ""
		}, false, true, "load rejected expired"},
		{"times in the future", 5 * time.Second, func(e *env, c string) string {
			setNow(start.Add(-time.Hour))
			return ""
		}, false, true, "load rejected future_timestamp"},
		{"garbage record", 5 * time.Second, func(e *env, c string) string {
			e.client.Set(bg, e.only(), "not a record", time.Minute)
			return ""
		}, false, true, "load rejected malformed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := envs[tt.grace]
			e.flush()
			setNow(start)
			c := e.cookie(e.serve("/", "", setKV("a", 1)))
			var other string
			if tt.before != nil {
				other = tt.before(e, c)
			}
			e.rc.take()
			obs.Take()
			resp := e.serve("/", c, setKV("w", "written", "w2", 2))
			if got := e.rc.take(); len(got) == 0 || got[0] != "evalsha" || slices.Contains(got, "pipeline(get,pttl)") {
				t.Errorf("round trips %q: want the writes first, and no load", got)
			}
			want := []string{tt.load, "save ok"}
			events := obs.Take()
			if got := ops(events); !slices.Equal(got, want) {
				t.Errorf("observed %q, want %q", got, want)
			}
			if len(events) > 0 && (events[0].StoreCall || events[0].Duration != 0) {
				t.Errorf("the load claims the save's round trip: StoreCall %v, Duration %v", events[0].StoreCall, events[0].Duration)
			}
			sc := resp.Header.Values("Set-Cookie")
			if tt.newCookie != (len(sc) == 1 && !strings.Contains(sc[0], "Max-Age=0")) || (!tt.newCookie && len(sc) != 0) {
				t.Fatalf("Set-Cookie %q, want a new cookie: %v", sc, tt.newCookie)
			}
			reach := c
			if tt.newCookie {
				reach = e.cookie(resp)
			}
			var keys []string
			e.serve("/", reach, func(w http.ResponseWriter, r *http.Request) { keys = session.Get(r).Keys() })
			slices.Sort(keys)
			switch {
			case tt.merged && !slices.Equal(keys, []string{"a", "w", "w2"}):
				t.Errorf("keys %q, want the writes merged: [a w w2]", keys)
			case tt.newCookie && !slices.Equal(keys, []string{"w", "w2"}):
				t.Errorf("keys %q, want a new session holding only the write", keys)
			}
			if other != "" {
				if v, _ := e.getKey(other, "w"); v != nil {
					t.Error("the write landed in the renewed session through the replaced id")
				}
			}
		})
	}
}

// A write-only Invalidate ends the session (one round trip, tombstone,
// cookie deleted) and takes it out of its user's index; through an id
// RenewID already replaced it ends that id only.
func TestRedisWriteOnlyInvalidate(t *testing.T) {
	e := newEnv(t, redistest.Start(t), envOption{})
	logout := func(w http.ResponseWriter, r *http.Request) { session.Get(r).Invalidate() }

	c := e.device("bob", "phone")
	if n := len(e.index("bob")); n != 1 {
		t.Fatalf("index holds %d sessions, want 1", n)
	}
	resp := e.serve("/logout", c, logout)
	if sc := resp.Header.Values("Set-Cookie"); len(sc) != 1 || !strings.Contains(sc[0], "Max-Age=0") {
		t.Errorf("Set-Cookie %q, want the delete cookie", sc)
	}
	if e.usable(c) {
		t.Error("the session survived a write-only Invalidate")
	}
	if idx := e.index("bob"); len(idx) != 0 {
		t.Errorf("index after logout %q, want empty", idx)
	}
	// A slow request that wrote blindly after the logout cannot bring it back.
	e.serve("/", c, setKV("late", true))
	if v, _ := e.getKey(c, "late"); v != nil {
		t.Error("a write-only request resurrected the logged-out session")
	}

	old := e.cookie(e.serve("/", "", setKV("cart", 1)))
	renewed := e.cookie(e.serve("/login", old, login("carol")))
	e.serve("/logout", old, logout)
	if !e.usable(renewed) {
		t.Error("a logout through the replaced id ended the renewed session")
	}
	if e.usable(old) {
		t.Error("the replaced id still reaches a session")
	}
}

// A write-only Flash appends to the stored queue in the store (one round
// trip), keeping the stored messages' bytes, exactly as a Flash after a
// load would; a read later in the same request sees both.
func TestRedisWriteOnlyFlash(t *testing.T) {
	e := newEnv(t, redistest.Start(t), envOption{})
	e.warm()
	flash := func(msgs ...any) func(w http.ResponseWriter, r *http.Request) {
		return func(w http.ResponseWriter, r *http.Request) {
			for _, m := range msgs {
				if err := session.Get(r).Flash(m, "", true); err != nil {
					panic(err)
				}
			}
		}
	}
	tests := []struct {
		name   string
		stored any // the queue's stored value (nil: none)
		msgs   []any
		want   string // the stored queue afterwards
	}{
		{"no queue", nil, []any{"a"}, `["a"]`},
		{"empty queue", []any{}, []any{"a"}, `["a"]`},
		{"queue", []any{"x", map[string]any{"b": 1, "a": []any{}}}, []any{"a"}, `["x", {"a": [], "b": 1}, "a"]`},
		{"two messages", []any{"x"}, []any{"a", 2.5}, `["x", "a", 2.5]`},
		{"not a list", "oops", []any{"a"}, `["a"]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.flush()
			seed := setKV("k", 1)
			if tt.stored != nil {
				seed = setKV("k", 1, "_f_", tt.stored)
			}
			c := e.cookie(e.serve("/", "", seed))
			key := e.only()
			e.rc.take()
			e.serve("/", c, flash(tt.msgs...))
			if got := e.rc.take(); !slices.Equal(got, []string{"evalsha"}) {
				t.Errorf("round trips %q, want one EVALSHA", got)
			}
			if got := string(e.stored(key).Data["_f_"]); got != tt.want {
				t.Errorf("stored queue %s, want %s", got, tt.want)
			}
			// The same messages flashed after a load give the same bytes.
			e.serve("/", c, setKV("_f_", tt.stored))
			if tt.stored == nil {
				e.serve("/", c, func(w http.ResponseWriter, r *http.Request) { session.Get(r).Delete("_f_") })
			}
			var peek []any
			e.serve("/", c, func(w http.ResponseWriter, r *http.Request) {
				s := session.Get(r)
				s.Get("k")
				flash(tt.msgs...)(w, r)
				peek = s.PeekFlash("")
			})
			if got := string(e.stored(key).Data["_f_"]); got != tt.want {
				t.Errorf("after a load: stored queue %s, want %s", got, tt.want)
			}
			if len(peek) == 0 || peek[len(peek)-1] != tt.msgs[len(tt.msgs)-1] {
				t.Errorf("PeekFlash %v", peek)
			}
		})
	}
	// Flash then read in one request: the read loads and sees the stored
	// messages and the new one, and the save keeps each once.
	e.flush()
	c := e.cookie(e.serve("/", "", setKV("_f_", []any{"x"})))
	var peek []any
	e.serve("/", c, func(w http.ResponseWriter, r *http.Request) {
		s := session.Get(r)
		s.Flash("y", "", true)
		s.Flash("z", "", true)
		peek = s.PeekFlash("")
	})
	if !slices.Equal(peek, []any{"x", "y", "z"}) {
		t.Errorf("PeekFlash after write-only Flash: %v, want [x y z]", peek)
	}
	if got := string(e.stored(e.only()).Data["_f_"]); got != `["x", "y", "z"]` {
		t.Errorf("stored %s", got)
	}
}

// A write-only Set stores exactly the bytes the same Set after a load
// stores, whatever the stored data holds: flat data takes the script's
// plain-search patch, nested objects its full scan.
func TestRedisWriteOnlySameBytes(t *testing.T) {
	e := newEnv(t, redistest.Start(t), envOption{})
	e.warm()
	tests := []struct {
		name  string
		seed  []any
		value any
	}{
		{"new key", []any{"a", 1}, "v"},
		{"existing key, last", []any{"a", 1, "w", "old"}, "v"},
		{"existing key, first", []any{"w", []any{"x", "y"}, "a", 1.5}, []any{"z"}},
		{"lookalike inside strings", []any{"s", `say "w": 1, \"w\": 2`, "w", "old", "t", `x\`}, 3},
		{"nested object", []any{"o", map[string]any{"w": 1}, "w", 2}, map[string]any{"n": true}},
		{"value with a brace", []any{"a", "{"}, "}{"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.flush()
			blind := e.cookie(e.serve("/", "", setKV(tt.seed...)))
			loaded := e.cookie(e.serve("/", "", setKV(tt.seed...)))
			ks := e.keys()
			e.rc.take()
			e.serve("/", blind, setKV("w", tt.value))
			if got := e.rc.take(); !slices.Equal(got, []string{"evalsha"}) {
				t.Errorf("round trips %q, want one EVALSHA", got)
			}
			e.serve("/", loaded, func(w http.ResponseWriter, r *http.Request) {
				s := session.Get(r)
				s.Keys()
				s.Set("w", tt.value)
			})
			var data []string
			for _, k := range ks {
				val, err := e.client.Get(context.Background(), k).Result()
				if err != nil {
					t.Fatal(err)
				}
				_, d, _ := strings.Cut(val, `"data": `)
				data = append(data, d)
			}
			if len(data) != 2 || data[0] != data[1] {
				t.Errorf("stored data differ:\n%s\n%s", data[0], data[1])
			}
		})
	}
}

// Randomised: for sessions of random flat and nested data whose strings
// hold the characters the script's searches key on, a write-only Set or
// Flash stores the same bytes as the same call after a load.
func TestRedisWriteOnlyMatchesLoad(t *testing.T) {
	e := newEnv(t, redistest.Start(t), envOption{})
	e.warm()
	rng := rand.New(rand.NewPCG(1, 2))
	pieces := []string{"a", "k1", `"`, `\`, "{", "}", "[", "]", `": `, ", ", "_sessconf_", "é", " "}
	str := func() string {
		var b strings.Builder
		for range rng.IntN(6) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		return b.String()
	}
	keys := []string{"k1", "k2", "_f_", `q"k`, "k1 "}
	value := func(depth int) any {
		switch rng.IntN(5) {
		case 0:
			return rng.IntN(1000)
		case 1:
			return []any{str(), rng.IntN(9)}
		case 2:
			if depth == 0 {
				return map[string]any{"k1": str(), "k2": []any{str()}}
			}
		}
		return str()
	}
	for i := range 150 {
		var seed []any
		for _, k := range keys {
			if rng.IntN(2) == 0 {
				seed = append(seed, k, value(0))
			}
		}
		if len(seed) == 0 {
			seed = []any{"k2", 1}
		}
		k, v := keys[rng.IntN(len(keys))], value(rng.IntN(2))
		flash := rng.IntN(3) == 0
		write := func(s *session.Session) {
			if flash {
				s.Flash(v, "", true)
			} else {
				s.Set(k, v)
			}
		}
		e.flush()
		blind := e.cookie(e.serve("/", "", setKV(seed...)))
		loaded := e.cookie(e.serve("/", "", setKV(seed...)))
		ks := e.keys()
		e.serve("/", blind, func(w http.ResponseWriter, r *http.Request) { write(session.Get(r)) })
		e.serve("/", loaded, func(w http.ResponseWriter, r *http.Request) {
			s := session.Get(r)
			s.Keys()
			write(s)
		})
		var data []string
		for _, key := range ks {
			val, err := e.client.Get(context.Background(), key).Result()
			if err != nil {
				t.Fatal(err)
			}
			_, d, _ := strings.Cut(val, `"data": `)
			data = append(data, d)
		}
		if data[0] != data[1] {
			t.Fatalf("case %d (seed %q, %q = %#v, flash %v): stored data differ:\n%s\n%s", i, seed, k, v, flash, data[0], data[1])
		}
	}
}
