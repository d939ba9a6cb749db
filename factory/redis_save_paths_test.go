package factory_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/sessconf/sessconf/internal/redistest"
	"github.com/sessconf/sessconf/session"
)

// A save stores the request's record as it built it when nobody wrote
// since its load (the fast path), and merges only its changes into the
// stored record otherwise; a request that cleared the session replaces
// the data even after a concurrent write. Either way the version moves
// by one per save and the creation time is kept.
func TestRedisSavePaths(t *testing.T) {
	e := newEnv(t, redistest.Start(t), envOption{})
	tests := []struct {
		name       string
		concurrent bool // another request writes "other" between load and save
		h          func(s *session.Session)
		want       []string // keys afterwards, sorted
		version    int64
	}{
		{"alone: set", false, func(s *session.Session) { s.Set("b", 2) }, []string{"a", "b"}, 2},
		{"alone: delete", false, func(s *session.Session) { s.Set("b", 2); s.Delete("a") }, []string{"b"}, 2},
		{"alone: clear then set", false, func(s *session.Session) { s.Clear(); s.Set("b", 2) }, []string{"b"}, 2},
		{"concurrent: set", true, func(s *session.Session) { s.Set("b", 2) }, []string{"a", "b", "other"}, 3},
		{"concurrent: delete", true, func(s *session.Session) { s.Set("b", 2); s.Delete("a") }, []string{"b", "other"}, 3},
		{"concurrent: clear then set", true, func(s *session.Session) { s.Clear(); s.Set("b", 2) }, []string{"b"}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.flush()
			c := e.cookie(e.serve("/", "", setKV("a", 1)))
			key := e.only()
			before := e.stored(key)
			e.serve("/", c, func(w http.ResponseWriter, r *http.Request) {
				s := session.Get(r)
				s.Get("a") // load
				if tt.concurrent {
					e.serve("/", c, setKV("other", true))
				}
				tt.h(s)
			})
			after := e.stored(key)
			var keys []string
			for k := range after.Data {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			if !slices.Equal(keys, tt.want) {
				t.Errorf("keys %q, want %q", keys, tt.want)
			}
			if after.V != tt.version || after.Created != before.Created {
				t.Errorf("version %d created %v, want %d and %v", after.V, after.Created, tt.version, before.Created)
			}
			if string(after.Data["b"]) != "2" {
				t.Errorf("b = %s", after.Data["b"])
			}
		})
	}
}
