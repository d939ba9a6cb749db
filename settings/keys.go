package settings

import (
	"strconv"
	"strings"
	"time"
)

// valueKind is the value type of a setting.
type valueKind int

// Value kinds.
const (
	kindString   valueKind = iota // raw text
	kindBool                      // Pyramid asbool words, strict
	kindDuration                  // Duration: seconds, Go duration or none
	kindTimeout                   // time.Duration: seconds (may be fractional) or Go duration
	kindInt                       // non-negative integer
	kindList                      // Pyramid aslist (white space / newlines)
)

// String names the kind as in the docs.
func (k valueKind) String() string {
	return [...]string{"string", "bool", "duration", "timeout", "int", "list"}[k]
}

// keyDef describes one setting. The key table is the single source for
// parsing, environment variable names, documentation and checkconf.
type keyDef struct {
	// Name is the canonical key, e.g. "session.timeout".
	Name string
	// Kind is the value type.
	Kind valueKind
	// Doc is a one-line description.
	Doc string
	// Secret values are never printed (checkconf --show masks them).
	Secret bool
	// Python is true for the options pyramid_nacl_session itself reads
	// (also accepted under the "pynacl.session." prefix by Python).
	Python bool

	ptr   func(o *Options) any          // pointer to the field
	apply func(o *Options, v any)       // optional: custom setter
	get   func(o *Options) string       // optional: custom getter
	norm  func(s string) (string, bool) // optional: normalise/validate enum text
}

// option returns the name without the "session." prefix ("timeout").
func (k keyDef) option() string { return strings.TrimPrefix(k.Name, "session.") }

// envName is the environment variable for this key with the given prefix.
func (k keyDef) envName(prefix string) string { return envName(prefix, k.Name) }

// value renders the key's value in o in settings syntax (secrets included:
// callers that print must check Secret).
func (k keyDef) value(o *Options) string {
	if k.get != nil {
		return k.get(o)
	}
	switch p := k.ptr(o).(type) {
	case *string:
		return *p
	case *bool:
		return strconv.FormatBool(*p)
	case *Duration:
		return p.String()
	case *time.Duration:
		if *p%time.Second == 0 {
			return strconv.FormatInt(int64(*p/time.Second), 10)
		}
		return p.String()
	case *int:
		return strconv.Itoa(*p)
	case *[]string:
		return strings.Join(*p, " ")
	}
	return ""
}

// envName returns the environment variable of a key:
// UPPER([prefix "_"] key with "." → "_"). envName("", "session.secret") is
// SESSION_SECRET; envName("myapp", "session.reissue_time") is
// MYAPP_SESSION_REISSUE_TIME.
func envName(prefix, key string) string {
	n := strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
	if prefix != "" {
		n = strings.ToUpper(strings.TrimSuffix(prefix, "_")) + "_" + n
	}
	return n
}

func str(f func(o *Options) *string) func(o *Options) any {
	return func(o *Options) any { return f(o) }
}

