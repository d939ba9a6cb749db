package settings

import (
	"flag"
	"github.com/sessconf/sessconf/internal/conf"
	"os"
	"testing"
)

var update = flag.Bool("update", false, "rewrite OPTIONS.md")

// markdown renders OPTIONS.md from a load without configuration.
func markdown() string {
	var rep conf.Report
	_, _ = Load(nil, WithoutEnv(), conf.WithReport(&rep))
	return conf.Markdown(&rep)
}

// TestOptionsDoc keeps OPTIONS.md in sync with the key and code tables.
func TestOptionsDoc(t *testing.T) {
	got := markdown()
	if *update {
		if err := os.WriteFile("OPTIONS.md", []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile("OPTIONS.md")
	if err != nil || string(want) != got {
		t.Errorf("OPTIONS.md is out of date: go test ./settings -run TestOptionsDoc -update")
	}
}
