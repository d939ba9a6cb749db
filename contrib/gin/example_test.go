package sessgin_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	sessgin "github.com/sessconf/sessconf/contrib/gin"
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

	r := gin.New()
	r.Use(sessgin.Middleware(mgr))
	r.GET("/", func(c *gin.Context) {
		s := sessgin.Get(c)
		n, _ := session.GetAs[int](s, "visits")
		if err := s.Set("visits", n+1); err != nil {
			c.String(http.StatusInternalServerError, "%v", err)
			return
		}
		c.String(http.StatusOK, "visit %d", n+1)
	})

	// Two requests, the second with the first one's cookie.
	w := httptest.NewRecorder()
	r.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/", nil))
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	for _, c := range w.Result().Cookies() {
		req.AddCookie(c)
	}
	w2 := httptest.NewRecorder()
	r.ServeHTTP(w2, req)
	fmt.Println(w.Body.String(), "then", w2.Body.String())
	// Output: visit 1 then visit 2
}

// A CSRF-protected form: the page carries the session's token, and the
// POST is checked with session.CheckCSRF on the request gin holds.
func ExampleGet() {
	mgr, err := session.FromSettings(map[string]string{ // as in a Pyramid .ini
		"session.secret": "5f1c8e3a9b2d4f6071829304a5b6c7d8e9f0a1b2c3d4e5f60718293a4b5c6d7e",
	}, session.WithLoadOptions(settings.WithoutEnv()))
	if err != nil {
		fmt.Println(err)
		return
	}
	r := gin.New()
	r.Use(sessgin.Middleware(mgr))
	r.GET("/form", func(c *gin.Context) {
		token, err := sessgin.Get(c).CSRFToken()
		if err != nil {
			c.String(http.StatusInternalServerError, "%v", err)
			return
		}
		c.String(http.StatusOK, token) // goes into a hidden csrf_token field
	})
	r.POST("/comment", func(c *gin.Context) {
		if err := session.CheckCSRF(c.Request); err != nil {
			c.String(http.StatusForbidden, "forbidden")
			return
		}
		if err := sessgin.Get(c).Flash("Comment saved", "", false); err != nil {
			c.String(http.StatusInternalServerError, "%v", err)
			return
		}
		c.Redirect(http.StatusSeeOther, "/")
	})

	page := httptest.NewRecorder()
	r.ServeHTTP(page, httptest.NewRequest(http.MethodGet, "/form", nil))
	post := func(token string) int {
		req := httptest.NewRequest(http.MethodPost, "/comment", strings.NewReader(url.Values{"csrf_token": {token}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for _, c := range page.Result().Cookies() {
			req.AddCookie(c)
		}
		w := httptest.NewRecorder()
		r.ServeHTTP(w, req)
		return w.Code
	}
	fmt.Println(post("forged"), post(page.Body.String()))
	// Output: 403 303
}
