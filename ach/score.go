// Package ach scores Analysis of Competing Hypotheses case files (Heuer's
// ACH): inconsistency and weighted scores, the diagnosticity of each item,
// the sensitivity of the ranking to each item and source, the spread of
// analysts' ratings, and warnings where a hypothesis rests only on its
// holders' own word; and it re-evaluates indicator items on the data.
package ach

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/vigil-osint/vigil"
)

// Cell is one item under one hypothesis: the rating the scores use, how
// it was reached, and every analyst's own rating.
type Cell struct {
	Evidence   string          `json:"evidence"`
	Hypothesis string          `json:"hypothesis"`
	Rating     vigil.ACHRating `json:"rating"` // empty when nobody rated it
	// Basis says where Rating came from: consensus, indicator, agreed
	// (every analyst gave it), median (the analysts differ and no
	// consensus is recorded), or unrated.
	Basis     string `json:"basis"`
	Rationale string `json:"rationale,omitempty"`
	// Analysts maps each analyst to their own rating.
	Analysts map[string]vigil.ACHRating `json:"analysts,omitempty"`
	// Spread is the distance between the analysts' extreme ratings on
	// the scale CC +2 … II −2 (0 when they agree); Disputed says they
	// differ at all (NA against a rating counts).
	Spread   int  `json:"spread"`
	Disputed bool `json:"disputed"`
}

// HypothesisScore is a hypothesis's scores. The lower the inconsistency,
// the likelier the hypothesis; Rank 1 is the likeliest, ties share a rank.
type HypothesisScore struct {
	ID            string  `json:"id"`
	Title         string  `json:"title"`
	Inconsistency float64 `json:"inconsistency"`
	Weighted      float64 `json:"weighted_inconsistency"`
	Rank          int     `json:"rank"`
	// Consistent counts the items rated C or CC under the hypothesis,
	// Inconsistent those rated I or II.
	Consistent   int `json:"consistent"`
	Inconsistent int `json:"inconsistent"`
}

// ItemScore is an item's weight and diagnosticity.
type ItemScore struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Source string `json:"source,omitempty"`
	// CredibilityWeight and Relevance are the weights used (the item's
	// own, or for credibility, derived from its source's grade).
	CredibilityWeight vigil.ACHWeight `json:"credibility_weight"`
	Relevance         vigil.ACHWeight `json:"relevance"`
	Weight            float64         `json:"weight"`
	// Diagnostic is false when the item is rated alike under every
	// hypothesis it bears on: it proves nothing. Diagnosticity is the
	// weighted distance between its most and least consistent ratings;
	// Scores says whether it moves the inconsistency scores at all (an
	// item rated C under one hypothesis and CC under another is
	// diagnostic in kind but counts in no inconsistency score).
	Diagnostic    bool    `json:"diagnostic"`
	Diagnosticity float64 `json:"diagnosticity"`
	Scores        bool    `json:"scores"`
	Note          string  `json:"note,omitempty"`
}

// Sensitivity says whether the ranking survives an item being wrong.
type Sensitivity struct {
	Evidence string `json:"evidence"`
	// Drop: the ranking without the item.
	DropOrder      []string `json:"drop_order"`
	DropChanges    bool     `json:"drop_changes"`
	DropTopChanges bool     `json:"drop_top_changes"`
	// Deceptive: the ranking when the item's source is taken as
	// deliberately deceptive, so that every item it gave means the
	// opposite (CC↔II, C↔I). Empty when the item has no source.
	DeceptiveOrder      []string `json:"deceptive_order,omitempty"`
	DeceptiveChanges    bool     `json:"deceptive_changes"`
	DeceptiveTopChanges bool     `json:"deceptive_top_changes"`
}

