package engine

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"sync"
	"time"

	"github.com/sessconf/sessconf/settings"
)

// Memory keeps sessions in this process, for handler tests and
// development: the cookie holds a random id, as with Redis, and the data
// stays in a map. It follows the same lifetime rules as every backend,
// but nothing survives a restart and nothing is shared between
// processes.
type Memory struct {
	mu       sync.Mutex
	sessions map[string]*memRecord
	cookie   *CookieWriter
	lifetime Lifetime
	maxAge   settings.Duration
}

type memRecord struct {
	created, accessed float64
	state             *State
}

// NewMemory returns an empty in-memory backend for opts (only its
// cookie and lifetime fields are used).
func NewMemory(opts settings.Options) *Memory {
	return &Memory{sessions: map[string]*memRecord{}, cookie: NewCookieWriter(opts), lifetime: LifetimeOf(opts), maxAge: opts.MaxAge}
}

// Name is "memory".
func (m *Memory) Name() string { return "memory" }

// Load returns the session the cookie names, or a new one.
func (m *Memory) Load(_ context.Context, r *http.Request, now time.Time) (*Record, error) {
	rec := NewRecord(now)
	id, ok := LastCookie(r, m.cookie.Name())
	if !ok {
		return rec, nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	stored, ok := m.sessions[id]
	if !ok {
		rec.Reason = ErrNotFound
		return rec, nil
	}
	if err := m.lifetime.Check(stored.created, stored.accessed, rec.Created, stored.state); err != nil {
		delete(m.sessions, id)
		rec.Reason = err
		return rec, nil
	}
	rec.New, rec.ID, rec.Created, rec.Renewed, rec.Accessed = false, id, stored.created, stored.accessed, stored.accessed
	rec.State = stored.state.Clone()
	return rec, nil
}

// Save stores what the request did: the same rules as the Redis backend
// without its concurrency machinery (a single map under a lock).
func (m *Memory) Save(_ context.Context, h http.Header, rec *Record, now time.Time) error {
	if rec.Ephemeral || !(rec.Modified || rec.Reissue || rec.Invalidated || rec.RenewID) {
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	id := rec.ID
	if rec.Invalidated || rec.RenewID {
		delete(m.sessions, id)
		id = ""
	}
	if rec.State.Len() == 0 {
		if id != "" {
			delete(m.sessions, id)
		}
		if rec.ID != "" {
			m.cookie.Delete(h)
		}
		return nil
	}
	created := rec.Created
	if rec.Invalidated {
		created = UnixSeconds(now)
	}
	own, hasOwn := SessionMaxAge(rec.State)
	switch {
	case id == "":
		id = newMemoryID()
		m.cookie.Set(h, id, now, own)
	case rec.Reissue && (hasOwn || !m.maxAge.None):
		m.cookie.Set(h, id, now, own) // slide Max-Age, as the Redis backend does
	}
	m.sessions[id] = &memRecord{created: created, accessed: UnixSeconds(now), state: rec.State.Clone()}
	rec.Size = rec.State.EncodedLen()
	m.sweep(UnixSeconds(now))
	return nil
}

// sweep drops a few expired sessions, so a long-running development
// server does not keep every session it ever made. Go's map iteration
// order is random, so over many saves every entry is visited.
func (m *Memory) sweep(now float64) {
	n := 0
	for id, s := range m.sessions {
		if n++; n > 8 {
			return
		}
		if m.lifetime.Check(s.created, s.accessed, now, s.state) != nil {
			delete(m.sessions, id)
		}
	}
}

// Put stores a session holding st and returns its cookie value, as if a
// request had created it at now.
func (m *Memory) Put(st *State, now time.Time) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	id := newMemoryID()
	m.sessions[id] = &memRecord{created: UnixSeconds(now), accessed: UnixSeconds(now), state: st.Clone()}
	return id
}

// State returns a copy of the data of the session whose cookie value is
// id, if it is still live at now.
func (m *Memory) State(id string, now time.Time) (*State, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	stored, ok := m.sessions[id]
	if !ok || m.lifetime.Check(stored.created, stored.accessed, UnixSeconds(now), stored.state) != nil {
		return nil, false
	}
	return stored.state.Clone(), true
}

func newMemoryID() string {
	var b [32]byte
	_, _ = rand.Read(b[:]) // never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b[:])
}
