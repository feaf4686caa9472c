package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/vigil-osint/vigil"
)

// analysis returns the store's AnalysisService; every store must have one.
func analysis(t *testing.T, s vigil.Store) vigil.AnalysisService {
	t.Helper()
	as, ok := s.(vigil.AnalysisService)
	if !ok {
		t.Fatalf("%T does not implement vigil.AnalysisService", s)
	}
	return as
}

func factIDs(fs []vigil.EventFact) []int64 {
	ids := make([]int64, len(fs))
	for i, f := range fs {
		ids[i] = f.ID
	}
	return ids
}

// testFactsMatchEvents: the facts of every event, under every filter, are
// those of the events FindEvents returns.
func testFactsMatchEvents(t *testing.T, s vigil.Store) {
	setup(t, s)
	a := item("Wire", "a", "a", vigil.Range{Low: vigil.N(4), Best: vigil.N(6), High: vigil.N(9)}, "a")
	a.Reports[0].TargetTypes = []vigil.TargetType{"Religious Figures/Institutions", "Private Citizens & Property"}
	a.Reports[0].Wounded = vigil.Exact(12)
	b := item("Wire", "b", "b", vigil.Exact(1), "b")
	b.Reports[0].Country, b.Reports[0].Admin1, b.Reports[0].Admin1Name = "PK", "PK-KP", "Khyber Pakhtunkhwa"
	b.Reports[0].DateStart, b.Reports[0].DateEnd = vigil.MustDate("2023-07-30"), vigil.MustDate("2023-07-30")
	b.Reports[0].EventType, b.Reports[0].SubEventType = vigil.EventViolenceCivilians, "Attack"
	c := item("Ministry", "c", "c", vigil.Range{}, "c") // toll unknown
	c.Reports[0].Latitude, c.Reports[0].Longitude = nil, nil
	c.Reports[0].Admin1, c.Reports[0].Admin1Name = "AF-NAN", "Nangarhar"
	c.Document.Marking = vigil.TLPAmber
	_, err := s.Ingest(ctx, nil, []vigil.Item{a, b, c})
	must(t, err)
	as := analysis(t, s)
	for _, tt := range []struct {
		name string
		f    vigil.EventFilter
		n    int
	}{
		{"all", vigil.EventFilter{}, 3},
		{"actor by alias", vigil.EventFilter{Actor: "Daesh"}, 3},
		{"country", vigil.EventFilter{Countries: []string{"pk"}}, 1},
		{"admin1 name", vigil.EventFilter{Admin1: []string{"Nangarhar province"}}, 1},
		{"from", vigil.EventFilter{From: vigil.MustDate("2023-01-01")}, 1},
		{"type", vigil.EventFilter{Types: []vigil.EventType{vigil.EventExplosions}}, 2},
		{"clearance", vigil.EventFilter{Clearance: vigil.TLPGreen}, 2},
		{"nothing", vigil.EventFilter{Countries: []string{"RU"}}, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			evs, _, err := s.FindEvents(ctx, tt.f)
			must(t, err)
			facts, err := as.FindEventFacts(ctx, vigil.FactFilter{EventFilter: tt.f})
			must(t, err)
			if len(facts) != tt.n || len(evs) != tt.n {
				t.Fatalf("%d facts and %d events, want %d", len(facts), len(evs), tt.n)
			}
			sameInColumns(t, as, vigil.FactFilter{EventFilter: tt.f}, facts)
			byID := map[int64]vigil.EventFact{}
			for _, f := range facts {
				byID[f.ID] = f
			}
			if !slices.IsSortedFunc(facts, func(a, b vigil.EventFact) int { return int(a.ID - b.ID) }) {
				t.Errorf("facts are not by id: %v", factIDs(facts))
			}
			for _, e := range evs {
				want, got := vigil.FactOf(e), byID[e.ID]
				if !got.RecordedAt.Equal(want.RecordedAt) {
					t.Errorf("event %d: recorded %v, want %v", e.ID, got.RecordedAt, want.RecordedAt)
				}
				got.RecordedAt, want.RecordedAt = time.Time{}, time.Time{}
				if !factsEqual(got, want) {
					t.Errorf("facts of event %d:\n got %+v\nwant %+v", e.ID, got, want)
				}
			}
		})
	}
	facts, err := as.FindEventFacts(ctx, vigil.FactFilter{})
	must(t, err)
	for _, f := range facts {
		if f.ID == facts[0].ID && (f.Killed != a.Reports[0].Killed || len(f.TargetTypes) != 2 || f.Wounded != vigil.Exact(12) || !f.Located) {
			t.Errorf("facts of a = %+v, want its range, wounded, two target types and its point", f)
		}
	}
}

