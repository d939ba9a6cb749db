package codec

import (
	"bytes"
	"crypto/hmac"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sessconf/sessconf/internal/vectors"
)

// Codec-level conformance against the vectors produced by the Python
// originals (webob's SignedSerializer, pyramid_nacl_session's
// EncryptedSerializer, Pyramid's cookie payload).
//
// Every vector is either checked against our behaviour or matched by a
// divergence rule. Rules are predicates over a vector's fields, never over
// its name; a vector that nothing accounts for fails the test.

type signedVector struct {
	Name           string  `json:"name"`
	Secret         *string `json:"secret"`
	Salt           *string `json:"salt"`
	SecretBytesHex *string `json:"secret_bytes_hex"`
	SaltBytesHex   *string `json:"salt_bytes_hex"`
	HashAlg        *string `json:"hashalg"`
	HMACKeyHex     *string `json:"hmac_key_hex"`
	DigestSize     *int    `json:"digest_size"`
	PayloadJSON    *string `json:"payload_json"`
	PayloadLen     *int    `json:"payload_len"`
	SignatureHex   *string `json:"signature_hex"`
	Cookie         *string `json:"cookie"`
	CookieLen      *int    `json:"cookie_len"`
	Floats         []any   `json:"floats"`
}

type encryptedVector struct {
	Name         string  `json:"name"`
	KeyHex       *string `json:"key_hex"`
	Serializer   *string `json:"serializer"`
	NonceHex     *string `json:"nonce_hex"`
	PlaintextHex *string `json:"plaintext_hex"`
	RawHex       *string `json:"raw_hex"`
	Cookie       *string `json:"cookie"`
	CookieLen    *int    `json:"cookie_len"`
	PlaintextLen *int    `json:"plaintext_len"`
	// generate_secret output shapes.
	RandomBytesHex *string `json:"random_bytes_hex"`
	AsHexTrueRepr  *string `json:"as_hex_true_python_repr"`
}

// loadsResult is what the Python serializer's loads returned or raised.
type loadsResult struct {
	OK    json.RawMessage `json:"ok"`
	Error *struct {
		Type    string `json:"type"`
		Message string `json:"message"`
	} `json:"error"`
}

type negativeVector struct {
	Name            string       `json:"name"`
	Cookie          *string      `json:"cookie"`
	FactorySecret   *string      `json:"factory_secret"`
	FactorySalt     *string      `json:"factory_salt"`
	FactoryHashAlg  *string      `json:"factory_hashalg"`
	KeyHex          *string      `json:"key_hex"`
	SerializerLoads *loadsResult `json:"serializer_loads"`
}

type vectorFile[V any] struct {
	Vectors []V `json:"vectors"`
}

// Divergence rules. Each is stated as the predicate that selects it.
const (
	ruleMD5 = "hashalg == \"md5\": NewSigned refuses md5 (ErrHashAlg) by policy; " +
		"HMAC-MD5 still verified here with crypto/md5 to prove the vector is understood"
	ruleNoCookie = "no cookie field (not a codec vector: JSON float-repr corpus, " +
		"belongs to the session JSON encoder tests)"
	ruleNullCookie = "cookie is null: no value reaches the codec (session layer: no cookie -> new session)"
	// Python's urlsafe_b64decode is lenient; our decoder is strict. The
	// predicate: Python's loads accepted, the cookie is not the canonical
	// unpadded base64url spelling of the bytes Python decoded from it, and
	// we accept that canonical spelling.
	ruleLenientPadding  = "non-canonical base64 (contains '=' padding): Python accepts, strict decoder refuses"
	ruleLenientStd      = "non-canonical base64 (contains '+' or '/'): Python accepts, strict decoder refuses"
	ruleLenientJunk     = "non-canonical base64 (characters outside the alphabet): Python drops them, strict decoder refuses"
	ruleLenientTailBits = "non-canonical base64 (unused trailing bits set): Python accepts, strict decoder refuses"
)

