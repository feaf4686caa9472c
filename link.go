package vigil

import (
	"context"
	"time"
)

// LinkService keeps what record linkage needs: the reports it has not yet
// seen, the reports it has seen by block (country and date window), the
// decisions people took, and the review queue. The linker itself lives in
// package link; stores only read and write.
type LinkService interface {
	// ScanLinkRecords calls fn with each report that the filter selects,
	// with its source and current event. With f.Pending, the reports that
	// linkage has not yet seen, by id; otherwise the reports it has seen
	// that fall in any of f.Blocks. fn must not keep the record's source
	// pointer beyond the scan's life if it changes it. An error from fn
	// stops the scan and is returned.
	ScanLinkRecords(ctx context.Context, f LinkFilter, fn func(*LinkRecord) error) error
	// LinkMark returns the highest report id linkage has seen: reports
	// above it are pending.
	LinkMark(ctx context.Context) (int64, error)
	// FindCannotLinks returns every pair of reports that a person has kept
	// apart (by a split or a rejected link), lower id first.
	FindCannotLinks(ctx context.Context) ([][2]int64, error)
	// ApplyLinks writes a linkage run in one transaction: it moves reports
	// into the events of their clusters (making events for clusters that
	// have none, retiring events left empty), fuses every touched event
	// again, queues the uncertain links for review, marks the pending
	// reports up to run.Mark as seen, and records the run in history as an
	// operation of kind LinkOpLink. It sets run.OpID. ECONFLICT when
	// run.Since is not the store's current mark (another run got there
	// first).
	ApplyLinks(ctx context.Context, run *LinkRun) error
	// FindReviewItems returns the review queue: with open, only the items
	// nobody has decided yet; by id.
	FindReviewItems(ctx context.Context, open bool) ([]*ReviewItem, error)
	// Decide applies a person's decision (merge, split, confirm or reject),
	// records it in history with its reason and sets op.ID and op.At.
	// EINVALID when the operation is malformed or has no reason,
	// ENOTFOUND when an event, report or review item is unknown.
	Decide(ctx context.Context, op *LinkOp) error
	// UndoLinkOp reverses an operation (a person's or a linkage run's):
	// reports go back to the events they were in, constraints and
	// confirmations it added are lifted. The undo is itself recorded, with
	// its reason. ENOTFOUND for an unknown id, ECONFLICT when the
	// operation is already undone or a later operation moved the same
	// reports since.
	UndoLinkOp(ctx context.Context, id int64, reason, by string) (*LinkOp, error)
	// FindLinkOps returns the history of linkage operations, newest first;
	// limit ≤ 0 means all.
	FindLinkOps(ctx context.Context, limit int) ([]*LinkOp, error)
}

// LinkFilter selects the reports a linkage run reads.
type LinkFilter struct {
	// Pending selects the reports linkage has not yet seen.
	Pending bool
	// Blocks select seen reports by country and by dates: a report is in a
	// block when its country is the block's and its dates overlap From–To.
	Blocks []LinkBlock
}

// LinkBlock is a blocking key: a country and a window of days.
type LinkBlock struct {
	Country  string
	From, To Date
}

// LinkRecord is a report as linkage reads it: the report (with its id,
// document and current event), its source, and whether a person has
// confirmed the event it is in.
type LinkRecord struct {
	Report Report
	Source *Source
	// Locked is set when a person confirmed the report's event: linkage
	// then adds nothing to it without review.
	Locked bool
	// Marking is the marking of the report's document: automatic linkage
	// joins only reports of one marking (see package link).
	Marking TLP
}

// LinkRun is the outcome of one linkage run, for LinkService.ApplyLinks.
type LinkRun struct {
	// Since is the mark the run started from (the store's mark when the
	// pending reports were read) and Mark the highest report id it saw.
	Since, Mark int64
	// Clusters lists the changes to the grouping of reports into events:
	// linkage only joins, never splits.
	Clusters []LinkCluster
	// Review holds the uncertain links for a person to decide.
	Review []ReviewItem
	// By names who ran linkage ("vigil link"); Reason says why.
	By, Reason string
	// Keys are the blocking keys of the reports the run saw for the first
	// time (Since < id ≤ Mark), as it read them, for the store to index;
	// a store derives the keys of the reports missing here itself.
	Keys []LinkKey
	// OpID is set by ApplyLinks to the history entry of the run.
	OpID int64
}

// LinkKey is what a store indexes a report by for LinkFilter.Blocks: its
// country (upper case) and dates (End is Start when the report gives no
// end).
type LinkKey struct {
	Report     int64
	Country    string
	Start, End Date
}

// LinkCluster is a set of reports that linkage puts in one event.
type LinkCluster struct {
	// Event is the event the reports go to, or 0 for a new event.
	Event int64
	// Events are merged into Event whole, every report of theirs.
	Events []int64
	// Reports are reports without an event that go to Event.
	Reports []int64
	// Score is the weakest accepted link that holds the cluster together.
	Score float64
}

