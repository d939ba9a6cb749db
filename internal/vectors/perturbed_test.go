package vectors_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sessconf/sessconf/internal/vectors"
)

// The conformance tests must pass on any vector set the generator makes,
// not only on the public one. testdata/perturb.py makes session_api,
// signed and encrypted cookie vectors from other data with the real
// Pyramid 2.0, webob and PyNaCl; this test runs every conformance test
// against the public files with those replacing their counterparts.

// conformancePackages hold the tests that read the vector files.
var conformancePackages = []string{"./session", "./internal/codec", "./internal/pyjson", "./settings", "./factory"}

// pythonWithPyramid returns a python3 that imports pyramid, webob and
// nacl, or "" when there is none.
func pythonWithPyramid(t *testing.T) string {
	for _, py := range []string{"python3", "/usr/bin/python3"} {
		path, err := exec.LookPath(py)
		if err != nil {
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		err = exec.CommandContext(ctx, path, "-c", "import pyramid.session, webob.cookies, nacl.secret").Run()
		cancel()
		if err == nil {
			return path
		}
	}
	return ""
}

func TestPerturbedVectors(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the conformance tests in a child go test")
	}
	py := pythonWithPyramid(t)
	if py == "" {
		vectors.PythonMissing(t, "no python3 imports pyramid, webob and nacl (apt-get install python3-pyramid python3-nacl)")
	}
	public := vectors.Dir(t)
	gen, set := filepath.Join(t.TempDir(), "gen"), t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if out, err := exec.CommandContext(ctx, py, filepath.Join("testdata", "perturb.py"), gen, public).CombinedOutput(); err != nil {
		t.Fatalf("perturb.py: %v\n%s", err, out)
	}
	copyJSON(t, public, set)
	replaced := copyJSON(t, gen, set)
	if len(replaced) < 3 {
		t.Fatalf("perturb.py wrote %v, want at least session_api, signed and encrypted cookies", replaced)
	}

	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	args := append([]string{"test", "-count=1", "-v", "-run", "Conformance"}, conformancePackages...)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "SESSCONF_VECTORS="+set)
	out, err := cmd.CombinedOutput()
	tallies := summary(string(out))
	t.Logf("perturbed set (replaced %s):\n  %s", strings.Join(replaced, ", "), strings.Join(tallies, "\n  "))
	if err != nil {
		t.Fatalf("conformance tests fail on the perturbed vectors: %v\n%s", err, failures(string(out)))
	}
	if len(tallies) == 0 {
		t.Fatalf("no conformance tally in the output:\n%s", out)
	}
}

var (
	tallyLine = regexp.MustCompile(`(conformance: \d+ vectors checked, \d+ by divergence rule, \d+ files|value round trip: \d+ [^\n]*)`)
	pkgLine   = regexp.MustCompile(`^(ok|FAIL)\s+github\.com/sessconf/sessconf/(\S+)`)
)

// summary returns each tally line of go test -v output, prefixed with its
// package.
func summary(out string) []string {
	var lines, pending []string
	for _, l := range strings.Split(out, "\n") {
		if m := tallyLine.FindString(l); m != "" {
			pending = append(pending, m)
		}
		if m := pkgLine.FindStringSubmatch(l); m != nil {
			for _, p := range pending {
				lines = append(lines, m[2]+": "+p)
			}
			pending = nil
		}
	}
	return append(lines, pending...)
}

// copyJSON copies every *.json file of src into dst and returns their names.
func copyJSON(t *testing.T, src, dst string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(src, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, filepath.Base(f)), data, 0o644); err != nil {
			t.Fatal(err)
		}
		names = append(names, filepath.Base(f))
	}
	return names
}

// failures keeps the lines of go test output that explain a failure.
func failures(out string) string {
	var keep []string
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "FAIL") || strings.Contains(l, "_test.go:") && !strings.Contains(l, "conformance:") {
			keep = append(keep, l)
		}
	}
	if len(keep) > 200 {
		keep = append(keep[:200], "…")
	}
	return strings.Join(keep, "\n")
}
