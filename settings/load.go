package settings

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/spf13/viper"
)

// Source is configuration text that does not come from a named file on
// disk (stdin, an embedded file). Load accepts a Source or *Source as cfg,
// and WithSources adds more.
type Source struct {
	// Name is used in positions ("<stdin>", "app.ini").
	Name string
	// Format is "ini" or "yaml"; empty: guessed from Name's extension,
	// else from the content (a "[section]" line means INI).
	Format string
	// Data is the file content.
	Data []byte
	// Here is the directory %(here)s expands to; empty: Name's directory
	// when Name is a path, else the working directory.
	Here string
}

func (s Source) here() string {
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

func (s Source) file() string {
	if s.Name != "" && !strings.HasPrefix(s.Name, "<") {
		if abs, err := filepath.Abs(s.Name); err == nil {
			return abs
		}
	}
	return s.Name
}

// format resolves the input format of s.
func (s Source) format() string {
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
	for _, l := range strings.Split(string(s.Data), "\n") {
		t := strings.TrimSpace(l)
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

// Dialect selects which settings keys Load reads.
type Dialect int

const (
	// DialectAuto reads session.* and pynacl.session.* keys; when no such
	// key is present in any source, redis.sessions.* keys (the
	// pyramid_redis_sessions dialect) are read instead and imply type=redis.
	DialectAuto Dialect = iota
	// DialectSession reads only session.* and pynacl.session.* keys.
	DialectSession
	// DialectRedisSessions reads only redis.sessions.* keys, exactly like
	// pyramid_redis_sessions (session.* keys are ignored).
	DialectRedisSessions
)

// Result is what Load found.
type Result struct {
	// Options are the effective options (defaults where a value could not
	// be decoded).
	Options Options
	// Diagnostics lists every error and warning, sorted by position.
	Diagnostics Diagnostics
	// Origins tells, for every canonical key, where its effective value
	// came from.
	Origins map[string]Origin
	// Dialect is the dialect that was read (DialectSession or
	// DialectRedisSessions).
	Dialect Dialect
	// Files lists the sources read, in layering order.
	Files []string

	invalid map[string]bool
}

// Invalid reports whether the value configured for key (canonical name)
// could not be decoded; Options then holds the default for it.
func (r *Result) Invalid(key string) bool { return r.invalid[key] }

// LoadOption configures Load.
type LoadOption func(*loader)

// WithFiles layers more files after cfg, in order (later wins).
func WithFiles(paths ...string) LoadOption {
	return func(l *loader) {
		for _, p := range paths {
			l.inputs = append(l.inputs, p)
		}
	}
}

// WithSources layers more in-memory sources after cfg, in order.
func WithSources(srcs ...Source) LoadOption {
	return func(l *loader) {
		for _, s := range srcs {
			l.inputs = append(l.inputs, s)
		}
	}
}

// WithEnvPrefix sets the environment prefix: "MYAPP" reads
// MYAPP_SESSION_SECRET instead of SESSION_SECRET.
func WithEnvPrefix(prefix string) LoadOption {
	return func(l *loader) { l.envPrefix = prefix }
}

// WithoutEnv ignores the environment.
func WithoutEnv() LoadOption { return func(l *loader) { l.noEnv = true } }

// WithSection selects the Paste Deploy section (default "app:main"; "app:
// main" and "application:main" match too). Without it, a [session] section
// with bare keys ("secret = …") is read as well.
func WithSection(name string) LoadOption {
	return func(l *loader) { l.section, l.explicitSection = name, true }
}

// WithOverrides adds explicit "key=value" overrides, the highest-precedence
// layer. Keys may be canonical ("session.timeout"), use the pynacl.session.
// prefix, or be bare option names ("timeout").
func WithOverrides(pairs ...string) LoadOption {
	return func(l *loader) { l.overrides = append(l.overrides, pairs...) }
}

// WithEnvLookup replaces os.LookupEnv (for tests). Unknown-variable
// detection then only sees variables given by WithEnviron.
func WithEnvLookup(lookup func(string) (string, bool)) LoadOption {
	return func(l *loader) { l.lookup, l.environSet = lookup, true }
}

// WithEnviron uses environ ("NAME=value" strings, as os.Environ returns)
// as the environment, for lookups and unknown-variable detection.
func WithEnviron(environ []string) LoadOption {
	return func(l *loader) {
		m := map[string]string{}
		for _, kv := range environ {
			if k, v, ok := strings.Cut(kv, "="); ok {
				m[k] = v
			}
		}
		l.lookup = func(k string) (string, bool) { v, ok := m[k]; return v, ok }
		l.environ, l.environSet = environ, true
	}
}

// WithDialect selects the settings dialect (default DialectAuto).
func WithDialect(d Dialect) LoadOption { return func(l *loader) { l.dialect = d } }

// WithRuntimeSecret reports a missing secret as a warning (secret-from-env)
// instead of an error: for checking a file whose secret is supplied by the
// environment at run time (checkconf --no-env).
func WithRuntimeSecret() LoadOption { return func(l *loader) { l.runtimeSecret = true } }

// WithReadFile replaces os.ReadFile for named files and SESSION_SECRET_FILE.
func WithReadFile(read func(string) ([]byte, error)) LoadOption {
	return func(l *loader) { l.readFile = read }
}

type loader struct {
	inputs          []any
	envPrefix       string
	noEnv           bool
	section         string
	explicitSection bool
	overrides       []string
	lookup          func(string) (string, bool)
	environ         []string
	environSet      bool
	dialect         Dialect
	runtimeSecret   bool
	readFile        func(string) ([]byte, error)

	diags Diagnostics
	bad   map[string]bool // keys whose value failed before decoding
}

// entry is one raw setting read from a source.
type entry struct {
	raw    string // key as written ("Session.Secret", "redis.sessions.cookie_secure")
	value  any    // string or []string
	origin Origin
}

// layer is the canonical settings of one source.
type layer struct {
	values  map[string]any
	origins map[string]Origin
}

func newLayer() *layer { return &layer{values: map[string]any{}, origins: map[string]Origin{}} }

// Load reads session settings and returns the effective options, every
// diagnostic and the origin of every value.
//
// cfg is one of:
//   - string: a file path (.ini/.cfg/.conf: Paste Deploy INI; .yaml/.yml: YAML;
//     otherwise guessed from the content);
//   - Source or *Source: in-memory text;
//   - map[string]string: a Paste-style settings dict (Pyramid's registry.settings);
//   - map[string]any: the same, values being strings or string lists;
//   - *viper.Viper: its settings form the file layer;
//   - Options (or *Options): validated as-is (see Validate);
//   - nil: only defaults, environment and overrides.
//
// Layers, lowest first: defaults < files in order < environment <
// overrides. The error is non-nil iff at least one diagnostic is an error;
// it is a Diagnostics holding the errors (use errors.As). Warnings are only
// returned in Result.Diagnostics; Load never prints.
func Load(cfg any, opts ...LoadOption) (*Result, error) {
	l := &loader{section: "app:main", readFile: os.ReadFile}
	switch c := cfg.(type) {
	case Options:
		return loadOptions(c)
	case *Options:
		if c == nil {
			return loadOptions(Default())
		}
		return loadOptions(*c)
	case nil:
	default:
		l.inputs = append(l.inputs, cfg)
	}
	for _, o := range opts {
		o(l)
	}
	if l.lookup == nil {
		l.lookup = os.LookupEnv
		if !l.environSet {
			l.environ = os.Environ()
		}
	}
	res := l.run()
	return res, res.Diagnostics.Err()
}

func loadOptions(o Options) (*Result, error) {
	res := &Result{Options: o, Origins: map[string]Origin{}, Dialect: DialectSession}
	for _, k := range keyTable {
		res.Origins[k.Name] = Origin{Kind: OriginOptions}
	}
	res.Diagnostics = validate(o)
	res.Diagnostics.Sort()
	return res, res.Diagnostics.Err()
}

func (l *loader) add(d Diagnostic) { l.diags = append(l.diags, d) }

// readInput turns one input into raw entries.
func (l *loader) readInput(in any) (name string, es []entry, ok bool) {
	switch c := in.(type) {
	case string:
		data, err := l.readFile(c)
		if err != nil {
			l.add(CodeUnreadable.diag("", Origin{Kind: OriginFile, Pos: Position{File: c}}, fmt.Sprintf("cannot read file: %v", unwrapPathErr(err))))
			return c, nil, false
		}
		return l.readSource(Source{Name: c, Data: data})
	case Source:
		return l.readSource(c)
	case *Source:
		if c == nil {
			return "", nil, false
		}
		return l.readSource(*c)
	case map[string]string:
		for _, k := range slices.Sorted(maps.Keys(c)) {
			es = append(es, entry{raw: k, value: c[k], origin: Origin{Kind: OriginSettings}})
		}
		return "<settings>", es, true
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(c)) {
			es = append(es, entry{raw: k, value: anyValue(c[k]), origin: Origin{Kind: OriginSettings}})
		}
		return "<settings>", es, true
	case *viper.Viper:
		if c == nil {
			return "", nil, false
		}
		for _, k := range c.AllKeys() {
			es = append(es, entry{raw: k, value: anyValue(c.Get(k)), origin: Origin{Kind: OriginViper}})
		}
		return "<viper>", es, true
	default:
		l.add(CodeSyntax.diag("", Origin{Kind: OriginDefault}, fmt.Sprintf("unsupported configuration type %T", in)))
		return "", nil, false
	}
}

func unwrapPathErr(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

func (l *loader) readSource(s Source) (string, []entry, bool) {
	if s.Name == "" {
		s.Name = "<input>"
	}
	var es []entry
	var ds Diagnostics
	switch s.format() {
	case "ini":
		es, ds = parseINI(s, l.section, l.explicitSection)
	case "yaml":
		es, ds = parseYAML(s)
	default:
		l.add(CodeSyntax.diag("", Origin{Kind: OriginFile, Pos: Position{File: s.Name}}, fmt.Sprintf("unknown format %q (use ini or yaml)", s.Format)))
		return s.Name, nil, false
	}
	l.diags = append(l.diags, ds...)
	return s.Name, es, true
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

// inNamespace reports whether a (lower-cased or not) key belongs to one of
// the prefixes sessconf reads.
func inNamespace(key string) bool {
	k := strings.ToLower(key)
	return strings.HasPrefix(k, prefixSession) || strings.HasPrefix(k, prefixPyNaCl) || strings.HasPrefix(k, prefixRedisSession)
}

// optionNames lists the options (without prefix) for suggestions.
var optionNames = func() []string {
	var out []string
	for _, k := range keyTable {
		out = append(out, k.Option())
	}
	return out
}()

// canonical maps a session.* / pynacl.session.* key to its canonical name.
// known is false for unknown options; suggestion is then a did-you-mean.
func canonical(raw string) (name string, known bool, suggestion string) {
	lk := strings.ToLower(strings.TrimSpace(raw))
	opt, ok := strings.CutPrefix(lk, prefixSession)
	if !ok {
		opt, _ = strings.CutPrefix(lk, prefixPyNaCl)
	}
	if _, ok := keyIndex[prefixSession+opt]; ok {
		return prefixSession + opt, true, ""
	}
	norm := strings.NewReplacer("-", "_").Replace(opt)
	if _, ok := keyIndex[prefixSession+norm]; ok && norm != opt {
		return "", false, prefixSession + norm
	}
	flat := strings.ReplaceAll(norm, ".", "_")
	if _, ok := keyIndex[prefixSession+flat]; ok && flat != opt {
		return "", false, prefixSession + flat
	}
	if s := suggest(opt, optionNames); s != "" {
		return "", false, prefixSession + s
	}
	return "", false, ""
}

func (l *loader) run() *Result {
	res := &Result{Origins: map[string]Origin{}}

	// 1. Read every source.
	type src struct {
		name    string
		entries []entry
	}
	var srcs []src
	for _, in := range l.inputs {
		name, es, ok := l.readInput(in)
		if name != "" {
			res.Files = append(res.Files, name)
		}
		if ok {
			srcs = append(srcs, src{name, es})
		}
	}

	// 2. Decide the dialect.
	dialect := l.dialect
	if dialect == DialectAuto {
		dialect = DialectSession
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
			dialect = DialectRedisSessions
		}
	}
	res.Dialect = dialect

	// 3. Canonical layers, one per source.
	var layers []*layer
	if dialect == DialectRedisSessions {
		layers = append(layers, redisDialectDefaults())
	}
	for _, s := range srcs {
		layers = append(layers, l.canonicalLayer(s.entries, dialect))
	}

	// 4. Environment and overrides.
	envLayer, secretFileLayer := l.envLayer()
	overLayer := l.overrideLayer()

	// 5. Layer with viper: defaults < files < secret file < env < overrides.
	v := viper.New()
	for _, k := range keyTable {
		v.SetDefault(k.Name, k.Default())
	}
	all := append(append([]*layer{}, layers...), secretFileLayer, envLayer)
	for _, ly := range all {
		if len(ly.values) == 0 {
			continue
		}
		if err := v.MergeConfigMap(nest(ly.values)); err != nil {
			l.add(CodeSyntax.diag("", Origin{Kind: OriginDefault}, fmt.Sprintf("internal: merging a layer: %v", err)))
		}
	}
	for k, val := range overLayer.values {
		v.Set(k, val)
	}
	origins := map[string]Origin{}
	for _, ly := range append(all, overLayer) {
		maps.Copy(origins, ly.origins)
	}

	// 6. Decode.
	o := Default()
	if dialect == DialectRedisSessions {
		o.Type = TypeRedis
	}
	bad := map[string]bool{}
	maps.Copy(bad, l.bad)
	// socket_timeout first so that explicit read/write timeouts win.
	order := slices.Clone(keyTable)
	sort.SliceStable(order, func(i, j int) bool {
		return order[i].Name == "session.redis.socket_timeout" && order[j].Name != "session.redis.socket_timeout"
	})
	for _, k := range order {
		origin, set := origins[k.Name]
		if !set {
			res.Origins[k.Name] = Origin{Kind: OriginDefault}
			continue
		}
		res.Origins[k.Name] = origin
		raw := v.Get(k.Name)
		val, d := decode(k, anyValue(raw), o.Type)
		if d != nil {
			d.Origin = origin
			d.Key = displayKey(k.Name, origin)
			l.add(*d)
			bad[k.Name] = true
			continue
		}
		k.set(&o, val)
	}

	// 7. Semantic checks, positioned by origin; none for keys that failed
	// to decode (no cascades).
	firstFile := ""
	for _, f := range res.Files {
		if !strings.HasPrefix(f, "<") || f == "<stdin>" {
			firstFile = f
			break
		}
	}
	structural := false
	for _, d := range l.diags {
		switch d.Code {
		case CodeSyntax.ID, CodeSectionMissing.ID, CodeUnreadable.ID:
			structural = true
		}
	}
	var semantic Diagnostics
	if !structural {
		semantic = validate(o)
	}
	for _, d := range semantic {
		if bad[d.Key] || (d.Code == CodeSameSiteInsecure.ID && bad["session.secure"]) ||
			(d.Code == CodeSecretInvalid.ID && bad["session.type"]) {
			continue
		}
		origin, ok := origins[d.Key]
		if !ok {
			origin = Origin{Kind: OriginDefault}
		}
		d.Origin = origin
		d.Key = displayKey(d.Key, origin)
		if d.Code == CodeSecretMissing.ID {
			if dialect == DialectRedisSessions {
				d.Key = "redis.sessions.secret"
				d.Message = "a secret is required (set redis.sessions.secret, or the " + EnvName(l.envPrefix, "session.secret") + " environment variable)"
			} else {
				d.Message = fmt.Sprintf("a secret is required (set session.secret in [%s], or the %s / %s_FILE environment variable)",
					l.section, EnvName(l.envPrefix, "session.secret"), EnvName(l.envPrefix, "session.secret"))
			}
			if firstFile != "" && origin.Kind == OriginDefault {
				d.Origin = Origin{Kind: OriginFile, Pos: Position{File: firstFile}}
			}
			if l.runtimeSecret {
				c := CodeSecretFromEnv
				d.Severity, d.Code, d.Name = c.Severity, c.ID, c.Name
				d.Message = fmt.Sprintf("not set in the configuration; it must come from %s at run time", EnvName(l.envPrefix, "session.secret"))
			}
		}
		l.add(d)
	}

	res.Options = o
	res.invalid = bad
	res.Diagnostics = l.diags
	res.Diagnostics.Sort()
	return res
}

// displayKey is the key as the user wrote it, when known.
func displayKey(canon string, o Origin) string {
	if o.RawKey != "" {
		return o.RawKey
	}
	return canon
}

// decode turns a raw value into the key's Go value.
func decode(k Key, raw any, typ string) (any, *Diagnostic) {
	name := k.Name
	fail := func(c Code, err error) (any, *Diagnostic) {
		d := c.diag(name, Origin{}, strings.TrimPrefix(err.Error(), ErrInvalid.Error()+": "))
		return nil, &d
	}
	if k.Kind == KindList {
		switch x := raw.(type) {
		case []string:
			var out []string
			for _, e := range x {
				out = append(out, ParseList(e)...)
			}
			return out, nil
		case string:
			return ParseList(x), nil
		}
		return []string(nil), nil
	}
	s, ok := raw.(string)
	if !ok {
		d := CodeInvalidValue.diag(name, Origin{}, fmt.Sprintf("expected a single %s value, got a list", k.Kind))
		return nil, &d
	}
	switch k.Kind {
	case KindBool:
		b, err := ParseBool(s)
		if err != nil {
			return fail(CodeInvalidValue, err)
		}
		return b, nil
	case KindDuration:
		dur, err := ParseDuration(s)
		if err != nil {
			if isNegative(err) {
				return fail(CodeNegativeDuration, fmt.Errorf("negative duration %s (use 0, a positive number of seconds, or none)", quoteShort(s)))
			}
			return fail(CodeInvalidValue, err)
		}
		return dur, nil
	case KindTimeout:
		dur, err := parseTimeout(s)
		if err != nil {
			if isNegative(err) {
				return fail(CodeNegativeDuration, fmt.Errorf("negative duration %s", quoteShort(s)))
			}
			return fail(CodeInvalidValue, err)
		}
		return dur, nil
	case KindInt:
		n, err := ParseInt(s)
		if err != nil {
			return fail(CodeInvalidValue, err)
		}
		return n, nil
	}
	// Strings.
	switch name {
	case "session.secret", "session.redis.url", "session.redis.password":
		return strings.TrimSpace(s), nil
	case "session.serializer":
		return strings.TrimSpace(s), nil
	}
	if name == "session.samesite" && strings.TrimSpace(s) == "" {
		d := CodeSameSiteInvalid.diag(name, Origin{}, "empty samesite (use Strict, Lax or None)")
		return nil, &d
	}
	if k.norm != nil {
		if n, ok := k.norm(s); ok {
			return n, nil
		}
		return strings.TrimSpace(s), nil
	}
	return s, nil
}

func isNegative(err error) bool {
	for e := err; e != nil; {
		if e == ErrNegative {
			return true
		}
		switch u := e.(type) {
		case interface{ Unwrap() []error }:
			for _, x := range u.Unwrap() {
				if isNegative(x) {
					return true
				}
			}
			return false
		case interface{ Unwrap() error }:
			e = u.Unwrap()
		default:
			return false
		}
	}
	return false
}

// canonicalLayer turns the raw entries of one source into canonical keys,
// reporting unknown keys, case problems and prefix conflicts.
func (l *loader) canonicalLayer(es []entry, dialect Dialect) *layer {
	ly := newLayer()
	var redis []entry
	for _, e := range es {
		if isRedisDialectKey(e.raw) {
			if dialect == DialectRedisSessions {
				redis = append(redis, e)
			} else {
				l.add(CodeIgnoredOption.diag(e.raw, e.origin, "ignored: session.* keys are present, so the pyramid_redis_sessions dialect (redis.sessions.*) is not read"))
			}
			continue
		}
		lk := strings.ToLower(e.raw)
		if lk == "session" {
			l.add(CodeUnknownKey.diag(e.raw, e.origin, "\"session\" must be a map of options (session.secret, …); ignored"))
			continue
		}
		if !inNamespace(e.raw) {
			continue
		}
		if dialect == DialectRedisSessions {
			l.add(CodeIgnoredOption.diag(e.raw, e.origin, "ignored: the pyramid_redis_sessions dialect (redis.sessions.*) is read"))
			continue
		}
		l.addCanonical(ly, e)
	}
	if len(redis) > 0 {
		l.redisDialect(ly, redis)
	}
	return ly
}

// addCanonical adds a session.* / pynacl.session.* entry to a layer.
func (l *loader) addCanonical(ly *layer, e entry) {
	name, known, sug := canonical(e.raw)
	if !known {
		d := CodeUnknownKey.diag(e.raw, e.origin, "unknown setting; ignored")
		if strings.HasPrefix(strings.ToLower(e.raw), prefixPyNaCl) && sug != "" {
			sug = prefixPyNaCl + strings.TrimPrefix(sug, prefixSession)
		}
		d.Suggestion = sug
		l.add(d)
		return
	}
	origin := e.origin
	if e.raw != name {
		origin.RawKey = e.raw
	}
	if strings.ToLower(e.raw) != e.raw {
		d := CodeKeyCase.diag(e.raw, origin, fmt.Sprintf("key is not lower-case; sessconf reads it, but Python code reading settings[%q] (case-sensitive) would miss it", strings.ToLower(e.raw)))
		d.Suggestion = strings.ToLower(e.raw)
		l.add(d)
	}
	if prev, ok := ly.origins[name]; ok {
		if !sameValue(ly.values[name], e.value) {
			l.add(CodeAliasConflict.diag(e.raw, origin, fmt.Sprintf("conflicts with %s (%s): set the option once", displayKey(name, prev), prev)))
		}
		return
	}
	ly.values[name] = e.value
	ly.origins[name] = origin
}

func sameValue(a, b any) bool {
	as, aok := a.(string)
	bs, bok := b.(string)
	if aok && bok {
		return as == bs
	}
	al, aok := a.([]string)
	bl, bok := b.([]string)
	return aok && bok && slices.Equal(al, bl)
}

// envLayer reads the environment: one variable per key, plus
// <PREFIX_>SESSION_SECRET_FILE.
func (l *loader) envLayer() (env, secretFile *layer) {
	env, secretFile = newLayer(), newLayer()
	if l.noEnv {
		return env, secretFile
	}
	known := map[string]bool{}
	var names []string
	for _, k := range keyTable {
		n := EnvName(l.envPrefix, k.Name)
		known[n] = true
		names = append(names, n)
		if v, ok := l.lookup(n); ok && v != "" {
			env.values[k.Name] = v
			env.origins[k.Name] = Origin{Kind: OriginEnv, Env: n}
		}
	}
	secretEnv := EnvName(l.envPrefix, "session.secret")
	fileEnv := secretEnv + "_FILE"
	known[fileEnv] = true
	names = append(names, fileEnv)
	if path, ok := l.lookup(fileEnv); ok && path != "" {
		origin := Origin{Kind: OriginEnv, Env: fileEnv}
		l.bad = map[string]bool{"session.secret": true} // reset below on success
		if _, both := env.values["session.secret"]; both {
			l.add(CodeEnvConflict.diag("session.secret", origin, fmt.Sprintf("both %s and %s are set; set only one", secretEnv, fileEnv)))
		} else if data, err := l.readFile(path); err != nil {
			l.add(CodeEnvFile.diag("session.secret", origin, fmt.Sprintf("cannot read the secret file: %v", unwrapPathErr(err))))
		} else if s := strings.TrimSpace(string(data)); s == "" {
			l.add(CodeEnvFile.diag("session.secret", origin, "the secret file is empty"))
		} else {
			secretFile.values["session.secret"] = s
			secretFile.origins["session.secret"] = origin
			delete(l.bad, "session.secret")
		}
	}
	// Unknown variables that look like ours.
	pfx := EnvName(l.envPrefix, "session") + "_"
	for _, kv := range l.environ {
		n, _, _ := strings.Cut(kv, "=")
		if known[n] || !strings.HasPrefix(strings.ToUpper(n), pfx) {
			continue
		}
		d := CodeUnknownEnv.diag("", Origin{Kind: OriginEnv, Env: n}, "environment variable does not match any setting; ignored")
		d.Suggestion = suggest(strings.ToUpper(n), names)
		l.add(d)
	}
	return env, secretFile
}

// overrideLayer parses WithOverrides pairs.
func (l *loader) overrideLayer() *layer {
	ly := newLayer()
	for _, p := range l.overrides {
		k, val, ok := strings.Cut(p, "=")
		k = strings.TrimSpace(k)
		origin := Origin{Kind: OriginOverride}
		if !ok || k == "" {
			l.add(CodeSyntax.diag("", origin, fmt.Sprintf("override %s is not key=value", quoteShort(p))))
			continue
		}
		if !inNamespace(k) {
			if _, known := keyIndex[prefixSession+strings.ToLower(k)]; known {
				k = prefixSession + k
			} else if !strings.Contains(k, ".") {
				k = prefixSession + k
			}
		}
		if isRedisDialectKey(k) {
			l.add(CodeUnknownKey.diag(k, origin, "overrides use session.* keys; ignored"))
			continue
		}
		name, known, sug := canonical(k)
		if !known {
			d := CodeUnknownKey.diag(k, origin, "unknown setting; ignored")
			d.Suggestion = sug
			l.add(d)
			continue
		}
		ly.values[name] = val
		if k != name {
			origin.RawKey = k
		}
		ly.origins[name] = origin
	}
	return ly
}

// nest turns {"session.redis.url": v} into {"session": {"redis": {"url": v}}}
// (never literal dotted keys: viper mixes them badly, config-loading.md §1.2).
func nest(flat map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range flat {
		parts := strings.Split(k, ".")
		m := out
		for _, p := range parts[:len(parts)-1] {
			sub, ok := m[p].(map[string]any)
			if !ok {
				sub = map[string]any{}
				m[p] = sub
			}
			m = sub
		}
		m[parts[len(parts)-1]] = v
	}
	return out
}
