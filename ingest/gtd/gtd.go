// Package gtd reads the Global Terrorism Database (START, University of
// Maryland) into vigil reports: one document, one report and one event per
// GTD incident, from the CSV or the XLSX file that START ships.
//
// Columns are bound by header name. The mapping:
//
//   - Date: iyear, imonth, iday; a month of 0 makes the report span the year
//     (date precision: year), a day of 0 the month (precision: month).
//     extended = 1 with a resolution date makes the report span start to
//     resolution. approxdate is kept as written.
//
//   - Place: city (as written), provstate (admin-1), country_txt (ISO
//     3166-1), latitude and longitude; specificity 1–5 maps onto vigil's
//     location precision as below (specificity 1 with vicinity = 1 is
//     "near the city", 2).
//
//     specificity                                        location_precision
//     1 the city, its own coordinates                    1 exact place
//     2 the city, coordinates of its smallest unit       3 district
//     3 not in a city, smallest unit's coordinates       3 district
//     4 only the province known                          4 province
//     5 only the country known                           6 country
//
//   - What: attacktype1–3, targtype1–3 and weaptype1–4 (the _txt columns),
//     all kept. The ACLED event type is set where GTD's attack and target
//     types determine it: a bombing is "Explosions/Remote violence" (a
//     suicide bombing "Suicide bomb"); an armed or unarmed assault, an
//     assassination or a hostage taking is "Violence against civilians"
//     ("Attack", or "Abduction/forced disappearance" for kidnappings) when
//     the first target is private citizens, religious figures, educational
//     institutions, journalists, NGOs, tourists or transportation, and
//     "Battles"/"Armed clash" when it is the military, the police or a
//     non-state militia. Other incidents are left untyped.
//
//   - Who: gname, gname2 and gname3 are perpetrators; guncertainN = 1 makes
//     the attribution suspected, else claimed (claimed, claim2, claim3 = 1,
//     with the claim mode as the channel), else attributed by GTD; "Unknown"
//     is an unknown perpetrator. Competing claims (compclaim) are kept, and
//     fusion turns rival claims into a disputed attribution.
//
//   - How many: nkill includes the attackers, so killed = nkill − nkillter
//     and attackers killed = nkillter (wounded likewise: nwound − nwoundte).
//     GTD gives one figure: it becomes the best estimate; low and high stay
//     unknown.
//
//   - doubtterr, alternative, multiple, related and every other column are
//     kept as report attributes "gtd.<column>" (a code column is dropped
//     where its _txt column is kept). related lists the incidents of one
//     coordinated attack: each stays its own event (they happen in different
//     places), and "gtd.related_group" names the group by its smallest
//     eventid, the same on every incident of the attack.
package gtd

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/actors"
	"github.com/vigil-osint/vigil/ingest/table"
	"github.com/vigil-osint/vigil/internal/iso3166"
)

// SourceName is the name of the GTD as a vigil source.
const SourceName = "GTD"

// Reliability is the grade vigil gives the GTD as a source: usually reliable.
const Reliability = vigil.ReliabilityB

// Credibility is the grade of a GTD incident's information: probably true.
const Credibility = vigil.CredibilityProbable

// Marking is the TLP of GTD documents: GREEN, because START's terms of use
// forbid redistributing the data publicly.
const Marking = vigil.TLPGreen

// Columns are the 135 columns of the GTD distribution, in order.
var Columns = strings.Fields(`eventid iyear imonth iday approxdate extended resolution country
country_txt region region_txt provstate city latitude longitude specificity vicinity location summary
crit1 crit2 crit3 doubtterr alternative alternative_txt multiple success suicide attacktype1
attacktype1_txt attacktype2 attacktype2_txt attacktype3 attacktype3_txt targtype1 targtype1_txt
targsubtype1 targsubtype1_txt corp1 target1 natlty1 natlty1_txt targtype2 targtype2_txt targsubtype2
targsubtype2_txt corp2 target2 natlty2 natlty2_txt targtype3 targtype3_txt targsubtype3
targsubtype3_txt corp3 target3 natlty3 natlty3_txt gname gsubname gname2 gsubname2 gname3 gsubname3
motive guncertain1 guncertain2 guncertain3 individual nperps nperpcap claimed claimmode claimmode_txt
claim2 claimmode2 claimmode2_txt claim3 claimmode3 claimmode3_txt compclaim weaptype1 weaptype1_txt
weapsubtype1 weapsubtype1_txt weaptype2 weaptype2_txt weapsubtype2 weapsubtype2_txt weaptype3
weaptype3_txt weapsubtype3 weapsubtype3_txt weaptype4 weaptype4_txt weapsubtype4 weapsubtype4_txt
weapdetail nkill nkillus nkillter nwound nwoundus nwoundte property propextent propextent_txt
propvalue propcomment ishostkid nhostkid nhostkidus nhours ndays divert kidhijcountry ransom
ransomamt ransomamtus ransompaid ransompaidus ransomnote hostkidoutcome hostkidoutcome_txt nreleased
addnotes scite1 scite2 scite3 dbsource INT_LOG INT_IDEO INT_MISC INT_ANY related`)

