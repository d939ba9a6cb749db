package vectors_test

import (
	"reflect"
	"testing"

	"github.com/sessconf/sessconf/internal/vectors"
)

func TestPyCall(t *testing.T) {
	for _, c := range []struct {
		text   string
		args   []any
		kwargs map[string]any
	}{
		{"on a SignedCookieSessionFactory('seekrit', reissue_time=None) session", []any{"seekrit"}, map[string]any{"reissue_time": nil}},
		{`F("s\u00e9\\'x", timeout=1_200, secure=True, x=-0.5)`, []any{"sé\\'x"}, map[string]any{"timeout": int64(1200), "secure": true, "x": -0.5}},
		{`F('sëcret-ключ-2')`, []any{"sëcret-ключ-2"}, map[string]any{}},
		{`F( )`, nil, map[string]any{}},
	} {
		args, kw, err := vectors.PyCall(c.text, "F")
		if c.text[:2] == "on" {
			args, kw, err = vectors.PyCall(c.text, "SignedCookieSessionFactory")
		}
		if err != nil || !reflect.DeepEqual(args, c.args) || !reflect.DeepEqual(kw, c.kwargs) {
			t.Errorf("PyCall(%q) = %#v, %#v, %v", c.text, args, kw, err)
		}
	}
	for _, bad := range []string{"no call", "F('unterminated", "F(x y)", "F(os.urandom(3))", `F('\u12')`} {
		if _, _, err := vectors.PyCall(bad, "F"); err == nil {
			t.Errorf("PyCall(%q) succeeded", bad)
		}
	}
}

func TestPyLiteral(t *testing.T) {
	for in, want := range map[string]any{
		`'k'`: "k", `"it's"`: "it's", `'üser'`: "üser", `'\x7f\U0001f600\n'`: "\x7f😀\n",
		`None`: nil, `False`: false, `42`: int64(42), `1e100`: 1e100,
	} {
		if got, err := vectors.PyLiteral(in); err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("PyLiteral(%s) = %#v, %v; want %#v", in, got, err, want)
		}
	}
	for _, bad := range []string{`'a' 'b'`, `b'x'`, ``, `'\ud800'x`} {
		if got, err := vectors.PyLiteral(bad); err == nil {
			t.Errorf("PyLiteral(%q) = %#v, want an error", bad, got)
		}
	}
}

func FuzzPyLiteral(f *testing.F) {
	for _, s := range []string{`'k'`, `"a\"b"`, `None`, `-1.5e3`, `F('s', a=1)`, `'\U0001f600'`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := vectors.PyLiteral(s)
		if err == nil {
			switch v.(type) {
			case nil, bool, int64, float64, string:
			default:
				t.Fatalf("PyLiteral(%q) returned %T", s, v)
			}
		}
		vectors.PyCall(s, "F") // must not panic or loop
	})
}
