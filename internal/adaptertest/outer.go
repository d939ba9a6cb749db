package adaptertest

import "sync"

// Outer records what a middleware registered before (outside) the adapter
// sees of the response once the rest of the chain has returned.
type Outer struct {
	mu     sync.Mutex
	status int
	size   int64
}

// Record stores the status and size the framework reports.
func (o *Outer) Record(status int, size int64) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.status, o.size = status, size
}

// Seen returns what was recorded last.
func (o *Outer) Seen() (status int, size int64) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.status, o.size
}
