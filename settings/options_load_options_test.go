package settings

import (
	"strings"
	"testing"

	"github.com/sessconf/sessconf/internal/conf"
)

// Files, the environment and overrides never apply to an Options value;
// asking for them is an error instead of being silently ignored.
func TestOptionsWithLoadOptionsRefused(t *testing.T) {
	o := Default()
	o.Secret, o.Secure = testHex, true
	file := writeFile(t, "app.ini", "[app:main]\nsession.timeout = 60\n")
	tests := []struct {
		name string
		opts []LoadOption
		want string // "" : accepted
	}{
		{"none", nil, ""},
		{"WithoutEnv", []LoadOption{WithoutEnv()}, ""},
		{"report", []LoadOption{conf.WithReport(&conf.Report{})}, ""},
		{"files", []LoadOption{WithFiles(file)}, "WithFiles"},
		{"env prefix", []LoadOption{WithEnvPrefix("MYAPP")}, "WithEnvPrefix"},
		{"environment", []LoadOption{conf.WithEnviron([]string{"SESSION_TIMEOUT=5"})}, "WithEnvPrefix"},
		{"section", []LoadOption{WithSection("app:other")}, "WithSection"},
		{"overrides", []LoadOption{WithOverrides("session.timeout=5")}, "WithOverrides"},
		{"pyramid", []LoadOption{WithPyramid()}, "WithPyramid"},
	}
	for _, tt := range tests {
		for _, cfg := range []any{o, &o} {
			res, err := Load(cfg, tt.opts...)
			if tt.want == "" {
				if err != nil {
					t.Errorf("%s (%T): %v", tt.name, cfg, err)
				}
				continue
			}
			d := findCode(asDiagnostics(err), codeUnsupportedOption)
			if d == nil || !strings.Contains(d.Message, tt.want) {
				t.Errorf("%s (%T): err %v, want %s refused", tt.name, cfg, err, tt.want)
			}
			if res.Options.Timeout != o.Timeout {
				t.Errorf("%s (%T): options changed: %v", tt.name, cfg, res.Options.Timeout)
			}
		}
	}
}
