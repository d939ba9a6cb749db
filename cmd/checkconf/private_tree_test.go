package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// goldenDir is testdata/checkconf, absolute: the golden tests run in a
// copy of the inputs.
var goldenDir = func() string {
	d, err := filepath.Abs(filepath.Join("..", "..", "testdata", "checkconf"))
	if err != nil {
		panic(err)
	}
	return d
}()

// inPrivateCopy changes into a copy of the inputs the tests read, every
// file with mode 0600, so the secret-permission warning (SESSION-W016)
// does not depend on the checkout's umask; files whose name contains
// "world-readable" get 0644 to exercise it.
func inPrivateCopy(t *testing.T) {
	t.Helper()
	root := t.TempDir()
	for _, dir := range []string{"testdata/good", "testdata/bad", "testdata/env", "examples"} {
		entries, err := os.ReadDir(filepath.Join("..", "..", dir))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(root, dir), 0o755); err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if !e.Type().IsRegular() {
				continue
			}
			data, err := os.ReadFile(filepath.Join("..", "..", dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			mode := os.FileMode(0o600)
			if strings.Contains(e.Name(), "world-readable") {
				mode = 0o644
			}
			dst := filepath.Join(root, dir, e.Name())
			if err := os.WriteFile(dst, data, mode); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(dst, mode); err != nil { // not narrowed by the umask
				t.Fatal(err)
			}
		}
	}
	t.Chdir(root)
}
