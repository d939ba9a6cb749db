//go:build unix

package conf

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A FIFO that replaces the file between the Stat and the open must not
// block the open (no writer ever appears here).
func TestOpenRegularRefusesFIFOWithoutBlocking(t *testing.T) {
	p := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	done := make(chan error, 1)
	go func() {
		f, _, err := openRegular(p, 10)
		if f != nil {
			f.Close()
		}
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), "a named pipe") {
			t.Errorf("openRegular(fifo) = %v, want a not-regular refusal", err)
		}
	case <-time.After(30 * time.Second):
		// Unblock the open so the test ends, then fail.
		if w, err := os.OpenFile(p, os.O_WRONLY, 0); err == nil {
			w.Close()
		}
		<-done
		t.Fatal("opening a FIFO blocked")
	}
}
