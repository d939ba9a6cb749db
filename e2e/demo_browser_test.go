package e2e

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/sessconf/sessconf/internal/redistest"
)

// backend is one way the demo is run, and what its cookie must look like.
type backend struct {
	name     string
	args     []string // demo flags, run from the repository root
	env      []string
	redis    bool // start a redis-server and point SESSION_REDIS_URL at it
	cookie   string
	secure   bool
	sameSite network.CookieSameSite
	maxAge   time.Duration // 0: a browser-session cookie
	source   string        // what the page says the settings came from
}

var backends = []backend{
	{
		name: "encrypted", args: []string{"-config", "examples/app.ini"},
		cookie: "myapp_session", secure: true, sameSite: network.CookieSameSiteLax, source: "examples/app.ini",
	},
	{
		name: "signed",
		env: []string{
			"SESSION_TYPE=signed", "SESSION_SECRET=e2e-signed-secret-" + strings.Repeat("k", 64),
			"SESSION_COOKIE_NAME=signed_demo", "SESSION_MAX_AGE=1h", "SESSION_SAMESITE=Strict", "SESSION_SECURE=false",
		},
		cookie: "signed_demo", secure: false, sameSite: network.CookieSameSiteStrict, maxAge: time.Hour,
		source: "SESSION_* environment variables",
	},
	{
		name: "redis", args: []string{"-config", "examples/app-redis.ini"}, redis: true,
		cookie: "myapp_session", secure: true, sameSite: network.CookieSameSiteLax, source: "examples/app-redis.ini",
	},
}

// TestDemoInBrowser runs the demo in headless Chromium on every backend
// and checks, per backend: the page and the stored cookie, the counter
// across reloads, a flash shown once after the redirect, an empty
// message refused, CSRF refusals (tampered field, token-less fetch,
// cross-site form) with the friendly page, the too-long message without
// a 500, two tabs counting in turn, logout, the old cookie rejected
// after logout on Redis, and the Secure-cookie warning on plain HTTP.
func TestDemoInBrowser(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	browser := startChromium(t, ctx)
	shots := *screenshotDir
	if shots == "" {
		shots = t.TempDir()
	} else if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { runBackend(t, browser, b, shots) })
	}
	t.Logf("screenshots in %s", shots)
}

// attackPage is a page of another site that posts to the demo, with
// the victim's real CSRF token: only the cookie's SameSite stops it.
var attackPage = template.Must(template.New("attack").Parse(`<!doctype html>
<title>Another site</title>
<h1>Another site</h1>
<p>This page, from another origin, posts a message to the demo.</p>
<form method="post" action="{{.Action}}">
<input type="hidden" name="csrf_token" value="{{.Token}}">
<input type="hidden" name="text" value="sent from another site">
<button id="attack">Post to the demo</button>
</form>`))

