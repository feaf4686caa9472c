// Package geo is vigil's offline knowledge of places: an embedded gazetteer
// of the region of focus (Afghanistan, Pakistan, Iran, Central Asia,
// Russia) and the world, boundaries that map coordinates to country,
// province (admin-1) and district (admin-2), and a geocoder that reads place
// descriptions the way an analyst of the region would and says how sure it
// is and why.
//
// The data are built by the generator in geo/gazgen from the sources in
// data/sources and embedded from geo/data; Default loads them once.
package geo

import (
	"bytes"
	"compress/gzip"
	"embed"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/tidwall/rtree"

	"github.com/vigil-osint/vigil/geo/internal/shape"
	"github.com/vigil-osint/vigil/geo/internal/textnorm"
)

//go:generate go run ./gazgen -src ../data/sources -out data

//go:embed data/places.tsv.gz data/countries.shp.gz data/admin1.shp.gz data/admin2.shp.gz
var embedded embed.FS

// Region lists the ISO 3166-1 alpha-2 codes of vigil's region of focus,
// which the gazetteer covers down to places of 500 people and districts.
var Region = []string{"AF", "PK", "IR", "TJ", "UZ", "KG", "TM", "KZ", "RU"}

// InRegion reports whether country (ISO 3166-1 alpha-2) is in Region.
func InRegion(country string) bool {
	for _, c := range Region {
		if c == country {
			return true
		}
	}
	return false
}

// Place is one entry of the gazetteer.
type Place struct {
	ID           int64   `json:"geonameid,omitempty"` // GeoNames id; negative for entries from other sources
	Name         string  `json:"name"`
	Latitude     float64 `json:"latitude"`
	Longitude    float64 `json:"longitude"`
	FeatureClass string  `json:"feature_class"` // GeoNames class: P populated place, A administrative unit
	FeatureCode  string  `json:"feature_code"`  // PPL, PPLA, PPLC, ADM1, ADM2, PCLI; ADM2NP is a district placed at its province
	Country      string  `json:"country"`       // ISO 3166-1 alpha-2
	Admin1       string  `json:"admin1,omitempty"`
	Admin1Name   string  `json:"admin1_name,omitempty"`
	Admin2Name   string  `json:"admin2_name,omitempty"`
	Population   int64   `json:"population,omitempty"`
}

// place is the compact in-memory form of a Place.
type place struct {
	id       int64
	name     string
	lat, lon float32
	class    byte
	code     string
	country  string
	admin1   string
	admin2   string
	pop      int64
	keys     string // the entry's name keys, space-separated
}

// kind classifies an entry for ranking and precision.
type kind uint8

const (
	kindPlace kind = iota
	kindAdmin2
	kindAdmin2NoPoint
	kindAdmin1
	kindCountry
)

func (p *place) kind() kind {
	switch {
	case p.class == 'P':
		return kindPlace
	case p.code == "ADM1":
		return kindAdmin1
	case p.code == "ADM2":
		return kindAdmin2
	case p.code == "ADM2NP":
		return kindAdmin2NoPoint
	case strings.HasPrefix(p.code, "PCL"):
		return kindCountry
	}
	return kindPlace
}

// Gazetteer holds the places, their name index and the boundaries.
type Gazetteer struct {
	places    []place
	keys      map[string]uint32 // name key → a place, or (with multi set) a list in multi
	multi     [][]int32         // the places of keys that name several
	skelOnce  sync.Once
	skeletons map[string][]int32 // consonant skeleton of Latin keys → places, built on first use
	admin1    map[string]int32   // admin-1 code → its entry
	countries map[string]int32   // ISO2 → its entry

	countryLayer, admin1Layer, admin2Layer *shape.Layer
	countryByKey                           map[string]int // ISO2 → feature of countryLayer
	admin2Place                            []int32        // admin2Layer feature → place

	districtOnce      sync.Once
	districtsByAdmin1 map[string][]int32 // admin-1 code → its districts, built on first use

	townOnce sync.Once
	towns    rtree.RTreeG[int32] // populated places outside the region, built on first use

	fuzzyOnce sync.Once
	fuzzy     map[string][]fuzzyKey // first three letters → keys, by length
}

