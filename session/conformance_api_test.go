package session

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/sessconf/sessconf/internal/codec"
	"github.com/sessconf/sessconf/internal/engine"
	"github.com/sessconf/sessconf/internal/pyjson"
	"github.com/sessconf/sessconf/internal/vectors"
	"github.com/sessconf/sessconf/settings"
)

// session_api.json records, per ISession operation, the session before
// and after the call, what it returned or raised, and the cookie written.
// The arguments of each call are not recorded as such; they are read back
// from the vector: the key the call used is the one whose value it
// returned, added, changed or removed (or named in its KeyError), a flash
// message is the one the queue gained, and so on (see apiArgs).

// apiArgs are the arguments of one recorded call.
type apiArgs struct {
	key      string // the data key the call read or wrote
	value    any    // the value set (a json.RawMessage in Python's bytes)
	queue    string // flash queue
	allowDup bool   // flash allow_duplicate
}

// apiOps are the Go calls for the ISession operations of session_api.json.
// Python-only syntax has no Go counterpart and is a divergence.
var apiOps = map[string]func(s *Session, a apiArgs) (any, error){
	"get":                      func(s *Session, a apiArgs) (any, error) { v, _ := s.Get(a.key); return v, nil },
	"getitem":                  func(s *Session, a apiArgs) (any, error) { return GetAs[any](s, a.key) },
	"contains":                 func(s *Session, a apiArgs) (any, error) { return s.Has(a.key), nil },
	"len":                      func(s *Session, a apiArgs) (any, error) { return s.Len(), nil },
	"iter":                     func(s *Session, a apiArgs) (any, error) { return s.Keys(), nil },
	"keys":                     func(s *Session, a apiArgs) (any, error) { return s.Keys(), nil },
	"values":                   func(s *Session, a apiArgs) (any, error) { return values(s), nil },
	"items":                    func(s *Session, a apiArgs) (any, error) { return items(s), nil },
	"setitem":                  func(s *Session, a apiArgs) (any, error) { return nil, s.Set(a.key, a.value) },
	"delitem":                  func(s *Session, a apiArgs) (any, error) { return nil, keyErr(s.Has(a.key), s.Delete(a.key)) },
	"setdefault_existing":      func(s *Session, a apiArgs) (any, error) { return s.SetDefault(a.key, a.value) },
	"pop_missing_with_default": func(s *Session, a apiArgs) (any, error) { return popDefault(s, a.key, a.value) },
	"update_empty":             func(s *Session, a apiArgs) (any, error) { return nil, s.Update(nil) },
	"clear":                    func(s *Session, a apiArgs) (any, error) { return nil, s.Clear() },
	"invalidate":               func(s *Session, a apiArgs) (any, error) { return nil, s.Invalidate() },
	"changed":                  func(s *Session, a apiArgs) (any, error) { return nil, s.Changed() },
	"flash":                    flashOp,
	"flash_duplicate_disallowed_still_marks_changed": flashOp,
	"flash_queue":                         flashOp,
	"flash_non_string":                    flashOp,
	"peek_flash":                          func(s *Session, a apiArgs) (any, error) { return s.PeekFlash(a.queue), nil },
	"pop_flash":                           func(s *Session, a apiArgs) (any, error) { return s.PopFlash(a.queue) },
	"pop_flash_empty_queue_still_changed": func(s *Session, a apiArgs) (any, error) { return s.PopFlash(a.queue) },
	"get_csrf_token_existing":             func(s *Session, a apiArgs) (any, error) { return s.CSRFToken() },
	"popitem":                             popItem,
	"new_csrf_token":                      func(s *Session, a apiArgs) (any, error) { return s.NewCSRFToken() },
}

func flashOp(s *Session, a apiArgs) (any, error) { return nil, s.Flash(a.value, a.queue, a.allowDup) }

