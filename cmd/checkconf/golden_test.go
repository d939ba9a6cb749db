package main

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/sessconf/sessconf/settings"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/checkconf")

// noEnv is an empty environment.
func noEnv(string) (string, bool) { return "", false }

type goldenCase struct {
	name  string
	args  []string
	stdin string
	json  bool // also record --format json
}

var goldenCases = []goldenCase{
	{name: "good", args: []string{"testdata/good/good.ini"}, json: true},
	{name: "good-show", args: []string{"--show", "testdata/good/good.ini"}, json: true},
	{name: "merge-show", args: []string{"--merge", "--show", "testdata/good/good.ini", "testdata/good/prod.yaml"}, json: true},
	{name: "session-section", args: []string{"testdata/good/session-section.ini"}},
	{name: "multiline", args: []string{"--show", "testdata/good/multiline.ini"}},
	{name: "stdin", args: []string{"-"}, stdin: "[app:main]\nsession.secret = 8d2f0b0b3e6a6d1e5f7c9a4b2c1d0e3f5a6b7c8d9e0f1a2b3c4d5e6f708192a3\nsession.secure = true\n"},
	{name: "stdin-yaml", args: []string{"-"}, stdin: "session:\n  secret: '8d2f0b0b3e6a6d1e5f7c9a4b2c1d0e3f5a6b7c8d9e0f1a2b3c4d5e6f708192a3'\n  secure: tru\n"},
	{name: "examples", args: []string{"--no-env", "examples/app.ini", "examples/app-full.ini", "examples/app.yaml", "examples/app-redis.ini"}, json: true},
	{name: "nosecret", args: []string{"testdata/good/nosecret.ini"}, json: true},
	{name: "nosecret-no-env", args: []string{"--no-env", "testdata/good/nosecret.ini"}},
	{name: "nosecret-strict", args: []string{"--strict", "--no-env", "testdata/good/nosecret.ini"}},
	{name: "env-prefix", args: []string{"--env-file", "testdata/env/prefixed.env", "--env-prefix", "MYAPP", "--show", "testdata/good/nosecret.ini"}},
	{name: "env-unknown", args: []string{"--env-file", "testdata/env/unknown.env", "testdata/good/good.ini"}, json: true},
	{name: "env-conflict", args: []string{"--env-file", "testdata/env/conflict.env", "testdata/good/nosecret.ini"}},
	{name: "env-missing-file", args: []string{"--env-file", "testdata/env/missing-file.env", "testdata/good/nosecret.ini"}},
	{name: "set", args: []string{"--set", "session.timeout=abc", "--set", "cookie_name=sid", "--set", "session.timout=1", "--set", "novalue", "testdata/good/good.ini"}, json: true},
	{name: "section", args: []string{"--section", "server:main", "testdata/good/good.ini"}},
	{name: "secret-text", args: []string{"--no-env", "--set", "session.secret:hunter2pass", "--set", "session.redis.password=x%hunter2pass", "testdata/bad/secret-text.ini", "testdata/bad/secret-interp.ini"}, json: true},
	{name: "limits", args: []string{"--no-env", "testdata/bad/limits.ini", "testdata/bad/cookie-prefix.ini"}, json: true},
	{name: "limits-long-name", args: []string{"--no-env", "--section", "app:long", "testdata/bad/cookie-prefix.ini"}},
	{name: "secret-perms", args: []string{"--no-env", "testdata/bad/world-readable.ini"}, json: true},
	{name: "secret-file-perms", args: []string{"--env-file", "testdata/env/world-readable-secret.env", "testdata/good/nosecret.ini"}},
	{name: "alias-list", args: []string{"--no-env", "testdata/bad/alias-list.yaml"}},
	{name: "syntax", args: []string{"testdata/bad/syntax.ini", "testdata/bad/syntax.yaml"}, json: true},
	{name: "nosection", args: []string{"testdata/bad/nosection.ini"}, json: true},
	{name: "dupsection", args: []string{"testdata/bad/dupsection.ini"}},
	{name: "dupkey", args: []string{"testdata/bad/dupkey.ini", "testdata/bad/dupkey.yaml"}, json: true},
	{name: "values", args: []string{"testdata/bad/values.ini"}, json: true},
	{name: "cookie", args: []string{"testdata/bad/cookie.ini"}, json: true},
	{name: "samesite-none", args: []string{"testdata/bad/samesite-none.ini"}},
	{name: "timing", args: []string{"testdata/bad/timing.yaml"}, json: true},
	{name: "secret", args: []string{"testdata/bad/secret.ini"}, json: true},
	{name: "signed", args: []string{"testdata/bad/signed.ini"}, json: true},
	{name: "pickle", args: []string{"testdata/bad/pickle.ini"}},
	{name: "alias", args: []string{"testdata/bad/alias.ini"}},
	{name: "redis-legacy", args: []string{"testdata/bad/redis-legacy.ini"}, json: true},
	{name: "missing", args: []string{"testdata/bad/does-not-exist.ini"}, json: true},
	{name: "usage-format", args: []string{"--format", "xml", "testdata/good/good.ini"}},
	{name: "env-only", args: []string{"--env-file", "testdata/env/env-only.env"}, json: true},
	{name: "env-only-none", args: []string{}},
	{name: "ignore", args: []string{"--strict", "--no-env", "--ignore", "SESSION-W012", "testdata/good/nosecret.ini"}, json: true},
	{name: "ignore-names", args: []string{"--strict", "--ignore", "insecure,httponly-off", "--ignore", "SESSION-W002", "examples/app.ini"}, json: true},
	{name: "ignore-unknown", args: []string{"--json", "--ignore", "SESSION-W999", "testdata/good/good.ini"}},
	{name: "service-links", args: []string{"--env-file", "testdata/env/service-links.env", "testdata/good/good.ini"}, json: true},
	{name: "redis-default", args: []string{"testdata/bad/redis-default.ini"}, json: true},
	{name: "redis-port", args: []string{"testdata/bad/redis-port.ini"}},
	{name: "pyramid", args: []string{"--no-env", "--pyramid", "testdata/bad/pyramid.ini"}, json: true},
	{name: "pyramid-signed", args: []string{"--no-env", "--pyramid", "testdata/bad/pyramid-signed.ini"}},
	{name: "pyramid-examples", args: []string{"--no-env", "--pyramid", "examples/app.ini"}},
	{name: "paste-pickle", args: []string{"--no-env", "testdata/bad/paste-pickle.ini"}},
	{name: "many-unknown", args: []string{"--no-env", "testdata/bad/many-unknown.ini"}, json: true},
	{name: "usage-json", args: []string{"--format", "json", "--bogus"}},
	{name: "usage-format-json", args: []string{"--json", "--dialect", "nope"}},
}

