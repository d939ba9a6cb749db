package settings

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"

	"gopkg.in/ini.v1"
)

// pasteLoadOptions make ini.v1 read a file the way Paste Deploy's
// configparser does (config-loading.md §2.3): no inline comments, quotes
// kept, indented continuation lines, no backslash continuation, '=' and ':'
// delimiters, case kept. Insensitive and AllowNonUniqueSections stay off:
// they break [DEFAULT] interpolation (§2.6).
var pasteLoadOptions = ini.LoadOptions{
	AllowPythonMultilineValues: true,
	IgnoreInlineComment:        true,
	PreserveSurroundedQuote:    true,
	IgnoreContinuation:         true,
	KeyValueDelimiters:         "=:",
	SkipUnrecognizableLines:    false,
}

// iniKey is one option line found by the index pass.
type iniKey struct {
	name  string // as written (stripped)
	line  int
	value string // configparser value: first line + stripped continuation lines
}

// iniSection is one section found by the index pass.
type iniSection struct {
	name  string
	line  int
	keys  []*iniKey
	byKey map[string]*iniKey
}

// iniIndex is the result of the index pass: positions, duplicates and
// syntax errors, which ini.v1 does not report (go-ini/ini#341).
type iniIndex struct {
	sections []*iniSection
	byName   map[string]*iniSection
	defaults *iniSection // [DEFAULT], possibly empty
	diags    Diagnostics
}

// indexINI scans data with configparser's grammar.
func indexINI(name string, data []byte) *iniIndex {
	ix := &iniIndex{byName: map[string]*iniSection{}}
	ix.defaults = &iniSection{name: ini.DefaultSection, byKey: map[string]*iniKey{}}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var cur *iniSection
	var last *iniKey
	lastIndent := 0
	pendingBlank := 0
	for i, raw := range strings.Split(string(data), "\n") {
		lineNo := i + 1
		line := strings.TrimRight(raw, "\r")
		stripped := strings.TrimSpace(line)
		indent := len(line) - len(strings.TrimLeft(line, " \t"))
		if stripped == "" {
			if last != nil {
				pendingBlank++
			}
			continue
		}
		if strings.HasPrefix(stripped, "#") || strings.HasPrefix(stripped, ";") {
			continue
		}
		if last != nil && indent > lastIndent {
			// Continuation line (configparser keeps interior blank lines).
			last.value += strings.Repeat("\n", pendingBlank) + "\n" + stripped
			pendingBlank = 0
			continue
		}
		pendingBlank = 0
		last = nil
		if strings.HasPrefix(stripped, "[") {
			end := strings.LastIndexByte(stripped, ']')
			if end < 1 || strings.TrimSpace(stripped[1:end]) == "" {
				ix.diags = append(ix.diags, CodeSyntax.diag("", fileOrigin(name, lineNo), fmt.Sprintf("malformed section header %s", quoteShort(stripped))))
				cur = nil
				continue
			}
			sname := stripped[1:end]
			if sname == ini.DefaultSection {
				cur = ix.defaults
				continue
			}
			if prev, ok := ix.byName[sname]; ok {
				ix.diags = append(ix.diags, CodeDuplicateSection.diag("", fileOrigin(name, lineNo),
					fmt.Sprintf("section [%s] already defined at line %d (Paste Deploy raises DuplicateSectionError)", sname, prev.line)))
				cur = prev
				continue
			}
			cur = &iniSection{name: sname, line: lineNo, byKey: map[string]*iniKey{}}
			ix.sections = append(ix.sections, cur)
			ix.byName[sname] = cur
			continue
		}
		d := strings.IndexAny(stripped, "=:")
		if d < 0 {
			ix.diags = append(ix.diags, CodeSyntax.diag("", fileOrigin(name, lineNo),
				fmt.Sprintf("expected 'key = value', got %s", quoteShort(stripped))))
			continue
		}
		key := strings.TrimSpace(stripped[:d])
		if key == "" {
			ix.diags = append(ix.diags, CodeSyntax.diag("", fileOrigin(name, lineNo), "empty key name before '='"))
			continue
		}
		if cur == nil {
			ix.diags = append(ix.diags, CodeSyntax.diag(key, fileOrigin(name, lineNo),
				"option outside any section (configparser raises MissingSectionHeaderError)"))
			continue
		}
		k := &iniKey{name: key, line: lineNo, value: strings.TrimSpace(stripped[d+1:])}
		if prev, ok := cur.byKey[key]; ok {
			ix.diags = append(ix.diags, CodeDuplicateKey.diag(key, fileOrigin(name, lineNo),
				fmt.Sprintf("already set at line %d in [%s] (Paste Deploy raises DuplicateOptionError)", prev.line, cur.name)))
		} else {
			cur.byKey[key] = k
			cur.keys = append(cur.keys, k)
		}
		last, lastIndent = k, indent
	}
	return ix
}

