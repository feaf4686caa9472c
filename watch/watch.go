// Package watch asks standing questions of the data each time it lands
// (has an actor struck a new country or province, does its tempo run above
// its baseline, has a new contradiction appeared, has an ACH case's
// ranking changed) and delivers the alerts they raise to webhooks, signed
// with HMAC-SHA256 and retried with backoff.
package watch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/ach"
	"github.com/vigil-osint/vigil/analysis"
)

// Store is what watching needs of a store.
type Store interface {
	vigil.WatchService
	ach.Store
	FindEvents(ctx context.Context, f vigil.EventFilter) ([]*vigil.Event, int, error)
}

// Defaults of the rules' parameters.
const (
	DefaultWindowDays   = 90
	DefaultBaselineDays = 365
	DefaultThreshold    = 2.0
)

// State is a rule's memory between runs.
type State struct {
	// Seen holds the keys of the findings already known.
	Seen []string `json:"seen"`
	// Last is the last ranking an ach-ranking rule saw; Changes counts the
	// changes it alerted on.
	Last    string `json:"last,omitempty"`
	Changes int    `json:"changes,omitempty"`
}

// Finding is one answer to a rule's question.
type Finding struct {
	Key     string
	Message string
	Details map[string]any
}

// Run evaluates every rule against the store and records an alert for each
// new finding. A rule without state is armed: its first run records what
// is already there and raises nothing. It returns the alerts raised. A rule
// that fails (its ACH case deleted, say) does not keep the others from
// running: the error names each rule that failed.
func Run(ctx context.Context, s Store) ([]*vigil.Alert, error) {
	rules, err := s.FindWatchRules(ctx)
	if err != nil {
		return nil, err
	}
	var raised []*vigil.Alert
	var errs []error
	for _, r := range rules {
		as, err := runRule(ctx, s, r)
		raised = append(raised, as...)
		if err != nil {
			if ctx.Err() != nil {
				return raised, err
			}
			errs = append(errs, fmt.Errorf("watch: rule %q: %w", r.Name, err))
		}
	}
	return raised, errors.Join(errs...)
}

// Arm runs one new rule for the first time: it records what the data
// already holds, so that its next run alerts only on what is new, and
// leaves the other rules alone.
func Arm(ctx context.Context, s Store, r *vigil.WatchRule) error {
	if _, err := runRule(ctx, s, r); err != nil {
		return fmt.Errorf("watch: rule %q: %w", r.Name, err)
	}
	return nil
}

func runRule(ctx context.Context, s Store, r *vigil.WatchRule) ([]*vigil.Alert, error) {
	var st State
	armed := len(r.State) > 0
	if armed {
		if err := json.Unmarshal(r.State, &st); err != nil {
			return nil, fmt.Errorf("state: %w", err)
		}
	}
	var fs []Finding
	var err error
	if r.Kind == vigil.WatchACHRanking {
		fs, err = rankingFindings(ctx, s, r, &st, armed)
	} else {
		fs, err = Findings(ctx, s, r)
	}
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, k := range st.Seen {
		seen[k] = true
	}
	var raised []*vigil.Alert
	for _, f := range fs {
		if seen[f.Key] {
			continue
		}
		seen[f.Key] = true
		if !armed {
			continue
		}
		a := &vigil.Alert{RuleID: r.ID, RuleName: r.Name, Kind: r.Kind, Key: f.Key, Message: f.Message, Details: f.Details, Webhook: r.Webhook}
		switch err := s.CreateAlert(ctx, a); {
		case vigil.ErrorCode(err) == vigil.ECONFLICT:
			continue
		case err != nil:
			return raised, err
		}
		raised = append(raised, a)
	}
	st.Seen = slices.Sorted(maps.Keys(seen))
	b, err := json.Marshal(st)
	if err != nil {
		return raised, fmt.Errorf("state: %w", err)
	}
	return raised, s.UpdateWatchRuleState(ctx, r.ID, b)
}

