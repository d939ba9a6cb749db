// Package pyjson encodes Go values as the exact bytes Python's
// json.dumps(obj) produces with its default arguments, because Pyramid's
// cookie payload is json.dumps([accessed, created, state]).encode('utf-8')
// and the signature or encryption covers those bytes.
//
// Python's defaults are: separators ", " and ": "; ensure_ascii (every
// non-ASCII character as a lower-case \uXXXX escape, astral characters as
// surrogate pairs, DEL as \u007f, '/', '<', '>' and '&' unescaped); floats
// as repr(float) (see AppendFloat); dict keys in insertion order.
//
// Differences from Python, all documented on the functions concerned:
//
//   - Go maps are unordered, so Append writes object keys sorted (byte-wise,
//     i.e. by code point). To reproduce a Python dict's insertion order,
//     pass the object as a json.RawMessage (re-emitted by Reformat in
//     source order).
//   - NaN and ±Infinity are rejected with an error instead of being written
//     as the non-standard bare NaN/Infinity tokens.
//   - Invalid UTF-8 in Go strings is written as \ufffd.
//   - nil maps and nil slices are written as null, as encoding/json does.
//   - Values Append hands to encoding/json (structs, json.Marshaler and
//     encoding.TextMarshaler implementations) keep encoding/json's number
//     formatting: a float64 struct field 2.0 becomes 2, not 2.0. Use
//     map[string]any with float64 values when Python float formatting
//     matters.
package pyjson

import (
	"bytes"
	"encoding"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// MaxDepth is the deepest nesting of containers, pointers and interfaces
// Append follows before failing with ErrMaxDepth. It turns reference
// cycles (a map or slice containing itself, a pointer loop) into an error
// instead of a stack overflow.
const MaxDepth = 1000

// ErrMaxDepth is returned by Append when a value nests deeper than MaxDepth.
var ErrMaxDepth = errors.New("pyjson: value nests deeper than MaxDepth (reference cycle?)")

// ErrUnsupportedValue is wrapped by the error Append returns for a float
// that JSON cannot represent (NaN, +Inf, -Inf).
var ErrUnsupportedValue = errors.New("pyjson: unsupported value")

// Marshal returns the Python json.dumps encoding of v. It is Append(nil, v).
func Marshal(v any) ([]byte, error) {
	n := 32
	if s, ok := v.(string); ok {
		n = len(s) + 2 // exact unless s needs escapes
	}
	return Append(make([]byte, 0, n), v)
}

// Append appends the Python json.dumps encoding of v to dst. On error it
// returns dst unchanged (same length) and the error.
//
// Encoding by type:
//
//   - nil, nil pointers and nil interfaces: null
//   - bool: true / false
//   - string: AppendString
//   - int, int8…int64, uint, uint8…uint64, uintptr: decimal
//   - float64: AppendFloat; float32 is first converted to the float64 of
//     its shortest decimal representation (float32(0.1) is written 0.1,
//     as encoding/json does); NaN and ±Inf fail with ErrUnsupportedValue
//   - json.Number: validated (an invalid number is a *SyntaxError), then
//     written verbatim; the empty Number is written 0 as encoding/json does
//   - json.RawMessage: Reformat (must be valid JSON; nil or empty is null)
//   - maps whose keys are strings, integers or encoding.TextMarshaler
//     (resolved to strings as encoding/json does): objects with keys sorted
//     byte-wise; a nil map is null
//   - slices and arrays: arrays; a nil slice is null; []byte (a slice of a
//     byte kind without marshal methods) is a base64 string as in
//     encoding/json
//   - pointers and interfaces: the value pointed to
//   - anything else — structs, and every type implementing json.Marshaler
//     or encoding.TextMarshaler — is encoded by encoding/json with HTML
//     escaping off and then re-emitted by Reformat, so struct tags and
//     custom marshalers work (numbers keep encoding/json's formatting)
//
// Append never follows more than MaxDepth levels (ErrMaxDepth).
// The common session types (string, bool, nil, int, int64, float64,
// map[string]any, []any, json.RawMessage, json.Number) are encoded
// without reflection and without allocating beyond growing dst.
func Append(dst []byte, v any) ([]byte, error) {
	start := len(dst)
	out, err := appendValue(dst, v, 0)
	if err != nil {
		return dst[:start], err
	}
	return out, nil
}

// AppendScalar appends Append's encoding of v when v is a string, bool,
// nil, int, int64 or finite float64, reporting false (and dst unchanged)
// for anything else. Unlike Append it never keeps dst beyond the result,
// so dst may be a stack buffer.
func AppendScalar(dst []byte, v any) ([]byte, bool) {
	switch v := v.(type) {
	case nil:
		return append(dst, "null"...), true
	case string:
		return AppendString(dst, v), true
	case bool:
		return strconv.AppendBool(dst, v), true
	case int:
		return strconv.AppendInt(dst, int64(v), 10), true
	case int64:
		return strconv.AppendInt(dst, v, 10), true
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return dst, false
		}
		return AppendFloat(dst, v), true
	}
	return dst, false
}

