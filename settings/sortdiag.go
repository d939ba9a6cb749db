package settings

import "slices"

// sortDiagnostics orders diagnostics by file, line, then severity (errors
// first), code and key; diagnostics without a file come after those of
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
			return cmpStr(a.Pos.File, b.Pos.File)
		case a.Pos.Line != b.Pos.Line:
			return a.Pos.Line - b.Pos.Line
		case a.Env != b.Env:
			return cmpStr(a.Env, b.Env)
		case a.Severity != b.Severity:
			return int(b.Severity) - int(a.Severity)
		case a.Code != b.Code:
			return cmpStr(string(a.Code), string(b.Code))
		}
		return cmpStr(a.Key, b.Key)
	})
}

func cmpStr(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
