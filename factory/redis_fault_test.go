package factory_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sessconf/sessconf/internal/redistest"
	"github.com/sessconf/sessconf/session"
)

// faultLoad is the load TestRedisFaults runs: workers each own a
// session, and write a unique key then read it, pausing between rounds,
// at most maxRounds rounds each. recoveryProbes bounds how many probes
// may fail after Redis is back before the service counts as not
// recovered.
const (
	faultWorkers   = 8
	maxRounds      = 40
	roundPause     = 150 * time.Millisecond
	recoveryProbes = 100
	probePause     = 50 * time.Millisecond
)

// Under a small concurrent load, Redis is stalled (SIGSTOP), continued,
// killed, and restarted on the same port with an fsynced append-only
// file. No request panics or hangs (each has a deadline it must not run
// into), requests during the stall and the outage answer 503, service
// comes back by itself within recoveryProbes probes, every 503 is logged
// once as an error, and once service is back no write acknowledged with
// a 2xx is missing.
func TestRedisFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("the fault sequence takes a few seconds")
	}
	srv := redistest.StartDurable(t)
	o := redisOptions()
	o.Redis.URL = srv.URL()
	logs := &countingHandler{}
	m, err := session.New(o, session.WithLogger(slog.New(logs)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })

	var panics, requests, unavailable, hung atomic.Int64
	serve := func(cookie string, h http.HandlerFunc) (status int, setCookie string) {
		// The deadline is the request's, as a client's timeout would
		// cancel it: a request that runs into it hung.
		ctx, cancel := context.WithTimeout(context.Background(), hangLimit)
		defer cancel()
		r := httptest.NewRequest("POST", "/", nil).WithContext(ctx)
		if cookie != "" {
			r.Header.Set("Cookie", cookie)
		}
		w := httptest.NewRecorder()
		func() {
			defer func() {
				if recover() != nil {
					panics.Add(1)
				}
			}()
			m.Middleware(h).ServeHTTP(w, r)
		}()
		requests.Add(1)
		if ctx.Err() != nil {
			hung.Add(1)
		}
		if w.Code == http.StatusServiceUnavailable {
			unavailable.Add(1)
		}
		nv, _, _ := strings.Cut(w.Header().Get("Set-Cookie"), ";")
		return w.Code, nv
	}

	type worker struct {
		cookie string
		acked  []string // keys written with a 2xx
		other  []int    // statuses other than 2xx and 503
	}
	workers := make([]*worker, faultWorkers)
	for i := range workers {
		status, c := serve("", setKV("worker", i))
		if status != http.StatusOK || c == "" {
			t.Fatalf("worker %d: status %d, cookie %q", i, status, c)
		}
		workers[i] = &worker{cookie: c}
	}
	is2xx := func(status int) bool { return status >= 200 && status < 300 }

	var stop atomic.Bool
	var wg sync.WaitGroup
	for i, wk := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; n < maxRounds && !stop.Load(); n++ {
				key := fmt.Sprintf("w%d-%d", i, n)
				status, c := serve(wk.cookie, setKV(key, n))
				switch {
				case is2xx(status):
					wk.acked = append(wk.acked, key)
					if c != "" {
						wk.cookie = c // a new session: earlier keys will be missing at the end
					}
				case status != http.StatusServiceUnavailable:
					wk.other = append(wk.other, status)
				}
				// Reads are load only: while Redis is down the session is
				// a stand-in and the answer a 503, so what they see is no
				// evidence of a lost write. The check comes after recovery.
				status, _ = serve(wk.cookie, func(w http.ResponseWriter, r *http.Request) { session.Get(r).Get(key) })
				if !is2xx(status) && status != http.StatusServiceUnavailable {
					wk.other = append(wk.other, status)
				}
				time.Sleep(roundPause)
			}
		}()
	}

	// probe stores a new session and returns the status.
	probe := func() int { status, _ := serve("", setKV("probe", 1)); return status }
	// recovery probes until a write succeeds, at most recoveryProbes
	// times, and returns how many probes failed first.
	recovery := func(what string) int {
		for n := range recoveryProbes {
			if is2xx(probe()) {
				return n
			}
			time.Sleep(probePause)
		}
		t.Fatalf("service not back after %d probes following %s", recoveryProbes, what)
		return 0
	}

	time.Sleep(3 * roundPause)
	end := stall(srv)
	// The probe starts and ends inside the stall: its answer is the
	// stalled server's.
	if status := probe(); status != http.StatusServiceUnavailable {
		t.Errorf("a write while Redis was stalled: status %d, want 503", status)
	}
	time.Sleep(3 * roundPause) // let the workers run into the stall too
	if end() {
		t.Errorf("requests waited %v for the stalled Redis", hangLimit)
	}
	afterResume := recovery("SIGCONT")
	time.Sleep(3 * roundPause)
	srv.Stop() // SIGKILL: only the append-only file survives
	if status := probe(); status != http.StatusServiceUnavailable {
		t.Errorf("a write while Redis was down: status %d, want 503", status)
	}
	time.Sleep(3 * roundPause) // let the workers run into the outage too
	srv.Restart()
	afterRestart := recovery("restart")
	time.Sleep(3 * roundPause)
	stop.Store(true)
	wg.Wait()

	// Service is back: every acknowledged write must be there.
	acked := 0
	for i, wk := range workers {
		acked += len(wk.acked)
		if len(wk.other) > 0 {
			t.Errorf("worker %d: statuses %v besides 2xx and 503", i, wk.other)
		}
		var missing []string
		status, _ := serve(wk.cookie, func(w http.ResponseWriter, r *http.Request) {
			s := session.Get(r)
			for _, k := range wk.acked {
				if !s.Has(k) {
					missing = append(missing, k)
				}
			}
		})
		if !is2xx(status) || len(missing) > 0 {
			t.Errorf("worker %d: status %d, acknowledged writes missing after recovery: %q", i, status, missing)
		}
	}
	counts := logs.take()
	t.Logf("%d requests, %d answered 503, %d writes acknowledged; failed probes before service was back: %d after SIGCONT, %d after the restart; log records %v",
		requests.Load(), unavailable.Load(), acked, afterResume, afterRestart, counts)
	if n := panics.Load(); n != 0 {
		t.Errorf("%d panics", n)
	}
	if n := hung.Load(); n != 0 {
		t.Errorf("%d requests ran into their %v deadline", n, hangLimit)
	}
	if int64(counts[slog.LevelError]) != unavailable.Load() || counts[slog.LevelWarn] != 0 {
		t.Errorf("log records by level %v for %d failed requests, want one error each", counts, unavailable.Load())
	}
}
