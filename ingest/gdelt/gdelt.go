// Package gdelt reads the GDELT Event Database's export files into vigil
// reports: one document and one report per GDELT event of violence, left
// to linkage.
//
// GDELT codes events from the world's news by machine, in the CAMEO
// taxonomy, and publishes them as tab-separated files with no header:
// GDELT 2.0's 15-minute exports (YYYYMMDDHHMMSS.export.CSV, 61 fields a
// row), GDELT 1.0's daily files since April 2013 (YYYYMMDD.export.CSV, 58
// fields) and its historical backfiles (57 fields, without SOURCEURL).
// Fields are bound by position, the layout told by each row's count. A
// file may be given as GDELT serves it, zipped (.export.CSV.zip): the
// reader reads the archive's one file.
//
// GDELT codes every kind of interaction (statements, visits, appeals, aid),
// and vigil monitors violence: a row whose CAMEO event code is not one of
// Cameo's (roots 18 assault, 19 fight, 20 unconventional mass violence, and
// 145 protest violently, riot) is read and skipped (ingest.ErrSkip; the
// batch counts it). The codes map onto ACLED's event types as Cameo lists.
//
// The rest maps as follows.
//
//	GDELT                        vigil
//	GLOBALEVENTID                document and report key "gdelt:<id>"
//	SQLDATE (YYYYMMDD)           date, to the day
//	ActionGeo_Type 1 country     location precision 6 (country)
//	  2 US state, 5 world state  4 (province, admin-1)
//	  3 US city, 4 world city    2 (a named place's centre: within about 25 km)
//	ActionGeo_Lat, _Long         the point; the country is the one the point
//	                             lies in, by vigil's gazetteer (Options.Country)
//	ActionGeo_FullName           the place as written
//	Actor1Name, Actor2Name       actors: perpetrator and target for violence
//	                             against civilians and explosions, parties
//	                             otherwise; attributed by GDELT
//	SOURCEURL                    the document's address
//	DATEADDED                    when GDELT published the row
//
// GDELT's rows are machine readings of articles, not events it has judged
// apart: one incident is often several rows (GDELT's own documentation
// says so). So its reports name no event (vigil link groups them, with
// each other and with other sources' reports), and GDELT is filed as a
// source of kind news, not dataset, since linkage never merges two rows of
// one dataset.
//
// GDELT writes countries and admin-1 units as FIPS 10-4 codes (RS is
// Russia, TI Tajikistan): they are kept as report attributes, like every
// other field that has no place in the model ("gdelt.<field>"), and the
// country comes from the point. GDELT gives no casualty figures: killed
// and wounded stay unknown. Its information is machine-coded from articles
// vigil does not see, so each report's credibility is 6 (cannot be
// judged), and the source's reliability F until an analyst grades it.
package gdelt

import (
	"archive/zip"
	"bufio"
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/actors"
	"github.com/vigil-osint/vigil/ingest"
	"github.com/vigil-osint/vigil/ingest/table"
)

// SourceName is the name of GDELT as a vigil source.
const SourceName = "GDELT Event Database"

// The grades vigil gives GDELT: the source's reliability cannot be judged
// (it relays news of every grade, coded by machine), nor can the truth of
// each event's information.
const (
	Reliability = vigil.ReliabilityF
	Credibility = vigil.CredibilityUnknown
)

// Marking is the TLP of GDELT documents: CLEAR, since GDELT's data is open
// for any use.
const Marking = vigil.TLPClear

// actorFields are the ten fields of each actor, after its prefix.
var actorFields = []string{"Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code", "Religion2Code", "Type1Code", "Type2Code", "Type3Code"}

// columns returns the field names of a GDELT 2.0 row (v2) or a 1.0 row,
// with SOURCEURL or without.
func columns(v2, url bool) []string {
	cols := []string{"GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate"}
	for _, a := range []string{"Actor1", "Actor2"} {
		for _, f := range actorFields {
			cols = append(cols, a+f)
		}
	}
	cols = append(cols, "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
		"GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone")
	for _, g := range []string{"Actor1Geo_", "Actor2Geo_", "ActionGeo_"} {
		cols = append(cols, g+"Type", g+"FullName", g+"CountryCode", g+"ADM1Code")
		if v2 {
			cols = append(cols, g+"ADM2Code")
		}
		cols = append(cols, g+"Lat", g+"Long", g+"FeatureID")
	}
	cols = append(cols, "DATEADDED")
	if url {
		cols = append(cols, "SOURCEURL")
	}
	return cols
}

