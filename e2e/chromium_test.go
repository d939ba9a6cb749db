package e2e

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
)

// chromiumPath is Debian's chromium (apt-get install chromium fonts-liberation).
const chromiumPath = "/usr/bin/chromium"

var screenshotDir = flag.String("screenshots", "", "directory for the screenshots of every state (default: a temporary directory, removed afterwards)")

// crossSite and insecureHost are host names Chromium resolves to
// 127.0.0.1; every other name fails to resolve, so the browser never
// leaves loopback.
const (
	crossSite    = "othersite.test"
	insecureHost = "demo.test"
)

// lockedBuffer collects Chromium's output for the failure message.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startChromium starts headless Chromium with a fresh profile and returns
// a context for its first tab; the browser stops at the end of the test.
// Without /usr/bin/chromium the test fails in CI (env CI or
// SESSCONF_REQUIRE_CHROMIUM=1 set) and is skipped elsewhere; a Chromium
// that does not start always fails.
func startChromium(t *testing.T, ctx context.Context) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		msg := chromiumPath + " not found: apt-get install --no-install-recommends chromium fonts-liberation"
		if os.Getenv("CI") != "" || os.Getenv("SESSCONF_REQUIRE_CHROMIUM") == "1" {
			t.Fatal(msg + " (CI or SESSCONF_REQUIRE_CHROMIUM=1 is set: the browser test is required)")
		}
		t.Skip(msg)
	}
	var output lockedBuffer
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.NoSandbox, // CI containers run as root, where the sandbox cannot start
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-proxy-server", true),
		chromedp.Flag("host-resolver-rules",
			"MAP "+crossSite+" 127.0.0.1, MAP "+insecureHost+" 127.0.0.1, MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(900, 700),
		chromedp.CombinedOutput(&output),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancelBrowser()
		cancelAlloc()
	})
	if err := chromedp.Do(browserCtx); err != nil {
		hint := ""
		if errors.Is(err, context.DeadlineExceeded) {
			hint = " (timed out)"
		}
		t.Fatalf("Chromium (%s) could not start%s: %v\nits output:\n%s", chromiumPath, hint, err, output.String())
	}
	return browserCtx
}
