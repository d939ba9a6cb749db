// Command prometheus serves a visit counter on encrypted cookie sessions
// and exposes the session metrics on /metrics in the Prometheus format,
// through OpenTelemetry's Prometheus exporter.
//
//	go run ./example/prometheus                  # from the otel module
//	curl -c jar -b jar http://127.0.0.1:8080/    # a few times
//	curl http://127.0.0.1:8080/metrics | grep sessconf_
//
// Settings come from the SESSION_* environment variables; with no secret
// an ephemeral one is made, so sessions end when the server stops. With
// SESSION_TYPE=redis and SESSION_REDIS_URL=redis://127.0.0.1:6379/0 the
// store metrics (sessconf_session_store_duration_seconds…) appear too.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	otelprom "go.opentelemetry.io/otel/exporters/prometheus"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"

	"github.com/sessconf/sessconf/crypto"
	sessotel "github.com/sessconf/sessconf/otel"
	"github.com/sessconf/sessconf/session"
	"github.com/sessconf/sessconf/settings"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "listen address")
	flag.Parse()
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := run(*addr, logger); err != nil {
		logger.Error("prometheus example", "err", err)
		os.Exit(1)
	}
}

func run(addr string, logger *slog.Logger) error {
	h, shutdown, err := newHandler(logger)
	if err != nil {
		return err
	}
	defer shutdown()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logger.Info("listening", "site", "http://"+addr+"/", "metrics", "http://"+addr+"/metrics")
	return serve(ctx, ln, h)
}

// serve answers on ln until ctx ends, then drains the requests in
// flight. It returns only when draining is over, so the caller's
// deferred shutdown never closes what a request still uses.
func serve(ctx context.Context, ln net.Listener, h http.Handler) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	stopped := make(chan error, 1)
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		stopped <- srv.Shutdown(sctx)
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return <-stopped
}

// newHandler wires sessions, the OTel meter provider and the Prometheus
// exporter together; shutdown flushes and releases them.
func newHandler(logger *slog.Logger) (http.Handler, func(), error) {
	// The exporter is a metric reader that answers Prometheus scrapes
	// from the registry it is registered with.
	registry := prometheus.NewRegistry()
	exporter, err := otelprom.New(otelprom.WithRegisterer(registry))
	if err != nil {
		return nil, nil, fmt.Errorf("prometheus exporter: %w", err)
	}
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(exporter))
	// Spans go to the global tracer provider, a no-op until the
	// application installs one.
	observer, err := sessotel.New(sessotel.WithMeterProvider(mp))
	if err != nil {
		return nil, nil, err
	}
	mgr, err := newManager(logger, session.WithObserver(observer))
	if err != nil {
		return nil, nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("GET /{$}", mgr.Middleware(http.HandlerFunc(visits)))
	mux.Handle("GET /metrics", promhttp.HandlerFor(registry, promhttp.HandlerOpts{}))
	shutdown := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := mp.Shutdown(ctx); err != nil {
			logger.Warn("meter provider shutdown", "err", err)
		}
		if err := mgr.Close(); err != nil {
			logger.Warn("session manager close", "err", err)
		}
	}
	return mux, shutdown, nil
}

// newManager reads the SESSION_* environment; with no secret there it
// makes an ephemeral one, so the example runs with no set-up.
func newManager(logger *slog.Logger, opts ...session.Option) (*session.Manager, error) {
	opts = append(opts, session.WithLogger(logger))
	_, hasSecret := os.LookupEnv("SESSION_SECRET")
	_, hasFile := os.LookupEnv("SESSION_SECRET_FILE")
	if !hasSecret && !hasFile {
		secret, err := crypto.GenerateSecret(true)
		if err != nil {
			return nil, err
		}
		logger.Warn("no session secret configured: using an ephemeral one",
			"hint", "set SESSION_SECRET (checkconf --generate-secret)")
		opts = append(opts, session.WithLoadOptions(settings.WithOverrides("session.secret="+string(secret))))
	}
	return session.FromSettings(nil, opts...)
}

// visits counts the visits of one browser in its session.
func visits(w http.ResponseWriter, r *http.Request) {
	s := session.Get(r)
	n, _ := session.GetAs[int](s, "visits")
	s.Set("visits", n+1)
	fmt.Fprintf(w, "visit %d\n", n+1)
}
