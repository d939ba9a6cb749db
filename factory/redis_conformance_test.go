package factory_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"net/http/httptest"
	neturl "net/url"
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
	"github.com/sessconf/sessconf/internal/conf"
	"github.com/sessconf/sessconf/internal/engine"
	"github.com/sessconf/sessconf/internal/redistest"
	"github.com/sessconf/sessconf/internal/vectors"
	"github.com/sessconf/sessconf/session"
	"github.com/sessconf/sessconf/settings"
)

// The Redis conformance test replays http_redis.json and
// http_websauna.json (the real pyramid_redis_sessions and websauna code
// against a real redis-server) through our middleware and a real
// redis-server, and compares the cookie lifecycle: when a cookie is set
// or deleted, its attributes, Vary, static-asset skipping, the session
// the handler sees, and the live Redis records (data and TTL).
//
// Two differences are normalisations applied to every vector, not
// divergences, because they concern the format and not a decision:
//   - cookie values: Python writes HMAC-SHA1 + base64(pickle(id)); we
//     write our own signed ids, so values are compared by role (same
//     cookie as step N, a new one, a delete), never by bytes;
//   - attributes: our header is Python's followed by the configured
//     flags Python omits (SameSite on every cookie — pyramid_redis_sessions
//     has no SameSite option, §4.5 — and HttpOnly/secure on the delete
//     cookie, as the cookie backends send them).
//
// Vectors whose expected decisions differ on purpose match a divergence
// rule below (a predicate over the vector's fields); for those we check
// our own documented behaviour instead. Unaccounted vectors fail.

type vobj = map[string]any

func vstr(v any) string { s, _ := v.(string); return s }

func vnum(v any) float64 {
	switch n := v.(type) {
	case json.Number:
		f, _ := n.Float64()
		return f
	case float64:
		return n
	}
	return math.NaN()
}

func vsteps(v vobj) []vobj {
	var out []vobj
	for _, s := range v["steps"].([]any) {
		out = append(out, s.(vobj))
	}
	return out
}

// pyBody decodes a step's response body ({"session": {...}, ...}).
func pyBody(step vobj) vobj {
	b := vstr(step["response"].(vobj)["body"])
	if b == "" {
		return nil
	}
	var out vobj
	dec := json.NewDecoder(strings.NewReader(b))
	dec.UseNumber()
	if dec.Decode(&out) != nil {
		return nil
	}
	return out
}

func pySession(step vobj) vobj {
	body := pyBody(step)
	if body == nil {
		return nil
	}
	s, _ := body["session"].(vobj)
	return s
}

func setCookies(step vobj) []string {
	var out []string
	for _, c := range step["response"].(vobj)["set_cookie"].([]any) {
		out = append(out, vstr(c))
	}
	return out
}

func isDelete(h string) bool { return strings.Contains(h, "Max-Age=0;") }

// redisRule is a deliberate divergence: a predicate over a vector and why.
type redisRule struct {
	reason string
	files  []string // the vector files it applies to; nil: all
	match  func(v vobj) bool
}

