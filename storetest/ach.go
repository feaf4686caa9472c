package storetest

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/vigil-osint/vigil"
)

// achStore returns the store's ACH service: every store must have one.
func achStore(t *testing.T, s vigil.Store) vigil.ACHService {
	t.Helper()
	as, ok := s.(vigil.ACHService)
	if !ok {
		t.Fatalf("%T does not implement vigil.ACHService", s)
	}
	return as
}

// watchStore returns the store's watch service: every store must have one.
func watchStore(t *testing.T, s vigil.Store) vigil.WatchService {
	t.Helper()
	ws, ok := s.(vigil.WatchService)
	if !ok {
		t.Fatalf("%T does not implement vigil.WatchService", s)
	}
	return ws
}

func achCase() *vigil.ACHCase {
	return &vigil.ACHCase{
		ID: "iskp", Title: "Is ISKP a transregional threat?", CreatedBy: "ann",
		Hypotheses: []vigil.ACHHypothesis{
			{ID: "H1", Title: "Rooted out", HeldBy: []string{"taliban"}},
			{ID: "H2", Title: "Transregional"},
		},
		Evidence: []vigil.ACHEvidence{
			{ID: "E1", Title: "Taliban statement", Kind: vigil.EvidenceStatement, Source: "Spokesman", Credibility: 5},
			{ID: "E2", Title: "Strikes outside Afghanistan", Kind: vigil.EvidenceIndicator, Relevance: vigil.WeightHigh,
				Indicator: &vigil.ACHIndicator{Metric: "events", Actor: "ISKP", ExcludeCountries: []string{"AF"}, Op: ">=", Threshold: 3,
					IfMet: map[string]vigil.ACHRating{"H1": "II", "H2": "CC"}, IfNotMet: map[string]vigil.ACHRating{"H1": "N", "H2": "I"}}},
		},
		Ratings: []vigil.ACHRatingEntry{
			{Evidence: "E1", Hypothesis: "H1", Analyst: "ann", Rating: "CC", Rationale: "says so"},
			{Evidence: "E1", Hypothesis: "H2", Analyst: "ann", Rating: "I", Rationale: "denies it"},
		},
	}
}

