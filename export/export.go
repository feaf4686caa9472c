// Package export writes streams of vigil events in the formats other tools
// read: vigil's own full CSV (every figure as low/best/high, with its
// precisions), ACLED-like and UCDP-GED-like CSV (so that R and pandas
// scripts written for those datasets run unchanged) and GeoJSON (for QGIS
// and Leaflet). The STIX 2.1 writer is in export/stix.
//
// Each writer takes events one at a time and holds none of them, so an
// export of any size runs in constant memory. Unknown values are written as
// empty cells (NA in R, NaN in pandas) or JSON null, never as zero.
package export

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/vigil-osint/vigil"
)

// Writer writes events in one format.
type Writer interface {
	// Write writes one event.
	Write(e *vigil.Event) error
	// Close finishes the output (a closing bracket, a flush). It does not
	// close the underlying io.Writer.
	Close() error
}

// Options change how a writer writes.
type Options struct {
	// SpreadsheetSafe has the CSV writers guard each text cell that a
	// spreadsheet would read as a formula (see SpreadsheetSafe). Off by
	// default, so that R and pandas read every value as it was written.
	SpreadsheetSafe bool
}

// Formats lists the formats of this package, by the name the CLI uses,
// each writing with the default Options.
var Formats = map[string]func(io.Writer) Writer{}

// FormatsWith lists the formats of Formats, each taking Options.
var FormatsWith = map[string]func(io.Writer, Options) Writer{
	"csv":       func(w io.Writer, o Options) Writer { return newCSV(w, o) },
	"acled-csv": func(w io.Writer, o Options) Writer { return newACLED(w, o) },
	"ucdp-csv":  func(w io.Writer, o Options) Writer { return newUCDP(w, o) },
	"geojson":   func(w io.Writer, _ Options) Writer { return NewGeoJSON(w) },
}

func init() {
	for name, f := range FormatsWith {
		Formats[name] = func(w io.Writer) Writer { return f(w, Options{}) }
	}
}

// SpreadsheetSafe returns a CSV cell as a spreadsheet should show it, by
// OWASP's rule against CSV injection: a cell that begins with =, +, -, @,
// a tab or a carriage return, which Excel, LibreOffice and Google Sheets
// would run as a formula (=HYPERLINK(…), @SUM(…), -2+3), gets a leading
// single quote, which they read as "text" and do not show. A number (-3,
// -12.5, +1e3) is left as it is: a spreadsheet reads it as the number it
// is, and a quote would make it text. Every CSV writer of vigil applies
// this, and only when asked (Options.SpreadsheetSafe, the CLI's
// --spreadsheet-safe, the API's spreadsheet_safe=1): R and pandas would
// read the quote as part of the value.
func SpreadsheetSafe(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		if isDecimal(s) {
			return s
		}
		return "'" + s
	}
	return s
}

// isDecimal reports whether s is a decimal number as spreadsheets and CSV
// readers read one: an optional sign, digits with at most one point, an
// optional exponent.
func isDecimal(s string) bool {
	if s != "" && (s[0] == '+' || s[0] == '-') {
		s = s[1:]
	}
	mant, exp, hasExp := s, "", false
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mant, exp, hasExp = s[:i], s[i+1:], true
	}
	digits, point := 0, false
	for i := 0; i < len(mant); i++ {
		switch c := mant[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && !point:
			point = true
		default:
			return false
		}
	}
	if digits == 0 {
		return false
	}
	if !hasExp {
		return true
	}
	if exp != "" && (exp[0] == '+' || exp[0] == '-') {
		exp = exp[1:]
	}
	if exp == "" {
		return false
	}
	for i := 0; i < len(exp); i++ {
		if exp[i] < '0' || exp[i] > '9' {
			return false
		}
	}
	return true
}

