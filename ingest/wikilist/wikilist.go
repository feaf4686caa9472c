// Package wikilist reads the CSV files parsed from English Wikipedia's
// monthly "List of terrorist incidents in <Month> <Year>" pages into vigil
// reports: one document, one report and one event per row.
//
// The columns are month ("2015-01"), day ("4", or "16-17" for two days),
// type ("Suicide bombing, shooting"), dead and injured as the lists write
// them ("22 (+1)": 22 victims and one attacker; "40+": at least 40;
// "Unknown"), location ("Achin District, Nangarhar Province, Afghanistan"),
// details (a sentence or two), perpetrator ("Islamic State – Khorasan
// Province (suspected)") and part_of; later scrapes add country,
// match_basis, via and source_page. Columns are bound by header name.
//
// Each row's location is geocoded with vigil's gazetteer (the country
// column as a hint, the places the details name as the document's
// context); its perpetrators are resolved through the actor dictionary,
// whose rules apply to an unqualified or suspected attribution but never
// to a claim. The text is CC BY-SA 3.0 (English Wikipedia contributors):
// anything derived from it is shared alike.
package wikilist

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/actors"
	"github.com/vigil-osint/vigil/geo"
	"github.com/vigil-osint/vigil/ingest/table"
)

// SourceName is the source every row is filed under.
const SourceName = "Wikipedia incident lists"

// Reliability is the grade vigil gives the lists as a source: fairly
// reliable (C). They are a tertiary compilation, not a dataset: anonymous
// volunteers summarise the first press reports of each incident, cite
// them, and seldom revise the figures as later counts come in; there is
// no codebook, no editorial accountability and no record of who changed
// what in the rows as scraped. Their entries are usually right about
// what happened where, less so about tolls and perpetrators. Hence the
// kind "social" (open, user-edited publication) and C rather than the
// B vigil gives UCDP and ACLED, whose coders follow a codebook.
const Reliability = vigil.ReliabilityC

// Kind is the kind of source the lists are: user-edited publication.
const Kind = vigil.SourceSocial

// Credibility is the grade of a row's information: possibly true (3). A
// row is one uncorroborated line of a compilation; linkage with UCDP,
// ACLED or GTD events can confirm it.
const Credibility = vigil.CredibilityPossible

// required are the columns without which a file is not an incident list.
var required = []string{"month", "day", "type", "dead", "injured", "location", "details", "perpetrator"}

// hashed are the columns that make a row's content.
var hashed = []string{"month", "day", "type", "dead", "injured", "location", "details", "perpetrator", "part_of", "country"}

// kept are columns stored as report attributes ("wikilist.<column>").
var kept = []string{"type", "dead", "injured", "location", "perpetrator", "part_of", "source_page", "country", "match_basis", "via"}

// Reader reads incident-list rows as vigil items.
type Reader struct {
	file   string
	csv    *csv.Reader
	col    map[string]int
	source *vigil.Source
	dict   *actors.Dictionary
	gaz    *geo.Gazetteer
	row    int
	sent   bool
	perDay map[string]int // rows seen per date, for the event keys

	stats Stats
}

// Stats counts how a file's rows resolved.
type Stats struct {
	Rows        int                             // rows read into reports
	Located     int                             // rows whose location the gazetteer knew
	ByPrecision map[vigil.LocationPrecision]int // located rows by location precision
	Unlocated   []string                        // locations it did not know
	ISKP        int                             // reports with ISKP as a perpetrator
}

// NewReader reads the header of r and returns a reader for its rows. file
// names the input in errors; dict resolves the perpetrators (nil leaves
// them as written); gaz geocodes the locations (nil: geo.Default()).
func NewReader(r io.Reader, file string, dict *actors.Dictionary, gaz *geo.Gazetteer) (*Reader, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, vigil.Errorf(vigil.EINVALID, "%s: empty file: not a Wikipedia incident list", file)
		}
		return nil, vigil.Errorf(vigil.EINVALID, "%s: reading header: %v", file, err)
	}
	col := make(map[string]int, len(header))
	for i, h := range header {
		h = strings.TrimSpace(string(bytes.TrimPrefix([]byte(h), []byte("\ufeff"))))
		col[strings.ToLower(h)] = i
	}
	var missing []string
	for _, c := range required {
		if _, ok := col[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return nil, vigil.Errorf(vigil.EINVALID, "%s: not a Wikipedia incident list: missing columns %s", file, strings.Join(missing, ", "))
	}
	cr.FieldsPerRecord = len(header)
	if gaz == nil {
		if gaz, err = geo.Default(); err != nil {
			return nil, fmt.Errorf("wikilist: %w", err)
		}
	}
	src := &vigil.Source{
		Name:        SourceName,
		Kind:        Kind,
		Reliability: Reliability,
		URL:         "https://en.wikipedia.org/wiki/Lists_of_terrorist_incidents",
		Notes: "English Wikipedia's monthly lists of terrorist incidents: a tertiary compilation by volunteer editors " +
			"of first press reports (CC BY-SA 3.0, English Wikipedia contributors; share alike anything derived).",
	}
	return &Reader{file: file, csv: cr, col: col, source: src, dict: dict, gaz: gaz, row: 1,
		perDay: map[string]int{}, stats: Stats{ByPrecision: map[vigil.LocationPrecision]int{}}}, nil
}

