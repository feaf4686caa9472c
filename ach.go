package vigil

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"time"
)

// Analysis of Competing Hypotheses (Heuer's ACH): a case sets hypotheses
// against items of evidence, and analysts rate each item under each
// hypothesis. The scores are computed by package ach; this file holds the
// case as it is stored.

// ACHRating is how consistent an item of evidence is with a hypothesis.
type ACHRating string

// The ratings, from most consistent to most inconsistent, and NA for an
// item that does not bear on a hypothesis.
const (
	RatingCC ACHRating = "CC" // very consistent
	RatingC  ACHRating = "C"  // consistent
	RatingN  ACHRating = "N"  // neutral
	RatingI  ACHRating = "I"  // inconsistent
	RatingII ACHRating = "II" // very inconsistent
	RatingNA ACHRating = "NA" // not applicable
)

// ACHRatings lists the ratings in scale order.
var ACHRatings = []ACHRating{RatingCC, RatingC, RatingN, RatingI, RatingII, RatingNA}

// Valid reports whether r is one of the six ratings.
func (r ACHRating) Valid() bool {
	switch r {
	case RatingCC, RatingC, RatingN, RatingI, RatingII, RatingNA:
		return true
	}
	return false
}

// Inconsistency is Heuer's count: I is 1, II is 2, every other rating 0.
func (r ACHRating) Inconsistency() float64 {
	switch r {
	case RatingI:
		return 1
	case RatingII:
		return 2
	}
	return 0
}

// Value places r on the scale CC +2, C +1, N 0, I −1, II −2; ok is false
// for NA, which has no place on it.
func (r ACHRating) Value() (v int, ok bool) {
	switch r {
	case RatingCC:
		return 2, true
	case RatingC:
		return 1, true
	case RatingN:
		return 0, true
	case RatingI:
		return -1, true
	case RatingII:
		return -2, true
	}
	return 0, false
}

// Invert returns the rating an item would earn were its content false: CC
// and II swap, C and I swap; N and NA stay.
func (r ACHRating) Invert() ACHRating {
	switch r {
	case RatingCC:
		return RatingII
	case RatingC:
		return RatingI
	case RatingI:
		return RatingC
	case RatingII:
		return RatingCC
	}
	return r
}

// ACHWeight is a credibility or relevance weight, as PARC ACH has them.
type ACHWeight string

// The weights.
const (
	WeightLow    ACHWeight = "low"
	WeightMedium ACHWeight = "medium"
	WeightHigh   ACHWeight = "high"
)

// Valid reports whether w is low, medium or high; empty counts as medium.
func (w ACHWeight) Valid() bool {
	switch w {
	case "", WeightLow, WeightMedium, WeightHigh:
		return true
	}
	return false
}

// Factor is the multiplier of the weight: low 1/√2, medium (or unset) 1,
// high √2.
func (w ACHWeight) Factor() float64 {
	switch w {
	case WeightLow:
		return 1 / math.Sqrt2
	case WeightHigh:
		return math.Sqrt2
	}
	return 1
}

// EvidenceKind says what an item of evidence points at.
type EvidenceKind string

// The kinds of evidence.
const (
	EvidenceDocument  EvidenceKind = "document"  // a stored document (Ref: its key)
	EvidenceReport    EvidenceKind = "report"    // a stored report (Ref: its id)
	EvidenceEvent     EvidenceKind = "event"     // a stored event (Ref: its key or id)
	EvidenceStatement EvidenceKind = "statement" // a free statement with a source
	EvidenceIndicator EvidenceKind = "indicator" // an indicator with a condition, evaluated on the data
)

// ACHCase is a case file: hypotheses, evidence, and the analysts' ratings.
type ACHCase struct {
	// ID is a short slug chosen by the analyst ("iskp").
	ID         string           `json:"id"`
	Title      string           `json:"title"`
	Question   string           `json:"question,omitempty"`
	Notes      string           `json:"notes,omitempty"`
	CreatedBy  string           `json:"created_by,omitempty"`
	CreatedAt  time.Time        `json:"created_at,omitzero"`
	UpdatedAt  time.Time        `json:"updated_at,omitzero"`
	Hypotheses []ACHHypothesis  `json:"hypotheses"`
	Evidence   []ACHEvidence    `json:"evidence"`
	Ratings    []ACHRatingEntry `json:"ratings"`
}

