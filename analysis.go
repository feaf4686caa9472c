package vigil

import (
	"cmp"
	"context"
	"encoding/binary"
	"math"
	"slices"
	"time"
)

// AnalysisService reads what the analyses need of many events, fast: lean
// facts instead of whole events, so that indicators over a million events
// need not decode a million event documents.
type AnalysisService interface {
	// FindEventFacts returns the facts of the events that match the
	// filter, by id; Limit and Offset are ignored. With
	// AsOf set, it returns the events as they were known at that instant:
	// only events recorded by then, each with the values fused from the
	// reports and documents as they stood then (the history tables keep
	// the superseded versions). The filter's actor applies to the events'
	// current attribution.
	FindEventFacts(ctx context.Context, f FactFilter) ([]EventFact, error)
	// FindFacts returns the same facts as FindEventFacts, in columns:
	// what indicators over a million events read.
	FindFacts(ctx context.Context, f FactFilter) (*Facts, error)
}

// FactFilter selects event facts: an event filter, and optionally the
// instant whose knowledge to reconstruct.
type FactFilter struct {
	EventFilter
	// AsOf, when not zero, limits the facts to what had been recorded by
	// then.
	AsOf time.Time
}

// EventFact is the part of an event that indicators use.
type EventFact struct {
	ID        int64         `json:"id"`
	DateStart Date          `json:"date_start"`
	DateEnd   Date          `json:"date_end"`
	Precision DatePrecision `json:"date_precision"`
	Country   string        `json:"country"`
	// Admin1 is the ISO 3166-2 code where known, else the name, as the
	// event holds it (not folded).
	Admin1     string `json:"admin1"`
	Admin1Name string `json:"admin1_name,omitempty"`
	// Located says whether Latitude and Longitude are known.
	Located     bool         `json:"located"`
	Latitude    float64      `json:"latitude"`
	Longitude   float64      `json:"longitude"`
	EventType   EventType    `json:"event_type"`
	TargetTypes []TargetType `json:"target_types,omitempty"`
	Killed      Range        `json:"killed"`
	Wounded     Range        `json:"wounded"`
	// Credibility is the event's fused grade (0: ungraded).
	Credibility Credibility `json:"credibility,omitempty"`
	// Sources names the event's sources.
	Sources    []string  `json:"sources,omitempty"`
	RecordedAt time.Time `json:"recorded_at"`
}

// FactOf returns the facts of an event.
func FactOf(e *Event) EventFact {
	f := EventFact{
		ID: e.ID, DateStart: e.DateStart, DateEnd: e.DateEnd, Precision: e.DatePrecision,
		Country: e.Country, Admin1: e.Admin1, Admin1Name: e.Admin1Name,
		EventType: e.EventType, TargetTypes: e.TargetTypes, Killed: e.Killed, Wounded: e.Wounded,
		Credibility: e.Credibility, RecordedAt: e.RecordedAt,
	}
	if p, ok := e.Point(); ok {
		f.Located, f.Latitude, f.Longitude = true, p.Lat, p.Lon
	}
	for _, s := range e.Sources {
		f.Sources = append(f.Sources, s.Name)
	}
	return f
}

// Facts holds the facts of many events in columns, one slice per field
// (row i of each is one event), with strings and lists of strings
// interned in tables. A million facts are then a few dozen arrays without
// pointers: nothing per event for the allocator to make or the garbage
// collector to scan, and analyses read only the columns they need.
// Fact(i) returns row i as an EventFact.
//
// Whoever builds Facts fills the columns to the same length; Append and
// FactsOf do it for facts one at a time.
type Facts struct {
	ID        []int64
	DateStart []Date
	DateEnd   []Date
	// Precision is a DatePrecision.
	Precision []int8
	// Country, Admin1, Admin1Name and EventType are indexes into Strings.
	Country, Admin1, Admin1Name, EventType []int32
	// Located says whether Latitude and Longitude are known.
	Located             []bool
	Latitude, Longitude []float64
	Killed, Wounded     []Range32
	// Credibility is a Credibility.
	Credibility []int8
	// TargetTypes and Sources are indexes into Lists.
	TargetTypes, Sources []int32
	// RecordedAt is in Unix nanoseconds, NoTime when unknown.
	RecordedAt []int64
	// Strings is the table of strings; Strings[0] is "".
	Strings []string
	// Lists is the table of lists of strings, each given by indexes into
	// Strings; Lists[0] is the empty list.
	Lists [][]int32

	strIdx, listIdx map[string]int32
	strN, listN     int // how many of Strings and Lists the maps index
}