func runBackend(t *testing.T, browser context.Context, b backend, shots string) {
	env := b.env
	var redis *redistest.Server
	if b.redis {
		redis = redistest.Start(t)
		env = append(slices.Clone(env), "SESSION_REDIS_URL="+redis.URL())
	}
	d := startDemo(t, b.args, env)
	shots = filepath.Join(shots, b.name)
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	a := newTab(t, browser, shots, chromedp.WithNewBrowserContext())

	// First visit: the page names the settings; the browser stores the cookie as configured.
	if st := a.open(d.url); st != http.StatusOK {
		t.Fatalf("first visit: status %d", st)
	}
	if got := a.visits(); got != 1 {
		t.Errorf("first visit shows %d", got)
	}
	secure := map[bool]string{true: "Secure", false: "not Secure"}[b.secure]
	for sel, want := range map[string]string{"#backend": b.name, "#cookie-name": b.cookie, "#cookie-secure": secure, "#source": b.source} {
		if got := a.text(sel); got != want {
			t.Errorf("%s shows %q, want %q", sel, got, want)
		}
	}
	if w := a.text("#cookie-lost"); w != "" {
		t.Errorf("Secure-cookie warning on 127.0.0.1: %q", w)
	}
	first := checkCookie(t, a.cookies(d.url), b)
	if redis != nil {
		if n, err := redis.Do("DBSIZE"); err != nil || n == "0" {
			t.Errorf("no session record in Redis after the first visit: %q, %v", n, err)
		}
		if len(first.Value) > 200 {
			t.Errorf("Redis cookie holds %d characters: it should hold only an id", len(first.Value))
		}
	}
	a.shot("01-first-visit")

	// The counter across reloads.
	for want := 2; want <= 3; want++ {
		if st := a.reload(); st != http.StatusOK || a.visits() != want {
			t.Errorf("reload: status %d, visits %d, want %d", st, a.visits(), want)
		}
	}
	a.shot("02-counter-after-reloads")

	// A flash shown once, after the redirect.
	a.setField("input[name=text]", "Hello from Chromium, café <b>bold?</b>")
	if st := a.click("send"); st != http.StatusOK || a.path() != "/" {
		t.Errorf("send: status %d at %s", st, a.path())
	}
	if got := a.all(".notice"); !slices.Equal(got, []string{"You said: Hello from Chromium, café <b>bold?</b>"}) {
		t.Errorf("flash after the redirect: %q", got)
	}
	a.shot("03-flash-after-redirect")
	a.reload()
	if got := a.all(".notice"); len(got) != 0 || a.visits() != 5 {
		t.Errorf("after reload: notices %q (want none), visits %d (want 5)", got, a.visits())
	}
	a.shot("04-flash-gone-after-reload")

	// An empty message is refused with a notice.
	a.setField("input[name=text]", "  ")
	a.click("send")
	if got := a.all(".problem"); !slices.Equal(got, []string{"Nothing sent: type a message first."}) || len(a.all(".notice")) != 0 {
		t.Errorf("empty message: problems %q, notices %q", got, a.all(".notice"))
	}
	a.shot("05-empty-message-refused")
	visits := a.visits()

	// A tampered CSRF field: the friendly 403 page, with a link back.
	a.setField("form[action='/message'] input[name=csrf_token]", strings.Repeat("0", 40))
	a.setField("input[name=text]", "with a tampered token")
	if st := a.click("send"); st != http.StatusForbidden {
		t.Errorf("tampered CSRF field: status %d, want 403", st)
	}
	checkRefused(t, a)
	a.shot("06-csrf-tampered-field-refused")
	if st := a.click("back"); st != http.StatusOK || a.visits() != visits+1 || len(a.all(".notice")) != 0 {
		t.Errorf("back after the refusal: status %d, visits %d (want %d), notices %q", st, a.visits(), visits+1, a.all(".notice"))
	}

	// A token-less fetch(): refused with the same page.
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
	a.shot("07-fetch-without-token-refused")

	// A cross-site form POST, from a page of another host name, refused.
	token := eval[string](a, `fetch('/').then(r => r.text()).then(t => /name="csrf_token" value="([0-9a-f]+)"/.exec(t)[1])`)
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_ = attackPage.Execute(w, map[string]string{"Action": d.url + "message", "Token": token})
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
	checkRefused(t, a)
	a.shot("09-cross-site-post-refused")
	visits += 3 // back, the fetch('/') above, and now
	if a.open(d.url); a.visits() != visits || strings.Contains(a.text("body"), "another site") {
		t.Errorf("after the cross-site POST: visits %d (want %d), page %q", a.visits(), visits, a.text("body"))
	}

	// The too-long message: 413 with the text given back, never a 500.
	if got := eval[int](a, `document.querySelector('input[name=text]').maxLength`); got != 500 {
		t.Errorf("input maxlength %d, want 500", got)
	}
	accented := strings.Repeat("é", 500) // within maxlength; 3,000 characters once JSON-escaped
	a.setField("input[name=text]", accented)
	st := a.click("send")
	if b.redis {
		// The cookie holds only an id: the message fits.
		visits++
		if st != http.StatusOK || !slices.Equal(a.all(".notice"), []string{"You said: " + accented}) {
			t.Errorf("long accented message on Redis: status %d, notices %q", st, a.all(".notice"))
		}
		a.shot("10-long-accented-message-accepted")
	} else {
		checkTooLong(t, a, st, accented)
		a.shot("10-cookie-too-large-refused")
	}
	a.open(d.url)
	visits++
	a.setField("input[name=text]", strings.Repeat("x", 3000)) // past maxlength, as a script can
	checkTooLong(t, a, a.click("send"), strings.Repeat("x", 3000))
	a.shot("11-over-maxlength-refused")
	visits++
	if st := a.click("back"); st != http.StatusOK || a.visits() != visits || len(a.all(".notice")) != 0 {
		t.Errorf("back after too long: status %d, visits %d (want %d), notices %q", st, a.visits(), visits, a.all(".notice"))
	}
	if c := checkCookie(t, a.cookies(d.url), b); len(c.Value) > 4096 {
		t.Errorf("cookie of %d characters stored", len(c.Value))
	}
	if st := eval[int](a, `fetch('/favicon.ico').then(r => r.status)`); st != http.StatusNoContent {
		t.Errorf("/favicon.ico: status %d, want 204", st)
	}

	// Two tabs of one browser share the session and count in turn.
	tb := newTab(t, a.ctx, shots)
	tb.open(d.url)
	for i, tab := range []*tab{tb, a, tb, a} {
		if i > 0 {
			tab.reload()
		}
		if visits++; tab.visits() != visits {
			t.Errorf("turn %d (tab %s): visits %d, want %d", i, map[bool]string{true: "B", false: "A"}[tab == tb], tab.visits(), visits)
		}
	}
	a.shot("12-two-tabs-tab-a")
	tb.shot("13-two-tabs-tab-b")

	// Logout: the counter restarts, and the cookie changes.
	before := checkCookie(t, a.cookies(d.url), b)
	if st := a.click("logout"); st != http.StatusOK || a.visits() != 1 || !slices.Equal(a.all(".notice"), []string{"Logged out: the session was invalidated."}) {
		t.Errorf("logout: status %d, visits %d, notices %q", st, a.visits(), a.all(".notice"))
	}
	after := checkCookie(t, a.cookies(d.url), b)
	if after.Value == before.Value {
		t.Error("the cookie did not change at logout")
	}
	a.shot("14-logged-out")

	if b.redis {
		// Logout deleted the record: the old cookie, set back, starts a new session.
		_, err := chromedp.Call(a.ctx, network.SetCookie, network.SetCookieParams{
			Name: before.Name, Value: before.Value, URL: d.url, Path: before.Path,
			Secure: &before.Secure, HTTPOnly: &before.HTTPOnly, SameSite: before.SameSite,
		})
		if err != nil {
			t.Fatalf("set the old cookie back: %v", err)
		}
		if got := checkCookie(t, a.cookies(d.url), b); got.Value != before.Value {
			t.Fatal("the old cookie was not set back")
		}
		a.reload()
		if a.visits() != 1 || len(a.all(".notice")) != 0 {
			t.Errorf("old cookie after logout: visits %d (want 1, a new session), notices %q", a.visits(), a.all(".notice"))
		}
		if got := checkCookie(t, a.cookies(d.url), b); got.Value == before.Value {
			t.Error("the rejected cookie was kept")
		}
		a.shot("15-old-cookie-rejected-after-logout")
	}

	// Plain HTTP under another host name: a Secure cookie is dropped, and the page says so.
	u, err := url.Parse(d.url)
	if err != nil {
		t.Fatal(err)
	}
	insecure := "http://" + insecureHost + ":" + u.Port() + "/"
	a.open(insecure)
	a.reload()
	warned := a.text("#cookie-lost") != ""
	kept := len(a.cookies(insecure)) > 0
	if warned != b.secure || kept == b.secure || (b.secure && a.visits() != 1) {
		t.Errorf("at %s: warning shown %v, cookie kept %v, visits %d; cookie Secure %v", insecure, warned, kept, a.visits(), b.secure)
	}
	a.shot("16-plain-http-other-host")

	for _, tab := range []*tab{a, tb} {
		if bad := tab.badResponses(); len(bad) > 0 {
			t.Errorf("responses with 404 or 5xx: %q", bad)
		}
	}
}