// CSVColumns are the columns of vigil's own CSV.
var CSVColumns = []string{
	"id", "key", "date_start", "date_end", "date_precision", "place", "latitude", "longitude",
	"location_precision", "country", "admin1", "admin1_name", "admin2", "gazetteer_id",
	"event_type", "sub_event_type", "attack_types", "weapon_types", "target_types",
	"killed_low", "killed_best", "killed_high", "wounded_low", "wounded_best", "wounded_high",
	"attackers_killed", "perpetrators", "perpetrator_ids", "perpetrator_attribution",
	"targets", "target_ids", "parties", "party_ids", "sources", "source_reliability",
	"corroboration", "credibility", "contradictions", "tlp", "report_ids", "recorded_at", "updated_at",
}

// csvOut writes CSV records byte for byte as encoding/csv's Writer does
// (comma, "\n" line ends, the same fields quoted), each record built in
// one buffer and written with one call, through a buffer of 64 KiB: a write
// call on every field, and a write to the file on every 4 KiB, were a
// third of a CSV export's writing.
type csvOut struct {
	w    *bufio.Writer
	line []byte
	safe bool // SpreadsheetSafe on every field
}

func newCSVWriter(w io.Writer, o Options) *csvOut {
	return &csvOut{w: bufio.NewWriterSize(w, 64<<10), safe: o.SpreadsheetSafe}
}

// Write writes one record.
func (o *csvOut) Write(rec []string) error {
	b := o.line[:0]
	for i, f := range rec {
		if i > 0 {
			b = append(b, ',')
		}
		if o.safe {
			f = SpreadsheetSafe(f)
		}
		b = appendCSVField(b, f)
	}
	b = append(b, '\n')
	o.line = b
	_, err := o.w.Write(b)
	return err
}

// Flush writes what is buffered.
func (o *csvOut) Flush() { o.w.Flush() }

// Error is the error of an earlier Write or Flush.
func (o *csvOut) Error() error {
	_, err := o.w.Write(nil)
	return err
}

// appendCSVField appends a field as encoding/csv writes it: quoted, with
// its quotes doubled, when it holds a comma, a quote or a line break,
// begins with a space, or is `\.`.
func appendCSVField(b []byte, f string) []byte {
	if !csvNeedsQuotes(f) {
		return append(b, f...)
	}
	b = append(b, '"')
	for {
		i := strings.IndexByte(f, '"')
		if i < 0 {
			break
		}
		b = append(b, f[:i+1]...)
		b = append(b, '"')
		f = f[i+1:]
	}
	b = append(b, f...)
	return append(b, '"')
}

// csvNeedsQuotes is encoding/csv's fieldNeedsQuotes for a comma.
func csvNeedsQuotes(f string) bool {
	if f == "" {
		return false
	}
	if f == `\.` {
		return true
	}
	for i := 0; i < len(f); i++ {
		if c := f[i]; c == '\n' || c == '\r' || c == '"' || c == ',' {
			return true
		}
	}
	r, _ := utf8.DecodeRuneInString(f)
	return unicode.IsSpace(r)
}

// csvWriter writes vigil's own CSV: one row per event, lists joined by
// "; ", perpetrator attribution as "name: status" pairs.
type csvWriter struct {
	w      *csvOut
	rec    []string
	header bool
	buf    []byte
}

// NewCSV returns a writer of vigil's own CSV.
func NewCSV(w io.Writer) Writer { return newCSV(w, Options{}) }

func newCSV(w io.Writer, o Options) Writer {
	return &csvWriter{w: newCSVWriter(w, o), rec: make([]string, len(CSVColumns))}
}

