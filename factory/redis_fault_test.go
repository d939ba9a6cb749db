package factory_test

import (
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
// session, and write a unique key then read it back, pausing between
// rounds, at most maxRounds rounds each.
const (
	faultWorkers = 8
	maxRounds    = 40
	roundPause   = 150 * time.Millisecond
)

// Under a small concurrent load, Redis is stalled (SIGSTOP), continued,
// killed, and restarted on the same port with an fsynced append-only
// file. No request panics or hangs (each answers within stallBound),
// the outage answers 503, service comes back by itself, every 503 is
// logged once, and no write acknowledged with a 2xx is missing.
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

	var panics, requests, unavailable, slow atomic.Int64
	var maxTook atomic.Int64
	serve := func(cookie string, h http.HandlerFunc) (status int, setCookie string) {
		r := httptest.NewRequest("POST", "/", nil)
		if cookie != "" {
			r.Header.Set("Cookie", cookie)
		}
		w := httptest.NewRecorder()
		start := time.Now()
		func() {
			defer func() {
				if recover() != nil {
					panics.Add(1)
				}
			}()
			m.Middleware(h).ServeHTTP(w, r)
		}()
		took := time.Since(start)
		requests.Add(1)
		if took > stallBound {
			slow.Add(1)
		}
		for d := int64(took); ; {
			cur := maxTook.Load()
			if d <= cur || maxTook.CompareAndSwap(cur, d) {
				break
			}
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
		lost   []string // keys a 2xx read did not find
		other  []int    // statuses other than 200 and 503
	}
	workers := make([]*worker, faultWorkers)
	for i := range workers {
		status, c := serve("", setKV("worker", i))
		if status != http.StatusOK || c == "" {
			t.Fatalf("worker %d: status %d, cookie %q", i, status, c)
		}
		workers[i] = &worker{cookie: c}
	}

	var stop atomic.Bool
	var wg sync.WaitGroup
	for i, wk := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; n < maxRounds && !stop.Load(); n++ {
				key := fmt.Sprintf("w%d-%d", i, n)
				status, c := serve(wk.cookie, setKV(key, n))
				switch status {
				case http.StatusOK:
					wk.acked = append(wk.acked, key)
					if c != "" {
						wk.cookie = c // a new session: earlier keys will show as lost
					}
				case http.StatusServiceUnavailable:
				default:
					wk.other = append(wk.other, status)
				}
				status, _ = serve(wk.cookie, func(w http.ResponseWriter, r *http.Request) {
					if _, ok := session.Get(r).Get(key); !ok && len(wk.acked) > 0 && wk.acked[len(wk.acked)-1] == key {
						wk.lost = append(wk.lost, key)
					}
				})
				if status != http.StatusOK && status != http.StatusServiceUnavailable {
					wk.other = append(wk.other, status)
				}
				time.Sleep(roundPause)
			}
		}()
	}

	// probe reports whether a new session can be stored.
	probe := func() bool { status, _ := serve("", setKV("probe", 1)); return status == http.StatusOK }
	// recover waits (bounded) for the service to come back by itself.
	recovery := func(what string) time.Duration {
		start := time.Now()
		for range 100 {
			if probe() {
				return time.Since(start)
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Fatalf("service not back %v after %s", time.Since(start), what)
		return 0
	}

	time.Sleep(3 * roundPause)
	srv.Pause()
	time.Sleep(1500 * time.Millisecond)
	during := unavailable.Load()
	srv.Resume()
	afterResume := recovery("SIGCONT")
	time.Sleep(3 * roundPause)
	srv.Stop() // SIGKILL: only the append-only file survives
	time.Sleep(time.Second)
	if probe() {
		t.Error("a write succeeded while Redis was down")
	}
	srv.Restart()
	afterRestart := recovery("restart")
	time.Sleep(3 * roundPause)
	stop.Store(true)
	wg.Wait()

	if during == 0 {
		t.Error("no 503 while Redis was stalled")
	}
	acked := 0
	for i, wk := range workers {
		acked += len(wk.acked)
		if len(wk.other) > 0 {
			t.Errorf("worker %d: statuses %v besides 200 and 503", i, wk.other)
		}
		if len(wk.lost) > 0 {
			t.Errorf("worker %d: acknowledged writes not read back: %q", i, wk.lost)
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
		if status != http.StatusOK || len(missing) > 0 {
			t.Errorf("worker %d: status %d, acknowledged writes missing after the restart: %q", i, status, missing)
		}
	}
	counts := logs.take()
	t.Logf("%d requests, %d answered 503, %d writes acknowledged; slowest %v; service back %v after SIGCONT, %v after the restart; log records %v",
		requests.Load(), unavailable.Load(), acked, time.Duration(maxTook.Load()).Round(time.Millisecond),
		afterResume.Round(time.Millisecond), afterRestart.Round(time.Millisecond), counts)
	if n := panics.Load(); n != 0 {
		t.Errorf("%d panics", n)
	}
	if n := slow.Load(); n != 0 {
		t.Errorf("%d requests took longer than %v (slowest %v)", n, stallBound, time.Duration(maxTook.Load()))
	}
	if int64(counts[slog.LevelError]) != unavailable.Load() || counts[slog.LevelWarn] != 0 {
		t.Errorf("log records by level %v for %d failed requests, want one error each", counts, unavailable.Load())
	}
}