// The layouts: Columns for GDELT 2.0, Columns1 for 1.0's daily files and
// Columns1Backfile for its historical files.
var (
	Columns          = columns(true, true)
	Columns1         = columns(false, true)
	Columns1Backfile = columns(false, false)
)

// layouts are the layouts by field count, each with its fields' indexes.
var layouts = func() map[int]*layout {
	m := map[int]*layout{}
	for _, c := range []struct {
		cols    []string
		version string
	}{{Columns, "2.0"}, {Columns1, "1.0"}, {Columns1Backfile, "1.0"}} {
		l := &layout{cols: c.cols, version: c.version, at: map[string]int{}}
		for i, n := range c.cols {
			l.at[n] = i
		}
		m[len(c.cols)] = l
	}
	return m
}()

type layout struct {
	cols    []string
	version string
	at      map[string]int
}

// mapped are the fields that map onto the model; the others are kept as
// attributes.
var mapped = map[string]bool{
	"GLOBALEVENTID": true, "SQLDATE": true, "MonthYear": true, "Year": true, "FractionDate": true,
	"Actor1Name": true, "Actor2Name": true, "EventCode": true,
	"ActionGeo_Type": true, "ActionGeo_FullName": true, "ActionGeo_Lat": true, "ActionGeo_Long": true,
	"DATEADDED": true, "SOURCEURL": true,
}

// Precision maps ActionGeo_Type onto vigil's location precision.
var Precision = map[int]vigil.LocationPrecision{
	1: vigil.LocationCountry, 2: vigil.LocationAdmin1, 3: vigil.LocationNear, 4: vigil.LocationNear, 5: vigil.LocationAdmin1,
}

// Options tune a Reader.
type Options struct {
	// Country returns the ISO 3166-1 alpha-2 code of the country a point
	// lies in, or "" (at sea). Without it reports keep no country.
	Country func(lat, lon float64) string
}

// Reader reads the rows of GDELT event files as vigil items.
type Reader struct {
	file   string
	in     *bufio.Reader
	dict   *actors.Dictionary
	opt    Options
	source *vigil.Source
	row    int
	sent   bool
}

// maxZip bounds the size of a zipped file the reader holds in memory to
// open it (a day of GDELT 1.0 is about 20 MB zipped, a 15-minute file of
// 2.0 under 1 MB).
const maxZip = 1 << 30

// NewReader returns a reader of the GDELT event file r, plain or zipped.
// file names the input in errors; dict (may be nil) resolves actor names
// and applies its attribution rules. A zip archive must hold exactly one
// file.
func NewReader(r io.Reader, file string, dict *actors.Dictionary, opt Options) (*Reader, error) {
	in := bufio.NewReaderSize(r, 1<<16)
	if magic, _ := in.Peek(4); string(magic) == "PK\x03\x04" {
		unzipped, err := unzip(in, file)
		if err != nil {
			return nil, err
		}
		in = bufio.NewReaderSize(unzipped, 1<<16)
	}
	return &Reader{
		file: file, in: in, dict: dict, opt: opt,
		source: &vigil.Source{
			Name:        SourceName,
			Kind:        vigil.SourceNews,
			Reliability: Reliability,
			URL:         "https://www.gdeltproject.org/",
			Notes:       "The GDELT Project's Event Database: events coded by machine from the world's news in the CAMEO taxonomy (Leetaru and Schrodt, 2013). vigil imports its violent events.",
		},
	}, nil
}

