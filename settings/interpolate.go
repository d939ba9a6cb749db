package settings

import (
	"fmt"
	"strings"
)

// Bounds of INI interpolation. configparser limits only the depth (10), so
// a few hundred bytes of nested references expand to gigabytes; these
// bounds are far above any real configuration.
const (
	maxInterpDepth = 10
	maxInterpSize  = 64 << 10 // bytes of one expanded value
	maxInterpRefs  = 100_000  // references expanded in one file
)

// interpBudget counts the references expanded in one file.
type interpBudget struct{ refs int }

// interpolate applies configparser's BasicInterpolation: %(name)s from the
// section, then the defaults; %% is a literal %; anything else after % is
// an error. It returns the message of the first error, or "". show says
// whether v may be quoted in it: never for a secret key's value, and never
// text from a referenced option, which may be a secret.
func (b *interpBudget) interpolate(v string, local, defs map[string]string, show bool) (string, string) {
	if !strings.Contains(v, "%") {
		return v, ""
	}
	var out strings.Builder
	if msg := b.expand(&out, v, local, defs, 0, show); msg != "" {
		return "", msg
	}
	return out.String(), ""
}

func (b *interpBudget) expand(out *strings.Builder, v string, local, defs map[string]string, depth int, show bool) string {
	if depth > maxInterpDepth {
		return "interpolation is nested too deeply (more than 10 levels)"
	}
	for v != "" {
		i := strings.IndexByte(v, '%')
		if i < 0 {
			i = len(v)
		}
		if out.Len()+i > maxInterpSize {
			return fmt.Sprintf("interpolation expands to more than %d KiB", maxInterpSize>>10)
		}
		out.WriteString(v[:i])
		v = v[i:]
		if v == "" {
			break
		}
		if strings.HasPrefix(v, "%%") {
			out.WriteByte('%')
			v = v[2:]
			continue
		}
		ref, n := refName(v)
		if n == 0 {
			if !show {
				return "'%' must be followed by '%' or '(name)s' (write %% for a literal %; the text is not shown, it may be secret)"
			}
			return fmt.Sprintf("'%%' must be followed by '%%' or '(name)s', found %s", quoteShort(v[:min(len(v), 12)]))
		}
		v = v[n:]
		b.refs++
		if b.refs > maxInterpRefs {
			return fmt.Sprintf("more than %d interpolation references in the file", maxInterpRefs)
		}
		sub, ok := local[ref]
		if !ok {
			sub, ok = defs[ref]
		}
		if !ok {
			if !show {
				return "a %(name)s reference names an undefined option (the name is not shown, it may be part of a secret)"
			}
			return fmt.Sprintf("%%(%s)s refers to an undefined option", ref)
		}
		if !strings.Contains(sub, "%") {
			if out.Len()+len(sub) > maxInterpSize {
				return fmt.Sprintf("interpolation expands to more than %d KiB", maxInterpSize>>10)
			}
			out.WriteString(sub)
			continue
		}
		// configparser resolves nested names in the same section-then-
		// defaults map, even inside a value that came from the defaults.
		if msg := b.expand(out, sub, local, defs, depth+1, false); msg != "" {
			return msg
		}
	}
	return ""
}

// refName parses "%(name)s" at the start of v; n is its length, 0 when v
// does not start with one.
func refName(v string) (name string, n int) {
	if !strings.HasPrefix(v, "%(") {
		return "", 0
	}
	end := strings.IndexByte(v, ')')
	if end < 0 || end+1 >= len(v) || v[end+1] != 's' {
		return "", 0
	}
	return v[2:end], end + 2
}
