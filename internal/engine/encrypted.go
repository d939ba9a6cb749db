package engine

import (
	"github.com/sessconf/sessconf/internal/codec"
	"github.com/sessconf/sessconf/settings"
)

// newEncrypted builds pyramid_nacl_session-compatible encrypted cookies.
func newEncrypted(opts settings.Options) (Backend, error) {
	codec, err := EncryptedCodec(opts)
	if err != nil {
		return nil, err
	}
	return NewCookieBackend(settings.TypeEncrypted, codec, opts), nil
}

// EncryptedCodec is the secretbox codec for opts.Secret (64 hex
// characters) and opts.SecretFallbacks.
func EncryptedCodec(opts settings.Options) (*codec.Secretbox, error) {
	key, err := codec.ParseHexKey(opts.Secret)
	if err != nil {
		return nil, err
	}
	fallbacks := make([][]byte, len(opts.SecretFallbacks))
	for i, s := range opts.SecretFallbacks {
		if fallbacks[i], err = codec.ParseHexKey(s); err != nil {
			return nil, err
		}
	}
	return codec.NewSecretbox(key, fallbacks...)
}