func TestVectorConformance(t *testing.T) {
	var tally vectors.Tally
	t.Run("signed_cookies", func(t *testing.T) { checkSignedCookies(t, &tally) })
	t.Run("encrypted_cookies", func(t *testing.T) { checkEncryptedCookies(t, &tally) })
	t.Run("signed_negative", func(t *testing.T) {
		checkNegative(t, &tally, "signed_negative.json", func(t *testing.T, v negativeVector) Codec {
			if v.FactorySecret == nil || v.FactoryHashAlg == nil {
				t.Fatalf("%s: factory_secret/factory_hashalg missing", v.Name)
			}
			c, err := NewSigned(*v.FactoryHashAlg, SignedKey(deref(v.FactorySalt), *v.FactorySecret))
			if err != nil {
				t.Fatalf("%s: NewSigned: %v", v.Name, err)
			}
			return c
		})
	})
	t.Run("encrypted_negative", func(t *testing.T) {
		checkNegative(t, &tally, "encrypted_negative.json", func(t *testing.T, v negativeVector) Codec {
			if v.KeyHex == nil {
				t.Fatalf("%s: key_hex missing", v.Name)
			}
			return mustSecretbox(t, mustHex(t, *v.KeyHex))
		})
	})
	tally.Verify(t)
	t.Log(tally.Line())
	t.Log("per file:\n" + tally.Files())
	t.Log("divergence rules:\n" + tally.Rules())
}

// account runs check for one vector and makes sure it was counted exactly
// once, as checked or under a rule.
func account(t *testing.T, tally *vectors.Tally, file, name string, check func(t *testing.T) (rule string, ok bool)) {
	t.Helper()
	t.Run(name, func(t *testing.T) {
		rule, ok := check(t)
		switch {
		case !ok:
			t.Errorf("%s: vector %q is neither checked nor matched by a divergence rule", file, name)
		case rule == "":
			tally.Checked(file)
		default:
			tally.Diverged(file, rule)
			t.Logf("divergence: %s", rule)
		}
	})
}

