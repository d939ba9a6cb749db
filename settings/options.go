package settings

import (
	"fmt"
	"time"
)

// Backend type names accepted by Options.Type.
const (
	TypeEncrypted = "encrypted" // NaCl secretbox cookies (pyramid_nacl_session wire format)
	TypeSigned    = "signed"    // HMAC-signed cookies (Pyramid SignedCookieSessionFactory wire format)
	TypeRedis     = "redis"     // server-side sessions in Redis; the cookie holds a signed id
)

// Duration is a whole number of seconds, or None (Python's None), which
// means "never": never expire, never reissue, or a browser-session cookie,
// depending on the option.
type Duration struct {
	Value time.Duration // >= 0; meaningful only when None is false
	None  bool
}

// Seconds returns a Duration of n seconds.
func Seconds(n int64) Duration { return Duration{Value: time.Duration(n) * time.Second} }

// Never is the None duration.
var Never = Duration{None: true}

// Seconds returns the duration in whole seconds. It is 0 for None.
func (d Duration) Seconds() int64 {
	if d.None {
		return 0
	}
	return int64(d.Value / time.Second)
}

// String renders the duration as its settings form: "none" or seconds.
func (d Duration) String() string {
	if d.None {
		return "none"
	}
	return fmt.Sprintf("%d", d.Seconds())
}

// Options are the effective session settings. Start from Default and
// change what you need; the zero value is not a usable configuration.
type Options struct {
	// Type selects the backend: TypeEncrypted (default), TypeSigned or TypeRedis.
	Type string
	// Secret is the primary key. Encrypted: exactly 64 hex characters
	// (32 bytes). Signed and redis: text, encoded as Pyramid does
	// (Latin-1, or UTF-8 when Latin-1 cannot represent it).
	Secret string
	// SecretFallbacks are older secrets still accepted when reading;
	// cookies opened with one are re-issued under Secret.
	SecretFallbacks []string
	// Serializer must be "json"; pickle is refused.
	Serializer string
	// HashAlg is the HMAC hash of signed cookies: sha512 (default),
	// sha384, sha256, sha224 or sha1.
	HashAlg string
	// Salt is prepended to the secret to form the HMAC key of signed cookies.
	Salt string

	CookieName string   // default "session"
	MaxAge     Duration // cookie Max-Age; None (default) makes a browser-session cookie
	Path       string   // default "/"
	Domain     string   // default none
	Secure     bool     // default false (checkconf warns)
	HTTPOnly   bool     // default true (Pyramid: false)
	// SameSite is "Lax" (default), "Strict", "None" or "" (attribute omitted).
	// The value keeps the case it was written in ("lax" renders
	// SameSite=lax, as Pyramid does); it is validated case-insensitively.
	SameSite string

	// Timeout is the idle timeout, checked against the last access. Default 1200 s.
	Timeout Duration
	// ReissueTime is how long after the last re-issue a mere read re-sends
	// the cookie (or refreshes the Redis TTL). Default 0; None never.
	ReissueTime Duration
	// AbsoluteTimeout caps a session's lifetime from its creation. Default None.
	AbsoluteTimeout Duration
	// SetOnException: when false, no session cookie is written for a
	// response whose handler panicked or answered with status >= 500.
	SetOnException bool

	// CSRFCheckOrigin makes CheckCSRF also refuse cross-origin unsafe
	// requests (net/http CrossOriginProtection: Sec-Fetch-Site, then Origin
	// against Host). Default true.
	CSRFCheckOrigin bool
	// CSRFTrustedOrigins are origins ("https://app.example.com[:port]")
	// whose cross-origin requests CheckCSRF accepts.
	CSRFTrustedOrigins []string

	// Redis holds the settings of the redis backend.
	Redis RedisOptions
}

// RedisOptions configure the redis backend (session.redis.* keys).
type RedisOptions struct {
	// URL is a redis://, rediss:// or unix:// URL of a standalone server.
	URL string
	// Addrs lists several host:port addresses: cluster nodes, or
	// sentinels when MasterName is set.
	Addrs      []string
	MasterName string // Sentinel master name
	DB         int
	Username   string
	Password   string
	TLS        bool

	// The client timeouts are bounded by default (500 ms each) so that a
	// stalled or unreachable Redis answers 503 within about a second.
	DialTimeout  time.Duration // connect; 0: 500 ms
	ReadTimeout  time.Duration // 0: 500 ms
	WriteTimeout time.Duration // 0: 500 ms
	PoolTimeout  time.Duration // wait for a free connection; 0: 500 ms
	PoolSize     int           // 0: client default

	// KeyPrefix is prepended to every Redis key. Default "sessconf:".
	KeyPrefix string
	// RenewGrace is how long an id replaced by RenewID keeps working. Default 5 s.
	RenewGrace time.Duration
	// StaticExtensions are path extensions (".css") whose requests get no session.
	StaticExtensions []string
	// CookielessHeaders: a response carrying any of these headers gets no Set-Cookie.
	CookielessHeaders []string
}

// defaultStaticExtensions is websauna's list plus modern asset types.
var defaultStaticExtensions = []string{
	".js", ".css", ".ico", ".png", ".gif", ".jpg",
	".jpeg", ".svg", ".webp", ".woff", ".woff2", ".map",
}

// Default returns the default options: Pyramid's defaults, except that
// HTTPOnly is on.
func Default() Options {
	return Options{
		Type:            TypeEncrypted,
		Serializer:      "json",
		HashAlg:         "sha512",
		Salt:            "pyramid.session.",
		CookieName:      "session",
		MaxAge:          Never,
		Path:            "/",
		HTTPOnly:        true,
		SameSite:        "Lax",
		Timeout:         Seconds(1200),
		ReissueTime:     Seconds(0),
		AbsoluteTimeout: Never,
		SetOnException:  true,
		CSRFCheckOrigin: true,
		Redis: RedisOptions{
			DialTimeout:       500 * time.Millisecond,
			ReadTimeout:       500 * time.Millisecond,
			WriteTimeout:      500 * time.Millisecond,
			PoolTimeout:       500 * time.Millisecond,
			KeyPrefix:         "sessconf:",
			RenewGrace:        5 * time.Second,
			StaticExtensions:  append([]string(nil), defaultStaticExtensions...),
			CookielessHeaders: []string{"Expires", "Cache-Control"},
		},
	}
}
