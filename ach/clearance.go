package ach

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-osint/vigil"
)

// Marker finds the markings of the material a case's items point at, so
// that the items above a clearance can be left out.
type Marker interface {
	vigil.MarkingFinder
	// FindDocumentByKey returns a document by its source and key, or
	// ENOTFOUND.
	FindDocumentByKey(ctx context.Context, source, key string) (*vigil.Document, error)
}

// Hidden returns the ids of the items that point at stored material a
// reader cleared for clearance may not see. Below RED, an item whose
// document, report or event is not in the store is hidden too: otherwise
// the item would vanish when material above the clearance landed under
// its reference, and tell the reader so. For RED nothing is hidden.
func Hidden(ctx context.Context, m Marker, items []vigil.ACHEvidence, clearance vigil.TLP) (map[string]bool, error) {
	hidden := map[string]bool{}
	if clearance.Allows(vigil.TLPRed) {
		return hidden, nil
	}
	marks, err := refMarkings(ctx, m, items)
	if err != nil {
		return nil, err
	}
	for _, e := range items {
		switch e.Kind {
		case vigil.EvidenceDocument, vigil.EvidenceEvent, vigil.EvidenceReport:
		default:
			continue
		}
		mk, found := marks[e.ID]
		if !found || !clearance.Allows(mk) {
			hidden[e.ID] = true
		}
	}
	return hidden, nil
}

