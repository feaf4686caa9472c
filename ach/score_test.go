package ach

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/vigil-osint/vigil"
)

// small is a matrix scored by hand in TestScoreByHand.
//
//	      H1  H2  H3   source (grade)             weight
//	E1    I   C   II   S1 (A, credibility 1)      high √2 × medium 1 = √2
//	E2    CC  I   N    S2 (D, speaks for "t")     low 1/√2 × high √2 = 1
//	E3    N   N   N    none, weights set          medium × medium = 1
func small() (*vigil.ACHCase, map[string]*vigil.Source) {
	c := &vigil.ACHCase{ID: "small", Title: "small",
		Hypotheses: []vigil.ACHHypothesis{{ID: "H1", Title: "one", HeldBy: []string{"t"}}, {ID: "H2", Title: "two"}, {ID: "H3", Title: "three"}},
		Evidence: []vigil.ACHEvidence{
			{ID: "E1", Title: "e1", Kind: vigil.EvidenceStatement, Source: "S1", Credibility: 1},
			{ID: "E2", Title: "e2", Kind: vigil.EvidenceStatement, Source: "S2", Relevance: vigil.WeightHigh},
			{ID: "E3", Title: "e3", Kind: vigil.EvidenceEvent, Ref: "x", CredibilityWeight: vigil.WeightMedium},
		},
	}
	grid := map[string][]vigil.ACHRating{
		"E1": {vigil.RatingI, vigil.RatingC, vigil.RatingII},
		"E2": {vigil.RatingCC, vigil.RatingI, vigil.RatingN},
		"E3": {vigil.RatingN, vigil.RatingN, vigil.RatingN},
	}
	for _, e := range c.Evidence {
		for j, h := range c.Hypotheses {
			c.Ratings = append(c.Ratings, vigil.ACHRatingEntry{Evidence: e.ID, Hypothesis: h.ID, Analyst: "ann", Rating: grid[e.ID][j]})
		}
	}
	srcs := map[string]*vigil.Source{
		"S1": {Name: "S1", Reliability: vigil.ReliabilityA},
		"S2": {Name: "S2", Reliability: vigil.ReliabilityD, SpeaksFor: "t"},
	}
	return c, srcs
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-3 }

func TestScoreByHand(t *testing.T) {
	c, srcs := small()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	r := Score(c, srcs)
	want := []struct {
		id            string
		inc, weighted float64
		rank          int
	}{
		{"H1", 1, math.Sqrt2, 2},     // E1 I at √2
		{"H2", 1, 1, 1},              // E2 I at 1
		{"H3", 2, 2 * math.Sqrt2, 3}, // E1 II at √2
	}
	for j, w := range want {
		h := r.Hypotheses[j]
		if h.ID != w.id || h.Inconsistency != w.inc || !near(h.Weighted, w.weighted) || h.Rank != w.rank {
			t.Errorf("hypothesis %d = %+v, want %+v", j, h, w)
		}
	}
	if !slices.Equal(r.Order, []string{"H2", "H1", "H3"}) {
		t.Errorf("order = %v, want H2 H1 H3", r.Order)
	}
	items := []struct {
		id         string
		diagnostic bool
		weight     float64
	}{{"E1", true, math.Sqrt2}, {"E2", true, 1}, {"E3", false, 1}}
	for i, w := range items {
		it := r.Items[i]
		if it.ID != w.id || it.Diagnostic != w.diagnostic || !near(it.Weight, w.weight) {
			t.Errorf("item %d = %+v, want %+v", i, it, w)
		}
	}
	if r.Items[0].CredibilityWeight != vigil.WeightHigh || r.Items[1].CredibilityWeight != vigil.WeightLow {
		t.Errorf("derived credibility weights = %s, %s; want high, low", r.Items[0].CredibilityWeight, r.Items[1].CredibilityWeight)
	}
	sens := []struct {
		id                      string
		drop, dropTop, dec, top bool
	}{
		// Without E1: H1 0, H2 1, H3 0: H1 and H3 tie first.
		{"E1", true, true, true, true},
		// Without E2: H1 √2, H2 0, H3 2√2: same order.
		{"E2", false, false, true, false},
		{"E3", false, false, false, false},
	}
	for i, w := range sens {
		s := r.Sensitivity[i]
		if s.Evidence != w.id || s.DropChanges != w.drop || s.DropTopChanges != w.dropTop || s.DeceptiveChanges != w.dec || s.DeceptiveTopChanges != w.top {
			t.Errorf("sensitivity %d = %+v, want %+v", i, s, w)
		}
	}
	// S2 deceptive: E2 reads II, C, N: H1 2 + √2, H2 0, H3 2√2.
	if got := r.Sensitivity[1].DeceptiveOrder; !slices.Equal(got, []string{"H2", "H3", "H1"}) {
		t.Errorf("deceptive S2 order = %v, want H2 H3 H1", got)
	}
	kinds := map[string]string{}
	for _, w := range r.Warnings {
		kinds[w.Kind] = w.Hypothesis
	}
	if kinds["self-serving"] != "H1" {
		t.Errorf("warnings %+v: want H1 flagged as resting only on its holder's source", r.Warnings)
	}
	if kinds["unsupported"] != "H3" {
		t.Errorf("warnings %+v: want H3 unsupported", r.Warnings)
	}
}

