package engine

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"github.com/sessconf/sessconf/internal/pyjson"
)

// AppendPayload appends Pyramid's cookie payload for rec,
// json.dumps([accessed, created, state]), byte for byte as Python writes it.
func AppendPayload(dst []byte, rec *Record) []byte {
	dst = append(dst, '[')
	if rec.AccessedInt {
		dst = strconv.AppendInt(dst, int64(rec.Accessed), 10)
	} else {
		dst = pyjson.AppendFloat(dst, rec.Accessed)
	}
	dst = append(dst, ", "...)
	dst = pyjson.AppendFloat(dst, rec.Created)
	dst = append(dst, ", "...)
	dst = AppendState(dst, rec.State)
	return append(dst, ']')
}

// AppendState appends the state as a Python-style JSON object.
func AppendState(dst []byte, s *State) []byte {
	dst = append(dst, '{')
	for i, k := range s.keys {
		if i > 0 {
			dst = append(dst, ", "...)
		}
		dst = pyjson.AppendString(dst, k)
		dst = append(dst, ": "...)
		dst = append(dst, s.vals[k]...)
	}
	return append(dst, '}')
}

// ParsePayload parses a cookie payload. Unlike Python, it accepts only the
// shape Pyramid writes: a JSON array of two finite numbers and an object.
// Strings, booleans and NaN as timestamps, or a non-object state, are
// refused with ErrPayload. Values in the returned state alias payload.
func ParsePayload(payload []byte) (accessed, created float64, st *State, err error) {
	if !pyjson.Valid(payload) {
		return 0, 0, nil, fmt.Errorf("%w: not UTF-8 JSON", ErrPayload)
	}
	p := parser{b: payload}
	p.expect('[')
	accessed = p.number()
	p.expect(',')
	created = p.number()
	p.expect(',')
	st = p.object()
	p.expect(']')
	p.ws()
	if p.err == nil && p.i != len(p.b) {
		p.fail("trailing data")
	}
	if p.err != nil {
		return 0, 0, nil, p.err
	}
	return accessed, created, st, nil
}

// ParseState parses a JSON object into a State, keeping key order (a
// repeated key keeps its first place and its last value, as in Python).
func ParseState(data []byte) (*State, error) {
	if !pyjson.Valid(data) {
		return nil, fmt.Errorf("%w: not JSON", ErrPayload)
	}
	p := parser{b: data}
	st := p.object()
	p.ws()
	if p.err == nil && p.i != len(p.b) {
		p.fail("trailing data")
	}
	return st, p.err
}

// parser walks JSON already checked by validJSON, so it only has to
// check the shape, not the syntax.
type parser struct {
	b   []byte
	s   string // string(b), made by unquote when first needed
	i   int
	err error
}

func (p *parser) fail(what string) {
	if p.err == nil {
		p.err = fmt.Errorf("%w: %s at offset %d", ErrPayload, what, p.i)
	}
}

func (p *parser) ws() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\r', '\n':
			p.i++
		default:
			return
		}
	}
}

func (p *parser) expect(c byte) {
	p.ws()
	if p.err != nil || p.i >= len(p.b) || p.b[p.i] != c {
		p.fail(fmt.Sprintf("want %q", c))
		return
	}
	p.i++
}

func (p *parser) number() float64 {
	p.ws()
	if p.err != nil {
		return 0
	}
	if p.i >= len(p.b) || (p.b[p.i] != '-' && (p.b[p.i] < '0' || p.b[p.i] > '9')) {
		p.fail("want a number")
		return 0
	}
	start := p.i
	p.i = p.skipValue(p.i)
	f, err := strconv.ParseFloat(string(p.b[start:p.i]), 64)
	if err != nil || math.IsInf(f, 0) {
		p.i = start
		p.fail("number out of range")
		return 0
	}
	return f
}

func (p *parser) object() *State {
	p.ws()
	if p.err != nil {
		return nil
	}
	if p.i >= len(p.b) || p.b[p.i] != '{' {
		p.fail("want an object")
		return nil
	}
	p.i++
	p.ws()
	if p.i < len(p.b) && p.b[p.i] == '}' {
		p.i++
		return NewState()
	}
	// Collect the members first (on the stack for up to 32), so the key
	// slice and the map are allocated once at their final size.
	var buf [32]member
	members := buf[:0]
	for p.err == nil {
		p.ws()
		start := p.i
		p.i = p.skipValue(p.i)
		key, err := p.unquote(start, p.i)
		if err != nil {
			p.fail("bad key")
			return nil
		}
		p.expect(':')
		p.ws()
		vstart := p.i
		p.i = p.skipValue(p.i)
		members = append(members, member{key, json.RawMessage(p.b[vstart:p.i:p.i])})
		p.ws()
		if p.i < len(p.b) && p.b[p.i] == '}' {
			p.i++
			st := &State{keys: make([]string, 0, len(members)), vals: make(map[string]json.RawMessage, len(members))}
			for _, m := range members {
				if _, dup := st.vals[m.key]; !dup {
					st.keys = append(st.keys, m.key)
				}
				st.vals[m.key] = m.raw
			}
			return st
		}
		p.expect(',')
	}
	return nil
}

type member struct {
	key string
	raw json.RawMessage
}

// unquote returns the JSON string p.b[start:end]. A key without escapes
// is a substring of one copy of the whole input, made on first use, so
// keys cost one allocation together rather than one each.
func (p *parser) unquote(start, end int) (string, error) {
	b := p.b[start:end]
	if len(b) < 2 || b[0] != '"' {
		return "", fmt.Errorf("not a string")
	}
	for _, c := range b[1 : len(b)-1] {
		if c == '\\' {
			if loneSurrogate(b) {
				// Go strings cannot hold one; decoding would turn distinct
				// keys into the same U+FFFD and silently drop values.
				return "", fmt.Errorf("lone UTF-16 surrogate in key")
			}
			var s string
			err := json.Unmarshal(b, &s)
			return s, err
		}
	}
	if p.s == "" {
		p.s = string(p.b)
	}
	return p.s[start+1 : end-1], nil
}

// loneSurrogate reports whether the JSON string b has a \uD800-\uDFFF
// escape that is not part of a high+low surrogate pair.
func loneSurrogate(b []byte) bool {
	hex4 := func(i int) (rune, bool) {
		if i+6 > len(b) || b[i] != '\\' || b[i+1] != 'u' {
			return 0, false
		}
		n, err := strconv.ParseUint(string(b[i+2:i+6]), 16, 16)
		return rune(n), err == nil
	}
	for i := 0; i < len(b); i++ {
		if b[i] != '\\' {
			continue
		}
		r, ok := hex4(i)
		switch {
		case !ok:
			i++ // a two-character escape such as \" or \\
		case r >= 0xD800 && r < 0xDC00: // high: a low must follow
			if lo, ok := hex4(i + 6); !ok || lo < 0xDC00 || lo > 0xDFFF {
				return true
			}
			i += 11
		case r >= 0xDC00 && r <= 0xDFFF:
			return true
		default:
			i += 5
		}
	}
	return false
}

// skipValue returns the offset just past the JSON value starting at i.
func (p *parser) skipValue(i int) int {
	b := p.b
	if i >= len(b) {
		return i
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for i < len(b) {
			switch b[i] {
			case '"':
				i = skipString(b, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return i
	default:
		for i < len(b) {
			switch b[i] {
			case ',', ']', '}', ' ', '\t', '\r', '\n', ':':
				return i
			}
			i++
		}
		return i
	}
}

func skipString(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return i
}
