package sessecho_test

import (
	"io"
	"net/http"
	"testing"

	"github.com/labstack/echo/v4"

	sessecho "github.com/sessconf/sessconf/contrib/echo"
	"github.com/sessconf/sessconf/internal/adaptertest"
	"github.com/sessconf/sessconf/session"
)

// TestFlows runs the flows every adapter must pass.
func TestFlows(t *testing.T) {
	adaptertest.Run(t, adaptertest.App[echo.MiddlewareFunc]{
		Adapter: sessecho.Middleware,
		Naive:   naive,
		Routes:  app,
		Flushes: []string{"Response.Flush", "ResponseController(Response)", "ResponseController(Response.Writer)"},
	})
}

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

// newEcho returns an echo instance that logs nothing, with middleware
// that reports to outer what it sees of the response.
func newEcho(outer *adaptertest.Outer) *echo.Echo {
	e := echo.New()
	e.HideBanner = true
	e.Logger.SetOutput(io.Discard)
	e.Use(func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			err := next(c)
			outer.Record(c.Response().Status, c.Response().Size)
			return err
		}
	})
	return e
}

// app is the test application of adaptertest.App on echo.
func app(mw echo.MiddlewareFunc, outer *adaptertest.Outer) http.Handler {
	e := newEcho(outer)
	e.Use(mw)
	e.GET("/count", func(c echo.Context) error {
		page, err := adaptertest.Count(sessecho.Get(c))
		if err != nil {
			return err
		}
		return c.String(http.StatusOK, page)
	})
	e.GET("/form", func(c echo.Context) error {
		page, err := adaptertest.ShowForm(sessecho.Get(c))
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, page)
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
	e.GET("/save", func(c echo.Context) error {
		_ = sessecho.Get(c).Set("k", "v") // refused when the store is down
		return c.String(http.StatusOK, "handler's answer")
	})
	e.GET("/stream", func(c echo.Context) error {
		if err := sessecho.Get(c).Set("streamed", true); err != nil {
			return err
		}
		flush := map[string]func() error{
			"Response.Flush":                      func() error { c.Response().Flush(); return nil },
			"ResponseController(Response)":        http.NewResponseController(c.Response()).Flush,
			"ResponseController(Response.Writer)": http.NewResponseController(c.Response().Writer).Flush,
		}[c.QueryParam("flush")]
		if flush == nil {
			return echo.ErrNotFound
		}
		c.Response().Header().Set(echo.HeaderContentType, "text/plain")
		for i := 0; i < adaptertest.Chunks && adaptertest.Chunk(c.Request(), c.Response(), i); i++ {
			if err := flush(); err != nil {
				return err
			}
		}
		return nil
	})
	e.GET("/raw", func(c echo.Context) error {
		conn, rw, err := c.Response().Hijack()
		if err != nil {
			return err
		}
		defer conn.Close()
		return adaptertest.RawReply(rw)
	})
	return e
}