type fuzzyKey struct {
	key    string
	places []int32
}

var (
	defaultOnce sync.Once
	defaultGaz  *Gazetteer
	defaultErr  error
)

// Default returns the embedded gazetteer, loading it on first use.
func Default() (*Gazetteer, error) {
	defaultOnce.Do(func() { defaultGaz, defaultErr = Load() })
	return defaultGaz, defaultErr
}

// Load parses the embedded gazetteer and boundaries anew. Most callers
// want Default, which does this once.
func Load() (*Gazetteer, error) {
	g := &Gazetteer{}
	// The boundaries decode while the places parse: a third of the time
	// on a second core.
	layers := []struct {
		file  string
		layer **shape.Layer
	}{{"data/countries.shp.gz", &g.countryLayer}, {"data/admin1.shp.gz", &g.admin1Layer}, {"data/admin2.shp.gz", &g.admin2Layer}}
	layerErr := make(chan error, 1)
	go func() {
		for _, l := range layers {
			fs, err := readLayer(l.file)
			if err != nil {
				layerErr <- err
				return
			}
			*l.layer = shape.NewLayer(fs)
		}
		layerErr <- nil
	}()
	errPlaces := g.loadPlaces()
	if err := errorsJoin(errPlaces, <-layerErr); err != nil {
		return nil, err
	}
	g.countryByKey = map[string]int{}
	for i, f := range g.countryLayer.Features {
		g.countryByKey[f.Key] = i
	}
	byID := map[int64]int32{}
	for i := range g.places {
		if g.places[i].code == "ADM2" && g.places[i].id < 0 {
			byID[g.places[i].id] = int32(i)
		}
	}
	g.admin2Place = make([]int32, len(g.admin2Layer.Features))
	for i, f := range g.admin2Layer.Features {
		id, _ := strconv.ParseInt(f.Key, 10, 64)
		p, ok := byID[id]
		if !ok {
			return nil, fmt.Errorf("geo: admin-2 boundary %s has no entry", f.Key)
		}
		g.admin2Place[i] = p
	}
	return g, nil
}

