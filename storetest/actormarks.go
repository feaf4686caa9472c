package storetest

import (
	"bytes"
	"slices"
	"testing"

	"github.com/vigil-osint/vigil"
)

// markedActors stores ISKP (CLEAR) with an AMBER and a RED alias, an AMBER
// actor known only from a marked source, and one event of ISKP.
func markedActors(t *testing.T, s vigil.Store) {
	t.Helper()
	setup(t, s)
	iskp, err := s.FindActorByID(ctx, "iskp")
	must(t, err)
	iskp.Names = append(iskp.Names,
		vigil.ActorName{Name: "Orchard Group", Usage: "STIX", Source: "Partner CERT", Marking: vigil.TLPAmber},
		vigil.ActorName{Name: "Stone Route", Usage: "STIX", Source: "Partner CERT", Marking: vigil.TLPRed})
	must(t, s.UpsertActor(ctx, iskp))
	must(t, s.UpsertActor(ctx, &vigil.Actor{ID: "silent-quarry", Name: "Silent Quarry", Kind: vigil.ActorOther, Marking: vigil.TLPAmber,
		Notes: "A facilitation network.", Names: []vigil.ActorName{{Name: "SQ Network", Marking: vigil.TLPAmber}}}))
	_, err = s.Ingest(ctx, nil, []vigil.Item{item("Wire", "a", "ev1", vigil.Exact(3), "h1")})
	must(t, err)
}

// testActorMarkings: the markings of actors and their names persist, and
// a filter with a clearance sees the actors and names it allows and
// matches names only through those, for actors and for events (in every
// reader of events: the filter, the pages by actor, the facts).
func testActorMarkings(t *testing.T, s vigil.Store) {
	markedActors(t, s)
	got, err := s.FindActorByID(ctx, "iskp")
	must(t, err)
	marks := map[string]vigil.TLP{}
	for _, n := range got.Names {
		marks[n.Name] = n.Marking
	}
	if marks["Orchard Group"] != vigil.TLPAmber || marks["Stone Route"] != vigil.TLPRed || marks["Daesh"] != "" {
		t.Errorf("stored name markings %v", marks)
	}
	if sq, err := s.FindActorByID(ctx, "silent-quarry"); err != nil || sq.Marking != vigil.TLPAmber || sq.Names[0].Marking != vigil.TLPAmber {
		t.Errorf("stored AMBER actor = %+v, %v", sq, err)
	}

	for _, tt := range []struct {
		name string
		f    vigil.ActorFilter
		want []string
	}{
		{"all, no clearance", vigil.ActorFilter{}, []string{"iskp", "silent-quarry"}},
		{"all, GREEN", vigil.ActorFilter{Clearance: vigil.TLPGreen}, []string{"iskp"}},
		{"all, AMBER", vigil.ActorFilter{Clearance: vigil.TLPAmber}, []string{"iskp", "silent-quarry"}},
		{"AMBER alias, no clearance", vigil.ActorFilter{Name: "orchard group"}, []string{"iskp"}},
		{"AMBER alias, CLEAR", vigil.ActorFilter{Name: "Orchard Group", Clearance: vigil.TLPClear}, nil},
		{"AMBER alias, AMBER", vigil.ActorFilter{Name: "Orchard Group", Clearance: vigil.TLPAmber}, []string{"iskp"}},
		{"RED alias, AMBER+STRICT", vigil.ActorFilter{Name: "Stone Route", Clearance: vigil.TLPAmberStrict}, nil},
		{"RED alias, RED", vigil.ActorFilter{Name: "Stone Route", Clearance: vigil.TLPRed}, []string{"iskp"}},
		{"AMBER actor's own name, GREEN", vigil.ActorFilter{Name: "Silent Quarry", Clearance: vigil.TLPGreen}, nil},
		{"AMBER actor's id, GREEN", vigil.ActorFilter{Name: "silent-quarry", Clearance: vigil.TLPGreen}, nil},
		{"AMBER actor's alias, AMBER", vigil.ActorFilter{Name: "SQ Network", Clearance: vigil.TLPAmber}, []string{"silent-quarry"}},
		{"open alias, CLEAR", vigil.ActorFilter{Name: "Daesh", Clearance: vigil.TLPClear}, []string{"iskp"}},
	} {
		as, err := s.FindActors(ctx, tt.f)
		must(t, err)
		var ids []string
		for _, a := range as {
			ids = append(ids, a.ID)
			for _, n := range a.Names {
				if tt.f.Clearance != "" && !tt.f.Clearance.Allows(a.NameMarking(n)) {
					t.Errorf("%s: %s's name %q (%s) is shown", tt.name, a.ID, n.Name, n.Marking)
				}
			}
		}
		if !slices.Equal(ids, tt.want) {
			t.Errorf("%s: FindActors = %v, want %v", tt.name, ids, tt.want)
		}
	}

	bs := browse(t, s)
	as := analysis(t, s)
	for _, tt := range []struct {
		name string
		f    vigil.EventFilter
		n    int
	}{
		{"AMBER alias, no clearance", vigil.EventFilter{Actor: "Orchard Group"}, 1},
		{"AMBER alias, GREEN", vigil.EventFilter{Actor: "Orchard Group", Clearance: vigil.TLPGreen}, 0},
		{"AMBER alias, AMBER", vigil.EventFilter{Actor: "Orchard Group", Clearance: vigil.TLPAmber}, 1},
		{"RED alias, AMBER", vigil.EventFilter{Actor: "Stone Route", Clearance: vigil.TLPAmber}, 0},
		{"open alias, CLEAR", vigil.EventFilter{Actor: "Daesh", Clearance: vigil.TLPClear}, 1},
	} {
		evs, _, err := s.FindEvents(ctx, tt.f)
		must(t, err)
		page, err := bs.FindEventPage(ctx, tt.f, vigil.OrderDate)
		must(t, err)
		facts, err := as.FindEventFacts(ctx, vigil.FactFilter{EventFilter: tt.f})
		must(t, err)
		cols, err := as.FindFacts(ctx, vigil.FactFilter{EventFilter: tt.f})
		must(t, err)
		if len(evs) != tt.n || len(page) != tt.n || len(facts) != tt.n || len(cols.Events()) != tt.n {
			t.Errorf("%s: %d events, %d on the page, %d facts, %d in columns; want %d", tt.name, len(evs), len(page), len(facts), len(cols.Events()), tt.n)
		}
	}
}

