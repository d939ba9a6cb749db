// Command checkconf validates sessconf session settings (Paste Deploy INI or
// YAML files, plus the environment) and reports every problem at once.
//
// Usage:
//
//	checkconf [flags] FILE...
//
// FILE may be "-" for standard input. Each file is checked on its own
// unless --merge layers them in order, as an application would.
//
// Output: one line per finding,
//
//	app.ini:7: warning: session.timeout: … [SESSION-W003]
//
// then a verdict line per file. --format json prints one JSON document
// (format_version "1.0"). Secrets are never printed.
//
// Exit status: 0 valid (warnings allowed), 1 at least one error, 2 usage
// error or unreadable input, 3 warnings only with --strict.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"slices"
	"strings"

	"github.com/spf13/pflag"

	"github.com/sessconf/sessconf/crypto"
	"github.com/sessconf/sessconf/settings"
)

// Exit codes.
const (
	exitOK       = 0
	exitInvalid  = 1
	exitUsage    = 2
	exitWarnings = 3
)

// FormatVersion is the version of the JSON output schema. The minor
// version grows with additive changes.
const FormatVersion = "1.0"

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, nil))
}

type config struct {
	format       string
	strict       bool
	noEnv        bool
	envFile      string
	envPrefix    string
	section      string
	sets         []string
	merge        bool
	show         bool
	quiet        bool
	genSecret    bool
	envHelp      bool
	dialect      string
	inputFormat  string
	jsonShortcut bool
}

