package storetest

import (
	"bytes"
	"context"
	"maps"
	"slices"
	"testing"

	"github.com/vigil-osint/vigil"
)

// testACHHistoryClearance: indicator values and rankings keep the
// clearance they were computed for (empty is recorded as RED), in the
// order recorded, and keep it through dump and restore.
func testACHHistoryClearance(t *testing.T, s vigil.Store, newStore NewStore) {
	as := achStore(t, s)
	must(t, as.CreateACHCase(ctx, achCase()))
	for _, v := range []vigil.ACHIndicatorValue{
		{Case: "iskp", Evidence: "E2", Value: 3, Met: true, Events: 3},
		{Case: "iskp", Evidence: "E2", Value: 2, Events: 2, Clearance: vigil.TLPGreen},
		{Case: "iskp", Evidence: "E2", Value: 3, Met: true, Events: 3, Clearance: vigil.TLPAmberStrict},
	} {
		must(t, as.RecordACHIndicatorValue(ctx, &v))
	}
	v := &vigil.ACHIndicatorValue{Case: "iskp", Evidence: "E2", Value: 1}
	must(t, as.RecordACHIndicatorValue(ctx, v))
	if v.Clearance != vigil.TLPRed {
		t.Errorf("a value recorded without a clearance is recorded at %q, want RED", v.Clearance)
	}
	for _, r := range []vigil.ACHRanking{
		{Case: "iskp", Order: []string{"H2", "H1"}, Scores: map[string]float64{"H1": 2, "H2": 0}, Trigger: "import"},
		{Case: "iskp", Order: []string{"H1", "H2"}, Scores: map[string]float64{"H1": 0, "H2": 1}, Trigger: "import", Clearance: vigil.TLPGreen},
	} {
		must(t, as.RecordACHRanking(ctx, &r))
	}
	check := func(name string, as vigil.ACHService) {
		t.Helper()
		vs, err := as.FindACHIndicatorValues(ctx, "iskp", "E2")
		must(t, err)
		var got []vigil.TLP
		for _, v := range vs {
			got = append(got, v.Clearance)
		}
		if want := []vigil.TLP{vigil.TLPRed, vigil.TLPGreen, vigil.TLPAmberStrict, vigil.TLPRed}; !slices.Equal(got, want) {
			t.Errorf("%s: values at %v, want %v", name, got, want)
		}
		if len(vs) == 4 && (vs[1].Value != 2 || vs[1].Met || vs[2].Value != 3) {
			t.Errorf("%s: values %+v", name, vs)
		}
		rk, err := as.FindACHRankings(ctx, "iskp")
		must(t, err)
		if len(rk) != 2 || rk[0].Clearance != vigil.TLPRed || rk[1].Clearance != vigil.TLPGreen || !slices.Equal(rk[1].Order, []string{"H1", "H2"}) {
			t.Errorf("%s: rankings %+v, want RED's then GREEN's", name, rk)
		}
	}
	check("stored", as)

	first, fresh := dumpRestoreSame(t, s, newStore)
	if !bytes.Contains(first, []byte(`AMBER+STRICT`)) {
		t.Errorf("the dump holds no AMBER+STRICT history row")
	}
	check("restored", achStore(t, fresh))
}

// testACHSourceMarkings: the least restricted marking among each source's
// documents, which scores the ACH history below RED, agrees with the
// sources the statistics list at each clearance.
func testACHSourceMarkings(t *testing.T, s vigil.Store) {
	sm, ok := s.(interface {
		FindSourceMarkings(ctx context.Context) (map[string]vigil.TLP, error)
	})
	if !ok {
		t.Fatalf("%T does not implement FindSourceMarkings", s)
	}
	setup(t, s)
	a, b, c := item("Wire", "a", "a", vigil.Exact(1), "a"), item("Ministry", "b", "b", vigil.Exact(1), "b"), item("Ministry", "c", "c", vigil.Exact(1), "c")
	b.Document.Marking, c.Document.Marking = vigil.TLPAmber, vigil.TLPRed
	_, err := s.Ingest(ctx, nil, []vigil.Item{a, b, c})
	must(t, err)
	marks, err := sm.FindSourceMarkings(ctx)
	must(t, err)
	if want := map[string]vigil.TLP{"Wire": vigil.TLPClear, "Ministry": vigil.TLPAmber}; !maps.Equal(marks, want) {
		t.Errorf("FindSourceMarkings = %v, want %v (Amaq has no documents)", marks, want)
	}
	for _, level := range vigil.TLPLevels {
		stats, err := browse(t, s).FindSourceStats(ctx, level)
		must(t, err)
		var listed []string
		for _, st := range stats {
			listed = append(listed, st.Source.Name)
		}
		for _, name := range []string{"Wire", "Ministry", "Amaq"} {
			m, has := marks[name]
			if known := !has || level.Allows(m); known != slices.Contains(listed, name) {
				t.Errorf("%s: %s known %v by its markings, listed %v by the statistics", level, name, known, listed)
			}
		}
	}
}
