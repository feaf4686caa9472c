package ach

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/internal/jsonfile"
)

// A case file is the JSON of a vigil.ACHCase. Each hypothesis, item of
// evidence and rating in it is read alone: one that does not decode or
// validate (a date that is no date, a rating that is none of the six, a
// misspelt field, an id given twice) is a row error on the line it starts
// on, naming its field, and the others are kept. What points at a
// rejected element is rejected naming it and its line: the ratings of a
// rejected item or hypothesis, an indicator item whose ratings name a
// rejected hypothesis. Only a file that is no case (not JSON, not an
// object of these lists, a case id or title that does not validate) fails
// whole.

// RejectedError is the error ReadCase returns beside the case it read when
// it left elements of the file out: one row error each, in file order.
type RejectedError struct {
	File string
	Rows []*vigil.RowError
}

// Error says how many elements were rejected, and the first.
func (e *RejectedError) Error() string {
	if len(e.Rows) == 1 {
		return fmt.Sprintf("%s: 1 element rejected: %v", e.File, e.Rows[0])
	}
	return fmt.Sprintf("%s: %d elements rejected, the first: %v", e.File, len(e.Rows), e.Rows[0])
}

// Unwrap returns the row errors.
func (e *RejectedError) Unwrap() []error {
	errs := make([]error, len(e.Rows))
	for i, r := range e.Rows {
		errs[i] = r
	}
	return errs
}

// rawCase is a case file with its lists undecoded, so that each element
// is decoded, and rejected, alone.
type rawCase struct {
	ID         string            `json:"id"`
	Title      string            `json:"title"`
	Question   string            `json:"question,omitempty"`
	Notes      string            `json:"notes,omitempty"`
	CreatedBy  string            `json:"created_by,omitempty"`
	CreatedAt  time.Time         `json:"created_at,omitzero"`
	UpdatedAt  time.Time         `json:"updated_at,omitzero"`
	Hypotheses []json.RawMessage `json:"hypotheses"`
	Evidence   []json.RawMessage `json:"evidence"`
	Ratings    []json.RawMessage `json:"ratings"`
}