func fileOrigin(name string, line int) Origin {
	return Origin{Kind: OriginFile, Pos: Position{File: name, Line: line}}
}

// iniLineOf finds the first line whose text contains s (for ini.v1 errors,
// which carry no line number).
func iniLineOf(data []byte, s string) int {
	s = strings.TrimSpace(s)
	if s == "" {
		return 1
	}
	for i, l := range strings.Split(string(data), "\n") {
		if strings.Contains(l, s) {
			return i + 1
		}
	}
	return 1
}

// parseINI reads the session settings of a Paste Deploy file.
// section is the wanted section ("app:main"); explicit is false when the
// caller did not choose it, in which case a [session] section with bare
// keys is read as well.
func parseINI(src Source, section string, explicit bool) ([]entry, Diagnostics) {
	name := src.Name
	ix := indexINI(name, src.Data)
	ds := ix.diags
	for _, d := range ds {
		if d.Code == CodeSyntax.ID {
			// configparser stops at the first parsing error: no cascades.
			return nil, ds
		}
	}

	f, err := ini.LoadSources(pasteLoadOptions, src.Data)
	if err != nil {
		msg := err.Error()
		ds = append(ds, CodeSyntax.diag("", fileOrigin(name, iniLineOf(src.Data, lastField(msg))), "cannot parse INI: "+msg))
		return nil, ds
	}

	// Defaults for interpolation: here/__file__, then the file's [DEFAULT].
	defs := map[string]string{"here": src.here(), "__file__": src.file()}
	for _, k := range f.Section(ini.DefaultSection).Keys() {
		defs[k.Name()] = k.Value()
	}

	var targets []*iniSection
	want := section
	if want == "" {
		want = "app:main"
	}
	var matches []*iniSection
	for _, s := range ix.sections {
		if sectionMatches(s.name, want) {
			matches = append(matches, s)
		}
	}
	if len(matches) > 1 {
		ds = append(ds, CodeDuplicateSection.diag("", fileOrigin(name, matches[1].line),
			fmt.Sprintf("sections [%s] and [%s] both match %q (Paste Deploy: ambiguous section)", matches[0].name, matches[1].name, want)))
		return nil, ds
	}
	targets = append(targets, matches...)
	if !explicit {
		if s, ok := ix.byName["session"]; ok {
			targets = append(targets, s)
		}
	}
	if len(targets) == 0 {
		var names []string
		for _, s := range ix.sections {
			names = append(names, s.name)
		}
		d := CodeSectionMissing.diag("", Origin{Kind: OriginFile, Pos: Position{File: name}},
			fmt.Sprintf("section [%s] not found", want))
		if !explicit {
			d.Message = fmt.Sprintf("section [%s] (or [session]) not found", want)
		}
		d.Suggestion = suggest(want, names)
		ds = append(ds, d)
		return nil, ds
	}

	var out []entry
	for _, s := range targets {
		sec := f.Section(s.name)
		bare := s.name == "session"
		local := map[string]string{}
		for _, k := range sec.Keys() {
			local[k.Name()] = k.Value()
		}
		globals := map[string]string{} // Paste "set x = …" values
		for _, k := range s.keys {
			origin := fileOrigin(name, k.line)
			raw := k.value
			if v, ok := local[k.name]; ok {
				raw = normalizeContinuation(v)
			}
			val, ierr := interpolate(raw, local, defs, 0)
			if ierr != "" {
				ds = append(ds, CodeInterpolation.diag(k.name, origin, ierr+" (Paste Deploy raises an interpolation error)"))
				continue
			}
			optName := k.name
			switch {
			case strings.HasPrefix(optName, "set "):
				globals[strings.TrimSpace(optName[4:])] = val
				continue
			case strings.HasPrefix(optName, "get "):
				optName = strings.TrimSpace(optName[4:])
				ref := strings.TrimSpace(val)
				g, ok := globals[ref]
				if !ok {
					if dv, ok2 := defs[ref]; ok2 {
						g, ierr = interpolate(dv, defs, defs, 0)
						ok = ierr == ""
					}
				}
				if !ok {
					ds = append(ds, CodeInterpolation.diag(optName, origin, fmt.Sprintf("get %s = %s refers to an undefined global option", optName, ref)))
					continue
				}
				val = g
			}
			key := optName
			if bare {
				key = prefixSession + optName
			}
			if !inNamespace(key) {
				continue
			}
			if _, ok := defs[optName]; ok && ix.defaults.byKey[optName] != nil {
				dl := ix.defaults.byKey[optName].line
				ds = append(ds, CodeShadowedByDefault.diag(key, origin,
					fmt.Sprintf("also defined in [DEFAULT] (line %d); Paste Deploy drops this value from the app settings, so it is ignored here too", dl)))
				continue
			}
			if hasInlineComment(k.value) {
				ds = append(ds, CodeInlineComment.diag(key, origin,
					"value contains ' ;' or ' #': INI inline comments are not stripped (Paste Deploy keeps them in the value)"))
			}
			e := entry{raw: key, value: val, origin: origin}
			if bare {
				e.origin.RawKey = ""
			}
			out = append(out, e)
		}
	}
	return out, ds
}

