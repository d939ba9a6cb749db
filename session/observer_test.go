package session

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sessconf/sessconf/internal/codec"
	"github.com/sessconf/sessconf/internal/engine"
	"github.com/sessconf/sessconf/internal/eventlog"
)

// sealed returns a cookie header for a payload sealed with the test key.
func sealed(t *testing.T, payload string) string {
	t.Helper()
	key, err := codec.ParseHexKey(testKey)
	if err != nil {
		t.Fatal(err)
	}
	c, err := codec.NewSecretbox(key)
	if err != nil {
		t.Fatal(err)
	}
	v, err := c.Encode([]byte(payload))
	if err != nil {
		t.Fatal(err)
	}
	return "session=" + v
}

// Each load and save is reported once, with its outcome, reason and size.
func TestObserverSeesLoadsSavesAndRejections(t *testing.T) {
	rec := &eventlog.Log[Event]{}
	now := time.Unix(1_800_000_000, 0)
	m := testManager(t, testOptions(), WithObserver(rec), WithClock(func() time.Time { return now }))
	touch := func(w http.ResponseWriter, r *http.Request) { Get(r).Get("k") }
	write := func(w http.ResponseWriter, r *http.Request) { Get(r).Set("k", "v") }

	// A new session, then a save with its cookie size.
	w := serve(m, write, "")
	c := cookieOf(t, w)
	ev := rec.Take()
	if len(ev) != 2 || ev[0].Op != "load" || ev[0].Outcome != "new" || ev[1].Op != "save" || ev[1].Outcome != "ok" ||
		ev[1].Size != len(strings.TrimPrefix(c, "session=")) || ev[0].Backend != "encrypted" || ev[1].StoreCall {
		t.Fatalf("first request: %+v", ev)
	}
	serve(m, touch, c)
	if ev := rec.Take(); len(ev) != 1 || ev[0].Outcome != "existing" {
		t.Errorf("read-only request: %+v", ev)
	}
	serve(m, func(w http.ResponseWriter, r *http.Request) {}, c)
	if ev := rec.Take(); len(ev) != 0 {
		t.Errorf("untouched request reported %+v", ev)
	}
	serve(m, func(w http.ResponseWriter, r *http.Request) { Get(r).Invalidate() }, c)
	if ev := rec.Take(); len(ev) != 2 || ev[1].Op != "invalidate" {
		t.Errorf("invalidate: %+v", ev)
	}

	rejected := map[string]string{
		"bad_encoding":     "session=not*base64",
		"bad_signature":    "session=" + strings.Repeat("A", 80),
		"oversize":         "session=" + strings.Repeat("A", engine.MaxCookieValue+1),
		"malformed":        sealed(t, `["x", 1, {}]`),
		"expired":          sealed(t, `[1799990000, 1799990000, {}]`),
		"future_timestamp": sealed(t, `[1800001000, 1799990000, {}]`),
	}
	for reason, cookie := range rejected {
		serve(m, touch, cookie)
		ev := rec.Take()
		// (An expired session is kept, as Pyramid keeps it, and re-issued.)
		if len(ev) == 0 || ev[0].Outcome != "rejected" || ev[0].Reason != reason {
			t.Errorf("%s: %+v", reason, ev)
		}
	}
}
