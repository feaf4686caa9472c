// Command gazgen builds the gazetteer and boundaries that package geo embeds
// from the source files kept in the repository (data/sources): GeoNames,
// Natural Earth, geoBoundaries, ISO 3166-2, the Afghan district and village
// lists and world-atlas. It applies the documented corrections of
// data/sources/overrides.tsv and the curated variants of variants.tsv.
//
//	go run ./geo/gazgen -src data/sources -out geo/data
package main

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hbollon/go-edlib"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/paulmach/orb/simplify"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/vigil-osint/vigil/geo/internal/shape"
	"github.com/vigil-osint/vigil/geo/internal/textnorm"
)

// region lists vigil's countries of focus, which get every populated place
// of 500+ people, admin-2 units and boundaries.
var region = map[string]bool{"AF": true, "PK": true, "IR": true, "TJ": true, "UZ": true, "KG": true, "TM": true, "KZ": true, "RU": true}

func main() {
	src := flag.String("src", "data/sources", "folder of source files")
	out := flag.String("out", "geo/data", "folder to write the embedded files to")
	flag.Parse()
	g := &gen{src: *src}
	if err := g.run(); err != nil {
		log.Fatal(err)
	}
	if err := g.write(*out); err != nil {
		log.Fatal(err)
	}
}

// entry is one record of the gazetteer.
type entry struct {
	ID       int
	Name     string
	Lat, Lon float64
	Class    string // GeoNames feature class: P place, A administrative unit
	Code     string // GeoNames feature code: PPL, PPLA, PPLC, ADM1, ADM2, PCLI
	Country  string
	Admin1   string
	Admin2   string
	Pop      int64
	Names    []string
}

type gen struct {
	src       string
	overrides []override
	iso       map[string]string // ISO 3166-2 code → name
	gnAdmin1  map[string]gnUnit // "AF.18" → unit
	gnAdmin2  map[string]gnUnit // "AF.08.609" → unit
	gnToISO   map[string]string // "AF.18" → "AF-NAN"
	admin1    map[string]*entry // admin-1 code → entry
	countries map[string]*entry // ISO2 → entry
	entries   []*entry

	countryFeatures []shape.Feature
	admin1Features  []shape.Feature
	admin2Features  []shape.Feature
	admin1Layer     *shape.Layer
	admin2Layer     *shape.Layer
	districts       []*entry // Afghan districts, by admin2 feature index
	stats           []string
	provinceCache   map[string]*entry
}

type gnUnit struct {
	Code, Name, ASCII string
	ID                int
}

func (g *gen) path(p ...string) string { return filepath.Join(append([]string{g.src}, p...)...) }

func (g *gen) logf(format string, args ...any) {
	g.stats = append(g.stats, fmt.Sprintf(format, args...))
	log.Printf(format, args...)
}

func (g *gen) run() error {
	steps := []struct {
		name string
		fn   func() error
	}{
		{"overrides", g.loadOverrides},
		{"iso 3166-2", g.loadISO},
		{"geonames admin codes", g.loadGNAdmin},
		{"countries", g.loadCountries},
		{"admin-1", g.loadAdmin1},
		{"afghan districts", g.loadDistricts},
		{"places", g.loadPlaces},
		{"world admin-1", g.worldAdmin1},
		{"region admin-2", g.regionAdmin2},
		{"afghan villages", g.loadVillages},
		{"variants", g.loadVariants},
	}
	for _, s := range steps {
		if err := s.fn(); err != nil {
			return fmt.Errorf("gazgen: %s: %w", s.name, err)
		}
	}
	for _, o := range g.overrides {
		if !o.applied {
			return fmt.Errorf("gazgen: override %s %s %s never applied", o.Source, o.Match, o.Field)
		}
	}
	return nil
}

// override is one row of overrides.tsv.
type override struct {
	Source, Match, Field, From, To, Why string
	applied                             bool
}

func (g *gen) loadOverrides() error {
	rows, err := readTSV(g.path("overrides.tsv"))
	if err != nil {
		return err
	}
	for _, r := range rows[1:] {
		if len(r) < 6 {
			return fmt.Errorf("overrides.tsv: short row %q", r)
		}
		g.overrides = append(g.overrides, override{Source: r[0], Match: r[1], Field: r[2], From: r[3], To: r[4], Why: r[5]})
	}
	return nil
}

// applyOverrides corrects props of a record from source in place.
func (g *gen) applyOverrides(source string, props map[string]any) error {
	for i := range g.overrides {
		o := &g.overrides[i]
		if o.Source != source {
			continue
		}
		k, v, _ := strings.Cut(o.Match, "=")
		if propString(props, k) != v {
			continue
		}
		if got := propString(props, o.Field); got != o.From {
			return fmt.Errorf("override %s %s: %s is %q, want %q (fixed upstream?)", source, o.Match, o.Field, got, o.From)
		}
		props[o.Field] = o.To
		o.applied = true
	}
	return nil
}

func propString(props map[string]any, k string) string {
	switch v := props[k].(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case nil:
		return ""
	default:
		return fmt.Sprint(v)
	}
}

// readTSV reads a tab-separated file, skipping lines that begin with "#".
func readTSV(path string) ([][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var rows [][]string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		rows = append(rows, strings.Split(line, "\t"))
	}
	return rows, sc.Err()
}

