package engine

import (
	"net/http"
	"strings"
)

// isStatic reports whether path names a static asset: its extension, as
// Python's os.path.splitext finds it (a leading dot does not start one),
// lower-cased, is in StaticExtensions. Unlike websauna there is no
// /notebook/ exception.
func (b *RedisBackend) isStatic(path string) bool {
	if len(b.static) == 0 {
		return false
	}
	base := path[strings.LastIndexByte(path, '/')+1:]
	dot := strings.LastIndexByte(base, '.')
	if dot <= 0 || strings.Trim(base[:dot], ".") == "" {
		return false
	}
	return b.static[strings.ToLower(base[dot:])]
}

// isCookieless reports whether the response is cacheable, so must not
// carry a Set-Cookie: it has one of the cookieless headers (Expires,
// Cache-Control by default), and no Cache-Control directive private,
// no-store or no-cache keeps shared caches from storing it.
func (b *RedisBackend) isCookieless(h http.Header) bool {
	found := false
	for _, name := range b.cookieless {
		if len(h[name]) > 0 {
			found = true
			break
		}
	}
	return found && !uncacheable(h["Cache-Control"])
}

// uncacheable reports whether Cache-Control values hold a private,
// no-store or no-cache directive (with or without an argument).
func uncacheable(values []string) bool {
	for _, v := range values {
		for d := range strings.SplitSeq(v, ",") {
			d, _, _ = strings.Cut(d, "=")
			switch strings.ToLower(strings.TrimSpace(d)) {
			case "private", "no-store", "no-cache":
				return true
			}
		}
	}
	return false
}
