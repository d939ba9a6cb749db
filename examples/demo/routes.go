package main

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/sessconf/sessconf/session"
)

// problemQueue is the flash queue of refusals, shown in red.
const problemQueue = "problem"

// Why a message was refused as too long.
var (
	reasonLength = fmt.Sprintf("Messages are limited to %d characters.", maxMessage)
	reasonCookie = "The session lives in a cookie, and browsers keep at most about 4 KB per cookie: " +
		"this message would not fit. Accented and non-Latin characters take up to 6 bytes each in the stored session."
)

func (a *app) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", a.home)
	mux.HandleFunc("POST /message", a.csrfChecked(a.message))
	mux.HandleFunc("POST /logout", a.csrfChecked(a.logout))
	return mux
}

// home counts the visit and shows the page with the pending flash messages.
func (a *app) home(w http.ResponseWriter, r *http.Request) {
	s := session.Get(r)
	visits, _ := session.GetAs[int](s, "visits")
	visits++
	err := s.Set("visits", visits)
	notices, nerr := s.PopFlash("")
	problems, perr := s.PopFlash(problemQueue)
	token, terr := s.CSRFToken()
	if err := errors.Join(err, nerr, perr, terr); err != nil {
		a.sessionFailed(w, r, err)
		return
	}
	a.render(w, r, http.StatusOK, homePage{Visits: visits, Notices: notices, Problems: problems, CSRF: token, Max: maxMessage})
}

// csrfChecked refuses, with the friendly 403 page, a POST whose CSRF
// token is missing or is not the session's.
func (a *app) csrfChecked(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		// A request without a session (a cross-site form, whose cookie the
		// browser withheld) is refused before CheckCSRF, which would give
		// it a token and so a cookie replacing the visitor's own.
		if s := session.Get(r); s.IsNew() || session.CheckCSRF(r) != nil {
			a.render(w, r, http.StatusForbidden, errorPage{
				Title: "Request refused",
				Text: "The form's security token (CSRF token) was missing or did not match your session, so nothing was done. " +
					"This happens when a form is sent from another site, after logging out in another tab, " +
					"or when the browser did not keep the session cookie.",
			})
			return
		}
		next(w, r)
	}
}

// message flashes the visitor's text and redirects to the page, which
// shows it once. An empty message is refused with a notice; one too long
// for the form or for the session cookie gets the "too long" page.
func (a *app) message(w http.ResponseWriter, r *http.Request) {
	s := session.Get(r)
	text := strings.TrimSpace(r.PostFormValue("text"))
	var err error
	switch {
	case text == "":
		err = s.Flash("Nothing sent: type a message first.", problemQueue, false)
	case utf8.RuneCountInString(text) > maxMessage:
		a.tooLong(w, r, text, reasonLength)
		return
	default:
		// A message that would make the cookie too large is refused here,
		// and the session is left as it was.
		err = s.Flash("You said: "+text, "", true)
	}
	if err != nil {
		a.sessionFailed(w, r, err)
		return
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// logout invalidates the session and says so on the next page.
func (a *app) logout(w http.ResponseWriter, r *http.Request) {
	s := session.Get(r)
	err := s.Invalidate()
	if err == nil {
		err = s.Flash("Logged out: the session was invalidated.", "", true)
	}
	if err != nil {
		a.sessionFailed(w, r, err)
		return
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// tooLong answers 413 with the refused text, so it is not lost.
func (a *app) tooLong(w http.ResponseWriter, r *http.Request, text, reason string) {
	a.render(w, r, http.StatusRequestEntityTooLarge, tooLongPage{Reason: reason, Message: text, Chars: utf8.RuneCountInString(text)})
}
