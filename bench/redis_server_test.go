package bench

import (
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sessconf/sessconf/internal/redistest"
)

// BenchmarkRedisInterleaved measures sessconf's Redis cycle against scs'
// on a shared, noisy machine: each iteration serves one medium cycle of
// each (in alternating order) on the same redis-server, and speedup-x is
// the median of the per-pair ratios scs/sessconf, so drift from other
// processes cancels out. ns/op, B/op and allocs/op are for the pair.
func BenchmarkRedisInterleaved(b *testing.B) {
	vs := redisVariants(b)
	p := payloads[1]
	if p.name != "medium" {
		b.Fatalf("payloads[1] is %q, want medium", p.name)
	}
	cookies := [2]string{vs[0].seed(b, p), vs[1].seed(b, p)}
	b.ReportAllocs()
	var ratios []float64
	var t [2]time.Duration
	for i := 0; b.Loop(); i++ {
		for k := range 2 {
			which := k ^ i&1 // 0: sessconf, 1: scs
			start := time.Now()
			r := httptest.NewRequest("GET", "/", nil)
			r.Header.Set("Cookie", cookies[which])
			vs[which].cycle.ServeHTTP(httptest.NewRecorder(), r)
			t[which] = time.Since(start)
		}
		ratios = append(ratios, float64(t[1])/float64(t[0]))
	}
	slices.Sort(ratios)
	b.ReportMetric(ratios[len(ratios)/2], "speedup-x")
}

// BenchmarkRedisServerCPU reports Redis' own CPU per medium cycle:
// srv-cpu-us/op is the server process' user+system CPU (INFO cpu, so
// network handling included), save-us/op the time INFO commandstats
// gives the save alone (sessconf's EVALSHA, whose inner commands it
// includes; scs' SET).
func BenchmarkRedisServerCPU(b *testing.B) {
	srv := redistest.Start(b)
	for _, v := range redisVariantsOn(b, srv) {
		cookie := v.seed(b, payloads[1])
		b.Run(v.name, func(b *testing.B) {
			if _, err := srv.Do("CONFIG", "RESETSTAT"); err != nil {
				b.Fatal(err)
			}
			n, cpu0 := 0, serverCPU(b, srv)
			for b.Loop() {
				r := httptest.NewRequest("GET", "/", nil)
				r.Header.Set("Cookie", cookie)
				v.cycle.ServeHTTP(httptest.NewRecorder(), r)
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
