package session

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sessconf/sessconf/internal/engine"
)

// Nothing a manager logs, at any level, carries the secret, a CSRF token,
// a session id or a cookie value, whatever happens to the request.
func TestLogsCarryNoSecrets(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	opts := testOptions()
	mem := engine.NewMemory(opts)
	secrets := []string{testKey}
	for _, o := range [][]Option{nil, {WithBackend(mem)}} {
		m := testManager(t, opts, append(o, WithLogger(logger))...)
		var token, id string
		w := serve(m, func(w http.ResponseWriter, r *http.Request) {
			s := Get(r)
			s.Set("user", "alice")
			token, _ = s.CSRFToken()
		}, "")
		c := cookieOf(t, w)
		serve(m, func(w http.ResponseWriter, r *http.Request) {
			s := Get(r)
			id = s.ID()
			s.Set("big", strings.Repeat("x", 5000)) // refused: too large (cookie) or stored (memory)
			w.Write([]byte("done"))
			s.Set("late", 1) // refused: committed
		}, c)
		serve(m, func(w http.ResponseWriter, r *http.Request) { Get(r).Get("k") }, c+"tampered")
		serve(m, func(w http.ResponseWriter, r *http.Request) { Get(r).Invalidate() }, c)
		secrets = append(secrets, token, strings.TrimPrefix(c, "session="))
		if id != "" {
			secrets = append(secrets, id)
		}
	}
	Get(httptest.NewRequest("GET", "/", nil)).Set("k", 1) // outside the middleware
	if logs.Len() == 0 {
		t.Fatal("nothing was logged: the test would prove nothing")
	}
	for _, s := range secrets {
		if s != "" && strings.Contains(logs.String(), s) {
			t.Errorf("a log line carries a secret value %q:\n%s", s[:min(len(s), 12)]+"…", logs.String())
		}
	}
}