// run is the whole command. env looks variables up; nil means the process
// environment (then unknown SESSION_* variables are detected too).
func run(args []string, stdin io.Reader, stdout, stderr io.Writer, env func(string) (string, bool)) int {
	var c config
	fs := pflag.NewFlagSet("checkconf", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVarP(&c.format, "format", "f", "text", "output format: text or json")
	fs.BoolVar(&c.jsonShortcut, "json", false, "same as --format json")
	fs.BoolVarP(&c.strict, "strict", "W", false, "warnings fail the check (exit 3)")
	fs.BoolVar(&c.noEnv, "no-env", false, "ignore the environment; a missing secret becomes a warning")
	fs.StringVar(&c.envFile, "env-file", "", "read NAME=VALUE lines as if exported")
	fs.StringVar(&c.envPrefix, "env-prefix", "", "environment prefix: MYAPP reads MYAPP_SESSION_SECRET")
	fs.StringVar(&c.section, "section", "", "Paste Deploy section (default app:main, or [session])")
	fs.StringArrayVar(&c.sets, "set", nil, "explicit override key=value (repeatable), highest precedence")
	fs.BoolVar(&c.merge, "merge", false, "layer the FILEs in order like the application does")
	fs.BoolVar(&c.show, "show", false, "print the effective settings and their origins (secrets masked)")
	fs.BoolVarP(&c.quiet, "quiet", "q", false, "print nothing for files without findings")
	fs.BoolVar(&c.genSecret, "generate-secret", false, "print a fresh 64-hex-character secret and exit")
	fs.BoolVar(&c.envHelp, "env-help", false, "list every setting with its environment variable and default")
	fs.StringVar(&c.dialect, "dialect", "auto", "settings dialect: auto, session or redis.sessions")
	fs.StringVar(&c.inputFormat, "input-format", "", "format of stdin / unknown extensions: ini or yaml (default: guess)")
	usage := func(msg string) int {
		if msg != "" {
			fmt.Fprintf(stderr, "checkconf: %s\n", msg)
		}
		fmt.Fprintf(stderr, "usage: checkconf [flags] FILE...   (FILE may be - for stdin)\n%s", fs.FlagUsages())
		return exitUsage
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			fmt.Fprintf(stdout, "usage: checkconf [flags] FILE...   (FILE may be - for stdin)\n%s", fs.FlagUsages())
			return exitOK
		}
		return usage(err.Error())
	}
	if c.jsonShortcut {
		c.format = "json"
	}
	if c.format != "text" && c.format != "json" {
		return usage(fmt.Sprintf("unknown --format %q (use text or json)", c.format))
	}
	var dialect settings.Dialect
	switch c.dialect {
	case "auto":
		dialect = settings.DialectAuto
	case "session":
		dialect = settings.DialectSession
	case "redis.sessions", "redis":
		dialect = settings.DialectRedisSessions
	default:
		return usage(fmt.Sprintf("unknown --dialect %q (use auto, session or redis.sessions)", c.dialect))
	}
	switch c.inputFormat {
	case "", "ini", "yaml", "yml":
	default:
		return usage(fmt.Sprintf("unknown --input-format %q (use ini or yaml)", c.inputFormat))
	}

	if c.genSecret {
		s, err := crypto.GenerateSecret(true)
		if err != nil {
			fmt.Fprintf(stderr, "checkconf: %v\n", err)
			return exitUsage
		}
		fmt.Fprintf(stdout, "%s\n", s)
		return exitOK
	}
	if c.envHelp {
		envHelp(stdout, c.envPrefix)
		return exitOK
	}

	files := fs.Args()
	if len(files) == 0 {
		return usage("no FILE given")
	}
	if n := countStdin(files); n > 1 {
		return usage("- (stdin) may be given only once")
	}

	// Environment.
	var environ []string
	if env == nil {
		env = os.LookupEnv
		environ = os.Environ()
	}
	if c.envFile != "" {
		vars, err := readEnvFile(c.envFile)
		if err != nil {
			fmt.Fprintf(stderr, "checkconf: --env-file: %v\n", err)
			return exitUsage
		}
		base := env
		env = func(k string) (string, bool) {
			if v, ok := vars[k]; ok {
				return v, true
			}
			return base(k)
		}
		for k, v := range vars {
			environ = append(environ, k+"="+v)
		}
	}
	var opts []settings.LoadOption
	if c.noEnv {
		opts = append(opts, settings.WithoutEnv(), settings.WithRuntimeSecret())
	} else {
		lookup := env
		names := map[string]bool{}
		var list []string
		for _, kv := range environ {
			k, _, _ := strings.Cut(kv, "=")
			if names[k] {
				continue
			}
			names[k] = true
			if v, ok := lookup(k); ok {
				list = append(list, k+"="+v)
			}
		}
		opts = append(opts, settings.WithEnviron(list), settings.WithEnvLookup(lookup))
	}
	if c.envPrefix != "" {
		opts = append(opts, settings.WithEnvPrefix(c.envPrefix))
	}
	if c.section != "" {
		opts = append(opts, settings.WithSection(c.section))
	}
	if len(c.sets) > 0 {
		opts = append(opts, settings.WithOverrides(c.sets...))
	}
	opts = append(opts, settings.WithDialect(dialect))

	// Inputs.
	input := func(f string) (any, error) {
		if f != "-" {
			if c.inputFormat != "" {
				data, err := os.ReadFile(f)
				if err != nil {
					return f, nil // reported by Load as unreadable
				}
				return settings.Source{Name: f, Format: c.inputFormat, Data: data}, nil
			}
			return f, nil
		}
		data, err := io.ReadAll(stdin)
		if err != nil {
			return nil, fmt.Errorf("reading stdin: %w", err)
		}
		return settings.Source{Name: "<stdin>", Format: c.inputFormat, Data: data}, nil
	}
	var reports []report
	if c.merge {
		first, err := input(files[0])
		if err != nil {
			fmt.Fprintf(stderr, "checkconf: %v\n", err)
			return exitUsage
		}
		mopts := slices.Clone(opts)
		for _, f := range files[1:] {
			in, err := input(f)
			if err != nil {
				fmt.Fprintf(stderr, "checkconf: %v\n", err)
				return exitUsage
			}
			switch x := in.(type) {
			case string:
				mopts = append(mopts, settings.WithFiles(x))
			case settings.Source:
				mopts = append(mopts, settings.WithSources(x))
			}
		}
		res, _ := settings.Load(first, mopts...)
		reports = append(reports, report{name: strings.Join(displayNames(files), " + "), res: res})
	} else {
		for _, f := range files {
			in, err := input(f)
			if err != nil {
				fmt.Fprintf(stderr, "checkconf: %v\n", err)
				return exitUsage
			}
			res, _ := settings.Load(in, opts...)
			reports = append(reports, report{name: displayNames([]string{f})[0], res: res})
		}
	}

	if c.format == "json" {
		writeJSON(stdout, reports, c.show)
	} else {
		writeText(stdout, reports, c.show, c.quiet)
	}

	code := exitOK
	for _, r := range reports {
		ds := r.res.Diagnostics
		switch {
		case hasCode(ds, settings.CodeUnreadable):
			code = max(code, 100) // unreadable input wins
		case ds.HasErrors():
			code = max(code, 10)
		case c.strict && len(ds) > 0:
			code = max(code, 5)
		}
	}
	switch code {
	case 100:
		return exitUsage
	case 10:
		return exitInvalid
	case 5:
		return exitWarnings
	}
	return exitOK
}

