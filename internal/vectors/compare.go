package vectors

import (
	"encoding/json"
	"math/big"
	"reflect"
	"regexp"
)

// Equal reports whether two decoded JSON values are equal, comparing
// numbers by value whatever their Go type (json.Number, float64, int), as
// Python's == compares 1 and 1.0.
func Equal(a, b any) bool { return reflect.DeepEqual(canon(a, false), canon(b, false)) }

// EqualIgnoringTokens is Equal with every CSRF token (a string of 40
// lower-case hex digits: random in Go, seeded in Python) replaced by one
// marker on both sides, so tokens compare by format only.
func EqualIgnoringTokens(a, b any) bool {
	return reflect.DeepEqual(canon(a, true), canon(b, true))
}

// csrfToken is the format of a CSRF token.
var csrfToken = regexp.MustCompile(`^[0-9a-f]{40}$`)

// canon normalises numbers to float64 and ordered objects to maps; with
// maskTokens, CSRF tokens become "<csrf token>".
func canon(v any, maskTokens bool) any {
	switch x := v.(type) {
	case string:
		if maskTokens && csrfToken.MatchString(x) {
			return "<csrf token>"
		}
	case json.Number:
		f, _ := x.Float64()
		return f
	case int:
		return float64(x)
	case int64:
		return float64(x)
	case *big.Int:
		f, _ := new(big.Float).SetInt(x).Float64()
		return f
	case *Object:
		return canon(Plain(x), maskTokens)
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = canon(e, maskTokens)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = canon(e, maskTokens)
		}
		return out
	}
	return v
}

// Show renders a value as JSON, for failure messages.
func Show(v any) string {
	if o, ok := v.(*Object); ok {
		b, err := PyJSON(o)
		if err != nil {
			return err.Error()
		}
		return string(b)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return err.Error()
	}
	return string(b)
}
