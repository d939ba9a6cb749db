package engine

import (
	"context"
	"encoding/binary"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/sessconf/sessconf/internal/codec"
	"github.com/sessconf/sessconf/internal/pyjson"
	"github.com/sessconf/sessconf/settings"
)

// MaxCookieValue is the longest cookie value Pyramid writes (4064
// characters of value, not counting name and attributes). Longer values
// are refused before any decoding.
const MaxCookieValue = 4064

// CookieBackend is Pyramid's cookie-session engine: the whole session
// travels in the cookie as [accessed, created, state], sealed by a Codec.
// Signing and encryption differ only in the codec.
type CookieBackend struct {
	codec    codec.Codec
	name     string // backend type name
	cookie   *CookieWriter
	lifetime Lifetime
}

// NewCookieBackend builds the cookie engine around any codec, from
// validated options; only its cookie and timeout fields are used.
func NewCookieBackend(name string, codec codec.Codec, opts settings.Options) *CookieBackend {
	return &CookieBackend{codec: codec, name: name, cookie: NewCookieWriter(opts), lifetime: LifetimeOf(opts)}
}

// Name is "encrypted" or "signed".
func (b *CookieBackend) Name() string { return b.name }

// cookieRecord is a cookie session's per-request memory: the record, its
// state, room for the members of a typical session, and the backing array
// of the Set-Cookie header value. newCookieRecord allocates it together
// with the payload's bytes and some spare room for values set during the
// request.
type cookieRecord struct {
	rec     Record
	st      State
	members [24]member
	header  [2]string // backing arrays of the Set-Cookie and Vary values
	room    []byte    // the payload, then the state's spare room
}

// withRoom is a cookieRecord and B, the bytes of its room, in one allocation.
type withRoom[B any] struct {
	c    cookieRecord
	room B
}

func newWithRoom[B any]() *cookieRecord {
	w := &withRoom[B]{}
	w.c.room = unsafe.Slice((*byte)(unsafe.Pointer(&w.room)), unsafe.Sizeof(w.room))
	return &w.c
}

// setRoom is the spare room for values set during the request.
const setRoom = 128

// newCookieRecord returns a new session at now with room for a payload of
// n bytes.
func newCookieRecord(now time.Time, n int) *cookieRecord {
	var c *cookieRecord
	switch need := n + setRoom; {
	case n == 0:
		c = &cookieRecord{}
	case need <= 512:
		c = newWithRoom[[512]byte]()
	case need <= 1024:
		c = newWithRoom[[1024]byte]()
	case need <= 1536:
		c = newWithRoom[[1536]byte]()
	case need <= 2048:
		c = newWithRoom[[2048]byte]()
	case need <= 3072:
		c = newWithRoom[[3072]byte]()
	default:
		c = &cookieRecord{room: make([]byte, need)}
	}
	nowf := UnixSeconds(now)
	c.rec = Record{New: true, Created: nowf, Renewed: nowf, Accessed: nowf, State: &c.st, Private: c}
	c.reset(0)
	return c
}

// reset empties the state, keeping the first n bytes of room (the payload).
func (c *cookieRecord) reset(n int) {
	c.st = State{members: c.members[:0], arena: c.room[n:n]}
}

