// Package factory builds the session backend that settings.Options asks
// for: encrypted cookies, signed cookies or Redis. Each backend lives in
// one file and registers itself by its settings type name.
package factory

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"time"

	"github.com/sessconf/sessconf/settings"
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

	// Private is what a backend carries from Load to Save (the Redis
	// backend: which key was loaded and how). Other packages leave it alone.
	Private any
}

// Load problems that make a presented cookie unusable. They end up in
// Record.Reason and are logged at debug level, never shown to clients.
var (
	// ErrExpired: the session was idle longer than the timeout.
	ErrExpired = errors.New("session idle timeout passed")
	// ErrLifetime: the session is older than absolute_timeout.
	ErrLifetime = errors.New("session absolute lifetime passed")
	// ErrPayload: the cookie opened, but its payload is not [accessed, created, {state}].
	ErrPayload = errors.New("malformed session payload")
)

// CookieTooLargeError reports a cookie value over the browser limit. Save
// returns it before any header is written.
type CookieTooLargeError struct {
	Size, Limit int
}

func (e *CookieTooLargeError) Error() string {
	return fmt.Sprintf("session cookie value is %d characters, over the %d limit", e.Size, e.Limit)
}

// Is makes errors.Is(err, ErrCookieTooLarge) match.
func (e *CookieTooLargeError) Is(target error) bool { return target == ErrCookieTooLarge }

// ErrCookieTooLarge matches every *CookieTooLargeError.
var ErrCookieTooLarge = errors.New("session cookie too large")

// ErrUnavailable wraps failures to reach a session store; the default
// error handler answers them with 503.
var ErrUnavailable = errors.New("session store unavailable")

// ErrUnknownType is returned by New for an Options.Type no backend registered.
var ErrUnknownType = errors.New("unknown session type")

// Constructor builds a backend from validated options.
type Constructor func(opts settings.Options) (Backend, error)

var registry = map[string]Constructor{}

// register adds a backend constructor; each backend file calls it from init.
func register(typ string, c Constructor) { registry[typ] = c }

// Types lists the registered backend type names.
func Types() []string {
	out := make([]string, 0, len(registry))
	for t := range registry {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// New builds the backend opts.Type names.
func New(opts settings.Options) (Backend, error) {
	c, ok := registry[opts.Type]
	if !ok {
		return nil, fmt.Errorf("%w %q (have %v)", ErrUnknownType, opts.Type, Types())
	}
	return c(opts)
}
