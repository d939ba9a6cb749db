package main

import (
	"errors"
	"fmt"
	"io"
	"runtime/debug"

	"github.com/spf13/pflag"

	"github.com/sessconf/sessconf/internal/codec"
	"github.com/sessconf/sessconf/internal/conf"
)

const (
	formatText = "text"
	formatJSON = "json"
)

const usageLine = "usage: checkconf [flags] [FILE...]   (no FILE: the environment alone; - for stdin)\n"

// config is the parsed command line.
type config struct {
	format       string
	jsonShortcut bool
	strict       bool
	noEnv        bool
	envFile      string
	envPrefix    string
	section      string
	sets         []string
	ignores      []string
	ignore       ignoreSet
	merge        bool
	show         bool
	quiet        bool
	genSecret    bool
	envHelp      bool
	version      bool
	pyramid      bool
	dialectName  string
	dialect      conf.Dialect
	inputFormat  string
	files        []string
	flagUsages   string
}

func newFlagSet(c *config) *pflag.FlagSet {
	fs := pflag.NewFlagSet("checkconf", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVarP(&c.format, "format", "f", formatText, "output format: text or json")
	fs.BoolVar(&c.jsonShortcut, "json", false, "same as --format json")
	fs.BoolVarP(&c.strict, "strict", "W", false, "warnings fail the check (exit 3)")
	fs.StringArrayVar(&c.ignores, "ignore", nil, "suppress findings of these codes (SESSION-W012 or secret-from-env; comma-separated, repeatable)")
	fs.BoolVar(&c.noEnv, "no-env", false, "ignore the environment; a missing secret becomes a warning")
	fs.StringVar(&c.envFile, "env-file", "", "read NAME=VALUE lines as if exported")
	fs.StringVar(&c.envPrefix, "env-prefix", "", "environment prefix: MYAPP reads MYAPP_SESSION_SECRET")
	fs.StringVar(&c.section, "section", "", "Paste Deploy section (default app:main, or [session])")
	fs.StringArrayVar(&c.sets, "set", nil, "explicit override key=value (repeatable), highest precedence")
	fs.BoolVar(&c.merge, "merge", false, "layer the FILEs in order like the application does")
	fs.BoolVar(&c.pyramid, "pyramid", false, "the file is also read by a Pyramid app: report what Python reads differently")
	fs.BoolVar(&c.show, "show", false, "print the effective settings and their origins (secrets masked)")
	fs.BoolVarP(&c.quiet, "quiet", "q", false, "print nothing for inputs without findings")
	fs.BoolVar(&c.genSecret, "generate-secret", false, "print a fresh 64-hex-character secret and exit")
	fs.BoolVar(&c.envHelp, "env-help", false, "list every setting with its environment variable and default")
	fs.BoolVar(&c.version, "version", false, "print the version and exit")
	fs.StringVar(&c.dialectName, "dialect", "auto", "settings dialect: auto, session or redis.sessions")
	fs.StringVar(&c.inputFormat, "input-format", "", "format of stdin / unknown extensions: ini or yaml (default: guess)")
	return fs
}

// parseFlags parses args. done is true when the command is over (help,
// version, usage error) with the given exit code.
func parseFlags(args []string, stdout, stderr io.Writer) (c *config, code int, done bool) {
	c = &config{format: jsonRequested(args)}
	fs := newFlagSet(c)
	c.flagUsages = fs.FlagUsages()
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			fmt.Fprint(stdout, usageLine+c.flagUsages)
			return c, exitOK, true
		}
		return c, c.usageError(stdout, stderr, err.Error()), true
	}
	if c.jsonShortcut {
		c.format = formatJSON
	}
	if msg := c.check(); msg != "" {
		if c.format != formatJSON && c.format != formatText {
			c.format = jsonRequested(args)
		}
		return c, c.usageError(stdout, stderr, msg), true
	}
	if c.version {
		fmt.Fprintf(stdout, "checkconf %s\n", version())
		return c, exitOK, true
	}
	c.files = fs.Args()
	return c, exitOK, false
}

// check validates the flag values; it returns a usage message or "".
func (c *config) check() string {
	if c.format != formatText && c.format != formatJSON {
		return fmt.Sprintf("unknown --format %q (use text or json)", c.format)
	}
	switch c.dialectName {
	case "auto":
		c.dialect = conf.DialectAuto
	case "session":
		c.dialect = conf.DialectSession
	case "redis.sessions", "redis":
		c.dialect = conf.DialectRedisSessions
	default:
		return fmt.Sprintf("unknown --dialect %q (use auto, session or redis.sessions)", c.dialectName)
	}
	switch c.inputFormat {
	case "", "ini", "yaml", "yml":
	default:
		return fmt.Sprintf("unknown --input-format %q (use ini or yaml)", c.inputFormat)
	}
	ig, err := parseIgnores(c.ignores)
	if err != nil {
		return err.Error()
	}
	c.ignore = ig
	return ""
}

// jsonRequested finds --format json / --json in raw args, so that a usage
// error in a command line that asked for JSON is reported as JSON.
func jsonRequested(args []string) string {
	for i, a := range args {
		switch {
		case a == "--":
			return formatText
		case a == "--json", a == "--format=json", a == "-f=json", a == "-fjson":
			return formatJSON
		case (a == "--format" || a == "-f") && i+1 < len(args) && args[i+1] == formatJSON:
			return formatJSON
		}
	}
	return formatText
}

// usageError reports a usage problem (text on stderr, or a JSON document
// on stdout in JSON mode) and returns exitUsage.
func (c *config) usageError(stdout, stderr io.Writer, msg string) int {
	if c.format == formatJSON {
		writeJSONError(stdout, "usage", msg)
		return exitUsage
	}
	fmt.Fprintf(stderr, "checkconf: %s\n%s%s", msg, usageLine, c.flagUsages)
	return exitUsage
}

func generateSecret(c *config, stdout, stderr io.Writer) int {
	s, err := codec.GenerateSecret(true)
	if err != nil {
		fmt.Fprintf(stderr, "checkconf: %v\n", err)
		return exitUsage
	}
	fmt.Fprintf(stdout, "%s\n", s)
	return exitOK
}

// version is the module version checkconf was built from.
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}