// required are the columns without which a file is not the GTD.
var required = []string{"eventid", "iyear", "imonth", "iday", "country_txt", "gname", "nkill"}

// mapped are the columns that map onto report fields; every other column
// is kept as an attribute.
var mapped = map[string]bool{
	"eventid": true, "iyear": true, "imonth": true, "iday": true, "resolution": true,
	"country": true, "country_txt": true, "provstate": true, "city": true, "latitude": true,
	"longitude": true, "specificity": true, "summary": true, "attacktype1_txt": true,
	"attacktype2_txt": true, "attacktype3_txt": true, "targtype1_txt": true, "targtype2_txt": true,
	"targtype3_txt": true, "weaptype1_txt": true, "weaptype2_txt": true, "weaptype3_txt": true,
	"weaptype4_txt": true, "gname": true, "gname2": true, "gname3": true, "nkill": true,
	"nkillter": true, "nwound": true, "nwoundte": true, "related": true,
}

// Specificity maps GTD's specificity onto vigil's location precision.
var Specificity = map[int]vigil.LocationPrecision{
	1: vigil.LocationExact, 2: vigil.LocationAdmin2, 3: vigil.LocationAdmin2,
	4: vigil.LocationAdmin1, 5: vigil.LocationCountry,
}

// rows is a source of records: a CSV file or an XLSX sheet.
type rows interface {
	// next returns the next record and its 1-based row number.
	next() ([]string, int, error)
}

// Reader reads GTD incidents as vigil items.
type Reader struct {
	file   string
	rows   rows
	col    *table.Header
	header []string
	keep   []int // indexes of the columns kept as attributes
	hashed []int
	source *vigil.Source
	dict   *actors.Dictionary
	sent   bool
	parts  []string
	line   int // the line or sheet row of the record read last
}

// NewReader returns a reader for a GTD file, CSV or XLSX (told apart by
// their content). file names the input in errors; dict (may be nil)
// resolves group names. An XLSX file is read from its first sheet; it has
// to be read into memory whole, as a zip archive is.
func NewReader(r io.Reader, file string, dict *actors.Dictionary) (*Reader, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	magic, _ := br.Peek(4)
	var src rows
	var header []string
	var err error
	if bytes.Equal(magic, []byte("PK\x03\x04")) {
		src, header, err = openXLSX(br, file)
	} else {
		src, header, err = openCSV(br, file)
	}
	if err != nil {
		return nil, err
	}
	col := table.NewHeader(header)
	rd := &Reader{file: file, rows: src, col: col, header: col.Names(), dict: dict}
	if missing := col.Missing(required...); len(missing) > 0 {
		return nil, vigil.Errorf(vigil.EINVALID, "%s: not a GTD file: missing columns %s", file, strings.Join(missing, ", "))
	}
	for i, h := range rd.header {
		if j, _ := col.Index(h); mapped[h] || j != i {
			continue
		}
		if _, hasText := col.Index(h + "_txt"); hasText {
			continue
		}
		rd.keep = append(rd.keep, i)
	}
	for _, c := range Columns {
		if i, ok := col.Index(strings.ToLower(c)); ok {
			rd.hashed = append(rd.hashed, i)
		}
	}
	rd.source = &vigil.Source{
		Name:        SourceName,
		Kind:        vigil.SourceDataset,
		Reliability: Reliability,
		URL:         "https://www.start.umd.edu/gtd/",
		Notes:       "Global Terrorism Database, National Consortium for the Study of Terrorism and Responses to Terrorism (START), University of Maryland. START's terms of use forbid public redistribution of the data.",
	}
	return rd, nil
}

