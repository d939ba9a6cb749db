package engine

import (
	"github.com/sessconf/sessconf/internal/codec"
	"github.com/sessconf/sessconf/settings"
)

// newSigned builds Pyramid SignedCookieSessionFactory-compatible cookies.
func newSigned(opts settings.Options) (Backend, error) {
	codec, err := SignedCodec(opts)
	if err != nil {
		return nil, err
	}
	return NewCookieBackend(settings.TypeSigned, codec, opts), nil
}

// SignedCodec is the HMAC codec for opts.HashAlg, opts.Salt, opts.Secret
// and opts.SecretFallbacks.
func SignedCodec(opts settings.Options) (*codec.Signed, error) {
	fallbacks := make([][]byte, len(opts.SecretFallbacks))
	for i, s := range opts.SecretFallbacks {
		fallbacks[i] = codec.SignedKey(opts.Salt, s)
	}
	return codec.NewSigned(opts.HashAlg, codec.SignedKey(opts.Salt, opts.Secret), fallbacks...)
}
