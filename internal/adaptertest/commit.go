package adaptertest

import (
	"net/http"
	"testing"

	"github.com/sessconf/sessconf/session"
	"github.com/sessconf/sessconf/settings"
)

// CommitCase is one way a handler answers, and what must come of it. H
// is the framework's handler type.
type CommitCase[H any] struct {
	Name             string
	NoSetOnException bool   // settings: set_on_exception = false
	Handler          H      // serves GET /h
	WantStatus       int    // the status the browser gets
	WantCookie       bool   // a Set-Cookie header is sent
	WantK            string // "k" as the next request reads it; "" for unset
	// WantOuterSize is the response size the outer middleware sees, with
	// WantStatus; SkipOuter when the framework's own accounting (recovery,
	// error handler, redirect body) is not the point.
	WantOuterSize int64
	SkipOuter     bool
}

// CommitPoint checks that the session is committed when the framework
// sends the header, with the status it sends, whatever way the handler
// answers. mount returns the framework's application: a middleware
// recording into outer, the framework's panic recovery, the adapter over
// m, then GET /h served by h and GET /peek answering with Peek.
func CommitPoint[H any](t *testing.T, cases []CommitCase[H], mount func(m *session.Manager, h H, outer *Outer) http.Handler) {
	for _, tt := range cases {
		t.Run(tt.Name, func(t *testing.T) {
			m, _ := NewManager(t, func(o *settings.Options) { o.SetOnException = !tt.NoSetOnException })
			var outer Outer
			b := NewBrowser(t, mount(m, tt.Handler, &outer))
			b.Client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
			resp, body := b.Do(http.MethodGet, "/h", nil, nil)
			if resp.StatusCode != tt.WantStatus {
				t.Errorf("status %d, want %d (body %q)", resp.StatusCode, tt.WantStatus, body)
			}
			if got := resp.Header.Get("Set-Cookie") != ""; got != tt.WantCookie {
				t.Errorf("Set-Cookie sent: %v, want %v", got, tt.WantCookie)
			}
			if status, size := outer.Seen(); !tt.SkipOuter && (status != tt.WantStatus || size != tt.WantOuterSize) {
				t.Errorf("outer middleware saw status %d, size %d; want %d, %d", status, size, tt.WantStatus, tt.WantOuterSize)
			}
			want := tt.WantK
			if want == "" {
				want = "<nil>"
			}
			if got := b.Get("/peek"); got != want {
				t.Errorf("next request reads k = %q, want %q", got, want)
			}
		})
	}
}
