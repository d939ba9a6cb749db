package sessotel_test

import (
	"context"
	"sort"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	sessotel "github.com/sessconf/sessconf/otel"
	"github.com/sessconf/sessconf/session"
)

// telemetry is an observer wired to an in-memory metric reader and span
// recorder.
type telemetry struct {
	t        *testing.T
	observer session.Observer
	reader   *sdkmetric.ManualReader
	spans    *tracetest.SpanRecorder
	tp       *sdktrace.TracerProvider
}

func newTelemetry(t *testing.T) *telemetry {
	t.Helper()
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	spans := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans))
	t.Cleanup(func() {
		_ = mp.Shutdown(context.Background())
		_ = tp.Shutdown(context.Background())
	})
	o, err := sessotel.New(sessotel.WithMeterProvider(mp), sessotel.WithTracerProvider(tp))
	if err != nil {
		t.Fatal(err)
	}
	return &telemetry{t: t, observer: o, reader: reader, spans: spans, tp: tp}
}

// collect returns every metric recorded so far, by name.
func (tm *telemetry) collect() map[string]metricdata.Metrics {
	tm.t.Helper()
	var rm metricdata.ResourceMetrics
	if err := tm.reader.Collect(context.Background(), &rm); err != nil {
		tm.t.Fatal(err)
	}
	out := map[string]metricdata.Metrics{}
	for _, sm := range rm.ScopeMetrics {
		if sm.Scope.Name != sessotel.ScopeName {
			tm.t.Errorf("scope %q, want %q", sm.Scope.Name, sessotel.ScopeName)
		}
		for _, m := range sm.Metrics {
			out[m.Name] = m
		}
	}
	return out
}

// attrKey renders an attribute set as "k=v,k=v" (sorted), a map key.
func attrKey(s attribute.Set) string {
	var parts []string
	for _, kv := range s.ToSlice() {
		parts = append(parts, string(kv.Key)+"="+kv.Value.String())
	}
	sort.Strings(parts)
	return strings.Join(parts, ",")
}

// kv builds the attrKey form from alternating keys and values.
func kv(pairs ...string) string {
	var parts []string
	for i := 0; i+1 < len(pairs); i += 2 {
		parts = append(parts, pairs[i]+"="+pairs[i+1])
	}
	sort.Strings(parts)
	return strings.Join(parts, ",")
}

// counts returns a counter's data points as attrKey → value; a counter
// never recorded gives an empty map.
func (tm *telemetry) counts(name string) map[string]int64 {
	tm.t.Helper()
	return sums(tm.t, tm.collect(), name)
}

func sums(t *testing.T, ms map[string]metricdata.Metrics, name string) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	m, ok := ms[name]
	if !ok {
		return out
	}
	sum, ok := m.Data.(metricdata.Sum[int64])
	if !ok {
		t.Fatalf("%s is %T, want an int64 sum", name, m.Data)
	}
	if !sum.IsMonotonic {
		t.Errorf("%s is not monotonic", name)
	}
	for _, dp := range sum.DataPoints {
		out[attrKey(dp.Attributes)] += dp.Value
	}
	return out
}

// hist summarises one histogram data point.
type hist struct {
	count uint64
	sum   float64
}

func histograms(t *testing.T, ms map[string]metricdata.Metrics, name string) map[string]hist {
	t.Helper()
	out := map[string]hist{}
	m, ok := ms[name]
	if !ok {
		return out
	}
	switch h := m.Data.(type) {
	case metricdata.Histogram[float64]:
		for _, dp := range h.DataPoints {
			out[attrKey(dp.Attributes)] = hist{dp.Count, dp.Sum}
		}
	case metricdata.Histogram[int64]:
		for _, dp := range h.DataPoints {
			out[attrKey(dp.Attributes)] = hist{dp.Count, float64(dp.Sum)}
		}
	default:
		t.Fatalf("%s is %T, want a histogram", name, m.Data)
	}
	return out
}

// ended returns the spans ended so far.
func (tm *telemetry) ended() []sdktrace.ReadOnlySpan { return tm.spans.Ended() }

// spanAttrs renders a span's attributes in attrKey form.
func spanAttrs(s sdktrace.ReadOnlySpan) string {
	return attrKey(attribute.NewSet(s.Attributes()...))
}
