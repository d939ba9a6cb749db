package vectors_test

import (
	"encoding/json"
	"testing"

	"github.com/sessconf/sessconf/internal/vectors"
)

func TestEqual(t *testing.T) {
	const tokA, tokB = "0123456789abcdef0123456789abcdef01234567", "fedcba9876543210fedcba9876543210fedcba98"
	for _, tt := range []struct {
		name        string
		a, b        any
		equal       bool
		equalMasked bool
	}{
		{"numbers by value", map[string]any{"n": json.Number("1")}, map[string]any{"n": 1.0}, true, true},
		{"int and float", []any{int64(2), 3}, []any{2.0, 3.0}, true, true},
		{"different numbers", []any{1}, []any{2}, false, false},
		{"tokens by format", map[string]any{"_csrft_": tokA, "l": []any{tokB}}, map[string]any{"_csrft_": tokB, "l": []any{tokA}}, false, true},
		{"token against other text", map[string]any{"t": tokA}, map[string]any{"t": "not a token"}, false, false},
		{"upper-case hex is no token", []any{"0123456789ABCDEF0123456789ABCDEF01234567"}, []any{tokA}, false, false},
		{"39 digits is no token", []any{tokA[:39]}, []any{tokB[:39]}, false, false},
		{"other strings exactly", []any{"a"}, []any{"b"}, false, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := vectors.Equal(tt.a, tt.b); got != tt.equal {
				t.Errorf("Equal = %v, want %v", got, tt.equal)
			}
			if got := vectors.EqualIgnoringTokens(tt.a, tt.b); got != tt.equalMasked {
				t.Errorf("EqualIgnoringTokens = %v, want %v", got, tt.equalMasked)
			}
		})
	}
}
