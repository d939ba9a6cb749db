package sessotel_test

import (
	"fmt"
	"io"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/sessconf/sessconf/internal/redistest"
)

// dump renders everything the telemetry would export: metric names,
// descriptions, units and every data point's attributes; span names,
// attributes, status, events and their attributes.
func dump(t *testing.T, tm *telemetry) string {
	t.Helper()
	var b strings.Builder
	set := func(s attribute.Set) {
		for _, kv := range s.ToSlice() {
			fmt.Fprintf(&b, " %s=%s", kv.Key, kv.Value.String())
		}
		b.WriteByte('\n')
	}
	for _, m := range tm.collect() {
		fmt.Fprintf(&b, "%s %q %s\n", m.Name, m.Description, m.Unit)
		switch d := m.Data.(type) {
		case metricdata.Sum[int64]:
			for _, dp := range d.DataPoints {
				set(dp.Attributes)
			}
		case metricdata.Histogram[float64]:
			for _, dp := range d.DataPoints {
				set(dp.Attributes)
			}
		case metricdata.Histogram[int64]:
			for _, dp := range d.DataPoints {
				set(dp.Attributes)
			}
		default:
			t.Fatalf("%s: unexpected %T", m.Name, m.Data)
		}
	}
	for _, s := range tm.ended() {
		fmt.Fprintf(&b, "span %s %s %q", s.Name(), s.Status().Code, s.Status().Description)
		set(attribute.NewSet(s.Attributes()...))
		for _, e := range s.Events() {
			b.WriteString("event " + e.Name)
			set(attribute.NewSet(e.Attributes...))
		}
		set(*s.Resource().Set())
	}
	return b.String()
}

// No secret, CSRF token, cookie value or session id reaches a metric or
// a span, whatever the requests did (including failures).
func TestTelemetryHoldsNoSecrets(t *testing.T) {
	const fallback = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	for _, backend := range []string{"encrypted", "signed", "redis"} {
		t.Run(backend, func(t *testing.T) {
			var url string
			var srv *redistest.Server
			if backend == "redis" {
				srv = redistest.Start(t)
				url = srv.URL()
			}
			opts := optsFor(backend, url)
			opts.SecretFallbacks = []string{fallback}
			tm := newTelemetry(t)
			s := newSite(t, opts, tm.observer)

			res, cookie := s.get("/csrf", "")
			body, _ := io.ReadAll(res.Body)
			token := string(body)
			if cookie == "" || len(token) < 16 {
				t.Fatalf("no session started: cookie %q, token %q", cookie, token)
			}
			secrets := map[string]string{"secret": testSecret, "fallback secret": fallback, "CSRF token": token, "cookie": cookie}
			if backend == "redis" {
				id, _, ok := strings.Cut(cookie, ".")
				if !ok || len(id) < 16 {
					t.Fatalf("redis cookie %q has no id", cookie)
				}
				secrets["session id"] = id
			}
			s.get("/set", cookie)
			_, renewed := s.get("/renew", cookie)
			if renewed != "" {
				secrets["renewed cookie"] = renewed
				cookie = renewed
			}
			s.get("/logout", cookie)
			s.get("/read", cookie)
			s.get("/read", cookie[:len(cookie)-2]+"xx")
			if srv != nil {
				c := s.session()
				secrets["last cookie"] = c
				srv.Stop()
				s.get("/read", c)
			}

			out := dump(t, tm)
			if !strings.Contains(out, "sessconf.session.loads") || !strings.Contains(out, "sessconf.session.saves") {
				t.Fatalf("telemetry recorded no loads or saves:\n%s", out)
			}
			if backend == "redis" && !strings.Contains(out, "span sessconf.redis load Error") {
				t.Fatalf("no failed load span recorded:\n%s", out)
			}
			for what, v := range secrets {
				if strings.Contains(out, v) {
					t.Errorf("the %s %q appears in the telemetry:\n%s", what, v, out)
				}
			}
		})
	}
}
