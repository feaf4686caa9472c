package ach_test

import (
	"slices"
	"testing"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/ach"
)

// TestHistoryPerClearance: one of the three strikes abroad is reported
// only in an AMBER document, so the indicator ("attacks outside
// Afghanistan from 2022 ≥ 3") holds for AMBER and RED readers and not for
// CLEAR and GREEN ones. Refresh records each level's values and ranking,
// each as AtClearance computes them for that level, and records nothing
// anew when nothing changed for a level.
func TestHistoryPerClearance(t *testing.T) {
	s := wireStore(t)
	amber := strike("tajik", "2022-05-07", "TJ", "TJ-KT")
	amber.Document.Marking, amber.Document.Source = vigil.TLPAmber, "Liaison"
	must(t, s.UpsertSource(ctx, &vigil.Source{Name: "Liaison", Kind: vigil.SourceOfficial, Reliability: vigil.ReliabilityC}))
	must(t, s.UpsertSource(ctx, &vigil.Source{Name: "Spokesman", Kind: vigil.SourceOfficial, Reliability: vigil.ReliabilityD}))
	_, err := s.Ingest(ctx, nil, []vigil.Item{
		strike("kunduz", "2021-10-08", "AF", "AF-KDZ"),
		strike("termez", "2022-04-18", "UZ", "UZ-SU"),
		amber,
		strike("crocus", "2024-03-22", "RU", "RU-MOS"),
	})
	must(t, err)
	c := &vigil.ACHCase{ID: "t", Title: "test",
		Hypotheses: []vigil.ACHHypothesis{{ID: "H1", Title: "local"}, {ID: "H2", Title: "transregional"}},
		Evidence: []vigil.ACHEvidence{
			{ID: "E2", Title: "attacks outside Afghanistan", Kind: vigil.EvidenceIndicator, Source: "Wire",
				Indicator: &vigil.ACHIndicator{Metric: "events", Actor: "ISKP", ExcludeCountries: []string{"AF"}, From: vigil.MustDate("2022-01-01"),
					Op: ">=", Threshold: 3,
					IfMet:    map[string]vigil.ACHRating{"H1": vigil.RatingII, "H2": vigil.RatingCC},
					IfNotMet: map[string]vigil.ACHRating{"H1": vigil.RatingC, "H2": vigil.RatingI}}},
		},
	}
	must(t, s.CreateACHCase(ctx, c))
	_, err = ach.Refresh(ctx, s, "t", "import")
	must(t, err)

	vs, err := s.FindACHIndicatorValues(ctx, "t", "")
	must(t, err)
	rks, err := s.FindACHRankings(ctx, "t")
	must(t, err)
	stored, err := s.FindACHCase(ctx, "t")
	must(t, err)
	for _, tt := range []struct {
		level vigil.TLP
		value float64
		met   bool
		order []string
	}{
		{vigil.TLPClear, 2, false, []string{"H1", "H2"}},
		{vigil.TLPGreen, 2, false, []string{"H1", "H2"}},
		{vigil.TLPAmber, 3, true, []string{"H2", "H1"}},
		{vigil.TLPAmberStrict, 3, true, []string{"H2", "H1"}},
		{vigil.TLPRed, 3, true, []string{"H2", "H1"}},
	} {
		v, rk := ach.AtLevel(vs, tt.level), ach.AtLevel(rks, tt.level)
		if len(v) != 1 || v[0].Value != tt.value || v[0].Met != tt.met || v[0].Clearance != tt.level || v[0].Events != int(tt.value) {
			t.Errorf("%s: values %+v, want one of %g (met %v)", tt.level, v, tt.value, tt.met)
		}
		if len(rk) != 1 || !slices.Equal(rk[0].Order, tt.order) || rk[0].Trigger != "import" || rk[0].Clearance != tt.level {
			t.Errorf("%s: rankings %+v, want one ordered %v", tt.level, rk, tt.order)
		}
		// What is recorded is what the live view computes.
		hidden, err := ach.Hidden(ctx, s, stored.Evidence, tt.level)
		must(t, err)
		srcs, err := ach.SourcesAt(ctx, s, tt.level)
		must(t, err)
		// The sources a level knows of are those its source statistics
		// list (as the API scores the case with).
		stats, err := s.FindSourceStats(ctx, tt.level)
		must(t, err)
		var want, got []string
		for _, st := range stats {
			want = append(want, st.Source.Name)
		}
		for name := range srcs {
			got = append(got, name)
		}
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(got, want) || slices.Contains(got, "Liaison") != tt.met {
			t.Errorf("%s: sources %v, the statistics list %v", tt.level, got, want)
		}
		cl, err := ach.AtClearance(ctx, s, stored, tt.level, hidden, srcs)
		must(t, err)
		if len(cl.Readings) != 1 || len(v) != 1 || cl.Readings[0].Value != v[0].Value || !slices.Equal(cl.Readings[0].EventIDs, v[0].EventIDs) {
			t.Errorf("%s: live readings %+v, recorded %+v", tt.level, cl.Readings, v)
		}
		if len(rk) == 1 && !slices.Equal(cl.Result.Order, rk[0].Order) {
			t.Errorf("%s: live order %v, recorded %v", tt.level, cl.Result.Order, rk[0].Order)
		}
	}

	// A CLEAR strike abroad: every level's value moves (GREEN's to 3, so
	// its condition now holds and its ranking turns); nothing else.
	_, err = s.Ingest(ctx, nil, []vigil.Item{strike("mashhad", "2024-06-01", "IR", "IR-09")})
	must(t, err)
	_, err = ach.Refresh(ctx, s, "t", "import")
	must(t, err)
	_, err = ach.Refresh(ctx, s, "t", "refresh")
	must(t, err)
	vs, _ = s.FindACHIndicatorValues(ctx, "t", "")
	rks, _ = s.FindACHRankings(ctx, "t")
	green, greenRk := ach.AtLevel(vs, vigil.TLPGreen), ach.AtLevel(rks, vigil.TLPGreen)
	if len(green) != 2 || green[1].Value != 3 || !green[1].Met || len(greenRk) != 2 || !slices.Equal(greenRk[1].Order, []string{"H2", "H1"}) {
		t.Errorf("GREEN after a CLEAR strike: values %+v, rankings %+v", green, greenRk)
	}
	red, redRk := ach.AtLevel(vs, vigil.TLPRed), ach.AtLevel(rks, vigil.TLPRed)
	if len(red) != 2 || red[1].Value != 4 || len(redRk) != 1 {
		t.Errorf("RED after a CLEAR strike: values %+v, %d rankings (its ranking did not change)", red, len(redRk))
	}
}

