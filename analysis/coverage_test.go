package analysis

import (
	"strings"
	"testing"
)

// TestReadCoverage reads coverage tables a user might pass with
// --coverage: a misspelt key or a missing list was read as an empty table,
// so that no coverage warning could ever fire, and a wrong shape answered
// with Go's type names.
func TestReadCoverage(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		rows     int
		wantErr  string
	}{
		{"a row", `{"note": "n", "coverage": [{"source": "ACLED", "countries": ["AF"], "start": "2017-01-01", "reference": "r"}]}`, 1, ""},
		{"an empty list", `{"coverage": []}`, 0, ""},
		{"a misspelt key", `{"coverages": []}`, 0, `unknown field "coverages"`},
		{"a misspelt row key", `{"coverage": [{"source": "ACLED", "start": "2017-01-01", "country": ["AF"]}]}`, 0, `unknown field "country"`},
		{"no list", `{"note": "n"}`, 0, `no "coverage" list`},
		{"an array", `[1]`, 0, "a JSON array at the top: want {\"coverage\""},
		{"countries as a string", `{"coverage": [{"source": "X", "countries": "AF", "start": "2016-01-01"}]}`, 0, "a JSON string at coverage.countries"},
		{"no start", `{"coverage": [{"source": "X"}]}`, 0, "coverage row 1: source and start are required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := ReadCoverage(strings.NewReader(tc.in))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || strings.Contains(err.Error(), "analysis.Coverage") {
					t.Errorf("error %v, want one saying %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || len(c) != tc.rows {
				t.Errorf("%d rows, error %v; want %d rows", len(c), err, tc.rows)
			}
		})
	}
}
