package bench

import (
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/nacl/secretbox"

	"github.com/sessconf/sessconf/settings"
)

// The cookie-session targets are ratios taken in one process with the
// contenders interleaved: each iteration of BenchmarkCookieRatio times one
// request of every contender back to back, in a rotating order, so drift
// from other processes on a shared machine hits all of them alike.

// floorOp is the physical floor of a cookie cycle for payload bytes: seal
// and open them with secretbox and base64url-encode and decode the sealed
// box, into reused buffers (no allocation, no nonce generation).
type floorOp struct {
	payload       []byte
	key           [32]byte
	nonce         [24]byte
	box, enc, dec []byte
	out           []byte
}

func newFloorOp(payload []byte) *floorOp {
	f := &floorOp{payload: payload}
	copy(f.key[:], sessconfKey)
	n := 24 + secretbox.Overhead + len(payload)
	f.box = make([]byte, 0, n)
	f.enc = make([]byte, base64.RawURLEncoding.EncodedLen(n))
	f.dec = make([]byte, n)
	f.out = make([]byte, 0, len(payload))
	return f
}

// run does one floor cycle and reports whether it round-tripped.
func (f *floorOp) run() bool {
	box := append(f.box[:0], f.nonce[:]...)
	box = secretbox.Seal(box, f.payload, &f.nonce, &f.key)
	base64.RawURLEncoding.Strict().Encode(f.enc, box)
	n, err := base64.RawURLEncoding.Strict().Decode(f.dec, f.enc)
	if err != nil {
		return false
	}
	var nonce [24]byte
	copy(nonce[:], f.dec[:24])
	out, ok := secretbox.Open(f.out[:0], f.dec[24:n], &nonce, &f.key)
	return ok && len(out) == len(f.payload)
}

// payloadBytes returns the Pyramid payload bytes sessconf puts in the
// cookie for p: [accessed, created, {state}], read from a signed cookie.
func payloadBytes(tb testing.TB, p payload) []byte {
	cookie := sessconfVariant(tb, "", settings.TypeSigned).seed(tb, p)
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(cookie, cookieName+"="))
	if err != nil {
		tb.Fatal(err)
	}
	return raw[64:] // after the HMAC-SHA512
}

// BenchmarkFloor: secretbox seal+open plus base64 encode+decode of the
// payload bytes each size puts in a sessconf cookie.
func BenchmarkFloor(b *testing.B) {
	for _, p := range payloads {
		f := newFloorOp(payloadBytes(b, p))
		b.Run(p.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if !f.run() {
					b.Fatal("floor did not round-trip")
				}
			}
		})
	}
}

func TestFloorRoundTrip(t *testing.T) {
	for _, p := range payloads {
		if f := newFloorOp(payloadBytes(t, p)); !f.run() {
			t.Fatalf("%s: floor did not round-trip", p.name)
		}
	}
}

// contender is one thing timed per iteration of an interleaved benchmark.
type contender struct {
	name string
	run  func()
	ns   []float64
}

// request runs one iteration of the common harness against h.
func request(h http.Handler, cookie string) func() {
	return func() {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Cookie", cookie)
		h.ServeHTTP(httptest.NewRecorder(), r)
	}
}

// interleave times every contender once per iteration, rotating the order.
func interleave(b *testing.B, cs []*contender) {
	for i := 0; b.Loop(); i++ {
		for k := range cs {
			c := cs[(i+k)%len(cs)]
			start := time.Now()
			c.run()
			c.ns = append(c.ns, float64(time.Since(start)))
		}
	}
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	return s[len(s)/2]
}

// sum is the element-wise sum of a and b.
func sum(a, b []float64) []float64 {
	s := make([]float64, len(a))
	for i := range a {
		s[i] = a[i] + b[i]
	}
	return s
}

// medianRatio is the median over iterations of num[i]/den[i].
func medianRatio(num, den []float64) float64 {
	r := make([]float64, len(num))
	for i := range num {
		r[i] = num[i] / den[i]
	}
	return median(r)
}

