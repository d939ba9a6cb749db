package factory

import (
	"github.com/sessconf/sessconf/crypto"
	"github.com/sessconf/sessconf/settings"
)

func init() { register(settings.TypeSigned, newSigned) }

// newSigned builds Pyramid SignedCookieSessionFactory-compatible cookies.
func newSigned(opts settings.Options) (Backend, error) {
	fallbacks := make([][]byte, len(opts.SecretFallbacks))
	for i, s := range opts.SecretFallbacks {
		fallbacks[i] = crypto.SignedKey(opts.Salt, s)
	}
	codec, err := crypto.NewSigned(opts.HashAlg, crypto.SignedKey(opts.Salt, opts.Secret), fallbacks...)
	if err != nil {
		return nil, err
	}
	return NewCookieBackend(codec, opts)
}
