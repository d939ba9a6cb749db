// Package conf holds what settings.Load needs beyond its public options:
// the hooks tests use (environment), checkconf's options
// (dialect, in-memory sources, runtime secret) and the Report through which
// checkconf and the documentation see the key table, the origins of values
// and the diagnostic codes. Every With function returns a value assignable
// to settings.LoadOption.
package conf

import "strings"

// Dialect selects which settings keys Load reads.
type Dialect int

const (
	// DialectAuto reads session.* and pynacl.session.* keys; when no such
	// key is present in any source, redis.sessions.* keys (the
	// pyramid_redis_sessions dialect) are read instead and imply type=redis.
	DialectAuto Dialect = iota
	// DialectSession reads only session.* and pynacl.session.* keys.
	DialectSession
	// DialectRedisSessions reads only redis.sessions.* keys, as
	// pyramid_redis_sessions does (session.* keys are ignored).
	DialectRedisSessions
)

// Source is configuration text that does not come from a named file
// (stdin, an embedded file).
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

// Config is what the load options of settings set.
type Config struct {
	Inputs          []any // file paths, Sources, maps, *viper.Viper, in layering order
	EnvPrefix       string
	NoEnv           bool
	Section         string
	ExplicitSection bool
	Overrides       []string
	// Lookup replaces os.LookupEnv; Environ lists the variables scanned for
	// unknown names and service links.
	Lookup     func(string) (string, bool)
	Environ    []string
	EnvironSet bool
	Dialect    Dialect
	// RuntimeSecret reports a missing secret as a warning: the file is
	// checked alone and the secret comes from the environment at run time.
	RuntimeSecret bool
	// Pyramid: the file is also read by a Pyramid application.
	Pyramid bool
	// Report, when set, receives the details of the load.
	Report *Report
}

// WithEnvLookup replaces os.LookupEnv. Unknown-variable detection then only
// sees the variables given by WithEnviron.
func WithEnvLookup(lookup func(string) (string, bool)) func(*Config) {
	return func(c *Config) { c.Lookup, c.EnvironSet = lookup, true }
}

// WithEnviron uses environ ("NAME=value" strings, as os.Environ returns) as
// the environment, for lookups and unknown-variable detection.
func WithEnviron(environ []string) func(*Config) {
	return func(c *Config) {
		m := make(map[string]string, len(environ))
		for _, kv := range environ {
			if k, v, ok := strings.Cut(kv, "="); ok {
				m[k] = v
			}
		}
		c.Lookup = func(k string) (string, bool) { v, ok := m[k]; return v, ok }
		c.Environ, c.EnvironSet = environ, true
	}
}

// WithRuntimeSecret reports a missing secret as a warning (secret-from-env)
// instead of an error (checkconf --no-env).
func WithRuntimeSecret() func(*Config) { return func(c *Config) { c.RuntimeSecret = true } }

// WithDialect selects the settings dialect (default DialectAuto).
func WithDialect(d Dialect) func(*Config) { return func(c *Config) { c.Dialect = d } }

// WithSources layers in-memory sources after the configuration, in order.
func WithSources(srcs ...Source) func(*Config) {
	return func(c *Config) {
		for _, s := range srcs {
			c.Inputs = append(c.Inputs, s)
		}
	}
}

// WithReport makes Load fill r.
func WithReport(r *Report) func(*Config) { return func(c *Config) { c.Report = r } }
