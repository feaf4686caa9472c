package export

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vigil-osint/vigil"
)

// appendEventJSON appends the event's JSON, the same document that
// encoding/json makes of it (TestEventJSON holds them equal), without
// reflection: GeoJSON exports write a million of them. The rarely filled
// parts (basis, reports) go through encoding/json.
func appendEventJSON(b []byte, e *vigil.Event) ([]byte, error) {
	b = append(b, `{"id":`...)
	b = strconv.AppendInt(b, e.ID, 10)
	if e.Key != "" {
		b = appendKey(b, "key")
		b = appendString(b, e.Key)
	}
	b = appendKey(b, "date_start")
	b = appendDate(b, e.DateStart)
	b = appendKey(b, "date_end")
	b = appendDate(b, e.DateEnd)
	b = appendKey(b, "date_precision")
	b = strconv.AppendInt(b, int64(e.DatePrecision), 10)
	if e.Name != "" {
		b = appendKey(b, "place")
		b = appendString(b, e.Name)
	}
	b = appendKey(b, "latitude")
	b = appendFloatPtr(b, e.Latitude)
	b = appendKey(b, "longitude")
	b = appendFloatPtr(b, e.Longitude)
	b = appendKey(b, "location_precision")
	b = strconv.AppendInt(b, int64(e.Precision), 10)
	b = appendKey(b, "country")
	b = appendString(b, e.Country)
	b = appendKey(b, "admin1")
	b = appendString(b, e.Admin1)
	if e.Admin1Name != "" {
		b = appendKey(b, "admin1_name")
		b = appendString(b, e.Admin1Name)
	}
	b = appendKey(b, "admin2")
	b = appendString(b, e.Admin2)
	if e.GazetteerID != "" {
		b = appendKey(b, "gazetteer_id")
		b = appendString(b, e.GazetteerID)
	}
	b = appendKey(b, "event_type")
	b = appendString(b, string(e.EventType))
	if e.SubEventType != "" {
		b = appendKey(b, "sub_event_type")
		b = appendString(b, string(e.SubEventType))
	}
	b = appendStrings(b, "attack_types", e.AttackTypes)
	b = appendStrings(b, "weapon_types", e.WeaponTypes)
	b = appendStrings(b, "target_types", e.TargetTypes)
	b = appendKey(b, "killed")
	b = appendRange(b, e.Killed)
	b = appendKey(b, "wounded")
	b = appendRange(b, e.Wounded)
	b = appendKey(b, "attackers_killed")
	b = appendNum(b, e.AttackersKilled)
	b = appendKey(b, "actors")
	if e.Actors == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, a := range e.Actors {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendActor(b, a)
		}
		b = append(b, ']')
	}
	b = appendKey(b, "sources")
	if e.Sources == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, s := range e.Sources {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"id":`...)
			b = strconv.AppendInt(b, s.ID, 10)
			b = appendKey(b, "name")
			b = appendString(b, s.Name)
			b = appendKey(b, "kind")
			b = appendString(b, string(s.Kind))
			b = appendKey(b, "reliability")
			b = appendString(b, string(s.Reliability))
			if s.Origin != "" {
				b = appendKey(b, "origin")
				b = appendString(b, s.Origin)
			}
			if s.SpeaksFor != "" {
				b = appendKey(b, "speaks_for")
				b = appendString(b, s.SpeaksFor)
			}
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = appendKey(b, "corroboration")
	b = strconv.AppendInt(b, int64(e.Corroboration), 10)
	if e.Credibility != 0 {
		b = appendKey(b, "credibility")
		b = strconv.AppendInt(b, int64(e.Credibility), 10)
	}
	b = appendKey(b, "contradictions")
	if e.Contradictions == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, c := range e.Contradictions {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"kind":`...)
			b = appendString(b, string(c.Kind))
			b = appendKey(b, "description")
			b = appendString(b, c.Description)
			b = appendKey(b, "sides")
			if c.Sides == nil {
				b = append(b, "null"...)
			} else {
				b = append(b, '[')
				for j, side := range c.Sides {
					if j > 0 {
						b = append(b, ',')
					}
					b = appendInts(b, side)
				}
				b = append(b, ']')
			}
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if len(e.Basis) > 0 {
		b = appendKey(b, "basis")
		var err error
		if b, err = appendBasis(b, e.Basis); err != nil {
			return b, err
		}
	}
	b = appendKey(b, "report_ids")
	b = appendInts(b, e.ReportIDs)
	if len(e.Reports) > 0 {
		raw, err := json.Marshal(e.Reports)
		if err != nil {
			return b, err
		}
		b = appendKey(b, "reports")
		b = append(b, raw...)
	}
	b = appendKey(b, "tlp")
	b = appendString(b, string(e.Marking))
	b = appendKey(b, "recorded_at")
	b = appendTime(b, e.RecordedAt)
	b = appendKey(b, "updated_at")
	b = appendTime(b, e.UpdatedAt)
	return append(b, '}'), nil
}

