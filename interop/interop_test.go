// Package interop cross-checks sessconf's cookies against the real Python
// code: Pyramid 2.0's cookie sessions (signed, webob SignedSerializer)
// and pyramid_nacl_session's encrypted cookies (PyNaCl SecretBox).
//
// Go → Python: the sessconf middleware writes cookies for a range of
// session states; pydecode.py opens each with a real Pyramid
// CookieSession and reports what Python sees.
//
// Python → Go: pyencode.py writes cookies through a real Pyramid session;
// sessconf's backends and middleware load them.
//
// Over HTTP (TestTwoApps): a Pyramid app (twoapp.py) and a Go app on the
// public API, configured from the same INI files, share one origin and
// one cookie jar.
//
// The scripts need Debian's python3-pyramid and python3-nacl for
// /usr/bin/python3. Without them the tests skip, unless
// SESSCONF_REQUIRE_PYTHON=1 (as in CI), which makes that a failure.
package interop

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sessconf/sessconf/factory"
	"github.com/sessconf/sessconf/internal/codec"
	"github.com/sessconf/sessconf/internal/engine"
	"github.com/sessconf/sessconf/internal/vectors"
	"github.com/sessconf/sessconf/session"
	"github.com/sessconf/sessconf/settings"
)

const (
	pythonBin    = "/usr/bin/python3"
	signedSecret = "seekrit"
	encKeyHex    = "5c1f3b9a0e7d2468ace0f1357b9d2c4e6a8f0b1d3c5e7a9f2b4d6e8a0c1e3f57"
)

var backends = []string{settings.TypeSigned, settings.TypeEncrypted}

// pyConfig is what the scripts need to build the same factories.
func pyConfig() map[string]any {
	d := settings.Default()
	return map[string]any{
		"signed":    map[string]any{"secret": signedSecret, "salt": d.Salt, "hashalg": d.HashAlg},
		"encrypted": map[string]any{"key_hex": encKeyHex},
	}
}

// options are settings.Default() for the backend, with the test secret.
func options(backend string) settings.Options {
	o := settings.Default()
	o.Type = backend
	o.Secret = signedSecret
	if backend == settings.TypeEncrypted {
		o.Secret = encKeyHex
	}
	return o
}

// codecFor opens cookies independently of the backend under test.
func codecFor(t *testing.T, backend string) codec.Codec {
	t.Helper()
	o := options(backend)
	c, err := engine.CodecFor(o)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

var (
	pyOnce sync.Once
	pyErr  error
)

// requirePython skips (or, with SESSCONF_REQUIRE_PYTHON=1, fails) when
// /usr/bin/python3 cannot import pyramid and nacl.
func requirePython(t *testing.T) {
	t.Helper()
	pyOnce.Do(func() {
		out, err := pyCommand("-c", "import pyramid.session, pyramid.paster, webob.cookies, nacl.secret").CombinedOutput()
		if err != nil {
			pyErr = &pyMissing{err: err, out: strings.TrimSpace(string(out))}
		}
	})
	if pyErr == nil {
		return
	}
	msg := pyErr.Error() + " (install Debian's python3-pyramid and python3-nacl)"
	vectors.PythonMissing(t, msg)
}

type pyMissing struct {
	err error
	out string
}

func (e *pyMissing) Error() string {
	return pythonBin + " cannot import pyramid/webob/nacl: " + e.err.Error() + ": " + e.out
}

// pyCommand runs Debian's Python from this directory, isolated from any
// PYTHONPATH/PYTHONHOME of the caller's environment (e.g. pyenv), without
// writing __pycache__ into the tree.
func pyCommand(args ...string) *exec.Cmd {
	cmd := exec.Command(pythonBin, append([]string{"-B"}, args...)...)
	env := []string{"PYTHONDONTWRITEBYTECODE=1", "PYTHONIOENCODING=utf-8"}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PYTHON") {
			env = append(env, kv)
		}
	}
	cmd.Env = env
	return cmd
}

