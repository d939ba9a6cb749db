package factory_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/sessconf/sessconf/factory"
	"github.com/sessconf/sessconf/internal/codec"
	"github.com/sessconf/sessconf/internal/engine"
	"github.com/sessconf/sessconf/internal/redistest"
	"github.com/sessconf/sessconf/session"
	"github.com/sessconf/sessconf/settings"
)

// The Redis backend is tested against real redis-server processes
// (internal/redistest), through the real session middleware.

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// quietRedis silences go-redis' own logging of refused connections
// (the outage tests cause them on purpose).
type quietRedis struct{}

func (quietRedis) Printf(context.Context, string, ...any) {}

func init() { redis.SetLogger(quietRedis{}) }

const testSecret = "a-redis-test-secret-that-is-long-enough-0123456789abcdef0123456789"

func redisOptions() settings.Options {
	o := settings.Default()
	o.Type = settings.TypeRedis
	o.Secret = testSecret
	o.ReissueTime = settings.Seconds(120)
	return o
}

// counter is a go-redis hook counting round trips: one per command sent
// alone, one per pipeline.
type counter struct {
	mu   sync.Mutex
	cmds []string
}

func (c *counter) DialHook(next redis.DialHook) redis.DialHook { return next }

func (c *counter) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		c.add(cmd.Name())
		return next(ctx, cmd)
	}
}

func (c *counter) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		names := make([]string, len(cmds))
		for i, cmd := range cmds {
			names[i] = cmd.Name()
		}
		c.add("pipeline(" + strings.Join(names, ",") + ")")
		return next(ctx, cmds)
	}
}

func (c *counter) add(name string) {
	c.mu.Lock()
	c.cmds = append(c.cmds, name)
	c.mu.Unlock()
}

// take returns and resets the round trips seen so far.
func (c *counter) take() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.cmds
	c.cmds = nil
	return out
}

// env is one backend on one server, with a manager and a command counter.
type env struct {
	t      *testing.T
	srv    *redistest.Server
	client redis.UniversalClient
	rc     *counter
	b      *engine.RedisBackend
	m      *session.Manager
	opts   settings.Options
	errs   chan error // errors the error handler saw
}

type envOption struct {
	opts    func(*settings.Options)
	backend []factory.RedisOption
	session []session.Option
	client  redis.UniversalClient
}

func newEnv(t *testing.T, srv *redistest.Server, eo envOption) *env {
	t.Helper()
	o := redisOptions()
	if eo.opts != nil {
		eo.opts(&o)
	}
	client := eo.client
	if client == nil {
		client = redis.NewClient(&redis.Options{Addr: srv.Addr(), ContextTimeoutEnabled: true})
		t.Cleanup(func() { client.Close() })
	}
	rc := &counter{}
	client.AddHook(rc)
	b, err := factory.NewRedis(o, client, eo.backend...)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, srv: srv, client: client, rc: rc, b: b.(*engine.RedisBackend), opts: o, errs: make(chan error, 100)}
	sopts := append([]session.Option{
		session.WithBackend(b), session.WithLogger(quiet),
		session.WithErrorHandler(func(w http.ResponseWriter, r *http.Request, err error) {
			e.errs <- err
			code := http.StatusInternalServerError
			if errors.Is(err, engine.ErrUnavailable) {
				code = http.StatusServiceUnavailable
			}
			http.Error(w, http.StatusText(code), code)
		}),
	}, eo.session...)
	if e.m, err = session.New(o, sopts...); err != nil {
		t.Fatal(err)
	}
	return e
}

// serve runs one request through the middleware.
func (e *env) serve(path, cookie string, h func(w http.ResponseWriter, r *http.Request)) *http.Response {
	return e.serveCtx(context.Background(), path, cookie, h)
}

func (e *env) serveCtx(ctx context.Context, path, cookie string, h func(w http.ResponseWriter, r *http.Request)) *http.Response {
	r := httptest.NewRequest("GET", path, nil).WithContext(ctx)
	if cookie != "" {
		r.Header.Set("Cookie", cookie)
	}
	w := httptest.NewRecorder()
	e.m.Middleware(http.HandlerFunc(h)).ServeHTTP(w, r)
	return w.Result()
}

func setKV(kv ...any) func(w http.ResponseWriter, r *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		s := session.Get(r)
		for i := 0; i < len(kv); i += 2 {
			if err := s.Set(kv[i].(string), kv[i+1]); err != nil {
				panic(err)
			}
		}
	}
}

func noop(w http.ResponseWriter, r *http.Request) {}

// cookie returns the single session cookie a response sets, as "name=value".
func (e *env) cookie(resp *http.Response) string {
	e.t.Helper()
	sc := resp.Header.Values("Set-Cookie")
	if len(sc) != 1 {
		e.t.Fatalf("want one Set-Cookie, got %q (status %d)", sc, resp.StatusCode)
	}
	nv, _, _ := strings.Cut(sc[0], ";")
	return nv
}

func noCookie(t *testing.T, resp *http.Response) {
	t.Helper()
	if sc := resp.Header.Values("Set-Cookie"); len(sc) != 0 {
		t.Fatalf("unexpected Set-Cookie %q", sc)
	}
}

var keyPattern = regexp.MustCompile(`^sessconf:\{[0-9a-f]{32}\}$`)

