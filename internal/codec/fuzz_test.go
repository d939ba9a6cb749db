package codec

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// Fuzz targets. Run locally with e.g.
//
//	go test -run='^$' -fuzz=FuzzSecretboxDecode -fuzztime=30s ./crypto
//
// Adding -fuzzminimizetime=50x keeps the run fuzzing instead of spending
// most of a short budget minimizing newly interesting inputs.
// Findings are kept under testdata/fuzz and replayed by plain `go test`.

var fuzzPayloads = [][]byte{
	nil,
	[]byte("x"),
	[]byte(`[1700000000, 1699999000.5, {}]`),
	[]byte(`[1700000000, 1699999000.5, {"_csrft_": "ad9fd6b2a0b7a8b91d2b17c0d7f6e1ac90a4d0c3", "_f_": ["Saved."]}]`),
	bytes.Repeat([]byte{0xff, 0x00}, 50),
}

// fuzzMutations derives near-miss spellings of a valid value, to seed the
// corpus close to the accept boundary.
func fuzzMutations(v string) []string {
	out := []string{v, v + "=", v + "==", v + "\n", "\r" + v, " " + v, v[:len(v)-1], v + "A",
		strings.NewReplacer("-", "+", "_", "/").Replace(v), v[:len(v)/2] + "!" + v[len(v)/2:]}
	if len(v) > 1 {
		out = append(out, v[1:], string(v[0]^1)+v[1:])
	}
	return out
}

type secretboxFuzz struct {
	codec  *Secretbox // primary A, fallback B
	old    *Secretbox // B alone
	issued map[string]bool
}

func newSecretboxFuzz(t testing.TB) *secretboxFuzz {
	s := &secretboxFuzz{codec: mustSecretbox(t, keyA, keyB), old: mustSecretbox(t, keyB), issued: map[string]bool{}}
	for i, p := range fuzzPayloads {
		var nonce [24]byte
		nonce[0] = byte(i)
		s.issued[s.codec.EncodeWithNonce(p, nonce)] = true
		s.issued[s.old.EncodeWithNonce(p, nonce)] = true
	}
	return s
}

func FuzzSecretboxDecode(f *testing.F) {
	s := newSecretboxFuzz(f)
	for v := range s.issued {
		for _, m := range fuzzMutations(v) {
			f.Add(m)
		}
	}
	f.Add("")
	f.Add("A")
	f.Add(strings.Repeat("A", 54))
	f.Fuzz(func(t *testing.T, value string) {
		payload, fallback, err := s.codec.Decode(value)
		if err != nil {
			if payload != nil || fallback {
				t.Fatalf("failure returned payload %q, fallback %v", payload, fallback)
			}
			if !errors.Is(err, ErrDecode) || errors.Is(err, ErrMalformed) == errors.Is(err, ErrTampered) {
				t.Fatalf("error %v: want ErrDecode and exactly one of ErrMalformed/ErrTampered", err)
			}
			return
		}
		// Accepted: it must be exactly a value we produced. Re-sealing the
		// payload under its own nonce with the key that opened it must
		// reproduce it byte for byte (strict base64 + MAC over everything).
		raw, err := strictB64.DecodeString(value)
		if err != nil {
			t.Fatalf("accepted a value that is not strict base64url: %q", value)
		}
		var nonce [24]byte
		copy(nonce[:], raw)
		sealer := s.codec
		if fallback {
			sealer = s.old
		}
		if again := sealer.EncodeWithNonce(payload, nonce); again != value {
			t.Fatalf("accepted %q, but re-encoding gives %q", value, again)
		}
		if !s.issued[value] {
			t.Fatalf("accepted a value that was never issued: %q", value)
		}
	})
}

type signedFuzz struct {
	codec  *Signed // primary A, fallback B
	old    *Signed // B alone
	issued map[string]bool
}

func newSignedFuzz(t testing.TB, alg string) *signedFuzz {
	c, err := NewSigned(alg, keyA, keyB)
	if err != nil {
		t.Fatal(err)
	}
	old, _ := NewSigned(alg, keyB)
	s := &signedFuzz{codec: c, old: old, issued: map[string]bool{}}
	for _, p := range fuzzPayloads {
		v1, _ := c.Encode(p)
		v2, _ := old.Encode(p)
		s.issued[v1], s.issued[v2] = true, true
	}
	return s
}