func TestSelfServingNeedsOnlyOwnSources(t *testing.T) {
	c, srcs := small()
	// An independent item consistent with H1 lifts the warning.
	for i := range c.Ratings {
		if c.Ratings[i].Evidence == "E3" && c.Ratings[i].Hypothesis == "H1" {
			c.Ratings[i].Rating = vigil.RatingC
		}
	}
	for _, w := range Score(c, srcs).Warnings {
		if w.Kind == "self-serving" {
			t.Errorf("warning %+v with independent support", w)
		}
	}
}

func TestAnalystsDisagree(t *testing.T) {
	tests := []struct {
		name      string
		ratings   map[string]vigil.ACHRating
		consensus vigil.ACHRating
		want      vigil.ACHRating
		basis     string
		spread    int
		disputed  bool
	}{
		{"agreed", map[string]vigil.ACHRating{"a": "C", "b": "C"}, "", "C", "agreed", 0, false},
		{"odd median", map[string]vigil.ACHRating{"a": "C", "b": "II", "c": "N"}, "", "N", "median", 3, true},
		{"even takes the more inconsistent", map[string]vigil.ACHRating{"a": "C", "b": "I"}, "", "I", "median", 2, true},
		{"consensus wins", map[string]vigil.ACHRating{"a": "CC", "b": "II"}, "N", "N", "consensus", 4, true},
		{"NA against a rating", map[string]vigil.ACHRating{"a": "NA", "b": "C"}, "", "C", "median", 0, true},
		{"all NA", map[string]vigil.ACHRating{"a": "NA"}, "", "NA", "agreed", 0, false},
		{"unrated", nil, "", "", "unrated", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &vigil.ACHCase{ID: "d", Title: "d", Hypotheses: []vigil.ACHHypothesis{{ID: "H", Title: "h"}},
				Evidence: []vigil.ACHEvidence{{ID: "E", Title: "e", Kind: vigil.EvidenceStatement, Source: "s"}}}
			for a, r := range tt.ratings {
				c.Ratings = append(c.Ratings, vigil.ACHRatingEntry{Evidence: "E", Hypothesis: "H", Analyst: a, Rating: r})
			}
			if tt.consensus != "" {
				c.Ratings = append(c.Ratings, vigil.ACHRatingEntry{Evidence: "E", Hypothesis: "H", Analyst: "lead", Rating: tt.consensus, Consensus: true})
			}
			cl := Cells(c)[0][0]
			if cl.Rating != tt.want || cl.Basis != tt.basis || cl.Spread != tt.spread || cl.Disputed != tt.disputed {
				t.Errorf("cell = %+v, want rating %s basis %s spread %d disputed %v", cl, tt.want, tt.basis, tt.spread, tt.disputed)
			}
		})
	}
}

// randomCase builds a case of random ratings and weights.
func randomCase(rng *rand.Rand) (*vigil.ACHCase, map[string]*vigil.Source) {
	c := &vigil.ACHCase{ID: "r", Title: "r"}
	nh, ne := 2+rng.IntN(4), 1+rng.IntN(8)
	for j := range nh {
		c.Hypotheses = append(c.Hypotheses, vigil.ACHHypothesis{ID: string(rune('A' + j)), Title: "h"})
	}
	weights := []vigil.ACHWeight{vigil.WeightLow, vigil.WeightMedium, vigil.WeightHigh}
	srcs := map[string]*vigil.Source{}
	for i := range ne {
		src := string(rune('a' + rng.IntN(3)))
		srcs[src] = &vigil.Source{Name: src, Reliability: vigil.ReliabilityC}
		e := vigil.ACHEvidence{ID: string(rune('0' + i)), Title: "e", Kind: vigil.EvidenceStatement, Source: src,
			CredibilityWeight: weights[rng.IntN(3)], Relevance: weights[rng.IntN(3)]}
		c.Evidence = append(c.Evidence, e)
		same := rng.IntN(3) == 0 // a third of the items rate alike everywhere
		first := vigil.ACHRatings[rng.IntN(5)]
		for _, h := range c.Hypotheses {
			r := first
			if !same {
				r = vigil.ACHRatings[rng.IntN(6)]
			}
			c.Ratings = append(c.Ratings, vigil.ACHRatingEntry{Evidence: e.ID, Hypothesis: h.ID, Analyst: "x", Rating: r})
		}
	}
	return c, srcs
}

