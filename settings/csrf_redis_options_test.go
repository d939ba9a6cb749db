package settings

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestCSRFTrustedOriginsValidated(t *testing.T) {
	tests := []struct {
		origin string
		ok     bool
	}{
		{"https://app.example.com", true},
		{"http://127.0.0.1:8080", true},
		{"https://[::1]:8443", true},
		{"ftp://app.example.com", false},
		{"https://app.example.com/", false},
		{"https://app.example.com/login", false},
		{"https://app.example.com?x=1", false},
		{"https://user@app.example.com", false},
		{"https://app.example.com:0", false},
		{"https://app.example.com:70000", false},
		{"app.example.com", false},
		{"https://", false},
	}
	for _, tt := range tests {
		t.Run(tt.origin, func(t *testing.T) {
			p := writeFile(t, "app.ini", "[app:main]\nsession.secret = "+testHex+"\n\nsession.csrf_trusted_origins =\n    https://ok.example\n    "+tt.origin+"\n")
			res, err := Load(p, WithoutEnv())
			d := findCode(res.Diagnostics, codeInvalidValue)
			if tt.ok {
				if err != nil || d != nil {
					t.Fatalf("rejected: %v", err)
				}
				if got := res.Options.CSRFTrustedOrigins; len(got) != 2 || got[1] != tt.origin {
					t.Errorf("origins = %q", got)
				}
				return
			}
			if d == nil || err == nil {
				t.Fatalf("accepted; diagnostics %v", res.Diagnostics)
			}
			if d.Key != "session.csrf_trusted_origins" || d.Pos.Line != 4 || d.Pos.File != p {
				t.Errorf("diagnostic %+v not at %s:4", d, p)
			}
		})
	}
}

func TestCSRFCheckOriginSetting(t *testing.T) {
	if !Default().CSRFCheckOrigin {
		t.Fatal("CSRFCheckOrigin is off by default")
	}
	res := mustLoad(t, map[string]string{"session.secret": testHex, "session.csrf_check_origin": "false"}, WithoutEnv())
	if res.Options.CSRFCheckOrigin {
		t.Error("csrf_check_origin = false not applied")
	}
}

func TestRedisTimeoutsBoundedByDefault(t *testing.T) {
	r := Default().Redis
	for name, d := range map[string]time.Duration{
		"dial": r.DialTimeout, "read": r.ReadTimeout, "write": r.WriteTimeout, "pool": r.PoolTimeout,
	} {
		if d != 500*time.Millisecond {
			t.Errorf("%s timeout = %v, want 500ms", name, d)
		}
	}
	res := mustLoad(t, map[string]string{"session.secret": testHex, "session.type": "redis", "session.redis.pool_timeout": "2s"}, WithoutEnv())
	if res.Options.Redis.PoolTimeout != 2*time.Second {
		t.Errorf("pool_timeout = %v", res.Options.Redis.PoolTimeout)
	}
	if _, err := Load(map[string]string{"session.secret": testHex, "session.type": "redis", "session.redis.pool_timeout": "-1"}, WithoutEnv()); err == nil {
		t.Error("negative pool_timeout accepted")
	}
}

func TestSameSiteKeepsCase(t *testing.T) {
	for _, v := range []string{"lax", "Lax", "STRICT", "none"} {
		m := map[string]string{"session.secret": testHex, "session.samesite": v, "session.secure": "true"}
		res := mustLoad(t, m, WithoutEnv())
		if res.Options.SameSite != v {
			t.Errorf("samesite %q became %q", v, res.Options.SameSite)
		}
	}
	if Default().SameSite != "Lax" {
		t.Errorf("default samesite = %q", Default().SameSite)
	}
	_, err := Load(map[string]string{"session.secret": testHex, "session.samesite": "laxx"}, WithoutEnv())
	if d := findCode(asDiagnostics(err), codeSameSiteInvalid); d == nil || d.Suggestion != "Lax" {
		t.Errorf("laxx: %v", err)
	}
}

func TestOptionsValidate(t *testing.T) {
	o := Default()
	o.Secret = testHex
	if err := o.Validate(); err != nil {
		t.Fatalf("valid options: %v", err)
	}
	o.Secure = false // a warning only
	if err := o.Validate(); err != nil {
		t.Fatalf("warning reported as error: %v", err)
	}
	o.Secret = "short"
	err := o.Validate()
	var ds Diagnostics
	var d Diagnostic
	if !errors.As(err, &ds) || !errors.As(err, &d) {
		t.Fatalf("error %v does not convert to Diagnostics and Diagnostic", err)
	}
	if d.Code != codeSecretInvalid || !strings.Contains(err.Error(), "64 hexadecimal") {
		t.Errorf("first diagnostic %+v", d)
	}
}
