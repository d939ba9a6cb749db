package bench

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/alexedwards/scs/goredisstore"
	"github.com/alexedwards/scs/v2"
	"github.com/redis/go-redis/v9"

	"github.com/sessconf/sessconf/factory"
	"github.com/sessconf/sessconf/internal/redistest"
	"github.com/sessconf/sessconf/session"
	"github.com/sessconf/sessconf/settings"
)

// Server-side sessions: sessconf's Redis backend against scs v2 with its
// goredisstore, both on go-redis v9 clients with default options, on the
// same redis-server (started by internal/redistest; skipped without
// redis-server unless SESSCONF_REQUIRE_REDIS=1), the same payloads and
// the same handler work as BenchmarkCycle: read one key, set one key,
// write a body.
//
// Round trips per cycle: sessconf 2 (GET+PTTL pipeline, EVALSHA of the
// versioned merge script); scs 2 (GET, SET).

func redisVariants(tb testing.TB) []variant {
	return redisVariantsOn(tb, redistest.Start(tb))
}

// redisVariantsOn is redisVariants on a server the caller started.
func redisVariantsOn(tb testing.TB, srv *redistest.Server) []variant {
	return []variant{sessconfRedisVariant(tb, srv.Addr()), scsVariant(tb, srv.Addr())}
}

func newRedisClient(tb testing.TB, addr string) *redis.Client {
	c := redis.NewClient(&redis.Options{Addr: addr})
	tb.Cleanup(func() { c.Close() })
	return c
}

func sessconfRedisVariant(tb testing.TB, addr string) variant {
	o := settings.Default()
	o.Type = settings.TypeRedis
	o.Secret = sessconfKey
	b, err := factory.NewRedis(o, newRedisClient(tb, addr))
	if err != nil {
		tb.Fatal(err)
	}
	m, err := session.New(o, session.WithBackend(b), session.WithLogger(quiet))
	if err != nil {
		tb.Fatal(err)
	}
	return managerVariant("sessconf", m)
}

// scsVariant is scs' documented Redis setup: scs.New() with
// goredisstore.New(client); the flash queue is a []string under "_flash"
// (scs has no flash API).
func scsVariant(tb testing.TB, addr string) variant {
	sm := scs.New()
	sm.Store = goredisstore.New(newRedisClient(tb, addr))
	sm.Cookie.Name = cookieName
	sm.ErrorFunc = func(w http.ResponseWriter, r *http.Request, err error) { tb.Error(err); w.WriteHeader(500) }
	return variant{
		name: "scs",
		seed: func(tb testing.TB, p payload) string {
			h := sm.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				for _, e := range p.values {
					sm.Put(r.Context(), e.k, e.v)
				}
				if len(p.flash) > 0 {
					sm.Put(r.Context(), "_flash", append([]string(nil), p.flash...))
				}
			}))
			return setCookie(tb, serve(h, ""))
		},
		cycle: sm.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_ = sm.Get(r.Context(), readKey)
			sm.Put(r.Context(), writeKey, newPath)
			w.Write(body)
		})),
		probe: func(tb testing.TB, cookie string) (read, written any, flashes int) {
			h := sm.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if !sm.Exists(r.Context(), readKey) {
					tb.Fatal("scs: cookie not accepted")
				}
				read, written = sm.Get(r.Context(), readKey), sm.Get(r.Context(), writeKey)
				if f, ok := sm.Get(r.Context(), "_flash").([]string); ok {
					flashes = len(f)
				}
			}))
			serve(h, cookie)
			return read, written, flashes
		},
	}
}

// TestRedisRoundTrip checks both Redis variants: the cycle reads the
// seeded value, writes the new one and keeps the rest.
func TestRedisRoundTrip(t *testing.T) {
	for _, v := range redisVariants(t) {
		for _, p := range payloads {
			t.Run(v.name+"/"+p.name, func(t *testing.T) {
				cookie := v.seed(t, p)
				w := serve(v.cycle, cookie)
				if w.Code != 200 || w.Body.String() != "ok" {
					t.Fatalf("cycle: %d %q", w.Code, w.Body)
				}
				read, written, flashes := v.probe(t, cookie)
				if fmt.Sprint(read) != "48213" || written != newPath || flashes != len(p.flash) {
					t.Fatalf("probe: read %v, written %v, %d flashes; want 48213, %q, %d", read, written, flashes, newPath, len(p.flash))
				}
			})
		}
	}
}

// BenchmarkRedisCycle: one request that loads an existing server-side
// session, reads a key, sets a key and saves it.
func BenchmarkRedisCycle(b *testing.B) {
	for _, v := range redisVariants(b) {
		b.Run(v.name, func(b *testing.B) {
			for _, p := range payloads {
				cookie := v.seed(b, p)
				b.Run(p.name, func(b *testing.B) { run(b, v.cycle, cookie) })
			}
		})
	}
}
