// Package brief writes a self-contained report of indicators, as HTML or
// Markdown: charts and a map drawn here (SVG), the tables, the warnings,
// and for every number a link to the events under it and their sources,
// so that a reader can check it line by line.
package brief

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"strconv"
	"strings"
	texttemplate "text/template"
	"time"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/analysis"
)

// Input is what a brief reports.
type Input struct {
	Title     string
	Selection string // the selection in words
	Command   string // the command line that makes the brief again
	Generated time.Time
	Ind       *analysis.Indicators
	// Comparison and its side's label, optional.
	Comparison *analysis.Comparison
	// Events holds the events the appendix shows in full, with their
	// sources; events left out are listed by id only.
	Events map[int64]*vigil.Event
	// Omitted says why some events are not in Events, if any are not.
	Omitted string
	// Map is the map's SVG (see Map), or nil.
	Map []byte
	// IDLimit caps the ids listed under one figure; 0 means 400.
	IDLimit int
}

// figures are the rendered charts.
type figures struct {
	Tempo, Spread, Targets, Map []byte
}

func (in *Input) charts() (figures, error) {
	var f figures
	var err error
	if len(in.Ind.Periods) == 0 {
		return f, nil
	}
	if f.Tempo, err = TempoChart(in.Ind); err != nil {
		return f, err
	}
	if f.Spread, err = SpreadChart(in.Ind); err != nil {
		return f, err
	}
	if f.Targets, err = TargetsChart(in.Ind); err != nil {
		return f, err
	}
	f.Map = in.Map
	return f, nil
}

// view is what the templates read.
type view struct {
	*Input
	Fig                    figures
	Tempo, Spread, Targets template.HTML
	MapSVG                 template.HTML
	Periods                []analysis.Period
	EventList              []*vigil.Event
}

// HTML writes the brief as one HTML file with its charts inline.
func HTML(w io.Writer, in *Input) error {
	v, err := newView(in)
	if err != nil {
		return err
	}
	// The SVGs are drawn by this package and gonum/plot, which escape
	// every text they hold; nothing else is trusted.
	v.Tempo, v.Spread, v.Targets, v.MapSVG = template.HTML(v.Fig.Tempo), template.HTML(v.Fig.Spread), template.HTML(v.Fig.Targets), template.HTML(v.Fig.Map)
	if err := htmlTmpl.Execute(w, v); err != nil {
		return fmt.Errorf("brief: %w", err)
	}
	return nil
}

// Markdown writes the brief as Markdown, its charts as SVG data URIs.
func Markdown(w io.Writer, in *Input) error {
	v, err := newView(in)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := mdTmpl.Execute(&b, v); err != nil {
		return fmt.Errorf("brief: %w", err)
	}
	_, err = w.Write(b.Bytes())
	return err
}

func newView(in *Input) (*view, error) {
	if in.IDLimit == 0 {
		in.IDLimit = 400
	}
	f, err := in.charts()
	if err != nil {
		return nil, err
	}
	v := &view{Input: in, Fig: f, Periods: append(append([]analysis.Period{}, in.Ind.Periods...), in.Ind.Total)}
	for _, id := range in.Ind.Total.EventIDs {
		if e := in.Events[id]; e != nil {
			v.EventList = append(v.EventList, e)
		}
	}
	return v, nil
}

