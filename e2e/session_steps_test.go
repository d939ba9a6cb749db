package e2e

import (
	"fmt"
	"net/http"
	"slices"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// firstVisit: the page names the settings, and the browser stores the
// cookie as configured (on Redis, only an id, with a record in Redis).
func (r *run) firstVisit() {
	t, a, b := r.t, r.a, r.b
	if st := a.open(r.d.url); st != http.StatusOK {
		t.Fatalf("first visit: status %d", st)
	}
	r.counted(a, "first visit")
	secure := map[bool]string{true: "Secure", false: "not Secure"}[b.secure]
	for sel, want := range map[string]string{"#backend": b.name, "#cookie-name": b.cookie, "#cookie-secure": secure, "#source": b.source} {
		if got := a.text(sel); got != want {
			t.Errorf("%s shows %q, want %q", sel, got, want)
		}
	}
	if w := a.text("#cookie-lost"); w != "" {
		t.Errorf("Secure-cookie warning on 127.0.0.1: %q", w)
	}
	c := checkCookie(t, a.cookies(r.d.url), b)
	if r.redis != nil {
		if n, err := r.redis.Do("DBSIZE"); err != nil || n == "0" {
			t.Errorf("no session record in Redis after the first visit: %q, %v", n, err)
		}
		if len(c.Value) > 200 {
			t.Errorf("Redis cookie holds %d characters: it should hold only an id", len(c.Value))
		}
	}
	if st := eval[int](a, `fetch('/favicon.ico').then(r => r.status)`); st != http.StatusNoContent {
		t.Errorf("/favicon.ico: status %d, want 204", st)
	}
	a.shot("01-first-visit")
}

// counterAcrossReloads: every reload counts.
func (r *run) counterAcrossReloads() {
	for range 2 {
		if st := r.a.reload(); st != http.StatusOK {
			r.t.Errorf("reload: status %d", st)
		}
		r.counted(r.a, "reload")
	}
	r.a.shot("02-counter-after-reloads")
}

// flashShownOnce: a message is flashed, shown after the redirect, and
// gone at the next reload. Markup in it stays text.
func (r *run) flashShownOnce() {
	t, a := r.t, r.a
	msg := "Hello from Chromium, café <b>bold?</b>"
	a.setField("input[name=text]", msg)
	if st := a.click("send"); st != http.StatusOK || a.path() != "/" {
		t.Errorf("send: status %d at %s", st, a.path())
	}
	r.counted(a, "after the redirect")
	if got := a.all(".notice"); !slices.Equal(got, []string{"You said: " + msg}) {
		t.Errorf("flash after the redirect: %q", got)
	}
	a.shot("03-flash-after-redirect")
	a.reload()
	r.counted(a, "reload after the flash")
	if got := a.all(".notice"); len(got) != 0 {
		t.Errorf("flash shown again: %q", got)
	}
	a.shot("04-flash-gone-after-reload")
}

// emptyMessageRefused: a blank message gets a notice, not "You said".
func (r *run) emptyMessageRefused() {
	a := r.a
	a.setField("input[name=text]", "  ")
	a.click("send")
	r.counted(a, "after the empty message")
	if got := a.all(".problem"); !slices.Equal(got, []string{"Nothing sent: type a message first."}) || len(a.all(".notice")) != 0 {
		r.t.Errorf("empty message: problems %q, notices %q", got, a.all(".notice"))
	}
	a.shot("05-empty-message-refused")
}

// twoTabsInTurn: a second tab of the same browser shares the session;
// the two count in turn. It returns the second tab.
func (r *run) twoTabsInTurn() *tab {
	a := r.a
	tb := newTab(r.t, a.ctx, r.shots)
	tb.open(r.d.url)
	r.counted(tb, "tab B opens")
	for i, tab := range []*tab{a, tb, a} {
		tab.reload()
		r.counted(tab, fmt.Sprintf("turn %d: tab %s reloads", i+1, map[bool]string{true: "B", false: "A"}[tab == tb]))
	}
	a.shot("12-two-tabs-tab-a")
	tb.shot("13-two-tabs-tab-b")
	return tb
}

// logout: the counter restarts and the cookie changes. On Redis the
// record is gone, so the old cookie, set back, starts a new session.
func (r *run) logout() {
	t, a, b := r.t, r.a, r.b
	before := checkCookie(t, a.cookies(r.d.url), b)
	if st := a.click("logout"); st != http.StatusOK || !slices.Equal(a.all(".notice"), []string{"Logged out: the session was invalidated."}) {
		t.Errorf("logout: status %d, notices %q", st, a.all(".notice"))
	}
	r.visits = 0
	r.counted(a, "after logout")
	if after := checkCookie(t, a.cookies(r.d.url), b); after.Value == before.Value {
		t.Error("the cookie did not change at logout")
	}
	a.shot("14-logged-out")
	if !b.redis {
		return
	}
	_, err := chromedp.Call(a.ctx, network.SetCookie, network.SetCookieParams{
		Name: before.Name, Value: before.Value, URL: r.d.url, Path: before.Path,
		Secure: &before.Secure, HTTPOnly: &before.HTTPOnly, SameSite: before.SameSite,
	})
	if err != nil {
		t.Fatalf("set the old cookie back: %v", err)
	}
	if got := checkCookie(t, a.cookies(r.d.url), b); got.Value != before.Value {
		t.Fatal("the old cookie was not set back")
	}
	a.reload()
	r.visits = 0
	r.counted(a, "the old cookie after logout (a new session)")
	if got := a.all(".notice"); len(got) != 0 {
		t.Errorf("old cookie after logout: notices %q", got)
	}
	if got := checkCookie(t, a.cookies(r.d.url), b); got.Value == before.Value {
		t.Error("the rejected cookie was kept")
	}
	a.shot("15-old-cookie-rejected-after-logout")
}