var keyTable = []keyDef{
	{Name: "session.type", Kind: kindString, Doc: "backend: encrypted (NaCl secretbox cookie), signed (HMAC cookie) or redis",
		ptr: str(func(o *Options) *string { return &o.Type }), norm: normType},
	{Name: "session.secret", Kind: kindString, Secret: true, Python: true, Doc: "encrypted: 64 hex characters (32 bytes); signed/redis: text. Required",
		ptr: str(func(o *Options) *string { return &o.Secret })},
	{Name: "session.secret_fallbacks", Kind: kindList, Secret: true, Doc: "older secrets still accepted for reading (white-space separated; at most 8)",
		ptr: func(o *Options) any { return &o.SecretFallbacks }},
	{Name: "session.serializer", Kind: kindString, Python: true, Doc: "json, exactly (case-sensitive as in Python; unknown names are errors at load, pickle is refused: remote code execution)",
		ptr: str(func(o *Options) *string { return &o.Serializer })},
	{Name: "session.hashalg", Kind: kindString, Doc: "HMAC hash of signed cookies: sha512, sha384, sha256, sha224 or sha1",
		ptr: str(func(o *Options) *string { return &o.HashAlg }), norm: normHashAlg},
	{Name: "session.salt", Kind: kindString, Doc: "prepended to the secret to form the HMAC key of signed cookies",
		ptr: str(func(o *Options) *string { return &o.Salt })},
	{Name: "session.cookie_name", Kind: kindString, Python: true, Doc: "cookie name: an RFC 6265 token of at most 256 bytes; __Secure- names need secure, __Host- names also path / and no domain",
		ptr: str(func(o *Options) *string { return &o.CookieName })},
	{Name: "session.max_age", Kind: kindDuration, Python: true, Doc: "cookie Max-Age; none = browser-session cookie",
		ptr: func(o *Options) any { return &o.MaxAge }},
	{Name: "session.path", Kind: kindString, Python: true, Doc: "cookie Path",
		ptr: str(func(o *Options) *string { return &o.Path })},
	{Name: "session.domain", Kind: kindString, Python: true, Doc: "cookie Domain (empty: host-only cookie)",
		ptr: str(func(o *Options) *string { return &o.Domain })},
	{Name: "session.secure", Kind: kindBool, Python: true, Doc: "send the cookie over HTTPS only",
		ptr: func(o *Options) any { return &o.Secure }},
	{Name: "session.httponly", Kind: kindBool, Python: true, Doc: "hide the cookie from scripts (Pyramid's default is false)",
		ptr: func(o *Options) any { return &o.HTTPOnly }},
	{Name: "session.samesite", Kind: kindString, Python: true, Doc: "SameSite attribute: Strict, Lax or None (None requires secure)",
		ptr: str(func(o *Options) *string { return &o.SameSite }), norm: normSameSite},
	{Name: "session.timeout", Kind: kindDuration, Python: true, Doc: "idle timeout: seconds, Go duration (20m) or none",
		ptr: func(o *Options) any { return &o.Timeout }},
	{Name: "session.reissue_time", Kind: kindDuration, Python: true, Doc: "re-send the cookie on reads after this long; none = never",
		ptr: func(o *Options) any { return &o.ReissueTime }},
	{Name: "session.absolute_timeout", Kind: kindDuration, Doc: "maximum session lifetime from creation; none = unlimited",
		ptr: func(o *Options) any { return &o.AbsoluteTimeout }},
	{Name: "session.set_on_exception", Kind: kindBool, Python: true, Doc: "write the cookie on error responses too",
		ptr: func(o *Options) any { return &o.SetOnException }},
	{Name: "session.csrf_check_origin", Kind: kindBool, Doc: "CheckCSRF also refuses cross-origin unsafe requests (Sec-Fetch-Site / Origin)",
		ptr: func(o *Options) any { return &o.CSRFCheckOrigin }},
	{Name: "session.csrf_trusted_origins", Kind: kindList, Doc: "origins allowed to send cross-origin unsafe requests, as browsers send them: scheme://host[:port], lower case, no default port (at most 100)",
		ptr: func(o *Options) any { return &o.CSRFTrustedOrigins }},

	{Name: "session.redis.url", Kind: kindString, Secret: true, Doc: "redis://, rediss:// or unix:// URL of a standalone server",
		ptr: str(func(o *Options) *string { return &o.Redis.URL })},
	{Name: "session.redis.addrs", Kind: kindList, Doc: "host:port list: cluster nodes, or sentinels with master_name (at most 100)",
		ptr: func(o *Options) any { return &o.Redis.Addrs }},
	{Name: "session.redis.master_name", Kind: kindString, Doc: "Sentinel master name",
		ptr: str(func(o *Options) *string { return &o.Redis.MasterName })},
	{Name: "session.redis.db", Kind: kindInt, Doc: "database number",
		ptr: func(o *Options) any { return &o.Redis.DB }},
	{Name: "session.redis.username", Kind: kindString, Doc: "ACL user name",
		ptr: str(func(o *Options) *string { return &o.Redis.Username })},
	{Name: "session.redis.password", Kind: kindString, Secret: true, Doc: "password",
		ptr: str(func(o *Options) *string { return &o.Redis.Password })},
	{Name: "session.redis.tls", Kind: kindBool, Doc: "use TLS",
		ptr: func(o *Options) any { return &o.Redis.TLS }},
	{Name: "session.redis.dial_timeout", Kind: kindTimeout, Doc: "connect timeout (0: 500 ms); a load or save gives up after read + write timeout",
		ptr: func(o *Options) any { return &o.Redis.DialTimeout }},
	{Name: "session.redis.socket_timeout", Kind: kindTimeout, Doc: "sets read_timeout and write_timeout (pyramid_redis_sessions' name)",
		apply: func(o *Options, v any) {
			d := v.(time.Duration)
			o.Redis.ReadTimeout, o.Redis.WriteTimeout = d, d
		},
		get: func(o *Options) string {
			if o.Redis.ReadTimeout != o.Redis.WriteTimeout {
				return ""
			}
			return durationText(o.Redis.ReadTimeout)
		}},
	{Name: "session.redis.read_timeout", Kind: kindTimeout, Doc: "read timeout (0: 500 ms)",
		ptr: func(o *Options) any { return &o.Redis.ReadTimeout }},
	{Name: "session.redis.write_timeout", Kind: kindTimeout, Doc: "write timeout (0: 500 ms)",
		ptr: func(o *Options) any { return &o.Redis.WriteTimeout }},
	{Name: "session.redis.pool_timeout", Kind: kindTimeout, Doc: "wait for a free pooled connection (0: 500 ms)",
		ptr: func(o *Options) any { return &o.Redis.PoolTimeout }},
	{Name: "session.redis.pool_size", Kind: kindInt, Doc: "connection pool size (0: client default)",
		ptr: func(o *Options) any { return &o.Redis.PoolSize }},
	{Name: "session.redis.key_prefix", Kind: kindString, Doc: "prepended to every Redis key",
		ptr: str(func(o *Options) *string { return &o.Redis.KeyPrefix })},
	{Name: "session.redis.renew_grace", Kind: kindTimeout, Doc: "how long an id replaced by RenewID keeps working",
		ptr: func(o *Options) any { return &o.Redis.RenewGrace }},
	{Name: "session.redis.static_extensions", Kind: kindList, Doc: "path extensions (.css) whose requests get no session (at most 100)",
		ptr: func(o *Options) any { return &o.Redis.StaticExtensions }},
	{Name: "session.redis.cookieless_headers", Kind: kindList, Doc: "a response with any of these headers gets no Set-Cookie (at most 100)",
		ptr: func(o *Options) any { return &o.Redis.CookielessHeaders }},
}

