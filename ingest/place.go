package ingest

import (
	"fmt"
	"strings"
	"sync"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/geo"
)

// PlaceWith returns an Options.Place that completes and checks reports'
// places with a gazetteer. For a report with coordinates:
//
//   - Admin1 becomes the unit's code (ISO 3166-2 where one exists, as
//     AF-NAN), so that every format can be filtered by code. A name the
//     source gave (UCDP's "Nangarhar") is coded by the gazetteer's names of
//     the report's country, or, failing that, by the unit the point lies in
//     when that unit has the name; the source's name is kept in
//     Admin1Name. A name that fits neither stays as the source wrote it.
//     An empty Admin1 is filled from the point when the point stands for
//     a province or something finer (location precision 1–4, or unknown),
//     in vigil's region; outside it, where admin-1 from a point is only
//     approximate, it stays empty.
//   - Admin1Name, when empty, is the gazetteer's name of the code; Admin2,
//     when empty, the point lies in the report's admin-1 unit and stands
//     for a district or finer (precision 1–3), is the district the point
//     lies in (Afghanistan's); Country, when empty, the point's. A
//     province's or country's centre says nothing of the district or
//     province the incident was in, so nothing finer than the precision is
//     filled.
//   - When the point lies more than a few kilometres outside the country
//     the report names, the finding says where it lies
//     ("34.1000, 71.3000 lies in PK, not AF (about 20 km outside
//     Afghanistan, …)"); the country and coordinates are kept as
//     the source gave them, and nothing is filled from a point that
//     contradicts the report.
//
// Reports without coordinates are left alone. The function is safe for
// concurrent use.
func PlaceWith(g *geo.Gazetteer) func(*vigil.Report) string {
	var mu sync.Mutex
	codes := map[[2]string]string{} // (country, admin-1 name) → code, "" when none
	code := func(name, country string) string {
		mu.Lock()
		defer mu.Unlock()
		k := [2]string{country, name}
		c, ok := codes[k]
		if !ok {
			c, _ = g.Admin1Code(name, country)
			codes[k] = c
		}
		return c
	}
	return func(r *vigil.Report) string {
		pt, ok := r.Point()
		if !ok {
			return ""
		}
		finding := ""
		if r.Country != "" {
			if f, out := g.CheckCountry(pt.Lat, pt.Lon, r.Country); out {
				found := f.Found
				if found == "" {
					found = "no country (at sea)"
				}
				finding = fmt.Sprintf("%.4f, %.4f lies in %s, not %s (about %.0f km outside %s, the country the report names); kept as the source gave it",
					pt.Lat, pt.Lon, found, f.Country, f.DistanceKm, g.CountryName(f.Country))
			}
		}
		w, inCountry := g.Where(pt.Lat, pt.Lon)
		if inCountry && r.Country != "" && w.Country != r.Country {
			inCountry = false
		}
		if r.Country == "" && inCountry {
			r.Country = w.Country
		}
		given := r.Admin1Name
		if given == "" && r.Admin1 != "" && !isCode(r.Admin1) {
			given = r.Admin1
		}
		switch {
		case r.Admin1 != "" && isCode(r.Admin1):
			// Coded already.
		case given != "":
			c := ""
			if r.Country != "" {
				c = code(given, r.Country)
			}
			if c == "" && inCountry && w.Admin1 != "" && !w.Admin1Approx && strings.EqualFold(given, w.Admin1Name) {
				c = w.Admin1
			}
			if c != "" {
				r.Admin1, r.Admin1Name = c, given
			}
		case inCountry && w.Admin1 != "" && !w.Admin1Approx && r.Precision <= vigil.LocationAdmin1:
			r.Admin1, r.Admin1Name = w.Admin1, w.Admin1Name
		}
		if r.Admin1Name == "" && isCode(r.Admin1) {
			r.Admin1Name = g.Admin1Name(r.Admin1)
		}
		if r.Admin2 == "" && inCountry && w.Admin2Name != "" && w.Admin1 == r.Admin1 &&
			r.Precision >= vigil.LocationExact && r.Precision <= vigil.LocationAdmin2 {
			r.Admin2 = w.Admin2Name
		}
		return finding
	}
}

// isCode reports whether s looks like an admin-1 code: ISO 3166-2
// ("AF-NAN") or GeoNames' ("FR.11").
func isCode(s string) bool {
	return len(s) >= 4 && len(s) <= 12 && (s[2] == '-' || s[2] == '.') && strings.ToUpper(s[:2]) == s[:2] && strings.ToUpper(s) == s
}
