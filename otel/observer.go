package sessotel

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/sessconf/sessconf/session"
)

// ScopeName is the instrumentation scope of the meter and tracer, for
// metric views and sampling rules.
const ScopeName = "github.com/sessconf/sessconf/otel"

// Option configures New.
type Option func(*config)

type config struct {
	mp metric.MeterProvider
	tp trace.TracerProvider
}

// WithMeterProvider records metrics with mp instead of the global
// provider (otel.GetMeterProvider at the time New runs). nil keeps the
// global one.
func WithMeterProvider(mp metric.MeterProvider) Option {
	return func(c *config) {
		if mp != nil {
			c.mp = mp
		}
	}
}

// WithTracerProvider records spans with tp instead of the global
// provider (otel.GetTracerProvider at the time New runs). nil keeps the
// global one.
func WithTracerProvider(tp trace.TracerProvider) Option {
	return func(c *config) {
		if tp != nil {
			c.tp = tp
		}
	}
}

// observer turns session.Events into metrics and spans.
type observer struct {
	tracer trace.Tracer

	loads, saves, invalidations, renewals, storeErrors metric.Int64Counter
	storeDuration                                      metric.Float64Histogram
	size                                               metric.Int64Histogram
}

// Store round trips to a local Redis take well under a millisecond, so
// the buckets start at 100µs rather than at the HTTP default of 5ms.
var durationBuckets = []float64{
	0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
	0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
}

// Browsers cap a cookie at 4096 bytes; Redis records may be larger.
var sizeBuckets = []float64{64, 128, 256, 512, 1024, 2048, 3072, 4096, 8192, 16384, 65536}

// New returns a session.Observer that records metrics and spans through
// the providers set by the options (by default the global ones). It fails
// only if an instrument cannot be created.
func New(opts ...Option) (session.Observer, error) {
	c := config{mp: otel.GetMeterProvider(), tp: otel.GetTracerProvider()}
	for _, o := range opts {
		o(&c)
	}
	m := c.mp.Meter(ScopeName, metric.WithSchemaURL(semconv.SchemaURL))
	o := &observer{tracer: c.tp.Tracer(ScopeName, trace.WithSchemaURL(semconv.SchemaURL))}
	var errs []error
	counter := func(dst *metric.Int64Counter, name, desc, unit string) {
		var err error
		*dst, err = m.Int64Counter(name, metric.WithDescription(desc), metric.WithUnit(unit))
		errs = append(errs, err)
	}
	counter(&o.loads, "sessconf.session.loads", "Sessions loaded, by outcome and, for rejected cookies, reason.", "{load}")
	counter(&o.saves, "sessconf.session.saves", "Sessions committed.", "{save}")
	counter(&o.invalidations, "sessconf.session.invalidations", "Sessions invalidated (logouts).", "{invalidation}")
	counter(&o.renewals, "sessconf.session.renewals", "Session ids renewed.", "{renewal}")
	counter(&o.storeErrors, "sessconf.session.store.errors", "Failed round trips to the session store, by error type.", "{error}")
	var err error
	o.storeDuration, err = m.Float64Histogram("sessconf.session.store.duration",
		metric.WithDescription("Duration of session store round trips."),
		metric.WithUnit("s"), metric.WithExplicitBucketBoundaries(durationBuckets...))
	errs = append(errs, err)
	o.size, err = m.Int64Histogram("sessconf.session.size",
		metric.WithDescription("Size of the session cookie value or stored record written by a save."),
		metric.WithUnit("By"), metric.WithExplicitBucketBoundaries(sizeBuckets...))
	errs = append(errs, err)
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("sessotel: create instruments: %w", err)
	}
	return o, nil
}

// Observe implements session.Observer. Events with an unknown Op are
// ignored.
func (o *observer) Observe(ctx context.Context, e session.Event) {
	var counter metric.Int64Counter
	switch e.Op {
	case opLoad:
		counter = o.loads
	case opSave:
		counter = o.saves
	case opInvalidate:
		counter = o.invalidations
	case opRenew:
		counter = o.renewals
	default:
		return
	}
	backend := backendKey.String(e.Backend)
	outcome := outcomeKey.String(e.Outcome)
	op := operationKey.String(e.Op)
	failed := e.Outcome == outcomeError
	var errType attribute.KeyValue
	if failed {
		errType = errorType(e.Err)
	}

	attrs := make([]attribute.KeyValue, 0, 4)
	attrs = append(attrs, backend, outcome)
	if e.Reason != "" && e.Outcome == outcomeRejected {
		attrs = append(attrs, reasonKey.String(e.Reason))
	}
	if failed {
		attrs = append(attrs, errType)
	}
	counter.Add(ctx, 1, metric.WithAttributes(attrs...))

	if failed && e.StoreCall {
		o.storeErrors.Add(ctx, 1, metric.WithAttributes(backend, op, errType))
	}
	if e.Op == opSave && !failed && e.Size > 0 {
		o.size.Record(ctx, int64(e.Size), metric.WithAttributes(backend))
	}
	if !e.StoreCall {
		return
	}

	callAttrs := []attribute.KeyValue{backend, op, outcome}
	if failed {
		callAttrs = append(callAttrs, errType)
	}
	o.storeDuration.Record(ctx, e.Duration.Seconds(), metric.WithAttributes(callAttrs...))
	o.span(ctx, e, callAttrs)
}

// span records a store round trip after the fact, from e.Start to
// e.Start+e.Duration, as a child of the request's span.
func (o *observer) span(ctx context.Context, e session.Event, attrs []attribute.KeyValue) {
	if e.Reason != "" && e.Outcome == outcomeRejected {
		attrs = append(attrs, reasonKey.String(e.Reason))
	}
	if e.Backend == backendRedis {
		attrs = append(attrs, semconv.DBSystemNameRedis)
	}
	start := e.Start
	if start.IsZero() { // an event without a start ended just now
		start = time.Now().Add(-e.Duration)
	}
	end := start.Add(e.Duration)
	_, sp := o.tracer.Start(ctx, "sessconf."+e.Backend+" "+e.Op,
		trace.WithSpanKind(trace.SpanKindClient),
		trace.WithTimestamp(start),
		trace.WithAttributes(attrs...))
	if e.Outcome == outcomeError {
		if e.Err != nil {
			sp.RecordError(e.Err, trace.WithTimestamp(end))
			sp.SetStatus(codes.Error, e.Err.Error())
		} else {
			sp.SetStatus(codes.Error, "session store error")
		}
	}
	sp.End(trace.WithTimestamp(end))
}