func durationText(d time.Duration) string {
	if d%time.Second == 0 {
		return strconv.FormatInt(int64(d/time.Second), 10)
	}
	return d.String()
}

var keyIndex = func() map[string]int {
	m := make(map[string]int, len(keyTable))
	for i, k := range keyTable {
		m[k.Name] = i
	}
	return m
}()

// lookupKey finds a key by canonical name ("session.timeout").
func lookupKey(name string) (keyDef, bool) {
	i, ok := keyIndex[name]
	if !ok {
		return keyDef{}, false
	}
	return keyTable[i], true
}

// Settings prefixes.
const (
	prefixSession      = "session."
	prefixPyNaCl       = "pynacl.session."
	prefixRedisSession = "redis.sessions."
)

// set stores a decoded value (string, bool, Duration, time.Duration, int
// or []string) into o.
func (k keyDef) set(o *Options, v any) {
	if k.apply != nil {
		k.apply(o, v)
		return
	}
	switch p := k.ptr(o).(type) {
	case *string:
		*p = v.(string)
	case *bool:
		*p = v.(bool)
	case *Duration:
		*p = v.(Duration)
	case *time.Duration:
		*p = v.(time.Duration)
	case *int:
		*p = v.(int)
	case *[]string:
		*p = v.([]string)
	}
}

func normType(s string) (string, bool) {
	t := strings.ToLower(strings.TrimSpace(s))
	switch t {
	case TypeEncrypted, TypeSigned, TypeRedis:
		return t, true
	}
	return s, false
}

func normHashAlg(s string) (string, bool) {
	t := strings.ToLower(strings.TrimSpace(s))
	if _, ok := hashSizes[t]; ok {
		return t, true
	}
	return s, false
}

// hashSizes are the digest sizes of the accepted HMAC hashes.
var hashSizes = map[string]int{"sha512": 64, "sha384": 48, "sha256": 32, "sha224": 28, "sha1": 20}

// normSameSite accepts Strict, Lax or None in any case and keeps the case
// as written: Pyramid renders the value verbatim.
func normSameSite(s string) (string, bool) {
	t := strings.TrimSpace(s)
	switch strings.ToLower(t) {
	case "strict", "lax", "none":
		return t, true
	}
	return s, false
}
