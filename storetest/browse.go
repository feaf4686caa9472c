package storetest

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/vigil-osint/vigil"
)

func browse(t *testing.T, s vigil.Store) vigil.BrowseService {
	t.Helper()
	bs, ok := s.(vigil.BrowseService)
	if !ok {
		t.Fatalf("%T does not implement vigil.BrowseService", s)
	}
	return bs
}

// markedSetup stores two events: ev1 with a CLEAR document from Wire, ev2
// with an AMBER document from Ministry (which has no other), in batches 1
// and 2.
func markedSetup(t *testing.T, s vigil.Store) (b1, b2 int64) {
	t.Helper()
	setup(t, s)
	clear, amber := item("Wire", "a", "ev1", vigil.Exact(6), "h1"), item("Ministry", "b", "ev2", vigil.Exact(30), "h2")
	clear.Document.Marking, amber.Document.Marking = vigil.TLPClear, vigil.TLPAmber
	for i, it := range []vigil.Item{clear, amber} {
		b := &vigil.Batch{Format: "test", Status: vigil.BatchRunning}
		must(t, s.CreateBatch(ctx, b))
		_, err := s.Ingest(ctx, b, []vigil.Item{it})
		must(t, err)
		if i == 0 {
			b1 = b.ID
		} else {
			b2 = b.ID
		}
	}
	return b1, b2
}