var (
	ruleReadCreates = redisRule{
		reason: "pyramid_redis_sessions creates a Redis record and sets a cookie for a session that is only read (§4.2, §7.11: bots and asset requests fill Redis); we store nothing and send no cookie until the session holds data",
		match: func(v vobj) bool {
			for _, st := range vsteps(v) {
				s := pySession(st)
				if s == nil {
					continue
				}
				md, _ := s["managed_dict"].(vobj)
				if isNew, _ := s["new"].(bool); isNew && len(md) == 0 && len(setCookies(st)) == 1 && !isDelete(setCookies(st)[0]) {
					return true
				}
			}
			return false
		},
	}
	ruleOrphan = redisRule{
		reason: "Python leaves an orphan record when a new session's cookie is not sent (cookie_on_exception=false on an error, websauna's cookieless headers); we create no record that no cookie can reach",
		match: func(v vobj) bool {
			for _, st := range vsteps(v) {
				after, _ := st["redis_after"].(vobj)
				if st["request"].(vobj)["cookie_header"] == nil && len(after) > 0 && len(setCookies(st)) == 0 {
					return true
				}
			}
			return false
		},
	}
	ruleInitialData = redisRule{
		reason: "websauna's initial_data merge is inverted (§5): the record a first write creates holds no initial data, and every later write overwrites client_addr/created_at; we merge initial data once, when the record is created",
		files:  []string{"http_websauna.json"},
		match: func(v vobj) bool {
			addrs := map[string]bool{}
			for _, st := range vsteps(v) {
				s := pySession(st)
				if s == nil {
					continue
				}
				md, _ := s["managed_dict"].(vobj)
				if a, ok := md["client_addr"].(string); ok {
					addrs[a] = true
				}
				sc := setCookies(st)
				if isNew, _ := s["new"].(bool); isNew && len(md) > 0 && md["client_addr"] == nil && len(sc) == 1 && !isDelete(sc[0]) {
					return true // created by a write, without initial data
				}
			}
			return len(addrs) > 1
		},
	}
	ruleNewAfterInvalidate = redisRule{
		reason: "after Invalidate, IsNew keeps describing the session the request loaded until commit assigns the new id; pyramid_redis_sessions' lazily created replacement reports new=True at once (cookie, record and data are checked as usual)",
		match: func(v vobj) bool {
			for _, st := range vsteps(v) {
				s := pySession(st)
				isNew, _ := s["new"].(bool)
				if st["request"].(vobj)["cookie_header"] != nil && strings.Contains(vstr(st["request"].(vobj)["path"]), "invalidate") && isNew {
					return true
				}
			}
			return false
		},
	}
	ruleCookieFormat = "Python's redis cookie is hexdigest(HMAC-SHA1(secret, pickle(id))) + base64(pickle): unpickling is code execution (§7.7) and the bytes depend on the Python version; we issue our own HMAC-SHA256-signed ids, and such a cookie is a new session (no Redis round trip)"
	ruleStaticList   = "websauna ignores only .js .css .ico .png .gif .jpg and exempts /notebook/; our static_extensions add .jpeg .svg .webp .woff .woff2 .map and have no path exemption"
)

var redisRules = []redisRule{ruleReadCreates, ruleOrphan, ruleInitialData, ruleNewAfterInvalidate}

func TestRedisConformance(t *testing.T) {
	srv := redistest.Start(t)
	var tally vectors.Tally
	for _, file := range []string{"http_redis.json", "http_websauna.json"} {
		var doc struct{ Vectors []vobj }
		vectors.Load(t, file, &doc)
		tally.Expect(file, units(doc.Vectors))
		for _, v := range doc.Vectors {
			name := vstr(v["name"])
			switch {
			case v["corpus"] != nil:
				conformCorpus(t, file, v, &tally)
				continue
			case v["cases"] != nil:
				conformIgnoreSession(t, file, v, &tally)
				continue
			case v["steps"] == nil:
				t.Errorf("%s/%s: vector not accounted for", file, name)
				continue
			}
			diverged := ""
			for _, r := range redisRules {
				if (r.files == nil || slices.Contains(r.files, file)) && r.match(v) {
					diverged = r.reason
					break
				}
			}
			t.Run(file+"/"+name, func(t *testing.T) { replay(t, srv, file, v, diverged) })
			if diverged != "" {
				tally.Diverged(file, diverged)
			} else {
				tally.Checked(file)
			}
		}
	}
	tally.Verify(t)
	t.Log(tally.Line())
	if testing.Verbose() {
		t.Log("per file:\n" + tally.Files())
		t.Log("divergence rules:\n" + tally.Rules())
	}
}

// units is how many results a file's vectors must yield: one per
// scenario, per ignore_session case and per corpus cookie.
func units(vs []vobj) int {
	n := 0
	for _, v := range vs {
		switch {
		case v["corpus"] != nil:
			n += len(v["corpus"].([]any))
		case v["cases"] != nil:
			n += len(v["cases"].([]any))
		default:
			n++
		}
	}
	return n
}

// dbOf is the Redis database the vector's settings select (in the URL,
// or as redis.sessions.db).
func dbOf(t *testing.T, o settings.Options) int {
	t.Helper()
	if o.Redis.URL == "" {
		return o.Redis.DB
	}
	u, err := redis.ParseURL(o.Redis.URL)
	if err != nil {
		t.Fatalf("redis url: %v", err)
	}
	return u.DB
}

