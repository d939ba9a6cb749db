package pyjson

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"
)

// Decode decodes one JSON value as Python's json.loads types it, mapped
// to Go: an integer literal to int64, or *big.Int beyond int64; any other
// number to float64; strings, booleans and null to string, bool and nil;
// arrays to []any; objects to map[string]any (member order is lost; a
// repeated key keeps its last value, as in Python). Strings decode as
// encoding/json decodes them. Written back with Marshal, every scalar
// reproduces Python's bytes: 42 stays 42, 42.0 stays 42.0,
// 9007199254740993 stays exact.
func Decode(raw []byte) (any, error) {
	s := scanner{b: raw}
	v, ok := s.decode()
	if !ok || !s.end() {
		return nil, s.err()
	}
	return v, nil
}

// decode reads the next value as Decode types it.
func (s *scanner) decode() (any, bool) {
	switch c := s.peek(); c {
	case '{', '[':
		empty, ok := s.open(c)
		if !ok {
			return nil, false
		}
		if c == '[' {
			arr := []any{}
			for more := !empty; more; {
				v, ok := s.decode()
				if !ok {
					return nil, false
				}
				arr = append(arr, v)
				if more, ok = s.next(c); !ok {
					return nil, false
				}
			}
			return arr, true
		}
		obj := map[string]any{}
		for more := !empty; more; {
			if s.peek() != '"' {
				return nil, s.fail(s.i, "expected object key string")
			}
			key, ok := s.string()
			if !ok || !s.byte1(':', "expected ':' after object key") {
				return nil, false
			}
			v, ok := s.decode()
			if !ok {
				return nil, false
			}
			obj[key] = v
			if more, ok = s.next(c); !ok {
				return nil, false
			}
		}
		return obj, true
	case '"':
		return s.string()
	case 't':
		return true, s.literal("true")
	case 'f':
		return false, s.literal("false")
	case 'n':
		return nil, s.literal("null")
	case 0:
		if s.i >= len(s.b) {
			return nil, s.fail(s.i, "unexpected end of input")
		}
	}
	start := s.i
	if !s.number() {
		return nil, false
	}
	n, err := number(string(s.b[start:s.i]))
	if err != nil {
		return nil, s.fail(start, "number out of range")
	}
	return n, true
}

// string reads the string at s.i as Unquote decodes it.
func (s *scanner) string() (string, bool) {
	start := s.i
	if _, ok := s.str(); !ok {
		return "", false
	}
	v, _ := Unquote(s.b[start+1 : s.i-1])
	return v, true
}

// number types a valid JSON number literal.
func number(s string) (any, error) {
	if !strings.ContainsAny(s, ".eE") {
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
