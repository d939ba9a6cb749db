package settings

import (
	"fmt"
	"hash/fnv"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/sessconf/sessconf/internal/conf"
)

// maxFindingsPerCode caps the diagnostics of one code: a file with 100,000
// unknown keys gets ten lines and a summary, not 100,000 lines.
const maxFindingsPerCode = 10

type loader struct {
	conf.Config

	diags Diagnostics
	count map[Code]int        // findings per code, reported or not
	seen  map[uint64]struct{} // hashes of the findings, to merge identical ones
	bad   map[string]bool     // keys whose value failed before decoding
	// pyramid holds what the Pyramid checks need from INI files.
	pyramid []*iniFacts

	// modes are the permission bits of the files read, by name;
	// secretFile is the path SESSION_SECRET_FILE named.
	modes      map[string]os.FileMode
	secretFile string

	// Results beyond Result, for the Report and tests.
	origins map[string]orig
	dialect conf.Dialect
}

func newLoader(c conf.Config) *loader {
	l := &loader{Config: c, count: map[Code]int{}, seen: map[uint64]struct{}{}, bad: map[string]bool{}}
	if l.Lookup == nil {
		l.Lookup = os.LookupEnv
		if !l.EnvironSet {
			l.Environ = os.Environ()
		}
	}
	return l
}

// full reports whether code c has reached its cap; it then counts one more
// finding that will only appear in the summary. Callers use it to skip the
// work of building a diagnostic (suggestions) that would be dropped.
func (l *loader) full(c Code) bool {
	if l.count[c] < maxFindingsPerCode {
		return false
	}
	l.count[c]++
	return true
}

func (l *loader) add(d Diagnostic) {
	// An identical finding (an alias used twice on one line) is merged.
	h := diagHash(d)
	if _, dup := l.seen[h]; dup {
		return
	}
	l.seen[h] = struct{}{}
	if l.full(d.Code) {
		return
	}
	l.count[d.Code]++
	l.diags = append(l.diags, d)
}

func (l *loader) addAll(ds Diagnostics) {
	for _, d := range ds {
		l.add(d)
	}
}

// summarise ends each capped listing with one line of the same code and
// severity that counts the findings left out (Diagnostic.Omitted).
func (l *loader) summarise() {
	for _, c := range slices.Sorted(maps.Keys(l.count)) {
		if n := l.count[c] - maxFindingsPerCode; n > 0 {
			d := c.diag("", orig{kind: fromDefault}, fmt.Sprintf("and %s more %s findings (only the first %d are listed)", thousands(n), c.name(), maxFindingsPerCode))
			d.Omitted = n
			// Placed at the last listed finding, so it sorts right after it.
			for _, last := range slices.Backward(l.diags) {
				if last.Code == c {
					d.Source, d.Pos, d.Env = last.Source, last.Pos, last.Env
					break
				}
			}
			l.diags = append(l.diags, d)
		}
	}
}

// diagHash identifies a finding by everything it prints.
func diagHash(d Diagnostic) uint64 {
	h := fnv.New64a()
	for _, s := range []string{string(d.Severity), string(d.Code), d.Key, d.Message, d.Suggestion, d.Source, d.Pos.File, strconv.Itoa(d.Pos.Line), d.Env} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return h.Sum64()
}

// thousands renders n with comma separators: 99,990.
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// source is the raw entries of one input.
type source struct {
	name    string
	entries []entry
}

func (l *loader) run() *Result {
	res := &Result{}
	var files []string
	var srcs []source
	for _, in := range l.Inputs {
		name, es, ok := l.readInput(in)
		if name != "" {
			files = append(files, name)
		}
		if ok {
			srcs = append(srcs, source{name, es})
		}
	}

	dialect := l.decideDialect(srcs)
	var layers []*layer
	if dialect == conf.DialectRedisSessions {
		layers = append(layers, redisDialectDefaults())
	}
	for _, s := range srcs {
		layers = append(layers, l.canonicalLayer(s.entries, dialect))
	}
	env, secretFile := l.envLayer()
	layers = append(layers, secretFile, env, l.overrideLayer())
	values, origins := merge(layers)

	o := Default()
	if dialect == conf.DialectRedisSessions {
		o.Type = TypeRedis
	}
	l.decodeInto(&o, values, origins)
	l.checkSecretPerms(origins)
	l.semantic(o, origins, dialect, firstFile(files))
	if l.Pyramid || len(l.pyramid) > 0 {
		l.checkPyramid(o)
	}

	l.summarise()
	l.origins, l.dialect = origins, dialect
	res.Options = o
	res.Diagnostics = l.diags
	sortDiagnostics(res.Diagnostics)
	if l.Report != nil {
		fillReport(l.Report, dialect, files, o, origins, l.bad, l.EnvPrefix)
	}
	return res
}

// firstFile is the first named file (or stdin) among the inputs; a missing
// secret is reported against it.
func firstFile(files []string) string {
	for _, f := range files {
		if !strings.HasPrefix(f, "<") || f == "<stdin>" {
			return f
		}
	}
	return ""
}

// decideDialect picks the redis.sessions dialect when only its keys are
// present (DialectAuto).
func (l *loader) decideDialect(srcs []source) conf.Dialect {
	if l.Dialect != conf.DialectAuto {
		return l.Dialect
	}
	hasSession, hasRedis := false, false
	for _, s := range srcs {
		for _, e := range s.entries {
			if isRedisDialectKey(e.raw) {
				hasRedis = true
			} else if inNamespace(e.raw) || strings.EqualFold(e.raw, "session") {
				hasSession = true
			}
		}
	}
	if hasRedis && !hasSession {
		return conf.DialectRedisSessions
	}
	return conf.DialectSession
}

// semantic runs the validation once and positions its findings by the
// origin of the key concerned; keys that failed to decode get no further
// findings (no cascades), and a file that could not be parsed gets none.
func (l *loader) semantic(o Options, origins map[string]orig, dialect conf.Dialect, first string) {
	for _, d := range l.diags {
		switch d.Code {
		case codeSyntax, codeSectionMissing, codeUnreadable:
			return
		}
	}
	for _, d := range validate(o) {
		if l.bad[d.Key] || (d.Code == codeSameSiteInsecure && l.bad["session.secure"]) ||
			(d.Code == codeSecretInvalid && l.bad["session.type"]) {
			continue
		}
		origin, ok := origins[d.Key]
		if !ok {
			origin = orig{kind: fromDefault}
		}
		if d.Code == codeRedisDefaultAddr {
			origin = origins["session.type"]
		}
		d.setOrigin(origin)
		d.Key = displayKey(d.Key, origin)
		if d.Code == codeSecretMissing {
			l.secretMissing(&d, origin, dialect, first)
		}
		l.add(d)
	}
}

func (l *loader) secretMissing(d *Diagnostic, origin orig, dialect conf.Dialect, first string) {
	env := envName(l.EnvPrefix, "session.secret")
	if dialect == conf.DialectRedisSessions {
		d.Key = "redis.sessions.secret"
		d.Message = "a secret is required (set redis.sessions.secret, or the " + env + " environment variable)"
	} else {
		d.Message = fmt.Sprintf("a secret is required (set session.secret in [%s], or the %s / %s_FILE environment variable)", l.Section, env, env)
	}
	if first != "" && origin.kind == fromDefault {
		d.setOrigin(orig{kind: fromFile, pos: Position{File: first}})
	}
	if l.RuntimeSecret {
		c := codeSecretFromEnv
		d.Severity, d.Code, d.Name = c.severity(), c, c.name()
		d.Message = fmt.Sprintf("not set in the configuration; it must come from %s at run time", env)
	}
}
