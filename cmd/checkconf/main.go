// Command checkconf validates sessconf session settings (Paste Deploy INI or
// YAML files, plus the environment) and reports every problem at once. It
// is meant as a CI gate: the exit status is the verdict.
//
// Usage:
//
//	checkconf [flags] [FILE...]
//
// With no FILE the environment alone is checked (a 12-factor deployment);
// FILE may be "-" for standard input. Each file is checked on its own
// unless --merge layers them in order, as an application would.
//
// Output: one line per finding,
//
//	app.ini:7: warning: session.timeout: … [SESSION-W003]
//
// then a verdict line per input that agrees with the exit status.
// --format json prints one JSON document (see README, "checkconf JSON
// output"). Secrets are never printed.
//
// Exit status: 0 valid (warnings allowed), 1 at least one error, 2 usage
// error or unreadable input, 3 warnings only with --strict.
package main

import (
	"io"
	"os"

	"github.com/sessconf/sessconf/settings"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, nil))
}

// report is the result of checking one input (or the merged inputs).
type report struct {
	name string
	res  *settings.Result
	show []setting // effective settings, for --show
	// unreadable is true when an input could not be read.
	unreadable bool
}

// run is the whole command. env looks variables up; nil means the process
// environment (then unknown SESSION_* variables and service links are
// detected too).
func run(args []string, stdin io.Reader, stdout, stderr io.Writer, env func(string) (string, bool)) int {
	c, code, done := parseFlags(args, stdout, stderr)
	if done {
		return code
	}
	if c.genSecret {
		return generateSecret(c, stdout, stderr)
	}
	envOpts, err := environment(c, env)
	if err != nil {
		return c.usageError(stdout, stderr, err.Error())
	}
	if c.envHelp {
		envHelp(stdout, c.envPrefix)
		return exitOK
	}
	reports, err := check(c, stdin, envOpts)
	if err != nil {
		return c.usageError(stdout, stderr, err.Error())
	}
	for i := range reports {
		reports[i].res.Diagnostics = c.ignore.filter(reports[i].res.Diagnostics)
	}
	code = exitStatus(reports, c.strict)
	if c.format == formatJSON {
		writeJSON(stdout, reports, c.strict, code)
	} else {
		writeText(stdout, reports, c.strict, c.quiet)
	}
	return code
}
