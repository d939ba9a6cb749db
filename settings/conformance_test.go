package settings

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/sessconf/sessconf/internal/conf"
	"github.com/sessconf/sessconf/internal/vectors"
)

// pyError is an exception recorded by the Python vector generator.
type pyError struct {
	Type    string `json:"type"`
	Message string `json:"message"`
}

type naclVector struct {
	Name      string                     `json:"name"`
	Settings  map[string]json.RawMessage `json:"settings"`
	Error     *pyError                   `json:"error"`
	Effective map[string]any             `json:"effective"`
	Runtime   struct {
		SetCookie []string `json:"set_cookie"`
		Error     *pyError `json:"error"`
	} `json:"runtime_set_cookie"`
}

// strSettings returns the settings whose values are strings; ok is false
// when a value is not a string (Python-only bytes secrets).
func (v naclVector) strSettings() (map[string]string, bool) {
	out := map[string]string{}
	for k, raw := range v.Settings {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, false
		}
		out[k] = s
	}
	return out, true
}

// option returns the settings value of a nacl option under either prefix.
func optionKeys(s map[string]string, opt string) []string {
	var ks []string
	for k := range s {
		if k == prefixSession+opt || k == prefixPyNaCl+opt {
			ks = append(ks, k)
		}
	}
	slices.Sort(ks)
	return ks
}

// expectation of a divergence rule: what sessconf does instead.
type expectation int

const (
	expectError          expectation = iota // an error naming the key
	expectWarning                           // a warning naming the key, and no error
	expectOK                                // no error at all
	expectNothing                           // cannot be expressed as settings text
	expectPyramidWarning                    // accepted; WithPyramid warns about the key
)

// naclRule is a deliberate divergence, decided by a predicate over the
// vector's fields (never its name).
type naclRule struct {
	name, reason string
	expect       expectation
	match        func(v naclVector, s map[string]string) (key string, ok bool)
}

var boolOptions = []string{"secure", "httponly", "set_on_exception"}
var intOptions = []string{"timeout", "reissue_time", "max_age"}

func isWord(s string) bool {
	_, err := parseBool(s)
	return err == nil
}

