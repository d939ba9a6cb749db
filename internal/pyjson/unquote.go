package pyjson

import (
	"unicode/utf16"
	"unicode/utf8"
)

// Unquote decodes the body of a JSON string the scanner accepted (the
// text between its quotes) exactly as encoding/json does: escapes
// decoded, surrogate pairs joined, and each lone surrogate escape and
// each invalid UTF-8 byte replaced by U+FFFD. lossy reports that a lone
// surrogate was replaced, which makes distinct inputs decode alike.
func Unquote(body []byte) (s string, lossy bool) {
	plain := true
	for _, c := range body {
		if c == '\\' || c >= utf8.RuneSelf {
			plain = false
			break
		}
	}
	if plain || (utf8.Valid(body) && !hasBackslash(body)) {
		return string(body), false
	}
	out := make([]byte, 0, len(body)+8)
	for i := 0; i < len(body); {
		c := body[i]
		switch {
		case c == '\\':
			switch e := body[i+1]; e {
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'u':
				r, _ := hex4(body, i+2)
				i += 6
				if utf16.IsSurrogate(r) {
					if r2, ok := escapedRune(body, i); ok {
						if pair := utf16.DecodeRune(r, r2); pair != utf8.RuneError {
							out = utf8.AppendRune(out, pair)
							i += 6
							continue
						}
					}
					r, lossy = utf8.RuneError, true
				}
				out = utf8.AppendRune(out, r)
				continue
			default: // '"', '\\', '/'
				out = append(out, e)
			}
			i += 2
		case c < utf8.RuneSelf:
			out = append(out, c)
			i++
		default:
			r, size := utf8.DecodeRune(body[i:])
			out = utf8.AppendRune(out, r) // an invalid byte is U+FFFD
			i += size
		}
	}
	return string(out), lossy
}

// escapedRune decodes the \uXXXX escape at body[i:], if there is one.
func escapedRune(body []byte, i int) (rune, bool) {
	if len(body)-i < 6 || body[i] != '\\' || body[i+1] != 'u' {
		return 0, false
	}
	return hex4(body, i+2)
}

func hasBackslash(b []byte) bool {
	for _, c := range b {
		if c == '\\' {
			return true
		}
	}
	return false
}
