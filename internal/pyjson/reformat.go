package pyjson

import (
	"strconv"
	"unicode/utf8"
)

// SyntaxError is returned by Reformat (and by Append for an invalid
// json.RawMessage or json.Number) when the input is not valid JSON.
type SyntaxError struct {
	Offset int    // byte offset in the input where the error was detected
	msg    string // description
}

// Error describes the syntax error and its offset.
func (e *SyntaxError) Error() string {
	return "pyjson: invalid JSON at offset " + strconv.Itoa(e.Offset) + ": " + e.msg
}

func syntaxErr(off int, msg string) error { return &SyntaxError{Offset: off, msg: msg} }

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

const (
	stValue = iota // expecting a value
	stKey          // expecting an object key (after '{' or ',')
	stAfter        // a value has just ended
)

func reformat(dst, src []byte) ([]byte, error) {
	var stackBuf [64]byte
	stack := stackBuf[:0] // open containers: '{' or '['
	i := skipWS(src, 0)
	state := stValue
	var err error
	for {
		switch state {
		case stValue:
			if i >= len(src) {
				return dst, syntaxErr(i, "unexpected end of input")
			}
			switch c := src[i]; c {
			case '{', '[':
				if len(stack) >= maxNesting {
					return dst, syntaxErr(i, "exceeded max depth")
				}
				dst = append(dst, c)
				i = skipWS(src, i+1)
				closer := c + 2 // '}' or ']'
				if i < len(src) && src[i] == closer {
					dst = append(dst, closer)
					i++
					state = stAfter
					continue
				}
				stack = append(stack, c)
				if c == '{' {
					state = stKey
				}
				continue
			case '"':
				dst, i, err = reformatString(dst, src, i)
				if err != nil {
					return dst, err
				}
			case 't':
				if i, err = literal(src, i, "true"); err != nil {
					return dst, err
				}
				dst = append(dst, "true"...)
			case 'f':
				if i, err = literal(src, i, "false"); err != nil {
					return dst, err
				}
				dst = append(dst, "false"...)
			case 'n':
				if i, err = literal(src, i, "null"); err != nil {
					return dst, err
				}
				dst = append(dst, "null"...)
			default:
				end := scanNumber(src, i)
				if end < 0 {
					return dst, syntaxErr(i, "invalid character "+strconv.QuoteRune(rune(c))+" looking for a value")
				}
				dst = append(dst, src[i:end]...)
				i = end
			}
			state = stAfter
		case stKey:
			i = skipWS(src, i)
			if i >= len(src) || src[i] != '"' {
				return dst, syntaxErr(i, "expected object key string")
			}
			if dst, i, err = reformatString(dst, src, i); err != nil {
				return dst, err
			}
			i = skipWS(src, i)
			if i >= len(src) || src[i] != ':' {
				return dst, syntaxErr(i, "expected ':' after object key")
			}
			dst = append(dst, ':', ' ')
			i = skipWS(src, i+1)
			state = stValue
		case stAfter:
			i = skipWS(src, i)
			if len(stack) == 0 {
				if i != len(src) {
					return dst, syntaxErr(i, "invalid character after top-level value")
				}
				return dst, nil
			}
			if i >= len(src) {
				return dst, syntaxErr(i, "unexpected end of input")
			}
			top := stack[len(stack)-1]
			switch src[i] {
			case ',':
				dst = append(dst, ',', ' ')
				i = skipWS(src, i+1)
				if top == '{' {
					state = stKey
				} else {
					state = stValue
				}
			case top + 2: // matching '}' or ']'
				dst = append(dst, top+2)
				i++
				stack = stack[:len(stack)-1]
			default:
				return dst, syntaxErr(i, "expected ',' or end of "+containerName(top))
			}
		}
	}
}

func containerName(c byte) string {
	if c == '{' {
		return "object"
	}
	return "array"
}

func skipWS(src []byte, i int) int {
	for i < len(src) {
		switch src[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

func literal(src []byte, i int, lit string) (int, error) {
	if len(src)-i < len(lit) || string(src[i:i+len(lit)]) != lit {
		return i, syntaxErr(i, "invalid literal, expected "+lit)
	}
	return i + len(lit), nil
}

// scanNumber returns the end of the JSON number starting at s[i]
// (-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?), or -1 if there is none.
func scanNumber[T string | []byte](s T, i int) int {
	n := len(s)
	if i < n && s[i] == '-' {
		i++
	}
	switch {
	case i >= n:
		return -1
	case s[i] == '0':
		i++
	case '1' <= s[i] && s[i] <= '9':
		i++
		for i < n && isDigit(s[i]) {
			i++
		}
	default:
		return -1
	}
	if i < n && s[i] == '.' {
		i++
		if i >= n || !isDigit(s[i]) {
			return -1
		}
		for i < n && isDigit(s[i]) {
			i++
		}
	}
	if i < n && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < n && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if i >= n || !isDigit(s[i]) {
			return -1
		}
		for i < n && isDigit(s[i]) {
			i++
		}
	}
	return i
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// validNumber reports whether s is exactly one JSON number.
func validNumber(s string) bool { return scanNumber(s, 0) == len(s) }

// reformatString re-emits the string literal starting at src[i] (a '"')
// in ensure_ascii form and returns the index after its closing quote.
func reformatString(dst, src []byte, i int) ([]byte, int, error) {
	dst = append(dst, '"')
	i++
	start := i
	for i < len(src) {
		c := src[i]
		if safe[c] {
			i++
			continue
		}
		dst = append(dst, src[start:i]...)
		switch {
		case c == '"':
			return append(dst, '"'), i + 1, nil
		case c < 0x20:
			return dst, i, syntaxErr(i, "control character in string literal")
		case c == '\\':
			if i+1 >= len(src) {
				return dst, i, syntaxErr(i, "unexpected end of input in string escape")
			}
			switch e := src[i+1]; e {
			case '"', '\\', 'n', 'r', 't', 'b', 'f':
				dst = append(dst, '\\', e)
				i += 2
			case '/':
				dst = append(dst, '/')
				i += 2
			case 'u':
				u, ok := hex4(src, i+2)
				if !ok {
					return dst, i, syntaxErr(i, "invalid \\u escape")
				}
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
			default:
				return dst, i, syntaxErr(i, "invalid escape character "+strconv.QuoteRune(rune(e)))
			}
		case c < utf8.RuneSelf: // DEL
			dst = appendASCIIEscape(dst, c)
			i++
		default:
			r, size := utf8.DecodeRune(src[i:])
			dst = appendRuneEscape(dst, r) // invalid byte: U+FFFD
			i += size
		}
		start = i
	}
	return dst, i, syntaxErr(i, "unexpected end of input in string literal")
}

// hex4 decodes the four hex digits at src[i:i+4].
func hex4(src []byte, i int) (rune, bool) {
	if len(src)-i < 4 {
		return 0, false
	}
	var r rune
	for _, c := range src[i : i+4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}
