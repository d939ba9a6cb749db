package sessgin_test

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/sessconf/sessconf/session"
	"github.com/sessconf/sessconf/settings"
)

func TestMain(m *testing.M) {
	gin.SetMode(gin.TestMode)
	os.Exit(m.Run())
}

// newManager returns a manager for encrypted cookies under a fresh secret.
// The test fails if the manager logs a warning or an error.
func newManager(t *testing.T, edit func(*settings.Options)) *session.Manager {
	t.Helper()
	m, _ := newManagerLogs(t, edit)
	return m
}

// newManagerLogs is newManager that also returns the manager's warnings
// and errors. Unless the test sets want, there must be none; with want,
// one must contain it. They are checked after the test's servers have
// stopped (create the manager before the server).
func newManagerLogs(t *testing.T, edit func(*settings.Options)) (*session.Manager, *logs) {
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
	l := &logs{}
	logger := slog.New(slog.NewTextHandler(l, &slog.HandlerOptions{Level: slog.LevelWarn}))
	m, err := session.New(opts, session.WithLogger(logger))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		got := l.b.String()
		switch {
		case l.want == "" && got != "":
			t.Errorf("the session manager logged:\n%s", got)
		case l.want != "" && !strings.Contains(got, l.want):
			t.Errorf("the session manager did not log %q; it logged:\n%s", l.want, got)
		}
	})
	return m, l
}

// logs collects what a manager logs, from the server's goroutines.
type logs struct {
	mu   sync.Mutex
	b    strings.Builder
	want string
}

func (l *logs) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// expect declares that a log line containing s is required.
func (l *logs) expect(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.want = s
}

// browser is an HTTP client with a cookie jar, talking to one server.
type browser struct {
	t    *testing.T
	base string
	c    *http.Client
}

func newBrowser(t *testing.T, h http.Handler) *browser {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := srv.Client()
	c.Jar = jar
	return &browser{t: t, base: srv.URL, c: c}
}

// do sends a request and returns the response with its body read.
func (b *browser) do(method, path string, form url.Values, header http.Header) (*http.Response, string) {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.base+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	return resp, string(out)
}

func (b *browser) get(path string) string {
	b.t.Helper()
	resp, body := b.do(http.MethodGet, path, nil, nil)
	if resp.StatusCode != http.StatusOK {
		b.t.Fatalf("GET %s: status %d, body %q", path, resp.StatusCode, body)
	}
	return body
}

// form reads the form page: its CSRF token and the flash messages shown.
func (b *browser) form() (token string, flash []string) {
	b.t.Helper()
	var page struct {
		Token string   `json:"token"`
		Flash []string `json:"flash"`
	}
	if err := json.Unmarshal([]byte(b.get("/form")), &page); err != nil {
		b.t.Fatal(err)
	}
	return page.Token, page.Flash
}
