package sessotel_test

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	otelprom "go.opentelemetry.io/otel/exporters/prometheus"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	sessotel "github.com/sessconf/sessconf/otel"
	"github.com/sessconf/sessconf/session"
	"github.com/sessconf/sessconf/settings"
)

// visits counts a browser's visits in its session.
var visits = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	s := session.Get(r)
	n, _ := session.GetAs[int](s, "visits")
	s.Set("visits", n+1)
})

// twoVisits sends two requests, the second with the first one's cookie.
func twoVisits(h http.Handler) {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	r := httptest.NewRequest("GET", "/", nil)
	for _, c := range w.Result().Cookies() {
		r.AddCookie(c)
	}
	h.ServeHTTP(httptest.NewRecorder(), r)
}

// Pass the observer to the manager. Here the metrics go to an in-memory
// reader; in production, to the MeterProvider of your OTel exporter
// (without WithMeterProvider, the global one).
func ExampleNew() {
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	observer, err := sessotel.New(sessotel.WithMeterProvider(mp))
	if err != nil {
		fmt.Println(err)
		return
	}
	opts := settings.Default()
	opts.Secret = "5f1c8e3a9b2d4f6071829304a5b6c7d8e9f0a1b2c3d4e5f60718293a4b5c6d7e"
	mgr, err := session.New(opts, session.WithObserver(observer))
	if err != nil {
		fmt.Println(err)
		return
	}
	twoVisits(mgr.Middleware(visits))

	var rm metricdata.ResourceMetrics
	if err := reader.Collect(context.Background(), &rm); err != nil {
		fmt.Println(err)
		return
	}
	var lines []string
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if sum, ok := m.Data.(metricdata.Sum[int64]); ok {
				for _, dp := range sum.DataPoints {
					outcome, _ := dp.Attributes.Value("sessconf.session.outcome")
					lines = append(lines, fmt.Sprintf("%s outcome=%s %d", m.Name, outcome.String(), dp.Value))
				}
			}
		}
	}
	sort.Strings(lines)
	fmt.Println(strings.Join(lines, "\n"))
	// Output:
	// sessconf.session.loads outcome=existing 1
	// sessconf.session.loads outcome=new 1
	// sessconf.session.saves outcome=ok 2
}

// Prometheus: OpenTelemetry's Prometheus exporter serves the session
// metrics on /metrics; no separate exporter is needed.
func Example_prometheus() {
	registry := prometheus.NewRegistry()
	exporter, err := otelprom.New(otelprom.WithRegisterer(registry), otelprom.WithoutScopeInfo())
	if err != nil {
		fmt.Println(err)
		return
	}
	observer, err := sessotel.New(sessotel.WithMeterProvider(sdkmetric.NewMeterProvider(sdkmetric.WithReader(exporter))))
	if err != nil {
		fmt.Println(err)
		return
	}
	opts := settings.Default()
	opts.Secret = "5f1c8e3a9b2d4f6071829304a5b6c7d8e9f0a1b2c3d4e5f60718293a4b5c6d7e"
	mgr, err := session.New(opts, session.WithObserver(observer))
	if err != nil {
		fmt.Println(err)
		return
	}
	mux := http.NewServeMux()
	mux.Handle("/", mgr.Middleware(visits))
	mux.Handle("/metrics", promhttp.HandlerFor(registry, promhttp.HandlerOpts{}))
	twoVisits(mux)

	// A scrape, as Prometheus would do it.
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
	sc := bufio.NewScanner(w.Body)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "sessconf_session_loads_total") || strings.HasPrefix(sc.Text(), "sessconf_session_saves_total") {
			fmt.Println(sc.Text())
		}
	}
	// Output:
	// sessconf_session_loads_total{sessconf_session_backend="encrypted",sessconf_session_outcome="existing"} 1
	// sessconf_session_loads_total{sessconf_session_backend="encrypted",sessconf_session_outcome="new"} 1
	// sessconf_session_saves_total{sessconf_session_backend="encrypted",sessconf_session_outcome="ok"} 2
}