// Warning is something the reader of the scores must know.
type Warning struct {
	// Kind: self-serving (a hypothesis rests only on its holders' own
	// sources), own-sources (at least half of its support does),
	// unsupported, unrated (cells nobody rated), disputed
	// (analysts differ and no consensus is recorded), unknown-source;
	// unresolved (items whose document, report or event is not in the
	// store: Unresolved, for readers cleared for everything).
	Kind       string   `json:"kind"`
	Hypothesis string   `json:"hypothesis,omitempty"`
	Evidence   []string `json:"evidence,omitempty"`
	Message    string   `json:"message"`
}

// Result is a scored case.
type Result struct {
	Case       string            `json:"case"`
	Title      string            `json:"title"`
	Hypotheses []HypothesisScore `json:"hypotheses"` // in the case's order
	// Order lists the hypothesis IDs from likeliest to least likely.
	Order       []string      `json:"order"`
	Items       []ItemScore   `json:"evidence"`
	Cells       [][]Cell      `json:"cells"` // [item][hypothesis], in the case's order
	Sensitivity []Sensitivity `json:"sensitivity"`
	Warnings    []Warning     `json:"warnings"`
}

// Score scores a case. sources maps source names to sources, for the
// grades behind derived credibility weights and the parties the sources
// speak for; a source it lacks counts as ungraded (F).
func Score(c *vigil.ACHCase, sources map[string]*vigil.Source) *Result {
	r := &Result{Case: c.ID, Title: c.Title, Warnings: []Warning{}, Sensitivity: []Sensitivity{}}
	r.Cells = Cells(c)
	weights := make([]float64, len(c.Evidence))
	unknown := map[string]bool{}
	for i, e := range c.Evidence {
		src := sources[e.Source]
		if e.Source != "" && src == nil && !unknown[e.Source] {
			unknown[e.Source] = true
			r.Warnings = append(r.Warnings, Warning{Kind: "unknown-source", Evidence: []string{e.ID},
				Message: fmt.Sprintf("source %q is not in the store: its grade counts as F (cannot be judged)", e.Source)})
		}
		cw := e.CredibilityWeight
		if cw == "" {
			cw = DeriveCredibility(src, e.Credibility)
		}
		rel := e.Relevance
		if rel == "" {
			rel = vigil.WeightMedium
		}
		weights[i] = cw.Factor() * rel.Factor()
		it := ItemScore{ID: e.ID, Title: e.Title, Source: e.Source, CredibilityWeight: cw, Relevance: rel, Weight: weights[i]}
		it.Diagnostic, it.Diagnosticity, it.Scores = diagnosticity(r.Cells[i], weights[i])
		it.Weight, it.Diagnosticity = round(it.Weight), round(it.Diagnosticity)
		if !it.Diagnostic {
			it.Note = "rated alike under every hypothesis: proves nothing"
		} else if !it.Scores {
			it.Note = "no hypothesis finds it inconsistent: it counts in no score"
		}
		r.Items = append(r.Items, it)
	}
	ratings := effective(r.Cells)
	base := scoreMatrix(ratings, weights, len(c.Hypotheses))
	for j, h := range c.Hypotheses {
		hs := HypothesisScore{ID: h.ID, Title: h.Title, Inconsistency: base[j].plain, Weighted: round(base[j].weighted)}
		for i := range ratings {
			switch ratings[i][j] {
			case vigil.RatingC, vigil.RatingCC:
				hs.Consistent++
			case vigil.RatingI, vigil.RatingII:
				hs.Inconsistent++
			}
		}
		r.Hypotheses = append(r.Hypotheses, hs)
	}
	ranks := rank(base)
	for j := range r.Hypotheses {
		r.Hypotheses[j].Rank = ranks[j]
	}
	r.Order = order(c, ranks, base)

	// Sensitivity: drop each item; invert every item of its source.
	for i, e := range c.Evidence {
		s := Sensitivity{Evidence: e.ID}
		w := slices.Clone(weights)
		w[i] = 0
		dr := rank(scoreMatrix(ratings, w, len(c.Hypotheses)))
		s.DropOrder = order(c, dr, scoreMatrix(ratings, w, len(c.Hypotheses)))
		s.DropChanges, s.DropTopChanges = !slices.Equal(dr, ranks), !sameTop(dr, ranks)
		if e.Source != "" {
			inv := make([][]vigil.ACHRating, len(ratings))
			for k := range ratings {
				inv[k] = ratings[k]
				if c.Evidence[k].Source == e.Source {
					inv[k] = make([]vigil.ACHRating, len(ratings[k]))
					for j, x := range ratings[k] {
						inv[k][j] = x.Invert()
					}
				}
			}
			m := scoreMatrix(inv, weights, len(c.Hypotheses))
			d := rank(m)
			s.DeceptiveOrder = order(c, d, m)
			s.DeceptiveChanges, s.DeceptiveTopChanges = !slices.Equal(d, ranks), !sameTop(d, ranks)
		}
		r.Sensitivity = append(r.Sensitivity, s)
	}
	r.warn(c, sources, ratings)
	return r
}

