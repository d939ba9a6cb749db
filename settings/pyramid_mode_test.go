package settings

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/sessconf/sessconf/internal/conf"
)

func TestPyramidModeFindings(t *testing.T) {
	const shared = "[app:main]\nuse = egg:app\nsession.secret = " + testHex + "\nsession.serializer = json\nsession.httponly = true\nsession.secure = true\n"
	tests := []struct {
		name  string
		ini   string
		code  Code
		line  int
		words string // in the message; "" means no Python finding at all
	}{
		{"clean", shared + "session.timeout = 1200\n", "", 0, ""},
		{"sessconf-only key", shared + "session.absolute_timeout = 3600\n", codePythonDivergence, 7, "TypeError"},
		{"pynacl prefix too", shared + "pynacl.session.type = encrypted\n", codePythonDivergence, 7, "TypeError"},
		{"go duration", shared + "session.timeout = 20m\n", codePythonDivergence, 7, "int()"},
		{"none", shared + "session.max_age = none\n", codePythonDivergence, 7, "int()"},
		{"continuation secret", strings.Replace(shared, "session.secret = ", "session.secret =\n    ", 1), codePythonDivergence, 3, "Odd-length string"},
		{"no httponly", strings.Replace(shared, "session.httponly = true\n", "", 1), codePythonDivergence, 1, "HttpOnly"},
		{"no serializer", strings.Replace(shared, "session.serializer = json\n", "", 1), codeSerializerMissing, 1, "pickle"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, _ := Load(conf.Source{Name: "app.ini", Data: []byte(tt.ini)}, WithoutEnv(), WithPyramid())
			var found []Diagnostic
			for _, d := range res.Diagnostics {
				if d.Code == codePythonDivergence || d.Code == codeSerializerMissing {
					found = append(found, d)
				}
			}
			if tt.code == "" {
				if len(found) != 0 {
					t.Fatalf("unexpected findings %v", found)
				}
				return
			}
			if len(found) != 1 || found[0].Code != tt.code || found[0].Pos.Line != tt.line || !strings.Contains(found[0].Message, tt.words) {
				t.Fatalf("want one %s at line %d mentioning %q, got %v", tt.code, tt.line, tt.words, found)
			}
			// Without the mode only the serializer of a Paste Deploy file is checked.
			res, _ = Load(conf.Source{Name: "app.ini", Data: []byte(tt.ini)}, WithoutEnv())
			for _, d := range res.Diagnostics {
				if d.Code == codeSerializerMissing || (d.Code == codePythonDivergence && tt.code != codeSerializerMissing) {
					t.Errorf("without the mode: %v", d)
				}
			}
		})
	}
}

func TestPasteDeployWithoutSerializerWarns(t *testing.T) {
	for _, tt := range []struct {
		ini  string
		warn bool
	}{
		{"[app:main]\nuse = egg:app\nsession.secret = " + testHex + "\n", true},
		{"[app:main]\nuse = egg:app\nsession.secret = " + testHex + "\nsession.serializer = json\n", false},
		{"[app:main]\nsession.secret = " + testHex + "\n", false},                                      // not a Paste Deploy application
		{"[app:main]\nuse = egg:app\nsession.type = redis\nsession.secret = " + testHex + "\n", false}, // pyramid_redis_sessions reads other keys
	} {
		res, _ := Load(conf.Source{Name: "app.ini", Data: []byte(tt.ini)}, WithoutEnv())
		if got := findCode(res.Diagnostics, codePythonDivergence) != nil; got != tt.warn {
			t.Errorf("%q: warning %v, want %v (%v)", tt.ini, got, tt.warn, res.Diagnostics)
		}
	}
}

func TestPythonInt(t *testing.T) {
	for s, want := range map[string]bool{"1200": true, " +5 ": true, "-1": true, "1_000": true, "20m": false, "none": false, "": false, "1__0": false, "+-1": false, "1.5": false} {
		if pythonInt(s) != want {
			t.Errorf("pythonInt(%q) = %v", s, !want)
		}
	}
}

// The two-app test's probes are INI files a real Pyramid application reads
// differently from sessconf (interop/testdata/twoapp); WithPyramid flags
// every one of them.
func TestPyramidModeFlagsTwoAppProbes(t *testing.T) {
	probes, _ := filepath.Glob("../interop/testdata/twoapp/probe-*.ini")
	if len(probes) == 0 {
		t.Skip("no two-app probes")
	}
	for _, p := range probes {
		res, _ := Load(p, WithoutEnv(), WithPyramid())
		if findCode(res.Diagnostics, codePythonDivergence) == nil && findCode(res.Diagnostics, codeSerializerMissing) == nil {
			t.Errorf("%s: no Pyramid finding in %v", p, res.Diagnostics)
		}
	}
}
