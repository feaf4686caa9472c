package storetest

import (
	"slices"
	"testing"

	"github.com/vigil-osint/vigil"
)

func testSources(t *testing.T, s vigil.Store) {
	src := &vigil.Source{Name: "Tolo News", Kind: vigil.SourceNews, Reliability: vigil.ReliabilityC}
	must(t, s.UpsertSource(ctx, src))
	if src.ID == 0 || src.RecordedAt.IsZero() {
		t.Fatalf("UpsertSource did not set ID and RecordedAt: %+v", src)
	}
	src2 := &vigil.Source{Name: "Tolo News", Kind: vigil.SourceNews, Reliability: vigil.ReliabilityB, Notes: "regraded"}
	must(t, s.UpsertSource(ctx, src2))
	if src2.ID != src.ID {
		t.Fatalf("upsert of the same name made a new source: %d vs %d", src2.ID, src.ID)
	}
	got, err := s.FindSourceByName(ctx, "Tolo News")
	must(t, err)
	if got.Reliability != vigil.ReliabilityB || got.Notes != "regraded" {
		t.Errorf("FindSourceByName = %+v, want the updated grade", got)
	}
	_, err = s.FindSourceByName(ctx, "nobody")
	wantCode(t, err, vigil.ENOTFOUND)
	wantCode(t, s.UpsertSource(ctx, &vigil.Source{Name: "x", Kind: "blog", Reliability: "A"}), vigil.EINVALID)
	wantCode(t, s.UpsertSource(ctx, &vigil.Source{Name: "x", Kind: vigil.SourceNews, Reliability: "H"}), vigil.EINVALID)
	all, err := s.FindSources(ctx)
	must(t, err)
	if len(all) != 1 {
		t.Errorf("FindSources returned %d sources, want 1", len(all))
	}
}

func taliban() *vigil.Actor {
	return &vigil.Actor{
		ID: "taliban", Name: "Taliban", Kind: vigil.ActorArmedGroup,
		Names: []vigil.ActorName{
			{Name: "Taleban"},
			{Name: "Government of Afghanistan", ValidFrom: vigil.MustDate("2021-08-15")},
		},
		Periods: []vigil.ActorPeriod{
			{Kind: vigil.ActorArmedGroup, Role: "insurgency", ValidTo: vigil.MustDate("2021-08-14")},
			{Kind: vigil.ActorDeFacto, Role: "government", ValidFrom: vigil.MustDate("2021-08-15")},
		},
	}
}

func testActors(t *testing.T, s vigil.Store) {
	must(t, s.UpsertActor(ctx, taliban()))
	must(t, s.UpsertActor(ctx, &vigil.Actor{ID: "gov-af", Name: "Government of the Islamic Republic of Afghanistan", Kind: vigil.ActorState,
		Names: []vigil.ActorName{{Name: "Government of Afghanistan", ValidTo: vigil.MustDate("2021-08-14")}}}))
	tests := []struct {
		name string
		f    vigil.ActorFilter
		want []string
	}{
		{"all", vigil.ActorFilter{}, []string{"gov-af", "taliban"}},
		{"alias any case", vigil.ActorFilter{Name: "TALEBAN"}, []string{"taliban"}},
		{"dated name before", vigil.ActorFilter{Name: "Government of Afghanistan", At: vigil.MustDate("2020-01-01")}, []string{"gov-af"}},
		{"dated name after", vigil.ActorFilter{Name: "Government of Afghanistan", At: vigil.MustDate("2022-01-01")}, []string{"taliban"}},
		{"dated name any time", vigil.ActorFilter{Name: "Government of Afghanistan"}, []string{"gov-af", "taliban"}},
		{"unknown", vigil.ActorFilter{Name: "nobody"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.FindActors(ctx, tt.f)
			must(t, err)
			var ids []string
			for _, a := range got {
				ids = append(ids, a.ID)
			}
			if !slices.Equal(ids, tt.want) {
				t.Errorf("FindActors(%+v) = %v, want %v", tt.f, ids, tt.want)
			}
		})
	}
	a, err := s.FindActorByID(ctx, "taliban")
	must(t, err)
	if k, _ := a.KindAt(vigil.MustDate("2022-01-01")); k != vigil.ActorDeFacto {
		t.Errorf("taliban kind in 2022 = %s, want de facto authority (periods lost?)", k)
	}
	_, err = s.FindActorByID(ctx, "nobody")
	wantCode(t, err, vigil.ENOTFOUND)
	wantCode(t, s.UpsertActor(ctx, &vigil.Actor{ID: "x", Name: "X", Kind: "gang"}), vigil.EINVALID)
}

func testRelationships(t *testing.T, s vigil.Store) {
	must(t, s.UpsertActor(ctx, taliban()))
	must(t, s.UpsertActor(ctx, &vigil.Actor{ID: "iskp", Name: "ISKP", Kind: vigil.ActorArmedGroup}))
	r := &vigil.Relationship{From: "iskp", To: "taliban", Type: vigil.RelRivalry, ValidFrom: vigil.MustDate("2015-06-01")}
	must(t, s.CreateRelationship(ctx, r))
	if r.ID == 0 {
		t.Fatal("CreateRelationship did not set ID")
	}
	must(t, s.CreateRelationship(ctx, &vigil.Relationship{From: "taliban", To: "iskp", Type: vigil.RelCooperation, ValidTo: vigil.MustDate("2015-05-31")}))
	wantCode(t, s.CreateRelationship(ctx, &vigil.Relationship{From: "iskp", To: "nobody", Type: vigil.RelCombat}), vigil.ENOTFOUND)
	wantCode(t, s.CreateRelationship(ctx, &vigil.Relationship{From: "iskp", To: "taliban", Type: "friendship"}), vigil.EINVALID)
	got, err := s.FindRelationships(ctx, vigil.RelationshipFilter{Actor: "iskp", At: vigil.MustDate("2016-01-01")})
	must(t, err)
	if len(got) != 1 || got[0].Type != vigil.RelRivalry {
		t.Errorf("relationships of iskp in 2016 = %+v, want the rivalry only", got)
	}
	got, err = s.FindRelationships(ctx, vigil.RelationshipFilter{Actor: "taliban"})
	must(t, err)
	if len(got) != 2 {
		t.Errorf("relationships of taliban = %d, want both, side by side", len(got))
	}
}

func testBatches(t *testing.T, s vigil.Store) {
	b := &vigil.Batch{Format: "ucdp", File: "a.csv", Status: vigil.BatchRunning}
	must(t, s.CreateBatch(ctx, b))
	b.Counts = vigil.Counts{Read: 3, New: 2, Rejected: 1}
	b.Rejections = []vigil.Rejection{{Row: 4, Field: "latitude", Reason: "a.csv:4: latitude: 91 out of range"}}
	b.Status = vigil.BatchDone
	must(t, s.UpdateBatch(ctx, b))
	bs, err := s.FindBatches(ctx)
	must(t, err)
	if len(bs) != 1 || bs[0].Counts != b.Counts || bs[0].Status != vigil.BatchDone || len(bs[0].Rejections) != 1 {
		t.Errorf("FindBatches = %+v, want the saved batch", bs)
	}
	wantCode(t, s.UpdateBatch(ctx, &vigil.Batch{ID: 999}), vigil.ENOTFOUND)
}
