package codec

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
)

var (
	keyA = bytes.Repeat([]byte{0xA1}, KeySize)
	keyB = bytes.Repeat([]byte{0xB2}, KeySize)
	keyC = bytes.Repeat([]byte{0xC3}, KeySize)
)

// codecCase builds codecs of one kind from up to three keys.
type codecKind struct {
	name string
	make func(t testing.TB, primary []byte, fallbacks ...[]byte) Codec
	min  int // minimum decoded length that is not "too short"
}

var codecKinds = []codecKind{
	{"secretbox", func(t testing.TB, p []byte, f ...[]byte) Codec { return mustSecretbox(t, p, f...) }, nonceSize + 16},
	{"signed-sha512", signedMaker("sha512"), 64},
	{"signed-sha384", signedMaker("sha384"), 48},
	{"signed-sha256", signedMaker("sha256"), 32},
	{"signed-sha224", signedMaker("sha224"), 28},
	{"signed-sha1", signedMaker("sha1"), 20},
}

func signedMaker(alg string) func(testing.TB, []byte, ...[]byte) Codec {
	return func(t testing.TB, p []byte, f ...[]byte) Codec {
		c, err := NewSigned(alg, p, f...)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
}

func TestRotation(t *testing.T) {
	payload := []byte(`[1700000000, 1699999000.5, {"a": 1}]`)
	for _, k := range codecKinds {
		t.Run(k.name, func(t *testing.T) {
			rotated := k.make(t, keyA, keyB, keyC) // A primary, B and C fallbacks
			primaryOnly := k.make(t, keyA)
			oldB := k.make(t, keyB)
			oldC := k.make(t, keyC)
			unknown := k.make(t, bytes.Repeat([]byte{0xD4}, KeySize))

			mustEncode := func(c Codec) string {
				t.Helper()
				v, err := c.Encode(payload)
				if err != nil {
					t.Fatal(err)
				}
				return v
			}
			cases := []struct {
				name         string
				value        string
				decoder      Codec
				wantFallback bool
				wantErr      error
			}{
				{"new value uses primary: primary-only codec opens it", mustEncode(rotated), primaryOnly, false, nil},
				{"new value is not under fallback B", mustEncode(rotated), oldB, false, ErrTampered},
				{"new value is not under fallback C", mustEncode(rotated), oldC, false, ErrTampered},
				{"primary value", mustEncode(primaryOnly), rotated, false, nil},
				{"sealed under first fallback", mustEncode(oldB), rotated, true, nil},
				{"sealed under second fallback", mustEncode(oldC), rotated, true, nil},
				{"sealed under unknown key", mustEncode(unknown), rotated, false, ErrTampered},
				{"fallback value, primary-only codec", mustEncode(oldB), primaryOnly, false, ErrTampered},
			}
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					got, fb, err := tc.decoder.Decode(tc.value)
					if tc.wantErr != nil {
						if !errors.Is(err, tc.wantErr) || !errors.Is(err, ErrDecode) || got != nil || fb {
							t.Fatalf("Decode = %q, %v, %v; want nil, false, %v", got, fb, err, tc.wantErr)
						}
						return
					}
					if err != nil || fb != tc.wantFallback || !bytes.Equal(got, payload) {
						t.Fatalf("Decode = %q, %v, %v; want payload, %v, nil", got, fb, err, tc.wantFallback)
					}
				})
			}
		})
	}
}

