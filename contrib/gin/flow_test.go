package sessgin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	sessgin "github.com/sessconf/sessconf/contrib/gin"
)

func TestCounterAcrossRequests(t *testing.T) {
	b := newBrowser(t, app(sessgin.Middleware(newManager(t, nil))))
	for i, want := range []string{"visit 1", "visit 2", "visit 3"} {
		if got := b.get("/count"); got != want {
			t.Fatalf("request %d: got %q, want %q", i+1, got, want)
		}
	}
}

func TestCSRFFormFlashShownOnce(t *testing.T) {
	b := newBrowser(t, app(sessgin.Middleware(newManager(t, nil))))
	token, flash := b.form()
	if len(token) != 40 || len(flash) != 0 {
		t.Fatalf("first form: token %q, flash %q", token, flash)
	}
	resp, body := b.do(http.MethodPost, "/form", url.Values{"csrf_token": {token}, "name": {"ada"}}, nil)
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/form" || resp.Request.Method != http.MethodGet {
		t.Fatalf("POST /form: status %d at %s %s, body %q; want the redirected form", resp.StatusCode, resp.Request.Method, resp.Request.URL.Path, body)
	}
	if strings.TrimSpace(body) != `{"flash":["saved ada"],"token":"`+token+`"}` {
		t.Errorf("page after redirect: %s", body)
	}
	if again, flash := b.form(); again != token || len(flash) != 0 {
		t.Errorf("next page: token %q (want %q), flash %q (want none)", again, token, flash)
	}
}

func TestCSRFRefused(t *testing.T) {
	tests := []struct {
		name   string
		form   url.Values
		header http.Header
		want   int
	}{
		{"missing", url.Values{"name": {"x"}}, nil, http.StatusForbidden},
		{"wrong", url.Values{"name": {"x"}, "csrf_token": {"0123456789abcdef0123456789abcdef01234567"}}, nil, http.StatusForbidden},
		{"right token in header", url.Values{"name": {"x"}}, http.Header{"X-Csrf-Token": nil}, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBrowser(t, app(sessgin.Middleware(newManager(t, nil))))
			token, _ := b.form()
			if tt.header != nil {
				tt.header.Set("X-CSRF-Token", token)
			}
			resp, body := b.do(http.MethodPost, "/form", tt.form, tt.header)
			if resp.StatusCode != tt.want {
				t.Fatalf("status %d, want %d (body %q)", resp.StatusCode, tt.want, body)
			}
			if tt.want == http.StatusOK {
				if !strings.Contains(body, `"flash":["saved x"]`) {
					t.Errorf("accepted POST: the redirected page shows no flash: %s", body)
				}
				return
			}
			if _, flash := b.form(); len(flash) != 0 {
				t.Errorf("refused POST flashed %q", flash)
			}
		})
	}
}

func TestLogoutSeenByNextRequest(t *testing.T) {
	b := newBrowser(t, app(sessgin.Middleware(newManager(t, nil))))
	b.get("/count")
	if got := b.get("/count"); got != "visit 2" {
		t.Fatalf("before logout: %q", got)
	}
	token, _ := b.form()
	if resp, body := b.do(http.MethodPost, "/logout", url.Values{"csrf_token": {token}}, nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("logout: status %d, body %q", resp.StatusCode, body)
	}
	if got := b.get("/count"); got != "visit 1" {
		t.Errorf("after logout: %q, want a fresh session", got)
	}
	if resp, _ := b.do(http.MethodPost, "/form", url.Values{"csrf_token": {token}}, nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("the old CSRF token after logout: status %d, want 403", resp.StatusCode)
	}
}
