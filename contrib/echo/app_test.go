package sessecho_test

import (
	"fmt"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	sessecho "github.com/sessconf/sessconf/contrib/echo"
	"github.com/sessconf/sessconf/session"
)

// newEcho returns an echo instance that logs nothing.
func newEcho() *echo.Echo {
	e := echo.New()
	e.HideBanner = true
	e.Logger.SetOutput(io.Discard)
	return e
}

// app is the application the tests drive: a visit counter, a
// CSRF-protected form that flashes a message and redirects, and logout.
func app(mw echo.MiddlewareFunc) *echo.Echo {
	e := newEcho()
	e.Use(mw)
	e.GET("/count", func(c echo.Context) error {
		s := sessecho.Get(c)
		n, _ := session.GetAs[int](s, "visits")
		if err := s.Set("visits", n+1); err != nil {
			return err
		}
		return c.String(http.StatusOK, fmt.Sprintf("visit %d", n+1))
	})
	e.GET("/form", func(c echo.Context) error {
		s := sessecho.Get(c)
		msgs, err := s.PopFlash("")
		if err != nil {
			return err
		}
		token, err := s.CSRFToken()
		if err != nil {
			return err
		}
		flash := []string{}
		for _, m := range msgs {
			flash = append(flash, fmt.Sprint(m))
		}
		return c.JSON(http.StatusOK, map[string]any{"token": token, "flash": flash})
	})
	e.POST("/form", func(c echo.Context) error {
		if err := session.CheckCSRF(c.Request()); err != nil {
			return echo.NewHTTPError(http.StatusForbidden, err.Error())
		}
		if err := sessecho.Get(c).Flash("saved "+c.FormValue("name"), "", true); err != nil {
			return err
		}
		return c.Redirect(http.StatusSeeOther, "/form")
	})
	e.POST("/logout", func(c echo.Context) error {
		if err := session.CheckCSRF(c.Request()); err != nil {
			return echo.NewHTTPError(http.StatusForbidden, err.Error())
		}
		if err := sessecho.Get(c).Invalidate(); err != nil {
			return err
		}
		return c.String(http.StatusOK, "bye")
	})
	return e
}
