package analysis

import (
	"strings"
	"testing"

	"github.com/vigil-osint/vigil"
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

// TestPeriodsBetween estimates window lengths, far ones included: a
// duration saturates at 292 years, which counted 105,000 weeks as 15,250.
func TestPeriodsBetween(t *testing.T) {
	for _, tc := range []struct {
		by       By
		from, to string
		min, max int
	}{
		{Week, "2024-01-01", "2024-12-31", 51, 53},
		{Month, "2015-01-01", "2024-12-31", 119, 122},
		{Quarter, "2015-01-01", "2024-12-31", 39, 41},
		{Year, "2015-01-01", "2024-12-31", 9, 10},
		{Week, "0001-01-01", "2025-01-01", 105_000, 106_000},
		{Year, "0001-01-01", "2025-01-01", 2020, 2025},
	} {
		n := PeriodsBetween(tc.by, vigil.MustDate(tc.from), vigil.MustDate(tc.to))
		if n < tc.min || n > tc.max {
			t.Errorf("PeriodsBetween(%s, %s, %s) = %d, want %d–%d", tc.by, tc.from, tc.to, n, tc.min, tc.max)
		}
	}
	if n := PeriodsBetween(Week, vigil.Date{}, vigil.MustDate("2025-01-01")); n != 0 {
		t.Errorf("no start: %d periods, want 0 (nothing to bound)", n)
	}
}
