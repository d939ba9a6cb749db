package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"strconv"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/sessconf/sessconf/internal/codec"
	"github.com/sessconf/sessconf/settings"
)

// fuzzPayloadSeeds are cookie payloads as Python writes them, plus the
// shapes Python accepts but sessconf refuses, and near misses.
var fuzzPayloadSeeds = []string{
	`[1700000000, 1699999000.5, {"a": 1}]`,
	`[1700000000.0, 1700000000.0, {}]`,
	`[1700000000, 1.7e+09, {"_f_": ["hello"], "_csrft_": "0123456789abcdef0123456789abcdef01234567"}]`,
	`[1e16, -0.0, {"\u00e9\ud83d\ude00": "\u0000\u007f", "": null}]`,
	`[1,2,{"a":1,"a":2,"b":{"a":[1,{"c":"}"}]}}]`,
	`  [ 1 , 2 , { "k" : [ ] } ]  `,
	`[1, 2, {"\ud800": "\udc00", "\u0061": 1, "a": 2}]`,
	`[1, 2, {"n": 12345678901234567890123, "f": 1E400, "g": -1e-400}]`,
	`[1E400, 2, {}]`,
	`[-1e-400, 0, {}]`,
	`[NaN, 2, {}]`,
	`["1700000000", "1699999000", {}]`,
	`[true, false, {}]`,
	`[1, 2, [["k", "v"]]]`,
	`[1, 2, null]`,
	`[1, 2, {}, 3]`,
	`[1, 2, {}] x`,
	`[1, 2]`,
	`"123"`,
	`{}`,
	`[1, 2, {"a": "\"}]"}]`,
	"[1, 2, {\"a\": \"\xff\"}]",
	`[-, 2, {}]`,
	`[01, 2, {}]`,
	``,
}

// fuzzCheckState checks the State invariants: unique keys, one value per
// key, every value valid JSON.
func fuzzCheckState(t *testing.T, st *State) {
	t.Helper()
	if st == nil {
		t.Fatal("nil state without an error")
	}
	seen := make(map[string]bool, len(st.members))
	for _, m := range st.members {
		k := m.key
		if seen[k] {
			t.Fatalf("key %q appears twice", k)
		}
		seen[k] = true
		if v, ok := st.Get(k); !ok || !bytes.Equal(v, m.raw) {
			t.Fatalf("key %q: Get finds %q, want %q", k, v, m.raw)
		}
		if v := m.raw; !json.Valid(v) {
			t.Fatalf("value of %q is not JSON: %q", k, v)
		}
	}
}

func fuzzSameState(t *testing.T, a, b *State) {
	t.Helper()
	if len(a.members) != len(b.members) {
		t.Fatalf("keys %q became %q", a.Keys(), b.Keys())
	}
	for i, m := range a.members {
		if b.members[i].key != m.key {
			t.Fatalf("keys %q became %q", a.Keys(), b.Keys())
		}
		if !bytes.Equal(m.raw, b.members[i].raw) {
			t.Fatalf("value of %q: %q became %q", m.key, m.raw, b.members[i].raw)
		}
	}
}

func sameFloat(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) }

// fuzzIsObject reports whether raw JSON is an object.
func fuzzIsObject(raw json.RawMessage) bool {
	raw = bytes.TrimLeft(raw, " \t\r\n")
	return len(raw) > 0 && raw[0] == '{'
}

// fuzzNumber parses a JSON number literal as ParsePayload must have.
func fuzzNumber(t *testing.T, raw json.RawMessage, got float64) {
	t.Helper()
	var n json.Number
	if err := json.Unmarshal(raw, &n); err != nil {
		t.Fatalf("accepted a timestamp that is not a number: %s", raw)
	}
	f, err := strconv.ParseFloat(n.String(), 64)
	if math.IsInf(f, 0) || math.IsNaN(f) {
		t.Fatalf("accepted a non-finite timestamp %s", raw)
	}
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		t.Fatalf("timestamp %s: %v", raw, err)
	}
	if !sameFloat(f, got) {
		t.Fatalf("timestamp %s parsed as %v, want %v", raw, got, f)
	}
}

