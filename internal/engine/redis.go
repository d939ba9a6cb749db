package engine

import (
	"context"
	"crypto/hkdf"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/http"
	"net/textproto"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sessconf/sessconf/internal/codec"
	"github.com/sessconf/sessconf/internal/pyjson"
	"github.com/sessconf/sessconf/settings"
)

// csrfKey is where Pyramid (and the session package) keeps the CSRF token.
const csrfKey = "_csrft_"

// Reasons a presented Redis session cookie was not used (Record.Reason).
var (
	// ErrNotFound: the signed id has no record (expired, evicted, or never stored).
	ErrNotFound = errors.New("session not found in the store")
	// ErrInvalidated: the session was invalidated (its key holds a tombstone).
	ErrInvalidated = errors.New("session was invalidated")
	// ErrRenewed: RenewID replaced the id and renew_grace is 0 (or the
	// id is past its grace): the old id no longer reaches the session.
	ErrRenewed = errors.New("session id was replaced by RenewID")
)

// RedisBackend keeps sessions in Redis (standalone, Sentinel or Cluster)
// and only a signed random id in the cookie. It fixes the weaknesses of
// pyramid_redis_sessions (which stores a record for every visitor and lets
// a slow request undo a logout): nothing is
// stored until the session holds data, concurrent requests do not lose
// each other's updates, Invalidate cannot be undone by a slow request,
// the TTL is refreshed only after reissue_time, and cookies carry the
// same attributes (SameSite included) as the cookie backends.
//
// Round trips per request: none when the handler does not touch the
// session, none for a new session that is only read, one to load an
// existing session, and one to save it (or to refresh its TTL); one in
// all when the request only writes (redis_blind.go); a session bound to
// a user (SetUser) adds one to keep the user's index in step when it is
// written (see redis_users.go).
type RedisBackend struct {
	client   redis.UniversalClient
	owned    bool        // built by newRedis: Close closes it
	keys     [][]byte    // HMAC keys, primary first
	macs     []sync.Pool // keyed HMAC states, one pool per key (see mac)
	prefix   string
	cookie   *CookieWriter
	lifetime Lifetime
	maxAge   settings.Duration // the configured cookie max_age
	grace    time.Duration
	// deadlines bound a Load (with the request's cancellation) and a
	// Save (detached from it, see Save) by opTimeout.
	deadlines deadlines

	static     map[string]bool // lower-case extensions
	cookieless []string        // canonical header names
	initial    func(r *http.Request) map[string]any
}

// RedisOption customises a RedisBackend.
type RedisOption func(*RedisBackend)

// WithInitialData sets data merged into a session when its record is first
// created in Redis (websauna's initial_data, e.g. the client address).
// Keys the handler set in that request win; later requests never
// overwrite these values (websauna rewrote them on every write).
// f runs once per created record, at commit.
func WithInitialData(f func(r *http.Request) map[string]any) RedisOption {
	return func(b *RedisBackend) { b.initial = f }
}

// NewRedis builds the Redis backend around a client the application made
// (pyramid_redis_sessions' client_callable): a *redis.Client,
// *redis.ClusterClient or failover client. opts must be valid; its
// Redis.URL, Addrs and connection fields are ignored, except that
// ReadTimeout + WriteTimeout (1 s when they are 0) bound each load and
// save. The caller keeps ownership of client: Close does not close it.
func NewRedis(opts settings.Options, client redis.UniversalClient, options ...RedisOption) (*RedisBackend, error) {
	if client == nil {
		return nil, errors.New("factory: NewRedis: nil redis client")
	}
	b := &RedisBackend{
		client:   client,
		prefix:   opts.Redis.KeyPrefix,
		cookie:   NewCookieWriter(opts),
		lifetime: LifetimeOf(opts),
		maxAge:   opts.MaxAge,
		grace:    opts.Redis.RenewGrace,
		static:   map[string]bool{},
	}
	b.deadlines.timeout = opTimeout(opts.Redis)
	for _, s := range append([]string{opts.Secret}, opts.SecretFallbacks...) {
		k, err := hkdf.Key(sha256.New, codec.SignedKey("", s), nil, idKeyInfo, 32)
		if err != nil {
			return nil, fmt.Errorf("factory: redis id key: %w", err)
		}
		b.keys = append(b.keys, k)
	}
	b.macs = make([]sync.Pool, len(b.keys))
	for _, e := range opts.Redis.StaticExtensions {
		b.static[strings.ToLower(e)] = true
	}
	for _, h := range opts.Redis.CookielessHeaders {
		b.cookieless = append(b.cookieless, textproto.CanonicalMIMEHeaderKey(h))
	}
	for _, o := range options {
		o(b)
	}
	return b, nil
}

