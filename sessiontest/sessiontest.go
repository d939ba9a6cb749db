// Package sessiontest runs handler tests with real sessions and no
// secret, file or server to set up: a session.Manager on an in-memory
// store, a way to hand a request a prepared session, and a way to read
// what the handler left in it.
//
//	st := sessiontest.New(t)
//	h := st.Middleware(myHandler)
//	r := st.WithSession(t, httptest.NewRequest("GET", "/account", nil), map[string]any{"user": "alice"})
//	w := httptest.NewRecorder()
//	h.ServeHTTP(w, r)
//	data := st.Data(r, w.Result()) // the session the client holds now
package sessiontest

import (
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/sessconf/sessconf/internal/engine"
	"github.com/sessconf/sessconf/internal/pyjson"
	"github.com/sessconf/sessconf/session"
	"github.com/sessconf/sessconf/settings"
)

// Store is a session.Manager on an in-memory store. Its sessions follow
// the default settings (idle timeout, cookie attributes), with a Redis-like
// cookie that holds only an id.
type Store struct {
	*session.Manager
	mem  *engine.Memory
	name string
	now  func() time.Time
}

// New returns an empty Store. options customise the manager as they
// would in production (session.WithLogger, session.WithObserver…); to
// move time, use SetClock (a session.WithClock option is overridden, as
// the store and the manager must share one clock).
func New(t testing.TB, options ...session.Option) *Store {
	t.Helper()
	opts := settings.Default()
	mem := engine.NewMemory(opts)
	st := &Store{mem: mem, name: opts.CookieName, now: time.Now}
	clock := session.WithClock(func() time.Time { return st.now() })
	// The store's clock comes last: SetClock, not WithClock, moves time.
	m, err := session.New(withTestSecret(opts), append(options, clock, session.WithBackend(mem))...)
	if err != nil {
		t.Fatalf("sessiontest: %v", err)
	}
	st.Manager = m
	t.Cleanup(func() { m.Close() })
	return st
}

// withTestSecret fills the secret the options validation asks for; the
// in-memory store never uses it.
func withTestSecret(o settings.Options) settings.Options {
	o.Secret = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	return o
}

// SetClock makes the store and its manager read time from now, for
// tests of timeouts.
func (st *Store) SetClock(now func() time.Time) { st.now = now }

// WithSession stores a session holding values and returns a copy of r
// that presents its cookie, as a browser that had visited would. Values
// must encode as JSON; the test fails otherwise.
func (st *Store) WithSession(t testing.TB, r *http.Request, values map[string]any) *http.Request {
	t.Helper()
	state := engine.NewState()
	for _, k := range sortedKeys(values) {
		raw, err := pyjson.Marshal(values[k])
		if err != nil {
			t.Fatalf("sessiontest: value of %q: %v", k, err)
		}
		state.Set(k, raw)
	}
	id := st.mem.Put(state, st.now())
	r = r.Clone(r.Context())
	r.AddCookie(&http.Cookie{Name: st.name, Value: id})
	return r
}

// Data returns the data of the session the client holds after resp, the
// response to r: the one resp's cookie names, else the one r presented.
// It is nil when the client holds no live session.
func (st *Store) Data(r *http.Request, resp *http.Response) map[string]any {
	id := ""
	if c, err := r.Cookie(st.name); err == nil {
		id = c.Value
	}
	for _, c := range resp.Cookies() {
		if c.Name == st.name {
			id = c.Value
			if c.MaxAge < 0 {
				id = ""
			}
		}
	}
	state, ok := st.mem.State(id, st.now())
	if !ok {
		return nil
	}
	out := make(map[string]any, state.Len())
	for _, k := range state.Keys() {
		raw, _ := state.Get(k)
		v, err := pyjson.Decode(raw)
		if err == nil {
			out[k] = v
		}
	}
	return out
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
