package settings

import (
	"strings"

	"github.com/sessconf/sessconf/internal/conf"
)

// Result is what Load found.
type Result struct {
	// Options are the effective options (defaults where a value could not
	// be decoded).
	Options Options
	// Diagnostics lists every error, warning and note, sorted by position.
	Diagnostics Diagnostics
}

// LoadOption configures Load.
type LoadOption func(*conf.Config)

// WithFiles layers more files after cfg, in order (later wins).
func WithFiles(paths ...string) LoadOption {
	return func(c *conf.Config) {
		for _, p := range paths {
			c.Inputs = append(c.Inputs, p)
		}
	}
}

// WithEnvPrefix sets the environment prefix: "MYAPP" reads
// MYAPP_SESSION_SECRET instead of SESSION_SECRET.
func WithEnvPrefix(prefix string) LoadOption {
	return func(c *conf.Config) { c.EnvPrefix = prefix }
}

// WithoutEnv ignores the environment.
func WithoutEnv() LoadOption { return func(c *conf.Config) { c.NoEnv = true } }

// WithSection selects the Paste Deploy section (default "app:main"; "app:
// main" and "application:main" match too). Without it, a [session] section
// with bare keys ("secret = …") is read as well.
func WithSection(name string) LoadOption {
	return func(c *conf.Config) { c.Section, c.ExplicitSection = name, true }
}

// WithOverrides adds explicit "key=value" overrides, the highest-precedence
// layer. Keys may be canonical ("session.timeout"), use the pynacl.session.
// prefix, or be bare option names ("timeout").
func WithOverrides(pairs ...string) LoadOption {
	return func(c *conf.Config) { c.Overrides = append(c.Overrides, pairs...) }
}

// WithPyramid declares that a Pyramid application (pyramid_nacl_session, or
// code feeding SignedCookieSessionFactory) reads the same INI files: every
// key or value of the app section that the Python side reads differently or
// rejects is a warning (SESSION-W015) with its position, and a missing
// "session.serializer = json" is an error (SESSION-E022), because Python
// would use pickle and the two applications could not read each other's
// cookies. YAML files, maps and the environment are Go-only and not checked.
func WithPyramid() LoadOption { return func(c *conf.Config) { c.Pyramid = true } }

// Load reads session settings and returns the effective options and every
// diagnostic.
//
// cfg is one of:
//   - string: a file path (.ini/.cfg/.conf: Paste Deploy INI; .yaml/.yml:
//     YAML; otherwise guessed from the content). Only regular files of at
//     most 1 MiB are read;
//   - map[string]string: a Paste-style settings dict (Pyramid's registry.settings);
//   - map[string]any: the same, values being strings or string lists;
//   - *viper.Viper: its settings form the file layer;
//   - Options (or *Options): validated as they are. Files, the
//     environment and overrides never apply to them: WithFiles,
//     WithEnvPrefix, WithSection, WithOverrides or WithPyramid given with
//     an Options value is an error (SESSION-E018), so a setting the caller
//     expects from them is never silently dropped; WithoutEnv is accepted;
//   - nil: only defaults, environment and overrides.
//
// Layers, lowest first: defaults < files in order < environment <
// overrides. The options are validated once. The error is non-nil iff at
// least one diagnostic is an error; it is a Diagnostics holding the errors
// (use errors.As). Warnings are only returned in Result.Diagnostics; Load
// never prints.
func Load(cfg any, opts ...LoadOption) (*Result, error) {
	c := conf.Config{Section: "app:main"}
	for _, o := range opts {
		o(&c)
	}
	var res *Result
	switch x := cfg.(type) {
	case Options:
		res = loadOptions(x, c)
	case *Options:
		o := Default()
		if x != nil {
			o = *x
		}
		res = loadOptions(o, c)
	default:
		if cfg != nil {
			c.Inputs = append([]any{cfg}, c.Inputs...)
		}
		res = newLoader(c).run()
	}
	return res, res.Diagnostics.Err()
}

// loadOptions validates Options given to Load, refusing the load options
// that cannot apply to them.
func loadOptions(o Options, c conf.Config) *Result {
	rep := c.Report
	res := &Result{Options: o, Diagnostics: validate(o)}
	var ignored []string
	for _, u := range []struct {
		set  bool
		name string
	}{
		{len(c.Inputs) > 0, "WithFiles"},
		{c.EnvPrefix != "" || c.EnvironSet || c.Lookup != nil, "WithEnvPrefix (the environment)"},
		{c.ExplicitSection, "WithSection"},
		{len(c.Overrides) > 0, "WithOverrides"},
		{c.Pyramid, "WithPyramid"},
	} {
		if u.set {
			ignored = append(ignored, u.name)
		}
	}
	if len(ignored) > 0 {
		res.Diagnostics = append(res.Diagnostics, codeUnsupportedOption.diag("", orig{kind: fromOptions},
			strings.Join(ignored, ", ")+" cannot apply to an Options value (files, environment and overrides are only read for a path, map or *viper.Viper); set the fields in Options instead"))
	}
	sortDiagnostics(res.Diagnostics)
	if rep != nil {
		origins := map[string]orig{}
		for _, k := range keyTable {
			origins[k.Name] = orig{kind: fromOptions}
		}
		fillReport(rep, conf.DialectSession, nil, o, origins, nil, "")
	}
	return res
}