func testACHCases(t *testing.T, s vigil.Store) {
	as := achStore(t, s)
	c := achCase()
	must(t, as.CreateACHCase(ctx, c))
	wantCode(t, as.CreateACHCase(ctx, achCase()), vigil.ECONFLICT)
	bad := achCase()
	bad.Ratings[0].Rating = "X"
	wantCode(t, as.CreateACHCase(ctx, bad), vigil.EINVALID)
	bad = achCase()
	bad.ID = "bad id; DROP TABLE"
	wantCode(t, as.CreateACHCase(ctx, bad), vigil.EINVALID)

	got, err := as.FindACHCase(ctx, "iskp")
	must(t, err)
	if got.Title != c.Title || len(got.Hypotheses) != 2 || len(got.Evidence) != 2 || len(got.Ratings) != 2 {
		t.Fatalf("FindACHCase = %+v", got)
	}
	if !slices.Equal(got.Hypotheses[0].HeldBy, []string{"taliban"}) {
		t.Errorf("held by = %v", got.Hypotheses[0].HeldBy)
	}
	ind := got.Evidence[1].Indicator
	if ind == nil || ind.IfMet["H2"] != vigil.RatingCC || got.Evidence[1].Relevance != vigil.WeightHigh || got.Evidence[0].Credibility != 5 {
		t.Errorf("evidence round trip = %+v / %+v", got.Evidence, ind)
	}
	_, err = as.FindACHCase(ctx, "nope")
	wantCode(t, err, vigil.ENOTFOUND)

	must(t, as.AddACHHypothesis(ctx, "iskp", &vigil.ACHHypothesis{ID: "H3", Title: "Local"}))
	wantCode(t, as.AddACHHypothesis(ctx, "iskp", &vigil.ACHHypothesis{ID: "H3", Title: "again"}), vigil.ECONFLICT)
	wantCode(t, as.AddACHHypothesis(ctx, "nope", &vigil.ACHHypothesis{ID: "H9", Title: "x"}), vigil.ENOTFOUND)
	must(t, as.AddACHEvidence(ctx, "iskp", &vigil.ACHEvidence{ID: "E3", Title: "UCDP", Kind: vigil.EvidenceEvent, Ref: "ged:1"}))
	wantCode(t, as.AddACHEvidence(ctx, "iskp", &vigil.ACHEvidence{ID: "E4", Title: "bad", Kind: vigil.EvidenceIndicator,
		Indicator: &vigil.ACHIndicator{Metric: "events", Op: ">", IfMet: map[string]vigil.ACHRating{"H9": "C"}}}), vigil.EINVALID)

	// Two analysts rate alone; a consensus is recorded beside them.
	must(t, as.RateACH(ctx, "iskp", &vigil.ACHRatingEntry{Evidence: "E3", Hypothesis: "H3", Analyst: "bob", Rating: "C"}))
	r := &vigil.ACHRatingEntry{Evidence: "E3", Hypothesis: "H3", Analyst: "ann", Rating: "I", Rationale: "first"}
	must(t, as.RateACH(ctx, "iskp", r))
	if r.At.IsZero() {
		t.Error("RateACH did not set At")
	}
	must(t, as.RateACH(ctx, "iskp", &vigil.ACHRatingEntry{Evidence: "E3", Hypothesis: "H3", Analyst: "ann", Rating: "II", Rationale: "second"}))
	must(t, as.RateACH(ctx, "iskp", &vigil.ACHRatingEntry{Evidence: "E3", Hypothesis: "H3", Analyst: "ann", Rating: "N", Consensus: true}))
	wantCode(t, as.RateACH(ctx, "iskp", &vigil.ACHRatingEntry{Evidence: "E9", Hypothesis: "H3", Analyst: "ann", Rating: "N"}), vigil.ENOTFOUND)
	wantCode(t, as.RateACH(ctx, "iskp", &vigil.ACHRatingEntry{Evidence: "E3", Hypothesis: "H3", Analyst: "", Rating: "N"}), vigil.EINVALID)
	got, err = as.FindACHCase(ctx, "iskp")
	must(t, err)
	var cell []string
	for _, r := range got.Ratings {
		if r.Evidence == "E3" {
			cell = append(cell, r.Analyst+":"+string(r.Rating)+":"+r.Rationale+":"+map[bool]string{true: "consensus"}[r.Consensus])
		}
	}
	if want := []string{"ann:II:second:", "bob:C::", "ann:N::consensus"}; !slices.Equal(cell, want) {
		t.Errorf("ratings of E3/H3 = %q, want %q", cell, want)
	}

	// Import brings the case up to a file and keeps what the file lacks.
	c2 := achCase()
	c2.Title = "Renamed"
	c2.Ratings[0].Rating = "C"
	must(t, as.ImportACHCase(ctx, c2))
	must(t, as.ImportACHCase(ctx, c2))
	got, err = as.FindACHCase(ctx, "iskp")
	must(t, err)
	if got.Title != "Renamed" || len(got.Hypotheses) != 3 || len(got.Evidence) != 3 || len(got.Ratings) != 5 || got.Ratings[0].Rating != "C" {
		t.Errorf("after import: %+v", got)
	}
	list, err := as.FindACHCases(ctx)
	must(t, err)
	if len(list) != 1 || list[0].ID != "iskp" || list[0].Title != "Renamed" {
		t.Errorf("FindACHCases = %+v", list)
	}
}

func testACHHistory(t *testing.T, s vigil.Store) {
	as := achStore(t, s)
	must(t, as.CreateACHCase(ctx, achCase()))
	for i, v := range []float64{2, 3} {
		must(t, as.RecordACHIndicatorValue(ctx, &vigil.ACHIndicatorValue{Case: "iskp", Evidence: "E2", Value: v, Met: v >= 3, Events: 5 + i, EventIDs: []int64{1, 2}}))
	}
	wantCode(t, as.RecordACHIndicatorValue(ctx, &vigil.ACHIndicatorValue{Case: "iskp", Evidence: "E9"}), vigil.ENOTFOUND)
	vs, err := as.FindACHIndicatorValues(ctx, "iskp", "E2")
	must(t, err)
	if len(vs) != 2 || vs[0].Value != 2 || vs[1].Value != 3 || !vs[1].Met || vs[1].Events != 6 || !slices.Equal(vs[1].EventIDs, []int64{1, 2}) || vs[0].At.IsZero() {
		t.Errorf("indicator history = %+v", vs)
	}
	all, err := as.FindACHIndicatorValues(ctx, "iskp", "")
	must(t, err)
	if len(all) != 2 {
		t.Errorf("all values = %d, want 2", len(all))
	}
	must(t, as.RecordACHRanking(ctx, &vigil.ACHRanking{Case: "iskp", Order: []string{"H1", "H2"}, Scores: map[string]float64{"H1": 0, "H2": 1.5}, Trigger: "import"}))
	must(t, as.RecordACHRanking(ctx, &vigil.ACHRanking{Case: "iskp", Order: []string{"H2", "H1"}, Scores: map[string]float64{"H1": 2.8, "H2": 0}}))
	wantCode(t, as.RecordACHRanking(ctx, &vigil.ACHRanking{Case: "nope"}), vigil.ENOTFOUND)
	rk, err := as.FindACHRankings(ctx, "iskp")
	must(t, err)
	if len(rk) != 2 || !slices.Equal(rk[1].Order, []string{"H2", "H1"}) || rk[0].Scores["H2"] != 1.5 || rk[0].Trigger != "import" {
		t.Errorf("rankings = %+v", rk)
	}
}

