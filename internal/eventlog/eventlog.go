// Package eventlog keeps what an observer is told, for tests. It is
// generic so that the session package's own tests, which cannot import
// a package that imports session, can share it: a Log[session.Event] is
// a session.Observer.
package eventlog

import (
	"context"
	"sync"
)

// Log records every event it observes. The zero value is ready to use
// and safe for concurrent use.
type Log[E any] struct {
	mu     sync.Mutex
	events []E
}

// Observe records e.
func (l *Log[E]) Observe(_ context.Context, e E) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events = append(l.events, e)
}

// Take returns the events recorded so far and forgets them.
func (l *Log[E]) Take() []E {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.events
	l.events = nil
	return out
}