// ReviewItem is an uncertain link between two reports (and so between
// their events) that a person should decide.
type ReviewItem struct {
	ID      int64 `json:"id"`
	ReportA int64 `json:"report_a"`
	ReportB int64 `json:"report_b"`
	// EventA and EventB are the reports' events as they stand now.
	EventA int64   `json:"event_a"`
	EventB int64   `json:"event_b"`
	Score  float64 `json:"score"`
	// Explanation gives each part of the score in words.
	Explanation []string     `json:"explanation"`
	Status      ReviewStatus `json:"status"`
	// DecidedBy is the operation that settled the item, if any.
	DecidedBy int64     `json:"decided_by,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// ReviewStatus says where a review item stands.
type ReviewStatus string

// The review statuses.
const (
	ReviewOpen     ReviewStatus = "open"
	ReviewMerged   ReviewStatus = "merged"   // a person merged the two events
	ReviewRejected ReviewStatus = "rejected" // a person kept them apart
)

// LinkOpKind names an operation on the grouping of reports into events.
type LinkOpKind string

// The operation kinds.
const (
	// LinkOpLink is a linkage run: its moves are its decisions.
	LinkOpLink LinkOpKind = "link"
	// LinkOpMerge puts the reports of Events[1:] into Events[0].
	LinkOpMerge LinkOpKind = "merge"
	// LinkOpSplit takes Reports out of Events[0] into a new event, and
	// keeps them apart from the reports that stay.
	LinkOpSplit LinkOpKind = "split"
	// LinkOpConfirm confirms Events[0] as it stands: linkage adds nothing
	// to it without review.
	LinkOpConfirm LinkOpKind = "confirm"
	// LinkOpReject keeps Events[0] and Events[1] apart for good.
	LinkOpReject LinkOpKind = "reject"
	// LinkOpUndo reverses the operation named in Undoes.
	LinkOpUndo LinkOpKind = "undo"
)

// LinkOp is one operation on the grouping of reports into events, as
// history records it.
type LinkOp struct {
	ID      int64      `json:"id"`
	Kind    LinkOpKind `json:"kind"`
	Events  []int64    `json:"events,omitempty"`
	Reports []int64    `json:"reports,omitempty"`
	// Review names the review item the operation settles, if any.
	Review int64  `json:"review,omitempty"`
	Reason string `json:"reason"`
	By     string `json:"by"`
	// Undoes names the operation an undo reverses; UndoneBy the undo that
	// reversed this one.
	Undoes   int64 `json:"undoes,omitempty"`
	UndoneBy int64 `json:"undone_by,omitempty"`
	// AcrossMarkings says that a merge joins events of different markings
	// on purpose (see CheckMergeMarkings).
	AcrossMarkings bool `json:"across_markings,omitempty"`
	// Moves counts the reports the operation moved between events; Made
	// lists the events it created.
	Moves int       `json:"moves"`
	Made  []int64   `json:"made,omitempty"`
	At    time.Time `json:"at"`
}

// CheckMergeMarkings refuses (ECONFLICT) a merge that joins events of
// different markings unless op.AcrossMarkings says it is meant: an event
// takes the marking of its most restricted document, so the merged event
// would vanish for readers cleared for the less restricted events only.
// Linkage sends such pairs to review; this keeps a person from merging
// them by accident. markings returns the events' markings, as the stores'
// FindEventMarkings do.
func CheckMergeMarkings(ctx context.Context, op *LinkOp, markings func(context.Context, []int64) (map[int64]TLP, error)) error {
	if op.Kind != LinkOpMerge || op.AcrossMarkings || len(op.Events) < 2 {
		return nil
	}
	m, err := markings(ctx, op.Events)
	if err != nil {
		return err
	}
	var lo, hi int64 // the least and most restricted events; unknown ones are Decide's to refuse
	for _, id := range op.Events {
		t, ok := m[id]
		if !ok {
			continue
		}
		if lo == 0 || t.Rank() < m[lo].Rank() {
			lo = id
		}
		if hi == 0 || t.Rank() > m[hi].Rank() {
			hi = id
		}
	}
	if lo == 0 || m[lo] == m[hi] {
		return nil
	}
	return Errorf(ECONFLICT, "merge: event %d is %s and event %d is %s: the merged event would be %s, hidden from readers cleared only for %s; merge across markings on purpose to go on",
		lo, m[lo], hi, m[hi], m[hi], m[lo])
}

// Validate checks the operation's shape for Decide.
func (op *LinkOp) Validate() error {
	if op.Reason == "" {
		return Errorf(EINVALID, "%s: a reason is required", op.Kind)
	}
	switch op.Kind {
	case LinkOpMerge:
		if len(op.Events) < 2 {
			return Errorf(EINVALID, "merge: want the target event and at least one more")
		}
	case LinkOpSplit:
		if len(op.Events) != 1 || len(op.Reports) == 0 {
			return Errorf(EINVALID, "split: want one event and the reports to take out of it")
		}
	case LinkOpConfirm:
		if len(op.Events) != 1 {
			return Errorf(EINVALID, "confirm: want one event")
		}
	case LinkOpReject:
		if len(op.Events) != 2 || op.Events[0] == op.Events[1] {
			return Errorf(EINVALID, "reject: want two different events")
		}
	default:
		return Errorf(EINVALID, "operation %q: want merge, split, confirm or reject", op.Kind)
	}
	seen := map[int64]bool{}
	for _, id := range op.Events {
		if seen[id] {
			return Errorf(EINVALID, "%s: event %d given twice", op.Kind, id)
		}
		seen[id] = true
	}
	return nil
}