// TestDecodeFailures covers every failure path of both codecs: each wraps
// ErrDecode and exactly one of ErrMalformed/ErrTampered, and none is a
// usage error.
func TestDecodeFailures(t *testing.T) {
	payload := []byte(`{"k":"value"}`)
	for _, k := range codecKinds {
		t.Run(k.name, func(t *testing.T) {
			c := k.make(t, keyA)
			payload := payload
			if (k.min+len(payload))%3 == 0 {
				payload = append(payload, ' ') // keep unused bits in the last character
			}
			valid, err := c.Encode(payload)
			if err != nil {
				t.Fatal(err)
			}
			raw, _ := base64.RawURLEncoding.DecodeString(valid)
			reenc := base64.RawURLEncoding.EncodeToString
			flip := func(i int) string {
				b := append([]byte(nil), raw...)
				b[i] ^= 0x01
				return reenc(b)
			}
			// A value whose last character carries unused low bits.
			nonCanonical := func() string {
				if len(valid)%4 == 0 {
					t.Fatal("test payload must not be a multiple of 3 bytes after sealing")
				}
				last := strings.IndexByte(b64URLAlphabet, valid[len(valid)-1])
				return valid[:len(valid)-1] + string(b64URLAlphabet[last|1])
			}()
			cases := []struct {
				name  string
				value string
				want  error
			}{
				{"empty", "", ErrMalformed},
				{"one char", "A", ErrMalformed},
				{"len mod 4 == 1", valid[:len(valid)-len(valid)%4+1], ErrMalformed},
				{"padding", valid + strings.Repeat("=", (4-len(valid)%4)%4), ErrMalformed},
				{"lone '='", valid + "=", ErrMalformed},
				{"'=' inside", valid[:8] + "=" + valid[8:], ErrMalformed},
				{"std alphabet '+'", strings.NewReplacer("-", "+", "_", "/").Replace(valid) + "+", ErrMalformed},
				{"'+' replaces a char", "+" + valid[1:], ErrMalformed},
				{"'/' replaces a char", "/" + valid[1:], ErrMalformed},
				{"space", valid[:10] + " " + valid[10:], ErrMalformed},
				{"tab", valid[:10] + "\t" + valid[10:], ErrMalformed},
				{"leading space", " " + valid, ErrMalformed},
				{"trailing space", valid + " ", ErrMalformed},
				{"newline", valid[:10] + "\n" + valid[10:], ErrMalformed},
				{"carriage return", valid[:10] + "\r" + valid[10:], ErrMalformed},
				{"CRLF at end", valid + "\r\n", ErrMalformed},
				{"junk '!'", valid[:10] + "!" + valid[10:], ErrMalformed},
				{"junk '.'", valid[:10] + "." + valid[10:], ErrMalformed},
				{"NUL", valid[:10] + "\x00" + valid[10:], ErrMalformed},
				{"non-ASCII", valid[:10] + "é" + valid[10:], ErrMalformed},
				{"quoted", `"` + valid + `"`, ErrMalformed},
				{"non-canonical trailing bits", nonCanonical, ErrMalformed},
				{"shorter than overhead", reenc(raw[:k.min-1]), ErrMalformed},
				{"exactly overhead, empty payload", reenc(raw[:k.min]), ErrTampered},
				{"truncated by one byte", reenc(raw[:len(raw)-1]), ErrTampered},
				{"extended by one byte", reenc(append(append([]byte(nil), raw...), 0)), ErrTampered},
				{"first byte flipped", flip(0), ErrTampered},
				{"middle byte flipped", flip(len(raw) / 2), ErrTampered},
				{"last byte flipped", flip(len(raw) - 1), ErrTampered},
				{"byte in tag/signature flipped", flip(k.min - 1), ErrTampered},
				{"all zero of right length", reenc(make([]byte, len(raw))), ErrTampered},
			}
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					got, fb, err := c.Decode(tc.value)
					if err == nil {
						t.Fatalf("Decode(%q) accepted: %q", tc.value, got)
					}
					if got != nil || fb {
						t.Errorf("failure returned payload %q, fallback %v", got, fb)
					}
					if !errors.Is(err, ErrDecode) {
						t.Errorf("%v does not match ErrDecode", err)
					}
					if !errors.Is(err, tc.want) {
						t.Errorf("%v does not match %v", err, tc.want)
					}
					other := ErrTampered
					if tc.want == ErrTampered {
						other = ErrMalformed
					}
					if errors.Is(err, other) {
						t.Errorf("%v matches %v too", err, other)
					}
					if errors.Is(err, ErrKey) || errors.Is(err, ErrHashAlg) {
						t.Errorf("decode failure %v matches a usage error", err)
					}
					if !strings.HasPrefix(err.Error(), "cookie value rejected") {
						t.Errorf("message %q lacks the common prefix", err)
					}
				})
			}
			// The unmodified value still decodes.
			if got, _, err := c.Decode(valid); err != nil || !bytes.Equal(got, payload) {
				t.Fatalf("valid value: %q, %v", got, err)
			}
		})
	}
}

const b64URLAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

