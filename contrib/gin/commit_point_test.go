package sessgin_test

import (
	"io"
	"net/http"
	"testing"

	"github.com/gin-gonic/gin"

	sessgin "github.com/sessconf/sessconf/contrib/gin"
	"github.com/sessconf/sessconf/internal/adaptertest"
	"github.com/sessconf/sessconf/session"
)

// TestCommitPoint: the session is committed when gin sends the header,
// with the status gin sends, whatever way the handler answers. gin's
// c.Status only records the status, so the session may still change after
// it; the outer middleware sees size -1 until something was written.
func TestCommitPoint(t *testing.T) {
	set := func(c *gin.Context, v string) {
		if err := sessgin.Get(c).Set("k", v); err != nil {
			t.Error(err)
		}
	}
	adaptertest.CommitPoint(t, []adaptertest.CommitCase[gin.HandlerFunc]{
		{Name: "String", Handler: func(c *gin.Context) { set(c, "a"); c.String(http.StatusCreated, "abc") },
			WantStatus: http.StatusCreated, WantCookie: true, WantK: "a", WantOuterSize: 3},
		{Name: "session touched after Status, before the body", Handler: func(c *gin.Context) {
			c.Status(http.StatusAccepted)
			set(c, "late")
			c.Writer.WriteString("ok")
		}, WantStatus: http.StatusAccepted, WantCookie: true, WantK: "late", WantOuterSize: 2},
		{Name: "Status without a body", Handler: func(c *gin.Context) { set(c, "b"); c.Status(http.StatusNoContent) },
			WantStatus: http.StatusNoContent, WantCookie: true, WantK: "b", WantOuterSize: -1},
		{Name: "nothing written", Handler: func(c *gin.Context) { set(c, "c") },
			WantStatus: http.StatusOK, WantCookie: true, WantK: "c", WantOuterSize: -1},
		{Name: "AbortWithStatus", Handler: func(c *gin.Context) { set(c, "d"); c.AbortWithStatus(http.StatusUnauthorized) },
			WantStatus: http.StatusUnauthorized, WantCookie: true, WantK: "d", WantOuterSize: 0},
		{Name: "Redirect", Handler: func(c *gin.Context) { set(c, "e"); c.Redirect(http.StatusFound, "/peek") },
			WantStatus: http.StatusFound, WantCookie: true, WantK: "e", SkipOuter: true},
		{Name: "untouched session", Handler: func(c *gin.Context) { c.String(http.StatusOK, "hi") },
			WantStatus: http.StatusOK, WantCookie: false, WantOuterSize: 2},
		{Name: "500 with set_on_exception", Handler: func(c *gin.Context) { set(c, "f"); c.String(http.StatusInternalServerError, "x") },
			WantStatus: http.StatusInternalServerError, WantCookie: true, WantK: "f", WantOuterSize: 1},
		{Name: "500 without set_on_exception", NoSetOnException: true, Handler: func(c *gin.Context) { set(c, "g"); c.String(http.StatusInternalServerError, "x") },
			WantStatus: http.StatusInternalServerError, WantCookie: false, WantOuterSize: 1},
		{Name: "AbortWithStatus 500 without set_on_exception", NoSetOnException: true, Handler: func(c *gin.Context) {
			set(c, "h")
			c.AbortWithStatus(http.StatusInternalServerError)
		}, WantStatus: http.StatusInternalServerError, WantCookie: false, WantOuterSize: 0},
		{Name: "panic under Recovery", Handler: func(c *gin.Context) { set(c, "i"); panic("boom") },
			WantStatus: http.StatusInternalServerError, WantCookie: true, WantK: "i", SkipOuter: true},
		{Name: "panic under Recovery without set_on_exception", NoSetOnException: true, Handler: func(c *gin.Context) { set(c, "j"); panic("boom") },
			WantStatus: http.StatusInternalServerError, WantCookie: false, SkipOuter: true},
	}, func(m *session.Manager, h gin.HandlerFunc, outer *adaptertest.Outer) http.Handler {
		r := gin.New()
		r.Use(gin.CustomRecoveryWithWriter(io.Discard, func(c *gin.Context, _ any) { c.AbortWithStatus(http.StatusInternalServerError) }))
		r.Use(record(outer), sessgin.Middleware(m))
		r.GET("/h", h)
		r.GET("/peek", func(c *gin.Context) { c.String(http.StatusOK, adaptertest.Peek(sessgin.Get(c))) })
		return r
	})
}
