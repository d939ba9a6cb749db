package main

import (
	"bytes"
	"html/template"
	"net/http"
)

// maxMessage is the longest message, in characters, the form accepts
// (the input's maxlength; the server checks it too).
const maxMessage = 500

// homePage is the demo's one page.
type homePage struct {
	Visits   int
	Notices  []any // flash messages of the default queue
	Problems []any // flash messages of the "problem" queue
	CSRF     string
	Max      int
}

// errorPage is a refusal or failure, with a link back.
type errorPage struct {
	Title string
	Text  string
}

// tooLongPage keeps the refused message so the visitor can shorten it.
type tooLongPage struct {
	Reason  string
	Message string
	Chars   int
}

// layout is what every page shows around its content: the settings in
// use and, when it applies, why the browser will drop the cookie.
type layout struct {
	Backend, Storage, Source string
	Cookie                   string
	Secure, HTTPOnly         bool
	SameSite                 string
	CookieLost               bool
	Title                    string
	Content                  any
}

var storage = map[string]string{
	"encrypted": "an encrypted cookie: the browser holds the data but cannot read it",
	"signed":    "a signed cookie: the browser can read the data but not change it",
	"redis":     "Redis: the cookie holds only a signed session id",
}

var pages = template.Must(template.New("").Parse(`{{define "head"}}<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} · sessconf demo</title>
<link rel="icon" href="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Ccircle cx='8' cy='8' r='7' fill='%23365f91'/%3E%3C/svg%3E">
<style>
body{font:16px/1.5 "Liberation Sans",Arial,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.5rem;margin-bottom:.25rem}
.settings{color:#555;font-size:.9rem;border-bottom:1px solid #ddd;padding-bottom:.75rem}
.settings code{background:#f3f3f3;padding:0 .25rem;white-space:nowrap}
.notice,.problem,.warning{padding:.5rem .75rem;border-radius:4px;margin:.75rem 0;border-left:4px solid;overflow-wrap:anywhere}
.notice{background:#eaf5ea;border-color:#3c8d3c}
.problem{background:#fdecea;border-color:#c0392b}
.warning{background:#fff6dd;border-color:#d4a017}
form{margin:1rem 0}
input[name=text]{width:70%;padding:.3rem}
textarea{width:100%;height:6rem}
button{padding:.3rem .8rem}
#visits{font-size:1.25rem}
</style></head><body>
<h1>sessconf demo</h1>
<p class="settings">Backend: <code id="backend">{{.Backend}}</code>, sessions stored in {{.Storage}}.<br>
Cookie: <code id="cookie-name">{{.Cookie}}</code>, <span id="cookie-secure">{{if .Secure}}Secure{{else}}not Secure{{end}}</span>,
{{if .HTTPOnly}}HttpOnly{{else}}readable by scripts{{end}}, SameSite={{or .SameSite "(none)"}}.<br>
Settings from: <code id="source">{{.Source}}</code>.</p>
{{if .CookieLost}}<p class="warning" id="cookie-lost">This page came over plain HTTP under a host name other than localhost or 127.0.0.1,
and the session cookie is <strong>Secure</strong>: your browser will not keep it, so the counter stays at 1 and every form is refused.
Open the demo at http://127.0.0.1 or http://localhost, use HTTPS, or restart it with <code>-dev</code>.</p>{{end}}
{{end}}
{{define "home"}}{{template "head" .}}{{with .Content}}
{{range .Notices}}<p class="notice">{{.}}</p>{{end}}
{{range .Problems}}<p class="problem">{{.}}</p>{{end}}
<p>You have visited this page <strong id="visits">{{.Visits}}</strong> time(s) in this session. <a href="/">Reload</a></p>
<form method="post" action="/message">
  <input type="hidden" name="csrf_token" value="{{.CSRF}}">
  <input name="text" maxlength="{{.Max}}" placeholder="a message to flash (up to {{.Max}} characters)" aria-label="message">
  <button id="send">Send</button>
</form>
<form method="post" action="/logout">
  <input type="hidden" name="csrf_token" value="{{.CSRF}}">
  <button id="logout">Log out (invalidate the session)</button>
</form>
{{end}}</body></html>{{end}}
{{define "error"}}{{template "head" .}}{{with .Content}}
<h2 id="error-title">{{.Title}}</h2>
<p class="problem">{{.Text}}</p>
<p><a id="back" href="/">Back to the demo</a></p>
{{end}}</body></html>{{end}}
{{define "toolong"}}{{template "head" .}}{{with .Content}}
<h2 id="error-title">Message too long</h2>
<p class="problem">Your message was not saved. {{.Reason}}</p>
<p>Your text ({{.Chars}} characters), so you can shorten it:</p>
<textarea id="message" readonly>{{.Message}}</textarea>
<p><a id="back" href="/">Back to the demo</a></p>
{{end}}</body></html>{{end}}
`))

// render writes one page with status. It renders into a buffer first, so
// a template error gives a 500 instead of half a page.
func (a *app) render(w http.ResponseWriter, r *http.Request, status int, content any) {
	name, title := "home", "Home"
	switch c := content.(type) {
	case errorPage:
		name, title = "error", c.Title
	case tooLongPage:
		name, title = "toolong", "Message too long"
	}
	var buf bytes.Buffer
	err := pages.ExecuteTemplate(&buf, name, layout{
		Title:      title,
		Backend:    a.opts.Type,
		Storage:    storage[a.opts.Type],
		Source:     a.source,
		Cookie:     a.opts.CookieName,
		Secure:     a.opts.Secure,
		HTTPOnly:   a.opts.HTTPOnly,
		SameSite:   a.opts.SameSite,
		CookieLost: a.secureCookieLost(r),
		Content:    content,
	})
	if err != nil {
		a.logger.Error("render", "err", err)
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}