// lastField returns the text after the last ": " of an ini.v1 error
// (usually the offending line).
func lastField(msg string) string {
	if i := strings.LastIndex(msg, ": "); i >= 0 {
		return msg[i+2:]
	}
	return msg
}

// sectionMatches applies Paste Deploy's section lookup: "app:main" matches
// [app:main], [app: main] and [application:main].
func sectionMatches(section, want string) bool {
	wp, wn, wok := strings.Cut(want, ":")
	if !wok {
		return section == want
	}
	sp, sn, ok := strings.Cut(section, ":")
	if !ok {
		return false
	}
	norm := func(p string) string {
		p = strings.TrimSpace(p)
		if p == "application" {
			return "app"
		}
		return p
	}
	return norm(sp) == norm(wp) && strings.TrimSpace(sn) == strings.TrimSpace(wn)
}

// normalizeContinuation strips each line of a multi-line value, as
// configparser does.
func normalizeContinuation(v string) string {
	if !strings.Contains(v, "\n") {
		return strings.TrimSpace(v)
	}
	lines := strings.Split(v, "\n")
	for i := range lines {
		lines[i] = strings.TrimSpace(lines[i])
	}
	return strings.Join(lines, "\n")
}

var inlineComment = regexp.MustCompile(`\s[;#]`)

func hasInlineComment(v string) bool { return inlineComment.MatchString(v) }

var interpName = regexp.MustCompile(`^%\(([^)]*)\)s`)

// interpolate applies configparser's BasicInterpolation: %(name)s from the
// section, then the defaults; %% is a literal %; anything else after % is
// an error; depth is limited to 10. It returns the message of the first
// error, or "".
func interpolate(v string, local, defs map[string]string, depth int) (string, string) {
	if !strings.Contains(v, "%") {
		return v, ""
	}
	if depth > 10 {
		return "", "interpolation is nested too deeply (more than 10 levels)"
	}
	var b strings.Builder
	for i := 0; i < len(v); {
		c := v[i]
		if c != '%' {
			b.WriteByte(c)
			i++
			continue
		}
		rest := v[i:]
		if strings.HasPrefix(rest, "%%") {
			b.WriteByte('%')
			i += 2
			continue
		}
		m := interpName.FindStringSubmatch(rest)
		if m == nil {
			return "", fmt.Sprintf("'%%' must be followed by '%%' or '(name)s', found %s", quoteShort(rest[:min(len(rest), 12)]))
		}
		ref := m[1]
		sub, ok := local[ref]
		scope := local
		if !ok {
			sub, ok = defs[ref]
			scope = defs
		}
		if !ok {
			return "", fmt.Sprintf("%%(%s)s refers to an undefined option", ref)
		}
		sub, msg := interpolate(normalizeContinuation(sub), scope, defs, depth+1)
		if msg != "" {
			return "", msg
		}
		b.WriteString(sub)
		i += len(m[0])
	}
	return b.String(), ""
}
