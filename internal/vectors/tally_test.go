package vectors_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sessconf/sessconf/internal/vectors"
)

// recorder is a testing.TB that keeps the errors reported to it.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func TestTallyVerify(t *testing.T) {
	for _, c := range []struct {
		name    string
		run     func(*vectors.Tally)
		wantErr string
	}{
		{"all accounted", func(ta *vectors.Tally) {
			ta.Expect("a.json", 2)
			ta.Checked("a.json")
			ta.Diverged("a.json", "rule")
		}, ""},
		{"one vector unaccounted", func(ta *vectors.Tally) {
			ta.Expect("a.json", 3)
			ta.Checked("a.json")
			ta.Diverged("a.json", "rule")
		}, "a.json: 3 vectors, 2 accounted for"},
		{"counted twice", func(ta *vectors.Tally) {
			ta.Expect("a.json", 1)
			ta.Checked("a.json")
			ta.Checked("a.json")
		}, "a.json: 1 vectors, 2 accounted for"},
		{"file never reached", func(ta *vectors.Tally) {
			ta.Expect("a.json", 1)
			ta.Expect("b.json", 1)
			ta.Checked("a.json")
		}, "b.json: 1 vectors, 0 accounted for"},
		{"nothing counted", func(ta *vectors.Tally) {}, "no vector was checked"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var ta vectors.Tally
			c.run(&ta)
			r := &recorder{TB: t}
			ta.Verify(r)
			got := strings.Join(r.errs, "; ")
			if (c.wantErr == "") != (got == "") || !strings.Contains(got, c.wantErr) {
				t.Errorf("Verify reported %q, want %q", got, c.wantErr)
			}
		})
	}
}

func TestTallyShare(t *testing.T) {
	var ta vectors.Tally
	for range 17 {
		ta.Checked("a.json")
	}
	for range 3 {
		ta.Diverged("b.json", "rule")
	}
	if s := ta.Share(); s != 0.15 {
		t.Errorf("share %v, want 0.15", s)
	}
	if f := ta.Files(); !strings.Contains(f, "a.json") || !strings.Contains(f, "17 checked") || !strings.Contains(f, "15.0%") {
		t.Errorf("Files():\n%s", f)
	}
}
