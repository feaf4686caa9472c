package http

import (
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-osint/vigil"
)

// TestEventFiltersAsCLI: GET /events takes the CLI's forms of its filters
// (package eventfilter): years and months for from and to, alpha-3 codes
// and names for country, names for admin1; a bad value is a 400 with the
// CLI's message. Before, from=2021 and country=AFG were refused, and
// admin1=Ningarhar found only the rows that spelt it so.
func TestEventFiltersAsCLI(t *testing.T) {
	f := newFixture(t, nil)
	total := func(query string) int {
		t.Helper()
		var page eventPage
		f.get("/api/v1/events?limit=1&"+query, "green", &page)
		return page.Total
	}
	for _, tt := range []struct{ query, same string }{
		{"from=2021&to=2022-06", "from=2021-01-01&to=2022-06-30"},
		{"from=2018-05&to=2020-02", "from=2018-05-01&to=2020-02-29"},
		{"country=AFG", "country=AF"},
		{"country=afghanistan", "country=AF"},
		{"country=" + url.QueryEscape("Islamic Republic of Iran") + ",TJK", "country=IR,TJ"},
	} {
		got, want := total(tt.query), total(tt.same)
		if got != want || want == 0 {
			t.Errorf("GET /events?%s: %d events; %s gives %d", tt.query, got, tt.same, want)
		}
	}
	// A unit's name in another spelling adds the unit's code, which the
	// places step gives every located report.
	r := httptest.NewRequest("GET", "/api/v1/events?admin1=Ningarhar&country=Afghanistan", nil)
	if flt, err := eventFilter(r, &principal{user: &vigil.User{Clearance: vigil.TLPGreen}}); err != nil || !slices.Contains(flt.Admin1, "AF-NAN") || !slices.Equal(flt.Countries, []string{"AF"}) {
		t.Errorf("admin1=Ningarhar&country=Afghanistan: admin1 %q, countries %q, %v; want AF-NAN among the units, AF", flt.Admin1, flt.Countries, err)
	}
	for _, tt := range []struct{ query, want string }{
		{"country=XX", `country: \"XX\" is not an ISO 3166-1 code (AF, AFG, …) or a country's name`},
		{"country=Narnia", `country: \"Narnia\"`},
		{"from=2021-13", "from: "},
		{"from=2021-13", "or a year, YYYY, or a month, YYYY-MM"},
		{"to=21", "to: "},
		{"from=2022&to=2021", "from 2022-01-01 is after to 2021-12-31"},
		{"min_credibility=7", `min_credibility: \"7\" is not a grade from 1`},
		{"type=Skirmish", "type: "},
	} {
		for _, path := range []string{"/api/v1/events", "/api/v1/event-summary", "/api/v1/export/csv"} {
			res := f.do("GET", path+"?"+tt.query, "green", nil)
			if res.status != 400 || !strings.Contains(res.body, tt.want) {
				t.Errorf("GET %s?%s: %d %s; want 400 with %q", path, tt.query, res.status, res.body, tt.want)
			}
		}
	}
}