func testBrowseClearance(t *testing.T, s vigil.Store) {
	bs := browse(t, s)
	b1, b2 := markedSetup(t, s)
	empty := &vigil.Batch{Format: "test", Status: vigil.BatchDone}
	must(t, s.CreateBatch(ctx, empty))

	evs, err := bs.FindEventPage(ctx, vigil.EventFilter{Clearance: vigil.TLPGreen}, vigil.OrderKilledDesc)
	must(t, err)
	total, err := bs.CountEvents(ctx, vigil.EventFilter{Clearance: vigil.TLPGreen, Limit: 1, Offset: 5})
	must(t, err)
	if total != 1 || len(evs) != 1 || evs[0].Key != "ev1" {
		t.Errorf("GREEN events = %d (total %d), want only ev1", len(evs), total)
	}
	evs, err = bs.FindEventPage(ctx, vigil.EventFilter{Clearance: vigil.TLPAmber}, vigil.OrderKilledDesc)
	must(t, err)
	total, err = bs.CountEvents(ctx, vigil.EventFilter{Clearance: vigil.TLPAmber})
	must(t, err)
	if total != 2 || evs[0].Key != "ev2" {
		t.Errorf("AMBER events by -killed = %d, first %q; want 2, ev2 first", total, evs[0].Key)
	}
	_, err = bs.FindEventPage(ctx, vigil.EventFilter{}, "killed; DROP TABLE events")
	wantCode(t, err, vigil.EINVALID)
	page, err := bs.FindEventPage(ctx, vigil.EventFilter{Clearance: vigil.TLPRed, Limit: 1, Offset: 1}, vigil.OrderDateDesc)
	must(t, err)
	if len(page) != 1 {
		t.Errorf("page 2 of 1 = %d events, want 1", len(page))
	}
	_, err = bs.FindEventPage(ctx, vigil.EventFilter{}, "killed; DROP TABLE events")
	wantCode(t, err, vigil.EINVALID)

	docs, total, err := bs.FindDocuments(ctx, vigil.DocumentFilter{Clearance: vigil.TLPGreen})
	must(t, err)
	if total != 1 || len(docs) != 1 || docs[0].Key != "a" || docs[0].Text != "" {
		t.Errorf("GREEN documents = %+v (total %d), want only a, without text", docs, total)
	}
	_, total, err = bs.FindDocuments(ctx, vigil.DocumentFilter{Clearance: vigil.TLPRed, BatchID: b2})
	must(t, err)
	if total != 1 {
		t.Errorf("RED documents of batch %d = %d, want 1", b2, total)
	}

	stats, err := bs.FindSourceStats(ctx, vigil.TLPGreen)
	must(t, err)
	names := map[string]vigil.SourceStats{}
	for _, st := range stats {
		names[st.Source.Name] = st
	}
	if _, ok := names["Ministry"]; ok {
		t.Error("GREEN source stats show Ministry, whose only document is AMBER")
	}
	if st := names["Wire"]; st.Documents != 1 || st.Events != 1 || st.Source.ID == 0 {
		t.Errorf("GREEN stats of Wire = %+v, want 1 document, 1 event", st)
	}
	if _, ok := names["Amaq"]; !ok {
		t.Error("a source with no documents at all must be listed")
	}
	stats, err = bs.FindSourceStats(ctx, vigil.TLPAmber)
	must(t, err)
	if len(stats) != 3 {
		t.Errorf("AMBER source stats = %d sources, want 3", len(stats))
	}

	marks, err := bs.FindBatchMarkings(ctx)
	must(t, err)
	if marks[b1] != vigil.TLPClear || marks[b2] != vigil.TLPAmber || marks[empty.ID] != vigil.TLPRed {
		t.Errorf("batch markings = %v, want %d CLEAR, %d AMBER, %d RED", marks, b1, b2, empty.ID)
	}
	for _, tt := range []struct {
		by        vigil.EventGrouping
		clearance vigil.TLP
		want      []vigil.EventBucket
	}{
		{vigil.ByCountry, vigil.TLPGreen, []vigil.EventBucket{{Key: "AF", Events: 1, KilledLow: 6, KilledBest: 6, KilledHigh: 6}}},
		{vigil.ByCountry, vigil.TLPAmber, []vigil.EventBucket{{Key: "AF", Events: 2, KilledLow: 36, KilledBest: 36, KilledHigh: 36}}},
		{vigil.ByMonth, vigil.TLPAmber, []vigil.EventBucket{{Key: "2022-09", Events: 2, KilledLow: 36, KilledBest: 36, KilledHigh: 36}}},
		{vigil.ByGrid, vigil.TLPGreen, []vigil.EventBucket{{Key: "34,69", Events: 1, KilledLow: 6, KilledBest: 6, KilledHigh: 6}}},
	} {
		got, err := bs.SummarizeEvents(ctx, vigil.EventFilter{Clearance: tt.clearance}, tt.by)
		must(t, err)
		if !slices.Equal(got, tt.want) {
			t.Errorf("SummarizeEvents(%s, %s) = %+v, want %+v", tt.by, tt.clearance, got, tt.want)
		}
	}
	_, err = bs.SummarizeEvents(ctx, vigil.EventFilter{}, "e.data")
	wantCode(t, err, vigil.EINVALID)

	// The AMBER document is declassified by a later batch: the batch that
	// brought its AMBER version stays at least AMBER.
	declass := item("Ministry", "b", "ev2", vigil.Exact(30), "h2-declassified")
	declass.Document.Marking = vigil.TLPClear
	b3 := &vigil.Batch{Format: "test", Status: vigil.BatchRunning}
	must(t, s.CreateBatch(ctx, b3))
	_, err = s.Ingest(ctx, b3, []vigil.Item{declass})
	must(t, err)
	marks, err = bs.FindBatchMarkings(ctx)
	must(t, err)
	if marks[b2].Rank() < vigil.TLPAmber.Rank() || marks[b3.ID].Rank() < 0 {
		t.Errorf("after declassifying: batch markings = %v, want batch %d at least AMBER", marks, b2)
	}
	ids := []int64{docs[0].ID, 999}
	dm, err := bs.FindDocumentMarkings(ctx, ids)
	must(t, err)
	if len(dm) != 1 || dm[docs[0].ID] != vigil.TLPClear {
		t.Errorf("document markings = %v", dm)
	}
}

