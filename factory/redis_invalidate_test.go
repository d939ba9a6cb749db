package factory_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/sessconf/sessconf/internal/redistest"
	"github.com/sessconf/sessconf/session"
	"github.com/sessconf/sessconf/settings"
)

// A logout that loaded the session before a parallel RenewID and saves
// after it ends the renewed session too: the tombstone follows the
// forward (a logout racing a login leaves no live session). A logout
// through an id already replaced is another matter: see
// TestRedisReplacedIDInvalidateEndsOnlyIt.
func TestRedisInvalidateFollowsRenew(t *testing.T) {
	for _, grace := range []time.Duration{5 * time.Second, 0} {
		t.Run("racing logout, grace="+grace.String(), func(t *testing.T) {
			e := newEnv(t, redistest.Start(t), envOption{opts: func(o *settings.Options) { o.Redis.RenewGrace = grace }})
			c := e.cookie(e.serve("/", "", setKV("user", "u")))
			loaded, renewed := make(chan struct{}), make(chan struct{})
			done := make(chan *http.Response)
			go func() {
				done <- e.serve("/logout", c, func(w http.ResponseWriter, r *http.Request) {
					s := session.Get(r)
					s.Len()
					close(loaded)
					<-renewed
					s.Invalidate()
				})
			}()
			<-loaded
			c2 := e.cookie(e.serve("/login", c, login("alice")))
			close(renewed)
			<-done
			if v, isNew := e.getKey(c2, "user"); !isNew || v != nil {
				t.Errorf("after the logout the renewed id still has user=%v", v)
			}
			for _, k := range e.keys() {
				if v, _ := e.client.Get(context.Background(), k).Result(); v != `{"tombstone": 1}` {
					t.Errorf("%s holds %q, want a tombstone", k, v)
				}
			}
		})
	}
}