// runPy runs script with input as JSON on stdin and decodes its stdout into out.
func runPy(t *testing.T, script string, input, out any) {
	t.Helper()
	path, err := filepath.Abs(script)
	if err != nil {
		t.Fatal(err)
	}
	in, err := json.Marshal(input)
	if err != nil {
		t.Fatal(err)
	}
	cmd := pyCommand(path)
	cmd.Dir = filepath.Dir(path)
	cmd.Stdin = bytes.NewReader(in)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s", pythonBin, script, err, stderr.String())
	}
	dec := json.NewDecoder(&stdout)
	if err := dec.Decode(out); err != nil {
		t.Fatalf("%s output: %v\n%s", script, err, stdout.String())
	}
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// unicodeText is the same string as pyencode.UNICODE minus the lone
// surrogate a Go string cannot hold.
const unicodeText = "é ß 秘密 😀 𝄞 \x00\x01\x1f\x7f \n\r\t\b\f \u2028\u2029 </script>&'\" \\ /"

// goCase is one session state written by the Go middleware.
type goCase struct {
	name string
	// seed, if set, runs in a first request whose cookie the second
	// request (op) presents.
	seed func(s *session.Session)
	// op runs in the (last) request; it returns the CSRF token it expects
	// Python to see, if any.
	op func(t *testing.T, s *session.Session) (csrf string)
	// want is the state exactly as Python's json.dumps writes it ("" to
	// skip; Python's re-dump of Go's payload is compared in every case).
	want string
	// accessedFloat: the payload's accessed must be a float literal
	// (written without a tracked access), else an int.
	accessedFloat bool
	// keepCreated: created must be the seed request's.
	keepCreated bool
}

func set(t *testing.T, s *session.Session, k string, v any) {
	t.Helper()
	if err := s.Set(k, v); err != nil {
		t.Fatalf("Set(%q): %v", k, err)
	}
}

func flash(t *testing.T, s *session.Session, msg any, queue string, dup bool) {
	t.Helper()
	if err := s.Flash(msg, queue, dup); err != nil {
		t.Fatalf("Flash: %v", err)
	}
}

func seedSession(s *session.Session) {
	_ = s.Set("keep", "me")
	_ = s.Set("n", 1.5)
	s.CSRFToken()
}

