package link

import (
	"strings"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/actors"
)

// Record is a report reduced to what linkage compares, so that a million
// of them fit in memory. Make one with NewRecord.
type Record struct {
	ID, Document, Event int64
	// Source is the source's id; Dataset marks sources whose rows are
	// events by the dataset's own judgment (UCDP, ACLED, GTD).
	Source  int64
	Dataset bool
	// Locked marks a report whose event a person confirmed.
	Locked bool
	// New marks a report that this run links for the first time.
	New bool

	Start, End int32 // days since 1970-01-01; End ≥ Start
	DatePrec   int8
	LocPrec    int8
	HasPoint   bool
	Lat, Lon   float32
	Country    string
	Admin1     string // folded admin-1 name, "" when unknown

	Type    vigil.EventType
	Sub     vigil.SubEventType
	Attack  uint32 // bit i: vigil.AttackTypes[i]
	Weapon  uint32
	Target  uint32
	Actors  []string // keys of the non-target actors: ids, else folded names
	Killed  vigil.Range
	Venue   string // folded venue name (Attrs["venue"]), "" when none
	Denial  bool
	Summary string // kept for explanations only when asked
}

// epoch is day zero of Record dates.
var epoch = vigil.NewDate(1970, 1, 1)

// day converts a date to days since 1970-01-01.
func day(d vigil.Date) int32 { return int32(epoch.DaysUntil(d)) }

// NewRecord reduces a stored report to a Record.
func NewRecord(lr *vigil.LinkRecord) Record {
	r := &lr.Report
	rec := Record{ID: r.ID, Document: r.DocumentID, Event: r.EventID, Locked: lr.Locked,
		DatePrec: int8(r.DatePrecision), LocPrec: int8(r.Precision), Country: strings.ToUpper(r.Country),
		Type: r.EventType, Sub: r.SubEventType, Killed: r.Killed, Denial: r.Denial}
	if lr.Source != nil {
		rec.Source = lr.Source.ID
		rec.Dataset = lr.Source.Kind == vigil.SourceDataset
	}
	if !r.DateStart.IsZero() {
		rec.Start = day(r.DateStart)
		rec.End = rec.Start
		if !r.DateEnd.IsZero() && r.DateEnd.After(r.DateStart) {
			rec.End = day(r.DateEnd)
		}
	}
	if p, ok := r.Point(); ok {
		rec.HasPoint, rec.Lat, rec.Lon = true, float32(p.Lat), float32(p.Lon)
	}
	switch {
	case r.Admin1Name != "":
		rec.Admin1 = actors.Normalize(r.Admin1Name)
	case r.Admin1 != "" && !strings.Contains(r.Admin1, "-"):
		rec.Admin1 = actors.Normalize(r.Admin1)
	}
	rec.Attack = bits(vigil.AttackTypes, r.AttackTypes)
	rec.Weapon = bits(vigil.WeaponTypes, r.WeaponTypes)
	rec.Target = bits(vigil.TargetTypes, r.TargetTypes)
	for _, a := range r.Actors {
		if a.Role == vigil.RoleTarget {
			continue
		}
		k := a.ActorID
		if k == "" {
			k = actors.Normalize(a.Name)
		}
		if k != "" && k != "unknown" && !contains(rec.Actors, k) {
			rec.Actors = append(rec.Actors, k)
		}
	}
	if v := r.Attrs["venue"]; v != "" {
		rec.Venue = actors.Normalize(v)
	}
	return rec
}

func bits[T comparable](all, have []T) uint32 {
	var b uint32
	for _, h := range have {
		for i, a := range all {
			if a == h && i < 32 {
				b |= 1 << i
			}
		}
	}
	return b
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// span is how many days the record's dates cover beyond its first.
func (r *Record) span() int32 { return r.End - r.Start }
