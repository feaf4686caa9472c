// Package acled reads ACLED (Armed Conflict Location & Event Data) CSV
// exports into vigil reports: one document, one report and one event per
// ACLED event, and ACLED's deletions files as retractions.
//
// Columns are bound by header name, so that both the current 31-column
// export and older ones (with data_id, iso3, event_id_no_cnty) are read;
// the UTF-8 byte-order mark that real exports begin with is skipped;
// inter1/inter2 are read as text or as the old numeric codes; columns that
// have no place in the model are kept as report attributes "acled.<column>".
//
// ACLED's scales map onto vigil's as follows.
//
//	geo_precision  vigil location_precision
//	1 the named place            1 exact place
//	2 near the named place       2 within about 25 km
//	3 only a larger region       4 province (admin-1)
//
//	time_precision vigil date_precision
//	1 the day                    1 day
//	2 the week                   3 week
//	3 the month                  4 month
//
// An actor written "X and/or Y" becomes two actors, X and Y, whose
// attribution is disputed; an actor whose name begins "Unidentified" has an
// unknown attribution. fatalities, ACLED's most conservative figure,
// becomes the low bound and the best estimate of killed; the high bound
// stays unknown.
//
// ACLED edits events in place and stamps each version with a Unix
// timestamp. Importing a newer export updates each changed event (the
// store keeps the old version as history). A deletions file (columns
// event_id_cnty and deleted_timestamp) retracts events: each row becomes a
// new version of the event's document with no reports, so the event loses
// its report while the old version stays in history. Import exports in
// the order ACLED published them: the reader cannot tell an older export
// from a newer one across files.
package acled

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/actors"
	"github.com/vigil-osint/vigil/ingest/table"
	"github.com/vigil-osint/vigil/internal/iso3166"
)

// SourceName is the name of ACLED as a vigil source.
const SourceName = "ACLED"

// Reliability is the grade vigil gives ACLED as a source: usually reliable
// (B). Its events are coded by researchers from several sources.
const Reliability = vigil.ReliabilityB

// Credibility is the grade of an ACLED event's information: probably true.
const Credibility = vigil.CredibilityProbable

// Marking is the TLP of ACLED documents: GREEN, because ACLED's terms of
// use forbid redistributing its data publicly.
const Marking = vigil.TLPGreen

// Columns are the 31 columns of a current ACLED export, in order.
var Columns = []string{
	"event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
	"sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
	"interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
	"location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
	"fatalities", "tags", "timestamp",
}

// DeletionColumns are the columns of an ACLED deletions file.
var DeletionColumns = []string{"event_id_cnty", "deleted_timestamp"}

// required are the columns without which a file is not an ACLED export.
var required = []string{"event_id_cnty", "event_date", "event_type", "actor1", "latitude", "longitude", "fatalities"}

// mapped are the columns that map onto report fields; every other column
// is kept as an attribute.
var mapped = map[string]bool{
	"event_id_cnty": true, "event_date": true, "time_precision": true, "event_type": true,
	"sub_event_type": true, "actor1": true, "actor2": true, "assoc_actor_1": true, "assoc_actor_2": true,
	"iso": true, "iso3": true, "country": true, "admin1": true, "admin2": true, "location": true,
	"latitude": true, "longitude": true, "geo_precision": true, "notes": true, "fatalities": true,
	"inter1": true, "inter2": true,
}

// GeoPrecision maps ACLED's geo_precision onto vigil's location precision.
var GeoPrecision = map[int]vigil.LocationPrecision{1: vigil.LocationExact, 2: vigil.LocationNear, 3: vigil.LocationAdmin1}

// TimePrecision maps ACLED's time_precision onto vigil's date precision.
var TimePrecision = map[int]vigil.DatePrecision{1: vigil.DateDay, 2: vigil.DateWeek, 3: vigil.DateMonth}

// Inter lists ACLED's actor categories by their old numeric code (0: no
// actor); current exports write the text.
var Inter = []string{"", "State forces", "Rebel group", "Political militia", "Identity militia", "Rioters", "Protesters", "Civilians", "External/Other forces"}

