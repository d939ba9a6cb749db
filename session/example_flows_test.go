package session_test

import (
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"

	"github.com/sessconf/sessconf/session"
	"github.com/sessconf/sessconf/settings"
)

// client keeps the session cookie between requests, as a browser would.
type client struct {
	h      http.Handler
	cookie string
}

func (c *client) do(r *http.Request) *httptest.ResponseRecorder {
	if c.cookie != "" {
		r.Header.Set("Cookie", c.cookie)
	}
	w := httptest.NewRecorder()
	c.h.ServeHTTP(w, r)
	for _, ck := range w.Result().Cookies() {
		c.cookie = ck.Name + "=" + ck.Value
	}
	return w
}

func form(target, token string) *http.Request {
	r := httptest.NewRequest("POST", target, strings.NewReader(url.Values{session.CSRFFormField: {token}}.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return r
}

func manager() *session.Manager {
	opts := settings.Default()
	opts.Secret = secret
	m, err := session.New(opts)
	if err != nil {
		log.Fatal(err)
	}
	return m
}

// A form protected by CheckCSRF: the page renders the session's token in
// a hidden field; a POST without it (or from another origin) is refused.
func ExampleCheckCSRF() {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /form", func(w http.ResponseWriter, r *http.Request) {
		tok, err := session.Get(r).CSRFToken()
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		fmt.Fprint(w, tok)
	})
	mux.HandleFunc("POST /form", func(w http.ResponseWriter, r *http.Request) {
		if err := session.CheckCSRF(r); err != nil {
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		fmt.Fprint(w, "saved")
	})
	c := &client{h: manager().Middleware(mux)}
	token := c.do(httptest.NewRequest("GET", "/form", nil)).Body.String()
	fmt.Println(c.do(form("/form", token)).Code)
	fmt.Println(c.do(form("/form", "forged")).Code)
	cross := form("/form", token)
	cross.Header.Set("Sec-Fetch-Site", "cross-site")
	fmt.Println(c.do(cross).Code)
	// Output:
	// 200
	// 403
	// 403
}

// Login rotates the session (RenewID: a new id for Redis sessions, and
// always a new CSRF token) against fixation; logout invalidates it.
func ExampleSession_RenewID() {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		s := session.Get(r)
		if err := errors.Join(s.RenewID(), s.Set("user", "alice")); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	})
	mux.HandleFunc("POST /logout", func(w http.ResponseWriter, r *http.Request) {
		if err := session.Get(r).Invalidate(); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	})
	mux.HandleFunc("GET /", func(w http.ResponseWriter, r *http.Request) {
		user, err := session.GetAs[string](session.Get(r), "user")
		if errors.Is(err, session.ErrNoKey) {
			user = "nobody"
		}
		fmt.Fprint(w, user)
	})
	c := &client{h: manager().Middleware(mux)}
	c.do(httptest.NewRequest("POST", "/login", nil))
	fmt.Println(c.do(httptest.NewRequest("GET", "/", nil)).Body.String())
	c.do(httptest.NewRequest("POST", "/logout", nil))
	fmt.Println(c.do(httptest.NewRequest("GET", "/", nil)).Body.String())
	// Output:
	// alice
	// nobody
}

// The error handler answers when the session cannot be saved. Most
// oversize writes are already refused by Set with ErrCookieTooLarge, so
// a handler can answer them itself; the error handler is the last line.
func ExampleWithErrorHandler() {
	opts := settings.Default()
	opts.Secret = secret
	m, err := session.New(opts, session.WithErrorHandler(func(w http.ResponseWriter, r *http.Request, err error) {
		switch {
		case errors.Is(err, session.ErrUnavailable):
			http.Error(w, "sessions are down, try again shortly", http.StatusServiceUnavailable)
		default:
			http.Error(w, "could not save your session", http.StatusInternalServerError)
		}
	}))
	if err != nil {
		log.Fatal(err)
	}
	h := m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := session.Get(r).Set("note", strings.Repeat("é", 1000)) // 6 characters each in JSON
		if errors.Is(err, session.ErrCookieTooLarge) {
			http.Error(w, "that note is too long", http.StatusRequestEntityTooLarge)
			return
		}
		fmt.Fprint(w, "saved")
	}))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("POST", "/", nil))
	fmt.Println(w.Code, strings.TrimSpace(w.Body.String()))
	// Output: 413 that note is too long
}