var goCases = []goCase{
	{name: "empty_changed", op: func(t *testing.T, s *session.Session) string { s.Changed(); return "" },
		want: `{}`, accessedFloat: true},
	{name: "empty_cleared", op: func(t *testing.T, s *session.Session) string { s.Clear(); return "" },
		want: `{}`},
	{name: "unicode", op: func(t *testing.T, s *session.Session) string {
		set(t, s, "text", unicodeText)
		set(t, s, "ключ 😀", "value")
		set(t, s, "", "empty key")
		set(t, s, "bad", "bad\xffutf8")
		return ""
	}, want: `{"text": "\u00e9 \u00df \u79d8\u5bc6 \ud83d\ude00 \ud834\udd1e \u0000\u0001\u001f\u007f \n\r\t\b\f \u2028\u2029 </script>&'\" \\ /", "\u043a\u043b\u044e\u0447 \ud83d\ude00": "value", "": "empty key", "bad": "bad\ufffdutf8"}`},
	{name: "nested", op: func(t *testing.T, s *session.Session) string {
		set(t, s, "tree", map[string]any{"b": []any{1, 2, map[string]any{"c": nil, "d": []any{true, false}}}, "a": map[string]any{}})
		set(t, s, "list", []any{})
		set(t, s, "obj", map[string]any{})
		set(t, s, "deep", []any{[]any{[]any{[]any{map[string]any{"x": []int{1}}}}}})
		return ""
	}, want: `{"tree": {"a": {}, "b": [1, 2, {"c": null, "d": [true, false]}]}, "list": [], "obj": {}, "deep": [[[[{"x": [1]}]]]]}`},
	{name: "numbers", op: func(t *testing.T, s *session.Session) string {
		set(t, s, "ints", []any{0, -1, int64(1<<53 + 1), int64(math.MaxInt64), int64(math.MinInt64), uint64(math.MaxUint64),
			json.Number("-1180591620717411303424"), json.Number("1000000000000000000000000000000")})
		set(t, s, "floats", []any{1e16, 0.1, math.Copysign(0, -1), 1e-05, 1.2345678901234568e17, 5e-324,
			math.MaxFloat64, 1.0, 100.0, 1e15, 123456789.125, -2.5e-7})
		set(t, s, "big", json.Number("1267650600228229401496703205376"))
		set(t, s, "f32", float32(0.1))
		return ""
	}, want: `{"ints": [0, -1, 9007199254740993, 9223372036854775807, -9223372036854775808, 18446744073709551615, -1180591620717411303424, 1000000000000000000000000000000], "floats": [1e+16, 0.1, -0.0, 1e-05, 1.2345678901234568e+17, 5e-324, 1.7976931348623157e+308, 1.0, 100.0, 1000000000000000.0, 123456789.125, -2.5e-07], "big": 1267650600228229401496703205376, "f32": 0.1}`},
	{name: "order", op: func(t *testing.T, s *session.Session) string {
		set(t, s, "z", 1)
		set(t, s, "a", 2)
		set(t, s, "m", 3)
		s.Delete("a")
		set(t, s, "a", 4)
		set(t, s, "z", 5)
		return ""
	}, want: `{"z": 5, "m": 3, "a": 4}`},
	{name: "update_sorted", op: func(t *testing.T, s *session.Session) string {
		if err := s.Update(map[string]any{"b": "2", "a": "1", "é": nil}); err != nil {
			t.Fatal(err)
		}
		return ""
	}, want: `{"a": "1", "b": "2", "\u00e9": null}`},
	{name: "flash", op: func(t *testing.T, s *session.Session) string {
		flash(t, s, "hello", "", true)
		flash(t, s, "hello", "", false)
		flash(t, s, map[string]any{"msg": "x", "level": 2}, "error", true)
		flash(t, s, []any{"a", 1}, "error", true)
		return ""
	}, want: `{"_f_": ["hello"], "_f_error": [{"level": 2, "msg": "x"}, ["a", 1]]}`},
	{name: "csrf", op: func(t *testing.T, s *session.Session) string { tok, _ := s.CSRFToken(); return tok }},
	{name: "large", op: func(t *testing.T, s *session.Session) string {
		set(t, s, "big", strings.Repeat("x", 2900))
		return ""
	}},
	{name: "invalidate", seed: seedSession, op: func(t *testing.T, s *session.Session) string {
		s.Invalidate()
		return ""
	}, want: `{}`, keepCreated: true},
	{name: "invalidate_then_set", seed: seedSession, op: func(t *testing.T, s *session.Session) string {
		s.Invalidate()
		set(t, s, "after", "invalidate")
		return ""
	}, want: `{"after": "invalidate"}`, keepCreated: true},
	{name: "changed_without_access", seed: seedSession, op: func(t *testing.T, s *session.Session) string {
		s.Changed()
		return ""
	}, accessedFloat: true, keepCreated: true},
	{name: "read_then_set", seed: seedSession, op: func(t *testing.T, s *session.Session) string {
		if v, _ := s.Get("n"); v != 1.5 {
			t.Errorf("n = %v, want 1.5", v)
		}
		set(t, s, "n", 2.0)
		tok, _ := s.CSRFToken()
		return tok
	}, keepCreated: true},
	{name: "pop_flash", seed: seedSession, op: func(t *testing.T, s *session.Session) string {
		flash(t, s, "one", "", true)
		flash(t, s, "two", "", true)
		s.PopFlash("")
		flash(t, s, "three", "q", true)
		return ""
	}, keepCreated: true},
	{name: "renew_id", seed: seedSession, op: func(t *testing.T, s *session.Session) string {
		s.RenewID()
		tok, _ := s.CSRFToken()
		return tok
	}, keepCreated: true},
}

// pyDecoded is pydecode.py's report on one cookie.
type pyDecoded struct {
	Name      string   `json:"name"`
	Backend   string   `json:"backend"`
	Error     string   `json:"error"`
	Payload   string   `json:"payload"`
	New       bool     `json:"new"`
	Created   float64  `json:"created"`
	Accessed  float64  `json:"accessed"`
	Renewed   float64  `json:"renewed"`
	State     string   `json:"state"`
	CSRF      *string  `json:"csrf"`
	SetCookie []string `json:"set_cookie"`
}

// written is what Go wrote for one case.
type written struct {
	c        goCase
	backend  string
	cookie   string
	payload  []byte
	csrf     string
	created0 float64 // the seed request's created
}

