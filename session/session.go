// Package session is what handlers touch: a Pyramid-compatible session
// (dictionary operations on JSON values, flash queues, CSRF tokens, idle
// and absolute timeouts, reissue time) and the net/http middleware that
// loads it lazily and commits it before the response headers go out.
//
// A tour:
//
//   - Build one Manager at start-up: FromSettings reads an INI or YAML
//     file, a settings map, a *viper.Viper or the environment; New takes
//     settings.Options built in code. Options such as WithLogger,
//     WithErrorHandler and WithObserver customise it.
//   - Wrap the handler with Manager.Middleware. It commits the session at
//     the response's first write, never buffering the body.
//   - In a handler, Get returns the request's Session: Get, GetAs, Set,
//     Delete, Pop, flash queues, CSRFToken, RenewID on login, Invalidate
//     on logout, SetMaxAge for "remember me".
//   - CheckCSRF refuses forged unsafe requests: cross-origin ones, then
//     those without the session's token.
//   - Every write returns an error when it cannot take effect:
//     ErrNoMiddleware outside the middleware, ErrCommitted once the
//     response headers are out, ErrCookieTooLarge when a cookie session
//     would no longer fit.
//   - Observer receives an Event for every load and save, for metrics
//     and traces (the otel module adapts it to OpenTelemetry).
//
// Package sessiontest runs handler tests on an in-memory store.
package session

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"reflect"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/sessconf/sessconf/internal/engine"
	"github.com/sessconf/sessconf/internal/pyjson"
)

// Session is one request's session. Nothing is loaded until the first
// method call (with Redis, the first read: a request that only writes
// saves without loading). All methods are safe for concurrent use by the goroutines
// of one request.
//
// Reads and writes are tracked exactly as Pyramid tracks them: a read
// counts as an access (and re-issues the cookie once reissue_time has
// passed since the last issue), a write marks the session changed.
//
// Values are JSON. Get decodes them as Python's json.loads types them:
// integers as int64 (*big.Int beyond int64), other numbers as float64,
// objects as map[string]any, arrays as []any. Written back with Set,
// every scalar keeps Python's exact bytes (42 stays 42, 42.0 stays 42.0),
// and a value written back unchanged keeps its stored bytes, nested
// member order included. A changed object is written with its keys
// sorted (Go maps have no order); to control the bytes of a value, Set a
// json.RawMessage.
type Session struct {
	mu        sync.Mutex
	m         *Manager
	r         *http.Request
	rec       *engine.Record
	err       error // load failure, or ErrNoMiddleware
	accessed  bool  // loaded during this request: send Vary: Cookie
	detached  bool  // no middleware: writes are refused
	committed bool  // the response headers carry the session: writes are refused
	warned    bool  // a refused write was logged for this request
}

// Get returns the session of r. Outside the middleware it returns a
// session that reads as empty, refuses writes with ErrNoMiddleware, and
// whose Err is ErrNoMiddleware.
func Get(r *http.Request) *Session {
	if s, ok := r.Context().Value(ctxKey{}).(*Session); ok {
		return s
	}
	return &Session{m: detachedManager, r: r, err: ErrNoMiddleware, detached: true,
		rec: &engine.Record{New: true, State: engine.NewState(), Ephemeral: true}}
}

type ctxKey struct{}

// detachedManager answers for sessions outside the middleware.
var detachedManager = &Manager{now: time.Now, logger: slog.Default()}

// load fetches the record on first use (and under writes begin
// deferred, replaying them). Callers hold s.mu.
func (s *Session) load() {
	if s.rec != nil && !s.rec.Unloaded {
		return
	}
	s.accessed = true
	pending := s.rec
	s.rec, s.err = s.m.load(s.r)
	if pending != nil && s.err == nil {
		s.rec = engine.Replay(pending, s.rec)
	}
}

// begin readies the record for a write. A backend that can save writes
// without loading (engine.Deferrer: Redis) is not loaded yet, so a
// request that only writes makes one round trip. Callers hold s.mu.
func (s *Session) begin() {
	if s.rec != nil && s.rec.Unloaded {
		return
	}
	if d, ok := s.m.backend.(engine.Deferrer); ok && s.rec == nil {
		if s.rec = d.Defer(s.r, s.m.now()); s.rec != nil {
			s.accessed = true
			return
		}
	}
	s.load()
}

// writable reports why a write cannot take effect, and logs the first
// refusal of the request. Callers hold s.mu.
func (s *Session) writable(op string) error {
	var err error
	switch {
	case s.detached:
		err = ErrNoMiddleware
	case s.committed:
		err = ErrCommitted
	default:
		return nil
	}
	if !s.warned {
		s.warned = true
		ctx := context.Background()
		if s.r != nil {
			ctx = s.r.Context()
		}
		s.m.logger.WarnContext(ctx, "session write refused", "op", op, "err", err)
	}
	return fmt.Errorf("session: %s: %w", op, err)
}

