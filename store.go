package vigil

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Store is everything vigil keeps. The embedded SQLite store and the
// PostgreSQL store implement it, and the conformance suite in storetest
// holds both to the same behaviour. Methods return *Error with ENOTFOUND
// for missing records and EINVALID for records that break the model.
type Store interface {
	SourceService
	ActorService
	ImportService
	EventService
	DumpService
	Close() error
}

// SourceService keeps sources.
type SourceService interface {
	// UpsertSource creates the source or updates the one with its name,
	// and sets s.ID. EINVALID when the source does not validate.
	UpsertSource(ctx context.Context, s *Source) error
	// FindSourceByName returns the named source, or ENOTFOUND.
	FindSourceByName(ctx context.Context, name string) (*Source, error)
	// FindSources returns every source, by name.
	FindSources(ctx context.Context) ([]*Source, error)
}

// ActorService keeps actors and the relationships between them.
type ActorService interface {
	// UpsertActor creates the actor or replaces the one with its ID,
	// names and periods included. EINVALID when it does not validate.
	UpsertActor(ctx context.Context, a *Actor) error
	// FindActorByID returns the actor, or ENOTFOUND.
	FindActorByID(ctx context.Context, id string) (*Actor, error)
	// FindActors returns the actors that match the filter, by ID.
	FindActors(ctx context.Context, f ActorFilter) ([]*Actor, error)
	// CreateRelationship records a relationship and sets r.ID. EINVALID
	// when it does not validate, ENOTFOUND when an actor is unknown.
	CreateRelationship(ctx context.Context, r *Relationship) error
	// FindRelationships returns the relationships that match the filter.
	FindRelationships(ctx context.Context, f RelationshipFilter) ([]*Relationship, error)
}

// ImportService records import batches and takes in their items.
type ImportService interface {
	// CreateBatch records a new batch and sets b.ID.
	CreateBatch(ctx context.Context, b *Batch) error
	// UpdateBatch saves the batch's status, counts and rejections.
	UpdateBatch(ctx context.Context, b *Batch) error
	// FindBatches returns the batches, newest first.
	FindBatches(ctx context.Context) ([]*Batch, error)
	// Ingest stores the items in one transaction, all or none, and
	// returns what it did with each. A document already stored under the
	// same source and key is unchanged when its content hash is the same;
	// otherwise it and its reports are replaced and the old versions kept
	// in history. Reports with an EventKey join (or make) that event,
	// whose values are fused again. Sources must exist (ENOTFOUND).
	//
	// With a batch b, the items are recorded as b's, the outcomes are added
	// to b's counts, and b is saved as UpdateBatch saves it in the same
	// transaction: a run killed at any point leaves the batch counting
	// exactly what was committed. b is changed only when Ingest succeeds.
	// With nil, the items belong to no batch.
	Ingest(ctx context.Context, b *Batch, items []Item) ([]Outcome, error)
}

// A MarkingFinder tells the markings of stored material that other
// records point at (ACH evidence, review items and alerts name events, by
// id or key, and reports), so that what points above a reader's clearance
// can be hidden. The SQLite store is one.
type MarkingFinder interface {
	// FindEventMarkings returns the markings of the live events with the
	// given ids; unknown ones are left out.
	FindEventMarkings(ctx context.Context, ids []int64) (map[int64]TLP, error)
	// FindEventKeyMarkings does the same by event key.
	FindEventKeyMarkings(ctx context.Context, keys []string) (map[string]TLP, error)
	// FindReportMarkings returns the marking of each report's document.
	FindReportMarkings(ctx context.Context, ids []int64) (map[int64]TLP, error)
}

// A BulkIngester takes an import in transactions of several chunks each.
// An import commits its batch's counts with every transaction, so that a
// run killed half-way keeps what it committed; but a commit writes every
// page of the store's indexes that its rows touched, and a chunk's rows
// touch most of them, so fewer commits write far fewer pages.
type BulkIngester interface {
	// BeginIngest starts a write transaction that takes chunks until it
	// is committed or rolled back.
	BeginIngest(ctx context.Context) (IngestTx, error)
}

// An IngestTx is a write transaction of a BulkIngester. Its Ingest stores
// the items as ImportService.Ingest does, b's counts included, but they
// are stored only when Commit succeeds; after Ingest fails, only Rollback
// is left. Rollback after Commit does nothing. Other writes to the store
// wait until the transaction ends.
type IngestTx interface {
	Ingest(ctx context.Context, b *Batch, items []Item) ([]Outcome, error)
	Commit() error
	Rollback() error
}

// An EditLocker serialises the read-check-write of conditional updates
// (an edit made under If-Match, a review decision) across every process
// that uses the store, and every goroutine within one: the server takes it
// around each such edit, so that two servers sharing a store cannot both
// accept edits made from the same version.
type EditLocker interface {
	// LockEdits waits until no one else holds the lock, or ctx ends (an
	// error wrapping ctx's), and returns the function that releases it.
	// A holder that dies releases it with its process.
	LockEdits(ctx context.Context) (unlock func(), err error)
}

