// Package sessecho connects sessconf sessions to echo.
//
// Middleware runs the session middleware of a [session.Manager] around the
// rest of echo's handler chain and points c.Response().Writer at the
// session's writer while the chain runs, so the session is committed at
// echo's own commit point: Response.WriteHeader, which the first Write
// also goes through, after the Before hooks and before the header goes
// out. Flush, Hijack and http.ResponseController reach the connection
// through the same writer.
//
//	e := echo.New()
//	e.Use(sessecho.Middleware(mgr))
//	e.GET("/", func(c echo.Context) error {
//		s := sessecho.Get(c)
//		n, _ := session.GetAs[int](s, "visits")
//		if err := s.Set("visits", n+1); err != nil {
//			return err
//		}
//		return c.String(http.StatusOK, fmt.Sprintf("visit %d", n+1))
//	})
//
// Replacing the request and calling next is not enough: the response then
// goes out through echo's writer, around the session middleware, and the
// session is never sent.
package sessecho

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/sessconf/sessconf/session"
)

// Middleware returns echo middleware that gives every request a lazy
// session (see [Get]) and commits it before the response header goes out.
//
// An error returned by the chain is handed to echo's HTTP error handler
// (c.Error) while the session's writer is still in place, so the error
// response carries the session and set_on_exception sees its status. As
// with echo's own logger middleware, the response is then committed:
// middleware registered before this one cannot replace it. When the
// session cannot be saved and the session's error handler answers
// instead, c.Response().Status is the status it sent.
func Middleware(m *session.Manager) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			res := c.Response()
			orig := res.Writer
			out := &sentWriter{ResponseWriter: orig}
			var err error
			m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				res.Writer = w
				defer func() { res.Writer = orig }()
				c.SetRequest(r)
				if err = next(c); err != nil && !res.Committed {
					c.Error(err)
				}
			})).ServeHTTP(out, c.Request())
			if out.status != 0 {
				// The status that went out, which is not echo's when the
				// session's error handler answered in the handler's place.
				res.Status, res.Committed = out.status, true
			}
			return err
		}
	}
}

// Get returns the session of the request in c. Without [Middleware] it
// returns a session whose Err is [session.ErrNoMiddleware].
func Get(c echo.Context) *session.Session {
	return session.Get(c.Request())
}
