package settings

import (
	"flag"
	"os"
	"testing"
)

var update = flag.Bool("update", false, "rewrite OPTIONS.md")

// TestOptionsDoc keeps OPTIONS.md in sync with the key and code tables.
func TestOptionsDoc(t *testing.T) {
	got := Markdown()
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
