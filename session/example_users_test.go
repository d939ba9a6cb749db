package session_test

import (
	"context"
	"fmt"
	"log"
	"net/http"

	"github.com/sessconf/sessconf/session"
	"github.com/sessconf/sessconf/settings"
)

// Sessions of a user on Redis: bind the session at login, list the
// user's devices, and log out everywhere else after a password change.
// (Not run: it needs a Redis server.)
func ExampleSession_SetUser() {
	opts := settings.Default()
	opts.Type = settings.TypeRedis
	opts.Secret = secret
	opts.Redis.URL = "redis://127.0.0.1:6379/0"
	m, err := session.New(opts)
	if err != nil {
		log.Fatal(err)
	}
	defer m.Close()

	mux := http.NewServeMux()
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		s := session.Get(r)
		s.RenewID() // against session fixation
		if err := s.SetUser("alice", map[string]string{"ua": r.UserAgent()}); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
	})
	mux.HandleFunc("GET /devices", func(w http.ResponseWriter, r *http.Request) {
		list, err := m.UserSessions(r.Context(), "alice")
		if err != nil {
			http.Error(w, "try again", http.StatusServiceUnavailable)
			return
		}
		for _, d := range list {
			fmt.Fprintf(w, "%s since %s, last seen %s\n", d.Meta["ua"], d.Created.Format("Jan 2"), d.LastAccess.Format("Jan 2 15:04"))
		}
	})
	mux.HandleFunc("POST /password", func(w http.ResponseWriter, r *http.Request) {
		// … change the password, then end every other session of alice.
		n, err := m.InvalidateUser(r.Context(), "alice", session.Get(r))
		if err != nil {
			http.Error(w, "try again", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintf(w, "logged out of %d other devices\n", n)
	})
	log.Fatal(http.ListenAndServe("127.0.0.1:8080", m.Middleware(mux)))
}

// Cookie sessions cannot be revoked without server state: the
// user-session calls return ErrUnsupported.
func ExampleManager_InvalidateUser_cookies() {
	opts := settings.Default()
	opts.Secret = secret
	m, err := session.New(opts)
	if err != nil {
		log.Fatal(err)
	}
	_, err = m.InvalidateUser(context.Background(), "alice", nil)
	fmt.Println(err)
	// Output: session: InvalidateUser: session: not supported by this backend
}
