package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
)

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
