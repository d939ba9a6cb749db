package sessiontest_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/sessconf/sessconf/session"
	"github.com/sessconf/sessconf/sessiontest"
)

// account greets the logged-in user and counts their visits; /logout
// invalidates the session.
var account = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	s := session.Get(r)
	if r.URL.Path == "/logout" {
		if err := s.Invalidate(); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
		return
	}
	user, err := session.GetAs[string](s, "user")
	if errors.Is(err, session.ErrNoKey) {
		http.Error(w, "log in first", http.StatusUnauthorized)
		return
	}
	n, _ := session.GetAs[int](s, "visits")
	if err := s.Set("visits", n+1); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	fmt.Fprintf(w, "hello %s (%d)", user, n+1)
})

func Example() {
	t := &testing.T{} // in a real test, the *testing.T of the test
	st := sessiontest.New(t)
	r := st.WithSession(t, httptest.NewRequest("GET", "/account", nil), map[string]any{"user": "alice", "visits": 41})
	w := httptest.NewRecorder()
	st.Middleware(account).ServeHTTP(w, r)
	fmt.Println(w.Body.String(), st.Data(r, w.Result())["visits"])
	// Output: hello alice (42) 42
}

func TestPreparedSessionReachesTheHandler(t *testing.T) {
	st := sessiontest.New(t)
	h := st.Middleware(account)

	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/account", nil))
	if w.Code != http.StatusUnauthorized {
		t.Fatalf("no session: status %d", w.Code)
	}

	r := st.WithSession(t, httptest.NewRequest("GET", "/account", nil), map[string]any{"user": "alice"})
	w = httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if got := w.Body.String(); got != "hello alice (1)" {
		t.Fatalf("body %q", got)
	}
	data := st.Data(r, w.Result())
	if data["user"] != "alice" || data["visits"] != int64(1) {
		t.Errorf("session after the request: %v", data)
	}

	r = st.WithSession(t, httptest.NewRequest("GET", "/logout", nil), map[string]any{"user": "alice"})
	w = httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if data := st.Data(r, w.Result()); data != nil {
		t.Errorf("session after logout: %v", data)
	}
}

func TestStoreFollowsTheIdleTimeout(t *testing.T) {
	st := sessiontest.New(t)
	now := time.Unix(1_800_000_000, 0)
	st.SetClock(func() time.Time { return now })
	r := st.WithSession(t, httptest.NewRequest("GET", "/account", nil), map[string]any{"user": "alice"})
	now = now.Add(21 * time.Minute) // past the default 1200 s idle timeout
	w := httptest.NewRecorder()
	st.Middleware(account).ServeHTTP(w, r)
	if w.Code != http.StatusUnauthorized {
		t.Errorf("expired session still served: status %d %q", w.Code, w.Body.String())
	}
}

// "Remember me" shows in a handler test as it would in production: the
// cookie is re-sent with the session's own Max-Age.
func TestSetMaxAgeResendsTheCookie(t *testing.T) {
	st := sessiontest.New(t)
	h := st.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := session.Get(r).SetMaxAge(30 * 24 * time.Hour); err != nil {
			t.Fatal(err)
		}
	}))
	r := st.WithSession(t, httptest.NewRequest("POST", "/remember", nil), map[string]any{"user": "alice"})
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	c := w.Result().Cookies()
	if len(c) != 1 || c[0].MaxAge != 30*24*3600 {
		t.Fatalf("cookies %v, want one with Max-Age=2592000", w.Header().Values("Set-Cookie"))
	}
	if st.Data(r, w.Result())["user"] != "alice" {
		t.Error("the session was lost")
	}
}
