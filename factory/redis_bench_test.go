package factory_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/sessconf/sessconf/factory"
	"github.com/sessconf/sessconf/internal/engine"
	"github.com/sessconf/sessconf/internal/redistest"
	"github.com/sessconf/sessconf/session"
)

// benchPayload is a typical logged-in session: a user id, a CSRF token, a
// flash queue and a few preferences (about 300 bytes of JSON).
func benchPayload() map[string]any {
	return map[string]any{
		"user_id":  12345,
		"_csrft_":  "0123456789abcdef0123456789abcdef01234567",
		"_f_":      []any{"Welcome back!"},
		"locale":   "en_GB",
		"theme":    "dark",
		"cart":     []any{map[string]any{"sku": "A-1", "qty": 2}, map[string]any{"sku": "B-7", "qty": 1}},
		"last_url": "/account/orders?page=3",
	}
}

// BenchmarkRedisCycle measures one request that loads an existing
// session, changes one key and saves it, against a real redis-server on
// loopback: "backend" calls Load and Save directly, "middleware" goes
// through session.Manager. Two round trips each (GET+PTTL pipeline,
// EVALSHA). The same cycle against scs' goredisstore is in the bench module.
func BenchmarkRedisCycle(b *testing.B) {
	srv := redistest.Start(b)
	client := redis.NewClient(&redis.Options{Addr: srv.Addr()})
	defer client.Close()
	o := redisOptions()
	be, err := factory.NewRedis(o, client)
	if err != nil {
		b.Fatal(err)
	}
	m, err := session.New(o, session.WithBackend(be), session.WithLogger(quiet))
	if err != nil {
		b.Fatal(err)
	}
	payload := benchPayload()
	h := m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := session.Get(r)
		if r.URL.Path == "/init" {
			s.Update(payload)
			return
		}
		n, _ := session.GetAs[int](s, "n")
		s.Set("n", n+1)
	}))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/init", nil))
	cookie := w.Result().Cookies()[0]

	b.Run("backend", func(b *testing.B) {
		r := httptest.NewRequest("GET", "/", nil)
		r.AddCookie(cookie)
		ctx := context.Background()
		hdr := http.Header{}
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			now := time.Now()
			rec, err := be.(engine.Backend).Load(ctx, r, now)
			if err != nil || rec.New {
				b.Fatalf("load: %v %v", err, rec.Reason)
			}
			rec.State.Set("n", []byte(strconv.Itoa(i)))
			rec.Modified = true
			if err := be.(engine.Backend).Save(ctx, hdr, rec, now); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("middleware", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			r := httptest.NewRequest("GET", "/", nil)
			r.AddCookie(cookie)
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != 200 {
				b.Fatal(w.Code)
			}
		}
	})
}