// serve runs one request through the middleware and returns the cookie
// value it set ("" if none).
func serve(t *testing.T, m *session.Manager, cookie string, h func(s *session.Session)) string {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	if cookie != "" {
		req.Header.Set("Cookie", "session="+cookie)
	}
	rr := httptest.NewRecorder()
	m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h(session.Get(r))
	})).ServeHTTP(rr, req)
	if rr.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rr.Code, rr.Body.String())
	}
	hs := rr.Header().Values("Set-Cookie")
	switch len(hs) {
	case 0:
		return ""
	case 1:
	default:
		t.Fatalf("%d Set-Cookie headers: %q", len(hs), hs)
	}
	c, err := http.ParseSetCookie(hs[0])
	if err != nil {
		t.Fatalf("ParseSetCookie(%q): %v", hs[0], err)
	}
	return c.Value
}

// fixedClock returns t on every call.
func fixedClock(t time.Time) session.Option { return session.WithClock(func() time.Time { return t }) }

func TestGoToPython(t *testing.T) {
	requirePython(t)
	// Real time (Python loads with its own clock and the default 1200 s
	// timeout), with a fractional second so that created is a float
	// with many digits.
	now := time.Now()
	t1 := time.Unix(now.Unix()-10, 123456789)
	t2 := t1.Add(4500 * time.Millisecond)

	var all []*written
	var input []map[string]string
	for _, backend := range backends {
		opts := options(backend)
		cd := codecFor(t, backend)
		for _, c := range goCases {
			w := &written{c: c, backend: backend}
			cookie := ""
			if c.seed != nil {
				m, err := session.New(opts, fixedClock(t1), session.WithLogger(quiet))
				if err != nil {
					t.Fatal(err)
				}
				cookie = serve(t, m, "", c.seed)
				if cookie == "" {
					t.Fatalf("%s/%s: seed request set no cookie", backend, c.name)
				}
				p, _, err := cd.Decode(cookie)
				if err != nil {
					t.Fatal(err)
				}
				_, w.created0, _, err = engine.ParsePayload(p)
				if err != nil {
					t.Fatal(err)
				}
			}
			m, err := session.New(opts, fixedClock(t2), session.WithLogger(quiet))
			if err != nil {
				t.Fatal(err)
			}
			var csrf string
			w.cookie = serve(t, m, cookie, func(s *session.Session) { csrf = c.op(t, s) })
			w.csrf = csrf
			if w.cookie == "" {
				t.Fatalf("%s/%s: no cookie written", backend, c.name)
			}
			if w.payload, _, err = cd.Decode(w.cookie); err != nil {
				t.Fatalf("%s/%s: own cookie does not decode: %v", backend, c.name, err)
			}
			all = append(all, w)
			input = append(input, map[string]string{"name": c.name, "backend": backend, "cookie": w.cookie})
		}
	}

	var results []pyDecoded
	runPy(t, "pydecode.py", map[string]any{"config": pyConfig(), "cases": input}, &results)
	if len(results) != len(all) {
		t.Fatalf("pydecode.py returned %d results for %d cookies", len(results), len(all))
	}
	compared := 0
	for i, w := range all {
		py := results[i]
		t.Run(w.backend+"/"+w.c.name, func(t *testing.T) {
			checkGoToPython(t, w, py, time.Now())
		})
		compared++
	}
	t.Logf("Go → Python: %d cookies (%d cases × %d backends) opened by Pyramid", compared, len(goCases), len(backends))
}