// newRedis builds the backend and its client from opts.Redis.
func newRedis(opts settings.Options) (Backend, error) {
	client, err := NewRedisClient(opts.Redis)
	if err != nil {
		return nil, err
	}
	b, err := NewRedis(opts, client)
	if err != nil {
		client.Close()
		return nil, err
	}
	b.owned = true
	return b, nil
}

// Name is "redis".
func (b *RedisBackend) Name() string { return settings.TypeRedis }

// Client returns the Redis client (for health checks, metrics hooks or tests).
func (b *RedisBackend) Client() redis.UniversalClient { return b.client }

// Close closes the client if the backend built it (type=redis through
// factory.New); a client passed to NewRedis stays open.
func (b *RedisBackend) Close() error {
	if b.owned {
		return b.client.Close()
	}
	return nil
}

// redisLoad is what Load leaves in Record.Private for Save.
type redisLoad struct {
	r         *http.Request
	id        string // the id the cookie carries ("" when forwarded or none)
	key       string // the key the record was loaded from ("" for a new session)
	hadCookie bool   // the request presented a cookie of our name
	// forwarded: the cookie's id was replaced by RenewID and the record
	// was read through its forward (renew_grace). Such a request may read
	// the renewed session but never writes it (session fixation: the old
	// id may be an attacker's) and never receives its cookie.
	forwarded bool
	// cookieKey is the key of the cookie's id (key, unless forwarded).
	cookieKey string
	// hash is key's hash, and user the user the loaded session was
	// bound to (SetUser): what the user index holds for it.
	hash, user string
}

// Load reads the session the cookie names. Requests for static assets
// (opts.Redis.StaticExtensions) get an ephemeral session and never reach
// Redis; a request without a valid cookie gets a new session without a
// round trip. Failures to reach Redis wrap ErrUnavailable.
func (b *RedisBackend) Load(ctx context.Context, r *http.Request, now time.Time) (*Record, error) {
	rec := NewRecord(now)
	nowf := rec.Created
	if b.isStatic(r.URL.Path) {
		rec.Ephemeral = true
		return rec, nil
	}
	p := &redisLoad{r: r}
	rec.Private = p
	value, ok := LastCookie(r, b.cookie.Name())
	if !ok {
		return rec, nil
	}
	p.hadCookie = true
	id, fallback, err := b.openCookie(value)
	if err != nil {
		rec.Reason = err
		return rec, nil
	}
	key := b.key(keyHash(id))
	p.cookieKey = key
	ctx, release := b.deadlines.within(ctx)
	defer release()
	val, pttl, err := b.get(ctx, key)
	rec.Trips++
	if err != nil {
		return nil, err
	}
	for hops := 0; hops < maxForwardHops; hops++ {
		fwd, ok := forwardOf(val)
		if !ok {
			break
		}
		// RenewID replaced this id moments ago: serve the new session,
		// read-only, so parallel requests of the browser that logged in
		// see it. Only the request that renewed sends the new id; this
		// one leaves the cookie alone, and Save writes nothing for it.
		key, id = b.key(fwd), ""
		p.forwarded, rec.ReadOnly = true, true
		rec.Trips++
		if val, pttl, err = b.get(ctx, key); err != nil {
			return nil, err
		}
	}
	switch {
	case val == nil:
		rec.Reason = ErrNotFound
		return rec, nil
	case string(val) == tombstoneValue:
		rec.Reason = ErrInvalidated
		return rec, nil
	case isRenewed(val):
		rec.Reason = ErrRenewed
		return rec, nil
	}
	version, created, accessed, st, err := parseRecord(val)
	if err != nil {
		rec.Reason = err
		return rec, nil
	}
	renewed := accessed
	if idle, ok := b.lifetime.IdleTimeout(st); ok && pttl > 0 {
		// The TTL was set to the idle timeout at the last write or
		// touch. A record without a TTL (written under timeout=none) is
		// judged by its stored access time.
		renewed = min(nowf, nowf-(idle-pttl).Seconds())
	}
	switch err := b.lifetime.Check(created, renewed, nowf, st); err {
	case nil:
	case ErrLifetime:
		// absolute_timeout (Pylons/pyramid#3032): the record goes too.
		if err := b.client.Del(ctx, key).Err(); err != nil {
			return nil, unavailable("delete", err)
		}
		rec.Reason = err
		return rec, nil
	default:
		rec.Reason = err
		return rec, nil
	}
	if p.forwarded {
		// The renewed session's CSRF token is not for the replaced id's
		// holder, not even as a plain key (nothing read here is saved).
		st.Delete(csrfKey)
	}
	rec.New, rec.Created, rec.Renewed, rec.Accessed = false, created, renewed, renewed
	rec.State, rec.Version, rec.Fallback, rec.ID = st, version, fallback, id
	p.id, p.key = id, key
	if !p.forwarded {
		p.hash, p.user = keyHash(id), userOf(st).ID
	}
	return rec, nil
}

