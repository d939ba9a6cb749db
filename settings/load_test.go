package settings

import (
	"errors"
	"github.com/sessconf/sessconf/internal/conf"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/viper"
)

const testHex = "8d2f0b0b3e6a6d1e5f7c9a4b2c1d0e3f5a6b7c8d9e0f1a2b3c4d5e6f708192a3"

// writeFile writes a file in a temporary directory and returns its path.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// loaded is a Result with the origins and dialect the loader found.
type loaded struct {
	*Result
	Origins map[string]orig
	Dialect conf.Dialect
}

// loadAll runs Load's loader and keeps what Result does not carry.
func loadAll(cfg any, opts ...LoadOption) (*loaded, error) {
	c := conf.Config{Section: "app:main"}
	for _, o := range opts {
		o(&c)
	}
	if cfg != nil {
		c.Inputs = append([]any{cfg}, c.Inputs...)
	}
	l := newLoader(c)
	res := l.run()
	return &loaded{Result: res, Origins: l.origins, Dialect: l.dialect}, res.Diagnostics.Err()
}

func mustLoad(t *testing.T, cfg any, opts ...LoadOption) *loaded {
	t.Helper()
	res, err := loadAll(cfg, opts...)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return res
}

func asDiagnostics(err error) Diagnostics {
	var ds Diagnostics
	errors.As(err, &ds)
	return ds
}

func findCode(ds Diagnostics, c Code) *Diagnostic {
	for i := range ds {
		if ds[i].Code == c {
			return &ds[i]
		}
	}
	return nil
}

func TestINIPasteSemantics(t *testing.T) {
	ini := `[DEFAULT]
base = /srv
[app:main]
use = egg:myapp
session.secret = ` + testHex + `
session.secure = true
session.salt = "quoted"
session.redis.key_prefix = /a#b;c
session.domain = %(base)s.example%%
session.hashalg = SHA256
session.redis.master_name = %(here)s|%(__file__)s
session.redis.static_extensions =
    .css .js
    .png
`
	p := writeFile(t, "app.ini", ini)
	res := mustLoad(t, p, WithoutEnv())
	o := res.Options
	if !strings.HasPrefix(o.Salt, `"quoted"`) {
		t.Errorf("quotes not kept: %q", o.Salt)
	}
	if o.Redis.KeyPrefix != "/a#b;c" {
		t.Errorf("# and ; not kept: %q", o.Redis.KeyPrefix)
	}
	if o.Domain != "/srv.example%" {
		t.Errorf("interpolation: %q", o.Domain)
	}
	if want := filepath.Dir(p) + "|" + p; o.Redis.MasterName != want {
		t.Errorf("here/__file__: %q, want %q", o.Redis.MasterName, want)
	}
	if o.HashAlg != "sha256" {
		t.Errorf("hashalg not normalised: %q", o.HashAlg)
	}
	if got := strings.Join(o.Redis.StaticExtensions, ","); got != ".css,.js,.png" {
		t.Errorf("aslist: %q", got)
	}
	if got := res.Origins["session.secure"].String(); got != p+":6" {
		t.Errorf("origin %q", got)
	}
	_ = res
}

func TestINIDiagnostics(t *testing.T) {
	tests := []struct {
		name, ini string
		code      Code
		line      int
		key       string
	}{
		{"bool", "[app:main]\nsession.secret = " + testHex + "\nsession.secure = enabled\n", codeInvalidValue, 3, "session.secure"},
		{"inline", "[app:main]\nsession.secret = " + testHex + "\nsession.secure = true ; yes\n", codeInvalidValue, 3, "session.secure"},
		{"dupkey", "[app:main]\nsession.secret = " + testHex + "\nsession.secret = " + testHex + "\n", codeDuplicateKey, 3, "session.secret"},
		{"dupsection", "[app:main]\nx = 1\n[app:main]\ny = 2\n", codeDuplicateSection, 3, ""},
		{"interp", "[app:main]\nsession.secret = " + testHex + "\nsession.path = %(nope)s\n", codeInterpolation, 3, "session.path"},
		{"stray-percent", "[app:main]\nsession.secret = " + testHex + "\nsession.path = 100%\n", codeInterpolation, 3, "session.path"},
		{"syntax", "[app:main]\nbroken line\n", codeSyntax, 2, ""},
		{"no-header", "session.secret = x\n", codeSyntax, 1, "session.secret"},
		{"section", "[app:other]\nsession.secret = x\n", codeSectionMissing, 0, ""},
		{"ambiguous", "[app:main]\n[application:main]\n", codeDuplicateSection, 2, ""},
		{"case", "[app:main]\nSession.Secret = " + testHex + "\n", codeKeyCase, 2, "Session.Secret"},
		{"unknown", "[app:main]\nsession.secret = " + testHex + "\nsession.timout = 5\n", codeUnknownKey, 3, "session.timout"},
		{"shadow", "[DEFAULT]\nsession.secure = false\n[app:main]\nsession.secret = " + testHex + "\nsession.secure = true\n", codeShadowedByDefault, 5, "session.secure"},
		{"get-undefined", "[app:main]\nsession.secret = " + testHex + "\nget session.path = nope\n", codeInterpolation, 3, "session.path"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeFile(t, "app.ini", tt.ini)
			res, _ := Load(p, WithoutEnv())
			d := findCode(res.Diagnostics, tt.code)
			if d == nil {
				t.Fatalf("no %s in %v", tt.code.name(), res.Diagnostics)
			}
			if d.Pos.File != p || d.Pos.Line != tt.line || d.Key != tt.key {
				t.Errorf("got %s (pos %v key %q)", d.Error(), d.Pos, d.Key)
			}
		})
	}
}