func checkSignedCookies(t *testing.T, tally *vectors.Tally) {
	const file = "signed_cookies.json"
	var f vectorFile[signedVector]
	vectors.Load(t, file, &f)
	if len(f.Vectors) == 0 {
		t.Fatalf("%s: no vectors", file)
	}
	tally.Expect(file, len(f.Vectors))
	for _, v := range f.Vectors {
		account(t, tally, file, v.Name, func(t *testing.T) (string, bool) {
			if v.Cookie == nil {
				if len(v.Floats) == 0 {
					return "", false
				}
				return ruleNoCookie, true
			}
			if v.HashAlg == nil || v.PayloadJSON == nil || v.HMACKeyHex == nil {
				return "", false
			}
			cookie, payload := *v.Cookie, []byte(*v.PayloadJSON)
			wantKey := mustHex(t, *v.HMACKeyHex)

			// Key derivation. A text secret goes through SignedKey (salt
			// null ≡ ""); a bytes secret/salt (the *_bytes_hex fields)
			// passes through unchanged: key = salt || secret.
			var key []byte
			switch {
			case v.Secret != nil:
				key = SignedKey(deref(v.Salt), *v.Secret)
			case v.SecretBytesHex != nil:
				key = append(mustHex(t, deref(v.SaltBytesHex)), mustHex(t, *v.SecretBytesHex)...)
			default:
				return "", false
			}
			if !bytes.Equal(key, wantKey) {
				t.Errorf("HMAC key = %x, want %x", key, wantKey)
			}

			// Shape fields, where present.
			raw, err := base64.RawURLEncoding.Strict().DecodeString(cookie)
			if err != nil {
				t.Fatalf("vector cookie is not strict base64url: %v", err)
			}
			if v.CookieLen != nil && *v.CookieLen != len(cookie) {
				t.Errorf("cookie_len %d, cookie has %d", *v.CookieLen, len(cookie))
			}
			if v.PayloadLen != nil && *v.PayloadLen != len(payload) {
				t.Errorf("payload_len %d, payload has %d", *v.PayloadLen, len(payload))
			}
			if v.SignatureHex != nil {
				sig := mustHex(t, *v.SignatureHex)
				if v.DigestSize != nil && *v.DigestSize != len(sig) {
					t.Errorf("digest_size %d, signature has %d bytes", *v.DigestSize, len(sig))
				}
				if !bytes.HasPrefix(raw, sig) || !bytes.Equal(raw[len(sig):], payload) {
					t.Errorf("cookie bytes are not signature_hex || payload_json")
				}
			}

			c, err := NewSigned(*v.HashAlg, key)
			if *v.HashAlg == "md5" {
				if !errors.Is(err, ErrHashAlg) || c != nil {
					t.Errorf("NewSigned(md5) = %v, %v; want nil, ErrHashAlg", c, err)
				}
				m := hmac.New(md5.New, key)
				m.Write(payload)
				if want := append(m.Sum(nil), payload...); !bytes.Equal(raw, want) {
					t.Errorf("md5 vector is not HMAC-MD5(key, payload) || payload")
				}
				return ruleMD5, true
			}
			if err != nil {
				t.Fatalf("NewSigned(%q): %v", *v.HashAlg, err)
			}
			got, fallback, err := c.Decode(cookie)
			if err != nil || fallback || !bytes.Equal(got, payload) {
				t.Errorf("Decode = %q, %v, %v; want %q, false, nil", got, fallback, err, payload)
			}
			enc, err := c.Encode(payload)
			if err != nil || enc != cookie {
				t.Errorf("Encode = %q, %v; want %q", enc, err, cookie)
			}
			return "", true
		})
	}
}

