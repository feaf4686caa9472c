package http

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"github.com/vigil-osint/vigil"
)

// ttlCache remembers values for a short time. Keys always hold the
// reader's clearance, so that nothing cached for one clearance is served to
// another. Changes made through this server clear it; changes made around
// it (a CLI import into the same file) show within the TTL.
type ttlCache[V any] struct {
	mu  sync.Mutex
	ttl time.Duration
	// max bounds the entries; past it, the cache starts afresh.
	max int
	m   map[string]cached[V]
	// busy holds a lock per key being computed, so that many readers
	// asking at once wait for one computation instead of all running it.
	busy map[string]*sync.Mutex
}

type cached[V any] struct {
	v  V
	at time.Time
}

// maxCached bounds a cache; past it, the cache starts afresh.
const maxCached = 1000

func newCache[V any](ttl time.Duration) *ttlCache[V] {
	return newCacheOf[V](ttl, maxCached)
}

// newCacheOf returns a cache of at most max entries, for large values.
func newCacheOf[V any](ttl time.Duration, max int) *ttlCache[V] {
	return &ttlCache[V]{ttl: ttl, max: max, m: map[string]cached[V]{}, busy: map[string]*sync.Mutex{}}
}

// get returns the value for key. A missing value is computed while the
// caller waits (one computation per key however many wait); a value older
// than the TTL is returned as it is while one goroutine computes it afresh,
// so that a slow count (seconds on a million events) holds up only the
// first reader.
func (c *ttlCache[V]) get(ctx context.Context, key string, compute func(context.Context) (V, error)) (V, error) {
	if c.ttl <= 0 {
		return compute(ctx)
	}
	c.mu.Lock()
	e, ok := c.m[key]
	kl := c.busy[key]
	if kl == nil {
		kl = new(sync.Mutex)
		c.busy[key] = kl
	}
	c.mu.Unlock()
	switch {
	case ok && time.Since(e.at) < c.ttl:
		return e.v, nil
	case ok:
		if kl.TryLock() {
			go func() {
				defer kl.Unlock()
				c.compute(context.WithoutCancel(ctx), key, compute)
			}()
		}
		return e.v, nil
	}
	kl.Lock()
	defer kl.Unlock()
	c.mu.Lock()
	e, ok = c.m[key]
	c.mu.Unlock()
	if ok { // computed while we waited
		return e.v, nil
	}
	return c.compute(ctx, key, compute)
}

// compute computes and keeps the value of key.
func (c *ttlCache[V]) compute(ctx context.Context, key string, compute func(context.Context) (V, error)) (V, error) {
	now := time.Now()
	v, err := compute(ctx)
	if err != nil {
		return v, err
	}
	c.mu.Lock()
	if len(c.m) >= c.max {
		clear(c.m)
		if len(c.busy) >= maxCached {
			c.busy = map[string]*sync.Mutex{}
		}
	}
	c.m[key] = cached[V]{v, now}
	c.mu.Unlock()
	return v, nil
}

func (c *ttlCache[V]) clear() {
	c.mu.Lock()
	clear(c.m)
	if len(c.busy) >= maxCached {
		c.busy = map[string]*sync.Mutex{}
	}
	c.mu.Unlock()
}

// countEvents returns how many events f selects, from the cache when it
// was counted within the TTL: on a large store the count is the slowest
// part of a page, and the same for every page of a list.
func (s *Server) countEvents(r requestContext, f vigil.EventFilter) (int, error) {
	f.Limit, f.Offset, f.After = 0, 0, nil
	key, err := json.Marshal(f)
	if err != nil {
		return 0, err
	}
	return s.counts.get(r.Context(), string(key), func(ctx context.Context) (int, error) { return s.Browse.CountEvents(ctx, f) })
}

// sourceStats returns the source statistics for a clearance, from the
// cache when made within the TTL.
func (s *Server) sourceStats(r requestContext, clearance vigil.TLP) ([]vigil.SourceStats, error) {
	return s.stats.get(r.Context(), string(clearance), func(ctx context.Context) ([]vigil.SourceStats, error) {
		return s.Browse.FindSourceStats(ctx, clearance)
	})
}

// invalidate forgets every cached count after a change.
func (s *Server) invalidate() {
	s.counts.clear()
	s.stats.clear()
	s.summaries.clear()
	s.indicators.clear()
}

// requestContext is what the cached reads need of a request.
type requestContext interface{ Context() context.Context }

// Warm computes what a first visit to the web UI asks of a large store —
// the map's summaries of all events (by country, admin-1, grid cell and
// month) and the source statistics — for each clearance an enabled user
// holds, so that the first reader does not wait for them (seconds each at
// a million events). Past the TTL they are served stale while one
// goroutine computes them afresh. serve runs it in the background.
func (s *Server) Warm(ctx context.Context) error {
	s.Handler()
	us, err := s.Users.FindUsers(ctx)
	if err != nil {
		return err
	}
	seen := map[vigil.TLP]bool{}
	for _, u := range us {
		if u.Disabled || seen[u.Clearance] {
			continue
		}
		seen[u.Clearance] = true
		for _, by := range []vigil.EventGrouping{vigil.ByCountry, vigil.ByAdmin1, vigil.ByGrid, vigil.ByMonth} {
			if _, err := s.summary(ctx, vigil.EventFilter{Clearance: u.Clearance}, by); err != nil {
				return err
			}
		}
		if _, err := s.sourceStats(requestCtx{ctx}, u.Clearance); err != nil {
			return err
		}
	}
	return nil
}