// TestGolden runs checkconf on testdata and compares stdout, stderr and
// the exit code with testdata/checkconf/<case>.txt (and .json).
// Run with -update to rewrite them.
func TestGolden(t *testing.T) {
	inPrivateCopy(t)
	for _, c := range goldenCases {
		t.Run(c.name, func(t *testing.T) {
			checkGolden(t, c.name+".txt", c.args, c.stdin)
			if c.json {
				out := checkGolden(t, c.name+".json", append([]string{"--format", "json"}, c.args...), c.stdin)
				if !json.Valid([]byte(out)) {
					t.Errorf("--format json output is not valid JSON:\n%s", out)
				}
			}
		})
	}
}

// checkGolden returns stdout.
func checkGolden(t *testing.T, golden string, args []string, stdin string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(args, strings.NewReader(stdin), &stdout, &stderr, noEnv)
	var got string
	if strings.HasSuffix(golden, ".json") {
		got = stdout.String()
		if stderr.Len() > 0 {
			t.Errorf("stderr with --format json: %s", stderr.String())
		}
		got += fmt.Sprintf("// exit %d\n", code)
	} else {
		got = fmt.Sprintf("$ checkconf %s\n%s", strings.Join(args, " "), stdout.String())
		if stderr.Len() > 0 {
			got += "--- stderr\n" + stderr.String()
		}
		got += fmt.Sprintf("--- exit %d\n", code)
	}
	path := filepath.Join(goldenDir, golden)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return stdout.String()
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/checkconf -update)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (run go test ./cmd/checkconf -update to accept)\n--- got\n%s\n--- want\n%s", golden, got, want)
	}
	return stdout.String()
}

// TestGoldenCoverage fails if a diagnostic code appears in no golden file.
func TestGoldenCoverage(t *testing.T) {
	seen := map[string]bool{}
	files, _ := filepath.Glob("../../testdata/checkconf/*.txt")
	if len(files) == 0 {
		t.Fatal("no golden files")
	}
	re := regexp.MustCompile(`\[(SESSION-[EWI]\d{3})\]`)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(data), -1) {
			seen[m[1]] = true
		}
	}
	for _, c := range reference().Codes {
		if !seen[c.ID] {
			t.Errorf("code %s (%s) has no golden coverage in testdata/checkconf", c.ID, c.Name)
		}
	}
}