// get fetches a value and its PTTL in one round trip. A missing key is (nil, 0, nil).
func (b *RedisBackend) get(ctx context.Context, key string) ([]byte, time.Duration, error) {
	if err := ctx.Err(); err != nil {
		return nil, 0, unavailable("load", err)
	}
	pipe := b.client.Pipeline()
	get := pipe.Get(ctx, key)
	ttl := pipe.PTTL(ctx, key)
	if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return nil, 0, unavailable("load", err)
	}
	val, err := get.Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, unavailable("load", err)
	}
	return val, ttl.Val(), nil
}

// Save persists what the request did. See RedisBackend for the rules; in
// short: a new session is stored only when it holds data, an existing one
// only when it changed (else its TTL is refreshed on Reissue), and the
// cookie is sent only when the id changes, on rotation, or to slide a
// Max-Age. No Set-Cookie and no new record are produced for a cacheable
// response (see isCookieless), except for RenewID, which always renews
// and sends the new cookie.
func (b *RedisBackend) Save(ctx context.Context, h http.Header, rec *Record, now time.Time) error {
	if rec.Ephemeral {
		return nil
	}
	p, _ := rec.Private.(*redisLoad)
	if p == nil {
		p = &redisLoad{}
	}
	if rec.Modified || rec.Reissue || rec.Invalidated || rec.RenewID {
		// The handler has finished: a client that disconnects now must
		// not abort its logout, login or write half-way. The save runs
		// detached from the request's cancellation, bounded by
		// write_timeout + read_timeout (1 s by default). Loads still
		// honour cancellation.
		var release func()
		ctx, release = b.deadlines.within(context.WithoutCancel(ctx))
		defer release()
	}
	// RenewID (login) must never be skipped: a response that keeps the
	// pre-login id would defeat it.
	cookieless := !rec.RenewID && b.isCookieless(h)
	loaded := !rec.New && p.key != ""

	switch {
	case rec.Invalidated:
		// Delete the record, leaving a tombstone so that a request still
		// in flight cannot save it back (boj/redistore#2); a session
		// written after Invalidate in this request gets a new id
		// (ericrasmussen/pyramid_redis_sessions#33).
		// The tombstone follows a forward left by a parallel RenewID, so
		// a logout racing a login leaves no live session behind. Through
		// an id RenewID already replaced it ends only that id: its holder
		// (maybe the one who planted it) must not log the renewed session out.
		switch {
		case p.forwarded:
			rec.Trips++
			if err := b.client.Set(ctx, p.cookieKey, tombstoneValue, tombstoneTTL).Err(); err != nil {
				return unavailable("invalidate", err)
			}
		case rec.Unloaded:
			user, err := b.invalidateBlind(ctx, p, rec)
			if err != nil {
				return err
			}
			if err := b.index(ctx, rec, user, p.hash, "", "", false, now); err != nil {
				return err
			}
		case loaded:
			rec.Trips++
			if _, err := b.tombstone(ctx, p.cookieKey); err != nil {
				return err
			}
			if err := b.index(ctx, rec, p.user, p.hash, "", "", false, now); err != nil {
				return err
			}
		}
		var id string
		if rec.State.Len() > 0 && !cookieless {
			var err error
			rec.Trips++
			if id, err = b.create(ctx, p, rec, now); err != nil {
				return err
			}
			if err := b.index(ctx, rec, userOf(rec.State).ID, "", keyHash(id), b.indexScore(rec.State, now), false, now); err != nil {
				return err
			}
		}
		switch {
		case cookieless:
		case id != "":
			b.setCookie(h, id, rec.State, now)
		case p.hadCookie:
			b.cookie.Delete(h)
		}
		return nil

	case p.forwarded:
		// Read through a forward with a replaced id: nothing is written
		// (the request's changes stay in memory), no cookie is sent.
		return nil

	case rec.Unloaded:
		if !rec.Modified {
			return nil
		}
		return b.saveBlind(ctx, h, p, rec, cookieless, now)

	case !loaded:
		// A new session: nothing is stored (and no cookie sent) until it
		// holds data, and never for a cookieless response, which could
		// not carry the id (websauna's orphan records).
		if !rec.Modified || rec.State.Len() == 0 || cookieless {
			return nil
		}
		return b.startNew(ctx, h, p, rec, now)

	case rec.RenewID:
		rec.Trips++
		return b.renew(ctx, h, p, rec, now)

	case rec.Modified:
		rec.Trips++
		res, err := b.run(ctx, p.key, rec, rec.Version, "")
		if err != nil {
			return err
		}
		switch res.code {
		case saveGone:
			// Gone meanwhile (logged out elsewhere, expired): the data
			// is dropped, and the cookie with it.
			if !cookieless && p.hadCookie {
				b.cookie.Delete(h)
			}
			return nil
		case saveRenewed:
			// Renewed by a parallel request after we loaded: the write
			// is refused (it would land in the renewed session through
			// the replaced id), and the browser keeps its new cookie.
			return nil
		case saveEmptied:
			// Emptied: the record is gone, so is the cookie.
			if !cookieless && p.hadCookie {
				b.cookie.Delete(h)
			}
			return b.reindex(ctx, p, rec, "", now)
		}
		if err := b.reindex(ctx, p, rec, p.hash, now); err != nil {
			return err
		}

	case rec.Reissue && b.ttl(rec.State) > 0:
		rec.Trips++
		n, err := touchScript.Run(ctx, b.client, []string{p.key}, b.ttl(rec.State).Milliseconds()).Int()
		if err != nil {
			return unavailable("touch", err)
		}
		if n == 0 {
			return nil // gone: no cookie to slide
		}
		if err := b.index(ctx, rec, p.user, "", p.hash, b.indexScore(rec.State, now), true, now); err != nil {
			return err
		}
	}
	if cookieless || p.id == "" {
		return nil
	}
	if _, own := SessionMaxAge(rec.State); rec.Fallback || (rec.Reissue && (own || !b.maxAge.None)) {
		// Re-issue under the primary secret, or slide Max-Age.
		b.setCookie(h, p.id, rec.State, now)
	}
	return nil
}