var funcs = template.FuncMap{
	"anchor": func(period string) string { return "p-" + period },
	"pct":    func(v float64) string { return strconv.FormatFloat(100*v, 'f', 0, 64) + "%" },
	"f0":     func(v float64) string { return strconv.FormatFloat(v, 'f', 0, 64) },
	"f1":     func(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) },
	"f2":     func(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) },
	"g3":     func(v float64) string { return strconv.FormatFloat(v, 'g', 3, 64) },
	"sum":    sumText,
	"rng":    func(r vigil.Range) string { return r.String() },
	"first": func(ids []int64, n int) []int64 {
		if len(ids) > n {
			return ids[:n]
		}
		return ids
	},
	"more": func(ids []int64, n int) int { return max(0, len(ids)-n) },
	"firstCounts": func(cs []analysis.Count, n int) []analysis.Count {
		if len(cs) > n {
			return cs[:n]
		}
		return cs
	},
	"moreCounts": func(cs []analysis.Count, n int) int { return max(0, len(cs)-n) },
	"dataURI": func(svg []byte) string {
		return "data:image/svg+xml;base64," + base64.StdEncoding.EncodeToString(svg)
	},
	"md":   mdEscape,
	"date": func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 MST") },
	"entries": func(es []analysis.Entry) []analysis.Entry {
		return es
	},
	"has": func(m map[int64]*vigil.Event, id int64) bool { return m[id] != nil },
}

func sumText(s analysis.Sum) string {
	if s.Known == 0 {
		if s.Unknown > 0 {
			return "unknown"
		}
		return "0"
	}
	t := strconv.Itoa(s.Best)
	if s.Low != s.Best || s.High != s.Best {
		t += " (" + strconv.Itoa(s.Low) + "–" + strconv.Itoa(s.High) + ")"
	}
	if s.Unknown > 0 {
		t += " + " + strconv.Itoa(s.Unknown) + " unknown"
	}
	return t
}

