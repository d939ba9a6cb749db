package factory

import (
	"github.com/sessconf/sessconf/crypto"
	"github.com/sessconf/sessconf/settings"
)

func init() { register(settings.TypeEncrypted, newEncrypted) }

// newEncrypted builds pyramid_nacl_session-compatible encrypted cookies.
func newEncrypted(opts settings.Options) (Backend, error) {
	key, err := crypto.ParseHexKey(opts.Secret)
	if err != nil {
		return nil, err
	}
	fallbacks := make([][]byte, len(opts.SecretFallbacks))
	for i, s := range opts.SecretFallbacks {
		if fallbacks[i], err = crypto.ParseHexKey(s); err != nil {
			return nil, err
		}
	}
	codec, err := crypto.NewSecretbox(key, fallbacks...)
	if err != nil {
		return nil, err
	}
	return NewCookieBackend(codec, opts)
}
