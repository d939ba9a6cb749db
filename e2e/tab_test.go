package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// tab is one browser tab with the helpers the checks need. Every
// response the tab receives is recorded, so the test can assert that no
// request anywhere got a 404 or a 5xx.
type tab struct {
	t     *testing.T
	ctx   context.Context
	shots string // screenshot directory

	mu        sync.Mutex
	responses []string // "status URL"
	bad       []string // 404 and 5xx responses
}

// jsString is s as a JavaScript string literal.
func jsString(s string) string {
	b, err := json.Marshal(s)
	if err != nil {
		panic(err) // a string always marshals
	}
	return string(b)
}

// newTab opens a tab in the browser context of parent (opts may ask for
// a new browser context: a fresh cookie jar).
func newTab(t *testing.T, parent context.Context, shots string, opts ...chromedp.ContextOption) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(parent, opts...)
	t.Cleanup(cancel)
	tb := &tab{t: t, ctx: ctx, shots: shots}
	if err := chromedp.Do(ctx); err != nil { // opens the tab
		t.Fatalf("open tab: %v", err)
	}
	if err := chromedp.Listen(ctx, func(ev any) {
		if ev, ok := ev.(*network.EventResponseReceived); ok {
			tb.mu.Lock()
			defer tb.mu.Unlock()
			r := fmt.Sprintf("%d %s", ev.Response.Status, ev.Response.URL)
			tb.responses = append(tb.responses, r)
			if ev.Response.Status == 404 || ev.Response.Status >= 500 {
				tb.bad = append(tb.bad, r)
			}
		}
	}); err != nil {
		t.Fatalf("listen: %v", err)
	}
	return tb
}

// badResponses lists the 404 and 5xx responses the tab got.
func (tb *tab) badResponses() []string {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	return append([]string(nil), tb.bad...)
}

// open navigates to url and returns the document's status.
func (tb *tab) open(url string) int64 {
	tb.t.Helper()
	resp, err := chromedp.Run(tb.ctx, chromedp.NavigateResponse(url))
	if err != nil {
		tb.t.Fatalf("open %s: %v", url, err)
	}
	return resp.Status
}

// reload reloads the page and returns the document's status.
func (tb *tab) reload() int64 {
	tb.t.Helper()
	resp, err := chromedp.RunResponse(tb.ctx, chromedp.Reload())
	if err != nil {
		tb.t.Fatalf("reload: %v", err)
	}
	return resp.Status
}

// click clicks the element with id and returns the status of the page it
// loads (after redirects).
func (tb *tab) click(id string) int64 {
	tb.t.Helper()
	resp, err := chromedp.RunResponse(tb.ctx, chromedp.Click(chromedp.ID(id)))
	if err != nil {
		tb.t.Fatalf("click #%s: %v", id, err)
	}
	return resp.Status
}

// eval runs JavaScript, awaiting a promise result, and decodes it into a T.
func eval[T any](tb *tab, js string) T {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.t.Fatalf("evaluate %q: %v", js, err)
	}
	return v
}

// text is the text of the first element matching the CSS selector, or ""
// when there is none.
func (tb *tab) text(css string) string {
	tb.t.Helper()
	return eval[string](tb, `(document.querySelector(`+jsString(css)+`) || {innerText: ""}).innerText`)
}

// all is the text of every element matching the CSS selector.
func (tb *tab) all(css string) []string {
	tb.t.Helper()
	return eval[[]string](tb, `Array.from(document.querySelectorAll(`+jsString(css)+`), e => e.innerText)`)
}

// path is the path of the page's URL.
func (tb *tab) path() string {
	tb.t.Helper()
	return eval[string](tb, `location.pathname`)
}

// visits is the counter the page shows, or -1 when it shows none.
func (tb *tab) visits() int {
	tb.t.Helper()
	n, err := strconv.Atoi(tb.text("#visits"))
	if err != nil {
		return -1
	}
	return n
}

// setField sets a form field's value from script, as a page (or a
// tampering user) can; maxlength does not limit it.
func (tb *tab) setField(css, value string) {
	tb.t.Helper()
	eval[bool](tb, `(() => { const e = document.querySelector(`+jsString(css)+`); e.value = `+jsString(value)+`; return true })()`)
}

// cookies are the browser's cookies for url, through the DevTools API.
func (tb *tab) cookies(url string) []*network.Cookie {
	tb.t.Helper()
	res, err := chromedp.Call(tb.ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{url}})
	if err != nil {
		tb.t.Fatalf("get cookies: %v", err)
	}
	return res.Cookies
}

// shot saves a screenshot of the tab as state.png.
func (tb *tab) shot(state string) {
	tb.t.Helper()
	png, err := chromedp.Run(tb.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		tb.t.Fatalf("screenshot %s: %v", state, err)
	}
	file := filepath.Join(tb.shots, state+".png")
	if err := os.WriteFile(file, png, 0o644); err != nil {
		tb.t.Fatal(err)
	}
}
