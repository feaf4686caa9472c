package vigil

import (
	"fmt"
	"time"
)

// Report is one document's account of one incident: everything that
// document says about it, and nothing more. A document may hold several
// reports (a dataset row holds one; an article may tell of several
// incidents).
type Report struct {
	ID         int64 `json:"id"`
	DocumentID int64 `json:"document_id"`
	// Key identifies the report within its document ("0", "1", … for
	// extracted reports, the row id for datasets).
	Key string `json:"key"`
	// EventKey names the event the report belongs to when the importer
	// knows it (a dataset row is its own event; a case file groups the
	// reports of one incident). Empty leaves the report to linkage.
	EventKey string `json:"event_key,omitempty"`
	EventID  int64  `json:"event_id,omitempty"`

	// When.
	DateStart     Date          `json:"date_start"`
	DateEnd       Date          `json:"date_end"`
	DatePrecision DatePrecision `json:"date_precision"`

	// Where.
	Place

	// What.
	EventType    EventType    `json:"event_type,omitempty"`
	SubEventType SubEventType `json:"sub_event_type,omitempty"`
	AttackTypes  []AttackType `json:"attack_types,omitempty"`
	WeaponTypes  []WeaponType `json:"weapon_types,omitempty"`
	TargetTypes  []TargetType `json:"target_types,omitempty"`

	// Who.
	Actors []ReportActor `json:"actors,omitempty"`

	// How many.
	Killed          Range  `json:"killed"`
	Wounded         Range  `json:"wounded"`
	AttackersKilled Num    `json:"attackers_killed"`
	KilledCivilians Num    `json:"killed_civilians"`
	Phrase          string `json:"phrase,omitempty"` // the words the figures came from

	// Denial marks a report that says the incident did not take place
	// (a government denying that rockets struck its territory). It names
	// the event it denies but never corroborates it.
	Denial bool `json:"denial,omitempty"`

	// Credibility of the information, Admiralty 1–6.
	Credibility Credibility `json:"credibility,omitempty"`
	// Summary is the report's own description of the incident.
	Summary string `json:"summary,omitempty"`
	// Evidence holds, for extracted reports, the spans of text each value
	// came from.
	Evidence []Span `json:"evidence,omitempty"`
	// Attrs keeps a source's own fields that have no place in the model
	// (UCDP's deaths_a, GTD's doubtterr), named "<format>.<field>".
	Attrs map[string]string `json:"attrs,omitempty"`

	RecordedAt time.Time `json:"recorded_at"`
}

// ReportActor is an actor as a report names it, with the part it played
// and how its attribution stands.
type ReportActor struct {
	ActorID   string    `json:"actor_id,omitempty"` // resolved actor, empty if unknown
	Name      string    `json:"name"`               // the resolved actor's name, else as written
	AsWritten string    `json:"as_written,omitempty"`
	Role      ActorRole `json:"role"`
	// Side is a dataset's own label for the actor's position ("side_a").
	Side        string            `json:"side,omitempty"`
	Attribution AttributionStatus `json:"attribution"`
	// AttributedBy says who holds the attribution: a source's name, or a
	// rule ("vigil rule iskp-geography").
	AttributedBy string `json:"attributed_by,omitempty"`
	// Rule names the vigil rule that made the attribution, if one did.
	Rule    string `json:"rule,omitempty"`
	Channel string `json:"channel,omitempty"` // how a claim was made, e.g. "Amaq"
}

// Validate checks the report's values against the model's rules.
func (r *Report) Validate() error {
	fail := func(field, format string, args ...any) error {
		return &FieldError{Field: field, Err: Errorf(EINVALID, format, args...)}
	}
	if r.DateStart.IsZero() {
		return fail("date_start", "date required")
	}
	if !r.DateEnd.IsZero() && r.DateEnd.Before(r.DateStart) {
		return fail("date_end", "%s is before date_start %s", r.DateEnd, r.DateStart)
	}
	if r.DatePrecision != 0 && !r.DatePrecision.Valid() {
		return fail("date_precision", "%d: want 1–5", r.DatePrecision)
	}
	// Written as "not within" so that NaN, which fails every comparison, is out.
	if r.Latitude != nil && !(*r.Latitude >= -90 && *r.Latitude <= 90) {
		return fail("latitude", "%v out of range -90..90", *r.Latitude)
	}
	if r.Longitude != nil && !(*r.Longitude >= -180 && *r.Longitude <= 180) {
		return fail("longitude", "%v out of range -180..180", *r.Longitude)
	}
	if (r.Latitude == nil) != (r.Longitude == nil) {
		return fail("latitude", "latitude and longitude must be given together")
	}
	if r.Precision != 0 && !r.Precision.Valid() {
		return fail("location_precision", "%d: want 1–7", r.Precision)
	}
	if r.EventType != "" && !r.EventType.Valid() {
		return fail("event_type", "%q is not an ACLED event type", r.EventType)
	}
	if r.SubEventType != "" && !r.SubEventType.Valid() {
		return fail("sub_event_type", "%q is not an ACLED sub-event type", r.SubEventType)
	}
	if err := r.Killed.Validate(); err != nil {
		return &FieldError{Field: "killed", Err: err}
	}
	if err := r.Wounded.Validate(); err != nil {
		return &FieldError{Field: "wounded", Err: err}
	}
	if r.AttackersKilled.Known && r.AttackersKilled.N < 0 {
		return fail("attackers_killed", "negative count %d", r.AttackersKilled.N)
	}
	if r.Credibility != 0 && !r.Credibility.Valid() {
		return fail("credibility", "%d: want 1–6", r.Credibility)
	}
	for i, a := range r.Actors {
		if !a.Role.Valid() {
			return fail(fmt.Sprintf("actors[%d].role", i), "%q: want perpetrator, target or party", a.Role)
		}
		if !a.Attribution.Valid() {
			return fail(fmt.Sprintf("actors[%d].attribution", i), "%q: want claimed, attributed, suspected, denied, disputed or unknown", a.Attribution)
		}
	}
	return nil
}

// FieldError is a validation error on one field of a record.
type FieldError struct {
	Field string
	Err   error
}

// Error implements error.
func (e *FieldError) Error() string { return e.Field + ": " + ErrorMessage(e.Err) }

// Unwrap returns the underlying error.
func (e *FieldError) Unwrap() error { return e.Err }

// RowError is an error in one record of an input file, as csv.ParseError
// is: the file, the row (1-based, the header is row 1), the field and why.
type RowError struct {
	File  string
	Row   int
	Field string
	Err   error
}

// Error formats the error as "file:row: field: reason".
func (e *RowError) Error() string {
	msg := ErrorMessage(e.Err)
	if msg == "internal error" {
		msg = e.Err.Error()
	}
	if e.Field == "" {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Row, msg)
	}
	return fmt.Sprintf("%s:%d: %s: %s", e.File, e.Row, e.Field, msg)
}

// Unwrap returns the underlying error.
func (e *RowError) Unwrap() error { return e.Err }
