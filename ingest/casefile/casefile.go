// Package casefile reads vigil case files: JSON documents in which an
// analyst enters sources, the documents they published and the reports
// those documents make, by hand. The ISKP demo case is one.
//
// A case file looks like this (every report field is the events JSON's):
//
//	{"title": "...",
//	 "sources": [{"name": "Reuters", "kind": "news", "reliability": "B"}],
//	 "documents": [{"source": "Reuters", "key": "reuters-2022-09-05",
//	   "title": "...", "published": "2022-09-05", "url": "...", "text": "...",
//	   "tlp": "CLEAR",
//	   "reports": [{"event_key": "kabul-embassy-2022-09-05",
//	     "date_start": "2022-09-05", "date_precision": 1,
//	     "place": "Kabul", "latitude": 34.528, "longitude": 69.172,
//	     "location_precision": 1, "country": "AF", "admin1": "AF-KAB",
//	     "killed": {"low": 6, "best": 6, "high": 6},
//	     "actors": [{"name": "ISKP", "role": "perpetrator", "attribution": "claimed"}]}]}],
//	 "relationships": [{"from": "iskp", "to": "is", "type": "subsidiary-of",
//	   "valid_from": "2014-10-01", "credibility": 2,
//	   "documents": [{"source": "Reuters", "key": "reuters-2022-09-05"}]}],
//	 "composition": [{"actor": "iskp", "kind": "layer", "layer": "outer layer",
//	   "what": "Afghan and Pakistani Pashtun fighters", "groups": ["Pashtun"],
//	   "valid_from": "2015-01-01", "credibility": 3,
//	   "documents": [{"source": "Reuters", "key": "reuters-2022-09-05"}]}]}
//
// Relationships and composition claims cite the file's own documents. A
// composition claim's fields are vigil.CompositionClaim's: kind (layer,
// origin, recruitment), layer, what, groups, from_actor, region, stance
// (asserts or denies), valid_from, valid_to, description, credibility.
//
// Reports that share an event_key are one event. A report's key defaults
// to its position in the document.
package casefile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"time"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/actors"
)

// File is a case file.
type File struct {
	Title         string         `json:"title"`
	About         string         `json:"about,omitempty"`
	Sources       []vigil.Source `json:"sources"`
	Documents     []Document     `json:"documents"`
	Relationships []Relationship `json:"relationships,omitempty"`
	Composition   []Composition  `json:"composition,omitempty"`
}

// Composition is a claim about a group's composition (a layer, a founding
// stream, a pool of recruits) that documents of the case make, named by
// source and key.
type Composition struct {
	vigil.CompositionClaim
	Documents []DocumentRef `json:"documents"`
}

// Relationship is a tie between two actors that documents of the case
// assert, named by source and key.
type Relationship struct {
	vigil.Relationship
	Documents []DocumentRef `json:"documents"`
}

// DocumentRef names a document by its source and key.
type DocumentRef struct {
	Source string `json:"source"`
	Key    string `json:"key"`
}

// Document is a document of a case file with its reports.
type Document struct {
	Source    string         `json:"source"`
	Key       string         `json:"key"`
	Title     string         `json:"title"`
	Published string         `json:"published,omitempty"` // YYYY-MM-DD or RFC 3339
	URL       string         `json:"url,omitempty"`
	Language  string         `json:"language,omitempty"`
	Text      string         `json:"text,omitempty"`
	TLP       vigil.TLP      `json:"tlp,omitempty"`
	Reports   []vigil.Report `json:"reports,omitempty"`
}

// Reader hands out a case file's documents as items.
type Reader struct {
	file    string
	f       *File
	dict    *actors.Dictionary
	sources map[string]*vigil.Source
	sent    map[string]bool
	i       int
	lines   fileLines
}

// fileLines holds the line each element of a case file's lists starts on,
// for row errors: "case.json:97: reports[1].killed: …" points at the
// report in an editor, as a CSV file's row does.
type fileLines struct {
	sources, documents, relationships, composition []int
	reports                                        [][]int // by document
}

