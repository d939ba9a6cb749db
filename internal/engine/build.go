package engine

import (
	"fmt"

	"github.com/sessconf/sessconf/internal/codec"
	"github.com/sessconf/sessconf/settings"
)

// New builds the backend opts.Type names from validated options.
func New(opts settings.Options) (Backend, error) {
	switch opts.Type {
	case settings.TypeEncrypted, settings.TypeSigned:
		c, err := CodecFor(opts)
		if err != nil {
			return nil, err
		}
		return NewCookieBackend(opts.Type, c, opts), nil
	case settings.TypeRedis:
		return newRedis(opts)
	}
	return nil, fmt.Errorf("session: unknown session type %q", opts.Type)
}

// CodecFor is the cookie codec of a cookie backend's options, with the
// fallback secrets: for encrypted cookies (pyramid_nacl_session) a
// secretbox under 64-hex-character keys, for signed cookies (Pyramid's
// SignedCookieSessionFactory) an HMAC keyed with salt+secret.
func CodecFor(opts settings.Options) (codec.Codec, error) {
	secrets := append([]string{opts.Secret}, opts.SecretFallbacks...)
	keys := make([][]byte, len(secrets))
	for i, s := range secrets {
		if opts.Type == settings.TypeSigned {
			keys[i] = codec.SignedKey(opts.Salt, s)
			continue
		}
		var err error
		if keys[i], err = codec.ParseHexKey(s); err != nil {
			return nil, err
		}
	}
	switch opts.Type {
	case settings.TypeEncrypted:
		return codec.NewSecretbox(keys[0], keys[1:]...)
	case settings.TypeSigned:
		return codec.NewSigned(opts.HashAlg, keys[0], keys[1:]...)
	}
	return nil, fmt.Errorf("session: %q sessions have no cookie codec", opts.Type)
}
