// Package eventrow holds the row forms that both SQL stores (sqlite and
// postgres) write and read: an event's columns and their values, its
// actors' index rows, and a report's JSON (PostgreSQL stores it; SQLite
// stores storecodec's binary form and dumps it as this JSON). One
// definition keeps the two stores' rows, and so their dumps, identical.
package eventrow

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/actors"
)

// EventCols are the columns of events, in the order of an id, a key and
// EventValues.
var EventCols = []string{"id", "key", "date_start", "date_end", "date_precision", "country", "admin1", "admin1_name",
	"unit", "unit_name", "lat", "lon", "event_type", "tlp_rank", "killed_low", "killed_best", "killed_high",
	"wounded_low", "wounded_best", "wounded_high", "credibility", "target_types", "sources", "data",
	"recorded_at", "updated_at"}

// ListSep joins the lists of the events table: the unit separator.
const ListSep = "\x1f"

// EventValues are an event's values for the columns of events after id and
// key. Filter columns are folded (admin1, admin1_name), unknown counts
// are -1, and an event of one report keeps no JSON: readers fuse it again
// from that report, which saves an import of a dataset, where every row
// is an event, half its writing.
func EventValues(e *vigil.Event) []any {
	var lat, lon any
	if p, ok := e.Point(); ok {
		lat, lon = p.Lat, p.Lon
	}
	targets := make([]string, len(e.TargetTypes))
	for i, t := range e.TargetTypes {
		targets[i] = string(t)
	}
	sources := make([]string, len(e.Sources))
	for i, s := range e.Sources {
		sources[i] = s.Name
	}
	data := ""
	if len(e.ReportIDs) != 1 {
		data = mustJSON(e)
	}
	return []any{e.DateStart.String(), e.DateEnd.String(), int(e.DatePrecision), e.Country,
		actors.Normalize(e.Admin1), Admin1Norm(e.Admin1Name), e.Admin1, e.Admin1Name, lat, lon,
		string(e.EventType), e.Marking.Rank(), NumCol(e.Killed.Low), NumCol(e.Killed.Best), NumCol(e.Killed.High),
		NumCol(e.Wounded.Low), NumCol(e.Wounded.Best), NumCol(e.Wounded.High), int(e.Credibility),
		strings.Join(targets, ListSep), strings.Join(sources, ListSep), data,
		e.RecordedAt.UTC().Format(time.RFC3339Nano), e.UpdatedAt.UTC().Format(time.RFC3339Nano)}
}

// ActorCols are the columns of event_actors, in the order of ActorRows.
var ActorCols = []string{"event_id", "role", "name_norm", "actor_id", "date_start"}

// ActorRows appends the event_actors rows of an event, once each, each
// with the event's start date (which orders the indexes by actor).
func ActorRows(rows [][]any, e *vigil.Event) [][]any {
	type row struct{ role, norm, id string }
	seen := map[row]bool{}
	for _, a := range e.Actors {
		r := row{string(a.Role), actors.Normalize(a.Name), a.ActorID}
		if !seen[r] {
			seen[r] = true
			rows = append(rows, []any{e.ID, r.role, r.norm, r.id, e.DateStart.String()})
		}
	}
	return rows
}

// NumCol is a count as a column: -1 when unknown.
func NumCol(n vigil.Num) int {
	if !n.Known {
		return -1
	}
	return n.N
}

// ColNum reads a count column back.
func ColNum(v int64) vigil.Num {
	if v < 0 {
		return vigil.Num{}
	}
	return vigil.N(int(v))
}

// Admin1Norm folds an admin-1 name for matching, without the unit word.
func Admin1Norm(s string) string {
	n := actors.Normalize(s)
	for _, suf := range []string{" province", " governorate", " region", " oblast", " state"} {
		n = strings.TrimSuffix(n, suf)
	}
	return n
}

// EncodeReport is a report's stored JSON, without the ids its columns hold.
func EncodeReport(r *vigil.Report) string {
	c := *r
	c.ID, c.DocumentID, c.EventID = 0, 0, 0
	return mustJSON(&c)
}

// Fresh is an event an ingest transaction makes, with the reports that
// fuse into it.
type Fresh struct {
	Key  string
	Reps []vigil.SourcedReport
}

// Note adds a report to the event, in place of the version of it noted
// before (a document stored twice in one chunk counts as its last version).
func (f *Fresh) Note(sr vigil.SourcedReport) {
	if i := slices.IndexFunc(f.Reps, func(x vigil.SourcedReport) bool { return x.Report.ID == sr.Report.ID }); i >= 0 {
		f.Reps[i] = sr
	} else {
		f.Reps = append(f.Reps, sr)
	}
}

// Forget drops a report that was replaced or deleted.
func (f *Fresh) Forget(report int64) {
	f.Reps = slices.DeleteFunc(f.Reps, func(x vigil.SourcedReport) bool { return x.Report.ID == report })
}

// DecodeReport reads a report back from its columns and JSON.
func DecodeReport(id, docID int64, event sql.NullInt64, data string) (vigil.Report, error) {
	var r vigil.Report
	if err := json.Unmarshal([]byte(data), &r); err != nil {
		return r, fmt.Errorf("decode report %d: %w", id, err)
	}
	r.ID, r.DocumentID, r.EventID = id, docID, event.Int64
	return r, nil
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("eventrow: encoding %T: %v", v, err))
	}
	return string(b)
}

// InOrder returns the events of ids in the order of ids, from evs in any
// order; an id with no event (unknown, or removed between two reads) is
// left out.
func InOrder(ids []int64, evs []*vigil.Event) []*vigil.Event {
	byID := make(map[int64]*vigil.Event, len(evs))
	for _, e := range evs {
		byID[e.ID] = e
	}
	out := make([]*vigil.Event, 0, len(ids))
	for _, id := range ids {
		if e := byID[id]; e != nil {
			out = append(out, e)
		}
	}
	return out
}