// mdEscape escapes Markdown's inline syntax and HTML in untrusted text.
func mdEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\', '`', '*', '_', '{', '}', '[', ']', '(', ')', '#', '+', '!', '|', '<', '>', '&':
			b.WriteString(fmt.Sprintf("&#%d;", r))
		case '\n', '\r':
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

var htmlTmpl = template.Must(template.New("brief").Funcs(funcs).Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
h1{font-size:1.6em}h2{margin-top:2em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;font-size:12px;margin:1em 0}
td,th{border:1px solid #ddd;padding:2px 6px;text-align:right;vertical-align:top}
th{background:#f4f4f4}td.l,th.l{text-align:left}
tr.total td{font-weight:bold;background:#fafafa}
.warn{background:#fff4e5;border-left:4px solid #e69f00;padding:.5em 1em;margin:.5em 0}
.ids{font-family:monospace;font-size:11px;word-break:break-all}
.note{color:#555;font-size:12px}
figure{margin:1em 0}figure svg{width:100%;max-width:900px;height:auto}
a{color:#0063a6}
:target{background:#ffffcc}
</style></head><body>
<h1>{{.Title}}</h1>
<p><b>Selection:</b> {{.Selection}}. <b>By</b> {{.Ind.By}}, {{.Ind.From}} to {{.Ind.To}}.
{{- if .Ind.Home}} <b>Home area:</b> {{range $i, $h := .Ind.Home}}{{if $i}}, {{end}}{{$h}}{{end}}.{{end}}</p>
<p class="note">Generated {{date .Generated}} by <code>{{.Command}}</code>. Every number links to the events under it; every event lists its sources and their grades. <code>vigil events show ID</code> shows any event with each of its reports.</p>

<h2 id="summary">Summary</h2>
<ul>
<li><a href="#p-total">{{.Ind.Total.Events}} events</a>; killed {{sum .Ind.Total.Killed}}; wounded {{sum .Ind.Total.Wounded}}; {{f1 .Ind.Total.Lethality.Best}} killed per event of known toll.</li>
<li>{{.Ind.Total.Countries}} countries and {{.Ind.Total.Admin1Units}} admin-1 units struck; <a href="#new">{{len .Ind.Total.NewAdmin1Units}} units entered for the first time</a>{{if .Ind.History}} (after {{.Ind.History}} earlier events){{end}}.</li>
{{- with .Ind.Total.OutsideHome}}
<li><a href="#p-total-out">{{pct .Share}} of events outside the home area</a> ({{if ne .Low .High}}95% bootstrap {{pct .Low}}–{{pct .High}}; {{end}}{{.N}} of {{.Of}}).</li>{{end}}
{{- with .Ind.Total.Farthest}}
<li>Farthest from home: <a href="#e-{{.EventID}}">event {{.EventID}}</a>, {{f0 .Km}} km away ({{.Country}} {{.Admin1}}).</li>{{end}}
{{- range .Ind.Trends}}
<li>Trend of <b>{{.Series}}</b>: {{.Reading}} (quasi-Poisson p={{g3 .P}}, dispersion {{f1 .Dispersion}}; Mann–Kendall τ={{f2 .KendallTau}}, p={{g3 .KendallP}}).</li>{{end}}
{{- range .Ind.ChangePoints}}
<li>Change in <b>{{.Series}}</b> from <a href="#{{anchor .Period}}">{{.Period}}</a>: {{f1 .MeanBefore}} a period ({{.Before}}) → {{f1 .MeanAfter}} ({{.After}}); statistic {{f1 .Statistic}} &gt; threshold {{f1 .Threshold}}.</li>{{end}}
</ul>

{{if .Ind.Warnings}}<h2 id="warnings">Warnings</h2>
{{range .Ind.Warnings}}<div class="warn"><b>{{.Kind}}</b>: {{.Message}}{{if .Periods}}<br><span class="note">{{range $i, $p := .Periods}}{{if $i}} {{end}}<a href="#{{anchor $p}}">{{$p}}</a>{{end}}</span>{{end}}</div>
{{end}}{{end}}

{{with .Comparison}}<h2 id="comparison">Comparison</h2>
<table><tr><th class="l"></th><th class="l">selection</th><th>days</th><th>events</th><th>killed</th><th>countries</th><th>admin-1 units</th></tr>
<tr><td class="l">A</td><td class="l">{{.A.Label}}</td><td>{{.A.Days}}</td><td>{{.A.Total.Events}}</td><td>{{sum .A.Total.Killed}}</td><td>{{.A.Total.Countries}}</td><td>{{.A.Total.Admin1Units}}</td></tr>
<tr><td class="l">B</td><td class="l">{{.B.Label}}</td><td>{{.B.Days}}</td><td>{{.B.Total.Events}}</td><td>{{sum .B.Total.Killed}}</td><td>{{.B.Total.Countries}}</td><td>{{.B.Total.Admin1Units}}</td></tr></table>
{{if .EventRate.OK}}<p>Event rate B/A: {{f2 .EventRate.Ratio}} (exact 95% interval {{f2 .EventRate.Low}}–{{f2 .EventRate.High}}, p={{g3 .EventRate.P}}).</p>{{end}}
<p>Admin-1 units only in A: {{range .Admin1OnlyA}}{{.}}; {{end}}<br>Admin-1 units only in B: {{range .Admin1OnlyB}}{{.}}; {{end}}</p>
<p class="note">Events only in A: <span class="ids">{{range .EventsOnlyA}}{{.}} {{end}}</span><br>Events only in B: <span class="ids">{{range .EventsOnlyB}}{{.}} {{end}}</span></p>
{{end}}

<h2 id="charts">Charts</h2>
{{if .Tempo}}<figure>{{.Tempo}}</figure>{{end}}
{{if .Spread}}<figure>{{.Spread}}</figure>{{end}}
{{if .Targets}}<figure>{{.Targets}}</figure>{{else}}<p class="note">No event has target types: there is no target chart.</p>{{end}}
{{if .MapSVG}}<h2 id="map">Map</h2><figure>{{.MapSVG}}</figure>{{end}}

<h2 id="table">Indicators by {{.Ind.By}}</h2>
<table><tr><th class="l">period</th><th>events</th><th>killed best (low–high)</th><th>wounded</th><th>killed / event</th><th>countries</th><th>admin-1</th><th>new admin-1</th><th>outside home</th><th>centroid</th><th>drift km</th><th>std. distance km</th><th>farthest km</th><th>target entropy</th></tr>
{{range .Periods}}{{$a := anchor .Period}}<tr{{if eq .Period "total"}} class="total"{{end}}><td class="l"><a href="#{{$a}}">{{.Period}}</a></td>
<td><a href="#{{$a}}">{{.Events}}</a></td><td><a href="#{{$a}}">{{sum .Killed}}</a></td><td><a href="#{{$a}}">{{sum .Wounded}}</a></td><td>{{f1 .Lethality.Best}}</td>
<td><a href="#{{$a}}-units">{{.Countries}}</a></td><td><a href="#{{$a}}-units">{{.Admin1Units}}</a></td>
<td class="l">{{range .NewAdmin1Units}}<a href="#e-{{.EventID}}">{{.Key}}</a> {{end}}</td>
<td>{{with .OutsideHome}}{{if .Of}}<a href="#{{$a}}-out">{{pct .Share}}</a>{{if ne .Low .High}} <span class="note">({{pct .Low}}–{{pct .High}})</span>{{end}}{{end}}{{end}}</td>
<td>{{with .Centroid}}{{f2 .Latitude}}, {{f2 .Longitude}} <span class="note">±{{f0 .RadiusKm}} km</span>{{end}}</td>
<td>{{with .DriftKm}}{{f0 .Value}}{{if ne .Low .High}} <span class="note">({{f0 .Low}}–{{f0 .High}})</span>{{end}}{{end}}</td>
<td>{{with .StandardDistanceKm}}{{f0 .Value}}{{if ne .Low .High}} <span class="note">({{f0 .Low}}–{{f0 .High}})</span>{{end}}{{end}}</td>
<td>{{with .Farthest}}<a href="#e-{{.EventID}}">{{f0 .Km}}</a>{{end}}</td>
<td>{{if .TargetsKnown}}{{f2 .TargetEntropy}}{{with .TargetEntropyCI}} <span class="note">({{f2 .Low}}–{{f2 .High}})</span>{{end}}{{end}}</td></tr>
{{end}}</table>

{{if .Ind.Total.Targets}}<h2 id="targets">Targets</h2>
<table><tr><th class="l">target type</th><th>weight</th><th>share</th><th class="l">events</th></tr>
{{range .Ind.Total.Targets}}<tr><td class="l">{{.Type}}</td><td>{{f1 .Weight}}</td><td>{{pct .Share}}</td><td class="l ids">{{range first .EventIDs $.IDLimit}}<a href="#e-{{.}}">{{.}}</a> {{end}}{{with more .EventIDs $.IDLimit}}… and {{.}} more{{end}}</td></tr>
{{end}}</table>{{end}}

<h2 id="new">Units entered for the first time</h2>
{{if .Ind.Total.NewAdmin1Units}}<table><tr><th class="l">date</th><th class="l">country</th><th class="l">admin-1</th><th class="l">first event</th></tr>
{{range .Ind.Total.NewAdmin1Units}}<tr><td class="l">{{.Date}}</td><td class="l">{{.Country}}</td><td class="l">{{.Key}}{{if and .Name (ne .Name .Key)}} ({{.Name}}){{end}}</td><td class="l"><a href="#e-{{.EventID}}">event {{.EventID}}</a></td></tr>
{{end}}</table>{{else}}<p>None.</p>{{end}}
{{if .Ind.Total.NewCountries}}<p>Countries entered: {{range .Ind.Total.NewCountries}}<b>{{.Key}}</b> on {{.Date}} (<a href="#e-{{.EventID}}">event {{.EventID}}</a>); {{end}}</p>{{end}}

<h2 id="evidence">The events under each figure</h2>
{{range .Periods}}{{$a := anchor .Period}}{{if .Events}}<div id="{{$a}}"><h3>{{.Period}}</h3>
<p>{{.Events}} events: <span class="ids">{{range first .EventIDs $.IDLimit}}<a href="#e-{{.}}">{{.}}</a> {{end}}{{with more .EventIDs $.IDLimit}}… and {{.}} more (all in <code>vigil indicators --format json</code>){{end}}</span></p>
<p id="{{$a}}-units">By country: {{range .CountryList}}{{.Key}}: {{.Events}}; {{end}}<br>By admin-1 unit: {{range firstCounts .Admin1List 40}}{{.Key}} ({{.Country}}): {{.Events}} — <span class="ids">{{range first .EventIDs 20}}<a href="#e-{{.}}">{{.}}</a> {{end}}{{with more .EventIDs 20}}… +{{.}}{{end}}</span>; {{end}}{{with moreCounts .Admin1List 40}}… and {{.}} more units (all in <code>vigil indicators --format json</code>){{end}}</p>
{{with .OutsideHome}}<p id="{{$a}}-out">Outside the home area: {{.N}} of {{.Of}}: <span class="ids">{{range first .EventIDs $.IDLimit}}<a href="#e-{{.}}">{{.}}</a> {{end}}{{with more .EventIDs $.IDLimit}}… and {{.}} more{{end}}</span></p>{{end}}
</div>{{end}}{{end}}

<h2 id="events">Events and their sources</h2>
{{if .Omitted}}<p class="note">{{.Omitted}}</p>{{end}}
<table><tr><th class="l">id</th><th class="l">date</th><th class="l">place</th><th class="l">type</th><th>killed</th><th>wounded</th><th class="l">actors</th><th class="l">sources (reliability)</th><th class="l">contradictions</th></tr>
{{range .EventList}}<tr id="e-{{.ID}}"><td class="l">{{.ID}}</td><td class="l">{{.DateStart}}{{if ne .DateStart .DateEnd}}–{{.DateEnd}}{{end}}</td>
<td class="l">{{.Place.Name}}{{if .Admin2}}, {{.Admin2}}{{end}}{{if .Admin1Name}}, {{.Admin1Name}}{{end}} {{.Country}}</td><td class="l">{{.EventType}}</td>
<td>{{rng .Killed}}</td><td>{{rng .Wounded}}</td>
<td class="l">{{range .Actors}}{{.Name}} <span class="note">({{.Role}}, {{.Attribution}})</span>; {{end}}</td>
<td class="l">{{range .Sources}}{{.Name}} ({{.Reliability}}); {{end}}</td>
<td class="l">{{range .Contradictions}}{{.Kind}}: {{.Description}}; {{end}}</td></tr>
{{end}}</table>
</body></html>
`))

