// Package session is what handlers touch: a Pyramid-compatible session
// (dictionary operations on JSON values, flash queues, CSRF tokens, idle
// and absolute timeouts, reissue time) and the net/http middleware that
// loads it lazily and commits it before the response headers go out.
package session

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sort"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/sessconf/sessconf/factory"
	"github.com/sessconf/sessconf/internal/pyjson"
	"github.com/sessconf/sessconf/settings"
)

// ErrNoMiddleware is what Err reports for a session taken from a request
// that did not pass through Manager.Middleware. Such a session works in
// memory but is never saved.
var ErrNoMiddleware = errors.New("session: request did not pass through the session middleware")

// ErrNoKey is returned by GetAs for a missing key.
var ErrNoKey = errors.New("session: no such key")

// ErrInvalidKey is returned when a key (or flash queue name) is not valid
// UTF-8: JSON cannot keep it apart from other keys.
var ErrInvalidKey = errors.New("session: key is not valid UTF-8")

// encode checks key and encodes value as Python's json.dumps would.
func encode(key string, value any) (json.RawMessage, error) {
	if !utf8.ValidString(key) {
		return nil, fmt.Errorf("%w: %q", ErrInvalidKey, key)
	}
	raw, err := pyjson.Marshal(value)
	if err != nil {
		return nil, fmt.Errorf("session: value of %q: %w", key, err)
	}
	return raw, nil
}

// Session is one request's session. Nothing is loaded until the first
// method call. All methods are safe for concurrent use by the goroutines
// of one request.
//
// Reads and writes are tracked exactly as Pyramid tracks them: a read
// counts as an access (and re-issues the cookie once reissue_time has
// passed since the last issue), a write marks the session changed.
type Session struct {
	mu       sync.Mutex
	m        *Manager
	r        *http.Request
	rec      *factory.Record
	err      error // load failure, or ErrNoMiddleware
	accessed bool  // loaded during this request: send Vary: Cookie
}

// Get returns the session of r. Outside the middleware it returns a
// session whose Err is ErrNoMiddleware.
func Get(r *http.Request) *Session {
	if s, ok := FromContext(r.Context()); ok {
		return s
	}
	return detached()
}

// FromContext returns the session stored in ctx by the middleware.
func FromContext(ctx context.Context) (*Session, bool) {
	s, ok := ctx.Value(ctxKey{}).(*Session)
	return s, ok
}

type ctxKey struct{}

// detachedManager serves sessions outside the middleware: in memory only.
var detachedManager = &Manager{opts: settings.Default(), now: time.Now, logger: slog.Default()}

func detached() *Session {
	return &Session{m: detachedManager, err: ErrNoMiddleware, rec: &factory.Record{New: true, State: factory.NewState(), Ephemeral: true}}
}

// load fetches the record on first use. Callers hold s.mu.
func (s *Session) load() {
	if s.rec != nil {
		return
	}
	s.accessed = true
	rec, err := s.m.backend.Load(s.r.Context(), s.r, s.m.now())
	if err != nil {
		s.err = err
		s.m.logger.Warn("session store unavailable", "err", err)
		nowf := factory.UnixSeconds(s.m.now())
		rec = &factory.Record{New: true, Created: nowf, Renewed: nowf, Accessed: nowf, State: factory.NewState(), Ephemeral: true}
	}
	if rec.Reason != nil {
		s.m.logger.Debug("session cookie not used", "reason", rec.Reason.Error())
	}
	s.rec = rec
}

// access is Pyramid's manage_accessed: the whole second of now becomes the
// access time, and the session is re-issued once reissue_time has passed.
func (s *Session) access() {
	s.load()
	now := float64(s.m.now().Unix())
	s.rec.Accessed, s.rec.AccessedInt = now, true
	if rt := s.m.opts.ReissueTime; !rt.None && now-s.rec.Renewed > float64(rt.Seconds()) {
		s.rec.Reissue = true
	}
}

// change is Pyramid's manage_changed: it records the access and marks the
// session changed, even if the operation then finds nothing to do.
func (s *Session) change() {
	s.load()
	s.rec.Accessed, s.rec.AccessedInt = float64(s.m.now().Unix()), true
	s.rec.Modified = true
}

// Err reports why the session could not be loaded (the store is down, or
// the request bypassed the middleware). It is nil for a working session.
// The first call loads the session.
func (s *Session) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.load()
	return s.err
}

// IsNew reports whether no stored session was found. A session whose
// idle timeout passed is not new: its data is gone but its creation time
// is kept, as in Pyramid.
func (s *Session) IsNew() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.load()
	return s.rec.New
}

// Created returns when the session was created.
func (s *Session) Created() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.load()
	return fromSeconds(s.rec.Created)
}

// Get returns the value of key decoded from JSON (numbers as float64,
// objects as map[string]any). Use GetAs for a typed value.
func (s *Session) Get(key string) (any, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.access()
	raw, ok := s.rec.State.Get(key)
	if !ok {
		return nil, false
	}
	return decode(raw), true
}

