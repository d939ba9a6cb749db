package settings

import (
	"encoding/hex"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// Validate checks options built in code. It returns nil, or an error
// holding every error-severity finding: errors.As converts it to
// Diagnostics (all of them) or Diagnostic (the first). Load has already
// validated the Options it returns.
func (o Options) Validate() error { return validate(o).Err() }

// validate returns every error and warning about o. Keys are canonical
// ("session.timeout") and diagnostics carry no position; Load attaches
// origins.
func validate(o Options) Diagnostics {
	var ds Diagnostics
	add := func(c Code, key, format string, args ...any) *Diagnostic {
		ds = append(ds, c.diag(key, orig{kind: fromOptions}, fmt.Sprintf(format, args...)))
		return &ds[len(ds)-1]
	}

	typ := o.Type
	switch typ {
	case TypeEncrypted, TypeSigned, TypeRedis:
	default:
		d := add(codeInvalidValue, "session.type", "unknown session type %s (use encrypted, signed or redis)", quoteShort(o.Type))
		if n, ok := normType(o.Type); ok {
			d.Suggestion = n
		} else if s := suggest(o.Type, []string{TypeEncrypted, TypeSigned, TypeRedis}); s != "" {
			d.Suggestion = s
		}
		typ = TypeEncrypted
	}

	// Secrets.
	secret := strings.TrimSpace(o.Secret)
	switch {
	case secret == "":
		add(codeSecretMissing, "session.secret", "a secret is required (set session.secret, or the SESSION_SECRET / SESSION_SECRET_FILE environment variable)")
	case typ == TypeEncrypted:
		if msg := hexKeyProblem(secret); msg != "" {
			add(codeSecretInvalid, "session.secret", "%s; generate one with: checkconf --generate-secret", msg)
		} else if isPlaceholder(secret) {
			add(codeSecretPlaceholder, "session.secret", "the secret is a trivial pattern or a published example; generate a random one with: checkconf --generate-secret")
		}
	default:
		if isPlaceholder(secret) {
			add(codeSecretPlaceholder, "session.secret", "the secret looks like a tutorial placeholder or a trivial pattern")
		}
		alg := strings.ToLower(o.HashAlg)
		if hashSizes[alg] == 0 {
			alg = "sha512"
		}
		want := 32
		if typ == TypeSigned && hashSizes[alg] > want {
			want = hashSizes[alg]
		}
		if n := len(secret); n < want {
			name := "hmac-" + alg
			if typ == TypeRedis {
				name = "the redis cookie's hmac-sha256"
			}
			add(codeSecretShort, "session.secret", "the secret is %d bytes; use at least %d random bytes for %s (Pyramid: at least the hash size)", n, want, name)
		}
	}
	over := validateListSizes(&o, add)
	for i, fb := range o.SecretFallbacks {
		fb = strings.TrimSpace(fb)
		if typ == TypeEncrypted && !over["session.secret_fallbacks"] {
			if msg := hexKeyProblem(fb); msg != "" {
				add(codeSecretInvalid, "session.secret_fallbacks", "fallback secret #%d: %s", i+1, msg)
			}
		}
	}

	switch o.Serializer {
	case "json":
	case "pickle":
		add(codeSerializerInvalid, "session.serializer", "pickle is refused: anyone who knows or steals the secret could run code on the server (remote code execution); use json")
	default:
		d := add(codeSerializerInvalid, "session.serializer", "unknown serializer %s (only json is supported; the name is case-sensitive, as in Python)", quoteShort(o.Serializer))
		if strings.EqualFold(strings.TrimSpace(o.Serializer), "json") {
			d.Suggestion = "json"
		}
	}

	if alg := strings.ToLower(o.HashAlg); hashSizes[alg] == 0 {
		if alg == "md5" {
			add(codeHashAlgInvalid, "session.hashalg", "md5 is refused (broken hash); use sha512")
		} else {
			d := add(codeHashAlgInvalid, "session.hashalg", "unknown hash %s (use sha512, sha384, sha256, sha224 or sha1)", quoteShort(o.HashAlg))
			d.Suggestion = suggest(alg, []string{"sha512", "sha384", "sha256", "sha224", "sha1"})
		}
	}

	if msg := cookieNameProblem(o.CookieName); msg != "" {
		add(codeCookieNameInvalid, "session.cookie_name", "%s", msg)
	} else if msg := cookiePrefixProblem(o); msg != "" {
		add(codeCookieNameInvalid, "session.cookie_name", "%s", msg)
	}
	if !strings.HasPrefix(o.Path, "/") || !cookieAttrValue(o.Path) {
		add(codeInvalidValue, "session.path", "the cookie path must start with / and hold no ';', ',', space or control characters")
	}
	if o.Domain != "" && !cookieAttrValue(o.Domain) {
		add(codeInvalidValue, "session.domain", "the cookie domain must hold no ';', ',', space or control characters")
	}

	switch strings.ToLower(o.SameSite) {
	case "strict", "lax":
	case "none":
		if !o.Secure {
			add(codeSameSiteInsecure, "session.samesite", "samesite=None requires secure=true: browsers reject such cookies (Python raises at response time)")
		}
	case "":
		if o.SameSite != "" {
			add(codeSameSiteInvalid, "session.samesite", "invalid samesite %s (use Strict, Lax or None)", quoteShort(o.SameSite))
		}
	default:
		d := add(codeSameSiteInvalid, "session.samesite", "invalid samesite %s (use Strict, Lax or None)", quoteShort(o.SameSite))
		d.Suggestion = suggest(strings.ToLower(o.SameSite), []string{"strict", "lax", "none"})
		if d.Suggestion != "" {
			d.Suggestion = strings.ToUpper(d.Suggestion[:1]) + d.Suggestion[1:]
		}
	}

	for _, c := range []struct {
		key string
		d   Duration
	}{
		{"session.max_age", o.MaxAge}, {"session.timeout", o.Timeout},
		{"session.reissue_time", o.ReissueTime}, {"session.absolute_timeout", o.AbsoluteTimeout},
	} {
		if !c.d.None && c.d.Value < 0 {
			add(codeNegativeDuration, c.key, "negative duration %s", c.d.Value)
		}
	}

	if !o.Timeout.None && !o.ReissueTime.None && o.Timeout.Value >= 0 && o.Timeout.Value < o.ReissueTime.Value {
		add(codeTimeoutLtReissue, "session.timeout", "timeout (%s s) is lower than reissue_time (%s s): sessions expire before the cookie is ever reissued", o.Timeout, o.ReissueTime)
	}
	if !o.MaxAge.None && !o.Timeout.None && o.MaxAge.Value > 0 && o.MaxAge.Value < o.Timeout.Value {
		add(codeMaxAgeLtTimeout, "session.max_age", "max_age (%s s) is shorter than timeout (%s s): the browser drops the cookie of a live session", o.MaxAge, o.Timeout)
	}
	if !o.Secure {
		add(codeInsecure, "session.secure", "secure is false: the session cookie is also sent over plain HTTP (set secure = true outside local development)")
	}
	if !o.HTTPOnly {
		add(codeHTTPOnlyOff, "session.httponly", "httponly is false: JavaScript can read the session cookie")
	}

	for _, origin := range o.CSRFTrustedOrigins {
		if over["session.csrf_trusted_origins"] {
			break
		}
		if msg := originProblem(origin); msg != "" {
			add(codeInvalidValue, "session.csrf_trusted_origins", "%s", msg)
		} else if msg, want := originNotCanonical(origin); msg != "" {
			add(codeInvalidValue, "session.csrf_trusted_origins", "%s", msg).Suggestion = want
		}
	}

	if typ == TypeRedis {
		ds = append(ds, validateRedis(o.Redis, over)...)
	}
	return ds
}

func validateRedis(r RedisOptions, over map[string]bool) Diagnostics {
	var ds Diagnostics
	add := func(c Code, key, format string, args ...any) {
		ds = append(ds, c.diag(key, orig{kind: fromOptions}, fmt.Sprintf(format, args...)))
	}
	if r.URL != "" {
		if msg := redisURLProblem(r.URL); msg != "" {
			add(codeInvalidValue, "session.redis.url", "%s", msg)
		}
	}
	if r.URL == "" && len(r.Addrs) == 0 {
		add(codeRedisDefaultAddr, "session.type", "type = redis without session.redis.url or session.redis.addrs: the client will connect to localhost:6379")
	}
	for _, a := range r.Addrs {
		if over["session.redis.addrs"] {
			break
		}
		if _, port, err := net.SplitHostPort(a); err != nil || port == "" {
			add(codeInvalidValue, "session.redis.addrs", "address %s is not host:port", quoteShort(a))
		} else if !validPort(port) {
			add(codeInvalidValue, "session.redis.addrs", "address %s has a port outside 1-65535", quoteShort(a))
		}
	}
	if r.DB < 0 {
		add(codeInvalidValue, "session.redis.db", "negative database number %d", r.DB)
	}
	if r.PoolSize < 0 {
		add(codeInvalidValue, "session.redis.pool_size", "negative pool size %d", r.PoolSize)
	}
	for _, c := range []struct {
		key string
		d   interface{ Seconds() float64 }
	}{
		{"session.redis.dial_timeout", r.DialTimeout}, {"session.redis.read_timeout", r.ReadTimeout},
		{"session.redis.write_timeout", r.WriteTimeout}, {"session.redis.pool_timeout", r.PoolTimeout},
		{"session.redis.renew_grace", r.RenewGrace},
	} {
		if c.d.Seconds() < 0 {
			add(codeNegativeDuration, c.key, "negative duration %v", c.d)
		}
	}
	for _, e := range r.StaticExtensions {
		if over["session.redis.static_extensions"] {
			break
		}
		if !strings.HasPrefix(e, ".") || len(e) < 2 {
			add(codeInvalidValue, "session.redis.static_extensions", "extension %s must start with '.' (e.g. .css)", quoteShort(e))
		}
	}
	return ds
}

// originProblem checks a trusted origin as CrossOriginProtection wants it:
// scheme://host[:port] with scheme http or https and nothing else.
func originProblem(s string) string {
	bad := fmt.Sprintf("trusted origin %s must be scheme://host[:port] with scheme http or https, and no path, query or user info", quoteShort(s))
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Hostname() == "" ||
		u.User != nil || u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.ForceQuery || u.Opaque != "" {
		return bad
	}
	if p := u.Port(); p != "" && !validPort(p) {
		return fmt.Sprintf("trusted origin %s has a port outside 1-65535", quoteShort(s))
	}
	return ""
}

// validPort reports a decimal TCP port from 1 to 65535.
func validPort(p string) bool {
	n, err := strconv.Atoi(p)
	return err == nil && n >= 1 && n <= 65535 && allDigits(p)
}

// redisURLProblem describes what is wrong with a redis URL, without
// echoing it (it may contain a password).
func redisURLProblem(s string) string {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil {
		return "the URL cannot be parsed"
	}
	switch u.Scheme {
	case "redis", "rediss":
		if u.Host == "" {
			return "the URL has no host (e.g. redis://127.0.0.1:6379/0)"
		}
		if p := u.Port(); p != "" && !validPort(p) {
			return "the URL's port is outside 1-65535"
		}
	case "unix":
		if u.Path == "" {
			return "the unix:// URL has no socket path"
		}
	default:
		return fmt.Sprintf("unsupported URL scheme %s (use redis://, rediss:// or unix://)", quoteShort(u.Scheme))
	}
	return ""
}

// hexKeyProblem applies crypto.ParseHexKey's rule (64 hex characters after
// trimming) and describes a violation without including the secret.
func hexKeyProblem(s string) string {
	s = strings.TrimSpace(s)
	if len(s) != 64 {
		return fmt.Sprintf("an encrypted-cookie secret must be 64 hexadecimal characters (32 bytes); got %d characters", len([]rune(s)))
	}
	if _, err := hex.DecodeString(s); err != nil {
		return "an encrypted-cookie secret must be 64 hexadecimal characters (32 bytes); it contains a non-hexadecimal character"
	}
	return ""
}

// cookieNameProblem checks an RFC 6265 token (RFC 7230 tchar).
func cookieNameProblem(name string) string {
	if name == "" {
		return "the cookie name is empty"
	}
	if n := len(name); n > maxCookieName {
		return fmt.Sprintf("the cookie name is %d bytes; the limit is %d", n, maxCookieName)
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c <= 0x20 || c >= 0x7f || strings.IndexByte("()<>@,;:\\\"/[]?={}", c) >= 0 {
			return fmt.Sprintf("invalid cookie name %s: it must be an RFC 6265 token (letters, digits and !#$%%&'*+-.^_`|~)", quoteShort(name))
		}
	}
	return ""
}

// placeholderWords are secrets copied from tutorials and examples.
var placeholderWords = []string{
	"changeme", "change-me", "change_me", "changethis", "change-this", "seekrit", "itsaseekreet",
	"secret", "s3cr3t", "s3cret", "secr3t", "sekrit", "mysecret", "supersecret", "topsecret",
	"password", "passw0rd", "example", "test", "testing", "todo", "xxx", "foo", "bar", "abc", "123456",
	"replaceme", "replace-me", "notasecret", "insecure", "dev", "development", "default",
}

// isPlaceholder reports a tutorial placeholder or a trivially weak pattern:
// a short period repeated (all zeros, "0123456789abcdef" x4, "abab…").
func isPlaceholder(s string) bool {
	l := strings.ToLower(strings.TrimSpace(s))
	for _, w := range placeholderWords {
		if l == w {
			return true
		}
	}
	for _, w := range []string{"changeme", "change-me", "change_me", "seekrit", "placeholder", "replace-me", "replace_me", "your-secret", "your_secret"} {
		if strings.Contains(l, w) {
			return true
		}
	}
	if len(l) >= 8 {
		for p := 1; p <= 16 && p < len(l); p++ {
			if len(l)%p == 0 && strings.Repeat(l[:p], len(l)/p) == l {
				return true
			}
		}
	}
	return false
}

// suggest returns the candidate closest to s (edit distance at most 2, or
// a third of the length), or "".
func suggest(s string, candidates []string) string {
	best, bestD := "", 1<<30
	for _, c := range candidates {
		d := levenshtein(s, c)
		if d < bestD {
			best, bestD = c, d
		}
	}
	limit := 2
	if l := len([]rune(s)) / 3; l > limit {
		limit = l
	}
	if bestD == 0 || bestD > limit {
		return ""
	}
	return best
}

// levenshtein is the optimal-string-alignment distance (adjacent
// transpositions count as one edit).
func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > 64 || len(rb) > 64 {
		return 1 << 20
	}
	pprev := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], pprev[j-2]+1) // transposition
			}
		}
		pprev, prev, cur = prev, cur, pprev
	}
	return prev[len(rb)]
}

// cookieAttrValue reports whether v can stand in a Set-Cookie attribute
// unescaped: printable ASCII without ';', ',' or space, so a configured
// path or domain can never inject another attribute.
func cookieAttrValue(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; c <= ' ' || c >= 0x7f || c == ';' || c == ',' {
			return false
		}
	}
	return true
}