// DeriveCredibility weighs an item by its source's reliability and the
// credibility of its information, when the analyst set no weight: high
// for a reliable source (A, B) with information confirmed or probable
// (or not judged), low for an unreliable or deceptive source (D, E, G),
// for doubtful or improbable information, or for information that cannot
// be judged from a source not known to be reliable; medium otherwise.
func DeriveCredibility(src *vigil.Source, cred vigil.Credibility) vigil.ACHWeight {
	rel := vigil.ReliabilityF
	if src != nil {
		rel = src.Reliability
	}
	good := rel == vigil.ReliabilityA || rel == vigil.ReliabilityB
	switch {
	case rel == vigil.ReliabilityD || rel == vigil.ReliabilityE || rel == vigil.ReliabilityG:
		return vigil.WeightLow
	case cred == vigil.CredibilityDoubtful || cred == vigil.CredibilityImprobable:
		return vigil.WeightLow
	case cred == vigil.CredibilityUnknown && !good:
		return vigil.WeightLow
	case good && (cred == 0 || cred == vigil.CredibilityConfirmed || cred == vigil.CredibilityProbable):
		return vigil.WeightHigh
	}
	return vigil.WeightMedium
}

// Cells returns the matrix of a case: for each item and hypothesis, the
// rating that counts and every analyst's own. A recorded consensus (the
// latest, when several) counts; without one, the rating the analysts
// share, or when they differ their median on the scale (the more
// inconsistent of the two middle ratings when their number is even,
// so that a dispute never flatters a hypothesis).
func Cells(c *vigil.ACHCase) [][]Cell {
	ei, hi := map[string]int{}, map[string]int{}
	for i, e := range c.Evidence {
		ei[e.ID] = i
	}
	for j, h := range c.Hypotheses {
		hi[h.ID] = j
	}
	cells := make([][]Cell, len(c.Evidence))
	for i, e := range c.Evidence {
		cells[i] = make([]Cell, len(c.Hypotheses))
		for j, h := range c.Hypotheses {
			cells[i][j] = Cell{Evidence: e.ID, Hypothesis: h.ID, Basis: "unrated"}
		}
	}
	consensus := map[[2]int]vigil.ACHRatingEntry{}
	for _, rt := range c.Ratings {
		i, ok1 := ei[rt.Evidence]
		j, ok2 := hi[rt.Hypothesis]
		if !ok1 || !ok2 {
			continue
		}
		if rt.Consensus {
			if old, ok := consensus[[2]int{i, j}]; !ok || !rt.At.Before(old.At) {
				consensus[[2]int{i, j}] = rt
			}
			continue
		}
		cl := &cells[i][j]
		if cl.Analysts == nil {
			cl.Analysts = map[string]vigil.ACHRating{}
		}
		cl.Analysts[rt.Analyst] = rt.Rating
	}
	for i := range cells {
		for j := range cells[i] {
			cl := &cells[i][j]
			var vals []int
			na := 0
			for _, r := range cl.Analysts {
				if v, ok := r.Value(); ok {
					vals = append(vals, v)
				} else {
					na++
				}
			}
			slices.Sort(vals)
			if len(vals) > 0 {
				cl.Spread = vals[len(vals)-1] - vals[0]
			}
			cl.Disputed = cl.Spread > 0 || (na > 0 && len(vals) > 0)
			if rt, ok := consensus[[2]int{i, j}]; ok {
				cl.Rating, cl.Rationale, cl.Basis = rt.Rating, rt.Rationale, "consensus"
				if rt.Analyst == vigil.IndicatorAnalyst {
					cl.Basis = "indicator"
				}
				continue
			}
			switch {
			case len(cl.Analysts) == 0:
			case len(vals) == 0:
				cl.Rating, cl.Basis = vigil.RatingNA, "agreed"
			case !cl.Disputed:
				cl.Rating, cl.Basis = fromValue(vals[0]), "agreed"
			default:
				cl.Rating, cl.Basis = fromValue(vals[(len(vals)-1)/2]), "median"
			}
			if len(cl.Analysts) == 1 {
				for _, rt := range c.Ratings {
					if rt.Evidence == cl.Evidence && rt.Hypothesis == cl.Hypothesis && !rt.Consensus {
						cl.Rationale = rt.Rationale
					}
				}
			}
		}
	}
	return cells
}

