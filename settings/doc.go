// Package settings turns configuration files, environment variables and
// explicit overrides into validated session Options plus positioned
// diagnostics. It knows nothing about HTTP.
//
// A tour, in the order a program meets it:
//
//   - Load reads a Paste Deploy INI file, a YAML file, a settings map or
//     a *viper.Viper, then the SESSION_* environment, then overrides, and
//     validates the result once. LoadOption values (WithFiles,
//     WithEnvPrefix, WithoutEnv, WithSection, WithOverrides, WithPyramid)
//     adjust it.
//   - Result holds the effective Options and every Diagnostic.
//   - Options (with RedisOptions) are the session settings; Default
//     returns Pyramid's defaults with HttpOnly on. Options built in code
//     are checked with Options.Validate.
//   - Diagnostics is the error type of Load and Validate: each Diagnostic
//     has a Severity, a stable Code and a Position (file:line) where the
//     value came from a file. Secrets never appear in messages.
//
// settings/OPTIONS.md lists every key, its environment variable and
// default, and every code.
package settings
