package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A capped listing still counts every finding: the verdict and the JSON
// counts say 60,000 warnings although ten are listed, and the summary line
// carries the code's own severity.
func TestCappedListingCountsEveryFinding(t *testing.T) {
	var b strings.Builder
	b.WriteString("[app:main]\nsession.secret = 8d2f0b0b3e6a6d1e5f7c9a4b2c1d0e3f5a6b7c8d9e0f1a2b3c4d5e6f708192a3\nsession.secure = true\n")
	for i := range 60_000 {
		fmt.Fprintf(&b, "session.%x=1\n", i) // 60,000 lines within the 1 MiB limit
	}
	p := filepath.Join(t.TempDir(), "many.ini")
	if err := os.WriteFile(p, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	run([]string{"--no-env", p}, nil, &out, &errb, noEnv)
	text := out.String()
	if !strings.Contains(text, p+": configuration OK (60000 warning(s))") {
		t.Errorf("verdict:\n%s", text[max(0, len(text)-300):])
	}
	if !strings.Contains(text, "warning: and 59,990 more unknown-key findings (only the first 10 are listed) [SESSION-W007]") {
		t.Errorf("summary line:\n%s", text)
	}
	if strings.Contains(text, "info:") {
		t.Errorf("an info line:\n%s", text)
	}
	out.Reset()
	run([]string{"--no-env", "--json", p}, nil, &out, &errb, noEnv)
	var doc struct {
		WarningCount int `json:"warning_count"`
		InfoCount    int `json:"info_count"`
		Results      []struct {
			WarningCount int `json:"warning_count"`
			Diagnostics  []struct {
				Severity string `json:"severity"`
				Omitted  int    `json:"omitted"`
			} `json:"diagnostics"`
		} `json:"results"`
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil || len(doc.Results) != 1 {
		t.Fatalf("%v\n%s", err, out.String())
	}
	ds := doc.Results[0].Diagnostics
	if doc.WarningCount != 60_000 || doc.Results[0].WarningCount != 60_000 || doc.InfoCount != 0 ||
		len(ds) != 11 || ds[10].Omitted != 59_990 || ds[10].Severity != "warning" {
		t.Errorf("counts %d/%d info %d, %d diagnostics, last %+v", doc.WarningCount, doc.Results[0].WarningCount, doc.InfoCount, len(ds), ds[len(ds)-1])
	}
}