// keys lists the session keys in the server.
func (e *env) keys() []string {
	e.t.Helper()
	var mu sync.Mutex
	var ks []string
	collect := func(ctx context.Context, c *redis.Client) error {
		got, err := c.Keys(ctx, "*").Result()
		mu.Lock()
		ks = append(ks, got...)
		mu.Unlock()
		return err
	}
	var err error
	if cc, ok := e.client.(*redis.ClusterClient); ok {
		err = cc.ForEachMaster(context.Background(), collect)
	} else {
		err = collect(context.Background(), e.client.(*redis.Client))
	}
	if err != nil {
		e.t.Fatal(err)
	}
	slices.Sort(ks)
	return ks
}

// flush empties the server (every master of a cluster).
func (e *env) flush() {
	e.t.Helper()
	var err error
	if cc, ok := e.client.(*redis.ClusterClient); ok {
		err = cc.ForEachMaster(context.Background(), func(ctx context.Context, c *redis.Client) error {
			return c.FlushDB(ctx).Err()
		})
	} else {
		err = e.client.FlushDB(context.Background()).Err()
	}
	if err != nil {
		e.t.Fatal(err)
	}
}

// only returns the one key in the server.
func (e *env) only() string {
	e.t.Helper()
	ks := e.keys()
	if len(ks) != 1 {
		e.t.Fatalf("want one key, have %q", ks)
	}
	return ks[0]
}

// stored decodes the record under key.
func (e *env) stored(key string) (rec struct {
	V        int64                      `json:"v"`
	Created  float64                    `json:"created"`
	Accessed float64                    `json:"accessed"`
	Data     map[string]json.RawMessage `json:"data"`
}) {
	e.t.Helper()
	val, err := e.client.Get(context.Background(), key).Bytes()
	if err != nil {
		e.t.Fatalf("GET %s: %v", key, err)
	}
	if err := json.Unmarshal(val, &rec); err != nil {
		e.t.Fatalf("record %s: %v", val, err)
	}
	return rec
}

func (e *env) pttl(key string) time.Duration {
	e.t.Helper()
	d, err := e.client.PTTL(context.Background(), key).Result()
	if err != nil {
		e.t.Fatal(err)
	}
	return d
}

// warm runs one full cycle so the Lua scripts are cached (EVALSHA hits)
// before round trips are counted, then empties the server.
func (e *env) warm() {
	e.t.Helper()
	c := e.cookie(e.serve("/", "", setKV("w", 1)))
	e.serve("/", c, setKV("w", 2)) // write only
	e.serve("/", c, func(w http.ResponseWriter, r *http.Request) {
		s := session.Get(r)
		s.Get("w")
		s.Set("w", 3)
	})
	e.client.PExpire(context.Background(), e.only(), time.Second) // make the next read touch
	e.serve("/", c, func(w http.ResponseWriter, r *http.Request) { session.Get(r).Get("w") })
	e.serve("/", c, func(w http.ResponseWriter, r *http.Request) { session.Get(r).Invalidate() })
	e.flush()
	e.rc.take()
}

func TestRedisSetGetAcrossRequests(t *testing.T) {
	e := newEnv(t, redistest.Start(t), envOption{})
	resp := e.serve("/login", "", setKV("user", "alice", "n", 1.5))
	c := e.cookie(resp)
	if sc := resp.Header.Get("Set-Cookie"); !strings.HasSuffix(sc, "; Path=/; HttpOnly; SameSite=Lax") {
		t.Errorf("Set-Cookie %q: want the cookie backends' attributes", sc)
	}
	if v := resp.Header.Values("Vary"); !slices.Equal(v, []string{"Cookie"}) {
		t.Errorf("Vary %q", v)
	}
	// id "." mac, both 43 base64url characters.
	if !regexp.MustCompile(`^session=[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}$`).MatchString(c) {
		t.Errorf("cookie %q", c)
	}
	key := e.only()
	if !keyPattern.MatchString(key) {
		t.Errorf("key %q, want prefix{32 hex}", key)
	}
	id := strings.TrimPrefix(strings.SplitN(c, ".", 2)[0], "session=")
	if strings.Contains(key, id) {
		t.Error("the key contains the session id")
	}
	rec := e.stored(key)
	if rec.V != 1 || string(rec.Data["user"]) != `"alice"` || string(rec.Data["n"]) != "1.5" {
		t.Errorf("stored %+v", rec)
	}
	var got any
	var isNew bool
	resp = e.serve("/", c, func(w http.ResponseWriter, r *http.Request) {
		s := session.Get(r)
		got, _ = s.Get("user")
		isNew = s.IsNew()
	})
	noCookie(t, resp)
	if got != "alice" || isNew {
		t.Errorf("second request: user=%v new=%v", got, isNew)
	}
	// Update and delete.
	e.serve("/", c, func(w http.ResponseWriter, r *http.Request) {
		s := session.Get(r)
		s.Set("user", "bob")
		s.Delete("n")
	})
	rec = e.stored(key)
	if rec.V != 2 || string(rec.Data["user"]) != `"bob"` || rec.Data["n"] != nil {
		t.Errorf("after update %+v", rec)
	}
}

