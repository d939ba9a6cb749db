package settings

import (
	"cmp"
	"slices"
)

// sortDiagnostics orders diagnostics by file, line, then severity (errors
// first), code and key (a capped listing's summary last); diagnostics without a file come after those of
// files, environment findings next, then the rest. The sort is stable.
func sortDiagnostics(ds Diagnostics) {
	rank := func(d Diagnostic) int {
		switch {
		case d.Pos.File != "":
			return 0
		case d.Source == fromEnv:
			return 1
		}
		return 2
	}
	slices.SortStableFunc(ds, func(a, b Diagnostic) int {
		if ra, rb := rank(a), rank(b); ra != rb {
			return ra - rb
		}
		switch {
		case a.Pos.File != b.Pos.File:
			return cmp.Compare(a.Pos.File, b.Pos.File)
		case a.Pos.Line != b.Pos.Line:
			return a.Pos.Line - b.Pos.Line
		case a.Env != b.Env:
			return cmp.Compare(a.Env, b.Env)
		case a.Severity != b.Severity:
			return b.Severity.rank() - a.Severity.rank()
		case a.Code != b.Code:
			return cmp.Compare(a.Code, b.Code)
		case (a.Omitted > 0) != (b.Omitted > 0):
			// The summary of a capped listing ends it.
			if a.Omitted > 0 {
				return 1
			}
			return -1
		}
		return cmp.Compare(a.Key, b.Key)
	})
}