// popDefault is dict.pop(key, default): Go's Pop reports the missing key.
func popDefault(s *Session, key string, dflt any) (any, error) {
	v, err := s.Pop(key)
	if errors.Is(err, ErrNoKey) {
		return decodeRaw(dflt), nil
	}
	return v, err
}

// popItem is dict.popitem() in Go: Pop the last key Keys lists (Python
// dicts pop the last inserted). On an empty session the Pop of any key
// marks the session changed and reports ErrNoKey, as popitem raises
// KeyError after Pyramid's manage_changed.
func popItem(s *Session, _ apiArgs) (any, error) {
	keys := s.Keys()
	if len(keys) == 0 {
		_, err := s.Pop("popitem")
		return nil, err
	}
	k := keys[len(keys)-1]
	v, err := s.Pop(k)
	return []any{k, v}, err
}

// keyErr is Python's KeyError for del of a missing key.
func keyErr(found bool, err error) error {
	if err == nil && !found {
		return ErrNoKey
	}
	return err
}

func values(s *Session) []any {
	out := []any{}
	for _, k := range s.Keys() {
		v, _ := s.Get(k)
		out = append(out, v)
	}
	return out
}

func items(s *Session) []any {
	out := []any{}
	for _, k := range s.Keys() {
		v, _ := s.Get(k)
		out = append(out, []any{k, v})
	}
	return out
}

var reservedKeyRule = "the call removes a key the session manages itself (popitem of the CSRF token): sessconf refuses Delete and Pop of such keys, so names a client chose cannot remove the token or a user binding"

var noGoEquivalent = "Python-only syntax with no Go counterpart (untracked dict.copy, |=, in-place mutation of a stored value): Go values are copied in and out, so nothing can change behind the session's back"

// isFlashKey and csrfKey name Pyramid's own state keys (flash queues and
// the CSRF token), which are not the data a call works on.
func isFlashKey(k string) bool { return strings.HasPrefix(k, flashKey("")) }

// rawOf returns a vector value as Python's json.dumps wrote it.
func rawOf(t *testing.T, v any) json.RawMessage {
	t.Helper()
	b, err := vectors.PyJSON(v)
	if err != nil {
		t.Fatalf("re-encode %v: %v", v, err)
	}
	return b
}

func decodeRaw(v any) any {
	if raw, ok := v.(json.RawMessage); ok {
		return decode(raw)
	}
	return v
}

// stateDiff lists the keys whose value differs between two states, in
// the after state's order, then the keys only before has.
func stateDiff(t *testing.T, before, after *vectors.Object) (changed, removed []string) {
	for _, k := range after.Keys() {
		a, _ := after.Get(k)
		b, had := before.Get(k)
		if !had || string(rawOf(t, a)) != string(rawOf(t, b)) {
			changed = append(changed, k)
		}
	}
	for _, k := range before.Keys() {
		if _, ok := after.Get(k); !ok {
			removed = append(removed, k)
		}
	}
	return changed, removed
}

// absent returns a name, prefix + a counter, that is not a key of st.
func absent(st *vectors.Object, prefix string, wrap func(string) string) string {
	for i := 0; ; i++ {
		name := prefix + strconv.Itoa(i)
		if _, taken := st.Get(wrap(name)); !taken {
			return name
		}
	}
}

func same(s string) string { return s }