// ReadCase reads a case file (the JSON of a vigil.ACHCase); name names it
// in errors. Unknown fields are errors, so that a misspelt field is not
// lost. An element that does not decode or validate is left out of the
// case, and what points at it too: ReadCase then returns the case of the
// others and a *RejectedError listing them, each a *vigil.RowError
// "file:line: field: reason". A file that is no case file is an error
// (EINVALID) and no case.
func ReadCase(r io.Reader, name string) (*vigil.ACHCase, error) {
	data, err := jsonfile.Read(r, name)
	if err != nil {
		return nil, err
	}
	var raw rawCase
	if err := jsonfile.Strict(data, &raw); err != nil {
		return nil, vigil.Errorf(vigil.EINVALID, "%s: not a case file: %s", name, where(data, err))
	}
	c := &vigil.ACHCase{ID: raw.ID, Title: raw.Title, Question: raw.Question, Notes: raw.Notes,
		CreatedBy: raw.CreatedBy, CreatedAt: raw.CreatedAt, UpdatedAt: raw.UpdatedAt}
	// The case itself: without a valid id and title there is no case to
	// keep the rest in.
	if err := (&vigil.ACHCase{ID: c.ID, Title: c.Title}).Validate(); err != nil {
		field := "title"
		if !validID(c.ID) {
			field = "id"
		}
		return nil, &vigil.RowError{File: name, Row: jsonfile.KeyLine(data, field), Field: field, Err: err}
	}

	var rows []*vigil.RowError
	reject := func(row int, field string, err error) {
		rows = append(rows, &vigil.RowError{File: name, Row: row, Field: field, Err: err})
	}
	rejected := func(what, id string, line int) error {
		return vigil.Errorf(vigil.EINVALID, "%s %q was rejected (line %d)", what, id, line)
	}

	// Hypotheses: kept ones by id with their line, rejected ones by id
	// with theirs, for what names them.
	hyps, badHyp := map[string]int{}, map[string]int{}
	lines := jsonfile.ElementLines(data, "hypotheses")
	for i, el := range raw.Hypotheses {
		row := jsonfile.Line(lines, i)
		var h vigil.ACHHypothesis
		if err := jsonfile.Strict(el, &h); err != nil {
			field, e := jsonfile.ElementError(el, err, func() any { return &vigil.ACHHypothesis{} })
			reject(row, join("hypotheses", field), e)
			badHyp[idOf(el)] = row
			continue
		}
		var err error
		field := "hypotheses.id"
		if err = h.Validate(); err != nil {
			if validID(h.ID) {
				field = "hypotheses.title"
			}
		} else if n, ok := hyps[h.ID]; ok {
			err = vigil.Errorf(vigil.EINVALID, "hypothesis %q twice: first on line %d", h.ID, n)
		}
		if err != nil {
			reject(row, field, err)
			if _, ok := hyps[h.ID]; !ok {
				badHyp[h.ID] = row
			}
			continue
		}
		hyps[h.ID] = row
		c.Hypotheses = append(c.Hypotheses, h)
	}
	// hypothesis checks that id names a kept hypothesis.
	hypothesis := func(id string) error {
		if _, ok := hyps[id]; ok {
			return nil
		}
		if n, ok := badHyp[id]; ok {
			return rejected("hypothesis", id, n)
		}
		return vigil.Errorf(vigil.EINVALID, "unknown hypothesis %q", id)
	}

	// Evidence, likewise.
	items, badItem := map[string]int{}, map[string]int{}
	lines = jsonfile.ElementLines(data, "evidence")
	for i, el := range raw.Evidence {
		row := jsonfile.Line(lines, i)
		var e vigil.ACHEvidence
		if err := jsonfile.Strict(el, &e); err != nil {
			field, err := jsonfile.ElementError(el, err, func() any { return &vigil.ACHEvidence{} })
			if field == "indicator" {
				var v struct {
					Indicator json.RawMessage `json:"indicator"`
				}
				json.Unmarshal(el, &v)
				if f, _ := jsonfile.ElementError(v.Indicator, err, func() any { return &vigil.ACHIndicator{} }); f != "" {
					field += "." + f
				}
			}
			reject(row, join("evidence", field), err)
			badItem[idOf(el)] = row
			continue
		}
		field, err := checkEvidence(&e, hypothesis)
		if err == nil {
			if n, ok := items[e.ID]; ok {
				field, err = "id", vigil.Errorf(vigil.EINVALID, "evidence %q twice: first on line %d", e.ID, n)
			}
		}
		if err != nil {
			reject(row, join("evidence", field), err)
			if _, ok := items[e.ID]; !ok {
				badItem[e.ID] = row
			}
			continue
		}
		items[e.ID] = row
		c.Evidence = append(c.Evidence, e)
	}

	// Ratings point at an item and a hypothesis.
	lines = jsonfile.ElementLines(data, "ratings")
	for i, el := range raw.Ratings {
		row := jsonfile.Line(lines, i)
		var r vigil.ACHRatingEntry
		if err := jsonfile.Strict(el, &r); err != nil {
			field, e := jsonfile.ElementError(el, err, func() any { return &vigil.ACHRatingEntry{} })
			reject(row, join("ratings", field), e)
			continue
		}
		var field string
		err := r.Validate()
		switch {
		case err == nil:
		case r.Evidence == "":
			field = "evidence"
		case r.Hypothesis == "":
			field = "hypothesis"
		case r.Analyst == "":
			field = "analyst"
		case !r.Rating.Valid():
			field = "rating"
		}
		if err == nil {
			if _, ok := items[r.Evidence]; !ok {
				field, err = "evidence", vigil.Errorf(vigil.EINVALID, "unknown evidence %q", r.Evidence)
				if n, ok := badItem[r.Evidence]; ok {
					err = rejected("evidence", r.Evidence, n)
				}
			} else if e := hypothesis(r.Hypothesis); e != nil {
				field, err = "hypothesis", e
			}
		}
		if err != nil {
			reject(row, join("ratings", field), err)
			continue
		}
		c.Ratings = append(c.Ratings, r)
	}

	// What is kept validates as a case; this holds unless the checks
	// above fell behind vigil.ACHCase.Validate.
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(rows) > 0 {
		return c, &RejectedError{File: name, Rows: rows}
	}
	return c, nil
}

