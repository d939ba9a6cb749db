package codec

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"

	"golang.org/x/crypto/nacl/secretbox"
)

const (
	// KeySize is the secretbox key length in bytes.
	KeySize   = 32
	nonceSize = 24
)

// Secretbox is the encrypted cookie codec of pyramid_nacl_session:
// base64url-unpadded(nonce(24) || secretbox(payload)).
type Secretbox struct {
	keys []*[KeySize]byte // keys[0] is the primary
}

// NewSecretbox builds the codec from a primary 32-byte key and optional
// fallback keys.
func NewSecretbox(primary []byte, fallbacks ...[]byte) (*Secretbox, error) {
	c := &Secretbox{}
	for i, k := range append([][]byte{primary}, fallbacks...) {
		if len(k) != KeySize {
			return nil, fmt.Errorf("%w: key %d is %d bytes, want %d", ErrKey, i, len(k), KeySize)
		}
		var key [KeySize]byte
		copy(key[:], k)
		c.keys = append(c.keys, &key)
	}
	return c, nil
}

// ParseHexKey decodes a 64-hex-character secret, ignoring surrounding
// white space (so the multi-line INI form works). The error never
// contains the secret.
func ParseHexKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if len(s) != 2*KeySize {
		return nil, fmt.Errorf("%w: want %d hex characters, got %d characters", ErrKey, 2*KeySize, len(s))
	}
	k, err := hex.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("%w: not hexadecimal", ErrKey)
	}
	return k, nil
}

// Encode seals payload under the primary key with a random nonce.
func (c *Secretbox) Encode(payload []byte) (string, error) {
	return encodeString(c.EncodedLen(len(payload)), func(dst []byte) ([]byte, error) { return c.AppendEncode(dst, payload) })
}

// AppendEncode appends Encode's value for payload to dst.
func (c *Secretbox) AppendEncode(dst, payload []byte) ([]byte, error) {
	var nonce [nonceSize]byte
	if _, err := rand.Read(nonce[:]); err != nil {
		return dst, fmt.Errorf("secretbox nonce: %w", err)
	}
	return c.appendWithNonce(dst, payload, &nonce), nil
}

// EncodedLen is the length of Encode's value for an n-byte payload.
func (c *Secretbox) EncodedLen(n int) int {
	return strictB64.EncodedLen(nonceSize + secretbox.Overhead + n)
}

// DecodedLen is the most payload bytes an n-character value holds.
func (c *Secretbox) DecodedLen(n int) int {
	return max(strictB64.DecodedLen(n)-nonceSize-secretbox.Overhead, 0)
}

// EncodeWithNonce seals payload with the given nonce. A nonce must never
// repeat under one key; this exists for test vectors and interop checks.
func (c *Secretbox) EncodeWithNonce(payload []byte, nonce [nonceSize]byte) string {
	return string(c.appendWithNonce(nil, payload, &nonce))
}

func (c *Secretbox) appendWithNonce(dst, payload []byte, nonce *[nonceSize]byte) []byte {
	return appendEncodeRaw(dst, nonceSize+secretbox.Overhead+len(payload), func(raw []byte) []byte {
		raw = append(raw, nonce[:]...)
		return secretbox.Seal(raw, payload, nonce, c.keys[0])
	})
}

// Decode opens value with the primary key, then with each fallback.
func (c *Secretbox) Decode(value string) ([]byte, bool, error) {
	return c.AppendDecode(nil, value)
}

// AppendDecode is Decode appending the payload to dst.
func (c *Secretbox) AppendDecode(dst []byte, value string) ([]byte, bool, error) {
	p := getScratch(strictB64.DecodedLen(len(value)))
	defer putScratch(p)
	raw, err := decodeB64To(*p, value)
	if err != nil {
		return dst, false, err
	}
	if len(raw) < nonceSize+secretbox.Overhead {
		return dst, false, fmt.Errorf("%w: %d bytes is shorter than nonce and tag", ErrMalformed, len(raw))
	}
	var nonce [nonceSize]byte
	copy(nonce[:], raw)
	box := raw[nonceSize:]
	for i, key := range c.keys {
		// dst is the caller's, never the pooled scratch: secretbox does
		// not allow the plaintext to overlap the box.
		if out, ok := secretbox.Open(dst, box, &nonce, key); ok {
			return out, i > 0, nil
		}
	}
	return dst, false, ErrTampered
}