// inferArgs reads the arguments of a recorded call back from the vector.
func inferArgs(t *testing.T, op string, ov *vectors.Object, v obj) apiArgs {
	t.Helper()
	bs, _ := vectors.Path(ov, "before", "state")
	as, _ := vectors.Path(ov, "after", "state")
	before, ok1 := bs.(*vectors.Object)
	after, ok2 := as.(*vectors.Object)
	if !ok1 || !ok2 {
		t.Fatalf("vector has no before/after state")
	}
	changed, removed := stateDiff(t, before, after)
	var a apiArgs
	// The data key: named by a KeyError, else the key the call added,
	// changed or removed, else the one whose value it returned, else the
	// first data key already there.
	if e, ok := v["error"].(obj); ok && strings.HasSuffix(str(e["type"]), "KeyError") {
		k, err := vectors.PyLiteral(str(e["message"]))
		if s, isStr := k.(string); err == nil && isStr {
			a.key = s
		}
	}
	var returned []string
	if ret, ok := ov.Get("return"); ok && ret != nil {
		for _, k := range before.Keys() {
			if b, _ := before.Get(k); string(rawOf(t, b)) == string(rawOf(t, ret)) {
				returned = append(returned, k)
			}
		}
	}
	for _, ks := range [][]string{changed, removed, returned, before.Keys()} {
		for _, k := range ks {
			if a.key == "" && !isFlashKey(k) && k != csrfKey {
				a.key = k
			}
		}
	}
	if a.key == "" {
		a.key = absent(before, "absent", same)
	}
	if val, ok := after.Get(a.key); ok {
		a.value = rawOf(t, val)
	}
	switch op {
	case "pop_missing_with_default":
		a.key = absent(before, "absent", same)
		a.value = rawOf(t, ov.Value("return"))
	case "peek_flash", "pop_flash", "pop_flash_empty_queue_still_changed":
		// The queue returned (whose messages equal the return value), or
		// one that does not exist.
		a.queue = absent(before, "q", flashKey)
		ret := string(rawOf(t, ov.Value("return")))
		for _, k := range before.Keys() {
			if b, _ := before.Get(k); isFlashKey(k) && string(rawOf(t, b)) == ret {
				a.queue = strings.TrimPrefix(k, flashKey(""))
				break
			}
		}
	case "flash", "flash_duplicate_disallowed_still_marks_changed", "flash_queue", "flash_non_string":
		// The queue that gained the message; a queue left unchanged
		// refused it as a duplicate, so the message is already in it.
		var qk string
		for _, k := range changed {
			if isFlashKey(k) {
				qk, a.allowDup = k, true
				break
			}
		}
		if qk == "" {
			for _, k := range after.Keys() {
				if isFlashKey(k) {
					qk = k
					break
				}
			}
		}
		list, _ := vectors.Path(ov, "after", "state", qk)
		msgs, _ := list.([]any)
		if qk == "" || len(msgs) == 0 {
			t.Fatalf("cannot tell the flashed message from the vector")
		}
		a.queue = strings.TrimPrefix(qk, flashKey(""))
		a.value = rawOf(t, msgs[len(msgs)-1])
	}
	return a
}

// factoryOptions reads the factory the file's description names, e.g.
// SignedCookieSessionFactory('secret', reissue_time=None), onto Options;
// absent arguments take Pyramid's defaults for that factory.
func factoryOptions(t *testing.T, description string) settings.Options {
	t.Helper()
	args, kw, err := vectors.PyCall(description, "SignedCookieSessionFactory")
	if err != nil {
		t.Fatal(err)
	}
	if len(args) > 0 {
		kw["secret"] = args[0]
	}
	eff := obj{
		"cookie_name": "session", "max_age": nil, "path": "/", "domain": nil, "secure": false,
		"httponly": false, "samesite": "Lax", "set_on_exception": true, "timeout": json.Number("1200"),
		"reissue_time": json.Number("0"),
	}
	for k, v := range kw {
		if n, isInt := v.(int64); isInt {
			v = json.Number(strconv.FormatInt(n, 10))
		}
		eff[k] = v
	}
	o := optionsFrom(eff)
	o.Type = settings.TypeSigned
	o.Secret, o.Salt, o.HashAlg = str(eff["secret"]), "pyramid.session.", "sha512"
	if s, ok := eff["salt"].(string); ok {
		o.Salt = s
	}
	if h, ok := eff["hashalg"].(string); ok {
		o.HashAlg = h
	}
	if o.Secret == "" {
		t.Fatalf("no secret in %q", description)
	}
	return o
}

