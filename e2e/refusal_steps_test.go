package e2e

import (
	"html/template"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
)

// tamperedFieldRefused: a form with a changed CSRF field gets the
// friendly 403 page; its link leads back to the unchanged session.
func (r *run) tamperedFieldRefused() {
	t, a := r.t, r.a
	a.setField("form[action='/message'] input[name=csrf_token]", strings.Repeat("0", 40))
	a.setField("input[name=text]", "with a tampered token")
	if st := a.click("send"); st != http.StatusForbidden {
		t.Errorf("tampered CSRF field: status %d, want 403", st)
	}
	checkRefused(r, "06-csrf-tampered-field-refused")
	if st := a.click("back"); st != http.StatusOK || len(a.all(".notice")) != 0 {
		t.Errorf("back after the refusal: status %d, notices %q", st, a.all(".notice"))
	}
	r.counted(a, "back after the refusal")
}

// tokenlessFetchRefused: a script's POST without the token gets the same
// page (shown in the tab for the screenshot).
func (r *run) tokenlessFetchRefused() {
	t, a := r.t, r.a
	type fetched struct {
		Status int    `json:"status"`
		Type   string `json:"type"`
		Body   string `json:"body"`
	}
	f := eval[fetched](a, `fetch('/message', {method: 'POST', body: new URLSearchParams({text: 'fetch without a token'})})
		.then(async r => ({status: r.status, type: r.headers.get('Content-Type'), body: await r.text()}))`)
	if f.Status != http.StatusForbidden || !strings.HasPrefix(f.Type, "text/html") || !strings.Contains(f.Body, "Request refused") {
		t.Errorf("token-less fetch: status %d, type %q, body %q", f.Status, f.Type, f.Body)
	}
	eval[bool](a, `(b => { document.open(); document.write(b); document.close(); return true })(`+jsString(f.Body)+`)`)
	checkRefused(r, "07-fetch-without-token-refused")
}

// attackPage is a page of another site that posts to the demo, with the
// visitor's real CSRF token: SameSite and the origin check must stop it.
var attackPage = template.Must(template.New("attack").Parse(`<!doctype html>
<title>Another site</title>
<h1>Another site</h1>
<p>This page, from another origin, posts a message to the demo.</p>
<form method="post" action="{{.Action}}">
<input type="hidden" name="csrf_token" value="{{.Token}}">
<input type="hidden" name="text" value="sent from another site">
<button id="attack">Post to the demo</button>
</form>`))

// crossSitePostRefused: a form on another host name (mapped to
// 127.0.0.1) posting to the demo is refused, and the visitor's session
// survives it.
func (r *run) crossSitePostRefused() {
	t, a := r.t, r.a
	token := eval[string](a, `fetch('/').then(r => r.text()).then(t => /name="csrf_token" value="([0-9a-f]+)"/.exec(t)[1])`)
	r.visits++ // that fetch counted a visit
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_ = attackPage.Execute(w, map[string]string{"Action": r.d.url + "message", "Token": token})
	}))
	defer other.Close()
	otherURL := strings.Replace(other.URL, "127.0.0.1", crossSite, 1) + "/"
	if st := a.open(otherURL); st != http.StatusOK {
		t.Fatalf("open %s: status %d", otherURL, st)
	}
	a.shot("08-cross-site-page")
	if st := a.click("attack"); st != http.StatusForbidden {
		t.Errorf("cross-site POST: status %d, want 403", st)
	}
	checkRefused(r, "09-cross-site-post-refused")
	a.open(r.d.url)
	r.counted(a, "back on the demo after the cross-site POST")
	if body := a.text("body"); strings.Contains(body, "another site") {
		t.Errorf("the cross-site message was flashed: %q", body)
	}
}

// tooLongMessage: a message within maxlength but too large for a cookie
// session gets the 413 page with the text given back (on Redis it fits);
// one past maxlength, set by script, gets it on every backend. Never a
// 500, and the session goes on.
func (r *run) tooLongMessage() {
	t, a := r.t, r.a
	if got := eval[int](a, `document.querySelector('input[name=text]').maxLength`); got != 500 {
		t.Errorf("input maxlength %d, want 500", got)
	}
	accented := strings.Repeat("é", 500) // 3,000 characters once JSON-escaped
	a.setField("input[name=text]", accented)
	st := a.click("send")
	if r.b.redis {
		r.counted(a, "after the long accented message")
		if st != http.StatusOK || !slices.Equal(a.all(".notice"), []string{"You said: " + accented}) {
			t.Errorf("long accented message on Redis: status %d, notices %q", st, a.all(".notice"))
		}
		a.shot("10-long-accented-message-accepted")
	} else {
		checkTooLong(r, st, accented, "10-cookie-too-large-refused")
	}
	a.open(r.d.url)
	r.counted(a, "reload after the long message")
	long := strings.Repeat("x", 3000)
	a.setField("input[name=text]", long)
	checkTooLong(r, a.click("send"), long, "11-over-maxlength-refused")
	if st := a.click("back"); st != http.StatusOK || len(a.all(".notice")) != 0 {
		t.Errorf("back after too long: status %d, notices %q", st, a.all(".notice"))
	}
	r.counted(a, "back after too long")
	checkCookie(t, a.cookies(r.d.url), r.b)
}

// plainHTTPOtherHost: under a host name other than 127.0.0.1 or
// localhost, over plain HTTP, a Secure cookie is dropped and the page
// says so; a cookie that is not Secure is kept, with no warning.
func (r *run) plainHTTPOtherHost() {
	t, a := r.t, r.a
	u, err := url.Parse(r.d.url)
	if err != nil {
		t.Fatal(err)
	}
	insecure := "http://" + insecureHost + ":" + u.Port() + "/"
	a.open(insecure)
	a.reload()
	warned := a.text("#cookie-lost") != ""
	kept := len(a.cookies(insecure)) > 0
	if warned != r.b.secure || kept == r.b.secure || (r.b.secure && a.visits() != 1) {
		t.Errorf("at %s: warning shown %v, cookie kept %v, visits %d; cookie Secure %v", insecure, warned, kept, a.visits(), r.b.secure)
	}
	a.shot("16-plain-http-other-host")
}

// checkRefused checks the friendly 403 page and saves its screenshot.
func checkRefused(r *run, shot string) {
	r.t.Helper()
	if title := r.a.text("#error-title"); title != "Request refused" {
		r.t.Errorf("refusal page title %q, body %q", title, r.a.text("body"))
	}
	if href := eval[string](r.a, `(document.getElementById('back') || {}).href || ''`); !strings.HasSuffix(href, "/") {
		r.t.Errorf("no link back on the refusal page (%q)", href)
	}
	r.a.shot(shot)
}

// checkTooLong checks the friendly 413 page, which gives the text back,
// and saves its screenshot.
func checkTooLong(r *run, status int64, text, shot string) {
	r.t.Helper()
	if status != http.StatusRequestEntityTooLarge {
		r.t.Errorf("too long: status %d, want 413", status)
	}
	if title := r.a.text("#error-title"); title != "Message too long" {
		r.t.Errorf("too-long page title %q, body %q", title, r.a.text("body"))
	}
	if got := eval[string](r.a, `(document.getElementById('message') || {}).value || ''`); got != text {
		r.t.Errorf("the refused text is not given back (%d characters, want %d)", len(got), len(text))
	}
	r.a.shot(shot)
}
