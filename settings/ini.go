package settings

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"

	"github.com/sessconf/sessconf/internal/conf"
)

// The INI grammar is configparser's as Paste Deploy configures it: '=' and
// ':' delimiters, option names keep their case, no inline comments (a ';'
// or '#' after a value belongs to the value), quotes kept, indented
// continuation lines (interior blank lines kept, each line stripped), no
// backslash continuation, [DEFAULT] values visible to interpolation. This
// is the only INI parser: it reads every line once, so loading is linear
// in the size of the file and values have no length limit.

const defaultSection = "DEFAULT"

// iniKey is one option.
type iniKey struct {
	name  string // as written (stripped)
	line  int
	lines []string // first line, then continuation lines ("" for interior blanks)
	// continued is true when the value starts on a continuation line
	// ("secret =" followed by an indented line).
	continued bool
}

// value is configparser's value: the lines joined with newlines.
func (k *iniKey) value() string {
	if len(k.lines) == 1 {
		return k.lines[0]
	}
	return strings.Join(k.lines, "\n")
}

// iniSection is one section.
type iniSection struct {
	name  string
	line  int
	keys  []*iniKey
	byKey map[string]*iniKey
}

// iniFile is a parsed file: its sections and its syntax findings.
type iniFile struct {
	sections []*iniSection
	byName   map[string]*iniSection
	defaults *iniSection // [DEFAULT], possibly empty
	diags    Diagnostics
}

// parseINIFile reads data with configparser's grammar.
func parseINIFile(name string, data []byte) *iniFile {
	f := &iniFile{byName: map[string]*iniSection{}}
	f.defaults = &iniSection{name: defaultSection, byKey: map[string]*iniKey{}}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var cur *iniSection
	var last *iniKey
	lastIndent, pendingBlank := 0, 0
	rest := string(data)
	for lineNo := 1; rest != "" || lineNo == 1; lineNo++ {
		var line string
		line, rest, _ = strings.Cut(rest, "\n")
		line = strings.TrimRight(line, "\r")
		stripped := strings.TrimSpace(line)
		indent := len(line) - len(strings.TrimLeft(line, " \t"))
		if stripped == "" {
			if last != nil {
				pendingBlank++
			}
			if rest == "" {
				break
			}
			continue
		}
		if stripped[0] == '#' || stripped[0] == ';' {
			continue
		}
		if last != nil && indent > lastIndent {
			for ; pendingBlank > 0; pendingBlank-- {
				last.lines = append(last.lines, "")
			}
			if len(last.lines) == 1 && last.lines[0] == "" {
				last.continued = true // configparser keeps the empty first line: "\nvalue"
			}
			last.lines = append(last.lines, stripped)
			continue
		}
		pendingBlank = 0
		last = nil
		if stripped[0] == '[' {
			cur = f.section(name, lineNo, stripped)
			continue
		}
		d := strings.IndexAny(stripped, "=:")
		if d < 0 {
			f.diags = append(f.diags, codeSyntax.diag("", fileOrigin(name, lineNo), noLineText("expected 'key = value', a [section] header or a comment")))
			continue
		}
		key := strings.TrimSpace(stripped[:d])
		switch {
		case key == "":
			f.diags = append(f.diags, codeSyntax.diag("", fileOrigin(name, lineNo), "empty key name before '='"))
			continue
		case cur == nil:
			f.diags = append(f.diags, codeSyntax.diag(key, fileOrigin(name, lineNo), "option outside any section (configparser raises MissingSectionHeaderError)"))
			continue
		}
		k := &iniKey{name: key, line: lineNo, lines: []string{strings.TrimSpace(stripped[d+1:])}}
		if prev, ok := cur.byKey[key]; ok {
			f.diags = append(f.diags, codeDuplicateKey.diag(key, fileOrigin(name, lineNo),
				fmt.Sprintf("already set at line %d in [%s] (Paste Deploy raises DuplicateOptionError)", prev.line, cur.name)))
		} else {
			cur.byKey[key] = k
			cur.keys = append(cur.keys, k)
		}
		last, lastIndent = k, indent
	}
	return f
}

// section handles a section header line; it returns the current section
// (nil after a malformed header).
func (f *iniFile) section(name string, lineNo int, stripped string) *iniSection {
	end := strings.LastIndexByte(stripped, ']')
	if end < 1 || strings.TrimSpace(stripped[1:end]) == "" {
		f.diags = append(f.diags, codeSyntax.diag("", fileOrigin(name, lineNo), noLineText("malformed section header, expected '[name]'")))
		return nil
	}
	sname := stripped[1:end]
	if sname == defaultSection {
		return f.defaults
	}
	if prev, ok := f.byName[sname]; ok {
		f.diags = append(f.diags, codeDuplicateSection.diag("", fileOrigin(name, lineNo),
			fmt.Sprintf("section [%s] already defined at line %d (Paste Deploy raises DuplicateSectionError)", sname, prev.line)))
		return prev
	}
	s := &iniSection{name: sname, line: lineNo, byKey: map[string]*iniKey{}}
	f.sections = append(f.sections, s)
	f.byName[sname] = s
	return s
}

// iniFacts is what the Pyramid checks need to know about an INI file.
type iniFacts struct {
	name    string
	section *iniSection // the app section read
	paste   bool        // it has "use = egg:…" (a Paste Deploy application)
}

