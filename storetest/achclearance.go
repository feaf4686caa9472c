package storetest

import (
	"bytes"
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

	var first bytes.Buffer
	must(t, s.Dump(ctx, &first))
	fresh := newStore(t)
	defer fresh.Close()
	must(t, fresh.Restore(ctx, bytes.NewReader(first.Bytes())))
	var second bytes.Buffer
	must(t, fresh.Dump(ctx, &second))
	if !bytes.Equal(first.Bytes(), second.Bytes()) {
		t.Errorf("dump → restore → dump changed the bytes (%d vs %d)", first.Len(), second.Len())
	}
	if !bytes.Contains(first.Bytes(), []byte(`AMBER+STRICT`)) {
		t.Errorf("the dump holds no AMBER+STRICT history row")
	}
	check("restored", achStore(t, fresh))
}
