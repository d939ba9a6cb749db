package bench

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/sessconf/sessconf/internal/redistest"
)

// cycleAgainstFloor (BenchmarkRedisInterleaved/floor) bounds the
// wall-time ratio any Redis session library could reach against scs on
// this machine. A request that reads its session and changes it makes
// two round trips, one to load and one to save, whatever the library;
// scs makes exactly those two (GET, SET). Each iteration times, in a
// rotating order, the medium cycle of sessconf and of scs and their
// floor: the same harness request and the two round trips alone (GET of
// a value the size of the medium payload, then SET of it) on a go-redis
// client with default options, with no session logic, decoding or
// encoding. It reports medians over iterations of:
//
//   - x-scs: scs time / sessconf time (as speedup-x);
//   - cap-x: scs time / floor time, the most x-scs could ever be;
//   - sessconf/floor: sessconf time / floor time;
//   - the three medians in µs.
func cycleAgainstFloor(b *testing.B, srv *redistest.Server, cycles [2]http.Handler, cookies [2]string) {
	c := newRedisClient(b, srv.Addr())
	ctx := context.Background()
	if err := c.Set(ctx, "bench:floor", payloadBytes(b, payloads[1]), time.Hour).Err(); err != nil {
		b.Fatal(err)
	}
	floor := func() {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Cookie", cookies[0])
		w := httptest.NewRecorder()
		v, err := c.Get(ctx, "bench:floor").Bytes()
		if err == nil {
			err = c.Set(ctx, "bench:floor", v, time.Hour).Err()
		}
		if err != nil {
			b.Fatal(err)
		}
		w.Write(body)
	}
	b.ReportAllocs()
	sess := &contender{name: "sessconf", run: request(cycles[0], cookies[0])}
	scs := &contender{name: "scs", run: request(cycles[1], cookies[1])}
	fl := &contender{name: "floor", run: floor}
	cs := []*contender{sess, scs, fl}
	interleave(b, cs)
	b.ReportMetric(medianRatio(scs.ns, sess.ns), "x-scs")
	b.ReportMetric(medianRatio(scs.ns, fl.ns), "cap-x")
	b.ReportMetric(medianRatio(sess.ns, fl.ns), "sessconf/floor")
	for _, c := range cs {
		b.ReportMetric(median(c.ns)/1e3, c.name+"-us")
	}
}
