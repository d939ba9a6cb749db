package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/sessconf/sessconf/internal/conf"
	"github.com/sessconf/sessconf/settings"
)

// The diagnostics of --format json are settings.Diagnostic's own JSON,
// byte for byte once compacted.
func TestJSONDiagnosticsAreSettingsDiagnostics(t *testing.T) {
	inPrivateCopy(t)
	for _, file := range []string{"testdata/bad/values.ini", "testdata/bad/pyramid.ini", "testdata/bad/syntax.yaml"} {
		var out, errb bytes.Buffer
		run([]string{"--json", file}, strings.NewReader(""), &out, &errb, noEnv)
		var doc struct {
			FormatVersion string `json:"format_version"`
			Results       []struct {
				Diagnostics json.RawMessage `json:"diagnostics"`
			} `json:"results"`
		}
		if err := json.Unmarshal(out.Bytes(), &doc); err != nil || len(doc.Results) != 1 {
			t.Fatalf("%s: %v\n%s", file, err, out.String())
		}
		if doc.FormatVersion != formatVersion {
			t.Errorf("format_version %q", doc.FormatVersion)
		}
		res, _ := settings.Load(file, conf.WithEnviron(nil))
		want, err := json.Marshal(res.Diagnostics)
		if err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		if err := json.Compact(&got, doc.Results[0].Diagnostics); err != nil {
			t.Fatal(err)
		}
		// encoding/json escapes <, > and & by default; checkconf does not.
		var wantNoEsc bytes.Buffer
		enc := json.NewEncoder(&wantNoEsc)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(res.Diagnostics); err != nil {
			t.Fatal(err)
		}
		if got.String() != strings.TrimSpace(wantNoEsc.String()) {
			t.Errorf("%s: JSON diagnostics differ from settings.Diagnostic's JSON\n got %s\nwant %s", file, got.String(), want)
		}
	}
}
