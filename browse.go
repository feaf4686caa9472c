package vigil

import (
	"context"
	"runtime"
	"sync"
	"time"
)

// BrowseService holds the read paths that a multi-user server needs beyond
// the Store: every method takes a clearance and counts and returns only
// what it allows, so that no total, count or list lets a reader learn of
// material marked above their clearance.
type BrowseService interface {
	EventPager
	// FindEventsByID returns the events with the given ids, in that
	// order; unknown ids are left out. Callers filter by clearance.
	FindEventsByID(ctx context.Context, ids []int64) ([]*Event, error)
	// CountEvents returns how many events f selects, ignoring Limit and
	// Offset.
	CountEvents(ctx context.Context, f EventFilter) (int, error)
	// FindDocuments returns the documents that match the filter, without
	// their text, and how many match in all.
	FindDocuments(ctx context.Context, f DocumentFilter) ([]*Document, int, error)
	// FindSourceStats returns, for every source, how many documents and
	// events the clearance allows. Sources with documents but none allowed
	// are left out; sources with no documents at all are kept.
	FindSourceStats(ctx context.Context, clearance TLP) ([]SourceStats, error)
	// FindBatchMarkings returns, for each batch, the most restricted
	// marking among the documents it brought or updated; a batch that
	// brought none is marked RED, since what it held is unknown.
	FindBatchMarkings(ctx context.Context) (map[int64]TLP, error)
	// SummarizeEvents counts the events that f selects (ignoring Limit and
	// Offset) and sums their killed, in buckets by country, admin-1 unit,
	// month, year or map grid cell, for maps and timelines. EINVALID for
	// an unknown grouping.
	SummarizeEvents(ctx context.Context, f EventFilter, by EventGrouping) ([]EventBucket, error)
	// FindDocumentMarkings returns the markings of the documents with the
	// given ids; unknown ids are left out.
	FindDocumentMarkings(ctx context.Context, ids []int64) (map[int64]TLP, error)
}

// EventPages calls fn with every event f selects, in date order, page
// events at a time (f's Limit, Offset and After are ignored). Each page
// starts after the last event of the one before (keyset pagination), so
// that the thousandth page costs what the first does, where an offset
// would read every event before it again, and events stored meanwhile do
// not shift an event into two pages or out of all of them.
//
// The next pages are read while fn takes this one: from an EventKeyPager
// several at once (see EventKeyPager), else one.
func EventPages(ctx context.Context, b EventPager, f EventFilter, page int, fn func([]*Event) error) error {
	f.Limit, f.Offset, f.After = page, 0, nil
	if kb, ok := b.(EventKeyPager); ok && page > 0 {
		return keyPages(ctx, kb, f, page, fn)
	}
	type result struct {
		evs []*Event
		err error
	}
	evs, err := b.FindEventPage(ctx, f, OrderDate)
	for {
		if err != nil {
			return err
		}
		// The next page is read while fn takes this one.
		var next chan result
		if len(evs) == page {
			f.After = CursorAfter(evs[len(evs)-1])
			next = make(chan result, 1)
			go func(f EventFilter) {
				evs, err := b.FindEventPage(ctx, f, OrderDate)
				next <- result{evs, err}
			}(f)
		}
		ferr := fn(evs)
		if next == nil {
			return ferr
		}
		r := <-next // even when fn failed: no read outlives the call
		if ferr != nil {
			return ferr
		}
		evs, err = r.evs, r.err
	}
}

// EventKeyPager is an EventPager that also reads the keys of a page alone
// and the events of given ids, so that EventPages can read several pages
// at once: the keys of one page after another, which costs little (an
// index), and the events of each page, which costs most, side by side
// (each on a connection of its own, where the store has a pool).
type EventKeyPager interface {
	EventPager
	// FindEventPageKeys returns the ids of the events of the page that
	// FindEventPage returns for f and order, in that order, and the cursor
	// after the last of them (nil when there are none).
	FindEventPageKeys(ctx context.Context, f EventFilter, order EventOrder) ([]int64, *EventCursor, error)
	// FindEventsByID returns the events with the given ids, in that
	// order; unknown ids (events removed since) are left out.
	FindEventsByID(ctx context.Context, ids []int64) ([]*Event, error)
}

// pagesAhead is how many pages EventPages reads from an EventKeyPager
// while fn takes one: one a processor, at least two, at most four, so
// that at most five pages are held at once.
func pagesAhead() int { return min(max(runtime.GOMAXPROCS(0), 2), 4) }