// line returns lines[i], or i+1 (the element's position) when the file's
// lines could not be told.
func line(lines []int, i int) int {
	if i < len(lines) {
		return lines[i]
	}
	return i + 1
}

// elements returns where each element of the array under key in the JSON
// object data starts, as byte offsets; nil when data is no such object.
func elements(data []byte, key string) []int64 {
	dec := json.NewDecoder(bytes.NewReader(data))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil
		}
		if k, _ := t.(string); k != key {
			var skip json.RawMessage
			if dec.Decode(&skip) != nil {
				return nil
			}
			continue
		}
		if t, err := dec.Token(); err != nil || t != json.Delim('[') {
			return nil
		}
		var out []int64
		for dec.More() {
			var raw json.RawMessage
			if dec.Decode(&raw) != nil {
				return nil
			}
			out = append(out, dec.InputOffset()-int64(len(raw)))
		}
		return out
	}
	return nil
}

// Lines returns the line each document of a case file starts on, and for
// each document the lines its reports start on, for errors that name a
// document or report by its line as Reader's do. A document or report it
// cannot place is absent (shorter lists); data that is no JSON object
// gives none.
func Lines(data []byte) (documents []int, reports [][]int) {
	fl := locateLines(data)
	return fl.documents, fl.reports
}

// Line returns lines[i], the line of the i-th element, or i+1 when lines
// does not hold it.
func Line(lines []int, i int) int { return line(lines, i) }

// locateLines finds the lines of a case file's elements.
func locateLines(data []byte) fileLines {
	lines := func(offs []int64, base int64) []int {
		out := make([]int, len(offs))
		for i, o := range offs {
			out[i], _ = lineCol(data, base+o)
		}
		return out
	}
	var fl fileLines
	fl.sources = lines(elements(data, "sources"), 0)
	fl.relationships = lines(elements(data, "relationships"), 0)
	fl.composition = lines(elements(data, "composition"), 0)
	docs := elements(data, "documents")
	fl.documents = lines(docs, 0)
	for i, start := range docs {
		end := int64(len(data))
		if i+1 < len(docs) {
			end = docs[i+1]
		}
		// The document's object, and what follows it up to the next one,
		// which the decoder stops before reading.
		fl.reports = append(fl.reports, lines(elements(data[start:end], "reports"), start))
	}
	return fl
}

