package engine

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/sessconf/sessconf/settings"
)

// MaxClockSkew is how far in the future a stored session's times may lie.
// Beyond it the session is refused (ErrFuture): a validly sealed cookie
// with a future access time would otherwise never idle out, and a future
// creation time would disable absolute_timeout.
const MaxClockSkew = 5 * time.Minute

// MaxAgeKey is the session key where Session.SetMaxAge keeps a session's
// own lifetime in whole seconds. It travels with the data, so a Pyramid
// app sharing the cookie sees it as an ordinary key.
const MaxAgeKey = ReservedPrefix + "max_age"

// ReservedPrefix starts the session keys sessconf manages itself (the
// user binding, the own lifetime); Session.Set and friends refuse them.
const ReservedPrefix = "_sessconf_"

// Lifetime is the one place that decides when a stored session is still
// usable and when a read re-issues it, for every backend.
type Lifetime struct {
	Timeout  settings.Duration // idle timeout
	Absolute settings.Duration // absolute_timeout, from creation
	Reissue  settings.Duration // reissue_time
}

// LifetimeOf returns the lifetime rules of opts.
func LifetimeOf(opts settings.Options) Lifetime {
	return Lifetime{Timeout: opts.Timeout, Absolute: opts.AbsoluteTimeout, Reissue: opts.ReissueTime}
}

// Check judges a stored session's creation and last access times (Unix
// seconds) at now: nil, ErrFuture, ErrLifetime or ErrExpired. st, when
// not nil, may carry a per-session lifetime (MaxAgeKey) that lengthens
// the idle timeout.
func (l Lifetime) Check(created, accessed, now float64, st *State) error {
	skew := MaxClockSkew.Seconds()
	if created > now+skew || accessed > now+skew {
		return ErrFuture
	}
	if created < 0 || accessed < 0 {
		// Before 1970: no session writes that, and a creation time far
		// in the past would turn every "signed in for more than N hours"
		// check upside down.
		return fmt.Errorf("%w: times before 1970 (created %v, accessed %v)", ErrPayload, created, accessed)
	}
	if !l.Absolute.None && now-created > float64(l.Absolute.Seconds()) {
		return ErrLifetime
	}
	if t, ok := l.IdleTimeout(st); ok && now-accessed > t.Seconds() {
		return ErrExpired
	}
	return nil
}

// IdleTimeout is the idle timeout of a session with state st: the
// configured one, or the session's own lifetime when that is longer. ok
// is false when sessions never idle out.
func (l Lifetime) IdleTimeout(st *State) (time.Duration, bool) {
	own, hasOwn := SessionMaxAge(st)
	if l.Timeout.None {
		return 0, false
	}
	if hasOwn && own > l.Timeout.Value {
		return own, true
	}
	return l.Timeout.Value, true
}

// Reissues reports whether a read at now (whole seconds) re-issues a
// session last issued at renewed.
func (l Lifetime) Reissues(now, renewed float64) bool {
	return !l.Reissue.None && now-renewed > float64(l.Reissue.Seconds())
}

// SessionMaxAge returns the per-session lifetime SetMaxAge stored in st.
func SessionMaxAge(st *State) (time.Duration, bool) {
	if st == nil {
		return 0, false
	}
	raw, ok := st.Get(MaxAgeKey)
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(string(raw), 10, 64)
	if err != nil || n <= 0 || n > int64(maxSessionMaxAge/time.Second) {
		return 0, false
	}
	return time.Duration(n) * time.Second, true
}

// maxSessionMaxAge bounds a per-session lifetime (400 days, the longest
// Max-Age browsers honour).
const maxSessionMaxAge = 400 * 24 * time.Hour

// SetSessionMaxAge stores d as st's own lifetime (0 removes it).
func SetSessionMaxAge(st *State, d time.Duration) {
	if d <= 0 {
		st.Delete(MaxAgeKey)
		return
	}
	d = min(d, maxSessionMaxAge)
	st.Set(MaxAgeKey, json.RawMessage(strconv.FormatInt(int64(d/time.Second), 10)))
}