// access is Pyramid's manage_accessed: the whole second of now becomes the
// access time, and the session is re-issued once reissue_time has passed.
func (s *Session) access() {
	s.load()
	now := float64(s.m.now().Unix())
	s.rec.Accessed, s.rec.AccessedInt = now, true
	if s.m.lifetime.Reissues(now, s.rec.Renewed) {
		s.rec.Reissue = true
	}
}

// change is Pyramid's manage_changed: it records the access and marks the
// session changed, even if the operation then finds nothing to do.
func (s *Session) change() {
	s.load()
	s.mark()
}

// mark is change without the load, for writes after begin.
func (s *Session) mark() {
	s.rec.Accessed, s.rec.AccessedInt = float64(s.m.now().Unix()), true
	s.rec.Modified = true
}

// set stores raw under key after checking that the session still fits:
// the common part of every write that adds data. Callers hold s.mu and
// have called writable.
func (s *Session) set(key string, raw json.RawMessage) error {
	s.begin()
	raw = s.keepStoredBytes(key, raw)
	if err := s.fits(key, raw); err != nil {
		return err
	}
	s.rec.State.Set(key, raw)
	return nil
}

// fits records the write of raw under key (an access and a change) if
// the session would still fit afterwards, and reports why not otherwise,
// changing nothing. It never keeps raw. Callers have called begin.
func (s *Session) fits(key string, raw []byte) error {
	accessed, accessedInt, modified := s.rec.Accessed, s.rec.AccessedInt, s.rec.Modified
	s.mark()
	if f, ok := s.m.backend.(fitter); ok {
		if err := f.Fits(s.rec, s.rec.State.LenWith(key, raw)); err != nil {
			s.rec.Accessed, s.rec.AccessedInt, s.rec.Modified = accessed, accessedInt, modified
			return fmt.Errorf("session: value of %q: %w", key, err)
		}
	}
	return nil
}

// keepStoredBytes returns the stored bytes of key when raw encodes the
// same value (same types, objects equal whatever their member order), so
// a nested object read with Get and written back unchanged keeps its
// member order byte for byte, as Python wrote it. Callers hold s.mu.
func (s *Session) keepStoredBytes(key string, raw json.RawMessage) json.RawMessage {
	old, ok := s.rec.State.Get(key)
	if !ok || len(raw) == 0 || (raw[0] != '{' && raw[0] != '[') || bytes.Equal(old, raw) {
		return raw
	}
	if reflect.DeepEqual(decode(old), decode(raw)) {
		return old
	}
	return raw
}

// fitter is implemented by backends whose session travels in the cookie.
type fitter interface {
	Fits(rec *engine.Record, stateLen int) error
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

// ID returns the id of a Redis session loaded from the store. It is ""
// for cookie sessions (the cookie is the session: there is no id), for a
// session not stored yet, and for a session read through an id that
// RenewID replaced. The id is a credential: never log it or show it.
func (s *Session) ID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.load()
	return s.rec.ID
}

// Get returns the value of key, decoded as the Session doc describes.
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

// GetAs decodes the value of key into a T (with encoding/json; for T =
// any, as Get decodes). A missing key gives ErrNoKey; a value that does
// not fit T gives the JSON decoding error.
func GetAs[T any](s *Session, key string) (T, error) {
	var v T
	s.mu.Lock()
	s.access()
	raw, ok := s.rec.State.Get(key)
	s.mu.Unlock()
	if !ok {
		return v, fmt.Errorf("%w: %q", ErrNoKey, key)
	}
	if p, isAny := any(&v).(*any); isAny {
		*p = decode(raw)
		return v, nil
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
// not). On any error nothing changes.
func (s *Session) Set(key string, value any) error {
	// Scalars are encoded on the stack and copied into the session's own
	// memory; other values get their own encoding.
	var buf [64]byte
	scalar, isScalar := pyjson.AppendScalar(buf[:0], value)
	var raw json.RawMessage
	if isScalar {
		if err := checkKey(key); err != nil {
			return err
		}
	} else {
		var err error
		if raw, err = encode(key, value); err != nil {
			return err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.writable("Set"); err != nil {
		return err
	}
	if isScalar {
		s.begin()
		if err := s.fits(key, scalar); err != nil {
			return err
		}
		s.rec.State.SetCopy(key, scalar)
		return nil
	}
	return s.set(key, raw)
}

// Delete removes key; a missing key is not an error. It marks the
// session changed either way, as Pyramid does.
func (s *Session) Delete(key string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.writable("Delete"); err != nil {
		return err
	}
	s.change()
	s.rec.State.Delete(key)
	return nil
}

// Pop removes key and returns its value, or ErrNoKey. It marks the
// session changed even when the key is missing.
func (s *Session) Pop(key string) (any, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.writable("Pop"); err != nil {
		return nil, err
	}
	s.change()
	raw, ok := s.rec.State.Get(key)
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrNoKey, key)
	}
	s.rec.State.Delete(key)
	return decode(raw), nil
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
	if err := s.writable("SetDefault"); err != nil {
		return nil, err
	}
	s.change()
	if old, ok := s.rec.State.Get(key); ok {
		return decode(old), nil
	}
	if err := s.set(key, raw); err != nil {
		return nil, err
	}
	return decode(raw), nil
}

// Update sets every key of values (in sorted key order). Either all
// values encode, fit and are stored, or nothing changes.
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
	if err := s.writable("Update"); err != nil {
		return err
	}
	s.load()
	for i, k := range keys {
		raws[i] = s.keepStoredBytes(k, raws[i])
	}
	if f, ok := s.m.backend.(fitter); ok {
		trial := s.rec.State.Clone()
		for i, k := range keys {
			trial.Set(k, raws[i])
		}
		saved := *s.rec
		s.change()
		if err := f.Fits(s.rec, trial.EncodedLen()); err != nil {
			s.rec.Accessed, s.rec.AccessedInt, s.rec.Modified = saved.Accessed, saved.AccessedInt, saved.Modified
			return fmt.Errorf("session: Update: %w", err)
		}
	}
	s.change()
	for i, k := range keys {
		s.rec.State.Set(k, raws[i])
	}
	return nil
}

// Clear removes every key.
func (s *Session) Clear() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.writable("Clear"); err != nil {
		return err
	}
	s.change()
	s.rec.State.Clear()
	return nil
}

