package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/sessconf/sessconf/settings"
)

// formatVersion is the version of the JSON output schema (README,
// "checkconf JSON output"). The minor version grows with additive changes;
// 2.0 made each diagnostic settings.Diagnostic's own JSON; 2.1 added
// "omitted" to the line ending a capped listing and counts those findings.
const formatVersion = "2.1"

// verdict is the last line for one input; it agrees with its exit status.
func verdict(r report, strict bool) string {
	ds := r.res.Diagnostics
	e, w := count(ds, settings.SeverityError), count(ds, settings.SeverityWarning)
	switch status(r, strict) {
	case exitUsage:
		return fmt.Sprintf("%s: cannot be read", r.name)
	case exitInvalid:
		return fmt.Sprintf("%s: %d error(s), %d warning(s): configuration is invalid", r.name, e, w)
	case exitWarnings:
		return fmt.Sprintf("%s: %d warning(s): configuration is rejected (--strict)", r.name, w)
	}
	return fmt.Sprintf("%s: configuration OK (%d warning(s))", r.name, w)
}

func writeText(w io.Writer, reports []report, strict, quiet bool) {
	for _, r := range reports {
		for _, d := range r.res.Diagnostics {
			fmt.Fprintln(w, d.Error())
		}
		if !quiet || len(r.res.Diagnostics) > 0 {
			fmt.Fprintln(w, verdict(r, strict))
		}
		for _, s := range r.show {
			fmt.Fprintf(w, "  %-34s = %-28s (%s)\n", s.Key, s.Value, s.Origin)
		}
	}
}

type jsonResult struct {
	File         string               `json:"file"`
	Valid        bool                 `json:"valid"`
	ExitCode     int                  `json:"exit_code"`
	ErrorCount   int                  `json:"error_count"`
	WarningCount int                  `json:"warning_count"`
	InfoCount    int                  `json:"info_count"`
	Diagnostics  settings.Diagnostics `json:"diagnostics"`
	Settings     []setting            `json:"settings,omitempty"`
}

type jsonError struct {
	Kind    string `json:"kind"`
	Message string `json:"message"`
}

type jsonDoc struct {
	FormatVersion string       `json:"format_version"`
	Valid         bool         `json:"valid"`
	ExitCode      int          `json:"exit_code"`
	ErrorCount    int          `json:"error_count"`
	WarningCount  int          `json:"warning_count"`
	InfoCount     int          `json:"info_count"`
	Results       []jsonResult `json:"results"`
	Error         *jsonError   `json:"error,omitempty"`
}

func writeJSON(w io.Writer, reports []report, strict bool, code int) {
	doc := jsonDoc{FormatVersion: formatVersion, Valid: code == exitOK, ExitCode: code, Results: []jsonResult{}}
	for _, r := range reports {
		ds := r.res.Diagnostics
		if ds == nil {
			ds = settings.Diagnostics{}
		}
		st := status(r, strict)
		jr := jsonResult{
			File: r.name, Valid: st == exitOK, ExitCode: st,
			ErrorCount: count(ds, settings.SeverityError), WarningCount: count(ds, settings.SeverityWarning),
			InfoCount: count(ds, settings.SeverityInfo), Diagnostics: ds, Settings: r.show,
		}
		doc.ErrorCount += jr.ErrorCount
		doc.WarningCount += jr.WarningCount
		doc.InfoCount += jr.InfoCount
		doc.Results = append(doc.Results, jr)
	}
	encode(w, doc)
}

// writeJSONError prints a usage error as a JSON document.
func writeJSONError(w io.Writer, kind, msg string) {
	encode(w, jsonDoc{FormatVersion: formatVersion, ExitCode: exitUsage, Results: []jsonResult{}, Error: &jsonError{Kind: kind, Message: msg}})
}

func encode(w io.Writer, doc jsonDoc) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		// Cannot happen with these types; still emit valid JSON.
		buf.Reset()
		fmt.Fprintf(&buf, "{\"format_version\":%q,\"valid\":false,\"exit_code\":%d,\"results\":[]}\n", formatVersion, exitUsage)
	}
	_, _ = w.Write(buf.Bytes())
}
