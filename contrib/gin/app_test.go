package sessgin_test

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	sessgin "github.com/sessconf/sessconf/contrib/gin"
	"github.com/sessconf/sessconf/session"
)

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
		msgs, err := s.PopFlash("")
		if err != nil {
			c.String(http.StatusInternalServerError, "%v", err)
			return
		}
		token, err := s.CSRFToken()
		if err != nil {
			c.String(http.StatusInternalServerError, "%v", err)
			return
		}
		flash := []string{}
		for _, m := range msgs {
			flash = append(flash, fmt.Sprint(m))
		}
		c.JSON(http.StatusOK, gin.H{"token": token, "flash": flash})
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
	return r
}
