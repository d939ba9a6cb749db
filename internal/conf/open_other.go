//go:build !unix

package conf

import "os"

// openNoBlock opens path read-only; systems without Unix FIFOs cannot have
// one swapped in.
func openNoBlock(path string) (*os.File, error) { return os.Open(path) }
