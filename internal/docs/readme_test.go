package docs

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sessconf/sessconf/internal/conf"
	"github.com/sessconf/sessconf/settings"
)

var update = flag.Bool("update", false, "rewrite the generated parts of README.md")

const (
	tableStart = "<!-- options table: generated from the settings key table by `go test ./internal/docs -update` -->"
	tableEnd   = "<!-- end options table -->"
)

// optionsTable is the settings key table as conf.Markdown renders it for
// settings/OPTIONS.md: its first table, so there is one renderer.
func optionsTable() string {
	var rep conf.Report
	_, _ = settings.Load(nil, settings.WithoutEnv(), conf.WithReport(&rep))
	var b strings.Builder
	for _, line := range strings.SplitAfter(conf.Markdown(&rep), "\n") {
		if strings.HasPrefix(line, "|") {
			b.WriteString(line)
		} else if b.Len() > 0 {
			break
		}
	}
	return b.String()
}

func TestReadmeOptionsTable(t *testing.T) {
	path := filepath.Join("..", "..", "README.md")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	i, j := strings.Index(readme, tableStart), strings.Index(readme, tableEnd)
	if i < 0 || j < i {
		t.Fatalf("README.md lacks the options table markers")
	}
	want := readme[:i+len(tableStart)] + "\n" + optionsTable() + readme[j:]
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if readme != want {
		t.Errorf("README.md options table is stale: run go test ./internal/docs -update")
	}
}