// NewReader parses a case file. file names it in errors; dict, when not
// nil, resolves the actors that reports name.
func NewReader(r io.Reader, file string, dict *actors.Dictionary) (*Reader, error) {
	var f File
	data, err := io.ReadAll(io.LimitReader(r, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, vigil.Errorf(vigil.EINVALID, "%s: empty file: not a case file", file)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, vigil.Errorf(vigil.EINVALID, "%s: not a case file: %s", file, where(data, err))
	}
	cr := &Reader{file: file, f: &f, dict: dict, sources: map[string]*vigil.Source{}, sent: map[string]bool{}, lines: locateLines(data)}
	for i := range f.Sources {
		s := &f.Sources[i]
		if err := s.Validate(); err != nil {
			return nil, &vigil.RowError{File: file, Row: line(cr.lines.sources, i), Field: "sources", Err: err}
		}
		cr.sources[s.Name] = s
	}
	return cr, nil
}

// Relationships returns the relationships the case file asserts, each
// checked: its type and dates valid, and every document it cites one of
// the file's own documents.
func (r *Reader) Relationships() ([]Relationship, error) {
	docs := map[DocumentRef]bool{}
	for _, d := range r.f.Documents {
		docs[DocumentRef{d.Source, d.Key}] = true
	}
	for i, rel := range r.f.Relationships {
		if err := rel.Validate(); err != nil {
			return nil, &vigil.RowError{File: r.file, Row: line(r.lines.relationships, i), Field: "relationships", Err: err}
		}
		if len(rel.Documents) == 0 {
			return nil, &vigil.RowError{File: r.file, Row: line(r.lines.relationships, i), Field: "relationships.documents", Err: vigil.Errorf(vigil.EINVALID, "a relationship needs the documents that assert it")}
		}
		for _, d := range rel.Documents {
			if !docs[d] {
				return nil, &vigil.RowError{File: r.file, Row: line(r.lines.relationships, i), Field: "relationships.documents", Err: vigil.Errorf(vigil.EINVALID, "%s/%s is not a document of the case file", d.Source, d.Key)}
			}
		}
	}
	return r.f.Relationships, nil
}

// Composition returns the composition claims the case file makes, each
// checked: its kind, layer and dates valid, and every document it cites
// one of the file's own documents.
func (r *Reader) Composition() ([]Composition, error) {
	docs := map[DocumentRef]bool{}
	for _, d := range r.f.Documents {
		docs[DocumentRef{d.Source, d.Key}] = true
	}
	for i, c := range r.f.Composition {
		if err := c.Validate(); err != nil {
			return nil, &vigil.RowError{File: r.file, Row: line(r.lines.composition, i), Field: "composition", Err: err}
		}
		if len(c.Documents) == 0 {
			return nil, &vigil.RowError{File: r.file, Row: line(r.lines.composition, i), Field: "composition.documents", Err: vigil.Errorf(vigil.EINVALID, "a claim needs the documents that make it")}
		}
		for _, d := range c.Documents {
			if !docs[d] {
				return nil, &vigil.RowError{File: r.file, Row: line(r.lines.composition, i), Field: "composition.documents", Err: vigil.Errorf(vigil.EINVALID, "%s/%s is not a document of the case file", d.Source, d.Key)}
			}
		}
	}
	return r.f.Composition, nil
}

// Title returns the case file's title.
func (r *Reader) Title() string { return r.f.Title }

// Next returns the next document as an item. A document it rejects is a
// row error on the line the document starts on, or for a report's field
// the line the report starts on.
func (r *Reader) Next() (*vigil.Item, error) {
	if r.i >= len(r.f.Documents) {
		return nil, io.EOF
	}
	r.i++
	d := r.f.Documents[r.i-1]
	fail := func(field string, err error) error {
		return &vigil.RowError{File: r.file, Row: line(r.lines.documents, r.i-1), Field: field, Err: err}
	}
	src := r.sources[d.Source]
	if src == nil {
		return nil, fail("source", vigil.Errorf(vigil.EINVALID, "%q is not among the case file's sources", d.Source))
	}
	if d.Key == "" {
		return nil, fail("key", vigil.Errorf(vigil.EINVALID, "required"))
	}
	doc := vigil.Document{Source: d.Source, Key: d.Key, Title: d.Title, URL: d.URL, Language: d.Language, Text: d.Text, Marking: d.TLP}
	if doc.Marking == "" {
		doc.Marking = vigil.TLPClear
	}
	if d.Published != "" {
		t, err := parseTime(d.Published)
		if err != nil {
			return nil, fail("published", err)
		}
		doc.Published = t
	}
	canon, _ := json.Marshal(d)
	doc.ContentHash = vigil.HashContent(string(canon))
	for i := range d.Reports {
		rep := &d.Reports[i]
		if rep.Key == "" {
			rep.Key = strconv.Itoa(i)
		}
		if rep.DateEnd.IsZero() {
			rep.DateEnd = rep.DateStart
		}
		if r.dict != nil {
			r.dict.Apply(rep)
		}
		if err := rep.Validate(); err != nil {
			// Name the report's field too: the row error's message keeps
			// only the reason, so "killed" and "wounded" would read alike.
			field := fmt.Sprintf("reports[%d]", i)
			var fe *vigil.FieldError
			if errors.As(err, &fe) {
				field, err = field+"."+fe.Field, fe.Err
			}
			var reps []int
			if r.i-1 < len(r.lines.reports) {
				reps = r.lines.reports[r.i-1]
			}
			return nil, &vigil.RowError{File: r.file, Row: line(reps, i), Field: field, Err: err}
		}
	}
	it := &vigil.Item{Document: doc, Reports: d.Reports}
	if !r.sent[src.Name] {
		it.Source, r.sent[src.Name] = src, true
	}
	return it, nil
}

func parseTime(s string) (time.Time, error) {
	if d, err := vigil.ParseDate(s); err == nil && len(s) == 10 {
		return d.Time(), nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, vigil.Errorf(vigil.EINVALID, "%q: want YYYY-MM-DD or RFC 3339", s)
	}
	return t.UTC(), nil
}

// where says where in a case file a decoding error lies: the line and
// column of a syntax or type error, and for an error a value's own parser
// gives (a date, a grade) or an unknown field, which carry no position,
// the element and field that fail (documents[2] (key "x"), reports[0],
// date_start) and their line.
func where(data []byte, err error) string {
	msg := err.Error()
	if ve := (*vigil.Error)(nil); errors.As(err, &ve) {
		msg = ve.Message
	}
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se): // Offset: the bytes read, the bad one last
		l, c := lineCol(data, se.Offset-1)
		return fmt.Sprintf("line %d, column %d: %s", l, c, msg)
	case errors.As(err, &te):
		l, c := lineCol(data, te.Offset-1)
		return fmt.Sprintf("line %d, column %d: %s", l, c, msg)
	}
	if path, off := locate(data); path != "" {
		l, _ := lineCol(data, off)
		return fmt.Sprintf("%s: %s (line %d)", path, msg, l)
	}
	return msg
}