var naclRules = []naclRule{
	{
		name: "bytes-secret", expect: expectNothing,
		reason: "a raw bytes secret can only be passed from Python code; settings text is always a string",
		match: func(v naclVector, s map[string]string) (string, bool) {
			return "session.secret", s == nil
		},
	},
	{
		name: "prefix-conflict", expect: expectError,
		reason: "session.X and pynacl.session.X with different values: Python takes the later key in dict order; sessconf refuses the ambiguity (Go maps and merged layers have no such order)",
		match: func(v naclVector, s map[string]string) (string, bool) {
			for k, val := range s {
				if opt, ok := strings.CutPrefix(k, prefixPyNaCl); ok {
					if other, ok := s[prefixSession+opt]; ok && other != val {
						return k + "|" + prefixSession + opt, true
					}
				}
			}
			return "", false
		},
	},
	{
		name: "strict-bool", expect: expectError,
		reason: "booleans outside Pyramid's word lists are errors (Python's asbool silently reads them as False)",
		match: func(v naclVector, s map[string]string) (string, bool) {
			for _, opt := range boolOptions {
				for _, k := range optionKeys(s, opt) {
					if !isWord(s[k]) {
						return k, true
					}
				}
			}
			return "", false
		},
	},
	{
		name: "strict-int", expect: expectError,
		reason: "integers with '_' separators or non-ASCII digits are refused (Python's int() accepts them)",
		match: func(v naclVector, s map[string]string) (string, bool) {
			for _, opt := range intOptions {
				for _, k := range optionKeys(s, opt) {
					for _, r := range s[k] {
						if r == '_' || (r > unicode.MaxASCII && unicode.IsDigit(r)) {
							return k, true
						}
					}
				}
			}
			return "", false
		},
	},
	{
		name: "negative-duration", expect: expectError,
		reason: "negative timeout/reissue_time/max_age are errors (Python keeps them: every session expires at once, or Max-Age is negative)",
		match: func(v naclVector, s map[string]string) (string, bool) {
			for _, opt := range intOptions {
				for _, k := range optionKeys(s, opt) {
					if n, err := strconv.Atoi(strings.TrimSpace(s[k])); err == nil && n < 0 {
						return k, true
					}
				}
			}
			return "", false
		},
	},
	{
		name: "none-duration", expect: expectOK,
		reason: "\"none\" means Python's None (never) for durations; Python's int('None') fails because settings cannot express None",
		match: func(v naclVector, s map[string]string) (string, bool) {
			for _, opt := range intOptions {
				for _, k := range optionKeys(s, opt) {
					if strings.EqualFold(strings.TrimSpace(s[k]), "none") {
						return k, true
					}
				}
			}
			return "", false
		},
	},
	{
		name: "secret-trimmed", expect: expectOK,
		reason: "white space around a hex secret is trimmed, so the documented multi-line INI form works (Python's unhexlify fails)",
		match: func(v naclVector, s map[string]string) (string, bool) {
			for _, k := range optionKeys(s, "secret") {
				sec := s[k]
				if sec != strings.TrimSpace(sec) && hexKeyProblem(sec) == "" {
					return k, true
				}
			}
			return "", false
		},
	},
	{
		name: "samesite-at-load", expect: expectError,
		reason: "samesite values Python only rejects when writing the response (invalid, or None without secure) are errors at load time",
		match: func(v naclVector, s map[string]string) (string, bool) {
			ks := optionKeys(s, "samesite")
			return strings.Join(ks, ""), len(ks) == 1 && v.Runtime.Error != nil && v.Error == nil
		},
	},
	{
		name: "serializer-json-only", expect: expectError,
		reason: "only serializer=json is accepted: pickle is remote code execution, and unknown names (Python fails at response time) are errors at load",
		match: func(v naclVector, s map[string]string) (string, bool) {
			for _, k := range optionKeys(s, "serializer") {
				if s[k] != "json" {
					return k, true
				}
			}
			return "", false
		},
	},
	{
		name: "sessconf-own-key", expect: expectPyramidWarning,
		reason: "sessconf's own keys (session.type, absolute_timeout, secret_fallbacks, ...) with a value sessconf accepts are read as sessconf options; pyramid_nacl_session's factory has no such argument and raises TypeError, which WithPyramid reports as a python-divergence warning",
		match: func(v naclVector, s map[string]string) (string, bool) {
			if v.Error == nil || !strings.Contains(v.Error.Message, "unexpected keyword argument") {
				return "", false
			}
			for _, k := range slices.Sorted(maps.Keys(s)) {
				if _, known, _ := canonical(k); known && inNamespace(k) && ownValueAccepted(k, s[k]) &&
					strings.Contains(v.Error.Message, "'"+strings.TrimPrefix(strings.TrimPrefix(k, prefixPyNaCl), prefixSession)+"'") {
					return k, true
				}
			}
			return "", false
		},
	},
	{
		name: "unknown-key-warning", expect: expectWarning,
		reason: "unknown session.* keys are warnings (the namespace is shared with other packages); Python's factory raises TypeError",
		match: func(v naclVector, s map[string]string) (string, bool) {
			if v.Error == nil || !strings.Contains(v.Error.Message, "unexpected keyword argument") {
				return "", false
			}
			for k := range s {
				if _, known, _ := canonical(k); inNamespace(k) && !known {
					return k, true
				}
			}
			return "", false
		},
	},
}

// ownValueAccepted reports whether sessconf accepts val for its own key
// k: loaded on its own, no error names k.
func ownValueAccepted(k, val string) bool {
	res, _ := Load(map[string]string{k: val}, WithoutEnv())
	return res != nil && !hasDiag(res.Diagnostics, SeverityError, k)
}