// checkCookie finds the session cookie among cookies (the only one) and
// checks the attributes the browser stored.
func checkCookie(t *testing.T, cookies []*network.Cookie, b backend) *network.Cookie {
	t.Helper()
	if len(cookies) != 1 || cookies[0].Name != b.cookie {
		names := make([]string, len(cookies))
		for i, c := range cookies {
			names[i] = c.Name
		}
		t.Fatalf("cookies %q, want exactly %q", names, b.cookie)
	}
	c := cookies[0]
	var problems []string
	if !c.HTTPOnly {
		problems = append(problems, "not HttpOnly")
	}
	if c.Secure != b.secure {
		problems = append(problems, fmt.Sprintf("Secure %v", c.Secure))
	}
	if c.SameSite != b.sameSite {
		problems = append(problems, fmt.Sprintf("SameSite %q", c.SameSite))
	}
	if c.Path != "/" {
		problems = append(problems, fmt.Sprintf("Path %q", c.Path))
	}
	if b.maxAge == 0 {
		if !c.Session {
			problems = append(problems, fmt.Sprintf("expires at %v, want a browser-session cookie", c.Expires))
		}
	} else {
		// Expires is Max-Age from when it was set: compare with a margin
		// for the time the test took so far.
		left := time.Until(time.Unix(int64(c.Expires), 0))
		if c.Session || left > b.maxAge+time.Minute || left < b.maxAge-5*time.Minute {
			problems = append(problems, fmt.Sprintf("expires in %v, want about %v", left.Round(time.Second), b.maxAge))
		}
	}
	if len(problems) > 0 {
		t.Errorf("cookie %s: %s", c.Name, strings.Join(problems, ", "))
	}
	return c
}

// checkRefused checks the friendly 403 page.
func checkRefused(t *testing.T, a *tab) {
	t.Helper()
	if title := a.text("#error-title"); title != "Request refused" {
		t.Errorf("refusal page title %q, body %q", title, a.text("body"))
	}
	if href := eval[string](a, `(document.getElementById('back') || {}).href || ''`); !strings.HasSuffix(href, "/") {
		t.Errorf("no link back on the refusal page (%q)", href)
	}
}

// checkTooLong checks the friendly 413 page, which gives the text back.
func checkTooLong(t *testing.T, a *tab, status int64, text string) {
	t.Helper()
	if status != http.StatusRequestEntityTooLarge {
		t.Errorf("too long: status %d, want 413", status)
	}
	if title := a.text("#error-title"); title != "Message too long" {
		t.Errorf("too-long page title %q, body %q", title, a.text("body"))
	}
	if got := eval[string](a, `(document.getElementById('message') || {}).value || ''`); got != text {
		t.Errorf("the refused text is not given back (%d characters, want %d)", len(got), len(text))
	}
}
