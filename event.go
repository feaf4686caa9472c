package vigil

import "time"

// Event is one real-world incident: a cluster of reports, made by linkage
// or by an importer that knows the grouping, and changeable by a person.
// Its values are fused from its reports (see Fuse); Basis says which
// reports each fused value came from.
type Event struct {
	ID  int64  `json:"id"`
	Key string `json:"key,omitempty"`

	DateStart     Date          `json:"date_start"`
	DateEnd       Date          `json:"date_end"`
	DatePrecision DatePrecision `json:"date_precision"`
	Place

	EventType    EventType    `json:"event_type"`
	SubEventType SubEventType `json:"sub_event_type,omitempty"`
	AttackTypes  []AttackType `json:"attack_types,omitempty"`
	WeaponTypes  []WeaponType `json:"weapon_types,omitempty"`
	TargetTypes  []TargetType `json:"target_types,omitempty"`

	Killed          Range `json:"killed"`
	Wounded         Range `json:"wounded"`
	AttackersKilled Num   `json:"attackers_killed"`

	Actors  []ReportActor `json:"actors"`
	Sources []EventSource `json:"sources"`
	// Corroboration counts the independent origins among the sources:
	// two outlets quoting one ministry count once.
	Corroboration  int             `json:"corroboration"`
	Credibility    Credibility     `json:"credibility,omitempty"`
	Contradictions []Contradiction `json:"contradictions"`
	// Revisions are the reports that a later release of the same dataset
	// revised (see Fuse): kept with the event as its history, not fused,
	// and never a contradiction.
	Revisions []Revision `json:"revisions,omitempty"`
	// Basis maps each fused field ("killed.low", "place", "date") to the
	// ids of the reports it came from.
	Basis map[string][]int64 `json:"basis,omitempty"`

	ReportIDs []int64 `json:"report_ids"`
	// Reports, with their documents and sources, are filled by detail
	// queries only.
	Reports []SourcedReport `json:"reports,omitempty"`

	Marking    TLP       `json:"tlp"` // the most restricted marking among its documents
	RecordedAt time.Time `json:"recorded_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// EventSource is a source behind an event, with its grade.
type EventSource struct {
	ID          int64       `json:"id"`
	Name        string      `json:"name"`
	Kind        SourceKind  `json:"kind"`
	Reliability Reliability `json:"reliability"`
	Origin      string      `json:"origin,omitempty"`
	SpeaksFor   string      `json:"speaks_for,omitempty"`
}

// SourcedReport is a report together with the document and source it came
// from: the unit that fusion and display work on.
type SourcedReport struct {
	Report   Report   `json:"report"`
	Document Document `json:"document"`
	Source   Source   `json:"source"`
}

// ContradictionKind names a kind of disagreement among an event's reports.
type ContradictionKind string

// The contradiction kinds.
const (
	ContradictionCasualties ContradictionKind = "casualties"             // figures too far apart
	ContradictionClaims     ContradictionKind = "rival-claims"           // rival claims, or a claim and a denial
	ContradictionPlace      ContradictionKind = "place"                  // places incompatible at their precision
	ContradictionDate       ContradictionKind = "date"                   // dates incompatible at their precision
	ContradictionSelfClaim  ContradictionKind = "unconfirmed-self-claim" // only the group's own media says so
	ContradictionDenied     ContradictionKind = "denied"                 // a source denies the incident took place
)

// Contradiction is a named disagreement with the reports on each side.
type Contradiction struct {
	Kind        ContradictionKind `json:"kind"`
	Description string            `json:"description"`
	// Sides holds the report ids on each side of the disagreement.
	Sides [][]int64 `json:"sides"`
}

// Revision is a dataset's record as an earlier release coded it, which a
// later release of the same dataset revised: "UCDP GED 23.1" said 2
// killed, "UCDP GED 24.1" says 20. The earlier report is the record's
// history; the later one is what the dataset now says.
type Revision struct {
	Report   int64  `json:"report"`    // the earlier release's report
	Source   string `json:"source"`    // the earlier release
	By       int64  `json:"by"`        // the report of the release that revised it
	BySource string `json:"by_source"` // that release
	// Changes names the values the release changed ("killed 2 → 20
	// (18–25)"); empty when it changed none that fusion reads.
	Changes []string `json:"changes,omitempty"`
}
