package vigil

import (
	"bytes"
	"encoding/json"
	"strconv"
	"time"
)

// Date is a calendar day without a time of day or zone. The zero Date
// means unknown and marshals to JSON null.
//
// A Date is a count of days, without pointers: events and their facts
// hold several, by the million, and the garbage collector need not look
// at them.
type Date struct {
	n int32 // days since 1970-01-01, plus dateBias; 0 when unknown
}

// dateBias moves 0001-01-01 (the first day a Date holds) to 1, so that
// the zero Date is unknown.
const dateBias = 719163

// NewDate returns the date of the given day; days and months out of
// range normalize as time.Date does.
func NewDate(year int, month time.Month, day int) Date {
	return Date{int32(time.Date(year, month, day, 0, 0, 0, 0, time.UTC).Unix()/86400 + dateBias)}
}

// DateOf returns the calendar day of t in t's location.
func DateOf(t time.Time) Date { return NewDate(t.Year(), t.Month(), t.Day()) }

// ParseDate parses "2006-01-02", also with a trailing time of day as some
// UCDP releases write it ("2006-01-02 00:00:00.000" or RFC 3339).
func ParseDate(s string) (Date, error) {
	if len(s) > 10 && (s[10] == ' ' || s[10] == 'T') {
		s = s[:10]
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil || t.Year() < 1 {
		return Date{}, Errorf(EINVALID, "date %q: want YYYY-MM-DD", s)
	}
	return DateOf(t), nil
}

// MustDate parses s like ParseDate and panics on error; for tests and
// literals in code.
func MustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// IsZero reports whether d is unknown.
func (d Date) IsZero() bool { return d.n == 0 }

// Time returns midnight UTC of d, or the zero time when d is unknown.
func (d Date) Time() time.Time {
	if d.IsZero() {
		return time.Time{}
	}
	return time.Unix((int64(d.n)-dateBias)*86400, 0).UTC()
}

// String formats d as YYYY-MM-DD, or "" when unknown.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.Time().Format("2006-01-02")
}

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.n < e.n }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.n > e.n }

// AddDays returns d moved by n days.
func (d Date) AddDays(n int) Date { return Date{d.n + int32(n)} }

// DaysUntil returns the number of days from d to e.
func (d Date) DaysUntil(e Date) int { return int(e.n - d.n) }

// MarshalJSON writes "YYYY-MM-DD" or null.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + d.String() + `"`), nil
}

// UnmarshalJSON reads "YYYY-MM-DD" or null.
func (d *Date) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		*d = Date{}
		return nil
	}
	var s string
	if len(b) >= 2 && b[0] == '"' && b[len(b)-1] == '"' && bytes.IndexByte(b, '\\') < 0 {
		s = string(b[1 : len(b)-1]) // no escapes: the text is the string
	} else if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	if s == "" {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(s)
	*d = v
	return err
}

// Num is a count that may be unknown. Unknown marshals to JSON null: an
// unknown toll is not zero.
type Num struct {
	N     int
	Known bool
}

// N returns a known count.
func N(n int) Num { return Num{N: n, Known: true} }

// Ptr returns the count as a pointer, nil when unknown.
func (n Num) Ptr() *int {
	if !n.Known {
		return nil
	}
	v := n.N
	return &v
}

// NumFromPtr is the inverse of Ptr.
func NumFromPtr(p *int) Num {
	if p == nil {
		return Num{}
	}
	return N(*p)
}

// String formats the count, "?" when unknown.
func (n Num) String() string {
	if !n.Known {
		return "?"
	}
	return strconv.Itoa(n.N)
}

// MarshalJSON writes the number or null.
func (n Num) MarshalJSON() ([]byte, error) {
	if !n.Known {
		return []byte("null"), nil
	}
	return strconv.AppendInt(nil, int64(n.N), 10), nil
}

// UnmarshalJSON reads a number or null.
func (n *Num) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		*n = Num{}
		return nil
	}
	v, err := strconv.Atoi(string(b))
	if err != nil { // not a plain integer: let encoding/json say why
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
	}
	*n = N(v)
	return nil
}