func (g *gen) loadISO() error {
	b, err := os.ReadFile(g.path("gazetteer", "iso_3166-2_region.json"))
	if err != nil {
		return err
	}
	var doc struct {
		Subdivisions []struct{ Code, Name, Type string } `json:"3166-2"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return err
	}
	g.iso = map[string]string{}
	for _, s := range doc.Subdivisions {
		g.iso[s.Code] = s.Name
	}
	return nil
}

func (g *gen) loadGNAdmin() error {
	g.gnAdmin1, g.gnAdmin2 = map[string]gnUnit{}, map[string]gnUnit{}
	for file, m := range map[string]map[string]gnUnit{"geonames_admin1CodesASCII.txt": g.gnAdmin1, "geonames_admin2Codes_region.txt": g.gnAdmin2} {
		rows, err := readTSV(g.path("gazetteer", file))
		if err != nil {
			return err
		}
		for _, r := range rows {
			id, _ := strconv.Atoi(r[3])
			m[r[0]] = gnUnit{Code: r[0], Name: r[1], ASCII: r[2], ID: id}
		}
	}
	return nil
}

// extraCountryNames are names of countries that the display tables lack
// and news uses.
var extraCountryNames = map[string][]string{
	"RU": {"Russian Federation", "Rossiya", "Rossiyskaya Federatsiya"},
	"IR": {"Islamic Republic of Iran", "Iran, Islamic Republic of", "Persia"},
	"KG": {"Kyrgyz Republic", "Kirghizia", "Kirgizia"},
	"AF": {"Islamic Republic of Afghanistan", "Islamic Emirate of Afghanistan"},
	"PK": {"Islamic Republic of Pakistan"},
	"US": {"USA", "United States of America", "U.S.", "America"},
	"GB": {"UK", "Britain", "Great Britain", "United Kingdom"},
	"AE": {"UAE"},
	"SY": {"Syrian Arab Republic"},
	"CD": {"DRC", "DR Congo", "Democratic Republic of the Congo", "Zaire"},
	"MM": {"Burma"},
	"KH": {"Kampuchea"},
	"SZ": {"Swaziland", "eSwatini"},
	"MK": {"Macedonia", "North Macedonia"},
	"CI": {"Ivory Coast", "Cote d'Ivoire"},
	"CZ": {"Czech Republic", "Czechia"},
}

var nameLangs = []language.Tag{language.English, language.Persian, language.Russian, language.Urdu, language.Arabic, language.Make("ps"), language.Uzbek, language.Kazakh, language.Make("tg"), language.Kirghiz, language.Make("tk"), language.French, language.German, language.Spanish}

func (g *gen) loadCountries() error {
	feats, err := readTopoJSON(g.path("world-atlas", "countries-50m.json"))
	if err != nil {
		return err
	}
	g.countries = map[string]*entry{}
	byCode := map[string]orb.MultiPolygon{}
	names := map[string][]string{}
	for _, f := range feats {
		props := map[string]any{"name": propString(f.Props, "name"), "id": f.ID}
		if err := g.applyOverrides("world-atlas", props); err != nil {
			return err
		}
		id := propString(props, "id")
		if id == "" {
			g.logf("countries: %s has no code, skipped", props["name"])
			continue
		}
		code := id
		if len(id) != 2 {
			r, err := language.ParseRegion(fmt.Sprintf("%03s", id))
			if err != nil {
				g.logf("countries: %s (%s): %v, skipped", props["name"], id, err)
				continue
			}
			code = r.String()
		}
		byCode[code] = append(byCode[code], f.Geom...)
		names[code] = append(names[code], propString(props, "name"))
	}
	codes := sortedKeys(byCode)
	for i, code := range codes {
		geom := byCode[code]
		g.countryFeatures = append(g.countryFeatures, shape.Feature{Key: code, Geom: geom})
		r := language.MustParseRegion(code)
		e := &entry{ID: -3000000 - i, Class: "A", Code: "PCLI", Country: code, Names: names[code]}
		e.Name = display.English.Regions().Name(r)
		if e.Name == "" {
			e.Name = names[code][0]
		}
		for _, t := range nameLangs {
			if n := display.Regions(t).Name(r); n != "" {
				e.Names = append(e.Names, n)
			}
		}
		e.Names = append(e.Names, e.Name)
		e.Names = append(e.Names, extraCountryNames[code]...)
		pt := interiorPoint(geom)
		e.Lon, e.Lat = pt[0], pt[1]
		g.countries[code] = e
		g.entries = append(g.entries, e)
	}
	g.logf("countries: %d", len(codes))
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// interiorPoint returns the centroid of the largest polygon when it lies
// inside, else a point found along the polygon's middle latitude.
func interiorPoint(mp orb.MultiPolygon) orb.Point {
	var big orb.Polygon
	bigA := -1.0
	for _, p := range mp {
		if a := math.Abs(planar.Area(p)); a > bigA {
			big, bigA = p, a
		}
	}
	c, _ := planar.CentroidArea(big)
	if planar.PolygonContains(big, c) {
		return c
	}
	b := big.Bound()
	for _, f := range []float64{0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8} {
		y := b.Min[1] + f*(b.Max[1]-b.Min[1])
		var xs []float64
		r := big[0]
		for i := 1; i < len(r); i++ {
			a, bb := r[i-1], r[i]
			if (a[1] > y) != (bb[1] > y) {
				xs = append(xs, a[0]+(y-a[1])*(bb[0]-a[0])/(bb[1]-a[1]))
			}
		}
		sort.Float64s(xs)
		bestW := 0.0
		var best orb.Point
		for i := 0; i+1 < len(xs); i += 2 {
			if w := xs[i+1] - xs[i]; w > bestW {
				bestW, best = w, orb.Point{(xs[i] + xs[i+1]) / 2, y}
			}
		}
		if bestW > 0 && planar.PolygonContains(big, best) {
			return best
		}
	}
	return c
}

// geojson is the part of a GeoJSON feature collection the generator reads.
type geojson struct {
	Features []struct {
		Properties map[string]any  `json:"properties"`
		Geometry   json.RawMessage `json:"geometry"`
	} `json:"features"`
}

func decodeGeometry(raw json.RawMessage) (orb.MultiPolygon, error) {
	var gm struct {
		Type        string          `json:"type"`
		Coordinates json.RawMessage `json:"coordinates"`
	}
	if err := json.Unmarshal(raw, &gm); err != nil {
		return nil, err
	}
	switch gm.Type {
	case "Polygon":
		var p [][][2]float64
		if err := json.Unmarshal(gm.Coordinates, &p); err != nil {
			return nil, err
		}
		return orb.MultiPolygon{toPolygon(p)}, nil
	case "MultiPolygon":
		var mp [][][][2]float64
		if err := json.Unmarshal(gm.Coordinates, &mp); err != nil {
			return nil, err
		}
		var out orb.MultiPolygon
		for _, p := range mp {
			out = append(out, toPolygon(p))
		}
		return out, nil
	}
	return nil, fmt.Errorf("geometry type %s", gm.Type)
}

func toPolygon(p [][][2]float64) orb.Polygon {
	var poly orb.Polygon
	for _, r := range p {
		ring := make(orb.Ring, len(r))
		for i, pt := range r {
			ring[i] = orb.Point(pt)
		}
		poly = append(poly, ring)
	}
	return poly
}

// simplifyGeom simplifies a multipolygon and drops rings that collapse.
func simplifyGeom(mp orb.MultiPolygon, tol float64) orb.MultiPolygon {
	out := orb.MultiPolygon{}
	for _, p := range mp {
		sp := simplify.DouglasPeucker(tol).Polygon(p.Clone())
		var keep orb.Polygon
		for i, r := range sp {
			if len(r) < 4 {
				if i == 0 {
					break
				}
				continue
			}
			keep = append(keep, r)
		}
		if len(keep) > 0 {
			out = append(out, keep)
		}
	}
	if len(out) == 0 {
		return mp
	}
	return out
}

// deaccent removes diacritics but keeps case: "Nangarhār" → "Nangarhar".
func deaccent(s string) string {
	return strings.Join(strings.Fields(foldKeepCase(s)), " ")
}

func foldKeepCase(s string) string {
	var b strings.Builder
	for _, r := range s {
		f := textnorm.Fold(string(r))
		if f == "" {
			if r == ' ' || r == '-' || r == '\'' {
				b.WriteRune(r)
			}
			continue
		}
		if strings.ToUpper(string(r)) == string(r) && strings.ToLower(string(r)) != string(r) {
			f = strings.ToUpper(f)
		}
		b.WriteString(f)
	}
	return b.String()
}

// loadAdmin1 builds the admin-1 units of the region from Natural Earth
// (Afghanistan's polygons from geoBoundaries, which also draws its
// districts) and maps GeoNames admin-1 codes to ISO 3166-2.
func (g *gen) loadAdmin1() error {
	g.admin1 = map[string]*entry{}
	g.gnToISO = map[string]string{}
	gnByID := map[int]string{}
	for code, u := range g.gnAdmin1 {
		gnByID[u.ID] = code
	}
	type unit struct {
		props map[string]any
		geom  orb.MultiPolygon
		area  float64
	}
	byISO := map[string][]unit{}
	var neAF []shape.Feature
	for _, file := range []string{"ne10m_admin1_central_south_asia.geojson", "ne10m_admin1_rus.geojson"} {
		b, err := os.ReadFile(g.path("boundaries", file))
		if err != nil {
			return err
		}
		var fc geojson
		if err := json.Unmarshal(b, &fc); err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
		for _, f := range fc.Features {
			if err := g.applyOverrides("ne10m", f.Properties); err != nil {
				return err
			}
			geom, err := decodeGeometry(f.Geometry)
			if err != nil {
				return fmt.Errorf("%s: %w", file, err)
			}
			iso := g.currentISO(f.Properties)
			geom = simplifyGeom(geom, 0.01)
			byISO[iso] = append(byISO[iso], unit{f.Properties, geom, math.Abs(planar.Area(geom))})
			if strings.HasPrefix(iso, "AF-") {
				neAF = append(neAF, shape.Feature{Key: iso, Geom: geom})
			} else {
				g.admin1Features = append(g.admin1Features, shape.Feature{Key: iso, Geom: geom})
			}
			gnID, _ := strconv.Atoi(propString(f.Properties, "gn_id"))
			if code, ok := gnByID[gnID]; ok {
				g.gnToISO[code] = iso
			}
		}
	}
	// Afghanistan's provinces from geoBoundaries, corrected.
	gb, err := readTopoJSON(g.path("boundaries", "geoBoundaries-AFG-ADM1_simplified.topojson"))
	if err != nil {
		return err
	}
	var gbAF []shape.Feature
	for _, f := range gb {
		if err := g.applyOverrides("geoboundaries-adm1", f.Props); err != nil {
			return err
		}
		iso := propString(f.Props, "shapeISO")
		if _, ok := g.iso[iso]; !ok {
			return fmt.Errorf("geoBoundaries ADM1 %q has code %q, not in ISO 3166-2: add an override", f.Props["shapeName"], iso)
		}
		gbAF = append(gbAF, shape.Feature{Key: iso, Geom: f.Geom})
	}
	g.admin1Features = append(gbAF, g.admin1Features...)
	g.admin1Layer = shape.NewLayer(g.admin1Features)
	_ = neAF

	for _, iso := range sortedKeys(byISO) {
		units := byISO[iso]
		sort.Slice(units, func(i, j int) bool { return units[i].area > units[j].area })
		p := units[0].props
		country := iso[:2]
		e := &entry{Class: "A", Code: "ADM1", Country: country, Admin1: iso}
		e.Lat, _ = strconv.ParseFloat(propString(p, "latitude"), 64)
		e.Lon, _ = strconv.ParseFloat(propString(p, "longitude"), 64)
		gnID, _ := strconv.Atoi(propString(p, "gn_id"))
		e.ID = gnID
		isoName := g.iso[iso]
		switch {
		case (country == "AF" || country == "PK") && isoName != "":
			e.Name = deaccent(isoName)
		case propString(p, "name_en") != "":
			e.Name = propString(p, "name_en")
		default:
			e.Name = deaccent(isoName)
		}
		if isoName != "" {
			e.Names = append(e.Names, isoName)
		}
		for _, u := range units {
			for _, k := range []string{"name", "name_en", "gn_name", "woe_name", "name_local", "name_fa", "name_ur", "name_ru"} {
				if v := propString(u.props, k); v != "" {
					e.Names = append(e.Names, v)
				}
			}
			if v := propString(u.props, "gns_name"); v != "" {
				e.Names = append(e.Names, strings.Split(v, ", ")[0])
			}
			for _, v := range strings.Split(propString(u.props, "name_alt"), "|") {
				if v != "" {
					e.Names = append(e.Names, v)
				}
			}
		}
		e.Names = append(e.Names, e.Name)
		g.admin1[iso] = e
		g.entries = append(g.entries, e)
	}
	for _, code := range sortedKeys(g.gnToISO) {
		iso := g.gnToISO[code]
		u := g.gnAdmin1[code]
		if e := g.admin1[iso]; e != nil {
			e.Names = append(e.Names, u.Name, u.ASCII)
		}
	}
	// GeoNames units of the region with no Natural Earth counterpart keep
	// GeoNames' code (KG.10 Osh City, TJ.RR).
	for _, code := range sortedKeys(g.gnAdmin1) {
		u := g.gnAdmin1[code]
		if !region[code[:2]] || g.gnToISO[code] != "" {
			continue
		}
		g.logf("admin-1: GeoNames %s %s has no Natural Earth unit; kept with the GeoNames code", code, u.Name)
	}
	// The Afghan provinces' names in Dari and Pashto.
	return g.afghanProvinceNames()
}

// neNames lists the names a Natural Earth admin-1 record gives its unit.
func neNames(p map[string]any) []string {
	var out []string
	for _, k := range []string{"name", "name_en", "gn_name", "woe_name", "name_local"} {
		if v := propString(p, k); v != "" {
			out = append(out, v)
		}
	}
	if v := propString(p, "gns_name"); v != "" {
		out = append(out, strings.Split(v, ", ")[0])
	}
	for _, v := range strings.Split(propString(p, "name_alt"), "|") {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

// currentISO returns the ISO 3166-2 code of a Natural Earth unit. Natural
// Earth keeps codes that ISO has since reassigned (Iran's were renumbered
// in 2020: Natural Earth's IR-07 Tehran is ISO's IR-23, and IR-07 is now
// Fars). When the ISO name of Natural Earth's code is not a name of the
// unit, the one code of the same country whose ISO name is, replaces it.
func (g *gen) currentISO(p map[string]any) string {
	iso := propString(p, "iso_3166_2")
	names := neNames(p)
	matches := func(code string) bool {
		isoName, ok := g.iso[code]
		if !ok {
			return false
		}
		for _, n := range names {
			if similar(n, isoName) {
				return true
			}
		}
		return false
	}
	if matches(iso) {
		return iso
	}
	var found []string
	for _, code := range sortedKeys(g.iso) {
		if strings.HasPrefix(code, iso[:3]) && matches(code) {
			found = append(found, code)
		}
	}
	if len(found) > 1 {
		// Several similar names ("Kerman", "Kermanshah"): the one equal
		// to a name of the unit once designators are gone.
		var exact []string
		for _, code := range found {
			k := textnorm.Key(stripped(g.iso[code]))
			for _, n := range names {
				if textnorm.Key(stripped(n)) == k {
					exact = append(exact, code)
					break
				}
			}
		}
		found = exact
	}
	if len(found) == 1 {
		g.logf("admin-1: Natural Earth's %s (%s) is ISO 3166-2 %s (%s) today; recoded", iso, p["name"], found[0], g.iso[found[0]])
		return found[0]
	}
	g.logf("admin-1: Natural Earth's %s (%s) matches no current ISO 3166-2 name (candidates %v); kept", iso, p["name"], found)
	return iso
}

// afghanProvince finds an Afghan province by any of its names.
func (g *gen) afghanProvince(name string) *entry {
	k := textnorm.Key(stripped(name))
	for _, iso := range sortedKeys(g.admin1) {
		if !strings.HasPrefix(iso, "AF-") {
			continue
		}
		e := g.admin1[iso]
		for _, n := range e.Names {
			if textnorm.Key(stripped(n)) == k {
				return e
			}
		}
	}
	return nil
}

func stripped(name string) string {
	s, _ := textnorm.StripDesignator(textnorm.Fold(name))
	return s
}

// abubakerProvince is one record of afg_provinces_districts_en_fa_ps.json.
type abubakerProvince struct {
	Name, NameFa, NamePa string
	Latitude, Longitude  string
	Districts            []struct {
		Name, NameFa, NamePa string
		Latitude, Longitude  string
	}
}

func (g *gen) readAbubaker() ([]abubakerProvince, error) {
	b, err := os.ReadFile(g.path("gazetteer", "afg_provinces_districts_en_fa_ps.json"))
	if err != nil {
		return nil, err
	}
	var ps []abubakerProvince
	if err := json.Unmarshal(b, &ps); err != nil {
		return nil, err
	}
	return ps, nil
}

// provinceAliases are the misspellings of province names in the Afghan
// district and village lists.
var provinceAliases = map[string]string{"joz jan": "Jowzjan", "sar e pul": "Sar-e Pul", "daikundi": "Daykundi", "urozgan": "Uruzgan",
	"paktya": "Paktia", "kundoz": "Kunduz", "panjsher": "Panjshir", "heart": "Herat", "loger": "Logar"}

func (g *gen) findProvince(name string) *entry {
	if e, ok := g.provinceCache[name]; ok {
		return e
	}
	e := g.findProvinceUncached(name)
	if g.provinceCache == nil {
		g.provinceCache = map[string]*entry{}
	}
	g.provinceCache[name] = e
	return e
}

func (g *gen) findProvinceUncached(name string) *entry {
	name = strings.TrimSpace(name)
	if a, ok := provinceAliases[textnorm.Fold(name)]; ok {
		name = a
	}
	return g.afghanProvince(name)
}

func (g *gen) afghanProvinceNames() error {
	ps, err := g.readAbubaker()
	if err != nil {
		return err
	}
	for _, p := range ps {
		e := g.findProvince(p.Name)
		if e == nil {
			g.logf("admin-1: abubaker47 province %q not matched", p.Name)
			continue
		}
		e.Names = append(e.Names, strings.TrimSpace(p.Name), strings.TrimSpace(p.NameFa), strings.TrimSpace(p.NamePa))
	}
	rows, err := readCSV(g.path("gazetteer", "afg_provinces_districts_openafghanistan.csv"))
	if err != nil {
		return err
	}
	for _, r := range rows {
		if r["level"] != "province" {
			continue
		}
		if e := g.findProvince(r["name_en"]); e != nil {
			e.Names = append(e.Names, r["name_en"], r["name_fa"])
		} else {
			g.logf("admin-1: OpenAfghanistan province %q not matched", r["name_en"])
		}
	}
	return nil
}

func readCSV(path string) ([]map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var out []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			if i < len(r) {
				m[h] = strings.TrimSpace(r[i])
			}
		}
		out = append(out, m)
	}
	return out, nil
}

// similar reports whether two names of one unit are spellings of each other.
func similar(a, b string) bool {
	ka, kb := textnorm.Key(stripped(a)), textnorm.Key(stripped(b))
	if ka == "" || kb == "" {
		return false
	}
	if ka == kb {
		return true
	}
	if sa := textnorm.Skeleton(ka); sa != "" && sa == textnorm.Skeleton(kb) {
		return true
	}
	return edlib.JaroWinklerSimilarity(ka, kb) >= 0.9
}

// loadDistricts builds Afghanistan's districts from geoBoundaries' polygons,
// with the names the other sources give them.
func (g *gen) loadDistricts() error {
	gb, err := readTopoJSON(g.path("boundaries", "geoBoundaries-AFG-ADM2_simplified.topojson"))
	if err != nil {
		return err
	}
	for i, f := range gb {
		if err := g.applyOverrides("geoboundaries-adm2", f.Props); err != nil {
			return err
		}
		name := propString(f.Props, "shapeName")
		e := &entry{ID: -2000000 - i, Name: name, Class: "A", Code: "ADM2", Country: "AF", Admin2: name, Names: []string{name}}
		pt := interiorPoint(f.Geom)
		e.Lon, e.Lat = pt[0], pt[1]
		if j := g.admin1Layer.Locate(pt[0], pt[1]); j >= 0 {
			e.Admin1 = g.admin1Features[j].Key
		}
		g.admin2Features = append(g.admin2Features, shape.Feature{Key: strconv.Itoa(e.ID), Geom: f.Geom})
		g.districts = append(g.districts, e)
		g.entries = append(g.entries, e)
	}
	g.admin2Layer = shape.NewLayer(g.admin2Features)
	// Match another source's district to a polygon: the one holding its
	// point if the names agree, else a similar name in the same province.
	match := func(name, province string, lat, lon float64, hasPoint bool) *entry {
		if hasPoint {
			if j := g.admin2Layer.Locate(lon, lat); j >= 0 && similar(g.districts[j].Name, name) {
				return g.districts[j]
			}
		}
		prov := g.findProvince(province)
		for _, d := range g.districts {
			if (prov == nil || d.Admin1 == prov.Admin1) && similar(d.Name, name) {
				return d
			}
		}
		return nil
	}
	ps, err := g.readAbubaker()
	if err != nil {
		return err
	}
	matched, extra := 0, 0
	for _, p := range ps {
		for _, d := range p.Districts {
			lat, e1 := strconv.ParseFloat(strings.TrimSpace(d.Latitude), 64)
			lon, e2 := strconv.ParseFloat(strings.TrimSpace(d.Longitude), 64)
			names := []string{strings.TrimSpace(d.Name), strings.TrimSpace(d.NameFa), strings.TrimSpace(d.NamePa)}
			if m := match(names[0], p.Name, lat, lon, e1 == nil && e2 == nil); m != nil {
				m.Names = append(m.Names, names...)
				matched++
				continue
			}
			if e1 != nil || e2 != nil {
				continue
			}
			e := &entry{ID: -2500000 - len(g.entries), Name: names[0], Lat: lat, Lon: lon, Class: "A", Code: "ADM2", Country: "AF", Admin2: names[0], Names: names}
			if j := g.admin1Layer.Locate(lon, lat); j >= 0 {
				e.Admin1 = g.admin1Features[j].Key
			}
			if e.Admin1 == "" || !strings.HasPrefix(e.Admin1, "AF") {
				continue
			}
			g.entries = append(g.entries, e)
			extra++
		}
	}
	g.logf("districts: %d geoBoundaries polygons; abubaker47 districts matched %d, kept apart %d", len(g.districts), matched, extra)
	rows, err := readCSV(g.path("gazetteer", "afg_provinces_districts_openafghanistan.csv"))
	if err != nil {
		return err
	}
	matched, missed := 0, 0
	for _, r := range rows {
		if r["level"] != "district" {
			continue
		}
		if m := match(r["name_en"], r["province_en"], 0, 0, false); m != nil {
			m.Names = append(m.Names, r["name_en"], r["name_fa"])
			matched++
		} else {
			missed++
		}
	}
	g.logf("districts: OpenAfghanistan districts matched %d, unmatched %d", matched, missed)
	matched, missed = 0, 0
	for _, code := range sortedKeys(g.gnAdmin2) {
		u := g.gnAdmin2[code]
		if !strings.HasPrefix(code, "AF.") {
			continue
		}
		prov := ""
		if e := g.admin1[g.gnToISO[code[:5]]]; e != nil {
			prov = e.Name
		}
		if m := match(u.Name, prov, 0, 0, false); m != nil {
			m.Names = append(m.Names, u.Name, u.ASCII)
			matched++
		} else {
			missed++
		}
	}
	g.logf("districts: GeoNames admin-2 matched %d, unmatched %d", matched, missed)
	return nil
}

// gnPlace is a GeoNames place with its source admin codes.
type gnPlace struct {
	*entry
	gnAdmin1, gnAdmin2 string
}

func (g *gen) loadPlaces() error {
	seen := map[int]bool{}
	var places []gnPlace
	for _, file := range []string{"geonames_cities500_region.txt", "geonames_cities500_RU.txt", "geonames_cities15000_world.txt"} {
		rows, err := readTSV(g.path("gazetteer", file))
		if err != nil {
			return err
		}
		for _, r := range rows {
			if len(r) < 19 {
				return fmt.Errorf("%s: %d columns", file, len(r))
			}
			id, _ := strconv.Atoi(r[0])
			if seen[id] {
				continue
			}
			seen[id] = true
			lat, _ := strconv.ParseFloat(r[4], 64)
			lon, _ := strconv.ParseFloat(r[5], 64)
			pop, _ := strconv.ParseInt(r[14], 10, 64)
			e := &entry{ID: id, Name: r[1], Lat: lat, Lon: lon, Class: r[6], Code: r[7], Country: r[8], Pop: pop}
			e.Names = append([]string{r[1], r[2]}, strings.Split(r[3], ",")...)
			p := gnPlace{entry: e}
			if r[10] != "" {
				p.gnAdmin1 = r[8] + "." + r[10]
			}
			if r[11] != "" {
				p.gnAdmin2 = p.gnAdmin1 + "." + r[11]
			}
			places = append(places, p)
		}
	}
	for _, p := range places {
		e := p.entry
		e.Admin1 = p.gnAdmin1
		if iso := g.gnToISO[p.gnAdmin1]; iso != "" {
			e.Admin1 = iso
		}
		if u, ok := g.gnAdmin2[p.gnAdmin2]; ok {
			e.Admin2 = u.ASCII
		}
		if e.Country == "AF" {
			if j := g.admin2Layer.Locate(e.Lon, e.Lat); j >= 0 {
				e.Admin2 = g.districts[j].Name
			}
			if e.Admin1 == "" || !strings.HasPrefix(e.Admin1, "AF-") {
				if j := g.admin1Layer.Locate(e.Lon, e.Lat); j >= 0 {
					e.Admin1 = g.admin1Features[j].Key
				}
			}
		}
		g.entries = append(g.entries, e)
	}
	g.logf("places: %d GeoNames places", len(places))
	return nil
}

// worldAdmin1 adds the admin-1 units outside the region, placed at their
// capital (PPLA) or at the population-weighted centre of their places.
func (g *gen) worldAdmin1() error {
	type acc struct {
		seat           *entry
		sumLat, sumLon float64
		weight         float64
	}
	by := map[string]*acc{}
	for _, e := range g.entries {
		if e.Class != "P" || region[e.Country] || e.Admin1 == "" {
			continue
		}
		a := by[e.Admin1]
		if a == nil {
			a = &acc{}
			by[e.Admin1] = a
		}
		if (e.Code == "PPLA" || e.Code == "PPLC") && a.seat == nil {
			a.seat = e
		}
		w := float64(e.Pop) + 1
		a.sumLat += e.Lat * w
		a.sumLon += e.Lon * w
		a.weight += w
	}
	n, skipped := 0, 0
	for _, code := range sortedKeys(g.gnAdmin1) {
		u := g.gnAdmin1[code]
		if region[code[:2]] {
			if g.gnToISO[code] != "" {
				continue
			}
		}
		a := by[code]
		if a == nil {
			skipped++
			continue
		}
		e := &entry{ID: u.ID, Name: u.Name, Class: "A", Code: "ADM1", Country: code[:2], Admin1: code, Names: []string{u.Name, u.ASCII}}
		if a.seat != nil {
			e.Lat, e.Lon = a.seat.Lat, a.seat.Lon
		} else {
			e.Lat, e.Lon = a.sumLat/a.weight, a.sumLon/a.weight
		}
		g.admin1[code] = e
		g.entries = append(g.entries, e)
		n++
	}
	g.logf("admin-1: %d GeoNames units outside Natural Earth's region placed; %d without a place to place them by, left out", n, skipped)
	return nil
}

// regionAdmin2 adds GeoNames' admin-2 units of the region outside
// Afghanistan, placed at their most populous place.
func (g *gen) regionAdmin2() error {
	seat := map[string]*entry{}
	for _, e := range g.entries {
		if e.Class != "P" || !region[e.Country] || e.Country == "AF" || e.Admin2 == "" {
			continue
		}
		k := e.Admin1 + "|" + e.Admin2
		if s := seat[k]; s == nil || e.Pop > s.Pop || (e.Pop == s.Pop && strings.HasPrefix(e.Code, "PPLA") && !strings.HasPrefix(s.Code, "PPLA")) {
			seat[k] = e
		}
	}
	byAdmin1 := map[string][]*entry{}
	for _, e := range g.entries {
		if e.Class == "P" && region[e.Country] && e.Country != "AF" && e.Admin1 != "" {
			byAdmin1[e.Admin1] = append(byAdmin1[e.Admin1], e)
		}
	}
	n, skipped, named := 0, 0, 0
	for _, code := range sortedKeys(g.gnAdmin2) {
		if strings.HasPrefix(code, "AF.") {
			continue
		}
		u := g.gnAdmin2[code]
		a1 := code[:strings.LastIndex(code, ".")]
		iso := g.gnToISO[a1]
		if iso == "" {
			iso = a1
		}
		e := &entry{ID: u.ID, Name: u.Name, Class: "A", Code: "ADM2", Country: code[:2], Admin1: iso, Admin2: u.ASCII, Names: []string{u.Name, u.ASCII}}
		if s := seat[iso+"|"+u.ASCII]; s != nil {
			e.Lat, e.Lon = s.Lat, s.Lon
		} else if s := seatByName(byAdmin1[iso], u.ASCII); s != nil {
			// The district's places carry no admin-2 code, but one of
			// its province's places gives the district its name: its
			// seat ("Vedenskiy Rayon" → Vedeno).
			e.Lat, e.Lon = s.Lat, s.Lon
			named++
		} else if a := g.admin1[iso]; a != nil {
			// No place of the district is known: it stands at its
			// province's point, marked so that the geocoder reports
			// province precision.
			e.Lat, e.Lon, e.Code = a.Lat, a.Lon, "ADM2NP"
			skipped++
		} else {
			continue
		}
		g.entries = append(g.entries, e)
		n++
	}
	g.logf("admin-2: %d GeoNames units of the region outside Afghanistan; %d placed at the place they are named after; %d with no place in the gazetteer, placed at their province (code ADM2NP)", n, named, skipped)
	return nil
}

// rayonSuffixes are the adjective endings that make a Russian (and
// Central Asian) district's name from its seat's: Vedeno → Vedenskiy,
// Nazran → Nazranovskiy, Shali → Shalinskiy.
var rayonSuffixes = []string{"skiy", "skii", "skaya", "sky", "ski"}

// seatByName returns the place among places (one province's) that a
// district is named after: the same name once designators are gone
// ("Swat District" → Swat), or the stem of a Russian-style adjective
// ("Vedenskiy Rayon" → Vedeno, "Groznenskiy" → Groznyy), the most populous
// when several fit; nil when none does.
func seatByName(places []*entry, district string) *entry {
	name, _ := textnorm.StripDesignator(textnorm.Fold(district))
	words := strings.Fields(name)
	if len(words) == 0 {
		return nil
	}
	key := strings.Join(words, "")
	stem := ""
	for _, suf := range rayonSuffixes {
		if strings.HasSuffix(key, suf) && len(key)-len(suf) >= 4 {
			stem = key[:len(key)-len(suf)]
			break
		}
	}
	var best *entry
	bestExact := false
	for _, p := range places {
		pk := textnorm.Key(p.Name)
		exact := pk == key
		if !exact && (stem == "" || !stemOf(stem, pk)) {
			continue
		}
		if best == nil || (exact && !bestExact) || (exact == bestExact && p.Pop > best.Pop) {
			best, bestExact = p, exact
		}
	}
	return best
}

// stemOf reports whether an adjective stem ("veden", "nazranov",
// "groznen") comes from a place's key ("vedeno", "nazran", "groznyy"):
// they share all but the place's last two letters and the stem's last
// three, and at least four.
func stemOf(stem, place string) bool {
	n := 0
	for n < len(stem) && n < len(place) && stem[n] == place[n] {
		n++
	}
	return n >= 4 && n >= len(place)-2 && n >= len(stem)-3
}

// loadVillages adds the Afghan villages whose point lies in the province
// their record names; the others are counted and left out.
func (g *gen) loadVillages() error {
	b, err := os.ReadFile(g.path("gazetteer", "afg_villages.json"))
	if err != nil {
		return err
	}
	var vs []struct {
		No                  int
		Province, District  string
		Name                string `json:"Village Name"`
		Latitude, Longitude float64
	}
	if err := json.Unmarshal(b, &vs); err != nil {
		return err
	}
	kept, outside, unnamed := 0, 0, 0
	for _, v := range vs {
		name := strings.TrimSpace(v.Name)
		if name == "" || textnorm.Key(name) == "" {
			unnamed++
			continue
		}
		j := g.admin1Layer.Locate(v.Longitude, v.Latitude)
		prov := g.findProvince(v.Province)
		if j < 0 || prov == nil || g.admin1Features[j].Key != prov.Admin1 {
			outside++
			continue
		}
		e := &entry{ID: -1000000 - v.No, Name: name, Lat: v.Latitude, Lon: v.Longitude, Class: "P", Code: "PPL", Country: "AF", Admin1: prov.Admin1, Names: []string{name}}
		if k := g.admin2Layer.Locate(v.Longitude, v.Latitude); k >= 0 {
			e.Admin2 = g.districts[k].Name
		}
		g.entries = append(g.entries, e)
		kept++
	}
	g.logf("villages: %d kept; %d whose point lies outside the province their record names, left out; %d unnamed", kept, outside, unnamed)
	return nil
}

// loadVariants adds the curated spellings of variants.tsv.
func (g *gen) loadVariants() error {
	rows, err := readTSV(g.path("variants.tsv"))
	if err != nil {
		return err
	}
	for _, r := range rows[1:] {
		if len(r) < 4 {
			return fmt.Errorf("variants.tsv: short row %q", r)
		}
		country, level, unit := r[0], r[1], r[2]
		variants := strings.Split(r[3], "|")
		var target *entry
		switch level {
		case "ADM1":
			target = g.admin1[unit]
		case "PCLI":
			target = g.countries[unit]
		default:
			k := textnorm.Key(stripped(unit))
			for _, e := range g.entries {
				if e.Country != country || (level == "ADM2") != strings.HasPrefix(e.Code, "ADM2") || (level == "PPL") != (e.Class == "P") {
					continue
				}
				if textnorm.Key(stripped(e.Name)) != k {
					continue
				}
				if target == nil || e.Pop > target.Pop {
					target = e
				}
			}
		}
		if target == nil {
			return fmt.Errorf("variants.tsv: no %s %s %q", country, level, unit)
		}
		target.Names = append(target.Names, variants...)
		if level == "ADM1" {
			target.Names = append(target.Names, target.Name)
			target.Name = variants[0]
		}
	}
	return nil
}

// keys returns the lookup keys of an entry's names: each name's key and,
// for administrative units, the key without designator words.
func keys(e *entry) []string {
	seen := map[string]bool{}
	var out []string
	add := func(k string) {
		if !region[e.Country] && !worldScript(k) {
			return
		}
		if k != "" && !seen[k] && !strings.ContainsAny(k, " \t") {
			seen[k] = true
			out = append(out, k)
		}
	}
	for _, n := range e.Names {
		f := textnorm.Fold(n)
		add(strings.ReplaceAll(f, " ", ""))
		if e.Class == "A" || e.Class == "P" {
			s, _ := textnorm.StripDesignator(f)
			add(strings.ReplaceAll(s, " ", ""))
		}
	}
	return out
}

// worldScript reports whether a key is in a script kept for places outside
// the region: Latin, Cyrillic or Arabic (the scripts of the region's own
// press). Names in other scripts are kept for the region's places only.
func worldScript(k string) bool {
	for _, r := range k {
		if r < 0x80 || (r >= 0x400 && r <= 0x52F) || (r >= 0x600 && r <= 0x6FF) || (r >= 0x750 && r <= 0x77F) || (r >= 0xFB50 && r <= 0xFEFF) {
			continue
		}
		return false
	}
	return true
}

func (g *gen) write(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	sort.SliceStable(g.entries, func(i, j int) bool { return g.entries[i].ID < g.entries[j].ID })
	if err := writeGzip(filepath.Join(dir, "places.tsv.gz"), func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		fmt.Fprintln(bw, "# id\tclass\tcode\tcountry\tadmin1\tadmin2\tlat\tlon\tpopulation\tname\tkeys (space-separated)")
		seen := map[int]bool{}
		for _, e := range g.entries {
			if seen[e.ID] {
				continue
			}
			seen[e.ID] = true
			ks := keys(e)
			if len(ks) == 0 {
				continue
			}
			fmt.Fprintf(bw, "%d\t%s\t%s\t%s\t%s\t%s\t%.5f\t%.5f\t%d\t%s\t%s\n", e.ID, e.Class, e.Code, e.Country, e.Admin1, clean(e.Admin2),
				e.Lat, e.Lon, e.Pop, clean(e.Name), strings.Join(ks, " "))
		}
		return bw.Flush()
	}); err != nil {
		return err
	}
	for name, fs := range map[string][]shape.Feature{"countries.shp.gz": g.countryFeatures, "admin1.shp.gz": g.admin1Features, "admin2.shp.gz": g.admin2Features} {
		if err := writeGzip(filepath.Join(dir, name), func(w io.Writer) error { return shape.Encode(w, fs) }); err != nil {
			return err
		}
	}
	sort.Strings(g.stats)
	return os.WriteFile(filepath.Join(dir, "BUILD.txt"), []byte("Generated by go run ./geo/gazgen; do not edit.\n\n"+strings.Join(g.stats, "\n")+"\n"), 0o644)
}

func clean(s string) string {
	return strings.NewReplacer("\t", " ", "\n", " ").Replace(strings.TrimSpace(s))
}

func writeGzip(path string, fn func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw, _ := gzip.NewWriterLevel(f, gzip.BestCompression)
	zw.ModTime = time.Time{}
	if err := fn(zw); err != nil {
		f.Close()
		return err
	}
	if err := zw.Close(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
