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

// LoadOrdered decodes vector file name keeping object member order (see
// DecodeOrdered), and returns the document and its "vectors" array.
func LoadOrdered(t testing.TB, name string) (doc *Object, vecs []*Object) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(Dir(t), name))
	if err != nil {
		t.Fatalf("vectors: %v", err)
	}
	v, err := DecodeOrdered(data)
	if err != nil {
		t.Fatalf("vectors: %s: %v", name, err)
	}
	doc, ok := v.(*Object)
	if !ok {
		t.Fatalf("vectors: %s: not a JSON object", name)
	}
	list, _ := doc.vals["vectors"].([]any)
	for i, e := range list {
		o, ok := e.(*Object)
		if !ok {
			t.Fatalf("vectors: %s: vector %d is not an object", name, i)
		}
		vecs = append(vecs, o)
	}
	return doc, vecs
}

// Tally counts vectors checked and vectors handled by a divergence rule.
// It is safe for use from one goroutine (subtests run sequentially).
// Expect and Verify make a vector that nothing accounted for fail.
type Tally struct {
	checked, diverged int
	files             map[string]bool
	rules             map[string]int
	perFile           map[string]*[2]int // checked, diverged
	expected          map[string]int
}

// Expect records that file holds n vectors, each of which must be
// counted once (checked or diverged) before Verify.
func (t *Tally) Expect(file string, n int) {
	t.init()
	t.expected[file] += n
}

// Verify fails tb for every file whose vectors were not all accounted
// for exactly once, and when no vector at all was counted.
func (t *Tally) Verify(tb testing.TB) {
	tb.Helper()
	t.init()
	if t.checked+t.diverged == 0 {
		tb.Errorf("conformance: no vector was checked")
	}
	for file, n := range t.expected {
		c := t.perFile[file]
		if c == nil {
			c = &[2]int{}
		}
		if got := c[0] + c[1]; got != n {
			tb.Errorf("conformance: %s: %d vectors, %d accounted for (checked or by a divergence rule)", file, n, got)
		}
	}
}

// Share is the fraction of counted vectors handled by a divergence rule.
func (t *Tally) Share() float64 {
	if t.checked+t.diverged == 0 {
		return 0
	}
	return float64(t.diverged) / float64(t.checked+t.diverged)
}

// Files lists, per file, the vectors checked and diverged.
func (t *Tally) Files() string {
	t.init()
	names := make([]string, 0, len(t.perFile))
	for n := range t.perFile {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		fmt.Fprintf(&b, "  %-24s %4d checked %4d diverged\n", n, t.perFile[n][0], t.perFile[n][1])
	}
	fmt.Fprintf(&b, "  divergence share %.1f%%\n", 100*t.Share())
	return b.String()
}

// Checked records that a vector of file was checked against our behaviour.
func (t *Tally) Checked(file string) {
	t.init()
	t.files[file] = true
	t.count(file)[0]++
	t.checked++
}

// Diverged records that a vector of file fell under the named divergence rule.
func (t *Tally) Diverged(file, rule string) {
	t.init()
	t.files[file] = true
	t.count(file)[1]++
	t.diverged++
	t.rules[rule]++
}

func (t *Tally) count(file string) *[2]int {
	c := t.perFile[file]
	if c == nil {
		c = &[2]int{}
		t.perFile[file] = c
	}
	return c
}

func (t *Tally) init() {
	if t.files == nil {
		t.files = map[string]bool{}
		t.rules = map[string]int{}
		t.perFile = map[string]*[2]int{}
		t.expected = map[string]int{}
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