// Load opens the session cookie. The last cookie of the name wins, as in webob.
func (b *CookieBackend) Load(_ context.Context, r *http.Request, now time.Time) (*Record, error) {
	// The value's bytes are checked only when it does not open: one that
	// opens is strict base64url, which only holds bytes a cookie may.
	value, ok := lastCookie(r, b.cookie.name, false)
	if !ok {
		return &newCookieRecord(now, 0).rec, nil
	}
	// The payload is opened straight into the record's room.
	c := newCookieRecord(now, b.codec.DecodedLen(min(len(value), MaxCookieValue+1)))
	payload, fallback, err := b.open(c.room[:0], value)
	if err != nil && !validCookieValue(value) {
		// net/http skips such a cookie: an earlier one of the name counts.
		if value, ok = LastCookie(r, b.cookie.name); !ok {
			return &newCookieRecord(now, 0).rec, nil
		}
		c = newCookieRecord(now, b.codec.DecodedLen(min(len(value), MaxCookieValue+1)))
		payload, fallback, err = b.open(c.room[:0], value)
	}
	if err != nil {
		c.reset(0)
		c.rec.Reason = err
		return &c.rec, nil
	}
	n := len(payload)
	if n > 0 && unsafe.SliceData(payload) != unsafe.SliceData(c.room) {
		n = 0 // cannot happen (the room holds DecodedLen): the payload lives apart
	}
	c.reset(n)
	rec, st := &c.rec, &c.st
	accessed, created, err := parsePayloadInto(payload[:len(payload):len(payload)], st)
	if err != nil {
		rec.Reason = err
		c.reset(0) // drop what the failed parse left
		return rec, nil
	}
	switch err := b.lifetime.Check(created, accessed, rec.Created, st); err {
	case nil:
	case ErrExpired:
		// Pyramid: expired state is dropped, but the session is not new.
		rec.Reason = err
		c.reset(0)
	default:
		rec.Reason = err
		c.reset(0)
		return rec, nil
	}
	rec.New, rec.Created, rec.Renewed, rec.Accessed, rec.Fallback = false, created, accessed, accessed, fallback
	return rec, nil
}

// open authenticates a cookie value and appends its payload to dst.
func (b *CookieBackend) open(dst []byte, value string) ([]byte, bool, error) {
	if len(value) > MaxCookieValue {
		return dst, false, ErrOversize
	}
	return b.codec.AppendDecode(dst, value)
}

// bufPool holds the buffers a Save builds the payload in. Buffers grown past maxPooledBuf are not kept.
var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 2048); return &b }}

const maxPooledBuf = 16 << 10

func putBuf(p *[]byte) {
	if cap(*p) <= maxPooledBuf {
		bufPool.Put(p)
	}
}

// Save writes the cookie when the data changed, a read came after
// reissue_time, or a fallback secret opened it.
func (b *CookieBackend) Save(_ context.Context, h http.Header, rec *Record, now time.Time) error {
	if rec.Ephemeral || !(rec.Modified || rec.Reissue || rec.Fallback) {
		return nil
	}
	pb := bufPool.Get().(*[]byte)
	defer putBuf(pb)
	*pb = AppendPayload((*pb)[:0], rec)
	size := b.codec.EncodedLen(len(*pb))
	if size > MaxCookieValue {
		clear(*pb)
		return &CookieTooLargeError{Size: size, Limit: MaxCookieValue}
	}
	own, _ := SessionMaxAge(rec.State)
	var attrs [128]byte
	tail := b.cookie.appendAttrs(attrs[:0], now, own)
	// The header is written once, into memory of its exact size that
	// becomes the header string.
	line := make([]byte, 0, len(b.cookie.name)+1+size+len(tail))
	line = b.cookie.appendName(line)
	line, err := b.codec.AppendEncode(line, *pb)
	clear(*pb) // pooled memory never keeps a session's plaintext
	if err != nil {
		return err
	}
	line = append(line, tail...)
	AddHeader(h, rec, "Set-Cookie", unsafe.String(unsafe.SliceData(line), len(line)))
	rec.Size = size
	return nil
}

// AddHeader is h.Add(key, value) for a canonical key. When h has no
// value for key yet and rec is a loaded cookie session, the value goes
// into rec's own memory instead of a new array.
func AddHeader(h http.Header, rec *Record, key, value string) {
	vs := h[key]
	if c, ok := rec.Private.(*cookieRecord); ok && len(vs) == 0 {
		i := 0
		if key != "Set-Cookie" {
			i = 1
		}
		if c.header[i] == "" {
			c.header[i] = value
			h[key] = c.header[i : i+1 : i+1]
			return
		}
	}
	h[key] = append(vs, value)
}

// Fits reports, without sealing anything, whether rec would still fit in
// a cookie if its state had stateLen bytes: nil or a *CookieTooLargeError.
func (b *CookieBackend) Fits(rec *Record, stateLen int) error {
	var buf [64]byte
	n := 1 + 2 + 2 + 1 + stateLen // [accessed, created, state]
	if rec.AccessedInt {
		n += len(strconv.AppendInt(buf[:0], int64(rec.Accessed), 10))
	} else {
		n += len(pyjson.AppendFloat(buf[:0], rec.Accessed))
	}
	n += len(pyjson.AppendFloat(buf[:0], rec.Created))
	if size := b.codec.EncodedLen(n); size > MaxCookieValue {
		return &CookieTooLargeError{Size: size, Limit: MaxCookieValue}
	}
	return nil
}

