package engine

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// Every Redis load and save is bounded by the backend's timeout
// (write_timeout + read_timeout). A context.WithTimeout per operation
// starts a runtime timer per request, and adding one wakes an idle
// thread: measured, that was a tenth of a Redis session request's CPU.
// Operations instead share deadlines: all those starting within one
// deadlineSlot get one context that ends timeout after the slot ends.
// Each is then bounded by timeout plus at most deadlineSlot, and the
// process runs one timer per slot, not one per request.
const deadlineSlot = 10 * time.Millisecond

// deadlines hands out the shared deadline contexts. The zero value is
// not usable: set timeout.
type deadlines struct {
	timeout time.Duration
	cur     atomic.Pointer[deadlineSlotCtx]
	mu      sync.Mutex // serialises starting the next slot
}

type deadlineSlotCtx struct {
	end    time.Time       // operations starting before end share ctx
	ctx    context.Context // ends at end + timeout
	cancel context.CancelFunc
}

// shared returns the context an operation starting at now shares.
func (d *deadlines) shared(now time.Time) context.Context {
	if s := d.cur.Load(); s != nil && now.Before(s.end) {
		return s.ctx
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if s := d.cur.Load(); s != nil && now.Before(s.end) {
		return s.ctx
	}
	s := &deadlineSlotCtx{end: now.Add(deadlineSlot)}
	// The context ends by itself at its deadline; operations of the
	// slot may still be using it when the next slot starts, so cancel
	// is kept, never called early.
	s.ctx, s.cancel = context.WithDeadline(context.Background(), s.end.Add(d.timeout))
	d.cur.Store(s)
	return s.ctx
}

// within returns ctx (its values and cancellation) ended by the shared
// deadline as well, and the function that releases it. A save passes
// context.WithoutCancel of the request's context.
func (d *deadlines) within(ctx context.Context) (context.Context, func()) {
	shared := d.shared(time.Now())
	if ctx.Done() == nil {
		// Nothing cancels ctx: the shared context alone ends the operation.
		return withValues{Context: shared, values: ctx}, func() {}
	}
	deadline, _ := shared.Deadline()
	c, cancel := context.WithCancelCause(ctx)
	stop := context.AfterFunc(shared, func() { cancel(context.DeadlineExceeded) })
	return &boundedContext{Context: c, deadline: deadline}, func() {
		stop()
		cancel(context.Canceled)
	}
}

// boundedContext is a context that also ends at deadline (its Done is
// closed then, through the shared context's AfterFunc). Its Err is then
// DeadlineExceeded; a context derived from it reports Canceled, with
// DeadlineExceeded as its context.Cause.
type boundedContext struct {
	context.Context
	deadline time.Time
}

func (c *boundedContext) Deadline() (time.Time, bool) {
	if d, ok := c.Context.Deadline(); ok && d.Before(c.deadline) {
		return d, true
	}
	return c.deadline, true
}

func (c *boundedContext) Err() error {
	err := c.Context.Err()
	if err != nil && context.Cause(c.Context) == context.DeadlineExceeded {
		return context.DeadlineExceeded
	}
	return err
}

// withValues is a shared deadline context carrying an operation's values
// (a request's trace span, for instance).
type withValues struct {
	context.Context
	values context.Context
}

func (c withValues) Value(key any) any { return c.values.Value(key) }

// AfterFunc lets contexts derived from c (go-redis derives some while
// connecting) register with the shared context instead of each starting
// a goroutine to watch it: Value hides it from the context package.
func (c withValues) AfterFunc(f func()) func() bool { return context.AfterFunc(c.Context, f) }