type csvRows struct{ c *table.CSV }

func openCSV(r io.Reader, file string) (*csvRows, []string, error) {
	c, err := table.NewCSV(r, file, true) // GTD's text fields carry stray quotes
	if err == table.ErrNoHeader {
		return nil, nil, vigil.Errorf(vigil.EINVALID, "%s: empty file: not a GTD file", file)
	}
	if err != nil {
		return nil, nil, vigil.Errorf(vigil.EINVALID, "%s: %v", file, err)
	}
	return &csvRows{c}, c.Header.Names(), nil
}

func (x *csvRows) next() ([]string, int, error) {
	row, err := x.c.Next()
	var re *vigil.RowError
	if errors.As(err, &re) {
		return nil, re.Row, re.Err
	}
	return row.Fields, row.Line, err
}

type xlsxRows struct {
	f     *excelize.File
	rows  *excelize.Rows
	row   int
	width int
}

func openXLSX(r io.Reader, file string) (*xlsxRows, []string, error) {
	f, err := excelize.OpenReader(r, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, nil, vigil.Errorf(vigil.EINVALID, "%s: not a readable XLSX file: %v", file, err)
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		f.Close()
		return nil, nil, vigil.Errorf(vigil.EINVALID, "%s: the workbook has no sheet", file)
	}
	rs, err := f.Rows(sheets[0])
	if err != nil {
		f.Close()
		return nil, nil, vigil.Errorf(vigil.EINVALID, "%s: sheet %q: %v", file, sheets[0], err)
	}
	x := &xlsxRows{f: f, rows: rs}
	header, _, err := x.next()
	if err != nil {
		x.close()
		if errors.Is(err, io.EOF) {
			return nil, nil, vigil.Errorf(vigil.EINVALID, "%s: empty sheet: not a GTD file", file)
		}
		return nil, nil, vigil.Errorf(vigil.EINVALID, "%s: reading header: %v", file, err)
	}
	x.width = len(header)
	return x, header, nil
}

func (x *xlsxRows) next() ([]string, int, error) {
	if !x.rows.Next() {
		err := x.rows.Error()
		x.close()
		if err != nil {
			return nil, x.row + 1, err
		}
		return nil, x.row + 1, io.EOF
	}
	x.row++
	cols, err := x.rows.Columns(excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, x.row, vigil.Errorf(vigil.EINVALID, "%v", err)
	}
	// Excel drops trailing empty cells: pad the row to the header's width.
	for x.width > 0 && len(cols) < x.width {
		cols = append(cols, "")
	}
	return cols, x.row, nil
}

func (x *xlsxRows) close() {
	if x.rows != nil {
		x.rows.Close()
		x.rows = nil
	}
	if x.f != nil {
		x.f.Close()
		x.f = nil
	}
}

// Source returns the source the reader's documents belong to.
func (r *Reader) Source() *vigil.Source { return r.source }

// Row returns the line (or sheet row) of the record Next returned last.
func (r *Reader) Row() int { return r.line }

// Next returns the next incident as an item, a *vigil.RowError for a row
// it rejects, or io.EOF.
func (r *Reader) Next() (*vigil.Item, error) {
	var rec []string
	var row int
	var err error
	for {
		if r.rows == nil {
			return nil, io.EOF
		}
		rec, row, err = r.rows.next()
		r.line = row
		if err == io.EOF {
			return nil, io.EOF
		}
		if err != nil {
			if vigil.ErrorCode(err) == vigil.EINVALID {
				return nil, &vigil.RowError{File: r.file, Row: row, Err: err}
			}
			return nil, fmt.Errorf("gtd: %s: %w", r.file, err)
		}
		if !blank(rec) {
			break
		}
	}
	if len(rec) != len(r.header) {
		return nil, &vigil.RowError{File: r.file, Row: row, Err: vigil.Errorf(vigil.EINVALID, "%d fields, want %d", len(rec), len(r.header))}
	}
	it, field, err := r.item(rec)
	if err != nil {
		return nil, &vigil.RowError{File: r.file, Row: row, Field: field, Err: err}
	}
	if !r.sent {
		it.Source, r.sent = r.source, true
	}
	return it, nil
}

func blank(rec []string) bool {
	for _, s := range rec {
		if strings.TrimSpace(s) != "" {
			return false
		}
	}
	return true
}

