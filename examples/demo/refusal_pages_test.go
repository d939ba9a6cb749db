package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// friendly reports whether p is an HTML page with a link back to the demo.
func friendly(t *testing.T, p page, status int, title string) {
	t.Helper()
	if p.status != status {
		t.Errorf("status %d, want %d", p.status, status)
	}
	if ct := p.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("Content-Type %q, want HTML", ct)
	}
	for _, w := range []string{`<h2 id="error-title">` + title + `</h2>`, `<a id="back" href="/">Back to the demo</a>`} {
		if !strings.Contains(p.body, w) {
			t.Errorf("page lacks %q: %s", w, p.body)
		}
	}
}

// TestCSRFRefusalPage: a wrong or missing token gets the friendly 403 page
// and changes nothing.
func TestCSRFRefusalPage(t *testing.T) {
	tests := []struct {
		name, path string
		form       url.Values
		header     string
	}{
		{"tampered field", "/message", url.Values{"text": {"hi"}, "csrf_token": {strings.Repeat("0", 40)}}, ""},
		{"no field", "/message", url.Values{"text": {"hi"}}, ""},
		{"tampered header", "/message", url.Values{"text": {"hi"}}, "bad"},
		{"logout without token", "/logout", url.Values{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, b := startDemo(t, "../app.ini", false)
			b.get("/")
			header := http.Header{}
			if tt.header != "" {
				header.Set("X-CSRF-Token", tt.header)
			}
			friendly(t, b.request("POST", tt.path, tt.form, header), http.StatusForbidden, "Request refused")
			if p := b.get("/"); p.visits() != 2 || strings.Contains(p.body, "You said") || strings.Contains(p.body, "Logged out") {
				t.Errorf("the refused request changed the session (visits %d): %s", p.visits(), p.body)
			}
		})
	}
}

// TestRefusalWithoutSessionSetsNoCookie: a POST that carries no session
// cookie (a cross-site form under SameSite) is refused without a
// Set-Cookie, so the browser keeps the visitor's session.
func TestRefusalWithoutSessionSetsNoCookie(t *testing.T) {
	for name, config := range configs() {
		t.Run(name, func(t *testing.T) {
			_, b := startDemo(t, config, false)
			b.Client.Jar = nil
			p := b.post("/message", url.Values{"text": {"from another site"}, "csrf_token": {strings.Repeat("a", 40)}})
			friendly(t, p, http.StatusForbidden, "Request refused")
			if c := p.header.Values("Set-Cookie"); len(c) != 0 {
				t.Errorf("the refusal sets a cookie: %q", c)
			}
		})
	}
}

// TestTooLongPage: a message over the form's limit, or one that would not
// fit in the session cookie, gets the 413 "too long" page with the text
// kept, never a 500; the session goes on unchanged. On Redis the cookie
// holds only an id, so the long accented message is accepted.
func TestTooLongPage(t *testing.T) {
	long := strings.Repeat("x", 3000)
	accented := strings.Repeat("é", maxMessage) // each é is stored as a 6-character JSON escape
	tests := []struct {
		name, config, env, text string
		accepted                bool
	}{
		{"over maxlength", "../app.ini", "", long, false},
		{"over maxlength, redis", "../app-redis.ini", "", long, false},
		{"cookie too large, encrypted", "../app.ini", "", accented, false},
		{"cookie too large, signed", "../app.ini", "SESSION_TYPE=signed", accented, false},
		{"accented on redis", "../app-redis.ini", "", accented, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var env []string
			if tt.env != "" {
				env = append(env, tt.env)
			}
			_, b := startDemo(t, tt.config, false, env...)
			p := b.get("/")
			p = b.post("/message", url.Values{"text": {tt.text}, "csrf_token": {p.token(t)}})
			if tt.accepted {
				if p.status != http.StatusOK || !strings.Contains(p.body, "You said: "+tt.text) {
					t.Fatalf("status %d: %s", p.status, p.body)
				}
				return
			}
			friendly(t, p, http.StatusRequestEntityTooLarge, "Message too long")
			if !strings.Contains(p.body, `<textarea id="message" readonly>`+tt.text+`</textarea>`) {
				t.Errorf("the refused text is not given back: %s", p.body)
			}
			if p = b.get("/"); p.visits() != 2 || strings.Contains(p.body, "You said") {
				t.Errorf("after the refusal: visits %d: %s", p.visits(), p.body)
			}
		})
	}
}

// TestEmptyMessageRefused: an empty (or blank) message flashes a problem
// notice instead of "You said: ".
func TestEmptyMessageRefused(t *testing.T) {
	_, b := startDemo(t, "", false)
	for _, text := range []string{"", "   "} {
		p := b.get("/")
		p = b.post("/message", url.Values{"text": {text}, "csrf_token": {p.token(t)}})
		if !strings.Contains(p.body, `<p class="problem">Nothing sent: type a message first.</p>`) || strings.Contains(p.body, "You said") {
			t.Errorf("text %q: %s", text, p.body)
		}
	}
}

// TestFavicon: /favicon.ico answers without a 404 and without a session.
func TestFavicon(t *testing.T) {
	_, b := startDemo(t, "../app-redis.ini", false)
	p := b.get("/favicon.ico")
	if p.status != http.StatusNoContent || p.header.Get("Set-Cookie") != "" {
		t.Errorf("status %d, Set-Cookie %q", p.status, p.header.Get("Set-Cookie"))
	}
}

// TestStoreDownPage: with Redis down, the page answers a friendly 503
// instead of a bare error.
func TestStoreDownPage(t *testing.T) {
	_, b, redis := startDemoRedis(t, "../app-redis.ini", false, "SESSION_REDIS_DIAL_TIMEOUT=200ms", "SESSION_REDIS_SOCKET_TIMEOUT=200ms")
	b.get("/")
	redis.Stop()
	friendly(t, b.get("/"), http.StatusServiceUnavailable, "Session store unavailable")
}
