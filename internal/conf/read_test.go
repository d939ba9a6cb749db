package conf

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadRegular(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small")
	if err := os.WriteFile(small, []byte("abc"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path  string
		limit int64
		want  string
	}{
		{small, 3, ""},
		{small, 2, "is 3 bytes; the limit is 2 bytes"},
		{dir, 10, "not a regular file (a directory)"},
	}
	for _, tt := range tests {
		data, err := ReadRegular(tt.path, tt.limit)
		if tt.want == "" {
			if err != nil || string(data) != "abc" {
				t.Errorf("%s: %q, %v", tt.path, data, err)
			}
			continue
		}
		if !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), tt.path) {
			t.Errorf("%s: err %v, want %q", tt.path, err, tt.want)
		}
	}
	if _, err := ReadLimited(strings.NewReader("abcd"), "<stdin>", 3); !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), "<stdin> is larger than the limit of 3 bytes") {
		t.Errorf("ReadLimited: %v", err)
	}
	for n, want := range map[int64]string{1 << 20: "1 MiB", 64 << 10: "64 KiB", 100: "100 bytes"} {
		if Size(n) != want {
			t.Errorf("Size(%d) = %q", n, Size(n))
		}
	}
}