// conformCorpus: every Python cookie of the signed_serialize corpus is
// refused by our backend under the same secret, without a round trip.
func conformCorpus(t *testing.T, file string, v vobj, tally *vectors.Tally) {
	for i, c := range v["corpus"].([]any) {
		c := c.(vobj)
		t.Run(file+"/"+vstr(v["name"])+"/"+strconv.Itoa(i), func(t *testing.T) {
			o := redisOptions()
			o.Secret = vstr(c["secret"])
			rc := &counter{}
			client := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"}) // never dialled
			defer client.Close()
			client.AddHook(rc)
			b, err := factory.NewRedis(o, client)
			if err != nil {
				t.Fatal(err)
			}
			r := httptest.NewRequest("GET", "/", nil)
			r.Header.Set("Cookie", o.CookieName+"="+vstr(c["cookie"]))
			rec, err := b.(engine.Backend).Load(context.Background(), r, time.Now())
			if err != nil || !rec.New || !errors.Is(rec.Reason, codec.ErrDecode) || len(rc.take()) != 0 {
				t.Errorf("Python cookie: err %v new %v reason %v", err, rec.New, rec.Reason)
			}
		})
		tally.Diverged(file, ruleCookieFormat)
	}
}

// conformIgnoreSession replays websauna's ignore_session table.
func conformIgnoreSession(t *testing.T, file string, v vobj, tally *vectors.Tally) {
	pyList := map[string]bool{}
	for _, e := range v["NO_SESSION_FILE_EXTENSIONS"].([]any) {
		pyList[vstr(e)] = true
	}
	o := redisOptions()
	client := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"})
	defer client.Close()
	b, err := factory.NewRedis(o, client)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range v["cases"].([]any) {
		c := c.(vobj)
		url := vstr(c["url"])
		u, err := neturl.Parse(url) // browsers never send the #fragment
		if err != nil {
			t.Fatal(err)
		}
		r := httptest.NewRequest("GET", u.RequestURI(), nil)
		rec, err := b.(engine.Backend).Load(context.Background(), r, time.Now())
		if err != nil {
			t.Fatalf("%s: %v", url, err)
		}
		ours, want := rec.Ephemeral, c["ignored"].(bool)
		ext := strings.ToLower(pathExt(r.URL.Path))
		ourExt := slices.Contains(o.Redis.StaticExtensions, ext)
		if ours == want {
			tally.Checked(file)
			continue
		}
		// A divergence only where the case's extension is in our list
		// but not websauna's, or websauna's /notebook/ exemption applies.
		if ours && ourExt && (!pyList[ext] || strings.HasPrefix(r.URL.Path, "/notebook/")) {
			tally.Diverged(file, ruleStaticList)
			continue
		}
		t.Errorf("ignore_session(%s) = %v, ours %v", url, want, ours)
	}
}

// pathExt is os.path.splitext's extension of a URL path.
func pathExt(p string) string {
	base := p[strings.LastIndexByte(p, '/')+1:]
	i := strings.LastIndexByte(base, '.')
	if i <= 0 || strings.Trim(base[:i], ".") == "" {
		return ""
	}
	return base[i:]
}

