package sessecho_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	sessecho "github.com/sessconf/sessconf/contrib/echo"
	"github.com/sessconf/sessconf/session"
	"github.com/sessconf/sessconf/settings"
)

func ExampleMiddleware() {
	opts := settings.Default() // encrypted cookies
	opts.Secret = "5f1c8e3a9b2d4f6071829304a5b6c7d8e9f0a1b2c3d4e5f60718293a4b5c6d7e"
	mgr, err := session.New(opts)
	if err != nil {
		fmt.Println(err)
		return
	}

	e := echo.New()
	e.Use(sessecho.Middleware(mgr))
	e.GET("/", func(c echo.Context) error {
		s := sessecho.Get(c)
		n, _ := session.GetAs[int](s, "visits")
		if err := s.Set("visits", n+1); err != nil {
			return err
		}
		return c.String(http.StatusOK, fmt.Sprintf("visit %d", n+1))
	})

	// Two requests, the second with the first one's cookie.
	w := httptest.NewRecorder()
	e.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/", nil))
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	for _, c := range w.Result().Cookies() {
		req.AddCookie(c)
	}
	w2 := httptest.NewRecorder()
	e.ServeHTTP(w2, req)
	fmt.Println(w.Body.String(), "then", w2.Body.String())
	// Output: visit 1 then visit 2
}

// A CSRF-protected form: the page carries the session's token, and the
// POST is checked with session.CheckCSRF on the request echo holds.
func ExampleGet() {
	mgr, err := session.FromSettings(map[string]string{ // as in a Pyramid .ini
		"session.secret": "5f1c8e3a9b2d4f6071829304a5b6c7d8e9f0a1b2c3d4e5f60718293a4b5c6d7e",
	}, session.WithLoadOptions(settings.WithoutEnv()))
	if err != nil {
		fmt.Println(err)
		return
	}
	e := echo.New()
	e.Use(sessecho.Middleware(mgr))
	e.GET("/form", func(c echo.Context) error {
		token, err := sessecho.Get(c).CSRFToken()
		if err != nil {
			return err
		}
		return c.String(http.StatusOK, token) // goes into a hidden csrf_token field
	})
	e.POST("/comment", func(c echo.Context) error {
		if err := session.CheckCSRF(c.Request()); err != nil {
			return echo.NewHTTPError(http.StatusForbidden, "forbidden")
		}
		if err := sessecho.Get(c).Flash("Comment saved", "", false); err != nil {
			return err
		}
		return c.Redirect(http.StatusSeeOther, "/")
	})

	page := httptest.NewRecorder()
	e.ServeHTTP(page, httptest.NewRequest(http.MethodGet, "/form", nil))
	post := func(token string) int {
		req := httptest.NewRequest(http.MethodPost, "/comment", strings.NewReader(url.Values{"csrf_token": {token}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for _, c := range page.Result().Cookies() {
			req.AddCookie(c)
		}
		w := httptest.NewRecorder()
		e.ServeHTTP(w, req)
		return w.Code
	}
	fmt.Println(post("forged"), post(page.Body.String()))
	// Output: 403 303
}
