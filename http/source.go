package http

import (
	"context"
	"fmt"
	"net/http"

	"github.com/vigil-osint/vigil"
)

// listSources lists the sources the reader may know of, each with the
// documents and events their clearance allows.
func (s *Server) listSources(w http.ResponseWriter, r *http.Request, p *principal) error {
	stats, err := s.sourceStats(r, p.clearance())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, stats)
}

// findSource returns a source the reader may know of, or ENOTFOUND,
// read afresh (its ETag guards updates).
func (s *Server) findSource(r *http.Request, p *principal, id int64) (vigil.SourceStats, error) {
	stats, err := s.Browse.FindSourceStats(r.Context(), p.clearance())
	if err != nil {
		return vigil.SourceStats{}, err
	}
	for _, st := range stats {
		if st.Source.ID == id {
			return st, nil
		}
	}
	return vigil.SourceStats{}, errorf(vigil.ENOTFOUND, "source %d", id)
}

func (s *Server) getSource(w http.ResponseWriter, r *http.Request, p *principal) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	st, err := s.findSource(r, p, id)
	if err != nil {
		return err
	}
	return writeTagged(w, r, st.Source)
}

// RegradeSource stores after, a regrade of the stored source before (its
// reliability, origin or notes), and records it in the audit log as
// actor, with the source before and after. The store fuses again the
// events fused from the source's reports.
func RegradeSource(ctx context.Context, ss vigil.SourceService, as vigil.AuditService, actor string, before, after *vigil.Source) error {
	e := &vigil.AuditEntry{Actor: actor, Action: "source.update", Object: fmt.Sprintf("source/%d", before.ID), Before: vigil.AuditJSON(before)}
	return vigil.Audited(ctx, as, e, func(e *vigil.AuditEntry) { e.After = vigil.AuditJSON(after) },
		func(ctx context.Context) error { return ss.UpsertSource(ctx, after) })
}

// sourcePatch is a JSON merge patch of a source's grading: the fields an
// analyst may change.
type sourcePatch struct {
	Reliability *vigil.Reliability `json:"reliability"`
	Origin      *string            `json:"origin"`
	Notes       *string            `json:"notes"`
}

// patchSource changes a source's grade, origin or notes. It needs If-Match
// with the source's ETag, so that two analysts cannot silently overwrite
// each other; the change is audited with the source before and after.
func (s *Server) patchSource(w http.ResponseWriter, r *http.Request, p *principal) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var patch sourcePatch
	if err := s.decode(w, r, &patch); err != nil {
		return err
	}
	if patch.Reliability != nil {
		rel, err := vigil.ParseReliability(string(*patch.Reliability))
		if err != nil {
			return err
		}
		patch.Reliability = &rel
	}
	if patch.Notes != nil && len(*patch.Notes) > 10000 || patch.Origin != nil && len(*patch.Origin) > 200 {
		return errorf(vigil.EINVALID, "notes are limited to 10,000 bytes and origin to 200")
	}
	unlock, err := s.lockEdits(r.Context())
	if err != nil {
		return err
	}
	defer unlock()
	st, err := s.findSource(r, p, id)
	if err != nil {
		return err
	}
	before := st.Source
	if err := checkIfMatch(r, before); err != nil {
		return err
	}
	after := *before
	if patch.Reliability != nil {
		after.Reliability = *patch.Reliability
	}
	if patch.Origin != nil {
		after.Origin = *patch.Origin
	}
	if patch.Notes != nil {
		after.Notes = *patch.Notes
	}
	if err := RegradeSource(r.Context(), s.Store, s.Audit, p.actor(), before, &after); err != nil {
		return err
	}
	s.invalidate()
	st, err = s.findSource(r, p, id)
	if err != nil {
		return err
	}
	return writeTagged(w, r, st.Source)
}
