package engine

import (
	"context"
	"errors"
	"runtime"
	"testing"
	"time"
)

type ctxKey struct{}

// Operations starting within one slot share a context (one timer); the
// next slot gets its own, and each ends timeout after its slot.
func TestDeadlinesAreSharedWithinASlot(t *testing.T) {
	d := &deadlines{timeout: time.Hour}
	start := time.Now()
	a := d.shared(start)
	if b := d.shared(start.Add(deadlineSlot / 2)); b != a {
		t.Error("two operations in one slot got different contexts")
	}
	c := d.shared(start.Add(deadlineSlot))
	if c == a {
		t.Error("an operation of the next slot got the previous slot's context")
	}
	for _, tc := range []struct {
		ctx  context.Context
		want time.Time
	}{{a, start.Add(deadlineSlot + time.Hour)}, {c, start.Add(2*deadlineSlot + time.Hour)}} {
		if got, ok := tc.ctx.Deadline(); !ok || !got.Equal(tc.want) {
			t.Errorf("deadline %v, %v; want %v", got, ok, tc.want)
		}
	}
}

// Whether or not the caller's context can be cancelled, the operation's
// context keeps its values and ends by timeout plus at most one slot,
// with DeadlineExceeded.
func TestWithinEndsAtTheSharedDeadline(t *testing.T) {
	const timeout = 20 * time.Millisecond
	cancellable, cancel := context.WithCancel(context.WithValue(context.Background(), ctxKey{}, "span"))
	defer cancel()
	for name, parent := range map[string]context.Context{
		"detached":    context.WithoutCancel(cancellable),
		"cancellable": cancellable,
	} {
		t.Run(name, func(t *testing.T) {
			d := &deadlines{timeout: timeout}
			before := time.Now()
			ctx, release := d.within(parent)
			defer release()
			if v := ctx.Value(ctxKey{}); v != "span" {
				t.Errorf("value %v, want the caller's", v)
			}
			dl, ok := ctx.Deadline()
			if !ok || dl.Before(before.Add(timeout)) || dl.After(time.Now().Add(timeout+deadlineSlot)) {
				t.Errorf("deadline %v after the start, want between %v and %v", dl.Sub(before), timeout, timeout+deadlineSlot)
			}
			select {
			case <-ctx.Done():
			case <-time.After(10 * time.Second):
				t.Fatal("the context did not end at its deadline")
			}
			if err := ctx.Err(); !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("Err = %v, want DeadlineExceeded", err)
			}
		})
	}
}

// A cancellable caller (a load: the request) still cancels the
// operation, and its own earlier deadline is the operation's.
func TestWithinKeepsTheCallersCancellationAndEarlierDeadline(t *testing.T) {
	d := &deadlines{timeout: time.Hour}
	parent, cancel := context.WithCancel(context.Background())
	ctx, release := d.within(parent)
	defer release()
	cancel()
	select {
	case <-ctx.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("cancelling the caller did not end the operation")
	}
	if err := ctx.Err(); !errors.Is(err, context.Canceled) {
		t.Errorf("Err = %v, want Canceled", err)
	}

	early := time.Now().Add(time.Minute)
	parent, cancel = context.WithDeadline(context.Background(), early)
	defer cancel()
	ctx, release = d.within(parent)
	defer release()
	if got, _ := ctx.Deadline(); !got.Equal(early) {
		t.Errorf("deadline %v, want the caller's earlier %v", got, early)
	}
}

// release ends the operation's context and detaches it from the shared
// one: operations that come and go within a long timeout leave nothing
// registered behind (a registration left per operation would hold its
// contexts until the shared deadline, here an hour away).
func TestReleaseEndsTheOperation(t *testing.T) {
	d := &deadlines{timeout: time.Hour}
	parent, cancel := context.WithCancel(context.Background())
	defer cancel()
	ctx, release := d.within(parent)
	release()
	if err := ctx.Err(); !errors.Is(err, context.Canceled) {
		t.Errorf("after release Err = %v, want Canceled", err)
	}

	const ops = 100_000
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	before := heap()
	for range ops {
		_, release := d.within(parent)
		release()
	}
	// Each registration left behind would hold ~200 bytes (~20 MB here).
	if grown := int64(heap()) - int64(before); grown > 4<<20 {
		t.Errorf("%d released operations left %d bytes behind", ops, grown)
	}
}

// Contexts derived from a detached operation's context (go-redis derives
// some while connecting) end with it, and watching it starts no goroutine.
func TestContextsDerivedFromADetachedOperation(t *testing.T) {
	d := &deadlines{timeout: 20 * time.Millisecond}
	ctx, release := d.within(context.WithoutCancel(context.Background()))
	defer release()
	before := runtime.NumGoroutine()
	children := make([]context.Context, 100)
	for i := range children {
		var cancel context.CancelFunc
		children[i], cancel = context.WithCancel(ctx)
		defer cancel()
	}
	if n := runtime.NumGoroutine() - before; n > 10 {
		t.Errorf("100 derived contexts started %d goroutines", n)
	}
	for _, c := range children {
		select {
		case <-c.Done():
		case <-time.After(10 * time.Second):
			t.Fatal("a derived context outlived the shared deadline")
		}
	}
}
