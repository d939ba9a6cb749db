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
	"sync"
	"unsafe"
)

// Codec seals payloads into cookie values and opens them again.
// Implementations are safe for concurrent use.
type Codec interface {
	// Encode seals payload with the primary key.
	Encode(payload []byte) (string, error)
	// AppendEncode appends what Encode returns to dst, so a caller can
	// build a header around the value without copying it.
	AppendEncode(dst, payload []byte) ([]byte, error)
	// Decode authenticates value and returns its payload. fallback is true
	// when only a fallback key opened it. Every failure wraps ErrDecode.
	Decode(value string) (payload []byte, fallback bool, err error)
	// AppendDecode is Decode appending the payload to dst, which must not
	// overlap value.
	AppendDecode(dst []byte, value string) (payload []byte, fallback bool, err error)
	// EncodedLen is the length of the value Encode returns for a payload
	// of n bytes, so a caller can tell whether a session still fits in a
	// cookie without sealing it.
	EncodedLen(n int) int
	// DecodedLen is the most payload bytes a value of n characters can
	// hold, so a caller can give AppendDecode the room it needs.
	DecodedLen(n int) int
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

// decodeB64To decodes value strictly into dst, which must hold at least
// strictB64.DecodedLen(len(value)) bytes. Go's decoder skips '\r' and '\n'
// even in strict mode; a value holding them decodes to fewer bytes than
// its length implies, which is how they are refused here without a
// second scan.
func decodeB64To(dst []byte, value string) ([]byte, error) {
	// The decoder only reads src, so the string's bytes serve as it.
	n, err := strictB64.Decode(dst, unsafe.Slice(unsafe.StringData(value), len(value)))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if strictB64.EncodedLen(n) != len(value) {
		return nil, fmt.Errorf("%w: line break in value", ErrMalformed)
	}
	return dst[:n], nil
}

// Scratch buffers for the raw bytes of a value, so that Encode allocates
// only the returned string and Decode only the returned payload. Scratch
// never holds plaintext of the encrypted codec nor any key. Buffers grown past maxPooledScratch are not kept.
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

// appendEncodeRaw appends the strict base64 of the rawLen bytes that fill
// appends to an empty scratch slice of capacity rawLen.
func appendEncodeRaw(dst []byte, rawLen int, fill func(raw []byte) []byte) []byte {
	p := getScratch(rawLen)
	defer putScratch(p)
	raw := fill((*p)[:0:rawLen])
	return strictB64.AppendEncode(dst, raw)
}

// encodeString returns what appendEncode appends, as a string; only the
// string is allocated.
func encodeString(n int, appendEncode func(dst []byte) ([]byte, error)) (string, error) {
	p := getScratch(n)
	defer putScratch(p)
	out, err := appendEncode((*p)[:0])
	if err != nil {
		return "", err
	}
	return string(out), nil
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