func TestPasteGetSet(t *testing.T) {
	ini := "[DEFAULT]\nsecret_hex = " + testHex + "\n[app:main]\nset admin = me\nget session.secret = secret_hex\nsession.secure = true\n"
	res := mustLoad(t, writeFile(t, "app.ini", ini), WithoutEnv())
	if res.Options.Secret != testHex {
		t.Errorf("get: secret not copied from [DEFAULT]")
	}
}

func TestSessionSection(t *testing.T) {
	ini := "[session]\nsecret = " + testHex + "\ntimeout = 20m\nsecure = on\n"
	res := mustLoad(t, writeFile(t, "s.ini", ini), WithoutEnv())
	if res.Options.Timeout != Seconds(1200) || !res.Options.Secure {
		t.Errorf("got %+v", res.Options)
	}
	// With an explicit section, [session] is not read.
	if _, err := Load(writeFile(t, "s.ini", ini), WithoutEnv(), WithSection("app:main")); err == nil {
		t.Error("want section-missing")
	}
}

func TestYAML(t *testing.T) {
	tests := []struct {
		name, yaml string
		check      func(t *testing.T, o Options)
	}{
		{"nested-int-seconds", "session:\n  secret: '" + testHex + "'\n  timeout: 1200\n  secure: yes\n", func(t *testing.T, o Options) {
			if o.Timeout != Seconds(1200) || !o.Secure {
				t.Errorf("%+v", o)
			}
		}},
		{"flat", "session.secret: '" + testHex + "'\nsession.timeout: 20m\nsession.httponly: Off\n", func(t *testing.T, o Options) {
			if o.Timeout != Seconds(1200) || o.HTTPOnly {
				t.Errorf("%+v", o)
			}
		}},
		{"list", "session:\n  secret: '" + testHex + "'\n  redis:\n    addrs: [a:1, 'b:2']\n", func(t *testing.T, o Options) {
			if strings.Join(o.Redis.Addrs, ",") != "a:1,b:2" {
				t.Errorf("%v", o.Redis.Addrs)
			}
		}},
		{"none", "session:\n  secret: '" + testHex + "'\n  timeout: none\n  max_age: None\n", func(t *testing.T, o Options) {
			if !o.Timeout.None || !o.MaxAge.None {
				t.Errorf("%+v", o)
			}
		}},
		{"anchors", "base: &b\n  secure: true\nsession:\n  <<: *b\n  secret: '" + testHex + "'\n", func(t *testing.T, o Options) {
			if !o.Secure {
				t.Errorf("merge key not applied")
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := mustLoad(t, writeFile(t, "app.yaml", tt.yaml), WithoutEnv())
			tt.check(t, res.Options)
		})
	}
}

func TestYAMLErrorsPositioned(t *testing.T) {
	p := writeFile(t, "bad.yaml", "session:\n  secret: '"+testHex+"'\n  secure: maybe\n  secure: true\n")
	res, err := Load(p, WithoutEnv())
	if err == nil {
		t.Fatal("want error")
	}
	for _, d := range res.Diagnostics.filter(SeverityError) {
		if d.Pos.File != p || d.Pos.Line == 0 {
			t.Errorf("unpositioned: %v", d)
		}
	}
	if findCode(res.Diagnostics, codeDuplicateKey) == nil {
		t.Error("no duplicate-key")
	}
}

// Pitfall: a file setting only the secret, plus env for other keys
// (viper's UnmarshalKey/Sub lose env and defaults for such keys).
func TestEnvForKeysMissingFromFile(t *testing.T) {
	t.Setenv("SESSION_TIMEOUT", "60")
	t.Setenv("SESSION_REISSUE_TIME", "30")
	t.Setenv("SESSION_SECURE", "true")
	p := writeFile(t, "app.ini", "[app:main]\nsession.secret = "+testHex+"\n")
	res := mustLoad(t, p)
	o := res.Options
	if o.Timeout != Seconds(60) || o.ReissueTime != Seconds(30) || !o.Secure || o.CookieName != "session" {
		t.Errorf("%+v", o)
	}
	if got := res.Origins["session.timeout"].String(); got != "env:SESSION_TIMEOUT" {
		t.Errorf("origin %q", got)
	}
	if got := res.Origins["session.cookie_name"].String(); got != "default" {
		t.Errorf("origin %q", got)
	}
}

func TestPrecedence(t *testing.T) {
	t.Setenv("MYAPP_SESSION_TIMEOUT", "100")
	t.Setenv("MYAPP_SESSION_REISSUE_TIME", "50")
	t.Setenv("SESSION_TIMEOUT", "999") // not read: a prefix is set
	ini := writeFile(t, "a.ini", "[app:main]\nsession.secret = "+testHex+"\nsession.timeout = 10\nsession.max_age = 5000\nsession.path = /ini\nsession.secure = true\n")
	yml := writeFile(t, "b.yaml", "session:\n  path: /yaml\n  timeout: 20\n")
	res := mustLoad(t, ini, WithFiles(yml), WithEnvPrefix("MYAPP"), WithOverrides("session.reissue_time=7", "max_age=6000"))
	o := res.Options
	checks := []struct {
		key, origin string
		ok          bool
	}{
		{"session.path", yml + ":2", o.Path == "/yaml"},
		{"session.timeout", "env:MYAPP_SESSION_TIMEOUT", o.Timeout == Seconds(100)},
		{"session.reissue_time", "override", o.ReissueTime == Seconds(7)},
		{"session.max_age", "override", o.MaxAge == Seconds(6000)},
		{"session.secret", ini + ":2", o.Secret == testHex},
	}
	for _, c := range checks {
		if !c.ok || res.Origins[c.key].String() != c.origin {
			t.Errorf("%s: ok=%v origin=%s want %s", c.key, c.ok, res.Origins[c.key], c.origin)
		}
	}
}

func TestEnvLookupAndSecretFile(t *testing.T) {
	secretFile := writeFile(t, "secret", testHex+"\n")
	env := map[string]string{"SESSION_SECRET_FILE": secretFile, "SESSION_SECURE": "on"}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	res := mustLoad(t, nil, conf.WithEnvLookup(lookup))
	if res.Options.Secret != testHex || !res.Options.Secure {
		t.Errorf("%+v", res.Options)
	}
	env["SESSION_SECRET"] = testHex
	res2, err := Load(nil, conf.WithEnvLookup(lookup))
	if err == nil || findCode(res2.Diagnostics, codeEnvConflict) == nil {
		t.Errorf("want env-conflict, got %v", res2.Diagnostics)
	}
}

func TestEnvEmptyIsUnset(t *testing.T) {
	res := mustLoad(t, map[string]string{"session.secret": testHex, "session.secure": "true"},
		conf.WithEnviron([]string{"SESSION_TIMEOUT=", "SESSION_TYPO=1"}))
	if res.Options.Timeout != Seconds(1200) {
		t.Errorf("empty env applied")
	}
	d := findCode(res.Diagnostics, codeUnknownEnv)
	if d == nil || d.Env != "SESSION_TYPO" || d.Suggestion != "SESSION_TYPE" {
		t.Errorf("unknown env: %v", d)
	}
}

// Unknown-key detection still works when another key fails to decode.
func TestUnknownKeyWithDecodeError(t *testing.T) {
	res, err := Load(map[string]string{"session.secret": testHex, "session.secure": "nope", "session.cookie_nmae": "x"}, WithoutEnv())
	if err == nil {
		t.Fatal("want error")
	}
	d := findCode(res.Diagnostics, codeUnknownKey)
	if d == nil || d.Suggestion != "session.cookie_name" {
		t.Errorf("got %v", res.Diagnostics)
	}
	// no cascade: secure=nope must not also warn "secure is false"
	if findCode(res.Diagnostics, codeInsecure) != nil {
		t.Errorf("cascade: %v", res.Diagnostics)
	}
}

func TestErrorsAs(t *testing.T) {
	_, err := Load(map[string]string{"session.secret": "short"}, WithoutEnv())
	var ds Diagnostics
	if !errors.As(err, &ds) || len(ds) == 0 || (ds.Err() != nil) != true {
		t.Fatalf("errors.As Diagnostics: %v", err)
	}
	var d Diagnostic
	if !errors.As(err, &d) || d.Code != codeSecretInvalid {
		t.Fatalf("errors.As Diagnostic: %v", d)
	}
	if asDiagnostics(err) == nil {
		t.Fatal("AsDiagnostics")
	}
	if got := len(ds.filter(SeverityWarning)); got != 0 {
		t.Errorf("error list holds warnings: %d", got)
	}
}

func TestSecretNeverInMessages(t *testing.T) {
	secrets := []string{"zz" + testHex[2:], testHex[:63], "changeme", "seekrit-value-123", " " + testHex + "x"}
	for _, s := range secrets {
		for _, typ := range []string{"encrypted", "signed", "redis"} {
			res, _ := Load(map[string]string{"session.secret": s, "session.type": typ, "session.secret_fallbacks": s}, WithoutEnv())
			for _, d := range res.Diagnostics {
				if strings.Contains(d.Error(), strings.TrimSpace(s)) {
					t.Errorf("%s leaks the secret: %s", typ, d.Error())
				}
			}
		}
	}
}

func TestViperInput(t *testing.T) {
	v := viper.New()
	v.Set("session.secret", testHex)
	v.Set("session.timeout", 600)
	v.Set("session.secure", true)
	v.Set("session.redis.addrs", []string{"a:1", "b:2"})
	res := mustLoad(t, v, WithoutEnv())
	o := res.Options
	if o.Timeout != Seconds(600) || !o.Secure || len(o.Redis.Addrs) != 2 {
		t.Errorf("%+v", o)
	}
	if res.Origins["session.timeout"].kind != fromViper {
		t.Errorf("origin %v", res.Origins["session.timeout"])
	}
}

func TestOptionsInput(t *testing.T) {
	o := Default()
	o.Secret = testHex
	o.Secure = true
	res, err := Load(o)
	if err != nil || len(res.Diagnostics) != 0 {
		t.Fatalf("%v %v", err, res.Diagnostics)
	}
	o.SameSite = "bogus"
	o.Timeout = Duration{Value: -time.Second}
	_, err = Load(&o)
	ds := asDiagnostics(err)
	if findCode(ds, codeSameSiteInvalid) == nil || findCode(ds, codeNegativeDuration) == nil {
		t.Errorf("got %v", ds)
	}
}

func TestValidate(t *testing.T) {
	base := func() Options { o := Default(); o.Secret = testHex; o.Secure = true; return o }
	tests := []struct {
		name string
		mod  func(o *Options)
		code Code
	}{
		{"missing", func(o *Options) { o.Secret = "" }, codeSecretMissing},
		{"hex-len", func(o *Options) { o.Secret = "abcd" }, codeSecretInvalid},
		{"hex-char", func(o *Options) { o.Secret = "zz" + testHex[2:] }, codeSecretInvalid},
		{"placeholder-zero", func(o *Options) { o.Secret = strings.Repeat("0", 64) }, codeSecretPlaceholder},
		{"signed-short", func(o *Options) { o.Type = TypeSigned; o.Secret = "abcdefghij-klmnop" }, codeSecretShort},
		{"signed-placeholder", func(o *Options) { o.Type = TypeSigned; o.Secret = "seekrit" }, codeSecretPlaceholder},
		{"md5", func(o *Options) { o.HashAlg = "md5" }, codeHashAlgInvalid},
		{"hash-unknown", func(o *Options) { o.HashAlg = "sha513" }, codeHashAlgInvalid},
		{"pickle", func(o *Options) { o.Serializer = "pickle" }, codeSerializerInvalid},
		{"JSON", func(o *Options) { o.Serializer = "JSON" }, codeSerializerInvalid},
		{"cookie", func(o *Options) { o.CookieName = "a;b" }, codeCookieNameInvalid},
		{"cookie-empty", func(o *Options) { o.CookieName = "" }, codeCookieNameInvalid},
		{"path-relative", func(o *Options) { o.Path = "app" }, codeInvalidValue},
		{"path-injection", func(o *Options) { o.Path = "/; Domain=evil.example" }, codeInvalidValue},
		{"domain-injection", func(o *Options) { o.Domain = "example.com; secure" }, codeInvalidValue},
		{"samesite", func(o *Options) { o.SameSite = "sometimes" }, codeSameSiteInvalid},
		{"samesite-none", func(o *Options) { o.SameSite = "None"; o.Secure = false }, codeSameSiteInsecure},
		{"negative", func(o *Options) { o.ReissueTime = Duration{Value: -1} }, codeNegativeDuration},
		{"timeout-lt-reissue", func(o *Options) { o.Timeout = Seconds(10); o.ReissueTime = Seconds(20) }, codeTimeoutLtReissue},
		{"maxage-lt-timeout", func(o *Options) { o.MaxAge = Seconds(10) }, codeMaxAgeLtTimeout},
		{"insecure", func(o *Options) { o.Secure = false }, codeInsecure},
		{"httponly", func(o *Options) { o.HTTPOnly = false }, codeHTTPOnlyOff},
		{"type", func(o *Options) { o.Type = "file" }, codeInvalidValue},
		{"redis-url", func(o *Options) { o.Type = TypeRedis; o.Redis.URL = "http://x" }, codeInvalidValue},
		{"redis-addr", func(o *Options) { o.Type = TypeRedis; o.Redis.Addrs = []string{"nohost"} }, codeInvalidValue},
		{"redis-ext", func(o *Options) { o.Type = TypeRedis; o.Redis.StaticExtensions = []string{"css"} }, codeInvalidValue},
		{"redis-negative", func(o *Options) { o.Type = TypeRedis; o.Redis.DialTimeout = -1 }, codeNegativeDuration},
	}
	if ds := validate(base()); len(ds) != 0 {
		t.Fatalf("base options: %v", ds)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := base()
			tt.mod(&o)
			if findCode(validate(o), tt.code) == nil {
				t.Errorf("no %s in %v", tt.code.name(), validate(o))
			}
		})
	}
}

