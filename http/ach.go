package http

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/ach"
)

// achSummary is a case in the list of cases.
type achSummary struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	Question string `json:"question,omitempty"`
}

// listACH lists the ACH cases.
func (s *Server) listACH(w http.ResponseWriter, r *http.Request, p *principal) error {
	if s.ACH == nil {
		return errorf(eNotImplemented, "this store keeps no ACH cases")
	}
	cs, err := s.ACH.FindACHCases(r.Context())
	if err != nil {
		return err
	}
	out := []achSummary{}
	for _, c := range cs {
		out = append(out, achSummary{ID: c.ID, Title: c.Title, Question: c.Question})
	}
	return writeJSON(w, http.StatusOK, out)
}

// achView is a scored case as a reader sees it: `vigil ach show --format
// json`, with the readings of its indicator items.
type achView struct {
	*ach.View
	// Readings are the indicator items' values on the events the reader
	// may see, each with the events that make it.
	Readings []achReading `json:"readings"`
}

// achReading is an indicator item's value.
type achReading struct {
	Evidence  string     `json:"evidence"`
	Condition string     `json:"condition"`
	Value     float64    `json:"value"`
	Met       bool       `json:"met"`
	Events    int        `json:"events"`
	EventIDs  []int64    `json:"event_ids"`
	From      vigil.Date `json:"from,omitzero"`
	To        vigil.Date `json:"to,omitzero"`
}

// viewACH scores a case as the principal may see it, with
// ach.AtClearance (as the history below RED is recorded): items that
// point at material above their clearance are left out with their
// ratings; indicator items are evaluated on the events they may see;
// sources they may not know of count as not in the store. Nothing in the
// view depends on what they may not see.
func (s *Server) viewACH(ctx context.Context, p *principal, id string) (*achView, *vigil.ACHCase, error) {
	if s.ACH == nil {
		return nil, nil, errorf(eNotImplemented, "this store keeps no ACH cases")
	}
	stored, err := s.ACH.FindACHCase(ctx, id)
	if vigil.ErrorCode(err) == vigil.ENOTFOUND {
		return nil, nil, errorf(vigil.ENOTFOUND, "ach case %q", id)
	} else if err != nil {
		return nil, nil, err
	}
	hidden, err := ach.Hidden(ctx, achMarker{s}, stored.Evidence, p.clearance())
	if err != nil {
		return nil, nil, err
	}
	if s.Analysis == nil && slices.ContainsFunc(stored.Evidence, func(e vigil.ACHEvidence) bool {
		return !hidden[e.ID] && e.Kind == vigil.EvidenceIndicator && e.Indicator != nil
	}) {
		return nil, nil, errorf(eNotImplemented, "this store computes no indicators")
	}
	stats, err := s.sourceStats(requestCtx{ctx}, p.clearance())
	if err != nil {
		return nil, nil, err
	}
	srcs := map[string]*vigil.Source{}
	for _, st := range stats {
		srcs[st.Source.Name] = st.Source
	}
	cl, err := ach.AtClearance(ctx, s.Analysis, stored, p.clearance(), hidden, srcs)
	if err != nil {
		return nil, nil, err
	}
	readings := []achReading{}
	for _, rd := range cl.Readings {
		ids := rd.EventIDs
		if ids == nil {
			ids = []int64{}
		}
		readings = append(readings, achReading{Evidence: rd.Evidence, Condition: rd.Condition, Value: rd.Value, Met: rd.Met,
			Events: rd.Events, EventIDs: ids, From: rd.From, To: rd.To})
	}
	if p.seesAll() {
		// Below RED such items are hidden; RED is told they rest on nothing.
		uw, err := ach.Unresolved(ctx, achMarker{s}, stored.Evidence)
		if err != nil {
			return nil, nil, err
		}
		if uw != nil {
			cl.Result.Warnings = append(cl.Result.Warnings, *uw)
		}
	}
	v := &achView{View: ach.NewView(cl.Case, cl.Result, srcs), Readings: readings}
	return v, stored, nil
}

// achMarker finds the markings of the material a case's items point at
// for ach.Hidden: a store that keeps no markings finds none, so that a
// reader below RED sees no item that points at stored material.
type achMarker struct{ s *Server }

func (m achMarker) FindEventMarkings(ctx context.Context, ids []int64) (map[int64]vigil.TLP, error) {
	if mf, ok := m.s.Browse.(vigil.MarkingFinder); ok {
		return mf.FindEventMarkings(ctx, ids)
	}
	return nil, nil
}

func (m achMarker) FindEventKeyMarkings(ctx context.Context, keys []string) (map[string]vigil.TLP, error) {
	if mf, ok := m.s.Browse.(vigil.MarkingFinder); ok {
		return mf.FindEventKeyMarkings(ctx, keys)
	}
	return nil, nil
}