// Range is a figure reported as a range, as UCDP reports deaths: the lowest
// and highest reliable estimates and the best one. Any part may be unknown.
type Range struct {
	Low  Num `json:"low"`
	Best Num `json:"best"`
	High Num `json:"high"`
}

// Exact returns the range whose low, best and high are all n.
func Exact(n int) Range { return Range{N(n), N(n), N(n)} }

// IsZero reports whether nothing is known of the range.
func (r Range) IsZero() bool { return !r.Low.Known && !r.Best.Known && !r.High.Known }

// Validate checks that no part is negative and that low ≤ best ≤ high
// where they are known.
func (r Range) Validate() error {
	for _, n := range []Num{r.Low, r.Best, r.High} {
		if n.Known && n.N < 0 {
			return Errorf(EINVALID, "negative count %d", n.N)
		}
	}
	if r.Low.Known && r.Best.Known && r.Best.N < r.Low.N {
		return Errorf(EINVALID, "best %d is below low %d", r.Best.N, r.Low.N)
	}
	if r.High.Known && r.Best.Known && r.Best.N > r.High.N {
		return Errorf(EINVALID, "best %d is above high %d", r.Best.N, r.High.N)
	}
	if r.Low.Known && r.High.Known && r.Low.N > r.High.N {
		return Errorf(EINVALID, "low %d is above high %d", r.Low.N, r.High.N)
	}
	return nil
}

// String formats the range as "best (low–high)".
func (r Range) String() string {
	if r.IsZero() {
		return "?"
	}
	if r.Low == r.Best && r.Best == r.High {
		return r.Best.String()
	}
	return r.Best.String() + " (" + r.Low.String() + "–" + r.High.String() + ")"
}

// LatLon is a WGS 84 coordinate pair in decimal degrees.
type LatLon struct {
	Lat float64 `json:"latitude"`
	Lon float64 `json:"longitude"`
}

// Validate checks that the pair lies on the globe.
func (p LatLon) Validate() error {
	// Written as "not within" so that NaN, which fails every comparison, is out.
	if !(p.Lat >= -90 && p.Lat <= 90) {
		return Errorf(EINVALID, "latitude %v out of range -90..90", p.Lat)
	}
	if !(p.Lon >= -180 && p.Lon <= 180) {
		return Errorf(EINVALID, "longitude %v out of range -180..180", p.Lon)
	}
	return nil
}

// Place is where something happened, as a report gives it or as an event
// fuses it. Its JSON field names are those of the events JSON.
type Place struct {
	Name      string   `json:"place,omitempty"` // as written
	Latitude  *float64 `json:"latitude"`
	Longitude *float64 `json:"longitude"`
	// Precision is UCDP's where_prec; 0 when unknown.
	Precision  LocationPrecision `json:"location_precision"`
	Country    string            `json:"country"`               // ISO 3166-1 alpha-2
	Admin1     string            `json:"admin1"`                // ISO 3166-2 code where known, else the name
	Admin1Name string            `json:"admin1_name,omitempty"` // name of the admin-1 unit
	Admin2     string            `json:"admin2"`                // name of the admin-2 unit
	// GazetteerID names the gazetteer entry the place resolved to.
	GazetteerID string `json:"gazetteer_id,omitempty"`
}

// Point returns the place's coordinates and whether it has any.
func (p Place) Point() (LatLon, bool) {
	if p.Latitude == nil || p.Longitude == nil {
		return LatLon{}, false
	}
	return LatLon{*p.Latitude, *p.Longitude}, true
}

// SetPoint sets the place's coordinates.
func (p *Place) SetPoint(ll LatLon) {
	lat, lon := ll.Lat, ll.Lon
	p.Latitude, p.Longitude = &lat, &lon
}

// Span is a stretch of a document's text that a value came from.
type Span struct {
	Field string `json:"field"` // the report field, e.g. "killed", "place"
	Start int    `json:"start"` // byte offsets into the document text
	End   int    `json:"end"`
	Text  string `json:"text"`
	// Confidence in the extracted value, 0–1; 0 when not scored.
	Confidence float64 `json:"confidence,omitempty"`
}