func TestRedisDialect(t *testing.T) {
	settings := map[string]string{
		"redis.sessions.secret":            "a-long-enough-secret-for-the-redis-cookie-signature-0f3a9c",
		"redis.sessions.host":              "cache",
		"redis.sessions.port":              "6380",
		"redis.sessions.db":                "3",
		"redis.sessions.cookie_httponly":   "off",
		"redis.sessions.cookie_secure":     "true",
		"redis.sessions.socket_timeout":    "2.5",
		"redis.sessions.prefix":            "websauna_session",
		"redis.sessions.cookie_max_age":    "3600",
		"redis.sessions.timeout":           "3600",
		"redis.sessions.foo.cookie_domain": "example.com",
	}
	res, err := loadAll(settings, WithoutEnv())
	if res.Dialect != conf.DialectRedisSessions {
		t.Fatalf("dialect %v", res.Dialect)
	}
	o := res.Options
	if o.Type != TypeRedis || o.Redis.URL != "redis://cache:6380" || o.Redis.DB != 3 || o.HTTPOnly || !o.Secure ||
		o.Redis.ReadTimeout != 2500*time.Millisecond || o.Redis.KeyPrefix != "websauna_session" {
		t.Errorf("%+v", o)
	}
	if o.Domain != "example.com" {
		t.Errorf("last dotted component: %q", o.Domain)
	}
	_ = err
	// Unix socket.
	res = mustLoad(t, map[string]string{"redis.sessions.secret": strings.Repeat("x", 10) + "-0123456789abcdefghijklmnop", "redis.sessions.unix_socket_path": "/tmp/r.sock", "redis.sessions.cookie_secure": "1"}, WithoutEnv())
	if res.Options.Redis.URL != "unix:///tmp/r.sock" {
		t.Errorf("unix: %q", res.Options.Redis.URL)
	}
	// Both dialects: session.* wins, redis.sessions.* ignored with a warning.
	res = mustLoad(t, map[string]string{"session.secret": testHex, "session.secure": "1", "redis.sessions.secret": "x"}, WithoutEnv())
	if res.Dialect != conf.DialectSession || findCode(res.Diagnostics, codeIgnoredOption) == nil {
		t.Errorf("mixed dialects: %v", res.Diagnostics)
	}
	// Bad port.
	_, err = Load(map[string]string{"redis.sessions.secret": "s", "redis.sessions.port": "http"}, WithoutEnv())
	if d := findCode(asDiagnostics(err), codeInvalidValue); d == nil || d.Key != "redis.sessions.port" {
		t.Errorf("bad port: %v", err)
	}
}