func (m achMarker) FindReportMarkings(ctx context.Context, ids []int64) (map[int64]vigil.TLP, error) {
	if mf, ok := m.s.Browse.(vigil.MarkingFinder); ok {
		return mf.FindReportMarkings(ctx, ids)
	}
	return nil, nil
}

func (m achMarker) FindDocumentByKey(ctx context.Context, source, key string) (*vigil.Document, error) {
	return m.s.Store.FindDocumentByKey(ctx, source, key)
}

// requestCtx adapts a context to the cached reads' requestContext.
type requestCtx struct{ ctx context.Context }

func (r requestCtx) Context() context.Context { return r.ctx }

// getACH returns a case scored, with its ETag: rate a cell with If-Match.
func (s *Server) getACH(w http.ResponseWriter, r *http.Request, p *principal) error {
	v, _, err := s.viewACH(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeTagged(w, r, v)
}

// ratingRequest is the body of PUT /ach/{id}/ratings/{evidence}/{hypothesis}.
type ratingRequest struct {
	Rating    vigil.ACHRating `json:"rating"`
	Rationale string          `json:"rationale"`
	// Consensus records the team's agreed rating, which counts over the
	// analysts' own.
	Consensus bool `json:"consensus"`
}

// rateACH records the principal's rating of one cell, under If-Match with
// the case's ETag, so that two analysts rating from the same version
// cannot silently overwrite each other: the second gets 412 and reads the
// case again. The answer is the case scored anew.
func (s *Server) rateACH(w http.ResponseWriter, r *http.Request, p *principal) error {
	var req ratingRequest
	if err := s.decode(w, r, &req); err != nil {
		return err
	}
	req.Rating = vigil.ACHRating(strings.ToUpper(strings.TrimSpace(string(req.Rating))))
	if !req.Rating.Valid() {
		return errorf(vigil.EINVALID, "rating: want CC, C, N, I, II or NA")
	}
	if len(req.Rationale) > 10000 {
		return errorf(vigil.EINVALID, "rationale: at most 10,000 bytes")
	}
	ctx := r.Context()
	id, item, hyp := r.PathValue("id"), r.PathValue("evidence"), r.PathValue("hypothesis")
	unlock, err := s.lockEdits(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	v, stored, err := s.viewACH(ctx, p, id)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(v.Evidence, func(e ach.ItemView) bool { return e.ID == item }) {
		return errorf(vigil.ENOTFOUND, "evidence %q of ach case %q", item, id)
	}
	if !slices.ContainsFunc(v.Hypotheses, func(h ach.HypothesisView) bool { return h.ID == hyp }) {
		return errorf(vigil.ENOTFOUND, "hypothesis %q of ach case %q", hyp, id)
	}
	if err := checkIfMatch(r, v); err != nil {
		return err
	}
	var before *vigil.ACHRatingEntry
	for i, rt := range stored.Ratings {
		if rt.Evidence == item && rt.Hypothesis == hyp && rt.Analyst == p.user.Name && rt.Consensus == req.Consensus {
			before = &stored.Ratings[i]
		}
	}
	entry := &vigil.ACHRatingEntry{Evidence: item, Hypothesis: hyp, Analyst: p.user.Name, Rating: req.Rating,
		Rationale: req.Rationale, Consensus: req.Consensus}
	e := &vigil.AuditEntry{Actor: p.actor(), Action: "ach.rate", Object: "ach/" + id, Before: vigil.AuditJSON(before)}
	err = vigil.Audited(ctx, s.Audit, e, func(e *vigil.AuditEntry) { e.After = vigil.AuditJSON(entry) },
		func(ctx context.Context) error { return s.ACH.RateACH(ctx, id, entry) })
	if err != nil {
		return err
	}
	// Record the case's ranking in its history, as `vigil ach rate` does.
	if as, ok := s.ACH.(ach.Store); ok {
		if _, err := ach.Refresh(ctx, as, id, "rate"); err != nil {
			return err
		}
	}
	v, _, err = s.viewACH(ctx, p, id)
	if err != nil {
		return err
	}
	return writeTagged(w, r, v)
}

// achHistory returns a case's history, as `vigil ach history --format
// json` prints it: the indicator values and rankings recorded at the
// reader's clearance, oldest first. Below RED they were computed, as the
// case is shown (GET /ach/{id}), over what that clearance may see.
func (s *Server) achHistory(w http.ResponseWriter, r *http.Request, p *principal) error {
	ctx := r.Context()
	id := r.PathValue("id")
	if _, _, err := s.viewACH(ctx, p, id); err != nil {
		return err
	}
	level := p.clearance()
	if p.seesAll() {
		level = vigil.TLPRed
	}
	vs, err := s.ACH.FindACHIndicatorValues(ctx, id, "")
	if err != nil {
		return err
	}
	rk, err := s.ACH.FindACHRankings(ctx, id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"indicator_values": ach.AtLevel(vs, level), "rankings": ach.AtLevel(rk, level)})
}
