package adaptertest

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sessconf/sessconf/session"
)

// App is the test application on one framework. MW is the framework's
// middleware type.
type App[MW any] struct {
	// Adapter is the adapter under test.
	Adapter func(*session.Manager) MW
	// Naive is the adapter one writes by hand: it puts the session in the
	// request but leaves the framework's writer alone.
	Naive func(*session.Manager) MW
	// NaiveLog, unless empty, is what the session middleware must log
	// about Naive; when empty its log is not checked.
	NaiveLog string
	// Routes returns the application on the framework, with a middleware
	// that records into outer registered first, then mw, then the routes:
	//   GET  /count   Count's page
	//   GET  /form    ShowForm's page, as JSON
	//   POST /form    403 unless session.CheckCSRF passes; flashes "saved "
	//                 and the form's name (duplicates allowed), then 303 to /form
	//   POST /logout  403 unless session.CheckCSRF passes; invalidates the
	//                 session, then 200 "bye"
	//   GET  /save    sets "k", ignoring the error, then 200 "handler's answer"
	//   GET  /stream  sets "streamed", then writes the Chunks chunks with
	//                 Chunk, flushing each the way the query's flush names
	//   GET  /raw     hijacks the connection and answers with RawReply
	Routes func(mw MW, outer *Outer) http.Handler
	// Flushes names the ways /stream flushes.
	Flushes []string
}

// Run runs every flow against app, each as a subtest.
func Run[MW any](t *testing.T, app App[MW]) {
	for _, f := range []struct {
		name string
		run  func(*testing.T, App[MW])
	}{
		{"CounterAcrossRequests", counterAcrossRequests[MW]},
		{"CSRFFormFlashShownOnce", csrfFormFlashShownOnce[MW]},
		{"CSRFRefused", csrfRefused[MW]},
		{"LogoutSeenByNextRequest", logoutSeenByNextRequest[MW]},
		{"NaiveAdapterLosesSession", naiveAdapterLosesSession[MW]},
		{"StoreDown", storeDown[MW]},
		{"StreamedResponse", streamedResponse[MW]},
		{"Hijack", hijack[MW]},
	} {
		t.Run(f.name, func(t *testing.T) { f.run(t, app) })
	}
}

// browse serves app behind its adapter over a fresh manager whose log
// must stay empty.
func (app App[MW]) browse(t *testing.T) *Browser {
	t.Helper()
	m, _ := NewManager(t, nil)
	return NewBrowser(t, app.Routes(app.Adapter(m), &Outer{}))
}

func counterAcrossRequests[MW any](t *testing.T, app App[MW]) {
	b := app.browse(t)
	for i, want := range []string{"visit 1", "visit 2", "visit 3"} {
		if got := b.Get("/count"); got != want {
			t.Fatalf("request %d: got %q, want %q", i+1, got, want)
		}
	}
}

func csrfFormFlashShownOnce[MW any](t *testing.T, app App[MW]) {
	b := app.browse(t)
	token, flash := b.Form()
	if len(token) != 40 || len(flash) != 0 {
		t.Fatalf("first form: token %q, flash %q", token, flash)
	}
	resp, body := b.Do(http.MethodPost, "/form", url.Values{"csrf_token": {token}, "name": {"ada"}}, nil)
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/form" || resp.Request.Method != http.MethodGet {
		t.Fatalf("POST /form: status %d at %s %s, body %q; want the redirected form", resp.StatusCode, resp.Request.Method, resp.Request.URL.Path, body)
	}
	if strings.TrimSpace(body) != `{"flash":["saved ada"],"token":"`+token+`"}` {
		t.Errorf("page after redirect: %s", body)
	}
	if again, flash := b.Form(); again != token || len(flash) != 0 {
		t.Errorf("next page: token %q (want %q), flash %q (want none)", again, token, flash)
	}
}

func csrfRefused[MW any](t *testing.T, app App[MW]) {
	tests := []struct {
		name   string
		form   url.Values
		header http.Header
		want   int
	}{
		{"missing", url.Values{"name": {"x"}}, nil, http.StatusForbidden},
		{"wrong", url.Values{"name": {"x"}, "csrf_token": {"0123456789abcdef0123456789abcdef01234567"}}, nil, http.StatusForbidden},
		{"right token in header", url.Values{"name": {"x"}}, http.Header{"X-Csrf-Token": nil}, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := app.browse(t)
			token, _ := b.Form()
			if tt.header != nil {
				tt.header.Set("X-CSRF-Token", token)
			}
			resp, body := b.Do(http.MethodPost, "/form", tt.form, tt.header)
			if resp.StatusCode != tt.want {
				t.Fatalf("status %d, want %d (body %q)", resp.StatusCode, tt.want, body)
			}
			if tt.want == http.StatusOK {
				if !strings.Contains(body, `"flash":["saved x"]`) {
					t.Errorf("accepted POST: the redirected page shows no flash: %s", body)
				}
				return
			}
			if _, flash := b.Form(); len(flash) != 0 {
				t.Errorf("refused POST flashed %q", flash)
			}
		})
	}
}

