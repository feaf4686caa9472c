// Package ucdp reads UCDP Georeferenced Event Dataset (GED) CSV files,
// releases 19.1 to 25.1, into vigil reports: one document, one report and
// one event per GED row.
//
// Columns are bound by header name (older releases order them otherwise),
// dates are read as "YYYY-MM-DD" with or without a time of day, quoted
// fields may span lines, and the file is streamed.
package ucdp

import (
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/actors"
	"github.com/vigil-osint/vigil/ingest/table"
	"github.com/vigil-osint/vigil/internal/iso3166"
)

// required are the columns without which a file is not a GED file.
var required = []string{
	"id", "type_of_violence", "side_a", "side_b", "where_prec", "latitude", "longitude",
	"country", "country_id", "date_prec", "date_start", "date_end", "best", "high", "low",
}

// hashed are the columns whose values make a row's content: the columns
// every release from 19.1 has, so that a column a later release adds does
// not make every row look changed.
var hashed = []string{
	"id", "relid", "year", "active_year", "type_of_violence", "conflict_new_id", "conflict_name",
	"dyad_new_id", "dyad_name", "side_a_new_id", "side_a", "side_b_new_id", "side_b",
	"number_of_sources", "source_article", "source_office", "source_date", "source_headline",
	"source_original", "where_prec", "where_coordinates", "where_description", "adm_1", "adm_2",
	"latitude", "longitude", "priogrid_gid", "country", "country_id", "region", "event_clarity",
	"date_prec", "date_start", "date_end", "deaths_a", "deaths_b", "deaths_civilians",
	"deaths_unknown", "best", "high", "low",
}

// kept are columns stored as report attributes ("ucdp.<column>").
var kept = []string{
	"relid", "code_status", "active_year", "type_of_violence", "conflict_new_id", "conflict_name",
	"dyad_new_id", "dyad_name", "side_a_new_id", "side_b_new_id", "number_of_sources",
	"source_office", "source_date", "source_headline", "source_original", "where_coordinates",
	"where_description", "adm_1", "adm_2", "priogrid_gid", "region", "event_clarity",
	"deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown",
}

// keptAttrs are the attribute names of kept, in its order.
var keptAttrs = func() []string {
	out := make([]string, len(kept))
	for i, c := range kept {
		out[i] = "ucdp." + c
	}
	return out
}()

// Reliability is the grade vigil gives UCDP GED as a source: usually
// reliable (B). Its rows are coded by researchers from several sources.
const Reliability = vigil.ReliabilityB

// Credibility is the grade of a GED row's information: probably true (2).
const Credibility = vigil.CredibilityProbable

// Origin is the origin every GED release's source shares: each release is
// its own source ("UCDP GED 23.1", "UCDP GED 24.1"), but two releases
// coding one event are one dataset's word, not two independent ones.
const Origin = "UCDP GED"

var releaseRe = regexp.MustCompile(`^\d{1,2}\.\d{1,2}(\.\d{1,3})?$`)

// SourceName returns the source's name for a release, e.g. "UCDP GED 23.1".
func SourceName(version string) string {
	if version == "" {
		return "UCDP GED"
	}
	return "UCDP GED " + version
}

var versionRe = regexp.MustCompile(`(?i)ged[^0-9]{0,12}(\d{2})[._-]?(\d)`)

// VersionFromName guesses the GED release from a file name such as
// "ged231.csv" or "GEDEvent_v23_1.csv"; "" when it cannot tell.
func VersionFromName(name string) string {
	m := versionRe.FindStringSubmatch(name)
	if m == nil {
		return ""
	}
	return m[1] + "." + m[2]
}

// Reader reads GED rows as vigil items.
type Reader struct {
	file   string
	csv    *table.CSV
	source *vigil.Source
	dict   *actors.Dictionary
	row    int // 1-based line of the record last read (header is 1)
	sent   bool
	parts  []string // the hashed columns and values of the row, reused
}

// NewReader reads the header of r and returns a reader for its rows. file
// names the input in errors; version is the GED release ("23.1", or ""
// for unknown); dict resolves the sides to actors and applies its rules.
// A header that lacks GED's columns is an error naming them.
func NewReader(r io.Reader, file, version string, dict *actors.Dictionary) (*Reader, error) {
	c, err := table.NewCSV(r, file, false)
	if err == table.ErrNoHeader {
		return nil, vigil.Errorf(vigil.EINVALID, "%s: empty file: not a UCDP GED file", file)
	}
	if err != nil {
		return nil, vigil.Errorf(vigil.EINVALID, "%s: %v", file, err)
	}
	if missing := c.Header.Missing(required...); len(missing) > 0 {
		return nil, vigil.Errorf(vigil.EINVALID, "%s: not a UCDP GED file: missing columns %s", file, strings.Join(missing, ", "))
	}
	if version != "" && !releaseRe.MatchString(version) {
		return nil, vigil.Errorf(vigil.EINVALID, "%s: GED release %q: want one such as 23.1 (or a candidate release such as 24.0.10)", file, version)
	}
	src := &vigil.Source{
		Name:        SourceName(version),
		Origin:      Origin,
		Kind:        vigil.SourceDataset,
		Reliability: Reliability,
		URL:         "https://ucdp.uu.se/downloads/",
		Notes:       "Uppsala Conflict Data Program, Georeferenced Event Dataset (CC BY 4.0): Sundberg & Melander (2013); Davies et al. (2023).",
	}
	return &Reader{file: file, csv: c, source: src, dict: dict}, nil
}

