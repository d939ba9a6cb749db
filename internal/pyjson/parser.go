package pyjson

// Parser reads JSON of a shape the caller expects (such as Pyramid's
// [accessed, created, {state}]) while checking everything else, in one
// pass: every value it skips or returns is valid JSON and valid UTF-8, so
// no separate Valid call is needed. After the first failure every method
// fails; Err describes it.
type Parser struct {
	s scanner
}

// NewParser returns a Parser at the start of b.
func NewParser(b []byte) Parser { return Parser{s: scanner{b: b, strict: true}} }

// Offset is how far the parser has read.
func (p *Parser) Offset() int { return p.s.i }

// Err returns the first failure as a *SyntaxError, or nil.
func (p *Parser) Err() error { return p.s.err() }

// Fail records a failure of the expected shape at the current offset,
// unless an earlier failure was recorded.
func (p *Parser) Fail(msg string) { p.s.fail(p.s.i, msg) }

func (p *Parser) failed() bool { return p.s.errMsg != "" }

// Byte consumes c, one of '[', ']', ',', after optional white space.
func (p *Parser) Byte(c byte) bool {
	return !p.failed() && p.s.byte1(c, expectMsg(c))
}

func expectMsg(c byte) string {
	switch c {
	case '[':
		return "expected '['"
	case ']':
		return "expected ']'"
	case ',':
		return "expected ','"
	}
	return "unexpected character"
}

// End reports whether only white space is left.
func (p *Parser) End() bool { return !p.failed() && p.s.end() }

// Number returns the number literal that comes next.
func (p *Parser) Number() ([]byte, bool) {
	if p.failed() {
		return nil, false
	}
	if c := p.s.peek(); c != '-' && !isDigit(c) {
		return nil, p.s.fail(p.s.i, "expected a number")
	}
	start := p.s.i
	if !p.s.number() {
		return nil, false
	}
	return p.s.b[start:p.s.i], true
}

// Object reads the object that comes next and calls yield for each
// member in source order (duplicates included): key is the key's raw text
// between its quotes, escaped says whether it holds a backslash (then
// Unquote decodes it), val is the member's value exactly as written. Both
// alias the input. yield returning false stops with a failure.
func (p *Parser) Object(yield func(key, val []byte, escaped bool) bool) bool {
	if p.failed() {
		return false
	}
	s := &p.s
	if s.peek() != '{' {
		return s.fail(s.i, "expected an object")
	}
	empty, ok := s.open('{')
	if !ok || empty {
		return ok
	}
	for {
		if s.peek() != '"' {
			return s.fail(s.i, "expected object key string")
		}
		kstart := s.i
		escaped, ok := s.str()
		if !ok {
			return false
		}
		kend := s.i
		if !s.byte1(':', "expected ':' after object key") {
			return false
		}
		s.ws()
		vstart := s.i
		if !s.value() {
			return false
		}
		if !yield(s.b[kstart+1:kend-1:kend-1], s.b[vstart:s.i:s.i], escaped) {
			return s.fail(kstart, "refused object key")
		}
		more, ok := s.next('{')
		if !ok || !more {
			return ok
		}
	}
}
