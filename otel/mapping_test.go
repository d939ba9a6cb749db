package sessotel_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"testing"
	"time"

	"github.com/sessconf/sessconf/session"
)

var counterNames = []string{
	"sessconf.session.loads",
	"sessconf.session.saves",
	"sessconf.session.invalidations",
	"sessconf.session.renewals",
	"sessconf.session.store.errors",
}

var errRedisDown = fmt.Errorf("%w: redis load: dial tcp 127.0.0.1:1: connect: connection refused", session.ErrUnavailable)

// Each event increments exactly the counters listed, with these attributes.
func TestEventCounters(t *testing.T) {
	tests := []struct {
		name  string
		event session.Event
		want  map[string]map[string]int64 // counter → attrKey → value
	}{
		{
			name:  "new encrypted load",
			event: session.Event{Op: "load", Outcome: "new", Backend: "encrypted"},
			want: map[string]map[string]int64{"sessconf.session.loads": {
				kv("sessconf.session.backend", "encrypted", "sessconf.session.outcome", "new"): 1}},
		},
		{
			name:  "existing signed load",
			event: session.Event{Op: "load", Outcome: "existing", Backend: "signed"},
			want: map[string]map[string]int64{"sessconf.session.loads": {
				kv("sessconf.session.backend", "signed", "sessconf.session.outcome", "existing"): 1}},
		},
		{
			name:  "rejected cookie keeps its reason",
			event: session.Event{Op: "load", Outcome: "rejected", Reason: "bad_signature", Backend: "encrypted"},
			want: map[string]map[string]int64{"sessconf.session.loads": {
				kv("sessconf.session.backend", "encrypted", "sessconf.session.outcome", "rejected",
					"sessconf.session.reason", "bad_signature"): 1}},
		},
		{
			name:  "reason without rejection is dropped",
			event: session.Event{Op: "load", Outcome: "existing", Reason: "stray", Backend: "memory"},
			want: map[string]map[string]int64{"sessconf.session.loads": {
				kv("sessconf.session.backend", "memory", "sessconf.session.outcome", "existing"): 1}},
		},
		{
			name:  "store outage on load",
			event: session.Event{Op: "load", Outcome: "error", Backend: "redis", StoreCall: true, Err: errRedisDown},
			want: map[string]map[string]int64{
				"sessconf.session.loads": {kv("sessconf.session.backend", "redis", "sessconf.session.outcome", "error",
					"error.type", "unavailable"): 1},
				"sessconf.session.store.errors": {kv("sessconf.session.backend", "redis", "sessconf.session.operation", "load",
					"error.type", "unavailable"): 1},
			},
		},
		{
			name:  "save",
			event: session.Event{Op: "save", Outcome: "ok", Backend: "encrypted", Size: 200},
			want: map[string]map[string]int64{"sessconf.session.saves": {
				kv("sessconf.session.backend", "encrypted", "sessconf.session.outcome", "ok"): 1}},
		},
		{
			name:  "failed save",
			event: session.Event{Op: "save", Outcome: "error", Backend: "redis", StoreCall: true, Err: context.DeadlineExceeded},
			want: map[string]map[string]int64{
				"sessconf.session.saves": {kv("sessconf.session.backend", "redis", "sessconf.session.outcome", "error",
					"error.type", "timeout"): 1},
				"sessconf.session.store.errors": {kv("sessconf.session.backend", "redis", "sessconf.session.operation", "save",
					"error.type", "timeout"): 1},
			},
		},
		{
			name:  "cookie too large to save is no store error",
			event: session.Event{Op: "save", Outcome: "error", Backend: "encrypted", Err: fmt.Errorf("commit: %w", session.ErrCookieTooLarge)},
			want: map[string]map[string]int64{"sessconf.session.saves": {
				kv("sessconf.session.backend", "encrypted", "sessconf.session.outcome", "error", "error.type", "cookie_too_large"): 1}},
		},
		{
			name:  "invalidate",
			event: session.Event{Op: "invalidate", Outcome: "ok", Backend: "redis", StoreCall: true},
			want: map[string]map[string]int64{"sessconf.session.invalidations": {
				kv("sessconf.session.backend", "redis", "sessconf.session.outcome", "ok"): 1}},
		},
		{
			name:  "renew",
			event: session.Event{Op: "renew", Outcome: "ok", Backend: "signed"},
			want: map[string]map[string]int64{"sessconf.session.renewals": {
				kv("sessconf.session.backend", "signed", "sessconf.session.outcome", "ok"): 1}},
		},
		{
			name:  "unknown op is ignored",
			event: session.Event{Op: "frobnicate", Outcome: "error", Backend: "redis", StoreCall: true, Err: errRedisDown},
			want:  map[string]map[string]int64{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tm := newTelemetry(t)
			tm.observer.Observe(context.Background(), tt.event)
			ms := tm.collect()
			for _, name := range counterNames {
				got := sums(t, ms, name)
				want := tt.want[name]
				if want == nil {
					want = map[string]int64{}
				}
				if !maps.Equal(got, want) {
					t.Errorf("%s = %v, want %v", name, got, want)
				}
			}
		})
	}
}

