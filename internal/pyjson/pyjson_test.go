package pyjson

import (
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"
)

type textKey struct{ a, b string }

func (k textKey) MarshalText() ([]byte, error) { return []byte(k.a + "/" + k.b), nil }

type level int

func (l level) MarshalText() ([]byte, error) { return []byte("L" + strconv.Itoa(int(l)) + "é"), nil }

type ordered struct{}

func (ordered) MarshalJSON() ([]byte, error) {
	return []byte(`{"z":1, "a" : "é", "m":[1.50,2E3]}`), nil
}

type ptrM struct{ N int }

func (*ptrM) MarshalJSON() ([]byte, error) { return []byte(`"ptr"`), nil }

type badM struct{}

func (badM) MarshalJSON() ([]byte, error) { return []byte(`{bad`), nil }

type myStr string
type myMap map[string]any
type myBytes []byte

type tagged struct {
	A int     `json:"a"`
	B string  `json:"b,omitempty"`
	C float64 `json:"c"`
	H string
	x int //lint:ignore U1000 present to check that unexported fields are skipped
}

func TestMarshal(t *testing.T) {
	one := 1
	pone := &one
	s := "s"
	ps := &s
	var nilp *int
	var nilm map[string]any
	var nils []any
	var nilInts []int
	var nilMarsh *ordered
	tm := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name string
		in   any
		want string
	}{
		{"brief example", map[string]any{"b": 1, "a": "é€😀\x7f</>&\n"}, `{"a": "\u00e9\u20ac\ud83d\ude00\u007f</>&\n", "b": 1}`},
		{"nil", nil, `null`},
		{"true", true, `true`},
		{"false", false, `false`},
		{"empty string", "", `""`},
		{"string", "hello", `"hello"`},
		{"int", 42, `42`},
		{"int neg", -1, `-1`},
		{"int8", int8(-128), `-128`},
		{"int16", int16(32767), `32767`},
		{"int32", int32(-2147483648), `-2147483648`},
		{"int64 min", int64(math.MinInt64), `-9223372036854775808`},
		{"uint", uint(7), `7`},
		{"uint8", uint8(255), `255`},
		{"uint16", uint16(65535), `65535`},
		{"uint32", uint32(4294967295), `4294967295`},
		{"uint64 max", uint64(math.MaxUint64), `18446744073709551615`},
		{"uintptr", uintptr(9), `9`},
		{"float zero", 0.0, `0.0`},
		{"float negzero", math.Copysign(0, -1), `-0.0`},
		{"float half", 1700000000.5, `1700000000.5`},
		{"float integral", 1700000000.0, `1700000000.0`},
		{"float 1e15", 1e15, `1000000000000000.0`},
		{"float 1e16", 1e16, `1e+16`},
		{"float 1e-5", 1e-5, `1e-05`},
		{"float 1e-4", 1e-4, `0.0001`},
		{"float big", 123456789012345678.0, `1.2345678901234568e+17`},
		{"float 0.30000000000000004", 0.30000000000000004, `0.30000000000000004`},
		{"float32 0.1", float32(0.1), `0.1`},
		{"float32 integral", float32(16777216), `16777216.0`},
		{"float32 1e20", float32(1e20), `1e+20`},
		{"float32 one", float32(1), `1.0`},
		{"json.Number int", json.Number("12"), `12`},
		{"json.Number float", json.Number("1.5E3"), `1.5E3`},
		{"json.Number empty", json.Number(""), `0`},
		{"RawMessage", json.RawMessage(` {"b" :1,"a":[1, 2.50,{}], "c":"\u00E9\/"} `), `{"b": 1, "a": [1, 2.50, {}], "c": "\u00e9/"}`},
		{"RawMessage nil", json.RawMessage(nil), `null`},
		{"map empty", map[string]any{}, `{}`},
		{"map nil", nilm, `null`},
		{"slice empty", []any{}, `[]`},
		{"slice nil", nils, `null`},
		{"nested", map[string]any{"z": []any{1, "two", 3.0, nil, []any{}, map[string]any{"k": []any{nil}}}, "a": map[string]any{"y": map[string]any{}}},
			`{"a": {"y": {}}, "z": [1, "two", 3.0, null, [], {"k": [null]}]}`},
		{"key escaping", map[string]any{"é": 1, "\n": 2, "A": 3}, `{"\n": 2, "A": 3, "\u00e9": 1}`},
		{"[]string", []string{"a", "é"}, `["a", "\u00e9"]`},
		{"[]string nil", []string(nil), `null`},
		{"map[string]string", map[string]string{"b": "x", "a": "ü"}, `{"a": "\u00fc", "b": "x"}`},
		{"[]int", []int{1, 2, 3}, `[1, 2, 3]`},
		{"[]int nil", nilInts, `null`},
		{"[]float64", []float64{2, 0.5, 1e100}, `[2.0, 0.5, 1e+100]`},
		{"array", [2]string{"a", "b"}, `["a", "b"]`},
		{"byte array", [3]byte{1, 2, 3}, `[1, 2, 3]`},
		{"[]byte", []byte("hi?>"), `"aGk/Pg=="`},
		{"named []byte", myBytes("hi"), `"aGk="`},
		{"[]byte nil", []byte(nil), `null`},
		{"map[int]", map[int]string{2: "b", 10: "a", -1: "c"}, `{"-1": "c", "10": "a", "2": "b"}`},
		{"map[uint8]", map[uint8]bool{1: true}, `{"1": true}`},
		{"map TextMarshaler key", map[textKey]int{{"b", "x"}: 1, {"a", "é"}: 2}, `{"a/\u00e9": 2, "b/x": 1}`},
		{"map[myStr]", map[myStr]int{"b": 1, "a": 2}, `{"a": 2, "b": 1}`},
		{"map[string]int", map[string]int{"b": 1, "a": 2}, `{"a": 2, "b": 1}`},
		{"map[string]float64", map[string]float64{"x": 1}, `{"x": 1.0}`},
		{"named map", myMap{"k": 1.0}, `{"k": 1.0}`},
		{"named string", myStr("é"), `"\u00e9"`},
		{"pointer", pone, `1`},
		{"pointer pointer", &ps, `"s"`},
		{"nil pointer", nilp, `null`},
		{"map with pointers", map[string]any{"p": pone, "n": nilp}, `{"n": null, "p": 1}`},
		{"struct", tagged{A: 1, C: 2, H: "<é>&"}, `{"a": 1, "c": 2, "H": "<\u00e9>&"}`},
		{"struct pointer", &tagged{A: 1, B: "b", C: 0.5}, `{"a": 1, "b": "b", "c": 0.5, "H": ""}`},
		{"time.Time", tm, `"2024-01-02T03:04:05Z"`},
		{"Marshaler keeps order", ordered{}, `{"z": 1, "a": "\u00e9", "m": [1.50, 2E3]}`},
		{"nil Marshaler pointer", nilMarsh, `null`},
		{"TextMarshaler value", level(3), `"L3\u00e9"`},
		{"pointer-receiver Marshaler in slice", []ptrM{{1}}, `["ptr"]`},
		{"pointer-receiver Marshaler via pointer", &ptrM{1}, `"ptr"`},
		{"pointer-receiver Marshaler in map", map[string]ptrM{"a": {1}}, `{"a": {"N": 1}}`},
		{"interface slice of structs", []any{tagged{A: 2}}, `[{"a": 2, "c": 0, "H": ""}]`},
		{"session payload", []any{1700000000, 1699999000.5, map[string]any{
			"_csrft_": "ad9fd6b2a0b7a8b91d2b17c0d7f6e1ac90a4d0c3", "_f_": []any{"Saved.", "é"}}},
			`[1700000000, 1699999000.5, {"_csrft_": "ad9fd6b2a0b7a8b91d2b17c0d7f6e1ac90a4d0c3", "_f_": ["Saved.", "\u00e9"]}]`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Marshal(tc.in)
			if err != nil {
				t.Fatalf("Marshal(%#v): %v", tc.in, err)
			}
			if string(got) != tc.want {
				t.Errorf("Marshal(%#v)\n got %s\nwant %s", tc.in, got, tc.want)
			}
			if !json.Valid(got) {
				t.Errorf("output is not valid JSON: %s", got)
			}
			// Append appends.
			got2, err := Append([]byte("prefix:"), tc.in)
			if err != nil || string(got2) != "prefix:"+tc.want {
				t.Errorf("Append with prefix = %q, %v", got2, err)
			}
		})
	}
}