// Source returns the source the reader's documents belong to.
func (r *Reader) Source() *vigil.Source { return r.source }

// Row returns the line (or sheet row) of the record Next returned last.
func (r *Reader) Row() int { return r.row }

// Next returns the next row as an item, a *vigil.RowError for a row it
// rejects, or io.EOF.
func (r *Reader) Next() (*vigil.Item, error) {
	row, err := r.csv.Next()
	if err != nil {
		return nil, err
	}
	r.row = row.Line
	it, field, err := r.item(row)
	if err != nil {
		return nil, &vigil.RowError{File: r.file, Row: r.row, Field: field, Err: err}
	}
	if !r.sent {
		it.Source, r.sent = r.source, true
	}
	return it, nil
}

// item maps one record; on error it names the field at fault.
func (r *Reader) item(row table.Row) (*vigil.Item, string, error) {
	get := row.Get
	id := get("id")
	if id == "" {
		return nil, "id", vigil.Errorf(vigil.EINVALID, "empty")
	}
	var rep vigil.Report
	var err error
	if rep.DateStart, err = vigil.ParseDate(get("date_start")); err != nil {
		return nil, "date_start", err
	}
	if rep.DateEnd, err = vigil.ParseDate(get("date_end")); err != nil {
		return nil, "date_end", err
	}
	if rep.DateEnd.Before(rep.DateStart) {
		return nil, "date_end", vigil.Errorf(vigil.EINVALID, "%s is before date_start %s", rep.DateEnd, rep.DateStart)
	}
	// GED fills every cell below; vigil's own UCDP-like export leaves
	// empty what it does not know (a report with no point, of unknown
	// precision, of no country), and those rows read back as such, with
	// a warning each, rather than being lost.
	var warnings []vigil.Rejection
	if v := get("date_prec"); v == "" {
		warnings = append(warnings, r.warn("date_prec", "empty: date precision unknown"))
	} else {
		dp, err := table.Int(v, 1, 5)
		if err != nil {
			return nil, "date_prec", err
		}
		rep.DatePrecision = vigil.DatePrecision(dp)
	}

	if pt, field, err := table.Point(get("latitude"), get("longitude")); err != nil {
		return nil, field, err
	} else if pt == nil {
		warnings = append(warnings, r.warn("latitude", "latitude and longitude empty: a report with no point"))
	} else {
		rep.SetPoint(*pt)
	}
	if v := get("where_prec"); v == "" {
		warnings = append(warnings, r.warn("where_prec", "empty: location precision unknown"))
	} else {
		wp, err := table.Int(v, 1, 7)
		if err != nil {
			return nil, "where_prec", err
		}
		rep.Precision = vigil.LocationPrecision(wp)
	}
	rep.Name = get("where_coordinates")
	if v := get("country_id"); v != "" {
		gw, err := strconv.Atoi(v)
		if err != nil {
			return nil, "country_id", vigil.Errorf(vigil.EINVALID, "%q is not a number", v)
		}
		rep.Country = CountryISO(gw)
		if rep.Country == "" {
			return nil, "country_id", vigil.Errorf(vigil.EINVALID, "unknown Gleditsch-Ward number %d", gw)
		}
	} else if name := get("country"); name != "" {
		// A country without a Gleditsch-Ward number, named.
		c := iso3166.ByName(name)
		if c == nil {
			return nil, "country", vigil.Errorf(vigil.EINVALID, "%q: unknown country, and country_id is empty", name)
		}
		rep.Country = c.Alpha2
	} else {
		warnings = append(warnings, r.warn("country_id", "country_id and country empty: a report of no country"))
	}
	rep.Admin1 = UnitName(get("adm_1"))
	rep.Admin1Name = rep.Admin1
	rep.Admin2 = UnitName(get("adm_2"))

	for _, f := range []struct {
		name string
		dst  *vigil.Num
	}{{"low", &rep.Killed.Low}, {"best", &rep.Killed.Best}, {"high", &rep.Killed.High}, {"deaths_civilians", &rep.KilledCivilians}} {
		if v := get(f.name); v != "" {
			n, err := table.Count(v)
			if err != nil {
				return nil, f.name, err
			}
			*f.dst = vigil.N(n)
		}
	}
	for _, f := range []string{"deaths_a", "deaths_b", "deaths_unknown"} {
		if v := get(f); v != "" {
			if _, err := table.Count(v); err != nil {
				return nil, f, err
			}
		}
	}
	// UCDP's own files hold rows whose best estimate lies just outside
	// their low–high range. Dropping them would lose real events, so the
	// range is widened to hold the best estimate, the file's bounds are kept
	// as attributes, and the batch records a warning.
	widened := len(warnings)
	k := &rep.Killed
	if k.Best.Known && k.Low.Known && k.Best.N < k.Low.N {
		warnings = append(warnings, r.warn("best", "best %d is below low %d; low taken as %d", k.Best.N, k.Low.N, k.Best.N))
		k.Low = k.Best
	}
	if k.Best.Known && k.High.Known && k.Best.N > k.High.N {
		warnings = append(warnings, r.warn("best", "best %d is above high %d; high taken as %d", k.Best.N, k.High.N, k.Best.N))
		k.High = k.Best
	}
	if err := rep.Killed.Validate(); err != nil {
		return nil, "best", err
	}

	tov := get("type_of_violence")
	by := r.source.Name
	sides := []vigil.ReportActor{
		{Name: get("side_a"), Side: "side_a", Attribution: vigil.AttributionAttributed, AttributedBy: by},
		{Name: get("side_b"), Side: "side_b", Attribution: vigil.AttributionAttributed, AttributedBy: by},
	}
	switch tov {
	case "1", "2":
		rep.EventType, rep.SubEventType = vigil.EventBattles, "Armed clash"
		sides[0].Role, sides[1].Role = vigil.RoleParty, vigil.RoleParty
	case "3":
		rep.EventType, rep.SubEventType = vigil.EventViolenceCivilians, "Attack"
		sides[0].Role, sides[1].Role = vigil.RolePerpetrator, vigil.RoleTarget
		if v := get("deaths_a"); v != "" {
			n, _ := strconv.Atoi(v)
			rep.AttackersKilled = vigil.N(n)
		}
	default:
		return nil, "type_of_violence", vigil.Errorf(vigil.EINVALID, "%q: want 1, 2 or 3", tov)
	}
	for _, s := range sides {
		// GED names one actor a side; vigil's export writes an attribution
		// disputed between actors as "X and/or Y", as ACLED does, and it
		// reads back as the disputed actors.
		if !strings.Contains(s.Name, " and/or ") {
			if s.Name != "" {
				rep.Actors = append(rep.Actors, s)
			}
			continue
		}
		for _, alt := range strings.Split(s.Name, " and/or ") {
			if a := s; strings.TrimSpace(alt) != "" {
				a.Name, a.Attribution = strings.TrimSpace(alt), vigil.AttributionDisputed
				rep.Actors = append(rep.Actors, a)
			}
		}
	}
	if r.dict != nil {
		r.dict.Apply(&rep)
	}
	rep.Credibility = Credibility
	rep.Key = "ged:" + id
	rep.EventKey = "ucdp-ged:" + id
	rep.Summary = strings.TrimSpace(get("dyad_name") + ": " + get("where_description"))
	rep.Attrs = make(map[string]string, len(kept)+2)
	if len(warnings) > widened {
		rep.Attrs["ucdp.low"], rep.Attrs["ucdp.high"] = get("low"), get("high")
	}
	for i, c := range kept {
		if v := get(c); v != "" {
			rep.Attrs[keptAttrs[i]] = v
		}
	}

	parts := r.parts[:0]
	for _, c := range hashed {
		if _, ok := r.csv.Header.Index(c); ok {
			v := get(c)
			// Dates are hashed as parsed, so that a release writing
			// "2017-05-15 00:00:00.000" does not make a row look changed.
			switch c {
			case "date_start":
				v = rep.DateStart.String()
			case "date_end":
				v = rep.DateEnd.String()
			}
			parts = append(parts, c, v)
		}
	}
	doc := vigil.Document{
		Source:      r.source.Name,
		Key:         "ged:" + id,
		Title:       fmt.Sprintf("UCDP GED event %s: %s, %s", id, get("dyad_name"), rep.DateStart),
		URL:         "https://ucdp.uu.se/event/" + id,
		Language:    "en",
		Text:        get("source_article"),
		ContentHash: vigil.HashContent(parts...),
		Marking:     vigil.TLPClear,
	}
	r.parts = parts
	return &vigil.Item{Document: doc, Reports: []vigil.Report{rep}, Warnings: warnings}, "", nil
}

// warn makes a warning about the current row.
func (r *Reader) warn(field, format string, args ...any) vigil.Rejection {
	e := &vigil.RowError{File: r.file, Row: r.row, Field: field, Err: vigil.Errorf(vigil.EINVALID, format, args...)}
	return vigil.Rejection{Row: r.row, Field: field, Reason: e.Error()}
}

// UnitName drops the unit word UCDP appends to an admin-1 or admin-2 name
// ("Hilmand province" → "Hilmand"). GED writes the word in lower case, so a
// capitalised one is part of the name and stays ("Moscow Oblast",
// "Shikarpur District", as a gazetteer or vigil's own export writes them).
func UnitName(s string) string {
	for _, suf := range []string{" province", " governorate", " district", " region", " state", " oblast", " division", " department", " prefecture", " county", " municipality"} {
		if len(s) > len(suf) && s[len(s)-len(suf):] == suf {
			return strings.TrimSpace(s[:len(s)-len(suf)])
		}
	}
	return s
}
