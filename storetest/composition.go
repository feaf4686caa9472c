package storetest

import (
	"bytes"
	"slices"
	"testing"

	"github.com/vigil-osint/vigil"
)

// compositionStore returns the store's CompositionService. A store that
// has none yet skips the test, saying so: the SQLite store has one, and
// the others port sqlite/migrations/00006_composition.sql.
func compositionStore(t *testing.T, s vigil.Store) vigil.CompositionService {
	t.Helper()
	cs, ok := s.(vigil.CompositionService)
	if !ok {
		t.Skipf("%T does not implement vigil.CompositionService yet (see sqlite/migrations/00006_composition.sql)", s)
	}
	return cs
}

// testComposition: claims about a group's layers keep their documents,
// periods and stances; the filter selects by actor, kind and overlapping
// period; conflicting claims stay side by side; unknown actors and
// documents are refused; claims survive dump and restore.
func testComposition(t *testing.T, s vigil.Store, newStore NewStore) {
	cs := compositionStore(t, s)
	setup(t, s)
	must(t, s.UpsertActor(ctx, taliban()))
	must(t, s.UpsertActor(ctx, &vigil.Actor{ID: "ttp", Name: "Tehrik-i-Taliban Pakistan", Kind: vigil.ActorArmedGroup}))
	b := &vigil.Batch{Format: "test", Status: vigil.BatchRunning}
	must(t, s.CreateBatch(ctx, b))
	_, err := s.Ingest(ctx, b, []vigil.Item{
		{Document: vigil.Document{Source: "Wire", Key: "analysis", Title: "an analysis", ContentHash: "h1", Text: "the structure"}},
		{Document: vigil.Document{Source: "Ministry", Key: "denial", Title: "a denial", ContentHash: "h2", Text: "no foreigners"}},
	})
	must(t, err)
	analysis, err := s.FindDocumentByKey(ctx, "Wire", "analysis")
	must(t, err)
	denial, err := s.FindDocumentByKey(ctx, "Ministry", "denial")
	must(t, err)

	claims := []*vigil.CompositionClaim{
		{Actor: "iskp", Kind: vigil.CompositionOrigin, Layer: "stream 1", What: "TTP commanders in Tirah", FromActor: "ttp", Region: "Tirah valley",
			ValidFrom: vigil.MustDate("2014-10-01"), ValidTo: vigil.MustDate("2015-12-31"), DocumentIDs: []int64{analysis.ID}, Credibility: vigil.CredibilityPossible},
		{Actor: "iskp", Kind: vigil.CompositionLayer, Layer: "core", What: "foreign militants", Groups: []string{"Central Asian", "Middle Eastern"},
			ValidFrom: vigil.MustDate("2015-01-01"), DocumentIDs: []int64{analysis.ID}, Credibility: vigil.CredibilityPossible},
		{Actor: "iskp", Kind: vigil.CompositionLayer, Layer: "core", What: "foreign militants", Stance: vigil.StanceDenies,
			ValidFrom: vigil.MustDate("2021-08-15"), DocumentIDs: []int64{denial.ID}, Credibility: vigil.CredibilityDoubtful},
		{Actor: "iskp", Kind: vigil.CompositionRecruitment, Layer: "outer layer", What: "Tajik and Uzbek recruits", Groups: []string{"Tajik", "Uzbek"},
			ValidFrom: vigil.MustDate("2021-08-15"), DocumentIDs: []int64{analysis.ID, denial.ID}},
	}
	for _, c := range claims {
		must(t, cs.CreateCompositionClaim(ctx, c))
		if c.ID == 0 || c.RecordedAt.IsZero() {
			t.Fatalf("CreateCompositionClaim did not set ID and RecordedAt: %+v", c)
		}
	}
	ids := func(cs []*vigil.CompositionClaim) []int64 {
		var out []int64
		for _, c := range cs {
			out = append(out, c.ID)
		}
		return out
	}
	c1, c2, c3, c4 := claims[0].ID, claims[1].ID, claims[2].ID, claims[3].ID
	tests := []struct {
		name string
		f    vigil.CompositionFilter
		want []int64
	}{
		{"all by start", vigil.CompositionFilter{}, []int64{c1, c2, c3, c4}},
		{"actor", vigil.CompositionFilter{Actor: "iskp"}, []int64{c1, c2, c3, c4}},
		{"other actor", vigil.CompositionFilter{Actor: "taliban"}, nil},
		{"kind", vigil.CompositionFilter{Kind: vigil.CompositionLayer}, []int64{c2, c3}},
		{"window before 2021", vigil.CompositionFilter{From: vigil.MustDate("2016-01-01"), To: vigil.MustDate("2020-12-31")}, []int64{c2}},
		{"window 2015", vigil.CompositionFilter{From: vigil.MustDate("2015-06-01"), To: vigil.MustDate("2015-06-01")}, []int64{c1, c2}},
		{"open end", vigil.CompositionFilter{From: vigil.MustDate("2022-01-01")}, []int64{c2, c3, c4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := cs.FindCompositionClaims(ctx, tt.f)
			must(t, err)
			if !slices.Equal(ids(got), tt.want) {
				t.Errorf("FindCompositionClaims(%+v) = %v, want %v", tt.f, ids(got), tt.want)
			}
		})
	}
	got, err := cs.FindCompositionClaims(ctx, vigil.CompositionFilter{Kind: vigil.CompositionRecruitment})
	must(t, err)
	if len(got) != 1 || !slices.Equal(got[0].DocumentIDs, []int64{analysis.ID, denial.ID}) || !slices.Equal(got[0].Groups, []string{"Tajik", "Uzbek"}) ||
		got[0].ValidFrom != vigil.MustDate("2021-08-15") || !got[0].ValidTo.IsZero() {
		t.Errorf("recruitment claim = %+v, want its documents, groups and open period back", got)
	}
	all, err := cs.FindCompositionClaims(ctx, vigil.CompositionFilter{})
	must(t, err)
	if cf := vigil.CompositionConflicts(all); len(cf) != 1 || cf[0].Claims != [2]int64{c2, c3} {
		t.Errorf("conflicts = %+v, want the core asserted against the core denied", cf)
	}

	wantCode(t, cs.CreateCompositionClaim(ctx, &vigil.CompositionClaim{Actor: "nobody", Kind: vigil.CompositionLayer, Layer: "core", What: "x"}), vigil.ENOTFOUND)
	wantCode(t, cs.CreateCompositionClaim(ctx, &vigil.CompositionClaim{Actor: "iskp", Kind: vigil.CompositionOrigin, Layer: "s", What: "x", FromActor: "nobody"}), vigil.ENOTFOUND)
	wantCode(t, cs.CreateCompositionClaim(ctx, &vigil.CompositionClaim{Actor: "iskp", Kind: vigil.CompositionLayer, Layer: "core", What: "x", DocumentIDs: []int64{99999}}), vigil.ENOTFOUND)
	wantCode(t, cs.CreateCompositionClaim(ctx, &vigil.CompositionClaim{Actor: "iskp", Kind: "faction", Layer: "core", What: "x"}), vigil.EINVALID)
	wantCode(t, cs.CreateCompositionClaim(ctx, &vigil.CompositionClaim{Actor: "iskp", Kind: vigil.CompositionLayer, Layer: "", What: "x"}), vigil.EINVALID)
	wantCode(t, cs.CreateCompositionClaim(ctx, &vigil.CompositionClaim{Actor: "iskp", Kind: vigil.CompositionLayer, Layer: "core", What: "x",
		ValidFrom: vigil.MustDate("2020-01-01"), ValidTo: vigil.MustDate("2019-01-01")}), vigil.EINVALID)
	wantCode(t, cs.CreateCompositionClaim(ctx, &vigil.CompositionClaim{Actor: "iskp", Kind: vigil.CompositionLayer, Layer: "core", What: "x", Stance: "maybe"}), vigil.EINVALID)
	if after, _ := cs.FindCompositionClaims(ctx, vigil.CompositionFilter{}); len(after) != len(claims) {
		t.Errorf("refused claims were stored: %d claims, want %d", len(after), len(claims))
	}

	var dump bytes.Buffer
	must(t, s.Dump(ctx, &dump))
	fresh := newStore(t)
	defer fresh.Close()
	must(t, fresh.Restore(ctx, bytes.NewReader(dump.Bytes())))
	back, err := compositionStore(t, fresh).FindCompositionClaims(ctx, vigil.CompositionFilter{Actor: "iskp"})
	must(t, err)
	if !slices.Equal(ids(back), []int64{c1, c2, c3, c4}) || back[0].FromActor != "ttp" || back[2].Stance != vigil.StanceDenies {
		t.Errorf("claims after dump and restore = %+v", back)
	}
}
