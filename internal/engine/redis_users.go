package engine

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sessconf/sessconf/internal/pyjson"
)

// Sessions of a user.
//
// Session.SetUser stores {"id": user, "meta": {...}} in the session under
// UserKey, and every save keeps the user's index in step: a sorted set
// under key_prefix "user{" hex(sha256("sessconf user" 0x00 user))[:32] "}"
// (its own Cluster hash tag) whose members are the key hashes of the
// user's sessions (never a usable id) scored by an upper bound of their
// expiry in Unix milliseconds: the time of the last TTL refresh plus the
// TTL plus MaxClockSkew (for clocks of app servers and Redis nodes that
// disagree), or +inf for sessions without TTL. Every index update first
// drops the members whose score has passed, and the index itself
// expires with its last member: it never grows beyond the user's live
// sessions. Each step touches one key (a session's or the index), so it
// works across Cluster slots.
//
// A session bound to a user costs one more round trip when it is
// created, written, touched, renewed (two) or invalidated.

// UserKey is the session key holding the user a session is bound to.
const UserKey = ReservedPrefix + "user"

// Limits on the metadata SetUser records with a session.
const (
	maxUserMeta    = 16
	maxUserMetaLen = 1024 // encoded
	maxUserIDLen   = 256  // bytes
)

// ErrUserMeta: the metadata passed to SetUser is too large.
var ErrUserMeta = fmt.Errorf("user metadata over %d entries or %d bytes", maxUserMeta, maxUserMetaLen)

type userBinding struct {
	ID   string            `json:"id"`
	Meta map[string]string `json:"meta,omitempty"`
}

// UserBinding encodes the value SetUser stores under UserKey.
func UserBinding(user string, meta map[string]string) ([]byte, error) {
	if user == "" || len(user) > maxUserIDLen {
		return nil, fmt.Errorf("user id must be 1 to %d bytes, not %d", maxUserIDLen, len(user))
	}
	v := map[string]any{"id": user}
	if len(meta) > 0 {
		m, err := pyjson.Marshal(meta)
		if err != nil {
			return nil, err
		}
		if len(meta) > maxUserMeta || len(m) > maxUserMetaLen {
			return nil, ErrUserMeta
		}
		v["meta"] = json.RawMessage(m)
	}
	return pyjson.Marshal(v)
}

// userOf returns the binding stored in st ("" when there is none).
func userOf(st *State) userBinding {
	var u userBinding
	if st == nil {
		return u
	}
	if raw, ok := st.Get(UserKey); ok {
		_ = json.Unmarshal(raw, &u) // anything else than a binding binds nobody
	}
	return u
}

// UserSession is one live session of a user as the index and its record
// know it.
type UserSession struct {
	Handle            string // the key hash
	Created, Accessed float64
	Meta              map[string]string
}

func (b *RedisBackend) userKey(user string) string {
	sum := sha256.Sum256([]byte("sessconf user\x00" + user))
	return b.prefix + "user{" + hex.EncodeToString(sum[:keyHashLen/2]) + "}"
}

// indexScore is the score of a session holding st whose TTL is refreshed at now.
func (b *RedisBackend) indexScore(st *State, now time.Time) string {
	ttl := b.ttl(st)
	if ttl <= 0 {
		return "+inf"
	}
	return strconv.FormatInt(now.Add(ttl+MaxClockSkew).UnixMilli(), 10)
}

// index runs indexScript on user's index: remove drops a member, add
// adds one (refresh: only updates the score of one already there).
func (b *RedisBackend) index(ctx context.Context, rec *Record, user, remove, add, score string, refresh bool, now time.Time) error {
	if user == "" || (remove == "" && add == "") {
		return nil
	}
	mode := ""
	if refresh {
		mode = "xx"
	}
	rec.Trips++
	err := indexScript.Run(ctx, b.client, []string{b.userKey(user)}, now.UnixMilli(), remove, add, score, mode).Err()
	if err != nil && !errors.Is(err, redis.Nil) {
		return unavailable("user index", err)
	}
	return nil
}

// reindex brings the user index in step after a save that left the
// session under hash (renamed from p.hash, or "" when the record is gone).
func (b *RedisBackend) reindex(ctx context.Context, p *redisLoad, rec *Record, hash string, now time.Time) error {
	cur := userOf(rec.State).ID
	if hash == "" {
		cur = ""
	}
	old := p.user
	_, touched := rec.State.Changes()
	bound := slices.Contains(touched, UserKey)
	score := b.indexScore(rec.State, now)
	if old != "" && old == cur && p.hash == hash {
		return b.index(ctx, rec, cur, "", hash, score, !bound, now)
	}
	if old != "" && p.hash != "" {
		if err := b.index(ctx, rec, old, p.hash, "", "", false, now); err != nil {
			return err
		}
	}
	if cur != "" {
		return b.index(ctx, rec, cur, "", hash, score, false, now)
	}
	return nil
}

// members returns the index's members after dropping the expired ones.
func (b *RedisBackend) members(ctx context.Context, user string, now time.Time) ([]string, error) {
	m, err := membersScript.Run(ctx, b.client, []string{b.userKey(user)}, now.UnixMilli()).StringSlice()
	if err != nil && !errors.Is(err, redis.Nil) {
		return nil, unavailable("user index", err)
	}
	return m, nil
}