func checkEncryptedCookies(t *testing.T, tally *vectors.Tally) {
	const file = "encrypted_cookies.json"
	var f vectorFile[encryptedVector]
	vectors.Load(t, file, &f)
	if len(f.Vectors) == 0 {
		t.Fatalf("%s: no vectors", file)
	}
	tally.Expect(file, len(f.Vectors))
	for _, v := range f.Vectors {
		account(t, tally, file, v.Name, func(t *testing.T) (string, bool) {
			switch {
			case v.Cookie != nil && v.KeyHex != nil && v.NonceHex != nil && v.PlaintextHex != nil:
				// Fixed-nonce vector. The codec is serializer-agnostic, so
				// pickle vectors are checked too (the session layer
				// refuses pickle later).
				key, plaintext := mustHex(t, *v.KeyHex), mustHex(t, *v.PlaintextHex)
				var nonce [24]byte
				if n := mustHex(t, *v.NonceHex); len(n) != len(nonce) {
					t.Fatalf("nonce_hex has %d bytes", len(n))
				} else {
					copy(nonce[:], n)
				}
				c := mustSecretbox(t, key)
				got, fallback, err := c.Decode(*v.Cookie)
				if err != nil || fallback || !bytes.Equal(got, plaintext) {
					t.Errorf("Decode = %x, %v, %v; want %x, false, nil", got, fallback, err, plaintext)
				}
				if enc := c.EncodeWithNonce(plaintext, nonce); enc != *v.Cookie {
					t.Errorf("EncodeWithNonce = %q, want %q", enc, *v.Cookie)
				}
				if v.RawHex != nil {
					raw, err := base64.RawURLEncoding.Strict().DecodeString(*v.Cookie)
					if err != nil || !bytes.Equal(raw, mustHex(t, *v.RawHex)) {
						t.Errorf("cookie does not decode to raw_hex (%v)", err)
					}
				}
				if v.CookieLen != nil && *v.CookieLen != len(*v.Cookie) {
					t.Errorf("cookie_len %d, cookie has %d", *v.CookieLen, len(*v.Cookie))
				}
				// A random-nonce Encode of the same plaintext round-trips.
				enc, err := c.Encode(plaintext)
				if err != nil || len(enc) != len(*v.Cookie) {
					t.Errorf("Encode: len %d, %v; want len %d", len(enc), err, len(*v.Cookie))
				}
				if got, _, err := c.Decode(enc); err != nil || !bytes.Equal(got, plaintext) {
					t.Errorf("Decode(Encode(plaintext)) = %x, %v", got, err)
				}
				return "", true

			case v.PlaintextLen != nil && v.CookieLen != nil:
				// Random-nonce length property: len = ceil((24+16+n)*4/3).
				c := mustSecretbox(t, bytes.Repeat([]byte{7}, KeySize))
				plaintext := bytes.Repeat([]byte("x"), *v.PlaintextLen)
				enc, err := c.Encode(plaintext)
				if err != nil || len(enc) != *v.CookieLen {
					t.Errorf("Encode(%d bytes): len %d, %v; want %d", *v.PlaintextLen, len(enc), err, *v.CookieLen)
				}
				if got, _, err := c.Decode(enc); err != nil || !bytes.Equal(got, plaintext) {
					t.Errorf("round trip: %v", err)
				}
				return "", true

			case v.RandomBytesHex != nil:
				// generate_secret output shapes.
				sample := *v.RandomBytesHex
				if v.AsHexTrueRepr != nil && *v.AsHexTrueRepr != "b'"+sample+"'" {
					t.Errorf("as_hex_true repr %q is not b'<random_bytes_hex>'", *v.AsHexTrueRepr)
				}
				hexSecret, err := GenerateSecret(true)
				if err != nil {
					t.Fatal(err)
				}
				if len(hexSecret) != len(sample) || !isLowerHex(string(hexSecret)) || !isLowerHex(sample) {
					t.Errorf("GenerateSecret(true) = %q; want the shape of %q (%d lower-case hex)", hexSecret, sample, len(sample))
				}
				rawSecret, err := GenerateSecret(false)
				if err != nil {
					t.Fatal(err)
				}
				if len(rawSecret) != len(sample)/2 {
					t.Errorf("GenerateSecret(false) has %d bytes, want %d", len(rawSecret), len(sample)/2)
				}
				if _, err := ParseHexKey(string(hexSecret)); err != nil {
					t.Errorf("ParseHexKey(GenerateSecret(true)): %v", err)
				}
				return "", true
			}
			return "", false
		})
	}
}

// codecStageError reports whether a Python loads error was raised by the
// codec stage (base64, HMAC, secretbox) rather than by the inner
// serializer that runs after the codec accepted the value.
func codecStageError(msg string) bool {
	for _, p := range []string{"Invalid signature", "Badly formed base64 data", "Possible tampering"} {
		if strings.HasPrefix(msg, p) {
			return true
		}
	}
	return false
}

// lenientRule returns the divergence rule matching a cookie Python accepts
// and we refuse, or "" when the cookie is canonical (no rule applies).
func lenientRule(cookie string) (rule, canonical string) {
	raw, ok := vectors.PythonB64Decode(cookie)
	if !ok {
		return "", ""
	}
	canonical = base64.RawURLEncoding.EncodeToString(raw)
	if canonical == cookie {
		return "", ""
	}
	switch {
	case strings.Contains(cookie, "="):
		return ruleLenientPadding, canonical
	case strings.ContainsAny(cookie, "+/"):
		return ruleLenientStd, canonical
	case strings.IndexFunc(cookie, func(r rune) bool { return !isB64URL(r) }) >= 0:
		return ruleLenientJunk, canonical
	default:
		return ruleLenientTailBits, canonical
	}
}

func isB64URL(r rune) bool {
	return r == '-' || r == '_' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9'
}