// Findings answers a rule's question on the store's data as it stands:
// every unit entered, the tempo test when it fires, every contradiction
// above the threshold. (ach-ranking rules compare with their state and are
// answered by Run.)
func Findings(ctx context.Context, s Store, r *vigil.WatchRule) ([]Finding, error) {
	switch r.Kind {
	case vigil.WatchNewUnit:
		facts, err := s.FindEventFacts(ctx, vigil.FactFilter{EventFilter: vigil.EventFilter{Actor: r.Actor}})
		if err != nil {
			return nil, err
		}
		return unitFindings(r.Actor, facts), nil
	case vigil.WatchTempo:
		facts, err := s.FindEventFacts(ctx, vigil.FactFilter{EventFilter: vigil.EventFilter{Actor: r.Actor}})
		if err != nil {
			return nil, err
		}
		return tempoFindings(r, facts), nil
	case vigil.WatchContradiction:
		evs, _, err := s.FindEvents(ctx, vigil.EventFilter{Actor: r.Actor})
		if err != nil {
			return nil, err
		}
		return contradictionFindings(r, evs), nil
	}
	return nil, vigil.Errorf(vigil.EINVALID, "watch rule %q: kind %q has no findings of its own", r.Name, r.Kind)
}

// unitFindings names each country and admin-1 unit the actor has struck,
// with the first event there.
func unitFindings(actor string, facts []vigil.EventFact) []Finding {
	slices.SortFunc(facts, func(a, b vigil.EventFact) int {
		if c := a.DateStart.Time().Compare(b.DateStart.Time()); c != 0 {
			return c
		}
		return int(a.ID - b.ID)
	})
	var out []Finding
	seen := map[string]bool{}
	for _, f := range facts {
		if f.Country == "" {
			continue
		}
		details := map[string]any{"actor": actor, "country": f.Country, "event_id": f.ID, "date": f.DateStart.String()}
		if k := "country:" + f.Country; !seen[k] {
			seen[k] = true
			out = append(out, Finding{Key: k, Details: details,
				Message: fmt.Sprintf("%s struck a new country: %s (event %d, %s)", actor, f.Country, f.ID, f.DateStart)})
		}
		if f.Admin1 == "" {
			continue
		}
		if k := "admin1:" + f.Country + "/" + strings.ToUpper(f.Admin1); !seen[k] {
			seen[k] = true
			d := maps.Clone(details)
			d["admin1"], d["admin1_name"] = f.Admin1, f.Admin1Name
			name := f.Admin1
			if f.Admin1Name != "" && f.Admin1Name != f.Admin1 {
				name += " " + f.Admin1Name
			}
			out = append(out, Finding{Key: k, Details: d,
				Message: fmt.Sprintf("%s struck a new province: %s, %s (event %d, %s)", actor, name, f.Country, f.ID, f.DateStart)})
		}
	}
	return out
}

// tempoFindings tests the actor's events in the latest window (ending on
// its latest event) against the baseline before it: the exact conditional
// test of two Poisson rates (analysis.Compare). It fires when the rate
// ratio's 95% interval lies wholly above 1.
func tempoFindings(r *vigil.WatchRule, facts []vigil.EventFact) []Finding {
	w, b := r.WindowDays, r.BaselineDays
	if w == 0 {
		w = DefaultWindowDays
	}
	if b == 0 {
		b = DefaultBaselineDays
	}
	var last vigil.Date
	for _, f := range facts {
		if f.DateStart.After(last) {
			last = f.DateStart
		}
	}
	if last.IsZero() {
		return nil
	}
	wFrom := last.AddDays(-(w - 1))
	bTo := wFrom.AddDays(-1)
	bFrom := bTo.AddDays(-(b - 1))
	o := analysis.Options{By: analysis.Year, Bootstrap: -1}
	o.From, o.To = bFrom, bTo
	base := analysis.Compute(facts, o)
	o.From, o.To = wFrom, last
	win := analysis.Compute(facts, o)
	// Compute narrows an empty selection's span; the exposures must be the
	// stated ones.
	base.From, base.To, win.From, win.To = bFrom, bTo, wFrom, last
	c := analysis.Compare("baseline", base, "window", win)
	rr := c.EventRate
	if !rr.OK || rr.Low <= 1 {
		return nil
	}
	test := fmt.Sprintf("exact conditional Poisson test of the rate ratio, %d days against the %d before; fires when the 95%% interval lies above 1", w, b)
	return []Finding{{
		Key: "tempo:" + last.String()[:7],
		Message: fmt.Sprintf("%s's tempo is above its baseline: %d events in the %d days to %s against %d in the %d days before (rate ratio %.2f, 95%% interval %.2f–%.2f, p = %.3g)",
			r.Actor, win.Total.Events, w, last, base.Total.Events, b, rr.Ratio, rr.Low, rr.High, rr.P),
		Details: map[string]any{"actor": r.Actor, "window_from": wFrom.String(), "window_to": last.String(), "window_events": win.Total.Events,
			"baseline_from": bFrom.String(), "baseline_to": bTo.String(), "baseline_events": base.Total.Events,
			"rate_ratio": rr.Ratio, "low": rr.Low, "high": rr.High, "p": rr.P, "test": test, "event_ids": win.Total.EventIDs},
	}}
}