func TestSentinelErrors(t *testing.T) {
	if errors.Is(ErrMalformed, ErrTampered) || errors.Is(ErrTampered, ErrMalformed) {
		t.Error("ErrMalformed and ErrTampered must be distinct")
	}
	for _, e := range []error{ErrMalformed, ErrTampered} {
		if !errors.Is(e, ErrDecode) {
			t.Errorf("%v does not match ErrDecode", e)
		}
	}
	for _, e := range []error{ErrKey, ErrHashAlg} {
		if errors.Is(e, ErrDecode) {
			t.Errorf("usage error %v matches ErrDecode", e)
		}
	}
	if errors.Is(ErrDecode, ErrMalformed) {
		t.Error("ErrDecode must not match the specific ErrMalformed")
	}
}

func TestRoundTrip(t *testing.T) {
	payloads := [][]byte{nil, {}, {0}, []byte("x"), bytes.Repeat([]byte{0xff}, 1), bytes.Repeat([]byte("ab"), 2000)}
	for _, k := range codecKinds {
		c := k.make(t, keyA, keyB)
		for _, p := range payloads {
			v, err := c.Encode(p)
			if err != nil {
				t.Fatalf("%s: Encode: %v", k.name, err)
			}
			if strings.ContainsAny(v, "=+/\r\n ") {
				t.Errorf("%s: Encode produced non-URL-safe value %q", k.name, v)
			}
			if _, err := strictB64.DecodeString(v); err != nil {
				t.Errorf("%s: Encode output is not strict base64url: %v", k.name, err)
			}
			got, fb, err := c.Decode(v)
			if err != nil || fb || !bytes.Equal(got, p) {
				t.Errorf("%s: round trip of %d bytes: %q, %v, %v", k.name, len(p), got, fb, err)
			}
		}
	}
}

func TestSecretboxEncodeIsRandomized(t *testing.T) {
	c := mustSecretbox(t, keyA)
	a, _ := c.Encode([]byte("same"))
	b, _ := c.Encode([]byte("same"))
	if a == b {
		t.Fatal("two Encode calls produced the same value: nonce not random")
	}
	var nonce [24]byte
	first, second := c.EncodeWithNonce([]byte("same"), nonce), c.EncodeWithNonce([]byte("same"), nonce)
	if first != second {
		t.Fatal("EncodeWithNonce is not deterministic")
	}
}

func TestSignedEncodeIsDeterministic(t *testing.T) {
	c, _ := NewSigned("sha512", keyA)
	a, _ := c.Encode([]byte("same"))
	b, _ := c.Encode([]byte("same"))
	if a != b {
		t.Fatal("signed Encode must be deterministic")
	}
}

// Decoded payloads must not alias anything the caller or a later call can
// change.
func TestDecodeResultIsIndependent(t *testing.T) {
	for _, k := range codecKinds {
		c := k.make(t, keyA)
		v, _ := c.Encode([]byte("payload-one"))
		p1, _, _ := c.Decode(v)
		p2, _, _ := c.Decode(v)
		p1[0] = 'X'
		if string(p2) != "payload-one" {
			t.Errorf("%s: payloads of two Decode calls share memory", k.name)
		}
	}
}

func TestNewSecretboxKeySizes(t *testing.T) {
	secret := "hunter2hunter2hunter2hunter2hun" // 31 bytes
	cases := []struct {
		name      string
		primary   []byte
		fallbacks [][]byte
		wantErr   bool
	}{
		{"nil", nil, nil, true},
		{"empty", []byte{}, nil, true},
		{"31 bytes", []byte(secret), nil, true},
		{"33 bytes", make([]byte, 33), nil, true},
		{"64-char hex string not decoded", []byte(strings.Repeat("ab", 32)), nil, true},
		{"32 bytes", keyA, nil, false},
		{"bad first fallback", keyA, [][]byte{make([]byte, 16)}, true},
		{"bad second fallback", keyA, [][]byte{keyB, []byte(secret)}, true},
		{"nil fallback", keyA, [][]byte{nil}, true},
		{"two good fallbacks", keyA, [][]byte{keyB, keyC}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := NewSecretbox(tc.primary, tc.fallbacks...)
			if !tc.wantErr {
				if err != nil || c == nil {
					t.Fatalf("NewSecretbox: %v", err)
				}
				return
			}
			if c != nil || !errors.Is(err, ErrKey) {
				t.Fatalf("NewSecretbox = %v, %v; want nil, ErrKey", c, err)
			}
			if errors.Is(err, ErrDecode) {
				t.Errorf("usage error matches ErrDecode")
			}
			if strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), "hunter2") {
				t.Errorf("error %q leaks the key", err)
			}
		})
	}
}

