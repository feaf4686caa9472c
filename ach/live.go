package ach

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/analysis"
)

// Store is what live evaluation needs of a store: the case files, the
// facts of events, and the sources' grades.
type Store interface {
	vigil.ACHService
	vigil.AnalysisService
	FindSources(ctx context.Context) ([]*vigil.Source, error)
}

// Reading is an indicator's value on the data.
type Reading struct {
	Value float64
	Met   bool
	// Events counts the events in the window; EventIDs are those that
	// make the value (the events counted, or those that entered units).
	Events   int
	EventIDs []int64
	From, To vigil.Date
}

// maxIDs caps the event ids an indicator value keeps.
const maxIDs = 200

// Evaluate computes an indicator over event facts (all of the actor's
// events, of any date: those before the window decide first entries) with
// package analysis, and tests its condition.
func Evaluate(in *vigil.ACHIndicator, facts []vigil.EventFact) Reading {
	var fs []vigil.EventFact
	for _, f := range facts {
		if slices.Contains(in.ExcludeCountries, f.Country) {
			continue
		}
		if len(in.Countries) > 0 && !slices.Contains(in.Countries, f.Country) {
			continue
		}
		fs = append(fs, f)
	}
	from, to := in.From, in.To
	if in.Months > 0 {
		if to.IsZero() {
			// The actor's latest event anywhere: a quiet country must not
			// move its own window back.
			for _, f := range facts {
				if f.DateStart.After(to) {
					to = f.DateStart
				}
			}
		}
		if !to.IsZero() {
			from = vigil.DateOf(to.Time().AddDate(0, -in.Months, 1))
		}
	}
	rd := Reading{From: from, To: to}
	if len(fs) > 0 {
		ind := analysis.Compute(fs, analysis.Options{By: analysis.Year, From: from, To: to, Home: in.Home, Bootstrap: -1})
		t := ind.Total
		rd.Events, rd.From, rd.To = t.Events, ind.From, ind.To
		rd.EventIDs = t.EventIDs
		switch in.Metric {
		case "events":
			rd.Value = float64(t.Events)
		case "killed":
			rd.Value = float64(t.Killed.Best)
		case "countries":
			rd.Value = float64(t.Countries)
		case "admin1_units":
			rd.Value = float64(t.Admin1Units)
		case "new_countries":
			rd.Value, rd.EventIDs = float64(len(t.NewCountries)), entryIDs(t.NewCountries)
		case "new_admin1_units":
			rd.Value, rd.EventIDs = float64(len(t.NewAdmin1Units)), entryIDs(t.NewAdmin1Units)
		case "outside_home_share":
			if t.OutsideHome != nil {
				rd.Value, rd.EventIDs = t.OutsideHome.Share, t.OutsideHome.EventIDs
			}
		}
	}
	if len(rd.EventIDs) > maxIDs {
		rd.EventIDs = rd.EventIDs[:maxIDs]
	}
	rd.Met = compare(rd.Value, in.Op, in.Threshold)
	return rd
}

func entryIDs(es []analysis.Entry) []int64 {
	ids := make([]int64, len(es))
	for i, e := range es {
		ids[i] = e.EventID
	}
	return ids
}

func compare(v float64, op string, t float64) bool {
	switch op {
	case ">=":
		return v >= t-eps
	case ">":
		return v > t+eps
	case "<=":
		return v <= t+eps
	case "<":
		return v < t-eps
	case "==":
		return v > t-eps && v < t+eps
	}
	return false
}

// Refreshed is what a refresh did to a case.
type Refreshed struct {
	Case string
	// Changed lists the indicator items whose value or rating changed.
	Changed []string
	Result  *Result
	// Previous is the ranking recorded before, nil for the first;
	// RankingChanged says the new one differs from it.
	Previous       *vigil.ACHRanking
	RankingChanged bool
}

