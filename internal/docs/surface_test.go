package docs

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// maxExported is the budget of exported identifiers across the module's
// public packages: top-level types, functions, variables and constants,
// plus methods of exported types. Fields are not counted. A change that
// needs more should first ask whether a user needs the name.
const maxExported = 110

// exported returns, per public package directory, the exported
// identifiers of its non-test files.
func exported(t *testing.T, root string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			base := d.Name()
			if rel != "." && (base == "internal" || base == "testdata" || strings.HasPrefix(base, ".") ||
				base == "examples" || base == "cmd" || base == "interop") {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil && rel != "." {
				return filepath.SkipDir // a nested module
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		pkg := filepath.Dir(rel)
		for _, decl := range f.Decls {
			switch d := decl.(type) {
			case *ast.FuncDecl:
				if !d.Name.IsExported() {
					continue
				}
				name := d.Name.Name
				if d.Recv != nil {
					recv := recvName(d.Recv.List[0].Type)
					if !ast.IsExported(recv) {
						continue
					}
					name = recv + "." + name
				}
				out[pkg] = append(out[pkg], name)
			case *ast.GenDecl:
				for _, spec := range d.Specs {
					switch s := spec.(type) {
					case *ast.TypeSpec:
						if s.Name.IsExported() {
							out[pkg] = append(out[pkg], s.Name.Name)
						}
					case *ast.ValueSpec:
						for _, n := range s.Names {
							if n.IsExported() {
								out[pkg] = append(out[pkg], n.Name)
							}
						}
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func recvName(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.StarExpr:
		return recvName(x.X)
	case *ast.IndexExpr:
		return recvName(x.X)
	case *ast.Ident:
		return x.Name
	}
	return ""
}

// The public surface stays within its budget; -v lists it per package.
func TestExportedSurface(t *testing.T) {
	names := exported(t, filepath.Join("..", ".."))
	pkgs := make([]string, 0, len(names))
	total := 0
	for p, ns := range names {
		pkgs = append(pkgs, p)
		total += len(ns)
	}
	sort.Strings(pkgs)
	for _, p := range pkgs {
		sort.Strings(names[p])
		t.Logf("%-12s %3d  %s", p, len(names[p]), strings.Join(names[p], " "))
	}
	t.Logf("total %d exported identifiers (budget %d)", total, maxExported)
	if total > maxExported {
		t.Errorf("%d exported identifiers, over the budget of %d", total, maxExported)
	}
}