func readLayer(file string) ([]shape.Feature, error) {
	f, err := embedded.Open(file)
	if err != nil {
		return nil, fmt.Errorf("geo: %w", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("geo: %s: %w", file, err)
	}
	fs, err := shape.Decode(zr)
	if err != nil {
		return nil, fmt.Errorf("geo: %s: %w", file, err)
	}
	return fs, nil
}

func (g *Gazetteer) loadPlaces() error {
	raw, err := embedded.ReadFile("data/places.tsv.gz")
	if err != nil {
		return fmt.Errorf("geo: %w", err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return fmt.Errorf("geo: places: %w", err)
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		return fmt.Errorf("geo: places: %w", err)
	}
	// One string holds the whole table, so names and keys are substrings
	// of it and cost no allocation each.
	text := string(data)
	n := strings.Count(text, "\n")
	g.places = make([]place, 0, n)
	g.keys = make(map[string]uint32, 6*n)
	g.admin1 = map[string]int32{}
	g.countries = map[string]int32{}
	line := 0
	for len(text) > 0 {
		var l string
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			l, text = text[:i], text[i+1:]
		} else {
			l, text = text, ""
		}
		line++
		if l == "" || l[0] == '#' {
			continue
		}
		var f [11]string
		for i := 0; i < 10; i++ {
			j := strings.IndexByte(l, '\t')
			if j < 0 {
				return fmt.Errorf("geo: places line %d: %d fields", line, i+1)
			}
			f[i], l = l[:j], l[j+1:]
		}
		f[10] = l
		id, err1 := strconv.ParseInt(f[0], 10, 64)
		lat, err2 := strconv.ParseFloat(f[6], 32)
		lon, err3 := strconv.ParseFloat(f[7], 32)
		pop, err4 := strconv.ParseInt(f[8], 10, 64)
		if err := errorsJoin(err1, err2, err3, err4); err != nil {
			return fmt.Errorf("geo: places line %d: %w", line, err)
		}
		p := place{id: id, class: f[1][0], code: f[2], country: f[3], admin1: f[4], admin2: f[5],
			lat: float32(lat), lon: float32(lon), pop: pop, name: f[9], keys: f[10]}
		idx := int32(len(g.places))
		g.places = append(g.places, p)
		switch p.kind() {
		case kindAdmin1:
			g.admin1[p.admin1] = idx
		case kindCountry:
			g.countries[p.country] = idx
		}
		keys := f[10]
		for len(keys) > 0 {
			var k string
			if j := strings.IndexByte(keys, ' '); j >= 0 {
				k, keys = keys[:j], keys[j+1:]
			} else {
				k, keys = keys, ""
			}
			g.addKey(k, idx)
		}
	}
	return nil
}

// multiBit marks a keys value that indexes multi rather than places.
const multiBit = 1 << 31

func (g *Gazetteer) addKey(k string, idx int32) {
	v, ok := g.keys[k]
	switch {
	case !ok:
		g.keys[k] = uint32(idx)
	case v&multiBit != 0:
		g.multi[v&^multiBit] = append(g.multi[v&^multiBit], idx)
	case int32(v) != idx:
		g.keys[k] = uint32(len(g.multi)) | multiBit
		g.multi = append(g.multi, []int32{int32(v), idx})
	}
}

// lookupKey returns the places one of whose names has key k.
func (g *Gazetteer) lookupKey(k string) []int32 {
	v, ok := g.keys[k]
	switch {
	case !ok:
		return nil
	case v&multiBit != 0:
		return g.multi[v&^multiBit]
	default:
		return []int32{int32(v)}
	}
}

// buildSkeletons indexes the Latin keys of the region's entries by their
// consonant skeleton: transliteration variants are the region's problem,
// and a skeleton match elsewhere is more often a coincidence.
func (g *Gazetteer) buildSkeletons() {
	g.skeletons = make(map[string][]int32, len(g.keys)/4)
	for k := range g.keys {
		s := textnorm.Skeleton(k)
		if s == "" {
			continue
		}
		for _, idx := range g.lookupKey(k) {
			if !InRegion(g.places[idx].country) {
				continue
			}
			l := g.skeletons[s]
			if !containsIdx(l, idx) {
				g.skeletons[s] = append(l, idx)
			}
		}
	}
}

func containsIdx(l []int32, idx int32) bool {
	for _, v := range l {
		if v == idx {
			return true
		}
	}
	return false
}

func errorsJoin(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// namesUnit reports whether key is a name of the admin-1 unit code.
func (g *Gazetteer) namesUnit(code, key string) bool {
	i, ok := g.admin1[code]
	if !ok {
		return false
	}
	for _, k := range strings.Fields(g.places[i].keys) {
		if k == key {
			return true
		}
	}
	return false
}

// Len returns the number of entries.
func (g *Gazetteer) Len() int { return len(g.places) }

// place returns the public form of entry i.
func (g *Gazetteer) place(i int32) Place {
	p := &g.places[i]
	return Place{ID: p.id, Name: p.name, Latitude: round5(float64(p.lat)), Longitude: round5(float64(p.lon)),
		FeatureClass: string(p.class), FeatureCode: p.code, Country: p.country, Admin1: p.admin1,
		Admin1Name: g.Admin1Name(p.admin1), Admin2Name: p.admin2, Population: p.pop}
}

func round5(v float64) float64 { return math.Round(v*1e5) / 1e5 }

// Admin1Name returns the name of an admin-1 unit by its code (ISO 3166-2
// where one exists, else GeoNames' "CC.NN"), or "".
func (g *Gazetteer) Admin1Name(code string) string {
	if i, ok := g.admin1[code]; ok {
		return g.places[i].name
	}
	return ""
}

// CountryName returns the English name of a country by its ISO 3166-1
// alpha-2 code, or "".
func (g *Gazetteer) CountryName(code string) string {
	if i, ok := g.countries[code]; ok {
		return g.places[i].name
	}
	return ""
}

// CountryCode resolves a country's name or code in any of the gazetteer's
// spellings and scripts ("Afghanistan", "Russia (Soviet Union)", "Иран",
// "PK") to its ISO 3166-1 alpha-2 code.
func (g *Gazetteer) CountryCode(name string) (string, bool) {
	name = strings.TrimSpace(name)
	if len(name) == 2 {
		if _, ok := g.countries[strings.ToUpper(name)]; ok {
			return strings.ToUpper(name), true
		}
	}
	if i := strings.IndexByte(name, '('); i > 0 {
		if c, ok := g.CountryCode(name[:i]); ok {
			return c, true
		}
	}
	for _, i := range g.lookupKey(textnorm.Key(name)) {
		if g.places[i].kind() == kindCountry {
			return g.places[i].country, true
		}
	}
	return "", false
}

// Lookup returns the entries one of whose names matches name exactly after
// folding case, diacritics, punctuation and spacing, or, failing that,
// through the curated variants and the consonant skeleton of its
// transliteration ("Kondoz" → Kunduz), most populous first.
func (g *Gazetteer) Lookup(name string) []Place {
	ms := g.match(textnorm.Key(name), false)
	out := make([]Place, len(ms))
	for i, m := range ms {
		out[i] = g.place(m.idx)
	}
	return out
}

// LookupFuzzy is Lookup that falls back to approximate matching (Jaro-
// Winkler similarity of at least min, 0.88 if min is 0) when nothing
// matches exactly or by skeleton.
func (g *Gazetteer) LookupFuzzy(name string, min float64) []Place {
	k := textnorm.Key(name)
	ms := g.match(k, false)
	if len(ms) == 0 {
		ms = g.fuzzyMatch(k, min)
	}
	out := make([]Place, len(ms))
	for i, m := range ms {
		out[i] = g.place(m.idx)
	}
	return out
}

// nameMatch is one entry matched by name, with how well.
type nameMatch struct {
	idx     int32
	quality float64 // 1 exact; less for skeleton and fuzzy matches
	how     string
}

// exact finds entries by key only.
func (g *Gazetteer) exact(key string) []nameMatch {
	ids := g.lookupKey(key)
	out := make([]nameMatch, len(ids))
	for i, id := range ids {
		out[i] = nameMatch{id, 1, "exact"}
	}
	return out
}

// match finds entries by key, then by skeleton; with all, by both.
func (g *Gazetteer) match(key string, all bool) []nameMatch {
	if key == "" {
		return nil
	}
	out := g.exact(key)
	if len(out) > 0 && !all {
		g.sortMatches(out)
		return out
	}
	exact := len(out)
	if s := textnorm.Skeleton(key); s != "" {
		g.skelOnce.Do(g.buildSkeletons)
		for _, i := range g.skeletons[s] {
			if matched(out[:exact], i) {
				continue
			}
			// The skeleton finds candidates; the closest of the entry's
			// Latin names must also be similar letter by letter.
			sim := g.bestSimilarity(i, key)
			// A skeleton of three consonants is weak evidence: the
			// spelling must then also be within a quarter of edits.
			if sim >= 0.8 && (len(s) > 3 || g.bestEditSimilarity(i, key) >= 0.75) {
				out = append(out, nameMatch{i, 0.75 + 0.2*sim, fmt.Sprintf("transliteration variant (similarity %.2f)", sim)})
			}
		}
	}
	g.sortMatches(out)
	return out
}

func matched(ms []nameMatch, i int32) bool {
	for _, m := range ms {
		if m.idx == i {
			return true
		}
	}
	return false
}

func (g *Gazetteer) sortMatches(ms []nameMatch) {
	sort.SliceStable(ms, func(a, b int) bool {
		if ms[a].quality != ms[b].quality {
			return ms[a].quality > ms[b].quality
		}
		return g.places[ms[a].idx].pop > g.places[ms[b].idx].pop
	})
}
