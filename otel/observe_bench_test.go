package sessotel_test

import (
	"context"
	"testing"
	"time"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	sessotel "github.com/sessconf/sessconf/otel"
	"github.com/sessconf/sessconf/session"
)

// Observe runs on every request: measure what it costs with the SDK.
func BenchmarkObserve(b *testing.B) {
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	tp := sdktrace.NewTracerProvider()
	b.Cleanup(func() {
		_ = mp.Shutdown(context.Background())
		_ = tp.Shutdown(context.Background())
	})
	o, err := sessotel.New(sessotel.WithMeterProvider(mp), sessotel.WithTracerProvider(tp))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	start := time.Now()
	for _, bm := range []struct {
		name string
		e    session.Event
	}{
		{"cookie load", session.Event{Op: "load", Outcome: "existing", Backend: "encrypted", Start: start, Duration: time.Microsecond}},
		{"cookie save", session.Event{Op: "save", Outcome: "ok", Backend: "encrypted", Start: start, Duration: time.Microsecond, Size: 200}},
		{"redis load", session.Event{Op: "load", Outcome: "existing", Backend: "redis", StoreCall: true, Start: start, Duration: time.Millisecond}},
	} {
		b.Run(bm.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				o.Observe(ctx, bm.e)
			}
		})
	}
}
