package settings

import (
	"fmt"
	"strconv"
	"strings"
)

// Severity tells whether a Diagnostic makes the configuration unusable.
type Severity string

const (
	// SeverityError: the configuration cannot be used (or Paste Deploy
	// would reject it).
	SeverityError Severity = "error"
	// SeverityWarning: the configuration works but is probably wrong or unsafe.
	SeverityWarning Severity = "warning"
	// SeverityInfo: a note, e.g. that findings were capped or that
	// variables were recognised and ignored.
	SeverityInfo Severity = "info"
)

// rank orders severities: errors first.
func (s Severity) rank() int {
	switch s {
	case SeverityError:
		return 2
	case SeverityWarning:
		return 1
	}
	return 0
}

// Position is a place in a configuration source. Line is 1-based; 0 means
// the whole source (or no line is known).
type Position struct {
	File string `json:"file,omitempty"`
	Line int    `json:"line,omitempty"`
}

// String renders "file:line", "file" or "".
func (p Position) String() string {
	switch {
	case p.File == "":
		return ""
	case p.Line > 0:
		return p.File + ":" + strconv.Itoa(p.Line)
	default:
		return p.File
	}
}

// Diagnostic is one finding about a configuration. Its JSON form is the
// one checkconf --format json prints.
type Diagnostic struct {
	Severity Severity `json:"severity"`
	Code     Code     `json:"code"`
	// Name is the stable human name of Code, e.g. "duplicate-key".
	Name string `json:"name"`
	// Key is the setting concerned, as written by the user where known
	// ("pynacl.session.secure"), else canonical ("session.secure"); empty
	// for findings about a whole file.
	Key string `json:"key,omitempty"`
	// Message explains the problem. It never contains a secret value.
	Message string `json:"message"`
	// Suggestion is a did-you-mean replacement (a key, a value, an
	// environment variable name), or empty.
	Suggestion string `json:"suggestion,omitempty"`
	// Source is where the value came from: "file", "env", "override",
	// "settings" (a map), "viper", "options" (Options given to Load or
	// Validate) or "default".
	Source string `json:"source"`
	// Pos is the file position, for Source "file" (and the file a
	// whole-file finding is about).
	Pos Position `json:"pos,omitzero"`
	// Env is the environment variable, for Source "env".
	Env string `json:"env,omitempty"`
	// Omitted is set on the line that ends a capped listing: how many more
	// findings of Code (same severity) were left out of the list. That
	// line is not a finding itself: the findings number the entries with
	// Omitted == 0 plus the sum of Omitted.
	Omitted int `json:"omitted,omitempty"`
}

func (d *Diagnostic) setOrigin(o orig) {
	d.Source, d.Pos, d.Env = o.kind, o.pos, o.env
	if d.Source == "" {
		d.Source = fromDefault
	}
}

// location is the prefix a diagnostic is printed with: a file position,
// "env:NAME", or the source kind.
func (d Diagnostic) location() string {
	if s := d.Pos.String(); s != "" {
		return s
	}
	if d.Source == fromEnv && d.Env != "" {
		return "env:" + d.Env
	}
	return d.Source
}

// Error renders "file:line: severity: key: message (did you mean "x"?) [code]".
func (d Diagnostic) Error() string {
	var b strings.Builder
	if loc := d.location(); loc != "" {
		b.WriteString(loc)
		b.WriteString(": ")
	}
	b.WriteString(string(d.Severity))
	b.WriteString(": ")
	if d.Key != "" {
		b.WriteString(d.Key)
		b.WriteString(": ")
	}
	b.WriteString(d.Message)
	if d.Suggestion != "" {
		fmt.Fprintf(&b, " (did you mean %q?)", d.Suggestion)
	}
	fmt.Fprintf(&b, " [%s]", d.Code)
	return b.String()
}

// Diagnostics is a list of findings, in the manner of go/scanner.ErrorList.
// The error returned by Load and Options.Validate is a Diagnostics holding
// the error-severity findings, so errors.As(err, &diags) recovers them.
type Diagnostics []Diagnostic

// Error summarises the list: the first entry and how many more follow.
func (ds Diagnostics) Error() string {
	switch len(ds) {
	case 0:
		return "no diagnostics"
	case 1:
		return ds[0].Error()
	}
	return fmt.Sprintf("%s (and %d more)", ds[0].Error(), len(ds)-1)
}

// Unwrap exposes every diagnostic to errors.Is / errors.As.
func (ds Diagnostics) Unwrap() []error {
	out := make([]error, len(ds))
	for i, d := range ds {
		out[i] = d
	}
	return out
}

// Warnings returns the warning-severity diagnostics.
func (ds Diagnostics) Warnings() Diagnostics { return ds.filter(SeverityWarning) }

func (ds Diagnostics) filter(s Severity) Diagnostics {
	var out Diagnostics
	for _, d := range ds {
		if d.Severity == s {
			out = append(out, d)
		}
	}
	return out
}

// Err returns the error-severity diagnostics as an error, or nil when there
// are none.
func (ds Diagnostics) Err() error {
	errs := ds.filter(SeverityError)
	if len(errs) == 0 {
		return nil
	}
	return errs
}