// contradictionFindings names the contradictions in the actor's events:
// casualty figures whose highest toll is at least Threshold times the
// lowest, and every other kind.
func contradictionFindings(r *vigil.WatchRule, evs []*vigil.Event) []Finding {
	th := r.Threshold
	if th == 0 {
		th = DefaultThreshold
	}
	var out []Finding
	for _, e := range evs {
		for _, c := range e.Contradictions {
			d := map[string]any{"actor": r.Actor, "event_id": e.ID, "event_key": e.Key, "kind": string(c.Kind), "description": c.Description, "sides": c.Sides}
			if c.Kind == vigil.ContradictionCasualties {
				lo, hi := e.Killed.Low, e.Killed.High
				if !lo.Known || !hi.Known {
					continue
				}
				ratio := float64(hi.N) / float64(max(lo.N, 1))
				if ratio < th {
					continue
				}
				d["ratio"], d["threshold"] = ratio, th
			}
			out = append(out, Finding{Key: fmt.Sprintf("contradiction:%d:%s", e.ID, c.Kind), Details: d,
				Message: fmt.Sprintf("new contradiction in event %d (%s, %s): %s", e.ID, e.DateStart, e.Name, c.Description)})
		}
	}
	return out
}

// rankingFindings scores the rule's case and reports a ranking that
// differs from the last one seen.
func rankingFindings(ctx context.Context, s Store, r *vigil.WatchRule, st *State, armed bool) ([]Finding, error) {
	c, err := s.FindACHCase(ctx, r.Case)
	if err != nil {
		return nil, err
	}
	srcs, err := ach.SourceMap(ctx, s)
	if err != nil {
		return nil, err
	}
	res := ach.Score(c, srcs)
	sig := ach.Signature(ach.RankingOf(res))
	prev := st.Last
	st.Last = sig
	if !armed || prev == sig {
		return nil, nil
	}
	st.Changes++
	scores := map[string]any{}
	for _, h := range res.Hypotheses {
		scores[h.ID] = h.Weighted
	}
	return []Finding{{Key: fmt.Sprintf("ranking:%d:%s", st.Changes, sig),
		Message: fmt.Sprintf("the ranking of case %s changed: %s, was %s", c.ID, sig, prev),
		Details: map[string]any{"case": c.ID, "ranking": sig, "previous": prev, "weighted_inconsistency": scores}}}, nil
}

// Landed is what AfterIngest did.
type Landed struct {
	// Refreshed holds each ACH case's refresh: the indicator items that
	// changed and whether the ranking did.
	Refreshed []*ach.Refreshed
	// Alerts are the alerts raised; Delivered counts the deliveries made
	// (of these and of earlier alerts still pending).
	Alerts    []*vigil.Alert
	Delivered int
	// DeliveryErr holds the deliveries that failed; they stay pending and
	// are tried again next time.
	DeliveryErr error
}

// AfterIngest is what runs when data lands: every ACH case's indicator
// items are evaluated again (their values and the rankings kept in
// history), every rule is run, and the pending alerts are delivered when
// d is not nil.
func AfterIngest(ctx context.Context, s Store, d *Deliverer) (*Landed, error) {
	out := &Landed{}
	var refreshErr, runErr error
	if out.Refreshed, refreshErr = ach.RefreshAll(ctx, s, "import"); refreshErr != nil && ctx.Err() != nil {
		return out, refreshErr
	}
	// The rules that run raise their alerts, and these (and earlier ones
	// still pending) are delivered, even when another rule failed.
	out.Alerts, runErr = Run(ctx, s)
	if d != nil && ctx.Err() == nil {
		out.Delivered, out.DeliveryErr = DeliverPending(ctx, s, d)
	}
	return out, errors.Join(refreshErr, runErr)
}