// LastCookie returns the value of the last cookie named name in r, as
// webob picks it. It finds exactly the cookies r.CookiesNamed(name) does
// (same trimming, name and value rules, quotes stripped, net/http's limit
// on the number of cookies), without allocating them all.
func LastCookie(r *http.Request, name string) (string, bool) {
	return lastCookie(r, name, true)
}

// lastCookie is LastCookie; without validate, the value of the last
// cookie of the name is returned whatever bytes it holds.
func lastCookie(r *http.Request, name string, validate bool) (string, bool) {
	lines := r.Header["Cookie"]
	if len(lines) == 0 || !isToken(name) {
		return "", false
	}
	count := 0
	for _, line := range lines {
		count += strings.Count(line, ";") + 1
	}
	if count > fastCookieMax || !cookieLimitProbe() {
		// Beyond what the probe vouched for, net/http decides.
		cookies := r.CookiesNamed(name)
		if len(cookies) == 0 {
			return "", false
		}
		return cookies[len(cookies)-1].Value, true
	}
	var value string
	found := false
	for _, line := range lines {
		line = textproto.TrimString(line)
		var part string
		for len(line) > 0 {
			part, line, _ = strings.Cut(line, ";")
			part = textproto.TrimString(part)
			n, v, _ := strings.Cut(part, "=")
			if textproto.TrimString(n) != name {
				continue
			}
			if len(v) > 1 && v[0] == '"' && v[len(v)-1] == '"' {
				v = v[1 : len(v)-1]
			}
			if !validate || validCookieValue(v) {
				value, found = v, true
			}
		}
	}
	return value, found
}

// fastCookieMax is how many cookies a header may hold for LastCookie to
// scan it itself: net/http refuses every cookie of a header with more
// than its limit (3000 by default, GODEBUG httpcookiemaxnum).
const fastCookieMax = 64

// cookieLimitProbe reports whether net/http accepts a header of
// fastCookieMax cookies, which only a GODEBUG setting could prevent.
var cookieLimitProbe = sync.OnceValue(func() bool {
	r := &http.Request{Header: http.Header{"Cookie": {strings.Repeat("a=1; ", fastCookieMax-1) + "a=1"}}}
	return len(r.CookiesNamed("a")) == fastCookieMax
})

// isToken reports whether s is an RFC 7230 token, as a cookie name must be.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !tokenByte[s[i]] {
			return false
		}
	}
	return true
}

var tokenByte = func() (t [256]bool) {
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = true, true
	}
	for _, c := range "!#$%&'*+-.^_`|~" {
		t[c] = true
	}
	return t
}()

// validCookieValue reports whether every byte of v is one net/http
// accepts in a cookie value: 0x20-0x7e except '"', ';' and '\\'. It tests
// eight bytes at a time, as a session cookie is a few kilobytes.
func validCookieValue(v string) bool {
	const (
		ones  = 0x0101010101010101
		highs = 0x8080808080808080
	)
	// zero has the high bit of some byte set iff x has a zero byte.
	zero := func(x uint64) uint64 { return (x - ones) & ^x & highs }
	i := 0
	for ; i+8 <= len(v); i += 8 {
		x := binary.LittleEndian.Uint64(unsafe.Slice(unsafe.StringData(v[i:]), 8))
		bad := x & highs                    // >= 0x80
		bad |= (x - 0x20*ones) & ^x & highs // < 0x20 (exact for any byte below 0x80)
		bad |= zero(x^0x7f*ones) | zero(x^'"'*ones) | zero(x^';'*ones) | zero(x^'\\'*ones)
		if bad != 0 {
			return false
		}
	}
	for ; i < len(v); i++ {
		if c := v[i]; c < 0x20 || c >= 0x7f || c == '"' || c == ';' || c == '\\' {
			return false
		}
	}
	return true
}