func appendActor(b []byte, a vigil.ReportActor) []byte {
	b = append(b, '{')
	first := true
	field := func(k, v string, omitEmpty bool) {
		if omitEmpty && v == "" {
			return
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, '"')
		b = append(b, k...)
		b = append(b, `":`...)
		b = appendString(b, v)
	}
	field("actor_id", a.ActorID, true)
	field("name", a.Name, false)
	field("as_written", a.AsWritten, true)
	field("role", string(a.Role), false)
	field("side", a.Side, true)
	field("attribution", string(a.Attribution), false)
	field("attributed_by", a.AttributedBy, true)
	field("rule", a.Rule, true)
	field("channel", a.Channel, true)
	return append(b, '}')
}

func appendKey(b []byte, k string) []byte {
	b = append(b, ',', '"')
	b = append(b, k...)
	return append(b, '"', ':')
}

func appendStrings[T ~string](b []byte, key string, list []T) []byte {
	if len(list) == 0 {
		return b
	}
	b = appendKey(b, key)
	b = append(b, '[')
	for i, s := range list {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, string(s))
	}
	return append(b, ']')
}

// appendBasis appends an event's basis as json.Marshal writes it: by key
// in byte order. Its keys are fusion's names of values ("date",
// "killed.best"); one that json.Marshal would escape otherwise than
// appendString (<, >, &, any non-ASCII) sends the basis through
// json.Marshal.
func appendBasis(b []byte, basis map[string][]int64) ([]byte, error) {
	var room [16]string
	keys := room[:0]
	for k := range basis {
		if strings.ContainsFunc(k, func(r rune) bool { return r == '<' || r == '>' || r == '&' || r >= utf8.RuneSelf }) {
			raw, err := json.Marshal(basis)
			return append(b, raw...), err
		}
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, k)
		b = append(b, ':')
		b = appendInts(b, basis[k])
	}
	return append(b, '}'), nil
}

func appendInts(b []byte, ids []int64) []byte {
	if ids == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return append(b, ']')
}

func appendNum(b []byte, n vigil.Num) []byte {
	if !n.Known {
		return append(b, "null"...)
	}
	return strconv.AppendInt(b, int64(n.N), 10)
}

func appendRange(b []byte, r vigil.Range) []byte {
	b = append(b, `{"low":`...)
	b = appendNum(b, r.Low)
	b = append(b, `,"best":`...)
	b = appendNum(b, r.Best)
	b = append(b, `,"high":`...)
	b = appendNum(b, r.High)
	return append(b, '}')
}

func appendDate(b []byte, d vigil.Date) []byte {
	if d.IsZero() {
		return append(b, "null"...)
	}
	b = append(b, '"')
	b = d.Time().AppendFormat(b, "2006-01-02")
	return append(b, '"')
}

func appendTime(b []byte, t time.Time) []byte {
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}

func appendFloatPtr(b []byte, f *float64) []byte {
	if f == nil {
		return append(b, "null"...)
	}
	return strconv.AppendFloat(b, *f, 'f', -1, 64)
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string, escaping as encoding/json does
// with HTML escaping off: quotes, backslashes, control characters, U+2028
// and U+2029; invalid UTF-8 becomes U+FFFD.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
