package engine

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestUserBindingLimits(t *testing.T) {
	big := map[string]string{"ua": strings.Repeat("x", 2000)}
	many := map[string]string{}
	for i := range 17 {
		many[string(rune('a'+i))] = "v"
	}
	for _, tt := range []struct {
		name string
		user string
		meta map[string]string
		ok   bool
	}{
		{"plain", "alice", map[string]string{"ua": "Firefox"}, true},
		{"no meta", "alice", nil, true},
		{"empty user", "", nil, false},
		{"user id of 256 bytes", strings.Repeat("u", 256), nil, true},
		{"user id over 256 bytes", strings.Repeat("u", 257), nil, false},
		{"meta too long", "alice", big, false},
		{"too many entries", "alice", many, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := UserBinding(tt.user, tt.meta)
			if (err == nil) != tt.ok {
				t.Errorf("err %v, want ok=%v", err, tt.ok)
			}
		})
	}
}

// What SetUser stores reads back as the same binding, whatever the
// user id and metadata (any UTF-8 or not, quotes, control characters);
// any other stored value binds nobody and does not panic.
func FuzzUserBinding(f *testing.F) {
	f.Add("alice", "ua", "Mozilla/5.0", []byte(`{"id": "alice"}`))
	f.Add("a\"b\\c\x00", "k\u2028", "\xff", []byte(`{"id": 1}`))
	f.Add("u", "", "", []byte(`[]`))
	f.Fuzz(func(t *testing.T, user, k, v string, stored []byte) {
		meta := map[string]string{k: v}
		raw, err := UserBinding(user, meta)
		if err == nil {
			st := NewState()
			st.Set(UserKey, raw)
			got := userOf(st)
			if !utf8.ValidString(user) || !utf8.ValidString(k) || !utf8.ValidString(v) {
				return // invalid UTF-8 is stored as U+FFFD: no exact round trip
			}
			if got.ID != user || got.Meta[k] != v || len(got.Meta) != 1 {
				t.Errorf("UserBinding(%q, %q) read back as %+v", user, meta, got)
			}
		}
		st := NewState()
		st.Set(UserKey, stored)
		_ = userOf(st)
	})
}

// blindScript looks for the engine's own keys only when their common
// prefix occurs in the data.
func TestReservedPrefix(t *testing.T) {
	for _, k := range []string{MaxAgeKey, UserKey} {
		if !strings.HasPrefix(k, reservedPrefix) {
			t.Errorf("%q does not start with %q", k, reservedPrefix)
		}
	}
}
