package vectors

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Some inputs are recorded only as Python source text: a factory call in
// a file's description, or repr(key) in a KeyError message. PyCall and
// PyLiteral read the literals the generator writes there: str (quoted
// either way, with Python's escapes), int, float, True, False and None.

// PyCall finds the first call of fn in text, e.g.
// "SignedCookieSessionFactory('s', reissue_time=None)", and returns its
// positional and keyword arguments.
func PyCall(text, fn string) (args []any, kwargs map[string]any, err error) {
	i := strings.Index(text, fn+"(")
	if i < 0 {
		return nil, nil, fmt.Errorf("vectors: no call of %s in %q", fn, text)
	}
	p := &pyParser{s: text, i: i + len(fn) + 1}
	kwargs = map[string]any{}
	for {
		p.ws()
		if p.peek() == ')' {
			return args, kwargs, nil
		}
		name := ""
		if j := p.ident(); j > p.i && j < len(p.s) && p.s[j] == '=' {
			name, p.i = p.s[p.i:j], j+1
		}
		v, err := p.literal()
		if err != nil {
			return nil, nil, err
		}
		if name == "" {
			args = append(args, v)
		} else {
			kwargs[name] = v
		}
		p.ws()
		switch p.peek() {
		case ',':
			p.i++
		case ')':
		default:
			return nil, nil, fmt.Errorf("vectors: bad argument list at %d in %q", p.i, text)
		}
	}
}

// PyLiteral parses text that is exactly one Python literal.
func PyLiteral(text string) (any, error) {
	p := &pyParser{s: text}
	p.ws()
	v, err := p.literal()
	if err != nil {
		return nil, err
	}
	if p.ws(); p.i != len(p.s) {
		return nil, fmt.Errorf("vectors: trailing text after literal in %q", text)
	}
	return v, nil
}

type pyParser struct {
	s string
	i int
}

func (p *pyParser) peek() byte {
	if p.i < len(p.s) {
		return p.s[p.i]
	}
	return 0
}

func (p *pyParser) ws() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t' || p.s[p.i] == '\n') {
		p.i++
	}
}

// ident returns the end of the identifier starting at p.i.
func (p *pyParser) ident() int {
	j := p.i
	for j < len(p.s) && (p.s[j] == '_' || p.s[j] >= 'a' && p.s[j] <= 'z' || p.s[j] >= 'A' && p.s[j] <= 'Z' || j > p.i && p.s[j] >= '0' && p.s[j] <= '9') {
		j++
	}
	return j
}

func (p *pyParser) literal() (any, error) {
	switch c := p.peek(); {
	case c == '\'' || c == '"':
		return p.str()
	case c == '-' || c == '+' || c == '.' || c >= '0' && c <= '9':
		j := p.i + 1
		for j < len(p.s) && strings.IndexByte("0123456789.eE+-_", p.s[j]) >= 0 {
			j++
		}
		lit := strings.ReplaceAll(p.s[p.i:j], "_", "")
		p.i = j
		if n, err := strconv.ParseInt(lit, 10, 64); err == nil {
			return n, nil
		}
		f, err := strconv.ParseFloat(lit, 64)
		if err != nil {
			return nil, fmt.Errorf("vectors: bad number %q", lit)
		}
		return f, nil
	}
	j := p.ident()
	word := p.s[p.i:j]
	p.i = j
	switch word {
	case "None":
		return nil, nil
	case "True":
		return true, nil
	case "False":
		return false, nil
	}
	return nil, fmt.Errorf("vectors: unsupported Python literal %q in %q", word, p.s)
}

func (p *pyParser) str() (string, error) {
	q := p.s[p.i]
	p.i++
	var b strings.Builder
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == q:
			p.i++
			return b.String(), nil
		case c != '\\':
			b.WriteByte(c)
			p.i++
			continue
		}
		if p.i+1 >= len(p.s) {
			break
		}
		e := p.s[p.i+1]
		p.i += 2
		switch e {
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case '\\', '\'', '"':
			b.WriteByte(e)
		case 'x', 'u', 'U':
			n := map[byte]int{'x': 2, 'u': 4, 'U': 8}[e]
			if p.i+n > len(p.s) {
				return "", fmt.Errorf("vectors: short \\%c escape in %q", e, p.s)
			}
			r, err := strconv.ParseUint(p.s[p.i:p.i+n], 16, 32)
			if err != nil || !utf8.ValidRune(rune(r)) {
				return "", fmt.Errorf("vectors: bad \\%c escape in %q", e, p.s)
			}
			b.WriteRune(rune(r))
			p.i += n
		default:
			b.WriteByte('\\')
			b.WriteByte(e)
		}
	}
	return "", fmt.Errorf("vectors: unterminated string in %q", p.s)
}
