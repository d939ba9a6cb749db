package sessecho_test

import (
	"errors"
	"net/http"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	sessecho "github.com/sessconf/sessconf/contrib/echo"
	"github.com/sessconf/sessconf/internal/adaptertest"
	"github.com/sessconf/sessconf/session"
)

// TestCommitPoint: the session is committed when echo sends the header,
// with the status echo sends, whatever way the handler answers: through
// a Before hook, or a returned error that echo's error handler (c.Error)
// answers.
func TestCommitPoint(t *testing.T) {
	set := func(c echo.Context, v string) {
		if err := sessecho.Get(c).Set("k", v); err != nil {
			t.Error(err)
		}
	}
	adaptertest.CommitPoint(t, []adaptertest.CommitCase[echo.HandlerFunc]{
		{Name: "String", Handler: func(c echo.Context) error { set(c, "a"); return c.String(http.StatusCreated, "abc") },
			WantStatus: http.StatusCreated, WantCookie: true, WantK: "a", WantOuterSize: 3},
		{Name: "NoContent", Handler: func(c echo.Context) error { set(c, "b"); return c.NoContent(http.StatusNoContent) },
			WantStatus: http.StatusNoContent, WantCookie: true, WantK: "b", WantOuterSize: 0},
		{Name: "nothing written", Handler: func(c echo.Context) error { set(c, "c"); return nil },
			WantStatus: http.StatusOK, WantCookie: true, WantK: "c", WantOuterSize: 0},
		{Name: "Before hook touches the session", Handler: func(c echo.Context) error {
			c.Response().Before(func() { set(c, "hook") })
			return c.String(http.StatusOK, "ok")
		}, WantStatus: http.StatusOK, WantCookie: true, WantK: "hook", WantOuterSize: 2},
		{Name: "Redirect", Handler: func(c echo.Context) error { set(c, "d"); return c.Redirect(http.StatusFound, "/peek") },
			WantStatus: http.StatusFound, WantCookie: true, WantK: "d", WantOuterSize: 0},
		{Name: "untouched session", Handler: func(c echo.Context) error { return c.String(http.StatusOK, "hi") },
			WantStatus: http.StatusOK, WantCookie: false, WantOuterSize: 2},
		{Name: "HTTPError 401", Handler: func(c echo.Context) error { set(c, "e"); return echo.ErrUnauthorized },
			WantStatus: http.StatusUnauthorized, WantCookie: true, WantK: "e", SkipOuter: true},
		{Name: "error with set_on_exception", Handler: func(c echo.Context) error { set(c, "f"); return errors.New("boom") },
			WantStatus: http.StatusInternalServerError, WantCookie: true, WantK: "f", SkipOuter: true},
		{Name: "error without set_on_exception", NoSetOnException: true, Handler: func(c echo.Context) error { set(c, "g"); return errors.New("boom") },
			WantStatus: http.StatusInternalServerError, WantCookie: false, SkipOuter: true},
		{Name: "500 without set_on_exception", NoSetOnException: true, Handler: func(c echo.Context) error {
			set(c, "h")
			return c.String(http.StatusInternalServerError, "x")
		}, WantStatus: http.StatusInternalServerError, WantCookie: false, WantOuterSize: 1},
		{Name: "panic under Recover", Handler: func(c echo.Context) error { set(c, "i"); panic("boom") },
			WantStatus: http.StatusInternalServerError, WantCookie: true, WantK: "i", SkipOuter: true},
		{Name: "panic under Recover without set_on_exception", NoSetOnException: true, Handler: func(c echo.Context) error { set(c, "j"); panic("boom") },
			WantStatus: http.StatusInternalServerError, WantCookie: false, SkipOuter: true},
	}, func(m *session.Manager, h echo.HandlerFunc, outer *adaptertest.Outer) http.Handler {
		e := newEcho(outer)
		e.Pre(middleware.RecoverWithConfig(middleware.RecoverConfig{DisablePrintStack: true}))
		e.Use(sessecho.Middleware(m))
		e.GET("/h", h)
		e.GET("/peek", func(c echo.Context) error { return c.String(http.StatusOK, adaptertest.Peek(sessecho.Get(c))) })
		return e
	})
}
