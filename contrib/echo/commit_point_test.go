package sessecho_test

import (
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	sessecho "github.com/sessconf/sessconf/contrib/echo"
	"github.com/sessconf/sessconf/settings"
)

// TestCommitPoint: the session is committed when echo sends the header,
// with the status echo sends, whatever way the handler answers.
func TestCommitPoint(t *testing.T) {
	set := func(c echo.Context, v string) {
		if err := sessecho.Get(c).Set("k", v); err != nil {
			t.Error(err)
		}
	}
	tests := []struct {
		name          string
		noSetOnExc    bool // settings: set_on_exception = false
		handler       echo.HandlerFunc
		wantStatus    int
		wantCookie    bool
		wantK         string // "k" as the next request reads it
		wantOuterSize int64  // c.Response().Size seen by an outer middleware; -1: not checked
	}{
		{name: "String", handler: func(c echo.Context) error { set(c, "a"); return c.String(http.StatusCreated, "abc") },
			wantStatus: http.StatusCreated, wantCookie: true, wantK: "a", wantOuterSize: 3},
		{name: "NoContent", handler: func(c echo.Context) error { set(c, "b"); return c.NoContent(http.StatusNoContent) },
			wantStatus: http.StatusNoContent, wantCookie: true, wantK: "b", wantOuterSize: 0},
		{name: "nothing written", handler: func(c echo.Context) error { set(c, "c"); return nil },
			wantStatus: http.StatusOK, wantCookie: true, wantK: "c", wantOuterSize: 0},
		{name: "Before hook touches the session", handler: func(c echo.Context) error {
			c.Response().Before(func() { set(c, "hook") })
			return c.String(http.StatusOK, "ok")
		}, wantStatus: http.StatusOK, wantCookie: true, wantK: "hook", wantOuterSize: 2},
		{name: "Redirect", handler: func(c echo.Context) error { set(c, "d"); return c.Redirect(http.StatusFound, "/peek") },
			wantStatus: http.StatusFound, wantCookie: true, wantK: "d", wantOuterSize: 0},
		{name: "untouched session", handler: func(c echo.Context) error { return c.String(http.StatusOK, "hi") },
			wantStatus: http.StatusOK, wantCookie: false, wantOuterSize: 2},
		{name: "HTTPError 401", handler: func(c echo.Context) error { set(c, "e"); return echo.ErrUnauthorized },
			wantStatus: http.StatusUnauthorized, wantCookie: true, wantK: "e", wantOuterSize: -1},
		{name: "error with set_on_exception", handler: func(c echo.Context) error { set(c, "f"); return errors.New("boom") },
			wantStatus: http.StatusInternalServerError, wantCookie: true, wantK: "f", wantOuterSize: -1},
		{name: "error without set_on_exception", noSetOnExc: true, handler: func(c echo.Context) error { set(c, "g"); return errors.New("boom") },
			wantStatus: http.StatusInternalServerError, wantCookie: false, wantOuterSize: -1},
		{name: "500 without set_on_exception", noSetOnExc: true, handler: func(c echo.Context) error {
			set(c, "h")
			return c.String(http.StatusInternalServerError, "x")
		}, wantStatus: http.StatusInternalServerError, wantCookie: false, wantOuterSize: 1},
		{name: "panic under Recover", handler: func(c echo.Context) error { set(c, "i"); panic("boom") },
			wantStatus: http.StatusInternalServerError, wantCookie: true, wantK: "i", wantOuterSize: -1},
		{name: "panic under Recover without set_on_exception", noSetOnExc: true, handler: func(c echo.Context) error { set(c, "j"); panic("boom") },
			wantStatus: http.StatusInternalServerError, wantCookie: false, wantOuterSize: -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newManager(t, func(o *settings.Options) { o.SetOnException = !tt.noSetOnExc })
			var outerStatus int
			var outerSize int64
			e := newEcho()
			e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{DisablePrintStack: true}))
			e.Use(func(next echo.HandlerFunc) echo.HandlerFunc {
				return func(c echo.Context) error {
					err := next(c)
					outerStatus, outerSize = c.Response().Status, c.Response().Size
					return err
				}
			})
			e.Use(sessecho.Middleware(m))
			e.GET("/h", tt.handler)
			e.GET("/peek", func(c echo.Context) error {
				v, _ := sessecho.Get(c).Get("k")
				return c.String(http.StatusOK, fmt.Sprint(v))
			})
			b := newBrowser(t, e)
			b.c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
			resp, body := b.do(http.MethodGet, "/h", nil, nil)
			if resp.StatusCode != tt.wantStatus {
				t.Errorf("status %d, want %d (body %q)", resp.StatusCode, tt.wantStatus, body)
			}
			if got := resp.Header.Get("Set-Cookie") != ""; got != tt.wantCookie {
				t.Errorf("Set-Cookie sent: %v, want %v", got, tt.wantCookie)
			}
			if tt.wantOuterSize >= 0 && (outerStatus != tt.wantStatus || outerSize != tt.wantOuterSize) {
				t.Errorf("outer middleware saw status %d, size %d; want %d, %d", outerStatus, outerSize, tt.wantStatus, tt.wantOuterSize)
			}
			want := tt.wantK
			if want == "" {
				want = "<nil>"
			}
			if got := b.get("/peek"); got != want {
				t.Errorf("next request reads k = %q, want %q", got, want)
			}
		})
	}
}

// TestHijack: a handler can take over the connection through the
// adapter's writer.
func TestHijack(t *testing.T) {
	e := newEcho()
	e.Use(sessecho.Middleware(newManager(t, nil)))
	e.GET("/raw", func(c echo.Context) error {
		conn, rw, err := c.Response().Hijack()
		if err != nil {
			return err
		}
		defer conn.Close()
		fmt.Fprint(rw, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nraw")
		return rw.Flush()
	})
	b := newBrowser(t, e)
	if got := b.get("/raw"); got != "raw" {
		t.Errorf("body %q", got)
	}
}
