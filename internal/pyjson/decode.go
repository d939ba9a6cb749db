package pyjson

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"strconv"
	"unicode/utf8"
)

// Decode decodes one JSON value as Python's json.loads types it, mapped
// to Go: an integer literal to int64, or *big.Int beyond int64; any other
// number to float64; strings, booleans and null to string, bool and nil;
// arrays to []any; objects to map[string]any (member order is lost; a
// repeated key keeps its last value, as in Python). Written back with
// Marshal, every scalar reproduces Python's bytes: 42 stays 42, 42.0
// stays 42.0, 9007199254740993 stays exact.
func Decode(raw []byte) (any, error) {
	if v, ok := decodeScalar(raw); ok {
		return v, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("pyjson: %w", err)
	}
	return typeNumbers(v)
}

// typeNumbers replaces every json.Number in v by its typed value.
func typeNumbers(v any) (any, error) {
	switch x := v.(type) {
	case json.Number:
		return number(string(x))
	case []any:
		for i, e := range x {
			var err error
			if x[i], err = typeNumbers(e); err != nil {
				return nil, err
			}
		}
	case map[string]any:
		for k, e := range x {
			t, err := typeNumbers(e)
			if err != nil {
				return nil, err
			}
			x[k] = t
		}
	}
	return v, nil
}

// number types a valid JSON number literal.
func number(s string) (any, error) {
	if !bytes.ContainsAny([]byte(s), ".eE") {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return n, nil
		}
		if n, ok := new(big.Int).SetString(s, 10); ok {
			return n, nil
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		// Python reads 1e400 as inf, which json.dumps then cannot write
		// back as JSON; refuse it here instead.
		return nil, fmt.Errorf("pyjson: number %s out of range", s)
	}
	return f, nil
}

// decodeScalar decodes the common scalars (strings without escapes,
// numbers, true, false, null) without encoding/json's reflection. ok is
// false for anything else, or for input that is not a valid scalar.
func decodeScalar(raw []byte) (v any, ok bool) {
	if len(raw) == 0 {
		return nil, false
	}
	switch c := raw[0]; {
	case c == '"':
		if len(raw) < 2 || raw[len(raw)-1] != '"' {
			return nil, false
		}
		body := raw[1 : len(raw)-1]
		for _, b := range body {
			if b < 0x20 || b == '\\' || b == '"' {
				return nil, false
			}
		}
		if !utf8.Valid(body) {
			return nil, false
		}
		return string(body), true
	case c == '-' || isDigit(c):
		if !validNumber(string(raw)) {
			return nil, false
		}
		n, err := number(string(raw))
		return n, err == nil
	case string(raw) == "true":
		return true, true
	case string(raw) == "false":
		return false, true
	case string(raw) == "null":
		return nil, true
	}
	return nil, false
}
