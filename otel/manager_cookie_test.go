package sessotel_test

import (
	"encoding/hex"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/sessconf/sessconf/crypto"
	"github.com/sessconf/sessconf/settings"
)

// A cookie-backed manager reports its loads and saves: counters by
// outcome, the cookie size, and no span (nothing leaves the process).
func TestManagerCookieLoadAndSave(t *testing.T) {
	for _, backend := range []string{"encrypted", "signed"} {
		t.Run(backend, func(t *testing.T) {
			tm := newTelemetry(t)
			s := newSite(t, optsFor(backend, ""), tm.observer)
			cookie := s.session()
			s.get("/read", cookie)

			ms := tm.collect()
			wantLoads := map[string]int64{
				kv("sessconf.session.backend", backend, "sessconf.session.outcome", "new"):      1,
				kv("sessconf.session.backend", backend, "sessconf.session.outcome", "existing"): 1,
			}
			if got := sums(t, ms, "sessconf.session.loads"); !maps.Equal(got, wantLoads) {
				t.Errorf("loads = %v, want %v", got, wantLoads)
			}
			wantSaves := map[string]int64{kv("sessconf.session.backend", backend, "sessconf.session.outcome", "ok"): 1}
			if got := sums(t, ms, "sessconf.session.saves"); !maps.Equal(got, wantSaves) {
				t.Errorf("saves = %v, want %v", got, wantSaves)
			}
			wantSize := map[string]hist{kv("sessconf.session.backend", backend): {1, float64(len(cookie))}}
			if got := histograms(t, ms, "sessconf.session.size"); !maps.Equal(got, wantSize) {
				t.Errorf("size = %v, want %v (the cookie is %d bytes)", got, wantSize, len(cookie))
			}
			for _, name := range []string{"sessconf.session.store.duration", "sessconf.session.store.errors"} {
				if _, ok := ms[name]; ok {
					t.Errorf("%s recorded for a cookie backend", name)
				}
			}
			if n := len(tm.ended()); n != 0 {
				t.Errorf("%d spans for a cookie backend, want 0", n)
			}
		})
	}
}

// codecFor seals payloads as the backend's own cookies, under testSecret.
func codecFor(t *testing.T, backend string) crypto.Codec {
	t.Helper()
	var c crypto.Codec
	var err error
	if backend == "encrypted" {
		key, herr := hex.DecodeString(testSecret)
		if herr != nil {
			t.Fatal(herr)
		}
		c, err = crypto.NewSecretbox(key)
	} else {
		c, err = crypto.NewSigned("sha512", []byte(settings.Default().Salt+testSecret))
	}
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Every reason a presented cookie can be refused shows up as its own
// series of sessconf.session.loads, for both cookie backends.
func TestManagerRejectedCookies(t *testing.T) {
	tests := []struct {
		reason string
		opts   func(*settings.Options)
		cookie func(t *testing.T, s *site, backend string) string // sets the clock for the load
	}{
		{reason: "bad_encoding", cookie: func(*testing.T, *site, string) string { return "not!base64" }},
		{reason: "oversize", cookie: func(*testing.T, *site, string) string { return strings.Repeat("A", 8192) }},
		{reason: "bad_signature", cookie: func(t *testing.T, _ *site, backend string) string {
			o := optsFor(backend, "")
			o.Secret = strings.Repeat("ab", 32)
			return newSite(t, o, newTelemetry(t).observer).session()
		}},
		{reason: "malformed", cookie: func(t *testing.T, _ *site, backend string) string {
			v, err := codecFor(t, backend).Encode([]byte(`{"not":"a session"}`))
			if err != nil {
				t.Fatal(err)
			}
			return v
		}},
		{reason: "expired", cookie: func(t *testing.T, s *site, _ string) string {
			c := s.session()
			s.at(1201 * time.Second)
			return c
		}},
		{reason: "lifetime", opts: func(o *settings.Options) { o.AbsoluteTimeout = settings.Seconds(60) },
			cookie: func(t *testing.T, s *site, _ string) string {
				c := s.session()
				s.at(61 * time.Second)
				return c
			}},
		{reason: "future_timestamp", cookie: func(t *testing.T, s *site, _ string) string {
			s.at(24 * time.Hour)
			c := s.session()
			s.at(0)
			return c
		}},
	}
	for _, backend := range []string{"encrypted", "signed"} {
		for _, tt := range tests {
			t.Run(backend+"/"+tt.reason, func(t *testing.T) {
				opts := optsFor(backend, "")
				if tt.opts != nil {
					tt.opts(&opts)
				}
				var r relay
				s := newSite(t, opts, &r)
				cookie := tt.cookie(t, s, backend)
				tm := r.fresh(t)
				s.get("/read", cookie)
				want := map[string]int64{kv("sessconf.session.backend", backend, "sessconf.session.outcome", "rejected",
					"sessconf.session.reason", tt.reason): 1}
				if got := tm.counts("sessconf.session.loads"); !maps.Equal(got, want) {
					t.Errorf("loads = %v, want %v", got, want)
				}
			})
		}
	}
}

// Logout and RenewID on a cookie session count as one invalidation and
// one renewal.
func TestManagerCookieInvalidateAndRenew(t *testing.T) {
	tm := newTelemetry(t)
	s := newSite(t, optsFor("encrypted", ""), tm.observer)
	cookie := s.session()
	s.get("/renew", cookie)
	s.get("/logout", cookie)
	ms := tm.collect()
	for name, want := range map[string]map[string]int64{
		"sessconf.session.renewals":      {kv("sessconf.session.backend", "encrypted", "sessconf.session.outcome", "ok"): 1},
		"sessconf.session.invalidations": {kv("sessconf.session.backend", "encrypted", "sessconf.session.outcome", "ok"): 1},
	} {
		if got := sums(t, ms, name); !maps.Equal(got, want) {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
}
