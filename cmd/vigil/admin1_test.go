package main

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestEventsListAdmin1Names: --admin1 given a province's name, in any
// spelling the gazetteer knows, selects the same events as its code. The
// places step codes every located report's province and keeps the
// source's spelling only as admin1_name, so before, "Hilmand" (UCDP's
// spelling) found UCDP's rows only and "Konar" nothing.
func TestEventsListAdmin1Names(t *testing.T) {
	db := filepath.Join(t.TempDir(), "v.db")
	mustRun(t, "--db", db, "import", "ucdp", sample)
	mustRun(t, "--db", db, "import", "wikilist", "../../testdata/wikipedia/wikipedia_terrorist_incidents_2016q4_region.csv")
	ids := func(args ...string) []int64 {
		var out []int64
		for _, e := range eventsJSON(t, db, args...) {
			out = append(out, e.ID)
		}
		return out
	}
	tests := []struct {
		name, code string
		country    string
	}{
		{"Helmand", "AF-HEL", ""},
		{"Hilmand", "AF-HEL", ""},
		{"Hilmand province", "AF-HEL", ""},
		{"Nangarhar", "AF-NAN", ""},
		{"Ningarhar", "AF-NAN", ""},
		{"nangarhar", "AF-NAN", "AF"},
		{"Konar", "AF-KNR", ""},
		{"Balochistan", "PK-BA", "PK"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := ids("--admin1", tt.code)
			if len(want) == 0 {
				t.Fatalf("--admin1 %s: no events; the test needs some", tt.code)
			}
			args := []string{"--admin1", tt.name}
			if tt.country != "" {
				args = append(args, "--country", tt.country)
			}
			if got := ids(args...); !slices.Equal(got, want) {
				t.Errorf("--admin1 %q: %d events, want the %d of --admin1 %s", tt.name, len(got), len(want), tt.code)
			}
		})
	}
}

// TestEventsListPageNotes: the table's note on stderr says which events it
// shows; an offset past the last says so rather than "N events" under an
// empty table.
func TestEventsListPageNotes(t *testing.T) {
	db := filepath.Join(t.TempDir(), "v.db")
	mustRun(t, "--db", db, "import", "ucdp", sample)
	tests := []struct {
		args []string
		want string
	}{
		{nil, "1–50 of 905 events; --offset 50 for more"},
		{[]string{"--offset", "900"}, "901–905 of 905 events"},
		{[]string{"--offset", "850", "--limit", "10"}, "851–860 of 905 events"},
		{[]string{"--offset", "5000"}, "none from --offset 5000: 905 events in all"},
		{[]string{"--country", "NO"}, "0 events"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			_, errOut, code := vigilRun(t, append([]string{"--db", db, "events", "list"}, tt.args...)...)
			if code != 0 || !strings.HasPrefix(errOut, tt.want) {
				t.Errorf("exit %d, stderr %q, want %q", code, errOut, tt.want)
			}
		})
	}
}

// TestCountryCodes: --country takes ISO 3166-1 alpha-2 and alpha-3 codes
// and a country's name in the spellings the gazetteer knows; anything else
// is refused. Before, IRN, "Islamic Republic of Iran" and "Kyrgyz
// Republic" were refused.
func TestCountryCodes(t *testing.T) {
	tests := []struct {
		in, want, wantErr string
	}{
		{"AF", "AF", ""},
		{"af", "AF", ""},
		{"AFG", "AF", ""},
		{"irn", "IR", ""},
		{"Iran", "IR", ""},
		{"Islamic Republic of Iran", "IR", ""},
		{"Kyrgyz Republic", "KG", ""},
		{"Russian Federation", "RU", ""},
		{"Иран", "IR", ""},
		{"XX", "", `--country: "XX" is not an ISO 3166-1 code`},
		{"XXX", "", `--country: "XXX"`},
		{"Narnia", "", `--country: "Narnia"`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := countryCodes([]string{tt.in})
			switch {
			case tt.wantErr != "":
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("countryCodes(%q) = %v, %v; want an error with %q", tt.in, got, err, tt.wantErr)
				}
			case err != nil || len(got) != 1 || got[0] != tt.want:
				t.Errorf("countryCodes(%q) = %v, %v; want %s", tt.in, got, err, tt.want)
			}
		})
	}
}