// NoTime is the RecordedAt of a fact recorded at an unknown time.
const NoTime = math.MinInt64

// Range32 is a Range in 12 bytes: each part a count, or -1 when unknown.
type Range32 struct{ Low, Best, High int32 }

// Compact returns r as a Range32.
func (r Range) Compact() Range32 {
	part := func(n Num) int32 {
		if !n.Known {
			return -1
		}
		return int32(n.N)
	}
	return Range32{part(r.Low), part(r.Best), part(r.High)}
}

// Range returns r as a Range.
func (r Range32) Range() Range {
	part := func(n int32) Num {
		if n < 0 {
			return Num{}
		}
		return N(int(n))
	}
	return Range{part(r.Low), part(r.Best), part(r.High)}
}

// NewFacts returns empty Facts with room for n facts.
func NewFacts(n int) *Facts {
	fs := &Facts{Strings: []string{""}, Lists: [][]int32{{}}}
	fs.Grow(n)
	return fs
}

// FactsOf returns the facts in columns.
func FactsOf(facts []EventFact) *Facts {
	fs := NewFacts(len(facts))
	for i := range facts {
		fs.Append(&facts[i])
	}
	return fs
}

// Len returns the number of facts.
func (fs *Facts) Len() int { return len(fs.ID) }

// Grow makes room for n more facts in every column.
func (fs *Facts) Grow(n int) {
	fs.ID = slices.Grow(fs.ID, n)
	fs.DateStart, fs.DateEnd = slices.Grow(fs.DateStart, n), slices.Grow(fs.DateEnd, n)
	fs.Precision = slices.Grow(fs.Precision, n)
	fs.Country, fs.Admin1, fs.Admin1Name = slices.Grow(fs.Country, n), slices.Grow(fs.Admin1, n), slices.Grow(fs.Admin1Name, n)
	fs.EventType, fs.Located = slices.Grow(fs.EventType, n), slices.Grow(fs.Located, n)
	fs.Latitude, fs.Longitude = slices.Grow(fs.Latitude, n), slices.Grow(fs.Longitude, n)
	fs.Killed, fs.Wounded = slices.Grow(fs.Killed, n), slices.Grow(fs.Wounded, n)
	fs.Credibility = slices.Grow(fs.Credibility, n)
	fs.TargetTypes, fs.Sources = slices.Grow(fs.TargetTypes, n), slices.Grow(fs.Sources, n)
	fs.RecordedAt = slices.Grow(fs.RecordedAt, n)
}

// Intern returns the index of s in Strings, adding it if need be.
func (fs *Facts) Intern(s string) int32 {
	if len(fs.Strings) == 0 {
		fs.Strings = []string{""}
	}
	if fs.strIdx == nil {
		fs.strIdx = make(map[string]int32, len(fs.Strings))
	}
	// Strings added to the table by hand are indexed on first use.
	for ; fs.strN < len(fs.Strings); fs.strN++ {
		if _, ok := fs.strIdx[fs.Strings[fs.strN]]; !ok {
			fs.strIdx[fs.Strings[fs.strN]] = int32(fs.strN)
		}
	}
	if i, ok := fs.strIdx[s]; ok {
		return i
	}
	i := int32(len(fs.Strings))
	fs.Strings = append(fs.Strings, s)
	fs.strIdx[s], fs.strN = i, len(fs.Strings)
	return i
}

// InternList returns the index in Lists of the list of strings, adding it
// if need be.
func (fs *Facts) InternList(ss []string) int32 {
	if len(ss) == 0 {
		return 0
	}
	l := make([]int32, len(ss))
	for i, s := range ss {
		l[i] = fs.Intern(s)
	}
	if len(fs.Lists) == 0 {
		fs.Lists = [][]int32{{}}
	}
	if fs.listIdx == nil {
		fs.listIdx = map[string]int32{}
	}
	for ; fs.listN < len(fs.Lists); fs.listN++ {
		if k := ListKey(fs.Lists[fs.listN]); fs.listIdx[k] == 0 {
			fs.listIdx[k] = int32(fs.listN)
		}
	}
	k := ListKey(l)
	if i, ok := fs.listIdx[k]; ok {
		return i
	}
	i := int32(len(fs.Lists))
	fs.Lists = append(fs.Lists, l)
	fs.listIdx[k], fs.listN = i, len(fs.Lists)
	return i
}

// ListKey is a list of string indexes as a map key.
func ListKey(l []int32) string {
	b := make([]byte, 0, 4*len(l))
	for _, v := range l {
		b = binary.LittleEndian.AppendUint32(b, uint32(v))
	}
	return string(b)
}