type report struct {
	name string
	res  *settings.Result
}

func countStdin(files []string) int {
	n := 0
	for _, f := range files {
		if f == "-" {
			n++
		}
	}
	return n
}

func displayNames(files []string) []string {
	out := make([]string, len(files))
	for i, f := range files {
		if f == "-" {
			f = "<stdin>"
		}
		out[i] = f
	}
	return out
}

func hasCode(ds settings.Diagnostics, c settings.Code) bool {
	for _, d := range ds {
		if d.Code == c.ID {
			return true
		}
	}
	return false
}

func verdict(r report) string {
	ds := r.res.Diagnostics
	e, w := ds.Count(settings.SeverityError), ds.Count(settings.SeverityWarning)
	switch {
	case hasCode(ds, settings.CodeUnreadable):
		return fmt.Sprintf("%s: cannot be read", r.name)
	case e > 0:
		return fmt.Sprintf("%s: %d error(s), %d warning(s): configuration is invalid", r.name, e, w)
	}
	return fmt.Sprintf("%s: configuration OK (%d warning(s))", r.name, w)
}

func writeText(w io.Writer, reports []report, show, quiet bool) {
	for _, r := range reports {
		for _, d := range r.res.Diagnostics {
			fmt.Fprintln(w, d.Error())
		}
		if !quiet || len(r.res.Diagnostics) > 0 {
			fmt.Fprintln(w, verdict(r))
		}
		if show && !hasCode(r.res.Diagnostics, settings.CodeUnreadable) {
			for _, e := range effective(r.res) {
				fmt.Fprintf(w, "  %-34s = %-28s (%s)\n", e.Key, e.Value, e.Origin)
			}
		}
	}
}

// setting is one line of --show.
type setting struct {
	Key    string `json:"key"`
	Value  string `json:"value"`
	Origin string `json:"origin"`
}

// effective lists the effective settings with secrets masked.
func effective(res *settings.Result) []setting {
	var out []setting
	for _, k := range settings.Keys() {
		val := k.Value(&res.Options)
		switch {
		case res.Invalid(k.Name):
			val = "<invalid>"
		case k.Secret:
			val = mask(k.Name, val)
		}
		out = append(out, setting{Key: k.Name, Value: val, Origin: res.Origins[k.Name].String()})
	}
	return out
}

// mask hides a secret value: its length only, or a URL with the password
// redacted.
func mask(key, v string) string {
	if v == "" {
		return "<unset>"
	}
	if key == "session.redis.url" {
		if u, err := url.Parse(v); err == nil {
			return u.Redacted()
		}
	}
	if key == "session.secret_fallbacks" {
		return fmt.Sprintf("<%d secret(s), masked>", len(strings.Fields(v)))
	}
	return fmt.Sprintf("<%d chars, masked>", len([]rune(v)))
}

