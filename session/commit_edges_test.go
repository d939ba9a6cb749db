package session

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/sessconf/sessconf/internal/engine"
)

// unwrapOnly hides every optional interface of the writer below it but
// offers Unwrap, the Go 1.20+ idiom for middleware writers.
type unwrapOnly struct{ http.ResponseWriter }

func (u unwrapOnly) Unwrap() http.ResponseWriter { return u.ResponseWriter }

// A flush through http.ResponseController must go through the commit
// point, even when the writer below only offers Unwrap.
func TestResponseControllerFlushCommits(t *testing.T) {
	m := testManager(t, testOptions())
	rec := httptest.NewRecorder()
	m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := w.(http.Flusher); !ok {
			t.Error("flush reachable through Unwrap is not offered as http.Flusher")
		}
		Get(r).Set("k", 1)
		if err := http.NewResponseController(w).Flush(); err != nil {
			t.Errorf("Flush: %v", err)
		}
	})).ServeHTTP(unwrapOnly{rec}, httptest.NewRequest("GET", "/", nil))
	if !rec.Flushed || rec.Result().Header.Get("Set-Cookie") == "" {
		t.Errorf("flushed %v, Set-Cookie %q: the flush went around the commit", rec.Flushed, rec.Result().Header.Get("Set-Cookie"))
	}
}

// 101 Switching Protocols is final in net/http: the cookie must be in it.
func TestSwitchingProtocolsCommits(t *testing.T) {
	m := testManager(t, testOptions())
	w := &codesRecorder{ResponseRecorder: httptest.NewRecorder()}
	m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		Get(r).Set("k", 1)
		w.WriteHeader(http.StatusSwitchingProtocols)
	})).ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	if len(w.codes) != 1 || w.codes[0] != 101 || !w.cookieAt[0] {
		t.Errorf("codes %v, Set-Cookie present when written %v", w.codes, w.cookieAt)
	}
}

// reentrantBackend calls back into the session from Load, as a Redis
// initial-data callback might.
type reentrantBackend struct{ seen error }

func (*reentrantBackend) Name() string { return "reentrant" }

func (b *reentrantBackend) Load(_ context.Context, r *http.Request, _ time.Time) (*engine.Record, error) {
	b.seen = Get(r).Err()
	return &engine.Record{New: true, State: engine.NewState()}, nil
}

func (b *reentrantBackend) Save(context.Context, http.Header, *engine.Record, time.Time) error {
	return nil
}

func TestBackendCallbackDoesNotDeadlock(t *testing.T) {
	b := &reentrantBackend{}
	m := testManager(t, testOptions(), WithBackend(b))
	done := make(chan struct{})
	go func() {
		serve(m, func(w http.ResponseWriter, r *http.Request) { Get(r).Set("k", 1) }, "")
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("deadlock: the backend's call into the session never returned")
	}
	if !errors.Is(b.seen, ErrNoMiddleware) {
		t.Errorf("backend saw %v, want a detached session", b.seen)
	}
}

func TestInvalidUTF8KeysRefused(t *testing.T) {
	m := testManager(t, testOptions())
	w := serve(m, func(w http.ResponseWriter, r *http.Request) {
		s := Get(r)
		if err := s.Set("a\xff", 1); !errors.Is(err, ErrInvalidKey) {
			t.Errorf("Set: %v", err)
		}
		if _, err := s.SetDefault("a\xfe", 1); !errors.Is(err, ErrInvalidKey) {
			t.Errorf("SetDefault: %v", err)
		}
		if err := s.Update(map[string]any{"ok": 1, "b\xff": 2}); !errors.Is(err, ErrInvalidKey) || s.Has("ok") {
			t.Errorf("Update: %v (must change nothing)", err)
		}
		if err := s.Flash("m", "q\xff", true); !errors.Is(err, ErrInvalidKey) {
			t.Errorf("Flash: %v", err)
		}
	}, "")
	if len(w.Result().Cookies()) != 0 {
		t.Error("refused writes marked the session changed")
	}
}

func TestCSRFTokenNullIsAbsent(t *testing.T) {
	codec, err := engine.CodecFor(testOptions())
	if err != nil {
		t.Fatal(err)
	}
	val, _ := codec.Encode([]byte(`[1700000000, 1699999000.5, {"_csrft_": null}]`))
	clock := &testClock{now: 1700000001.5}
	m := testManager(t, testOptions(), WithClock(clock.Now))
	serve(m, func(w http.ResponseWriter, r *http.Request) {
		if tok, _ := Get(r).CSRFToken(); !hex40.MatchString(tok) {
			t.Errorf("token %q: a stored null must yield a fresh token, as Pyramid's None does", tok)
		}
	}, "session="+val)
}

func TestFailedCommitDropsHandlerHeaders(t *testing.T) {
	m := testManager(t, testOptions(), WithBackend(failingBackend{&engine.CookieTooLargeError{Size: 5000, Limit: 4064}}))
	w := serve(m, func(w http.ResponseWriter, r *http.Request) {
		Get(r).Set("k", 1)
		w.Header().Set("Content-Encoding", "gzip")
		http.Redirect(w, r, "/next", http.StatusFound)
	}, "")
	if w.Code != 500 || w.Header().Get("Location") != "" || w.Header().Get("Content-Encoding") != "" {
		t.Errorf("status %d, headers %v", w.Code, w.Header())
	}
}