// keyBufLen is how many map keys are sorted in a stack buffer.
const keyBufLen = 32

func appendValue(dst []byte, v any, depth int) ([]byte, error) {
	switch v := v.(type) {
	case nil:
		return append(dst, "null"...), nil
	case string:
		return AppendString(dst, v), nil
	case bool:
		return strconv.AppendBool(dst, v), nil
	case int:
		return strconv.AppendInt(dst, int64(v), 10), nil
	case int64:
		return strconv.AppendInt(dst, v, 10), nil
	case float64:
		return appendFloat64(dst, v)
	case map[string]any:
		if v == nil {
			return append(dst, "null"...), nil
		}
		if depth >= MaxDepth {
			return dst, ErrMaxDepth
		}
		var buf [keyBufLen]string
		keys := buf[:0]
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		dst = append(dst, '{')
		var err error
		for i, k := range keys {
			if i > 0 {
				dst = append(dst, ',', ' ')
			}
			dst = AppendString(dst, k)
			dst = append(dst, ':', ' ')
			if dst, err = appendValue(dst, v[k], depth+1); err != nil {
				return dst, err
			}
		}
		return append(dst, '}'), nil
	case []any:
		if v == nil {
			return append(dst, "null"...), nil
		}
		if depth >= MaxDepth {
			return dst, ErrMaxDepth
		}
		dst = append(dst, '[')
		var err error
		for i, e := range v {
			if i > 0 {
				dst = append(dst, ',', ' ')
			}
			if dst, err = appendValue(dst, e, depth+1); err != nil {
				return dst, err
			}
		}
		return append(dst, ']'), nil
	case json.Number:
		return appendNumber(dst, v)
	case *big.Int:
		if v == nil {
			return append(dst, "null"...), nil
		}
		return v.Append(dst, 10), nil
	case json.RawMessage:
		if len(v) == 0 {
			return append(dst, "null"...), nil
		}
		return Reformat(dst, v)
	case []string:
		if v == nil {
			return append(dst, "null"...), nil
		}
		dst = append(dst, '[')
		for i, e := range v {
			if i > 0 {
				dst = append(dst, ',', ' ')
			}
			dst = AppendString(dst, e)
		}
		return append(dst, ']'), nil
	case map[string]string:
		if v == nil {
			return append(dst, "null"...), nil
		}
		var buf [keyBufLen]string
		keys := buf[:0]
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		dst = append(dst, '{')
		for i, k := range keys {
			if i > 0 {
				dst = append(dst, ',', ' ')
			}
			dst = AppendString(dst, k)
			dst = append(dst, ':', ' ')
			dst = AppendString(dst, v[k])
		}
		return append(dst, '}'), nil
	case int32:
		return strconv.AppendInt(dst, int64(v), 10), nil
	case uint64:
		return strconv.AppendUint(dst, v, 10), nil
	case float32:
		return appendFloat32(dst, v)
	}
	return appendReflect(dst, reflect.ValueOf(v), depth)
}

func appendFloat64(dst []byte, f float64) ([]byte, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return dst, fmt.Errorf("%w: %v is not valid JSON", ErrUnsupportedValue, f)
	}
	return AppendFloat(dst, f), nil
}

func appendFloat32(dst []byte, f float32) ([]byte, error) {
	f64 := float64(f)
	if math.IsNaN(f64) || math.IsInf(f64, 0) {
		return dst, fmt.Errorf("%w: %v is not valid JSON", ErrUnsupportedValue, f)
	}
	// Use the float64 nearest to f's shortest decimal form, so that
	// float32(0.1) is written 0.1 rather than 0.10000000149011612.
	var buf [32]byte
	s := strconv.AppendFloat(buf[:0], f64, 'g', -1, 32)
	f64, err := strconv.ParseFloat(string(s), 64)
	if err != nil { // cannot happen: s is a valid float literal
		return dst, err
	}
	return AppendFloat(dst, f64), nil
}

func appendNumber(dst []byte, n json.Number) ([]byte, error) {
	if n == "" {
		return append(dst, '0'), nil
	}
	if !validNumber(string(n)) {
		return dst, syntaxErr(0, "invalid json.Number "+strconv.Quote(string(n)))
	}
	return append(dst, n...), nil
}

var (
	jsonMarshalerType = reflect.TypeFor[json.Marshaler]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
	numberType        = reflect.TypeFor[json.Number]()
)

func hasMarshaler(t reflect.Type) bool {
	return t.Implements(jsonMarshalerType) || t.Implements(textMarshalerType)
}

// appendReflect encodes the types without a fast path.
func appendReflect(dst []byte, rv reflect.Value, depth int) ([]byte, error) {
	if !rv.IsValid() {
		return append(dst, "null"...), nil
	}
	t := rv.Type()
	// Marshalers take precedence over the kind, as in encoding/json
	// (including pointer-receiver methods of addressable values).
	if hasMarshaler(t) {
		if t.Kind() == reflect.Pointer && rv.IsNil() {
			return append(dst, "null"...), nil
		}
		return appendViaEncodingJSON(dst, rv.Interface())
	}
	if t.Kind() != reflect.Pointer && rv.CanAddr() && hasMarshaler(reflect.PointerTo(t)) {
		return appendViaEncodingJSON(dst, rv.Addr().Interface())
	}
	switch t.Kind() {
	case reflect.Bool:
		return strconv.AppendBool(dst, rv.Bool()), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.AppendInt(dst, rv.Int(), 10), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.AppendUint(dst, rv.Uint(), 10), nil
	case reflect.Float32:
		return appendFloat32(dst, float32(rv.Float()))
	case reflect.Float64:
		return appendFloat64(dst, rv.Float())
	case reflect.String:
		if t == numberType {
			return appendNumber(dst, json.Number(rv.String()))
		}
		return AppendString(dst, rv.String()), nil
	case reflect.Interface, reflect.Pointer:
		if rv.IsNil() {
			return append(dst, "null"...), nil
		}
		if depth >= MaxDepth {
			return dst, ErrMaxDepth
		}
		e := rv.Elem()
		if t.Kind() == reflect.Interface {
			// Re-enter the fast paths for the dynamic value.
			return appendValue(dst, e.Interface(), depth+1)
		}
		return appendReflect(dst, e, depth+1)
	case reflect.Map:
		return appendMap(dst, rv, depth)
	case reflect.Slice:
		if rv.IsNil() {
			return append(dst, "null"...), nil
		}
		if et := t.Elem(); et.Kind() == reflect.Uint8 && !hasMarshaler(reflect.PointerTo(et)) {
			b := rv.Bytes()
			dst = append(dst, '"')
			dst = base64.StdEncoding.AppendEncode(dst, b)
			return append(dst, '"'), nil
		}
		return appendArray(dst, rv, depth)
	case reflect.Array:
		return appendArray(dst, rv, depth)
	}
	// Structs, and kinds encoding/json rejects (chan, func, complex,
	// unsafe.Pointer), for which it returns the error.
	return appendViaEncodingJSON(dst, rv.Interface())
}

func appendArray(dst []byte, rv reflect.Value, depth int) ([]byte, error) {
	if depth >= MaxDepth {
		return dst, ErrMaxDepth
	}
	dst = append(dst, '[')
	var err error
	for i, n := 0, rv.Len(); i < n; i++ {
		if i > 0 {
			dst = append(dst, ',', ' ')
		}
		if dst, err = appendReflect(dst, rv.Index(i), depth+1); err != nil {
			return dst, err
		}
	}
	return append(dst, ']'), nil
}

type mapEntry struct {
	key string
	val reflect.Value
}

func appendMap(dst []byte, rv reflect.Value, depth int) ([]byte, error) {
	if rv.IsNil() {
		return append(dst, "null"...), nil
	}
	if depth >= MaxDepth {
		return dst, ErrMaxDepth
	}
	entries := make([]mapEntry, 0, rv.Len())
	it := rv.MapRange()
	for it.Next() {
		k, err := resolveKey(it.Key())
		if err != nil {
			return dst, err
		}
		entries = append(entries, mapEntry{k, it.Value()})
	}
	slices.SortFunc(entries, func(a, b mapEntry) int { return strings.Compare(a.key, b.key) })
	dst = append(dst, '{')
	var err error
	for i, e := range entries {
		if i > 0 {
			dst = append(dst, ',', ' ')
		}
		dst = AppendString(dst, e.key)
		dst = append(dst, ':', ' ')
		if dst, err = appendReflect(dst, e.val, depth+1); err != nil {
			return dst, err
		}
	}
	return append(dst, '}'), nil
}

// resolveKey turns a map key into its JSON object key as encoding/json does.
func resolveKey(k reflect.Value) (string, error) {
	if k.Kind() == reflect.String {
		return k.String(), nil
	}
	if tm, ok := k.Interface().(encoding.TextMarshaler); ok {
		if k.Kind() == reflect.Pointer && k.IsNil() {
			return "", nil
		}
		b, err := tm.MarshalText()
		return string(b), err
	}
	switch k.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(k.Int(), 10), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.FormatUint(k.Uint(), 10), nil
	}
	return "", fmt.Errorf("pyjson: unsupported map key type %s", k.Type())
}

// appendViaEncodingJSON encodes v with encoding/json (HTML escaping off)
// and re-emits the result in Python style.
func appendViaEncodingJSON(dst []byte, v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return dst, err
	}
	return Reformat(dst, buf.Bytes())
}
