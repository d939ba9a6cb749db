package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sessconf/sessconf/internal/pyjson"
)

// Write-only requests. A handler whose first use of an existing session
// is Set, Flash (allowing duplicates) or Invalidate needs nothing from the stored record: the session
// package asks Defer for an Unloaded record instead of calling Load, and
// Save merges the request's changes into the stored record in one round
// trip (blindScript, tombstoneScript), where the rules a Load would have
// applied are checked: a missing, invalidated or renewed-without-grace
// record, or one past absolute_timeout or in the future, is not written
// (the changes go to a new session, as after a Load that found none); a
// forward (renew_grace) takes no write, as after a Load through it.

// Defer returns an Unloaded record for a request presenting a valid
// cookie, or nil when Load costs no round trip anyway.
func (b *RedisBackend) Defer(r *http.Request, now time.Time) *Record {
	if b.isStatic(r.URL.Path) {
		return nil
	}
	value, ok := LastCookie(r, b.cookie.Name())
	if !ok {
		return nil
	}
	id, fallback, err := b.openCookie(value)
	if err != nil {
		return nil
	}
	rec := NewRecord(now)
	rec.New, rec.Unloaded, rec.Fallback, rec.ID = false, true, fallback, id
	hash := keyHash(id)
	key := b.key(hash)
	rec.Private = &redisLoad{r: r, id: id, key: key, cookieKey: key, hadCookie: true, hash: hash}
	return rec
}

// Replay applies what a request did to an Unloaded record (pending) to
// the record Load then returned for it (loaded), and returns loaded: the
// session package loads a deferred session at its first read.
func Replay(pending, loaded *Record) *Record {
	cleared, touched := pending.State.Changes()
	if cleared {
		loaded.State.Clear()
	}
	for _, k := range pending.State.Keys() {
		v, _ := pending.State.Get(k)
		if pending.Appended[k] {
			old, _ := loaded.State.Get(k)
			v = spliceList(old, v)
		}
		loaded.State.Set(k, v)
	}
	for _, k := range touched {
		if _, set := pending.State.Get(k); !set {
			loaded.State.Delete(k)
		}
	}
	if pending.AccessedInt {
		loaded.Accessed, loaded.AccessedInt = pending.Accessed, true
	}
	loaded.Modified = loaded.Modified || pending.Modified
	loaded.Invalidated = loaded.Invalidated || pending.Invalidated
	return loaded
}

// saveBlind saves an Unloaded record's changes (see Save).
func (b *RedisBackend) saveBlind(ctx context.Context, h http.Header, p *redisLoad, rec *Record, cookieless bool, now time.Time) error {
	_, touched := rec.State.Changes()
	args := make([]any, 0, 8+2*len(touched))
	idle, absolute := int64(0), int64(0)
	if !b.lifetime.Timeout.None {
		idle = b.lifetime.Timeout.Value.Milliseconds()
	}
	if !b.lifetime.Absolute.None {
		absolute = int64(b.lifetime.Absolute.Seconds())
	}
	args = append(args, pyjson.AppendFloat(nil, UnixSeconds(now)), absolute, idle,
		pyjson.AppendFloat(nil, rec.Accessed), int64(MaxClockSkew/time.Second),
		pyjson.AppendString(nil, MaxAgeKey), int64(maxSessionMaxAge/time.Second),
		pyjson.AppendString(nil, UserKey))
	for _, k := range rec.State.Keys() {
		v, _ := rec.State.Get(k)
		op := byte('s')
		if rec.Appended[k] {
			op = 'a'
		}
		args = append(args, pyjson.AppendString(nil, k), append([]byte{op}, v...))
	}
	for _, k := range touched {
		if _, set := rec.State.Get(k); !set {
			args = append(args, pyjson.AppendString(nil, k), "d")
		}
	}
	rec.Trips++
	reply, err := blindScript.Run(ctx, b.client, []string{p.key}, args...).Slice()
	if err != nil {
		return unavailable("save", err)
	}
	code, _ := reply[0].(int64)
	rec.Checked = true
	switch code {
	case saveRenewed:
		// Replaced by RenewID, within renew_grace: nothing is written
		// through the old id, and no cookie is sent.
		return nil
	case saveGone:
		// No usable session: the changes start a new one, as they would
		// after a Load that found none.
		var why int64
		if len(reply) > 1 {
			why, _ = reply[1].(int64)
		}
		rec.Reason = goneReason(why)
		if cookieless || rec.State.Len() == 0 {
			return nil
		}
		return b.startNew(ctx, h, p, rec, now)
	}
	if len(reply) < 4 {
		return unavailable("save", redis.Nil)
	}
	user, _ := reply[2].(string)
	ttl, _ := reply[3].(int64)
	if user != "" {
		st := NewState()
		st.Set(UserKey, []byte(user))
		if u := userOf(st).ID; u != "" {
			if code == saveEmptied {
				err = b.index(ctx, rec, u, p.hash, "", "", false, now)
			} else {
				score := "+inf"
				if ttl > 0 {
					score = strconv.FormatInt(now.Add(time.Duration(ttl)*time.Millisecond+MaxClockSkew).UnixMilli(), 10)
				}
				err = b.index(ctx, rec, u, "", p.hash, score, true, now)
			}
			if err != nil {
				return err
			}
		}
	}
	if code == saveEmptied {
		if !cookieless {
			b.cookie.Delete(h)
		}
		return nil
	}
	if !cookieless && rec.Fallback {
		b.setCookie(h, p.id, rec.State, now) // re-issue under the primary secret
	}
	return nil
}

