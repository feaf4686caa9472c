// Package reportcodec is the binary form in which the SQLite store keeps a
// report: its fields in a fixed order, counts and numbers as varints,
// strings as a length and their bytes. It holds what the report's JSON
// holds, decodes to the same vigil.Report as that JSON does (times in UTC,
// as the store records them), and costs a tenth of it: decoding the stored
// JSON of a UCDP report took about 29 µs and was most of the time an
// export spends, encoding it 13 µs (go test ./internal/reportcodec -bench .).
//
// The second version of the form, the one Append writes, stores a string
// that a report holds twice (an actor's name and its name as written) once,
// and a string of the codec's dictionary (enumeration values, the
// attribute keys of the dataset importers) as its number in it: the stored
// UCDP report is about half as long. Stores write every byte several
// times, so the bytes a report takes are most of what storing it costs.
//
// A stored value starts with the format's version byte; the JSON form
// starts with '{', so a store may hold all three forms, and Decode reads
// each. Strings decode as substrings of the value passed in, or as the
// dictionary's own strings, without copies.
package reportcodec

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vigil-osint/vigil"
)

// version is the first byte of the binary form Append writes; version1
// marks the first form, whose strings are all written out.
const (
	version  = 2
	version1 = 1
)

// IsBinary reports whether data is in a binary form (not JSON).
func IsBinary(data string) bool { return len(data) > 0 && (data[0] == version || data[0] == version1) }

// Append appends r's binary form to b, without the ids that the store's
// columns hold (ID, DocumentID, EventID). Strings that are not valid UTF-8
// are stored as the JSON form stores them: each invalid byte becomes
// U+FFFD.
func Append(b []byte, r *vigil.Report) []byte {
	e := encoder{b: append(b, version), base: len(b) + 1}
	e.str(r.Key)
	e.str(r.EventKey)
	e.date(r.DateStart)
	e.date(r.DateEnd)
	e.int(int64(r.DatePrecision))
	e.str(r.Place.Name)
	e.float(r.Latitude)
	e.float(r.Longitude)
	e.int(int64(r.Precision))
	e.str(r.Country)
	e.str(r.Admin1)
	e.str(r.Admin1Name)
	e.str(r.Admin2)
	e.str(r.GazetteerID)
	e.str(string(r.EventType))
	e.str(string(r.SubEventType))
	strs(&e, r.AttackTypes)
	strs(&e, r.WeaponTypes)
	strs(&e, r.TargetTypes)
	e.uint(uint64(len(r.Actors)))
	for i := range r.Actors {
		a := &r.Actors[i]
		e.str(a.ActorID)
		e.str(a.Name)
		e.str(a.AsWritten)
		e.str(string(a.Role))
		e.str(a.Side)
		e.str(string(a.Attribution))
		e.str(a.AttributedBy)
		e.str(a.Rule)
		e.str(a.Channel)
	}
	for _, n := range []vigil.Num{r.Killed.Low, r.Killed.Best, r.Killed.High, r.Wounded.Low, r.Wounded.Best, r.Wounded.High, r.AttackersKilled, r.KilledCivilians} {
		e.num(n)
	}
	e.str(r.Phrase)
	e.bool(r.Denial)
	e.int(int64(r.Credibility))
	e.str(r.Summary)
	e.uint(uint64(len(r.Evidence)))
	for i := range r.Evidence {
		s := &r.Evidence[i]
		e.str(s.Field)
		e.int(int64(s.Start))
		e.int(int64(s.End))
		e.str(s.Text)
		e.b = binary.LittleEndian.AppendUint64(e.b, math.Float64bits(s.Confidence))
	}
	e.uint(uint64(len(r.Attrs)))
	for _, k := range slices.Sorted(maps.Keys(r.Attrs)) {
		e.str(k)
		e.str(r.Attrs[k])
	}
	e.int(r.RecordedAt.Unix())
	e.uint(uint64(r.RecordedAt.Nanosecond()))
	return e.b
}