func TestRedisRoundTrips(t *testing.T) {
	e := newEnv(t, redistest.Start(t), envOption{})
	e.warm()
	c := e.cookie(e.serve("/", "", setKV("a", 1)))
	if got := e.rc.take(); !slices.Equal(got, []string{"set"}) {
		t.Errorf("new session write: %q, want one SET NX", got)
	}
	key := e.only()
	e.rc.take()
	read := func(w http.ResponseWriter, r *http.Request) { session.Get(r).Get("a") }
	tests := []struct {
		name    string
		path    string
		cookie  string
		handler func(w http.ResponseWriter, r *http.Request)
		before  func()
		want    []string
	}{
		{"untouched, with cookie", "/", c, noop, nil, nil},
		{"new session, read only", "/", "", read, nil, nil},
		{"new session, Err and IsNew", "/", "", func(w http.ResponseWriter, r *http.Request) {
			s := session.Get(r)
			s.Err()
			s.IsNew()
		}, nil, nil},
		{"bad signature", "/", c[:len(c)-2] + "AA", read, nil, nil},
		{"static asset, written", "/static/app.js", c, setKV("x", 1), nil, nil},
		{"existing, read", "/", c, read, nil, []string{"pipeline(get,pttl)"}},
		{"existing, read+write", "/", c, func(w http.ResponseWriter, r *http.Request) {
			s := session.Get(r)
			s.Get("a")
			s.Set("b", 2)
		}, nil, []string{"pipeline(get,pttl)", "evalsha"}},
		{"existing, write only (Set)", "/", c, setKV("b", 3), nil, []string{"evalsha"}},
		{"existing, write then read", "/", c, func(w http.ResponseWriter, r *http.Request) {
			s := session.Get(r)
			s.Set("b", 4)
			s.Get("a")
		}, nil, []string{"pipeline(get,pttl)", "evalsha"}},
		{"existing, read after reissue_time: touch", "/", c, read, func() {
			e.client.PExpire(context.Background(), key, 1000*time.Second) // 200 s since the last write
			e.rc.take()
		}, []string{"pipeline(get,pttl)", "evalsha"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.before != nil {
				tt.before()
			}
			e.serve(tt.path, tt.cookie, tt.handler)
			if got := e.rc.take(); !slices.Equal(got, tt.want) {
				t.Errorf("round trips %q, want %q", got, tt.want)
			}
		})
	}
	if ks := e.keys(); len(ks) != 1 {
		t.Errorf("keys %q: a read-only new session must not create a record", ks)
	}
	if got := e.stored(key).Data; string(got["a"]) != "1" || string(got["b"]) != "4" {
		t.Errorf("stored %s, want a=1 b=4", got)
	}
	// A write-only logout: one script call ends the session.
	e.rc.take()
	e.serve("/", c, func(w http.ResponseWriter, r *http.Request) { session.Get(r).Invalidate() })
	if got := e.rc.take(); !slices.Equal(got, []string{"evalsha"}) {
		t.Errorf("write-only Invalidate: round trips %q, want one EVALSHA", got)
	}
	t.Logf("round trips: untouched 0, new read-only 0, new write 1, read 1, read+write 2, write only 1, read+touch 2, Invalidate only 1")
}

func TestRedisInvalidate(t *testing.T) {
	e := newEnv(t, redistest.Start(t), envOption{})
	t.Run("alone", func(t *testing.T) {
		c := e.cookie(e.serve("/", "", setKV("user", "alice")))
		key := e.only()
		resp := e.serve("/logout", c, func(w http.ResponseWriter, r *http.Request) { session.Get(r).Invalidate() })
		want := "session=; Max-Age=0; Path=/; expires=Wed, 31-Dec-97 23:59:59 GMT; HttpOnly; SameSite=Lax"
		if sc := resp.Header.Values("Set-Cookie"); !slices.Equal(sc, []string{want}) {
			t.Errorf("Set-Cookie %q, want %q", sc, want)
		}
		if v, _ := e.client.Get(context.Background(), key).Result(); v != `{"tombstone": 1}` {
			t.Errorf("after invalidate the key holds %q, want a tombstone", v)
		}
		if d := e.pttl(key); d <= 0 || d > time.Minute {
			t.Errorf("tombstone TTL %v", d)
		}
		// The old cookie now gives a new, empty session.
		e.serve("/", c, func(w http.ResponseWriter, r *http.Request) {
			if s := session.Get(r); !s.IsNew() || s.Has("user") {
				t.Error("invalidated session still served")
			}
		})
		e.flush()
	})
	t.Run("then write: new id", func(t *testing.T) {
		c := e.cookie(e.serve("/", "", setKV("user", "alice")))
		old := e.only()
		resp := e.serve("/login", c, func(w http.ResponseWriter, r *http.Request) {
			s := session.Get(r)
			s.Invalidate()
			s.Set("after", "invalidate")
		})
		c2 := e.cookie(resp)
		if c2 == c {
			t.Fatal("same cookie after invalidate")
		}
		ks := e.keys()
		if len(ks) != 2 {
			t.Fatalf("keys %q", ks)
		}
		newKey := ks[0]
		if newKey == old {
			newKey = ks[1]
		}
		if rec := e.stored(newKey); len(rec.Data) != 1 || string(rec.Data["after"]) != `"invalidate"` {
			t.Errorf("new record %+v", rec)
		}
		if v, _ := e.client.Get(context.Background(), old).Result(); v != `{"tombstone": 1}` {
			t.Errorf("old key %q", v)
		}
		e.flush()
	})
	t.Run("new session: nothing", func(t *testing.T) {
		resp := e.serve("/", "", func(w http.ResponseWriter, r *http.Request) { session.Get(r).Invalidate() })
		noCookie(t, resp)
		if ks := e.keys(); len(ks) != 0 {
			t.Errorf("keys %q", ks)
		}
	})
}

