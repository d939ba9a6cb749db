// Package crypto holds session secrets and the two cookie codecs: NaCl
// secretbox encryption (pyramid_nacl_session's format) and HMAC signing
// (webob SignedSerializer, Pyramid's signed cookies). It knows nothing
// about HTTP or configuration; session.New builds the codec the settings
// ask for, so most programs only need GenerateSecret.
//
// Both codecs support key rotation: values are always written with the
// primary key, and values that only a fallback key opens are reported as
// such so the caller can re-issue them under the primary key.
package crypto

import "github.com/sessconf/sessconf/internal/codec"

// Codec seals payloads into cookie values and opens them again.
// Implementations are safe for concurrent use.
type Codec interface {
	// Encode seals payload with the primary key.
	Encode(payload []byte) (string, error)
	// Decode authenticates value and returns its payload. fallback is true
	// when only a fallback key opened it. Every failure matches ErrDecode.
	Decode(value string) (payload []byte, fallback bool, err error)
	// EncodedLen is the length of the value Encode returns for a payload
	// of n bytes, so a caller can tell whether a session still fits in a
	// cookie without sealing it.
	EncodedLen(n int) int
}

var (
	// ErrDecode matches every failure to open a cookie value: not strict
	// unpadded base64url, too short, or no key authenticates it. It is a
	// client problem, never a usage error.
	ErrDecode = codec.ErrDecode
	// ErrKey: a key of the wrong size or form. (An unknown or refused
	// hash algorithm gives an error that names it.)
	ErrKey = codec.ErrKey
)

// GenerateSecret returns 32 random bytes, or with asHex their 64
// lower-case hex characters (the form session.secret takes).
func GenerateSecret(asHex bool) ([]byte, error) { return codec.GenerateSecret(asHex) }

// NewSecretbox returns the encrypted-cookie codec of pyramid_nacl_session:
// base64url-unpadded(nonce(24) || secretbox(payload)) under 32-byte keys,
// the primary first.
func NewSecretbox(primary []byte, fallbacks ...[]byte) (Codec, error) {
	return codec.NewSecretbox(primary, fallbacks...)
}

// NewSigned returns the signed-cookie codec of Pyramid's
// SignedCookieSessionFactory: base64url-unpadded(HMAC(key, payload) ||
// payload), with hashalg sha512, sha384, sha256, sha224 or sha1 (md5 is
// refused). Pyramid's key for a salt and a text secret is their
// concatenation, Latin-1 encoded (UTF-8 when Latin-1 cannot hold it).
func NewSigned(hashalg string, primary []byte, fallbacks ...[]byte) (Codec, error) {
	return codec.NewSigned(hashalg, primary, fallbacks...)
}