// sameInColumns checks that FindFacts answers a filter with the facts
// FindEventFacts gave, in the same order.
func sameInColumns(t *testing.T, as vigil.AnalysisService, f vigil.FactFilter, want []vigil.EventFact) {
	t.Helper()
	cols, err := as.FindFacts(ctx, f)
	must(t, err)
	got := cols.Events()
	if len(got) != len(want) {
		t.Fatalf("FindFacts: %d facts, FindEventFacts %d", len(got), len(want))
	}
	for i := range got {
		if !factsEqual(got[i], want[i]) || !got[i].RecordedAt.Equal(want[i].RecordedAt) || got[i].Credibility != want[i].Credibility {
			t.Errorf("FindFacts, row %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
}

func factsEqual(a, b vigil.EventFact) bool {
	return a.ID == b.ID && a.DateStart == b.DateStart && a.DateEnd == b.DateEnd && a.Precision == b.Precision &&
		a.Country == b.Country && a.Admin1 == b.Admin1 && a.Admin1Name == b.Admin1Name && a.Located == b.Located &&
		a.Latitude == b.Latitude && a.Longitude == b.Longitude && a.EventType == b.EventType &&
		slices.Equal(a.TargetTypes, b.TargetTypes) && a.Killed == b.Killed && a.Wounded == b.Wounded &&
		slices.Equal(a.Sources, b.Sources)
}

// testFactsFollowUpdates: a new version of a document changes the facts of
// its event, and an event left without reports leaves no facts.
func testFactsFollowUpdates(t *testing.T, s vigil.Store) {
	setup(t, s)
	_, err := s.Ingest(ctx, nil, []vigil.Item{item("Wire", "a", "ev1", vigil.Exact(3), "h1"), item("Wire", "b", "ev2", vigil.Exact(2), "h2")})
	must(t, err)
	// Read once before the update: whatever the store keeps for reading
	// fast must follow what comes after.
	first, err := analysis(t, s).FindEventFacts(ctx, vigil.FactFilter{})
	must(t, err)
	if len(first) != 2 {
		t.Fatalf("%d facts after the first ingest, want 2", len(first))
	}
	moved := item("Wire", "b", "ev1", vigil.Exact(2), "h2-moved") // b's report moves to ev1: ev2 is left empty
	_, err = s.Ingest(ctx, nil, []vigil.Item{item("Wire", "a", "ev1", vigil.Exact(7), "h1-changed"), moved})
	must(t, err)
	facts, err := analysis(t, s).FindEventFacts(ctx, vigil.FactFilter{})
	must(t, err)
	evs, _, err := s.FindEvents(ctx, vigil.EventFilter{})
	must(t, err)
	if len(facts) != len(evs) || len(facts) != 1 {
		t.Fatalf("%d facts and %d events, want 1 and 1", len(facts), len(evs))
	}
	if facts[0].Killed != evs[0].Killed || facts[0].ID != evs[0].ID {
		t.Errorf("facts = %+v, want the event's new toll %v", facts[0], evs[0].Killed)
	}
}

// testFactsAsOf: as of an instant, only what had been recorded by then,
// with the values it had then.
func testFactsAsOf(t *testing.T, s vigil.Store) {
	setup(t, s)
	as := analysis(t, s)
	_, err := s.Ingest(ctx, nil, []vigil.Item{item("Wire", "a", "ev1", vigil.Exact(3), "h1"), item("Wire", "b", "ev2", vigil.Exact(2), "h2")})
	must(t, err)
	time.Sleep(20 * time.Millisecond)
	t1 := time.Now()
	time.Sleep(20 * time.Millisecond)
	moved := item("Wire", "b", "ev2", vigil.Exact(2), "h2-moved")
	moved.Reports[0].Country, moved.Reports[0].Admin1, moved.Reports[0].Admin1Name = "PK", "PK-KP", "Khyber Pakhtunkhwa"
	_, err = s.Ingest(ctx, nil, []vigil.Item{item("Wire", "a", "ev1", vigil.Exact(7), "h1-changed"),
		item("Ministry", "c", "ev1", vigil.Exact(9), "c"), item("Wire", "d", "ev3", vigil.Exact(1), "d"), moved})
	must(t, err)

	killed := func(fs []vigil.EventFact) map[int64]vigil.Range {
		m := map[int64]vigil.Range{}
		for _, f := range fs {
			m[f.ID] = f.Killed
		}
		return m
	}
	now, err := as.FindEventFacts(ctx, vigil.FactFilter{})
	must(t, err)
	then, err := as.FindEventFacts(ctx, vigil.FactFilter{AsOf: t1})
	must(t, err)
	if len(now) != 3 || len(then) != 2 {
		t.Fatalf("%d events now and %d then, want 3 and 2 (ev3 came later)", len(now), len(then))
	}
	sameInColumns(t, as, vigil.FactFilter{AsOf: t1}, then)
	kn, kt := killed(now), killed(then)
	ev1 := then[0].ID
	if kt[ev1] != vigil.Exact(3) || kn[ev1] == vigil.Exact(3) {
		t.Errorf("ev1 killed then %v, now %v; want 3 then and the fused new reports now", kt[ev1], kn[ev1])
	}
	before, err := as.FindEventFacts(ctx, vigil.FactFilter{AsOf: t1.Add(-time.Hour)})
	must(t, err)
	if len(before) != 0 {
		t.Errorf("as of an hour before anything was recorded: %d events, want none", len(before))
	}
	// Filters apply to the values as they were: ev2 was in Afghanistan then.
	for _, tt := range []struct {
		name    string
		country string
		want    int
	}{{"AF then", "AF", 2}, {"PK then", "PK", 0}} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := as.FindEventFacts(ctx, vigil.FactFilter{EventFilter: vigil.EventFilter{Countries: []string{tt.country}}, AsOf: t1})
			must(t, err)
			if len(got) != tt.want {
				t.Errorf("as of t1 in %s: events %v, want %d", tt.country, factIDs(got), tt.want)
			}
			sameInColumns(t, as, vigil.FactFilter{EventFilter: vigil.EventFilter{Countries: []string{tt.country}}, AsOf: t1}, got)
		})
	}
}

