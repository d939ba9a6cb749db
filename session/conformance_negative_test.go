package session

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sessconf/sessconf/factory"
	"github.com/sessconf/sessconf/internal/engine"
	"github.com/sessconf/sessconf/internal/vectors"
	"github.com/sessconf/sessconf/settings"
)

// negativeRules: deliberate divergences for signed_negative / encrypted_negative.
var negativeRules = []rule{
	{
		reason: "Python has no clock-skew check: a validly sealed cookie whose access or creation time lies in the future never idles out (or escapes absolute_timeout); we refuse times beyond now + 5 minutes and start a new session",
		match: func(v obj) bool {
			ok, isOK := v["serializer_loads"].(obj)
			if !isOK || !pyramidShape(ok["ok"]) || v["now"] == nil {
				return false
			}
			p := ok["ok"].([]any)
			limit := num(v["now"]) + engine.MaxClockSkew.Seconds()
			return (num(p[0]) > limit || num(p[1]) > limit) && str(v["outcome"]) != "new_session"
		},
	},
	{
		reason: "Python's base64 is lenient (junk characters, '+/', padding, non-canonical last character); we accept only canonical unpadded base64url, which is all Python ever writes",
		match: func(v obj) bool {
			c := str(v["cookie"])
			b, ok := vectors.PythonB64Decode(c)
			return ok && str(v["outcome"]) != "new_session" && strings.TrimRight(base64URL(b), "=") != c
		},
	},
	{
		reason: "Python accepts any 3-item payload whose items float() accepts (strings, booleans, NaN) or any dict() initialiser as state, and crashes (500) on others; we require [number, number, object] and start a new session otherwise",
		match: func(v obj) bool {
			ok, isOK := v["serializer_loads"].(obj)
			if !isOK {
				return false
			}
			loaded, has := ok["ok"]
			return has && !pyramidShape(loaded) && str(v["outcome"]) != "new_session"
		},
	},
}

// pyramidShape reports whether a decoded payload is [finite number, finite number, object].
func pyramidShape(p any) bool {
	a, ok := p.([]any)
	if !ok || len(a) != 3 {
		return false
	}
	_, n1 := a[0].(json.Number)
	_, n2 := a[1].(json.Number)
	_, o := a[2].(obj)
	return n1 && n2 && o
}

func conformNegative(t *testing.T, tally *vectors.Tally) {
	for _, file := range []string{"signed_negative.json", "encrypted_negative.json"} {
		_, ovs := vectors.LoadOrdered(t, file)
		tally.Expect(file, len(ovs))
		for _, ov := range ovs {
			v := vectors.Plain(ov).(obj)
			name := str(v["name"])
			var opts settings.Options
			if kh, ok := v["key_hex"]; ok {
				opts = settings.Default()
				opts.Type, opts.Secret = settings.TypeEncrypted, str(kh)
			} else {
				opts = optionsFrom(v["factory"].(obj))
				opts.Type, opts.Secret = settings.TypeSigned, str(v["factory_secret"])
				opts.Salt, opts.HashAlg = str(v["factory_salt"]), str(v["factory_hashalg"])
			}
			diverged := ""
			for _, r := range negativeRules {
				if r.match(v) {
					diverged = r.reason
					break
				}
			}
			if ser := str(v["factory_serializer"]); ser == "PickleSerializer" {
				diverged = "pickle is never deserialised: a JSON cookie read by Python's pickle factory is a new session there; we have no pickle factory"
			}
			t.Run(file+"/"+name, func(t *testing.T) {
				b, err := factory.New(opts)
				if err != nil {
					t.Fatal(err)
				}
				r := httptest.NewRequest("GET", "/", nil)
				if c, ok := v["cookie"].(string); ok {
					r.Header.Set("Cookie", opts.CookieName+"="+c)
				}
				rec, err := b.(engine.Backend).Load(r.Context(), r, floatTime(num(v["now"])))
				if err != nil {
					t.Fatal(err)
				}
				outcome := str(v["outcome"])
				if diverged != "" {
					if !rec.New && !strings.HasPrefix(diverged, "pickle") {
						t.Errorf("diverged vector loaded: %+v", rec)
					}
					return
				}
				switch outcome {
				case "new_session":
					if !rec.New || rec.State.Len() != 0 {
						t.Errorf("want a new session, got %+v", rec)
					}
				case "loaded", "loaded_state_cleared":
					want := v["session"].(obj)
					if rec.New || rec.Created != num(want["created"]) || rec.Renewed != num(want["renewed"]) {
						t.Errorf("got new=%v created=%v renewed=%v, want %v", rec.New, rec.Created, rec.Renewed, want)
					}
					if got := stateOf(rec.State); !vectors.Equal(got, want["state"]) {
						t.Errorf("state %s, want %s", vectors.Show(got), vectors.Show(want["state"]))
					}
					if (outcome == "loaded_state_cleared") != errors.Is(rec.Reason, engine.ErrExpired) {
						t.Errorf("reason %v for outcome %s", rec.Reason, outcome)
					}
				default:
					t.Fatalf("outcome %q not covered by a rule", outcome)
				}
			})
			if diverged != "" {
				tally.Diverged(file, diverged)
			} else {
				tally.Checked(file)
			}
		}
	}
}

func stateOf(st *State) obj {
	out := obj{}
	for _, k := range st.Keys() {
		raw, _ := st.Get(k)
		var v any
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		dec.Decode(&v)
		out[k] = v
	}
	return out
}

// State is the factory's state type, named here for brevity.
type State = engine.State
