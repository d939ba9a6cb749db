package engine

import (
	"fmt"
	"math"
	"strconv"
	"unsafe"

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
	for i, m := range s.members {
		if i > 0 {
			dst = append(dst, ", "...)
		}
		dst = pyjson.AppendString(dst, m.key)
		dst = append(dst, ": "...)
		dst = append(dst, m.raw...)
	}
	return append(dst, '}')
}

// ParsePayload parses a cookie payload. Unlike Python, it accepts only the
// shape Pyramid writes: a JSON array of two finite numbers and an object.
// Strings, booleans and NaN as timestamps, or a non-object state, are
// refused with ErrPayload, as is anything that is not valid UTF-8 JSON:
// checking and parsing are one pass. Keys and values of the returned
// state alias payload, which must not change afterwards.
func ParsePayload(payload []byte) (accessed, created float64, st *State, err error) {
	st = &State{members: make([]member, 0, 16)}
	accessed, created, err = parsePayloadInto(payload, st)
	if err != nil {
		return 0, 0, nil, err
	}
	return accessed, created, st, nil
}

// parsePayloadInto is ParsePayload filling a State the caller allocated.
func parsePayloadInto(payload []byte, st *State) (accessed, created float64, err error) {
	p := pyjson.NewParser(payload)
	p.Byte('[')
	accessed = number(&p)
	p.Byte(',')
	created = number(&p)
	p.Byte(',')
	object(&p, st)
	p.Byte(']')
	if !p.End() {
		return 0, 0, payloadErr(&p)
	}
	return accessed, created, nil
}

// ParseState parses a JSON object into a State, keeping key order (a
// repeated key keeps its first place and its last value, as in Python).
// Keys and values alias data, which must not change afterwards.
func ParseState(data []byte) (*State, error) {
	p := pyjson.NewParser(data)
	// The state and room for a typical session's members, in one allocation.
	w := &struct {
		st   State
		room [24]member
	}{}
	st := &w.st
	st.members = w.room[:0]
	object(&p, st)
	if !p.End() {
		return nil, payloadErr(&p)
	}
	return st, nil
}

func payloadErr(p *pyjson.Parser) error {
	return fmt.Errorf("%w: %w", ErrPayload, p.Err())
}

// number reads a timestamp: a finite JSON number.
func number(p *pyjson.Parser) float64 {
	lit, ok := p.Number()
	if !ok {
		return 0
	}
	// lit aliases the payload only for the call; ParseFloat's error
	// (which would keep it) is dropped.
	f, err := strconv.ParseFloat(unsafe.String(unsafe.SliceData(lit), len(lit)), 64)
	if err != nil || math.IsInf(f, 0) {
		p.Fail("number out of range")
		return 0
	}
	return f
}

// object reads the state object into st, which is empty. Members go
// straight into st.members (a loaded cookie session has room for a
// typical session's); a repeated key is looked for only when a cheap
// per-key class collides.
func object(p *pyjson.Parser, st *State) {
	var seen uint64 // one bit per (first byte, length) class of the keys so far
	p.Object(func(key, val []byte, escaped bool) bool {
		var k string
		if escaped {
			var lossy bool
			if k, lossy = pyjson.Unquote(key); lossy {
				// Go strings cannot hold a lone UTF-16 surrogate; decoding
				// would turn distinct keys into the same U+FFFD and
				// silently drop values.
				return false
			}
		} else if len(key) > 0 {
			// The input outlives the state and never changes, so the key
			// can be its bytes rather than a copy.
			k = unsafe.String(&key[0], len(key))
		}
		bit := uint64(1) << (uint(len(k)) % 64)
		if len(k) > 0 {
			bit = uint64(1) << ((uint(len(k)) + 7*uint(k[0])) % 64)
		}
		if seen&bit != 0 {
			if i := st.find(k); i >= 0 {
				st.members[i].raw = val // first place, last value
				return true
			}
		}
		seen |= bit
		st.add(k, val)
		return true
	})
}