// checkExpectation asserts what a divergence rule says sessconf does.
func checkExpectation(t *testing.T, res *Result, err error, e expectation, key string) {
	t.Helper()
	switch e {
	case expectError:
		if err == nil || !hasDiag(res.Diagnostics, SeverityError, key) {
			t.Errorf("want an error naming %q, got %v", key, res.Diagnostics)
		}
	case expectWarning:
		if err != nil || !hasDiag(res.Diagnostics, SeverityWarning, key) {
			t.Errorf("want only a warning naming %q, got err=%v diags=%v", key, err, res.Diagnostics)
		}
	case expectOK, expectPyramidWarning:
		if err != nil {
			t.Errorf("want no error, got %v", err)
		}
	}
}

// pyramidWarns loads settings as the [app:main] section of an INI file in
// Pyramid mode and reports whether key gets a python-divergence warning.
// ok is false when a value cannot be written on one INI line.
func pyramidWarns(s map[string]string, key string) (warns, ok bool) {
	var b strings.Builder
	b.WriteString("[app:main]\n")
	for _, k := range slices.Sorted(maps.Keys(s)) {
		v := s[k]
		if strings.ContainsAny(v, "\n\r") || strings.TrimSpace(v) != v || strings.ContainsAny(k, "=:[") {
			return false, false
		}
		fmt.Fprintf(&b, "%s = %s\n", k, v)
	}
	res, _ := Load(conf.Source{Name: "shared.ini", Data: []byte(b.String())}, WithoutEnv(), WithPyramid())
	for _, d := range res.Diagnostics {
		if d.Code == codePythonDivergence && d.Key == key {
			return true, true
		}
	}
	return false, true
}

// hasDiag reports a diagnostic of severity sev naming key (or one of
// several keys separated by "|").
func hasDiag(ds Diagnostics, sev Severity, key string) bool {
	keys := strings.Split(key, "|")
	for _, d := range ds {
		if d.Severity == sev && slices.Contains(keys, d.Key) {
			return true
		}
	}
	return false
}

func TestConformanceNaclSettings(t *testing.T) {
	const file = "nacl_settings.json"
	var doc struct {
		Vectors []naclVector `json:"vectors"`
	}
	vectors.Load(t, file, &doc)
	var tally vectors.Tally
	tally.Expect(file, len(doc.Vectors))
	for _, v := range doc.Vectors {
		t.Run(v.Name, func(t *testing.T) {
			s, _ := v.strSettings()
			var res *Result
			var err error
			if s != nil {
				res, err = Load(s, WithoutEnv())
			}
			for _, r := range naclRules {
				key, ok := r.match(v, s)
				if !ok {
					continue
				}
				if r.expect != expectNothing {
					checkExpectation(t, res, err, r.expect, key)
				}
				if r.expect == expectPyramidWarning {
					if warns, ok := pyramidWarns(s, key); ok && !warns {
						t.Errorf("WithPyramid: no python-divergence warning for %q", key)
					}
				}
				tally.Diverged(file, r.name)
				return
			}
			if v.Error != nil {
				if err == nil {
					t.Fatalf("Python raised %s: %s; sessconf accepted", v.Error.Type, v.Error.Message)
				}
				named := false
				for _, d := range res.Diagnostics.filter(SeverityError) {
					if _, ok := s[d.Key]; ok || (d.Key == "session.secret" && strings.Contains(v.Error.Message, "secret")) {
						named = true
					}
				}
				if !named {
					t.Errorf("no error names a key: %v", res.Diagnostics)
				}
				tally.Checked(file)
				return
			}
			if err != nil {
				t.Fatalf("Python accepted; sessconf: %v", err)
			}
			compareNacl(t, v, s, res.Options)
			tally.Checked(file)
		})
	}
	tally.Verify(t)
	t.Log(tally.Line())
}

