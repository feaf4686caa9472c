package http

import (
	"context"
	"fmt"
	"net/http"
	"slices"

	"github.com/vigil-osint/vigil"
)

// visibleReview keeps the review items whose two reports and two events
// the principal may see.
func (s *Server) visibleReview(ctx context.Context, p *principal, items []*vigil.ReviewItem) ([]*vigil.ReviewItem, error) {
	var reports, events []int64
	for _, it := range items {
		reports = append(reports, it.ReportA, it.ReportB)
		events = append(events, it.EventA, it.EventB)
	}
	rv, err := s.visibleReports(ctx, p, reports)
	if err != nil {
		return nil, err
	}
	ev, err := s.visibleEvents(ctx, p, events)
	if err != nil {
		return nil, err
	}
	out := []*vigil.ReviewItem{}
	for _, it := range items {
		if rv[it.ReportA] && rv[it.ReportB] && ev[it.EventA] && ev[it.EventB] {
			out = append(out, it)
		}
	}
	return out, nil
}

// listReview returns the review queue: the links linkage was not sure of,
// each with its score explained, that the reader may see whole. status
// is open (the default) or all.
func (s *Server) listReview(w http.ResponseWriter, r *http.Request, p *principal) error {
	if s.Link == nil {
		return errorf(eNotImplemented, "this store keeps no review queue")
	}
	open := true
	switch v := r.URL.Query().Get("status"); v {
	case "", "open":
	case "all":
		open = false
	default:
		return errorf(vigil.EINVALID, "status %q: want open or all", v)
	}
	items, err := s.Link.FindReviewItems(r.Context(), open)
	if err != nil {
		return err
	}
	out, err := s.visibleReview(r.Context(), p, items)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

// decisionRequest is the body of the review decisions: a review item, or
// the events (and for a split, the reports) decided on, and the reason.
type decisionRequest struct {
	Item    int64   `json:"item,omitempty"`
	Events  []int64 `json:"events,omitempty"`
	Event   int64   `json:"event,omitempty"`
	Reports []int64 `json:"reports,omitempty"`
	Reason  string  `json:"reason"`
	// AcrossMarkings lets a merge join events of different markings
	// (vigil.CheckMergeMarkings).
	AcrossMarkings bool `json:"across_markings,omitempty"`
}

// decide returns the handler of one kind of decision, as `vigil review`
// takes them: merge and reject a review item's two events (item) or the
// events given (events, the target first); split takes reports out of
// an event into a new one; confirm locks an event as it stands. Every
// event and report named must be visible to the reader (else not found,
// as a missing one); the decision is recorded with its reason and
// author, audited, and answered with the operation.
func (s *Server) decide(kind vigil.LinkOpKind) func(http.ResponseWriter, *http.Request, *principal) error {
	return func(w http.ResponseWriter, r *http.Request, p *principal) error {
		if s.Link == nil {
			return errorf(eNotImplemented, "this store keeps no review queue")
		}
		var req decisionRequest
		if err := s.decode(w, r, &req); err != nil {
			return err
		}
		if len(req.Reason) > 2000 || len(req.Events) > 100 || len(req.Reports) > 1000 {
			return errorf(vigil.EINVALID, "reason is limited to 2,000 bytes, events to 100 and reports to 1,000")
		}
		op := &vigil.LinkOp{Kind: kind, Reason: req.Reason, By: p.user.Name, AcrossMarkings: req.AcrossMarkings}
		ctx := r.Context()
		switch kind {
		case vigil.LinkOpMerge, vigil.LinkOpReject:
			if req.Event != 0 || len(req.Reports) > 0 || (req.Item == 0) == (len(req.Events) == 0) {
				return errorf(vigil.EINVALID, "%s: give item or events", kind)
			}
			op.Events = req.Events
		default:
			if req.Item != 0 || len(req.Events) > 0 || req.Event <= 0 || (kind == vigil.LinkOpConfirm) != (len(req.Reports) == 0) {
				if kind == vigil.LinkOpSplit {
					return errorf(vigil.EINVALID, "split: give event and the reports to take out of it")
				}
				return errorf(vigil.EINVALID, "confirm: give event")
			}
			op.Events, op.Reports = []int64{req.Event}, req.Reports
		}
		unlock, err := s.lockEdits(ctx)
		if err != nil {
			return err
		}
		defer unlock()
		if req.Item != 0 {
			items, err := s.Link.FindReviewItems(ctx, false)
			if err != nil {
				return err
			}
			var it *vigil.ReviewItem
			for _, x := range items {
				if x.ID == req.Item {
					it = x
				}
			}
			if it != nil {
				vis, err := s.visibleReview(ctx, p, []*vigil.ReviewItem{it})
				if err != nil {
					return err
				}
				if len(vis) == 0 {
					it = nil
				}
			}
			if it == nil {
				return errorf(vigil.ENOTFOUND, "review item %d", req.Item)
			}
			op.Review, op.Events = it.ID, []int64{it.EventA, it.EventB}
		}
		ev, err := s.visibleEvents(ctx, p, op.Events)
		if err != nil {
			return err
		}
		for _, id := range op.Events {
			if !ev[id] {
				return errorf(vigil.ENOTFOUND, "event %d", id)
			}
		}
		if len(op.Reports) > 0 {
			rv, err := s.visibleReports(ctx, p, op.Reports)
			if err != nil {
				return err
			}
			for _, id := range op.Reports {
				if !rv[id] {
					return errorf(vigil.ENOTFOUND, "report %d", id)
				}
			}
		}
		if len(op.Events) == 1 {
			// A conditional decision on one event: If-Match with the
			// event's ETag, when given, must name its current version.
			if r.Header.Get("If-Match") != "" {
				e, err := s.findEvent(r, p, op.Events[0])
				if err != nil {
					return err
				}
				if err := checkIfMatch(r, e); err != nil {
					return err
				}
			}
		}
		if mf, ok := s.Browse.(vigil.MarkingFinder); ok {
			if err := vigil.CheckMergeMarkings(ctx, op, mf.FindEventMarkings); err != nil {
				return err
			}
		}
		e := &vigil.AuditEntry{Actor: p.actor(), Action: "review." + string(kind), Object: fmt.Sprintf("event/%d", op.Events[0])}
		err = vigil.Audited(ctx, s.Audit, e, func(e *vigil.AuditEntry) { e.After = vigil.AuditJSON(op) },
			func(ctx context.Context) error { return s.Link.Decide(ctx, op) })
		if err != nil {
			return err
		}
		s.invalidate()
		return writeJSON(w, http.StatusOK, op)
	}
}

// visibleOps keeps the operations the principal may see whole, judged by
// the events and reports they touched as those stand now: a merge by its
// target (which holds every report it moved), a split by its event, the
// event it made and the reports it moved, a confirmation and a rejection
// by their events. A linkage run, and an undo, names none of the reports
// it moved: only a reader who sees everything sees those.
func (s *Server) visibleOps(ctx context.Context, p *principal, ops []*vigil.LinkOp) ([]*vigil.LinkOp, error) {
	if p.seesAll() {
		return ops, nil
	}
	var events, reports []int64
	for _, op := range ops {
		events = append(append(events, op.Events...), op.Made...)
		reports = append(reports, op.Reports...)
	}
	ev, err := s.visibleEvents(ctx, p, events)
	if err != nil {
		return nil, err
	}
	rv, err := s.visibleReports(ctx, p, reports)
	if err != nil {
		return nil, err
	}
	all := func(ids []int64, ok map[int64]bool) bool {
		for _, id := range ids {
			if !ok[id] {
				return false
			}
		}
		return true
	}
	out := []*vigil.LinkOp{}
	for _, op := range ops {
		var touched []int64
		switch op.Kind {
		case vigil.LinkOpMerge:
			touched = op.Events[:min(1, len(op.Events))]
		case vigil.LinkOpSplit, vigil.LinkOpConfirm, vigil.LinkOpReject:
			touched = append(append(touched, op.Events...), op.Made...)
		}
		if len(touched) > 0 && all(touched, ev) && all(op.Reports, rv) {
			out = append(out, op)
		}
	}
	return out, nil
}

// listLinkOps returns the history of linkage operations, newest first, as
// `vigil review history` prints it: those the reader may see whole
// (visibleOps), up to limit (1–1000, 50).
func (s *Server) listLinkOps(w http.ResponseWriter, r *http.Request, p *principal) error {
	if s.Link == nil {
		return errorf(eNotImplemented, "this store keeps no review queue")
	}
	pg, err := parsePage(r, "")
	if err != nil {
		return err
	}
	if pg.Offset != 0 {
		return errorf(vigil.EINVALID, "offset: the history is read newest first, with limit only")
	}
	ops, err := s.Link.FindLinkOps(r.Context(), 0)
	if err != nil {
		return err
	}
	if ops, err = s.visibleOps(r.Context(), p, ops); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, ops[:min(pg.Limit, len(ops))])
}

