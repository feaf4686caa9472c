package iso3166

import "testing"

func TestLookups(t *testing.T) {
	tests := []struct {
		name string
		got  *Country
		want string
	}{
		{"alpha2", ByAlpha2("af"), "AF"},
		{"alpha3", ByAlpha3("PAK"), "PK"},
		{"numeric", ByNumeric(4), "AF"},
		{"numeric russia", ByNumeric(643), "RU"},
		{"name", ByName("Tajikistan"), "TJ"},
		{"acled name", ByName("Democratic Republic of Congo"), "CD"},
		{"gtd name", ByName("West Bank and Gaza Strip"), "PS"},
		{"iso name with accent", ByName("Côte d'Ivoire"), "CI"},
		{"iso long name", ByName("Iran, Islamic Republic of"), "IR"},
		{"common name", ByName("Iran"), "IR"},
		{"kosovo", ByName("Kosovo"), "XK"},
		{"unknown", ByName("Atlantis"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ""
			if tt.got != nil {
				got = tt.got.Alpha2
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