// Decode reads a stored report, in the binary form or as JSON, into r;
// the ids are left as they were.
func Decode(data string, r *vigil.Report) error {
	if !IsBinary(data) {
		id, doc, ev := r.ID, r.DocumentID, r.EventID
		*r = vigil.Report{}
		if err := json.Unmarshal([]byte(data), r); err != nil {
			return err
		}
		r.ID, r.DocumentID, r.EventID = id, doc, ev
		return nil
	}
	d := newDecoder(data)
	c := vigil.Report{ID: r.ID, DocumentID: r.DocumentID, EventID: r.EventID}
	c.Key = d.str()
	c.EventKey = d.str()
	c.DateStart = d.date()
	c.DateEnd = d.date()
	c.DatePrecision = vigil.DatePrecision(d.int())
	c.Place.Name = d.str()
	c.Latitude = d.float()
	c.Longitude = d.float()
	c.Precision = vigil.LocationPrecision(d.int())
	c.Country = d.str()
	c.Admin1 = d.str()
	c.Admin1Name = d.str()
	c.Admin2 = d.str()
	c.GazetteerID = d.str()
	c.EventType = vigil.EventType(d.str())
	c.SubEventType = vigil.SubEventType(d.str())
	c.AttackTypes = readStrs[vigil.AttackType](&d)
	c.WeaponTypes = readStrs[vigil.WeaponType](&d)
	c.TargetTypes = readStrs[vigil.TargetType](&d)
	if n := d.count(9); n > 0 {
		c.Actors = make([]vigil.ReportActor, n)
		for i := range c.Actors {
			a := &c.Actors[i]
			a.ActorID = d.str()
			a.Name = d.str()
			a.AsWritten = d.str()
			a.Role = vigil.ActorRole(d.str())
			a.Side = d.str()
			a.Attribution = vigil.AttributionStatus(d.str())
			a.AttributedBy = d.str()
			a.Rule = d.str()
			a.Channel = d.str()
		}
	}
	for _, n := range []*vigil.Num{&c.Killed.Low, &c.Killed.Best, &c.Killed.High, &c.Wounded.Low, &c.Wounded.Best, &c.Wounded.High, &c.AttackersKilled, &c.KilledCivilians} {
		*n = d.num()
	}
	c.Phrase = d.str()
	c.Denial = d.bool()
	c.Credibility = vigil.Credibility(d.int())
	c.Summary = d.str()
	if n := d.count(12); n > 0 {
		c.Evidence = make([]vigil.Span, n)
		for i := range c.Evidence {
			s := &c.Evidence[i]
			s.Field = d.str()
			s.Start = int(d.int())
			s.End = int(d.int())
			s.Text = d.str()
			s.Confidence = math.Float64frombits(d.fixed64())
		}
	}
	if n := d.count(2); n > 0 {
		c.Attrs = make(map[string]string, n)
		for range n {
			k := d.str()
			c.Attrs[k] = d.str()
		}
	}
	sec := d.int()
	if nsec := d.uint(); d.err == nil {
		c.RecordedAt = time.Unix(sec, int64(nsec)).UTC()
	}
	if d.err == nil && d.s != "" {
		d.err = fmt.Errorf("%d bytes after the report", len(d.s))
	}
	if d.err != nil {
		return fmt.Errorf("reportcodec: %w", d.err)
	}
	*r = c
	return nil
}

// EventKey reads only the event key of a stored report, in either form.
func EventKey(data string) (string, error) {
	if !IsBinary(data) {
		var v struct {
			EventKey string `json:"event_key"`
		}
		err := json.Unmarshal([]byte(data), &v)
		return v.EventKey, err
	}
	d := newDecoder(data)
	d.str()
	k := d.str()
	if d.err != nil {
		return "", fmt.Errorf("reportcodec: %w", d.err)
	}
	return k, nil
}

// JSON returns a stored report as its JSON form: JSON as it is, the binary
// form decoded and encoded as the JSON form would have stored it.
func JSON(data string) (string, error) {
	if !IsBinary(data) {
		return data, nil
	}
	var r vigil.Report
	if err := Decode(data, &r); err != nil {
		return "", err
	}
	b, err := json.Marshal(&r)
	return string(b), err
}

// encoder writes the binary form after b[:base], the version byte.
type encoder struct {
	b    []byte
	base int
	// lits are the strings written out so far that a later equal string
	// may refer to, with the offset of each one's tag from base.
	lits []lit
}

type lit struct {
	s   string
	off int
}

// minRef is the shortest string that a later equal one refers to: a
// reference takes two or three bytes.
const minRef = 4

func (e *encoder) uint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *encoder) int(v int64)   { e.b = binary.AppendVarint(e.b, v) }

// str writes a string as one tag and, for a string written out, its bytes.
// The tag's low bits say what follows: x0 the string's bytes (the length
// in the bits above), 01 a reference to the offset of an earlier
// written-out string's tag, 11 the number of a dictionary string.
func (e *encoder) str(s string) {
	if !utf8.ValidString(s) {
		s = jsonValid(s)
	}
	if i, ok := dictIndex[s]; ok {
		e.uint(uint64(i)<<2 | 3)
		return
	}
	if len(s) >= minRef {
		for _, l := range e.lits {
			if l.s == s {
				e.uint(uint64(l.off)<<2 | 1)
				return
			}
		}
		e.lits = append(e.lits, lit{s, len(e.b) - e.base})
	}
	e.uint(uint64(len(s)) << 1)
	e.b = append(e.b, s...)
}

func (e *encoder) bool(v bool) {
	if v {
		e.b = append(e.b, 1)
	} else {
		e.b = append(e.b, 0)
	}
}

// date writes 0 for an unknown date, else the days since 0001-01-01 plus 1.
func (e *encoder) date(d vigil.Date) {
	if d.IsZero() {
		e.int(0)
		return
	}
	e.int(int64(epoch.DaysUntil(d)) + 1)
}

// num writes 0 for an unknown count, else the count zigzagged plus 1.
func (e *encoder) num(n vigil.Num) {
	if !n.Known {
		e.uint(0)
		return
	}
	v := int64(n.N)
	e.uint(uint64(v<<1^v>>63) + 1)
}