// Append adds a fact.
func (fs *Facts) Append(f *EventFact) {
	fs.ID = append(fs.ID, f.ID)
	fs.DateStart, fs.DateEnd = append(fs.DateStart, f.DateStart), append(fs.DateEnd, f.DateEnd)
	fs.Precision = append(fs.Precision, int8(f.Precision))
	fs.Country = append(fs.Country, fs.Intern(f.Country))
	fs.Admin1 = append(fs.Admin1, fs.Intern(f.Admin1))
	fs.Admin1Name = append(fs.Admin1Name, fs.Intern(f.Admin1Name))
	fs.EventType = append(fs.EventType, fs.Intern(string(f.EventType)))
	fs.Located = append(fs.Located, f.Located)
	fs.Latitude, fs.Longitude = append(fs.Latitude, f.Latitude), append(fs.Longitude, f.Longitude)
	fs.Killed, fs.Wounded = append(fs.Killed, f.Killed.Compact()), append(fs.Wounded, f.Wounded.Compact())
	fs.Credibility = append(fs.Credibility, int8(f.Credibility))
	ts := make([]string, len(f.TargetTypes))
	for i, t := range f.TargetTypes {
		ts[i] = string(t)
	}
	fs.TargetTypes = append(fs.TargetTypes, fs.InternList(ts))
	fs.Sources = append(fs.Sources, fs.InternList(f.Sources))
	at := int64(NoTime)
	if !f.RecordedAt.IsZero() {
		at = f.RecordedAt.UnixNano()
	}
	fs.RecordedAt = append(fs.RecordedAt, at)
}

// Fact returns the fact in row i.
func (fs *Facts) Fact(i int) EventFact {
	f := EventFact{ID: fs.ID[i], DateStart: fs.DateStart[i], DateEnd: fs.DateEnd[i], Precision: DatePrecision(fs.Precision[i]),
		Country: fs.Strings[fs.Country[i]], Admin1: fs.Strings[fs.Admin1[i]], Admin1Name: fs.Strings[fs.Admin1Name[i]],
		Located: fs.Located[i], Latitude: fs.Latitude[i], Longitude: fs.Longitude[i], EventType: EventType(fs.Strings[fs.EventType[i]]),
		Killed: fs.Killed[i].Range(), Wounded: fs.Wounded[i].Range(), Credibility: Credibility(fs.Credibility[i])}
	for _, s := range fs.Lists[fs.TargetTypes[i]] {
		f.TargetTypes = append(f.TargetTypes, TargetType(fs.Strings[s]))
	}
	for _, s := range fs.Lists[fs.Sources[i]] {
		f.Sources = append(f.Sources, fs.Strings[s])
	}
	if at := fs.RecordedAt[i]; at != NoTime {
		f.RecordedAt = time.Unix(0, at).UTC()
	}
	return f
}

// Events returns every fact as an EventFact; facts with the same list of
// target types or sources share one slice, to be read, not written.
func (fs *Facts) Events() []EventFact {
	out := make([]EventFact, fs.Len())
	targets, sources := make([][]TargetType, len(fs.Lists)), make([][]string, len(fs.Lists))
	for i := range out {
		t, s := fs.TargetTypes[i], fs.Sources[i]
		if t != 0 && targets[t] == nil {
			for _, x := range fs.Lists[t] {
				targets[t] = append(targets[t], TargetType(fs.Strings[x]))
			}
		}
		if s != 0 && sources[s] == nil {
			for _, x := range fs.Lists[s] {
				sources[s] = append(sources[s], fs.Strings[x])
			}
		}
		out[i] = EventFact{ID: fs.ID[i], DateStart: fs.DateStart[i], DateEnd: fs.DateEnd[i], Precision: DatePrecision(fs.Precision[i]),
			Country: fs.Strings[fs.Country[i]], Admin1: fs.Strings[fs.Admin1[i]], Admin1Name: fs.Strings[fs.Admin1Name[i]],
			Located: fs.Located[i], Latitude: fs.Latitude[i], Longitude: fs.Longitude[i], EventType: EventType(fs.Strings[fs.EventType[i]]),
			Killed: fs.Killed[i].Range(), Wounded: fs.Wounded[i].Range(), Credibility: Credibility(fs.Credibility[i]),
			TargetTypes: targets[t], Sources: sources[s]}
		if at := fs.RecordedAt[i]; at != NoTime {
			out[i].RecordedAt = time.Unix(0, at).UTC()
		}
	}
	return out
}