func TestKeyTable(t *testing.T) {
	seen := map[string]bool{}
	for _, k := range keyTable {
		if seen[k.Name] || !strings.HasPrefix(k.Name, "session.") || k.Doc == "" {
			t.Errorf("bad key %q", k.Name)
		}
		seen[k.Name] = true
		if _, ok := lookupKey(k.Name); !ok {
			t.Errorf("lookupKey(%q)", k.Name)
		}
		// Every default round-trips through decode.
		o := Default()
		if k.Name == "session.redis.socket_timeout" {
			continue
		}
		def := k.value(&o)
		v, d := decode(k, def)
		if d != nil {
			t.Errorf("%s: default %q does not decode: %v", k.Name, def, d)
			continue
		}
		k.set(&o, v)
		if k.value(&o) != def {
			t.Errorf("%s: round trip %q -> %q", k.Name, def, k.value(&o))
		}
	}
	// Every option pyramid_nacl_session reads is in the table.
	for _, opt := range []string{"secret", "cookie_name", "max_age", "path", "domain", "secure", "httponly", "timeout", "reissue_time", "set_on_exception", "serializer", "samesite"} {
		k, ok := lookupKey("session." + opt)
		if !ok || !k.Python {
			t.Errorf("session.%s missing or not marked Python", opt)
		}
	}
	if envName("myapp", "session.reissue_time") != "MYAPP_SESSION_REISSUE_TIME" || envName("", "session.secret") != "SESSION_SECRET" {
		t.Error("envName")
	}
}

