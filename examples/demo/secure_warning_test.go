package main

import (
	"bytes"
	"crypto/tls"
	"log/slog"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

// TestSecureCookieWarning: a Secure cookie served over plain HTTP under a
// non-loopback host name is dropped by browsers; the page says so (and
// the log, once per host), while loopback names and -dev stay quiet.
func TestSecureCookieWarning(t *testing.T) {
	tests := []struct {
		config, host string
		dev, tls     bool
		warn         bool
	}{
		{"../app.ini", "127.0.0.1:8080", false, false, false},
		{"../app.ini", "localhost:8080", false, false, false},
		{"../app.ini", "demo.localhost", false, false, false},
		{"../app.ini", "[::1]:8080", false, false, false},
		{"../app.ini", "demo.example:8080", false, false, true},
		{"../app.ini", "192.168.1.10", false, false, true},
		{"../app.ini", "demo.example", false, true, false},
		{"../app.ini", "demo.example:8080", true, false, false},
		{"", "demo.example:8080", false, false, false}, // default settings: not Secure
	}
	for _, tt := range tests {
		t.Run(tt.config+" "+tt.host, func(t *testing.T) {
			noSecretEnv(t)
			var logs bytes.Buffer
			a, err := newApp(tt.config, tt.dev, slog.New(slog.NewTextHandler(&logs, nil)))
			if err != nil {
				t.Fatal(err)
			}
			defer a.Close()
			h := a.handler()
			for range 2 {
				r := httptest.NewRequest("GET", "/", nil)
				r.Host = tt.host
				if tt.tls {
					r.TLS = &tls.ConnectionState{}
				}
				w := httptest.NewRecorder()
				h.ServeHTTP(w, r)
				if got := strings.Contains(w.Body.String(), `id="cookie-lost"`); got != tt.warn {
					t.Errorf("page warning %v, want %v: %s", got, tt.warn, w.Body.String())
				}
			}
			if n := strings.Count(logs.String(), "will drop the Secure session cookie"); n != map[bool]int{true: 1}[tt.warn] {
				t.Errorf("logged the warning %d times: %s", n, logs.String())
			}
		})
	}
}

// TestStartupNotes: a Secure cookie is mentioned at start-up, as a warning
// when the demo listens on a non-loopback address.
func TestStartupNotes(t *testing.T) {
	tests := []struct {
		config, addr string
		dev          bool
		want         string
	}{
		{"../app.ini", "127.0.0.1:8080", false, "level=INFO msg=\"the session cookie is Secure"},
		{"../app.ini", "0.0.0.0:8080", false, "level=WARN msg=\"the session cookie is Secure"},
		{"../app.ini", "0.0.0.0:8080", true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			noSecretEnv(t)
			var logs bytes.Buffer
			a, err := newApp(tt.config, tt.dev, slog.New(slog.NewTextHandler(&logs, nil)))
			if err != nil {
				t.Fatal(err)
			}
			defer a.Close()
			logs.Reset()
			a.startupNotes(tt.addr)
			if tt.want == "" && logs.Len() != 0 || !strings.Contains(logs.String(), tt.want) {
				t.Errorf("start-up log %q, want %q", logs.String(), tt.want)
			}
		})
	}
}

// The Host header is the client's to choose: the warning remembers at
// most maxWarnedHosts hosts, and logs each once.
func TestSecureWarningIsBounded(t *testing.T) {
	var logs strings.Builder
	a := &app{logger: slog.New(slog.NewTextHandler(&logs, nil))}
	a.opts.Secure = true
	for i := range 1000 {
		r := httptest.NewRequest("GET", "/", nil)
		r.Host = "h" + strconv.Itoa(i) + ".example"
		a.secureCookieLost(r)
		a.secureCookieLost(r)
	}
	if n := strings.Count(logs.String(), "level=WARN"); n != maxWarnedHosts+1 {
		t.Errorf("%d warnings for 1000 hosts, want %d:\n%s", n, maxWarnedHosts+1, logs.String())
	}
	if len(a.warnedHosts) != maxWarnedHosts {
		t.Errorf("remembers %d hosts", len(a.warnedHosts))
	}
}
