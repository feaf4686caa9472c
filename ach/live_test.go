package ach_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/ach"
	"github.com/vigil-osint/vigil/sqlite"
)

var ctx = context.Background()

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func ptr(f float64) *float64 { return &f }

// wireStore opens a fresh store holding the source "Wire" and the actor
// ISKP, which strike's reports name.
func wireStore(t *testing.T) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "a.db"))
	must(t, err)
	t.Cleanup(func() { s.Close() })
	must(t, s.UpsertSource(ctx, &vigil.Source{Name: "Wire", Kind: vigil.SourceNews, Reliability: vigil.ReliabilityB}))
	must(t, s.UpsertActor(ctx, &vigil.Actor{ID: "iskp", Name: "ISKP", Kind: vigil.ActorArmedGroup}))
	return s
}

func strike(key, date, country, admin1 string) vigil.Item {
	r := vigil.Report{Key: key, EventKey: key,
		DateStart: vigil.MustDate(date), DateEnd: vigil.MustDate(date), DatePrecision: vigil.DateDay,
		Place:     vigil.Place{Name: admin1, Latitude: ptr(35), Longitude: ptr(68), Precision: vigil.LocationExact, Country: country, Admin1: admin1},
		EventType: vigil.EventExplosions,
		Actors:    []vigil.ReportActor{{ActorID: "iskp", Name: "ISKP", Role: vigil.RolePerpetrator, Attribution: vigil.AttributionClaimed}},
		Killed:    vigil.Exact(1), Credibility: vigil.CredibilityProbable}
	return vigil.Item{Document: vigil.Document{Source: "Wire", Key: key, Title: key, ContentHash: key}, Reports: []vigil.Report{r}}
}

// TestIndicatorFollowsData: an indicator item ("attacks outside
// Afghanistan from 2022 ≥ 3") is rated from the data; new events make the
// condition hold, which changes its ratings and the ranking, and both
// histories keep the old and the new.
func TestIndicatorFollowsData(t *testing.T) {
	s := wireStore(t)
	must(t, s.UpsertSource(ctx, &vigil.Source{Name: "Spokesman", Kind: vigil.SourceOfficial, Reliability: vigil.ReliabilityD, SpeaksFor: "taliban"}))
	_, err := s.Ingest(ctx, nil, []vigil.Item{
		strike("kunduz", "2021-10-08", "AF", "AF-KDZ"),
		strike("termez", "2022-04-18", "UZ", "UZ-SU"),
	})
	must(t, err)
	c := &vigil.ACHCase{ID: "t", Title: "test",
		Hypotheses: []vigil.ACHHypothesis{{ID: "H1", Title: "local"}, {ID: "H2", Title: "transregional"}},
		Evidence: []vigil.ACHEvidence{
			{ID: "E1", Title: "spokesman says local", Kind: vigil.EvidenceStatement, Source: "Spokesman", CredibilityWeight: vigil.WeightHigh},
			{ID: "E2", Title: "attacks outside Afghanistan", Kind: vigil.EvidenceIndicator, Source: "Wire", Relevance: vigil.WeightHigh,
				Indicator: &vigil.ACHIndicator{Metric: "events", Actor: "ISKP", ExcludeCountries: []string{"AF"}, From: vigil.MustDate("2022-01-01"),
					Op: ">=", Threshold: 3,
					IfMet:    map[string]vigil.ACHRating{"H1": vigil.RatingII, "H2": vigil.RatingCC},
					IfNotMet: map[string]vigil.ACHRating{"H1": vigil.RatingC, "H2": vigil.RatingI}}},
		},
		Ratings: []vigil.ACHRatingEntry{
			{Evidence: "E1", Hypothesis: "H1", Analyst: "ann", Rating: vigil.RatingC},
			{Evidence: "E1", Hypothesis: "H2", Analyst: "ann", Rating: vigil.RatingI},
		},
	}
	must(t, s.CreateACHCase(ctx, c))

	rating := func(r *ach.Refreshed, e, h string) vigil.ACHRating {
		for i, it := range r.Result.Items {
			if it.ID == e {
				for _, cl := range r.Result.Cells[i] {
					if cl.Hypothesis == h {
						return cl.Rating
					}
				}
			}
		}
		return ""
	}
	r1, err := ach.Refresh(ctx, s, "t", "test")
	must(t, err)
	if got := rating(r1, "E2", "H2"); got != vigil.RatingI {
		t.Fatalf("with one strike abroad E2/H2 = %q, want I", got)
	}
	if !slices.Equal(r1.Result.Order, []string{"H1", "H2"}) || r1.RankingChanged {
		t.Fatalf("first ranking = %v (changed %v), want H1 H2", r1.Result.Order, r1.RankingChanged)
	}

	// Data lands: two more strikes abroad.
	_, err = s.Ingest(ctx, nil, []vigil.Item{
		strike("tajik", "2022-05-07", "TJ", "TJ-KT"),
		strike("crocus", "2024-03-22", "RU", "RU-MOS"),
	})
	must(t, err)
	r2, err := ach.Refresh(ctx, s, "t", "import")
	must(t, err)
	if got := rating(r2, "E2", "H2"); got != vigil.RatingCC {
		t.Errorf("with three strikes abroad E2/H2 = %q, want CC", got)
	}
	if got := rating(r2, "E2", "H1"); got != vigil.RatingII {
		t.Errorf("with three strikes abroad E2/H1 = %q, want II", got)
	}
	if !slices.Equal(r2.Changed, []string{"E2"}) || !r2.RankingChanged || !slices.Equal(r2.Result.Order, []string{"H2", "H1"}) {
		t.Errorf("refresh = changed %v, ranking changed %v, order %v; want E2, true, H2 H1", r2.Changed, r2.RankingChanged, r2.Result.Order)
	}

	all, err := s.FindACHIndicatorValues(ctx, "t", "E2")
	must(t, err)
	vs := ach.AtLevel(all, vigil.TLPRed)
	if len(vs) != 2 || vs[0].Value != 1 || vs[0].Met || vs[1].Value != 3 || !vs[1].Met {
		t.Errorf("indicator history = %+v, want 1 (not met) then 3 (met)", vs)
	}
	allRk, err := s.FindACHRankings(ctx, "t")
	must(t, err)
	var sigs []string
	for _, r := range ach.AtLevel(allRk, vigil.TLPRed) {
		sigs = append(sigs, fmt.Sprintf("%s:%s", r.Trigger, ach.Signature(r)))
	}
	if want := []string{"test:H1 > H2", "import:H2 > H1"}; !slices.Equal(sigs, want) {
		t.Errorf("ranking history = %v, want %v", sigs, want)
	}

	// Nothing new: nothing recorded.
	r3, err := ach.Refresh(ctx, s, "t", "import")
	must(t, err)
	vs, _ = s.FindACHIndicatorValues(ctx, "t", "")
	rk, _ := s.FindACHRankings(ctx, "t")
	if len(r3.Changed) != 0 || r3.RankingChanged || len(vs) != len(all) || len(rk) != len(allRk) {
		t.Errorf("a refresh without new data changed %v and left %d values, %d rankings; want %d, %d", r3.Changed, len(vs), len(rk), len(all), len(allRk))
	}
	// The rating says why.
	got, err := s.FindACHCase(ctx, "t")
	must(t, err)
	for _, r := range got.Ratings {
		if r.Evidence == "E2" && r.Hypothesis == "H2" && (r.Analyst != vigil.IndicatorAnalyst || !r.Consensus || r.Rationale == "") {
			t.Errorf("indicator rating %+v, want a consensus by %s with a rationale", r, vigil.IndicatorAnalyst)
		}
	}
}