// UserSessions lists the live sessions bound to user, most recently used
// first. Members whose session is gone, replaced or no longer bound to
// user are dropped from the index on the way.
func (b *RedisBackend) UserSessions(ctx context.Context, user string, now time.Time) ([]UserSession, error) {
	hashes, err := b.members(ctx, user, now)
	if err != nil || len(hashes) == 0 {
		return nil, err
	}
	// One pipeline: a Cluster client sends it to each node concerned.
	pipe := b.client.Pipeline()
	gets := make([]*redis.StringCmd, len(hashes))
	ttls := make([]*redis.DurationCmd, len(hashes))
	for i, h := range hashes {
		gets[i] = pipe.Get(ctx, b.key(h))
		ttls[i] = pipe.PTTL(ctx, b.key(h))
	}
	if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return nil, unavailable("user sessions", err)
	}
	nowf := UnixSeconds(now)
	var out []UserSession
	var stale []any
	for i, h := range hashes {
		val, err := gets[i].Bytes()
		if err != nil && !errors.Is(err, redis.Nil) {
			return nil, unavailable("user sessions", err)
		}
		s, ok := b.liveSession(val, ttls[i].Val(), user, nowf)
		if !ok {
			stale = append(stale, h)
			continue
		}
		s.Handle = h
		out = append(out, s)
	}
	if len(stale) > 0 {
		if err := b.client.ZRem(ctx, b.userKey(user), stale...).Err(); err != nil {
			return nil, unavailable("user index", err)
		}
	}
	slices.SortStableFunc(out, func(a, b UserSession) int {
		switch {
		case a.Accessed > b.Accessed:
			return -1
		case a.Accessed < b.Accessed:
			return 1
		}
		return 0
	})
	return out, nil
}

// liveSession judges a stored value as Load would: a record bound to user
// within its lifetime.
func (b *RedisBackend) liveSession(val []byte, pttl time.Duration, user string, nowf float64) (UserSession, bool) {
	if val == nil {
		return UserSession{}, false
	}
	_, created, accessed, st, err := parseRecord(val)
	if err != nil {
		return UserSession{}, false
	}
	u := userOf(st)
	if u.ID != user {
		return UserSession{}, false
	}
	if idle, ok := b.lifetime.IdleTimeout(st); ok && pttl > 0 {
		accessed = min(nowf, nowf-(idle-pttl).Seconds())
	}
	if b.lifetime.Check(created, accessed, nowf, st) != nil {
		return UserSession{}, false
	}
	// The access time derived from the TTL is exact to a millisecond:
	// it may fall just before the creation of a fresh session.
	return UserSession{Created: created, Accessed: max(accessed, created), Meta: u.Meta}, true
}

// InvalidateUser ends every session of user except keep's (when keep is
// a session loaded from the store), with the tombstones of Invalidate,
// so a request in flight cannot save any of them back. It returns how
// many live sessions it ended. A session bound while it runs survives.
func (b *RedisBackend) InvalidateUser(ctx context.Context, user string, keep *Record, now time.Time) (int, error) {
	keepHash := ""
	if keep != nil {
		if p, ok := keep.Private.(*redisLoad); ok && !p.forwarded {
			keepHash = p.hash
		}
	}
	hashes, err := b.members(ctx, user, now)
	if err != nil {
		return 0, err
	}
	n := 0
	var ended []any
	for _, h := range hashes {
		if h == keepHash {
			continue
		}
		live, err := b.tombstone(ctx, b.key(h))
		if err != nil {
			return n, err
		}
		if live {
			n++
		}
		ended = append(ended, h)
	}
	if len(ended) > 0 {
		if err := b.client.ZRem(ctx, b.userKey(user), ended...).Err(); err != nil {
			return n, unavailable("user index", err)
		}
	}
	return n, nil
}

// indexScript updates a user's index.
//
//	KEYS[1] the index
//	ARGV[1] now, Unix milliseconds: members scored below are dropped
//	ARGV[2] a member to remove ("": none)
//	ARGV[3] a member to add ("": none), ARGV[4] its score
//	ARGV[5] "xx": only raise the score of a member already there
//
// The index then expires with its highest score (or never, for +inf).
// Reply: the number of members.
var indexScript = redis.NewScript(`
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1])
if ARGV[2] ~= '' then redis.call('ZREM', KEYS[1], ARGV[2]) end
if ARGV[3] ~= '' then
  if ARGV[5] == 'xx' then
    redis.call('ZADD', KEYS[1], 'XX', 'GT', ARGV[4], ARGV[3])
  else
    redis.call('ZADD', KEYS[1], ARGV[4], ARGV[3])
  end
end
local top = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
if #top == 0 then return 0 end
if top[2] == 'inf' then
  redis.call('PERSIST', KEYS[1])
else
  redis.call('PEXPIREAT', KEYS[1], top[2])
end
return redis.call('ZCARD', KEYS[1])
`)

// membersScript drops a user index's expired members and returns the rest.
//
//	KEYS[1] the index; ARGV[1] now, Unix milliseconds
var membersScript = redis.NewScript(`
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1])
return redis.call('ZRANGE', KEYS[1], 0, -1)
`)