// Changed marks the session changed without counting as an access, for
// when a value was modified in place. Pyramid's changed().
func (s *Session) Changed() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.writable("Changed"); err != nil {
		return err
	}
	s.load()
	s.rec.Modified = true
	return nil
}

// Invalidate removes all data. Cookie sessions then behave as Pyramid's:
// the cookie is re-issued with empty data and the same creation time, and
// later writes in the request go into it. A Redis session deletes its
// record and expires the cookie; later writes start a new session with a
// new id. A copied cookie stays valid until its timeout with cookie
// backends; see the README on replay.
func (s *Session) Invalidate() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.writable("Invalidate"); err != nil {
		return err
	}
	s.begin()
	s.mark()
	s.rec.State.Clear()
	s.rec.Invalidated = true
	return nil
}

// RenewID gives a Redis session a new id, keeping its data, and rotates
// the CSRF token. Call it on login, against session fixation. For cookie
// sessions it rotates the CSRF token and re-issues the cookie.
func (s *Session) RenewID() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.writable("RenewID"); err != nil {
		return err
	}
	s.newCSRFToken()
	s.rec.RenewID = true
	return nil
}

// SetMaxAge gives this session its own lifetime d ("remember me"): its
// cookie gets Max-Age d instead of the configured max_age, and its idle
// timeout (the Redis TTL too) becomes d when that is longer than the
// configured timeout. absolute_timeout still applies. d is capped at 400
// days; 0 returns the session to the configured lifetime. The lifetime
// is stored in the session under the key "_sessconf_max_age".
func (s *Session) SetMaxAge(d time.Duration) error {
	if d < 0 {
		return fmt.Errorf("session: SetMaxAge: negative duration %v", d)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.writable("SetMaxAge"); err != nil {
		return err
	}
	s.change()
	engine.SetSessionMaxAge(s.rec.State, d)
	s.rec.Reissue = true // re-send the cookie with its new Max-Age
	return nil
}

// encode checks key and encodes value as Python's json.dumps would.
func encode(key string, value any) (json.RawMessage, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	raw, err := pyjson.Marshal(value)
	if err != nil {
		return nil, fmt.Errorf("session: value of %q: %w", key, err)
	}
	return raw, nil
}

// checkKey refuses keys JSON cannot keep apart (invalid UTF-8) and the
// keys the session manages itself: the CSRF token and the "_sessconf_"
// keys (user binding, own lifetime). An application that copies
// client-supplied names into the session could otherwise unbind a
// session from its user, stretch its lifetime or set its CSRF token.
func checkKey(key string) error {
	switch {
	case !utf8.ValidString(key):
		return fmt.Errorf("%w: %q is not valid UTF-8", ErrInvalidKey, key)
	case key == csrfKey || strings.HasPrefix(key, engine.ReservedPrefix):
		return fmt.Errorf("%w: %q is managed by the session (CSRFToken, SetUser, SetMaxAge)", ErrInvalidKey, key)
	}
	return nil
}

// decode decodes a stored value, which was validated when loaded or
// encoded when set.
func decode(raw json.RawMessage) any {
	v, err := pyjson.Decode(raw)
	if err != nil {
		return nil
	}
	return v
}

func fromSeconds(f float64) time.Time {
	sec := int64(f)
	return time.Unix(sec, int64((f-float64(sec))*1e9))
}
