//go:build unix

package settings

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/sessconf/sessconf/internal/conf"
)

// A FIFO is refused before it is opened: opening one blocks until a
// writer appears, which would hang Load forever.
func TestFIFORefusedWithoutBlocking(t *testing.T) {
	p := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	res, _ := Load(p, WithoutEnv())
	if d := findCode(res.Diagnostics, codeUnreadable); d == nil || !strings.Contains(d.Message, "not a regular file (a named pipe)") {
		t.Errorf("config FIFO: %v", res.Diagnostics)
	}
	res, _ = Load(nil, conf.WithEnviron([]string{"SESSION_SECRET_FILE=" + p}))
	if d := findCode(res.Diagnostics, codeEnvFile); d == nil || !strings.Contains(d.Message, "a named pipe") {
		t.Errorf("secret FIFO: %v", res.Diagnostics)
	}
}
