package factory

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sessconf/sessconf/crypto"
	"github.com/sessconf/sessconf/settings"
)

// MaxCookieValue is the longest cookie value Pyramid writes (4064
// characters of value, not counting name and attributes).
const MaxCookieValue = 4064

// CookieBackend is Pyramid's cookie-session engine: the whole session
// travels in the cookie as [accessed, created, state], sealed by a Codec.
// Signing and encryption differ only in the codec.
type CookieBackend struct {
	codec       crypto.Codec
	name        string
	timeout     settings.Duration
	absolute    settings.Duration
	maxAge      settings.Duration
	attrsBefore string // "; Domain=…; Max-Age=N; Path=…"
	attrsAfter  string // "; secure; HttpOnly; SameSite=…"
}

// NewCookieBackend builds the cookie engine around any codec. opts must
// be valid (see Options.Validate); only its cookie and timeout fields are used.
func NewCookieBackend(codec crypto.Codec, opts settings.Options) (*CookieBackend, error) {
	if err := validate(opts); err != nil {
		return nil, err
	}
	b := &CookieBackend{
		codec:    codec,
		name:     opts.CookieName,
		timeout:  opts.Timeout,
		absolute: opts.AbsoluteTimeout,
		maxAge:   opts.MaxAge,
	}
	b.attrsBefore, b.attrsAfter = cookieAttrs(opts)
	return b, nil
}

// cookieAttrs renders the attributes in webob's order, so the header is
// byte-identical to Pyramid's: valued attributes sorted by name, then
// expires, secure, HttpOnly and SameSite.
func cookieAttrs(opts settings.Options) (before, after string) {
	if opts.Domain != "" {
		before += "; Domain=" + opts.Domain
	}
	if !opts.MaxAge.None {
		before += "; Max-Age=" + strconv.FormatInt(opts.MaxAge.Seconds(), 10)
	}
	before += "; Path=" + opts.Path
	if opts.Secure {
		after += "; secure"
	}
	if opts.HTTPOnly {
		after += "; HttpOnly"
	}
	if opts.SameSite != "" {
		after += "; SameSite=" + opts.SameSite
	}
	return before, after
}

// Load opens the session cookie. The last cookie of the name wins, as in webob.
func (b *CookieBackend) Load(_ context.Context, r *http.Request, now time.Time) (*Record, error) {
	nowf := UnixSeconds(now)
	rec := &Record{New: true, Created: nowf, Renewed: nowf, Accessed: nowf}
	cookies := r.CookiesNamed(b.name)
	if len(cookies) == 0 {
		rec.State = NewState()
		return rec, nil
	}
	payload, fallback, err := b.codec.Decode(cookies[len(cookies)-1].Value)
	if err != nil {
		rec.State, rec.Reason = NewState(), err
		return rec, nil
	}
	accessed, created, st, err := ParsePayload(payload)
	if err != nil {
		rec.State, rec.Reason = NewState(), err
		return rec, nil
	}
	if !b.absolute.None && nowf-created > float64(b.absolute.Seconds()) {
		rec.State, rec.Reason = NewState(), ErrLifetime
		return rec, nil
	}
	rec.New, rec.Created, rec.Renewed, rec.Accessed = false, created, accessed, accessed
	rec.State, rec.Fallback = st, fallback
	if !b.timeout.None && nowf-accessed > float64(b.timeout.Seconds()) {
		// Pyramid: expired state is dropped, but the session is not new.
		rec.State, rec.Reason = NewState(), ErrExpired
	}
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
	h.Add("Set-Cookie", b.header(value, now))
	return nil
}

func (b *CookieBackend) header(value string, now time.Time) string {
	var out strings.Builder // one allocation: the returned string
	out.Grow(len(b.name) + 1 + len(value) + len(b.attrsBefore) + len(b.attrsAfter) + 40)
	out.WriteString(b.name)
	out.WriteByte('=')
	out.WriteString(value)
	out.WriteString(b.attrsBefore)
	if !b.maxAge.None {
		var date [40]byte
		out.WriteString("; expires=")
		out.Write(now.UTC().Add(b.maxAge.Value).AppendFormat(date[:0], "Mon, 02-Jan-2006 15:04:05 GMT"))
	}
	out.WriteString(b.attrsAfter)
	return out.String()
}

// UnixSeconds is Python's time.time() for t: Unix seconds as a float.
func UnixSeconds(t time.Time) float64 {
	return float64(t.Unix()) + float64(t.Nanosecond())/1e9
}