// ACHHypothesis is one of a case's competing hypotheses.
type ACHHypothesis struct {
	ID          string `json:"id"` // unique in its case: "H1"
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	// HeldBy lists the actor IDs of the parties that hold the hypothesis
	// ("taliban"); evidence from sources that speak for them is not
	// independent of it.
	HeldBy []string `json:"held_by,omitempty"`
}

// ACHEvidence is an item of evidence.
type ACHEvidence struct {
	ID    string       `json:"id"` // unique in its case: "E1"
	Title string       `json:"title"`
	Kind  EvidenceKind `json:"kind"`
	// Ref points at the stored thing: a document key, a report id, an
	// event key or id. Empty for statements and indicators.
	Ref string `json:"ref,omitempty"`
	// Source names the source the item comes from (a vigil.Source name);
	// its grade and the party it speaks for come from the store.
	Source string `json:"source,omitempty"`
	// Credibility of the information, 1–6 (0: not judged).
	Credibility Credibility `json:"credibility,omitempty"`
	// CredibilityWeight and Relevance weight the item in the weighted
	// score; empty is medium.
	CredibilityWeight ACHWeight `json:"credibility_weight,omitempty"`
	Relevance         ACHWeight `json:"relevance,omitempty"`
	Notes             string    `json:"notes,omitempty"`
	// Indicator is the condition of an indicator item.
	Indicator *ACHIndicator `json:"indicator,omitempty"`
}

// ACHIndicator is an indicator with a condition: a metric over the events
// a filter selects, compared with a threshold. Its ratings follow from
// whether the condition holds: IfMet or IfNotMet, by hypothesis ID.
type ACHIndicator struct {
	// Metric is one of events, killed, countries, admin1_units,
	// new_countries, new_admin1_units, outside_home_share.
	Metric string `json:"metric"`
	Actor  string `json:"actor,omitempty"`
	// Countries keeps events in these countries; ExcludeCountries drops
	// events in those (ISO 3166-1 alpha-2).
	Countries        []string `json:"countries,omitempty"`
	ExcludeCountries []string `json:"exclude_countries,omitempty"`
	// Home is the home area for outside_home_share (admin-1 codes or names).
	Home []string `json:"home,omitempty"`
	// From and To bound the window; Months, when set, makes the window the
	// Months months up to To, or when To is zero up to the actor's latest
	// event anywhere (Countries and ExcludeCountries do not move it).
	From   Date `json:"from,omitzero"`
	To     Date `json:"to,omitzero"`
	Months int  `json:"months,omitempty"`
	// Op is one of >=, >, <=, <, ==.
	Op        string  `json:"op"`
	Threshold float64 `json:"threshold"`
	// IfMet and IfNotMet give the rating under each hypothesis ID.
	IfMet    map[string]ACHRating `json:"if_met"`
	IfNotMet map[string]ACHRating `json:"if_not_met"`
	// Rationale explains the ratings; the value found is added to it.
	Rationale string `json:"rationale,omitempty"`
}

// Condition writes the indicator's condition in words.
func (in *ACHIndicator) Condition() string {
	s := in.Metric
	if in.Actor != "" {
		s = in.Actor + " " + s
	}
	if len(in.Countries) > 0 {
		s += fmt.Sprintf(" in %v", in.Countries)
	}
	if len(in.ExcludeCountries) > 0 {
		s += fmt.Sprintf(" outside %v", in.ExcludeCountries)
	}
	switch {
	case in.Months > 0 && in.To.IsZero():
		s += fmt.Sprintf(" in the %d months to the latest event", in.Months)
	case in.Months > 0:
		s += fmt.Sprintf(" in the %d months to %s", in.Months, in.To)
	case !in.From.IsZero() || !in.To.IsZero():
		s += fmt.Sprintf(" from %s to %s", dateOr(in.From, "the first event"), dateOr(in.To, "the latest"))
	}
	return fmt.Sprintf("%s %s %g", s, in.Op, in.Threshold)
}

