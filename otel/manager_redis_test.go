package sessotel_test

import (
	"maps"
	"net/http"
	"slices"
	"testing"

	"go.opentelemetry.io/otel/codes"

	"github.com/sessconf/sessconf/internal/redistest"
	"github.com/sessconf/sessconf/settings"
)

// spanNames lists the ended spans' names in order.
func spanNames(tm *telemetry) []string {
	var out []string
	for _, s := range tm.ended() {
		out = append(out, s.Name())
	}
	return out
}

func redisKV(pairs ...string) string {
	return kv(append([]string{"sessconf.session.backend", "redis"}, pairs...)...)
}

// A Redis-backed manager: every round trip is a span and a duration
// sample; rejected ids carry their reason; an outage is an error.
func TestManagerRedis(t *testing.T) {
	srv := redistest.Start(t)
	var r relay
	opts := optsFor("redis", srv.URL())
	opts.ReissueTime = settings.Never // a read refreshes no TTL: one round trip
	s := newSite(t, opts, &r)

	t.Run("save", func(t *testing.T) {
		tm := r.fresh(t)
		res, cookie := s.get("/set", "")
		if cookie == "" {
			t.Fatalf("no cookie (status %d)", res.StatusCode)
		}
		ms := tm.collect()
		if got, want := sums(t, ms, "sessconf.session.saves"), map[string]int64{redisKV("sessconf.session.outcome", "ok"): 1}; !maps.Equal(got, want) {
			t.Errorf("saves = %v, want %v", got, want)
		}
		size := histograms(t, ms, "sessconf.session.size")[redisKV()]
		if size.count != 1 || size.sum <= 0 {
			t.Errorf("size = %+v, want one positive sample", size)
		}
		if !slices.Contains(spanNames(tm), "sessconf.redis save") {
			t.Errorf("spans %v, want a sessconf.redis save", spanNames(tm))
		}
		if d := histograms(t, ms, "sessconf.session.store.duration")[redisKV("sessconf.session.operation", "save", "sessconf.session.outcome", "ok")]; d.count != 1 {
			t.Errorf("store.duration for the save = %+v, want one sample", d)
		}
	})

	t.Run("load", func(t *testing.T) {
		cookie := s.session()
		tm := r.fresh(t)
		s.get("/read", cookie)
		ms := tm.collect()
		if got, want := sums(t, ms, "sessconf.session.loads"), map[string]int64{redisKV("sessconf.session.outcome", "existing"): 1}; !maps.Equal(got, want) {
			t.Errorf("loads = %v, want %v", got, want)
		}
		spans := tm.ended()
		if len(spans) != 1 || spans[0].Name() != "sessconf.redis load" {
			t.Fatalf("spans %v, want [sessconf.redis load]", spanNames(tm))
		}
		want := redisKV("db.system.name", "redis", "sessconf.session.operation", "load", "sessconf.session.outcome", "existing")
		if got := spanAttrs(spans[0]); got != want {
			t.Errorf("span attributes\n got %s\nwant %s", got, want)
		}
		if !spans[0].EndTime().After(spans[0].StartTime()) {
			t.Errorf("span ends at %v, not after its start %v", spans[0].EndTime(), spans[0].StartTime())
		}
		if d := histograms(t, ms, "sessconf.session.store.duration")[redisKV("sessconf.session.operation", "load", "sessconf.session.outcome", "existing")]; d.count != 1 || d.sum <= 0 {
			t.Errorf("store.duration for the load = %+v, want one positive sample", d)
		}
	})

	t.Run("invalidate", func(t *testing.T) {
		cookie := s.session()
		tm := r.fresh(t)
		s.get("/logout", cookie)
		if got, want := tm.counts("sessconf.session.invalidations"), map[string]int64{redisKV("sessconf.session.outcome", "ok"): 1}; !maps.Equal(got, want) {
			t.Errorf("invalidations = %v, want %v", got, want)
		}
		if !slices.Contains(spanNames(tm), "sessconf.redis invalidate") {
			t.Errorf("spans %v, want a sessconf.redis invalidate", spanNames(tm))
		}
		tm = r.fresh(t)
		s.get("/read", cookie)
		if got, want := tm.counts("sessconf.session.loads"), map[string]int64{redisKV("sessconf.session.outcome", "rejected", "sessconf.session.reason", "invalidated"): 1}; !maps.Equal(got, want) {
			t.Errorf("loads after logout = %v, want %v", got, want)
		}
	})

	t.Run("renew", func(t *testing.T) {
		cookie := s.session()
		tm := r.fresh(t)
		s.get("/renew", cookie)
		if got, want := tm.counts("sessconf.session.renewals"), map[string]int64{redisKV("sessconf.session.outcome", "ok"): 1}; !maps.Equal(got, want) {
			t.Errorf("renewals = %v, want %v", got, want)
		}
		if !slices.Contains(spanNames(tm), "sessconf.redis renew") {
			t.Errorf("spans %v, want a sessconf.redis renew", spanNames(tm))
		}
	})

	t.Run("not_found", func(t *testing.T) {
		cookie := s.session()
		if reply, err := srv.Do("FLUSHALL"); err != nil || reply != "OK" {
			t.Fatalf("FLUSHALL: %q %v", reply, err)
		}
		tm := r.fresh(t)
		s.get("/read", cookie)
		if got, want := tm.counts("sessconf.session.loads"), map[string]int64{redisKV("sessconf.session.outcome", "rejected", "sessconf.session.reason", "not_found"): 1}; !maps.Equal(got, want) {
			t.Errorf("loads = %v, want %v", got, want)
		}
		spans := tm.ended()
		if len(spans) != 1 {
			t.Fatalf("spans %v, want one load", spanNames(tm))
		}
		want := redisKV("db.system.name", "redis", "sessconf.session.operation", "load", "sessconf.session.outcome", "rejected",
			"sessconf.session.reason", "not_found")
		if got := spanAttrs(spans[0]); got != want {
			t.Errorf("span attributes\n got %s\nwant %s", got, want)
		}
	})

	t.Run("renewed", func(t *testing.T) {
		o := opts
		o.Redis.RenewGrace = 0 // the old id is refused at once
		var r0 relay
		s0 := newSite(t, o, &r0)
		cookie := s0.session()
		if _, renewed := s0.get("/renew", cookie); renewed == "" || renewed == cookie {
			t.Fatalf("RenewID set cookie %q", renewed)
		}
		tm := r0.fresh(t)
		s0.get("/read", cookie)
		if got, want := tm.counts("sessconf.session.loads"), map[string]int64{redisKV("sessconf.session.outcome", "rejected", "sessconf.session.reason", "renewed"): 1}; !maps.Equal(got, want) {
			t.Errorf("loads = %v, want %v", got, want)
		}
	})

	// Last: it stops the server.
	t.Run("outage", func(t *testing.T) {
		cookie := s.session()
		srv.Stop()
		tm := r.fresh(t)
		res, _ := s.get("/read", cookie)
		if res.StatusCode != http.StatusServiceUnavailable {
			t.Errorf("status %d, want 503", res.StatusCode)
		}
		ms := tm.collect()
		if got, want := sums(t, ms, "sessconf.session.loads"), map[string]int64{redisKV("sessconf.session.outcome", "error", "error.type", "unavailable"): 1}; !maps.Equal(got, want) {
			t.Errorf("loads = %v, want %v", got, want)
		}
		if got, want := sums(t, ms, "sessconf.session.store.errors"), map[string]int64{redisKV("sessconf.session.operation", "load", "error.type", "unavailable"): 1}; !maps.Equal(got, want) {
			t.Errorf("store.errors = %v, want %v", got, want)
		}
		spans := tm.ended()
		if len(spans) != 1 || spans[0].Name() != "sessconf.redis load" {
			t.Fatalf("spans %v, want [sessconf.redis load]", spanNames(tm))
		}
		if st := spans[0].Status(); st.Code != codes.Error || st.Description == "" {
			t.Errorf("span status %+v, want Error with a description", st)
		}
		if len(spans[0].Events()) != 1 || spans[0].Events()[0].Name != "exception" {
			t.Errorf("span events %v, want one exception", spans[0].Events())
		}

		// A new session loads without Redis; its save then fails.
		tm = r.fresh(t)
		if res, _ := s.get("/set", ""); res.StatusCode != http.StatusServiceUnavailable {
			t.Errorf("status of a write %d, want 503", res.StatusCode)
		}
		// Saves are bounded by write_timeout, which the client's redials
		// may outlast: either type is right.
		ms = tm.collect()
		saves, errs := sums(t, ms, "sessconf.session.saves"), sums(t, ms, "sessconf.session.store.errors")
		var matched bool
		for _, typ := range []string{"unavailable", "timeout"} {
			wantSaves := map[string]int64{redisKV("sessconf.session.outcome", "error", "error.type", typ): 1}
			wantErrs := map[string]int64{redisKV("sessconf.session.operation", "save", "error.type", typ): 1}
			matched = matched || (maps.Equal(saves, wantSaves) && maps.Equal(errs, wantErrs))
		}
		if !matched {
			t.Errorf("saves = %v, store.errors = %v, want one failed save of type unavailable or timeout in each", saves, errs)
		}
		if got := spanNames(tm); !slices.Equal(got, []string{"sessconf.redis save"}) {
			t.Errorf("spans %v, want [sessconf.redis save]", got)
		}
	})
}
