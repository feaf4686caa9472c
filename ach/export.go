package ach

import (
	"encoding/csv"
	"fmt"
	"html/template"
	"io"
	"strconv"
	"strings"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/export"
)

// CellText writes a cell for tables and CSV: the rating, with the spread
// of the analysts' ratings when they differ ("I ±3").
func CellText(c Cell) string {
	s := string(c.Rating)
	if s == "" {
		s = "-"
	}
	if c.Disputed {
		s += fmt.Sprintf(" ±%d", c.Spread)
	}
	if c.Basis == "indicator" {
		s += " (ind)"
	}
	return s
}

// WriteCSV writes the scored matrix: one row per item (its id, title,
// source, weights, diagnosticity and its cell under each hypothesis),
// then rows of inconsistency, weighted inconsistency and rank. Text is
// written as it is unless o.SpreadsheetSafe, which guards every cell a
// spreadsheet would run as a formula (export.SpreadsheetSafe), as every
// CSV writer of vigil does.
func WriteCSV(w io.Writer, r *Result, o export.Options) error {
	cw := csv.NewWriter(w)
	write := func(row []string) error {
		if o.SpreadsheetSafe {
			for i, c := range row {
				row[i] = export.SpreadsheetSafe(c)
			}
		}
		return cw.Write(row)
	}
	head := []string{"evidence", "title", "source", "credibility_weight", "relevance", "weight", "diagnostic", "diagnosticity"}
	for _, h := range r.Hypotheses {
		head = append(head, h.ID)
	}
	if err := write(head); err != nil {
		return err
	}
	for i, it := range r.Items {
		row := []string{it.ID, it.Title, it.Source, string(it.CredibilityWeight), string(it.Relevance),
			ftoa(it.Weight), strconv.FormatBool(it.Diagnostic), ftoa(it.Diagnosticity)}
		for _, c := range r.Cells[i] {
			row = append(row, CellText(c))
		}
		if err := write(row); err != nil {
			return err
		}
	}
	for _, line := range []struct {
		name string
		val  func(HypothesisScore) string
	}{
		{"inconsistency", func(h HypothesisScore) string { return ftoa(h.Inconsistency) }},
		{"weighted_inconsistency", func(h HypothesisScore) string { return ftoa(h.Weighted) }},
		{"rank", func(h HypothesisScore) string { return strconv.Itoa(h.Rank) }},
	} {
		row := []string{line.name, "", "", "", "", "", "", ""}
		for _, h := range r.Hypotheses {
			row = append(row, line.val(h))
		}
		if err := write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// WriteHTML writes the scored case as one self-contained HTML page: the
// matrix with every rationale on hover, the scores, diagnosticity,
// sensitivity and warnings. Every piece of text is escaped by
// html/template.
func WriteHTML(w io.Writer, c *vigil.ACHCase, r *Result) error {
	return page.Execute(w, struct {
		Case   *vigil.ACHCase
		Result *Result
	}{c, r})
}

var page = template.Must(template.New("ach").Funcs(template.FuncMap{
	"cell":  CellText,
	"class": func(c Cell) string { return "r" + strings.ToLower(string(c.Rating)) },
	"analysts": func(c Cell) string {
		var parts []string
		for a, r := range c.Analysts {
			parts = append(parts, a+": "+string(r))
		}
		return strings.Join(parts, "; ")
	},
	"join": strings.Join,
}).Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ACH: {{.Case.Title}}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:1em 0}
th,td{border:1px solid #ccc;padding:.3em .5em;text-align:left;vertical-align:top}
td.c{text-align:center;font-weight:600}
.rcc{background:#b7e1b0}.rc{background:#dff1d9}.rn{background:#f4f4f4}.ri{background:#f8d7d3}.rii{background:#eea79f}.rna{color:#999}
.nd{color:#888}.warn{color:#8a4b00}
</style></head><body>
<h1>{{.Case.Title}}</h1>
{{with .Case.Question}}<p>{{.}}</p>{{end}}
<h2>Hypotheses, likeliest first</h2>
<table><tr><th>rank</th><th>hypothesis</th><th>inconsistency</th><th>weighted</th></tr>
{{range .Result.Hypotheses}}<tr><td>{{.Rank}}</td><td><b>{{.ID}}</b> {{.Title}}</td><td>{{.Inconsistency}}</td><td>{{.Weighted}}</td></tr>
{{end}}</table>
<h2>Matrix</h2>
<p>CC very consistent, C consistent, N neutral, I inconsistent, II very inconsistent, NA not applicable; ±n is the spread of the analysts' ratings; (ind) a rating computed from an indicator. Hover a cell for its rationale.</p>
<table><tr><th>evidence</th><th>source</th><th>weight</th>{{range .Result.Hypotheses}}<th>{{.ID}}</th>{{end}}</tr>
{{range $i, $it := .Result.Items}}<tr{{if not $it.Diagnostic}} class="nd"{{end}}><td><b>{{$it.ID}}</b> {{$it.Title}}{{with $it.Note}}<br><small>{{.}}</small>{{end}}</td><td>{{$it.Source}}</td><td>{{$it.Weight}}</td>
{{range index $.Result.Cells $i}}<td class="c {{class .}}" title="{{.Rationale}}{{with analysts .}} ({{.}}){{end}}">{{cell .}}</td>{{end}}</tr>
{{end}}</table>
<h2>Sensitivity</h2>
<table><tr><th>item</th><th>without it</th><th>its source deceptive</th></tr>
{{range .Result.Sensitivity}}<tr><td>{{.Evidence}}</td><td>{{join .DropOrder " > "}}{{if .DropTopChanges}} <b>top changes</b>{{else if .DropChanges}} (order changes){{end}}</td><td>{{join .DeceptiveOrder " > "}}{{if .DeceptiveTopChanges}} <b>top changes</b>{{else if .DeceptiveChanges}} (order changes){{end}}</td></tr>
{{end}}</table>
{{with .Result.Warnings}}<h2>Warnings</h2><ul>{{range .}}<li class="warn">{{.Message}}</li>{{end}}</ul>{{end}}
</body></html>
`))
