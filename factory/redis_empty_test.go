package factory_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/sessconf/sessconf/internal/redistest"
	"github.com/sessconf/sessconf/session"
)

// A session whose data becomes empty deletes its record and its cookie,
// like a new session that never held data; a visit that ends with no
// data never creates a record.
func TestRedisEmptySessionHasNoRecord(t *testing.T) {
	e := newEnv(t, redistest.Start(t), envOption{})
	type handler = func(w http.ResponseWriter, r *http.Request)
	do := func(f func(s *session.Session)) handler {
		return func(w http.ResponseWriter, r *http.Request) { f(session.Get(r)) }
	}
	cacheable := func(h handler) handler {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Cache-Control", "public, max-age=60")
			h(w, r)
		}
	}
	t.Run("existing session", func(t *testing.T) {
		for _, tt := range []struct {
			name    string
			h       handler
			records int  // records left
			deleted bool // the response deletes the cookie
		}{
			{"Clear", do(func(s *session.Session) { s.Clear() }), 0, true},
			{"Delete the last key", do(func(s *session.Session) { s.Delete("a") }), 0, true},
			{"Pop the last key", do(func(s *session.Session) { s.Pop("a") }), 0, true},
			{"Clear on a cacheable response", cacheable(do(func(s *session.Session) { s.Clear() })), 0, false},
			{"Clear then Set", do(func(s *session.Session) { s.Clear(); s.Set("b", 2) }), 1, false},
			{"Delete another key", do(func(s *session.Session) { s.Delete("zz") }), 1, false},
		} {
			t.Run(tt.name, func(t *testing.T) {
				e.flush()
				c := e.cookie(e.serve("/", "", setKV("a", 1)))
				resp := e.serve("/", c, tt.h)
				if n := len(e.keys()); n != tt.records {
					t.Errorf("%d records, want %d", n, tt.records)
				}
				sc := resp.Header.Values("Set-Cookie")
				if deleted := len(sc) == 1 && strings.Contains(sc[0], "Max-Age=0"); deleted != tt.deleted || (!deleted && len(sc) != 0) {
					t.Errorf("Set-Cookie %q, want deleted=%v", sc, tt.deleted)
				}
				if _, isNew := e.getKey(c, "b"); isNew != (tt.records == 0) {
					t.Errorf("the cookie's session afterwards: new=%v", isNew)
				}
			})
		}
	})
	t.Run("emptied while another request writes", func(t *testing.T) {
		// The merge keeps the other request's key: not empty, kept.
		e.flush()
		c := e.cookie(e.serve("/", "", setKV("a", 1)))
		e.serve("/", c, func(w http.ResponseWriter, r *http.Request) {
			s := session.Get(r)
			s.Get("a")
			e.serve("/", c, setKV("b", 2)) // lands first
			s.Delete("a")
		})
		if v, _ := e.getKey(c, "b"); v != int64(2) {
			t.Errorf("b=%v, want the concurrent write kept", v)
		}
	})
	t.Run("new session", func(t *testing.T) {
		for _, tt := range []struct {
			name string
			h    handler
		}{
			{"read", do(func(s *session.Session) { s.Get("a") })},
			{"Set then Delete", do(func(s *session.Session) { s.Set("a", 1); s.Delete("a") })},
			{"Changed", do(func(s *session.Session) { s.Changed() })},
			{"Clear", do(func(s *session.Session) { s.Clear() })},
			{"Invalidate", do(func(s *session.Session) { s.Invalidate() })},
			{"Set on a cacheable response", cacheable(setKV("a", 1))},
		} {
			t.Run(tt.name, func(t *testing.T) {
				e.flush()
				noCookie(t, e.serve("/", "", tt.h))
				if ks := e.keys(); len(ks) != 0 {
					t.Errorf("records %q", ks)
				}
			})
		}
	})
}
