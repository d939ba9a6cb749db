package settings

import (
	"encoding/json"
	"strings"
	"testing"
)

// No diagnostic quotes text that may be a secret: a malformed line (it may
// be a secret whose indentation was lost), text after '%' or a reference
// name in a secret key's value, or an override without '='.
func TestSecretTextNeverInDiagnostics(t *testing.T) {
	const secret = "hunter2pass"
	tests := []struct {
		name string
		ini  string
		set  []string
		code Code
	}{
		{"syntax line", "[app:main]\nsession.secret =\nhunter2pass\n", nil, codeSyntax},
		{"malformed header", "[app:main]\n[hunter2pass\n", nil, codeSyntax},
		{"percent in secret", "[app:main]\nsession.secret = ab%hunter2pass\n", nil, codeInterpolation},
		{"undefined ref in password", "[app:main]\nsession.redis.password = %(hunter2pass)s\n", nil, codeInterpolation},
		{"pynacl prefix", "[app:main]\npynacl.session.secret = %(hunter2pass)s\n", nil, codeInterpolation},
		{"bare [session] key", "[session]\nsecret = %(hunter2pass)s\n", nil, codeInterpolation},
		{"nested in a referenced option", "[app:main]\nref = %(hunter2pass)s\nsession.cookie_name = %(ref)s\n", nil, codeInterpolation},
		{"override without =", "[app:main]\n", []string{"session.secret:hunter2pass"}, codeSyntax},
		{"override with ':' in the key", "[app:main]\n", []string{"session.secret:hunter2pass=x"}, codeSyntax},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Load(writeFile(t, "app.ini", tt.ini), WithoutEnv(), WithOverrides(tt.set...))
			if findCode(res.Diagnostics, tt.code) == nil {
				t.Fatalf("no %v: %v", tt.code, res.Diagnostics)
			}
			js, _ := json.Marshal(res.Diagnostics)
			for _, out := range []string{err.Error(), res.Diagnostics.Error(), string(js)} {
				if strings.Contains(out, secret) {
					t.Errorf("secret text in %s", out)
				}
			}
		})
	}
}

// A non-secret key's undefined reference is still named.
func TestInterpolationNamesNonSecretReference(t *testing.T) {
	res, _ := Load(writeFile(t, "app.ini", "[app:main]\nsession.cookie_name = %(nosuch)s\n"), WithoutEnv())
	if d := findCode(res.Diagnostics, codeInterpolation); d == nil || !strings.Contains(d.Message, "%(nosuch)s") {
		t.Errorf("diagnostics: %v", res.Diagnostics)
	}
}
