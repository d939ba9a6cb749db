package session

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// rejectionMonitor notices when many presented cookies fail
// authentication, the mark of a secret rotated without secret_fallbacks
// (every user is logged out). Each refusal is only a debug line; this
// sums them up in at most one warning a minute.
type rejectionMonitor struct {
	mu          sync.Mutex
	windowStart time.Time
	presented   int // cookies presented in the window
	badAuth     int // of which failed authentication
	lastWarn    time.Time
}

const (
	rejectionWindow   = time.Minute
	rejectionMinCount = 20
)

// record counts one load of the given Event.Outcome and Reason.
func (mon *rejectionMonitor) record(ctx context.Context, logger *slog.Logger, outcome, reason string, now time.Time) {
	if outcome != "existing" && outcome != "rejected" {
		return // no cookie was presented, or the store failed
	}
	mon.mu.Lock()
	if now.Sub(mon.windowStart) >= rejectionWindow || now.Before(mon.windowStart) {
		mon.windowStart, mon.presented, mon.badAuth = now, 0, 0
	}
	mon.presented++
	if reason == "bad_signature" {
		mon.badAuth++
	}
	warn := mon.presented >= rejectionMinCount && 2*mon.badAuth >= mon.presented &&
		(mon.lastWarn.IsZero() || now.Sub(mon.lastWarn) >= rejectionWindow)
	presented, bad := mon.presented, mon.badAuth
	if warn {
		mon.lastWarn = now
	}
	mon.mu.Unlock()
	if warn {
		logger.WarnContext(ctx, "many session cookies fail authentication: was the secret changed without listing the old one in secret_fallbacks? Those users are logged out",
			"rejected", bad, "presented", presented, "window", rejectionWindow.String())
	}
}
