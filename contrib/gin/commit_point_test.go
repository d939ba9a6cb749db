package sessgin_test

import (
	"fmt"
	"io"
	"net/http"
	"testing"

	"github.com/gin-gonic/gin"

	sessgin "github.com/sessconf/sessconf/contrib/gin"
	"github.com/sessconf/sessconf/settings"
)

// TestCommitPoint: the session is committed when gin sends the header,
// with the status gin sends, whatever way the handler answers.
func TestCommitPoint(t *testing.T) {
	set := func(c *gin.Context, v string) {
		if err := sessgin.Get(c).Set("k", v); err != nil {
			t.Error(err)
		}
	}
	tests := []struct {
		name          string
		noSetOnExc    bool // settings: set_on_exception = false
		handler       gin.HandlerFunc
		wantStatus    int
		wantCookie    bool
		wantK         string // "k" as the next request reads it
		wantOuterSize int    // c.Writer.Size() seen by an outer middleware
	}{
		{name: "String", handler: func(c *gin.Context) { set(c, "a"); c.String(http.StatusCreated, "abc") },
			wantStatus: http.StatusCreated, wantCookie: true, wantK: "a", wantOuterSize: 3},
		{name: "session touched after Status, before the body", handler: func(c *gin.Context) {
			c.Status(http.StatusAccepted)
			set(c, "late")
			c.Writer.WriteString("ok")
		}, wantStatus: http.StatusAccepted, wantCookie: true, wantK: "late", wantOuterSize: 2},
		{name: "Status without a body", handler: func(c *gin.Context) { set(c, "b"); c.Status(http.StatusNoContent) },
			wantStatus: http.StatusNoContent, wantCookie: true, wantK: "b", wantOuterSize: -1},
		{name: "nothing written", handler: func(c *gin.Context) { set(c, "c") },
			wantStatus: http.StatusOK, wantCookie: true, wantK: "c", wantOuterSize: -1},
		{name: "AbortWithStatus", handler: func(c *gin.Context) { set(c, "d"); c.AbortWithStatus(http.StatusUnauthorized) },
			wantStatus: http.StatusUnauthorized, wantCookie: true, wantK: "d", wantOuterSize: 0},
		{name: "Redirect", handler: func(c *gin.Context) { set(c, "e"); c.Redirect(http.StatusFound, "/peek") },
			wantStatus: http.StatusFound, wantCookie: true, wantK: "e", wantOuterSize: -2},
		{name: "untouched session", handler: func(c *gin.Context) { c.String(http.StatusOK, "hi") },
			wantStatus: http.StatusOK, wantCookie: false, wantOuterSize: 2},
		{name: "500 with set_on_exception", handler: func(c *gin.Context) { set(c, "f"); c.String(http.StatusInternalServerError, "x") },
			wantStatus: http.StatusInternalServerError, wantCookie: true, wantK: "f", wantOuterSize: 1},
		{name: "500 without set_on_exception", noSetOnExc: true, handler: func(c *gin.Context) { set(c, "g"); c.String(http.StatusInternalServerError, "x") },
			wantStatus: http.StatusInternalServerError, wantCookie: false, wantOuterSize: 1},
		{name: "AbortWithStatus 500 without set_on_exception", noSetOnExc: true, handler: func(c *gin.Context) {
			set(c, "h")
			c.AbortWithStatus(http.StatusInternalServerError)
		}, wantStatus: http.StatusInternalServerError, wantCookie: false, wantOuterSize: 0},
		{name: "panic under Recovery", handler: func(c *gin.Context) { set(c, "i"); panic("boom") },
			wantStatus: http.StatusInternalServerError, wantCookie: true, wantK: "i", wantOuterSize: -2},
		{name: "panic under Recovery without set_on_exception", noSetOnExc: true, handler: func(c *gin.Context) { set(c, "j"); panic("boom") },
			wantStatus: http.StatusInternalServerError, wantCookie: false, wantOuterSize: -2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newManager(t, func(o *settings.Options) { o.SetOnException = !tt.noSetOnExc })
			outerStatus, outerSize := 0, 0
			r := gin.New()
			r.Use(gin.CustomRecoveryWithWriter(io.Discard, func(c *gin.Context, _ any) { c.AbortWithStatus(http.StatusInternalServerError) }))
			r.Use(func(c *gin.Context) {
				c.Next()
				outerStatus, outerSize = c.Writer.Status(), c.Writer.Size()
			})
			r.Use(sessgin.Middleware(m))
			r.GET("/h", tt.handler)
			r.GET("/peek", func(c *gin.Context) {
				v, _ := sessgin.Get(c).Get("k")
				c.String(http.StatusOK, "%v", v)
			})
			b := newBrowser(t, r)
			b.c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
			resp, body := b.do(http.MethodGet, "/h", nil, nil)
			if resp.StatusCode != tt.wantStatus {
				t.Errorf("status %d, want %d (body %q)", resp.StatusCode, tt.wantStatus, body)
			}
			if got := resp.Header.Get("Set-Cookie") != ""; got != tt.wantCookie {
				t.Errorf("Set-Cookie sent: %v, want %v", got, tt.wantCookie)
			}
			if tt.wantOuterSize != -2 { // -2: gin's own size accounting (Recovery, redirect body) is not the point
				if outerStatus != tt.wantStatus || outerSize != tt.wantOuterSize {
					t.Errorf("outer middleware saw status %d, size %d; want %d, %d", outerStatus, outerSize, tt.wantStatus, tt.wantOuterSize)
				}
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
	r := gin.New()
	r.Use(sessgin.Middleware(newManager(t, nil)))
	r.GET("/raw", func(c *gin.Context) {
		conn, rw, err := c.Writer.Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		defer conn.Close()
		fmt.Fprint(rw, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nraw")
		if err := rw.Flush(); err != nil {
			t.Error(err)
		}
	})
	b := newBrowser(t, r)
	if got := b.get("/raw"); got != "raw" {
		t.Errorf("body %q", got)
	}
}
