package sessotel_test

import (
	"context"
	"testing"

	"go.opentelemetry.io/otel"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	sessotel "github.com/sessconf/sessconf/otel"
	"github.com/sessconf/sessconf/session"
)

// Without options New uses the global providers; nil options keep them.
// Not parallel: it swaps the global providers.
func TestNewUsesGlobalProviders(t *testing.T) {
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	spans := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans))
	oldMP, oldTP := otel.GetMeterProvider(), otel.GetTracerProvider()
	otel.SetMeterProvider(mp)
	otel.SetTracerProvider(tp)
	t.Cleanup(func() {
		otel.SetMeterProvider(oldMP)
		otel.SetTracerProvider(oldTP)
		_ = mp.Shutdown(context.Background())
		_ = tp.Shutdown(context.Background())
	})

	o, err := sessotel.New(sessotel.WithMeterProvider(nil), sessotel.WithTracerProvider(nil))
	if err != nil {
		t.Fatal(err)
	}
	o.Observe(context.Background(), session.Event{Op: "load", Outcome: "existing", Backend: "redis", StoreCall: true})
	tm := &telemetry{t: t, reader: reader}
	if got := tm.counts("sessconf.session.loads"); len(got) != 1 {
		t.Errorf("loads = %v, want one series on the global meter provider", got)
	}
	if n := len(spans.Ended()); n != 1 {
		t.Errorf("%d spans on the global tracer provider, want 1", n)
	}
}
