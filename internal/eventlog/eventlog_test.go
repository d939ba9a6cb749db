package eventlog

import (
	"context"
	"slices"
	"sync"
	"testing"
)

func TestTakeReturnsEventsInOrderAndForgetsThem(t *testing.T) {
	var l Log[string]
	ctx := context.Background()
	l.Observe(ctx, "load")
	l.Observe(ctx, "save")
	if got := l.Take(); !slices.Equal(got, []string{"load", "save"}) {
		t.Fatalf("Take = %q, want [load save]", got)
	}
	if got := l.Take(); len(got) != 0 {
		t.Fatalf("second Take = %q, want nothing", got)
	}
}

func TestConcurrentObserversLoseNothing(t *testing.T) {
	var l Log[int]
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 100 {
				l.Observe(context.Background(), i*100+j)
			}
		})
	}
	wg.Wait()
	if got := len(l.Take()); got != 800 {
		t.Fatalf("%d events recorded, want 800", got)
	}
}
