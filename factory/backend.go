// Package factory builds the session backend that settings.Options asks
// for: encrypted cookies, signed cookies or Redis. session.New and
// session.FromSettings call it for you; use it directly to build a Redis
// backend around a client of your own (NewRedis) and pass that to
// session.WithBackend.
package factory

import (
	"github.com/sessconf/sessconf/internal/engine"
	"github.com/sessconf/sessconf/settings"
)

// Backend is a built session store, to pass to session.WithBackend. Only
// New and NewRedis make them: a value of another type is refused by
// session.New. Name is the backend's type name ("encrypted", "signed",
// "redis"). A Backend that holds resources (a Redis client New built)
// is released by the manager's Close.
type Backend interface {
	Name() string
}

// New validates opts and builds the backend opts.Type names.
func New(opts settings.Options) (Backend, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	return engine.New(opts)
}