// unzip reads a zip archive whole and returns its one file's contents.
func unzip(r io.Reader, file string) (io.Reader, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxZip+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if len(b) > maxZip {
		return nil, vigil.Errorf(vigil.EINVALID, "%s: a zip archive over %d MB: unzip it first", file, maxZip>>20)
	}
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, vigil.Errorf(vigil.EINVALID, "%s: %v", file, err)
	}
	if len(z.File) != 1 {
		return nil, vigil.Errorf(vigil.EINVALID, "%s: a zip archive of %d files: want GDELT's one", file, len(z.File))
	}
	f, err := z.File[0].Open()
	if err != nil {
		return nil, vigil.Errorf(vigil.EINVALID, "%s: %s: %v", file, z.File[0].Name, err)
	}
	return f, nil
}

// Source returns the source the reader's documents belong to.
func (r *Reader) Source() *vigil.Source { return r.source }

// Row returns the line of the record Next returned last.
func (r *Reader) Row() int { return r.row }

// Next returns the next row of violence as an item, ingest.ErrSkip for a
// row of another kind, a *vigil.RowError for a row it rejects, or io.EOF.
func (r *Reader) Next() (*vigil.Item, error) {
	var line string
	for strings.TrimSpace(line) == "" { // blank lines are no rows
		var err error
		line, err = r.in.ReadString('\n')
		if err == io.EOF && line == "" {
			return nil, io.EOF
		}
		if err != nil && err != io.EOF {
			return nil, fmt.Errorf("%s: line %d: %w", r.file, r.row+1, err)
		}
		r.row++
		line = strings.TrimRight(line, "\r\n")
	}
	rec := strings.Split(line, "\t")
	it, field, err := r.item(rec)
	if err == ingest.ErrSkip {
		return nil, err
	}
	if err != nil {
		return nil, &vigil.RowError{File: r.file, Row: r.row, Field: field, Err: err}
	}
	if !r.sent {
		it.Source, r.sent = r.source, true
	}
	return it, nil
}

// Key returns the document and event key of a GDELT event.
func Key(globalEventID string) string { return "gdelt:" + globalEventID }

