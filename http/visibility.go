package http

import (
	"context"

	"github.com/vigil-osint/vigil"
)

// The server hides what points at material above a reader's clearance
// through the store's vigil.MarkingFinder; with a store that is none, such
// things show only to readers cleared for everything.

// seesAll reports whether the principal may see material of every
// marking.
func (p *principal) seesAll() bool { return p.allows(vigil.TLPRed) }

// visibleActors returns the ids of the actors the principal may see, or
// nil when they see every actor.
func (s *Server) visibleActors(ctx context.Context, p *principal) (map[string]bool, error) {
	if p.seesAll() {
		return nil, nil
	}
	as, err := s.Store.FindActors(ctx, vigil.ActorFilter{Clearance: p.clearance()})
	if err != nil {
		return nil, err
	}
	out := make(map[string]bool, len(as))
	for _, a := range as {
		out[a.ID] = true
	}
	return out, nil
}

// visibleEvents returns which of the events the principal may see: those
// that exist, are live and are marked within their clearance.
func (s *Server) visibleEvents(ctx context.Context, p *principal, ids []int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	mf, ok := s.Browse.(vigil.MarkingFinder)
	if !ok {
		for _, id := range ids {
			if e, err := s.Store.FindEventByID(ctx, id); err == nil && p.allows(e.Marking) {
				out[id] = true
			} else if err != nil && vigil.ErrorCode(err) != vigil.ENOTFOUND {
				return nil, err
			}
		}
		return out, nil
	}
	marks, err := mf.FindEventMarkings(ctx, ids)
	if err != nil {
		return nil, err
	}
	for id, m := range marks {
		out[id] = p.allows(m)
	}
	return out, nil
}

// visibleReports returns which of the reports the principal may see (by
// their documents' markings).
func (s *Server) visibleReports(ctx context.Context, p *principal, ids []int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	mf, ok := s.Browse.(vigil.MarkingFinder)
	if !ok {
		for _, id := range ids {
			out[id] = p.seesAll()
		}
		return out, nil
	}
	marks, err := mf.FindReportMarkings(ctx, ids)
	if err != nil {
		return nil, err
	}
	for id, m := range marks {
		out[id] = p.allows(m)
	}
	return out, nil
}