func (r *Reader) get(rec []string, name string) string {
	if i, ok := r.col.Index(name); ok {
		return strings.TrimSpace(rec[i])
	}
	return ""
}

// Key returns the document and event key of a GTD incident.
func Key(eventid string) string { return "gtd:" + eventid }

// item maps one record; on error it names the field at fault.
func (r *Reader) item(rec []string) (*vigil.Item, string, error) {
	get := func(name string) string { return r.get(rec, name) }
	id := get("eventid")
	if id == "" {
		return nil, "eventid", vigil.Errorf(vigil.EINVALID, "empty")
	}
	if f, err := strconv.ParseFloat(id, 64); err == nil && strings.ContainsAny(id, ".eE") && f == math.Trunc(f) {
		id = strconv.FormatInt(int64(f), 10) // an XLSX number written as 2.01501010001E+11
	}
	var rep vigil.Report
	if field, err := dates(&rep, get); err != nil {
		return nil, field, err
	}
	attrs := make(map[string]string, 24)

	name := get("country_txt")
	if c := iso3166.ByName(name); c != nil {
		rep.Country = c.Alpha2
	} else if name == "" {
		return nil, "country_txt", vigil.Errorf(vigil.EINVALID, "empty")
	}
	attrs["gtd.country_txt"] = name
	rep.Admin1 = get("provstate")
	if strings.EqualFold(rep.Admin1, "Unknown") {
		rep.Admin1 = ""
	}
	rep.Admin1Name = rep.Admin1
	rep.Name = get("city")
	if strings.EqualFold(rep.Name, "Unknown") {
		rep.Name = ""
	}
	if pt, field, err := table.Point(get("latitude"), get("longitude")); err != nil {
		return nil, field, err
	} else if pt != nil {
		rep.SetPoint(*pt)
	}
	if v := get("specificity"); v != "" {
		n, err := wholeNumber(v)
		if err != nil || Specificity[n] == 0 {
			return nil, "specificity", vigil.Errorf(vigil.EINVALID, "%q: want 1–5", v)
		}
		rep.Precision = Specificity[n]
		if n == 1 && get("vicinity") == "1" {
			rep.Precision = vigil.LocationNear
		}
	}

	for _, c := range []string{"attacktype1_txt", "attacktype2_txt", "attacktype3_txt"} {
		if v := get(c); v != "" && v != "." {
			t, err := vigil.ParseAttackType(v)
			if err != nil {
				return nil, c, err
			}
			rep.AttackTypes = append(rep.AttackTypes, t)
		}
	}
	for _, c := range []string{"targtype1_txt", "targtype2_txt", "targtype3_txt"} {
		if v := get(c); v != "" && v != "." {
			t, err := vigil.ParseTargetType(v)
			if err != nil {
				return nil, c, err
			}
			rep.TargetTypes = append(rep.TargetTypes, t)
		}
	}
	for _, c := range []string{"weaptype1_txt", "weaptype2_txt", "weaptype3_txt", "weaptype4_txt"} {
		if v := get(c); v != "" && v != "." {
			t, err := vigil.ParseWeaponType(v)
			if err != nil && strings.HasPrefix(v, "Explosives") { // older releases: "Explosives/Bombs/Dynamite"
				t, err = "Explosives", nil
			}
			if err != nil {
				return nil, c, err
			}
			rep.WeaponTypes = append(rep.WeaponTypes, t)
		}
	}
	rep.EventType, rep.SubEventType = eventType(rep.AttackTypes, rep.TargetTypes, get("suicide") == "1")

	for i, n := range []string{"", "2", "3"} {
		g := get("gname" + n)
		if g == "" || g == "." {
			continue
		}
		a := vigil.ReportActor{Name: g, AsWritten: g, Role: vigil.RolePerpetrator, Attribution: vigil.AttributionAttributed, AttributedBy: SourceName}
		claimCol, modeCol := "claimed", "claimmode_txt"
		if i > 0 {
			claimCol, modeCol = "claim"+n, "claimmode"+n+"_txt"
		}
		switch {
		case strings.EqualFold(g, "Unknown"):
			a.Attribution = vigil.AttributionUnknown
		case get("guncertain"+strconv.Itoa(i+1)) == "1":
			a.Attribution = vigil.AttributionSuspected
		case get(claimCol) == "1":
			a.Attribution = vigil.AttributionClaimed
			if m := get(modeCol); m != "" && m != "Unknown" {
				a.Channel = m
			}
		}
		rep.Actors = append(rep.Actors, a)
	}
	if len(rep.Actors) == 0 {
		return nil, "gname", vigil.Errorf(vigil.EINVALID, "empty")
	}
	if r.dict != nil {
		r.dict.Apply(&rep)
	}

	if field, err := casualties(&rep, get); err != nil {
		return nil, field, err
	}
	if rel := get("related"); rel != "" {
		ids := related(id, rel)
		attrs["gtd.related"] = strings.Join(slices.DeleteFunc(slices.Clone(ids), func(s string) bool { return s == id }), ",")
		attrs["gtd.related_group"] = ids[0]
	}
	for _, i := range r.keep {
		if v := strings.TrimSpace(rec[i]); v != "" {
			attrs["gtd."+r.header[i]] = v
		}
	}
	rep.Attrs = attrs
	rep.Credibility = Credibility
	rep.Key = Key(id)
	rep.EventKey = Key(id)
	rep.Summary = get("summary")
	if err := rep.Validate(); err != nil {
		var fe *vigil.FieldError
		if errors.As(err, &fe) {
			return nil, fe.Field, fe.Err
		}
		return nil, "", err
	}

	r.parts = r.parts[:0]
	for _, i := range r.hashed {
		r.parts = append(r.parts, strings.ToLower(r.header[i]), strings.TrimSpace(rec[i]))
	}
	what := "incident"
	if len(rep.AttackTypes) > 0 {
		what = string(rep.AttackTypes[0])
	}
	doc := vigil.Document{
		Source:      SourceName,
		Key:         Key(id),
		Title:       fmt.Sprintf("GTD incident %s: %s, %s, %s", id, what, strings.Trim(rep.Name+", "+name, ", "), rep.DateStart),
		URL:         "https://www.start.umd.edu/gtd/search/IncidentSummary.aspx?gtdid=" + id,
		Language:    "en",
		Text:        rep.Summary,
		ContentHash: vigil.HashContent(r.parts...),
		Marking:     Marking,
	}
	return &vigil.Item{Document: doc, Reports: []vigil.Report{rep}}, "", nil
}

