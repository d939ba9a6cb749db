package pyjson

import (
	"unicode/utf8"
)

const hexLower = "0123456789abcdef"

// safe[b] is true for the bytes Python's ensure_ascii encoder copies
// through unchanged: printable ASCII 0x20-0x7e except '"' and '\\'.
// Note that '/', '<', '>' and '&' are safe (Python does not escape them),
// while DEL (0x7f) is not.
var safe = func() (t [256]bool) {
	for c := 0x20; c < 0x7f; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// AppendString appends s to dst as a JSON string literal exactly as
// Python's json.dumps(s) (ensure_ascii=True) writes it:
//
//   - '"' and '\\' as \" and \\; \n \r \t \b \f as short escapes;
//   - other control characters (U+0000-U+001F) and DEL (U+007F) as \u00XX;
//   - every non-ASCII character as \uXXXX with lower-case hex digits, and
//     characters outside the Basic Multilingual Plane as a UTF-16
//     surrogate pair (😀 → \ud83d\ude00);
//   - everything else ('/', '<', '>', '&' included) unchanged.
//
// Python strings cannot hold invalid UTF-8; a Go string can. Each byte of
// s that is not part of a valid UTF-8 sequence is written as \ufffd (the
// replacement character), the same substitution encoding/json makes.
func AppendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if safe[c] {
			i++
			continue
		}
		dst = append(dst, s[start:i]...)
		if c < utf8.RuneSelf {
			dst = appendASCIIEscape(dst, c)
			i++
		} else {
			r, size := utf8.DecodeRuneInString(s[i:])
			// r is utf8.RuneError (U+FFFD) for an invalid byte (size 1).
			dst = appendRuneEscape(dst, r)
			i += size
		}
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// appendASCIIEscape appends the escape for an unsafe ASCII byte c.
func appendASCIIEscape(dst []byte, c byte) []byte {
	switch c {
	case '"':
		return append(dst, '\\', '"')
	case '\\':
		return append(dst, '\\', '\\')
	case '\n':
		return append(dst, '\\', 'n')
	case '\r':
		return append(dst, '\\', 'r')
	case '\t':
		return append(dst, '\\', 't')
	case '\b':
		return append(dst, '\\', 'b')
	case '\f':
		return append(dst, '\\', 'f')
	}
	return appendU4(dst, rune(c))
}

// appendRuneEscape appends the \u escape(s) for a non-ASCII rune r.
func appendRuneEscape(dst []byte, r rune) []byte {
	if r < 0x10000 {
		return appendU4(dst, r)
	}
	r -= 0x10000
	dst = appendU4(dst, 0xd800+(r>>10)&0x3ff)
	return appendU4(dst, 0xdc00+r&0x3ff)
}

// appendU4 appends \uXXXX for the 16-bit code unit u, lower-case hex.
func appendU4(dst []byte, u rune) []byte {
	return append(dst, '\\', 'u',
		hexLower[u>>12&0xf], hexLower[u>>8&0xf], hexLower[u>>4&0xf], hexLower[u&0xf])
}

// StringLen is len(AppendString(nil, s)), computed without writing.
func StringLen(s string) int {
	n := len(s) + 2
	for i := 0; i < len(s); {
		c := s[i]
		if safe[c] {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			switch c {
			case '"', '\\', '\n', '\r', '\t', '\b', '\f':
				n++ // a two-character escape
			default:
				n += 5 // \u00XX
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r >= 0x10000 {
			n += 12 - size // a surrogate pair
		} else {
			n += 6 - size
		}
		i += size
	}
	return n
}
