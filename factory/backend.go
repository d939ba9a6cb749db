// Package factory builds the session backend that settings.Options asks
// for: encrypted cookies, signed cookies or Redis. session.New and
// session.FromSettings call it for you; use it directly to build a Redis
// backend around a client of your own (NewRedis) and pass that to
// session.WithBackend.
package factory

import (
	"context"
	"net/http"
	"time"

	"github.com/sessconf/sessconf/internal/engine"
	"github.com/sessconf/sessconf/settings"
)

// Backend loads and saves sessions. Values come from New and NewRedis;
// its methods use the engine's internal record type, so it cannot be
// implemented outside this module. A Backend that holds resources (a
// Redis client New built) also implements io.Closer.
type Backend interface {
	Load(ctx context.Context, r *http.Request, now time.Time) (*engine.Record, error)
	Save(ctx context.Context, h http.Header, rec *engine.Record, now time.Time) error
	Name() string
}

// New validates opts and builds the backend opts.Type names.
func New(opts settings.Options) (Backend, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	return engine.New(opts)
}
