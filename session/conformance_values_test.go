package session

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sessconf/sessconf/internal/vectors"
	"github.com/sessconf/sessconf/settings"
)

// A Go handler that reads a value Python stored and writes it back (Get,
// then Set of the same value) must leave Python's bytes alone: 0 stays 0
// (not 0.0), 2.0 stays 2.0, 9007199254740993 stays exact, -0.0 and 1e+16
// keep Python's spelling, and a nested object keeps Python's member order
// (Set keeps the stored bytes of a value written back unchanged). The
// values come from the signed cookie vectors, each loaded through the
// public session API under the vector's secret, salt and hash, at the
// time the cookie was written.

// stateText splits Python's payload "[accessed, created, {state}]" into
// the created literal and the state object's text (numbers hold no ", ").
func stateText(payload string) (created, state string, ok bool) {
	inner, found := strings.CutPrefix(payload, "[")
	if !found || !strings.HasSuffix(inner, "]") {
		return "", "", false
	}
	parts := strings.SplitN(strings.TrimSuffix(inner, "]"), ", ", 3)
	if len(parts) != 3 {
		return "", "", false
	}
	return parts[1], parts[2], true
}

func TestConformanceValueRoundTrip(t *testing.T) {
	const file = "signed_cookies.json"
	_, ovs := vectors.LoadOrdered(t, file)
	values := 0
	for _, ov := range ovs {
		v := vectors.Plain(ov).(obj)
		pj, hasPayload := v["payload_json"].(string)
		alg := str(v["hashalg"])
		if !hasPayload || v["cookie"] == nil || alg == "md5" || v["secret"] == nil {
			continue // md5 is refused; bytes secrets and properties carry no text secret
		}
		created, stateJSON, ok := stateText(pj)
		if !ok {
			t.Fatalf("%s: payload %q is not [accessed, created, state]", v["name"], pj)
		}
		state, err := vectors.DecodeOrdered([]byte(stateJSON))
		st, isObj := state.(*vectors.Object)
		if err != nil || !isObj {
			t.Fatalf("%s: state %q: %v", v["name"], stateJSON, err)
		}
		// Keys the session manages itself (the CSRF token) are not data a
		// handler sets; Set refuses them.
		var keys []string
		for _, k := range st.Keys() {
			if checkKey(k) == nil {
				keys = append(keys, k)
			}
		}
		if len(keys) == 0 {
			continue
		}
		values += len(keys)
		t.Run(str(v["name"]), func(t *testing.T) {
			o := settings.Default()
			o.Type, o.Secret, o.Salt, o.HashAlg = settings.TypeSigned, textOf(v, "secret"), textOf(v, "salt"), alg
			o.Timeout, o.HTTPOnly = settings.Never, false
			clock := &testClock{now: writtenAt(t, v)}
			m, err := New(o, WithClock(clock.Now), WithLogger(quiet))
			if err != nil {
				t.Fatal(err)
			}
			h := m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				s := Get(r)
				for _, k := range keys {
					val, found := s.Get(k)
					if !found {
						t.Fatalf("key %q not loaded", k)
					}
					if err := s.Set(k, val); err != nil {
						t.Fatalf("Set(%q, %#v): %v", k, val, err)
					}
				}
			}))
			r := httptest.NewRequest("GET", "/", nil)
			r.Header.Set("Cookie", o.CookieName+"="+str(v["cookie"]))
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			cookies := w.Result().Header.Values("Set-Cookie")
			if len(cookies) != 1 {
				t.Fatalf("Set-Cookie %q, want one cookie", cookies)
			}
			_, val, _ := splitCookie(cookies[0])
			payload, _, err := codecFor(t, o).Decode(val)
			if err != nil {
				t.Fatal(err)
			}
			gotCreated, gotState, ok := stateText(string(payload))
			// created is compared by value: Pyramid reads it with float(),
			// so an int created comes back as a float from Python too.
			if !ok || num(json.Number(gotCreated)) != num(json.Number(created)) || gotState != stateJSON {
				t.Errorf("after Get+Set of %q:\n got %s\nwant [_, %s, %s]", keys, payload, created, stateJSON)
			}
		})
	}
	if values == 0 {
		t.Fatalf("%s: no value to round-trip", file)
	}
	t.Logf("value round trip: %d Python-written values read and written back byte-identical", values)
}