func logoutSeenByNextRequest[MW any](t *testing.T, app App[MW]) {
	b := app.browse(t)
	b.Get("/count")
	if got := b.Get("/count"); got != "visit 2" {
		t.Fatalf("before logout: %q", got)
	}
	token, _ := b.Form()
	if resp, body := b.Do(http.MethodPost, "/logout", url.Values{"csrf_token": {token}}, nil); resp.StatusCode != http.StatusOK || body != "bye" {
		t.Fatalf("logout: status %d, body %q", resp.StatusCode, body)
	}
	if got := b.Get("/count"); got != "visit 1" {
		t.Errorf("after logout: %q, want a fresh session", got)
	}
	if resp, _ := b.Do(http.MethodPost, "/form", url.Values{"csrf_token": {token}}, nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("the old CSRF token after logout: status %d, want 403", resp.StatusCode)
	}
}

// naiveAdapterLosesSession runs the same requests through the naive
// adapter and through the adapter under test: only the latter keeps the
// session, and logs nothing.
func naiveAdapterLosesSession[MW any](t *testing.T, app App[MW]) {
	tests := []struct {
		name     string
		mw       func(*session.Manager) MW
		wantKept bool
	}{
		{"naive", app.Naive, false},
		{"adapter", app.Adapter, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, logs := NewManager(t, nil)
			if !tt.wantKept {
				if app.NaiveLog == "" {
					logs.Ignore()
				} else {
					logs.Expect(app.NaiveLog)
				}
			}
			b := NewBrowser(t, app.Routes(tt.mw(m), &Outer{}))
			resp, _ := b.Do(http.MethodGet, "/count", nil, nil)
			if got := resp.Header.Get("Set-Cookie") != ""; got != tt.wantKept {
				t.Errorf("Set-Cookie sent: %v, want %v", got, tt.wantKept)
			}
			second := b.Get("/count")
			if kept := second == "visit 2"; kept != tt.wantKept {
				t.Errorf("second visit: %q; session kept %v, want %v", second, kept, tt.wantKept)
			}
			token, _ := b.Form()
			resp, _ = b.Do(http.MethodPost, "/form", url.Values{"csrf_token": {token}}, nil)
			if accepted := resp.StatusCode == http.StatusOK; accepted != tt.wantKept {
				t.Errorf("CSRF-protected POST with the form's token: status %d", resp.StatusCode)
			}
		})
	}
}

// storeDown: when the session cannot be saved, the session's error
// handler answers in the handler's place, exactly once, and middleware
// outside the adapter (an access log) sees its status.
func storeDown[MW any](t *testing.T, app App[MW]) {
	var outer Outer
	var serverLog Logs
	srv := httptest.NewUnstartedServer(app.Routes(app.Adapter(RedisDown(t)), &outer))
	srv.Config.ErrorLog = log.New(&serverLog, "", 0)
	srv.Start()
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL + "/save")
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(body), "handler's answer") {
		t.Errorf("the handler's body went out after the failed commit: %q", body)
	}
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Set-Cookie") != "" {
		t.Errorf("status %d, Set-Cookie %q; want 503 without a cookie", resp.StatusCode, resp.Header.Get("Set-Cookie"))
	}
	srv.Close() // the handler has returned
	if status, _ := outer.Seen(); status != http.StatusServiceUnavailable {
		t.Errorf("outer middleware saw status %d, want 503", status)
	}
	if s := serverLog.String(); strings.Contains(s, "superfluous") {
		t.Errorf("net/http logged: %s", s)
	}
}

// streamedResponse: a handler touches the session, then streams chunks,
// each flushed before the next is written. The headers, which arrive with
// the first chunk, carry the session cookie.
func streamedResponse[MW any](t *testing.T, app App[MW]) {
	if len(app.Flushes) == 0 {
		t.Fatal("the app names no way to flush")
	}
	for _, flush := range app.Flushes {
		t.Run(flush, func(t *testing.T) {
			m, _ := NewManager(t, nil)
			h := app.Routes(app.Adapter(m), &Outer{})
			ack := make(chan struct{}, Chunks)
			b := NewBrowser(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				h.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ackKey{}, ack)))
			}))
			// A chunk that is not flushed never arrives (nor, before the
			// first, do the headers): the deadline fails the test instead
			// of letting it hang.
			ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
			defer cancel()
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.URL+"/stream?flush="+url.QueryEscape(flush), nil)
			if err != nil {
				t.Fatal(err)
			}
			resp, err := b.Client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d", resp.StatusCode)
			}
			if c := resp.Header.Get("Set-Cookie"); !strings.HasPrefix(c, "session=") {
				t.Errorf("Set-Cookie of the streamed response: %q", c)
			}
			if len(resp.TransferEncoding) != 1 || resp.TransferEncoding[0] != "chunked" {
				t.Errorf("Transfer-Encoding %q, want chunked", resp.TransferEncoding)
			}
			br := bufio.NewReader(resp.Body)
			for i := range Chunks {
				line, err := br.ReadString('\n')
				if err != nil {
					t.Fatalf("chunk %d: %v", i, err)
				}
				if want := fmt.Sprintf("chunk %d\n", i); line != want {
					t.Errorf("chunk %d: %q, want %q", i, line, want)
				}
				ack <- struct{}{}
			}
		})
	}
}

// hijack: a handler can take over the connection through the adapter's
// writer.
func hijack[MW any](t *testing.T, app App[MW]) {
	if got := app.browse(t).Get("/raw"); got != "raw" {
		t.Errorf("body %q", got)
	}
}