// Slice returns rows i to j (not included) as Facts that share fs's
// columns and tables: to be read, or copied with CopyRows.
func (fs *Facts) Slice(i, j int) *Facts {
	return &Facts{ID: fs.ID[i:j], DateStart: fs.DateStart[i:j], DateEnd: fs.DateEnd[i:j], Precision: fs.Precision[i:j],
		Country: fs.Country[i:j], Admin1: fs.Admin1[i:j], Admin1Name: fs.Admin1Name[i:j], EventType: fs.EventType[i:j],
		Located: fs.Located[i:j], Latitude: fs.Latitude[i:j], Longitude: fs.Longitude[i:j],
		Killed: fs.Killed[i:j], Wounded: fs.Wounded[i:j], Credibility: fs.Credibility[i:j],
		TargetTypes: fs.TargetTypes[i:j], Sources: fs.Sources[i:j], RecordedAt: fs.RecordedAt[i:j],
		Strings: fs.Strings, Lists: fs.Lists}
}

// Resize makes every column n long, keeping the first rows.
func (fs *Facts) Resize(n int) {
	fs.Grow(max(0, n-fs.Len()))
	fs.ID = fs.ID[:n]
	fs.DateStart, fs.DateEnd, fs.Precision = fs.DateStart[:n], fs.DateEnd[:n], fs.Precision[:n]
	fs.Country, fs.Admin1, fs.Admin1Name, fs.EventType = fs.Country[:n], fs.Admin1[:n], fs.Admin1Name[:n], fs.EventType[:n]
	fs.Located, fs.Latitude, fs.Longitude = fs.Located[:n], fs.Latitude[:n], fs.Longitude[:n]
	fs.Killed, fs.Wounded, fs.Credibility = fs.Killed[:n], fs.Wounded[:n], fs.Credibility[:n]
	fs.TargetTypes, fs.Sources, fs.RecordedAt = fs.TargetTypes[:n], fs.Sources[:n], fs.RecordedAt[:n]
}

// CopyRows copies the rows of src into fs from row at on; both must index
// the same tables of strings and lists, and fs must be long enough.
func (fs *Facts) CopyRows(at int, src *Facts) {
	copy(fs.ID[at:], src.ID)
	copy(fs.DateStart[at:], src.DateStart)
	copy(fs.DateEnd[at:], src.DateEnd)
	copy(fs.Precision[at:], src.Precision)
	copy(fs.Country[at:], src.Country)
	copy(fs.Admin1[at:], src.Admin1)
	copy(fs.Admin1Name[at:], src.Admin1Name)
	copy(fs.EventType[at:], src.EventType)
	copy(fs.Located[at:], src.Located)
	copy(fs.Latitude[at:], src.Latitude)
	copy(fs.Longitude[at:], src.Longitude)
	copy(fs.Killed[at:], src.Killed)
	copy(fs.Wounded[at:], src.Wounded)
	copy(fs.Credibility[at:], src.Credibility)
	copy(fs.TargetTypes[at:], src.TargetTypes)
	copy(fs.Sources[at:], src.Sources)
	copy(fs.RecordedAt[at:], src.RecordedAt)
}

// SortByID puts the rows in the order of their ids.
func (fs *Facts) SortByID() {
	if slices.IsSorted(fs.ID) {
		return
	}
	perm := make([]int32, fs.Len())
	for i := range perm {
		perm[i] = int32(i)
	}
	slices.SortStableFunc(perm, func(a, b int32) int { return cmp.Compare(fs.ID[a], fs.ID[b]) })
	fs.ID = permute(fs.ID, perm)
	fs.DateStart, fs.DateEnd, fs.Precision = permute(fs.DateStart, perm), permute(fs.DateEnd, perm), permute(fs.Precision, perm)
	fs.Country, fs.Admin1 = permute(fs.Country, perm), permute(fs.Admin1, perm)
	fs.Admin1Name, fs.EventType = permute(fs.Admin1Name, perm), permute(fs.EventType, perm)
	fs.Located, fs.Latitude, fs.Longitude = permute(fs.Located, perm), permute(fs.Latitude, perm), permute(fs.Longitude, perm)
	fs.Killed, fs.Wounded, fs.Credibility = permute(fs.Killed, perm), permute(fs.Wounded, perm), permute(fs.Credibility, perm)
	fs.TargetTypes, fs.Sources, fs.RecordedAt = permute(fs.TargetTypes, perm), permute(fs.Sources, perm), permute(fs.RecordedAt, perm)
}

func permute[T any](s []T, perm []int32) []T {
	out := make([]T, len(perm))
	for i, p := range perm {
		out[i] = s[p]
	}
	return out
}