// Refresh re-evaluates a case's indicator items on the store's data:
// each item's value is recorded when it differs from the last recorded
// one, its ratings are set as the indicator's consensus, and the case is
// scored, with the ranking recorded when it differs from the last one.
// trigger says why ("import", "refresh"). The values and ranking so set
// are the RED level's, over everything; the levels below RED get their
// own history, computed by AtClearance as the API shows the case to a
// reader of that clearance, each recorded when it changed for its level.
func Refresh(ctx context.Context, s Store, caseID, trigger string) (*Refreshed, error) {
	c, err := s.FindACHCase(ctx, caseID)
	if err != nil {
		return nil, err
	}
	hist, err := s.FindACHIndicatorValues(ctx, caseID, "")
	if err != nil {
		return nil, err
	}
	last := map[string]vigil.ACHIndicatorValue{}
	for _, v := range AtLevel(hist, vigil.TLPRed) {
		last[v.Evidence] = v
	}
	out := &Refreshed{Case: caseID}
	for _, e := range c.Evidence {
		if e.Kind != vigil.EvidenceIndicator || e.Indicator == nil {
			continue
		}
		in := e.Indicator
		facts, err := s.FindEventFacts(ctx, vigil.FactFilter{EventFilter: vigil.EventFilter{Actor: in.Actor}})
		if err != nil {
			return nil, fmt.Errorf("ach: %s/%s: %w", caseID, e.ID, err)
		}
		rd := Evaluate(in, facts)
		prev, seen := last[e.ID]
		valueChanged := !seen || prev.Value != rd.Value || prev.Met != rd.Met
		if valueChanged {
			v := &vigil.ACHIndicatorValue{Case: caseID, Evidence: e.ID, Value: rd.Value, Met: rd.Met, Events: rd.Events,
				EventIDs: rd.EventIDs, Note: ValueNote(in, rd), Clearance: vigil.TLPRed}
			if err := s.RecordACHIndicatorValue(ctx, v); err != nil {
				return nil, err
			}
		}
		ratings, why := IndicatorRatings(in, rd)
		ratingChanged := false
		for _, h := range c.Hypotheses {
			rt, ok := ratings[h.ID]
			if !ok {
				continue
			}
			if cur := consensusOf(c, e.ID, h.ID); cur != nil && cur.Rating == rt && cur.Rationale == why {
				continue
			}
			ratingChanged = true
			if err := s.RateACH(ctx, caseID, &vigil.ACHRatingEntry{Evidence: e.ID, Hypothesis: h.ID, Analyst: vigil.IndicatorAnalyst,
				Consensus: true, Rating: rt, Rationale: why}); err != nil {
				return nil, err
			}
		}
		if valueChanged || ratingChanged {
			out.Changed = append(out.Changed, e.ID)
		}
	}
	if len(out.Changed) > 0 {
		if c, err = s.FindACHCase(ctx, caseID); err != nil {
			return nil, err
		}
	}
	srcs, err := SourceMap(ctx, s)
	if err != nil {
		return nil, err
	}
	out.Result = Score(c, srcs)
	all, err := s.FindACHRankings(ctx, caseID)
	if err != nil {
		return nil, err
	}
	if rk := AtLevel(all, vigil.TLPRed); len(rk) > 0 {
		out.Previous = &rk[len(rk)-1]
	}
	cur := RankingOf(out.Result)
	if out.Previous == nil || !sameRanking(out.Previous, &cur) {
		out.RankingChanged = out.Previous != nil && Signature(*out.Previous) != Signature(cur)
		cur.Trigger, cur.At, cur.Clearance = trigger, time.Time{}, vigil.TLPRed
		if err := s.RecordACHRanking(ctx, &cur); err != nil {
			return nil, err
		}
	}
	for _, level := range vigil.TLPLevels {
		if level == vigil.TLPRed {
			continue
		}
		if err := recordLevel(ctx, s, c, level, trigger, hist, all); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// recordLevel records the indicator values and the ranking of a case at a
// clearance below RED, each when it differs from the last one recorded
// for that level. hist and rks are the case's history at every level.
func recordLevel(ctx context.Context, s Store, c *vigil.ACHCase, level vigil.TLP, trigger string, hist []vigil.ACHIndicatorValue, rks []vigil.ACHRanking) error {
	var m Marker = hideAll{}
	if mk, ok := s.(Marker); ok {
		m = mk
	}
	hidden, err := Hidden(ctx, m, c.Evidence, level)
	if err != nil {
		return err
	}
	srcs, err := SourcesAt(ctx, s, level)
	if err != nil {
		return err
	}
	cl, err := AtClearance(ctx, s, c, level, hidden, srcs)
	if err != nil {
		return err
	}
	last := map[string]vigil.ACHIndicatorValue{}
	for _, v := range AtLevel(hist, level) {
		last[v.Evidence] = v
	}
	items := map[string]*vigil.ACHIndicator{}
	for _, e := range cl.Case.Evidence {
		items[e.ID] = e.Indicator
	}
	for _, rd := range cl.Readings {
		if prev, seen := last[rd.Evidence]; seen && prev.Value == rd.Value && prev.Met == rd.Met {
			continue
		}
		v := &vigil.ACHIndicatorValue{Case: c.ID, Evidence: rd.Evidence, Value: rd.Value, Met: rd.Met, Events: rd.Events,
			EventIDs: rd.EventIDs, Note: ValueNote(items[rd.Evidence], rd.Reading), Clearance: level}
		if err := s.RecordACHIndicatorValue(ctx, v); err != nil {
			return err
		}
	}
	cur := RankingOf(cl.Result)
	if rk := AtLevel(rks, level); len(rk) > 0 && sameRanking(&rk[len(rk)-1], &cur) {
		return nil
	}
	cur.Trigger, cur.Clearance = trigger, level
	return s.RecordACHRanking(ctx, &cur)
}

// SourceMarker is a store that knows the least restricted marking among
// each source's documents (sources without documents left out).
type SourceMarker interface {
	FindSourceMarkings(ctx context.Context) (map[string]vigil.TLP, error)
}

// SourcesAt returns the sources a reader cleared for level may know of,
// by name, as the source statistics at that clearance list them: every
// source without documents, and those with a document the level allows.
// A store that keeps no markings gives every source.
func SourcesAt(ctx context.Context, s interface {
	FindSources(ctx context.Context) ([]*vigil.Source, error)
}, level vigil.TLP) (map[string]*vigil.Source, error) {
	all, err := SourceMap(ctx, s)
	if err != nil {
		return nil, err
	}
	sm, ok := s.(SourceMarker)
	if !ok || level.Allows(vigil.TLPRed) {
		return all, nil
	}
	marks, err := sm.FindSourceMarkings(ctx)
	if err != nil {
		return nil, fmt.Errorf("ach: sources at %s: %w", level, err)
	}
	for name := range all {
		if m, ok := marks[name]; ok && !level.Allows(m) {
			delete(all, name)
		}
	}
	return all, nil
}

// hideAll is the Marker of a store that keeps no markings: it finds
// nothing, so every item that points at stored material is hidden below
// RED.
type hideAll struct{}

func (hideAll) FindEventMarkings(context.Context, []int64) (map[int64]vigil.TLP, error) {
	return nil, nil
}

func (hideAll) FindEventKeyMarkings(context.Context, []string) (map[string]vigil.TLP, error) {
	return nil, nil
}

func (hideAll) FindReportMarkings(context.Context, []int64) (map[int64]vigil.TLP, error) {
	return nil, nil
}

func (hideAll) FindDocumentByKey(context.Context, string, string) (*vigil.Document, error) {
	return nil, vigil.Errorf(vigil.ENOTFOUND, "no documents")
}

// consensusOf returns the latest consensus rating of a cell, nil for none.
func consensusOf(c *vigil.ACHCase, e, h string) *vigil.ACHRatingEntry {
	var out *vigil.ACHRatingEntry
	for i := range c.Ratings {
		r := &c.Ratings[i]
		if r.Consensus && r.Evidence == e && r.Hypothesis == h && (out == nil || !r.At.Before(out.At)) {
			out = r
		}
	}
	return out
}

// RankingOf returns a scored case's ranking, to record or compare.
func RankingOf(r *Result) vigil.ACHRanking {
	rk := vigil.ACHRanking{Case: r.Case, Order: slices.Clone(r.Order), Scores: map[string]float64{}}
	for _, h := range r.Hypotheses {
		rk.Scores[h.ID] = h.Weighted
	}
	return rk
}

// Signature writes a ranking with its ties, likeliest first: "H4 > H3 =
// H2 > H1". A change of ranking is a change of signature; scores that
// move without reordering the hypotheses change nothing.
func Signature(rk vigil.ACHRanking) string {
	var b strings.Builder
	for k, id := range rk.Order {
		if k > 0 {
			d := rk.Scores[id] - rk.Scores[rk.Order[k-1]]
			if d < eps && d > -eps {
				b.WriteString(" = ")
			} else {
				b.WriteString(" > ")
			}
		}
		b.WriteString(id)
	}
	return b.String()
}

func sameRanking(a, b *vigil.ACHRanking) bool {
	if !slices.Equal(a.Order, b.Order) || len(a.Scores) != len(b.Scores) {
		return false
	}
	for k, v := range a.Scores {
		if w, ok := b.Scores[k]; !ok || w-v > eps || v-w > eps {
			return false
		}
	}
	return true
}

// SourceMap returns the store's sources by name.
func SourceMap(ctx context.Context, s interface {
	FindSources(ctx context.Context) ([]*vigil.Source, error)
}) (map[string]*vigil.Source, error) {
	srcs, err := s.FindSources(ctx)
	if err != nil {
		return nil, fmt.Errorf("ach: sources: %w", err)
	}
	m := make(map[string]*vigil.Source, len(srcs))
	for _, src := range srcs {
		m[src.Name] = src
	}
	return m, nil
}

// RefreshAll refreshes every case in the store.
func RefreshAll(ctx context.Context, s Store, trigger string) ([]*Refreshed, error) {
	cases, err := s.FindACHCases(ctx)
	if err != nil {
		return nil, err
	}
	var out []*Refreshed
	for _, c := range cases {
		r, err := Refresh(ctx, s, c.ID, trigger)
		if err != nil {
			return out, err
		}
		out = append(out, r)
	}
	return out, nil
}
