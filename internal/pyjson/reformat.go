package pyjson

import "unicode/utf8"

// Reformat appends valid JSON src to dst re-emitted in the style of
// Python's json.dumps: separators ", " and ": ", no other whitespace, and
// every string literal rewritten in ensure_ascii form exactly as
// AppendString writes it (so "\u00E9", "é" and "\u00e9" all become
// "\u00e9", and "\/" becomes "/"). Escaped surrogates are copied as
// lower-case \u escapes whether paired or not, as Python round-trips
// them; raw invalid UTF-8 bytes become \ufffd.
//
// Unlike json.dumps(json.loads(src)), Reformat keeps number literals
// verbatim (1E5 stays 1E5, -0 stays -0) and keeps every object member in
// source order, including duplicate keys (Python would keep only the
// last value, at the first key's position). On genuine json.dumps output
// Reformat is therefore the identity.
//
// Reformat accepts exactly what json.Valid accepts (including nesting up
// to 10000 levels); otherwise it returns dst unchanged and a *SyntaxError.
func Reformat(dst, src []byte) ([]byte, error) {
	start := len(dst)
	out, err := reformat(dst, src)
	if err != nil {
		return dst[:start], err
	}
	return out, nil
}

func reformat(dst, src []byte) ([]byte, error) {
	s := scanner{b: src}
	dst, ok := s.reformat(dst)
	if !ok || !s.end() {
		return dst, s.err()
	}
	return dst, nil
}

// reformat re-emits the next value.
func (s *scanner) reformat(dst []byte) ([]byte, bool) {
	switch c := s.peek(); c {
	case '{', '[':
		empty, ok := s.open(c)
		if !ok {
			return dst, false
		}
		dst = append(dst, c)
		for more := !empty; more; {
			if c == '{' {
				if s.peek() != '"' {
					return dst, s.fail(s.i, "expected object key string")
				}
				if dst, ok = s.reformatString(dst); !ok || !s.byte1(':', "expected ':' after object key") {
					return dst, false
				}
				dst = append(dst, ':', ' ')
			}
			if dst, ok = s.reformat(dst); !ok {
				return dst, false
			}
			if more, ok = s.next(c); !ok {
				return dst, false
			}
			if more {
				dst = append(dst, ',', ' ')
			}
		}
		return append(dst, c+2), true
	case '"':
		return s.reformatString(dst)
	case 0:
		if s.i >= len(s.b) {
			return dst, s.fail(s.i, "unexpected end of input")
		}
	}
	start := s.i
	if !s.value() { // a literal or a number
		return dst, false
	}
	return append(dst, s.b[start:s.i]...), true
}

// reformatString checks the string at s.i and re-emits it in
// ensure_ascii form.
func (s *scanner) reformatString(dst []byte) ([]byte, bool) {
	start := s.i
	if _, ok := s.str(); !ok {
		return dst, false
	}
	return appendReformattedString(dst, s.b[start+1:s.i-1]), true
}

// appendReformattedString appends the checked string body src as
// AppendString would write the string it denotes, except that escaped
// surrogates (paired or not) are kept as lower-case \u escapes.
func appendReformattedString(dst, src []byte) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(src); {
		c := src[i]
		if safe[c] {
			i++
			continue
		}
		dst = append(dst, src[start:i]...)
		switch {
		case c == '\\':
			switch e := src[i+1]; e {
			case '"', '\\', 'n', 'r', 't', 'b', 'f':
				dst = append(dst, '\\', e)
				i += 2
			case '/':
				dst = append(dst, '/')
				i += 2
			default: // 'u'
				u, _ := hex4(src, i+2)
				switch {
				case u >= 0xd800 && u < 0xe000:
					// Surrogates (paired or lone) round-trip as themselves.
					dst = appendU4(dst, u)
				case u < utf8.RuneSelf:
					if safe[u] {
						dst = append(dst, byte(u))
					} else {
						dst = appendASCIIEscape(dst, byte(u))
					}
				default:
					dst = appendU4(dst, u)
				}
				i += 6
			}
		case c < utf8.RuneSelf: // DEL (control characters were refused)
			dst = appendASCIIEscape(dst, c)
			i++
		default:
			r, size := utf8.DecodeRune(src[i:])
			dst = appendRuneEscape(dst, r) // invalid byte: U+FFFD
			i += size
		}
		start = i
	}
	dst = append(dst, src[start:]...)
	return append(dst, '"')
}
