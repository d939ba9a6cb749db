package sessotel_test

import (
	"context"
	"testing"
	"time"

	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/sessconf/sessconf/session"
)

// A store round trip becomes a client span placed where the call
// happened, under the request's span.
func TestStoreCallSpan(t *testing.T) {
	tm := newTelemetry(t)
	ctx, parent := tm.tp.Tracer("test").Start(context.Background(), "GET /")
	start := time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC)
	tm.observer.Observe(ctx, session.Event{Op: "load", Outcome: "rejected", Reason: "not_found", Backend: "redis",
		StoreCall: true, Start: start, Duration: 750 * time.Microsecond})
	parent.End()

	spans := tm.ended()
	if len(spans) != 2 {
		t.Fatalf("%d spans, want 2 (store call and parent)", len(spans))
	}
	s := spans[0]
	if s.Name() != "sessconf.redis load" {
		t.Errorf("name %q, want %q", s.Name(), "sessconf.redis load")
	}
	if s.SpanKind() != trace.SpanKindClient {
		t.Errorf("kind %v, want client", s.SpanKind())
	}
	if !s.StartTime().Equal(start) || !s.EndTime().Equal(start.Add(750*time.Microsecond)) {
		t.Errorf("span %v–%v, want %v–%v", s.StartTime(), s.EndTime(), start, start.Add(750*time.Microsecond))
	}
	if s.Parent().SpanID() != parent.SpanContext().SpanID() || s.SpanContext().TraceID() != parent.SpanContext().TraceID() {
		t.Errorf("span is not a child of the request span")
	}
	want := kv("db.system.name", "redis", "sessconf.session.backend", "redis", "sessconf.session.operation", "load",
		"sessconf.session.outcome", "rejected", "sessconf.session.reason", "not_found")
	if got := spanAttrs(s); got != want {
		t.Errorf("attributes\n got %s\nwant %s", got, want)
	}
	if s.Status().Code != codes.Unset {
		t.Errorf("status %v, want unset", s.Status())
	}
}

// A failed round trip is an error span carrying the error.
func TestStoreCallSpanError(t *testing.T) {
	tests := []struct {
		name     string
		err      error
		wantDesc string
		events   int
	}{
		{"with error", errRedisDown, errRedisDown.Error(), 1},
		{"without error", nil, "session store error", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tm := newTelemetry(t)
			start := time.Now()
			tm.observer.Observe(context.Background(), session.Event{Op: "save", Outcome: "error", Backend: "redis",
				StoreCall: true, Start: start, Duration: time.Second, Err: tt.err})
			spans := tm.ended()
			if len(spans) != 1 {
				t.Fatalf("%d spans, want 1", len(spans))
			}
			s := spans[0]
			if s.Name() != "sessconf.redis save" {
				t.Errorf("name %q", s.Name())
			}
			if s.Status().Code != codes.Error || s.Status().Description != tt.wantDesc {
				t.Errorf("status %+v, want Error %q", s.Status(), tt.wantDesc)
			}
			want := kv("db.system.name", "redis", "sessconf.session.backend", "redis", "sessconf.session.operation", "save",
				"sessconf.session.outcome", "error", "error.type", map[bool]string{true: "unavailable", false: "_OTHER"}[tt.err != nil])
			if got := spanAttrs(s); got != want {
				t.Errorf("attributes\n got %s\nwant %s", got, want)
			}
			if len(s.Events()) != tt.events {
				t.Fatalf("%d span events, want %d", len(s.Events()), tt.events)
			}
			if tt.events > 0 && s.Events()[0].Name != "exception" {
				t.Errorf("event %q, want exception", s.Events()[0].Name)
			}
		})
	}
}

// Cookie backends do no round trip, so they make no span; only Redis
// spans name their database system.
func TestSpansOnlyForStoreCalls(t *testing.T) {
	tm := newTelemetry(t)
	ctx := context.Background()
	for _, e := range []session.Event{
		{Op: "load", Outcome: "existing", Backend: "encrypted"},
		{Op: "save", Outcome: "ok", Backend: "signed", Size: 100},
		{Op: "renew", Outcome: "ok", Backend: "encrypted"},
		{Op: "invalidate", Outcome: "ok", Backend: "memory"},
	} {
		tm.observer.Observe(ctx, e)
	}
	if n := len(tm.ended()); n != 0 {
		t.Errorf("%d spans for cookie work, want 0", n)
	}
	tm.observer.Observe(ctx, session.Event{Op: "renew", Outcome: "ok", Backend: "memory", StoreCall: true})
	spans := tm.ended()
	if len(spans) != 1 {
		t.Fatalf("%d spans, want 1", len(spans))
	}
	want := kv("sessconf.session.backend", "memory", "sessconf.session.operation", "renew", "sessconf.session.outcome", "ok")
	if got := spanAttrs(spans[0]); got != want {
		t.Errorf("attributes\n got %s\nwant %s", got, want)
	}
}

// An event without a start time still gives a span of its duration that
// ends about now, not one in year 1.
func TestStoreCallSpanWithoutStart(t *testing.T) {
	tm := newTelemetry(t)
	before := time.Now()
	tm.observer.Observe(context.Background(), session.Event{Op: "load", Outcome: "existing", Backend: "redis",
		StoreCall: true, Duration: 3 * time.Millisecond})
	after := time.Now()
	spans := tm.ended()
	if len(spans) != 1 {
		t.Fatalf("%d spans, want 1", len(spans))
	}
	s := spans[0]
	if got := s.EndTime().Sub(s.StartTime()); got != 3*time.Millisecond {
		t.Errorf("span lasts %v, want 3ms", got)
	}
	if s.EndTime().Before(before) || s.EndTime().After(after) {
		t.Errorf("span ends at %v, want between %v and %v", s.EndTime(), before, after)
	}
}
