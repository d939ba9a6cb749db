package engine

import (
	"strings"
	"testing"
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