// The key is copied: later changes to the caller's slice do not matter.
func TestKeysAreCopied(t *testing.T) {
	k := append([]byte(nil), keyA...)
	sb := mustSecretbox(t, k)
	sg, _ := NewSigned("sha256", k)
	v1, _ := sb.Encode([]byte("p"))
	v2, _ := sg.Encode([]byte("p"))
	for i := range k {
		k[i] = 0
	}
	if _, _, err := mustSecretbox(t, keyA).Decode(v1); err != nil {
		t.Error("secretbox: key not copied")
	}
	if _, _, err := sb.Decode(v1); err != nil {
		t.Error("secretbox: codec changed with caller's slice")
	}
	if _, _, err := sg.Decode(v2); err != nil {
		t.Error("signed: codec changed with caller's slice")
	}
}

func TestNewSignedHashAlg(t *testing.T) {
	cases := []struct {
		alg  string
		size int // 0: refused
	}{
		{"sha512", 64}, {"sha384", 48}, {"sha256", 32}, {"sha224", 28}, {"sha1", 20},
		{"SHA512", 64}, // hashlib.new is case-insensitive for OpenSSL names
		{"md5", 0}, {"MD5", 0}, {"", 0}, {"sha3_256", 0}, {"blake2b", 0}, {"sha-512", 0}, {" sha512", 0},
	}
	for _, tc := range cases {
		t.Run(tc.alg, func(t *testing.T) {
			c, err := NewSigned(tc.alg, []byte("k"))
			if tc.size == 0 {
				if c != nil || !errors.Is(err, ErrHashAlg) {
					t.Fatalf("NewSigned(%q) = %v, %v; want nil, ErrHashAlg", tc.alg, c, err)
				}
				if errors.Is(err, ErrDecode) || errors.Is(err, ErrKey) {
					t.Errorf("ErrHashAlg matches another sentinel")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			v, _ := c.Encode(nil)
			raw, _ := strictB64.DecodeString(v)
			if len(raw) != tc.size {
				t.Errorf("signature is %d bytes, want %d", len(raw), tc.size)
			}
		})
	}
}

func TestNewSignedErrorOmitsKey(t *testing.T) {
	_, err := NewSigned("md5", []byte("very-secret-key"))
	if err == nil || strings.Contains(err.Error(), "very-secret-key") {
		t.Fatalf("error %v", err)
	}
}

func TestSignedKey(t *testing.T) {
	cases := []struct {
		salt, secret string
		want         string // hex
	}{
		{"", "", ""},
		{"", "seekrit", "7365656b726974"},
		{"pyramid.session.", "seekrit", hex.EncodeToString([]byte("pyramid.session.seekrit"))},
		{"", "clé", "636ce9"},             // Latin-1
		{"sél.", "€", "73c3a96c2ee282ac"}, // € forces UTF-8 for the salt too
		{"€", "é", "e282acc3a9"},          // and for the secret
		{"", "\u00ff", "ff"},              // top of Latin-1
		{"", "\u0100", "c480"},            // just above
		{"", "\U0001F600", "f09f9880"},    // astral
		{"a\xffb", "", "61ff62"},          // invalid UTF-8 bytes pass through
		{"pyramid.", "session.seekrit", hex.EncodeToString([]byte("pyramid.session.seekrit"))},
	}
	for _, tc := range cases {
		if got := hex.EncodeToString(SignedKey(tc.salt, tc.secret)); got != tc.want {
			t.Errorf("SignedKey(%q, %q) = %s, want %s", tc.salt, tc.secret, got, tc.want)
		}
	}
}

func TestParseHexKey(t *testing.T) {
	const lower = "8d2f0b0b3e6a6d1e5f7c9a4b2c1d0e3f5a6b7c8d9e0f1a2b3c4d5e6f708192a3"
	want, _ := hex.DecodeString(lower)
	ok := []struct{ name, in string }{
		{"lower", lower},
		{"upper", strings.ToUpper(lower)},
		{"mixed", lower[:32] + strings.ToUpper(lower[32:])},
		{"surrounding spaces", "  " + lower + " "},
		{"INI multi-line form", "\n    " + lower + "\n"},
		{"tabs and CRLF", "\t" + lower + "\r\n"},
	}
	for _, tc := range ok {
		t.Run(tc.name, func(t *testing.T) {
			k, err := ParseHexKey(tc.in)
			if err != nil || !bytes.Equal(k, want) {
				t.Fatalf("ParseHexKey = %x, %v", k, err)
			}
			if _, err := NewSecretbox(k); err != nil {
				t.Fatal(err)
			}
		})
	}
	bad := []struct{ name, in string }{
		{"empty", ""},
		{"spaces only", "   "},
		{"63 chars", lower[:63]},
		{"65 chars", lower + "a"},
		{"62 chars", lower[:62]},
		{"66 chars", lower + "ab"},
		{"32 chars", lower[:32]},
		{"non-hex g", lower[:63] + "g"},
		{"non-hex z first", "z" + lower[1:]},
		{"inner space", lower[:31] + " " + lower[32:]},
		{"0x prefix", "0x" + lower[:62]},
		{"base64 of key", base64.StdEncoding.EncodeToString(want)},
		{"raw 32-byte string", string(want)},
		{"non-ASCII", "é" + lower[2:]},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			k, err := ParseHexKey(tc.in)
			if k != nil || !errors.Is(err, ErrKey) {
				t.Fatalf("ParseHexKey = %x, %v; want nil, ErrKey", k, err)
			}
			msg := err.Error()
			// Never echo the secret or any sizeable piece of it.
			for _, piece := range []string{tc.in, strings.TrimSpace(tc.in), lower[:8], lower[len(lower)-8:], strings.ToUpper(lower[:8])} {
				if len(strings.TrimSpace(piece)) >= 4 && strings.Contains(msg, piece) {
					t.Errorf("error %q contains the secret (%q)", msg, piece)
				}
			}
		})
	}
}

