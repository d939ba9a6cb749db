// Package sessgin connects sessconf sessions to gin.
//
// Middleware runs the session middleware of a [session.Manager] around the
// rest of gin's handler chain and swaps c.Writer for a writer that commits
// the session at gin's own commit point: WriteHeaderNow, which gin calls
// on the first Write, WriteString or Flush and in AbortWithStatus (Hijack
// commits too). WriteHeader only records the status, as in gin, so
// handlers may still set headers and touch the session after c.Status.
//
//	r := gin.New()
//	r.Use(sessgin.Middleware(mgr))
//	r.GET("/", func(c *gin.Context) {
//		s := sessgin.Get(c)
//		n, _ := session.GetAs[int](s, "visits")
//		if err := s.Set("visits", n+1); err != nil {
//			c.AbortWithError(http.StatusInternalServerError, err)
//			return
//		}
//		c.String(http.StatusOK, "visit %d", n+1)
//	})
//
// Replacing c.Request and calling c.Next is not enough: the response then
// goes out through gin's writer, around the session middleware, and the
// session is never sent.
package sessgin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/sessconf/sessconf/session"
)

// Middleware returns gin middleware that gives every request a lazy
// session (see [Get]) and commits it before the response header goes out.
// Register it before the handlers that use sessions.
//
// When the chain returns without having written anything, the session is
// committed as for a 200 response and gin writes the header afterwards
// with the status the handler set, so middleware registered earlier can
// still answer. A bare c.Status(500) is therefore not seen by
// set_on_exception = false; AbortWithStatus and written bodies are.
func Middleware(m *session.Manager) gin.HandlerFunc {
	return func(c *gin.Context) {
		orig := c.Writer
		var w *writer
		m.Middleware(http.HandlerFunc(func(sw http.ResponseWriter, r *http.Request) {
			w = newWriter(orig, sw)
			c.Request = r
			c.Writer = w
			defer func() { c.Writer = orig }()
			c.Next()
		})).ServeHTTP(orig, c.Request)
		// Hand gin the status a handler set without writing: gin writes
		// the header when the whole chain has returned.
		if w != nil && !w.Written() && !orig.Written() {
			orig.WriteHeader(w.status)
		}
	}
}

// Get returns the session of the request in c. Without [Middleware] it
// returns a session whose Err is [session.ErrNoMiddleware].
func Get(c *gin.Context) *session.Session {
	return session.Get(c.Request)
}
