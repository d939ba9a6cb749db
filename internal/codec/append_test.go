package codec

import (
	"bytes"
	"errors"
	"testing"
)

// TestAppendForms: AppendEncode and AppendDecode keep what dst held and
// add exactly what Encode and Decode return; a failed AppendDecode
// leaves dst as it was.
func TestAppendForms(t *testing.T) {
	payload := []byte(`[1700000000, 1699999000.5, {"a": 1}]`)
	for _, k := range codecKinds {
		t.Run(k.name, func(t *testing.T) {
			c := k.make(t, keyA, keyB)
			enc, err := c.AppendEncode([]byte("name="), payload)
			if err != nil {
				t.Fatal(err)
			}
			value, ok := bytes.CutPrefix(enc, []byte("name="))
			if !ok || len(value) != c.EncodedLen(len(payload)) {
				t.Fatalf("AppendEncode = %q", enc)
			}
			dec, fallback, err := c.AppendDecode([]byte("pre"), string(value))
			if err != nil || fallback || string(dec) != "pre"+string(payload) {
				t.Fatalf("AppendDecode = %q, %v, %v", dec, fallback, err)
			}
			old, _ := k.make(t, keyB).Encode(payload)
			if dec, fallback, err := c.AppendDecode(nil, old); err != nil || !fallback || !bytes.Equal(dec, payload) {
				t.Fatalf("fallback: %q, %v, %v", dec, fallback, err)
			}
			tampered := []byte(string(value))
			tampered[10] ^= 'A' ^ 'B' // another letter of the alphabet: a different value
			for _, bad := range []string{"", "!!!!", string(tampered)} {
				dec, _, err := c.AppendDecode([]byte("pre"), bad)
				if !errors.Is(err, ErrDecode) || string(dec) != "pre" {
					t.Errorf("AppendDecode(%q) = %q, %v", bad, dec, err)
				}
			}
		})
	}
}

// TestDecodedLen: DecodedLen bounds the payload of every value length, so
// AppendDecode into that much room never reallocates.
func TestDecodedLen(t *testing.T) {
	for _, k := range codecKinds {
		c := k.make(t, keyA)
		for n := range 300 {
			v, err := c.Encode(bytes.Repeat([]byte{'x'}, n))
			if err != nil {
				t.Fatal(err)
			}
			if got := c.DecodedLen(len(v)); got != n {
				t.Fatalf("%s: DecodedLen(%d) = %d, want %d", k.name, len(v), got, n)
			}
		}
		if c.DecodedLen(0) != 0 || c.DecodedLen(5) != 0 {
			t.Errorf("%s: DecodedLen of a too short value is not 0", k.name)
		}
	}
}