func TestMarshalErrors(t *testing.T) {
	cyc := map[string]any{}
	cyc["self"] = cyc
	cycSlice := []any{nil}
	cycSlice[0] = cycSlice
	type P *P
	var p P
	p = &p
	tests := []struct {
		name   string
		in     any
		target error // nil: any error
	}{
		{"NaN", math.NaN(), ErrUnsupportedValue},
		{"+Inf", math.Inf(1), ErrUnsupportedValue},
		{"-Inf", math.Inf(-1), ErrUnsupportedValue},
		{"float32 Inf", float32(math.Inf(1)), ErrUnsupportedValue},
		{"NaN in map", map[string]any{"a": 1, "b": math.NaN()}, ErrUnsupportedValue},
		{"NaN in []float64", []float64{1, math.NaN()}, ErrUnsupportedValue},
		{"map cycle", cyc, ErrMaxDepth},
		{"slice cycle", cycSlice, ErrMaxDepth},
		{"pointer cycle", p, ErrMaxDepth},
		{"bad json.Number", json.Number("01"), nil},
		{"json.Number NaN", json.Number("NaN"), nil},
		{"json.Number space", json.Number("1 "), nil},
		{"bad RawMessage", json.RawMessage(`{"a":}`), nil},
		{"bad Marshaler", badM{}, nil},
		{"chan", make(chan int), nil},
		{"func", func() {}, nil},
		{"complex", complex(1, 2), nil},
		{"map[bool]", map[bool]int{true: 1}, nil},
		{"map[float64]", map[float64]int{1: 1}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dst := []byte("keep")
			got, err := Append(dst, tc.in)
			if err == nil {
				t.Fatalf("Append(%s) = %s, want error", tc.name, got)
			}
			if tc.target != nil && !errors.Is(err, tc.target) {
				t.Errorf("error %v, want %v", err, tc.target)
			}
			if string(got) != "keep" {
				t.Errorf("dst changed on error: %q", got)
			}
		})
	}
	var se *SyntaxError
	if _, err := Marshal(json.Number("1.")); !errors.As(err, &se) {
		t.Errorf("invalid json.Number: error %v is not a *SyntaxError", err)
	}
}