// An EventFuser fuses its stored events again. A store keeps the fusion
// of an event of several reports as the vigil that made it fused it; when
// a later vigil fuses otherwise (a later release of a dataset read as a
// revision of the record, not a contradiction), FuseEvents brings the
// store's events up to the rules it runs.
type EventFuser interface {
	// FuseEvents fuses again, from their reports, every stored event that
	// keeps a fusion, a bounded number of events a transaction (a run
	// cut short leaves each event as it was or fused anew), and returns
	// how many it fused.
	FuseEvents(ctx context.Context) (int, error)
}

// An EventDetailer reads many events as FindEventByID reads one, in
// batches: the events with the given ids, in that order, each with its
// reports, their documents and sources; ids of no event are left out.
// The exports that need each event's reports use it when a store has it.
type EventDetailer interface {
	FindEventDetails(ctx context.Context, ids []int64) ([]*Event, error)
	// FindEventDetailPage returns the page FindEventPage does, its events
	// read as FindEventDetails reads them.
	FindEventDetailPage(ctx context.Context, f EventFilter, order EventOrder) ([]*Event, error)
}

// EventService reads events, reports and documents.
type EventService interface {
	// FindEvents returns the events that match the filter, and how many
	// match in all, ignoring Limit and Offset.
	FindEvents(ctx context.Context, f EventFilter) ([]*Event, int, error)
	// EventPager reads them a page at a time, for EventPages.
	EventPager
	// FindEventByID returns the event with its reports, their documents
	// and sources, or ENOTFOUND.
	FindEventByID(ctx context.Context, id int64) (*Event, error)
	// FindDocumentByID returns the document, or ENOTFOUND.
	FindDocumentByID(ctx context.Context, id int64) (*Document, error)
	// FindDocumentByKey returns the document a source filed under a key,
	// or ENOTFOUND.
	FindDocumentByKey(ctx context.Context, source, key string) (*Document, error)
	// FindReportHistory returns the superseded versions of a document's
	// reports, oldest first, each with the time it was superseded.
	FindReportHistory(ctx context.Context, documentID int64) ([]ReportVersion, error)
}

// ReportVersion is a report as it stood before an update replaced it.
type ReportVersion struct {
	Report       Report    `json:"report"`
	ContentHash  string    `json:"content_hash"`
	SupersededAt time.Time `json:"superseded_at"`
	BatchID      int64     `json:"batch_id"` // the batch that superseded it
}

// ActorFilter selects actors. Zero fields select everything.
type ActorFilter struct {
	// Name matches any of an actor's names or aliases, ignoring case.
	Name string
	// At keeps only names valid on that day when Name is set.
	At Date
	// Clearance, when set, keeps the actors it allows and, of theirs, the
	// names it allows (Actor.Cleared); Name matches only through those.
	// Zero means no restriction.
	Clearance TLP
}

// RelationshipFilter selects relationships. Zero fields select everything.
type RelationshipFilter struct {
	Actor string // either end
	Type  RelationshipType
	At    Date // valid on that day
}

// EventFilter selects events. Zero fields select everything.
type EventFilter struct {
	// Actor matches any name or alias of an actor involved in the event.
	Actor     string
	Countries []string // ISO 3166-1 alpha-2
	// Admin1 matches an admin-1 code or name, ignoring case and a trailing
	// "province".
	Admin1 []string
	From   Date // events ending on or after
	To     Date // events starting on or before
	Types  []EventType
	// MinCredibility keeps the events whose credibility is at least this
	// good (1 confirmed … 6 cannot be judged; an event without a grade
	// counts as 6); zero keeps all.
	MinCredibility Credibility
	// Clearance hides events whose marking it does not allow; zero means
	// no restriction (the local, single-user case).
	Clearance TLP
	Limit     int
	Offset    int
	// After, for FindEventPage, starts the page after this event in the
	// page's order (keyset pagination), for the orders by date, country
	// and id; CountEvents ignores it.
	After *EventCursor
}

// Describe says in words which events the filter selects, as known at
// asOf (zero: now), for the headings of indicators and briefs.
func (f EventFilter) Describe(asOf time.Time) string {
	var parts []string
	if f.Actor != "" {
		parts = append(parts, "actor "+f.Actor)
	}
	if len(f.Countries) > 0 {
		parts = append(parts, "in "+strings.Join(f.Countries, ", "))
	}
	if len(f.Admin1) > 0 {
		parts = append(parts, "admin-1 "+strings.Join(f.Admin1, ", "))
	}
	if len(f.Types) > 0 {
		var ts []string
		for _, t := range f.Types {
			ts = append(ts, string(t))
		}
		parts = append(parts, "types "+strings.Join(ts, ", "))
	}
	if f.MinCredibility > 0 {
		parts = append(parts, fmt.Sprintf("credibility %d or better", f.MinCredibility))
	}
	switch {
	case !f.From.IsZero() && !f.To.IsZero():
		parts = append(parts, f.From.String()+" to "+f.To.String())
	case !f.From.IsZero():
		parts = append(parts, "from "+f.From.String())
	case !f.To.IsZero():
		parts = append(parts, "to "+f.To.String())
	}
	if !asOf.IsZero() {
		parts = append(parts, "as known on "+asOf.UTC().Format("2006-01-02 15:04 MST"))
	} else {
		parts = append(parts, "as known now")
	}
	if len(parts) == 1 {
		return "all events, " + parts[0]
	}
	return strings.Join(parts, "; ")
}