// dates sets the report's dates from iyear, imonth, iday, extended and
// resolution.
func dates(rep *vigil.Report, get func(string) string) (string, error) {
	y, err := wholeNumber(get("iyear"))
	if err != nil || y < 1900 || y > 2200 {
		return "iyear", vigil.Errorf(vigil.EINVALID, "%q is not a year", get("iyear"))
	}
	m, err := wholeNumber(get("imonth"))
	if err != nil || m < 0 || m > 12 {
		return "imonth", vigil.Errorf(vigil.EINVALID, "%q: want 0–12", get("imonth"))
	}
	d, err := wholeNumber(get("iday"))
	if err != nil || d < 0 || d > 31 {
		return "iday", vigil.Errorf(vigil.EINVALID, "%q: want 0–31", get("iday"))
	}
	switch {
	case m == 0:
		rep.DateStart, rep.DateEnd, rep.DatePrecision = vigil.NewDate(y, 1, 1), vigil.NewDate(y, 12, 31), vigil.DateYear
	case d == 0:
		rep.DateStart = vigil.NewDate(y, time.Month(m), 1)
		rep.DateEnd, rep.DatePrecision = vigil.NewDate(y, time.Month(m+1), 1).AddDays(-1), vigil.DateMonth
	default:
		rep.DateStart = vigil.NewDate(y, time.Month(m), d)
		if rep.DateStart.Time().Day() != d {
			return "iday", vigil.Errorf(vigil.EINVALID, "%d-%02d-%02d is not a date", y, m, d)
		}
		rep.DateEnd, rep.DatePrecision = rep.DateStart, vigil.DateDay
	}
	if get("extended") == "1" {
		if v := get("resolution"); v != "" {
			end, err := parseDate(v)
			if err != nil {
				return "resolution", err
			}
			if end.Before(rep.DateStart) {
				return "resolution", vigil.Errorf(vigil.EINVALID, "%s is before the incident began, %s", end, rep.DateStart)
			}
			if end.After(rep.DateEnd) {
				rep.DateEnd = end
			}
		}
	}
	return "", nil
}

