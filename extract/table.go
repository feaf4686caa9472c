package extract

import (
	"cmp"
	"regexp"
	"slices"
	"strconv"
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
// before what its prose says; where it names the date, a cell of a day
// alone ("3", "3–7") is that day of the month the text gave before the
// table ("List of terrorist incidents in May 2015").

// cell is a table cell: the bytes [a, b) of the text, spaces trimmed.
type cell struct{ a, b int }

// rowCells are a table row's cells under the header's date, dead and
// injured columns (a zero cell: a column the table lacks), and the token
// that begins its table.
type rowCells struct {
	date, killed, wounded cell
	table                 int
}

// columns are where a table's header puts its date, dead and injured
// (-1: nowhere), and how many cells it has.
type columns struct{ date, killed, wounded, n int }

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

// header returns the columns of the date, the dead and the injured that
// a table's first row names, and false when the row names none of them
// or is no header: a cell with a digit in it is data.
func header(text string, cs []cell) (columns, bool) {
	none := columns{-1, -1, -1, 0}
	cols := columns{-1, -1, -1, len(cs)}
	for i, c := range cs {
		h := strings.ToLower(text[c.a:c.b])
		if strings.ContainsAny(h, "0123456789") {
			return none, false
		}
		switch {
		case h == "date":
			cols.date = i
		case slices.Contains(headerKilled, h):
			cols.killed = i
		case slices.Contains(headerWounded, h):
			cols.wounded = i
		}
	}
	return cols, cols.date >= 0 || cols.killed >= 0 || cols.wounded >= 0
}

// row returns the cells of cs under cols. A row with fewer cells than the
// header lacks its first ones, which a cell of a row above spans (an HTML
// rowspan: one date for several incidents): those are prev's.
func (cols columns) row(cs []cell, table int, prev rowCells) rowCells {
	shift := max(cols.n-len(cs), 0)
	at := func(i int, spanned cell) cell {
		switch {
		case i < 0:
			return cell{}
		case i < shift:
			return spanned
		}
		return cs[i-shift]
	}
	return rowCells{date: at(cols.date, prev.date), killed: at(cols.killed, prev.killed), wounded: at(cols.wounded, prev.wounded), table: table}
}

// reDays is a date cell of a day or days, with or without a month:
// "3", "3–7", "16-17", "3–7 Jan".
var reDays = regexp.MustCompile(`^(\d{1,2})(?:\s*[-–]\s*(\d{1,2}))?(?:\s+\pL+\.?)?$`)

// cellDate reads the date cell of inc's table row: a day or days ("3",
// "3–7") of the month that the date written in the cell gives ("3–7
// Jan") or, with none, that the last date written before the table gives
// ("… in May 2015"); else the date written in the cell as it is. It
// returns false when the row has no date cell or the cell gives no date.
func (d *doc) cellDate(inc *incident) (start, end vigil.Date, prec vigil.DatePrecision, c cell, ok bool) {
	rc, has := d.rowCells[inc.sents[0].row]
	if !has || rc.date == (cell{}) {
		return
	}
	c = rc.date
	var in, before *dateExpr // written in the cell; the last before the table
	for i := range d.dates {
		e := &d.dates[i]
		switch {
		case d.toks[e.tokA].start >= c.a && d.toks[e.tokB-1].end <= c.b:
			in = e
		case e.tokA < rc.table && e.absolute && e.prec <= vigil.DateMonth:
			before = e
		}
	}
	month := cmp.Or(in, before)
	m := reDays.FindStringSubmatch(d.text[c.a:c.b])
	if m == nil || month == nil {
		if in != nil {
			return in.start, in.end, in.prec, c, true
		}
		return
	}
	y, mo := month.start.Time().Year(), month.start.Time().Month()
	a, _ := strconv.Atoi(m[1])
	b := a
	if m[2] != "" {
		b, _ = strconv.Atoi(m[2])
	}
	s, ok1 := mkDate(y, mo, a)
	e, ok2 := mkDate(y, mo, b)
	if !ok1 || !ok2 || e.Before(s) {
		return
	}
	switch n := b - a + 1; {
	case n == 1:
		prec = vigil.DateDay
	case n <= 6:
		prec = vigil.DateDays
	case n == 7:
		prec = vigil.DateWeek
	default:
		prec = vigil.DateMonth
	}
	return s, e, prec, c, true
}

// tableCounts puts the counts of the cells under a table's dead and
// injured columns in place of those the row's prose gave, when the cell
// can be read and gives a figure ("Unknown" leaves the prose's).
func (d *doc) tableCounts(inc *incident, r *vigil.Report) {
	rc, ok := d.rowCells[inc.sents[0].row]
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
