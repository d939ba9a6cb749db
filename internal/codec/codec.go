// Package codec implements the two cookie codecs behind package crypto:
// NaCl secretbox encryption (pyramid_nacl_session's format) and HMAC
// signing (webob SignedSerializer, Pyramid's signed cookies), plus the
// key derivations they need. It knows nothing about HTTP or
// configuration.
//
// Both codecs support key rotation: values are always written with the
// primary key, and values that only a fallback key opens are reported as
// such so the caller can re-issue them under the primary key.
package codec

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
)

// Codec seals payloads into cookie values and opens them again.
// Implementations are safe for concurrent use.
type Codec interface {
	// Encode seals payload with the primary key.
	Encode(payload []byte) (string, error)
	// Decode authenticates value and returns its payload. fallback is true
	// when only a fallback key opened it. Every failure wraps ErrDecode.
	Decode(value string) (payload []byte, fallback bool, err error)
	// EncodedLen is the length of the value Encode returns for a payload
	// of n bytes, so a caller can tell whether a session still fits in a
	// cookie without sealing it.
	EncodedLen(n int) int
}

// Decode failures. Every one also matches ErrDecode.
var (
	// ErrDecode matches every failure to open a cookie value: a client
	// problem, never a usage error.
	ErrDecode = errors.New("cookie value rejected")
	// ErrMalformed: the value is not strict unpadded base64url, or too short.
	ErrMalformed = &decodeError{"malformed"}
	// ErrTampered: no key authenticates the value.
	ErrTampered = &decodeError{"authentication failed"}
)

type decodeError struct{ reason string }

func (e *decodeError) Error() string        { return "cookie value rejected: " + e.reason }
func (e *decodeError) Is(target error) bool { return target == ErrDecode }

// Usage errors, returned when a codec is constructed.
var (
	// ErrKey: a key or secret has the wrong size or form.
	ErrKey = errors.New("invalid session secret")
	// ErrHashAlg: the HMAC hash algorithm is unknown or refused.
	ErrHashAlg = errors.New("unsupported hash algorithm")
)

// strictB64 is the only encoding accepted: no padding, no '+' or '/', no
// junk characters. Python never writes anything else, so no genuine cookie
// is lost by being strict.
var strictB64 = base64.RawURLEncoding.Strict()

// decodeB64 decodes value strictly into a new slice.
func decodeB64(value string) ([]byte, error) {
	return decodeB64To(make([]byte, strictB64.DecodedLen(len(value))), value)
}

// decodeB64To decodes value strictly into dst, which must hold at least
// strictB64.DecodedLen(len(value)) bytes. Go's decoder skips '\r' and '\n'
// even in strict mode, so they are refused here first.
func decodeB64To(dst []byte, value string) ([]byte, error) {
	if strings.ContainsAny(value, "\r\n") {
		return nil, fmt.Errorf("%w: line break in value", ErrMalformed)
	}
	n, err := strictB64.Decode(dst, []byte(value))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	return dst[:n], nil
}

// Scratch buffers for the raw bytes of a value and their base64 form, so
// that Encode allocates only the returned string and Decode only the
// returned payload. Scratch never holds plaintext of the encrypted codec
// nor any key. Buffers grown past maxPooledScratch are not kept.
var scratchPool = sync.Pool{New: func() any { return new([]byte) }}

const maxPooledScratch = 16 << 10

func getScratch(n int) *[]byte {
	p := scratchPool.Get().(*[]byte)
	if cap(*p) < n {
		*p = make([]byte, n)
	}
	*p = (*p)[:n]
	return p
}

func putScratch(p *[]byte) {
	if cap(*p) <= maxPooledScratch {
		scratchPool.Put(p)
	}
}

// encodeRaw returns the strict base64 of the rawLen bytes that fill appends
// to an empty scratch slice of capacity rawLen. The encoding is built in
// the same scratch buffer, after the raw bytes; only the result string is
// allocated.
func encodeRaw(rawLen int, fill func(raw []byte) []byte) string {
	encLen := strictB64.EncodedLen(rawLen)
	p := getScratch(rawLen + encLen)
	defer putScratch(p)
	buf := *p
	raw := fill(buf[:0:rawLen])
	enc := buf[rawLen : rawLen+encLen]
	strictB64.Encode(enc, raw)
	return string(enc)
}

// GenerateSecret returns 32 random bytes, or with asHex their 64
// lower-case hex characters (the form session.secret takes).
func GenerateSecret(asHex bool) ([]byte, error) {
	var key [32]byte
	if _, err := rand.Read(key[:]); err != nil {
		return nil, fmt.Errorf("generate secret: %w", err)
	}
	if !asHex {
		return key[:], nil
	}
	return []byte(hex.EncodeToString(key[:])), nil
}
