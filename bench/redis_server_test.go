package bench

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/alexedwards/scs/goredisstore"
	"github.com/alexedwards/scs/v2"

	"github.com/sessconf/sessconf/factory"
	"github.com/sessconf/sessconf/internal/redistest"
	"github.com/sessconf/sessconf/session"
	"github.com/sessconf/sessconf/settings"
)

// BenchmarkRedisInterleaved measures sessconf's Redis backend against
// scs' on a shared, noisy machine: each iteration serves one request of
// each (in alternating order) on the same redis-server with the medium
// payload, and speedup-x is the median of the per-pair ratios
// scs/sessconf, so drift from other processes cancels out. ns/op, B/op
// and allocs/op are for the pair. cycle is BenchmarkRedisCycle's handler
// (read one key, set one: two round trips each); write-only sets one key
// without reading (sessconf one round trip, scs two); floor adds the
// bare round trips of a cycle (see cycleAgainstFloor).
func BenchmarkRedisInterleaved(b *testing.B) {
	srv := redistest.Start(b)
	vs := redisVariantsOn(b, srv)
	p := payloads[1]
	if p.name != "medium" {
		b.Fatalf("payloads[1] is %q, want medium", p.name)
	}
	cookies := [2]string{vs[0].seed(b, p), vs[1].seed(b, p)}
	writers := redisWriters(b, srv)
	for _, c := range []struct {
		name string
		h    [2]http.Handler
	}{
		{"cycle", [2]http.Handler{vs[0].cycle, vs[1].cycle}},
		{"write-only", writers},
	} {
		b.Run(c.name, func(b *testing.B) { interleavedPair(b, c.h, cookies) })
	}
	b.Run("floor", func(b *testing.B) { cycleAgainstFloor(b, srv, [2]http.Handler{vs[0].cycle, vs[1].cycle}, cookies) })
}

// interleavedPair serves h[0] and h[1] alternately and reports the
// median ratio of their times, h[1]/h[0].
func interleavedPair(b *testing.B, h [2]http.Handler, cookies [2]string) {
	b.ReportAllocs()
	var ratios []float64
	var t [2]time.Duration
	for i := 0; b.Loop(); i++ {
		for k := range 2 {
			which := k ^ i&1
			start := time.Now()
			r := httptest.NewRequest("GET", "/", nil)
			r.Header.Set("Cookie", cookies[which])
			h[which].ServeHTTP(httptest.NewRecorder(), r)
			t[which] = time.Since(start)
		}
		ratios = append(ratios, float64(t[1])/float64(t[0]))
	}
	slices.Sort(ratios)
	b.ReportMetric(ratios[len(ratios)/2], "speedup-x")
}

// redisWriters are write-only handlers (set one key, read nothing) for
// sessconf and scs on srv, accepting the cookies their variants seed.
func redisWriters(tb testing.TB, srv *redistest.Server) [2]http.Handler {
	o := settings.Default()
	o.Type = settings.TypeRedis
	o.Secret = sessconfKey
	be, err := factory.NewRedis(o, newRedisClient(tb, srv.Addr()))
	if err != nil {
		tb.Fatal(err)
	}
	m, err := session.New(o, session.WithBackend(be), session.WithLogger(quiet))
	if err != nil {
		tb.Fatal(err)
	}
	sm := scs.New()
	sm.Store = goredisstore.New(newRedisClient(tb, srv.Addr()))
	sm.Cookie.Name = cookieName
	return [2]http.Handler{
		m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_ = session.Get(r).Set(writeKey, newPath)
			w.Write(body)
		})),
		sm.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			sm.Put(r.Context(), writeKey, newPath)
			w.Write(body)
		})),
	}
}

// BenchmarkRedisServerCPU reports Redis' own CPU per request, for the
// medium cycle and the write-only request: srv-cpu-us/op is the server
// process' user+system CPU (INFO cpu, so network handling included),
// save-us/op the time INFO commandstats gives the save alone (sessconf's
// EVALSHA, whose inner commands it includes; scs' SET).
func BenchmarkRedisServerCPU(b *testing.B) {
	srv := redistest.Start(b)
	vs := redisVariantsOn(b, srv)
	writers := redisWriters(b, srv)
	for i, v := range vs {
		cookie := v.seed(b, payloads[1])
		for _, c := range []struct {
			name string
			h    http.Handler
		}{{"cycle", v.cycle}, {"write-only", writers[i]}} {
			b.Run(c.name+"/"+v.name, func(b *testing.B) {
				if _, err := srv.Do("CONFIG", "RESETSTAT"); err != nil {
					b.Fatal(err)
				}
				n, cpu0 := 0, serverCPU(b, srv)
				for b.Loop() {
					r := httptest.NewRequest("GET", "/", nil)
					r.Header.Set("Cookie", cookie)
					c.h.ServeHTTP(httptest.NewRecorder(), r)
					n++
				}
				cpu1 := serverCPU(b, srv)
				info, err := srv.Do("INFO", "commandstats")
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric((cpu1-cpu0)*1e6/float64(n), "srv-cpu-us/op")
				b.ReportMetric(saveUsec(info)/float64(n), "save-us/op")
			})
		}
	}
}

// serverCPU is the server's used_cpu_user + used_cpu_sys, in seconds.
func serverCPU(tb testing.TB, srv *redistest.Server) float64 {
	info, err := srv.Do("INFO", "cpu")
	if err != nil {
		tb.Fatal(err)
	}
	var sum float64
	for line := range strings.SplitSeq(info, "\n") {
		k, v, _ := strings.Cut(strings.TrimSpace(line), ":")
		if k == "used_cpu_user" || k == "used_cpu_sys" {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				tb.Fatalf("INFO cpu: %s: %v", line, err)
			}
			sum += f
		}
	}
	return sum
}

// saveUsec is the usec INFO commandstats gives the save: EVALSHA and
// EVAL when the cycle ran a script, else SET.
func saveUsec(info string) float64 {
	us := map[string]float64{}
	for line := range strings.SplitSeq(info, "\n") {
		name, rest, ok := strings.Cut(strings.TrimSpace(line), ":")
		if !ok || !strings.HasPrefix(name, "cmdstat_") {
			continue
		}
		for field := range strings.SplitSeq(rest, ",") {
			if k, v, _ := strings.Cut(field, "="); k == "usec" {
				us[strings.TrimPrefix(name, "cmdstat_")], _ = strconv.ParseFloat(v, 64)
			}
		}
	}
	if s := us["evalsha"] + us["eval"]; s > 0 {
		return s
	}
	return us["set"]
}