// startNew stores rec as a new session under a fresh id, indexes it
// under its user, and sends its cookie.
func (b *RedisBackend) startNew(ctx context.Context, h http.Header, p *redisLoad, rec *Record, now time.Time) error {
	rec.Trips++
	id, err := b.create(ctx, p, rec, now)
	if err != nil {
		return err
	}
	if err := b.index(ctx, rec, userOf(rec.State).ID, "", keyHash(id), b.indexScore(rec.State, now), false, now); err != nil {
		return err
	}
	b.setCookie(h, id, rec.State, now)
	return nil
}

// maxForwardHops bounds how many forwards tombstone follows (a session
// renewed again within renew_grace makes a chain).
const maxForwardHops = 4

// tombstone invalidates the session under key and every session it
// forwards to (after RenewID). Each step touches one key (the keys of a
// forward chain may sit in different Cluster slots), in the safe order:
// the targets are tombstoned before the forwards to them, so a failure
// midway never leaves a forward to a live session that Invalidate meant
// to end; a retry finds the same chain.
// It reports whether a live record was ended.
func (b *RedisBackend) tombstone(ctx context.Context, key string) (live bool, err error) {
	chain := []string{key}
	for {
		last := chain[len(chain)-1]
		if len(chain) > maxForwardHops {
			if err := b.client.Set(ctx, last, tombstoneValue, tombstoneTTL).Err(); err != nil {
				return false, unavailable("invalidate", err)
			}
			break
		}
		reply, err := tombstoneScript.Run(ctx, b.client, []string{last}, tombstoneTTL.Milliseconds()).Slice()
		if err != nil {
			return false, unavailable("invalidate", err)
		}
		if len(reply) < 2 {
			return false, fmt.Errorf("%w: redis invalidate: unexpected reply %v", ErrUnavailable, reply)
		}
		if code, _ := reply[0].(int64); code == tombDone {
			n, _ := reply[1].(int64)
			live = n == 1
			break // tombstoned
		}
		fwd, _ := reply[1].(string)
		chain = append(chain, b.key(fwd))
	}
	for i := len(chain) - 2; i >= 0; i-- {
		if err := b.client.Set(ctx, chain[i], tombstoneValue, tombstoneTTL).Err(); err != nil {
			return live, unavailable("invalidate", err)
		}
	}
	return live, nil
}

