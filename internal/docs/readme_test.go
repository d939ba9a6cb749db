package docs

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sessconf/sessconf/settings"
)

var update = flag.Bool("update", false, "rewrite the generated parts of README.md")

const (
	tableStart = "<!-- options table: generated from settings.Keys() by `go test ./internal/docs -update` -->"
	tableEnd   = "<!-- end options table -->"
)

// optionsTable renders the key table: the single source for parsing,
// environment names, checkconf and these docs.
func optionsTable() string {
	var b strings.Builder
	b.WriteString("| key | default | environment | meaning |\n|---|---|---|---|\n")
	for _, k := range settings.Keys() {
		def := "—"
		if d := k.Default(); d != "" {
			def = "`" + d + "`"
		}
		b.WriteString("| `" + k.Name + "` | " + def + " | `" + k.EnvName("") + "` | " + strings.ReplaceAll(k.Doc, "|", "\\|") + " |\n")
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