// checkEvidence validates an item, and that the hypotheses its indicator
// rates are the case's, and names the field that fails.
func checkEvidence(e *vigil.ACHEvidence, hypothesis func(string) error) (string, error) {
	if err := e.Validate(); err != nil {
		return evidenceField(e), err
	}
	if in := e.Indicator; in != nil {
		for _, m := range []struct {
			field   string
			ratings map[string]vigil.ACHRating
		}{{"indicator.if_met", in.IfMet}, {"indicator.if_not_met", in.IfNotMet}} {
			ids := make([]string, 0, len(m.ratings))
			for h := range m.ratings {
				ids = append(ids, h)
			}
			slices.Sort(ids)
			for _, h := range ids {
				if err := hypothesis(h); err != nil {
					return m.field, vigil.Errorf(vigil.EINVALID, "evidence %q: %s", e.ID, vigil.ErrorMessage(err))
				}
			}
		}
	}
	return "", nil
}

// evidenceField names the field of an item that vigil.ACHEvidence.Validate
// refuses, in the order it checks them.
func evidenceField(e *vigil.ACHEvidence) string {
	switch {
	case !validID(e.ID):
		return "id"
	case e.Title == "":
		return "title"
	case !e.CredibilityWeight.Valid():
		return "credibility_weight"
	case !e.Relevance.Valid():
		return "relevance"
	case e.Credibility != 0 && !e.Credibility.Valid():
		return "credibility"
	}
	switch e.Kind {
	case vigil.EvidenceDocument, vigil.EvidenceReport, vigil.EvidenceEvent:
		if e.Ref == "" {
			return "ref"
		}
		return "indicator"
	case vigil.EvidenceStatement:
		if e.Source == "" {
			return "source"
		}
		return "indicator"
	case vigil.EvidenceIndicator:
		in := e.Indicator
		switch {
		case in == nil:
			return "indicator"
		case !slices.Contains(vigil.ACHMetrics, in.Metric):
			return "indicator.metric"
		case !slices.Contains([]string{">=", ">", "<=", "<", "=="}, in.Op):
			return "indicator.op"
		case in.Months < 0:
			return "indicator.months"
		case in.Months > 0 && !in.From.IsZero():
			return "indicator.from"
		case !in.From.IsZero() && !in.To.IsZero() && in.To.Before(in.From):
			return "indicator.to"
		case in.Metric == "outside_home_share" && len(in.Home) == 0:
			return "indicator.home"
		case len(in.IfMet) == 0 && len(in.IfNotMet) == 0:
			return "indicator"
		}
		for _, r := range in.IfMet {
			if !r.Valid() {
				return "indicator.if_met"
			}
		}
		return "indicator.if_not_met"
	}
	return "kind"
}

// validID reports whether id is a valid case, hypothesis or item id.
func validID(id string) bool {
	return (&vigil.ACHHypothesis{ID: id, Title: "t"}).Validate() == nil
}

// join names a field of a list: "ratings.rating", or the list alone.
func join(list, field string) string {
	if field == "" {
		return list
	}
	return list + "." + field
}

// idOf returns the id an element gives, when it gives one as a string.
func idOf(el json.RawMessage) string {
	var v struct {
		ID string `json:"id"`
	}
	json.Unmarshal(el, &v)
	return v.ID
}

// where says where in data a decoding error is: the line and column of a
// syntax or type error, the line of an unknown top-level field.
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
		if te.Field == "" {
			return fmt.Sprintf("line %d, column %d: a JSON %s, want an object (the case)", l, c, te.Value)
		}
		want := "a string"
		if te.Type.Kind() == reflect.Slice {
			want = "a list"
		}
		return fmt.Sprintf("line %d, column %d: %s: a JSON %s, want %s", l, c, te.Field, te.Value, want)
	}
	if k, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		if key, err := jsonUnquote(k); err == nil {
			return fmt.Sprintf("line %d: %s", jsonfile.KeyLine(data, key), msg)
		}
	}
	if f := jsonfile.BadField(data, func() any { return &rawCase{} }); f != "" {
		return fmt.Sprintf("line %d: %s: %s", jsonfile.KeyLine(data, f), f, msg)
	}
	return msg
}

func jsonUnquote(s string) (string, error) {
	var v string
	err := json.Unmarshal([]byte(s), &v)
	return v, err
}
