// Package engine is the session engine behind the public packages: the
// record a backend loads and saves, the session state, Pyramid's cookie
// payload, the lifetime rules, the cookie writer, and the backends
// themselves (cookie, Redis, memory). Users reach it through factory and
// session; tests in other packages reach it here.
package engine

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/sessconf/sessconf/internal/codec"
)

// Backend loads and saves session records. Implementations are safe for
// concurrent use. The session package calls Load at most once per request,
// at the handler's first touch of its session, and Save at most once,
// before the response headers are sent.
type Backend interface {
	// Load returns the session r presents, or a new one. A missing,
	// tampered, expired or garbage cookie is not an error: it yields a new
	// Record whose Reason says why. An error means the store is unreachable.
	Load(ctx context.Context, r *http.Request, now time.Time) (*Record, error)
	// Save persists rec as the request left it and adds what the response
	// needs (Set-Cookie) to h, the response header not yet sent. It
	// decides from rec's flags whether anything must be written at all.
	Save(ctx context.Context, h http.Header, rec *Record, now time.Time) error
	// Name is the backend's type name ("encrypted", "signed", "redis", "memory").
	Name() string
}

// Deferrer is a Backend that can save a request's writes without loading
// the session first: a request that only writes then costs one round
// trip instead of two.
type Deferrer interface {
	// Defer returns the record for a request whose first use of its
	// session is a write, without a store round trip: an Unloaded record
	// whose State will hold only the request's changes. It returns nil
	// when the request needs Load (no valid cookie, static asset).
	Defer(r *http.Request, now time.Time) *Record
}

// Record is one session as a backend loaded it, plus what the request did
// to it. The session package owns it during a request and serialises access.
type Record struct {
	// ID identifies a server-side session; cookie sessions leave it empty.
	ID string
	// New is true when no stored session state was used. An expired cookie
	// session is not new: Pyramid keeps its created time and clears the state.
	New bool
	// Created is the creation time in Unix seconds (a Python float).
	Created float64
	// Renewed is the access time stored with the session when it was loaded.
	Renewed float64
	// Accessed is written back as the session's access time. It starts as
	// Renewed and becomes the whole second of every tracked access;
	// AccessedInt tells which form it has (Pyramid writes an int after an
	// access, the float Renewed otherwise).
	Accessed    float64
	AccessedInt bool
	// State holds the session data.
	State *State
	// Reason says why a presented cookie was not used; nil otherwise.
	Reason error
	// Fallback is set when a fallback secret opened the cookie; the backend
	// re-issues it under the primary secret.
	Fallback bool
	// Version is the server-side record version, for optimistic saves.
	Version int64
	// MaxAge, when set, overrides the configured cookie max_age (and the
	// Redis TTL) for this session (Session.SetMaxAge).
	MaxAge *time.Duration

	// Modified: the data changed (or Changed was called): persist it.
	Modified bool
	// Reissue: a read came after reissue_time: re-send the cookie or
	// refresh the server-side expiry, without a data change.
	Reissue bool
	// Invalidated: Invalidate was called during the request.
	Invalidated bool
	// RenewID: the session asked for a new id (server-side sessions).
	RenewID bool
	// Ephemeral records are never saved (e.g. static assets).
	Ephemeral bool
	// ReadOnly: read through an id RenewID replaced (Redis renew_grace).
	// Nothing is saved, and the CSRF token is neither shown nor accepted.
	ReadOnly bool
	// Unloaded: made by Deferrer.Defer, not read from the store yet.
	// State holds only this request's changes; Save merges them into the
	// stored session (which checks its lifetime itself), and a read must
	// Load first and replay them (see Replay).
	Unloaded bool
	// Checked: Save has found out, for an Unloaded record, what Load
	// would have: Reason then says why the stored session was not used
	// (the changes went to a new session); nil means they were merged.
	Checked bool
	// Appended: keys of an Unloaded record whose State value is a JSON
	// array of items to append to the stored list (flash messages,
	// AppendPending), not a value replacing it.
	Appended map[string]bool

	// Trips counts the store round trips of the last Load or Save;
	// Size is the length of what the last Save wrote (cookie value or
	// stored record), 0 if nothing. The session package reads them for
	// its observer.
	Trips, Size int

	// Private is what a backend carries from Load to Save (the Redis
	// backend: which key was loaded and how). Other packages leave it alone.
	Private any
}

// NewRecord returns a new, empty session record created at now.
func NewRecord(now time.Time) *Record {
	nowf := UnixSeconds(now)
	return &Record{New: true, Created: nowf, Renewed: nowf, Accessed: nowf, State: NewState()}
}

// Reasons a presented cookie was not used (Record.Reason). They are
// logged and observed, never shown to clients.
var (
	// ErrExpired: the session was idle longer than the timeout.
	ErrExpired = errors.New("session idle timeout passed")
	// ErrLifetime: the session is older than absolute_timeout.
	ErrLifetime = errors.New("session absolute lifetime passed")
	// ErrPayload: the cookie opened, but its payload is not [accessed, created, {state}].
	ErrPayload = errors.New("malformed session payload")
	// ErrFuture: the session's times lie beyond the allowed clock skew.
	ErrFuture = errors.New("session timestamps in the future")
	// ErrOversize: the cookie value is longer than any this backend
	// writes. It also matches codec.ErrDecode.
	ErrOversize = fmt.Errorf("%w: longer than any session cookie", codec.ErrDecode)
)

// CookieTooLargeError reports a cookie value over the browser limit.
type CookieTooLargeError struct {
	Size, Limit int
}

func (e *CookieTooLargeError) Error() string {
	return fmt.Sprintf("session cookie value would be %d characters, over the %d limit", e.Size, e.Limit)
}

// Is makes errors.Is(err, ErrCookieTooLarge) match.
func (e *CookieTooLargeError) Is(target error) bool { return target == ErrCookieTooLarge }

// ErrCookieTooLarge matches every *CookieTooLargeError.
var ErrCookieTooLarge = errors.New("session: cookie too large")

// ErrUnavailable wraps failures to reach a session store.
var ErrUnavailable = errors.New("session: store unavailable")

// UnixSeconds is Python's time.time() for t: Unix seconds as a float.
func UnixSeconds(t time.Time) float64 {
	return float64(t.Unix()) + float64(t.Nanosecond())/1e9
}