func dateOr(d Date, s string) string {
	if d.IsZero() {
		return s
	}
	return d.String()
}

// IndicatorAnalyst is the analyst name under which indicator items'
// ratings are recorded: they are computed, as a consensus, from the data.
const IndicatorAnalyst = "vigil:indicator"

// ACHRatingEntry is one analyst's rating of one item under one hypothesis,
// or, with Consensus set, the rating the team agreed on (Analyst says who
// recorded it).
type ACHRatingEntry struct {
	Evidence   string    `json:"evidence"`
	Hypothesis string    `json:"hypothesis"`
	Analyst    string    `json:"analyst"`
	Rating     ACHRating `json:"rating"`
	Rationale  string    `json:"rationale,omitempty"`
	Consensus  bool      `json:"consensus,omitempty"`
	At         time.Time `json:"at,omitzero"`
}

var achID = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$`)

var achOps = map[string]bool{">=": true, ">": true, "<=": true, "<": true, "==": true}

// ACHMetrics lists the metrics an indicator item can test.
var ACHMetrics = []string{"events", "killed", "countries", "admin1_units", "new_countries", "new_admin1_units", "outside_home_share"}

// Validate checks the case: ids, kinds, weights, ratings and indicators,
// and that every rating names an item and a hypothesis of the case.
func (c *ACHCase) Validate() error {
	if !achID.MatchString(c.ID) {
		return Errorf(EINVALID, "ach case %q: id must be letters, digits, '.', '_' or '-'", c.ID)
	}
	if c.Title == "" {
		return Errorf(EINVALID, "ach case %q: title required", c.ID)
	}
	hyps := map[string]bool{}
	for _, h := range c.Hypotheses {
		if err := h.Validate(); err != nil {
			return fmt.Errorf("ach case %q: %w", c.ID, err)
		}
		if hyps[h.ID] {
			return Errorf(EINVALID, "ach case %q: hypothesis %q twice", c.ID, h.ID)
		}
		hyps[h.ID] = true
	}
	items := map[string]bool{}
	for _, e := range c.Evidence {
		if err := e.Validate(); err != nil {
			return fmt.Errorf("ach case %q: %w", c.ID, err)
		}
		if items[e.ID] {
			return Errorf(EINVALID, "ach case %q: evidence %q twice", c.ID, e.ID)
		}
		items[e.ID] = true
		if e.Indicator != nil {
			for _, m := range []map[string]ACHRating{e.Indicator.IfMet, e.Indicator.IfNotMet} {
				for h := range m {
					if !hyps[h] {
						return Errorf(EINVALID, "ach case %q: evidence %q: unknown hypothesis %q", c.ID, e.ID, h)
					}
				}
			}
		}
	}
	for _, r := range c.Ratings {
		if err := r.Validate(); err != nil {
			return fmt.Errorf("ach case %q: %w", c.ID, err)
		}
		if !items[r.Evidence] {
			return Errorf(EINVALID, "ach case %q: rating of unknown evidence %q", c.ID, r.Evidence)
		}
		if !hyps[r.Hypothesis] {
			return Errorf(EINVALID, "ach case %q: rating under unknown hypothesis %q", c.ID, r.Hypothesis)
		}
	}
	return nil
}

// Validate checks the hypothesis's id and title.
func (h *ACHHypothesis) Validate() error {
	if !achID.MatchString(h.ID) {
		return Errorf(EINVALID, "hypothesis %q: id must be letters, digits, '.', '_' or '-'", h.ID)
	}
	if h.Title == "" {
		return Errorf(EINVALID, "hypothesis %q: title required", h.ID)
	}
	return nil
}

// Validate checks the item's id, kind, weights and indicator.
func (e *ACHEvidence) Validate() error {
	switch {
	case !achID.MatchString(e.ID):
		return Errorf(EINVALID, "evidence %q: id must be letters, digits, '.', '_' or '-'", e.ID)
	case e.Title == "":
		return Errorf(EINVALID, "evidence %q: title required", e.ID)
	case !e.CredibilityWeight.Valid():
		return Errorf(EINVALID, "evidence %q: credibility weight %q: want low, medium or high", e.ID, e.CredibilityWeight)
	case !e.Relevance.Valid():
		return Errorf(EINVALID, "evidence %q: relevance %q: want low, medium or high", e.ID, e.Relevance)
	case e.Credibility != 0 && !e.Credibility.Valid():
		return Errorf(EINVALID, "evidence %q: credibility %d: want 1–6", e.ID, e.Credibility)
	}
	switch e.Kind {
	case EvidenceDocument, EvidenceReport, EvidenceEvent:
		if e.Ref == "" {
			return Errorf(EINVALID, "evidence %q: ref required (the %s's key or id)", e.ID, e.Kind)
		}
	case EvidenceStatement:
		if e.Source == "" {
			return Errorf(EINVALID, "evidence %q: a statement needs its source", e.ID)
		}
	case EvidenceIndicator:
		if e.Indicator == nil {
			return Errorf(EINVALID, "evidence %q: an indicator item needs its indicator", e.ID)
		}
		return e.Indicator.Validate(e.ID)
	default:
		return Errorf(EINVALID, "evidence %q: kind %q: want document, report, event, statement or indicator", e.ID, e.Kind)
	}
	if e.Indicator != nil {
		return Errorf(EINVALID, "evidence %q: only indicator items take an indicator", e.ID)
	}
	return nil
}

// Validate checks the indicator's metric, operator, window and ratings.
func (in *ACHIndicator) Validate(item string) error {
	known := false
	for _, m := range ACHMetrics {
		known = known || m == in.Metric
	}
	switch {
	case !known:
		return Errorf(EINVALID, "evidence %q: metric %q: want one of %v", item, in.Metric, ACHMetrics)
	case !achOps[in.Op]:
		return Errorf(EINVALID, "evidence %q: op %q: want >=, >, <=, < or ==", item, in.Op)
	case in.Months < 0:
		return Errorf(EINVALID, "evidence %q: months %d: want 1 or more (the window up to the latest event), or none", item, in.Months)
	case in.Months > 0 && !in.From.IsZero():
		return Errorf(EINVALID, "evidence %q: give months or from, not both", item)
	case !in.From.IsZero() && !in.To.IsZero() && in.To.Before(in.From):
		return Errorf(EINVALID, "evidence %q: to %s before from %s", item, in.To, in.From)
	case in.Metric == "outside_home_share" && len(in.Home) == 0:
		return Errorf(EINVALID, "evidence %q: outside_home_share needs home", item)
	case len(in.IfMet) == 0 && len(in.IfNotMet) == 0:
		return Errorf(EINVALID, "evidence %q: an indicator needs if_met or if_not_met ratings", item)
	}
	for _, m := range []map[string]ACHRating{in.IfMet, in.IfNotMet} {
		for h, r := range m {
			if !r.Valid() {
				return Errorf(EINVALID, "evidence %q: rating %q under %q: want CC, C, N, I, II or NA", item, r, h)
			}
		}
	}
	return nil
}

// Validate checks the rating.
func (r *ACHRatingEntry) Validate() error {
	switch {
	case r.Evidence == "" || r.Hypothesis == "":
		return Errorf(EINVALID, "rating: evidence and hypothesis required")
	case r.Analyst == "":
		return Errorf(EINVALID, "rating %s/%s: analyst required", r.Evidence, r.Hypothesis)
	case !r.Rating.Valid():
		return Errorf(EINVALID, "rating %s/%s: %q: want CC, C, N, I, II or NA", r.Evidence, r.Hypothesis, r.Rating)
	}
	return nil
}

// ACHIndicatorValue is one evaluation of an indicator item.
type ACHIndicatorValue struct {
	Case     string    `json:"case"`
	Evidence string    `json:"evidence"`
	At       time.Time `json:"at"`
	Value    float64   `json:"value"`
	Met      bool      `json:"met"`
	// Events counts the events the value was computed over; EventIDs are
	// the ones that make it (cut to a few hundred).
	Events   int     `json:"events"`
	EventIDs []int64 `json:"event_ids,omitempty"`
	Note     string  `json:"note,omitempty"`
	// Clearance is the level the value was computed for: over the events
	// a reader cleared for it may see. Empty is recorded as RED, over
	// everything.
	Clearance TLP `json:"clearance,omitempty"`
}

// ACHRanking is the hypotheses' ranking at one moment.
type ACHRanking struct {
	Case string    `json:"case"`
	At   time.Time `json:"at"`
	// Order lists hypothesis IDs from most to least likely; Scores holds
	// the weighted inconsistency of each.
	Order  []string           `json:"order"`
	Scores map[string]float64 `json:"scores"`
	// Trigger says what caused the scoring ("import", "rate", "refresh").
	Trigger string `json:"trigger,omitempty"`
	// Clearance is the level the ranking was computed for: over the items,
	// events and sources a reader cleared for it may see. Empty is
	// recorded as RED, over everything.
	Clearance TLP `json:"clearance,omitempty"`
}

// ACHService keeps ACH case files, their ratings and the history of their
// indicator values and rankings.
type ACHService interface {
	// CreateACHCase records a new case with its hypotheses, evidence and
	// ratings. EINVALID when it does not validate, ECONFLICT when the id
	// is taken.
	CreateACHCase(ctx context.Context, c *ACHCase) error
	// ImportACHCase creates the case or brings the stored one up to c:
	// the title and notes, hypotheses and evidence are replaced by id,
	// ratings added or replaced by (item, hypothesis, analyst, consensus).
	// Nothing stored is deleted. EINVALID when c does not validate.
	ImportACHCase(ctx context.Context, c *ACHCase) error
	// FindACHCase returns the case with everything it holds, or ENOTFOUND.
	FindACHCase(ctx context.Context, id string) (*ACHCase, error)
	// FindACHCases returns every case, by id, without hypotheses,
	// evidence or ratings.
	FindACHCases(ctx context.Context) ([]*ACHCase, error)
	// AddACHHypothesis adds a hypothesis to a case. ENOTFOUND for an
	// unknown case, ECONFLICT when the id is taken, EINVALID.
	AddACHHypothesis(ctx context.Context, caseID string, h *ACHHypothesis) error
	// AddACHEvidence adds an item to a case, as AddACHHypothesis.
	AddACHEvidence(ctx context.Context, caseID string, e *ACHEvidence) error
	// RateACH records a rating, replacing the same analyst's earlier
	// rating of the cell (consensus apart from individual ratings) and
	// setting r.At. ENOTFOUND for an unknown case, item or hypothesis.
	RateACH(ctx context.Context, caseID string, r *ACHRatingEntry) error
	// RecordACHIndicatorValue appends an indicator evaluation to the
	// item's history, at its clearance (empty is RED, and is set so).
	// ENOTFOUND for an unknown case or item.
	RecordACHIndicatorValue(ctx context.Context, v *ACHIndicatorValue) error
	// FindACHIndicatorValues returns the history of a case's indicator
	// values at every clearance, oldest first; an empty evidence id means
	// every item.
	FindACHIndicatorValues(ctx context.Context, caseID, evidence string) ([]ACHIndicatorValue, error)
	// RecordACHRanking appends a ranking to the case's history, at its
	// clearance (empty is RED, and is set so).
	RecordACHRanking(ctx context.Context, r *ACHRanking) error
	// FindACHRankings returns the case's rankings at every clearance,
	// oldest first.
	FindACHRankings(ctx context.Context, caseID string) ([]ACHRanking, error)
}