// ParseInter reads inter1/inter2 as the text or the old numeric code and
// returns the text ("" for none).
func ParseInter(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	if n, err := strconv.Atoi(s); err == nil {
		if n < 0 || n >= len(Inter) {
			return "", vigil.Errorf(vigil.EINVALID, "%d: want a code 0–8", n)
		}
		return Inter[n], nil
	}
	for _, t := range Inter[1:] {
		if strings.EqualFold(t, s) || strings.EqualFold(t+"s", s) || strings.EqualFold(t, s+"s") {
			return t, nil
		}
	}
	return "", vigil.Errorf(vigil.EINVALID, "%q is not an ACLED actor category", s)
}

// oldTypes maps the event types of ACLED's exports before 2019 onto the
// current types and sub-types.
var oldTypes = map[string]struct {
	t vigil.EventType
	s vigil.SubEventType
}{
	"battle-no change of territory":              {vigil.EventBattles, "Armed clash"},
	"battle-government regains territory":        {vigil.EventBattles, "Government regains territory"},
	"battle-non-state actor overtakes territory": {vigil.EventBattles, "Non-state actor overtakes territory"},
	"remote violence":                            {vigil.EventExplosions, ""},
	"riots/protests":                             {vigil.EventProtests, ""},
	"strategic development":                      {vigil.EventStrategic, ""},
	"non-violent transfer of territory":          {vigil.EventStrategic, "Non-violent transfer of territory"},
	"headquarters or base established":           {vigil.EventStrategic, "Headquarters or base established"},
}

// Reader reads the rows of an ACLED export or deletions file as vigil items.
type Reader struct {
	file      string
	csv       *table.CSV
	col       *table.Header
	header    []string
	hashed    []int // indexes of the columns that make a row's content
	source    *vigil.Source
	dict      *actors.Dictionary
	deletions bool
	undated   map[[2]string]*vigil.Actor // resolutions that hold on any day
	row       int
	sent      bool
	hbuf      []byte
}

// NewReader reads the header of r and returns a reader for its rows. file
// names the input in errors; dict (may be nil) resolves actor names and
// applies its attribution rules. A header with event_id_cnty and
// deleted_timestamp and no event_date is read as a deletions file. A header
// that lacks ACLED's columns is an error naming them.
func NewReader(r io.Reader, file string, dict *actors.Dictionary) (*Reader, error) {
	c, err := table.NewCSV(r, file, false)
	if err == table.ErrNoHeader {
		return nil, vigil.Errorf(vigil.EINVALID, "%s: empty file: not an ACLED export", file)
	}
	if err != nil {
		return nil, vigil.Errorf(vigil.EINVALID, "%s: %v", file, err)
	}
	rd := &Reader{file: file, csv: c, col: c.Header, header: c.Header.Names(), dict: dict, row: 1}
	_, hasDate := rd.col.Index("event_date")
	_, hasDeleted := rd.col.Index("deleted_timestamp")
	need := required
	if hasDeleted && !hasDate {
		rd.deletions, need = true, DeletionColumns
	}
	if missing := rd.col.Missing(need...); len(missing) > 0 {
		return nil, vigil.Errorf(vigil.EINVALID, "%s: not an ACLED export: missing columns %s", file, strings.Join(missing, ", "))
	}
	if !rd.deletions && len(rd.col.Missing("iso", "iso3", "country")) == 3 {
		return nil, vigil.Errorf(vigil.EINVALID, "%s: not an ACLED export: missing columns iso, iso3 and country", file)
	}
	// The content is every standard column but timestamp, in a fixed
	// order, so that a re-export with another column order or an added
	// column does not make every row look changed.
	for _, c := range append(slicesWithout(Columns, "timestamp"), "data_id", "iso3") {
		if i, ok := rd.col.Index(c); ok {
			rd.hashed = append(rd.hashed, i)
		}
	}
	rd.source = &vigil.Source{
		Name:        SourceName,
		Kind:        vigil.SourceDataset,
		Reliability: Reliability,
		URL:         "https://acleddata.com/",
		Notes:       "Armed Conflict Location & Event Data (ACLED): Raleigh et al. (2010). ACLED's terms of use forbid public redistribution of its data.",
	}
	return rd, nil
}