func FuzzParsePayload(f *testing.F) {
	for _, s := range fuzzPayloadSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		accessed, created, st, err := ParsePayload(data)
		if err != nil {
			if !errors.Is(err, ErrPayload) {
				t.Fatalf("error %v does not wrap ErrPayload", err)
			}
			return
		}
		// Accepted: valid UTF-8 JSON, an array of [finite number, finite number, object].
		if !utf8.Valid(data) || !json.Valid(data) {
			t.Fatalf("accepted invalid UTF-8 or JSON: %q", data)
		}
		var arr []json.RawMessage
		if err := json.Unmarshal(data, &arr); err != nil || len(arr) != 3 {
			t.Fatalf("accepted %q: not a 3-element array (%v)", data, err)
		}
		fuzzNumber(t, arr[0], accessed)
		fuzzNumber(t, arr[1], created)
		if !fuzzIsObject(arr[2]) {
			t.Fatalf("accepted a state that is not an object: %s", arr[2])
		}
		fuzzCheckState(t, st)
		var m map[string]json.RawMessage
		if err := json.Unmarshal(arr[2], &m); err != nil || len(m) != st.Len() {
			t.Fatalf("state has %d keys, encoding/json finds %d (%v)", st.Len(), len(m), err)
		}

		// Written back, the record parses to the same timestamps and state,
		// and writing that again gives the same bytes.
		rec := &Record{Accessed: accessed, Created: created, State: st}
		out := AppendPayload(nil, rec)
		a2, c2, st2, err := ParsePayload(out)
		if err != nil {
			t.Fatalf("AppendPayload output %q does not parse: %v", out, err)
		}
		if !sameFloat(a2, accessed) || !sameFloat(c2, created) {
			t.Fatalf("timestamps %v, %v became %v, %v via %q", accessed, created, a2, c2, out)
		}
		fuzzSameState(t, st, st2)
		if again := AppendPayload(nil, &Record{Accessed: a2, Created: c2, State: st2}); !bytes.Equal(again, out) {
			t.Fatalf("AppendPayload is not stable:\n%q\n%q", out, again)
		}
		// The int form Pyramid writes after an access.
		if accessed == math.Trunc(accessed) && math.Abs(accessed) < 1<<53 {
			rec.AccessedInt = true
			a3, _, _, err := ParsePayload(AppendPayload(nil, rec))
			if err != nil || a3 != accessed {
				t.Fatalf("int accessed %v became %v (%v)", accessed, a3, err)
			}
		}
	})
}

func FuzzParseState(f *testing.F) {
	for _, s := range []string{
		`{}`, `{"a": 1}`, `{"a":1,"a":2,"b":3,"a":4}`, ` { "x" : { "y" : [1, "}"] } } `,
		`{"\u0061": 1, "a": 2}`, `{"\ud800": 1, "\udbff": 2}`, `{"k": "\\\""}`,
		`[]`, `null`, `{"a": 1} {}`, `{"a": 1`, "{\"\xff\": 1}", `"{}"`, ``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		st, err := ParseState(data)
		if err != nil {
			if !errors.Is(err, ErrPayload) {
				t.Fatalf("error %v does not wrap ErrPayload", err)
			}
			return
		}
		if !utf8.Valid(data) || !json.Valid(data) || !fuzzIsObject(data) {
			t.Fatalf("accepted %q, which is not a UTF-8 JSON object", data)
		}
		fuzzCheckState(t, st)
		var m map[string]json.RawMessage
		if err := json.Unmarshal(data, &m); err != nil || len(m) != st.Len() {
			t.Fatalf("state has %d keys, encoding/json finds %d (%v)", st.Len(), len(m), err)
		}
		out := AppendState(nil, st)
		st2, err := ParseState(out)
		if err != nil {
			t.Fatalf("AppendState output %q does not parse: %v", out, err)
		}
		fuzzSameState(t, st, st2)
		if again := AppendState(nil, st2); !bytes.Equal(again, out) {
			t.Fatalf("AppendState is not stable:\n%q\n%q", out, again)
		}
	})
}

// Keys for FuzzCookieLoad: each backend has a primary and a fallback secret.
const (
	fuzzSignedSecret   = "seekrit"
	fuzzSignedOld      = "old-seekrit"
	fuzzEncKey         = "0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0"
	fuzzEncKeyFallback = "ffeeddccbbaa99887766554433221100f0e1d2c3b4a59687786a5a4b3c2d1e0f"
)

