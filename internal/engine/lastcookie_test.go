package engine

import (
	"net/http"
	"strings"
	"testing"
)

// lastCookieRef is LastCookie's specification: the last cookie net/http
// finds under name.
func lastCookieRef(r *http.Request, name string) (string, bool) {
	cs := r.CookiesNamed(name)
	if len(cs) == 0 {
		return "", false
	}
	return cs[len(cs)-1].Value, true
}

var lastCookieSeeds = []struct{ name, header string }{
	{"session", "session=abc"},
	{"session", "a=1; session=first; b=2; session=second"},
	{"session", "session=ok; session=bad\x7fvalue"},
	{"session", "session=ok; session=has space"},
	{"session", `session="quoted"`},
	{"session", `session="`},
	{"session", `session=""`},
	{"session", " \t session = abc ; "},
	{"session", "session"},
	{"session", "session="},
	{"session", "sess ion=1; session=2"},
	{"session", "session=a\"b; x=y"},
	{"session", "session=abcdefgh\\ijkl"},
	{"session", "session=abcdefghijklmnop\x80"},
	{"session", "session=ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"},
	{"session", strings.Repeat("x=1; ", 70) + "session=many"},
	{"session", strings.Repeat("x=1; ", 3001) + "session=toomany"},
	{"bad name", "bad name=1"},
	{"", "=1"},
}

func TestLastCookie(t *testing.T) {
	for _, tt := range lastCookieSeeds {
		for _, lines := range [][]string{{tt.header}, {tt.header, "session=later"}, {"session=earlier", tt.header}} {
			r := &http.Request{Header: http.Header{"Cookie": lines}}
			got, ok := LastCookie(r, tt.name)
			want, wantOK := lastCookieRef(r, tt.name)
			if got != want || ok != wantOK {
				t.Errorf("LastCookie(%q, %q) = %q, %v; want %q, %v", lines, tt.name, got, ok, want, wantOK)
			}
		}
	}
	if _, ok := LastCookie(&http.Request{Header: http.Header{}}, "session"); ok {
		t.Error("found a cookie in a request without any")
	}
}

func TestValidCookieValue(t *testing.T) {
	for c := 0; c < 256; c++ {
		want := c >= 0x20 && c < 0x7f && c != '"' && c != ';' && c != '\\'
		for _, pos := range []int{0, 3, 7, 8, 13, 15, 16} {
			v := []byte(strings.Repeat("a", 17))
			v[pos] = byte(c)
			if got := validCookieValue(string(v)); got != want {
				t.Errorf("byte %#x at %d: %v, want %v", c, pos, got, want)
			}
		}
	}
}

func FuzzLastCookie(f *testing.F) {
	for _, tt := range lastCookieSeeds {
		f.Add(tt.name, tt.header, "session=z")
	}
	f.Fuzz(func(t *testing.T, name, line1, line2 string) {
		r := &http.Request{Header: http.Header{"Cookie": {line1, line2}}}
		got, ok := LastCookie(r, name)
		want, wantOK := lastCookieRef(r, name)
		if got != want || ok != wantOK {
			t.Fatalf("LastCookie(%q, %q) = %q, %v; want %q, %v", []string{line1, line2}, name, got, ok, want, wantOK)
		}
	})
}