// Source returns the source the reader's documents belong to.
func (r *Reader) Source() *vigil.Source { return r.source }

// Row returns the line of the row last read (the header is line 1).
func (r *Reader) Row() int { return r.row }

// Stats returns how the rows read so far resolved.
func (r *Reader) Stats() Stats { return r.stats }

// Summary says in one line how the rows read so far located, by
// precision: "1143 rows, 1139 located (precision 1: 700, 3: 120, …)".
func (r *Reader) Summary() string {
	s := r.stats
	var ps []string
	keys := make([]int, 0, len(s.ByPrecision))
	for p := range s.ByPrecision {
		keys = append(keys, int(p))
	}
	sort.Ints(keys)
	for _, p := range keys {
		ps = append(ps, fmt.Sprintf("%d %s: %d", p, vigil.LocationPrecision(p).Describe(), s.ByPrecision[vigil.LocationPrecision(p)]))
	}
	located := fmt.Sprintf("%d located", s.Located)
	if len(ps) > 0 {
		located += " (precision " + strings.Join(ps, "; ") + ")"
	}
	return fmt.Sprintf("%d rows, %s, %d with ISKP as perpetrator", s.Rows, located, s.ISKP)
}

// Next returns the next row as an item, a *vigil.RowError for a row it
// rejects, or io.EOF.
func (r *Reader) Next() (*vigil.Item, error) {
	rec, err := r.csv.Read()
	if err == io.EOF {
		return nil, io.EOF
	}
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			r.row = pe.StartLine
			return nil, &vigil.RowError{File: r.file, Row: pe.StartLine, Err: table.FieldCountError(pe, len(rec), r.csv.FieldsPerRecord)}
		}
		return nil, fmt.Errorf("wikilist: %s: %w", r.file, err)
	}
	if line, _ := r.csv.FieldPos(0); line > 0 {
		r.row = line
	} else {
		r.row++
	}
	it, field, err := r.item(rec)
	if err != nil {
		return nil, &vigil.RowError{File: r.file, Row: r.row, Field: field, Err: err}
	}
	if !r.sent {
		it.Source, r.sent = r.source, true
	}
	return it, nil
}

func (r *Reader) get(rec []string, name string) string {
	if i, ok := r.col[name]; ok {
		return strings.TrimSpace(rec[i])
	}
	return ""
}

var (
	reMonth = regexp.MustCompile(`^(\d{4})-(\d{1,2})$`)
	reDay   = regexp.MustCompile(`^(\d{1,2})(?:\s*[-–]\s*(\d{1,2}))?$`)
)

