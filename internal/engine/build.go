package engine

import (
	"fmt"

	"github.com/sessconf/sessconf/settings"
)

// New builds the backend opts.Type names from validated options.
func New(opts settings.Options) (Backend, error) {
	switch opts.Type {
	case settings.TypeEncrypted:
		return newEncrypted(opts)
	case settings.TypeSigned:
		return newSigned(opts)
	case settings.TypeRedis:
		return newRedis(opts)
	}
	return nil, fmt.Errorf("session: unknown session type %q", opts.Type)
}