// create stores a new record under a fresh id (SET NX; a taken id, which
// 256 random bits make a theoretical case, is retried) and returns the id.
func (b *RedisBackend) create(ctx context.Context, p *redisLoad, rec *Record, now time.Time) (string, error) {
	for range maxIDRetries {
		id, value := b.newRecord(p, rec, now)
		ok, err := b.client.SetNX(ctx, b.key(keyHash(id)), value, b.ttl(rec.State)).Result()
		if err != nil {
			return "", unavailable("create", err)
		}
		if ok {
			rec.Size = len(value)
			return id, nil
		}
	}
	return "", fmt.Errorf("%w: no free session id after %d attempts", ErrUnavailable, maxIDRetries)
}

// newRecord makes a fresh id and the record to store under it: the
// initial data (WithInitialData) first, then the request's state.
func (b *RedisBackend) newRecord(p *redisLoad, rec *Record, now time.Time) (string, []byte) {
	st := rec.State
	if b.initial != nil && p.r != nil {
		if init := b.initial(p.r); len(init) > 0 {
			st = NewState()
			for _, k := range sortedKeys(init) {
				if _, set := rec.State.Get(k); set {
					continue
				}
				raw, err := pyjson.Marshal(init[k])
				if err != nil {
					continue // not JSON-encodable: skipped, as Set would refuse it
				}
				st.Set(k, raw)
			}
			for _, k := range rec.State.Keys() {
				v, _ := rec.State.Get(k)
				st.Set(k, v)
			}
		}
	}
	nowf := UnixSeconds(now)
	return newID(), appendRecord(nil, 1, nowf, nowf, st)
}

// renew moves the session to a new id, in an order that never lets a
// parallel request fork it:
//
//  1. saveScript (renew mode) merges the request into the old key's
//     record as for a save, and returns the result without writing;
//  2. the result is stored under the new id;
//  3. forwardScript replaces the old record by a forward to the new key
//     for RenewGrace (a "renewed" marker when it is 0), if its version
//     is still the one step 1 saw. A write that landed in between makes
//     it fail, and the steps are redone (the new key is rewritten), so
//     that write is carried over too.
//
// Until step 3, requests with the old id read and write the old record;
// after it they read the renewed session through the forward but write
// nothing (see redisLoad). Three round trips (login is rare). An id that
// was already renewed is not renewed again, and a logout (tombstone) or
// expiry of the old id between the steps wins: the new key is deleted.
func (b *RedisBackend) renew(ctx context.Context, h http.Header, p *redisLoad, rec *Record, now time.Time) error {
	id := newID()
	hash := keyHash(id)
	newKey := b.key(hash)
	graceMS := int64(0)
	if b.grace > 0 {
		graceMS = max(b.grace.Milliseconds(), 1)
	}
	user := "" // the renewed session's user (SetUser)
	for attempt := 0; ; attempt++ {
		res, err := b.run(ctx, p.key, rec, rec.Version, hash)
		if err != nil {
			return err
		}
		switch res.code {
		case saveGone: // logged out or expired
			if p.hadCookie {
				b.cookie.Delete(h)
			}
			return nil
		case saveRenewed: // renewed meanwhile by a parallel request: refused
			return nil
		}
		// Only this request knows the new id: after the first attempt
		// the key is ours to overwrite.
		if attempt == 0 {
			ok, err := b.client.SetNX(ctx, newKey, res.str, b.ttl(rec.State)).Result()
			if err != nil {
				return unavailable("renew", err)
			}
			if !ok {
				return fmt.Errorf("%w: renewed session id already taken", ErrUnavailable)
			}
		} else if err := b.client.Set(ctx, newKey, res.str, b.ttl(rec.State)).Err(); err != nil {
			return unavailable("renew", err)
		}
		// The user index learns the new hash before the old id forwards
		// to it, so InvalidateUser never misses the renewed session.
		if _, _, _, st, err := parseRecord([]byte(res.str)); err == nil {
			user = userOf(st).ID
		}
		if err := b.index(ctx, rec, user, "", hash, b.indexScore(rec.State, now), false, now); err != nil {
			return err
		}
		if testHookRenew != nil {
			testHookRenew()
		}
		code, err := forwardScript.Run(ctx, b.client, []string{p.key}, res.version, hash, graceMS, tombstoneTTL.Milliseconds()).Int()
		if err != nil {
			// The old id still holds the session; the new key is an
			// orphan that expires with its TTL.
			return unavailable("renew", err)
		}
		switch {
		case code == fwdDone:
			b.setCookie(h, id, rec.State, now)
			return b.index(ctx, rec, p.user, p.hash, "", "", false, now)
		case code == fwdWritten && attempt < maxIDRetries:
			continue // written in between: redo with that write
		}
		// Gone, invalidated or renewed by another request in between,
		// or written to over and over: the new session must not live.
		if err := b.client.Del(ctx, newKey).Err(); err != nil {
			return unavailable("renew", err)
		}
		if err := b.index(ctx, rec, user, hash, "", "", false, now); err != nil {
			return err
		}
		switch code {
		case fwdGone:
			if p.hadCookie {
				b.cookie.Delete(h)
			}
			return nil
		case fwdRenewed:
			return nil
		}
		return fmt.Errorf("%w: session kept changing during RenewID", ErrUnavailable)
	}
}

