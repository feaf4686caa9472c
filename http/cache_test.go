package http

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestCacheStaleWhileRevalidate checks that concurrent first readers share
// one computation, that a stale value is served while it is computed
// afresh, and that clear forgets everything.
func TestCacheStaleWhileRevalidate(t *testing.T) {
	c := newCache[int64](50 * time.Millisecond)
	var calls atomic.Int64
	compute := func(context.Context) (int64, error) {
		time.Sleep(10 * time.Millisecond)
		return calls.Add(1), nil
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if v, _ := c.get(ctx, "k", compute); v != 1 {
				t.Errorf("first readers got %d, want 1", v)
			}
		}()
	}
	wg.Wait()
	if calls.Load() != 1 {
		t.Fatalf("%d computations for 8 concurrent first readers, want 1", calls.Load())
	}
	time.Sleep(60 * time.Millisecond)
	if v, _ := c.get(ctx, "k", compute); v != 1 {
		t.Errorf("a stale read got %d, want the stale 1 at once", v)
	}
	deadline := time.Now().Add(2 * time.Second)
	for v, _ := c.get(ctx, "k", compute); v != 2; v, _ = c.get(ctx, "k", compute) {
		if time.Now().After(deadline) {
			t.Fatal("the stale value was never refreshed")
		}
		time.Sleep(5 * time.Millisecond)
	}
	c.clear()
	if v, _ := c.get(ctx, "k", compute); v != 3 {
		t.Errorf("after clear got %d, want a fresh 3", v)
	}
}