// fuzzNow is the fixed clock of FuzzCookieLoad.
var fuzzNow = time.Unix(1700000000, 250000000)

type fuzzBackend struct {
	name  string
	b     Backend
	seeds map[string]bool // every value the backend's own codecs produced
}

// fuzzBackends builds the signed and encrypted cookie backends and seeds
// them with values their codecs produced: well-formed sessions (fresh,
// idle-expired, past the absolute timeout), the same sealed with the
// fallback secret, and sealed payloads of the wrong shape. (Save's own
// output is checked in FuzzCookieLoad by re-issuing what loads.)
func fuzzBackends(tb testing.TB) []*fuzzBackend {
	tb.Helper()
	signedOpts := settings.Default()
	signedOpts.Type = settings.TypeSigned
	signedOpts.Secret, signedOpts.SecretFallbacks = fuzzSignedSecret, []string{fuzzSignedOld}
	encOpts := settings.Default()
	encOpts.Type = settings.TypeEncrypted
	encOpts.Secret, encOpts.SecretFallbacks = fuzzEncKey, []string{fuzzEncKeyFallback}

	mustKey := func(s string) []byte {
		k, err := codec.ParseHexKey(s)
		if err != nil {
			tb.Fatal(err)
		}
		return k
	}
	mustCodec := func(c codec.Codec, err error) codec.Codec {
		if err != nil {
			tb.Fatal(err)
		}
		return c
	}
	salt := signedOpts.Salt
	codecs := map[string][]codec.Codec{
		settings.TypeSigned: {
			mustCodec(codec.NewSigned("sha512", codec.SignedKey(salt, fuzzSignedSecret))),
			mustCodec(codec.NewSigned("sha512", codec.SignedKey(salt, fuzzSignedOld))),
		},
		settings.TypeEncrypted: {
			mustCodec(codec.NewSecretbox(mustKey(fuzzEncKey))),
			mustCodec(codec.NewSecretbox(mustKey(fuzzEncKeyFallback))),
		},
	}
	payloads := []string{
		`[1700000000, 1699999000.5, {"user": "alice", "n": 1.5}]`,
		`[1699999990.0, 1699999990.0, {}]`,
		`[1699990000, 1699000000.0, {"old": true}]`,  // idle timeout passed
		`[1700000000, 1600000000.0, {"ancient": 1}]`, // absolute timeout passed
		`[1700000000, 1699999999.0, {"_f_": ["hi"], "_csrft_": "0123456789abcdef0123456789abcdef01234567", "\u00e9": [1, {"a": null}]}]`,
		`[1700000000, 1699999999.0, {"a":1,"a":2}]`,
		// Sealed, but refused by ParsePayload:
		`"123"`, `[1, 2, 3]`, `null`, `[1, 2, {}, 4]`, `["1700000000", "1699999000", {}]`, `[NaN, 1, {}]`, `not json`, ``,
	}
	var out []*fuzzBackend
	for _, o := range []settings.Options{signedOpts, encOpts} {
		o.AbsoluteTimeout = settings.Seconds(86400)
		b, err := New(o)
		if err != nil {
			tb.Fatal(err)
		}
		fb := &fuzzBackend{name: o.Type, b: b, seeds: map[string]bool{}}
		// Seeds must be the same in every fuzzing process, so the
		// encrypted ones use fixed nonces instead of Encode's random ones.
		for i, p := range payloads {
			for _, c := range codecs[o.Type] {
				var v string
				if sb, ok := c.(*codec.Secretbox); ok {
					v = sb.EncodeWithNonce([]byte(p), [24]byte{byte(i), 's', 'e', 'e', 'd'})
				} else if v, err = c.Encode([]byte(p)); err != nil {
					tb.Fatal(err)
				}
				fb.seeds[v] = true
			}
		}
		out = append(out, fb)
	}
	return out
}

func fuzzRequest(cookieHeader string) *http.Request {
	return &http.Request{Method: http.MethodGet, Header: http.Header{"Cookie": {cookieHeader}}}
}