func checkGoToPython(t *testing.T, w *written, py pyDecoded, now time.Time) {
	if py.Name != w.c.name || py.Backend != w.backend {
		t.Fatalf("result for %s/%s, want %s/%s", py.Backend, py.Name, w.backend, w.c.name)
	}
	if py.Error != "" {
		t.Fatalf("Python refused the cookie: %s\ncookie %s", py.Error, w.cookie)
	}
	accessed, created, st, err := engine.ParsePayload(w.payload)
	if err != nil {
		t.Fatalf("Go payload %s: %v", w.payload, err)
	}
	// Python's json.dumps(json.loads(payload)) is the identity exactly
	// when Go wrote the payload in Python's own form.
	if py.Payload != string(w.payload) {
		t.Errorf("payload differs after a Python round trip\n go: %s\n py: %s", w.payload, py.Payload)
	}
	if py.New {
		t.Errorf("Pyramid made a new session from the cookie")
	}
	if py.Created != created || py.Accessed != accessed || py.Renewed != accessed {
		t.Errorf("Pyramid created/accessed/renewed = %v/%v/%v, Go wrote %v/%v",
			py.Created, py.Accessed, py.Renewed, created, accessed)
	}
	goState := string(engine.AppendState(nil, st))
	if py.State != goState {
		t.Errorf("state\n go: %s\n py: %s", goState, py.State)
	}
	if w.c.want != "" && py.State != w.c.want {
		t.Errorf("state\n py:   %s\n want: %s", py.State, w.c.want)
	}
	lit := w.payload[1:bytes.IndexByte(w.payload, ',')]
	if isFloat := bytes.ContainsAny(lit, ".e"); isFloat != w.c.accessedFloat {
		t.Errorf("accessed written as %s, want float=%v", lit, w.c.accessedFloat)
	}
	if w.c.keepCreated && created != w.created0 {
		t.Errorf("created = %v, want the seed's %v", created, w.created0)
	}
	if w.csrf != "" && (py.CSRF == nil || *py.CSRF != w.csrf) {
		t.Errorf("Pyramid sees CSRF token %v, Go issued %q", py.CSRF, w.csrf)
	}

	// Python re-issued the loaded session (changed() without access);
	// Go must write the same header for the same loaded record.
	b, err := factory.New(options(w.backend))
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("Cookie", "session="+w.cookie)
	rec, err := b.(engine.Backend).Load(context.Background(), req, now)
	if err != nil || rec.New || rec.Reason != nil {
		t.Fatalf("Go reloading its own cookie: err %v, new %v, reason %v", err, rec.New, rec.Reason)
	}
	rec.Modified = true
	h := http.Header{}
	if err := b.(engine.Backend).Save(context.Background(), h, rec, now); err != nil {
		t.Fatal(err)
	}
	compareSetCookie(t, w.backend, h.Values("Set-Cookie"), py.SetCookie)
}

// compareSetCookie compares Go's and Python's Set-Cookie headers: byte for
// byte for signed cookies (deterministic), and for encrypted cookies
// (random nonce) the attributes plus the decrypted payloads.
func compareSetCookie(t *testing.T, backend string, goH, pyH []string) {
	t.Helper()
	if len(goH) != 1 || len(pyH) != 1 {
		t.Fatalf("Set-Cookie: go %q, python %q", goH, pyH)
	}
	if backend == settings.TypeSigned {
		if goH[0] != pyH[0] {
			t.Errorf("Set-Cookie differs\n go: %s\n py: %s", goH[0], pyH[0])
		}
		return
	}
	gv, ga, _ := strings.Cut(goH[0], ";")
	pv, pa, _ := strings.Cut(pyH[0], ";")
	if ga != pa {
		t.Errorf("Set-Cookie attributes differ\n go: %s\n py: %s", ga, pa)
	}
	cd := codecFor(t, backend)
	gp, _, err1 := cd.Decode(strings.TrimPrefix(gv, "session="))
	pp, _, err2 := cd.Decode(strings.TrimPrefix(pv, "session="))
	if err1 != nil || err2 != nil {
		t.Fatalf("decoding re-issued cookies: go %v, python %v", err1, err2)
	}
	if !bytes.Equal(gp, pp) {
		t.Errorf("re-issued payload differs\n go: %s\n py: %s", gp, pp)
	}
}

// pyEncoded is pyencode.py's report on one cookie Python wrote.
type pyEncoded struct {
	Name      string                     `json:"name"`
	Backend   string                     `json:"backend"`
	SetCookie []string                   `json:"set_cookie"`
	Payload   string                     `json:"payload"`
	Accessed  float64                    `json:"accessed"`
	Created   float64                    `json:"created"`
	State     string                     `json:"state"`
	Keys      []string                   `json:"keys"`
	CSRF      *string                    `json:"csrf"`
	Flash     map[string]json.RawMessage `json:"flash"`
}

func TestPythonToGo(t *testing.T) {
	requirePython(t)
	var cases []pyEncoded
	runPy(t, "pyencode.py", map[string]any{"config": pyConfig()}, &cases)
	if len(cases) == 0 {
		t.Fatal("pyencode.py wrote no cookies")
	}
	counts := map[string]int{}
	for _, py := range cases {
		t.Run(py.Backend+"/"+py.Name, func(t *testing.T) { checkPythonToGo(t, py) })
		counts[py.Backend]++
	}
	t.Logf("Python → Go: %d cookies loaded (%v)", len(cases), counts)
}

