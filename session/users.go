package session

import (
	"context"
	"fmt"
	"time"

	"github.com/sessconf/sessconf/internal/engine"
)

// UserSession is one live session of a user, as Manager.UserSessions
// lists it (for a "your devices" page).
type UserSession struct {
	// Handle tells the sessions of a list apart. It is a one-way hash of
	// the session id, so it is safe to show and cannot serve as a cookie.
	Handle string
	// Created is when the session was created; LastAccess when it was
	// last used (to within reissue_time, as the store knows it).
	Created, LastAccess time.Time
	// Meta is what SetUser recorded with the session.
	Meta map[string]string
}

// userStore is implemented by backends that keep sessions server-side
// and can find them by user (Redis).
type userStore interface {
	UserSessions(ctx context.Context, user string, now time.Time) ([]engine.UserSession, error)
	InvalidateUser(ctx context.Context, user string, keep *engine.Record, now time.Time) (int, error)
}

// SetUser binds the session to user, so that Manager.UserSessions lists
// it and Manager.InvalidateUser can end it. meta is small data the
// application wants to show in that list, such as the user agent (at
// most 16 entries, 1 KiB encoded). Call it at login, together with
// RenewID. The binding is stored in the session under the key
// "_sessconf_user"; Clear or Invalidate removes it. Cookie sessions
// return ErrUnsupported: without server state nothing can revoke them.
func (s *Session) SetUser(user string, meta map[string]string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.writable("SetUser"); err != nil {
		return err
	}
	if _, ok := s.m.backend.(userStore); !ok {
		return fmt.Errorf("session: SetUser: %w", ErrUnsupported)
	}
	s.load()
	if s.rec.ReadOnly {
		return fmt.Errorf("session: SetUser: %w", ErrReplaced)
	}
	raw, err := engine.UserBinding(user, meta)
	if err != nil {
		return fmt.Errorf("session: SetUser: %w", err)
	}
	return s.set(engine.UserKey, raw)
}

// UserSessions lists the live sessions bound to user (SetUser), most
// recently used first. Entries of sessions that expired or ended are
// dropped from the index on the way. Cookie backends return
// ErrUnsupported; an unreachable store, ErrUnavailable.
func (m *Manager) UserSessions(ctx context.Context, user string) ([]UserSession, error) {
	us, ok := m.backend.(userStore)
	if !ok {
		return nil, fmt.Errorf("session: UserSessions: %w", ErrUnsupported)
	}
	list, err := us.UserSessions(ctx, user, m.now())
	if err != nil {
		return nil, err
	}
	out := make([]UserSession, len(list))
	for i, s := range list {
		out[i] = UserSession{Handle: s.Handle, Created: fromSeconds(s.Created), LastAccess: fromSeconds(s.Accessed), Meta: s.Meta}
	}
	return out, nil
}

// InvalidateUser ends every session bound to user ("log out
// everywhere", after a password change), or every one but keep when
// keep is not nil ("log out my other devices": pass the current
// request's session). It returns how many sessions it ended. The
// sessions are ended as Invalidate ends one, so a request still in
// flight cannot save one back; a session bound while it runs survives.
// keep read through an id RenewID replaced gives ErrReplaced. Cookie
// backends return ErrUnsupported; an unreachable store, ErrUnavailable,
// possibly after ending some of the sessions (call it again).
func (m *Manager) InvalidateUser(ctx context.Context, user string, keep *Session) (int, error) {
	us, ok := m.backend.(userStore)
	if !ok {
		return 0, fmt.Errorf("session: InvalidateUser: %w", ErrUnsupported)
	}
	var rec *engine.Record
	if keep != nil {
		keep.mu.Lock()
		keep.load()
		r, err := keep.rec, keep.err
		keep.mu.Unlock()
		if err != nil {
			return 0, err
		}
		rec = r
		if r.ReadOnly {
			return 0, fmt.Errorf("session: InvalidateUser: %w", ErrReplaced)
		}
	}
	return us.InvalidateUser(ctx, user, rec, m.now())
}
