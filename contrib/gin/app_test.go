package sessgin_test

import (
	"io"
	"net/http"
	"os"
	"testing"

	"github.com/gin-gonic/gin"

	sessgin "github.com/sessconf/sessconf/contrib/gin"
	"github.com/sessconf/sessconf/internal/adaptertest"
	"github.com/sessconf/sessconf/session"
)

func TestMain(m *testing.M) {
	gin.SetMode(gin.TestMode)
	os.Exit(m.Run())
}

// TestFlows runs the flows every adapter must pass.
func TestFlows(t *testing.T) {
	adaptertest.Run(t, adaptertest.App[gin.HandlerFunc]{
		Adapter:  sessgin.Middleware,
		Naive:    naive,
		NaiveLog: "written around the session middleware's writer",
		Routes:   app,
		Flushes:  []string{"Writer.Flush", "ResponseController", "Context.Stream"},
	})
}

// naive is the adapter one writes by hand: it puts the session in the
// request but leaves c.Writer alone, so gin writes the response around
// the session middleware's writer.
func naive(m *session.Manager) gin.HandlerFunc {
	return func(c *gin.Context) {
		m.Middleware(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
			c.Request = r
			c.Next()
		})).ServeHTTP(c.Writer, c.Request)
	}
}

// record is middleware that reports to outer what it sees of the response.
func record(outer *adaptertest.Outer) gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Next()
		outer.Record(c.Writer.Status(), int64(c.Writer.Size()))
	}
}

// app is the test application of adaptertest.App on gin.
func app(mw gin.HandlerFunc, outer *adaptertest.Outer) http.Handler {
	r := gin.New()
	r.Use(record(outer), mw)
	r.GET("/count", func(c *gin.Context) {
		page, err := adaptertest.Count(sessgin.Get(c))
		if err != nil {
			c.String(http.StatusInternalServerError, "%v", err)
			return
		}
		c.String(http.StatusOK, page)
	})
	r.GET("/form", func(c *gin.Context) {
		page, err := adaptertest.ShowForm(sessgin.Get(c))
		if err != nil {
			c.String(http.StatusInternalServerError, "%v", err)
			return
		}
		c.JSON(http.StatusOK, page)
	})
	r.POST("/form", func(c *gin.Context) {
		if err := session.CheckCSRF(c.Request); err != nil {
			c.String(http.StatusForbidden, "%v", err)
			return
		}
		if err := sessgin.Get(c).Flash("saved "+c.PostForm("name"), "", true); err != nil {
			c.String(http.StatusInternalServerError, "%v", err)
			return
		}
		c.Redirect(http.StatusSeeOther, "/form")
	})
	r.POST("/logout", func(c *gin.Context) {
		if err := session.CheckCSRF(c.Request); err != nil {
			c.AbortWithStatus(http.StatusForbidden)
			return
		}
		if err := sessgin.Get(c).Invalidate(); err != nil {
			c.String(http.StatusInternalServerError, "%v", err)
			return
		}
		c.String(http.StatusOK, "bye")
	})
	r.GET("/save", func(c *gin.Context) {
		_ = sessgin.Get(c).Set("k", "v") // refused when the store is down
		c.String(http.StatusOK, "handler's answer")
	})
	r.GET("/stream", func(c *gin.Context) {
		if err := sessgin.Get(c).Set("streamed", true); err != nil {
			c.String(http.StatusInternalServerError, "%v", err)
			return
		}
		chunk := func(i int) bool { return adaptertest.Chunk(c.Request, c.Writer, i) }
		switch c.Query("flush") {
		case "Writer.Flush":
			for i := 0; i < adaptertest.Chunks && chunk(i); i++ {
				c.Writer.Flush()
			}
		case "ResponseController":
			for i := 0; i < adaptertest.Chunks && chunk(i); i++ {
				if err := http.NewResponseController(c.Writer).Flush(); err != nil {
					return
				}
			}
		case "Context.Stream":
			i := 0
			c.Stream(func(io.Writer) bool {
				i++
				return chunk(i-1) && i < adaptertest.Chunks
			})
		}
	})
	r.GET("/raw", func(c *gin.Context) {
		conn, rw, err := c.Writer.Hijack()
		if err != nil {
			c.String(http.StatusInternalServerError, "%v", err)
			return
		}
		defer conn.Close()
		_ = adaptertest.RawReply(rw)
	})
	return r
}