func conformAPI(t *testing.T, tally *vectors.Tally) {
	const file = "session_api.json"
	doc, ovs := vectors.LoadOrdered(t, file)
	tally.Expect(file, len(ovs))
	opts := factoryOptions(t, str(doc.Value("description")))
	codec := codecFor(t, opts)
	fileNow := sharedNow(t, ovs)
	for _, ov := range ovs {
		v := vectors.Plain(ov).(obj)
		name := str(v["name"])
		op, variant, _ := strings.Cut(name, "/")
		switch {
		case v["token"] != nil: // CSRF token format
			t.Run(name, func(t *testing.T) {
				m, _ := New(opts, WithLogger(quiet))
				s := &Session{m: m, r: httptest.NewRequest("GET", "/", nil)}
				tok, _ := s.NewCSRFToken()
				if !hex40.MatchString(tok) || len(tok) != int(num(v["length"])) {
					t.Errorf("token %q, want %d lower-case hex characters", tok, int(num(v["length"])))
				}
			})
			tally.Checked(file)
			continue
		case v["limit_rule"] != nil:
			now := fileNow
			if v["now"] != nil {
				now = num(v["now"])
			}
			t.Run(name, func(t *testing.T) { checkSizeLimit(t, opts, now, v, variant) })
			tally.Checked(file)
			continue
		}
		call, ok := apiOps[op]
		if !ok {
			tally.Diverged(file, noGoEquivalent)
			continue
		}
		if ret, isList := v["return"].([]any); isList && len(ret) == 2 && checkKey(str(ret[0])) != nil {
			tally.Diverged(file, reservedKeyRule)
			continue
		}
		t.Run(name, func(t *testing.T) { checkAPICall(t, opts, codec, call, op, ov, v) })
		tally.Checked(file)
	}
}

// sharedNow is the clock of a file's vectors, for the vectors that do not
// record their own: all recorded clocks must agree.
func sharedNow(t *testing.T, ovs []*vectors.Object) float64 {
	t.Helper()
	now := 0.0
	for _, ov := range ovs {
		n, ok := ov.Value("now").(json.Number)
		if !ok {
			continue
		}
		f := num(n)
		if now != 0 && f != now {
			return 0 // no shared clock; vectors without one fail on their own
		}
		now = f
	}
	return now
}

func checkAPICall(t *testing.T, opts settings.Options, cc codec.Codec, call func(*Session, apiArgs) (any, error), op string, ov *vectors.Object, v obj) {
	args := inferArgs(t, op, ov, v)
	before := v["before"].(obj)
	clock := &testClock{now: num(v["now"])}
	m, err := New(opts, WithClock(clock.Now), WithLogger(quiet))
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("GET", "/", nil)
	if !before["new"].(bool) {
		r.Header.Set("Cookie", opts.CookieName+"="+cookieFor(t, cc, ov))
	}
	var ret any
	var opErr error
	h := m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := Get(r)
		ret, opErr = call(s, args)
		after := snapshot(s)
		want := v["after"].(obj)
		if !vectors.Equal(normaliseTokens(after), normaliseTokens(want)) {
			t.Errorf("after\n got %s\nwant %s", vectors.Show(after), vectors.Show(want))
		}
	}))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if _, pyErr := v["error"]; pyErr != (opErr != nil) {
		t.Errorf("error %v, Python raised: %v", opErr, v["error"])
	}
	if want, ok := v["return"]; ok && !vectors.Equal(normaliseTokens(obj{"token": asJSON(ret)}), normaliseTokens(obj{"token": want})) {
		t.Errorf("return %s, want %s", vectors.Show(ret), vectors.Show(want))
	}
	cookies := w.Result().Header.Values("Set-Cookie")
	if changed := v["marks_changed"].(bool); changed != (len(cookies) == 1) {
		t.Fatalf("Set-Cookie %v, marks_changed %v", cookies, changed)
	}
	if len(cookies) == 1 {
		_, val, _ := splitCookie(cookies[0])
		payload, _, err := cc.Decode(val)
		if err != nil {
			t.Fatal(err)
		}
		got, err := vectors.DecodeOrdered(payload)
		if err != nil {
			t.Fatal(err)
		}
		if !vectors.Equal(normaliseTokens(vectors.Plain(got)), normaliseTokens(v["cookie_payload"])) {
			t.Errorf("payload %s, want %s", payload, vectors.Show(v["cookie_payload"]))
		}
		// Without a (random) new CSRF token, the whole header is Python's.
		if sc := v["set_cookie"].([]any); vectors.Equal(normaliseTokens(v["cookie_payload"]), v["cookie_payload"]) && cookies[0] != str(sc[0]) {
			t.Errorf("Set-Cookie\n got %s\nwant %s", cookies[0], sc[0])
		}
	}
}