// testFactsMinCredibility: facts carry their event's grade and answer a
// minimum credibility as the event list does, today and as of a day.
func testFactsMinCredibility(t *testing.T, s vigil.Store) {
	setup(t, s)
	graded := func(it vigil.Item, c vigil.Credibility) vigil.Item { it.Reports[0].Credibility = c; return it }
	_, err := s.Ingest(ctx, nil, []vigil.Item{
		graded(item("Wire", "a", "ev1", vigil.Exact(3), "h1"), vigil.CredibilityConfirmed),
		graded(item("Amaq", "b", "ev2", vigil.Exact(30), "h2"), vigil.CredibilityImprobable),
		graded(item("Ministry", "c", "ev3", vigil.Exact(4), "h3"), 0)})
	must(t, err)
	later := time.Now().Add(time.Hour)
	for _, min := range []vigil.Credibility{0, 1, 3, 5, 6} {
		f := vigil.EventFilter{MinCredibility: min}
		_, want, err := s.FindEvents(ctx, f)
		must(t, err)
		for _, asOf := range []time.Time{{}, later} {
			facts, err := analysis(t, s).FindEventFacts(ctx, vigil.FactFilter{EventFilter: f, AsOf: asOf})
			must(t, err)
			if len(facts) != want {
				t.Errorf("credibility %d or better (as of %v): %d facts, %d events", min, asOf, len(facts), want)
			}
			sameInColumns(t, analysis(t, s), vigil.FactFilter{EventFilter: f, AsOf: asOf}, facts)
			if min == 1 && (len(facts) != 1 || facts[0].Credibility != vigil.CredibilityConfirmed) {
				t.Errorf("facts of credibility 1 (as of %v): %+v, want the confirmed event with its grade", asOf, facts)
			}
		}
	}
	if _, n, _ := s.FindEvents(ctx, vigil.EventFilter{MinCredibility: 3}); n != 1 {
		t.Errorf("events of credibility 3 or better: %d, want 1 (the ungraded counts as 6)", n)
	}
}
