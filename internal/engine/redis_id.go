package engine

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash"
	"net/http"
	"time"
	"unsafe"

	"github.com/sessconf/sessconf/internal/codec"
)

// Session ids and their cookie.
//
// An id is 32 bytes from crypto/rand in unpadded base64url (43
// characters). The cookie value is
//
//	id "." base64url(HMAC-SHA256(k, cookie_name 0x00 id))
//
// where k = HKDF-SHA256(secret, info "sessconf redis session id v1") and
// the secret is encoded as Pyramid encodes text secrets (Latin-1, else
// UTF-8). Fallback secrets open cookies too; such a cookie is re-issued
// under the primary secret. The Redis key is prefix "{" hex(sha256(id))[:32] "}":
// reading the keyspace yields no usable cookie, and the braces form a
// Redis Cluster hash tag.
const (
	idBytes      = 32
	idLen        = 43 // base64url of idBytes, unpadded
	macLen       = 43 // base64url of a SHA-256 MAC, unpadded
	keyHashLen   = 32 // hex characters of sha256(id) in the key
	idKeyInfo    = "sessconf redis session id v1"
	cookieSep    = '.'
	maxIDRetries = 3
)

// keyHash is the key part derived from an id: hex(sha256(id))[:32].
func keyHash(id string) string {
	sum := sha256.Sum256(stringBytes(id))
	return hex.EncodeToString(sum[:keyHashLen/2])
}

// nameSep separates the cookie name from the id in the MAC input.
var nameSep = []byte{0}

// stringBytes is s's bytes, for functions that only read them.
func stringBytes(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

// newID returns 256 random bits in unpadded base64url.
func newID() string {
	var b [idBytes]byte
	rand.Read(b[:]) // never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// setCookie adds the Set-Cookie header for id, for a session holding st.
func (b *RedisBackend) setCookie(h http.Header, id string, st *State, now time.Time) {
	own, _ := SessionMaxAge(st)
	b.cookie.Set(h, b.sign(id), now, own)
}

// sign returns the cookie value for id under the primary key.
func (b *RedisBackend) sign(id string) string {
	var sum [sha256.Size]byte
	out := make([]byte, 0, idLen+1+macLen)
	out = append(out, id...)
	out = append(out, cookieSep)
	return string(base64.RawURLEncoding.AppendEncode(out, b.mac(sum[:0], id, 0)))
}

// mac appends the MAC of id under keys[i] to dst. Keyed HMAC states are
// pooled: keying one costs as much as the MAC of an id.
func (b *RedisBackend) mac(dst []byte, id string, i int) []byte {
	m, _ := b.macs[i].Get().(hash.Hash)
	if m == nil {
		m = hmac.New(sha256.New, b.keys[i])
	}
	m.Reset()
	m.Write(stringBytes(b.cookie.Name())) // Write neither keeps nor changes its input
	m.Write(nameSep)
	m.Write(stringBytes(id))
	dst = m.Sum(dst)
	b.macs[i].Put(m)
	return dst
}

// openCookie checks a cookie value against every key, in constant time
// for each, and returns the id and whether a fallback key opened it. The
// error says why a value was refused: ErrOversize, codec.ErrMalformed
// or codec.ErrTampered.
func (b *RedisBackend) openCookie(v string) (id string, fallback bool, err error) {
	if len(v) > idLen+1+macLen {
		return "", false, ErrOversize
	}
	if len(v) != idLen+1+macLen || v[idLen] != cookieSep {
		return "", false, fmt.Errorf("%w: not a session id cookie", codec.ErrMalformed)
	}
	id = v[:idLen]
	// Both parts decode from the value's bytes (read only) onto the stack.
	var raw [idBytes + 1]byte
	if n, err := base64.RawURLEncoding.Strict().Decode(raw[:], stringBytes(id)); err != nil || n != idBytes {
		return "", false, fmt.Errorf("%w: session id is not base64url", codec.ErrMalformed)
	}
	var got [sha256.Size + 1]byte
	n, err := base64.RawURLEncoding.Strict().Decode(got[:], stringBytes(v[idLen+1:]))
	if err != nil {
		return "", false, fmt.Errorf("%w: signature is not base64url", codec.ErrMalformed)
	}
	var sum [sha256.Size]byte
	for i := range b.keys {
		if hmac.Equal(got[:n], b.mac(sum[:0], id, i)) {
			return id, i > 0, nil
		}
	}
	return "", false, codec.ErrTampered
}