// error.type is a small fixed vocabulary, never the error's text.
func TestErrorType(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{errRedisDown, "unavailable"},
		{fmt.Errorf("%w: redis save: %w", session.ErrUnavailable, context.DeadlineExceeded), "timeout"},
		{fmt.Errorf("%w: redis load: %w", session.ErrUnavailable, timeoutErr{}), "timeout"},
		{context.Canceled, "canceled"},
		{fmt.Errorf("commit: %w", session.ErrCookieTooLarge), "cookie_too_large"},
		{errors.New("something else"), "_OTHER"},
		{nil, "_OTHER"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.err), func(t *testing.T) {
			tm := newTelemetry(t)
			tm.observer.Observe(context.Background(), session.Event{Op: "save", Outcome: "error", Backend: "redis", StoreCall: true, Err: tt.err})
			ms := tm.collect()
			want := map[string]int64{kv("sessconf.session.backend", "redis", "sessconf.session.outcome", "error",
				"error.type", tt.want): 1}
			if got := sums(t, ms, "sessconf.session.saves"); !maps.Equal(got, want) {
				t.Errorf("saves = %v, want %v", got, want)
			}
			want = map[string]int64{kv("sessconf.session.backend", "redis", "sessconf.session.operation", "save",
				"error.type", tt.want): 1}
			if got := sums(t, ms, "sessconf.session.store.errors"); !maps.Equal(got, want) {
				t.Errorf("store.errors = %v, want %v", got, want)
			}
		})
	}
}

// timeoutErr is a net.Error that timed out, as a Redis read deadline gives.
type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

// Only store round trips are timed; cookie work is not a store call.
func TestStoreDuration(t *testing.T) {
	tm := newTelemetry(t)
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	ctx := context.Background()
	tm.observer.Observe(ctx, session.Event{Op: "load", Outcome: "existing", Backend: "redis", StoreCall: true, Start: start, Duration: 1500 * time.Microsecond})
	tm.observer.Observe(ctx, session.Event{Op: "load", Outcome: "existing", Backend: "redis", StoreCall: true, Start: start, Duration: 500 * time.Microsecond})
	tm.observer.Observe(ctx, session.Event{Op: "save", Outcome: "error", Backend: "redis", StoreCall: true, Start: start, Duration: 2 * time.Second, Err: errRedisDown})
	tm.observer.Observe(ctx, session.Event{Op: "load", Outcome: "existing", Backend: "encrypted", Start: start, Duration: time.Millisecond})

	ms := tm.collect()
	got := histograms(t, ms, "sessconf.session.store.duration")
	want := map[string]hist{
		kv("sessconf.session.backend", "redis", "sessconf.session.operation", "load", "sessconf.session.outcome", "existing"): {2, 0.002},
		kv("sessconf.session.backend", "redis", "sessconf.session.operation", "save", "sessconf.session.outcome", "error",
			"error.type", "unavailable"): {1, 2},
	}
	if len(got) != len(want) {
		t.Errorf("store.duration has %d series, want %d: %v", len(got), len(want), got)
	}
	for k, w := range want {
		g := got[k]
		if g.count != w.count || g.sum < w.sum-1e-9 || g.sum > w.sum+1e-9 {
			t.Errorf("store.duration{%s} = %+v, want %+v", k, g, w)
		}
	}
	if u := ms["sessconf.session.store.duration"].Unit; u != "s" {
		t.Errorf("store.duration unit %q, want s", u)
	}
}

// Size is recorded for saves that wrote something and nothing else.
func TestSize(t *testing.T) {
	tm := newTelemetry(t)
	ctx := context.Background()
	for _, e := range []session.Event{
		{Op: "save", Outcome: "ok", Backend: "encrypted", Size: 300},
		{Op: "save", Outcome: "ok", Backend: "encrypted", Size: 500},
		{Op: "save", Outcome: "ok", Backend: "redis", Size: 90, StoreCall: true},
		{Op: "save", Outcome: "ok", Backend: "encrypted"}, // nothing written
		{Op: "save", Outcome: "error", Backend: "redis", Size: 70, Err: errRedisDown},
		{Op: "load", Outcome: "existing", Backend: "encrypted", Size: 4000},
	} {
		tm.observer.Observe(ctx, e)
	}
	ms := tm.collect()
	got := histograms(t, ms, "sessconf.session.size")
	want := map[string]hist{
		kv("sessconf.session.backend", "encrypted"): {2, 800},
		kv("sessconf.session.backend", "redis"):     {1, 90},
	}
	if !maps.Equal(got, want) {
		t.Errorf("size = %v, want %v", got, want)
	}
	if u := ms["sessconf.session.size"].Unit; u != "By" {
		t.Errorf("size unit %q, want By", u)
	}
}

// Counters carry the unit and description a metrics backend shows.
func TestInstrumentMetadata(t *testing.T) {
	tm := newTelemetry(t)
	ctx := context.Background()
	for _, op := range []string{"load", "save", "invalidate", "renew"} {
		tm.observer.Observe(ctx, session.Event{Op: op, Outcome: "error", Backend: "redis", StoreCall: true, Err: errRedisDown, Size: 1})
	}
	tm.observer.Observe(ctx, session.Event{Op: "save", Outcome: "ok", Backend: "redis", Size: 1})
	units := map[string]string{
		"sessconf.session.loads":          "{load}",
		"sessconf.session.saves":          "{save}",
		"sessconf.session.invalidations":  "{invalidation}",
		"sessconf.session.renewals":       "{renewal}",
		"sessconf.session.store.errors":   "{error}",
		"sessconf.session.store.duration": "s",
		"sessconf.session.size":           "By",
	}
	ms := tm.collect()
	if len(ms) != len(units) {
		t.Errorf("%d metrics, want %d", len(ms), len(units))
	}
	for name, unit := range units {
		m, ok := ms[name]
		if !ok {
			t.Errorf("%s missing", name)
			continue
		}
		if m.Unit != unit {
			t.Errorf("%s unit %q, want %q", name, m.Unit, unit)
		}
		if m.Description == "" {
			t.Errorf("%s has no description", name)
		}
	}
}
