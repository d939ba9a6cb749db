package pyjson

import (
	"encoding/binary"
	"math/bits"
	"strconv"
	"unicode/utf8"
)

// The one JSON grammar of the module. scanner's primitives (white space,
// strings, numbers, literals, containers) are what Valid, Parser,
// Reformat and Decode are built on; each of them walks its input once.
// It accepts exactly what encoding/json accepts, nesting up to 10,000
// levels included; in strict mode (Valid, Parser) strings must also be
// valid UTF-8, as Python's bytes.decode('utf-8') requires.

// maxNesting is encoding/json's limit on nested arrays and objects.
const maxNesting = 10000

// SyntaxError is returned by Reformat, Decode and Parser (and by Append
// for an invalid json.RawMessage or json.Number) when the input is not
// valid JSON.
type SyntaxError struct {
	Offset int    // byte offset in the input where the error was detected
	msg    string // description
}

// Error describes the syntax error and its offset.
func (e *SyntaxError) Error() string {
	return "pyjson: invalid JSON at offset " + strconv.Itoa(e.Offset) + ": " + e.msg
}

func syntaxErr(off int, msg string) error { return &SyntaxError{Offset: off, msg: msg} }

type scanner struct {
	b      []byte
	i      int
	depth  int
	strict bool // strings must be valid UTF-8

	errOff int
	errMsg string // first failure; "" while there is none
}

// fail records the first failure at offset i and returns false.
func (s *scanner) fail(i int, msg string) bool {
	if s.errMsg == "" {
		s.errOff, s.errMsg = i, msg
	}
	return false
}

// err is the first failure as a *SyntaxError, or nil.
func (s *scanner) err() error {
	if s.errMsg == "" {
		return nil
	}
	return syntaxErr(s.errOff, s.errMsg)
}

// ws skips white space.
func (s *scanner) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\r', '\n':
			s.i++
		default:
			return
		}
	}
}

// peek skips white space and returns the next byte, 0 at the end.
func (s *scanner) peek() byte {
	s.ws()
	if s.i >= len(s.b) {
		return 0
	}
	return s.b[s.i]
}

// byte1 skips white space and consumes c, or fails.
func (s *scanner) byte1(c byte, msg string) bool {
	if s.peek() != c {
		return s.fail(s.i, msg)
	}
	s.i++
	return true
}

// end skips white space and reports whether nothing else follows.
func (s *scanner) end() bool {
	s.ws()
	return s.i == len(s.b) || s.fail(s.i, "invalid character after top-level value")
}

// value skips one value, checking it.
func (s *scanner) value() bool {
	switch c := s.peek(); c {
	case '{', '[':
		empty, ok := s.open(c)
		if !ok || empty {
			return ok
		}
		for {
			if c == '{' && !s.key() {
				return false
			}
			if !s.value() {
				return false
			}
			more, ok := s.next(c)
			if !ok || !more {
				return ok
			}
		}
	case '"':
		_, ok := s.str()
		return ok
	case 't':
		return s.literal("true")
	case 'f':
		return s.literal("false")
	case 'n':
		return s.literal("null")
	case 0:
		if s.i >= len(s.b) {
			return s.fail(s.i, "unexpected end of input")
		}
	}
	return s.number()
}

// open consumes the '{' or '[' at s.i and reports whether the container
// is empty (then its closer is consumed too).
func (s *scanner) open(c byte) (empty, ok bool) {
	if s.depth >= maxNesting {
		return false, s.fail(s.i, "exceeded max depth")
	}
	s.i++
	if s.peek() == c+2 { // '}' or ']'
		s.i++
		return true, true
	}
	s.depth++
	return false, true
}

// key consumes an object key and its ':'.
func (s *scanner) key() bool {
	if s.peek() != '"' {
		return s.fail(s.i, "expected object key string")
	}
	if _, ok := s.str(); !ok {
		return false
	}
	return s.byte1(':', "expected ':' after object key")
}

// next consumes what follows a member or element of the container opened
// by c: ',' (more follow) or the closer.
func (s *scanner) next(c byte) (more, ok bool) {
	switch s.peek() {
	case ',':
		s.i++
		return true, true
	case c + 2:
		s.i++
		s.depth--
		return false, true
	}
	if s.i >= len(s.b) {
		return false, s.fail(s.i, "unexpected end of input")
	}
	if c == '{' {
		return false, s.fail(s.i, "expected ',' or end of object")
	}
	return false, s.fail(s.i, "expected ',' or end of array")
}

func (s *scanner) literal(lit string) bool {
	if len(s.b)-s.i < len(lit) || string(s.b[s.i:s.i+len(lit)]) != lit {
		return s.fail(s.i, "invalid literal, expected "+lit)
	}
	s.i += len(lit)
	return true
}

func (s *scanner) number() bool {
	end := scanNumber(s.b, s.i)
	if end < 0 {
		return s.fail(s.i, "invalid character "+strconv.QuoteRune(rune(s.b[s.i]))+" looking for a value")
	}
	s.i = end
	return true
}

const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// plain8 reports whether none of the 8 bytes in x is a control
// character, '"', '\\' or non-ASCII: a run a string copies unchanged.
func plain8(x uint64) uint64 {
	zero := func(y uint64) uint64 { return (y - ones) &^ y } // high bit set in (at least) each zero byte
	return (x | (x-0x20*ones)&^x | zero(x^'"'*ones) | zero(x^'\\'*ones)) & highs
}

// str checks the string at s.i (a '"') and moves past its closing quote.
// escaped reports a backslash inside it.
func (s *scanner) str() (escaped, ok bool) {
	b := s.b
	i := s.i + 1
	for {
		for i+8 <= len(b) {
			if m := plain8(binary.LittleEndian.Uint64(b[i:])); m != 0 {
				// The lowest flagged byte is a real one: false positives
				// only arise above it.
				i += bits.TrailingZeros64(m) / 8
				break
			}
			i += 8
		}
		if i >= len(b) {
			return escaped, s.fail(i, "unexpected end of input in string literal")
		}
		switch c := b[i]; {
		case c == '"':
			s.i = i + 1
			return escaped, true
		case c == '\\':
			escaped = true
			if i+1 >= len(b) {
				return escaped, s.fail(i, "unexpected end of input in string escape")
			}
			switch b[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if _, ok := hex4(b, i+2); !ok {
					return escaped, s.fail(i, "invalid \\u escape")
				}
				i += 6
			default:
				return escaped, s.fail(i, "invalid escape character "+strconv.QuoteRune(rune(b[i+1])))
			}
		case c < 0x20:
			return escaped, s.fail(i, "control character in string literal")
		case c < utf8.RuneSelf || !s.strict:
			i++
		default:
			r, size := utf8.DecodeRune(b[i:])
			if r == utf8.RuneError && size == 1 {
				return escaped, s.fail(i, "invalid UTF-8 in string literal")
			}
			i += size
		}
	}
}

// Valid reports utf8.Valid(b) && json.Valid(b) in one pass.
func Valid(b []byte) bool {
	s := scanner{b: b, strict: true}
	return s.value() && s.end()
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
