package e2e

import (
	"context"
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

// run is one backend's pass through the demo: the demo process, its
// Redis (if any), the main tab, and the count the page should show next.
type run struct {
	t      *testing.T
	b      backend
	d      *demo
	redis  *redistest.Server
	a      *tab
	shots  string
	visits int // what the counter showed last
}

// counted checks that tb's page, just loaded, counted one more visit.
func (r *run) counted(tb *tab, what string) {
	r.t.Helper()
	r.visits++
	if got := tb.visits(); got != r.visits {
		r.t.Errorf("%s: the page shows %d visits, want %d", what, got, r.visits)
	}
}

func runBackend(t *testing.T, browser context.Context, b backend, shots string) {
	r := &run{t: t, b: b, shots: filepath.Join(shots, b.name)}
	env := b.env
	if b.redis {
		r.redis = redistest.Start(t)
		env = append(slices.Clone(env), "SESSION_REDIS_URL="+r.redis.URL())
	}
	r.d = startDemo(t, b.args, env)
	if err := os.MkdirAll(r.shots, 0o755); err != nil {
		t.Fatal(err)
	}
	r.a = newTab(t, browser, r.shots, chromedp.WithNewBrowserContext())

	r.firstVisit()
	r.counterAcrossReloads()
	r.flashShownOnce()
	r.emptyMessageRefused()
	r.tamperedFieldRefused()
	r.tokenlessFetchRefused()
	r.crossSitePostRefused()
	r.tooLongMessage()
	tb := r.twoTabsInTurn()
	r.logout()
	r.plainHTTPOtherHost()
	for _, tab := range []*tab{r.a, tb} {
		if bad := tab.badResponses(); len(bad) > 0 {
			t.Errorf("responses with 404 or 5xx: %q", bad)
		}
	}
}
