package interop

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
)

// knownDivergences are the scenarios where Python and Go are known to
// disagree today, with the reason. TestTwoApps expects them to fail (and
// logs what differs) and fails if one passes. configs empty: every config.
// The config probes (twoProbes) carry their own reasons.
var knownDivergences = []struct {
	scenario string
	configs  []string
	reason   string
}{
	{"csrf/no-session-token", nil,
		"deliberate (CheckCSRF doc, README): for a request without a session, Pyramid's check_csrf_token creates a session " +
			"and its token, so its 403 sets a cookie; sessconf refuses without creating one (on a cross-site POST that " +
			"cookie would replace the visitor's, and each refused request would store a Redis record)"},
	{"csrf/empty-stored-token", nil,
		"deliberate (CheckCSRF doc, README): an empty token never matches in Go; in Pyramid a stored empty " +
			"token (\"\") matches an empty submitted one, so the POST is accepted"},
	{"csrf/cross-origin", nil,
		"deliberate (CheckCSRF doc): Go also refuses a cross-origin unsafe request (net/http CrossOriginProtection on " +
			"Origin/Sec-Fetch-Site); Pyramid's check_csrf_token looks at the token only"},
	{"padded-cookie", nil,
		"deliberate (README, Strict base64): webob and pyramid_nacl_session decode base64 leniently and accept a cookie " +
			"with extra '=' padding; sessconf accepts only the canonical unpadded form and starts a new session"},
}

func knownDivergence(scenario, cfg string) (string, bool) {
	if scenario == probeScenario {
		for _, p := range twoProbes {
			if p.cfg.name == cfg {
				return p.reason, true
			}
		}
	}
	for _, k := range knownDivergences {
		if k.scenario != scenario {
			continue
		}
		if len(k.configs) == 0 {
			return k.reason, true
		}
		for _, c := range k.configs {
			if c == cfg {
				return k.reason, true
			}
		}
	}
	return "", false
}

// twoScenario is one flow across the two apps, run for each config.
type twoScenario struct {
	name string
	run  func(x *sx)
}

// sx is one scenario run: the config, the apps and what differed.
type sx struct {
	h        *twoApps
	cfg      string
	kind     string // signed or encrypted
	findings []string
}

func runScenario(h *twoApps, c twoConfig, sc twoScenario) (findings []string) {
	x := &sx{h: h, cfg: c.name, kind: c.kind}
	defer func() {
		if p := recover(); p != nil {
			f, ok := p.(fatal)
			if !ok {
				panic(p)
			}
			x.findings = append(x.findings, f.msg)
		}
		findings = x.findings
	}()
	h.setClock(baseTime)
	sc.run(x)
	return x.findings
}

func (x *sx) errorf(format string, args ...any) {
	x.findings = append(x.findings, fmt.Sprintf(format, args...))
}

func (x *sx) fatalf(format string, args ...any) {
	panic(fatal{fmt.Sprintf(format, args...)})
}

// at sets both clocks to second+frac of the scenario's timeline (second 0
// is baseTime's whole second).
func (x *sx) at(seconds float64) { x.h.setClock(math.Floor(baseTime) + seconds) }

// call sends action and requires status 200.
func (x *sx) call(c *client, side, action string, form url.Values) reply {
	r := c.do(side, x.cfg, action, form)
	if r.status != http.StatusOK {
		x.fatalf("%s %s: status %d: %s", side, action, r.status, r.raw)
	}
	return r
}

func (x *sx) eq(what string, got, want any) {
	if !reflect.DeepEqual(got, want) {
		x.errorf("%s = %s, want %s", what, show(got), show(want))
	}
}

func show(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%#v", v)
	}
	return string(b)
}

// num is a JSON number from a reply as float64 (NaN if not a number).
func num(v any) float64 {
	n, ok := v.(json.Number)
	if !ok {
		return math.NaN()
	}
	f, err := strconv.ParseFloat(string(n), 64)
	if err != nil {
		return math.NaN()
	}
	return f
}

// nearCreated compares created times: Session.Created is a time.Time, so
// Go reports created to the microsecond (float seconds near 2027 carry no
// more); exactness is checked by reading back through Python.
func (x *sx) nearCreated(what string, got any, want float64) {
	if f := num(got); !(math.Abs(f-want) <= 1e-6) {
		x.errorf("%s created = %v, want %v", what, got, want)
	}
}