// lineCol turns a byte offset into a line and column, both from 1.
func lineCol(data []byte, off int64) (line, col int) {
	off = min(max(off, 0), int64(len(data)))
	before := data[:off]
	line = 1 + bytes.Count(before, []byte("\n"))
	col = int(off) - (bytes.LastIndexByte(before, '\n') + 1) + 1
	return line, col
}

// strict decodes raw into v as NewReader does.
func strict(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// badField names the first field of the object raw (in key order) that
// does not decode into what mk makes, as ", field", or "".
func badField(raw []byte, mk func() any) string {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return ""
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		one, _ := json.Marshal(map[string]json.RawMessage{k: m[k]})
		if strict(one, mk()) != nil {
			return ", " + k
		}
	}
	return ""
}

// locate finds the element of a case file that fails to decode and the
// byte offset where it starts.
func locate(data []byte) (string, int64) {
	var top struct {
		Sources, Documents, Relationships, Composition []json.RawMessage
	}
	if json.Unmarshal(data, &top) != nil {
		return "", 0
	}
	at := func(raw []byte) int64 { return int64(max(bytes.Index(data, raw), 0)) }
	lists := []struct {
		name string
		list []json.RawMessage
		mk   func() any
	}{
		{"sources", top.Sources, func() any { return &vigil.Source{} }},
		{"documents", top.Documents, func() any { return &Document{} }},
		{"relationships", top.Relationships, func() any { return &Relationship{} }},
		{"composition", top.Composition, func() any { return &Composition{} }},
	}
	for _, l := range lists {
		for i, raw := range l.list {
			if strict(raw, l.mk()) == nil {
				continue
			}
			path := fmt.Sprintf("%s[%d]", l.name, i)
			if l.name != "documents" {
				return path + badField(raw, l.mk), at(raw)
			}
			var d struct {
				Key     string
				Reports []json.RawMessage
			}
			json.Unmarshal(raw, &d)
			if d.Key != "" {
				path += fmt.Sprintf(" (key %q)", d.Key)
			}
			for j, rep := range d.Reports {
				if strict(rep, &vigil.Report{}) != nil {
					return path + fmt.Sprintf(", reports[%d]", j) + badField(rep, func() any { return &vigil.Report{} }), at(rep)
				}
			}
			return path + badField(raw, l.mk), at(raw)
		}
	}
	if f := badField(data, func() any { return &File{} }); f != "" {
		return f[2:], at([]byte(strconv.Quote(f[2:])))
	}
	return "", 0
}
