package pyjson

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"strconv"
	"testing"
)

func decodeUseNumber(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	return v, err
}

func FuzzReformat(f *testing.F) {
	for _, s := range []string{
		`[1700000000, 1699999000.5, {"a": 1}]`,
		`{"latin1": "J\u00fcrgen caf\u00e9", "emoji": "\ud83d\ude00", "c": "\n\t\r\u0000\u001f\u007f \u2028"}`,
		` {"b" :1,"a":[1, 2.50,{}], "c":"\u00E9\/"} `,
		`"\uD83D\uDE00\uDC00x\uD800"`, "\"\xff\xed\xa0\x80é\"", `[1E5, -0, 0.5e-3, 1e+16]`,
		`{"a":1,"a":2}`, `[1,]`, `{"a" 1}`, `tru`, `"\u12G4"`, ``, `01`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		out, err := Reformat(nil, in)
		if !json.Valid(in) {
			if err == nil {
				t.Fatalf("Reformat accepted invalid JSON %q: %q", in, out)
			}
			if len(out) != 0 {
				t.Fatalf("Reformat returned output with an error: %q", out)
			}
			return
		}
		if err != nil {
			t.Fatalf("Reformat(%q): %v", in, err)
		}
		if !json.Valid(out) {
			t.Fatalf("Reformat(%q) = %q is not valid JSON", in, out)
		}
		for _, c := range out {
			if c >= 0x7f || c < 0x20 {
				t.Fatalf("Reformat(%q) = %q: byte %#x not escaped", in, out, c)
			}
		}
		want, err1 := decodeUseNumber(in)
		got, err2 := decodeUseNumber(out)
		if err1 != nil || err2 != nil {
			t.Fatalf("decode: %v / %v", err1, err2)
		}
		if !reflect.DeepEqual(want, got) {
			t.Fatalf("Reformat changed the value:\n in %q\nout %q", in, out)
		}
		again, err := Reformat(nil, out)
		if err != nil || !bytes.Equal(again, out) {
			t.Fatalf("Reformat not idempotent:\n out %q\nagain %q (%v)", out, again, err)
		}
	})
}

func FuzzAppendFloat(f *testing.F) {
	for _, v := range []float64{0, math.Copysign(0, -1), 1, 0.1, 1e16, 1e15, 1e-5, 1e-4, 5e-324,
		math.MaxFloat64, 1700000000.5, 123456789012345678, 9999999999999998} {
		f.Add(math.Float64bits(v))
	}
	f.Fuzz(func(t *testing.T, bits uint64) {
		v := math.Float64frombits(bits)
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return
		}
		out := AppendFloat(nil, v)
		back, err := strconv.ParseFloat(string(out), 64)
		if err != nil || math.Float64bits(back) != bits {
			t.Fatalf("AppendFloat(%b) = %s does not round-trip: %v %v", v, out, back, err)
		}
		if want := refFloat(v); string(out) != want {
			t.Fatalf("AppendFloat(%b) = %s, want %s", v, out, want)
		}
		if !json.Valid(out) {
			t.Fatalf("AppendFloat(%b) = %s is not valid JSON", v, out)
		}
	})
}

// decodeRef is Decode's specification: encoding/json with UseNumber,
// numbers then typed as Python types them, one value and nothing after it.
func decodeRef(data []byte) (any, bool) {
	if !json.Valid(data) {
		return nil, false
	}
	v, err := decodeUseNumber(data)
	if err != nil {
		return nil, false
	}
	v, err = typeNumbersRef(v)
	return v, err == nil
}

func typeNumbersRef(v any) (any, error) {
	switch x := v.(type) {
	case json.Number:
		return number(string(x))
	case []any:
		for i, e := range x {
			var err error
			if x[i], err = typeNumbersRef(e); err != nil {
				return nil, err
			}
		}
	case map[string]any:
		for k, e := range x {
			t, err := typeNumbersRef(e)
			if err != nil {
				return nil, err
			}
			x[k] = t
		}
	}
	return v, nil
}

var decodeSeeds = []string{
	`1`, `-0`, `1.0`, `1e400`, `9007199254740993`, `123456789012345678901234567890`, `"x"`, `"\u00e9\ud83d\ude00"`,
	`"\ud800"`, `"\udc00\ud800x"`, `"\ud800\ud800"`, "\"\xff\xfe\"", `"a\/b\n"`, `[1, "a", null, true, false, {}]`,
	`{"a": 1, "a": 2, "b": [1.5, {"c": "d"}]}`, `[]`, `{}`, ` [ 1 , 2 ] `, `[1,]`, `{"a"}`, `1 2`, ``, `nul`, `[[[]]]`,
}

func FuzzDecode(f *testing.F) {
	for _, s := range decodeSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		got, err := Decode(in)
		want, ok := decodeRef(in)
		if (err == nil) != ok {
			t.Fatalf("Decode(%q): err %v, reference ok %v", in, err, ok)
		}
		if ok && !reflect.DeepEqual(got, want) {
			t.Fatalf("Decode(%q) = %#v, want %#v", in, got, want)
		}
	})
}

func FuzzUnquote(f *testing.F) {
	for _, s := range decodeSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		quoted := append(append([]byte{'"'}, body...), '"')
		if !json.Valid(quoted) {
			return
		}
		var want string
		if err := json.Unmarshal(quoted, &want); err != nil {
			t.Fatal(err)
		}
		got, lossy := Unquote(body)
		if got != want {
			t.Fatalf("Unquote(%q) = %q, want %q", body, got, want)
		}
		if lossy && !bytes.Contains(body, []byte(`\u`)) {
			t.Fatalf("Unquote(%q) lossy without a \\u escape", body)
		}
	})
}

func FuzzStringLen(f *testing.F) {
	for _, s := range []string{"", "a", "\"\\\n\r\t\b\f\x00\x1f\x7f", "é😀", "\xff\xfe", "<&>/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := StringLen(s), len(AppendString(nil, s)); got != want {
			t.Fatalf("StringLen(%q) = %d, want %d", s, got, want)
		}
	})
}