// TestDiagnosticityProperties checks on random matrices that an item that
// proves nothing (or counts in no score) never moves the ranking when
// dropped, and that ranks follow the weighted scores.
func TestDiagnosticityProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := range 500 {
		c, srcs := randomCase(rng)
		r := Score(c, srcs)
		for i, it := range r.Items {
			if (!it.Diagnostic || !it.Scores) && r.Sensitivity[i].DropChanges {
				t.Fatalf("case %d: item %s (diagnostic %v, scores %v) changes the ranking when dropped", n, it.ID, it.Diagnostic, it.Scores)
			}
			if !it.Diagnostic && it.Diagnosticity != 0 {
				t.Fatalf("case %d: non-diagnostic item %s has diagnosticity %g", n, it.ID, it.Diagnosticity)
			}
		}
		for _, a := range r.Hypotheses {
			for _, b := range r.Hypotheses {
				if a.Weighted < b.Weighted-1e-6 && a.Rank >= b.Rank {
					t.Fatalf("case %d: %s (%g, rank %d) not ranked above %s (%g, rank %d)", n, a.ID, a.Weighted, a.Rank, b.ID, b.Weighted, b.Rank)
				}
			}
		}
		if len(r.Order) != len(c.Hypotheses) {
			t.Fatalf("case %d: order %v", n, r.Order)
		}
	}
}

func TestDeriveCredibility(t *testing.T) {
	tests := []struct {
		name string
		rel  vigil.Reliability
		cred vigil.Credibility
		want vigil.ACHWeight
	}{
		{"reliable and probable", vigil.ReliabilityB, 2, vigil.WeightHigh},
		{"reliable, not judged", vigil.ReliabilityA, 0, vigil.WeightHigh},
		{"reliable but possible", vigil.ReliabilityB, 3, vigil.WeightMedium},
		{"fair", vigil.ReliabilityC, 2, vigil.WeightMedium},
		{"unreliable", vigil.ReliabilityE, 1, vigil.WeightLow},
		{"deceptive", vigil.ReliabilityG, 0, vigil.WeightLow},
		{"own claim unjudged", vigil.ReliabilityF, 6, vigil.WeightLow},
		{"doubtful", vigil.ReliabilityA, 4, vigil.WeightLow},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := DeriveCredibility(&vigil.Source{Reliability: tt.rel}, tt.cred); got != tt.want {
				t.Errorf("DeriveCredibility(%s, %d) = %s, want %s", tt.rel, tt.cred, got, tt.want)
			}
		})
	}
}

func TestEvaluate(t *testing.T) {
	fact := func(id int64, date, country, admin1 string) vigil.EventFact {
		return vigil.EventFact{ID: id, DateStart: vigil.MustDate(date), DateEnd: vigil.MustDate(date), Country: country, Admin1: admin1}
	}
	facts := []vigil.EventFact{
		fact(1, "2019-05-01", "AF", "AF-NAN"),
		fact(2, "2022-04-18", "UZ", "UZ-SU"),
		fact(3, "2022-09-05", "AF", "AF-KAB"),
		fact(4, "2023-07-30", "PK", "PK-KP"),
		fact(5, "2024-03-22", "RU", "RU-MOS"),
	}
	tests := []struct {
		name  string
		in    vigil.ACHIndicator
		value float64
		met   bool
	}{
		{"outside AF in the 12 months to the latest", vigil.ACHIndicator{Metric: "events", ExcludeCountries: []string{"AF"}, Months: 12, Op: ">=", Threshold: 3}, 2, false},
		{"outside AF from 2022", vigil.ACHIndicator{Metric: "events", ExcludeCountries: []string{"AF"}, From: vigil.MustDate("2022-01-01"), Op: ">=", Threshold: 3}, 3, true},
		{"countries", vigil.ACHIndicator{Metric: "countries", From: vigil.MustDate("2022-01-01"), Op: ">", Threshold: 3}, 4, true},
		{"new units need history", vigil.ACHIndicator{Metric: "new_admin1_units", From: vigil.MustDate("2022-01-01"), Op: "==", Threshold: 4}, 4, true},
		{"outside home", vigil.ACHIndicator{Metric: "outside_home_share", Home: []string{"AF-NAN", "AF-KAB"}, From: vigil.MustDate("2022-01-01"), Op: ">=", Threshold: 0.5}, 0.75, true},
		{"nothing in the window", vigil.ACHIndicator{Metric: "events", Countries: []string{"IN"}, Op: "<", Threshold: 1}, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rd := Evaluate(&tt.in, facts)
			if !near(rd.Value, tt.value) || rd.Met != tt.met {
				t.Errorf("Evaluate = %g met %v, want %g met %v (%+v)", rd.Value, rd.Met, tt.value, tt.met, rd)
			}
		})
	}
}
