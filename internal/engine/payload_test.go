package engine

import (
	"errors"
	"testing"
)

func TestParseStateKeys(t *testing.T) {
	tests := []struct {
		in   string
		keys []string
		err  bool
	}{
		{`{"a": 1, "b": 2}`, []string{"a", "b"}, false},
		{`{"b": 1, "a": 2, "b": 3}`, []string{"b", "a"}, false}, // last value, first place
		{`{"\u00e9": 1, "\n\"": 2}`, []string{"é", "\n\""}, false},
		{`{"\ud83d\ude00": 1}`, []string{"😀"}, false}, // a surrogate pair is fine
		{`{"\\ud800": 1}`, []string{`\ud800`}, false}, // an escaped backslash, not an escape
		{`{"\ud800": 1, "\udbff": 2}`, nil, true},     // lone surrogates would both become U+FFFD
		{`{"x\udc00": 1}`, nil, true},
		{`{"\ud800\u0041": 1}`, nil, true},
	}
	for _, tt := range tests {
		st, err := ParseState([]byte(tt.in))
		if tt.err {
			if !errors.Is(err, ErrPayload) {
				t.Errorf("%s: err %v, want ErrPayload", tt.in, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.in, err)
			continue
		}
		if got := st.Keys(); len(got) != len(tt.keys) || (len(got) > 0 && got[0] != tt.keys[0]) {
			t.Errorf("%s: keys %q, want %q", tt.in, got, tt.keys)
		}
	}
}