// undoRequest is the body of an undo: the operation and the reason.
type undoRequest struct {
	Op     int64  `json:"op"`
	Reason string `json:"reason"`
}

// undoLinkOp reverses an operation, as `vigil review undo` does: one the
// reader may see whole (else not found), a person's decision for an
// analyst, a linkage run or an undo only for an admin. The undo is
// recorded with its reason and author, audited, and answered with the
// undo operation; ECONFLICT when it is undone already or later operations
// moved the same reports.
func (s *Server) undoLinkOp(w http.ResponseWriter, r *http.Request, p *principal) error {
	if s.Link == nil {
		return errorf(eNotImplemented, "this store keeps no review queue")
	}
	var req undoRequest
	if err := s.decode(w, r, &req); err != nil {
		return err
	}
	if req.Op <= 0 || req.Reason == "" || len(req.Reason) > 2000 {
		return errorf(vigil.EINVALID, "undo: give op and a reason (up to 2,000 bytes)")
	}
	ctx := r.Context()
	unlock, err := s.lockEdits(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	ops, err := s.Link.FindLinkOps(ctx, 0)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(ops, func(op *vigil.LinkOp) bool { return op.ID == req.Op })
	if i < 0 {
		return errorf(vigil.ENOTFOUND, "operation %d", req.Op)
	}
	vis, err := s.visibleOps(ctx, p, ops[i:i+1])
	if err != nil {
		return err
	}
	if len(vis) == 0 {
		return errorf(vigil.ENOTFOUND, "operation %d", req.Op)
	}
	if k := ops[i].Kind; (k == vigil.LinkOpLink || k == vigil.LinkOpUndo) && !p.user.Role.Allows(vigil.RoleAdmin) {
		return errorf(vigil.EFORBIDDEN, "undoing a %s operation is for admins", k)
	}
	// The entry commits with the undo, so it holds the request; the
	// operation the undo made is in the linkage history.
	e := &vigil.AuditEntry{Actor: p.actor(), Action: "review.undo", Object: fmt.Sprintf("linkop/%d", req.Op),
		After: vigil.AuditJSON(map[string]any{"undoes": req.Op, "reason": req.Reason, "by": p.user.Name})}
	var undo *vigil.LinkOp
	err = vigil.Audited(ctx, s.Audit, e, nil, func(ctx context.Context) (err error) {
		undo, err = s.Link.UndoLinkOp(ctx, req.Op, req.Reason, p.user.Name)
		return err
	})
	if err != nil {
		return err
	}
	s.invalidate()
	return writeJSON(w, http.StatusOK, undo)
}
