package ach

import "github.com/vigil-osint/vigil"

// View is a scored case as vigil ach show --format json prints it and the
// API serves it: the case's text beside its scores.
type View struct {
	ID         string                 `json:"id"`
	Title      string                 `json:"title"`
	Question   string                 `json:"question,omitempty"`
	Hypotheses []HypothesisView       `json:"hypotheses"`
	Order      []string               `json:"order"`
	Evidence   []ItemView             `json:"evidence"`
	Ratings    []vigil.ACHRatingEntry `json:"ratings"`
	Matrix     [][]Cell               `json:"matrix"`
	Sensitive  []Sensitivity          `json:"sensitivity"`
	Warnings   []Warning              `json:"warnings"`
}

// HypothesisView is a hypothesis's score with its description and who
// holds it.
type HypothesisView struct {
	HypothesisScore
	Description string   `json:"description,omitempty"`
	HeldBy      []string `json:"held_by,omitempty"`
}

// ItemView is an item's score with what it is and the grade of its source.
type ItemView struct {
	ItemScore
	Kind        vigil.EvidenceKind  `json:"kind"`
	Ref         string              `json:"ref,omitempty"`
	Reliability vigil.Reliability   `json:"reliability,omitempty"`
	SpeaksFor   string              `json:"speaks_for,omitempty"`
	Credibility vigil.Credibility   `json:"credibility,omitempty"`
	Indicator   *vigil.ACHIndicator `json:"indicator,omitempty"`
}

// NewView puts a case and its scores (Score's result) side by side; srcs
// are the sources by name, for the items' grades. Lists are empty, never
// null.
func NewView(c *vigil.ACHCase, r *Result, srcs map[string]*vigil.Source) *View {
	v := &View{ID: c.ID, Title: c.Title, Question: c.Question, Order: r.Order, Ratings: c.Ratings,
		Matrix: r.Cells, Sensitive: r.Sensitivity, Warnings: r.Warnings,
		Hypotheses: []HypothesisView{}, Evidence: []ItemView{}}
	if v.Ratings == nil {
		v.Ratings = []vigil.ACHRatingEntry{}
	}
	if v.Matrix == nil {
		v.Matrix = [][]Cell{}
	}
	for j, h := range r.Hypotheses {
		v.Hypotheses = append(v.Hypotheses, HypothesisView{HypothesisScore: h, Description: c.Hypotheses[j].Description, HeldBy: c.Hypotheses[j].HeldBy})
	}
	for i, it := range r.Items {
		e := c.Evidence[i]
		iv := ItemView{ItemScore: it, Kind: e.Kind, Ref: e.Ref, Credibility: e.Credibility, Indicator: e.Indicator}
		if src := srcs[e.Source]; src != nil {
			iv.Reliability, iv.SpeaksFor = src.Reliability, src.SpeaksFor
		}
		v.Evidence = append(v.Evidence, iv)
	}
	return v
}
