package main

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"

	"github.com/sessconf/sessconf/crypto"
	"github.com/sessconf/sessconf/session"
	"github.com/sessconf/sessconf/settings"
)

// app is the demo site: its effective session settings (shown on the
// page), where they came from, and the session manager.
type app struct {
	opts   settings.Options
	source string // the settings file, or what stands in for one
	mgr    *session.Manager
	logger *slog.Logger

	// The Secure-cookie warning is logged once per host, for at most
	// maxWarnedHosts hosts: the Host header is the client's to choose.
	warnMu      sync.Mutex
	warnedHosts map[string]bool
}

// newApp reads the settings file, or the environment; with no secret
// anywhere it makes an ephemeral one, so the demo runs with no set-up.
// dev turns the cookie's Secure flag off, for plain HTTP under a host
// name other than localhost.
func newApp(file string, dev bool, logger *slog.Logger) (*app, error) {
	a := &app{source: file, logger: logger}
	var loadOpts []settings.LoadOption
	if dev {
		loadOpts = append(loadOpts, settings.WithOverrides("session.secure=false"))
	}
	var cfg any
	if file != "" {
		cfg = file
	} else {
		a.source = "SESSION_* environment variables"
		_, hasSecret := os.LookupEnv("SESSION_SECRET")
		_, hasFile := os.LookupEnv("SESSION_SECRET_FILE")
		if !hasSecret && !hasFile {
			secret, err := crypto.GenerateSecret(true)
			if err != nil {
				return nil, err
			}
			a.source = "SESSION_* environment variables, with an ephemeral secret"
			logger.Warn("no session secret configured: using an ephemeral one, so sessions end when the demo stops",
				"hint", "set SESSION_SECRET (checkconf --generate-secret) or pass -config examples/app.ini")
			loadOpts = append(loadOpts, settings.WithOverrides("session.secret="+string(secret)))
		}
	}
	res, err := settings.Load(cfg, loadOpts...)
	if res != nil {
		for _, d := range res.Diagnostics.Warnings() {
			logger.Warn("session setting", "warning", d.Error())
		}
	}
	if err != nil {
		return nil, fmt.Errorf("session settings: %w", err)
	}
	a.opts = res.Options
	a.mgr, err = session.New(a.opts, session.WithLogger(logger), session.WithErrorHandler(a.sessionFailed))
	if err != nil {
		return nil, fmt.Errorf("session backend: %w", err)
	}
	return a, nil
}

// Close releases the backend's connections (Redis).
func (a *app) Close() error { return a.mgr.Close() }

// maxForm bounds a form body: a message is at most a few kilobytes.
const maxForm = 64 << 10

// handler serves the site. The favicon is answered outside the session
// middleware: it needs no session, and browsers ask for it on every visit.
func (a *app) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Cache-Control", "max-age=86400")
		w.WriteHeader(http.StatusNoContent)
	})
	sessions := a.mgr.Middleware(a.routes())
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		// Parsed before the session middleware, so that the session error
		// handler, which gets this request, sees the form too.
		r.Body = http.MaxBytesReader(w, r.Body, maxForm)
		if err := r.ParseForm(); err != nil {
			a.tooLong(w, r, "", "The form is larger than the demo accepts.")
			return
		}
		sessions.ServeHTTP(w, r)
	})
	return mux
}

// startupNotes logs what a person needs to know before opening the page:
// a Secure cookie is only kept over plain HTTP on a loopback host name.
func (a *app) startupNotes(addr string) {
	if !a.opts.Secure {
		return
	}
	host, _, _ := net.SplitHostPort(addr)
	msg := "the session cookie is Secure: over plain HTTP, browsers keep it only at http://localhost or http://127.0.0.1"
	hint := "under another host name use HTTPS, or run the demo with -dev (turns secure off)"
	if isLoopbackHost(host) {
		a.logger.Info(msg, "hint", hint)
	} else {
		a.logger.Warn(msg, "hint", hint, "addr", addr)
	}
}

// secureCookieLost reports whether the browser will drop the session
// cookie of r: it is Secure, but r came over plain HTTP under a host name
// browsers do not treat as a secure context. It logs that once per host.
func (a *app) secureCookieLost(r *http.Request) bool {
	if !a.opts.Secure || r.TLS != nil {
		return false
	}
	host, _, err := net.SplitHostPort(r.Host)
	if err != nil {
		host = r.Host
	}
	if isLoopbackHost(host) {
		return false
	}
	a.warnMu.Lock()
	first := !a.warnedHosts[host] && len(a.warnedHosts) < maxWarnedHosts
	if first {
		if a.warnedHosts == nil {
			a.warnedHosts = map[string]bool{}
		}
		a.warnedHosts[host] = true
	}
	last := first && len(a.warnedHosts) == maxWarnedHosts
	a.warnMu.Unlock()
	if first {
		a.logger.Warn("plain HTTP request under a non-loopback host: the browser will drop the Secure session cookie",
			"host", host, "hint", "use http://127.0.0.1, HTTPS, or -dev")
	}
	if last {
		a.logger.Warn("further hosts are not logged", "hosts", maxWarnedHosts)
	}
	return true
}

// maxWarnedHosts bounds the hosts the Secure-cookie warning remembers.
const maxWarnedHosts = 16

// isLoopbackHost reports whether browsers treat http://host as a secure
// context: localhost, *.localhost and loopback addresses.
func isLoopbackHost(host string) bool {
	host = strings.TrimSuffix(strings.ToLower(strings.Trim(host, "[]")), ".")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// sessionFailed answers when the session refused a change or could not
// be loaded or saved (it is also the manager's error handler): a session
// too large for its cookie gets the "too long" page with the form's text,
// an unreachable store a friendly 503, anything else a friendly 500.
func (a *app) sessionFailed(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, session.ErrCookieTooLarge):
		a.logger.Warn("session too large for its cookie", "path", r.URL.Path, "err", err)
		a.tooLong(w, r, strings.TrimSpace(r.PostFormValue("text")), reasonCookie)
	case errors.Is(err, session.ErrUnavailable):
		a.logger.Error("session store unavailable", "method", r.Method, "path", r.URL.Path, "err", err)
		a.render(w, r, http.StatusServiceUnavailable, errorPage{
			Title: "Session store unavailable",
			Text:  "The session store (Redis) could not be reached, so nothing was changed. Try again in a moment.",
		})
	default:
		a.logger.Error("session", "method", r.Method, "path", r.URL.Path, "err", err)
		a.render(w, r, http.StatusInternalServerError, errorPage{
			Title: "Something went wrong",
			Text:  "The session could not be used, so nothing was changed.",
		})
	}
}