// TestUnresolved points items at stored and missing material: only those
// whose document, event or report the store lacks are warned of (a
// mistyped key was scored as if it rested on something), and an AMBER
// document is stored, not missing.
func TestUnresolved(t *testing.T) {
	s := wireStore(t)
	amber := strike("tajik", "2022-05-07", "TJ", "TJ-KT")
	amber.Document.Marking = vigil.TLPAmber
	_, err := s.Ingest(ctx, nil, []vigil.Item{strike("kunduz", "2021-10-08", "AF", "AF-KDZ"), amber})
	must(t, err)
	for _, tt := range []struct {
		name  string
		items []vigil.ACHEvidence
		want  []string // the items warned of; nil for no warning
	}{
		{"all stored", []vigil.ACHEvidence{
			{ID: "E1", Kind: vigil.EvidenceEvent, Ref: "kunduz"},
			{ID: "E2", Kind: vigil.EvidenceDocument, Source: "Wire", Ref: "tajik"},
			{ID: "E3", Kind: vigil.EvidenceStatement, Source: "Nobody"},
		}, nil},
		{"missing ones", []vigil.ACHEvidence{
			{ID: "E1", Kind: vigil.EvidenceEvent, Ref: "kundus"},
			{ID: "E2", Kind: vigil.EvidenceDocument, Source: "Wire", Ref: "no-such"},
			{ID: "E3", Kind: vigil.EvidenceEvent, Ref: "99999"},
			{ID: "E4", Kind: vigil.EvidenceReport, Ref: "99999"},
			{ID: "E5", Kind: vigil.EvidenceEvent, Ref: "tajik"},
		}, []string{"E1", "E2", "E3", "E4"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w, err := ach.Unresolved(ctx, s, tt.items)
			must(t, err)
			var got []string
			if w != nil {
				got = w.Evidence
				if w.Kind != "unresolved" {
					t.Errorf("kind %q", w.Kind)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("warned of %v, want %v (%+v)", got, tt.want, w)
			}
		})
	}
}
