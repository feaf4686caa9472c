// Package storecodec holds the binary forms in which the SQLite store
// keeps reports and documents: fields in a fixed order, counts and numbers
// as varints, strings as a length and their bytes. Each holds what the
// value's JSON holds and decodes to what that JSON decodes to (times as
// the store records them), in a fraction of the time and about half the
// bytes: decoding the stored JSON of a UCDP report took about 29 µs and
// was most of the time an export spends, encoding it 13 µs; the binary
// form takes 2–3 µs and 6–8 µs (go test ./internal/storecodec -bench .).
//
// A string that a value holds twice (an actor's name and its name as
// written) is written once, and a string of the codec's dictionary
// (enumeration values, the attribute keys of the dataset importers) as
// its number in it. Stores write every byte several times, so the bytes a
// value takes are most of what storing it costs.
//
// A stored value starts with the form's version byte; the JSON form starts
// with '{', so a store may hold several forms, and the decoders read each.
// Strings decode as substrings of the value passed in, or as the
// dictionary's own strings, without copies.
package storecodec

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vigil-osint/vigil"
)

// version is the first byte of the binary forms the encoders write;
// version1 marks the first form of reports, whose strings are all written
// out.
const (
	version  = 2
	version1 = 1
)

// IsBinary reports whether data is in a binary form (not JSON).
func IsBinary(data string) bool { return len(data) > 0 && (data[0] == version || data[0] == version1) }

// encoder writes the binary form after b[:base], the version byte.
type encoder struct {
	b    []byte
	base int
	// lits[:nlit], then more, are the strings written out so far that a
	// later equal string may refer to, with the offset of each one's tag
	// from base: a value of up to len(lits) of them allocates nothing.
	nlit int
	lits [64]lit
	more []lit
}

// newEncoder returns an encoder that appends the binary form to b.
func newEncoder(b []byte) encoder {
	return encoder{b: append(b, version), base: len(b) + 1}
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
		if off, ok := e.written(s); ok {
			e.uint(uint64(off)<<2 | 1)
			return
		}
		l := lit{s, len(e.b) - e.base}
		if e.nlit < len(e.lits) {
			e.lits[e.nlit] = l
			e.nlit++
		} else {
			e.more = append(e.more, l)
		}
	}
	e.uint(uint64(len(s)) << 1)
	e.b = append(e.b, s...)
}

// written returns the offset of the tag of an earlier written-out string
// equal to s.
func (e *encoder) written(s string) (int, bool) {
	for _, l := range e.lits[:e.nlit] {
		if l.s == s {
			return l.off, true
		}
	}
	for _, l := range e.more {
		if l.s == s {
			return l.off, true
		}
	}
	return 0, false
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

// time writes 0 for the zero time; else 1 for a time in UTC or 2 and its
// zone's offset in seconds (all the JSON form keeps of a zone), then the
// instant as seconds and nanoseconds.
func (e *encoder) time(t time.Time) {
	switch _, off := t.Zone(); {
	case t.IsZero():
		e.uint(0)
		return
	case t.Location() == time.UTC:
		e.uint(1)
	default:
		e.uint(2)
		e.int(int64(off))
	}
	e.int(t.Unix())
	e.uint(uint64(t.Nanosecond()))
}

// hash writes a content hash: 1 and the 32 bytes of 64 lowercase hex
// digits (a SHA-256), else 0 and the string.
func (e *encoder) hash(h string) {
	if len(h) == 64 && strings.ToLower(h) == h {
		if b, err := hex.DecodeString(h); err == nil {
			e.b = append(append(e.b, 1), b...)
			return
		}
	}
	e.b = append(e.b, 0)
	e.str(h)
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

var errShort = errors.New("truncated value")

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

func (d *decoder) time() time.Time {
	kind := d.uint()
	if kind == 0 || d.err != nil {
		return time.Time{}
	}
	var zone *time.Location
	switch kind {
	case 1:
		zone = time.UTC
	case 2:
		off := d.int()
		if off <= -24*3600 || off >= 24*3600 {
			d.err = fmt.Errorf("zone offset %d s", off)
			return time.Time{}
		}
		zone = time.FixedZone("", int(off))
	default:
		d.err = fmt.Errorf("time kind %d", kind)
		return time.Time{}
	}
	sec, nsec := d.int(), d.uint()
	if d.err == nil && nsec >= 1e9 {
		d.err = fmt.Errorf("%d nanoseconds", nsec)
	}
	if d.err != nil {
		return time.Time{}
	}
	t := time.Unix(sec, int64(nsec)).In(zone)
	if y := t.Year(); y < 0 || y > 9999 {
		// The JSON form holds none of these.
		d.err = fmt.Errorf("year %d", y)
		return time.Time{}
	}
	return t
}

func (d *decoder) hash() string {
	if !d.bool() {
		return d.str()
	}
	if len(d.s) < 32 {
		d.err = errShort
		return ""
	}
	h := hex.EncodeToString([]byte(d.s[:32]))
	d.s = d.s[32:]
	return h
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