func (e *encoder) float(p *float64) {
	if p == nil {
		e.b = append(e.b, 0)
		return
	}
	e.b = append(e.b, 1)
	e.b = binary.LittleEndian.AppendUint64(e.b, math.Float64bits(*p))
}

func strs[T ~string](e *encoder, v []T) {
	e.uint(uint64(len(v)))
	for _, s := range v {
		e.str(string(s))
	}
}

// epoch is the first day a vigil.Date holds.
var epoch = vigil.NewDate(1, time.January, 1)

// jsonValid replaces each byte of s that is not part of valid UTF-8 with
// U+FFFD, as encoding/json does.
func jsonValid(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b.WriteRune(utf8.RuneError)
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// decoder reads the binary form; the first fault stops it, and every read
// after returns zero values.
type decoder struct {
	s   string
	err error
	// all is the value after its version byte, which references point
	// into; v1 is set for the first form, whose strings are all written out.
	all string
	v1  bool
}

func newDecoder(data string) decoder {
	return decoder{s: data[1:], all: data[1:], v1: data[0] == version1}
}

var errShort = errors.New("truncated report")

func (d *decoder) uint() uint64 {
	if d.err != nil {
		return 0
	}
	var v uint64
	for i := 0; i < len(d.s) && i < binary.MaxVarintLen64; i++ {
		c := d.s[i]
		v |= uint64(c&0x7f) << (7 * i)
		if c < 0x80 {
			d.s = d.s[i+1:]
			return v
		}
	}
	d.err = errShort
	return 0
}

func (d *decoder) int() int64 {
	u := d.uint()
	return int64(u>>1) ^ -int64(u&1)
}

// str reads a string as encoder.str writes it.
func (d *decoder) str() string {
	at := len(d.all) - len(d.s)
	tag := d.uint()
	if d.err != nil {
		return ""
	}
	if d.v1 {
		return d.take(tag)
	}
	switch {
	case tag&1 == 0:
		return d.take(tag >> 1)
	case tag&3 == 3:
		if i := tag >> 2; i < uint64(len(dict)) {
			return dict[i]
		}
		d.err = fmt.Errorf("dictionary string %d of %d", tag>>2, len(dict))
		return ""
	}
	// A reference, to a string written out before this one.
	if off := tag >> 2; off < uint64(at) {
		r := decoder{s: d.all[off:at]}
		if n := r.uint(); r.err == nil && n&1 == 0 {
			if s := r.take(n >> 1); r.err == nil {
				return s
			}
		}
	}
	d.err = fmt.Errorf("bad string reference at byte %d", at)
	return ""
}

// take reads the next n bytes as a string.
func (d *decoder) take(n uint64) string {
	if n > uint64(len(d.s)) {
		d.err = errShort
		return ""
	}
	s := d.s[:n]
	d.s = d.s[n:]
	return s
}

// count reads a count of items that take at least min bytes each, so that
// a damaged count cannot make a huge allocation.
func (d *decoder) count(min int) int {
	n := d.uint()
	if d.err == nil && n > uint64(len(d.s)/min) {
		d.err = fmt.Errorf("count %d exceeds the %d bytes left", n, len(d.s))
	}
	if d.err != nil {
		return 0
	}
	return int(n)
}

func (d *decoder) bool() bool {
	if d.err != nil {
		return false
	}
	if len(d.s) == 0 {
		d.err = errShort
		return false
	}
	v := d.s[0]
	d.s = d.s[1:]
	return v != 0
}

func (d *decoder) fixed64() uint64 {
	if d.err != nil {
		return 0
	}
	if len(d.s) < 8 {
		d.err = errShort
		return 0
	}
	var v uint64
	for i := 7; i >= 0; i-- {
		v = v<<8 | uint64(d.s[i])
	}
	d.s = d.s[8:]
	return v
}

func (d *decoder) float() *float64 {
	if !d.bool() {
		return nil
	}
	v := math.Float64frombits(d.fixed64())
	if d.err != nil {
		return nil
	}
	return &v
}

func (d *decoder) date() vigil.Date {
	v := d.int()
	if v == 0 || d.err != nil {
		return vigil.Date{}
	}
	if v < 0 || v > lastDay {
		d.err = fmt.Errorf("day %d is outside the years 1 to 9999", v)
		return vigil.Date{}
	}
	return epoch.AddDays(int(v - 1))
}

// lastDay is how encoder.date writes 9999-12-31, the last day a date holds.
var lastDay = int64(epoch.DaysUntil(vigil.NewDate(9999, time.December, 31))) + 1

func (d *decoder) num() vigil.Num {
	u := d.uint()
	if u == 0 || d.err != nil {
		return vigil.Num{}
	}
	u--
	return vigil.N(int(int64(u>>1) ^ -int64(u&1)))
}

func readStrs[T ~string](d *decoder) []T {
	n := d.count(1)
	if n == 0 {
		return nil
	}
	out := make([]T, n)
	for i := range out {
		out[i] = T(d.str())
	}
	return out
}
