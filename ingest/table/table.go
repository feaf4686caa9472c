// Package table reads the tabular files datasets ship: records bound to
// their header by column name, each with the line it starts on for error
// messages, and the numbers written in them.
package table

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/vigil-osint/vigil"
)

// Header binds column names to their positions. Names are folded: a
// UTF-8 byte-order mark and surrounding space dropped, lower case; of two
// columns with one name the first wins.
type Header struct {
	names []string
	col   map[string]int
}

// NewHeader binds the fields of a header record.
func NewHeader(fields []string) *Header {
	h := &Header{col: make(map[string]int, len(fields))}
	for i, f := range fields {
		n := strings.ToLower(strings.TrimSpace(strings.TrimPrefix(f, "\ufeff")))
		h.names = append(h.names, n)
		if _, dup := h.col[n]; !dup {
			h.col[n] = i
		}
	}
	return h
}

// Names returns the folded column names in file order.
func (h *Header) Names() []string { return h.names }

// Index returns the position of a column and whether the header has it.
func (h *Header) Index(name string) (int, bool) {
	i, ok := h.col[name]
	return i, ok
}

// Missing returns the names the header lacks, in the order given.
func (h *Header) Missing(names ...string) []string {
	var out []string
	for _, n := range names {
		if _, ok := h.col[n]; !ok {
			out = append(out, n)
		}
	}
	return out
}

// Row is one record bound to its header.
type Row struct {
	Header *Header
	Fields []string
	Line   int // the line (or sheet row) the record starts on; the header is 1
}

// Get returns a column's value with surrounding space trimmed, or "" when
// the header has no such column.
func (r Row) Get(name string) string {
	if i, ok := r.Header.col[name]; ok && i < len(r.Fields) {
		return strings.TrimSpace(r.Fields[i])
	}
	return ""
}

// Blank reports whether every field is empty.
func (r Row) Blank() bool {
	for _, f := range r.Fields {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// ErrNoHeader is returned by NewCSV for input without a header record.
var ErrNoHeader = errors.New("empty file")

// CSV reads the records of a CSV file after its header. Quoted fields may
// span lines; every record must have as many fields as the header.
type CSV struct {
	Header *Header
	r      *csv.Reader
	file   string
	line   int
}

// NewCSV reads the header of r; file names the input in errors. lazy
// accepts stray quotes inside fields, as some datasets write them.
func NewCSV(r io.Reader, file string, lazy bool) (*CSV, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	cr.LazyQuotes = lazy
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, ErrNoHeader
	}
	if err != nil {
		return nil, fmt.Errorf("reading header: %w", err)
	}
	cr.FieldsPerRecord = len(header)
	return &CSV{Header: NewHeader(header), r: cr, file: file, line: 1}, nil
}

// Next returns the next record, io.EOF at the end, and a *vigil.RowError
// (after which reading goes on) for a record that is not well-formed CSV.
// The record's fields are valid until the next call.
func (c *CSV) Next() (Row, error) {
	rec, err := c.r.Read()
	// FieldPos panics after a failed read: take the line only from a
	// record read whole.
	if err == nil && len(rec) > 0 {
		c.line, _ = c.r.FieldPos(0)
	}
	if err == io.EOF {
		return Row{}, io.EOF
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		c.line = pe.StartLine
		return Row{}, &vigil.RowError{File: c.file, Row: pe.StartLine, Err: FieldCountError(pe, len(rec), len(c.Header.names))}
	}
	if err != nil {
		return Row{}, fmt.Errorf("%s: %w", c.file, err)
	}
	return Row{Header: c.Header, Fields: rec, Line: c.line}, nil
}

// FieldCountError is the error for a record that is not well-formed CSV:
// for a record of the wrong length, how many fields it has and how many
// the header names (csv says only "wrong number of fields"); else csv's
// own reason.
func FieldCountError(pe *csv.ParseError, fields, want int) error {
	if errors.Is(pe.Err, csv.ErrFieldCount) {
		return vigil.Errorf(vigil.EINVALID, "%d fields, the header has %d: a row cut short or a comma too many", fields, want)
	}
	return vigil.Errorf(vigil.EINVALID, "%v", pe.Err)
}

// Int parses a whole number within lo..hi, also written as XLSX writes
// whole numbers ("3.0"). Its errors are vigil EINVALID errors that say
// what is wrong ("negative count -3" where lo is 0).
func Int(s string, lo, hi int) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil {
		f, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil || f != math.Trunc(f) || math.Abs(f) > math.MaxInt32 {
			return 0, vigil.Errorf(vigil.EINVALID, "%q is not a whole number", s)
		}
		n = int(f)
	}
	if n < lo || n > hi {
		if n < 0 && lo == 0 {
			return 0, vigil.Errorf(vigil.EINVALID, "negative count %d", n)
		}
		return 0, vigil.Errorf(vigil.EINVALID, "%d out of range %d..%d", n, lo, hi)
	}
	return n, nil
}

// Count parses a count of people: a whole number from 0.
func Count(s string) (int, error) { return Int(s, 0, math.MaxInt32) }

// Float parses a finite number within lo..hi.
func Float(s string, lo, hi float64) (float64, error) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, vigil.Errorf(vigil.EINVALID, "%q is not a number", s)
	}
	if f < lo || f > hi {
		return 0, vigil.Errorf(vigil.EINVALID, "%v out of range %v..%v", f, lo, hi)
	}
	return f, nil
}

// Point reads a latitude and a longitude in degrees. Both empty is no
// point (nil, no error); one without the other, or either out of range,
// is an error, with the field it lies in ("latitude" or "longitude").
func Point(lat, lon string) (p *vigil.LatLon, field string, err error) {
	switch {
	case lat == "" && lon == "":
		return nil, "", nil
	case lat == "":
		return nil, "latitude", vigil.Errorf(vigil.EINVALID, "empty while longitude is %q: want both or neither", lon)
	case lon == "":
		return nil, "longitude", vigil.Errorf(vigil.EINVALID, "empty while latitude is %q: want both or neither", lat)
	}
	la, err := Float(lat, -90, 90)
	if err != nil {
		return nil, "latitude", err
	}
	lo, err := Float(lon, -180, 180)
	if err != nil {
		return nil, "longitude", err
	}
	return &vigil.LatLon{Lat: la, Lon: lo}, "", nil
}
