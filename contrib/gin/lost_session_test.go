package sessgin_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/gin-gonic/gin"

	sessgin "github.com/sessconf/sessconf/contrib/gin"
	"github.com/sessconf/sessconf/session"
)

// naive is the adapter one writes by hand: it puts the session in the
// request but leaves c.Writer alone, so gin writes the response around
// the session middleware's writer.
func naive(m *session.Manager) gin.HandlerFunc {
	return func(c *gin.Context) {
		m.Middleware(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
			c.Request = r
			c.Next()
		})).ServeHTTP(c.Writer, c.Request)
	}
}

// TestNaiveAdapterLosesSession runs the same requests through the naive
// adapter and through Middleware: only Middleware keeps the session, and
// the session middleware warns about the naive one.
func TestNaiveAdapterLosesSession(t *testing.T) {
	tests := []struct {
		name     string
		mw       func(*session.Manager) gin.HandlerFunc
		wantKept bool
		wantLog  string
	}{
		{"naive", naive, false, "written around the session middleware's writer"},
		{"Middleware", sessgin.Middleware, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, logs := newManagerLogs(t, nil)
			logs.expect(tt.wantLog)
			b := newBrowser(t, app(tt.mw(m)))
			resp, _ := b.do(http.MethodGet, "/count", nil, nil)
			if got := resp.Header.Get("Set-Cookie") != ""; got != tt.wantKept {
				t.Errorf("Set-Cookie sent: %v, want %v", got, tt.wantKept)
			}
			second := b.get("/count")
			if kept := second == "visit 2"; kept != tt.wantKept {
				t.Errorf("second visit: %q; session kept %v, want %v", second, kept, tt.wantKept)
			}
			token, _ := b.form()
			resp, _ = b.do(http.MethodPost, "/form", url.Values{"csrf_token": {token}}, nil)
			if accepted := resp.StatusCode == http.StatusOK; accepted != tt.wantKept {
				t.Errorf("CSRF-protected POST with the form's token: status %d", resp.StatusCode)
			}
		})
	}
}