func TestRedisRenewID(t *testing.T) {
	e := newEnv(t, redistest.Start(t), envOption{opts: func(o *settings.Options) { o.Redis.RenewGrace = 2 * time.Second }})
	c := e.cookie(e.serve("/", "", setKV("cart", "3 items")))
	oldKey := e.only()
	var oldToken, newToken string
	resp := e.serve("/login", c, func(w http.ResponseWriter, r *http.Request) {
		s := session.Get(r)
		oldToken, _ = s.CSRFToken()
		s.RenewID()
		s.Set("user", "alice")
		newToken, _ = s.CSRFToken()
	})
	c2 := e.cookie(resp)
	if c2 == c || oldToken == newToken {
		t.Fatalf("RenewID kept the id (%v) or the CSRF token (%v)", c2 == c, oldToken == newToken)
	}
	ks := e.keys()
	if len(ks) != 2 {
		t.Fatalf("keys %q", ks)
	}
	newKey := ks[0]
	if newKey == oldKey {
		newKey = ks[1]
	}
	rec := e.stored(newKey)
	if string(rec.Data["cart"]) != `"3 items"` || string(rec.Data["user"]) != `"alice"` {
		t.Errorf("renewed record %+v", rec)
	}
	if d := e.pttl(oldKey); d <= 0 || d > 2*time.Second {
		t.Errorf("forward TTL %v, want within the 2 s grace", d)
	}
	// Within the grace: the old cookie reads the same session, but its
	// writes do not land (the old id may be a fixated one); it gets no
	// cookie (the browser has the new one).
	resp = e.serve("/", c, func(w http.ResponseWriter, r *http.Request) {
		s := session.Get(r)
		if u, _ := s.Get("user"); u != "alice" {
			t.Errorf("old id within grace: user %v", u)
		}
		s.Set("parallel", true)
	})
	noCookie(t, resp)
	if rec := e.stored(newKey); rec.Data["parallel"] != nil {
		t.Errorf("write through the old id landed: %+v", rec)
	}
	// After the grace, the old id is dead.
	e.client.PExpire(context.Background(), oldKey, time.Millisecond)
	waitGone(t, e, oldKey)
	e.serve("/", c, func(w http.ResponseWriter, r *http.Request) {
		if s := session.Get(r); !s.IsNew() {
			t.Error("old id still works after the grace")
		}
	})
	e.serve("/", c2, func(w http.ResponseWriter, r *http.Request) {
		if u, _ := session.Get(r).Get("user"); u != "alice" {
			t.Error("new id lost the session")
		}
	})
}

// waitGone polls until key has expired (bounded).
func waitGone(t *testing.T, e *env, key string) {
	t.Helper()
	for i := 0; i < 200; i++ {
		if n, _ := e.client.Exists(context.Background(), key).Result(); n == 0 {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("key %s did not expire", key)
}

func TestRedisTimeoutIsTTL(t *testing.T) {
	srv := redistest.Start(t)
	tests := []struct {
		name    string
		timeout settings.Duration
		want    func(time.Duration) bool
	}{
		// Above the 10 s the test sets before a write, so a reset TTL
		// tells apart however slowly the machine runs.
		{"30 s", settings.Seconds(30), func(d time.Duration) bool { return d > 10*time.Second && d <= 30*time.Second }},
		{"none", settings.Never, func(d time.Duration) bool { return d == -1 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, srv, envOption{opts: func(o *settings.Options) { o.Timeout = tt.timeout }})
			e.flush()
			c := e.cookie(e.serve("/", "", setKV("a", 1)))
			key := e.only()
			if d := e.pttl(key); !tt.want(d) {
				t.Errorf("PTTL %v", d)
			}
			// A write resets the TTL.
			if !tt.timeout.None {
				e.client.PExpire(context.Background(), key, 10*time.Second)
				e.serve("/", c, setKV("b", 2))
				if d := e.pttl(key); !tt.want(d) {
					t.Errorf("PTTL after a write %v", d)
				}
				// Expiry is Redis': the session is gone.
				e.client.PExpire(context.Background(), key, time.Millisecond)
				waitGone(t, e, key)
				e.serve("/", c, func(w http.ResponseWriter, r *http.Request) {
					if !session.Get(r).IsNew() {
						t.Error("expired session served")
					}
				})
			}
		})
	}
}

func TestRedisReissueTouch(t *testing.T) {
	e := newEnv(t, redistest.Start(t), envOption{opts: func(o *settings.Options) {
		o.Timeout = settings.Seconds(100)
		o.ReissueTime = settings.Seconds(10)
		o.MaxAge = settings.Seconds(3600)
	}})
	c := e.cookie(e.serve("/", "", setKV("a", 1)))
	key := e.only()
	before, _ := e.client.Get(context.Background(), key).Result()
	read := func(w http.ResponseWriter, r *http.Request) { session.Get(r).Get("a") }

	// 5 s after the write (TTL 95 s): within reissue_time, nothing happens.
	e.client.PExpire(context.Background(), key, 95*time.Second)
	noCookie(t, e.serve("/", c, read))
	if d := e.pttl(key); d > 95*time.Second {
		t.Errorf("TTL refreshed before reissue_time: %v", d)
	}
	// 15 s after (TTL 85 s): the read refreshes the TTL without a rewrite
	// and slides the cookie's Max-Age.
	e.client.PExpire(context.Background(), key, 85*time.Second)
	resp := e.serve("/", c, read)
	if got := e.cookie(resp); got != c {
		t.Errorf("re-issued cookie %q, want the same value %q", got, c)
	}
	if sc := resp.Header.Get("Set-Cookie"); !strings.Contains(sc, "; Max-Age=3600; ") {
		t.Errorf("re-issued cookie %q has no Max-Age", sc)
	}
	if d := e.pttl(key); d <= 99*time.Second {
		t.Errorf("TTL not refreshed: %v", d)
	}
	if after, _ := e.client.Get(context.Background(), key).Result(); after != before {
		t.Errorf("touch rewrote the record:\n%s\n%s", before, after)
	}
}

func TestRedisAbsoluteTimeout(t *testing.T) {
	now := time.Unix(1700000000, 0)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	e := newEnv(t, redistest.Start(t), envOption{
		opts:    func(o *settings.Options) { o.AbsoluteTimeout = settings.Seconds(3600) },
		session: []session.Option{session.WithClock(clock)},
	})
	c := e.cookie(e.serve("/", "", setKV("a", 1)))
	key := e.only()
	for _, step := range []struct {
		after time.Duration
		isNew bool
	}{{3599 * time.Second, false}, {3601 * time.Second, true}} {
		mu.Lock()
		now = time.Unix(1700000000, 0).Add(step.after)
		mu.Unlock()
		e.serve("/", c, func(w http.ResponseWriter, r *http.Request) {
			if got := session.Get(r).IsNew(); got != step.isNew {
				t.Errorf("after %v: new=%v", step.after, got)
			}
		})
	}
	if n, _ := e.client.Exists(context.Background(), key).Result(); n != 0 {
		t.Error("record past absolute_timeout not deleted")
	}
}

func TestRedisStaticAssets(t *testing.T) {
	e := newEnv(t, redistest.Start(t), envOption{})
	e.warm()
	c := e.cookie(e.serve("/", "", setKV("a", 1)))
	e.rc.take()
	tests := []struct {
		path   string
		static bool
	}{
		{"/static/app.js", true},
		{"/static/App.CSS", true},
		{"/img/logo.svg", true},
		{"/fonts/x.woff2", true},
		{"/notebook/a.css", true}, // websauna exempted /notebook/; we do not
		{"/static/.css", false},   // os.path.splitext: a leading dot starts no extension
		{"/a.css/", false},
		{"/page.html", false},
		{"/", false},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			var loaded bool
			resp := e.serve(tt.path, c, func(w http.ResponseWriter, r *http.Request) {
				s := session.Get(r)
				_, loaded = s.Get("a")
				s.Set("visited", tt.path)
			})
			rt := e.rc.take()
			if tt.static {
				if len(rt) != 0 || loaded || len(resp.Header.Values("Set-Cookie")) != 0 || resp.Header.Get("Vary") != "" {
					t.Errorf("static asset: round trips %q, loaded %v, Set-Cookie %q, Vary %q", rt, loaded, resp.Header.Values("Set-Cookie"), resp.Header.Get("Vary"))
				}
			} else if len(rt) == 0 || !loaded {
				t.Errorf("not a static asset, but round trips %q, loaded %v", rt, loaded)
			}
		})
	}
}

