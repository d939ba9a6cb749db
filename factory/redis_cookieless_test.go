package factory_test

import (
	"net/http"
	"testing"

	"github.com/sessconf/sessconf/internal/redistest"
	"github.com/sessconf/sessconf/session"
	"github.com/sessconf/sessconf/settings"
)

// RenewID always renews and sends the new cookie, whatever
// the response headers; and only cacheable responses are cookieless.
func TestRedisRenewIDOnCookielessResponse(t *testing.T) {
	e := newEnv(t, redistest.Start(t), envOption{opts: func(o *settings.Options) { o.Redis.RenewGrace = 0 }})
	for _, cc := range []string{"public, max-age=60", "no-store"} {
		t.Run(cc, func(t *testing.T) {
			c := e.cookie(e.serve("/", "", setKV("anon", 1)))
			resp := e.serve("/login", c, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Cache-Control", cc)
				w.Header().Set("Expires", "Thu, 01 Jan 1970 00:00:00 GMT")
				login("alice")(w, r)
			})
			c2 := e.cookie(resp)
			if c2 == c {
				t.Fatal("RenewID kept the id")
			}
			if v, _ := e.getKey(c2, "user"); v != "alice" {
				t.Errorf("new id: user=%v", v)
			}
			if v, isNew := e.getKey(c, "user"); !isNew || v != nil {
				t.Errorf("the pre-login id still works: user=%v", v)
			}
		})
	}
}

func TestRedisCookielessOnlyCacheable(t *testing.T) {
	e := newEnv(t, redistest.Start(t), envOption{})
	for _, tt := range []struct {
		headers    map[string]string
		cookieless bool
	}{
		{map[string]string{"Cache-Control": "public, max-age=60"}, true},
		{map[string]string{"Expires": "Thu, 01 Jan 2099 00:00:00 GMT"}, true},
		{map[string]string{"Cache-Control": "no-store"}, false},
		{map[string]string{"Cache-Control": "max-age=0, Private"}, false},
		{map[string]string{"Cache-Control": `no-cache="Set-Cookie"`}, false},
		{map[string]string{"Cache-Control": "no-cache", "Expires": "0"}, false},
		{map[string]string{"Vary": "Accept"}, false},
	} {
		e.flush()
		resp := e.serve("/", "", func(w http.ResponseWriter, r *http.Request) {
			for k, v := range tt.headers {
				w.Header().Set(k, v)
			}
			session.Get(r).Set("user", "x")
		})
		sc := resp.Header.Values("Set-Cookie")
		if n := len(e.keys()); tt.cookieless != (len(sc) == 0) || n != len(sc) {
			t.Errorf("%v: Set-Cookie %q, %d records; want cookieless=%v", tt.headers, sc, n, tt.cookieless)
		}
	}
}