// conformanceViews re-creates the views of the Python generator.
func conformanceViews() http.Handler {
	mux := http.NewServeMux()
	reply := func(w http.ResponseWriter, s *session.Session, extra vobj) {
		body := vobj{"session": snapshot(s)}
		for k, v := range extra {
			body[k] = v
		}
		b, _ := json.Marshal(body)
		w.Header().Set("Content-Type", "application/json")
		w.Write(b)
	}
	mux.HandleFunc("/noop", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("/touch", func(w http.ResponseWriter, r *http.Request) { reply(w, session.Get(r), nil) })
	mux.HandleFunc("/get", func(w http.ResponseWriter, r *http.Request) {
		s := session.Get(r)
		v, _ := s.Get(r.URL.Query().Get("k"))
		reply(w, s, vobj{"value": v})
	})
	mux.HandleFunc("/set", func(w http.ResponseWriter, r *http.Request) {
		s := session.Get(r)
		s.Set(r.URL.Query().Get("k"), r.URL.Query().Get("v"))
		reply(w, s, nil)
	})
	mux.HandleFunc("/invalidate", func(w http.ResponseWriter, r *http.Request) {
		session.Get(r).Invalidate()
		reply(w, nil, vobj{"session": vobj{"invalidated": true}})
	})
	mux.HandleFunc("/invalidate_then_set", func(w http.ResponseWriter, r *http.Request) {
		s := session.Get(r)
		s.Invalidate()
		s.Set("after", "invalidate")
		reply(w, s, nil)
	})
	mux.HandleFunc("/error", func(w http.ResponseWriter, r *http.Request) {
		session.Get(r).Set("k", "set-before-error")
		w.WriteHeader(http.StatusInternalServerError)
	})
	mux.HandleFunc("/flash", func(w http.ResponseWriter, r *http.Request) {
		s := session.Get(r)
		s.Flash(r.URL.Query().Get("msg"), "", true)
		reply(w, s, nil)
	})
	mux.HandleFunc("/csrf", func(w http.ResponseWriter, r *http.Request) {
		s := session.Get(r)
		tok, _ := s.CSRFToken()
		reply(w, s, vobj{"token": tok})
	})
	mux.HandleFunc("/pop_flash", func(w http.ResponseWriter, r *http.Request) {
		s := session.Get(r)
		popped, _ := s.PopFlash("")
		reply(w, s, vobj{"popped": popped})
	})
	mux.HandleFunc("/cacheable", func(w http.ResponseWriter, r *http.Request) {
		session.Get(r).Set("k", "cacheable")
		w.Header().Set("Cache-Control", "public, max-age=3600")
	})
	mux.HandleFunc("/static/", func(w http.ResponseWriter, r *http.Request) {
		s := session.Get(r)
		s.Get("k")
		w.Write([]byte(`{"session": {"plain_dict_no_session": {}}}`))
	})
	return mux
}

// snapshot is the session as the Python views print it.
func snapshot(s *session.Session) vobj {
	if s == nil {
		return nil
	}
	md := vobj{}
	for _, k := range s.Keys() {
		md[k], _ = s.Get(k)
	}
	return vobj{"managed_dict": md, "new": s.IsNew()}
}

// optionsFor loads the vector's redis.sessions settings with our loader.
func optionsFor(t *testing.T, v vobj, port int) settings.Options {
	t.Helper()
	m := map[string]string{}
	for k, val := range v["settings"].(vobj) {
		m[k] = strings.ReplaceAll(vstr(val), "{PORT}", strconv.Itoa(port))
	}
	res, err := settings.Load(m, conf.WithDialect(conf.DialectRedisSessions), settings.WithoutEnv())
	if err != nil {
		t.Fatalf("settings %v: %v", m, err)
	}
	o := res.Options
	if o.Type != settings.TypeRedis {
		t.Fatalf("type %q", o.Type)
	}
	return o
}

var cookieValue = regexp.MustCompile(`^([^=]+)=([^;]*)`)

// replay runs a vector's steps against srv and compares each response.
func replay(t *testing.T, srv *redistest.Server, file string, v vobj, diverged string) {
	o := optionsFor(t, v, srv.Port())
	client := redis.NewClient(&redis.Options{Addr: srv.Addr(), DB: dbOf(t, o)})
	defer client.Close()
	client.FlushDB(context.Background())
	var mu sync.Mutex
	var now time.Time
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	var bopts []factory.RedisOption
	if file == "http_websauna.json" {
		// websauna's create_session: client_addr and created_at.
		bopts = append(bopts, factory.WithInitialData(func(r *http.Request) map[string]any {
			return map[string]any{"client_addr": strings.Split(r.RemoteAddr, ":")[0], "created_at": clock().UTC().Format(time.RFC3339Nano)}
		}))
	}
	b, err := factory.NewRedis(o, client, bopts...)
	if err != nil {
		t.Fatal(err)
	}
	m, err := session.New(o, session.WithBackend(b), session.WithClock(clock), session.WithLogger(quiet))
	if err != nil {
		t.Fatal(err)
	}
	h := m.Middleware(conformanceViews())
	attrsAfter := ""
	if o.Secure {
		attrsAfter += "; secure"
	}
	if o.HTTPOnly {
		attrsAfter += "; HttpOnly"
	}
	if o.SameSite != "" {
		attrsAfter += "; SameSite=" + o.SameSite
	}

	ours := map[string]string{} // Python cookie value → our cookie value ("" when we set none)
	firstAddr := ""
	for i, st := range vsteps(v) {
		req := st["request"].(vobj)
		mu.Lock()
		f := vnum(req["now"])
		now = time.Unix(int64(f), int64((f-math.Floor(f))*1e9))
		mu.Unlock()
		r := httptest.NewRequest("GET", vstr(req["path"]), nil)
		r.RemoteAddr = "192.0.2.1:1234"
		if s := pySession(st); s != nil {
			if md, ok := s["managed_dict"].(vobj); ok {
				if a, ok := md["client_addr"].(string); ok {
					r.RemoteAddr = a + ":1234"
				}
			}
		}
		if i == 0 {
			firstAddr = strings.Split(r.RemoteAddr, ":")[0]
		}
		pyCookie := ""
		if ch, ok := req["cookie_header"].(string); ok {
			m := cookieValue.FindStringSubmatch(ch)
			pyCookie = m[2]
			if our, ok := ours[pyCookie]; ok {
				if our != "" {
					r.Header.Set("Cookie", m[1]+"="+our)
				}
			} else {
				r.Header.Set("Cookie", ch) // a cookie Python never issued (garbage): as is
			}
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		resp := w.Result()
		got := resp.Header.Values("Set-Cookie")
		want := setCookies(st)
		pyResp := st["response"].(vobj)

		// Status.
		if ws, _ := strconv.Atoi(strings.Fields(vstr(pyResp["status"]))[0]); resp.StatusCode != ws {
			t.Errorf("step %d: status %d, want %d", i, resp.StatusCode, ws)
		}

		// Cookie decisions.
		readCreates := diverged == ruleReadCreates.reason && len(want) == 1 && !isDelete(want[0]) && pySessionEmptyNew(st)
		orphan := diverged == ruleOrphan.reason && len(want) == 0
		switch {
		case readCreates || orphan:
			// We neither set a cookie nor store a record.
			if len(got) != 0 {
				t.Errorf("step %d: Set-Cookie %q, want none (%s)", i, got, diverged)
			}
			if ks := liveKeys(t, client); len(ks) != 0 && orphan {
				t.Errorf("step %d: orphan records %q", i, ks)
			}
			for _, c := range want {
				ours[cookieValue.FindStringSubmatch(c)[2]] = ""
			}
		case len(got) != len(want):
			t.Errorf("step %d: Set-Cookie %q, want %d like %q", i, got, len(want), want)
		default:
			for j := range want {
				wm, gm := cookieValue.FindStringSubmatch(want[j]), cookieValue.FindStringSubmatch(got[j])
				// Attributes: Python's, with our value, then flags Python omits.
				pyWithOurs := gm[1] + "=" + gm[2] + want[j][len(wm[0]):]
				if wm[1] != gm[1] || !strings.HasPrefix(got[j], pyWithOurs) || !strings.HasSuffix(attrsAfter, got[j][len(pyWithOurs):]) {
					t.Errorf("step %d: Set-Cookie\n got %s\nwant %s (+ %q)", i, got[j], want[j], attrsAfter)
				}
				if isDelete(want[j]) {
					if gm[2] != "" {
						t.Errorf("step %d: delete cookie with value %q", i, gm[2])
					}
					continue
				}
				if gm[2] == r.Header.Get("Cookie") || (pyCookie != "" && ours[pyCookie] == gm[2]) {
					t.Errorf("step %d: the new session kept the old id", i)
				}
				ours[wm[2]] = gm[2]
			}
		}

		// Vary: websauna's must be there; we add it whenever the session
		// was loaded (never for /noop or a static asset).
		touched := vstr(req["path"]) != "/noop" && !strings.HasPrefix(vstr(req["path"]), "/static/")
		if gotVary := resp.Header.Get("Vary") == "Cookie"; gotVary != touched || (vstr(pyResp["vary"]) == "Cookie" && !gotVary) {
			t.Errorf("step %d: Vary %q (Python %v)", i, resp.Header.Values("Vary"), pyResp["vary"])
		}

		// The session the handler saw.
		if want := pySession(st); want != nil && want["managed_dict"] != nil && diverged != ruleInitialData.reason {
			var gotBody vobj
			json.Unmarshal(w.Body.Bytes(), &gotBody)
			gs, _ := gotBody["session"].(vobj)
			newDiffers := gs["new"] != want["new"] && diverged != ruleNewAfterInvalidate.reason
			if !sameData(gs["managed_dict"], want["managed_dict"]) || newDiffers {
				t.Errorf("step %d: session %s, want %s", i, vectors.Show(gs), vectors.Show(want))
			}
		}

		// Live records: the same data and TTL as Python's (Python's are
		// keyed by the id itself, ours by a hash; compare as a set).
		after, _ := st["redis_after"].(vobj)
		if len(after) == 0 && len(liveKeys(t, client)) > 0 && !readCreates && !orphan {
			// Python's generator deleted the key between steps ("key gone").
			if diverged == "" || diverged == ruleReadCreates.reason {
				client.FlushDB(context.Background())
			}
		}
		checkRecords(t, i, client, o, after, diverged, readCreates || orphan, firstAddr)
	}
}

func pySessionEmptyNew(st vobj) bool {
	s := pySession(st)
	if s == nil {
		return false
	}
	md, _ := s["managed_dict"].(vobj)
	isNew, _ := s["new"].(bool)
	return isNew && len(md) == 0
}

// liveKeys lists our keys holding records (not tombstones or forwards).
func liveKeys(t *testing.T, c *redis.Client) []string {
	t.Helper()
	ks, err := c.Keys(context.Background(), "*").Result()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, k := range ks {
		if v, _ := c.Get(context.Background(), k).Result(); strings.HasPrefix(v, `{"v": `) {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

func checkRecords(t *testing.T, i int, c *redis.Client, o settings.Options, after vobj, diverged string, skipped bool, firstAddr string) {
	t.Helper()
	live := liveKeys(t, c)
	var want []vobj
	for pyKey, rec := range after {
		rec := rec.(vobj)
		md := rec["value_unpickled"].(vobj)["managed_dict"].(vobj)
		if skipped || (diverged == ruleReadCreates.reason && len(md) == 0) {
			continue // a record Python created on read, or an orphan
		}
		if !strings.HasPrefix(pyKey, o.Redis.KeyPrefix) {
			t.Errorf("step %d: Python key %q lacks the prefix %q", i, pyKey, o.Redis.KeyPrefix)
		}
		want = append(want, rec)
	}
	if len(live) != len(want) {
		t.Errorf("step %d: %d live records %q, Python %d", i, len(live), live, len(want))
		return
	}
	used := make([]bool, len(want))
	for _, key := range live {
		if !strings.HasPrefix(key, o.Redis.KeyPrefix+"{") {
			t.Errorf("step %d: key %q", i, key)
		}
		val, _ := c.Get(context.Background(), key).Bytes()
		var rec struct {
			Data vobj `json:"data"`
		}
		dec := json.NewDecoder(bytes.NewReader(val))
		dec.UseNumber()
		dec.Decode(&rec)
		if diverged == ruleInitialData.reason {
			// Ours: initial data from the first request, never rewritten.
			if rec.Data["client_addr"] != firstAddr {
				t.Errorf("step %d: client_addr %v, want the creating request's %s", i, rec.Data["client_addr"], firstAddr)
			}
			delete(rec.Data, "client_addr")
			delete(rec.Data, "created_at")
		}
		j := slices.IndexFunc(want, func(w vobj) bool {
			pyData := w["value_unpickled"].(vobj)["managed_dict"].(vobj)
			if diverged == ruleInitialData.reason {
				pyData = withoutKeys(pyData, "client_addr", "created_at")
			}
			return sameData(rec.Data, pyData)
		})
		if j < 0 || used[j] {
			t.Errorf("step %d: record %s, Python has %s", i, vectors.Show(rec.Data), vectors.Show(after))
			continue
		}
		used[j] = true
		ttl, _ := c.TTL(context.Background(), key).Result()
		if pyTTL := time.Duration(vnum(want[j]["ttl"])) * time.Second; ttl < pyTTL-2*time.Second || ttl > pyTTL {
			t.Errorf("step %d: TTL %v, Python %v", i, ttl, pyTTL)
		}
	}
}

func withoutKeys(m vobj, keys ...string) vobj {
	out := vobj{}
	for k, v := range m {
		if !slices.Contains(keys, k) {
			out[k] = v
		}
	}
	return out
}

// sameData compares decoded JSON, numbers by value, CSRF tokens (random
// here, seeded in Python) by format.
func sameData(a, b any) bool { return vectors.EqualIgnoringTokens(a, b) }
