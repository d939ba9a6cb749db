package session

import (
	"errors"

	"github.com/sessconf/sessconf/internal/engine"
)

// Errors a handler may meet. Check them with errors.Is.
var (
	// ErrNoMiddleware: the request did not pass through
	// Manager.Middleware. Such a session reads as empty, and every write
	// is refused with this error.
	ErrNoMiddleware = errors.New("session: request did not pass through the session middleware")
	// ErrCommitted: the session was already committed with the response
	// headers, so a write would be lost. It is refused instead.
	ErrCommitted = errors.New("session: already committed with the response headers")
	// ErrCSRF: CheckCSRF refused the request (cross-origin, or the token
	// is missing or wrong). Answer 403.
	ErrCSRF = errors.New("session: CSRF check failed")
	// ErrNoKey: GetAs or Pop found no such key.
	ErrNoKey = errors.New("session: no such key")
	// ErrInvalidKey: a key (or flash queue name) is not valid UTF-8,
	// which JSON cannot keep apart from other keys, or is one the session
	// manages itself ("_csrft_", "_sessconf_…"), which only CSRFToken,
	// SetUser and SetMaxAge change.
	ErrInvalidKey = errors.New("session: invalid key")
	// ErrCookieTooLarge: with a cookie backend, the session would no
	// longer fit in a cookie (4064 characters of value). Set, Update,
	// SetDefault and Flash return it and leave the session unchanged; a
	// commit that still finds it too large answers through the error
	// handler.
	ErrCookieTooLarge = engine.ErrCookieTooLarge
	// ErrUnavailable: the session store (Redis) could not be reached or
	// did not answer in time. Err returns it; the default error handler
	// answers 503. A 503 after a write means "unknown", not "not applied":
	// the store may have applied it just before the timeout.
	ErrUnavailable = engine.ErrUnavailable
	// ErrUnsupported: the backend cannot do this (user-session calls on
	// cookie sessions, which no server state can revoke).
	ErrUnsupported = errors.New("session: not supported by this backend")
	// ErrReplaced: the session was read through an id that RenewID
	// replaced moments ago (during renew_grace). Such a request sees the
	// renewed data but never its CSRF token, and its writes are dropped.
	ErrReplaced = errors.New("session: read through an id replaced by RenewID")
	// errResponseReplaced is returned by Write after a failed session
	// commit made the error handler answer in the handler's place.
	errResponseReplaced = errors.New("session: response replaced by the session error handler")
)
