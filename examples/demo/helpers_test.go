package main

import (
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/sessconf/sessconf/internal/adaptertest"
	"github.com/sessconf/sessconf/internal/redistest"
)

var (
	visitsRE = regexp.MustCompile(`id="visits">(\d+)<`)
	tokenRE  = regexp.MustCompile(`name="csrf_token" value="([0-9a-f]{40})"`)
)

// configs are the settings the demo is run with: the ephemeral default,
// the example files, and the Redis example on a throw-away server.
func configs() map[string]string {
	return map[string]string{
		"ephemeral": "",
		"app.ini":   "../app.ini",
		"app.yaml":  "../app.yaml",
		"redis":     "../app-redis.ini",
	}
}

// noSecretEnv unsets the SESSION_* variables a developer may have set,
// for the length of the test.
func noSecretEnv(t *testing.T) {
	for _, kv := range os.Environ() {
		if name, _, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "SESSION_") {
			t.Setenv(name, "") // restored afterwards
			os.Unsetenv(name)
		}
	}
}

// startDemo serves the demo with config, and env as NAME=value pairs,
// through httptest; a Redis config gets its own redis-server.
func startDemo(t *testing.T, config string, dev bool, env ...string) (*app, *browser) {
	t.Helper()
	a, b, _ := startDemoRedis(t, config, dev, env...)
	return a, b
}

// startDemoRedis is startDemo, also returning the redis-server (nil for
// other configs).
func startDemoRedis(t *testing.T, config string, dev bool, env ...string) (*app, *browser, *redistest.Server) {
	t.Helper()
	noSecretEnv(t)
	for _, kv := range env {
		name, value, _ := strings.Cut(kv, "=")
		t.Setenv(name, value)
	}
	var redis *redistest.Server
	if strings.Contains(config, "redis") {
		redis = redistest.Start(t)
		t.Setenv("SESSION_REDIS_URL", redis.URL())
	}
	a, err := newApp(config, dev, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a, &browser{adaptertest.NewBrowser(t, a.handler())}, redis
}

// browser is a client with a cookie jar that follows redirects.
type browser struct{ *adaptertest.Browser }

// page is one response: status, final path and body.
type page struct {
	status int
	path   string
	body   string
	header http.Header
}

func (b *browser) request(method, path string, form url.Values, header http.Header) page {
	resp, body := b.Do(method, path, form, header)
	return page{status: resp.StatusCode, path: resp.Request.URL.Path, body: body, header: resp.Header}
}

func (b *browser) get(path string) page { return b.request("GET", path, nil, nil) }

func (b *browser) post(path string, form url.Values) page {
	return b.request("POST", path, form, nil)
}

// visits is the counter the page shows, or -1.
func (p page) visits() int {
	m := visitsRE.FindStringSubmatch(p.body)
	if m == nil {
		return -1
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// token is the page's CSRF token.
func (p page) token(t *testing.T) string {
	t.Helper()
	m := tokenRE.FindStringSubmatch(p.body)
	if m == nil {
		t.Fatalf("no CSRF token on the page: %s", p.body)
	}
	return m[1]
}