// parseDate reads a resolution date as the CSV writes it ("2014-03-05",
// "3/5/2014") or as an XLSX serial day number.
func parseDate(s string) (vigil.Date, error) {
	if n, err := strconv.ParseFloat(s, 64); err == nil && n > 0 && n < 200000 {
		t, err := excelize.ExcelDateToTime(n, false)
		if err == nil {
			return vigil.DateOf(t), nil
		}
	}
	if len(s) > 10 && (s[10] == ' ' || s[10] == 'T') {
		s = s[:10]
	}
	for _, layout := range []string{"2006-01-02", "1/2/2006", "01/02/2006", "2 January 2006", "January 2, 2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return vigil.DateOf(t), nil
		}
	}
	return vigil.Date{}, vigil.Errorf(vigil.EINVALID, "%q is not a date", s)
}

// casualties sets killed, attackers killed and wounded. nkill and nwound
// include the attackers; -9 and -99 are GTD's codes for unknown.
func casualties(rep *vigil.Report, get func(string) string) (string, error) {
	num := func(c string) (vigil.Num, error) {
		v := get(c)
		if v == "" {
			return vigil.Num{}, nil
		}
		n, err := wholeNumber(v)
		switch {
		case err != nil:
			return vigil.Num{}, vigil.Errorf(vigil.EINVALID, "%q is not a whole number", v)
		case n == -9 || n == -99:
			return vigil.Num{}, nil
		case n < 0:
			return vigil.Num{}, vigil.Errorf(vigil.EINVALID, "negative count %d", n)
		}
		return vigil.N(n), nil
	}
	nkill, err := num("nkill")
	if err != nil {
		return "nkill", err
	}
	nkillter, err := num("nkillter")
	if err != nil {
		return "nkillter", err
	}
	nwound, err := num("nwound")
	if err != nil {
		return "nwound", err
	}
	nwoundte, err := num("nwoundte")
	if err != nil {
		return "nwoundte", err
	}
	rep.AttackersKilled = nkillter
	if nkill.Known {
		n := nkill.N
		if nkillter.Known {
			if nkillter.N > n {
				return "nkillter", vigil.Errorf(vigil.EINVALID, "%d attackers killed is more than nkill %d", nkillter.N, n)
			}
			n -= nkillter.N
		}
		rep.Killed.Best = vigil.N(n)
	}
	if nwound.Known {
		n := nwound.N
		if nwoundte.Known && nwoundte.N <= n {
			n -= nwoundte.N
		}
		rep.Wounded.Best = vigil.N(n)
	}
	return "", nil
}

// related returns the eventids of a coordinated attack, this one included,
// sorted and without repeats.
func related(id, s string) []string {
	ids := []string{id}
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' }) {
		if f = strings.TrimSpace(f); f != "" {
			ids = append(ids, f)
		}
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

var civilianTargets = []vigil.TargetType{"Private Citizens & Property", "Religious Figures/Institutions", "Educational Institution", "Journalists & Media", "NGO", "Tourists", "Transportation"}
var armedTargets = []vigil.TargetType{"Military", "Police", "Terrorists/Non-State Militia"}

// eventType gives the ACLED type where GTD's types determine it.
func eventType(attacks []vigil.AttackType, targets []vigil.TargetType, suicide bool) (vigil.EventType, vigil.SubEventType) {
	if len(attacks) == 0 {
		return "", ""
	}
	switch attacks[0] {
	case "Bombing/Explosion":
		if suicide {
			return vigil.EventExplosions, "Suicide bomb"
		}
		return vigil.EventExplosions, ""
	case "Armed Assault", "Assassination", "Unarmed Assault", "Hostage Taking (Kidnapping)", "Hostage Taking (Barricade Incident)":
		if len(targets) == 0 {
			return "", ""
		}
		switch {
		case slices.Contains(civilianTargets, targets[0]):
			if attacks[0] == "Hostage Taking (Kidnapping)" {
				return vigil.EventViolenceCivilians, "Abduction/forced disappearance"
			}
			return vigil.EventViolenceCivilians, "Attack"
		case slices.Contains(armedTargets, targets[0]):
			return vigil.EventBattles, "Armed clash"
		}
	}
	return "", ""
}

// wholeNumber reads a whole number, also as XLSX writes it ("3.0"); GTD
// writes -9 and -99 for unknown, which callers handle.
func wholeNumber(s string) (int, error) { return table.Int(s, math.MinInt32, math.MaxInt32) }
