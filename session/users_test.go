package session

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/sessconf/sessconf/settings"
)

// Cookie sessions cannot be found by user nor revoked without server
// state: the user-session calls say so, and SetUser leaves the session
// unchanged.
func TestUserSessionsUnsupportedOnCookies(t *testing.T) {
	for _, typ := range []string{settings.TypeEncrypted, settings.TypeSigned} {
		t.Run(typ, func(t *testing.T) {
			o := testOptions()
			o.Type = typ
			m := testManager(t, o)
			ctx := context.Background()
			if _, err := m.UserSessions(ctx, "alice"); !errors.Is(err, ErrUnsupported) {
				t.Errorf("UserSessions: %v, want ErrUnsupported", err)
			}
			if n, err := m.InvalidateUser(ctx, "alice", nil); n != 0 || !errors.Is(err, ErrUnsupported) {
				t.Errorf("InvalidateUser: %d, %v; want ErrUnsupported", n, err)
			}
			w := serve(m, func(w http.ResponseWriter, r *http.Request) {
				s := Get(r)
				if err := s.SetUser("alice", nil); !errors.Is(err, ErrUnsupported) {
					t.Errorf("SetUser: %v, want ErrUnsupported", err)
				}
				if s.Len() != 0 {
					t.Errorf("SetUser changed the session: %v", s.Keys())
				}
			}, "")
			if sc := w.Header().Values("Set-Cookie"); len(sc) != 0 {
				t.Errorf("Set-Cookie %q after a refused SetUser", sc)
			}
		})
	}
}

func TestSetUserOutsideMiddleware(t *testing.T) {
	r := httptest.NewRequest("GET", "/", nil)
	if err := Get(r).SetUser("alice", nil); !errors.Is(err, ErrNoMiddleware) {
		t.Errorf("SetUser outside the middleware: %v, want ErrNoMiddleware", err)
	}
}
