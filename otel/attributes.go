package sessotel

import (
	"context"
	"errors"
	"net"

	"go.opentelemetry.io/otel/attribute"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"

	"github.com/sessconf/sessconf/session"
)

// Attribute keys; the values come from session.Event's fixed vocabularies,
// so every attribute has a small, known set of values.
const (
	backendKey   = attribute.Key("sessconf.session.backend")
	operationKey = attribute.Key("sessconf.session.operation")
	outcomeKey   = attribute.Key("sessconf.session.outcome")
	reasonKey    = attribute.Key("sessconf.session.reason")
)

// Values of session.Event fields that change what is recorded.
const (
	opLoad          = "load"
	opSave          = "save"
	opInvalidate    = "invalidate"
	opRenew         = "renew"
	outcomeError    = "error"
	outcomeRejected = "rejected"
	backendRedis    = "redis"
)

// errorType classifies a failure for error.type. It never uses the
// error's text, which is unbounded.
func errorType(err error) attribute.KeyValue {
	var ne net.Error
	switch {
	case err == nil:
		return semconv.ErrorTypeOther
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return semconv.ErrorTypeKey.String("timeout")
	case errors.Is(err, context.Canceled):
		return semconv.ErrorTypeKey.String("canceled")
	case errors.Is(err, session.ErrCookieTooLarge):
		return semconv.ErrorTypeKey.String("cookie_too_large")
	case errors.Is(err, session.ErrUnavailable):
		return semconv.ErrorTypeKey.String("unavailable")
	}
	return semconv.ErrorTypeOther
}
