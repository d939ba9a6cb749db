package main

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/sessconf/sessconf/session"
)

// TestDemoFlow drives the demo like a browser on every backend: counter,
// CSRF-protected flash message with redirect, shown once, and logout.
func TestDemoFlow(t *testing.T) {
	for name, config := range configs() {
		t.Run(name, func(t *testing.T) {
			_, b := startDemo(t, config, false)
			b.get("/")
			p := b.get("/")
			if p.visits() != 2 {
				t.Fatalf("second visit shows %d: %s", p.visits(), p.body)
			}
			tok := p.token(t)

			p = b.post("/message", url.Values{"text": {"hi <b>"}, "csrf_token": {tok}})
			if p.path != "/" || !strings.Contains(p.body, `<p class="notice">You said: hi &lt;b&gt;</p>`) {
				t.Errorf("flash after redirect missing (path %s): %s", p.path, p.body)
			}
			if p = b.get("/"); strings.Contains(p.body, "You said") || p.visits() != 4 {
				t.Errorf("flash shown twice, or counter lost (%d): %s", p.visits(), p.body)
			}

			p = b.post("/logout", url.Values{"csrf_token": {tok}})
			if p.visits() != 1 || !strings.Contains(p.body, "Logged out") {
				t.Errorf("after logout: %s", p.body)
			}
		})
	}
}

// TestPageShowsSettings: the page names the backend, the cookie and its
// Secure flag, and where the settings came from.
func TestPageShowsSettings(t *testing.T) {
	tests := []struct {
		name, config string
		dev          bool
		env          []string
		want         []string
	}{
		{"ephemeral", "", false, nil, []string{`id="backend">encrypted<`, `id="cookie-name">session<`, `id="cookie-secure">not Secure<`, "ephemeral secret"}},
		{"app.ini", "../app.ini", false, nil, []string{`id="backend">encrypted<`, `id="cookie-name">myapp_session<`, `id="cookie-secure">Secure<`, `id="source">../app.ini<`}},
		{"app.ini -dev", "../app.ini", true, nil, []string{`id="cookie-secure">not Secure<`}},
		{"redis", "../app-redis.ini", false, nil, []string{`id="backend">redis<`, "only a signed session id"}},
		{"signed", "../app.yaml", false, []string{"SESSION_TYPE=signed"}, []string{`id="backend">signed<`, "can read the data but not change it"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, b := startDemo(t, tt.config, tt.dev, tt.env...)
			p := b.get("/")
			for _, w := range tt.want {
				if !strings.Contains(p.body, w) {
					t.Errorf("page lacks %q: %s", w, p.body)
				}
			}
		})
	}
}

// TestFromSettingsCookiesWorkInDemo: an app built with
// session.FromSettings("examples/app.ini") writes cookies the demo, given
// the same file, accepts.
func TestFromSettingsCookiesWorkInDemo(t *testing.T) {
	noSecretEnv(t)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	other, err := session.FromSettings("../app.ini", session.WithLogger(quiet))
	if err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	other.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := session.Get(r).Set("visits", 41); err != nil {
			t.Error(err)
		}
	})).ServeHTTP(w, httptest.NewRequest("GET", "/", nil))

	demo, err := newApp("../app.ini", false, quiet)
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("GET", "/", nil)
	for _, c := range w.Result().Cookies() {
		r.AddCookie(c)
	}
	w = httptest.NewRecorder()
	demo.handler().ServeHTTP(w, r)
	if !strings.Contains(w.Body.String(), `id="visits">42<`) {
		t.Errorf("demo did not continue the app's session: %s", w.Body.String())
	}
}