// BenchmarkCookieRatio/{encrypted,signed}/{small,medium,large} interleaves
// four contenders: the bare harness (the untouched handler without any
// middleware), sessconf's cycle, gorilla's cycle and the floor for the
// same payload. It reports
//
//   - x-gorilla: median over iterations of gorilla time / sessconf time;
//   - net/floor: (median sessconf − median harness) / median floor, the
//     cycle net of the harness in multiples of the crypto+base64 floor;
//   - x-gorilla-net: (median gorilla − median harness) / (median
//     sessconf − median harness), the libraries' own work compared;
//   - cap-x: median over iterations of gorilla time / (harness time +
//     floor time), the most x-gorilla any library could show: every
//     cookie cycle serves a request and seals, opens and base64-codes its
//     payload;
//   - the four medians in ns (harness-ns, sessconf-ns, gorilla-ns, floor-ns).
//
// ns/op, B/op and allocs/op cover all four contenders together; the
// per-library allocation counts are BenchmarkCycle's.
func BenchmarkCookieRatio(b *testing.B) {
	g := gorillaVariant(b)
	for _, typ := range []string{settings.TypeEncrypted, settings.TypeSigned} {
		s := sessconfVariant(b, "sessconf-"+typ, typ)
		b.Run(typ, func(b *testing.B) {
			for _, p := range payloads {
				sc, gc := s.seed(b, p), g.seed(b, p)
				f := newFloorOp(payloadBytes(b, p))
				b.Run(p.name, func(b *testing.B) {
					b.ReportAllocs()
					harness := &contender{name: "harness", run: request(plain, sc)}
					sess := &contender{name: "sessconf", run: request(s.cycle, sc)}
					gor := &contender{name: "gorilla", run: request(g.cycle, gc)}
					floor := &contender{name: "floor", run: func() { f.run() }}
					cs := []*contender{harness, sess, gor, floor}
					interleave(b, cs)
					b.ReportMetric(medianRatio(gor.ns, sess.ns), "x-gorilla")
					h := median(harness.ns)
					b.ReportMetric((median(sess.ns)-h)/median(floor.ns), "net/floor")
					b.ReportMetric((median(gor.ns)-h)/(median(sess.ns)-h), "x-gorilla-net")
					b.ReportMetric(medianRatio(gor.ns, sum(harness.ns, floor.ns)), "cap-x")
					for _, c := range cs {
						b.ReportMetric(median(c.ns), c.name+"-ns")
					}
				})
			}
		})
	}
}

// BenchmarkCookieRatioBlocks/{encrypted,signed}/{small,medium,large}
// counts what per-request medians leave out: garbage collection, which
// runs concurrently on the other core. Each iteration runs a block of
// blockSize sessconf cycles and a block of gorilla cycles (alternating
// which goes first) and times each block in wall time and in process
// CPU time (all threads, GC workers included). It reports the medians
// over iterations of gorilla/sessconf per block: x-gorilla-cpu and
// x-gorilla-wall. ns/op, B/op and allocs/op are for both blocks.
func BenchmarkCookieRatioBlocks(b *testing.B) {
	const blockSize = 16
	g := gorillaVariant(b)
	for _, typ := range []string{settings.TypeEncrypted, settings.TypeSigned} {
		s := sessconfVariant(b, "sessconf-"+typ, typ)
		b.Run(typ, func(b *testing.B) {
			for _, p := range payloads {
				sc, gc := s.seed(b, p), g.seed(b, p)
				b.Run(p.name, func(b *testing.B) {
					b.ReportAllocs()
					runs := [2]func(){request(s.cycle, sc), request(g.cycle, gc)}
					var wall, cpu [2][]float64
					for i := 0; b.Loop(); i++ {
						for k := range 2 {
							which := k ^ i&1 // 0: sessconf, 1: gorilla
							c0, t0 := cpuTime(), time.Now()
							for range blockSize {
								runs[which]()
							}
							wall[which] = append(wall[which], float64(time.Since(t0)))
							cpu[which] = append(cpu[which], float64(cpuTime()-c0))
						}
					}
					b.ReportMetric(medianRatio(cpu[1], cpu[0]), "x-gorilla-cpu")
					b.ReportMetric(medianRatio(wall[1], wall[0]), "x-gorilla-wall")
				})
			}
		})
	}
}
