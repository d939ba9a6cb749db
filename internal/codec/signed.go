package codec

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"fmt"
	"hash"
	"strings"
	"sync"
	"unicode/utf8"
)

// Signed is the signed cookie codec of webob's SignedSerializer, used by
// Pyramid's SignedCookieSessionFactory:
// base64url-unpadded(HMAC(key, payload) || payload). Signed values are
// readable by anyone; they are only protected against modification.
type Signed struct {
	size  int
	pools []*sync.Pool // one pool of *keyedMAC per key; pools[0] is the primary
}

// keyedMAC is a keyed HMAC with room for its sum, so that computing a
// signature allocates nothing.
type keyedMAC struct {
	h   hash.Hash
	sum [sha512.Size]byte
}

var hashes = map[string]func() hash.Hash{
	"sha512": sha512.New,
	"sha384": sha512.New384,
	"sha256": sha256.New,
	"sha224": sha256.New224,
	"sha1":   sha1.New,
}

// SignedKey derives the HMAC key from a salt and a text secret exactly as
// webob does: salt+secret encoded as Latin-1, or both as UTF-8 when either
// has a character Latin-1 cannot represent.
func SignedKey(salt, secret string) []byte {
	if l1, ok := latin1(salt + secret); ok {
		return l1
	}
	return []byte(salt + secret)
}

func latin1(s string) ([]byte, bool) {
	out := make([]byte, 0, len(s))
	for _, r := range s {
		if r > 0xFF || r == utf8.RuneError {
			return nil, false
		}
		out = append(out, byte(r))
	}
	return out, true
}

// NewSigned builds the codec for hashalg (sha512, sha384, sha256, sha224
// or sha1) from a primary HMAC key and optional fallback keys, each made
// by SignedKey. md5 and unknown names are refused.
func NewSigned(hashalg string, primary []byte, fallbacks ...[]byte) (*Signed, error) {
	newHash, ok := hashes[strings.ToLower(hashalg)]
	if !ok {
		return nil, fmt.Errorf("%w: %q (use sha512, sha384, sha256, sha224 or sha1)", ErrHashAlg, hashalg)
	}
	c := &Signed{size: newHash().Size()}
	for _, k := range append([][]byte{primary}, fallbacks...) {
		key := append([]byte(nil), k...)
		c.pools = append(c.pools, &sync.Pool{New: func() any { return &keyedMAC{h: hmac.New(newHash, key)} }})
	}
	return c, nil
}

// sum returns the HMAC of payload under key i in m.sum; the caller puts m
// back into c.pools[i] once done with the result.
func (c *Signed) sum(i int, payload []byte) (*keyedMAC, []byte) {
	m := c.pools[i].Get().(*keyedMAC)
	m.h.Reset()
	m.h.Write(payload)
	return m, m.h.Sum(m.sum[:0])
}

// Encode signs payload with the primary key.
func (c *Signed) Encode(payload []byte) (string, error) {
	return encodeString(c.EncodedLen(len(payload)), func(dst []byte) ([]byte, error) { return c.AppendEncode(dst, payload) })
}

// AppendEncode appends Encode's value for payload to dst.
func (c *Signed) AppendEncode(dst, payload []byte) ([]byte, error) {
	m, sig := c.sum(0, payload)
	defer c.pools[0].Put(m)
	return appendEncodeRaw(dst, len(sig)+len(payload), func(raw []byte) []byte {
		return append(append(raw, sig...), payload...)
	}), nil
}

// EncodedLen is the length of Encode's value for an n-byte payload.
func (c *Signed) EncodedLen(n int) int { return strictB64.EncodedLen(c.size + n) }

// DecodedLen is the most payload bytes an n-character value holds.
func (c *Signed) DecodedLen(n int) int { return max(strictB64.DecodedLen(n)-c.size, 0) }

// Decode verifies value against the primary key, then each fallback, in
// constant time per key.
func (c *Signed) Decode(value string) ([]byte, bool, error) {
	return c.AppendDecode(nil, value)
}

// AppendDecode is Decode appending the payload to dst.
func (c *Signed) AppendDecode(dst []byte, value string) ([]byte, bool, error) {
	p := getScratch(strictB64.DecodedLen(len(value)))
	defer putScratch(p)
	raw, err := decodeB64To(*p, value)
	if err != nil {
		return dst, false, err
	}
	if len(raw) < c.size {
		return dst, false, fmt.Errorf("%w: %d bytes is shorter than the %d-byte signature", ErrMalformed, len(raw), c.size)
	}
	sig, payload := raw[:c.size], raw[c.size:]
	for i := range c.pools {
		m, want := c.sum(i, payload)
		ok := hmac.Equal(want, sig)
		c.pools[i].Put(m)
		if ok {
			return append(dst, payload...), i > 0, nil
		}
	}
	return dst, false, ErrTampered
}
