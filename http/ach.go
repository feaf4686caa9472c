package http

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

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

// viewACH scores a case as the principal may see it. Items that point at
// material above their clearance are left out with their ratings;
// indicator items are evaluated on the events they may see (their ratings
// are the indicator's, as `vigil ach refresh` would set them, undated, and
// a consensus the analysts record counts over them); sources
// they may not know of count as not in the store. Nothing in the view
// depends on what they may not see.
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
	hidden, err := s.hiddenEvidence(ctx, p, stored.Evidence)
	if err != nil {
		return nil, nil, err
	}
	c := *stored
	c.Evidence, c.Ratings = nil, nil
	for _, e := range stored.Evidence {
		if !hidden[e.ID] {
			c.Evidence = append(c.Evidence, e)
		}
	}
	indicators := map[string]bool{}
	for _, e := range c.Evidence {
		if e.Kind == vigil.EvidenceIndicator && e.Indicator != nil {
			indicators[e.ID] = true
		}
	}
	for _, rt := range stored.Ratings {
		if hidden[rt.Evidence] || indicators[rt.Evidence] && rt.Analyst == vigil.IndicatorAnalyst && rt.Consensus {
			continue
		}
		c.Ratings = append(c.Ratings, rt)
	}
	readings := []achReading{}
	facts := map[string][]vigil.EventFact{} // by actor
	for _, e := range c.Evidence {
		if !indicators[e.ID] {
			continue
		}
		if s.Analysis == nil {
			return nil, nil, errorf(eNotImplemented, "this store computes no indicators")
		}
		in := e.Indicator
		fs, ok := facts[in.Actor]
		if !ok {
			if fs, err = s.Analysis.FindEventFacts(ctx, vigil.FactFilter{EventFilter: vigil.EventFilter{Actor: in.Actor, Clearance: p.clearance()}}); err != nil {
				return nil, nil, err
			}
			facts[in.Actor] = fs
		}
		rd := ach.Evaluate(in, fs)
		ratings, verdict := in.IfNotMet, "not met"
		if rd.Met {
			ratings, verdict = in.IfMet, "met"
		}
		why := fmt.Sprintf("%s: found %g from %s to %s, so the condition is %s.", in.Condition(), rd.Value, rd.From, rd.To, verdict)
		if in.Rationale != "" {
			why = strings.TrimSpace(in.Rationale) + " " + why
		}
		for _, h := range c.Hypotheses {
			if rt, ok := ratings[h.ID]; ok {
				// Dated at the case's creation, so that a consensus the
				// analysts record on the item counts over it (the time
				// the stored indicator last changed may owe to material
				// the reader may not see).
				c.Ratings = append(c.Ratings, vigil.ACHRatingEntry{Evidence: e.ID, Hypothesis: h.ID, Analyst: vigil.IndicatorAnalyst,
					Consensus: true, Rating: rt, Rationale: why, At: stored.CreatedAt})
			}
		}
		ids := rd.EventIDs
		if ids == nil {
			ids = []int64{}
		}
		readings = append(readings, achReading{Evidence: e.ID, Condition: in.Condition(), Value: rd.Value, Met: rd.Met,
			Events: rd.Events, EventIDs: ids, From: rd.From, To: rd.To})
	}
	stats, err := s.sourceStats(requestCtx{ctx}, p.clearance())
	if err != nil {
		return nil, nil, err
	}
	srcs := map[string]*vigil.Source{}
	for _, st := range stats {
		srcs[st.Source.Name] = st.Source
	}
	res := ach.Score(&c, srcs)
	for i := range c.Ratings {
		if c.Ratings[i].Analyst == vigil.IndicatorAnalyst {
			c.Ratings[i].At = time.Time{}
		}
	}
	v := &achView{View: ach.NewView(&c, res, srcs), Readings: readings}
	return v, stored, nil
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
// json` prints it: the indicator values and rankings recorded, oldest
// first. They were computed over all the store holds, so only readers
// cleared for RED may read them; the case itself (GET /ach/{id}) shows
// everyone the readings and ranking their clearance allows.
func (s *Server) achHistory(w http.ResponseWriter, r *http.Request, p *principal) error {
	ctx := r.Context()
	if _, _, err := s.viewACH(ctx, p, r.PathValue("id")); err != nil {
		return err
	}
	if !p.seesAll() {
		return errorf(vigil.EFORBIDDEN, "the history's values were computed over material above your clearance; the case shows the readings your clearance allows")
	}
	id := r.PathValue("id")
	vs, err := s.ACH.FindACHIndicatorValues(ctx, id, "")
	if err != nil {
		return err
	}
	rk, err := s.ACH.FindACHRankings(ctx, id)
	if err != nil {
		return err
	}
	if vs == nil {
		vs = []vigil.ACHIndicatorValue{}
	}
	if rk == nil {
		rk = []vigil.ACHRanking{}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"indicator_values": vs, "rankings": rk})
}
