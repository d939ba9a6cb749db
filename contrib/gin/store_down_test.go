package sessgin_test

import (
	"bytes"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/gin-gonic/gin"

	sessgin "github.com/sessconf/sessconf/contrib/gin"
	"github.com/sessconf/sessconf/settings"
)

// TestStoreDown: when the session cannot be saved, the session's error
// handler answers in the handler's place, exactly once, through gin.
func TestStoreDown(t *testing.T) {
	m, logs := newManagerLogs(t, func(o *settings.Options) {
		o.Type = settings.TypeRedis
		o.Secret = "a text secret for signing Redis session ids, long enough"
		o.Redis.URL = "redis://127.0.0.1:1" // nothing listens on port 1
	})
	logs.expect("session commit failed")
	var outerStatus int
	r := gin.New()
	r.Use(func(c *gin.Context) {
		c.Next()
		outerStatus = c.Writer.Status()
	})
	r.Use(sessgin.Middleware(m))
	r.GET("/", func(c *gin.Context) {
		_ = sessgin.Get(c).Set("k", "v") // refused: the store is down
		c.String(http.StatusOK, "handler's answer")
	})
	var serverLog syncBuffer
	srv := httptest.NewUnstartedServer(r)
	srv.Config.ErrorLog = log.New(&serverLog, "", 0)
	srv.Start()
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(body), "handler's answer") {
		t.Errorf("the handler's body went out after the failed commit: %q", body)
	}
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Set-Cookie") != "" {
		t.Errorf("status %d, Set-Cookie %q; want 503 without a cookie", resp.StatusCode, resp.Header.Get("Set-Cookie"))
	}
	srv.Close() // the handler has returned
	if outerStatus != http.StatusServiceUnavailable {
		t.Errorf("outer middleware saw status %d, want 503", outerStatus)
	}
	if s := serverLog.String(); strings.Contains(s, "superfluous") {
		t.Errorf("net/http logged: %s", s)
	}
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