// GetAs decodes the value of key into a T. A missing key gives ErrNoKey;
// a value that does not fit T gives the JSON decoding error.
func GetAs[T any](s *Session, key string) (T, error) {
	var v T
	s.mu.Lock()
	s.access()
	raw, ok := s.rec.State.Get(key)
	s.mu.Unlock()
	if !ok {
		return v, fmt.Errorf("%w: %q", ErrNoKey, key)
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return v, fmt.Errorf("session: value of %q: %w", key, err)
	}
	return v, nil
}

// Has reports whether key is set.
func (s *Session) Has(key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.access()
	_, ok := s.rec.State.Get(key)
	return ok
}

// Keys returns the keys in insertion order.
func (s *Session) Keys() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.access()
	return s.rec.State.Keys()
}

// Len returns the number of keys.
func (s *Session) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.access()
	return s.rec.State.Len()
}

// Set stores value, which must encode as JSON (NaN and infinities do
// not). On an encoding error nothing changes.
func (s *Session) Set(key string, value any) error {
	raw, err := encode(key, value)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.change()
	s.rec.State.Set(key, raw)
	return nil
}

// Delete removes key and reports whether it was there. It marks the
// session changed either way, as Pyramid does.
func (s *Session) Delete(key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.change()
	return s.rec.State.Delete(key)
}

// Pop removes key and returns its value. It marks the session changed
// even when the key is missing.
func (s *Session) Pop(key string) (any, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.change()
	raw, ok := s.rec.State.Get(key)
	if !ok {
		return nil, false
	}
	s.rec.State.Delete(key)
	return decode(raw), true
}

// SetDefault returns the value of key, storing value first if key is
// missing. It marks the session changed either way.
func (s *Session) SetDefault(key string, value any) (any, error) {
	raw, err := encode(key, value)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.change()
	if old, ok := s.rec.State.Get(key); ok {
		return decode(old), nil
	}
	s.rec.State.Set(key, raw)
	return value, nil
}

// Update sets every key of values (in sorted key order). Either all
// values encode and are stored, or nothing changes.
func (s *Session) Update(values map[string]any) error {
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	raws := make([]json.RawMessage, len(keys))
	for i, k := range keys {
		raw, err := encode(k, values[k])
		if err != nil {
			return err
		}
		raws[i] = raw
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.change()
	for i, k := range keys {
		s.rec.State.Set(k, raws[i])
	}
	return nil
}

// Clear removes every key.
func (s *Session) Clear() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.change()
	s.rec.State.Clear()
}

// Changed marks the session changed without counting as an access, for
// when a value was modified in place. Pyramid's changed().
func (s *Session) Changed() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.load()
	s.rec.Modified = true
}

// Invalidate removes all data. Cookie sessions then behave as Pyramid's:
// the cookie is re-issued with empty data and the same creation time, and
// later writes in the request go into it. A server-side session deletes
// its record and expires the cookie; later writes start a new session with
// a new id. A copied cookie stays valid until its timeout with cookie
// backends; see the README on replay.
func (s *Session) Invalidate() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.change()
	s.rec.State.Clear()
	s.rec.Invalidated = true
}

// RenewID gives a server-side session a new id, keeping its data, and
// rotates the CSRF token. Call it on login, against session fixation.
// For cookie sessions it rotates the CSRF token and re-issues the cookie.
func (s *Session) RenewID() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.newCSRFToken()
	s.rec.RenewID = true
}

func decode(raw json.RawMessage) any {
	if v, ok := decodeScalar(raw); ok {
		return v
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		// Values are validated when loaded or set; this cannot happen.
		return nil
	}
	return v
}

// decodeScalar decodes the common scalar values (strings without escapes,
// numbers, true, false, null) exactly as json.Unmarshal into an any would,
// without its reflection and allocations. ok is false for anything else.
// raw is valid JSON: it was validated when loaded or encoded when set.
func decodeScalar(raw []byte) (v any, ok bool) {
	if len(raw) == 0 {
		return nil, false
	}
	switch c := raw[0]; {
	case c == '"':
		if len(raw) < 2 {
			return nil, false
		}
		body := raw[1 : len(raw)-1]
		if bytes.IndexByte(body, '\\') >= 0 || !utf8.Valid(body) {
			return nil, false
		}
		return string(body), true
	case c == '-' || ('0' <= c && c <= '9'):
		f, err := strconv.ParseFloat(string(raw), 64)
		if err != nil {
			return nil, false
		}
		return f, true
	case string(raw) == "true":
		return true, true
	case string(raw) == "false":
		return false, true
	case string(raw) == "null":
		return nil, true
	}
	return nil, false
}

func fromSeconds(f float64) time.Time {
	sec := int64(f)
	return time.Unix(sec, int64((f-float64(sec))*1e9))
}
