package vectors

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf16"
)

// Object is a JSON object that keeps its members in document order, as a
// Python dict loaded by json.loads does. A repeated key keeps its last
// value at its first position, as in Python.
type Object struct {
	keys []string
	vals map[string]any
}

// Keys returns the member names in document order.
func (o *Object) Keys() []string { return o.keys }

// Get returns the value of member k.
func (o *Object) Get(k string) (any, bool) {
	v, ok := o.vals[k]
	return v, ok
}

// Value returns the value of member k, or nil.
func (o *Object) Value(k string) any { return o.vals[k] }

// Len is the number of members.
func (o *Object) Len() int { return len(o.keys) }

func (o *Object) set(k string, v any) {
	if _, dup := o.vals[k]; !dup {
		o.keys = append(o.keys, k)
	}
	o.vals[k] = v
}

// MarshalJSON writes the object in document order with Python's
// json.dumps separators, so a value handed to code that re-emits JSON
// keeps the vector's bytes.
func (o *Object) MarshalJSON() ([]byte, error) { return PyJSON(o) }

// DecodeOrdered parses one JSON document: objects become *Object (in
// document order), arrays []any, numbers json.Number (their literal
// text), strings, booleans and null as encoding/json decodes them.
func DecodeOrdered(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := decodeValue(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("vectors: data after the JSON value")
	}
	return v, nil
}

// maxDepth bounds recursion on hostile input.
const maxDepth = 10000

func decodeValue(dec *json.Decoder) (any, error) { return decodeDepth(dec, 0) }

func decodeDepth(dec *json.Decoder, depth int) (any, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("vectors: JSON nests deeper than %d", maxDepth)
	}
	tok, err := dec.Token()
	if err != nil {
		return nil, fmt.Errorf("vectors: %w", err)
	}
	switch d := tok.(type) {
	case json.Delim:
		switch d {
		case '{':
			o := &Object{vals: map[string]any{}}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, fmt.Errorf("vectors: %w", err)
				}
				k, _ := kt.(string)
				v, err := decodeDepth(dec, depth+1)
				if err != nil {
					return nil, err
				}
				o.set(k, v)
			}
			_, err := dec.Token() // '}'
			return o, err
		case '[':
			a := []any{}
			for dec.More() {
				v, err := decodeDepth(dec, depth+1)
				if err != nil {
					return nil, err
				}
				a = append(a, v)
			}
			_, err := dec.Token() // ']'
			return a, err
		}
		return nil, fmt.Errorf("vectors: unexpected %v", d)
	}
	return tok, nil
}

// Plain returns v with every *Object replaced by a map[string]any, for
// field access and order-insensitive comparison.
func Plain(v any) any {
	switch x := v.(type) {
	case *Object:
		m := make(map[string]any, len(x.keys))
		for _, k := range x.keys {
			m[k] = Plain(x.vals[k])
		}
		return m
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = Plain(e)
		}
		return out
	}
	return v
}

// Path follows member names from v through nested objects; ok is false
// when a step is missing or not an object.
func Path(v any, names ...string) (any, bool) {
	for _, n := range names {
		o, isObj := v.(*Object)
		if !isObj {
			return nil, false
		}
		if v, isObj = o.vals[n]; !isObj {
			return nil, false
		}
	}
	return v, true
}

// PyJSON writes v as Python's json.dumps does with default arguments
// (separators ", " and ": ", ensure_ascii): *Object members in document
// order, json.Number literals verbatim (a number Python wrote re-emits
// as Python wrote it), strings, booleans and null. It takes what
// DecodeOrdered returns; other Go types are an error.
func PyJSON(v any) ([]byte, error) { return appendPy(nil, v) }

func appendPy(dst []byte, v any) ([]byte, error) {
	switch x := v.(type) {
	case *Object:
		dst = append(dst, '{')
		for i, k := range x.keys {
			if i > 0 {
				dst = append(dst, ", "...)
			}
			dst = appendPyString(dst, k)
			dst = append(dst, ": "...)
			var err error
			if dst, err = appendPy(dst, x.vals[k]); err != nil {
				return nil, err
			}
		}
		return append(dst, '}'), nil
	case []any:
		dst = append(dst, '[')
		for i, e := range x {
			if i > 0 {
				dst = append(dst, ", "...)
			}
			var err error
			if dst, err = appendPy(dst, e); err != nil {
				return nil, err
			}
		}
		return append(dst, ']'), nil
	case json.Number:
		return append(dst, x...), nil
	case string:
		return appendPyString(dst, x), nil
	case bool:
		return strconv.AppendBool(dst, x), nil
	case nil:
		return append(dst, "null"...), nil
	}
	return nil, fmt.Errorf("vectors: PyJSON cannot write %T", v)
}

// appendPyString writes s as json.dumps does with ensure_ascii: short
// escapes for quote, backslash and \n \r \t \b \f; \u00XX for other
// control characters and DEL; \uXXXX (surrogate pairs beyond the BMP)
// for every non-ASCII character.
func appendPyString(dst []byte, s string) []byte {
	const hexDigits = "0123456789abcdef"
	u4 := func(dst []byte, r rune) []byte {
		return append(dst, '\\', 'u', hexDigits[r>>12&15], hexDigits[r>>8&15], hexDigits[r>>4&15], hexDigits[r&15])
	}
	dst = append(dst, '"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			dst = append(dst, '\\', byte(r))
		case r == '\n':
			dst = append(dst, `\n`...)
		case r == '\r':
			dst = append(dst, `\r`...)
		case r == '\t':
			dst = append(dst, `\t`...)
		case r == '\b':
			dst = append(dst, `\b`...)
		case r == '\f':
			dst = append(dst, `\f`...)
		case r < 0x20 || r == 0x7f:
			dst = u4(dst, r)
		case r < 0x80:
			dst = append(dst, byte(r))
		case r > 0xffff:
			hi, lo := utf16.EncodeRune(r)
			dst = u4(u4(dst, hi), lo)
		default:
			dst = u4(dst, r)
		}
	}
	return append(dst, '"')
}
