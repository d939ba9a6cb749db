package settings

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sessconf/sessconf/internal/conf"
)

// aliasBomb nests aliases so that full expansion visits 9^levels entries.
func aliasBomb(levels int) string {
	var b strings.Builder
	b.WriteString("a0: &a0 {secure: true}\n")
	for i := 1; i <= levels; i++ {
		fmt.Fprintf(&b, "a%d: &a%d {", i, i)
		for j := 0; j < 9; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "k%d: *a%d", j, i-1)
		}
		b.WriteString("}\n")
	}
	fmt.Fprintf(&b, "session:\n  <<: *a%d\n", levels)
	return b.String()
}

// interpolationBomb doubles tenfold per level: %(a9)s is 10^10 bytes.
func interpolationBomb(levels int) string {
	var b strings.Builder
	b.WriteString("[DEFAULT]\na0 = xxxxxxxxxx\n")
	for i := 1; i <= levels; i++ {
		fmt.Fprintf(&b, "a%d = %s\n", i, strings.Repeat(fmt.Sprintf("%%(a%d)s", i-1), 10))
	}
	fmt.Fprintf(&b, "[app:main]\nsession.secret = %s\nother.key = %%(a%d)s\nsession.domain = %%(a%d)s\n", testHex, levels, levels)
	return b.String()
}

func TestConfigFileMustBeRegularAndSmall(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.ini")
	if err := os.WriteFile(big, []byte("[app:main]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(big, 2<<20); err != nil { // sparse: costs no disk
		t.Fatal(err)
	}
	good := writeFile(t, "good.ini", "[app:main]\nsession.secret = "+testHex+"\n")
	link := filepath.Join(dir, "link.ini")
	if err := os.Symlink(good, link); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path string
		want string // in the message; "" means accepted
	}{
		{big, "the limit is 1 MiB"},
		{dir, "not a regular file (a directory)"},
		{link, ""},
	}
	if _, err := os.Stat("/dev/zero"); err == nil {
		tests = append(tests, struct{ path, want string }{"/dev/zero", "not a regular file (a character device)"})
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.path), func(t *testing.T) {
			res, _ := Load(tt.path, WithoutEnv())
			d := findCode(res.Diagnostics, codeUnreadable)
			if tt.want == "" {
				if d != nil {
					t.Fatalf("refused: %v", d)
				}
				return
			}
			if d == nil || !strings.Contains(d.Message, tt.want) || !strings.Contains(d.Message, tt.path) || d.Pos.File != tt.path {
				t.Fatalf("want E021 naming %s and %q, got %v", tt.path, tt.want, res.Diagnostics)
			}
		})
	}
	// In-memory sources have the same limit.
	res, _ := Load(conf.Source{Name: "<stdin>", Data: make([]byte, conf.MaxConfigSize+1)}, WithoutEnv())
	if d := findCode(res.Diagnostics, codeUnreadable); d == nil || !strings.Contains(d.Message, "1 MiB") {
		t.Errorf("oversize source: %v", res.Diagnostics)
	}
}