// js is a value as the JSON replies decode it.
func js(v any) any {
	b, _ := json.Marshal(v)
	d := json.NewDecoder(strings.NewReader(string(b)))
	d.UseNumber()
	var out any
	_ = d.Decode(&out)
	return out
}

func other(side string) string {
	if side == "py" {
		return "go"
	}
	return "py"
}

func arrow(a, b string) string { return a + "→" + b }

// directed makes the scenario for both directions: run(x, a, b) where a
// acts first and b reacts.
func directed(name string, run func(x *sx, a, b string)) []twoScenario {
	var out []twoScenario
	for _, a := range []string{"py", "go"} {
		b := other(a)
		out = append(out, twoScenario{name + "/" + arrow(a, b), func(x *sx) { run(x, a, b) }})
	}
	return out
}

var twoScenarios = concat(
	directed("login", scLogin),
	directed("counter-alternating", scCounter),
	directed("flash", scFlash),
	directed("csrf-form", scCSRFForm),
	directed("csrf-header", scCSRFHeader),
	directed("logout", scLogout),
	directed("timeout-table", scTimeoutTable),
	directed("timeout-sliding", scTimeoutSliding),
	directed("cookie-4k", scCookie4K),
	directed("tampered-cookie", scTampered),
	[]twoScenario{
		{"padded-cookie", scPadded},
		{"values/get-set", scValuesGetSet},
		{"values/member-order", scValuesMemberOrder},
		{"values/raw-echo", scValuesRawEcho},
		{"values/untouched-by-go", scValuesUntouched},
		{"values/go→py", scValuesFromGo},
		{"set-cookie-attributes", scAttributes},
		{"csrf/no-session-token", scCSRFNoToken},
		{"csrf/empty-stored-token", scCSRFEmptyToken},
		{"csrf/same-origin-browser", scCSRFSameOrigin},
		{"csrf/cross-origin", scCSRFCrossOrigin},
	},
)