// TestGoldenNoSecrets: no golden output contains a secret from testdata.
func TestGoldenNoSecrets(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/checkconf/*")
	for _, f := range files {
		data, _ := os.ReadFile(f)
		if cmd, rest, ok := bytes.Cut(data, []byte("\n")); ok && bytes.HasPrefix(cmd, []byte("$ checkconf")) {
			data = rest // the command line itself may pass a secret
		}
		for _, s := range []string{"8d2f0b0b3e6a6d1e", "0123456789abcdef0123", "changeme", "a-long-enough-secret", "hunter2", "oldsecret-"} {
			if bytes.Contains(data, []byte(s)) {
				t.Errorf("%s prints a secret (%s…)", f, s)
			}
		}
	}
}

func TestGenerateSecret(t *testing.T) {
	var a, b bytes.Buffer
	if code := run([]string{"--generate-secret"}, nil, &a, &b, noEnv); code != 0 {
		t.Fatalf("exit %d: %s", code, b.String())
	}
	s := strings.TrimSpace(a.String())
	if k, err := hex.DecodeString(s); err != nil || len(k) != 32 {
		t.Fatalf("not a 64-hex secret: %q", s)
	}
	// The generated secret is accepted by Load.
	res, err := settings.Load(map[string]string{"session.secret": s, "session.secure": "true"}, settings.WithoutEnv())
	if err != nil || len(res.Diagnostics) != 0 {
		t.Fatalf("generated secret rejected: %v %v", err, res.Diagnostics)
	}
}

func TestExitCodes(t *testing.T) {
	inPrivateCopy(t)
	tests := []struct {
		args []string
		want int
	}{
		{[]string{"testdata/good/good.ini"}, exitOK},
		{[]string{"--strict", "testdata/good/good.ini"}, exitOK},
		{[]string{"--strict", "examples/app.ini"}, exitWarnings},
		{[]string{"examples/app.ini"}, exitOK},
		{[]string{"testdata/bad/values.ini"}, exitInvalid},
		{[]string{"testdata/good/good.ini", "testdata/bad/values.ini"}, exitInvalid},
		{[]string{"testdata/bad/does-not-exist.ini", "testdata/bad/values.ini"}, exitUsage},
		{[]string{"--bogus-flag", "x.ini"}, exitUsage},
		{[]string{"-", "-"}, exitUsage},
		{[]string{"--dialect", "nope", "x.ini"}, exitUsage},
		{[]string{"--help"}, exitOK},
		{[]string{"--env-help"}, exitOK},
		{[]string{"--env-file", "testdata/nope.env", "x.ini"}, exitUsage},
		{[]string{"--json", "testdata/good/good.ini"}, exitOK},
		{[]string{"--quiet", "testdata/good/good.ini"}, exitOK},
		{[]string{"--input-format", "yaml", "testdata/good/prod.yaml"}, exitInvalid},
		{[]string{"--version"}, exitOK},
		{[]string{"--strict", "--no-env", "testdata/good/nosecret.ini"}, exitWarnings},
		{[]string{"--strict", "--no-env", "--ignore", "secret-from-env", "testdata/good/nosecret.ini"}, exitOK},
		{[]string{"--ignore", "nope", "testdata/good/good.ini"}, exitUsage},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var out, errb bytes.Buffer
			if got := run(tt.args, strings.NewReader(""), &out, &errb, noEnv); got != tt.want {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", got, tt.want, out.String(), errb.String())
			}
		})
	}
}

func TestQuiet(t *testing.T) {
	inPrivateCopy(t)
	var out bytes.Buffer
	run([]string{"-q", "testdata/good/good.ini"}, nil, &out, &out, noEnv)
	if out.Len() != 0 {
		t.Errorf("--quiet printed %q", out.String())
	}
}

func TestProcessEnvironment(t *testing.T) {
	inPrivateCopy(t)
	t.Setenv("SESSION_TIMOUT", "5")
	t.Setenv("SESSION_TIMEOUT", "30")
	var out bytes.Buffer
	code := run([]string{"testdata/good/good.ini"}, nil, &out, &out, nil)
	s := out.String()
	if code != exitOK || !strings.Contains(s, "env:SESSION_TIMOUT: warning") || !strings.Contains(s, "env:SESSION_TIMEOUT: warning: session.timeout") {
		t.Errorf("exit %d, output:\n%s", code, s)
	}
}
