package engine

import (
	"context"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/sessconf/sessconf/settings"
)

// recordingHandler keeps the messages and levels slog hands it.
type recordingHandler struct {
	mu   sync.Mutex
	msgs []string
}

func (h *recordingHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h *recordingHandler) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	comp := ""
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "component" {
			comp = a.Value.String()
		}
		return true
	})
	h.msgs = append(h.msgs, r.Level.String()+" "+comp+" "+r.Message)
	return nil
}
func (h *recordingHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *recordingHandler) WithGroup(string) slog.Handler      { return h }

// go-redis' own lines about a refused connection reach slog (at debug
// level, attributed to go-redis) instead of stderr, once a client was
// built from the settings.
func TestRedisClientLogsThroughSlog(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now: dials are refused
	rec := &recordingHandler{}
	old := slog.Default()
	slog.SetDefault(slog.New(rec))
	defer slog.SetDefault(old)
	c, err := NewRedisClient(settings.RedisOptions{Addrs: []string{addr}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Ping(context.Background()).Err(); err == nil {
		t.Fatal("PING to a closed port succeeded")
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	found := false
	for _, m := range rec.msgs {
		if strings.HasPrefix(m, "DEBUG go-redis ") && strings.Contains(m, "failed to dial") {
			found = true
		}
	}
	if !found {
		t.Errorf("slog records %q, want go-redis' dial failure at debug level", rec.msgs)
	}
}