func TestRedisCookielessHeaders(t *testing.T) {
	e := newEnv(t, redistest.Start(t), envOption{})
	cacheable := func(kv ...any) func(w http.ResponseWriter, r *http.Request) {
		return func(w http.ResponseWriter, r *http.Request) {
			setKV(kv...)(w, r)
			w.Header().Set("cache-control", "public, max-age=60")
			w.WriteHeader(http.StatusOK)
		}
	}
	// A new session on a cacheable response: no cookie, so no record
	// either (websauna left an orphan).
	noCookie(t, e.serve("/", "", cacheable("k", "cacheable")))
	if ks := e.keys(); len(ks) != 0 {
		t.Errorf("orphan records %q", ks)
	}
	// An existing session still saves its data, without Set-Cookie.
	c := e.cookie(e.serve("/", "", setKV("a", 1)))
	noCookie(t, e.serve("/", c, cacheable("b", 2)))
	if rec := e.stored(e.only()); string(rec.Data["b"]) != "2" {
		t.Errorf("existing session on a cacheable response lost its write: %+v", rec)
	}
	// Invalidate-then-write on a cacheable response: the old record goes,
	// but no new one is created (its id could not be delivered).
	noCookie(t, e.serve("/", c, func(w http.ResponseWriter, r *http.Request) {
		s := session.Get(r)
		s.Invalidate()
		s.Set("after", 1)
		w.Header().Set("Expires", "Thu, 01 Jan 2099 00:00:00 GMT")
	}))
	if v, _ := e.client.Get(context.Background(), e.only()).Result(); v != `{"tombstone": 1}` {
		t.Errorf("after a cookieless invalidate: %q", v)
	}
}

func TestRedisInitialData(t *testing.T) {
	now := time.Date(2023, 11, 14, 22, 13, 20, 0, time.UTC)
	e := newEnv(t, redistest.Start(t), envOption{
		backend: []factory.RedisOption{factory.WithInitialData(func(r *http.Request) map[string]any {
			return map[string]any{"client_addr": strings.Split(r.RemoteAddr, ":")[0], "created_at": now.Format(time.RFC3339), "a": "initial"}
		})},
	})
	serveFrom := func(addr, cookie string, h func(w http.ResponseWriter, r *http.Request)) *http.Response {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = addr + ":1234"
		if cookie != "" {
			r.Header.Set("Cookie", cookie)
		}
		w := httptest.NewRecorder()
		e.m.Middleware(http.HandlerFunc(h)).ServeHTTP(w, r)
		return w.Result()
	}
	// A read-only new session stores nothing, initial data included.
	serveFrom("198.51.100.7", "", func(w http.ResponseWriter, r *http.Request) { session.Get(r).Get("x") })
	if ks := e.keys(); len(ks) != 0 {
		t.Fatalf("keys %q", ks)
	}
	c := e.cookie(serveFrom("198.51.100.7", "", setKV("a", "1")))
	serveFrom("203.0.113.9", c, setKV("b", "2"))
	serveFrom("192.0.2.1", c, setKV("c", "3"))
	rec := e.stored(e.only())
	want := map[string]string{"client_addr": `"198.51.100.7"`, "created_at": `"2023-11-14T22:13:20Z"`, "a": `"1"`, "b": `"2"`, "c": `"3"`}
	if len(rec.Data) != len(want) {
		t.Errorf("data %v", rec.Data)
	}
	for k, v := range want {
		if string(rec.Data[k]) != v {
			t.Errorf("%s = %s, want %s (initial data is merged once, the handler's keys win)", k, rec.Data[k], v)
		}
	}
}