// item maps one record; on error it names the field at fault.
func (r *Reader) item(rec []string) (*vigil.Item, string, error) {
	l := layouts[len(rec)]
	if l == nil {
		return nil, "fields", vigil.Errorf(vigil.EINVALID, "%d tab-separated fields: a GDELT event row has 61 (2.0), 58 or 57 (1.0)", len(rec))
	}
	get := func(name string) string { return strings.TrimSpace(rec[l.at[name]]) }
	code := get("EventCode")
	if n := len(code); n < 2 || n > 4 || strings.Trim(code, "0123456789") != "" {
		return nil, "EventCode", vigil.Errorf(vigil.EINVALID, "%q: want a CAMEO code of 2 to 4 digits", code)
	}
	kind, ok := violent(code)
	if !ok {
		return nil, "", ingest.ErrSkip
	}
	id := get("GLOBALEVENTID")
	if n, err := strconv.ParseInt(id, 10, 64); err != nil || n <= 0 {
		return nil, "GLOBALEVENTID", vigil.Errorf(vigil.EINVALID, "%q: want a positive whole number", id)
	}
	var rep vigil.Report
	day, err := time.Parse("20060102", get("SQLDATE"))
	if err != nil {
		return nil, "SQLDATE", vigil.Errorf(vigil.EINVALID, "%q: want YYYYMMDD", get("SQLDATE"))
	}
	rep.DateStart = vigil.DateOf(day)
	rep.DateEnd, rep.DatePrecision = rep.DateStart, vigil.DateDay
	rep.EventType, rep.SubEventType = kind.typ, kind.sub

	var warnings []vigil.Rejection
	if v := get("ActionGeo_Type"); v != "" && v != "0" {
		n, err := strconv.Atoi(v)
		if err != nil || Precision[n] == 0 {
			return nil, "ActionGeo_Type", vigil.Errorf(vigil.EINVALID, "%q: want 0 to 5", v)
		}
		rep.Precision = Precision[n]
	}
	pt, field, err := table.Point(get("ActionGeo_Lat"), get("ActionGeo_Long"))
	if err != nil {
		if field == "longitude" {
			return nil, "ActionGeo_Long", err
		}
		return nil, "ActionGeo_Lat", err
	}
	if pt == nil {
		rep.Precision = 0
		warnings = append(warnings, r.warn("ActionGeo_Lat", "empty: an event with no place, and so no country"))
	} else {
		rep.SetPoint(*pt)
		if r.opt.Country != nil {
			rep.Country = r.opt.Country(pt.Lat, pt.Lon)
		}
	}
	rep.Name = get("ActionGeo_FullName")

	role1, role2 := vigil.RoleParty, vigil.RoleParty
	if rep.EventType == vigil.EventViolenceCivilians || rep.EventType == vigil.EventExplosions {
		role1, role2 = vigil.RolePerpetrator, vigil.RoleTarget
	}
	for _, a := range []struct {
		name, side string
		role       vigil.ActorRole
	}{{get("Actor1Name"), "actor1", role1}, {get("Actor2Name"), "actor2", role2}} {
		if a.name != "" {
			rep.Actors = append(rep.Actors, vigil.ReportActor{Name: a.name, AsWritten: a.name, Role: a.role, Side: a.side,
				Attribution: vigil.AttributionAttributed, AttributedBy: SourceName})
		}
	}
	if r.dict != nil {
		r.dict.Apply(&rep)
	}

	attrs := map[string]string{"gdelt.version": l.version}
	for i, n := range l.cols {
		if v := strings.TrimSpace(rec[i]); v != "" && !mapped[n] {
			attrs["gdelt."+n] = v
		}
	}
	attrs["gdelt.EventCode"] = code
	rep.Attrs = attrs
	rep.Credibility = Credibility
	rep.Key = Key(id)
	rep.Summary = summary(get("Actor1Name"), kind.label, get("Actor2Name"), code)
	if err := rep.Validate(); err != nil {
		var fe *vigil.FieldError
		if errors.As(err, &fe) {
			return nil, fe.Field, fe.Err
		}
		return nil, "", err
	}

	added, err := dateAdded(get("DATEADDED"))
	if err != nil {
		return nil, "DATEADDED", err
	}
	doc := vigil.Document{
		Source:      SourceName,
		Key:         Key(id),
		Title:       fmt.Sprintf("GDELT event %s: %s, %s, %s", id, kind.label, cmp.Or(rep.Name, "no place"), rep.DateStart),
		Published:   added,
		Language:    "en",
		Text:        rep.Summary + ".",
		ContentHash: vigil.HashContent(append([]string{"gdelt " + l.version}, rec...)...),
		Marking:     Marking,
	}
	if i, ok := l.at["SOURCEURL"]; ok {
		doc.URL = strings.TrimSpace(rec[i])
	}
	return &vigil.Item{Document: doc, Reports: []vigil.Report{rep}, Warnings: warnings}, "", nil
}

// summary says what GDELT coded: "TALIBAN: Use conventional military force
// (CAMEO 190), against AFGHANISTAN".
func summary(actor1, label, actor2, code string) string {
	s := fmt.Sprintf("%s (CAMEO %s)", label, code)
	if actor1 != "" {
		s = actor1 + ": " + s
	}
	if actor2 != "" {
		s += ", against " + actor2
	}
	return s
}

// dateAdded reads DATEADDED: YYYYMMDDHHMMSS (2.0) or YYYYMMDD (1.0), UTC;
// empty is the zero time.
func dateAdded(s string) (time.Time, error) {
	for _, layout := range []string{"20060102150405", "20060102"} {
		if len(s) == len(layout) {
			if t, err := time.Parse(layout, s); err == nil {
				return t, nil
			}
		}
	}
	if s == "" {
		return time.Time{}, nil
	}
	return time.Time{}, vigil.Errorf(vigil.EINVALID, "%q: want YYYYMMDDHHMMSS or YYYYMMDD", s)
}

// warn makes a warning about the current row.
func (r *Reader) warn(field, format string, args ...any) vigil.Rejection {
	e := &vigil.RowError{File: r.file, Row: r.row, Field: field, Err: vigil.Errorf(vigil.EINVALID, format, args...)}
	return vigil.Rejection{Row: r.row, Field: field, Reason: e.Error()}
}