func testWatch(t *testing.T, s vigil.Store) {
	ws := watchStore(t, s)
	r := &vigil.WatchRule{Name: "iskp-units", Kind: vigil.WatchNewUnit, Actor: "ISKP", Webhook: "http://127.0.0.1:9/hook"}
	must(t, ws.CreateWatchRule(ctx, r))
	if r.ID == 0 || r.CreatedAt.IsZero() {
		t.Fatalf("CreateWatchRule did not set ID: %+v", r)
	}
	wantCode(t, ws.CreateWatchRule(ctx, &vigil.WatchRule{Name: "iskp-units", Kind: vigil.WatchNewUnit, Actor: "x"}), vigil.ECONFLICT)
	wantCode(t, ws.CreateWatchRule(ctx, &vigil.WatchRule{Name: "x", Kind: "sometimes", Actor: "x"}), vigil.EINVALID)
	wantCode(t, ws.CreateWatchRule(ctx, &vigil.WatchRule{Name: "x", Kind: vigil.WatchNewUnit, Actor: "x", Webhook: "file:///etc/passwd"}), vigil.EINVALID)
	must(t, ws.UpdateWatchRuleState(ctx, r.ID, json.RawMessage(`{"seen":["AF"]}`)))
	wantCode(t, ws.UpdateWatchRuleState(ctx, 999, nil), vigil.ENOTFOUND)
	rules, err := ws.FindWatchRules(ctx)
	must(t, err)
	if len(rules) != 1 || string(rules[0].State) != `{"seen":["AF"]}` || rules[0].Webhook != r.Webhook {
		t.Fatalf("FindWatchRules = %+v", rules)
	}

	a := &vigil.Alert{RuleID: r.ID, RuleName: r.Name, Kind: r.Kind, Key: "unit:UZ", Message: "ISKP struck UZ", Webhook: r.Webhook,
		Details: map[string]any{"country": "UZ"}}
	must(t, ws.CreateAlert(ctx, a))
	wantCode(t, ws.CreateAlert(ctx, &vigil.Alert{RuleID: r.ID, Key: "unit:UZ", Message: "again"}), vigil.ECONFLICT)
	must(t, ws.CreateAlert(ctx, &vigil.Alert{RuleID: r.ID, RuleName: r.Name, Kind: r.Kind, Key: "unit:TJ", Message: "local"}))
	pending, err := ws.FindAlerts(ctx, vigil.AlertFilter{Undelivered: true})
	must(t, err)
	if len(pending) != 1 || pending[0].Key != "unit:UZ" || pending[0].Details["country"] != "UZ" {
		t.Fatalf("undelivered = %+v", pending)
	}
	a.Attempts, a.Delivered, a.DeliveredAt = 2, true, a.RaisedAt
	must(t, ws.UpdateAlertDelivery(ctx, a))
	pending, err = ws.FindAlerts(ctx, vigil.AlertFilter{Undelivered: true})
	must(t, err)
	if len(pending) != 0 {
		t.Errorf("undelivered after delivery = %+v", pending)
	}
	all, err := ws.FindAlerts(ctx, vigil.AlertFilter{RuleID: r.ID})
	must(t, err)
	if len(all) != 2 || all[0].Key != "unit:TJ" || all[1].Attempts != 2 || !all[1].Delivered {
		t.Errorf("alerts = %+v", all)
	}
	must(t, ws.DeleteWatchRule(ctx, r.ID))
	wantCode(t, ws.DeleteWatchRule(ctx, r.ID), vigil.ENOTFOUND)
	all, err = ws.FindAlerts(ctx, vigil.AlertFilter{})
	must(t, err)
	if len(all) != 2 {
		t.Errorf("alerts after the rule's deletion = %d, want 2 kept", len(all))
	}
}