// testBrowseActorPages checks pages of one actor's events in date order
// (which stores may serve from an index ordered by date) against the
// same filter's events sorted here: offsets, cursors, both directions,
// the actor named through an alias or only by an unresolved name, an
// actor in two roles of one event, other conditions and clearance.
func testBrowseActorPages(t *testing.T, s vigil.Store) {
	bs := browse(t, s)
	setup(t, s)
	var items []vigil.Item
	for i := range 120 {
		it := item([]string{"Wire", "Ministry"}[i%2], fmt.Sprintf("d%03d", i), fmt.Sprintf("ev%03d", i), vigil.Exact(i%7), fmt.Sprintf("h%d", i))
		r := &it.Reports[0]
		r.DateStart = vigil.MustDate("2022-01-01").AddDays(i % 9) // many events share a day: ties break on id
		r.DateEnd = r.DateStart
		switch i % 5 {
		case 0: // another group alone
			r.Actors = []vigil.ReportActor{{Name: "Tehrik-i-Taliban Pakistan", Role: vigil.RolePerpetrator, Attribution: vigil.AttributionAttributed}}
		case 1: // named only, not resolved to the actor
			r.Actors = []vigil.ReportActor{{Name: "Daesh", Role: vigil.RolePerpetrator, Attribution: vigil.AttributionSuspected}}
		case 2: // in two roles
			r.Actors = append(r.Actors, vigil.ReportActor{ActorID: "iskp", Name: "ISKP", Role: vigil.RoleTarget, Attribution: vigil.AttributionAttributed})
		}
		if i%4 == 3 {
			r.Place.Country, r.Place.Admin1, r.Place.Admin1Name = "PK", "PK-BA", "Balochistan"
		}
		if i%6 == 5 {
			it.Document.Marking = vigil.TLPAmber
		}
		items = append(items, it)
	}
	b := &vigil.Batch{Format: "test", Status: vigil.BatchRunning}
	must(t, s.CreateBatch(ctx, b))
	_, err := s.Ingest(ctx, b, items)
	must(t, err)

	// want sorts the filter's events (read by id, which no date index
	// serves) by date and id, and pages them.
	want := func(f vigil.EventFilter, desc bool) []int64 {
		all := f
		all.Limit, all.Offset, all.After = 0, 0, nil
		evs, err := bs.FindEventPage(ctx, all, vigil.OrderIDAscending)
		must(t, err)
		slices.SortFunc(evs, func(a, b *vigil.Event) int {
			c := cmp.Or(a.DateStart.Time().Compare(b.DateStart.Time()), cmp.Compare(a.ID, b.ID))
			if desc {
				return -c
			}
			return c
		})
		var ids []int64
		for _, e := range evs {
			if f.After != nil {
				c := cmp.Or(e.DateStart.Time().Compare(f.After.DateStart.Time()), cmp.Compare(e.ID, f.After.ID))
				if desc && c >= 0 || !desc && c <= 0 {
					continue
				}
			}
			ids = append(ids, e.ID)
		}
		ids = ids[min(f.Offset, len(ids)):]
		if f.Limit > 0 {
			ids = ids[:min(f.Limit, len(ids))]
		}
		return ids
	}
	idsOf := func(evs []*vigil.Event) []int64 {
		var ids []int64
		for _, e := range evs {
			ids = append(ids, e.ID)
		}
		return ids
	}
	for _, base := range []vigil.EventFilter{
		{Actor: "ISKP", Clearance: vigil.TLPRed},
		{Actor: "isis-k", Clearance: vigil.TLPGreen},
		{Actor: "Daesh", Countries: []string{"PK"}, Clearance: vigil.TLPRed},
		{Actor: "Tehrik-i-Taliban Pakistan", Clearance: vigil.TLPRed, From: vigil.MustDate("2022-01-04")},
		{Actor: "nobody", Clearance: vigil.TLPRed},
	} {
		for _, order := range []vigil.EventOrder{"", vigil.OrderDate, vigil.OrderDateDesc} {
			desc := order == vigil.OrderDateDesc
			for _, pg := range [][2]int{{0, 0}, {10, 0}, {7, 3}, {25, 40}, {50, 200}} {
				f := base
				f.Limit, f.Offset = pg[0], pg[1]
				got, err := bs.FindEventPage(ctx, f, order)
				must(t, err)
				if w := want(f, desc); !slices.Equal(idsOf(got), w) {
					t.Errorf("%s, order %q, limit %d offset %d: %v, want %v", f.Describe(time.Time{}), order, f.Limit, f.Offset, idsOf(got), w)
				}
			}
			// Walk every page by cursor.
			f := base
			f.Limit = 8
			var walked []int64
			for range 40 {
				page, err := bs.FindEventPage(ctx, f, order)
				must(t, err)
				walked = append(walked, idsOf(page)...)
				if len(page) < f.Limit {
					break
				}
				last := page[len(page)-1]
				f.After = &vigil.EventCursor{DateStart: last.DateStart, ID: last.ID}
			}
			all := base
			if w := want(all, desc); !slices.Equal(walked, w) {
				t.Errorf("%s, order %q, by cursor: %v, want %v", base.Describe(time.Time{}), order, walked, w)
			}
			if order == vigil.OrderDate {
				var paged []int64
				must(t, vigil.EventPages(ctx, bs, base, 3, func(evs []*vigil.Event) error {
					paged = append(paged, idsOf(evs)...)
					return nil
				}))
				if w := want(all, false); !slices.Equal(paged, w) {
					t.Errorf("%s, EventPages: %v, want %v", base.Describe(time.Time{}), paged, w)
				}
				stop, calls := errors.New("stop"), 0
				err := vigil.EventPages(ctx, bs, base, 1, func([]*vigil.Event) error { calls++; return stop })
				if err != stop || calls != 1 {
					t.Errorf("EventPages after fn failed: %v, %d calls; want its error, 1 call", err, calls)
				}
			}
		}
	}
}

