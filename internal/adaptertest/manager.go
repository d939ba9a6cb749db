// Package adaptertest holds what the tests of the framework adapters
// (contrib/gin, contrib/echo) share: managers whose logs are checked, a
// browser with a cookie jar, the handler logic of the test application,
// and the behavioural flows every adapter must pass (see [Run] and
// [CommitPoint]). Each adapter's tests only mount the routes on their
// framework.
package adaptertest

import (
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/sessconf/sessconf/session"
	"github.com/sessconf/sessconf/settings"
)

// NewManager returns a manager for encrypted cookies under a fresh secret,
// after edit has changed its options, and the log of its warnings and
// errors. Unless the test calls [Logs.Expect] or [Logs.Ignore], the test
// fails if anything is logged. The log is checked when the test ends,
// after servers created later have stopped.
func NewManager(t testing.TB, edit func(*settings.Options)) (*session.Manager, *Logs) {
	t.Helper()
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		t.Fatal(err)
	}
	opts := settings.Default()
	opts.Secret = hex.EncodeToString(key)
	if edit != nil {
		edit(&opts)
	}
	l := &Logs{}
	logger := slog.New(slog.NewTextHandler(l, &slog.HandlerOptions{Level: slog.LevelWarn}))
	m, err := session.New(opts, session.WithLogger(logger))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.check(t) })
	return m, l
}

// RedisDown returns a manager for Redis sessions on a port where no Redis
// listens, so that every commit fails; its log must say so.
func RedisDown(t testing.TB) *session.Manager {
	t.Helper()
	m, logs := NewManager(t, func(o *settings.Options) {
		o.Type = settings.TypeRedis
		o.Secret = "a text secret for signing Redis session ids, long enough"
		o.Redis.URL = "redis://127.0.0.1:1" // nothing listens on port 1
	})
	logs.Expect("session commit failed")
	return m
}

// Logs collects what a manager (or a server) logs, from the server's
// goroutines. Only the Logs of NewManager are checked.
type Logs struct {
	mu     sync.Mutex
	b      strings.Builder
	want   string
	ignore bool
}

// Write adds p, a line of the manager's log.
func (l *Logs) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// String returns what was logged.
func (l *Logs) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// Expect requires a log line containing s.
func (l *Logs) Expect(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.want = s
}

// Ignore turns the check off.
func (l *Logs) Ignore() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ignore = true
}

func (l *Logs) check(t testing.TB) {
	l.mu.Lock()
	defer l.mu.Unlock()
	got := l.b.String()
	switch {
	case l.ignore:
	case l.want == "" && got != "":
		t.Errorf("the session manager logged:\n%s", got)
	case l.want != "" && !strings.Contains(got, l.want):
		t.Errorf("the session manager did not log %q; it logged:\n%s", l.want, got)
	}
}