func TestRedisSecretRotation(t *testing.T) {
	srv := redistest.Start(t)
	oldEnv := newEnv(t, srv, envOption{opts: func(o *settings.Options) { o.Secret = "old-secret-old-secret-old-secret-old-secret" }})
	c := oldEnv.cookie(oldEnv.serve("/", "", setKV("user", "alice")))

	rotated := newEnv(t, srv, envOption{opts: func(o *settings.Options) {
		o.SecretFallbacks = []string{"old-secret-old-secret-old-secret-old-secret"}
	}})
	var user any
	resp := rotated.serve("/", c, func(w http.ResponseWriter, r *http.Request) { user, _ = session.Get(r).Get("user") })
	c2 := rotated.cookie(resp)
	if user != "alice" {
		t.Fatalf("fallback secret did not open the cookie (user %v)", user)
	}
	if c2 == c || strings.Split(c2, ".")[0] != strings.Split(c, ".")[0] {
		t.Errorf("re-issued cookie %q: want the same id under the primary secret (was %q)", c2, c)
	}
	// Under the primary, no further re-issue.
	noCookie(t, rotated.serve("/", c2, func(w http.ResponseWriter, r *http.Request) { session.Get(r).Get("user") }))

	// Without the fallback, the old cookie is a new session.
	fresh := newEnv(t, srv, envOption{})
	fresh.serve("/", c, func(w http.ResponseWriter, r *http.Request) {
		if !session.Get(r).IsNew() {
			t.Error("a cookie under a retired secret was accepted")
		}
	})
	// Tampering: every single-character change is refused.
	b, _ := factory.NewRedis(redisOptions(), fresh.client)
	for i := len("session="); i < len(c2); i += 7 {
		bad := []byte(c2)
		bad[i] ^= 1
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Cookie", string(bad))
		rec, err := b.(engine.Backend).Load(context.Background(), r, time.Now())
		if err != nil || !rec.New || !errors.Is(rec.Reason, codec.ErrDecode) {
			t.Errorf("tampered at %d: new=%v reason=%v err=%v", i, rec.New, rec.Reason, err)
		}
	}
}

func TestRedisConcurrentWrites(t *testing.T) {
	e := newEnv(t, redistest.Start(t), envOption{})
	concurrentWrites(t, e)
}

// concurrentWrites: 50 parallel requests of one session, each setting its
// own key, keep all 50 keys (no lost updates).
func concurrentWrites(t *testing.T, e *env) {
	t.Helper()
	c := e.cookie(e.serve("/", "", setKV("base", 0)))
	const n = 50
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			resp := e.serve("/", c, setKV("k"+strconv.Itoa(i), i))
			if resp.StatusCode != 200 {
				t.Errorf("request %d: status %d", i, resp.StatusCode)
			}
		}()
	}
	close(start)
	wg.Wait()
	var keys []string
	e.serve("/", c, func(w http.ResponseWriter, r *http.Request) { keys = session.Get(r).Keys() })
	if len(keys) != n+1 {
		t.Fatalf("%d keys after %d concurrent writes, want %d: %v", len(keys), n, n+1, keys)
	}
	for i := range n {
		if !slices.Contains(keys, "k"+strconv.Itoa(i)) {
			t.Errorf("k%d lost", i)
		}
	}
}

func TestRedisLogoutRace(t *testing.T) {
	e := newEnv(t, redistest.Start(t), envOption{})
	logoutRace(t, e)
}

// paused serves, in the background, a request on cookie c that loads its
// session (reading key) and then waits; resume lets it finish with then
// and returns its response. It stands for a slow request in flight while
// another changes the session.
func (e *env) paused(c, key string, then func(s *session.Session)) (resume func() *http.Response) {
	loaded, release := make(chan struct{}), make(chan struct{})
	done := make(chan *http.Response)
	go func() {
		done <- e.serve("/slow", c, func(w http.ResponseWriter, r *http.Request) {
			s := session.Get(r)
			s.Get(key)
			close(loaded)
			<-release
			then(s)
		})
	}()
	<-loaded
	return func() *http.Response {
		close(release)
		return <-done
	}
}

// logoutRace: a slow request that saves after a concurrent logout leaves
// no session (boj/redistore#2, gorilla/sessions#10).
func logoutRace(t *testing.T, e *env) {
	t.Helper()
	c := e.cookie(e.serve("/", "", setKV("user", "alice")))
	resume := e.paused(c, "user", func(s *session.Session) { s.Set("cart", "resurrected?") })
	e.serve("/logout", c, func(w http.ResponseWriter, r *http.Request) { session.Get(r).Invalidate() })
	resp := resume()
	if sc := resp.Header.Values("Set-Cookie"); len(sc) != 1 || !strings.Contains(sc[0], "Max-Age=0") {
		t.Errorf("slow request after logout: Set-Cookie %q, want the delete cookie", sc)
	}
	e.serve("/", c, func(w http.ResponseWriter, r *http.Request) {
		s := session.Get(r)
		if !s.IsNew() || s.Len() != 0 {
			t.Errorf("the logged-out session came back: %v", s.Keys())
		}
	})
}

