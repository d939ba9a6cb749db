package session

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sessconf/sessconf/settings"
)

// checkWith runs CheckCSRF on a POST to http://app.test/ carrying the
// session cookie c, the form token tok and the given headers.
func checkWith(m *Manager, c, tok string, headers map[string]string) (*httptest.ResponseRecorder, error) {
	r := httptest.NewRequest("POST", "http://app.test/", strings.NewReader("csrf_token="+tok))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if c != "" {
		r.Header.Set("Cookie", c)
	}
	for k, v := range headers {
		r.Header.Set(k, v)
	}
	var err error
	w := httptest.NewRecorder()
	m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { err = CheckCSRF(r) })).ServeHTTP(w, r)
	return w, err
}

// A valid token is not enough from another origin: CheckCSRF refuses
// cross-origin unsafe requests unless the origin is trusted or the check
// is turned off.
func TestCheckCSRFRefusesCrossOrigin(t *testing.T) {
	tests := []struct {
		name    string
		trusted []string
		check   bool
		headers map[string]string
		ok      bool
	}{
		{"same origin (Sec-Fetch-Site)", nil, true, map[string]string{"Sec-Fetch-Site": "same-origin"}, true},
		{"same origin (Origin = Host)", nil, true, map[string]string{"Origin": "http://app.test"}, true},
		{"no browser headers", nil, true, nil, true},
		{"cross-site (Sec-Fetch-Site)", nil, true, map[string]string{"Sec-Fetch-Site": "cross-site"}, false},
		{"cross-origin (Origin)", nil, true, map[string]string{"Origin": "http://evil.test"}, false},
		{"trusted origin", []string{"https://partner.test"}, true, map[string]string{"Origin": "https://partner.test", "Sec-Fetch-Site": "cross-site"}, true},
		{"other origin than the trusted one", []string{"https://partner.test"}, true, map[string]string{"Origin": "https://evil.test", "Sec-Fetch-Site": "cross-site"}, false},
		{"check off", nil, false, map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "http://evil.test"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := testOptions()
			o.CSRFTrustedOrigins, o.CSRFCheckOrigin = tt.trusted, tt.check
			m := testManager(t, o)
			var token string
			c := cookieOf(t, serve(m, func(w http.ResponseWriter, r *http.Request) { token, _ = Get(r).CSRFToken() }, ""))
			_, err := checkWith(m, c, token, tt.headers)
			if (err == nil) != tt.ok {
				t.Fatalf("CheckCSRF = %v, want ok=%v", err, tt.ok)
			}
			if err != nil && !errors.Is(err, ErrCSRF) {
				t.Errorf("err %v does not match ErrCSRF", err)
			}
		})
	}
}

// An empty stored token never matches an empty submitted one (Pyramid
// accepts that pair). An existing session without a token gets one with
// the refusal, as Pyramid's check_csrf_token creates it; a new session
// does not, so a refused request sets no cookie and stores nothing.
func TestCheckCSRFEmptyAndMissingTokens(t *testing.T) {
	m := testManager(t, testOptions())
	c := cookieOf(t, serve(m, func(w http.ResponseWriter, r *http.Request) {
		s := Get(r)
		s.mu.Lock()
		s.change()
		s.rec.State.Set(csrfKey, []byte(`""`)) // as a Pyramid app may store it
		s.mu.Unlock()
	}, ""))
	if _, err := checkWith(m, c, "", nil); !errors.Is(err, ErrCSRF) {
		t.Errorf("empty stored and submitted token accepted: %v", err)
	}

	noToken := cookieOf(t, serve(m, func(w http.ResponseWriter, r *http.Request) { Get(r).Set("user", "alice") }, ""))
	w, err := checkWith(m, noToken, "", nil)
	if !errors.Is(err, ErrCSRF) || w.Header().Get("Set-Cookie") == "" {
		t.Errorf("existing session without a token: err %v, cookie %q; want a refusal carrying a new token", err, w.Header().Get("Set-Cookie"))
	}

	for _, check := range []bool{true, false} {
		o := testOptions()
		o.CSRFCheckOrigin = check
		w, err := checkWith(testManager(t, o), "", "", map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.test"})
		if !errors.Is(err, ErrCSRF) || w.Header().Get("Set-Cookie") != "" {
			t.Errorf("origin check %v: a refused request without a session: err %v, cookie %q", check, err, w.Header().Get("Set-Cookie"))
		}
	}
}

// Trusted origins are validated when the manager is built.
func TestTrustedOriginsValidated(t *testing.T) {
	o := settings.Default()
	o.Secret = testKey
	o.CSRFTrustedOrigins = []string{"not an origin"}
	if _, err := New(o); err == nil {
		t.Error("New accepted a malformed trusted origin")
	}
}
