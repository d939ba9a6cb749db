package settings

import (
	"fmt"
	"strings"
	"testing"
)

func TestListAndCookieLimits(t *testing.T) {
	n := func(k int, f string) []string {
		l := make([]string, k)
		for i := range l {
			l[i] = fmt.Sprintf(f, i)
		}
		return l
	}
	base := func() Options {
		o := Default()
		o.Type, o.Secret, o.Secure = TypeSigned, strings.Repeat("k", 64), true
		return o
	}
	tests := []struct {
		name string
		set  func(o *Options)
		code Code
		key  string
		want string // "" : no error for key
	}{
		{"8 fallbacks", func(o *Options) { o.SecretFallbacks = n(8, "old%d") }, codeInvalidValue, "session.secret_fallbacks", ""},
		{"9 fallbacks", func(o *Options) { o.SecretFallbacks = n(9, "old%d") }, codeInvalidValue, "session.secret_fallbacks", "9 entries; the limit is 8"},
		{"100 origins", func(o *Options) { o.CSRFTrustedOrigins = n(100, "https://h%d.example") }, codeInvalidValue, "session.csrf_trusted_origins", ""},
		{"101 origins", func(o *Options) { o.CSRFTrustedOrigins = n(101, "https://h%d.example") }, codeInvalidValue, "session.csrf_trusted_origins", "101 entries; the limit is 100"},
		{"101 addrs", func(o *Options) { o.Type = TypeRedis; o.Redis.Addrs = n(101, "h%d:6379") }, codeInvalidValue, "session.redis.addrs", "101 entries; the limit is 100"},
		{"101 extensions", func(o *Options) { o.Redis.StaticExtensions = n(101, ".e%d") }, codeInvalidValue, "session.redis.static_extensions", "the limit is 100"},
		{"101 headers", func(o *Options) { o.Redis.CookielessHeaders = n(101, "X-H%d") }, codeInvalidValue, "session.redis.cookieless_headers", "the limit is 100"},
		{"256-byte name", func(o *Options) { o.CookieName = strings.Repeat("c", 256) }, codeCookieNameInvalid, "session.cookie_name", ""},
		{"257-byte name", func(o *Options) { o.CookieName = strings.Repeat("c", 257) }, codeCookieNameInvalid, "session.cookie_name", "257 bytes; the limit is 256"},
		{"__Host- ok", func(o *Options) { o.CookieName = "__Host-sid" }, codeCookieNameInvalid, "session.cookie_name", ""},
		{"__Host- insecure", func(o *Options) { o.CookieName = "__Host-sid"; o.Secure = false }, codeCookieNameInvalid, "session.cookie_name", "requires secure = true"},
		{"__host- path", func(o *Options) { o.CookieName = "__host-sid"; o.Path = "/app" }, codeCookieNameInvalid, "session.cookie_name", "requires path = /"},
		{"__Host- domain", func(o *Options) { o.CookieName = "__Host-sid"; o.Domain = "example.com" }, codeCookieNameInvalid, "session.cookie_name", "requires no domain"},
		{"__Secure- ok", func(o *Options) { o.CookieName = "__Secure-sid"; o.Path = "/app"; o.Domain = "example.com" }, codeCookieNameInvalid, "session.cookie_name", ""},
		{"__Secure- insecure", func(o *Options) { o.CookieName = "__Secure-sid"; o.Secure = false }, codeCookieNameInvalid, "session.cookie_name", "__Secure- cookie name requires secure = true"},
		{"origin canonical", func(o *Options) { o.CSRFTrustedOrigins = []string{"https://a.example", "http://[::1]:8080"} }, codeInvalidValue, "session.csrf_trusted_origins", ""},
		{"origin upper case", func(o *Options) { o.CSRFTrustedOrigins = []string{"https://A.example"} }, codeInvalidValue, "session.csrf_trusted_origins", `did you mean "https://a.example"`},
		{"origin scheme case", func(o *Options) { o.CSRFTrustedOrigins = []string{"HTTP://a.example:8080"} }, codeInvalidValue, "session.csrf_trusted_origins", `"http://a.example:8080"`},
		{"origin https:443", func(o *Options) { o.CSRFTrustedOrigins = []string{"https://a.example:443"} }, codeInvalidValue, "session.csrf_trusted_origins", `"https://a.example"`},
		{"origin http:80", func(o *Options) { o.CSRFTrustedOrigins = []string{"http://a.example:80"} }, codeInvalidValue, "session.csrf_trusted_origins", `"http://a.example"`},
		{"origin https:80 kept", func(o *Options) { o.CSRFTrustedOrigins = []string{"https://a.example:80"} }, codeInvalidValue, "session.csrf_trusted_origins", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := base()
			tt.set(&o)
			var got *Diagnostic
			for _, d := range validate(o) {
				if d.Code == tt.code && d.Key == tt.key {
					got = &d
					break
				}
			}
			switch {
			case tt.want == "" && got != nil:
				t.Errorf("unexpected %s", got.Error())
			case tt.want != "" && (got == nil || !strings.Contains(got.Error(), tt.want)):
				t.Errorf("got %v, want %q", got, tt.want)
			}
		})
	}
}

// Over the limit, entries are not checked one by one: one finding, not
// one per bad entry.
func TestOverLimitListOneFinding(t *testing.T) {
	o := Default()
	o.Secret, o.Secure = testHex, true
	o.CSRFTrustedOrigins = make([]string, 10_000)
	for i := range o.CSRFTrustedOrigins {
		o.CSRFTrustedOrigins[i] = "bad origin"
	}
	if ds := validate(o); len(ds) != 1 || ds[0].Code != codeInvalidValue {
		t.Errorf("%d findings: %v", len(ds), ds[:min(len(ds), 3)])
	}
}