func slicesWithout(list []string, drop string) []string {
	out := make([]string, 0, len(list))
	for _, s := range list {
		if s != drop {
			out = append(out, s)
		}
	}
	return out
}

// Source returns the source the reader's documents belong to.
func (r *Reader) Source() *vigil.Source { return r.source }

// Row returns the line (or sheet row) of the record Next returned last.
func (r *Reader) Row() int { return r.row }

// Deletions reports whether the file is a deletions file.
func (r *Reader) Deletions() bool { return r.deletions }

// Next returns the next row as an item, a *vigil.RowError for a row it
// rejects, or io.EOF.
func (r *Reader) Next() (*vigil.Item, error) {
	row, err := r.csv.Next()
	if err != nil {
		return nil, err
	}
	r.row = row.Line
	rec := row.Fields
	var it *vigil.Item
	var field string
	if r.deletions {
		it, field, err = r.deletion(rec)
	} else {
		it, field, err = r.item(rec)
	}
	if err != nil {
		return nil, &vigil.RowError{File: r.file, Row: r.row, Field: field, Err: err}
	}
	if !r.sent {
		it.Source, r.sent = r.source, true
	}
	return it, nil
}

// cell returns field i of rec, trimmed ("" past its end).
func cell(rec []string, i int) string {
	if i < len(rec) {
		return strings.TrimSpace(rec[i])
	}
	return ""
}

func (r *Reader) get(rec []string, name string) string {
	if i, ok := r.col.Index(name); ok {
		return strings.TrimSpace(rec[i])
	}
	return ""
}

// Key returns the document and event key of an ACLED event.
func Key(eventIDCnty string) string { return "acled:" + eventIDCnty }

func (r *Reader) deletion(rec []string) (*vigil.Item, string, error) {
	id := r.get(rec, "event_id_cnty")
	if id == "" {
		return nil, "event_id_cnty", vigil.Errorf(vigil.EINVALID, "empty")
	}
	ts := r.get(rec, "deleted_timestamp")
	at, err := parseTimestamp(ts)
	if err != nil {
		return nil, "deleted_timestamp", err
	}
	doc := vigil.Document{
		Source:      SourceName,
		Key:         Key(id),
		Title:       fmt.Sprintf("ACLED event %s (deleted)", id),
		Published:   at,
		Version:     at.Unix(),
		Language:    "en",
		Text:        fmt.Sprintf("ACLED deleted event %s on %s (deleted_timestamp %s).", id, at.Format(time.RFC3339), ts),
		ContentHash: vigil.HashContent("acled-deletion", id, ts),
		Marking:     Marking,
	}
	return &vigil.Item{Document: doc}, "", nil
}

func parseTimestamp(s string) (time.Time, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		// Some exports write the timestamp as a date and time.
		for _, layout := range []string{time.RFC3339, "2006-01-02 15:04:05", "2006-01-02"} {
			if t, terr := time.Parse(layout, s); terr == nil {
				return t.UTC(), nil
			}
		}
		return time.Time{}, vigil.Errorf(vigil.EINVALID, "%q is not a Unix timestamp", s)
	}
	if n < 0 || n > 1<<34 {
		return time.Time{}, vigil.Errorf(vigil.EINVALID, "%d out of range", n)
	}
	return time.Unix(n, 0).UTC(), nil
}

var dateLayouts = []string{"2006-01-02", "02 January 2006", "2 January 2006", "02-January-2006", "2-January-2006", "January 2, 2006", "02/01/2006", "2006/01/02"}

// ParseDate reads an ACLED event_date: "2023-03-27" as the API and recent
// exports write it, or "27 March 2023" as older exports do.
func ParseDate(s string) (vigil.Date, error) {
	if len(s) > 10 && (s[10] == ' ' || s[10] == 'T') && s[4] == '-' {
		s = s[:10]
	}
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return vigil.DateOf(t), nil
		}
	}
	return vigil.Date{}, vigil.Errorf(vigil.EINVALID, "%q: want YYYY-MM-DD or DD Month YYYY", s)
}