func nestedSlices(n int) any {
	var v any = 1
	for range n {
		v = []any{v}
	}
	return v
}

func TestMaxDepth(t *testing.T) {
	got, err := Marshal(nestedSlices(MaxDepth))
	if err != nil {
		t.Fatalf("depth %d: %v", MaxDepth, err)
	}
	if want := strings.Repeat("[", MaxDepth) + "1" + strings.Repeat("]", MaxDepth); string(got) != want {
		t.Errorf("depth %d: wrong output", MaxDepth)
	}
	if _, err := Marshal(nestedSlices(MaxDepth + 1)); !errors.Is(err, ErrMaxDepth) {
		t.Errorf("depth %d: err = %v, want ErrMaxDepth", MaxDepth+1, err)
	}
}

func TestAppendString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", `""`},
		{"plain ASCII 123", `"plain ASCII 123"`},
		{`"quote" back\slash`, `"\"quote\" back\\slash"`},
		{"/ < > & ' `", `"/ < > & ' ` + "`" + `"`},
		{"\b\f\n\r\t", `"\b\f\n\r\t"`},
		{"\x00\x01\x0b\x1b\x1f", `"\u0000\u0001\u000b\u001b\u001f"`},
		{"\x7f", `"\u007f"`},
		{"\u0080", `"\u0080"`},
		{"é", `"\u00e9"`},
		{"Jürgen café", `"J\u00fcrgen caf\u00e9"`},
		{"€", `"\u20ac"`},
		{"漢字", `"\u6f22\u5b57"`},
		{"\u2028\u2029", `"\u2028\u2029"`},
		{"\ufeff", `"\ufeff"`},
		{"\uffff", `"\uffff"`},
		{"\ufffd", `"\ufffd"`},
		{"😀", `"\ud83d\ude00"`},
		{"\U00010000", `"\ud800\udc00"`},
		{"𝄞", `"\ud834\udd1e"`},
		{"\U0010ffff", `"\udbff\udfff"`},
		{"\xff", `"\ufffd"`},
		{"a\xc3", `"a\ufffd"`},
		{"\xc3\x28", `"\ufffd("`},
		{"\xed\xa0\x80", `"\ufffd\ufffd\ufffd"`}, // UTF-8-encoded surrogate is invalid
		{"\xf4\x90\x80\x80", `"\ufffd\ufffd\ufffd\ufffd"`},
		{"x\xe2\x82", `"x\ufffd\ufffd"`},
	}
	for _, tc := range tests {
		if got := AppendString(nil, tc.in); string(got) != tc.want {
			t.Errorf("AppendString(%q)\n got %s\nwant %s", tc.in, got, tc.want)
		}
	}
	// Every ASCII byte, against the rules stated independently.
	for c := 0; c < 0x80; c++ {
		var want string
		switch {
		case c == '"':
			want = `\"`
		case c == '\\':
			want = `\\`
		case c == '\n':
			want = `\n`
		case c == '\r':
			want = `\r`
		case c == '\t':
			want = `\t`
		case c == '\b':
			want = `\b`
		case c == '\f':
			want = `\f`
		case c < 0x20 || c == 0x7f:
			want = `\u00` + string("0123456789abcdef"[c>>4]) + string("0123456789abcdef"[c&0xf])
		default:
			want = string(rune(c))
		}
		if got := AppendString(nil, string(rune(c))); string(got) != `"`+want+`"` {
			t.Errorf("AppendString(%q) = %s, want %q", rune(c), got, `"`+want+`"`)
		}
	}
}