func checkPythonToGo(t *testing.T, py pyEncoded) {
	if len(py.SetCookie) != 1 {
		t.Fatalf("Python wrote %d Set-Cookie headers", len(py.SetCookie))
	}
	c, err := http.ParseSetCookie(py.SetCookie[0])
	if err != nil {
		t.Fatalf("ParseSetCookie(%q): %v", py.SetCookie[0], err)
	}
	if c.Name != "session" {
		t.Fatalf("cookie name %q", c.Name)
	}
	opts := options(py.Backend)
	b, err := factory.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("Cookie", "session="+c.Value)
	rec, err := b.(engine.Backend).Load(context.Background(), req, now)
	if err != nil {
		t.Fatal(err)
	}
	if rec.New || rec.Reason != nil || rec.Fallback {
		t.Fatalf("Go did not load Python's cookie: new %v, reason %v, fallback %v", rec.New, rec.Reason, rec.Fallback)
	}
	if rec.Created != py.Created || rec.Accessed != py.Accessed || rec.Renewed != py.Accessed {
		t.Errorf("created/accessed/renewed = %v/%v/%v, Python wrote %v/%v",
			rec.Created, rec.Accessed, rec.Renewed, py.Created, py.Accessed)
	}
	if got := string(engine.AppendState(nil, rec.State)); got != py.State {
		t.Errorf("state\n go: %s\n py: %s", got, py.State)
	}
	if got := rec.State.Keys(); !reflect.DeepEqual(got, py.Keys) && !(len(got) == 0 && len(py.Keys) == 0) {
		t.Errorf("keys %q, Python %q", got, py.Keys)
	}
	// Written back unchanged, the record gives Python's payload and, for
	// signed cookies, Python's Set-Cookie header byte for byte.
	lit := py.Payload[1:strings.IndexByte(py.Payload, ',')]
	rec.AccessedInt = !strings.ContainsAny(lit, ".e")
	if got := string(engine.AppendPayload(nil, rec)); got != py.Payload {
		t.Errorf("payload\n go: %s\n py: %s", got, py.Payload)
	}
	rec.Modified = true
	h := http.Header{}
	if err := b.(engine.Backend).Save(context.Background(), h, rec, now); err != nil {
		t.Fatal(err)
	}
	compareSetCookie(t, py.Backend, h.Values("Set-Cookie"), py.SetCookie)

	// Through the middleware and the session API.
	m, err := session.New(opts, session.WithLogger(quiet))
	if err != nil {
		t.Fatal(err)
	}
	pyState, err := engine.ParseState([]byte(py.State))
	if err != nil {
		t.Fatal(err)
	}
	serve(t, m, c.Value, func(s *session.Session) {
		if s.IsNew() {
			t.Errorf("session API: IsNew")
		}
		if d := s.Created().Sub(floatTime(py.Created)); d < -time.Microsecond || d > time.Microsecond {
			t.Errorf("Created() = %v, want %v", s.Created(), floatTime(py.Created))
		}
		keys := s.Keys()
		if !reflect.DeepEqual(keys, py.Keys) && !(len(keys) == 0 && len(py.Keys) == 0) {
			t.Errorf("Keys() = %q, Python %q", keys, py.Keys)
		}
		for _, k := range keys {
			raw, err := session.GetAs[json.RawMessage](s, k)
			want, _ := pyState.Get(k)
			if err != nil || !bytes.Equal(raw, want) {
				t.Errorf("GetAs(%q) = %s, %v; want %s", k, raw, err, want)
			}
		}
		if py.CSRF != nil {
			if tok, _ := s.CSRFToken(); tok != *py.CSRF {
				t.Errorf("CSRFToken() = %q, Python %q", tok, *py.CSRF)
			}
		}
		for q, raw := range py.Flash {
			var want []any
			if err := json.Unmarshal(raw, &want); err != nil {
				t.Fatal(err)
			}
			if got := s.PeekFlash(q); !vectors.Equal(got, want) {
				t.Errorf("PeekFlash(%q) = %#v, want %#v", q, got, want)
			}
		}
	})
}

// floatTime converts Unix seconds to a time, to the microsecond (float64
// seconds near now carry no more).
func floatTime(f float64) time.Time {
	sec := math.Floor(f)
	return time.Unix(int64(sec), int64(math.Round((f-sec)*1e6))*1e3)
}
