package engine

import (
	"net/http"
	"strconv"
	"time"

	"github.com/sessconf/sessconf/settings"
)

// CookieWriter renders the session's Set-Cookie headers, to set and to
// delete, for every backend. Attributes come in webob's order, so a
// header is byte-identical to Pyramid's: Domain, Max-Age, Path, expires,
// secure, HttpOnly, SameSite.
type CookieWriter struct {
	name   string
	domain string // "; Domain=…" or ""
	path   string // "; Path=…"
	flags  string // "; secure; HttpOnly; SameSite=…"
	maxAge settings.Duration
}

// NewCookieWriter renders cookies as opts configures them.
func NewCookieWriter(opts settings.Options) *CookieWriter {
	w := &CookieWriter{name: opts.CookieName, path: "; Path=" + opts.Path, maxAge: opts.MaxAge}
	if opts.Domain != "" {
		w.domain = "; Domain=" + opts.Domain
	}
	if opts.Secure {
		w.flags += "; secure"
	}
	if opts.HTTPOnly {
		w.flags += "; HttpOnly"
	}
	if opts.SameSite != "" {
		w.flags += "; SameSite=" + opts.SameSite
	}
	return w
}

// Name is the cookie name.
func (w *CookieWriter) Name() string { return w.name }

// Set adds the Set-Cookie header for value. own, when positive, is the
// session's own lifetime (SetMaxAge), which replaces the configured max_age.
func (w *CookieWriter) Set(h http.Header, value string, now time.Time, own time.Duration) {
	line := make([]byte, 0, len(w.name)+1+len(value)+len(w.domain)+len(w.path)+len(w.flags)+64)
	line = append(w.appendName(line), value...)
	line = w.appendAttrs(line, now, own)
	h.Add("Set-Cookie", string(line))
}

// appendName appends "name=".
func (w *CookieWriter) appendName(dst []byte) []byte {
	return append(append(dst, w.name...), '=')
}

// appendAttrs appends the attributes that follow the value.
func (w *CookieWriter) appendAttrs(dst []byte, now time.Time, own time.Duration) []byte {
	maxAge, persistent := w.maxAge.Value, !w.maxAge.None
	if own > 0 {
		maxAge, persistent = own, true
	}
	dst = append(dst, w.domain...)
	if persistent {
		dst = append(dst, "; Max-Age="...)
		dst = strconv.AppendInt(dst, int64(maxAge/time.Second), 10)
	}
	dst = append(dst, w.path...)
	if persistent {
		dst = append(dst, "; expires="...)
		dst = now.UTC().Add(maxAge).AppendFormat(dst, "Mon, 02-Jan-2006 15:04:05 GMT")
	}
	return append(dst, w.flags...)
}

// Delete adds the Set-Cookie header that makes the browser drop the
// cookie: the same Domain, Path and flags, an empty value, Max-Age=0 and
// a past expiry, as webob's delete_cookie writes it.
func (w *CookieWriter) Delete(h http.Header) {
	h.Add("Set-Cookie", w.name+"="+w.domain+"; Max-Age=0"+w.path+"; expires=Wed, 31-Dec-97 23:59:59 GMT"+w.flags)
}
