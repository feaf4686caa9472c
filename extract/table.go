package extract

import (
	"slices"
	"strings"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/ingest/wikilist"
)

// A table in a text is a run of lines with two cell separators or more:
// Markdown rows ("| 3 October | Bombing | 6 | … |") or the rows an HTML
// table became (cells joined by " | "). Each row is an incident of its
// own (split, segment); where the table's first row is a header that
// names the dead and the injured ("Dead", "Killed", "Deaths",
// "Fatalities"; "Injured", "Wounded"), a row's cells under them give its
// counts as the incident lists write them ("22 (+1)", "40+", "3-12"),
// before what its prose says.

// cell is a table cell: the bytes [a, b) of the text, spaces trimmed.
type cell struct{ a, b int }

// rowCounts are a table row's cells under the header's dead and injured
// columns; a zero cell is a column the table lacks.
type rowCounts struct{ killed, wounded cell }

// headerKilled and headerWounded are the header cells (in lower case)
// that name a table's columns of the dead and of the injured.
var (
	headerKilled  = []string{"dead", "deaths", "killed", "fatalities"}
	headerWounded = []string{"injured", "wounded", "injuries"}
)

// lineAt returns the bounds [ls, le) of the line of text around off.
func lineAt(text string, off int) (ls, le int) {
	ls = strings.LastIndexByte(text[:off], '\n') + 1
	le = strings.IndexByte(text[off:], '\n')
	if le < 0 {
		return ls, len(text)
	}
	return ls, le + off
}

// tableRow reports whether the line of text around off is a row of a
// table: two cell separators at least.
func tableRow(text string, off int) bool {
	ls, le := lineAt(text, off)
	return strings.Count(text[ls:le], "|") >= 2
}

// cells splits the table row on the line around off into its cells;
// the empty ends of a row written between pipes ("| a | b |") are not
// cells.
func cells(text string, off int) []cell {
	ls, le := lineAt(text, off)
	var out []cell
	a := ls
	for i := ls; i <= le; i++ {
		if i < le && text[i] != '|' {
			continue
		}
		c := cell{a, i}
		for c.a < c.b && (text[c.a] == ' ' || text[c.a] == '\t') {
			c.a++
		}
		for c.b > c.a && (text[c.b-1] == ' ' || text[c.b-1] == '\t' || text[c.b-1] == '\r') {
			c.b--
		}
		out = append(out, c)
		a = i + 1
	}
	if len(out) > 0 && out[0].a == out[0].b {
		out = out[1:]
	}
	if len(out) > 0 && out[len(out)-1].a == out[len(out)-1].b {
		out = out[:len(out)-1]
	}
	return out
}

// header returns the columns of the dead and of the injured that a
// table's first row names (-1: none), and false when the row is no
// header: a cell with a digit in it is data.
func header(text string, cs []cell) (killed, wounded int, ok bool) {
	killed, wounded = -1, -1
	for i, c := range cs {
		h := strings.ToLower(text[c.a:c.b])
		if strings.ContainsAny(h, "0123456789") {
			return -1, -1, false
		}
		switch {
		case slices.Contains(headerKilled, h):
			killed = i
		case slices.Contains(headerWounded, h):
			wounded = i
		}
	}
	return killed, wounded, killed >= 0 || wounded >= 0
}

// tableCounts puts the counts of the cells under a table's dead and
// injured columns in place of those the row's prose gave, when the cell
// can be read and gives a figure ("Unknown" leaves the prose's).
func (d *doc) tableCounts(inc *incident, r *vigil.Report) {
	rc, ok := d.rowCounts[inc.sents[0].row]
	if !ok {
		return
	}
	take := func(c cell, field string, set func(wikilist.Count)) {
		if c == (cell{}) {
			return
		}
		n := wikilist.ParseCount(d.text[c.a:c.b])
		if !n.OK || !n.Victims.Low.Known && !n.Victims.Best.Known {
			return
		}
		set(n)
		r.Evidence = slices.DeleteFunc(r.Evidence, func(s vigil.Span) bool { return s.Field == field })
		r.Evidence = append(r.Evidence, vigil.Span{Field: field, Start: c.a, End: c.b, Text: d.text[c.a:c.b], Confidence: 0.9})
	}
	take(rc.killed, "killed", func(n wikilist.Count) {
		r.Killed = n.Victims
		if n.Attackers.Known {
			r.AttackersKilled = n.Attackers
			r.Evidence = slices.DeleteFunc(r.Evidence, func(s vigil.Span) bool { return s.Field == "attackers_killed" })
		}
	})
	take(rc.wounded, "wounded", func(n wikilist.Count) { r.Wounded = n.Victims })
}