type scriptResult struct {
	code    int64
	str     string
	version string // renew: the version of the record the result was built from
}

// run calls saveScript on key for rec, loaded at version.
func (b *RedisBackend) run(ctx context.Context, key string, rec *Record, version int64, renewTo string) (scriptResult, error) {
	cleared, touched := rec.State.Changes()
	mode := "merge"
	if cleared {
		mode = "full"
	}
	// The record as stored when nobody wrote since Load: built here, so
	// the script's fast path only compares the prefix and sets it.
	record := appendRecord(make([]byte, 0, recordOverhead+rec.State.EncodedLen()), version+1, rec.Created, rec.Accessed, rec.State)
	rec.Size = len(record)
	args := make([]any, 0, 6+2*len(touched))
	args = append(args, recordPrefix(version), mode,
		pyjson.AppendFloat(nil, rec.Accessed),
		b.ttl(rec.State).Milliseconds(),
		record,
		renewTo)
	// Touched keys in state order (so merged additions keep the
	// request's order), then the deleted ones.
	if len(touched) > 0 {
		set := make(map[string]bool, len(touched))
		for _, k := range touched {
			set[k] = true
		}
		for _, m := range rec.State.members {
			if set[m.key] {
				args = append(args, pyjson.AppendString(nil, m.key), append([]byte{'s'}, m.raw...))
				delete(set, m.key)
			}
		}
		for _, k := range touched {
			if set[k] {
				args = append(args, pyjson.AppendString(nil, k), "d")
			}
		}
	}
	reply, err := saveScript.Run(ctx, b.client, []string{key}, args...).Slice()
	if err != nil {
		return scriptResult{}, unavailable("save", err)
	}
	var res scriptResult
	if len(reply) > 0 {
		res.code, _ = reply[0].(int64)
	}
	if len(reply) > 1 {
		res.str, _ = reply[1].(string)
	}
	if len(reply) > 2 {
		res.version, _ = reply[2].(string)
	}
	return res, nil
}

// ttl is the TTL of a record holding st: its idle timeout, or 0 (none).
func (b *RedisBackend) ttl(st *State) time.Duration {
	idle, _ := b.lifetime.IdleTimeout(st)
	return idle
}

func (b *RedisBackend) key(hash string) string {
	return b.prefix + "{" + hash + "}"
}

// unavailable wraps a Redis failure (including a cancelled context).
func unavailable(op string, err error) error {
	return fmt.Errorf("%w: redis %s: %w", ErrUnavailable, op, err)
}

func sortedKeys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