// asJSON round-trips a Go value through JSON so it compares with vectors.
func asJSON(v any) any {
	b, err := pyjson.Marshal(v)
	if err != nil {
		return fmt.Sprintf("unencodable %T: %v", v, err)
	}
	out, err := vectors.DecodeOrdered(b)
	if err != nil {
		return err.Error()
	}
	return vectors.Plain(out)
}

// cookieFor seals the vector's before session as Pyramid wrote it:
// json.dumps([renewed, created, state]) with the vector's own number
// literals and key order.
func cookieFor(t *testing.T, cc codec.Codec, ov *vectors.Object) string {
	t.Helper()
	var parts [3]json.RawMessage
	for i, f := range []string{"renewed", "created", "state"} {
		x, ok := vectors.Path(ov, "before", f)
		if !ok {
			t.Fatalf("before has no %s", f)
		}
		parts[i] = rawOf(t, x)
	}
	payload := "[" + string(parts[0]) + ", " + string(parts[1]) + ", " + string(parts[2]) + "]"
	val, err := cc.Encode([]byte(payload))
	if err != nil {
		t.Fatal(err)
	}
	return val
}

func checkSizeLimit(t *testing.T, opts settings.Options, now float64, v obj, variant string) {
	x, err := strconv.Atoi(strings.TrimPrefix(variant, "x="))
	if err != nil || now == 0 {
		t.Fatalf("size vector: value size %q, clock %v", variant, now)
	}
	clock := &testClock{now: now}
	m, err := New(opts, WithClock(clock.Now), WithLogger(quiet))
	if err != nil {
		t.Fatal(err)
	}
	var gotErr error
	m.errorHandler = func(w http.ResponseWriter, r *http.Request, err error) {
		t.Errorf("commit failed: %v", err)
		w.WriteHeader(500)
	}
	// The generator's view stores "a" * x under "x".
	h := m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotErr = Get(r).Set("x", strings.Repeat("a", x))
	}))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	if want, ok := v["cookie_value_len"]; ok {
		cookies := w.Result().Header.Values("Set-Cookie")
		if len(cookies) != 1 {
			t.Fatalf("no cookie (err %v)", gotErr)
		}
		_, val, _ := splitCookie(cookies[0])
		if len(val) != int(num(want)) {
			t.Errorf("cookie value length %d, want %d", len(val), int(num(want)))
		}
		return
	}
	// Python raises when the response is rendered; Go refuses the Set
	// that would overflow, with the size Python reports, and the session
	// stays as it was (so no cookie).
	var tooLarge *engine.CookieTooLargeError
	if !errors.As(gotErr, &tooLarge) || !errors.Is(gotErr, ErrCookieTooLarge) || len(w.Result().Header.Values("Set-Cookie")) != 0 {
		t.Fatalf("Set: err %v, status %d: want a CookieTooLargeError and no cookie", gotErr, w.Code)
	}
	msg := str(v["error"].(obj)["message"])
	if !strings.Contains(msg, "("+strconv.Itoa(tooLarge.Size)+" bytes)") {
		t.Errorf("size %d, Python said %q", tooLarge.Size, msg)
	}
}