// item maps one record; on error it names the field at fault.
func (r *Reader) item(rec []string) (*vigil.Item, string, error) {
	get := func(name string) string { return r.get(rec, name) }
	id := get("event_id_cnty")
	if id == "" {
		return nil, "event_id_cnty", vigil.Errorf(vigil.EINVALID, "empty")
	}
	var rep vigil.Report
	var err error
	if rep.DateStart, err = ParseDate(get("event_date")); err != nil {
		return nil, "event_date", err
	}
	rep.DateEnd = rep.DateStart
	// ACLED fills every cell read below but sub_event_type, actor2 and
	// the place's; vigil's own ACLED-like export leaves empty what it does
	// not know (an event of no ACLED type, no named actor, no country, a
	// date of unknown precision), and those rows read back as such, with
	// a warning each, rather than being lost.
	var warnings []vigil.Rejection
	rep.DatePrecision = vigil.DateDay
	// An export without the column dates to the day; an empty cell says
	// the precision is unknown.
	if i, ok := r.col.Index("time_precision"); ok {
		v := cell(rec, i)
		n, err := strconv.Atoi(v)
		switch {
		case v == "":
			rep.DatePrecision = 0
			warnings = append(warnings, r.warn("time_precision", "empty: date precision unknown"))
		case err != nil || TimePrecision[n] == 0:
			return nil, "time_precision", vigil.Errorf(vigil.EINVALID, "%q: want 1, 2 or 3", v)
		default:
			rep.DatePrecision = TimePrecision[n]
		}
	}

	attrs := make(map[string]string, 12)
	if t, st := get("event_type"), get("sub_event_type"); t == "" && st == "" {
		warnings = append(warnings, r.warn("event_type", "empty: an event of no ACLED event type"))
	} else if rep.EventType, rep.SubEventType, err = eventType(t, st, attrs); err != nil {
		return nil, "event_type", err
	}
	if rep.SubEventType != "" && rep.SubEventType.Parent() != rep.EventType {
		return nil, "sub_event_type", vigil.Errorf(vigil.EINVALID, "%q is not a sub-event type of %q", rep.SubEventType, rep.EventType)
	}

	if iso, iso3, name := get("iso"), get("iso3"), get("country"); iso == "" && iso3 == "" && name == "" {
		warnings = append(warnings, r.warn("country", "empty: an event of no country"))
	} else if rep.Country, err = country(iso, iso3, name); err != nil {
		return nil, "country", err
	}
	if pt, field, err := table.Point(get("latitude"), get("longitude")); err != nil {
		return nil, field, err
	} else if pt == nil {
		warnings = append(warnings, r.warn("latitude", "latitude and longitude empty: a report with no point"))
	} else {
		rep.SetPoint(*pt)
	}
	if v := get("geo_precision"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || GeoPrecision[n] == 0 {
			return nil, "geo_precision", vigil.Errorf(vigil.EINVALID, "%q: want 1, 2 or 3", v)
		}
		rep.Precision = GeoPrecision[n]
	}
	rep.Name = get("location")
	rep.Admin1 = get("admin1")
	rep.Admin1Name = rep.Admin1
	rep.Admin2 = get("admin2")

	if v := get("fatalities"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return nil, "fatalities", vigil.Errorf(vigil.EINVALID, "%q is not a whole number", v)
		}
		if n < 0 {
			return nil, "fatalities", vigil.Errorf(vigil.EINVALID, "negative count %d", n)
		}
		rep.Killed.Low, rep.Killed.Best = vigil.N(n), vigil.N(n)
	}

	inter1, err := ParseInter(get("inter1"))
	if err != nil {
		return nil, "inter1", err
	}
	inter2, err := ParseInter(get("inter2"))
	if err != nil {
		return nil, "inter2", err
	}
	role1, role2 := roles(rep.EventType, inter2)
	actor1 := get("actor1")
	rep.Actors = appendActors(rep.Actors, actor1, "actor1", role1)
	rep.Actors = appendActors(rep.Actors, get("assoc_actor_1"), "assoc_actor_1", role1)
	rep.Actors = appendActors(rep.Actors, get("actor2"), "actor2", role2)
	rep.Actors = appendActors(rep.Actors, get("assoc_actor_2"), "assoc_actor_2", role2)
	if actor1 == "" {
		warnings = append(warnings, r.warn("actor1", "empty: an event of no named actor1"))
	}
	if r.dict != nil {
		r.resolve(&rep)
		r.dict.Apply(&rep)
	}

	for i, h := range r.header {
		if mapped[h] || i >= len(rec) {
			continue
		}
		if v := strings.TrimSpace(rec[i]); v != "" {
			attrs["acled."+h] = v
		}
	}
	if inter1 != "" {
		attrs["acled.inter1"] = inter1
	}
	if inter2 != "" {
		attrs["acled.inter2"] = inter2
	}
	var published time.Time
	if v := get("timestamp"); v != "" {
		if published, err = parseTimestamp(v); err != nil {
			return nil, "timestamp", err
		}
	}
	rep.Attrs = attrs
	rep.Credibility = Credibility
	rep.Key = Key(id)
	rep.EventKey = Key(id)
	notes := get("notes")
	rep.Summary = notes
	if err := rep.Validate(); err != nil {
		var fe *vigil.FieldError
		if errors.As(err, &fe) {
			return nil, fe.Field, fe.Err
		}
		return nil, "", err
	}

	// vigil.HashContent of the column names and values, in one pass.
	r.hbuf = r.hbuf[:0]
	for _, i := range r.hashed {
		r.hbuf = appendPart(r.hbuf, r.header[i])
		r.hbuf = appendPart(r.hbuf, strings.TrimSpace(rec[i]))
	}
	sum := sha256.Sum256(r.hbuf)
	doc := vigil.Document{
		Source:      SourceName,
		Key:         Key(id),
		Title:       "ACLED event " + id + ": " + firstNonEmpty(string(rep.SubEventType), string(rep.EventType)) + ", " + firstNonEmpty(rep.Name, get("country")) + ", " + rep.DateStart.String(),
		Published:   published,
		Language:    "en",
		Text:        notes,
		ContentHash: hex.EncodeToString(sum[:]),
		Marking:     Marking,
	}
	if !published.IsZero() {
		doc.Version = published.Unix() // a row's last change
	}
	return &vigil.Item{Document: doc, Reports: []vigil.Report{rep}, Warnings: warnings}, "", nil
}