func TestAppendFloat(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{0, "0.0"},
		{math.Copysign(0, -1), "-0.0"},
		{1, "1.0"},
		{-1, "-1.0"},
		{2, "2.0"},
		{100, "100.0"},
		{0.1, "0.1"},
		{-0.5, "-0.5"},
		{1.5, "1.5"},
		{3.141592653589793, "3.141592653589793"},
		{1700000000.5, "1700000000.5"},
		{1700000000.123456, "1700000000.123456"},
		{1699999999.9999998, "1699999999.9999998"},
		{1e15, "1000000000000000.0"},
		{9999999999999998, "9999999999999998.0"},
		{1e16, "1e+16"},
		{-1e16, "-1e+16"},
		{1.5e16, "1.5e+16"},
		{123456789012345678, "1.2345678901234568e+17"},
		{1e22, "1e+22"},
		{1.5e300, "1.5e+300"},
		{math.MaxFloat64, "1.7976931348623157e+308"},
		{0.0001, "0.0001"},
		{0.00012345, "0.00012345"},
		{-0.0001, "-0.0001"},
		{0.00001, "1e-05"},
		{0.000012345, "1.2345e-05"},
		{1e-7, "1e-07"},
		{1e-100, "1e-100"},
		{5e-324, "5e-324"},
		{math.SmallestNonzeroFloat64 * 3, "1.5e-323"},
		{2.2250738585072014e-308, "2.2250738585072014e-308"},
		{123.456, "123.456"},
		{0.30000000000000004, "0.30000000000000004"},
		{math.NaN(), "NaN"},
		{math.Inf(1), "Infinity"},
		{math.Inf(-1), "-Infinity"},
	}
	for _, tc := range tests {
		if got := AppendFloat(nil, tc.in); string(got) != tc.want {
			t.Errorf("AppendFloat(%v) = %s, want %s", tc.in, got, tc.want)
		}
	}
	if got := AppendFloat([]byte("x="), 2); string(got) != "x=2.0" {
		t.Errorf("AppendFloat appends: %q", got)
	}
}

// refFloat is Python's float repr rule (shortest round-trip digits;
// positional notation for exponents -4 <= e < 16, else d.ddde±XX; a ".0"
// on integral values), written with strconv independently of
// AppendFloat's digit shuffling.
func refFloat(f float64) string {
	e := strconv.FormatFloat(f, 'e', -1, 64)
	exp, _ := strconv.Atoi(e[strings.IndexByte(e, 'e')+1:])
	if exp < -4 || exp >= 16 {
		return e
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}

func TestAppendFloatRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 200000 {
		var f float64
		switch i % 3 {
		case 0:
			f = math.Float64frombits(r.Uint64())
		case 1:
			f = r.NormFloat64() * math.Pow(10, float64(r.IntN(44)-22))
		case 2:
			f = math.Round(r.Float64()*1e6) / math.Pow(10, float64(r.IntN(12)))
		}
		if math.IsNaN(f) || math.IsInf(f, 0) {
			continue
		}
		got := string(AppendFloat(nil, f))
		if want := refFloat(f); got != want {
			t.Fatalf("AppendFloat(%b) = %s, want %s", f, got, want)
		}
		if back, err := strconv.ParseFloat(got, 64); err != nil || math.Float64bits(back) != math.Float64bits(f) {
			t.Fatalf("AppendFloat(%b) = %s does not round-trip (%v, %v)", f, got, back, err)
		}
	}
}