type jsonDiag struct {
	Severity   string            `json:"severity"`
	Code       string            `json:"code"`
	Name       string            `json:"name"`
	Key        string            `json:"key,omitempty"`
	Message    string            `json:"message"`
	Suggestion string            `json:"suggestion,omitempty"`
	Source     string            `json:"source"`
	Pos        settings.Position `json:"pos"`
}

type jsonResult struct {
	File         string     `json:"file"`
	Valid        bool       `json:"valid"`
	ErrorCount   int        `json:"error_count"`
	WarningCount int        `json:"warning_count"`
	Diagnostics  []jsonDiag `json:"diagnostics"`
	Settings     []setting  `json:"settings,omitempty"`
}

type jsonDoc struct {
	FormatVersion string       `json:"format_version"`
	Valid         bool         `json:"valid"`
	ErrorCount    int          `json:"error_count"`
	WarningCount  int          `json:"warning_count"`
	Results       []jsonResult `json:"results"`
}

func writeJSON(w io.Writer, reports []report, show bool) {
	doc := jsonDoc{FormatVersion: FormatVersion, Valid: true, Results: []jsonResult{}}
	for _, r := range reports {
		ds := r.res.Diagnostics
		jr := jsonResult{
			File: r.name, Valid: !ds.HasErrors(),
			ErrorCount: ds.Count(settings.SeverityError), WarningCount: ds.Count(settings.SeverityWarning),
			Diagnostics: []jsonDiag{},
		}
		for _, d := range ds {
			jr.Diagnostics = append(jr.Diagnostics, jsonDiag{
				Severity: d.Severity.String(), Code: d.Code, Name: d.Name, Key: d.Key,
				Message: d.Message, Suggestion: d.Suggestion, Source: d.Origin.String(), Pos: d.Origin.Pos,
			})
		}
		if show && !hasCode(ds, settings.CodeUnreadable) {
			jr.Settings = effective(r.res)
		}
		doc.Valid = doc.Valid && jr.Valid
		doc.ErrorCount += jr.ErrorCount
		doc.WarningCount += jr.WarningCount
		doc.Results = append(doc.Results, jr)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		// Cannot happen with these types; still emit valid JSON.
		buf.Reset()
		fmt.Fprintf(&buf, "{\"format_version\":%q,\"valid\":false,\"error_count\":1,\"warning_count\":0,\"results\":[]}\n", FormatVersion)
	}
	_, _ = w.Write(buf.Bytes())
}

// readEnvFile reads NAME=VALUE lines; blank lines and # comments are
// skipped, "export " prefixes and surrounding quotes are removed.
func readEnvFile(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	vars := map[string]string{}
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		line = strings.TrimPrefix(line, "export ")
		k, v, ok := strings.Cut(line, "=")
		if !ok || strings.TrimSpace(k) == "" {
			return nil, fmt.Errorf("%s:%d: expected NAME=VALUE", path, n)
		}
		v = strings.TrimSpace(v)
		if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
			v = v[1 : len(v)-1]
		}
		vars[strings.TrimSpace(k)] = v
	}
	return vars, sc.Err()
}

func envHelp(w io.Writer, prefix string) {
	fmt.Fprintf(w, "%-36s %-40s %-9s %s\n", "SETTING", "ENVIRONMENT VARIABLE", "TYPE", "DEFAULT")
	for _, k := range settings.Keys() {
		def := k.Default()
		if k.Secret && def != "" {
			def = "<masked>"
		}
		fmt.Fprintf(w, "%-36s %-40s %-9s %s\n", k.Name, k.EnvName(prefix), k.Kind, def)
	}
	fmt.Fprintf(w, "%-36s %-40s %-9s %s\n", "session.secret (from a file)", settings.EnvName(prefix, "session.secret")+"_FILE", "path", "")
}
