package session

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"
)

// rejectionMonitor notices when many presented cookies fail
// authentication, the mark of a secret rotated without secret_fallbacks
// (every user is logged out). Each refusal is only a debug line; this
// sums them up in at most one warning a minute. It takes no lock: every
// load with a cookie passes through it, and approximate counts at a
// window's edge are good enough for a warning.
type rejectionMonitor struct {
	windowStart atomic.Int64 // Unix seconds
	presented   atomic.Int64 // cookies presented in the window
	badAuth     atomic.Int64 // of which failed authentication
	lastWarn    atomic.Int64 // Unix seconds; 0: never
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
	sec, window := now.Unix(), int64(rejectionWindow/time.Second)
	if start := mon.windowStart.Load(); sec-start >= window || sec < start {
		if mon.windowStart.CompareAndSwap(start, sec) {
			mon.presented.Store(0)
			mon.badAuth.Store(0)
		}
	}
	presented, bad := mon.presented.Add(1), mon.badAuth.Load()
	if reason == "bad_signature" {
		bad = mon.badAuth.Add(1)
	}
	if presented < rejectionMinCount || 2*bad < presented {
		return
	}
	last := mon.lastWarn.Load()
	if last != 0 && sec-last < window || !mon.lastWarn.CompareAndSwap(last, sec) {
		return
	}
	logger.WarnContext(ctx, "many session cookies fail authentication: was the secret changed without listing the old one in secret_fallbacks? Those users are logged out",
		"rejected", bad, "presented", presented, "window", rejectionWindow.String())
}
