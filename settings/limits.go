package settings

import (
	"fmt"
	"net/url"
	"strings"
)

// Bounds of list and cookie settings. Every fallback secret is tried on
// each cookie that fails to verify, and a list is scanned per request, so
// a configuration above these is a mistake (or an attack on start-up).
const (
	maxSecretFallbacks = 8
	maxListEntries     = 100
	maxCookieName      = 256
)

// listLimit is the entry limit of a list setting.
func listLimit(key string) int {
	if key == "session.secret_fallbacks" {
		return maxSecretFallbacks
	}
	return maxListEntries
}

// validateListSizes reports every list setting over its limit; over marks
// them so their entries are not checked one by one (one finding, not
// thousands).
func validateListSizes(o *Options, add func(c Code, key, format string, args ...any) *Diagnostic) (over map[string]bool) {
	over = map[string]bool{}
	for _, k := range keyTable {
		if k.Kind != kindList {
			continue
		}
		l, _ := k.ptr(o).(*[]string)
		if l == nil {
			continue
		}
		if n, limit := len(*l), listLimit(k.Name); n > limit {
			add(codeInvalidValue, k.Name, "%d entries; the limit is %d", n, limit)
			over[k.Name] = true
		}
	}
	return over
}

// cookiePrefixProblem applies the browsers' rules for the __Secure- and
// __Host- name prefixes (matched case-insensitively, as browsers do): a
// cookie breaking them is silently dropped by the browser.
func cookiePrefixProblem(o Options) string {
	name := strings.ToLower(o.CookieName)
	switch {
	case strings.HasPrefix(name, "__host-"):
		var need []string
		if !o.Secure {
			need = append(need, "secure = true")
		}
		if o.Path != "/" {
			need = append(need, "path = /")
		}
		if o.Domain != "" {
			need = append(need, "no domain")
		}
		if len(need) > 0 {
			return "a __Host- cookie name requires " + strings.Join(need, ", ") + ": browsers drop the cookie otherwise"
		}
	case strings.HasPrefix(name, "__secure-") && !o.Secure:
		return "a __Secure- cookie name requires secure = true: browsers drop the cookie otherwise"
	}
	return ""
}

// canonicalOrigin is the form browsers send in the Origin header: lower-
// case scheme and host, no default port. s must already be a valid origin.
func canonicalOrigin(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return s
	}
	scheme, host, port := strings.ToLower(u.Scheme), strings.ToLower(u.Hostname()), u.Port()
	if (scheme == "http" && port == "80") || (scheme == "https" && port == "443") {
		port = ""
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port != "" {
		host += ":" + port
	}
	return scheme + "://" + host
}

// originNotCanonical describes a trusted origin that can never match the
// Origin header a browser sends, or returns "".
func originNotCanonical(s string) (msg, want string) {
	if want = canonicalOrigin(s); want == s {
		return "", ""
	}
	return fmt.Sprintf("trusted origin %s can never match: browsers send the Origin in lower case and without the default port", quoteShort(s)), want
}