// parseINI reads the session settings of a Paste Deploy file. section is
// the wanted section ("app:main"); explicit is false when the caller did
// not choose it, in which case a [session] section with bare keys is read
// as well.
func parseINI(src conf.Source, section string, explicit bool) ([]entry, Diagnostics, *iniFacts) {
	name := src.Name
	f := parseINIFile(name, src.Data)
	ds := f.diags
	for _, d := range ds {
		if d.Code == codeSyntax {
			// configparser stops at the first parsing error: no cascades.
			return nil, ds, nil
		}
	}

	targets, d := f.targets(name, section, explicit)
	if d != nil {
		return nil, append(ds, *d), nil
	}
	var facts *iniFacts
	if s := targets[0]; s.name != "session" {
		use := s.byKey["use"]
		facts = &iniFacts{name: name, section: s, paste: use != nil && strings.HasPrefix(strings.TrimSpace(use.value()), "egg:")}
	}

	// Defaults for interpolation: here/__file__, then the file's [DEFAULT].
	defs := map[string]string{"here": sourceHere(src), "__file__": sourceFile(src)}
	for _, k := range f.defaults.keys {
		defs[k.name] = k.value()
	}
	budget := &interpBudget{}
	var out []entry
	for _, s := range targets {
		es, sds := readSection(name, s, f.defaults, defs, budget)
		out = append(out, es...)
		ds = append(ds, sds...)
	}
	return out, ds, facts
}

// targets finds the sections to read.
func (f *iniFile) targets(name, want string, explicit bool) ([]*iniSection, *Diagnostic) {
	if want == "" {
		want = "app:main"
	}
	var matches []*iniSection
	for _, s := range f.sections {
		if sectionMatches(s.name, want) {
			matches = append(matches, s)
		}
	}
	if len(matches) > 1 {
		d := codeDuplicateSection.diag("", fileOrigin(name, matches[1].line),
			fmt.Sprintf("sections [%s] and [%s] both match %q (Paste Deploy: ambiguous section)", matches[0].name, matches[1].name, want))
		return nil, &d
	}
	targets := matches
	if !explicit {
		if s, ok := f.byName["session"]; ok {
			targets = append(targets, s)
		}
	}
	if len(targets) > 0 {
		return targets, nil
	}
	var names []string
	for _, s := range f.sections {
		names = append(names, s.name)
	}
	d := codeSectionMissing.diag("", orig{kind: fromFile, pos: Position{File: name}}, fmt.Sprintf("section [%s] not found", want))
	if !explicit {
		d.Message = fmt.Sprintf("section [%s] (or [session]) not found", want)
	}
	d.Suggestion = suggest(want, names)
	return nil, &d
}

// readSection turns the options of one section into entries. Only keys
// sessconf reads are interpolated: Python would interpolate every key, but
// a key sessconf ignores cannot change the session settings.
func readSection(name string, s *iniSection, defaults *iniSection, defs map[string]string, budget *interpBudget) ([]entry, Diagnostics) {
	var out []entry
	var ds Diagnostics
	bare := s.name == "session"
	local := make(map[string]string, len(s.keys))
	for _, k := range s.keys {
		local[k.name] = k.value()
	}
	globals := map[string]string{} // Paste "set x = …" values, interpolated lazily
	for _, k := range s.keys {
		if strings.HasPrefix(k.name, "set ") {
			globals[strings.TrimSpace(k.name[4:])] = k.value()
		}
	}
	for _, k := range s.keys {
		origin := fileOrigin(name, k.line)
		optName := k.name
		if strings.HasPrefix(optName, "set ") {
			continue
		}
		isGet := strings.HasPrefix(optName, "get ")
		if isGet {
			optName = strings.TrimSpace(optName[4:])
		}
		key := optName
		if bare {
			key = prefixSession + optName
		}
		if !inNamespace(key) {
			continue
		}
		show := !maySecret(optName)
		val, ierr := budget.interpolate(k.value(), local, defs, show)
		if ierr != "" {
			ds = append(ds, codeInterpolation.diag(k.name, origin, ierr+" (Paste Deploy raises an interpolation error)"))
			continue
		}
		if isGet {
			ref := strings.TrimSpace(val)
			// Paste Deploy's global_conf holds "set" values read through
			// this section and [DEFAULT] values interpolated within
			// [DEFAULT] alone (its defaults()), so the scope differs here.
			g, ok := globals[ref]
			scope := local
			if !ok {
				g, ok = defs[ref]
				scope = defs
			}
			if !ok {
				msg := fmt.Sprintf("get %s = %s refers to an undefined global option", optName, ref)
				if !show {
					msg = fmt.Sprintf("get %s refers to an undefined global option", optName)
				}
				ds = append(ds, codeInterpolation.diag(optName, origin, msg))
				continue
			}
			if val, ierr = budget.interpolate(g, scope, defs, false); ierr != "" {
				ds = append(ds, codeInterpolation.diag(optName, origin, ierr+" (Paste Deploy raises an interpolation error)"))
				continue
			}
		}
		if dk := defaults.byKey[optName]; dk != nil {
			ds = append(ds, codeShadowedByDefault.diag(key, origin,
				fmt.Sprintf("also defined in [DEFAULT] (line %d); Paste Deploy drops this value from the app settings, so it is ignored here too", dk.line)))
			continue
		}
		if hasInlineComment(k.value()) {
			ds = append(ds, codeInlineComment.diag(key, origin,
				"value contains ' ;' or ' #': INI inline comments are not stripped (Paste Deploy keeps them in the value)"))
		}
		out = append(out, entry{raw: key, value: val, origin: origin})
	}
	return out, ds
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

var inlineComment = regexp.MustCompile(`\s[;#]`)

func hasInlineComment(v string) bool { return inlineComment.MatchString(v) }
