package vectors_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/sessconf/sessconf/internal/pyjson"
	"github.com/sessconf/sessconf/internal/vectors"
)

func TestDecodeOrderedKeepsPythonBytes(t *testing.T) {
	// Each input is json.dumps output; PyJSON must give it back unchanged.
	for _, in := range []string{
		`{"z": 1, "a": [0, -42, 9007199254740993, 1180591620717411303424, 0.1, 1e+100, -0.0, 2.0]}`,
		`{"\u00fcser": {"name": "J\u00fcrgen \u2603", "\ud83d\ude00": null}, "k": true}`,
		`{"q": "\"quote\" back\\slash /slash <tag> &amp;", "c": "\n\t\r\u0000\u001f\u007f \u2028"}`,
		`[[], {}, [{}], {"b": {"a": {}}}]`,
		`"x"`, `null`, `false`, `5e-324`,
	} {
		v, err := vectors.DecodeOrdered([]byte(in))
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		out, err := vectors.PyJSON(v)
		if err != nil || string(out) != in {
			t.Errorf("PyJSON(DecodeOrdered(%s)) = %s, %v", in, out, err)
		}
	}
}

func TestDecodeOrderedObject(t *testing.T) {
	v, err := vectors.DecodeOrdered([]byte(`{"b": 1, "a": {"y": 2, "x": 3}, "b": 4}`))
	if err != nil {
		t.Fatal(err)
	}
	o := v.(*vectors.Object)
	// A repeated key keeps its first position and its last value, as in Python.
	if got := strings.Join(o.Keys(), ","); got != "b,a" || o.Len() != 2 {
		t.Errorf("keys %s", got)
	}
	if o.Value("b") != json.Number("4") {
		t.Errorf("b = %v, want the last value 4", o.Value("b"))
	}
	if x, ok := vectors.Path(v, "a", "x"); !ok || x != json.Number("3") {
		t.Errorf("Path(a, x) = %v, %v", x, ok)
	}
	if _, ok := vectors.Path(v, "a", "x", "deeper"); ok {
		t.Error("Path through a number succeeded")
	}
	plain := vectors.Plain(v).(map[string]any)
	if plain["a"].(map[string]any)["y"] != json.Number("2") {
		t.Errorf("Plain = %v", plain)
	}
	if !vectors.Equal(v, map[string]any{"b": 4.0, "a": map[string]any{"x": 3, "y": int64(2)}}) {
		t.Error("Equal ignores member order and number types, as Python's == does")
	}
	if b, err := json.Marshal(map[string]any{"o": o}); err != nil || string(b) != `{"o":{"b":4,"a":{"y":2,"x":3}}}` {
		t.Errorf("MarshalJSON = %s, %v", b, err)
	}
}

func TestDecodeOrderedRejects(t *testing.T) {
	for _, in := range []string{``, `{`, `{"a" 1}`, `[1,]`, `{} {}`, `nul`, strings.Repeat("[", 10002) + strings.Repeat("]", 10002)} {
		if v, err := vectors.DecodeOrdered([]byte(in)); err == nil {
			t.Errorf("DecodeOrdered(%.20q) = %v, want an error", in, v)
		}
	}
	if _, err := vectors.PyJSON(3.5); err == nil {
		t.Error("PyJSON accepted a Go float (only decoded vector values are written)")
	}
}

// FuzzDecodeOrdered: on any valid JSON, PyJSON writes what pyjson's
// Reformat writes (Python's layout, members in source order), unless the
// input repeats a key (Python keeps one) or holds an escaped lone
// surrogate (Go strings cannot).
func FuzzDecodeOrdered(f *testing.F) {
	for _, s := range []string{`{"b": [1, 2.0, -0.0], "a": {"\u00e9": null}}`, `[]`, `"\ud83d\ude00"`, `{"a":1,"a":2}`, `1E5`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := vectors.DecodeOrdered(data)
		if valid := json.Valid(data); (err == nil) != valid {
			t.Fatalf("DecodeOrdered error %v, json.Valid %v", err, valid)
		}
		if err != nil {
			return
		}
		out, err := vectors.PyJSON(v)
		if err != nil {
			t.Fatalf("PyJSON: %v", err)
		}
		again, err := vectors.DecodeOrdered(out)
		if err != nil {
			t.Fatalf("PyJSON output %s does not decode: %v", out, err)
		}
		if out2, _ := vectors.PyJSON(again); !bytes.Equal(out, out2) {
			t.Fatalf("not stable: %s then %s", out, out2)
		}
		if bytes.Contains(bytes.ToLower(data), []byte(`\ud`)) || repeatsKey(data) {
			return
		}
		want, err := pyjson.Reformat(nil, data)
		if err != nil || !bytes.Equal(out, want) {
			t.Fatalf("PyJSON %s, Reformat %s (%v)", out, want, err)
		}
	})
}

// repeatsKey reports whether some object in valid JSON data names a
// member twice.
func repeatsKey(data []byte) bool {
	type frame struct {
		keys    map[string]bool // nil for an array
		wantKey bool
	}
	var stack []*frame
	dec := json.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		if n := len(stack); n > 0 && stack[n-1].keys != nil && stack[n-1].wantKey {
			if k, isKey := tok.(string); isKey {
				if stack[n-1].keys[k] {
					return true
				}
				stack[n-1].keys[k], stack[n-1].wantKey = true, false
				continue
			}
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &frame{keys: map[string]bool{}, wantKey: true})
			continue
		case json.Delim('['):
			stack = append(stack, &frame{})
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
		}
		if n := len(stack); n > 0 && stack[n-1].keys != nil {
			stack[n-1].wantKey = true // a member's value ended
		}
	}
}
