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
	case ds.HasErrors():
		return exitInvalid
	case strict && ds.Count(settings.SeverityWarning) > 0:
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
