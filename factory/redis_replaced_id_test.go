package factory_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sessconf/sessconf/internal/redistest"
	"github.com/sessconf/sessconf/session"
)

// Within renew_grace the id RenewID replaced (X, perhaps planted by an
// attacker before the victim logged in) reads the renewed session Y, but
// never its CSRF token: CSRFToken fails with ErrReplaced, and CheckCSRF
// through X refuses even Y's valid token.
func TestRedisReplacedIDHidesCSRFToken(t *testing.T) {
	e := newEnv(t, redistest.Start(t), envOption{})
	x := e.cookie(e.serve("/", "", setKV("anon", 1)))
	var yToken string
	y := e.cookie(e.serve("/login", x, func(w http.ResponseWriter, r *http.Request) {
		login("victim")(w, r)
		yToken, _ = session.Get(r).CSRFToken()
	}))
	if yToken == "" {
		t.Fatal("no CSRF token in the renewed session")
	}
	resp := e.serve("/", x, func(w http.ResponseWriter, r *http.Request) {
		s := session.Get(r)
		if u, _ := s.Get("user"); u != "victim" {
			t.Errorf("X within the grace reads user=%v, want the renewed data", u)
		}
		if tok, err := s.CSRFToken(); !errors.Is(err, session.ErrReplaced) || tok != "" {
			t.Errorf("CSRFToken through X = %q, %v; want ErrReplaced", tok, err)
		}
		// A fresh token would be dropped with the request's writes: a
		// form rendered with it could never pass.
		if tok, err := s.NewCSRFToken(); !errors.Is(err, session.ErrReplaced) || tok != "" {
			t.Errorf("NewCSRFToken through X = %q, %v; want ErrReplaced", tok, err)
		}
		if _, ok := s.Get("_csrft_"); ok {
			t.Error("the token is readable as a key through X")
		}
	})
	noCookie(t, resp)
	check := func(cookie string) error {
		var err error
		r := httptest.NewRequest("POST", "/transfer", nil)
		r.Header.Set("Cookie", cookie)
		r.Header.Set(session.CSRFHeader, yToken)
		e.m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			err = session.CheckCSRF(r)
		})).ServeHTTP(httptest.NewRecorder(), r)
		return err
	}
	if err := check(x); !errors.Is(err, session.ErrCSRF) {
		t.Errorf("CheckCSRF through X with Y's token: %v, want ErrCSRF", err)
	}
	if err := check(y); err != nil {
		t.Errorf("CheckCSRF through Y with its own token: %v", err)
	}
}

// Invalidate through a replaced id ends that id only: whoever holds X
// cannot log the renewed session Y out. A chain of renewals behaves the
// same at each link, and Invalidate through the current id still ends it.
func TestRedisReplacedIDInvalidateEndsOnlyIt(t *testing.T) {
	ctx := context.Background()
	logout := func(w http.ResponseWriter, r *http.Request) { session.Get(r).Invalidate() }
	t.Run("one renewal", func(t *testing.T) {
		e := newEnv(t, redistest.Start(t), envOption{})
		x := e.cookie(e.serve("/", "", setKV("anon", 1)))
		y := e.cookie(e.serve("/login", x, login("victim")))
		resp := e.serve("/logout", x, logout)
		if sc := resp.Header.Get("Set-Cookie"); !strings.Contains(sc, "Max-Age=0") {
			t.Errorf("X's holder gets Set-Cookie %q, want its cookie deleted", sc)
		}
		if v, _ := e.getKey(y, "user"); v != "victim" {
			t.Errorf("after a logout through X, Y has user=%v, want victim", v)
		}
		if v, isNew := e.getKey(x, "user"); !isNew || v != nil {
			t.Errorf("after its logout X still reads user=%v", v)
		}
		tombs := 0
		for _, k := range e.keys() {
			if v, _ := e.client.Get(ctx, k).Result(); v == `{"tombstone": 1}` {
				tombs++
			}
		}
		if tombs != 1 {
			t.Errorf("%d tombstones, want X's only", tombs)
		}
	})
	t.Run("chain", func(t *testing.T) {
		e := newEnv(t, redistest.Start(t), envOption{})
		c1 := e.cookie(e.serve("/", "", setKV("user", "u")))
		c2 := e.cookie(e.serve("/login", c1, login("alice")))
		c3 := e.cookie(e.serve("/login", c2, login("alice")))
		e.serve("/logout", c1, logout)
		e.serve("/logout", c2, logout)
		if v, _ := e.getKey(c3, "user"); v != "alice" {
			t.Errorf("logouts through replaced ids ended the current session: user=%v", v)
		}
		e.serve("/logout", c3, logout)
		for _, ck := range []string{c1, c2, c3} {
			if v, isNew := e.getKey(ck, "user"); !isNew || v != nil {
				t.Errorf("after the logout through the current id an id still has user=%v", v)
			}
		}
		if n := len(e.keys()); n != 3 {
			t.Errorf("%d keys, want 3 tombstones", n)
		}
	})
}