func TestGenerateSecret(t *testing.T) {
	h1, err := GenerateSecret(true)
	if err != nil {
		t.Fatal(err)
	}
	h2, _ := GenerateSecret(true)
	if len(h1) != 64 || !isLowerHex(string(h1)) {
		t.Errorf("GenerateSecret(true) = %q; want 64 lower-case hex characters", h1)
	}
	if bytes.Equal(h1, h2) {
		t.Error("two hex secrets are equal")
	}
	k, err := ParseHexKey(string(h1))
	if err != nil || len(k) != KeySize {
		t.Errorf("ParseHexKey(hex secret) = %x, %v", k, err)
	}
	r1, err := GenerateSecret(false)
	if err != nil {
		t.Fatal(err)
	}
	r2, _ := GenerateSecret(false)
	if len(r1) != 32 {
		t.Errorf("GenerateSecret(false) has %d bytes, want 32", len(r1))
	}
	if bytes.Equal(r1, r2) {
		t.Error("two raw secrets are equal")
	}
	if _, err := NewSecretbox(r1); err != nil {
		t.Errorf("raw secret is not a usable key: %v", err)
	}
}

// Codecs are used from many goroutines at once (run with -race).
func TestConcurrentUse(t *testing.T) {
	for _, k := range codecKinds {
		c := k.make(t, keyA, keyB)
		old := k.make(t, keyB)
		fbValue, _ := old.Encode([]byte("old"))
		done := make(chan struct{})
		for g := 0; g < 8; g++ {
			go func() {
				defer func() { done <- struct{}{} }()
				for i := 0; i < 200; i++ {
					p := []byte{byte(g), byte(i)}
					v, err := c.Encode(p)
					if err != nil {
						t.Error(err)
						return
					}
					got, fb, err := c.Decode(v)
					if err != nil || fb || !bytes.Equal(got, p) {
						t.Errorf("%s: concurrent round trip failed: %v", k.name, err)
						return
					}
					if got, fb, err := c.Decode(fbValue); err != nil || !fb || string(got) != "old" {
						t.Errorf("%s: concurrent fallback decode failed: %v", k.name, err)
						return
					}
				}
			}()
		}
		for g := 0; g < 8; g++ {
			<-done
		}
	}
}

func TestCodecInterface(t *testing.T) {
	var _ Codec = (*Secretbox)(nil)
	var _ Codec = (*Signed)(nil)
}
