package pyjson

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

func reference(b []byte) bool { return utf8.Valid(b) && json.Valid(b) }

var validSeeds = []string{
	``, ` `, `0`, `-0`, `01`, `-`, `1.`, `1.5`, `.5`, `1e5`, `1E+5`, `1e-`, `1e`, `-1.5e-10`, `2.`, `+1`,
	`"x"`, `"`, `"\"`, `"\u00e9"`, `"\u00g9"`, `"\u12"`, `"\x"`, "\"\x01\"", "\"\x7f\"", "\"\xff\"", "\"\xed\xa0\x80\"", "\"\xef\xbf\xbd\"", `"é"`, "\"\xe2\x82\"",
	`true`, `tru`, `false`, `null`, `nul`, `nullx`, `[]`, `[1,]`, `[,1]`, `[1 2]`, `{}`, `{"a":1}`, `{"a" : 1 , "b":[1,{"c":null}]}`,
	`{"a":1,}`, `{"a"}`, `{1:2}`, `{"a":1}}`, ` [ ] `, "\t\n\r[1]\n", `[1]x`, `[[[[]]]]`, `[[[[]]]`, `]`, `}`,
	`[1735689600, 1735689600.25, {"k": "v", "_f_": ["a", "b"]}]`, "\xef\xbb\xbf[]",
}

func TestValidJSON(t *testing.T) {
	for _, s := range validSeeds {
		if got, want := Valid([]byte(s)), reference([]byte(s)); got != want {
			t.Errorf("Valid(%q) = %v, want %v", s, got, want)
		}
	}
	for _, n := range []int{maxNesting - 1, maxNesting, maxNesting + 1} {
		s := strings.Repeat("[", n) + strings.Repeat("]", n)
		if got, want := Valid([]byte(s)), reference([]byte(s)); got != want {
			t.Errorf("depth %d: %v, want %v", n, got, want)
		}
		s = strings.Repeat(`{"a":`, n) + "1" + strings.Repeat("}", n)
		if got, want := Valid([]byte(s)), reference([]byte(s)); got != want {
			t.Errorf("object depth %d: %v, want %v", n, got, want)
		}
	}
}

func FuzzValidJSON(f *testing.F) {
	for _, s := range validSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, want := Valid(b), reference(b); got != want {
			t.Fatalf("Valid(%q) = %v, want %v", b, got, want)
		}
	})
}
