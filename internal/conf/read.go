package conf

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// Size limits of what Load reads: a configuration file bigger than a
// megabyte or a secret file bigger than 64 KiB is a mistake (or an attack).
const (
	MaxConfigSize     = 1 << 20
	MaxSecretFileSize = 64 << 10
)

// ErrLimit matches (errors.Is) the refusals of ReadRegular and ReadLimited:
// a file that is not regular or is over its size limit.
var ErrLimit = errors.New("file refused")

// limitError is a refusal; its message names the path and the limit.
type limitError string

func (e limitError) Error() string        { return string(e) }
func (e limitError) Is(target error) bool { return target == ErrLimit }

// LimitError returns the refusal of name for being over limit bytes.
func LimitError(name string, limit int64) error {
	return limitError(fmt.Sprintf("%s is larger than the limit of %s", name, Size(limit)))
}

// ReadRegular reads a regular file (after following symbolic links) of at
// most limit bytes. Devices, pipes and directories are refused, so
// /dev/zero cannot exhaust memory and a FIFO cannot hang the read.
func ReadRegular(path string, limit int64) ([]byte, error) {
	data, _, err := ReadRegularInfo(path, limit)
	return data, err
}

// ReadRegularInfo is ReadRegular that also returns the file's information
// (its mode, for permission checks).
func ReadRegularInfo(path string, limit int64) ([]byte, os.FileInfo, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, nil, err
	}
	if err := checkRegular(path, fi, limit); err != nil {
		return nil, nil, err
	}
	f, fi, err := openRegular(path, limit)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	data, err := ReadLimited(f, path, limit)
	if err != nil {
		return nil, nil, err
	}
	return data, fi, nil
}

// openRegular opens path without blocking (the file may have been replaced
// by a FIFO since the Stat) and refuses anything but a regular file.
func openRegular(path string, limit int64) (*os.File, os.FileInfo, error) {
	f, err := openNoBlock(path)
	if err != nil {
		return nil, nil, err
	}
	fi, err := f.Stat()
	if err == nil {
		err = checkRegular(path, fi, limit)
	}
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, fi, nil
}

func checkRegular(path string, fi os.FileInfo, limit int64) error {
	if !fi.Mode().IsRegular() {
		return limitError(fmt.Sprintf("%s is not a regular file (%s)", path, kindOf(fi.Mode())))
	}
	if fi.Size() > limit {
		return limitError(fmt.Sprintf("%s is %d bytes; the limit is %s", path, fi.Size(), Size(limit)))
	}
	return nil
}

// ReadLimited reads r to its end, refusing more than limit bytes.
func ReadLimited(r io.Reader, name string, limit int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, LimitError(name, limit)
	}
	return data, nil
}

// Size renders a byte count as "1 MiB", "64 KiB" or "N bytes".
func Size(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

func kindOf(m os.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&os.ModeNamedPipe != 0:
		return "a named pipe"
	case m&os.ModeSocket != 0:
		return "a socket"
	case m&os.ModeCharDevice != 0:
		return "a character device"
	case m&os.ModeDevice != 0:
		return "a device"
	}
	return "not a regular file"
}
