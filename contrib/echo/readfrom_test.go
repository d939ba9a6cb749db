package sessecho_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	sessecho "github.com/sessconf/sessconf/contrib/echo"
	"github.com/sessconf/sessconf/internal/adaptertest"
)

// TestCopyToWriter: io.Copy to c.Response().Writer, which takes
// net/http's ReadFrom path, still commits the session first.
func TestCopyToWriter(t *testing.T) {
	m, _ := adaptertest.NewManager(t, nil)
	e := newEcho(&adaptertest.Outer{})
	e.Use(sessecho.Middleware(m))
	e.GET("/file", func(c echo.Context) error {
		if err := sessecho.Get(c).Set("k", "copied"); err != nil {
			return err
		}
		if _, ok := c.Response().Writer.(io.ReaderFrom); !ok {
			return echo.NewHTTPError(http.StatusInternalServerError, "the session's writer lost ReadFrom")
		}
		_, err := io.Copy(c.Response().Writer, strings.NewReader("file body"))
		return err
	})
	e.GET("/peek", func(c echo.Context) error { return c.String(http.StatusOK, adaptertest.Peek(sessecho.Get(c))) })
	b := adaptertest.NewBrowser(t, e)
	if got := b.Get("/file"); got != "file body" {
		t.Errorf("body %q", got)
	}
	if got := b.Get("/peek"); got != "copied" {
		t.Errorf("next request reads k = %q", got)
	}
}
