package settings

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/viper"

	"github.com/sessconf/sessconf/internal/conf"
)

// entry is one raw setting read from a source.
type entry struct {
	raw    string // key as written ("Session.Secret", "redis.sessions.cookie_secure")
	value  any    // string or []string
	origin orig
}

// readInput turns one input into raw entries.
func (l *loader) readInput(in any) (name string, es []entry, ok bool) {
	switch c := in.(type) {
	case string:
		data, err := l.readConfigFile(c)
		if err != nil {
			l.add(codeUnreadable.diag("", orig{kind: fromFile, pos: Position{File: c}}, fmt.Sprintf("cannot read file: %v", unwrapPathErr(err))))
			return c, nil, false
		}
		return l.readSource(conf.Source{Name: c, Data: data})
	case conf.Source:
		if int64(len(c.Data)) > conf.MaxConfigSize {
			l.add(codeUnreadable.diag("", orig{kind: fromFile, pos: Position{File: c.Name}}, "cannot read file: "+conf.LimitError(c.Name, conf.MaxConfigSize).Error()))
			return c.Name, nil, false
		}
		return l.readSource(c)
	case map[string]string:
		for _, k := range slices.Sorted(maps.Keys(c)) {
			es = append(es, entry{raw: k, value: c[k], origin: orig{kind: fromSettings}})
		}
		return "<settings>", es, true
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(c)) {
			es = append(es, entry{raw: k, value: anyValue(c[k]), origin: orig{kind: fromSettings}})
		}
		return "<settings>", es, true
	case *viper.Viper:
		if c == nil {
			return "", nil, false
		}
		for _, k := range c.AllKeys() {
			es = append(es, entry{raw: k, value: anyValue(c.Get(k)), origin: orig{kind: fromViper}})
		}
		return "<viper>", es, true
	default:
		l.add(codeSyntax.diag("", orig{kind: fromDefault}, fmt.Sprintf("unsupported configuration type %T", in)))
		return "", nil, false
	}
}

// readConfigFile reads a named configuration file within its size limit.
func (l *loader) readConfigFile(path string) ([]byte, error) {
	data, fi, err := conf.ReadRegularInfo(path, conf.MaxConfigSize)
	if err == nil {
		l.noteMode(path, fi)
	}
	return data, err
}

func unwrapPathErr(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func (l *loader) readSource(s conf.Source) (string, []entry, bool) {
	if s.Name == "" {
		s.Name = "<input>"
	}
	switch sourceFormat(s) {
	case "ini":
		es, ds, facts := parseINI(s, l.Section, l.ExplicitSection)
		l.addAll(ds)
		if facts != nil {
			l.pyramid = append(l.pyramid, facts)
		}
		return s.Name, es, true
	case "yaml":
		es, ds := parseYAML(s)
		l.addAll(ds)
		return s.Name, es, true
	}
	l.add(codeSyntax.diag("", orig{kind: fromFile, pos: Position{File: s.Name}}, fmt.Sprintf("unknown format %q (use ini or yaml)", s.Format)))
	return s.Name, nil, false
}

// sourceHere is the directory %(here)s expands to.
func sourceHere(s conf.Source) string {
	if s.Here != "" {
		return s.Here
	}
	if s.Name != "" && !strings.HasPrefix(s.Name, "<") {
		if abs, err := filepath.Abs(s.Name); err == nil {
			return filepath.Dir(abs)
		}
	}
	wd, _ := os.Getwd()
	return wd
}

// sourceFile is what %(__file__)s expands to.
func sourceFile(s conf.Source) string {
	if s.Name != "" && !strings.HasPrefix(s.Name, "<") {
		if abs, err := filepath.Abs(s.Name); err == nil {
			return abs
		}
	}
	return s.Name
}

// sourceFormat resolves the input format: the declared one, else the
// extension, else the first significant line ("[section]" means INI).
func sourceFormat(s conf.Source) string {
	if f := strings.ToLower(s.Format); f != "" {
		if f == "yml" {
			return "yaml"
		}
		return f
	}
	switch strings.ToLower(filepath.Ext(s.Name)) {
	case ".ini", ".cfg", ".conf":
		return "ini"
	case ".yaml", ".yml":
		return "yaml"
	}
	rest := string(s.Data)
	for rest != "" {
		var line string
		line, rest, _ = strings.Cut(rest, "\n")
		t := strings.TrimSpace(line)
		if t == "" || t[0] == '#' || t[0] == ';' {
			continue
		}
		if t[0] == '[' && strings.HasSuffix(t, "]") {
			return "ini"
		}
		break
	}
	return "yaml"
}

// anyValue converts a decoded value (viper, map[string]any) into a string
// or a string list.
func anyValue(v any) any {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case []string:
		return x
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			out = append(out, fmt.Sprint(e))
		}
		return out
	case time.Duration:
		return x.String()
	case fmt.Stringer:
		return x.String()
	}
	return fmt.Sprint(v)
}
