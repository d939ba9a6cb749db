// Package vectors finds and reads the JSON test vectors produced by the
// Python originals, and tallies how a conformance test accounted for them.
package vectors

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// Dir returns the vector directory: $SESSCONF_VECTORS, or the copy in
// testdata/vectors at the module root. The test fails if it does not exist.
func Dir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("SESSCONF_VECTORS")
	if dir == "" {
		root, err := moduleRoot()
		if err != nil {
			t.Fatalf("vectors: %v", err)
		}
		dir = filepath.Join(root, "testdata", "vectors")
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		t.Fatalf("vectors: directory %s not found (set SESSCONF_VECTORS)", dir)
	}
	return dir
}

func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory")
		}
		dir = parent
	}
}

// Load decodes vector file name (e.g. "signed_cookies.json") into v.
func Load(t testing.TB, name string, v any) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(Dir(t), name))
	if err != nil {
		t.Fatalf("vectors: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("vectors: %s: %v", name, err)
	}
}

// Tally counts vectors checked and vectors handled by a divergence rule.
// It is safe for use from one goroutine (subtests run sequentially).
type Tally struct {
	checked, diverged int
	files             map[string]bool
	rules             map[string]int
}

// Checked records that a vector of file was checked against our behaviour.
func (t *Tally) Checked(file string) {
	t.init()
	t.files[file] = true
	t.checked++
}

// Diverged records that a vector of file fell under the named divergence rule.
func (t *Tally) Diverged(file, rule string) {
	t.init()
	t.files[file] = true
	t.diverged++
	t.rules[rule]++
}

func (t *Tally) init() {
	if t.files == nil {
		t.files = map[string]bool{}
		t.rules = map[string]int{}
	}
}

// Line is the summary line conformance tests log.
func (t *Tally) Line() string {
	return fmt.Sprintf("conformance: %d vectors checked, %d by divergence rule, %d files", t.checked, t.diverged, len(t.files))
}

// Rules lists each divergence rule with its count, for verbose logs.
func (t *Tally) Rules() string {
	names := make([]string, 0, len(t.rules))
	for n := range t.rules {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		fmt.Fprintf(&b, "  %4d  %s\n", t.rules[n], n)
	}
	return b.String()
}
