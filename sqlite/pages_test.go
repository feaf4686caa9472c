package sqlite

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vigil-osint/vigil"
)

// pagedStore is the real UCDP sample (one report an event, stored without
// fused data) with a second report, marked AMBER, for every fifth event (so
// stored with its fused JSON), and how many events it holds.
func pagedStore(t *testing.T) (*Store, int) {
	t.Helper()
	s, items := sampleStore(t)
	var more []vigil.Item
	for i := 0; i < len(items); i += 5 {
		it := items[i]
		it.Document.Key += "/second"
		it.Document.Marking = vigil.TLPAmber
		it.Document.ContentHash += "/second"
		it.Reports = slices.Clone(it.Reports)
		for j := range it.Reports {
			it.Reports[j].Key += "/second"
			it.Reports[j].Killed = vigil.Range{Low: vigil.N(1), Best: vigil.N(2), High: vigil.N(90)}
		}
		more = append(more, it)
	}
	ingestAll(t, s, more)
	n, err := s.CountEvents(context.Background(), vigil.EventFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return s, n
}

// eventsJSON is events as JSON, one line each: what an export writes of
// them.
func eventsJSON(t *testing.T, evs []*vigil.Event) []string {
	t.Helper()
	out := make([]string, len(evs))
	for i, e := range evs {
		b, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = string(b)
	}
	return out
}

// watchedPager is the store as EventPages reads it, with reads of pages
// that finish out of order (those of every third page wait), counted while
// they run.
type watchedPager struct {
	*Store
	active, most atomic.Int32
	// fail, when set, is the error of the read of that page (from 1).
	fail int32
	// pages numbers the pages by the first id of each, in the order
	// their keys are read (one after another).
	pages sync.Map
	keys  atomic.Int32
}

var errRead = errors.New("read failed")

func (p *watchedPager) FindEventPageKeys(ctx context.Context, f vigil.EventFilter, order vigil.EventOrder) ([]int64, *vigil.EventCursor, error) {
	ids, after, err := p.Store.FindEventPageKeys(ctx, f, order)
	if len(ids) > 0 {
		p.pages.Store(ids[0], p.keys.Add(1))
	}
	return ids, after, err
}

func (p *watchedPager) FindEventsByID(ctx context.Context, ids []int64) ([]*vigil.Event, error) {
	a := p.active.Add(1)
	defer p.active.Add(-1)
	for m := p.most.Load(); a > m && !p.most.CompareAndSwap(m, a); m = p.most.Load() {
	}
	var n int32
	if len(ids) > 0 {
		v, _ := p.pages.Load(ids[0])
		n = v.(int32)
	}
	if n%3 == 1 {
		time.Sleep(5 * time.Millisecond)
	}
	if p.fail != 0 && n == p.fail {
		return nil, errRead
	}
	return p.Store.FindEventsByID(ctx, ids)
}

// TestEventPagesReadAhead checks that EventPages, which reads several
// pages at once from a store that reads a page's keys alone
// (vigil.EventKeyPager), gives every event that one read of them all
// gives, once, in date order and the same to the byte: for filters, a
// clearance and page sizes that make from one to hundreds of pages, with
// reads that finish out of order. A lost, doubled or reordered event or
// page fails it.
func TestEventPagesReadAhead(t *testing.T) {
	ctx := context.Background()
	s, total := pagedStore(t)
	var _ vigil.EventKeyPager = &watchedPager{}
	filters := []vigil.EventFilter{
		{},
		{Clearance: vigil.TLPGreen},
		{Countries: []string{"AF"}},
		{Actor: "ISKP"},
		{From: vigil.MustDate("2018-01-01"), To: vigil.MustDate("2019-12-31"), Clearance: vigil.TLPClear},
	}
	for _, f := range filters {
		all := f
		all.Limit = 0
		want, err := s.FindEventPage(ctx, all, vigil.OrderDate)
		if err != nil {
			t.Fatal(err)
		}
		if f.Actor == "" && f.Countries == nil && f.From.IsZero() && len(want) < 200 {
			t.Fatalf("%s: %d events of %d, want more to page through", f.Describe(time.Time{}), len(want), total)
		}
		wantJSON := eventsJSON(t, want)
		for _, page := range []int{1, 7, 50, len(want), len(want) + 1} {
			if page == 0 {
				continue
			}
			p := &watchedPager{Store: s}
			var got []*vigil.Event
			pages := 0
			err := vigil.EventPages(ctx, p, f, page, func(evs []*vigil.Event) error {
				if len(evs) > page {
					return fmt.Errorf("a page of %d events, want at most %d", len(evs), page)
				}
				pages++
				got = append(got, evs...)
				return nil
			})
			name := fmt.Sprintf("%s, pages of %d", f.Describe(time.Time{}), page)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if !slices.Equal(eventsJSON(t, got), wantJSON) {
				t.Errorf("%s: %d events (ids %v…), want the %d of one read (ids %v…)", name, len(got), firstIDs(got), len(want), firstIDs(want))
			}
			if want := len(want)/page + 1; pages != want {
				t.Errorf("%s: %d pages, want %d", name, pages, want)
			}
			if a := p.active.Load(); a != 0 {
				t.Errorf("%s: %d reads still running after EventPages returned", name, a)
			}
			if m := p.most.Load(); m > 5 || (pages > 4 && m < 2) {
				t.Errorf("%s: at most %d pages read at once, want 2 to 5", name, m)
			}
		}
	}
}

func firstIDs(evs []*vigil.Event) []int64 {
	var ids []int64
	for _, e := range evs[:min(len(evs), 8)] {
		ids = append(ids, e.ID)
	}
	return ids
}

// TestEventPagesReadAheadStops checks that EventPages over pages read
// ahead stops at the first failure, of fn or of a read, returns it, calls
// fn no more after it, and leaves no read running.
func TestEventPagesReadAheadStops(t *testing.T) {
	ctx := context.Background()
	s, _ := pagedStore(t)
	stop := errors.New("stop")
	for _, c := range []struct {
		name      string
		failRead  int32
		failCall  int
		want      error
		wantCalls int
	}{
		{"fn fails on the first page", 0, 1, stop, 1},
		{"fn fails on the third page", 0, 3, stop, 3},
		{"the third page's read fails", 3, 0, errRead, 2},
	} {
		p := &watchedPager{Store: s, fail: c.failRead}
		calls := 0
		err := vigil.EventPages(ctx, p, vigil.EventFilter{}, 10, func([]*vigil.Event) error {
			calls++
			if calls == c.failCall {
				return stop
			}
			return nil
		})
		if !errors.Is(err, c.want) || calls != c.wantCalls {
			t.Errorf("%s: %v after %d calls, want %v after %d", c.name, err, calls, c.want, c.wantCalls)
		}
		if a := p.active.Load(); a != 0 {
			t.Errorf("%s: %d reads still running after EventPages returned", c.name, a)
		}
	}
	// A cancelled context stops it too.
	cctx, cancel := context.WithCancel(ctx)
	calls := 0
	err := vigil.EventPages(cctx, &watchedPager{Store: s}, vigil.EventFilter{}, 10, func([]*vigil.Event) error {
		if calls++; calls == 2 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) || calls > 5 {
		t.Errorf("cancelled after the second page: %v after %d calls, want context.Canceled soon", err, calls)
	}
}
