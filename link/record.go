package link

import (
	"strings"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/actors"
)

// Record is a report reduced to what linkage compares, so that a million
// of them fit in memory. It holds no pointers: its names are interned
// (Sym, Set), so that a slice of records costs the garbage collector
// nothing to scan and a record is a single run of bytes. Make one with
// NewRecord.
type Record struct {
	ID, Document, Event int64
	// Source is the source's id.
	Source int64

	Start, End int32 // days since 1970-01-01; End ≥ Start
	Lat, Lon   float32

	Country Sym // upper-case country code, 0 when unknown
	Admin1  Sym // folded admin-1 name, 0 when unknown
	Venue   Sym // folded venue name (Attrs["venue"]), 0 when none
	Type    Sym // vigil.EventType
	Sub     Sym // vigil.SubEventType
	// Actors are the keys of the non-target actors: ids, else folded
	// names.
	Actors Set

	Attack uint32 // bit i: vigil.AttackTypes[i]
	Weapon uint32
	Target uint32
	Killed Toll

	DatePrec int8
	LocPrec  int8
	HasPoint bool
	// Dataset marks sources whose rows are events by the dataset's own
	// judgment (UCDP, ACLED, GTD).
	Dataset bool
	// Locked marks a report whose event a person confirmed.
	Locked bool
	// New marks a report that this run links for the first time.
	New    bool
	Denial bool
	// Rank is the rank of the document's marking (vigil.TLP.Rank; 0 when
	// unmarked): reports of different ranks are never linked without a
	// person (see Config.Link).
	Rank int8
}

// Toll is a casualty range in the compact form records keep.
type Toll struct {
	Low, Best, High int32
	// Known has bit 0 set when Low is known, bit 1 Best, bit 2 High.
	Known uint8
}

// NewToll makes a Toll of a range.
func NewToll(r vigil.Range) Toll {
	var t Toll
	for i, n := range [...]vigil.Num{r.Low, r.Best, r.High} {
		if n.Known {
			t.Known |= 1 << i
		}
	}
	t.Low, t.Best, t.High = int32(r.Low.N), int32(r.Best.N), int32(r.High.N)
	return t
}

// Range returns the toll as a vigil.Range.
func (t Toll) Range() vigil.Range {
	return vigil.Range{Low: vigil.Num{N: int(t.Low), Known: t.Known&1 != 0},
		Best: vigil.Num{N: int(t.Best), Known: t.Known&2 != 0}, High: vigil.Num{N: int(t.High), Known: t.Known&4 != 0}}
}

// epoch is day zero of Record dates.
var epoch = vigil.NewDate(1970, 1, 1)

// day converts a date to days since 1970-01-01.
func day(d vigil.Date) int32 { return int32(epoch.DaysUntil(d)) }

// NewRecord reduces a stored report to a Record.
func NewRecord(lr *vigil.LinkRecord) Record {
	r := &lr.Report
	rec := Record{ID: r.ID, Document: r.DocumentID, Event: r.EventID, Locked: lr.Locked, Rank: int8(max(lr.Marking.Rank(), 0)),
		DatePrec: int8(r.DatePrecision), LocPrec: int8(r.Precision), Country: Intern(strings.ToUpper(r.Country)),
		Type: Intern(string(r.EventType)), Sub: Intern(string(r.SubEventType)), Killed: NewToll(r.Killed), Denial: r.Denial}
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
		rec.Admin1 = Intern(actors.Normalize(r.Admin1Name))
	case r.Admin1 != "" && !strings.Contains(r.Admin1, "-"):
		rec.Admin1 = Intern(actors.Normalize(r.Admin1))
	}
	rec.Attack = bits(vigil.AttackTypes, r.AttackTypes)
	rec.Weapon = bits(vigil.WeaponTypes, r.WeaponTypes)
	rec.Target = bits(vigil.TargetTypes, r.TargetTypes)
	var keys [8]string
	as := keys[:0]
	for _, a := range r.Actors {
		if a.Role == vigil.RoleTarget {
			continue
		}
		k := a.ActorID
		if k == "" {
			k = actors.Normalize(a.Name)
		}
		if k != "" && k != "unknown" && !contains(as, k) {
			as = append(as, k)
		}
	}
	rec.Actors = InternSet(as)
	if v := r.Attrs["venue"]; v != "" {
		rec.Venue = Intern(actors.Normalize(v))
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
