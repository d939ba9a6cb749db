package main

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/sessconf/sessconf/session"
)

// TestDemoFlow drives the demo like a browser: counter, CSRF-protected
// flash message with redirect, and logout.
func TestDemoFlow(t *testing.T) {
	t.Setenv("SESSION_SECRET", "") // restored afterwards; unset for the test
	os.Unsetenv("SESSION_SECRET")
	for _, config := range []string{"", "../app.ini", "../app.yaml"} {
		t.Run("config="+config, func(t *testing.T) {
			mgr, err := newManager(config, slog.New(slog.NewTextHandler(io.Discard, nil)))
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(mgr.Middleware(routes()))
			defer srv.Close()
			jar, _ := cookiejar.New(nil)
			c := srv.Client()
			c.Jar = jar

			get := func() string {
				resp, err := c.Get(srv.URL + "/")
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				b, _ := io.ReadAll(resp.Body)
				return string(b)
			}
			visits := regexp.MustCompile(`id="visits">(\d+)<`)
			token := regexp.MustCompile(`name="csrf_token" value="([0-9a-f]{40})"`)
			get()
			body := get()
			if m := visits.FindStringSubmatch(body); m == nil || m[1] != "2" {
				t.Fatalf("second visit: %s", body)
			}
			tok := token.FindStringSubmatch(body)[1]

			resp, _ := c.PostForm(srv.URL+"/message", url.Values{"text": {"hi"}, "csrf_token": {"wrong"}})
			if resp.StatusCode != http.StatusForbidden {
				t.Errorf("bad CSRF token: status %d", resp.StatusCode)
			}
			resp, _ = c.PostForm(srv.URL+"/message", url.Values{"text": {"hi <b>"}, "csrf_token": {tok}})
			b, _ := io.ReadAll(resp.Body)
			if !strings.Contains(string(b), "You said: hi &lt;b&gt;") || resp.Request.URL.Path != "/" {
				t.Errorf("flash after redirect missing: %s", b)
			}
			resp, _ = c.PostForm(srv.URL+"/logout", url.Values{"csrf_token": {tok}})
			b, _ = io.ReadAll(resp.Body)
			if m := visits.FindStringSubmatch(string(b)); m == nil || m[1] != "1" || !strings.Contains(string(b), "Logged out") {
				t.Errorf("after logout: %s", b)
			}
		})
	}
}

// TestFromSettingsCookiesWorkInDemo: an app built with
// session.FromSettings("examples/app.ini") writes cookies the demo, given
// the same file, accepts.
func TestFromSettingsCookiesWorkInDemo(t *testing.T) {
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	app, err := session.FromSettings("../app.ini", session.WithLogger(quiet))
	if err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	app.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		session.Get(r).Set("visits", 41)
	})).ServeHTTP(w, httptest.NewRequest("GET", "/", nil))

	demo, err := newManager("../app.ini", quiet)
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("GET", "/", nil)
	for _, c := range w.Result().Cookies() {
		r.AddCookie(c)
	}
	w = httptest.NewRecorder()
	demo.Middleware(routes()).ServeHTTP(w, r)
	if !strings.Contains(w.Body.String(), `id="visits">42<`) {
		t.Errorf("demo did not continue the app's session: %s", w.Body.String())
	}
}
