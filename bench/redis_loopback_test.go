package bench

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkRedisLoopback serves the cycle handlers over real HTTP on
// loopback (keep-alive connections, 8 concurrent clients per core, each
// with its own session, as distinct visitors are) and reports req/s: a
// server with no sessions, sessconf's Redis backend and scs +
// goredisstore, small and medium payloads. Server, clients and
// redis-server share the machine's cores (nothing is pinned), so compare
// rows of one run only.
func BenchmarkRedisLoopback(b *testing.B) {
	vs := redisVariants(b)
	b.Run("none", func(b *testing.B) { loopback(b, plain, []string{""}) })
	for _, v := range vs {
		for _, p := range payloads[:2] {
			cookies := make([]string, 64)
			for i := range cookies {
				cookies[i] = v.seed(b, p)
			}
			b.Run(v.name+"/"+p.name, func(b *testing.B) { loopback(b, v.cycle, cookies) })
		}
	}
}

// loopback runs b.N requests through h over HTTP, each client goroutine
// presenting its own cookie from cookies.
func loopback(b *testing.B, h http.Handler, cookies []string) {
	srv := httptest.NewServer(h)
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	defer client.CloseIdleConnections()
	b.SetParallelism(8)
	var next atomic.Int64
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		cookie := cookies[int(next.Add(1)-1)%len(cookies)]
		for pb.Next() {
			req, _ := http.NewRequest("GET", srv.URL, nil)
			if cookie != "" {
				req.Header.Set("Cookie", cookie)
			}
			resp, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
}
