package main

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// The site counts visits and /metrics serves the session metrics in the
// Prometheus text format, named as the exporter translates them.
func TestMetricsEndpoint(t *testing.T) {
	t.Setenv("SESSION_SECRET", "5f1c8e3a9b2d4f6071829304a5b6c7d8e9f0a1b2c3d4e5f60718293a4b5c6d7e")
	h, shutdown, err := newHandler(slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer shutdown()

	get := func(path string, cookies ...*http.Cookie) *http.Response {
		r := httptest.NewRequest("GET", path, nil)
		for _, c := range cookies {
			r.AddCookie(c)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Result()
	}
	first := get("/")
	second := get("/", first.Cookies()...)
	if body, _ := io.ReadAll(second.Body); string(body) != "visit 2\n" {
		t.Fatalf("second visit answered %q", body)
	}

	res := get("/metrics")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/plain") {
		t.Fatalf("/metrics: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	body, _ := io.ReadAll(res.Body)
	text := string(body)
	for _, want := range []string{
		"# TYPE sessconf_session_loads_total counter",
		`sessconf_session_outcome="new"`,
		`sessconf_session_outcome="existing"`,
		"# TYPE sessconf_session_saves_total counter",
		"# TYPE sessconf_session_size_bytes histogram",
		`sessconf_session_size_bytes_bucket{`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("/metrics lacks %q:\n%s", want, text)
		}
	}
}