// compareNacl compares effective options, with field-level divergence
// rules for deliberate default differences.
func compareNacl(t *testing.T, v naclVector, s map[string]string, o Options) {
	t.Helper()
	eff := v.Effective
	set := func(opt string) bool { return len(optionKeys(s, opt)) > 0 }
	if o.Type != TypeEncrypted {
		t.Errorf("type = %q", o.Type)
	}
	if got, want := strings.ToLower(o.Secret), eff["secret_hex"]; got != want {
		t.Errorf("secret differs")
	}
	eqStr := func(name, got string) {
		want, _ := eff[name].(string)
		if eff[name] == nil {
			want = ""
		}
		if got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	eqStr("cookie_name", o.CookieName)
	eqStr("path", o.Path)
	eqStr("domain", o.Domain)
	// Field rule: samesite is normalised to canonical case (browsers
	// compare case-insensitively; Python emits the text verbatim).
	if want, _ := eff["samesite"].(string); !strings.EqualFold(o.SameSite, want) {
		t.Errorf("samesite = %q, want %q", o.SameSite, want)
	}
	eqBool := func(name string, got bool, dflt bool) {
		want, _ := eff[name].(bool)
		// Field rule: an absent option takes sessconf's default, which
		// differs from Python's for httponly (true instead of false).
		if !set(name) {
			want = dflt
		}
		if got != want {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	eqBool("secure", o.Secure, false)
	eqBool("httponly", o.HTTPOnly, true)
	eqBool("set_on_exception", o.SetOnException, true)
	eqDur := func(name string, got Duration) {
		want := Never
		if n, ok := eff[name].(json.Number); ok {
			i, _ := n.Int64()
			want = Seconds(i)
		}
		if got != want {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	eqDur("max_age", o.MaxAge)
	eqDur("timeout", o.Timeout)
	eqDur("reissue_time", o.ReissueTime)
	// Field rule: an absent serializer is pickle in Python and json here.
	switch eff["serializer"] {
	case "webob.cookies.JSONSerializer":
		if o.Serializer != "json" {
			t.Errorf("serializer = %q", o.Serializer)
		}
	case "pyramid.session.PickleSerializer":
		if set("serializer") || o.Serializer != "json" {
			t.Errorf("serializer = %q (settings %v)", o.Serializer, s)
		}
	default:
		t.Errorf("unexpected serializer %v", eff["serializer"])
	}
}

type redisVector struct {
	Name         string            `json:"name"`
	Settings     map[string]string `json:"settings"`
	Parsed       map[string]any    `json:"parsed_options"`
	Error        *pyError          `json:"error"`
	FactoryError *pyError          `json:"factory_error"`
}

type redisRule struct {
	name, reason string
	expect       expectation
	match        func(v redisVector) (key string, ok bool)
}

var redisRules = []redisRule{
	{
		name: "empty-secret", expect: expectError,
		reason: "an empty secret is refused (pyramid_redis_sessions accepts it and signs with an empty HMAC key)",
		match: func(v redisVector) (string, bool) {
			for k, val := range v.Settings {
				if isRedisDialectKey(k) && redisOption(k) == "secret" && strings.TrimSpace(val) == "" {
					return k, true
				}
			}
			return "", false
		},
	},
}

func TestConformanceRedisSettings(t *testing.T) {
	const file = "redis_settings.json"
	var doc struct {
		Vectors []redisVector `json:"vectors"`
	}
	vectors.Load(t, file, &doc)
	var tally vectors.Tally
	tally.Expect(file, len(doc.Vectors))
	for _, v := range doc.Vectors {
		t.Run(v.Name, func(t *testing.T) {
			res, err := Load(v.Settings, conf.WithDialect(conf.DialectRedisSessions), WithoutEnv())
			for _, r := range redisRules {
				if key, ok := r.match(v); ok {
					checkExpectation(t, res, err, r.expect, key)
					tally.Diverged(file, r.name)
					return
				}
			}
			if pe := cmpOr(v.Error, v.FactoryError); pe != nil {
				if err == nil {
					t.Fatalf("Python raised %s: %s; sessconf accepted", pe.Type, pe.Message)
				}
				named := false
				for _, d := range res.Diagnostics.filter(SeverityError) {
					if _, ok := v.Settings[d.Key]; ok || d.Key == "redis.sessions.secret" {
						named = true
					}
				}
				if !named {
					t.Errorf("no error names a key: %v", res.Diagnostics)
				}
				tally.Checked(file)
				return
			}
			if err != nil {
				t.Fatalf("Python accepted; sessconf: %v", err)
			}
			compareRedis(t, v, res)
			tally.Checked(file)
		})
	}
	tally.Verify(t)
	t.Log(tally.Line())
}

func cmpOr(a, b *pyError) *pyError {
	if a != nil {
		return a
	}
	return b
}

func compareRedis(t *testing.T, v redisVector, res *Result) {
	t.Helper()
	o := res.Options
	p := v.Parsed
	if o.Type != TypeRedis {
		t.Errorf("type = %q", o.Type)
	}
	num := func(name string) (float64, bool) {
		n, ok := p[name].(json.Number)
		if !ok {
			return 0, false
		}
		f, _ := n.Float64()
		return f, true
	}
	if p["secret"] != o.Secret {
		t.Errorf("secret differs")
	}
	if f, ok := num("timeout"); ok && o.Timeout != Seconds(int64(f)) {
		t.Errorf("timeout = %v, want %v", o.Timeout, f)
	}
	if f, ok := num("cookie_max_age"); ok && o.MaxAge != Seconds(int64(f)) {
		t.Errorf("max_age = %v, want %v", o.MaxAge, f)
	}
	for name, got := range map[string]string{"cookie_name": o.CookieName, "cookie_path": o.Path, "cookie_domain": o.Domain} {
		if want, ok := p[name].(string); ok && want != got {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	for name, got := range map[string]bool{"cookie_secure": o.Secure, "cookie_httponly": o.HTTPOnly, "cookie_on_exception": o.SetOnException} {
		if want, ok := p[name].(bool); ok && want != got {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	if f, ok := num("socket_timeout"); ok {
		want := time.Duration(f * float64(time.Second))
		if o.Redis.ReadTimeout != want || o.Redis.WriteTimeout != want {
			t.Errorf("socket_timeout: read %v write %v, want %v", o.Redis.ReadTimeout, o.Redis.WriteTimeout, want)
		}
	}
	// Connection: url wins and drops host/port/db/password (redis-py from_url).
	if u, ok := p["url"].(string); ok {
		if o.Redis.URL != u || o.Redis.DB != 0 || o.Redis.Password != "" {
			t.Errorf("url: got URL/DB/password %q/%d/%v", o.Redis.URL, o.Redis.DB, o.Redis.Password != "")
		}
	} else {
		host, _ := p["host"].(string)
		if host == "" {
			host = "localhost"
		}
		port := 6379.0
		if f, ok := num("port"); ok {
			port = f
		}
		if want := fmt.Sprintf("redis://%s:%d", host, int(port)); o.Redis.URL != want {
			t.Errorf("url = %q, want %q", o.Redis.URL, want)
		}
		if f, ok := num("db"); ok && o.Redis.DB != int(f) {
			t.Errorf("db = %d, want %v", o.Redis.DB, f)
		}
		if pw, ok := p["password"].(string); ok && o.Redis.Password != pw {
			t.Errorf("password differs")
		}
	}
	// prefix becomes an id_generator producing prefix+hex ids.
	if g, ok := p["id_generator"].(map[string]any); ok {
		sample, _ := g["sample_id"].(string)
		if !strings.HasPrefix(sample, o.Redis.KeyPrefix) || len(sample)-len(o.Redis.KeyPrefix) != 64 {
			t.Errorf("key prefix %q does not produce %q", o.Redis.KeyPrefix, sample)
		}
	} else if o.Redis.KeyPrefix != "" {
		t.Errorf("key prefix = %q, want none (the key is the id)", o.Redis.KeyPrefix)
	}
	for _, name := range []string{"encoding", "encoding_errors"} {
		if _, ok := p[name]; ok && !hasCode(res.Diagnostics, codeIgnoredOption) {
			t.Errorf("%s: want an ignored-option warning", name)
		}
	}
}

func hasCode(ds Diagnostics, c Code) bool {
	for _, d := range ds {
		if d.Code == c {
			return true
		}
	}
	return false
}
