package geo

import (
	"fmt"
	"math"
	"strings"
)

// Admin is where a point lies: its country and the administrative units
// that hold it.
type Admin struct {
	Country    string `json:"country"`               // ISO 3166-1 alpha-2
	Admin1     string `json:"admin1,omitempty"`      // ISO 3166-2 where one exists, else GeoNames' "CC.NN"
	Admin1Name string `json:"admin1_name,omitempty"` // the admin-1 unit's name
	Admin2Name string `json:"admin2_name,omitempty"` // the district (Afghanistan's, from geoBoundaries)
	// Admin1Approx is set outside the region, where there are no admin-1
	// boundaries: the admin-1 is that of the nearest town of 15,000+
	// within about 50 km in the same country, and may be wrong near a
	// border.
	Admin1Approx bool `json:"admin1_approximate,omitempty"`
}

// coastSlack is how far (in degrees, about 11 km) outside the simplified
// country polygons a point is still given to the nearest country.
const coastSlack = 0.1

// Where returns the country, admin-1 unit and (in Afghanistan) district
// that hold the point, and false if the point lies in no country (at sea).
// Admin-1 is resolved for the region; elsewhere only the country.
func (g *Gazetteer) Where(lat, lon float64) (Admin, bool) {
	var a Admin
	if i := g.admin1Layer.Locate(lon, lat); i >= 0 {
		a.Admin1 = g.admin1Layer.Features[i].Key
		a.Admin1Name = g.Admin1Name(a.Admin1)
		a.Country = a.Admin1[:2]
		if a.Country == "AF" {
			if j := g.admin2Layer.Locate(lon, lat); j >= 0 {
				a.Admin2Name = g.places[g.admin2Place[j]].name
			}
		}
		return a, true
	}
	i := g.countryLayer.Locate(lon, lat)
	if i < 0 {
		i, _ = g.countryLayer.Nearest(lon, lat, coastSlack)
	}
	if i < 0 {
		return a, false
	}
	a.Country = g.countryLayer.Features[i].Key
	if j := g.nearestTown(lat, lon, a.Country); j >= 0 && g.places[j].admin1 != "" {
		a.Admin1, a.Admin1Name, a.Admin1Approx = g.places[j].admin1, g.Admin1Name(g.places[j].admin1), true
	}
	return a, true
}

// townRadius is how far (degrees, about 50 km) nearestTown looks.
const townRadius = 0.45

// nearestTown returns the populated place of country nearest the point
// within townRadius, or -1.
func (g *Gazetteer) nearestTown(lat, lon float64, country string) int32 {
	g.townOnce.Do(func() {
		for i := range g.places {
			p := &g.places[i]
			if p.class == 'P' && p.pop > 0 && !InRegion(p.country) {
				pt := [2]float64{float64(p.lon), float64(p.lat)}
				g.towns.Insert(pt, pt, int32(i))
			}
		}
	})
	best, bestD := int32(-1), math.Inf(1)
	g.towns.Search([2]float64{lon - townRadius, lat - townRadius}, [2]float64{lon + townRadius, lat + townRadius},
		func(_, _ [2]float64, i int32) bool {
			p := &g.places[i]
			if p.country != country {
				return true
			}
			if d := DistanceKm(lat, lon, float64(p.lat), float64(p.lon)); d < bestD {
				best, bestD = i, d
			}
			return true
		})
	return best
}

// FillAdmin completes a row's administrative codes from its coordinates:
// the fields of known that are empty are filled from Where when the point
// lies in the country known names (or known names none). Fields already
// set are kept; a disagreement is for CheckCountry to report.
func (g *Gazetteer) FillAdmin(lat, lon float64, known Admin) Admin {
	w, ok := g.Where(lat, lon)
	if !ok || (known.Country != "" && known.Country != w.Country) {
		return known
	}
	if known.Country == "" {
		known.Country = w.Country
	}
	if known.Admin1 == "" {
		known.Admin1, known.Admin1Name, known.Admin1Approx = w.Admin1, w.Admin1Name, w.Admin1Approx
		if known.Admin2Name == "" {
			known.Admin2Name = w.Admin2Name
		}
	} else if known.Admin1Name == "" {
		known.Admin1Name = g.Admin1Name(known.Admin1)
	}
	return known
}