func TestRedisRenewRace(t *testing.T) {
	// A request that loaded before a parallel RenewID neither forks the
	// session nor writes into the renewed one through the replaced id:
	// its write is refused, and it sends no cookie.
	e := newEnv(t, redistest.Start(t), envOption{})
	c := e.cookie(e.serve("/", "", setKV("a", 1)))
	resume := e.paused(c, "a", func(s *session.Session) { s.Set("slow", true) })
	c2 := e.cookie(e.serve("/login", c, func(w http.ResponseWriter, r *http.Request) {
		s := session.Get(r)
		s.RenewID()
		s.Set("user", "alice")
	}))
	noCookie(t, resume())
	e.serve("/", c2, func(w http.ResponseWriter, r *http.Request) {
		s := session.Get(r)
		for _, k := range []string{"a", "user"} {
			if !s.Has(k) {
				t.Errorf("renewed session lacks %q: %v", k, s.Keys())
			}
		}
		if s.Has("slow") {
			t.Error("a write through the replaced id landed in the renewed session")
		}
	})
}

func TestRedisMergePreservesValues(t *testing.T) {
	// Two requests load version 1; the second saves after the first, so
	// the Lua script merges its touched keys into the stored data. Values
	// must survive byte for byte (no cjson round trip).
	e := newEnv(t, redistest.Start(t), envOption{})
	tricky := map[string]any{
		"f":       0.30000000000000004,
		"big":     uint64(1) << 63,
		"nested":  map[string]any{"s": `a "quoted" } ] , { [ string\`, "l": []any{1, "}", []any{}}},
		"unicodé": "snowman ☃",
		"empty":   map[string]any{},
	}
	var kv []any
	for k, v := range tricky {
		kv = append(kv, k, v)
	}
	c := e.cookie(e.serve("/", "", setKV(kv...)))
	key := e.only()
	before := e.stored(key)

	resume := e.paused(c, "f", func(s *session.Session) {
		s.Set("second", "s")
		s.Delete("empty")
	})
	e.serve("/", c, setKV("first", "f", "f", 1.5))
	resume()
	after := e.stored(key)
	if after.V != 3 {
		t.Errorf("version %d, want 3", after.V)
	}
	for k := range before.Data {
		switch k {
		case "f":
			if string(after.Data[k]) != "1.5" {
				t.Errorf("f = %s (the first request's write was lost)", after.Data[k])
			}
		case "empty":
			if _, ok := after.Data[k]; ok {
				t.Error("the second request's delete was lost")
			}
		default:
			if string(after.Data[k]) != string(before.Data[k]) {
				t.Errorf("%s changed in the merge: %s → %s", k, before.Data[k], after.Data[k])
			}
		}
	}
	if string(after.Data["first"]) != `"f"` || string(after.Data["second"]) != `"s"` {
		t.Errorf("merged data %v", after.Data)
	}
	if after.Created != before.Created {
		t.Errorf("created changed: %v → %v", before.Created, after.Created)
	}
}

func TestRedisOutage(t *testing.T) {
	srv := redistest.Start(t)
	client := redis.NewClient(&redis.Options{
		Addr: srv.Addr(), DialTimeout: 200 * time.Millisecond,
		ReadTimeout: 200 * time.Millisecond, WriteTimeout: 200 * time.Millisecond,
		MaxRetries: 1, DialerRetries: 1, ContextTimeoutEnabled: true,
	})
	defer client.Close()
	e := newEnv(t, srv, envOption{client: client})
	c := e.cookie(e.serve("/", "", setKV("a", 1)))

	srv.Stop()
	var sErr error
	resp := e.serve("/", c, func(w http.ResponseWriter, r *http.Request) {
		s := session.Get(r)
		sErr = s.Err()
		s.Set("b", 2)
	})
	if resp.StatusCode != http.StatusServiceUnavailable || !errors.Is(sErr, engine.ErrUnavailable) {
		t.Fatalf("store down: status %d, s.Err() %v", resp.StatusCode, sErr)
	}
	if err := <-e.errs; !errors.Is(err, engine.ErrUnavailable) {
		t.Errorf("error handler got %v", err)
	}
	// A request that does not touch its session is unaffected.
	if resp := e.serve("/", c, noop); resp.StatusCode != 200 {
		t.Errorf("untouched request during the outage: %d", resp.StatusCode)
	}
	// A new session that is only read needs no Redis either; one that
	// writes fails at commit.
	if resp := e.serve("/", "", func(w http.ResponseWriter, r *http.Request) { session.Get(r).Get("x") }); resp.StatusCode != 200 {
		t.Errorf("read-only new session during the outage: %d", resp.StatusCode)
	}
	if resp := e.serve("/", "", setKV("x", 1)); resp.StatusCode != 503 {
		t.Errorf("new session write during the outage: %d", resp.StatusCode)
	}
	<-e.errs

	srv.Restart() // same port, empty dataset
	var resumed bool
	for i := 0; i < 50 && !resumed; i++ {
		resp := e.serve("/", c, setKV("b", 2))
		if resp.StatusCode == 200 {
			resumed = true
			c = e.cookie(resp) // the old record died with the server: a new session
		} else {
			<-e.errs
			time.Sleep(20 * time.Millisecond)
		}
	}
	if !resumed {
		t.Fatal("service did not resume after Redis came back")
	}
	e.serve("/", c, func(w http.ResponseWriter, r *http.Request) {
		if v, _ := session.Get(r).Get("b"); v != int64(2) {
			t.Errorf("after recovery b = %v", v)
		}
	})
}

func TestRedisContextCancel(t *testing.T) {
	srv := redistest.Start(t)
	e := newEnv(t, srv, envOption{})
	c := e.cookie(e.serve("/", "", setKV("a", 1)))
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Cookie", c)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := e.b.Load(ctx, r, time.Now()); !errors.Is(err, engine.ErrUnavailable) || !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: %v", err)
	}
	// A stalled server, a client that never times out and session
	// timeouts far beyond the test: only the request deadline can end
	// the load while Redis is stalled.
	e = newEnv(t, srv, envOption{client: untimedClient(t, srv), opts: func(o *settings.Options) {
		o.Redis.ReadTimeout, o.Redis.WriteTimeout = time.Hour, time.Hour
	}})
	ctx, cancel = context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	end := stall(srv)
	_, err := e.b.Load(ctx, r, time.Now())
	if end() {
		t.Errorf("the load waited %v for the stalled Redis: the request deadline did not end it", hangLimit)
	}
	if !errors.Is(err, engine.ErrUnavailable) {
		t.Errorf("deadline: %v, want ErrUnavailable", err)
	}
}

func TestRedisFromSettings(t *testing.T) {
	// type=redis through factory.New and session.New, from a URL.
	srv := redistest.Start(t)
	o := redisOptions()
	o.Redis.URL = srv.URL()
	o.Redis.KeyPrefix = "app:"
	m, err := session.New(o, session.WithLogger(quiet))
	if err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	m.Middleware(http.HandlerFunc(setKV("a", 1))).ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	if len(w.Result().Header.Values("Set-Cookie")) != 1 {
		t.Fatalf("no cookie: %d", w.Code)
	}
	if ks, _ := srv.Do("KEYS", "app:{*}"); !regexp.MustCompile(`^app:\{[0-9a-f]{32}\}$`).MatchString(ks) {
		t.Errorf("keys %q", ks)
	}
	b, err := factory.New(o)
	if err != nil {
		t.Fatal(err)
	}
	if rb, ok := b.(*engine.RedisBackend); !ok || rb.Close() != nil {
		t.Errorf("factory.New(type=redis) = %T", b)
	}
}

func TestNewRedisClient(t *testing.T) {
	tests := []struct {
		name string
		o    settings.RedisOptions
		want string // client type
		addr string
	}{
		{"url", settings.RedisOptions{URL: "redis://u:p@127.0.0.1:6380/3", ReadTimeout: time.Second, PoolTimeout: 2 * time.Second}, "*redis.Client", "127.0.0.1:6380"},
		{"rediss", settings.RedisOptions{URL: "rediss://cache.example:6380/0"}, "*redis.Client", "cache.example:6380"},
		{"unix", settings.RedisOptions{URL: "unix:///run/redis.sock?db=2"}, "*redis.Client", "/run/redis.sock"},
		{"one addr", settings.RedisOptions{Addrs: []string{"10.0.0.1:6379"}, DB: 4, TLS: true}, "*redis.Client", "10.0.0.1:6379"},
		{"cluster", settings.RedisOptions{Addrs: []string{"a:7000", "b:7001", "c:7002"}}, "*redis.ClusterClient", ""},
		{"sentinel", settings.RedisOptions{Addrs: []string{"s1:26379", "s2:26379"}, MasterName: "mymaster"}, "*redis.Client", ""},
		{"default", settings.RedisOptions{}, "*redis.Client", "localhost:6379"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := engine.NewRedisClient(tt.o)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if got := typeName(c); got != tt.want {
				t.Errorf("client %s, want %s", got, tt.want)
			}
			if cl, ok := c.(*redis.Client); ok && tt.addr != "" {
				opt := cl.Options()
				if opt.Addr != tt.addr {
					t.Errorf("addr %q, want %q", opt.Addr, tt.addr)
				}
				if !opt.ContextTimeoutEnabled {
					t.Error("context deadlines not honoured")
				}
				if tt.name != "url" && (opt.DialTimeout != 500*time.Millisecond || opt.ReadTimeout != 500*time.Millisecond ||
					opt.WriteTimeout != 500*time.Millisecond || opt.PoolTimeout != 500*time.Millisecond || opt.MaxRetries != 1) {
					t.Errorf("unset timeouts: dial %v read %v write %v pool %v, %d retries; want 500ms and 1 retry",
						opt.DialTimeout, opt.ReadTimeout, opt.WriteTimeout, opt.PoolTimeout, opt.MaxRetries)
				}
				switch tt.name {
				case "url":
					if opt.DB != 3 || opt.Username != "u" || opt.Password != "p" || opt.ReadTimeout != time.Second || opt.WriteTimeout != 500*time.Millisecond || opt.PoolTimeout != 2*time.Second {
						t.Errorf("options %+v", opt)
					}
				case "rediss", "one addr":
					if opt.TLSConfig == nil {
						t.Error("no TLS")
					}
				case "unix":
					if opt.Network != "unix" || opt.DB != 2 {
						t.Errorf("network %s db %d", opt.Network, opt.DB)
					}
				}
			}
		})
	}
	if _, err := engine.NewRedisClient(settings.RedisOptions{URL: "http://x"}); err == nil {
		t.Error("bad URL accepted")
	}
}

func typeName(v any) string {
	switch v.(type) {
	case *redis.Client:
		return "*redis.Client"
	case *redis.ClusterClient:
		return "*redis.ClusterClient"
	}
	return "other"
}
