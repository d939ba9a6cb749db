package settings

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Severity tells whether a Diagnostic makes the configuration unusable.
type Severity int

const (
	// SeverityWarning: the configuration works but is probably wrong or unsafe.
	SeverityWarning Severity = iota
	// SeverityError: the configuration cannot be used (or Paste Deploy
	// would reject it).
	SeverityError
)

// String returns "warning" or "error".
func (s Severity) String() string {
	if s == SeverityError {
		return "error"
	}
	return "warning"
}

// MarshalText renders the severity as "warning" or "error" (for JSON).
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Position is a place in a configuration source. Line is 1-based; 0 means
// the whole source (or no line is known).
type Position struct {
	File string `json:"file,omitempty"`
	Line int    `json:"line,omitempty"`
}

// IsValid reports whether the position names a source.
func (p Position) IsValid() bool { return p.File != "" }

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

// Origin kinds: where an effective value came from.
const (
	OriginDefault  = "default"  // Default() (or a dialect's own default)
	OriginFile     = "file"     // an INI or YAML file
	OriginSettings = "settings" // a Paste-style settings map passed to Load
	OriginViper    = "viper"    // a *viper.Viper passed to Load
	OriginEnv      = "env"      // an environment variable
	OriginOverride = "override" // an explicit key=value override
	OriginOptions  = "options"  // an Options value passed to Load
)

// Origin records where an effective value came from.
type Origin struct {
	// Kind is one of the Origin* constants.
	Kind string `json:"kind"`
	// Pos is the file position for OriginFile (and the source name for
	// OriginSettings / OriginViper).
	Pos Position `json:"pos,omitzero"`
	// Env is the variable name for OriginEnv.
	Env string `json:"env,omitempty"`
	// RawKey is the key as written in the source when it differs from the
	// canonical key ("pynacl.session.secure", "redis.sessions.cookie_secure",
	// "Session.Secret").
	RawKey string `json:"raw_key,omitempty"`
}

// String renders the origin: "file:line", "env:NAME", "default", "override".
func (o Origin) String() string {
	switch o.Kind {
	case OriginFile:
		return o.Pos.String()
	case OriginEnv:
		return "env:" + o.Env
	case OriginSettings, OriginViper:
		if o.RawKey != "" {
			return o.Kind + ":" + o.RawKey
		}
		return o.Kind
	case "":
		return OriginDefault
	}
	return o.Kind
}

// location is the prefix a diagnostic is printed with: a file position,
// "env:NAME", or the origin kind.
func (o Origin) location() string {
	if o.Kind == OriginFile || o.Pos.IsValid() {
		if s := o.Pos.String(); s != "" {
			return s
		}
	}
	if o.Kind == OriginEnv {
		return "env:" + o.Env
	}
	return o.Kind
}

// Diagnostic is one finding about a configuration. It implements error, so
// errors.As(err, &settings.Diagnostic{}) finds the first one in an error
// returned by Load.
type Diagnostic struct {
	Severity Severity `json:"severity"`
	// Code is the stable identifier, e.g. "SESSION-E004" (see Codes).
	Code string `json:"code"`
	// Name is the stable human name of the code, e.g. "duplicate-key".
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
	// Origin is where the offending value came from; Origin.Pos is its
	// position when it came from a file.
	Origin Origin `json:"origin"`
}

// Pos returns the file position of the diagnostic (may be invalid).
func (d Diagnostic) Pos() Position { return d.Origin.Pos }

// Error renders "file:line: severity: key: message (did you mean "x"?) [code]".
func (d Diagnostic) Error() string {
	var b strings.Builder
	if loc := d.Origin.location(); loc != "" {
		b.WriteString(loc)
		b.WriteString(": ")
	}
	b.WriteString(d.Severity.String())
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
// A non-empty Diagnostics is an error; Load returns the error-severity
// subset as its error, so errors.As(err, &diags) recovers them.
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

// HasErrors reports whether at least one diagnostic is an error.
func (ds Diagnostics) HasErrors() bool { return ds.Count(SeverityError) > 0 }

// Count returns how many diagnostics have severity s.
func (ds Diagnostics) Count(s Severity) int {
	n := 0
	for _, d := range ds {
		if d.Severity == s {
			n++
		}
	}
	return n
}

// Errors returns the error-severity diagnostics.
func (ds Diagnostics) Errors() Diagnostics { return ds.filter(SeverityError) }

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
	errs := ds.Errors()
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// Sort orders the diagnostics by file, line, then severity (errors first),
// code and key; diagnostics without a file come after those of files, env
// findings next, then the rest. The sort is stable.
func (ds Diagnostics) Sort() {
	rank := func(d Diagnostic) int {
		switch {
		case d.Origin.Pos.IsValid():
			return 0
		case d.Origin.Kind == OriginEnv:
			return 1
		}
		return 2
	}
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i], ds[j]
		if ra, rb := rank(a), rank(b); ra != rb {
			return ra < rb
		}
		if a.Origin.Pos.File != b.Origin.Pos.File {
			return a.Origin.Pos.File < b.Origin.Pos.File
		}
		if a.Origin.Pos.Line != b.Origin.Pos.Line {
			return a.Origin.Pos.Line < b.Origin.Pos.Line
		}
		if a.Origin.Env != b.Origin.Env {
			return a.Origin.Env < b.Origin.Env
		}
		if a.Severity != b.Severity {
			return a.Severity > b.Severity
		}
		if a.Code != b.Code {
			return a.Code < b.Code
		}
		return a.Key < b.Key
	})
}

// AsDiagnostics extracts the diagnostics carried by err (as returned by
// Load), or nil.
func AsDiagnostics(err error) Diagnostics {
	var ds Diagnostics
	if errors.As(err, &ds) {
		return ds
	}
	return nil
}
