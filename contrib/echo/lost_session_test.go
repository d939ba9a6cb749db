package sessecho_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/labstack/echo/v4"

	sessecho "github.com/sessconf/sessconf/contrib/echo"
	"github.com/sessconf/sessconf/session"
)

// naive is the adapter one writes by hand: it puts the session in the
// request but leaves the response's writer alone, so echo writes the
// response around the session middleware's writer.
func naive(m *session.Manager) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			var err error
			m.Middleware(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
				c.SetRequest(r)
				err = next(c)
			})).ServeHTTP(c.Response().Writer, c.Request())
			return err
		}
	}
}

// TestNaiveAdapterLosesSession runs the same requests through the naive
// adapter and through Middleware: only Middleware keeps the session.
func TestNaiveAdapterLosesSession(t *testing.T) {
	tests := []struct {
		name     string
		mw       func(*session.Manager) echo.MiddlewareFunc
		wantKept bool
	}{
		{"naive", naive, false},
		{"Middleware", sessecho.Middleware, true},
	}
	// Only Middleware must log nothing; whether the session middleware
	// notices the naive adapter is not this test's business.
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, logs := newManagerLogs(t, nil)
			if !tt.wantKept {
				logs.ignore()
			}
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
