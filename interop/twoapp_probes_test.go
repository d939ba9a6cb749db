package interop

import (
	"fmt"
	"net/http"
	"net/url"
)

// twoProbe is an INI file that the two apps read differently (issue 8
// item 3), and the check that shows how. Each is a known divergence: the
// test fails if the apps come to agree, so that the list stays true.
type twoProbe struct {
	cfg    twoConfig
	run    func(x *sx)
	reason string
}

// probeScenario names a probe's run in the results.
const probeScenario = "config-probe"

func probeConfig(name string) twoConfig {
	return twoConfig{name: name, ini: "testdata/twoapp/" + name + ".ini", cookie: "session", probe: true}
}

var twoProbes = []twoProbe{
	{probeConfig("probe-no-serializer"), probeCrossing,
		"issue 8 item 3: without session.serializer pyramid_nacl_session pickles the session and sessconf " +
			"writes JSON, so every crossing between the apps loses the login"},
	{probeConfig("probe-no-httponly"), scAttributes,
		"issue 8 item 3: without session.httponly Pyramid omits HttpOnly, sessconf adds it (its default is true)"},
	{probeConfig("probe-secret-continuation"), probeStartup,
		"issue 8 item 3: a secret on an indented continuation line reaches pyramid_nacl_session with " +
			"its leading newline (unhexlify fails); sessconf trims it"},
	{probeConfig("probe-type-key"), probeStartup,
		"issue 8 item 3: pyramid_nacl_session passes every session.* key to its factory, so session.type " +
			"(sessconf's backend selector) is a TypeError at start-up"},
	{probeConfig("probe-duration-value"), probeStartup,
		"issue 8 item 3: Pyramid int()s the timeout, so a Go duration (20m) is a ValueError at start-up"},
}

// probeStartup compares whether each app could build its session
// factory from the file.
func probeStartup(x *sx) {
	got := map[string]string{}
	for _, side := range []string{"py", "go"} {
		r := x.h.newClient().do(side, x.cfg, "info", nil)
		switch r.status {
		case http.StatusOK:
			got[side] = "starts"
		case http.StatusServiceUnavailable:
			got[side] = fmt.Sprintf("fails at start-up (%v)", r.body["error"])
		default:
			x.fatalf("%s info: status %d: %s", side, r.status, r.raw)
		}
	}
	if got["py"] != got["go"] {
		x.errorf("Python %s; Go %s", got["py"], got["go"])
	}
}

// probeCrossing: a login on each side must be seen by the other.
func probeCrossing(x *sx) {
	for _, a := range []string{"py", "go"} {
		b := other(a)
		c := x.h.newClient()
		x.call(c, a, "login", url.Values{"user": {"alice"}})
		r := c.do(b, x.cfg, "state", nil)
		if r.status != http.StatusOK {
			x.errorf("%s reading %s's login cookie: status %d: %s", b, a, r.status, r.raw)
			continue
		}
		if r.body["user"] != "alice" {
			x.errorf("%s reading %s's login cookie: user %s, new %s (logged out)", b, a, show(r.body["user"]), show(r.body["new"]))
		}
	}
}
