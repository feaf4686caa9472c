package http

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/ingest"
	"github.com/vigil-osint/vigil/ingest/casefile"
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

// TestWarm checks that Warm fills the cache under the very keys the map's
// first requests use: after it, a change made around the server does not
// show in those answers until the TTL passes.
func TestWarm(t *testing.T) {
	f := newFixture(t, func(s *Server) { s.CacheTTL = time.Hour })
	if err := f.srv.Warm(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(f.srv.summaries.m); n != 3*4 { // RED, AMBER and GREEN users; four groupings
		t.Errorf("%d summaries warmed, want 12", n)
	}
	before := f.get("/api/v1/event-summary?by=country", "green", nil).body
	fh, err := os.Open("testdata/green-case.json")
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	rd, err := casefile.NewReader(fh, "green-case.json", f.dict)
	if err != nil {
		t.Fatal(err)
	}
	if err := ingest.Run(ctx, f.store, &vigil.Batch{Format: "test", File: "green-case.json"}, rd, ingest.Options{}); err != nil {
		t.Fatal(err)
	}
	for _, by := range []string{"country", "admin1", "grid", "month"} {
		got := f.get("/api/v1/event-summary?by="+by, "green", nil).body
		fresh, err := f.store.SummarizeEvents(ctx, vigil.EventFilter{Clearance: vigil.TLPGreen}, vigil.EventGrouping(by))
		if err != nil {
			t.Fatal(err)
		}
		if b, _ := json.Marshal(fresh); strings.TrimSpace(got) == string(b) {
			t.Errorf("by %s: the answer is the store's new state, not the warmed one", by)
		}
	}
	if got := f.get("/api/v1/event-summary?by=country", "green", nil).body; got != before {
		t.Errorf("the warmed summary changed")
	}
}