func FuzzCookieLoad(f *testing.F) {
	backends := fuzzBackends(f)
	for _, fb := range backends {
		for v := range fb.seeds {
			f.Add(v)
		}
	}
	for _, s := range []string{"", "x", "AAAA", "\"\"", "a;b", "====", "-_-_", "session=x", "\x00\xff"} {
		f.Add(s)
	}
	nowf := UnixSeconds(fuzzNow)
	f.Fuzz(func(t *testing.T, value string) {
		for _, fb := range backends {
			r := fuzzRequest("session=" + value)
			rec, err := fb.b.Load(context.Background(), r, fuzzNow)
			if err != nil {
				t.Fatalf("%s: Load error %v", fb.name, err)
			}
			if rec == nil || rec.State == nil {
				t.Fatalf("%s: Load returned no record or state", fb.name)
			}
			fuzzCheckState(t, rec.State)
			if rec.New {
				if rec.State.Len() != 0 || rec.Created != nowf || rec.Accessed != nowf || rec.Fallback {
					t.Fatalf("%s: new record %+v", fb.name, rec)
				}
				continue
			}
			// An existing session: only a value the codec produced.
			cs := r.CookiesNamed("session")
			if len(cs) == 0 || !fb.seeds[cs[len(cs)-1].Value] {
				t.Fatalf("%s: cookie %q loaded as an existing session (created %v) but no codec produced it", fb.name, value, rec.Created)
			}
			if math.IsNaN(rec.Created) || math.IsInf(rec.Created, 0) || math.IsNaN(rec.Accessed) || math.IsInf(rec.Accessed, 0) {
				t.Fatalf("%s: non-finite timestamps %v, %v", fb.name, rec.Accessed, rec.Created)
			}
			if rec.Reason != nil && (!errors.Is(rec.Reason, ErrExpired) || rec.State.Len() != 0) {
				t.Fatalf("%s: existing session with reason %v and %d keys", fb.name, rec.Reason, rec.State.Len())
			}
			// Re-issued, it loads again with the same data.
			rec.Modified = true
			h := http.Header{}
			if err := fb.b.Save(context.Background(), h, rec, fuzzNow); err != nil {
				t.Fatalf("%s: Save: %v", fb.name, err)
			}
			c, err := http.ParseSetCookie(h.Get("Set-Cookie"))
			if err != nil {
				t.Fatalf("%s: Save wrote %q: %v", fb.name, h.Get("Set-Cookie"), err)
			}
			again, err := fb.b.Load(context.Background(), fuzzRequest("session="+c.Value), fuzzNow)
			if err != nil || again.New || again.Fallback || !sameFloat(again.Created, rec.Created) {
				t.Fatalf("%s: re-issued cookie reloads as %+v (%v)", fb.name, again, err)
			}
			if rec.Reason == nil {
				fuzzSameState(t, rec.State, again.State)
			}
		}
	})
}

// FuzzParseRecord: a stored Redis value never panics the parser; one it
// accepts is written back by appendRecord to a record that parses to the
// same version, times and data.
func FuzzParseRecord(f *testing.F) {
	for _, s := range []string{
		`{"v": 3, "created": 1700000000.5, "accessed": 1700000100, "data": {"a": 1}}`,
		`{"v": 1, "created": 1, "accessed": 1, "data": {}}`,
		`{"v": 1, "created": 1, "accessed": 1, "data": }`,
		`{"v": 1, "created": x, "accessed": 1, "data": {}}`,
		`{"v": 1, "created": 1, "accessed": 1, "data": `,
		`{"fwd": "0123456789abcdef0123456789abcdef"}`, tombstoneValue, `{}`, `}`, ``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, val []byte) {
		version, created, accessed, st, err := parseRecord(bytes.Clone(val))
		if err != nil {
			if !errors.Is(err, ErrPayload) {
				t.Fatalf("error %v does not wrap ErrPayload", err)
			}
			return
		}
		out := appendRecord(nil, version, created, accessed, st)
		v2, c2, a2, st2, err := parseRecord(out)
		if err != nil {
			t.Fatalf("appendRecord output %q does not parse: %v", out, err)
		}
		if v2 != version || !sameFloat(c2, created) || !sameFloat(a2, accessed) {
			t.Fatalf("round trip: (%d, %v, %v) became (%d, %v, %v)", version, created, accessed, v2, c2, a2)
		}
		fuzzSameState(t, st, st2)
	})
}
