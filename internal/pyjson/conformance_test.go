package pyjson

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/sessconf/sessconf/internal/vectors"
)

const signedFile = "signed_cookies.json"

type signedVectors struct {
	Vectors []struct {
		Name        string          `json:"name"`
		Accessed    json.Number     `json:"accessed"`
		Created     json.Number     `json:"created"`
		State       json.RawMessage `json:"state_after_json_roundtrip"`
		PayloadJSON *string         `json:"payload_json"`
		Floats      []struct {
			ValueRepr string `json:"value_repr"`
			JSON      string `json:"json"`
		} `json:"floats"`
		NaNInf map[string]string `json:"nan_inf"`
	} `json:"vectors"`
}

// native turns the json.Number leaves of a UseNumber-decoded value into
// the Go types a session would hold: float64 for literals with a fraction
// or exponent, int64 / uint64 for integers that fit, json.Number beyond.
func native(t *testing.T, v any) any {
	switch v := v.(type) {
	case json.Number:
		s := string(v)
		if strings.ContainsAny(s, ".eE") {
			f, err := strconv.ParseFloat(s, 64)
			if err != nil {
				t.Fatalf("float %s: %v", s, err)
			}
			return f
		}
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return i
		}
		if u, err := strconv.ParseUint(s, 10, 64); err == nil {
			return u
		}
		return v
	case map[string]any:
		m := make(map[string]any, len(v))
		for k, e := range v {
			m[k] = native(t, e)
		}
		return m
	case []any:
		s := make([]any, len(v))
		for i, e := range v {
			s[i] = native(t, e)
		}
		return s
	}
	return v
}

func decodeNumbers(t *testing.T, data []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("decode %q: %v", data, err)
	}
	return v
}

// keysSorted reports whether every object in data lists its keys in
// ascending byte order (the order Append writes Go maps in).
func keysSorted(t *testing.T, data []byte) bool {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	type frame struct {
		object, wantKey bool
		last            string
		seen            bool
	}
	var stack []frame
	for {
		tok, err := dec.Token()
		if err != nil {
			return true // io.EOF; the payload was already validated
		}
		if len(stack) > 0 {
			f := &stack[len(stack)-1]
			if f.object && f.wantKey {
				if d, ok := tok.(json.Delim); ok && d == '}' {
					stack = stack[:len(stack)-1]
					goto valueDone
				}
				k := tok.(string)
				if f.seen && k < f.last {
					return false
				}
				f.last, f.seen, f.wantKey = k, true, false
				continue
			}
		}
		if d, ok := tok.(json.Delim); ok {
			switch d {
			case '{':
				stack = append(stack, frame{object: true, wantKey: true})
				continue
			case '[':
				stack = append(stack, frame{})
				continue
			default: // ']'
				stack = stack[:len(stack)-1]
			}
		}
	valueDone:
		if len(stack) > 0 && stack[len(stack)-1].object {
			stack[len(stack)-1].wantKey = true
		}
	}
}

// numberValue returns the vector's timestamp as Python held it: an int
// when written without fraction/exponent, else a float.
func numberValue(t *testing.T, n json.Number) any {
	s := string(n)
	if strings.ContainsAny(s, ".eE") {
		f, err := n.Float64()
		if err != nil {
			t.Fatalf("timestamp %s: %v", s, err)
		}
		return f
	}
	i, err := n.Int64()
	if err != nil {
		t.Fatalf("timestamp %s: %v", s, err)
	}
	return i
}

func TestConformanceSignedCookies(t *testing.T) {
	var file signedVectors
	vectors.Load(t, signedFile, &file)
	var tally vectors.Tally
	tally.Expect(signedFile, len(file.Vectors))
	var reformatChecked, rawChecked, floatsChecked int
	for _, v := range file.Vectors {
		t.Run(v.Name, func(t *testing.T) {
			if v.Floats != nil {
				for _, c := range v.Floats {
					f, err := strconv.ParseFloat(c.ValueRepr, 64)
					if err != nil {
						t.Fatalf("corpus %q: %v", c.ValueRepr, err)
					}
					if got := AppendFloat(nil, f); string(got) != c.JSON {
						t.Errorf("AppendFloat(%s) = %s, want %s", c.ValueRepr, got, c.JSON)
					}
					if got, err := Marshal(f); err != nil || string(got) != c.JSON {
						t.Errorf("Marshal(%s) = %s, %v; want %s", c.ValueRepr, got, err, c.JSON)
					}
					floatsChecked++
				}
				for in, want := range map[string]float64{"nan": math.NaN(), "inf": math.Inf(1), "-inf": math.Inf(-1)} {
					if got := AppendFloat(nil, want); string(got) != v.NaNInf[in] {
						t.Errorf("AppendFloat(%s) = %s, want Python's %s", in, got, v.NaNInf[in])
					}
					if _, err := Marshal(want); err == nil {
						t.Errorf("Marshal(%s) succeeded; NaN/Inf must be rejected", in)
					}
				}
				tally.Checked(signedFile)
				return
			}
			if v.PayloadJSON == nil {
				t.Fatalf("vector has neither payload_json nor floats")
			}
			payload := []byte(*v.PayloadJSON)

			// 1. Reformat is the identity on genuine Python output.
			got, err := Reformat(nil, payload)
			if err != nil || !bytes.Equal(got, payload) {
				t.Errorf("Reformat(payload)\n got %s (%v)\nwant %s", got, err, payload)
			}
			reformatChecked++

			accessed := numberValue(t, v.Accessed)
			created := numberValue(t, v.Created)
			if v.State == nil {
				tally.Diverged(signedFile, "no state_after_json_roundtrip in vector: only Reformat idempotence checked")
				return
			}

			// 2. The state as Python ordered it (the vector file keeps dict
			// order), passed as json.RawMessage: byte-identical always.
			got, err = Marshal([]any{accessed, created, v.State})
			if err != nil || !bytes.Equal(got, payload) {
				t.Errorf("Marshal([accessed, created, RawMessage(state)])\n got %s (%v)\nwant %s", got, err, payload)
			}
			rawChecked++

			// 3. The state as Go values (map[string]any, float64, int64...).
			state := native(t, decodeNumbers(t, v.State))
			got, err = Marshal([]any{accessed, created, state})
			if err != nil {
				t.Fatalf("Marshal: %v", err)
			}
			if keysSorted(t, payload) {
				if !bytes.Equal(got, payload) {
					t.Errorf("Marshal([accessed, created, state])\n got %s\nwant %s", got, payload)
				}
				tally.Checked(signedFile)
				return
			}
			// Python kept insertion order; a Go map comes out sorted: same
			// value, same length, other member order. The session engine
			// never writes state through a map (step 2 is its path), so the
			// vector counts as checked.
			if !reflect.DeepEqual(decodeNumbers(t, got), decodeNumbers(t, payload)) || len(got) != len(payload) {
				t.Errorf("Marshal(state) differs from payload beyond key order\n got %s\nwant %s", got, payload)
			}
			tally.Checked(signedFile)
		})
	}
	tally.Verify(t)
	t.Log(tally.Line())
	t.Logf("Reformat identity: %d payloads; RawMessage-state byte-exact: %d; float repr corpus: %d", reformatChecked, rawChecked, floatsChecked)
	t.Log("\n" + tally.Rules())
	if floatsChecked == 0 || reformatChecked == 0 {
		t.Errorf("vectors missing: floats=%d payloads=%d", floatsChecked, reformatChecked)
	}
}
