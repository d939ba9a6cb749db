package vectors

import (
	"encoding/json"
	"math/big"
	"reflect"
)

// Equal reports whether two decoded JSON values are equal, comparing
// numbers by value whatever their Go type (json.Number, float64, int), as
// Python's == compares 1 and 1.0.
func Equal(a, b any) bool { return reflect.DeepEqual(canon(a), canon(b)) }

func canon(v any) any {
	switch x := v.(type) {
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
		return canon(Plain(x))
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = canon(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = canon(e)
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