func TestSecretFileMustBeRegularAndSmall(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.secret")
	if err := os.WriteFile(big, []byte(strings.Repeat("a", conf.MaxSecretFileSize+1)), 0o600); err != nil {
		t.Fatal(err)
	}
	ok := filepath.Join(dir, "ok.secret")
	if err := os.WriteFile(ok, []byte(testHex+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ path, want string }{
		{big, "the limit is 64 KiB"},
		{dir, "not a regular file (a directory)"},
		{filepath.Join(dir, "missing"), "no such file"},
		{ok, ""},
	}
	if _, err := os.Stat("/dev/zero"); err == nil {
		tests = append(tests, struct{ path, want string }{"/dev/zero", "not a regular file"})
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.path), func(t *testing.T) {
			res, err := Load(nil, conf.WithEnviron([]string{"SESSION_SECRET_FILE=" + tt.path, "SESSION_SECURE=1"}))
			d := findCode(res.Diagnostics, codeEnvFile)
			if tt.want == "" {
				if err != nil || res.Options.Secret != testHex {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if d == nil || !strings.Contains(d.Message, tt.want) || !strings.Contains(d.Message, tt.path) {
				t.Fatalf("want E014 naming %s and %q, got %v", tt.path, tt.want, res.Diagnostics)
			}
		})
	}
}

func TestYAMLAliasExpansionBounded(t *testing.T) {
	src := aliasBomb(9)
	if len(src) > 1000 {
		t.Fatalf("bomb is %d bytes", len(src))
	}
	res, err := Load(conf.Source{Name: "bomb.yaml", Data: []byte(src)}, WithoutEnv())
	d := findCode(res.Diagnostics, codeSyntax)
	if err == nil || d == nil || !strings.Contains(d.Message, "alias expansion is bounded") || d.Pos.Line < 1 {
		t.Fatalf("want a positioned alias-bound error, got %v", res.Diagnostics)
	}
	// A few aliases stay fine.
	res2 := mustLoad(t, conf.Source{Name: "ok.yaml", Data: []byte("base: &b {secure: true, secret: '" + testHex + "'}\nsession:\n  <<: *b\n  timeout: 60\n")}, WithoutEnv())
	if !res2.Options.Secure || res2.Options.Secret != testHex {
		t.Errorf("merge key: %+v", res2.Options)
	}
}

func TestINIInterpolationBounded(t *testing.T) {
	src := interpolationBomb(9)
	if len(src) > 800 {
		t.Fatalf("bomb is %d bytes", len(src))
	}
	res, err := Load(conf.Source{Name: "bomb.ini", Data: []byte(src)}, WithoutEnv())
	var ds Diagnostics
	for _, d := range res.Diagnostics {
		if d.Code == codeInterpolation {
			ds = append(ds, d)
		}
	}
	// Only the key sessconf reads is expanded: other.key (line 14) is not.
	if err == nil || len(ds) != 1 || ds[0].Pos.Line != 15 || !strings.Contains(ds[0].Message, "64 KiB") {
		t.Fatalf("want one E005 at line 15 naming the bound, got %v", res.Diagnostics)
	}
	// A reference to an undefined option outside the session namespace is
	// not sessconf's business.
	mustLoad(t, conf.Source{Name: "x.ini", Data: []byte("[app:main]\nsession.secret = " + testHex + "\nsession.secure = true\nother = %(nope)s\n")}, WithoutEnv())
	// Many small references still work.
	res2 := mustLoad(t, conf.Source{Name: "y.ini", Data: []byte("[DEFAULT]\nd = example.com\n[app:main]\nsession.secret = " + testHex + "\nsession.secure = true\nsession.domain = %(d)s\n")}, WithoutEnv())
	if res2.Options.Domain != "example.com" {
		t.Errorf("domain %q", res2.Options.Domain)
	}
}

// A 64 KiB multi-line value is read whole (a list that long is over its
// entry limit, so a string setting is used).
func TestLongMultilineValueAccepted(t *testing.T) {
	var b strings.Builder
	var want []string
	b.WriteString("[app:main]\nsession.type = signed\nsession.secret = " + testHex + "\nsession.secure = true\nsession.salt =\n")
	for i := 0; b.Len() < 64<<10; i++ {
		e := fmt.Sprintf("salt%d", i)
		want = append(want, e)
		fmt.Fprintf(&b, "    %s\n", e)
	}
	b.WriteString("session.timeout = 60\n")
	res := mustLoad(t, conf.Source{Name: "long.ini", Data: []byte(b.String())}, WithoutEnv())
	if got := strings.Fields(res.Options.Salt); !slices.Equal(got, want) || res.Options.Timeout != Seconds(60) {
		t.Fatalf("got %d salt lines (want %d), timeout %v", len(got), len(want), res.Options.Timeout)
	}
}

func TestRepeatedFindingsCapped(t *testing.T) {
	var b strings.Builder
	b.WriteString("[app:main]\nsession.secret = " + testHex + "\nsession.secure = true\n")
	for i := range 1000 {
		fmt.Fprintf(&b, "session.unknown%d = 1\n", i)
	}
	res := mustLoad(t, conf.Source{Name: "many.ini", Data: []byte(b.String())}, WithoutEnv())
	n, summary := 0, Diagnostic{}
	for _, d := range res.Diagnostics {
		if d.Code == codeUnknownKey {
			if d.Omitted > 0 {
				summary = d
			} else {
				n++
			}
		}
	}
	// The summary has the code's own severity, ends the listing, and
	// counts what it leaves out.
	last := res.Diagnostics[len(res.Diagnostics)-1]
	if n != maxFindingsPerCode || summary.Message != "and 990 more unknown-key findings (only the first 10 are listed)" ||
		summary.Omitted != 990 || summary.Severity != SeverityWarning || last.Omitted != 990 {
		t.Fatalf("%d findings, summary %+v, last %+v", n, summary, last)
	}
	if thousands(99990) != "99,990" || thousands(5) != "5" || thousands(1000000) != "1,000,000" {
		t.Error("thousands")
	}
}

func TestServiceLinksIgnored(t *testing.T) {
	environ := []string{
		"SESSION_SECRET=" + testHex, "SESSION_SECURE=true",
		"SESSION_REDIS_PORT=tcp://10.0.0.5:6379", "SESSION_REDIS_PORT_6379_TCP=tcp://10.0.0.5:6379",
		"SESSION_REDIS_PORT_6379_TCP_PROTO=tcp", "SESSION_REDIS_PORT_6379_TCP_PORT=6379",
		"SESSION_REDIS_PORT_6379_TCP_ADDR=10.0.0.5", "SESSION_REDIS_SERVICE_HOST=10.0.0.5",
		"SESSION_REDIS_SERVICE_PORT=6379", "SESSION_SERVICE_PORT_HTTP=80",
		"SESSION_PORT=8080", // not a service link: the value is no proto://addr
	}
	res := mustLoad(t, nil, conf.WithEnviron(environ))
	var infos, unknown []Diagnostic
	for _, d := range res.Diagnostics {
		switch d.Code {
		case codeServiceLinks:
			infos = append(infos, d)
		case codeUnknownEnv:
			unknown = append(unknown, d)
		}
	}
	if len(infos) != 1 || infos[0].Severity != SeverityInfo || !strings.Contains(infos[0].Message, "ignored 8 Kubernetes service-link") {
		t.Errorf("service links: %v", infos)
	}
	if len(unknown) != 1 || unknown[0].Env != "SESSION_PORT" {
		t.Errorf("unknown variables: %v", unknown)
	}
}
