package main

import "github.com/sessconf/sessconf/settings"

// Exit statuses.
const (
	exitOK       = 0 // valid; warnings allowed unless --strict
	exitInvalid  = 1 // at least one error
	exitUsage    = 2 // usage error or unreadable input
	exitWarnings = 3 // warnings only, with --strict
)

// exitPriority orders the statuses when several inputs disagree: the first
// one present wins.
var exitPriority = []int{exitUsage, exitInvalid, exitWarnings, exitOK}

// status is the exit status of one report.
func status(r report, strict bool) int {
	ds := r.res.Diagnostics
	switch {
	case r.unreadable:
		return exitUsage
	case count(ds, settings.SeverityError) > 0:
		return exitInvalid
	case strict && count(ds, settings.SeverityWarning) > 0:
		return exitWarnings
	}
	return exitOK
}

// exitStatus combines the reports by exitPriority.
func exitStatus(reports []report, strict bool) int {
	seen := map[int]bool{}
	for _, r := range reports {
		seen[status(r, strict)] = true
	}
	for _, s := range exitPriority {
		if seen[s] {
			return s
		}
	}
	return exitOK
}

// codeUnreadable is the code of an input that cannot be read: a usage
// problem rather than an invalid configuration.
const codeUnreadable settings.Code = "SESSION-E021"

// count returns how many findings have severity s, including those a
// capped listing left out.
func count(ds settings.Diagnostics, s settings.Severity) int {
	n := 0
	for _, d := range ds {
		switch {
		case d.Severity != s:
		case d.Omitted > 0: // the summary line of a capped listing
			n += d.Omitted
		default:
			n++
		}
	}
	return n
}