// Unresolved warns of the items whose document, report or event is not
// in the store (a mistyped key, or material not imported yet): they are
// scored as rated, but nothing in the store bears them out, and readers
// below RED never see them. It returns nil when every reference resolves.
// Only readers cleared for everything may be told, since the others do
// not see such items at all.
func Unresolved(ctx context.Context, m Marker, items []vigil.ACHEvidence) (*Warning, error) {
	marks, err := refMarkings(ctx, m, items)
	if err != nil {
		return nil, err
	}
	var ids, refs []string
	for _, e := range items {
		switch e.Kind {
		case vigil.EvidenceDocument, vigil.EvidenceEvent, vigil.EvidenceReport:
			if _, ok := marks[e.ID]; !ok {
				ids = append(ids, e.ID)
				refs = append(refs, fmt.Sprintf("%s (%s %q)", e.ID, e.Kind, e.Ref))
			}
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	return &Warning{Kind: "unresolved", Evidence: ids,
		Message: "not in the store: " + strings.Join(refs, ", ") + "; nothing stored bears them out, and readers below RED do not see them"}, nil
}

// refMarkings finds, for each document, report and event item whose
// reference is in the store, the marking of what it points at (CLEAR when
// unmarked); items whose reference is not in the store are left out.
func refMarkings(ctx context.Context, m Marker, items []vigil.ACHEvidence) (map[string]vigil.TLP, error) {
	var eventIDs, reportIDs []int64
	var eventKeys []string
	for _, e := range items {
		switch e.Kind {
		case vigil.EvidenceEvent:
			if id, err := strconv.ParseInt(e.Ref, 10, 64); err == nil {
				eventIDs = append(eventIDs, id)
			} else {
				eventKeys = append(eventKeys, e.Ref)
			}
		case vigil.EvidenceReport:
			if id, err := strconv.ParseInt(e.Ref, 10, 64); err == nil {
				reportIDs = append(reportIDs, id)
			}
		}
	}
	byID, err := m.FindEventMarkings(ctx, eventIDs)
	if err != nil {
		return nil, err
	}
	byKey, err := m.FindEventKeyMarkings(ctx, eventKeys)
	if err != nil {
		return nil, err
	}
	reports, err := m.FindReportMarkings(ctx, reportIDs)
	if err != nil {
		return nil, err
	}
	marks := map[string]vigil.TLP{}
	for _, e := range items {
		var mk vigil.TLP
		found := false
		switch e.Kind {
		case vigil.EvidenceDocument:
			d, err := m.FindDocumentByKey(ctx, e.Source, e.Ref)
			if err != nil && vigil.ErrorCode(err) != vigil.ENOTFOUND {
				return nil, err
			}
			if d != nil {
				mk, found = d.Marking, true
			}
		case vigil.EvidenceEvent:
			if id, err := strconv.ParseInt(e.Ref, 10, 64); err == nil {
				mk, found = byID[id]
			} else {
				mk, found = byKey[e.Ref]
			}
		case vigil.EvidenceReport:
			if id, err := strconv.ParseInt(e.Ref, 10, 64); err == nil {
				mk, found = reports[id]
			}
		}
		if !found {
			continue
		}
		if mk == "" {
			mk = vigil.TLPClear
		}
		marks[e.ID] = mk
	}
	return marks, nil
}

// FactFinder finds the facts of events, within a clearance.
type FactFinder interface {
	FindEventFacts(ctx context.Context, f vigil.FactFilter) ([]vigil.EventFact, error)
}

// ItemReading is an indicator item's reading at a clearance.
type ItemReading struct {
	Evidence  string
	Condition string
	Reading
}

// Cleared is a case as a reader cleared for one level sees it.
type Cleared struct {
	Clearance vigil.TLP
	// Case is the stored case without the hidden items and their
	// ratings, with each indicator item's consensus rating set from its
	// reading at this level (undated).
	Case *vigil.ACHCase
	// Readings are the indicator items' values on the events the level
	// may see, in the case's order.
	Readings []ItemReading
	// Result is Case scored with the sources the level may know of.
	Result *Result
}

// AtClearance evaluates and scores a stored case as a reader cleared for
// clearance sees it: the hidden items are left out with their ratings;
// indicator items are evaluated on the events the level may see (their
// ratings are the indicator's, as Refresh sets them, and a consensus the
// analysts record counts over them); srcs holds the sources the level may
// know of, the others count as not in the store. Nothing in the answer
// depends on what the level may not see. The http API's view of a case
// and the history Refresh records below RED are both computed here.
func AtClearance(ctx context.Context, f FactFinder, stored *vigil.ACHCase, clearance vigil.TLP, hidden map[string]bool, srcs map[string]*vigil.Source) (*Cleared, error) {
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
	out := &Cleared{Clearance: clearance, Case: &c}
	facts := map[string][]vigil.EventFact{} // by actor
	for _, e := range c.Evidence {
		if !indicators[e.ID] {
			continue
		}
		in := e.Indicator
		fs, ok := facts[in.Actor]
		if !ok {
			var err error
			if fs, err = f.FindEventFacts(ctx, vigil.FactFilter{EventFilter: vigil.EventFilter{Actor: in.Actor, Clearance: clearance}}); err != nil {
				return nil, fmt.Errorf("ach: %s/%s at %s: %w", stored.ID, e.ID, clearance, err)
			}
			facts[in.Actor] = fs
		}
		rd := Evaluate(in, fs)
		ratings, why := IndicatorRatings(in, rd)
		for _, h := range c.Hypotheses {
			if rt, ok := ratings[h.ID]; ok {
				// Dated at the case's creation, so that a consensus the
				// analysts record on the item counts over it (the time
				// the stored indicator last changed may owe to material
				// the level may not see).
				c.Ratings = append(c.Ratings, vigil.ACHRatingEntry{Evidence: e.ID, Hypothesis: h.ID, Analyst: vigil.IndicatorAnalyst,
					Consensus: true, Rating: rt, Rationale: why, At: stored.CreatedAt})
			}
		}
		out.Readings = append(out.Readings, ItemReading{Evidence: e.ID, Condition: in.Condition(), Reading: rd})
	}
	out.Result = Score(&c, srcs)
	for i := range c.Ratings {
		if c.Ratings[i].Analyst == vigil.IndicatorAnalyst {
			c.Ratings[i].At = time.Time{}
		}
	}
	return out, nil
}

// IndicatorRatings returns the ratings an indicator's reading gives, by
// hypothesis, and the rationale recorded with them.
func IndicatorRatings(in *vigil.ACHIndicator, rd Reading) (map[string]vigil.ACHRating, string) {
	ratings, verdict := in.IfNotMet, "not met"
	if rd.Met {
		ratings, verdict = in.IfMet, "met"
	}
	why := fmt.Sprintf("%s: found %g from %s to %s, so the condition is %s.", in.Condition(), rd.Value, rd.From, rd.To, verdict)
	if in.Rationale != "" {
		why = strings.TrimSpace(in.Rationale) + " " + why
	}
	return ratings, why
}

// ValueNote is the note recorded with an indicator value.
func ValueNote(in *vigil.ACHIndicator, rd Reading) string {
	return fmt.Sprintf("%s: %g (%s to %s)", in.Condition(), rd.Value, rd.From, rd.To)
}

// AtLevel keeps the history entries recorded for one clearance (an empty
// clearance is RED), in their order.
func AtLevel[T vigil.ACHIndicatorValue | vigil.ACHRanking](hist []T, clearance vigil.TLP) []T {
	if clearance == "" {
		clearance = vigil.TLPRed
	}
	out := []T{}
	for _, h := range hist {
		var c vigil.TLP
		switch v := any(h).(type) {
		case vigil.ACHIndicatorValue:
			c = v.Clearance
		case vigil.ACHRanking:
			c = v.Clearance
		}
		if c == "" {
			c = vigil.TLPRed
		}
		if c == clearance {
			out = append(out, h)
		}
	}
	return out
}