// testActorMarkingsDumpRestore: the markings survive dump and restore, and
// the restored store still matches names within a clearance.
func testActorMarkingsDumpRestore(t *testing.T, s vigil.Store, newStore NewStore) {
	markedActors(t, s)
	first, fresh := dumpRestoreSame(t, s, newStore)
	if !bytes.Contains(first, []byte(`"tlp_rank":2`)) {
		t.Errorf("the dump holds no AMBER name row")
	}
	iskp, err := fresh.FindActorByID(ctx, "iskp")
	must(t, err)
	if !slices.ContainsFunc(iskp.Names, func(n vigil.ActorName) bool { return n.Name == "Orchard Group" && n.Marking == vigil.TLPAmber }) {
		t.Errorf("restored ISKP's names %+v lack the AMBER alias", iskp.Names)
	}
	for _, tt := range []struct {
		clearance vigil.TLP
		n         int
	}{{vigil.TLPGreen, 0}, {vigil.TLPAmber, 1}} {
		as, err := fresh.FindActors(ctx, vigil.ActorFilter{Name: "Orchard Group", Clearance: tt.clearance})
		must(t, err)
		evs, _, err := fresh.FindEvents(ctx, vigil.EventFilter{Actor: "Orchard Group", Clearance: tt.clearance})
		must(t, err)
		if len(as) != tt.n || len(evs) != tt.n {
			t.Errorf("restored, %s: %d actors and %d events by the AMBER alias, want %d", tt.clearance, len(as), len(evs), tt.n)
		}
	}
}
