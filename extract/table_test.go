package extract_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"html"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vigil-osint/vigil/extract"
	"github.com/vigil-osint/vigil/ingest/text"
	"github.com/vigil-osint/vigil/ingest/wikilist"
)

// listRow is one row of a Wikipedia incident list: its day and the
// cells a list page shows.
type listRow struct {
	date  string // YYYY-MM-DD
	cells []string
}

// listMonths reads the real incident-list CSV at path into its months'
// rows, in file order.
func listMonths(t *testing.T, path string) (months []string, rows map[string][]listRow) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	rows = map[string][]listRow{}
	for _, rec := range recs[1:] {
		// month, day, type, dead, injured, location, details, perpetrator, part_of
		m, dayCell := rec[0], rec[1]
		day, err := strconv.Atoi(strings.SplitN(dayCell, "-", 2)[0])
		if err != nil {
			t.Fatalf("%s: day %q", path, dayCell)
		}
		mt, err := time.Parse("2006-01", m)
		if err != nil {
			t.Fatal(err)
		}
		if rows[m] == nil {
			months = append(months, m)
		}
		cells := append([]string{dayCell + " " + mt.Month().String()}, rec[2:]...)
		rows[m] = append(rows[m], listRow{date: fmt.Sprintf("%s-%02d", m, day), cells: cells})
	}
	return months, rows
}

var listHeader = []string{"Date", "Type", "Dead", "Injured", "Location", "Details", "Perpetrator", "Part of"}

