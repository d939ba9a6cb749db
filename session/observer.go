package session

import (
	"context"
	"time"
)

// Observer is told what the session machinery did, for metrics, traces
// and audit logs. Observe runs synchronously on the request's goroutine,
// so it must be fast and must not block; it must not call the session.
// Events never carry a secret, a CSRF token or a session id.
//
// The OpenTelemetry adapter in the module github.com/sessconf/sessconf/otel
// implements it.
type Observer interface {
	Observe(ctx context.Context, e Event)
}

// Event is one operation on a session or its store.
type Event struct {
	// Op is what happened: "load" (the handler first touched its
	// session), "save" (the session was committed), "invalidate" or
	// "renew" (Invalidate or RenewID took effect at commit). A Redis
	// request that only writes (Set, Flash) is not loaded first: the
	// save checks the stored session in the same round trip, and its
	// "load" is reported at commit, just before the "save", with a zero
	// Duration and StoreCall false (the round trip is the save's). No
	// "load" is reported for such a request when it ends with
	// Invalidate (only the "invalidate" is), when its save fails (the
	// "save" carries the error), or when nothing is saved (see
	// Manager.Middleware on error responses).
	Op string
	// Outcome is, for "load": "new" (no usable cookie was presented),
	// "existing", "rejected" (a cookie was presented but not used; see
	// Reason) or "error" (the store could not be reached; see Err). For
	// the other operations: "ok" or "error".
	Outcome string
	// Reason says why a presented cookie was rejected: "bad_encoding"
	// (not strict base64, wrong length or shape), "oversize" (longer than
	// a session cookie can be), "bad_signature" (HMAC or secretbox tag
	// did not verify under any secret), "malformed" (opened, but the
	// payload is not a session), "expired" (idle timeout passed),
	// "lifetime" (absolute_timeout passed), "future_timestamp" (its times
	// lie beyond the allowed clock skew), "not_found" (Redis: no record),
	// "invalidated" (Redis: logged out) or "renewed" (Redis: the id was
	// replaced by RenewID). Empty otherwise.
	Reason string
	// Backend is "encrypted", "signed", "redis" or "memory".
	Backend string
	// Start is when the operation began; Duration how long it took.
	Start    time.Time
	Duration time.Duration
	// StoreCall reports whether the operation talked to a store over the
	// network (Redis round trips). Cookie backends never do.
	StoreCall bool
	// Size is, for a successful "save" that wrote something, the length
	// in bytes of the cookie value (cookie backends) or of the stored
	// record (Redis). 0 otherwise.
	Size int
	// Err is the store failure for Outcome "error".
	Err error
}

// WithObserver sends every Event to o (see Observer). The default sends
// none.
func WithObserver(o Observer) Option { return func(m *Manager) { m.observer = o } }