// keyPages is EventPages over an EventKeyPager: one goroutine reads the
// keys of each page in turn and starts reading its events, while fn takes
// the pages, in order, as they are read; at most pagesAhead pages are
// read or waiting at once.
func keyPages(ctx context.Context, b EventKeyPager, f EventFilter, page int, fn func([]*Event) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type result struct {
		evs []*Event
		err error
	}
	// pages holds each page's result, in page order; its capacity bounds
	// the pages read ahead.
	pages := make(chan chan result, pagesAhead()-1)
	var wg sync.WaitGroup
	var stopped error // why the keys stopped early: the context's error
	wg.Go(func() {
		defer close(pages)
		for {
			ids, after, err := b.FindEventPageKeys(ctx, f, OrderDate)
			r := make(chan result, 1)
			if err != nil {
				r <- result{err: err}
			} else {
				wg.Go(func() {
					evs, err := b.FindEventsByID(ctx, ids)
					r <- result{evs, err}
				})
			}
			select {
			case pages <- r:
			case <-ctx.Done():
				stopped = ctx.Err()
				return
			}
			if err != nil || len(ids) < page || after == nil {
				return
			}
			f.After = after
		}
	})
	var err error
	for r := range pages {
		res := <-r
		if err = res.err; err == nil {
			err = fn(res.evs)
		}
		if err != nil {
			break
		}
	}
	// No read outlives the call, even when fn or a read failed.
	cancel()
	for range pages {
	}
	wg.Wait()
	if err == nil {
		err = stopped
	}
	return err
}

// EventPager reads events a page at a time.
type EventPager interface {
	// FindEventPage returns the page of events that f selects (Limit and
	// Offset, or After) in the given order. EINVALID for an unknown order.
	FindEventPage(ctx context.Context, f EventFilter, order EventOrder) ([]*Event, error)
}

// EventOrder orders an event list: a field, and a leading '-' for
// descending order.
type EventOrder string

// The event orders.
const (
	OrderDate         EventOrder = "date" // by start date, then id (the default)
	OrderDateDesc     EventOrder = "-date"
	OrderKilled       EventOrder = "killed" // by best estimate of killed
	OrderKilledDesc   EventOrder = "-killed"
	OrderUpdated      EventOrder = "updated"
	OrderUpdatedDesc  EventOrder = "-updated"
	OrderCountry      EventOrder = "country"
	OrderCountryDesc  EventOrder = "-country"
	OrderIDAscending  EventOrder = "id"
	OrderIDDescending EventOrder = "-id"
)

// EventCursor is a position in an event list: the values of the last
// event of a page that the next page starts after.
type EventCursor struct {
	DateStart Date   `json:"date_start"`
	Country   string `json:"country,omitempty"`
	ID        int64  `json:"id"`
	// Killed is the best estimate of killed, UpdatedAt when the event last
	// changed: the orders by killed and by updated start after them.
	Killed    Num       `json:"killed"`
	UpdatedAt time.Time `json:"updated_at"`
}

// CursorAfter returns the cursor that starts a page after e, in any order.
func CursorAfter(e *Event) *EventCursor {
	return &EventCursor{DateStart: e.DateStart, Country: e.Country, ID: e.ID, Killed: e.Killed.Best, UpdatedAt: e.UpdatedAt}
}

// EventOrders lists the orders.
var EventOrders = []EventOrder{OrderDate, OrderDateDesc, OrderKilled, OrderKilledDesc, OrderUpdated, OrderUpdatedDesc,
	OrderCountry, OrderCountryDesc, OrderIDAscending, OrderIDDescending}

// Valid reports whether o is a known order ("" is the default).
func (o EventOrder) Valid() bool { return o == "" || contains(EventOrders, o) }

// DocumentFilter selects documents. Zero fields select everything.
type DocumentFilter struct {
	SourceID int64
	BatchID  int64
	// Clearance hides documents whose marking it does not allow; zero
	// means no restriction.
	Clearance TLP
	Limit     int
	Offset    int
}

// SourceStats is a source with what a reader may see of it.
type SourceStats struct {
	Source    *Source `json:"source"`
	Documents int     `json:"documents"`
	Events    int     `json:"events"`
}

// EventGrouping says how SummarizeEvents buckets events.
type EventGrouping string

// The groupings. Grid cells are one degree square, keyed by their
// south-west corner ("34,69"); events without coordinates are left out of
// the grid.
const (
	ByCountry EventGrouping = "country"
	ByAdmin1  EventGrouping = "admin1" // keyed "AF/af nan": the country, "/", the admin-1 code or name folded
	ByMonth   EventGrouping = "month"  // of the start date, "2022-09"
	ByYear    EventGrouping = "year"
	ByGrid    EventGrouping = "grid"
)

// EventGroupings lists the groupings.
var EventGroupings = []EventGrouping{ByCountry, ByAdmin1, ByMonth, ByYear, ByGrid}

// EventBucket is one bucket of a summary: how many events, and their killed
// summed low, best and high (unknown figures count as none; UnknownKilled
// says for how many events the best figure is unknown).
type EventBucket struct {
	Key           string `json:"key"`
	Events        int    `json:"events"`
	KilledLow     int    `json:"killed_low"`
	KilledBest    int    `json:"killed_best"`
	KilledHigh    int    `json:"killed_high"`
	UnknownKilled int    `json:"unknown_killed"`
}