func TestPyNaClPrefix(t *testing.T) {
	res := mustLoad(t, map[string]string{"pynacl.session.secret": testHex, "pynacl.session.secure": "yes"}, WithoutEnv())
	if !res.Options.Secure || res.Origins["session.secure"].rawKey != "pynacl.session.secure" {
		t.Errorf("%+v %v", res.Options, res.Origins["session.secure"])
	}
	res, _ = loadAll(map[string]string{"pynacl.session.secret": testHex, "pynacl.session.secrue": "yes"}, WithoutEnv())
	if d := findCode(res.Diagnostics, codeUnknownKey); d == nil || d.Suggestion != "pynacl.session.secure" {
		t.Errorf("suggestion: %v", d)
	}
}

func TestDiagnosticsSortAndFormat(t *testing.T) {
	ds := Diagnostics{
		codeInsecure.diag("session.secure", orig{kind: fromDefault}, "m"),
		codeUnknownEnv.diag("", orig{kind: fromEnv, env: "SESSION_X"}, "m"),
		codeSyntax.diag("", fileOrigin("b.ini", 1), "m"),
		codeKeyCase.diag("K", fileOrigin("a.ini", 9), "m"),
		codeSyntax.diag("", fileOrigin("a.ini", 2), "m"),
	}
	sortDiagnostics(ds)
	var got []string
	for _, d := range ds {
		got = append(got, d.Error())
	}
	want := []string{
		"a.ini:2: error: m [SESSION-E001]",
		"a.ini:9: warning: K: m [SESSION-W009]",
		"b.ini:1: error: m [SESSION-E001]",
		"env:SESSION_X: warning: m [SESSION-W008]",
		"default: warning: session.secure: m [SESSION-W005]",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s", strings.Join(got, "\n"))
	}
	if ds.Err() == nil || Diagnostics(nil).Err() != nil {
		t.Error("Err")
	}
}

func TestCodesUnique(t *testing.T) {
	ids, names := map[Code]bool{}, map[string]bool{}
	for _, c := range codeTable {
		if ids[c.code] || names[c.name] || c.summary == "" {
			t.Errorf("duplicate or undocumented %v", c)
		}
		ids[c.code], names[c.name] = true, true
		letter := map[Severity]string{SeverityError: "E", SeverityWarning: "W", SeverityInfo: "I"}[c.severity]
		if !strings.HasPrefix(string(c.code), "SESSION-"+letter) || c.code.severity() != c.severity || c.code.name() != c.name {
			t.Errorf("%s severity or metadata mismatch", c.code)
		}
	}
}
