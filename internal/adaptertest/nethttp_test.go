package adaptertest

import (
	"bufio"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/sessconf/sessconf/session"
)

// The flows run on plain net/http, where the adapter is the session
// middleware itself: the reference every framework adapter must match.
type mw = func(http.Handler) http.Handler

// brokenEnv, set to 1, makes TestNetHTTPFlows run the naive adapter as
// the adapter under test, which the flows must catch.
const brokenEnv = "ADAPTERTEST_BROKEN_ADAPTER"

func adapter(m *session.Manager) mw { return m.Middleware }

// naive puts the session in the request but writes around its writer.
func naive(m *session.Manager) mw {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			m.Middleware(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
				next.ServeHTTP(w, r)
			})).ServeHTTP(w, r)
		})
	}
}

func TestNetHTTPFlows(t *testing.T) {
	app := App[mw]{
		Adapter: adapter,
		Naive:   naive, // writes before the session middleware notices: no log
		Routes:  routes,
		Flushes: []string{"ResponseController"},
	}
	if os.Getenv(brokenEnv) == "1" {
		app.Adapter = naive
	}
	Run(t, app)
}

// TestFlowsCatchABrokenAdapter runs TestNetHTTPFlows again, in a child
// process, with the naive adapter under test: the flows that depend on
// the session reaching the browser must fail.
func TestFlowsCatchABrokenAdapter(t *testing.T) {
	if os.Getenv(brokenEnv) == "1" {
		t.Skip("the child process")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestNetHTTPFlows$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), brokenEnv+"=1")
	out, err := cmd.CombinedOutput()
	if _, failed := err.(*exec.ExitError); !failed {
		t.Fatalf("the flows passed a broken adapter (err %v):\n%s", err, out)
	}
	for _, flow := range []string{"CounterAcrossRequests", "CSRFFormFlashShownOnce", "CSRFRefused", "LogoutSeenByNextRequest", "NaiveAdapterLosesSession", "StreamedResponse"} {
		if !strings.Contains(string(out), "--- FAIL: TestNetHTTPFlows/"+flow+" ") {
			t.Errorf("flow %s did not fail with a broken adapter:\n%s", flow, out)
		}
	}
}

func TestNetHTTPCommitPoint(t *testing.T) {
	CommitPoint(t, []CommitCase[http.HandlerFunc]{
		{Name: "Write", Handler: func(w http.ResponseWriter, r *http.Request) {
			_ = session.Get(r).Set("k", "a")
			w.WriteHeader(http.StatusCreated)
			w.Write([]byte("abc"))
		}, WantStatus: http.StatusCreated, WantCookie: true, WantK: "a", WantOuterSize: 3},
		{Name: "nothing written", Handler: func(_ http.ResponseWriter, r *http.Request) { _ = session.Get(r).Set("k", "b") },
			WantStatus: http.StatusOK, WantCookie: true, WantK: "b", WantOuterSize: 0},
		{Name: "500 without set_on_exception", NoSetOnException: true, Handler: func(w http.ResponseWriter, r *http.Request) {
			_ = session.Get(r).Set("k", "c")
			http.Error(w, "x", http.StatusInternalServerError)
		}, WantStatus: http.StatusInternalServerError, WantCookie: false, WantOuterSize: 2},
	}, func(m *session.Manager, h http.HandlerFunc, outer *Outer) http.Handler {
		mux := http.NewServeMux()
		mux.Handle("GET /h", h)
		mux.HandleFunc("GET /peek", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(Peek(session.Get(r)))) })
		return record(outer, m.Middleware(mux))
	})
}

// routes is the test application of App on net/http.
func routes(mw mw, outer *Outer) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /count", func(w http.ResponseWriter, r *http.Request) {
		page, err := Count(session.Get(r))
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Write([]byte(page))
	})
	mux.HandleFunc("GET /form", func(w http.ResponseWriter, r *http.Request) {
		page, err := ShowForm(session.Get(r))
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		json.NewEncoder(w).Encode(page)
	})
	mux.HandleFunc("POST /form", func(w http.ResponseWriter, r *http.Request) {
		if err := session.CheckCSRF(r); err != nil {
			http.Error(w, err.Error(), http.StatusForbidden)
			return
		}
		if err := session.Get(r).Flash("saved "+r.PostFormValue("name"), "", true); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		http.Redirect(w, r, "/form", http.StatusSeeOther)
	})
	mux.HandleFunc("POST /logout", func(w http.ResponseWriter, r *http.Request) {
		if err := session.CheckCSRF(r); err != nil {
			http.Error(w, err.Error(), http.StatusForbidden)
			return
		}
		if err := session.Get(r).Invalidate(); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Write([]byte("bye"))
	})
	mux.HandleFunc("GET /save", func(w http.ResponseWriter, r *http.Request) {
		_ = session.Get(r).Set("k", "v") // refused when the store is down
		w.Write([]byte("handler's answer"))
	})
	mux.HandleFunc("GET /stream", func(w http.ResponseWriter, r *http.Request) {
		if err := session.Get(r).Set("streamed", true); err != nil || r.URL.Query().Get("flush") != "ResponseController" {
			http.Error(w, "no stream", http.StatusInternalServerError)
			return
		}
		for i := 0; i < Chunks && Chunk(r, w, i); i++ {
			if err := http.NewResponseController(w).Flush(); err != nil {
				return
			}
		}
	})
	mux.HandleFunc("GET /raw", func(w http.ResponseWriter, r *http.Request) {
		conn, rw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		defer conn.Close()
		_ = RawReply(rw)
	})
	return record(outer, mw(mux))
}

// record wraps h with middleware that reports to outer the status and
// size of the response h wrote.
func record(outer *Outer, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rw := &recorder{ResponseWriter: w}
		h.ServeHTTP(rw, r)
		if rw.status == 0 {
			rw.status = http.StatusOK
		}
		outer.Record(rw.status, rw.size)
	})
}

// recorder notes the status and size that go through it.
type recorder struct {
	http.ResponseWriter
	status int
	size   int64
}

func (w *recorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *recorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.size += int64(n)
	return n, err
}

func (w *recorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return http.NewResponseController(w.ResponseWriter).Hijack()
}

func (w *recorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }
