package settings

import (
	"os/exec"
	"strings"
	"testing"
)

// Nested references resolve like configparser's BasicInterpolation: every
// name, at every depth, is looked up in the section first, then in
// [DEFAULT], even inside a value that came from [DEFAULT].
var interpolationScopeCases = []struct {
	name, ini, want string
}{
	{"default value sees section name", `[DEFAULT]
base = %(name)s-cookie
name = dflt
[app:main]
name = local
session.cookie_name = %(base)s
`, "local-cookie"},
	{"default only", `[DEFAULT]
base = %(name)s-cookie
name = dflt
[app:main]
session.cookie_name = %(base)s
`, "dflt-cookie"},
	{"two levels through defaults", `[DEFAULT]
a = %(b)s
b = %(c)s-b
c = dflt
[app:main]
c = local
session.cookie_name = x%(a)sx
`, "xlocal-bx"},
	{"section value refers to default", `[DEFAULT]
c = dflt
[app:main]
b = %(c)s
session.cookie_name = %(b)s
`, "dflt"},
}

func TestINIInterpolationScope(t *testing.T) {
	for _, tt := range interpolationScopeCases {
		t.Run(tt.name, func(t *testing.T) {
			res := mustLoad(t, writeFile(t, "app.ini", tt.ini+"session.secret = "+testHex+"\n"), WithoutEnv())
			if got := res.Options.CookieName; got != tt.want {
				t.Errorf("cookie_name = %q, want %q", got, tt.want)
			}
		})
	}
}

// The expectations above are configparser's: check them with Python when
// it is installed.
func TestINIInterpolationScopeMatchesConfigparser(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not installed")
	}
	const script = `import configparser, sys
c = configparser.ConfigParser()
c.read_string(sys.stdin.read())
sys.stdout.write(c.get("app:main", "session.cookie_name"))`
	for _, tt := range interpolationScopeCases {
		cmd := exec.Command(py, "-c", script)
		cmd.Stdin = strings.NewReader(tt.ini)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%s: python3: %v", tt.name, err)
		}
		if string(out) != tt.want {
			t.Errorf("%s: configparser gives %q, the test expects %q", tt.name, out, tt.want)
		}
	}
}

// "get x = name" reads Paste Deploy's global_conf, whose [DEFAULT] values
// are interpolated within [DEFAULT] alone (NicerConfigParser.defaults
// calls get('DEFAULT', key)), so there the app section is not consulted;
// configparser's get('DEFAULT', "base") is "dflt-cookie" likewise.
func TestPasteGetFromDefaultsScope(t *testing.T) {
	ini := "[DEFAULT]\nbase = %(name)s-cookie\nname = dflt\n[app:main]\nname = local\nget session.cookie_name = base\nsession.secret = " + testHex + "\n"
	res := mustLoad(t, writeFile(t, "app.ini", ini), WithoutEnv())
	if got := res.Options.CookieName; got != "dflt-cookie" {
		t.Errorf("cookie_name = %q, want dflt-cookie", got)
	}
}
