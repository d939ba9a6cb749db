// Command demo serves a small site on encrypted cookie sessions: a visit
// counter, a CSRF-protected form that flashes a message and redirects, and
// a logout that invalidates the session. No server is needed.
//
//	go run ./examples/demo                           # ephemeral secret
//	go run ./examples/demo -config examples/app.ini  # settings from a file
//	SESSION_SECRET=$(go run ./cmd/checkconf --generate-secret) go run ./examples/demo
package main

import (
	"flag"
	"html/template"
	"log/slog"
	"net/http"
	"os"

	"github.com/sessconf/sessconf/internal/codec"
	"github.com/sessconf/sessconf/session"
	"github.com/sessconf/sessconf/settings"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "listen address")
	config := flag.String("config", "", "settings file (INI or YAML); default: SESSION_* environment variables")
	flag.Parse()
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))

	mgr, err := newManager(*config, logger)
	if err != nil {
		logger.Error("session settings", "err", err)
		os.Exit(1)
	}
	logger.Info("demo listening", "url", "http://"+*addr+"/")
	if err := http.ListenAndServe(*addr, mgr.Middleware(routes())); err != nil {
		logger.Error("serve", "err", err)
		os.Exit(1)
	}
}

// newManager reads the settings file, or the environment; with no secret
// anywhere it makes an ephemeral one, so the demo runs with no set-up.
func newManager(config string, logger *slog.Logger) (*session.Manager, error) {
	opts := []session.Option{session.WithLogger(logger)}
	if config != "" {
		return session.FromSettings(config, opts...)
	}
	_, hasSecret := os.LookupEnv("SESSION_SECRET")
	_, hasFile := os.LookupEnv("SESSION_SECRET_FILE")
	if !hasSecret && !hasFile {
		secret, err := codec.GenerateSecret(true)
		if err != nil {
			return nil, err
		}
		logger.Warn("no session secret configured: using an ephemeral one, so sessions end when the demo stops",
			"hint", "set SESSION_SECRET (checkconf --generate-secret) or pass -config examples/app.ini")
		opts = append(opts, session.WithLoadOptions(settings.WithOverrides("session.secret="+string(secret))))
	}
	return session.FromSettings(nil, opts...)
}

var page = template.Must(template.New("page").Parse(`<!doctype html>
<title>sessconf demo</title>
<h1>sessconf demo</h1>
{{range .Flash}}<p class="flash">{{.}}</p>{{end}}
<p>You have visited this page <strong id="visits">{{.Visits}}</strong> time(s) in this session.</p>
<form method="post" action="/message">
  <input type="hidden" name="csrf_token" value="{{.CSRF}}">
  <input name="text" placeholder="a message to flash">
  <button>Send</button>
</form>
<form method="post" action="/logout">
  <input type="hidden" name="csrf_token" value="{{.CSRF}}">
  <button>Log out (invalidate the session)</button>
</form>
`))

func routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		s := session.Get(r)
		visits, _ := session.GetAs[int](s, "visits")
		visits++
		if err := s.Set("visits", visits); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		flash, _ := s.PopFlash("")
		token, _ := s.CSRFToken()
		page.Execute(w, map[string]any{"Visits": visits, "Flash": flash, "CSRF": token})
	})
	mux.HandleFunc("POST /message", func(w http.ResponseWriter, r *http.Request) {
		if err := session.CheckCSRF(r); err != nil {
			http.Error(w, err.Error(), http.StatusForbidden)
			return
		}
		session.Get(r).Flash("You said: "+r.PostFormValue("text"), "", true)
		http.Redirect(w, r, "/", http.StatusSeeOther)
	})
	mux.HandleFunc("POST /logout", func(w http.ResponseWriter, r *http.Request) {
		if err := session.CheckCSRF(r); err != nil {
			http.Error(w, err.Error(), http.StatusForbidden)
			return
		}
		s := session.Get(r)
		s.Invalidate()
		s.Flash("Logged out: the session was invalidated.", "", true)
		http.Redirect(w, r, "/", http.StatusSeeOther)
	})
	return mux
}