func fromValue(v int) vigil.ACHRating {
	return [...]vigil.ACHRating{vigil.RatingII, vigil.RatingI, vigil.RatingN, vigil.RatingC, vigil.RatingCC}[v+2]
}

func effective(cells [][]Cell) [][]vigil.ACHRating {
	out := make([][]vigil.ACHRating, len(cells))
	for i := range cells {
		out[i] = make([]vigil.ACHRating, len(cells[i]))
		for j := range cells[i] {
			out[i][j] = cells[i][j].Rating
		}
	}
	return out
}

// diagnosticity compares an item's ratings across the hypotheses. NA and
// unrated cells weigh as N in the spread and count in no score, but a
// rating against NA is still a difference: the item bears on some
// hypotheses and not others.
func diagnosticity(row []Cell, w float64) (diagnostic bool, spread float64, scores bool) {
	if len(row) < 2 {
		return false, 0, false
	}
	vals := make([]int, len(row))
	inc := make([]float64, len(row))
	for j, c := range row {
		vals[j], _ = c.Rating.Value()
		inc[j] = c.Rating.Inconsistency()
		diagnostic = diagnostic || c.Rating != row[0].Rating
	}
	return diagnostic, float64(slices.Max(vals)-slices.Min(vals)) * w, slices.Min(inc) != slices.Max(inc)
}

type score struct{ plain, weighted float64 }

// scoreMatrix sums Heuer's inconsistency (I 1, II 2) per hypothesis,
// plain and weighted by each item's credibility × relevance.
func scoreMatrix(ratings [][]vigil.ACHRating, weights []float64, nh int) []score {
	out := make([]score, nh)
	for i, row := range ratings {
		for j, r := range row {
			if weights[i] == 0 {
				continue
			}
			out[j].plain += r.Inconsistency()
			out[j].weighted += r.Inconsistency() * weights[i]
		}
	}
	return out
}

// eps makes equal sums of irrational weights compare equal.
const eps = 1e-9

// rank gives competition ranks by weighted inconsistency, lowest first:
// hypotheses whose scores are equal share a rank.
func rank(s []score) []int {
	ranks := make([]int, len(s))
	for j := range s {
		ranks[j] = 1
		for k := range s {
			if s[k].weighted < s[j].weighted-eps {
				ranks[j]++
			}
		}
	}
	return ranks
}

