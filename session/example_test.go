package session_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/spf13/viper"

	"github.com/sessconf/sessconf/session"
	"github.com/sessconf/sessconf/settings"
)

const secret = "5f1c8e3a9b2d4f6071829304a5b6c7d8e9f0a1b2c3d4e5f60718293a4b5c6d7e"

// visits is a handler that counts visits in the session.
var visits = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	s := session.Get(r)
	n, _ := session.GetAs[int](s, "visits")
	s.Set("visits", n+1)
	fmt.Fprintf(w, "visit %d", n+1)
})

// roundTrip sends two requests, the second with the first one's cookie.
func roundTrip(h http.Handler) {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	r := httptest.NewRequest("GET", "/", nil)
	for _, c := range w.Result().Cookies() {
		r.AddCookie(c)
	}
	w2 := httptest.NewRecorder()
	h.ServeHTTP(w2, r)
	fmt.Println(w.Body.String(), "then", w2.Body.String())
}

// Options built in code: start from the defaults and set a secret.
func ExampleNew() {
	opts := settings.Default() // encrypted cookies, HttpOnly, SameSite=Lax
	opts.Secret = secret
	mgr, err := session.New(opts)
	if err != nil {
		fmt.Println(err)
		return
	}
	roundTrip(mgr.Middleware(visits))
	// Output: visit 1 then visit 2
}

// A Paste Deploy INI file, as a Pyramid app would have it.
func ExampleFromSettings_file() {
	mgr, err := session.FromSettings("../examples/app.ini", session.WithLoadOptions(settings.WithoutEnv()))
	if err != nil {
		fmt.Println(err)
		return
	}
	roundTrip(mgr.Middleware(visits))
	// Output: visit 1 then visit 2
}

// A Paste-style settings map (Pyramid's registry.settings).
func ExampleFromSettings_map() {
	mgr, err := session.FromSettings(map[string]string{
		"session.type":   "signed",
		"session.secret": "a long random text secret for HMAC signing, at least 64 characters long!!",
		"session.secure": "true",
	}, session.WithLoadOptions(settings.WithoutEnv()))
	if err != nil {
		fmt.Println(err)
		return
	}
	roundTrip(mgr.Middleware(visits))
	// Output: visit 1 then visit 2
}

// A *viper.Viper the application already uses.
func ExampleFromSettings_viper() {
	v := viper.New()
	v.Set("session.secret", secret)
	v.Set("session.timeout", "30m")
	mgr, err := session.FromSettings(v, session.WithLoadOptions(settings.WithoutEnv()))
	if err != nil {
		fmt.Println(err)
		return
	}
	roundTrip(mgr.Middleware(visits))
	// Output: visit 1 then visit 2
}

// A settings.Options value is validated like a file: bad values are errors
// that name the key.
func ExampleFromSettings_options() {
	opts := settings.Default()
	opts.Secret = secret
	opts.SameSite = "None" // without Secure: refused at start-up, not at response time
	_, err := session.FromSettings(opts)
	fmt.Println(err != nil)
	// Output: true
}

func ExampleSession_Flash() {
	opts := settings.Default()
	opts.Secret = secret
	mgr, _ := session.New(opts)
	h := mgr.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := session.Get(r)
		s.Flash("saved", "", true)
		s.Flash("saved", "", false) // duplicate suppressed
		s.Flash("disk almost full", "warning", true)
		warnings, _ := s.PopFlash("warning")
		again, _ := s.PopFlash("warning")
		fmt.Println(s.PeekFlash(""), warnings, again)
	}))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	// Output: [saved] [disk almost full] []
}