// warn makes a warning about the current row.
func (r *Reader) warn(field, format string, args ...any) vigil.Rejection {
	e := &vigil.RowError{File: r.file, Row: r.row, Field: field, Err: vigil.Errorf(vigil.EINVALID, format, args...)}
	return vigil.Rejection{Row: r.row, Field: field, Reason: e.Error()}
}

// resolve resolves the report's actors as the dictionary's Apply would,
// remembering the names whose resolution holds on any day (most do), so
// that a million rows naming a few hundred actors resolve each name once
// per country.
func (r *Reader) resolve(rep *vigil.Report) {
	if r.undated == nil {
		r.undated = map[[2]string]*vigil.Actor{}
	}
	for i := range rep.Actors {
		a := &rep.Actors[i]
		key := [2]string{a.AsWritten, rep.Country}
		act, ok := r.undated[key]
		if act == datedName {
			continue // left to Apply, which resolves on the day
		}
		if !ok {
			ms := r.dict.Resolve(a.AsWritten, vigil.Date{}, rep.Country)
			dated := false
			for _, m := range ms {
				dated = dated || !m.Alias.ValidFrom.IsZero() || !m.Alias.ValidTo.IsZero()
			}
			if len(r.undated) > 100_000 {
				clear(r.undated)
			}
			if dated {
				r.undated[key] = datedName
				continue
			}
			act, _ = r.dict.Best(a.AsWritten, vigil.Date{}, rep.Country)
			r.undated[key] = act
		}
		if act != nil {
			a.ActorID, a.Name = act.ID, act.Name
		}
	}
}

// appendPart appends a part as vigil.HashContent hashes it: its length as
// 8 little-endian bytes, then its bytes.
func appendPart(b []byte, p string) []byte {
	b = binary.LittleEndian.AppendUint64(b, uint64(len(p)))
	return append(b, p...)
}