var mdTmpl = texttemplate.Must(texttemplate.New("md").Funcs(texttemplate.FuncMap(funcs)).Parse(`# {{md .Title}}

**Selection:** {{md .Selection}}. **By** {{.Ind.By}}, {{.Ind.From}} to {{.Ind.To}}.{{if .Ind.Home}} **Home area:** {{range $i, $h := .Ind.Home}}{{if $i}}, {{end}}{{md $h}}{{end}}.{{end}}

Generated {{date .Generated}} by: {{md .Command}}. Every number links to the events under it; every event lists its sources and their grades.

## Summary

- [{{.Ind.Total.Events}} events](#p-total); killed {{sum .Ind.Total.Killed}}; wounded {{sum .Ind.Total.Wounded}}; {{f1 .Ind.Total.Lethality.Best}} killed per event of known toll.
- {{.Ind.Total.Countries}} countries and {{.Ind.Total.Admin1Units}} admin-1 units struck; [{{len .Ind.Total.NewAdmin1Units}} units entered for the first time](#new).
{{- with .Ind.Total.OutsideHome}}
- [{{pct .Share}} of events outside the home area](#p-total) ({{if ne .Low .High}}95% bootstrap {{pct .Low}}–{{pct .High}}; {{end}}{{.N}} of {{.Of}}).{{end}}
{{- with .Ind.Total.Farthest}}
- Farthest from home: [event {{.EventID}}](#e-{{.EventID}}), {{f0 .Km}} km away ({{md .Country}} {{md .Admin1}}).{{end}}
{{- range .Ind.Trends}}
- Trend of **{{.Series}}**: {{.Reading}} (quasi-Poisson p={{g3 .P}}; Mann–Kendall τ={{f2 .KendallTau}}, p={{g3 .KendallP}}).{{end}}
{{- range .Ind.ChangePoints}}
- Change in **{{.Series}}** from {{.Period}}: {{f1 .MeanBefore}} a period ({{.Before}}) → {{f1 .MeanAfter}} ({{.After}}); statistic {{f1 .Statistic}} > {{f1 .Threshold}}.{{end}}
{{if .Ind.Warnings}}
## Warnings
{{range .Ind.Warnings}}
- **{{.Kind}}**: {{md .Message}}{{if .Periods}} ({{range $i, $p := .Periods}}{{if $i}} {{end}}{{$p}}{{end}}){{end}}{{end}}
{{end}}
## Charts
{{if .Fig.Tempo}}
![Tempo]({{dataURI .Fig.Tempo}}){{end}}
{{if .Fig.Spread}}
![Spread]({{dataURI .Fig.Spread}}){{end}}
{{if .Fig.Targets}}
![Targets]({{dataURI .Fig.Targets}}){{end}}
{{if .Fig.Map}}
![Map]({{dataURI .Fig.Map}}){{end}}

## Indicators by {{.Ind.By}}

| period | events | killed best (low–high) | wounded | countries | admin-1 | new admin-1 | outside home | drift km | std. distance km | target entropy |
|---|---|---|---|---|---|---|---|---|---|---|
{{range .Periods}}| <a id="p-{{.Period}}"></a>{{.Period}} | {{.Events}} | {{sum .Killed}} | {{sum .Wounded}} | {{.Countries}} | {{.Admin1Units}} | {{range .NewAdmin1Units}}[{{md .Key}}](#e-{{.EventID}}) {{end}} | {{with .OutsideHome}}{{if .Of}}{{pct .Share}}{{if ne .Low .High}} ({{pct .Low}}–{{pct .High}}){{end}}{{end}}{{end}} | {{with .DriftKm}}{{f0 .Value}}{{if ne .Low .High}} ({{f0 .Low}}–{{f0 .High}}){{end}}{{end}} | {{with .StandardDistanceKm}}{{f0 .Value}}{{if ne .Low .High}} ({{f0 .Low}}–{{f0 .High}}){{end}}{{end}} | {{if .TargetsKnown}}{{f2 .TargetEntropy}}{{end}} |
{{end}}
<a id="new"></a>
## The events under each figure
{{range .Periods}}{{if .Events}}
**{{.Period}}** — {{.Events}} events: {{range first .EventIDs $.IDLimit}}[{{.}}](#e-{{.}}) {{end}}{{with more .EventIDs $.IDLimit}}… and {{.}} more{{end}}{{with .NewAdmin1Units}}; first entries: {{range .}}{{md .Key}} by [event {{.EventID}}](#e-{{.EventID}}) on {{.Date}}; {{end}}{{end}}{{with .OutsideHome}}{{if .N}}; outside home: {{range first .EventIDs $.IDLimit}}[{{.}}](#e-{{.}}) {{end}}{{end}}{{end}}
{{end}}{{end}}
## Events and their sources
{{if .Omitted}}
{{md .Omitted}}
{{end}}
| id | date | place | type | killed | wounded | sources (reliability) | contradictions |
|---|---|---|---|---|---|---|---|
{{range .EventList}}| <a id="e-{{.ID}}"></a>{{.ID}} | {{.DateStart}} | {{md .Place.Name}}{{if .Admin1Name}}, {{md .Admin1Name}}{{end}} {{md .Country}} | {{md (print .EventType)}} | {{rng .Killed}} | {{rng .Wounded}} | {{range .Sources}}{{md .Name}} ({{.Reliability}}); {{end}} | {{range .Contradictions}}{{md (print .Kind)}}: {{md .Description}}; {{end}} |
{{end}}`))