// Write writes one event as a row (a feature).
func (c *csvWriter) Write(e *vigil.Event) error {
	if !c.header {
		c.header = true
		if err := c.w.Write(CSVColumns); err != nil {
			return fmt.Errorf("export: csv: %w", err)
		}
	}
	r := c.rec
	r[0] = strconv.FormatInt(e.ID, 10)
	r[1] = e.Key
	r[2], r[3] = e.DateStart.String(), e.DateEnd.String()
	r[4] = intOrEmpty(int(e.DatePrecision))
	r[5] = e.Name
	r[6], r[7] = coord(e.Latitude), coord(e.Longitude)
	r[8] = intOrEmpty(int(e.Precision))
	r[9], r[10], r[11], r[12], r[13] = e.Country, e.Admin1, e.Admin1Name, e.Admin2, e.GazetteerID
	r[14], r[15] = string(e.EventType), string(e.SubEventType)
	r[16], r[17], r[18] = joinList(e.AttackTypes), joinList(e.WeaponTypes), joinList(e.TargetTypes)
	r[19], r[20], r[21] = num(e.Killed.Low), num(e.Killed.Best), num(e.Killed.High)
	r[22], r[23], r[24] = num(e.Wounded.Low), num(e.Wounded.Best), num(e.Wounded.High)
	r[25] = num(e.AttackersKilled)
	var perp, perpIDs, perpAttr, tgt, tgtIDs, par, parIDs []string
	for _, a := range e.Actors {
		switch a.Role {
		case vigil.RolePerpetrator:
			perp, perpIDs = append(perp, a.Name), append(perpIDs, a.ActorID)
			perpAttr = append(perpAttr, a.Name+": "+string(a.Attribution))
		case vigil.RoleTarget:
			tgt, tgtIDs = append(tgt, a.Name), append(tgtIDs, a.ActorID)
		default:
			par, parIDs = append(par, a.Name), append(parIDs, a.ActorID)
		}
	}
	r[26], r[27], r[28] = strings.Join(perp, "; "), strings.Join(perpIDs, "; "), strings.Join(perpAttr, "; ")
	r[29], r[30], r[31], r[32] = strings.Join(tgt, "; "), strings.Join(tgtIDs, "; "), strings.Join(par, "; "), strings.Join(parIDs, "; ")
	var srcs, rel, kinds []string
	for _, s := range e.Sources {
		srcs, rel = append(srcs, s.Name), append(rel, s.Name+": "+string(s.Reliability))
	}
	for _, k := range e.Contradictions {
		kinds = append(kinds, string(k.Kind)+": "+k.Description)
	}
	r[33], r[34] = strings.Join(srcs, "; "), strings.Join(rel, "; ")
	r[35] = strconv.Itoa(e.Corroboration)
	r[36] = intOrEmpty(int(e.Credibility))
	r[37] = strings.Join(kinds, "; ")
	r[38] = string(e.Marking)
	c.buf = c.buf[:0]
	for i, id := range e.ReportIDs {
		if i > 0 {
			c.buf = append(c.buf, "; "...)
		}
		c.buf = strconv.AppendInt(c.buf, id, 10)
	}
	r[39] = string(c.buf)
	r[40], r[41] = timestamp(e.RecordedAt), timestamp(e.UpdatedAt)
	if err := c.w.Write(r); err != nil {
		return fmt.Errorf("export: csv: %w", err)
	}
	return nil
}

// Close writes what an empty export still needs and flushes.
func (c *csvWriter) Close() error {
	if !c.header {
		c.header = true
		c.w.Write(CSVColumns)
	}
	c.w.Flush()
	if err := c.w.Error(); err != nil {
		return fmt.Errorf("export: csv: %w", err)
	}
	return nil
}

func num(n vigil.Num) string {
	if !n.Known {
		return ""
	}
	return strconv.Itoa(n.N)
}

func intOrEmpty(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func coord(f *float64) string {
	if f == nil {
		return ""
	}
	return strconv.FormatFloat(*f, 'f', -1, 64)
}

func timestamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func joinList[T ~string](list []T) string {
	switch len(list) {
	case 0:
		return ""
	case 1:
		return string(list[0])
	}
	parts := make([]string, len(list))
	for i, x := range list {
		parts[i] = string(x)
	}
	return strings.Join(parts, "; ")
}

// reportWith returns the first of the event's reports (filled by detail
// queries only) that has an attribute with the prefix, or nil.
func reportWith(e *vigil.Event, prefix string) *vigil.Report {
	for i := range e.Reports {
		for k := range e.Reports[i].Report.Attrs {
			if strings.HasPrefix(k, prefix) {
				return &e.Reports[i].Report
			}
		}
	}
	return nil
}

// writtenName is the name of an actor as a dataset would write it: as
// written in the source, unless a vigil rule attributed the act to another
// actor, whose name then stands.
func writtenName(a vigil.ReportActor) string {
	if a.AsWritten != "" && a.Rule == "" {
		return a.AsWritten
	}
	return a.Name
}
