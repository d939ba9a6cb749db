package session

import (
	"context"
	"net/http"
	"time"

	"github.com/sessconf/sessconf/internal/engine"
)

// load asks the backend for r's session, then logs and reports what came
// of it. A store failure yields a working in-memory session and the
// error, which Err returns and the commit hands to the error handler
// (which logs it: once).
func (m *Manager) load(r *http.Request) (*engine.Record, error) {
	ctx := r.Context()
	now := m.now()
	var start time.Time
	var dur time.Duration
	if m.observer != nil { // reading the clock costs as much as a small allocation
		start = time.Now()
	}
	rec, err := m.backend.Load(ctx, r, now)
	if m.observer != nil {
		dur = time.Since(start)
	}
	e := Event{Start: start, Duration: dur, StoreCall: rec != nil && rec.Trips > 0}
	if err != nil {
		rec = engine.NewRecord(now)
		rec.Ephemeral = true
	}
	m.reportLoad(ctx, e, rec, err, now)
	return rec, err
}

// reportLoad logs and reports (as e) what came of loading rec (err: the
// store could not be reached): after Load, or after the save that
// checked the stored record of a write-only request.
func (m *Manager) reportLoad(ctx context.Context, e Event, rec *engine.Record, err error, now time.Time) {
	e.Op, e.Backend = "load", m.backend.Name()
	switch {
	case err != nil:
		e.Outcome, e.Err, e.StoreCall = "error", err, true
	case rec.Reason != nil:
		e.Outcome, e.Reason = "rejected", engine.ReasonName(rec.Reason)
		m.logger.DebugContext(ctx, "session cookie not used", "reason", e.Reason, "backend", e.Backend, "detail", rec.Reason.Error())
	case rec.New:
		e.Outcome = "new"
	default:
		e.Outcome = "existing"
	}
	m.rejections.record(ctx, m.logger, e.Outcome, e.Reason, now)
	m.observe(ctx, e)
}

// save commits rec into h and reports what it did.
func (m *Manager) save(ctx context.Context, h http.Header, rec *engine.Record) error {
	rec.Trips, rec.Size = 0, 0
	now := m.now()
	if m.observer == nil {
		err := m.backend.Save(ctx, h, rec, now)
		if rec.Checked {
			m.reportLoad(ctx, Event{}, rec, nil, now)
		}
		return err
	}
	start := time.Now()
	err := m.backend.Save(ctx, h, rec, now)
	dur := time.Since(start)
	if rec.Checked {
		// A write-only request's load happened inside the save's round
		// trip, which the save's event reports.
		m.reportLoad(ctx, Event{Start: start}, rec, nil, now)
	}
	if err == nil && rec.Trips == 0 && rec.Size == 0 {
		return nil // nothing was written
	}
	e := Event{Op: "save", Outcome: "ok", Backend: m.backend.Name(), Start: start, Duration: dur, StoreCall: rec.Trips > 0, Size: rec.Size}
	switch {
	case rec.Invalidated:
		e.Op = "invalidate"
	case rec.RenewID:
		e.Op = "renew"
	}
	if err != nil {
		e.Outcome, e.Err, e.Size = "error", err, 0
	}
	m.observe(ctx, e)
	return err
}

func (m *Manager) observe(ctx context.Context, e Event) {
	if m.observer != nil {
		m.observer.Observe(ctx, e)
	}
}
