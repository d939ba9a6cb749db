package bench

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/sessconf/sessconf/settings"
)

// BenchmarkUntouchedLoopback measures what the middleware adds to a real
// request over loopback TCP: an HTTP/1.1 keep-alive client and server in
// this process, the request carrying the medium session cookie, a handler
// that never touches its session. Each iteration sends one request to the
// bare handler and one through the middleware, in alternating order, and
// overhead-% is the median over all pairs of (time with / time without − 1),
// client time included: the end-to-end cost of a request.
func BenchmarkUntouchedLoopback(b *testing.B) {
	m := sessconfManager(b, settings.TypeEncrypted)
	cookie := sessconfVariant(b, "", settings.TypeEncrypted).seed(b, payloads[1])
	mux := http.NewServeMux()
	mux.Handle("/none", plain)
	mux.Handle("/sessconf", m.Middleware(plain))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	client := srv.Client()
	get := func(path string) func() {
		req, err := http.NewRequest("GET", srv.URL+path, nil)
		if err != nil {
			b.Fatal(err)
		}
		req.Header.Set("Cookie", cookie)
		return func() {
			resp, err := client.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || len(resp.Header.Values("Set-Cookie")) != 0 {
				b.Fatalf("untouched: %d %q", resp.StatusCode, resp.Header)
			}
		}
	}
	none, with := get("/none"), get("/sessconf")
	none() // open the connection outside the measurement
	var tNone, tWith []float64
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		for k := range 2 {
			start := time.Now()
			if (k^i)&1 == 0 {
				none()
				tNone = append(tNone, float64(time.Since(start)))
			} else {
				with()
				tWith = append(tWith, float64(time.Since(start)))
			}
		}
	}
	b.ReportMetric((medianRatio(tWith, tNone)-1)*100, "overhead-%")
	b.ReportMetric(median(tNone), "none-ns")
	b.ReportMetric(median(tWith), "sessconf-ns")
}
