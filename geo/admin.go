package geo

import (
	"strings"

	"github.com/vigil-osint/vigil/geo/internal/textnorm"
)

// Admin1Code resolves the name of an admin-1 unit in country (ISO 3166-1
// alpha-2, or "" for any) to its code: ISO 3166-2 where one exists
// ("Nangarhar", "Ningarhar province", "AF-NAN" → "AF-NAN"), else GeoNames'
// "CC.NN". A code the gazetteer knows is returned as it is. Names are
// matched as the geocoder matches them (case, diacritics, scripts,
// designators and the region's transliteration variants), never
// approximately. It returns false when no admin-1 unit of the country has
// the name, or when several do.
func (g *Gazetteer) Admin1Code(name, country string) (string, bool) {
	name = strings.TrimSpace(name)
	if up := strings.ToUpper(name); isAdmin1Code(up) {
		if _, ok := g.admin1[up]; ok && (country == "" || up[:2] == country) {
			return up, true
		}
	}
	code := ""
	for _, m := range g.match(textnorm.Key(stripDesignators(name)), false) {
		p := &g.places[m.idx]
		if p.kind() != kindAdmin1 || (country != "" && p.country != country) || p.admin1 == "" {
			continue
		}
		if code != "" && code != p.admin1 {
			return "", false
		}
		code = p.admin1
	}
	return code, code != ""
}
