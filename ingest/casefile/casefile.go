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
//
// A bad element (a source, document, relationship or claim that does not
// decode or validate: a date that is no date, a misspelt field) is a row
// error on the line it starts on, and the others are read; an element that
// depends on a rejected one (a document of a rejected source, a
// relationship or claim citing a rejected document) is rejected too, naming
// it. Only a file that is no JSON object of these lists fails whole.
package casefile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/actors"
	"github.com/vigil-osint/vigil/internal/jsonfile"
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
	lines   fileLines

	// out is what Next hands out, in order: the rejected sources, the
	// documents (items or row errors), then the rejected relationships
	// and claims.
	out  []next
	rels []Relationship
	comp []Composition
}

// next is one record's outcome.
type next struct {
	it  *vigil.Item
	err error
}

// rawFile is a case file with its elements undecoded, so that each is
// decoded, and rejected, alone.
type rawFile struct {
	Title         string            `json:"title"`
	About         string            `json:"about,omitempty"`
	Sources       []json.RawMessage `json:"sources"`
	Documents     []json.RawMessage `json:"documents"`
	Relationships []json.RawMessage `json:"relationships,omitempty"`
	Composition   []json.RawMessage `json:"composition,omitempty"`
}

// fileLines holds the line each element of a case file's lists starts on,
// for row errors: "case.json:97: reports[1].killed: …" points at the
// report in an editor, as a CSV file's row does.
type fileLines struct {
	sources, documents, relationships, composition []int
	reports                                        [][]int // by document
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
func Line(lines []int, i int) int { return jsonfile.Line(lines, i) }

// locateLines finds the lines of a case file's elements.
func locateLines(data []byte) fileLines {
	fl := fileLines{
		sources:       jsonfile.ElementLines(data, "sources"),
		relationships: jsonfile.ElementLines(data, "relationships"),
		composition:   jsonfile.ElementLines(data, "composition"),
		documents:     jsonfile.ElementLines(data, "documents"),
	}
	docs := jsonfile.Elements(data, "documents")
	for i, start := range docs {
		end := int64(len(data))
		if i+1 < len(docs) {
			end = docs[i+1]
		}
		// The document's object, and what follows it up to the next one,
		// which the decoder stops before reading.
		offs := jsonfile.Elements(data[start:end], "reports")
		reps := make([]int, len(offs))
		for j, o := range offs {
			reps[j], _ = jsonfile.LineCol(data, start+o)
		}
		fl.reports = append(fl.reports, reps)
	}
	return fl
}

// NewReader parses a case file. file names it in errors; dict, when not
// nil, resolves the actors that reports name. It fails only for a file that
// is not a case file; a bad element is a row error that Next returns.
func NewReader(r io.Reader, file string, dict *actors.Dictionary) (*Reader, error) {
	data, err := jsonfile.Read(r, file)
	if err != nil {
		return nil, err
	}
	var raw rawFile
	if err := jsonfile.Strict(data, &raw); err != nil {
		return nil, vigil.Errorf(vigil.EINVALID, "%s: not a case file: %s", file, where(data, err))
	}
	f := &File{Title: raw.Title, About: raw.About}
	cr := &Reader{file: file, f: f, dict: dict, sources: map[string]*vigil.Source{}, sent: map[string]bool{}, lines: locateLines(data)}
	rowErr := func(row int, field string, err error) *vigil.RowError {
		return &vigil.RowError{File: file, Row: row, Field: field, Err: err}
	}

	// Sources: a rejected one is remembered by name, for its documents.
	badSource := map[string]int{}
	for i, el := range raw.Sources {
		row := jsonfile.Line(cr.lines.sources, i)
		var s vigil.Source
		if err := jsonfile.Strict(el, &s); err != nil {
			field, e := jsonfile.ElementError(el, err, func() any { return &vigil.Source{} })
			cr.out = append(cr.out, next{err: rowErr(row, "sources."+field, e)})
			badSource[nameOf(el)] = row
			continue
		}
		if err := s.Validate(); err != nil {
			cr.out = append(cr.out, next{err: rowErr(row, "sources", err)})
			badSource[s.Name] = row
			continue
		}
		f.Sources = append(f.Sources, s)
	}
	for i := range f.Sources {
		cr.sources[f.Sources[i].Name] = &f.Sources[i]
	}

	// Documents, in order; a rejected one is remembered for what cites it.
	docs := map[DocumentRef]bool{}
	badDoc := map[DocumentRef]int{}
	for i, el := range raw.Documents {
		row := jsonfile.Line(cr.lines.documents, i)
		var d Document
		if err := jsonfile.Strict(el, &d); err != nil {
			field, e := jsonfile.ElementError(el, err, func() any { return &Document{} })
			if j, rfield, ok := badReport(el); ok {
				field = fmt.Sprintf("reports[%d].%s", j, rfield)
				var reps []int
				if i < len(cr.lines.reports) {
					reps = cr.lines.reports[i]
				}
				row = jsonfile.Line(reps, j)
			}
			cr.out = append(cr.out, next{err: rowErr(row, field, e)})
			var ref DocumentRef
			json.Unmarshal(el, &ref)
			badDoc[ref] = jsonfile.Line(cr.lines.documents, i)
			continue
		}
		f.Documents = append(f.Documents, d)
		it, err := cr.item(i, d, badSource)
		if err != nil {
			badDoc[DocumentRef{d.Source, d.Key}] = row
		} else {
			docs[DocumentRef{d.Source, d.Key}] = true
		}
		cr.out = append(cr.out, next{it: it, err: err})
	}

	// Relationships and claims cite the file's documents.
	cites := func(refs []DocumentRef, row int, field string) error {
		for _, d := range refs {
			if n, ok := badDoc[d]; ok && !docs[d] {
				return rowErr(row, field, vigil.Errorf(vigil.EINVALID, "%s/%s was rejected (line %d)", d.Source, d.Key, n))
			}
			if !docs[d] {
				return rowErr(row, field, vigil.Errorf(vigil.EINVALID, "%s/%s is not a document of the case file", d.Source, d.Key))
			}
		}
		return nil
	}
	for i, el := range raw.Relationships {
		row := jsonfile.Line(cr.lines.relationships, i)
		var rel Relationship
		if err := jsonfile.Strict(el, &rel); err != nil {
			field, e := jsonfile.ElementError(el, err, func() any { return &Relationship{} })
			cr.out = append(cr.out, next{err: rowErr(row, "relationships."+field, e)})
			continue
		}
		f.Relationships = append(f.Relationships, rel)
		var err error
		switch {
		case rel.Validate() != nil:
			err = rowErr(row, "relationships", rel.Validate())
		case len(rel.Documents) == 0:
			err = rowErr(row, "relationships.documents", vigil.Errorf(vigil.EINVALID, "a relationship needs the documents that assert it"))
		default:
			err = cites(rel.Documents, row, "relationships.documents")
		}
		if err != nil {
			cr.out = append(cr.out, next{err: err})
			continue
		}
		cr.rels = append(cr.rels, rel)
	}
	for i, el := range raw.Composition {
		row := jsonfile.Line(cr.lines.composition, i)
		var c Composition
		if err := jsonfile.Strict(el, &c); err != nil {
			field, e := jsonfile.ElementError(el, err, func() any { return &Composition{} })
			cr.out = append(cr.out, next{err: rowErr(row, "composition."+field, e)})
			continue
		}
		f.Composition = append(f.Composition, c)
		var err error
		switch {
		case c.Validate() != nil:
			err = rowErr(row, "composition", c.Validate())
		case len(c.Documents) == 0:
			err = rowErr(row, "composition.documents", vigil.Errorf(vigil.EINVALID, "a claim needs the documents that make it"))
		default:
			err = cites(c.Documents, row, "composition.documents")
		}
		if err != nil {
			cr.out = append(cr.out, next{err: err})
			continue
		}
		cr.comp = append(cr.comp, c)
	}
	return cr, nil
}

// nameOf returns the name an element gives, when it gives one as a string.
func nameOf(el json.RawMessage) string {
	var v struct {
		Name string `json:"name"`
	}
	json.Unmarshal(el, &v)
	return v.Name
}

// badReport returns the first report of a document element that does not
// decode, and the field that fails in it.
func badReport(el json.RawMessage) (int, string, bool) {
	var d struct {
		Reports []json.RawMessage `json:"reports"`
	}
	if json.Unmarshal(el, &d) != nil {
		return 0, "", false
	}
	for j, rep := range d.Reports {
		if jsonfile.Strict(rep, &vigil.Report{}) != nil {
			return j, jsonfile.BadField(rep, func() any { return &vigil.Report{} }), true
		}
	}
	return 0, "", false
}

// Relationships returns the relationships the case file asserts that
// hold: the type and dates valid, and every document cited one of the
// file's own that was read. The others are row errors that Next returns.
func (r *Reader) Relationships() ([]Relationship, error) { return r.rels, nil }

// Composition returns the composition claims the case file makes that
// hold: the kind, layer and dates valid, and every document cited one of
// the file's own that was read. The others are row errors that Next
// returns.
func (r *Reader) Composition() ([]Composition, error) { return r.comp, nil }

// Title returns the case file's title.
func (r *Reader) Title() string { return r.f.Title }

// Next returns the next record: a rejected source, then each document as
// an item or its row error (on the line the document starts on, or for a
// report's field the line the report starts on), then each rejected
// relationship and claim.
func (r *Reader) Next() (*vigil.Item, error) {
	if len(r.out) == 0 {
		return nil, io.EOF
	}
	n := r.out[0]
	r.out = r.out[1:]
	if n.it != nil && n.it.Source == nil && !r.sent[n.it.Document.Source] {
		// Each source goes out with the first of its documents read.
		n.it.Source, r.sent[n.it.Document.Source] = r.sources[n.it.Document.Source], true
	}
	return n.it, n.err
}

// item checks document i and makes its item.
func (r *Reader) item(i int, d Document, badSource map[string]int) (*vigil.Item, error) {
	fail := func(field string, err error) error {
		return &vigil.RowError{File: r.file, Row: jsonfile.Line(r.lines.documents, i), Field: field, Err: err}
	}
	src := r.sources[d.Source]
	if src == nil {
		if n, ok := badSource[d.Source]; ok {
			return nil, fail("source", vigil.Errorf(vigil.EINVALID, "%q was rejected (line %d)", d.Source, n))
		}
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
	for i2 := range d.Reports {
		rep := &d.Reports[i2]
		if rep.Key == "" {
			rep.Key = strconv.Itoa(i2)
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
			field := fmt.Sprintf("reports[%d]", i2)
			var fe *vigil.FieldError
			if errors.As(err, &fe) {
				field, err = field+"."+fe.Field, fe.Err
			}
			var reps []int
			if i < len(r.lines.reports) {
				reps = r.lines.reports[i]
			}
			return nil, &vigil.RowError{File: r.file, Row: jsonfile.Line(reps, i2), Field: field, Err: err}
		}
	}
	return &vigil.Item{Document: doc, Reports: d.Reports}, nil
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
	msg := jsonfile.Message(err)
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se): // Offset: the bytes read, the bad one last
		l, c := jsonfile.LineCol(data, se.Offset-1)
		return fmt.Sprintf("line %d, column %d: %s", l, c, msg)
	case errors.As(err, &te):
		l, c := jsonfile.LineCol(data, te.Offset-1)
		return fmt.Sprintf("line %d, column %d: %s", l, c, msg)
	}
	if path, off := locate(data); path != "" {
		l, _ := jsonfile.LineCol(data, off)
		return fmt.Sprintf("%s: %s (line %d)", path, msg, l)
	}
	return msg
}

// comma is ", field" of a field the element names, or "" for none.
func comma(field string) string {
	if field == "" {
		return ""
	}
	return ", " + field
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
			if jsonfile.Strict(raw, l.mk()) == nil {
				continue
			}
			path := fmt.Sprintf("%s[%d]", l.name, i)
			if l.name != "documents" {
				return path + comma(jsonfile.BadField(raw, l.mk)), at(raw)
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
				if jsonfile.Strict(rep, &vigil.Report{}) != nil {
					return path + fmt.Sprintf(", reports[%d]", j) + comma(jsonfile.BadField(rep, func() any { return &vigil.Report{} })), at(rep)
				}
			}
			return path + comma(jsonfile.BadField(raw, l.mk)), at(raw)
		}
	}
	if f := comma(jsonfile.BadField(data, func() any { return &File{} })); f != "" {
		return f[2:], at([]byte(strconv.Quote(f[2:])))
	}
	return "", 0
}