// datedName marks a name whose resolution depends on the day.
var datedName = &vigil.Actor{}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// eventType reads event_type and sub_event_type as they are, or maps the
// types of older exports (keeping the original as an attribute).
func eventType(t, s string, attrs map[string]string) (vigil.EventType, vigil.SubEventType, error) {
	if t == "" {
		return "", "", vigil.Errorf(vigil.EINVALID, "empty")
	}
	// Exact matches first: the lenient parsers fold every candidate.
	if et := vigil.EventType(t); et.Valid() {
		if st := vigil.SubEventType(s); s == "" || st.Valid() {
			return et, st, nil
		}
	}
	et, err := vigil.ParseEventType(t)
	if err != nil {
		old, ok := oldTypes[strings.ToLower(strings.Join(strings.Fields(t), " "))]
		if !ok {
			return "", "", err
		}
		attrs["acled.event_type"] = t
		et = old.t
		if s == "" {
			return et, old.s, nil
		}
	}
	if s == "" {
		return et, "", nil
	}
	st, err := vigil.ParseSubEventType(s)
	if err != nil {
		// Keep a sub-type the model does not know rather than losing the row.
		attrs["acled.sub_event_type"] = s
		return et, "", nil
	}
	return et, st, nil
}

// roles gives actor1 and actor2 their parts: in explosions and violence
// against civilians (or any event whose actor2 is civilians) actor1 is the
// perpetrator and actor2 the target; otherwise both are parties.
func roles(t vigil.EventType, inter2 string) (vigil.ActorRole, vigil.ActorRole) {
	if t == vigil.EventExplosions || t == vigil.EventViolenceCivilians || (inter2 == "Civilians" && t != vigil.EventProtests && t != vigil.EventRiots) {
		return vigil.RolePerpetrator, vigil.RoleTarget
	}
	return vigil.RoleParty, vigil.RoleParty
}

// appendActors adds the actors of one column: "X and/or Y" as two disputed
// actors, associated actors split on ";".
func appendActors(list []vigil.ReportActor, field, side string, role vigil.ActorRole) []vigil.ReportActor {
	if field == "" {
		return list
	}
	names := []string{field}
	if strings.HasPrefix(side, "assoc") {
		names = strings.Split(field, ";")
	}
	for _, n := range names {
		n = strings.TrimSpace(n)
		if n == "" {
			continue
		}
		alts := strings.Split(n, " and/or ")
		for _, alt := range alts {
			alt = strings.TrimSpace(alt)
			if alt == "" {
				continue
			}
			a := vigil.ReportActor{Name: alt, AsWritten: alt, Role: role, Side: side, Attribution: vigil.AttributionAttributed, AttributedBy: SourceName}
			switch {
			case len(alts) > 1:
				a.Attribution = vigil.AttributionDisputed
			case strings.HasPrefix(strings.ToLower(alt), "unidentified"):
				a.Attribution = vigil.AttributionUnknown
			}
			if role == vigil.RoleTarget {
				a.Attribution, a.AttributedBy = vigil.AttributionAttributed, SourceName
			}
			list = append(list, a)
		}
	}
	return list
}

// country reads the ISO numeric code (current exports), the alpha-3 code
// (older ones) or the name.
func country(iso, iso3, name string) (string, error) {
	if iso != "" {
		if n, err := strconv.Atoi(iso); err == nil {
			if c := iso3166.ByNumeric(n); c != nil {
				return c.Alpha2, nil
			}
		}
	}
	if iso3 != "" {
		if c := iso3166.ByAlpha3(iso3); c != nil {
			return c.Alpha2, nil
		}
	}
	if name != "" {
		if c := iso3166.ByName(name); c != nil {
			return c.Alpha2, nil
		}
	}
	if iso == "" && iso3 == "" && name == "" {
		return "", vigil.Errorf(vigil.EINVALID, "empty")
	}
	return "", vigil.Errorf(vigil.EINVALID, "unknown country (iso %q, iso3 %q, country %q)", iso, iso3, name)
}