// checkNegative compares our Decode verdict with the codec-stage part of
// the vector's serializer_loads result. The session-level outcome (expiry,
// shape confusion, ...) belongs to the session package's tests.
func checkNegative(t *testing.T, tally *vectors.Tally, file string, codecFor func(*testing.T, negativeVector) Codec) {
	var f vectorFile[negativeVector]
	vectors.Load(t, file, &f)
	if len(f.Vectors) == 0 {
		t.Fatalf("%s: no vectors", file)
	}
	tally.Expect(file, len(f.Vectors))
	for _, v := range f.Vectors {
		account(t, tally, file, v.Name, func(t *testing.T) (string, bool) {
			if v.Cookie == nil {
				if v.SerializerLoads != nil {
					return "", false
				}
				return ruleNullCookie, true
			}
			if v.SerializerLoads == nil {
				return "", false
			}
			cookie, loads := *v.Cookie, *v.SerializerLoads
			pyOK := loads.Error == nil
			// The codec accepted in Python when loads succeeded, or when it
			// failed only in the inner serializer (JSON/UTF-8/pickle).
			pyCodecOK := pyOK || !codecStageError(loads.Error.Message)

			c := codecFor(t, v)
			payload, fallback, err := c.Decode(cookie)
			if err != nil && !errors.Is(err, ErrDecode) {
				t.Errorf("Decode error %v does not match ErrDecode", err)
			}
			if fallback {
				t.Errorf("Decode reported fallback with a single-key codec")
			}
			ours := err == nil

			if pyCodecOK && !ours {
				rule, canonical := lenientRule(cookie)
				if rule == "" {
					t.Errorf("Python's codec accepted %q, we refuse: %v", cookie, err)
					return "", true
				}
				// The rule only holds if the canonical spelling is accepted.
				if _, _, err := c.Decode(canonical); err != nil {
					t.Errorf("canonical spelling %q refused too: %v", canonical, err)
				}
				if !errors.Is(err, ErrMalformed) {
					t.Errorf("non-canonical base64 refused with %v, want ErrMalformed", err)
				}
				return rule, true
			}
			if !pyCodecOK && ours {
				t.Errorf("Python's codec refused (%s), we accept %q", loads.Error.Message, payload)
				return "", true
			}
			if ours {
				checkLoadsAgree(t, payload, loads)
			}
			return "", true
		})
	}
}

// checkLoadsAgree checks a payload our codec accepted against what
// Python's inner serializer made of it.
func checkLoadsAgree(t *testing.T, payload []byte, loads loadsResult) {
	t.Helper()
	if loads.Error != nil {
		switch {
		case strings.Contains(loads.Error.Type, "UnicodeDecodeError"):
			if utf8.Valid(payload) {
				t.Errorf("Python saw invalid UTF-8, payload %q is valid", payload)
			}
		case strings.Contains(loads.Error.Type, "JSONDecodeError"):
			if json.Valid(payload) {
				t.Errorf("Python saw invalid JSON, payload %q is valid", payload)
			}
		}
		return
	}
	// Compare as JSON values where Go can parse the payload (Python also
	// accepts NaN/Infinity, which encoding/json does not).
	var got, want any
	if json.Unmarshal(payload, &got) != nil {
		if !bytes.Contains(loads.OK, []byte(`"$float"`)) {
			t.Errorf("payload %q is not JSON and the vector has no special floats", payload)
		}
		return
	}
	if err := json.Unmarshal(loads.OK, &want); err != nil {
		t.Fatalf("serializer_loads.ok: %v", err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("payload %s, Python loaded %s", payload, loads.OK)
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

func mustSecretbox(t testing.TB, primary []byte, fallbacks ...[]byte) *Secretbox {
	t.Helper()
	c, err := NewSecretbox(primary, fallbacks...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func isLowerHex(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f') {
			return false
		}
	}
	return true
}
