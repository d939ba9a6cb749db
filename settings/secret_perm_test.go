//go:build unix

package settings

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sessconf/sessconf/internal/conf"
)

// A file holding an effective secret warns (naming its path) when group or
// others may read or write it.
func TestSecretFilePermissions(t *testing.T) {
	write := func(t *testing.T, name, content string, mode os.FileMode) string {
		p := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(p, []byte(content), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
		return p
	}
	withSecret := "[app:main]\nsession.secret = " + testHex + "\nsession.secure = true\n"
	noSecret := "[app:main]\nsession.secure = true\n"
	tests := []struct {
		name    string
		ini     string
		iniMode os.FileMode
		secret  os.FileMode // 0: no SESSION_SECRET_FILE
		env     bool        // SESSION_SECRET set
		warn    string      // "ini", "secret" or ""
	}{
		{"private ini", withSecret, 0o600, 0, false, ""},
		{"world-readable ini", withSecret, 0o644, 0, false, "ini"},
		{"group-writable ini", withSecret, 0o620, 0, false, "ini"},
		{"group-readable ini", withSecret, 0o640, 0, false, "ini"},
		{"readable ini without secret", noSecret, 0o644, 0, false, ""},
		{"readable ini, secret from env", withSecret, 0o644, 0, true, ""},
		{"private secret file", noSecret, 0o644, 0o600, false, ""},
		{"owner-only read", noSecret, 0o644, 0o400, false, ""},
		{"world-readable secret file", noSecret, 0o600, 0o644, false, "secret"},
		{"other-writable secret file", noSecret, 0o600, 0o602, false, "secret"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ini := write(t, "app.ini", tt.ini, tt.iniMode)
			var env []string
			secretPath := ""
			if tt.secret != 0 {
				secretPath = write(t, "secret", testHex+"\n", tt.secret)
				env = append(env, "SESSION_SECRET_FILE="+secretPath)
			}
			if tt.env {
				env = append(env, "SESSION_SECRET="+testHex)
			}
			res, _ := Load(ini, conf.WithEnviron(env))
			d := findCode(res.Diagnostics, codeSecretFilePerm)
			switch tt.warn {
			case "":
				if d != nil {
					t.Errorf("unexpected %s", d.Error())
				}
			case "ini":
				if d == nil || !strings.Contains(d.Message, ini) || d.Pos.File != ini || d.Pos.Line != 2 {
					t.Errorf("got %v, want a warning at %s:2 naming it", d, ini)
				}
			case "secret":
				if d == nil || !strings.Contains(d.Message, secretPath) || d.Env != "SESSION_SECRET_FILE" {
					t.Errorf("got %v, want a warning naming %s", d, secretPath)
				}
			}
		})
	}
}