// Dates reads the month and day columns: "2016-10" and "3", or "16-17"
// for an incident over two days (or more, up to a week, in one month).
func Dates(month, day string) (start, end vigil.Date, prec vigil.DatePrecision, field string, err error) {
	m := reMonth.FindStringSubmatch(month)
	if m == nil {
		return start, end, 0, "month", vigil.Errorf(vigil.EINVALID, "%q: want YYYY-MM", month)
	}
	y, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	if mo < 1 || mo > 12 || y < 1900 || y > 2100 {
		return start, end, 0, "month", vigil.Errorf(vigil.EINVALID, "%q is not a month", month)
	}
	d := reDay.FindStringSubmatch(day)
	if d == nil {
		return start, end, 0, "day", vigil.Errorf(vigil.EINVALID, "%q: want a day or a range of days such as 16-17", day)
	}
	last := time.Date(y, time.Month(mo)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	d1, _ := strconv.Atoi(d[1])
	d2 := d1
	if d[2] != "" {
		d2, _ = strconv.Atoi(d[2])
	}
	if d1 < 1 || d1 > last || d2 < d1 || d2 > last {
		return start, end, 0, "day", vigil.Errorf(vigil.EINVALID, "%q is not a day of %s", day, month)
	}
	start, end = vigil.NewDate(y, time.Month(mo), d1), vigil.NewDate(y, time.Month(mo), d2)
	switch n := d2 - d1; {
	case n == 0:
		prec = vigil.DateDay
	case n <= 6:
		prec = vigil.DateDays
	default:
		prec = vigil.DateMonth
	}
	return start, end, prec, "", nil
}

// item maps one record; on error it names the field at fault.
func (r *Reader) item(rec []string) (*vigil.Item, string, error) {
	get := func(name string) string { return r.get(rec, name) }
	var rep vigil.Report
	var field string
	var err error
	rep.DateStart, rep.DateEnd, rep.DatePrecision, field, err = Dates(get("month"), get("day"))
	if err != nil {
		return nil, field, err
	}
	location, details := get("location"), get("details")
	if location == "" && details == "" {
		return nil, "location", vigil.Errorf(vigil.EINVALID, "empty, and no details")
	}
	var warnings []vigil.Rejection

	// Where.
	loc := locate(r.gaz, location, get("country"), details)
	rep.Place = loc.Place
	if loc.OK {
		r.stats.Located++
		r.stats.ByPrecision[rep.Precision]++
	} else if location != "" {
		r.stats.Unlocated = append(r.stats.Unlocated, location)
		warnings = append(warnings, r.warn("location", "%q is not in the gazetteer; the report has no coordinates", location))
	}

	// What.
	typ := get("type")
	rep.EventType, rep.SubEventType, rep.AttackTypes, rep.WeaponTypes = Kinds(typ)
	if len(rep.AttackTypes) > 3 {
		rep.AttackTypes = rep.AttackTypes[:3] // GTD records at most three
	}

	// How many.
	dead, injured := get("dead"), get("injured")
	rep.Attrs = map[string]string{}
	dc, ic := ParseCount(dead), ParseCount(injured)
	if !dc.OK {
		warnings = append(warnings, r.warn("dead", "%q is not a count the lists use; killed taken as unknown", dead))
	}
	if !ic.OK {
		warnings = append(warnings, r.warn("injured", "%q is not a count the lists use; wounded taken as unknown", injured))
	}
	rep.Killed, rep.AttackersKilled = dc.Victims, dc.Attackers
	rep.Wounded = ic.Victims
	if ic.Attackers.Known {
		rep.Attrs["wikilist.attackers_injured"] = strconv.Itoa(ic.Attackers.N)
	}
	if ic.Kidnapped.Known {
		rep.Attrs["wikilist.kidnapped"] = strconv.Itoa(ic.Kidnapped.N)
	}
	rep.Phrase = fmt.Sprintf("dead: %s; injured: %s", orDash(dead), orDash(injured))

	// Who.
	rep.Actors = Perpetrators(get("perpetrator"), SourceName)
	weaker := make([]vigil.AttributionStatus, len(rep.Actors))
	for i, a := range rep.Actors {
		weaker[i] = a.Attribution
	}
	if r.dict != nil {
		r.dict.Apply(&rep)
	}
	for i := range rep.Actors {
		a := &rep.Actors[i]
		// A rule names the actor the list's name stands for here; it does
		// not make a suspicion or a dispute any firmer.
		if a.Rule != "" && (weaker[i] == vigil.AttributionSuspected || weaker[i] == vigil.AttributionDisputed) {
			a.Attribution = weaker[i]
		}
		if a.ActorID == "iskp" {
			r.stats.ISKP++
		}
	}

	rep.Credibility = Credibility
	date := rep.DateStart.String()
	r.perDay[date]++
	key := fmt.Sprintf("%s:%d", date, r.perDay[date])
	rep.Key = "wikilist:" + key
	rep.EventKey = "wikilist:" + key
	summary := strings.TrimSpace(reCitation.ReplaceAllString(details, ""))
	rep.Summary = summary
	for _, c := range kept {
		if v := get(c); v != "" {
			rep.Attrs["wikilist."+c] = v
		}
	}
	if len(loc.Reasons) > 0 {
		rep.Attrs["wikilist.geocode"] = strings.Join(loc.Reasons, "; ")
	}
	r.stats.Rows++

	parts := make([]string, 0, 2*len(hashed))
	for _, c := range hashed {
		if _, ok := r.col[c]; ok {
			parts = append(parts, c, get(c))
		}
	}
	title := fmt.Sprintf("%s: %s in %s", date, orWord(typ, "Incident"), orWord(location, "an unnamed place"))
	doc := vigil.Document{
		Source:      r.source.Name,
		Key:         key,
		Title:       title,
		URL:         pageURL(get("source_page"), rep.DateStart),
		Language:    "en",
		Text:        details,
		ContentHash: vigil.HashContent(parts...),
		Marking:     vigil.TLPClear,
	}
	return &vigil.Item{Document: doc, Reports: []vigil.Report{rep}, Warnings: warnings}, "", nil
}

// pageURL is the address of the list a row comes from: the source_page
// column's, else the month's.
func pageURL(page string, d vigil.Date) string {
	if page == "" {
		page = "List of terrorist incidents in " + d.Time().Format("January 2006")
	}
	return "https://en.wikipedia.org/wiki/" + url.PathEscape(strings.ReplaceAll(page, " ", "_"))
}

// warn makes a warning about the current row.
func (r *Reader) warn(field, format string, args ...any) vigil.Rejection {
	e := &vigil.RowError{File: r.file, Row: r.row, Field: field, Err: vigil.Errorf(vigil.EINVALID, format, args...)}
	return vigil.Rejection{Row: r.row, Field: field, Reason: e.Error()}
}

func orDash(s string) string { return orWord(s, "-") }

func orWord(s, w string) string {
	if s == "" {
		return w
	}
	return s
}