func FuzzSignedDecode(f *testing.F) {
	s := newSignedFuzz(f, "sha256")
	for v := range s.issued {
		for _, m := range fuzzMutations(v) {
			f.Add(m)
		}
	}
	f.Add("")
	f.Add(strings.Repeat("A", 43))
	f.Fuzz(func(t *testing.T, value string) {
		payload, fallback, err := s.codec.Decode(value)
		if err != nil {
			if payload != nil || fallback {
				t.Fatalf("failure returned payload %q, fallback %v", payload, fallback)
			}
			if !errors.Is(err, ErrDecode) || errors.Is(err, ErrMalformed) == errors.Is(err, ErrTampered) {
				t.Fatalf("error %v: want ErrDecode and exactly one of ErrMalformed/ErrTampered", err)
			}
			return
		}
		signer := s.codec
		if fallback {
			signer = s.old
		}
		if again, _ := signer.Encode(payload); again != value {
			t.Fatalf("accepted %q, but re-encoding gives %q", value, again)
		}
		if !s.issued[value] {
			t.Fatalf("accepted a value that was never issued: %q", value)
		}
	})
}

// tamper changes one byte of value at pos: within the base64url alphabet
// (rotating the character by delta) or as a raw byte XOR.
func tamper(value string, pos uint, delta byte, inAlphabet bool) string {
	b := []byte(value)
	i := int(pos % uint(len(b)))
	if inAlphabet {
		j := strings.IndexByte(b64URLAlphabet, b[i])
		if j < 0 {
			return value
		}
		b[i] = b64URLAlphabet[(j+int(delta))%len(b64URLAlphabet)]
	} else {
		b[i] ^= delta
	}
	return string(b)
}

// FuzzSignedTamper: changing any single byte of a valid signed value is
// rejected unless the result is identical to the original.
func FuzzSignedTamper(f *testing.F) {
	s := newSignedFuzz(f, "sha512")
	for _, p := range fuzzPayloads {
		f.Add(p, uint(0), byte(1), true)
		f.Add(p, uint(1000), byte(1), true) // near the end
		f.Add(p, uint(1<<20), byte(0x80), false)
		f.Add(p, uint(5), byte('-'^'+'), false) // '-' -> '+'
	}
	f.Fuzz(func(t *testing.T, payload []byte, pos uint, delta byte, inAlphabet bool) {
		value, err := s.codec.Encode(payload)
		if err != nil {
			t.Fatal(err)
		}
		mutated := tamper(value, pos, delta, inAlphabet)
		got, fb, err := s.codec.Decode(mutated)
		if mutated == value {
			if err != nil || fb || !bytes.Equal(got, payload) {
				t.Fatalf("unchanged value rejected: %v", err)
			}
			return
		}
		if err == nil {
			t.Fatalf("tampered value accepted: %q -> %q (payload %q)", value, mutated, got)
		}
		if !errors.Is(err, ErrDecode) {
			t.Fatalf("error %v does not match ErrDecode", err)
		}
	})
}

// FuzzSecretboxTamper is FuzzSignedTamper for the encrypted codec.
func FuzzSecretboxTamper(f *testing.F) {
	s := newSecretboxFuzz(f)
	for _, p := range fuzzPayloads {
		f.Add(p, uint(0), byte(1), true)
		f.Add(p, uint(1000), byte(1), true)
		f.Add(p, uint(1<<20), byte(0x80), false)
	}
	f.Fuzz(func(t *testing.T, payload []byte, pos uint, delta byte, inAlphabet bool) {
		var nonce [24]byte
		copy(nonce[:], payload)
		value := s.codec.EncodeWithNonce(payload, nonce)
		mutated := tamper(value, pos, delta, inAlphabet)
		got, fb, err := s.codec.Decode(mutated)
		if mutated == value {
			if err != nil || fb || !bytes.Equal(got, payload) {
				t.Fatalf("unchanged value rejected: %v", err)
			}
			return
		}
		if err == nil {
			t.Fatalf("tampered value accepted: %q -> %q (payload %q)", value, mutated, got)
		}
		if !errors.Is(err, ErrDecode) {
			t.Fatalf("error %v does not match ErrDecode", err)
		}
	})
}
