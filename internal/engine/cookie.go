package engine

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"time"

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

// Load opens the session cookie. The last cookie of the name wins, as in webob.
func (b *CookieBackend) Load(_ context.Context, r *http.Request, now time.Time) (*Record, error) {
	rec := NewRecord(now)
	value, ok := LastCookie(r, b.cookie.name)
	if !ok {
		return rec, nil
	}
	if len(value) > MaxCookieValue {
		rec.Reason = ErrOversize
		return rec, nil
	}
	payload, fallback, err := b.codec.Decode(value)
	if err != nil {
		rec.Reason = err
		return rec, nil
	}
	accessed, created, st, err := ParsePayload(payload)
	if err != nil {
		rec.Reason = err
		return rec, nil
	}
	switch err := b.lifetime.Check(created, accessed, rec.Created, st); err {
	case nil:
		rec.State = st
	case ErrExpired:
		// Pyramid: expired state is dropped, but the session is not new.
		rec.Reason = err
	default:
		rec.Reason = err
		return rec, nil
	}
	rec.New, rec.Created, rec.Renewed, rec.Accessed, rec.Fallback = false, created, accessed, accessed, fallback
	return rec, nil
}

var payloadPool = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

// Save writes the cookie when the data changed, a read came after
// reissue_time, or a fallback secret opened it.
func (b *CookieBackend) Save(_ context.Context, h http.Header, rec *Record, now time.Time) error {
	if rec.Ephemeral || !(rec.Modified || rec.Reissue || rec.Fallback) {
		return nil
	}
	buf := payloadPool.Get().(*[]byte)
	*buf = AppendPayload((*buf)[:0], rec)
	value, err := b.codec.Encode(*buf)
	payloadPool.Put(buf)
	if err != nil {
		return err
	}
	if len(value) > MaxCookieValue {
		return &CookieTooLargeError{Size: len(value), Limit: MaxCookieValue}
	}
	own, _ := SessionMaxAge(rec.State)
	b.cookie.Set(h, value, now, own)
	rec.Size = len(value)
	return nil
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
// webob picks it.
func LastCookie(r *http.Request, name string) (string, bool) {
	cookies := r.CookiesNamed(name)
	if len(cookies) == 0 {
		return "", false
	}
	return cookies[len(cookies)-1].Value, true
}