func concat(lists ...[]twoScenario) []twoScenario {
	var out []twoScenario
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

func login(x *sx, c *client, side, user string) (token string, created float64) {
	r := x.call(c, side, "login", url.Values{"user": {user}})
	if r.cookieValue() == "" {
		x.fatalf("%s login set no cookie", side)
	}
	token, _ = r.body["csrf"].(string)
	if len(token) != 40 {
		x.fatalf("%s login: CSRF token %q, want 40 hex characters", side, token)
	}
	return token, num(r.body["created"])
}

// scLogin: a logs in; b sees the user, the flash, the token and created;
// b writes; a sees b's write and exactly its own created.
func scLogin(x *sx, a, b string) {
	c := x.h.newClient()
	tok, created := login(x, c, a, "alice")
	s := x.call(c, b, "state", nil)
	x.eq(b+" new", s.body["new"], false)
	x.eq(b+" user", s.body["user"], "alice")
	x.eq(b+" csrf", s.body["csrf"], tok)
	x.eq(b+" flash", s.body["flash"], js([]string{"welcome, alice"}))
	x.nearCreated(b, s.body["created"], created)
	x.eq(b+" keys", s.body["keys"], js([]string{"user", "_f_", "_csrft_"}))
	x.eq(b+" incr", x.call(c, b, "incr", url.Values{}).body["counter"], json.Number("1"))
	s = x.call(c, a, "state", nil)
	x.eq(a+" user after "+b+"'s write", s.body["user"], "alice")
	x.eq(a+" csrf after "+b+"'s write", s.body["csrf"], tok)
	x.eq(a+" counter", s.body["counter"], json.Number("1"))
	x.eq(a+" flash", s.body["flash"], js([]string{"welcome, alice"}))
	if f := num(s.body["created"]); f != created {
		x.errorf("%s created after %s's write = %v, want exactly %v", a, b, s.body["created"], created)
	}
}

// scCounter: the counter bumped by each side in turn, a first.
func scCounter(x *sx, a, b string) {
	c := x.h.newClient()
	for i := 1; i <= 6; i++ {
		side := a
		if i%2 == 0 {
			side = b
		}
		x.eq(fmt.Sprintf("%s incr #%d", side, i), x.call(c, side, "incr", url.Values{}).body["counter"], json.Number(strconv.Itoa(i)))
	}
	for _, side := range []string{a, b} {
		x.eq(side+" counter", x.call(c, side, "state", nil).body["counter"], json.Number("6"))
	}
}

// scFlash: a flashes, b pops, the queue is then empty on both.
func scFlash(x *sx, a, b string) {
	c := x.h.newClient()
	msgs := []string{"héllo ✓ 😀", "</script>&'\"", "second"}
	for _, m := range msgs {
		x.call(c, a, "flash", url.Values{"msg": {m}})
	}
	x.eq(b+" popflash", x.call(c, b, "popflash", url.Values{}).body["messages"], js(msgs))
	x.eq(a+" flash after pop", x.call(c, a, "state", nil).body["flash"], js([]string{}))
	x.eq(a+" popflash again", x.call(c, a, "popflash", url.Values{}).body["messages"], js([]string{}))
}

// wrongToken differs from tok in its last character.
func wrongToken(tok string) string {
	last := byte('0')
	if tok[len(tok)-1] == '0' {
		last = '1'
	}
	return tok[:len(tok)-1] + string(last)
}

// scCSRFForm: a form POST to b accepted with a's token, refused with a
// wrong one or none.
func scCSRFForm(x *sx, a, b string) {
	c := x.h.newClient()
	tok, _ := login(x, c, a, "alice")
	cases := []struct {
		name  string
		form  url.Values
		want  int
		wantP any
	}{
		{"right token", url.Values{"csrf_token": {tok}, "value": {"v1"}}, http.StatusOK, "v1"},
		{"wrong token", url.Values{"csrf_token": {wrongToken(tok)}, "value": {"v2"}}, http.StatusForbidden, "v1"},
		{"no token", url.Values{"value": {"v3"}}, http.StatusForbidden, "v1"},
	}
	for _, tc := range cases {
		r := c.do(b, x.cfg, "form", tc.form)
		x.eq(b+" form with "+tc.name+": status", r.status, tc.want)
	}
	s := x.call(c, a, "state", nil)
	x.eq(a+" csrf after the posts", s.body["csrf"], tok)
	x.eq(a+" keys", s.body["keys"], js([]string{"user", "_f_", "_csrft_", "posted"}))
}

// scCSRFHeader: the same with the token in X-CSRF-Token.
func scCSRFHeader(x *sx, a, b string) {
	c := x.h.newClient()
	tok, _ := login(x, c, a, "alice")
	form := url.Values{"value": {"h"}}
	r := c.doHeader(b, x.cfg, "form", form, http.Header{"X-Csrf-Token": {tok}})
	x.eq(b+" form with the header token: status", r.status, http.StatusOK)
	r = c.doHeader(b, x.cfg, "form", form, http.Header{"X-Csrf-Token": {wrongToken(tok)}})
	x.eq(b+" form with a wrong header token: status", r.status, http.StatusForbidden)
}

// scLogout: b logs in, a logs out, b sees an empty session that is not
// new and keeps its created.
func scLogout(x *sx, a, b string) {
	c := x.h.newClient()
	_, created := login(x, c, b, "alice")
	x.call(c, b, "incr", url.Values{})
	r := x.call(c, a, "logout", url.Values{})
	if r.cookieValue() == "" {
		x.errorf("%s logout set no cookie", a)
	}
	s := x.call(c, b, "state", nil)
	x.eq(b+" user after logout", s.body["user"], nil)
	x.eq(b+" csrf after logout", s.body["csrf"], nil)
	x.eq(b+" counter after logout", s.body["counter"], nil)
	x.eq(b+" flash after logout", s.body["flash"], js([]string{}))
	x.eq(b+" keys after logout", s.body["keys"], js([]string{}))
	x.eq(b+" new after logout", s.body["new"], false)
	x.nearCreated(b+" after logout", s.body["created"], created)
}

// probe is what one side made of a cookie at one instant.
type probe struct {
	Reissued bool
	User     any
	New      any
}

// scTimeoutTable: with timeout = 5 and reissue_time = 2, a logs in at
// 0.123456789 s (accessed = second 0), then each side reads that same
// cookie at instants around the reissue and expiry boundaries. Both must
// agree with each other and with Pyramid's rules: re-sent iff
// int(now) - accessed > 2, expired iff now - accessed > 5.
func scTimeoutTable(x *sx, a, b string) {
	c := x.h.newClient()
	_, created := login(x, c, a, "alice")
	cookie := x.jarCookie(c)
	for _, t := range []float64{0.9, 2, 2.999, 3, 4.9, 5, 5.001, 7, 100} {
		x.at(t)
		want := probe{Reissued: math.Floor(t) > 2, User: "alice", New: false}
		if t > 5 {
			want.User = nil
		}
		got := map[string]probe{}
		for _, side := range []string{"py", "go"} {
			r := x.call(x.h.withCookie(cookie), side, "state", nil)
			got[side] = probe{Reissued: r.cookieValue() != "", User: r.body["user"], New: r.body["new"]}
			x.nearCreated(fmt.Sprintf("%s at +%gs", side, t), r.body["created"], created)
			if v := r.cookieValue(); v != "" {
				// The re-sent cookie holds what this side saw.
				o := x.call(x.h.withCookie(v), other(side), "state", nil)
				x.eq(fmt.Sprintf("%s reading %s's cookie re-sent at +%gs: user", other(side), side, t), o.body["user"], want.User)
			}
		}
		if got["py"] != got["go"] {
			x.errorf("at +%gs Python %+v, Go %+v", t, got["py"], got["go"])
		}
		for side, g := range got {
			if g != want {
				x.errorf("at +%gs %s %+v, want %+v", t, side, g, want)
			}
		}
	}
}

// scTimeoutSliding: reads alternate between the sides, each re-sending
// the cookie and so extending the session, until a gap longer than the
// timeout.
func scTimeoutSliding(x *sx, a, b string) {
	c := x.h.newClient()
	_, created := login(x, c, a, "alice") // accessed: second 0
	steps := []struct {
		t        float64
		side     string
		reissued bool
		user     any
	}{
		{2.5, b, false, "alice"}, // 2 - 0 = 2: not > 2
		{3.5, a, true, "alice"},  // 3 - 0 > 2: accessed 3
		{7.9, b, true, "alice"},  // 4.9 since 3; 7 - 3 > 2: accessed 7
		{12, a, true, "alice"},   // exactly 5 since 7: alive
		{17.5, b, true, nil},     // 5.5 since 12: expired, re-sent empty
		{18, a, false, nil},      // the empty session, accessed 17
	}
	for _, st := range steps {
		x.at(st.t)
		r := x.call(c, st.side, "state", nil)
		what := fmt.Sprintf("%s at +%gs", st.side, st.t)
		x.eq(what+" re-sent the cookie", r.cookieValue() != "", st.reissued)
		x.eq(what+" user", r.body["user"], st.user)
		x.eq(what+" new", r.body["new"], false)
		x.nearCreated(what, r.body["created"], created)
	}
}

// jarCookie is the session cookie c's jar holds.
func (x *sx) jarCookie(c *client) string {
	u, _ := url.Parse(x.h.url + "/")
	for _, ck := range c.c.Jar.Cookies(u) {
		if ck.Name == x.h.cookies[x.cfg] {
			return ck.Value
		}
	}
	panic(fatal{"no session cookie in the jar"})
}

// scCookie4K: a writes a cookie as close to the 4064-character limit as
// base64 allows; b reads it and writes the same session to the same
// length; one byte more is refused by both.
func scCookie4K(x *sx, a, b string) {
	const limit = 4064
	c := x.h.newClient()
	n, length, aValue := 2800, 0, ""
	for i := 0; i < 10 && !(length > limit-4 && length <= limit); i++ {
		r := c.do(a, x.cfg, "fill", url.Values{"n": {strconv.Itoa(n)}})
		if r.status != http.StatusOK {
			n -= 10
			continue
		}
		aValue = r.cookieValue()
		length = len(aValue)
		step := (limit - length) * 3 / 4
		if step == 0 {
			break
		}
		n += step
	}
	if !(length > limit-4 && length <= limit) {
		x.fatalf("%s: no cookie of %d-%d characters (last %d, n %d)", a, limit-3, limit, length, n)
	}
	s := x.call(c, b, "state", nil)
	x.eq(b+" reads the big value's length", s.body["big"], json.Number(strconv.Itoa(n)))
	r := x.call(c, b, "fill", url.Values{"n": {strconv.Itoa(n)}})
	x.eq(b+" rewrites it: cookie length", len(r.cookieValue()), length)
	if x.kind == "signed" && r.cookieValue() != aValue {
		// Same state, same instant: the same payload and HMAC.
		x.errorf("%s's signed cookie for the same session differs from %s's", b, a)
	}
	// Grow until a's cookie would pass the limit: both sides refuse.
	over := n + (limit-length)*3/4 + 3
	for _, side := range []string{a, b} {
		r := c.do(side, x.cfg, "fill", url.Values{"n": {strconv.Itoa(over)}})
		if r.status < 500 || r.cookieValue() != "" {
			x.errorf("%s fill %d (cookie over %d): status %d, Set-Cookie %d chars; want a refusal", side, over, limit, r.status, len(r.cookieValue()))
		}
	}
	x.eq(a+" still reads the big value's length", x.call(c, a, "state", nil).body["big"], json.Number(strconv.Itoa(n)))
}

// values: Python writes ints, big ints, floats, nested values and
// non-ASCII keys (twoapp.VALUES); Go reads each and writes it back with
// Set; Python reads them again. checks selects what is compared.
func values(x *sx, echo url.Values, checks valueChecks) {
	c := x.h.newClient()
	x.call(c, "py", "values_write", url.Values{})
	checkValues(x, c, "before Go", valueChecks{types: true, order: true, bytes: true})
	x.call(c, "go", "values_echo", echo)
	checkValues(x, c, "after Go's write-back", checks)
}

type valueChecks struct{ types, order, bytes bool }

// scValuesGetSet: read with Get, written back with Set: Python reads the
// same types and values (issue 8 item 2).
func scValuesGetSet(x *sx) {
	values(x, url.Values{}, valueChecks{types: true})
}

// scValuesMemberOrder: the same, comparing dict member order and bytes.
func scValuesMemberOrder(x *sx) {
	values(x, url.Values{}, valueChecks{order: true, bytes: true})
}

// scValuesRawEcho: read with GetAs[json.RawMessage], written back with
// Set: Python's bytes come back unchanged.
func scValuesRawEcho(x *sx) {
	values(x, url.Values{"raw": {"1"}}, valueChecks{types: true, order: true, bytes: true})
}

// scValuesUntouched: Go writes another key; the values it did not touch
// reach Python unchanged.
func scValuesUntouched(x *sx) {
	c := x.h.newClient()
	x.call(c, "py", "values_write", url.Values{})
	x.call(c, "go", "incr", url.Values{})
	checkValues(x, c, "after a Go write of another key", valueChecks{types: true, order: true, bytes: true})
}

// scValuesFromGo: Go stores Go ints, a *big.Int, floats and nested
// values; Python reads Python's types (dict member order aside: a Go map
// has none).
func scValuesFromGo(x *sx) {
	c := x.h.newClient()
	x.call(c, "go", "values_go_write", url.Values{})
	checkValuesOf(x, c, "go", "Go's values", valueChecks{types: true})
}

func checkValues(x *sx, c *client, when string, checks valueChecks) {
	checkValuesOf(x, c, "py", when, checks)
}

// checkValuesOf has Python compare the session with the values the
// writer (py or go) stored.
func checkValuesOf(x *sx, c *client, writer, when string, checks valueChecks) {
	r := x.call(c, "py", "values_check?from="+writer, nil)
	if d, _ := r.body["diffs"].([]any); checks.types && len(d) > 0 {
		for _, one := range d {
			x.errorf("%s: Python reads another type or value: %s", when, show(one))
		}
	}
	if d, _ := r.body["order"].([]any); checks.order && len(d) > 0 {
		for _, one := range d {
			x.errorf("%s: Python reads dict members in another order: %s", when, show(one))
		}
	}
	if checks.bytes && r.body["json"] != r.body["want_json"] {
		x.errorf("%s: json.dumps differs\n\tgot:  %s\n\twant: %s", when, r.body["json"], r.body["want_json"])
	}
}

// scAttributes: both apps write the cookie with the same attributes.
func scAttributes(x *sx) {
	attrs := map[string]string{}
	for _, side := range []string{"py", "go"} {
		r := x.call(x.h.newClient(), side, "login", url.Values{"user": {"alice"}})
		attrs[side] = r.attributes()
	}
	if attrs["py"] != attrs["go"] {
		x.errorf("Set-Cookie attributes: Python %q, Go %q", attrs["py"], attrs["go"])
	}
}

// scCSRFNoToken: a POST with a token to a session that has none is
// refused by both; whether the refusal sets a cookie is compared.
func scCSRFNoToken(x *sx) {
	got := map[string]string{}
	for _, side := range []string{"py", "go"} {
		r := x.h.newClient().do(side, x.cfg, "form", url.Values{"csrf_token": {"0123456789abcdef0123456789abcdef01234567"}})
		x.eq(side+" status", r.status, http.StatusForbidden)
		got[side] = fmt.Sprintf("status %d, Set-Cookie %v", r.status, r.cookieValue() != "")
	}
	if got["py"] != got["go"] {
		x.errorf("POST with a token, session without one: Python %s; Go %s", got["py"], got["go"])
	}
}

// scCSRFEmptyToken: the session holds "" as its token (stored by
// Python); a POST with an empty csrf_token field.
func scCSRFEmptyToken(x *sx) {
	got := map[string]int{}
	for _, side := range []string{"py", "go"} {
		c := x.h.newClient()
		x.call(c, "py", "put", url.Values{"key": {"_csrft_"}, "json": {`""`}})
		got[side] = c.do(side, x.cfg, "form", url.Values{"csrf_token": {""}}).status
	}
	if got["py"] != got["go"] {
		x.errorf("POST with csrf_token=\"\", stored token \"\": Python status %d, Go status %d", got["py"], got["go"])
	}
}

// scTampered: a logs in; one character in the middle of the cookie is
// changed; neither side accepts it, and neither fails.
func scTampered(x *sx, a, b string) {
	c := x.h.newClient()
	login(x, c, a, "alice")
	v := []byte(x.jarCookie(c))
	i := len(v) / 2
	if v[i] == 'A' {
		v[i] = 'B'
	} else {
		v[i] = 'A'
	}
	for _, side := range []string{a, b} {
		r := x.call(x.h.withCookie(string(v)), side, "state", nil)
		x.eq(side+" new with a tampered cookie", r.body["new"], true)
		x.eq(side+" user with a tampered cookie", r.body["user"], nil)
	}
}

// scPadded: Go's login cookie with "==" appended.
func scPadded(x *sx) {
	c := x.h.newClient()
	login(x, c, "go", "alice")
	v := x.jarCookie(c) + "=="
	got := map[string]string{}
	for _, side := range []string{"py", "go"} {
		r := x.call(x.h.withCookie(v), side, "state", nil)
		got[side] = fmt.Sprintf("user %s, new %s", show(r.body["user"]), show(r.body["new"]))
	}
	if got["py"] != got["go"] {
		x.errorf("cookie with \"==\" appended: Python %s; Go %s", got["py"], got["go"])
	}
}

// browserPost posts a form with a token issued by Python, with the
// headers a browser adds, to each side; it returns the statuses.
func browserPost(x *sx, origin, fetchSite string) map[string]int {
	got := map[string]int{}
	for _, side := range []string{"py", "go"} {
		c := x.h.newClient()
		tok, _ := login(x, c, "py", "alice")
		r := c.doHeader(side, x.cfg, "form", url.Values{"csrf_token": {tok}},
			http.Header{"Origin": {origin}, "Sec-Fetch-Site": {fetchSite}})
		got[side] = r.status
	}
	return got
}

// scCSRFSameOrigin: a browser's same-origin form POST with the right
// token is accepted by both.
func scCSRFSameOrigin(x *sx) {
	got := browserPost(x, x.h.url, "same-origin")
	x.eq("Python status", got["py"], http.StatusOK)
	x.eq("Go status", got["go"], http.StatusOK)
}

// scCSRFCrossOrigin: the same POST from another origin.
func scCSRFCrossOrigin(x *sx) {
	got := browserPost(x, "http://evil.example", "cross-site")
	if got["py"] != got["go"] {
		x.errorf("cross-origin POST with the right token: Python status %d, Go status %d", got["py"], got["go"])
	}
}
