package sessgin_test

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	sessgin "github.com/sessconf/sessconf/contrib/gin"
	"github.com/sessconf/sessconf/session"
)

func stringsReader(s string) *strings.Reader { return strings.NewReader(s) }

// app is the application the tests drive: a visit counter, a
// CSRF-protected form that flashes a message and redirects, and logout.
func app(mw gin.HandlerFunc) *gin.Engine {
	r := gin.New()
	r.Use(mw)
	r.GET("/count", func(c *gin.Context) {
		s := sessgin.Get(c)
		n, _ := session.GetAs[int](s, "visits")
		if err := s.Set("visits", n+1); err != nil {
			c.String(http.StatusInternalServerError, "%v", err)
			return
		}
		c.String(http.StatusOK, "visit %d", n+1)
	})
	r.GET("/form", func(c *gin.Context) {
		s := sessgin.Get(c)
		flash := []string{}
		for _, m := range s.PopFlash("") {
			flash = append(flash, fmt.Sprint(m))
		}
		c.JSON(http.StatusOK, gin.H{"token": s.CSRFToken(), "flash": flash})
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
		sessgin.Get(c).Invalidate()
		c.String(http.StatusOK, "bye")
	})
	return r
}