// goneReason is the Record.Reason a Load would have given for the
// stored record blindScript reports gone.
func goneReason(why int64) error {
	switch why {
	case goneNotFound:
		return ErrNotFound
	case goneInvalidated:
		return ErrInvalidated
	case goneRenewed:
		return ErrRenewed
	case goneFuture:
		return ErrFuture
	case goneLifetime:
		return ErrLifetime
	case goneExpired:
		return ErrExpired
	}
	return fmt.Errorf("%w: stored record is not a session", ErrPayload)
}

// invalidateBlind ends the session an Unloaded record's cookie names
// (Invalidate without a Load). A key that already forwards to a renewed
// id is ended alone: the logout came through an id RenewID had replaced.
// It returns the user the ended session was bound to.
func (b *RedisBackend) invalidateBlind(ctx context.Context, p *redisLoad, rec *Record) (string, error) {
	rec.Trips++
	reply, err := tombstoneScript.Run(ctx, b.client, []string{p.cookieKey}, tombstoneTTL.Milliseconds(), pyjson.AppendString(nil, UserKey)).Slice()
	if err != nil {
		return "", unavailable("invalidate", err)
	}
	if code, _ := reply[0].(int64); code == tombForward {
		rec.Trips++
		if err := b.client.Set(ctx, p.cookieKey, tombstoneValue, tombstoneTTL).Err(); err != nil {
			return "", unavailable("invalidate", err)
		}
		return "", nil
	}
	if len(reply) < 3 {
		return "", nil
	}
	raw, _ := reply[2].(string)
	if raw == "" {
		return "", nil
	}
	st := NewState()
	st.Set(UserKey, []byte(raw))
	return userOf(st).ID, nil
}

// AppendPending queues item at the end of the list under key (a flash
// queue) of an Unloaded record, without knowing the stored list: Save
// (or Replay) appends the queued items to it. A key this request already
// set, deleted or cleared holds a known value, which is extended here.
func AppendPending(rec *Record, key string, item json.RawMessage) {
	cleared, touched := rec.State.Changes()
	old, set := rec.State.Get(key)
	if !rec.Appended[key] && (set || cleared || slices.Contains(touched, key)) {
		rec.State.Set(key, spliceList(old, listOf(item)))
		return
	}
	if rec.Appended == nil {
		rec.Appended = map[string]bool{}
	}
	rec.Appended[key] = true
	rec.State.Set(key, spliceList(old, listOf(item)))
}

// listOf is the JSON array [item].
func listOf(item json.RawMessage) json.RawMessage {
	return append(append([]byte{'['}, item...), ']')
}

// spliceList appends the items of the JSON array add to the JSON array
// old, keeping old's bytes, in the Python form (", " between items); a
// missing or non-array old gives add, as Flash starts such a queue
// afresh. blindScript's merge does the same in Lua.
func spliceList(old, add json.RawMessage) json.RawMessage {
	if len(old) < 2 || old[0] != '[' || old[len(old)-1] != ']' || len(bytes.TrimSpace(old[1:len(old)-1])) == 0 {
		return append(json.RawMessage(nil), add...)
	}
	out := append([]byte(nil), old[:len(old)-1]...)
	out = append(out, ", "...)
	return append(out, add[1:]...)
}
