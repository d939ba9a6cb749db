package factory_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
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

// The merge after a concurrent write keeps the stored order and bytes,
// adds new keys at the end in the request's order, and removes deleted
// keys wherever they stand, for flat data (patched by plain searches)
// and nested data (scanned) alike.
func TestRedisMergeBytes(t *testing.T) {
	e := newEnv(t, redistest.Start(t), envOption{})
	tests := []struct {
		name string
		seed []any
		h    func(s *session.Session)
		want string
	}{
		{"delete first", []any{"a", 1, "b", 2, "c", 3}, func(s *session.Session) { s.Delete("a") },
			`{"b": 2, "c": 3, "other": true}`},
		{"delete middle, set last", []any{"a", 1, "b", 2, "c", 3}, func(s *session.Session) { s.Delete("b"); s.Set("c", "x") },
			`{"a": 1, "c": "x", "other": true}`},
		{"delete the concurrent key's neighbour, add two", []any{"a", []any{"x", "y"}}, func(s *session.Session) {
			s.Set("n1", 1)
			s.Set("n2", []any{"]"})
			s.Delete("a")
		}, `{"other": true, "n1": 1, "n2": ["]"]}`},
		{"flash onto a stored queue", []any{"_f_", []any{"m1"}}, func(s *session.Session) { s.Flash("m2", "", true) },
			`{"_f_": ["m1", "m2"], "other": true}`},
		{"nested object", []any{"o", map[string]any{"a": 1}, "b", 2}, func(s *session.Session) { s.Delete("b"); s.Set("c", 3) },
			`{"o": {"a": 1}, "other": true, "c": 3}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.flush()
			c := e.cookie(e.serve("/", "", setKV(tt.seed...)))
			key := e.only()
			e.serve("/", c, func(w http.ResponseWriter, r *http.Request) {
				s := session.Get(r)
				s.Keys() // load
				e.serve("/", c, setKV("other", true))
				tt.h(s)
			})
			val, err := e.client.Get(context.Background(), key).Result()
			if err != nil {
				t.Fatal(err)
			}
			if _, data, _ := strings.Cut(val, `"data": `); data != tt.want+"}" {
				t.Errorf("stored data %s, want %s}", data, tt.want)
			}
		})
	}
}