func TestReformat(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{}`, `{}`},
		{`[]`, `[]`},
		{` { } `, `{}`},
		{"[\n\t\r ]", `[]`},
		{`  {"a" : 1 , "b":[ true,false ,null ] }  `, `{"a": 1, "b": [true, false, null]}`},
		{`[1,[2,[3,[]]],{"k":[null]}]`, `[1, [2, [3, []]], {"k": [null]}]`},
		{`{"b":1,"a":2,"c":3}`, `{"b": 1, "a": 2, "c": 3}`},
		{`{"a":1,"a":2}`, `{"a": 1, "a": 2}`},
		{`42`, `42`},
		{" \n-0 ", `-0`},
		{`[1E5, -0, 0.5e-3, 1e+16, 10, 2.50, 1.0]`, `[1E5, -0, 0.5e-3, 1e+16, 10, 2.50, 1.0]`},
		{`9223372036854775808123`, `9223372036854775808123`},
		{`"x"`, `"x"`},
		{`""`, `""`},
		{`"\u00E9\/\u0041\u007F\u001F\u0000\u000a\u0022\u005C\"\\\b\f\n\r\t"`, `"\u00e9/A\u007f\u001f\u0000\n\"\\\"\\\b\f\n\r\t"`},
		{`"\u003c\u003E\u0026/"`, `"<>&/"`},
		{`"é€😀"`, `"\u00e9\u20ac\ud83d\ude00"`},
		{`"\uD83D\uDE00"`, `"\ud83d\ude00"`},
		{`"\uDC00x\uD800"`, `"\udc00x\ud800"`},
		{`"\uFFFD\uffff"`, `"\ufffd\uffff"`},
		{"\"\x7f\"", `"\u007f"`},
		{"\"\xff\xed\xa0\x80\"", `"\ufffd\ufffd\ufffd\ufffd"`},
		{"\"a\xc3\"", `"a\ufffd"`},
		{`{"\u00e9":"v","k\n":[]}`, `{"\u00e9": "v", "k\n": []}`},
		{`[1700000000, 1699999000.5, {"a": 1}]`, `[1700000000, 1699999000.5, {"a": 1}]`},
	}
	for _, tc := range tests {
		if !json.Valid([]byte(tc.in)) {
			t.Fatalf("test input %q is not valid JSON", tc.in)
		}
		got, err := Reformat(nil, []byte(tc.in))
		if err != nil {
			t.Errorf("Reformat(%q): %v", tc.in, err)
			continue
		}
		if string(got) != tc.want {
			t.Errorf("Reformat(%q)\n got %s\nwant %s", tc.in, got, tc.want)
		}
		again, err := Reformat([]byte("p"), got)
		if err != nil || string(again) != "p"+tc.want {
			t.Errorf("Reformat not idempotent on %q: %q, %v", got, again, err)
		}
	}
}

func TestReformatInvalid(t *testing.T) {
	tests := []string{
		``, ` `, `{`, `}`, `[`, `]`, `[1,]`, `[,1]`, `{"a":1,}`, `{,}`, `[1 2]`, `{"a" 1}`, `{"a":}`,
		`{1:2}`, `{"a"}`, `[1]]`, `[1] x`, `{}{}`, `01`, `-01`, `1.`, `.5`, `-`, `1e`, `1e+`, `+1`, `1.e5`,
		`0x10`, `tru`, `nul`, `fals`, `True`, `nulll`, `NaN`, `Infinity`, `-Infinity`, `'a'`, `"abc`, "\"\x01\"",
		"\"\n\"", `"\x"`, `"\u12"`, `"\u12G4"`, `"\U0041"`, `"\'"`, `"\`, "[1,\x00]", "\ufeff1", `[1}`, `{"a":1]`,
	}
	for _, in := range tests {
		if json.Valid([]byte(in)) {
			t.Fatalf("test input %q is valid JSON", in)
		}
		got, err := Reformat([]byte("keep"), []byte(in))
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Reformat(%q) = %q, %v; want *SyntaxError", in, got, err)
			continue
		}
		if string(got) != "keep" {
			t.Errorf("Reformat(%q): dst changed on error: %q", in, got)
		}
		if se.Error() == "" || se.Offset < 0 || se.Offset > len(in) {
			t.Errorf("Reformat(%q): bad error %#v", in, se)
		}
	}
}

func TestReformatDepth(t *testing.T) {
	for _, n := range []int{maxNesting, maxNesting + 1} {
		for _, open := range []string{"[", `{"k":`} {
			closeCh := "]"
			if open != "[" {
				closeCh = "}"
			}
			in := strings.Repeat(open, n) + "1" + strings.Repeat(closeCh, n)
			_, err := Reformat(nil, []byte(in))
			if valid := json.Valid([]byte(in)); valid != (err == nil) {
				t.Errorf("depth %d %s: json.Valid=%v, Reformat err=%v", n, open, valid, err)
			}
			if (n <= maxNesting) != (err == nil) {
				t.Errorf("depth %d %s: err=%v", n, open, err)
			}
		}
	}
}
