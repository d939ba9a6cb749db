package interop

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sessconf/sessconf/session"
)

// newGoApp is the Go half of TestTwoApps: for each INI file a Manager
// built by session.FromSettings, mounted at /go/NAME/, with handlers that
// mirror twoapp.py's views and answer the same JSON. It uses sessconf's
// public API only, as an application would. For a config probe whose
// file FromSettings refuses, every request is answered 503 with the error.
func newGoApp(t *testing.T, configs []twoConfig, clock func() time.Time) http.Handler {
	t.Helper()
	root := http.NewServeMux()
	for _, c := range configs {
		m, err := session.FromSettings(c.ini, session.WithClock(clock), session.WithLogger(quiet))
		if err != nil && c.probe {
			msg := err.Error()
			root.HandleFunc("/go/"+c.name+"/", func(w http.ResponseWriter, r *http.Request) {
				writeReply(w, http.StatusServiceUnavailable, map[string]any{"error": msg})
			})
			continue
		}
		if err != nil {
			t.Fatalf("session.FromSettings(%s): %v", c.ini, err)
		}
		t.Cleanup(func() { _ = m.Close() })
		mux := http.NewServeMux()
		for name, h := range goViews {
			mux.HandleFunc("/go/"+c.name+"/"+name, h)
		}
		root.Handle("/go/"+c.name+"/", m.Middleware(mux))
	}
	return root
}

var goViews = map[string]http.HandlerFunc{
	"info": func(w http.ResponseWriter, r *http.Request) {
		writeReply(w, http.StatusOK, map[string]any{})
	},
	"state": func(w http.ResponseWriter, r *http.Request) {
		s := session.Get(r)
		user, _ := s.Get("user")
		csrf, _ := s.Get("_csrft_")
		counter, _ := s.Get("counter")
		big, _ := session.GetAs[string](s, "big")
		writeReply(w, http.StatusOK, map[string]any{
			"new":     s.IsNew(),
			"created": unixSeconds(s.Created()),
			"user":    user,
			"csrf":    csrf,
			"counter": counter,
			"flash":   s.PeekFlash(""),
			"keys":    s.Keys(),
			"big":     len(big),
		})
	},
	"login": func(w http.ResponseWriter, r *http.Request) {
		s := session.Get(r)
		user := r.PostFormValue("user")
		if err := s.Set("user", user); err != nil {
			fail(w, err)
			return
		}
		if err := s.Flash("welcome, "+user, "", true); err != nil {
			fail(w, err)
			return
		}
		tok, err := s.NewCSRFToken()
		if err != nil {
			fail(w, err)
			return
		}
		writeReply(w, http.StatusOK, map[string]any{"csrf": tok, "created": unixSeconds(s.Created())})
	},
	"incr": func(w http.ResponseWriter, r *http.Request) {
		s := session.Get(r)
		n, err := session.GetAs[int64](s, "counter")
		if err != nil && !errors.Is(err, session.ErrNoKey) {
			fail(w, err)
			return
		}
		if err := s.Set("counter", n+1); err != nil {
			fail(w, err)
			return
		}
		writeReply(w, http.StatusOK, map[string]any{"counter": n + 1})
	},
	"flash": func(w http.ResponseWriter, r *http.Request) {
		if err := session.Get(r).Flash(r.PostFormValue("msg"), "", true); err != nil {
			fail(w, err)
			return
		}
		writeReply(w, http.StatusOK, map[string]any{})
	},
	"popflash": func(w http.ResponseWriter, r *http.Request) {
		msgs, err := session.Get(r).PopFlash("")
		if err != nil {
			fail(w, err)
			return
		}
		writeReply(w, http.StatusOK, map[string]any{"messages": msgs})
	},
	"form": func(w http.ResponseWriter, r *http.Request) {
		if err := session.CheckCSRF(r); err != nil {
			writeReply(w, http.StatusForbidden, map[string]any{"ok": false})
			return
		}
		if err := session.Get(r).Set("posted", r.PostFormValue("value")); err != nil {
			fail(w, err)
			return
		}
		writeReply(w, http.StatusOK, map[string]any{"ok": true})
	},
	"logout": func(w http.ResponseWriter, r *http.Request) {
		if err := session.Get(r).Invalidate(); err != nil {
			fail(w, err)
			return
		}
		writeReply(w, http.StatusOK, map[string]any{})
	},
	"fill": func(w http.ResponseWriter, r *http.Request) {
		n, err := strconv.Atoi(r.PostFormValue("n"))
		if err == nil {
			err = session.Get(r).Set("big", strings.Repeat("x", n))
		}
		if err != nil {
			fail(w, err)
			return
		}
		writeReply(w, http.StatusOK, map[string]any{})
	},
	"put": func(w http.ResponseWriter, r *http.Request) {
		dec := json.NewDecoder(strings.NewReader(r.PostFormValue("json")))
		dec.UseNumber()
		var v any
		err := dec.Decode(&v)
		if err == nil {
			err = session.Get(r).Set(r.PostFormValue("key"), v)
		}
		if err != nil {
			fail(w, err)
			return
		}
		writeReply(w, http.StatusOK, map[string]any{})
	},
	"values_go_write": func(w http.ResponseWriter, r *http.Request) {
		if err := session.Get(r).Update(goValues()); err != nil {
			fail(w, err)
			return
		}
		writeReply(w, http.StatusOK, map[string]any{})
	},
	// values_echo reads every "v." value and writes it back with Set, as
	// a handler that passes a value through would: read with Get, or with
	// GetAs[json.RawMessage] when the form says raw=1.
	"values_echo": func(w http.ResponseWriter, r *http.Request) {
		s := session.Get(r)
		raw := r.PostFormValue("raw") == "1"
		var keys []string
		for _, k := range s.Keys() {
			if !strings.HasPrefix(k, "v.") {
				continue
			}
			var v any
			if raw {
				b, err := session.GetAs[json.RawMessage](s, k)
				if err != nil {
					fail(w, err)
					return
				}
				v = b
			} else {
				v, _ = s.Get(k)
			}
			if err := s.Set(k, v); err != nil {
				fail(w, fmt.Errorf("Set(%q, %#v): %w", k, v, err))
				return
			}
			keys = append(keys, k)
		}
		writeReply(w, http.StatusOK, map[string]any{"keys": keys})
	},
}

// goValues are what values_go_write stores: Go types whose JSON Python
// must read as twoapp.GO_VALUES.
func goValues() map[string]any {
	return map[string]any{
		"g.int_zero":        0,
		"g.int_neg":         int64(-42),
		"g.int_2p53_plus_1": uint64(9007199254740993),
		"g.int_2p100":       new(big.Int).Lsh(big.NewInt(1), 100),
		"g.float_tenth":     0.1,
		"g.float_1e100":     1e100,
		"g.float_neg_zero":  math.Copysign(0, -1),
		"g.float_one":       1.0,
		"g.nested":          map[string]any{"z": map[string]string{"é": "ß"}, "a": []any{0, 2.5, nil, true}},
		"g.ключ 😀":          "ü",
	}
}

// unixSeconds is a time as the float seconds Pyramid's created holds.
func unixSeconds(t time.Time) float64 {
	return float64(t.Unix()) + float64(t.Nanosecond())/1e9
}

func writeReply(w http.ResponseWriter, status int, body map[string]any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

func fail(w http.ResponseWriter, err error) {
	http.Error(w, err.Error(), http.StatusInternalServerError)
}