// testBrowseEventsByID checks that events come back in the order of the
// ids asked for, unknown ids left out.
func testBrowseEventsByID(t *testing.T, s vigil.Store) {
	bs := browse(t, s)
	markedSetup(t, s)
	evs, err := bs.FindEventPage(ctx, vigil.EventFilter{}, vigil.OrderIDAscending)
	must(t, err)
	if len(evs) != 2 {
		t.Fatalf("%d events, want 2", len(evs))
	}
	a, b := evs[0], evs[1]
	got, err := bs.FindEventsByID(ctx, []int64{b.ID, 999999, a.ID})
	must(t, err)
	if len(got) != 2 || got[0].ID != b.ID || got[1].ID != a.ID || got[0].Key != b.Key || got[0].Marking != vigil.TLPAmber {
		t.Errorf("FindEventsByID(%d, 999999, %d) = %+v, want %s (AMBER) then %s", b.ID, a.ID, got, b.Key, a.Key)
	}
	if got, err := bs.FindEventsByID(ctx, nil); err != nil || len(got) != 0 {
		t.Errorf("FindEventsByID(nil) = %v, %v", got, err)
	}
}

// testBrowseCursors walks every order page by page after a cursor
// (vigil.CursorAfter of each page's last event) and finds the one list
// FindEventPage gives without pages: ties on the ordered value (equal
// tolls, unknown tolls, one import's times) break on the id.
func testBrowseCursors(t *testing.T, s vigil.Store) {
	bs := browse(t, s)
	setup(t, s)
	var items []vigil.Item
	for i, k := range []vigil.Range{vigil.Exact(5), {}, vigil.Exact(5), vigil.Exact(0), {}, vigil.Exact(12), vigil.Exact(5), vigil.Exact(1)} {
		it := item("Wire", fmt.Sprintf("c%d", i), fmt.Sprintf("cur%d", i), k, fmt.Sprintf("hc%d", i))
		it.Reports[0].DateStart = vigil.MustDate("2022-09-05").AddDays(i % 3)
		it.Reports[0].DateEnd = it.Reports[0].DateStart
		if i%2 == 1 {
			it = pakistan(it)
		}
		items = append(items, it)
	}
	// Two chunks: two update times.
	for _, part := range [][]vigil.Item{items[:4], items[4:]} {
		_, err := s.Ingest(ctx, nil, part)
		must(t, err)
	}
	idsOf := func(evs []*vigil.Event) []int64 {
		var ids []int64
		for _, e := range evs {
			ids = append(ids, e.ID)
		}
		return ids
	}
	for _, order := range vigil.EventOrders {
		whole, err := bs.FindEventPage(ctx, vigil.EventFilter{}, order)
		must(t, err)
		if len(whole) != len(items) {
			t.Fatalf("order %s: %d events, want %d", order, len(whole), len(items))
		}
		for _, size := range []int{1, 3} {
			f := vigil.EventFilter{Limit: size}
			var walked []int64
			for range 20 {
				page, err := bs.FindEventPage(ctx, f, order)
				must(t, err)
				walked = append(walked, idsOf(page)...)
				if len(page) < size {
					break
				}
				f.After = vigil.CursorAfter(page[len(page)-1])
			}
			if w := idsOf(whole); !slices.Equal(walked, w) {
				t.Errorf("order %s, pages of %d by cursor: %v, want %v", order, size, walked, w)
			}
		}
	}
}