// order lists hypothesis IDs by rank, then plain inconsistency, then the
// case's order.
func order(c *vigil.ACHCase, ranks []int, s []score) []string {
	idx := make([]int, len(ranks))
	for j := range idx {
		idx[j] = j
	}
	sort.SliceStable(idx, func(a, b int) bool {
		ja, jb := idx[a], idx[b]
		if ranks[ja] != ranks[jb] {
			return ranks[ja] < ranks[jb]
		}
		return cmp.Less(s[ja].plain, s[jb].plain)
	})
	out := make([]string, len(idx))
	for k, j := range idx {
		out[k] = c.Hypotheses[j].ID
	}
	return out
}

func sameTop(a, b []int) bool {
	for j := range a {
		if (a[j] == 1) != (b[j] == 1) {
			return false
		}
	}
	return true
}

func (r *Result) warn(c *vigil.ACHCase, sources map[string]*vigil.Source, ratings [][]vigil.ACHRating) {
	for j, h := range c.Hypotheses {
		var support, own []string
		for i, e := range c.Evidence {
			if !favours(ratings[i], j) {
				continue
			}
			support = append(support, e.ID)
			if src := sources[e.Source]; src != nil && src.SpeaksFor != "" && slices.Contains(h.HeldBy, src.SpeaksFor) {
				own = append(own, e.ID)
			}
		}
		switch {
		case len(support) == 0:
			r.Warnings = append(r.Warnings, Warning{Kind: "unsupported", Hypothesis: h.ID,
				Message: fmt.Sprintf("%s: no item favours it (rated consistent with it and less so with another)", h.ID)})
		case len(own) == len(support) && len(h.HeldBy) > 0:
			r.Warnings = append(r.Warnings, Warning{Kind: "self-serving", Hypothesis: h.ID, Evidence: own,
				Message: fmt.Sprintf("%s rests only on sources that speak for the party that holds it (%s): %s",
					h.ID, strings.Join(h.HeldBy, ", "), strings.Join(own, ", "))})
		case 2*len(own) >= len(support) && len(own) > 0:
			r.Warnings = append(r.Warnings, Warning{Kind: "own-sources", Hypothesis: h.ID, Evidence: own,
				Message: fmt.Sprintf("%s: %d of the %d items that favour it come from sources that speak for its holders (%s)",
					h.ID, len(own), len(support), strings.Join(own, ", "))})
		}
	}
	var unrated, disputed []string
	for i := range r.Cells {
		for j := range r.Cells[i] {
			cl := r.Cells[i][j]
			if cl.Basis == "unrated" {
				unrated = append(unrated, cl.Evidence+"/"+cl.Hypothesis)
			}
			if cl.Basis == "median" {
				disputed = append(disputed, cl.Evidence+"/"+cl.Hypothesis)
			}
		}
	}
	if len(unrated) > 0 {
		r.Warnings = append(r.Warnings, Warning{Kind: "unrated", Evidence: unrated,
			Message: fmt.Sprintf("%d cells are unrated and count in no score: %s", len(unrated), clipList(unrated, 8))})
	}
	if len(disputed) > 0 {
		r.Warnings = append(r.Warnings, Warning{Kind: "disputed", Evidence: disputed,
			Message: fmt.Sprintf("%d cells where analysts differ have no consensus; the median counts: %s", len(disputed), clipList(disputed, 8))})
	}
}

// favours reports whether an item supports hypothesis j: rated C or CC
// under it and less consistent under some other hypothesis. An item that
// is consistent with everything supports nothing.
func favours(row []vigil.ACHRating, j int) bool {
	v, _ := row[j].Value()
	if v < 1 {
		return false
	}
	for k, r := range row {
		if w, _ := r.Value(); k != j && w < v {
			return true
		}
	}
	return false
}

func clipList(xs []string, n int) string {
	if len(xs) <= n {
		return strings.Join(xs, ", ")
	}
	return strings.Join(xs[:n], ", ") + fmt.Sprintf(" and %d more", len(xs)-n)
}

// round keeps scores readable in JSON and tables.
func round(x float64) float64 { return math.Round(x*1000) / 1000 }