// Finding reports coordinates that fall outside the country their row
// names: a finding for an analyst, not a silent fix.
type Finding struct {
	Country    string  `json:"country"`     // the country the row names
	Found      string  `json:"found"`       // the country the point lies in ("" at sea)
	DistanceKm float64 `json:"distance_km"` // from the point to the named country's boundary, roughly
	Message    string  `json:"message"`
}

// borderSlackKm is how far outside a named country's simplified boundary
// a point may lie before it is reported: the simplification moves borders
// by a few kilometres.
const borderSlackKm = 10

// CheckCountry reports whether the point lies outside the named country
// (ISO 3166-1 alpha-2 or any name CountryCode knows). It returns false when
// the point is inside or within a few kilometres of the country's border, or
// when the country is unknown.
func (g *Gazetteer) CheckCountry(lat, lon float64, country string) (Finding, bool) {
	code, ok := g.CountryCode(country)
	if !ok {
		return Finding{}, false
	}
	w, _ := g.Where(lat, lon)
	if w.Country == code {
		return Finding{}, false
	}
	f := Finding{Country: code, Found: w.Country, DistanceKm: math.Inf(1)}
	if i, ok := g.countryByKey[code]; ok {
		d := g.distanceToFeatureDeg(i, lon, lat)
		f.DistanceKm = math.Round(d*111.2*10) / 10
	}
	if f.DistanceKm <= borderSlackKm {
		return Finding{}, false
	}
	found := "no country (at sea)"
	if w.Country != "" {
		found = fmt.Sprintf("%s (%s)", g.CountryName(w.Country), w.Country)
	}
	f.Message = fmt.Sprintf("coordinates %.4f, %.4f lie in %s, about %.0f km outside %s (%s), the country the row names",
		lat, lon, found, f.DistanceKm, g.CountryName(code), code)
	return f, true
}

func (g *Gazetteer) distanceToFeatureDeg(i int, lon, lat float64) float64 {
	best := math.Inf(1)
	for _, p := range g.countryLayer.Features[i].Geom {
		r := p[0]
		for k := 1; k < len(r); k++ {
			ax, ay, bx, by := r[k-1][0], r[k-1][1], r[k][0], r[k][1]
			dx, dy := bx-ax, by-ay
			t := 0.0
			if l := dx*dx + dy*dy; l > 0 {
				t = math.Max(0, math.Min(1, ((lon-ax)*dx+(lat-ay)*dy)/l))
			}
			// Scale longitude by the cosine of latitude so degrees are
			// comparable to kilometres.
			px, py := (ax+t*dx-lon)*math.Cos(lat*math.Pi/180), ay+t*dy-lat
			if d := math.Hypot(px, py); d < best {
				best = d
			}
		}
	}
	return best
}

// DistanceKm is the great-circle distance between two points in kilometres.
func DistanceKm(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6371.0
	p1, p2 := lat1*math.Pi/180, lat2*math.Pi/180
	dp, dl := p2-p1, (lon2-lon1)*math.Pi/180
	h := math.Sin(dp/2)*math.Sin(dp/2) + math.Cos(p1)*math.Cos(p2)*math.Sin(dl/2)*math.Sin(dl/2)
	return 2 * r * math.Asin(math.Min(1, math.Sqrt(h)))
}

// isAdmin1Code reports whether s looks like an admin-1 code: "AF-NAN" or
// GeoNames' "FR.11".
func isAdmin1Code(s string) bool {
	return len(s) >= 4 && len(s) <= 12 && (s[2] == '-' || s[2] == '.') && strings.ToUpper(s[:2]) == s[:2]
}
