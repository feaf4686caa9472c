package link

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/actors"
	"github.com/vigil-osint/vigil/ingest/casefile"
)

// Gold is a labelled set of reports: a case file whose reports' event_key
// is the true event, read with the keys taken off so that linkage sees
// the reports alone.
type Gold struct {
	Title   string
	Records []Record
	// Labels holds each record's true event key.
	Labels []string
	// Reports holds the reports as read, by record index, for display.
	Reports []vigil.LinkRecord
}

// ReadGold reads a gold set in case-file form. Every report must carry an
// event_key (EINVALID otherwise). dict, when not nil, resolves actor names
// as an import would.
func ReadGold(r io.Reader, name string, dict *actors.Dictionary) (*Gold, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var f casefile.File
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, vigil.Errorf(vigil.EINVALID, "%s: not a case file: %v", name, err)
	}
	g, err := goldFromFile(&f, name, dict)
	var re *vigil.RowError
	if errors.As(err, &re) {
		// Name the line the document or report starts on, as import case
		// does, not the document's position.
		docs, reps := casefile.Lines(data)
		di := re.Row - 1
		re.Row = casefile.Line(docs, di)
		var ri int
		if _, err := fmt.Sscanf(re.Field, "reports[%d]", &ri); err == nil && di < len(reps) {
			re.Row = casefile.Line(reps[di], ri)
		}
	}
	return g, err
}

// goldFromFile reads a gold set from a parsed case file. Its row errors
// count documents from 1.
func goldFromFile(f *casefile.File, name string, dict *actors.Dictionary) (*Gold, error) {
	srcs := map[string]*vigil.Source{}
	for i := range f.Sources {
		s := &f.Sources[i]
		if err := s.Validate(); err != nil {
			return nil, fmt.Errorf("link: %s: %w", name, err)
		}
		s.ID = int64(i + 1)
		srcs[s.Name] = s
	}
	g := &Gold{Title: f.Title}
	var id int64
	for di, d := range f.Documents {
		src := srcs[d.Source]
		if src == nil {
			return nil, &vigil.RowError{File: name, Row: di + 1, Field: "source", Err: vigil.Errorf(vigil.EINVALID, "%q is not among the sources", d.Source)}
		}
		for ri := range d.Reports {
			rep := d.Reports[ri]
			if rep.EventKey == "" {
				return nil, &vigil.RowError{File: name, Row: di + 1, Field: fmt.Sprintf("reports[%d].event_key", ri), Err: vigil.Errorf(vigil.EINVALID, "a gold report needs its true event key")}
			}
			if rep.DateEnd.IsZero() {
				rep.DateEnd = rep.DateStart
			}
			if dict != nil {
				dict.Apply(&rep)
			}
			if err := rep.Validate(); err != nil {
				field := fmt.Sprintf("reports[%d]", ri)
				var fe *vigil.FieldError
				if errors.As(err, &fe) {
					field, err = field+"."+fe.Field, fe.Err
				}
				return nil, &vigil.RowError{File: name, Row: di + 1, Field: field, Err: err}
			}
			id++
			label := rep.EventKey
			rep.EventKey, rep.ID, rep.DocumentID = "", id, int64(di+1)
			lr := vigil.LinkRecord{Report: rep, Source: src}
			rec := NewRecord(&lr)
			rec.New = true
			g.Records = append(g.Records, rec)
			g.Labels = append(g.Labels, label)
			g.Reports = append(g.Reports, lr)
		}
	}
	return g, nil
}

// PRF is precision, recall and F1.
type PRF struct {
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
}

func prf(p, r float64) PRF {
	f := 0.0
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return PRF{p, r, f}
}

// Metrics compares a linkage with the gold grouping.
type Metrics struct {
	Reports    int `json:"reports"`
	GoldEvents int `json:"gold_events"`
	Events     int `json:"events"`
	// Pairwise counts pairs of reports put in one event; BCubed averages
	// each report's share of its event that is right (Bagga and Baldwin).
	Pairwise PRF `json:"pairwise"`
	BCubed   PRF `json:"bcubed"`
}

// Evaluate compares predicted groups with gold labels, item by item.
func Evaluate[G, P comparable](gold []G, pred []P) Metrics {
	type cell struct {
		g G
		p P
	}
	gs, ps, cs := map[G]int{}, map[P]int{}, map[cell]int{}
	for i := range gold {
		gs[gold[i]]++
		ps[pred[i]]++
		cs[cell{gold[i], pred[i]}]++
	}
	m := Metrics{Reports: len(gold), GoldEvents: len(gs), Events: len(ps)}
	pairs := func(n int) float64 { return float64(n) * float64(n-1) / 2 }
	var tp, gp, pp float64
	for _, n := range cs {
		tp += pairs(n)
	}
	for _, n := range gs {
		gp += pairs(n)
	}
	for _, n := range ps {
		pp += pairs(n)
	}
	p, r := 1.0, 1.0
	if pp > 0 {
		p = tp / pp
	}
	if gp > 0 {
		r = tp / gp
	}
	m.Pairwise = prf(p, r)
	var bp, br float64
	for i := range gold {
		n := float64(cs[cell{gold[i], pred[i]}])
		bp += n / float64(ps[pred[i]])
		br += n / float64(gs[gold[i]])
	}
	if len(gold) > 0 {
		m.BCubed = prf(bp/float64(len(gold)), br/float64(len(gold)))
	}
	return m
}
