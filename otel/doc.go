// Package sessotel records sessconf's session events as OpenTelemetry
// metrics and spans. New returns a session.Observer; pass it to the
// manager with session.WithObserver.
//
// Metrics (instrumentation scope ScopeName):
//
//	sessconf.session.loads          counter   {load}          backend, outcome, reason, error.type
//	sessconf.session.saves          counter   {save}          backend, outcome, error.type
//	sessconf.session.invalidations  counter   {invalidation}  backend, outcome, error.type
//	sessconf.session.renewals       counter   {renewal}       backend, outcome, error.type
//	sessconf.session.store.errors   counter   {error}         backend, operation, error.type
//	sessconf.session.store.duration histogram s               backend, operation, outcome, error.type
//	sessconf.session.size           histogram By              backend
//
// The attribute keys are sessconf.session.backend ("encrypted", "signed",
// "redis", "memory"), sessconf.session.operation ("load", "save",
// "invalidate", "renew"), sessconf.session.outcome ("new", "existing",
// "rejected", "ok", "error"), sessconf.session.reason (why a cookie was
// rejected, only on rejected loads) and error.type (on errors:
// "unavailable", "timeout", "canceled", "cookie_too_large" or "_OTHER";
// never the error's text). store.errors, store.duration and the spans
// cover only round trips to a store (Redis); size is the cookie value or
// stored record written by a successful save.
//
// Every store round trip also becomes a client span named
// "sessconf.<backend> <operation>" (for example "sessconf.redis load"),
// a child of the span in the request's context, with db.system.name
// "redis" for Redis and status Error with the error recorded on failure.
//
// No attribute carries a secret, a CSRF token, a cookie value or a
// session id: the events hold none.
package sessotel
