package storecodec

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/vigil-osint/vigil"
)

// AppendReport appends r's binary form to b, without the ids that the
// store's columns hold (ID, DocumentID, EventID). Strings that are not
// valid UTF-8 are stored as the JSON form stores them: each invalid byte
// becomes U+FFFD.
func AppendReport(b []byte, r *vigil.Report) []byte {
	e := newEncoder(b)
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
	var kb [64]string // the keys, sorted, without an allocation for most reports
	keys := kb[:0]
	for k := range r.Attrs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		e.str(k)
		e.str(r.Attrs[k])
	}
	e.int(r.RecordedAt.Unix())
	e.uint(uint64(r.RecordedAt.Nanosecond()))
	return e.b
}

// DecodeReport reads a stored report, in the binary form or as JSON, into r;
// the ids are left as they were.
func DecodeReport(data string, r *vigil.Report) error { return decodeReport(data, r, true) }

// DecodeReportValues is DecodeReport without the binary form's Attrs (left
// nil), which fusion does not read: for readers that only fuse reports.
func DecodeReportValues(data string, r *vigil.Report) error { return decodeReport(data, r, false) }

func decodeReport(data string, r *vigil.Report, attrs bool) error {
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
	if n := d.count(2); n > 0 && !attrs {
		for range 2 * n {
			d.str()
		}
	} else if n > 0 {
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
		return fmt.Errorf("storecodec: report: %w", d.err)
	}
	*r = c
	return nil
}

// ReportEventKey reads only the event key of a stored report, in either form.
func ReportEventKey(data string) (string, error) {
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
		return "", fmt.Errorf("storecodec: report: %w", d.err)
	}
	return k, nil
}

// ReportJSON returns a stored report as its JSON form: JSON as it is, the binary
// form decoded and encoded as the JSON form would have stored it.
func ReportJSON(data string) (string, error) {
	if !IsBinary(data) {
		return data, nil
	}
	var r vigil.Report
	if err := DecodeReport(data, &r); err != nil {
		return "", err
	}
	b, err := json.Marshal(&r)
	return string(b), err
}