// listPage writes one month's rows as a list page: a title that gives
// the year once and a table of the incidents, in Markdown or in HTML.
func listPage(month string, rows []listRow, asHTML bool) string {
	mt, _ := time.Parse("2006-01", month)
	title := "List of terrorist incidents in " + mt.Format("January 2006")
	var b strings.Builder
	if asHTML {
		fmt.Fprintf(&b, "<html><head><title>%s</title></head><body><h1>%s</h1><table><tr>", title, title)
		for _, h := range listHeader {
			fmt.Fprintf(&b, "<th>%s</th>", h)
		}
		b.WriteString("</tr>")
		for _, r := range rows {
			b.WriteString("<tr>")
			for _, c := range r.cells {
				fmt.Fprintf(&b, "<td>%s</td>", html.EscapeString(c))
			}
			b.WriteString("</tr>\n")
		}
		b.WriteString("</table></body></html>")
		return b.String()
	}
	fmt.Fprintf(&b, "# %s\n\n| %s |\n|%s\n", title, strings.Join(listHeader, " | "), strings.Repeat("---|", len(listHeader)))
	for _, r := range rows {
		b.WriteString("|")
		for _, c := range r.cells {
			b.WriteString(" " + strings.ReplaceAll(strings.ReplaceAll(c, "|", "/"), "\n", " ") + " |")
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// TestListTables reads whole incident lists, a table a month, as users
// paste or save them: every row is an incident of its own, dated by its
// day and the year the title gives, its toll the Dead cell's. Before, the rows ran together: 1,143
// rows gave 440 reports, most spanning several rows and dated by the
// title's month. The rows are the real 2015–2019 list, which the rule was
// not written against, in Markdown and as an HTML page.
func TestListTables(t *testing.T) {
	x, err := extract.Default()
	if err != nil {
		t.Fatal(err)
	}
	months, rows := listMonths(t, "../testdata/wikipedia/wikipedia_terrorist_incidents_2015_2019_region.csv")
	for _, asHTML := range []bool{false, true} {
		t.Run(map[bool]string{false: "markdown", true: "html"}[asHTML], func(t *testing.T) {
			total, own, dated, counted, fromCell := 0, 0, 0, 0, 0
			for _, m := range months {
				page := listPage(m, rows[m], asHTML)
				in := extract.Input{ID: m, Text: page}
				if asHTML {
					p, err := text.ParseHTML([]byte(page))
					if err != nil {
						t.Fatal(err)
					}
					in.Text = p.Text
				}
				reps, err := x.Extract(context.Background(), in)
				if err != nil {
					t.Fatal(err)
				}
				// Each report lies in one row: all its evidence does.
				lines := strings.Split(in.Text, "\n")
				lineOf := func(off int) int { return strings.Count(in.Text[:off], "\n") }
				byRow := map[int]int{}
				for _, r := range reps {
					first := -1
					for _, e := range r.Evidence {
						l := lineOf(e.Start)
						if first < 0 {
							first = l
						}
						if l != first || lineOf(e.End) != l {
							t.Errorf("%s: report %s runs from line %d into %d: %q (%+v)", m, r.Key, first+1, l+1, lines[l], e)
							break
						}
					}
					if first >= 0 {
						byRow[first]++
					}
				}
				// The rows are the lines that hold a date cell, in order.
				i := 0
				for l, line := range lines {
					if i < len(rows[m]) && strings.Contains(line, rows[m][i].cells[0]+" |") {
						total++
						if byRow[l] == 1 {
							own++
							for _, r := range reps {
								if len(r.Evidence) == 0 || lineOf(r.Evidence[0].Start) != l {
									continue
								}
								if r.DateStart.String() == rows[m][i].date {
									dated++
								}
								// The Dead cell gives the toll when it can be read.
								dead := rows[m][i].cells[2]
								if n := wikilist.ParseCount(dead); n.OK && n.Victims.Low.Known {
									counted++
									if r.Killed == n.Victims && (!n.Attackers.Known || r.AttackersKilled == n.Attackers) {
										fromCell++
									} else {
										t.Errorf("%s: %q: killed %v, attackers %v; want the Dead cell's %q", m, line, r.Killed, r.AttackersKilled, dead)
									}
								}
							}
						}
						i++
					}
				}
				if i != len(rows[m]) {
					t.Fatalf("%s: found %d of %d rows in the page's text", m, i, len(rows[m]))
				}
			}
			t.Logf("%d rows: %d with a report of their own, %d of them dated by their day, %d of %d killed as the Dead cell says", total, own, dated, fromCell, counted)
			if total != 1143 {
				t.Errorf("%d rows, want 1,143", total)
			}
			if own < total*95/100 || dated < own*95/100 {
				t.Errorf("%d rows: %d with one report of their own (want 95%%), %d dated by their day (want 95%% of those)", total, own, dated)
			}
		})
	}
}

// TestTableHeader: the columns of the dead and the injured are found by
// the header's words, in any position, and a first row with figures is
// data, not a header; a table without such a header keeps its prose's
// counts.
func TestTableHeader(t *testing.T) {
	x, err := extract.Default()
	if err != nil {
		t.Fatal(err)
	}
	const row = "| 8 August 2016 | Quetta, Pakistan | A suicide bomber killed 70 people and wounded 112 at the civil hospital. | %s | %s |\n"
	for _, tc := range []struct {
		name, page                     string
		killed, wounded, attackersDead int
		evidence                       string // of killed
	}{
		{"header", "| Date | Location | Details | Killed | Wounded |\n|---|---|---|---|---|\n" + fmt.Sprintf(row, "74 (+1)", "130+"), 74, 130, 1, "74 (+1)"},
		{"no header", fmt.Sprintf(row, "74 (+1)", "130+"), 70, 112, 1, "killed 70 people"},
		{"unknown cells", "| Date | Location | Details | Deaths | Injuries |\n" + fmt.Sprintf(row, "Unknown", "?"), 70, 112, 1, "killed 70 people"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			reps, err := x.Extract(context.Background(), extract.Input{ID: "t", Text: tc.page})
			if err != nil || len(reps) != 1 {
				t.Fatalf("%d reports, %v", len(reps), err)
			}
			r := reps[0]
			if r.Killed.Low.N != tc.killed || r.Wounded.Low.N != tc.wounded || r.AttackersKilled.N != tc.attackersDead {
				t.Errorf("killed %v wounded %v attackers %v; want %d, %d, %d", r.Killed, r.Wounded, r.AttackersKilled, tc.killed, tc.wounded, tc.attackersDead)
			}
			var ev []string
			for _, e := range r.Evidence {
				if e.Field == "killed" {
					ev = append(ev, e.Text)
				}
			}
			if len(ev) != 1 || ev[0] != tc.evidence {
				t.Errorf("killed evidence %q, want %q", ev, tc.evidence)
			}
		})
	}
}
