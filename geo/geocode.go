package geo

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/geo/internal/textnorm"
)

// Query is a place description to geocode, with what else is known.
type Query struct {
	Text    string   `json:"text"`
	Country string   `json:"country,omitempty"` // ISO 3166-1 alpha-2 (or a country name) the place is expected in
	Admin1  string   `json:"admin1,omitempty"`  // admin-1 code or name the place is expected in
	Near    *Point   `json:"near,omitempty"`    // a point the place is expected near
	Context []string `json:"context,omitempty"` // other places named in the same document
}

// Point is a latitude and longitude in degrees.
type Point struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

// Candidate is one reading of a query: a place, how precisely it locates
// the query, and why it ranks where it does.
type Candidate struct {
	Name              string                  `json:"name"`
	Latitude          float64                 `json:"latitude"`
	Longitude         float64                 `json:"longitude"`
	FeatureClass      string                  `json:"feature_class"`
	FeatureCode       string                  `json:"feature_code,omitempty"`
	GeonameID         int64                   `json:"geonameid,omitempty"` // GeoNames id; negative for entries from other sources
	Country           string                  `json:"country"`
	Admin1            string                  `json:"admin1,omitempty"`
	Admin1Name        string                  `json:"admin1_name,omitempty"`
	Admin2Name        string                  `json:"admin2_name,omitempty"`
	Population        int64                   `json:"population,omitempty"`
	LocationPrecision vigil.LocationPrecision `json:"location_precision"` // UCDP's where_prec scale, 1 exact … 7 water or airspace
	Score             float64                 `json:"score"`              // higher is better; comparable within one query only
	Reasons           []string                `json:"reasons"`            // why the candidate ranks where it does
}

// maxCandidates bounds the candidates Geocode returns.
const maxCandidates = 10

// Geocode reads a place description and returns its candidate locations,
// best first, or none when nothing in it is known. It understands
// designators ("X province", "X district of Y province", "Jalalabad city",
// "PD8 of Kabul city"), comma hierarchies ("Achin District, Nangarhar
// Province, Afghanistan"), relations ("near X" at precision 2, "between X
// and Y" and lists of provinces at precision 5, at the centre of what they
// span), spellings in Latin, Arabic and Cyrillic script, transliteration
// variants and, above a similarity threshold, misspellings.
func (g *Gazetteer) Geocode(ctx context.Context, q Query) ([]Candidate, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("geo: geocode: %w", err)
	}
	r := &resolver{g: g, q: q}
	r.hints()
	cands := r.expr(parse(q.Text, g.known))
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].Score > cands[j].Score })
	if len(cands) > maxCandidates {
		cands = cands[:maxCandidates]
	}
	for i := range cands {
		cands[i].Score = math.Round(cands[i].Score*1000) / 1000
	}
	return cands, nil
}

// Geocode geocodes with the embedded gazetteer.
func Geocode(ctx context.Context, q Query) ([]Candidate, error) {
	g, err := Default()
	if err != nil {
		return nil, err
	}
	return g.Geocode(ctx, q)
}

// ---- parsing ----

// relation is how a description relates its places to the location.
type relation int

const (
	relAt      relation = iota // the place itself
	relNear                    // within about 25 km of the place
	relBetween                 // between two places
	relList                    // somewhere in several units
)

// expr is a parsed description: a relation over chains of segments.
type expr struct {
	rel    relation
	chains []chain
	sub    chain // for relNear: a sub-place named before the relation ("X area on the outskirts of Y")
	why    string
	// offsetKm and bearing are a distance phrase's: "75 km south of
	// Tabriz" is 75 km at bearing 180°; bearing is -1 when the text gives
	// none ("20 km from Kabul").
	offsetKm float64
	bearing  float64
	dir      string // the direction as written, for the candidate's name
}

// chain is a place and the units that contain it, most specific first.
type chain []segment

// segment is one name with the level its designator words mark.
type segment struct {
	text     string // folded, designators stripped
	alt      string // text without a leading direction ("southern"), tried when text is unknown
	raw      string // folded as written
	level    textnorm.Level
	plural   bool // "provinces", "districts": a list
	cityPart bool // "PD8", "third police district": a part of a city
	implied  bool // level inferred from the segment's place in the chain
	feature  bool // a feature word was stripped: "Bagram Airfield"
}

var (
	reBrackets   = regexp.MustCompile(`\[[^\]]*\]|#`)
	reParen      = regexp.MustCompile(`\(([^)]*)\)`)
	reBetween    = regexp.MustCompile(`(?i)\bbetween\s+(.+?)\s+and\s+(.+)$`)
	reNear       = regexp.MustCompile(`(?i)^(.*?)\s*\b(?:near(?:by)?|close to|in the vicinity of|vicinity of|(?:on )?the outskirts of|outskirts of|(?:a |the )?suburbs? of|outside(?: of)?|(?:\d+(?:\.\d+)?\s*(?:km|kilometers|kilometres|miles)\s*(?:\([^)]*\)\s*)?)?(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)(?:ern)?\s+of)\s+(.+)$`)
	reOffset     = regexp.MustCompile(`(?i)^(.*?)\s*\b(?:(?:about|some|around|approximately|roughly|nearly|almost)\s+)?(\d+(?:\.\d+)?)\s*-?\s*(km|kms|kilometers?|kilometres?|miles?|mi)\b\.?\s*(?:\([^)]*\)\s*)?(?:(?:to the\s+)?(north|south|east|west|north-?east|north-?west|south-?east|south-?west)(?:ern|wards?)?\s+of|(?:away\s+)?from|outside(?:\s+of)?)\s+(.+)$`)
	reRoad       = regexp.MustCompile(`(?i)^(?:the\s+)?(.+?-.+?)\s+(?:highway|road|motorway|expressway)\b(.*)$`)
	reNearParen  = regexp.MustCompile(`(?i)\b(?:ou?t?side of|outskirts of|near|vicinity of)\b`)
	reCityPart   = regexp.MustCompile(`(?i)^(?:pd\s*\d+|police district\s*\d+|district\s*\d+|nahia\s*\d+|(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|\d+(?:st|nd|rd|th))\s+(?:police\s+)?district)$`)
	reOfSplit    = regexp.MustCompile(`(?i)\s+(?:of|in|at)\s+`)
	rePossessive = regexp.MustCompile(`^(.+?)['’]s\s+(.+)$`)
	reAnd        = regexp.MustCompile(`(?i)\s*(?:,\s*and|,|\band|&)\s+`)
	reLead       = regexp.MustCompile(`(?i)^(?:the|a|an|in|at|from|on)\s+`)
	reDirection  = regexp.MustCompile(`(?i)^(?:(?:north|south|east|west|central|north-?east|north-?west|south-?east|south-?west)(?:ern)?|upper|lower)\s+`)
	reOfPrefix   = regexp.MustCompile(`(?i)^(village|town|city|district|province|region|area)\s+of\s+`)
)

// parse reads a description into an expression. known, when not nil,
// tells whether the gazetteer holds a name, so that a name with "and" in it
// ("Sistan and Baluchestan", "Jammu and Kashmir") is not read as a list.
func parse(text string, known func(string) bool) expr {
	t := reBrackets.ReplaceAllString(text, " ")
	nearParen := false
	t = reParen.ReplaceAllStringFunc(t, func(m string) string {
		inner := m[1 : len(m)-1]
		if reNearParen.MatchString(inner) {
			nearParen = true
		}
		// A parenthesis that names a place ("(kunduz)") stays a segment,
		// and so does one that places by distance ("(18 km south of X)").
		if len(strings.Fields(inner)) == 1 && !reNearParen.MatchString(inner) || reOffset.MatchString(numberWords(inner)) {
			return ", " + inner
		}
		return " "
	})
	t = strings.NewReplacer("/", ",", ";", ",", "–", " - ", "\n", " ").Replace(t)
	t = numberWords(t)
	t = strings.TrimSpace(strings.Trim(strings.TrimSpace(t), ".,"))
	if m := reBetween.FindStringSubmatch(t); m != nil {
		return expr{rel: relBetween, chains: []chain{parseChain(m[1]), parseChain(m[2])}, why: "between two places"}
	}
	if m := reRoad.FindStringSubmatch(t); m != nil && known != nil {
		if a, b, ok := splitRoad(m[1], known); ok {
			return expr{rel: relBetween, chains: []chain{parseChain(a + m[2]), parseChain(b + m[2])}, why: "a road between two places"}
		}
	}
	if m := reOffset.FindStringSubmatch(t); m != nil {
		if anchor := parseList(m[5], known); anchor.rel == relAt {
			km, _ := strconv.ParseFloat(m[2], 64)
			if strings.HasPrefix(strings.ToLower(m[3]), "mi") {
				km *= 1.609344
			}
			e := expr{rel: relNear, chains: anchor.chains, why: "a distance from a named place", offsetKm: km, bearing: -1}
			if m[4] != "" {
				e.dir = strings.ToLower(strings.ReplaceAll(m[4], "-", ""))
				e.bearing = bearings[e.dir]
			}
			if sub := strings.Trim(strings.TrimSpace(m[1]), ","); sub != "" {
				e.sub = parseChain(sub)
			}
			return e
		}
	}
	if m := reNear.FindStringSubmatch(t); m != nil {
		anchor := parseList(m[2], known)
		if anchor.rel == relAt {
			e := expr{rel: relNear, chains: anchor.chains, why: "near a named place"}
			if sub := strings.Trim(strings.TrimSpace(m[1]), ","); sub != "" {
				e.sub = parseChain(sub)
			}
			return e
		}
		return anchor
	}
	e := parseList(t, known)
	if e.rel == relAt && nearParen {
		e.rel, e.why = relNear, "near a named place"
	}
	return e
}

// splitRoad splits the name of a road ("Kunduz-Takhar", "Mazar-i-Sharif -
// Shibirghan") at the hyphen that leaves a known place on either side.
func splitRoad(s string, known func(string) bool) (string, string, bool) {
	for i := 0; i < len(s); i++ {
		if s[i] != '-' {
			continue
		}
		a, b := strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+1:])
		if a != "" && b != "" && known(a) && known(b) {
			return a, b, true
		}
	}
	return "", "", false
}

// featureWords name a feature at or by a place ("Bagram Airfield", "Kurram
// Valley", "Jabaliyah refugee camp"): the place is the name before them,
// the feature a part of it or close by, as an "area" is.
var featureWords = map[string]bool{"valley": true, "airfield": true, "airport": true, "airbase": true, "base": true,
	"camp": true, "checkpoint": true, "dam": true, "bridge": true, "hospital": true, "mosque": true, "university": true}

// featureQualifiers may stand before a feature word: "air base", "military
// checkpoint", "refugee camp".
var featureQualifiers = map[string]bool{"air": true, "military": true, "army": true, "refugee": true, "international": true}

// stripFeature removes a trailing feature word and its qualifiers from a
// folded name, and reports whether there was one.
func stripFeature(s string) (string, bool) {
	w := strings.Fields(s)
	n := len(w)
	if n < 2 || !featureWords[w[n-1]] {
		return s, false
	}
	n--
	for n > 1 && featureQualifiers[w[n-1]] {
		n--
	}
	if n == 1 && genericWords[w[0]] {
		return s, false // "a new checkpoint" names no place
	}
	return strings.Join(w[:n], " "), true
}

// genericWords are adjectives that, left alone before a feature word,
// name no place.
var genericWords = map[string]bool{"new": true, "old": true, "main": true, "big": true, "small": true, "local": true,
	"nearby": true, "central": true, "national": true, "government": true, "another": true, "same": true}

// reNumberWord is a distance written in words: "ten kilometres".
var reNumberWord = regexp.MustCompile(`(?i)\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|a hundred|one hundred)\s+(km|kms|kilomet|miles?\b)`)

// numberValues are the number words reNumberWord knows.
var numberValues = map[string]string{"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
	"eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "fifteen": "15", "twenty": "20", "thirty": "30",
	"forty": "40", "fifty": "50", "sixty": "60", "seventy": "70", "eighty": "80", "ninety": "90", "a hundred": "100", "one hundred": "100"}

// numberWords writes the numbers of distances in figures: "ten
// kilometers west of" → "10 kilometers west of".
func numberWords(t string) string {
	return reNumberWord.ReplaceAllStringFunc(t, func(m string) string {
		sm := reNumberWord.FindStringSubmatch(m)
		return numberValues[strings.ToLower(sm[1])] + m[len(sm[1]):]
	})
}

// bearings are the compass directions' bearings in degrees.
var bearings = map[string]float64{"north": 0, "northeast": 45, "east": 90, "southeast": 135, "south": 180,
	"southwest": 225, "west": 270, "northwest": 315}

// parseList reads a description that may list several places.
func parseList(t string, known func(string) bool) expr {
	c := parseChain(t)
	// "A, B, C and D provinces": a list of units, siblings not containers;
	// but a name the gazetteer holds whole is one place.
	for i, s := range c {
		whole := known != nil && known(s.text)
		if s.plural || (i == 0 && len(c) > 0 && strings.Contains(s.raw, " and ") && !whole) {
			items := splitList(c[:i+1])
			if len(items) < 2 {
				break
			}
			e := expr{rel: relList, why: "a list of places"}
			for _, it := range items {
				e.chains = append(e.chains, append(chain{it}, c[i+1:]...))
			}
			return e
		}
	}
	return expr{rel: relAt, chains: []chain{c}}
}

// splitList splits list segments on "and" and takes the plural segment's
// level for every item.
func splitList(segs chain) []segment {
	level := segs[len(segs)-1].level
	var out []segment
	for _, s := range segs {
		for _, part := range reAnd.Split(s.raw, -1) {
			seg := newSegment(part)
			if seg.text == "" {
				continue
			}
			if seg.level == textnorm.LevelNone {
				seg.level = level
			}
			out = append(out, seg)
		}
	}
	return out
}

// parseChain splits a description into segments, most specific first:
// commas, then "of"/"in", then possessives ("Ghor's Dolina district").
func parseChain(t string) chain {
	var c chain
	for _, part := range strings.Split(t, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		part = reOfPrefix.ReplaceAllString(part, "$1 ") // "village of X" → "village X"
		for _, sub := range reOfSplit.Split(part, -1) {
			if m := rePossessive.FindStringSubmatch(sub); m != nil {
				c = appendSeg(c, m[2])
				c = appendSeg(c, m[1])
				continue
			}
			for _, piece := range textnorm.SplitAfterDesignator(textnorm.Fold(sub)) {
				c = appendSeg(c, piece)
			}
		}
	}
	return c
}

func appendSeg(c chain, s string) chain {
	seg := newSegment(s)
	if seg.text == "" && !seg.cityPart {
		return c
	}
	return append(c, seg)
}

func newSegment(s string) segment {
	s = strings.TrimSpace(s)
	for {
		t := reLead.ReplaceAllString(s, "")
		if t == s {
			break
		}
		s = t
	}
	raw := textnorm.Fold(s)
	seg := segment{raw: raw}
	if textnorm.IsDesignator(raw) || stopwords[raw] || len(raw) < 2 {
		return seg
	}
	if d := reDirection.ReplaceAllString(s, ""); d != s {
		seg.alt, _ = textnorm.StripDesignator(textnorm.Fold(d))
	}
	if reCityPart.MatchString(raw) {
		seg.cityPart = true
		return seg
	}
	words := strings.Fields(raw)
	if n := len(words); n > 1 && (words[n-1] == "provinces" || words[n-1] == "districts" || words[n-1] == "villages" || words[n-1] == "localities") {
		seg.plural = true
	}
	seg.text, seg.level = textnorm.StripDesignator(raw)
	if t, ok := stripFeature(seg.text); ok {
		seg.text, _ = textnorm.StripDesignator(t)
		seg.feature = true
		if seg.level == textnorm.LevelNone {
			seg.level = textnorm.LevelArea
		}
	}
	return seg
}

// stopwords are words that alone name no place.
var stopwords = map[string]bool{"the": true, "a": true, "an": true, "in": true, "at": true, "of": true, "and": true,
	"near": true, "on": true, "to": true, "from": true, "with": true, "by": true, "two": true, "several": true}

// ---- resolving ----

// resolver resolves one query.
type resolver struct {
	g *Gazetteer
	q Query

	country    string // from the query
	admin1     string
	ctxCountry map[string]int // countries and admin-1 units of the document's other places
	ctxAdmin1  map[string]int
	ctxPoints  []Point
	ctxTotal   int // the document's other places that resolved
	// ctxProvinces are the provinces that the document's other places
	// name as such ("in Parwan Province"), one candidate each.
	ctxProvinces []Candidate
}

// regionContext reports whether the document's other places leave vigil's
// region a plausible reading: there are none, or some lie in the region.
func (r *resolver) regionContext() bool {
	if r.ctxTotal == 0 {
		return true
	}
	for c := range r.ctxCountry {
		if InRegion(c) {
			return true
		}
	}
	return false
}

// hints resolves the query's hints: country and admin-1 names to codes and
// the document's other places to their countries and provinces.
func (r *resolver) hints() {
	g := r.g
	if r.q.Country != "" {
		if c, ok := g.CountryCode(r.q.Country); ok {
			r.country = c
		}
	}
	if a := strings.TrimSpace(r.q.Admin1); a != "" {
		if _, ok := g.admin1[strings.ToUpper(a)]; ok && isAdmin1Code(strings.ToUpper(a)) {
			r.admin1 = strings.ToUpper(a)
		} else {
			for _, m := range g.match(textnorm.Key(stripDesignators(a)), false) {
				p := &g.places[m.idx]
				if p.kind() == kindAdmin1 && (r.country == "" || p.country == r.country) {
					r.admin1 = p.admin1
					break
				}
			}
		}
		if r.admin1 != "" && r.country == "" {
			r.country = r.admin1[:2]
		}
	}
	if len(r.q.Context) > 0 {
		r.ctxCountry, r.ctxAdmin1 = map[string]int{}, map[string]int{}
		sub := &resolver{g: g, q: Query{Country: r.q.Country}}
		sub.country = r.country
		for _, c := range r.q.Context {
			cs := sub.expr(parse(c, g.known))
			if len(cs) == 0 {
				continue
			}
			sort.SliceStable(cs, func(i, j int) bool { return cs[i].Score > cs[j].Score })
			best := cs[0]
			r.ctxTotal++
			r.ctxCountry[best.Country]++
			if best.Admin1 != "" {
				r.ctxAdmin1[best.Admin1]++
			}
			if best.FeatureCode == "ADM1" && !slices.ContainsFunc(r.ctxProvinces, func(p Candidate) bool { return p.Admin1 == best.Admin1 }) {
				r.ctxProvinces = append(r.ctxProvinces, best)
			}
			if best.LocationPrecision <= 3 {
				r.ctxPoints = append(r.ctxPoints, Point{best.Latitude, best.Longitude})
			}
		}
	}
}

func stripDesignators(s string) string {
	t, _ := textnorm.StripDesignator(textnorm.Fold(s))
	return t
}

// scope is what the containers of a chain have established.
type scope struct {
	country, admin1, admin2 string
	place                   int32 // a containing populated place, or -1
	names                   []string
}

// expr resolves a parsed description.
func (r *resolver) expr(e expr) []Candidate {
	switch e.rel {
	case relBetween, relList:
		return r.span(e)
	case relNear:
		anchor := r.chain(e.chains[0])
		if len(anchor) == 0 {
			if len(e.sub) > 0 {
				return r.chain(e.sub)
			}
			return nil
		}
		if e.offsetKm > 0 {
			return r.offset(e, anchor[0])
		}
		best := anchor[0]
		if len(e.sub) > 0 && best.FeatureClass == "P" {
			// "Kakrak area on the outskirts of Tarin Kot": the sub-place
			// itself when the gazetteer knows it close to the anchor.
			if sub := r.chainIn(e.sub, &best); len(sub) > 0 {
				return sub
			}
		}
		for i := range anchor {
			c := &anchor[i]
			if c.LocationPrecision <= 2 {
				c.LocationPrecision = vigil.LocationNear
			}
			c.Reasons = append(c.Reasons, "near "+c.Name+": within about 25 km of it (precision 2)")
		}
		return anchor
	}
	return r.chain(e.chains[0])
}

// offset resolves a distance phrase: "town of Ajabshir, 75 km south of
// Tabriz" is Ajabshir when the gazetteer knows a place of that name about
// where the phrase points; otherwise the point 75 km south of Tabriz. A
// direction is good to about ±22.5°, so the point is within 25 km of the
// place (precision 2) up to 60 km out, and only of its district
// (precision 3) beyond; without a direction ("20 km from Kabul") the
// point stays at the anchor, precision 2 up to 25 km and 3 beyond.
func (r *resolver) offset(e expr, a Candidate) []Candidate {
	lat, lon := a.Latitude, a.Longitude
	prec := vigil.LocationNear
	if e.bearing >= 0 {
		lat, lon = destination(lat, lon, e.bearing, e.offsetKm)
		if e.offsetKm > 60 {
			prec = vigil.LocationAdmin2
		}
	} else if e.offsetKm > 25 {
		prec = vigil.LocationAdmin2
	}
	what := fmt.Sprintf("%s km from %s", strconv.FormatFloat(math.Round(e.offsetKm*10)/10, 'f', -1, 64), a.Name)
	if e.dir != "" {
		what = fmt.Sprintf("%s km %s of %s", strconv.FormatFloat(math.Round(e.offsetKm*10)/10, 'f', -1, 64), e.dir, a.Name)
	}
	if len(e.sub) > 0 {
		// The place the phrase describes, when it lies where the phrase
		// points: within half the distance (a compass point is ±22.5°,
		// a distance in a report rounded; 25 km at least), or, without
		// a direction, about the distance from the anchor.
		var out []Candidate
		for _, c := range r.chain(e.sub) {
			if c.LocationPrecision > vigil.LocationAdmin2 {
				continue
			}
			var off float64
			if e.bearing >= 0 {
				off = DistanceKm(c.Latitude, c.Longitude, lat, lon)
			} else {
				off = math.Abs(DistanceKm(c.Latitude, c.Longitude, lat, lon) - e.offsetKm)
			}
			if off <= math.Max(25, e.offsetKm/2) {
				c.Reasons = append(c.Reasons, fmt.Sprintf("%.0f km from where the text puts it (%s)", off, what))
				out = append(out, c)
			}
		}
		if len(out) > 0 {
			return out
		}
	}
	c := a
	c.Name = what
	c.Latitude, c.Longitude = round5(lat), round5(lon)
	c.FeatureClass, c.FeatureCode, c.GeonameID, c.Population = "L", "", 0, 0
	c.LocationPrecision = prec
	if w, ok := r.g.Where(lat, lon); ok {
		c.Country, c.Admin1, c.Admin1Name, c.Admin2Name = w.Country, w.Admin1, w.Admin1Name, w.Admin2Name
	}
	c.Reasons = append(append([]string(nil), a.Reasons...), fmt.Sprintf("%s: the point moved by the distance the text gives (precision %d)", what, prec))
	return []Candidate{c}
}

// destination is the point km from (lat, lon) at a bearing in degrees,
// on a sphere.
func destination(lat, lon, bearing, km float64) (float64, float64) {
	const rad = math.Pi / 180
	p1, l1, th, d := lat*rad, lon*rad, bearing*rad, km/6371.0
	p2 := math.Asin(math.Sin(p1)*math.Cos(d) + math.Cos(p1)*math.Sin(d)*math.Cos(th))
	l2 := l1 + math.Atan2(math.Sin(th)*math.Sin(d)*math.Cos(p1), math.Cos(d)-math.Sin(p1)*math.Sin(p2))
	return p2 / rad, math.Remainder(l2/rad, 360)
}

// chainIn resolves a sub-place near an anchor candidate.
func (r *resolver) chainIn(c chain, anchor *Candidate) []Candidate {
	cands := r.chain(c)
	var out []Candidate
	for _, cand := range cands {
		if cand.FeatureClass != "P" {
			continue
		}
		d := DistanceKm(cand.Latitude, cand.Longitude, anchor.Latitude, anchor.Longitude)
		if d <= 30 {
			cand.Reasons = append(cand.Reasons, fmt.Sprintf("%.0f km from %s, which the text places it by", d, anchor.Name))
			out = append(out, cand)
		}
	}
	return out
}

// span resolves "between X and Y" and lists: each item's best reading, and
// one candidate at the centre of the area they span.
func (r *resolver) span(e expr) []Candidate {
	var items []Candidate
	for _, c := range e.chains {
		cs := r.chain(c)
		if len(cs) > 0 && !sameAsOne(items, cs[0]) {
			// Items that come to the same place ("two districts of
			// AJK" and "AJK") are that place once.
			items = append(items, cs[0])
		}
	}
	if len(items) == 0 {
		return nil
	}
	if len(items) == 1 {
		items[0].Reasons = append(items[0].Reasons, "only one of the places named is known (or they are one)")
		if items[0].LocationPrecision < vigil.LocationRegion && e.rel == relBetween {
			items[0].LocationPrecision = vigil.LocationNear
		}
		return items
	}
	var lat, lon, score float64
	names := make([]string, len(items))
	countries, admin1s := map[string]bool{}, map[string]bool{}
	maxKm := 0.0
	for i, it := range items {
		lat += it.Latitude
		lon += it.Longitude
		score += it.Score
		names[i] = it.Name
		countries[it.Country] = true
		admin1s[it.Admin1] = true
		for _, o := range items[:i] {
			maxKm = math.Max(maxKm, DistanceKm(it.Latitude, it.Longitude, o.Latitude, o.Longitude))
		}
	}
	n := float64(len(items))
	c := Candidate{Latitude: round5(lat / n), Longitude: round5(lon / n), FeatureClass: "L", Score: score / n,
		LocationPrecision: vigil.LocationRegion}
	if e.rel == relBetween {
		c.Name = "between " + strings.Join(names, " and ")
	} else {
		c.Name = strings.Join(names, ", ")
	}
	w, _ := r.g.Where(c.Latitude, c.Longitude)
	if len(countries) == 1 {
		c.Country = items[0].Country
	} else {
		c.Country = w.Country
	}
	allDistricts := true
	for _, it := range items {
		if it.LocationPrecision != vigil.LocationAdmin2 {
			allDistricts = false
		}
	}
	if len(admin1s) == 1 {
		c.Admin1, c.Admin1Name = items[0].Admin1, items[0].Admin1Name
	} else if w.Country == c.Country {
		c.Admin1, c.Admin1Name = w.Admin1, w.Admin1Name
	}
	reason := fmt.Sprintf("%s: the centre of the %d places named, %.0f km apart at most", e.why, len(items), maxKm)
	switch {
	case e.rel == relList && allDistricts && len(admin1s) == 1:
		c.LocationPrecision = vigil.LocationAdmin2
		c.Admin2Name = ""
		reason += "; districts of one province (precision 3)"
	default:
		reason += " (precision 5)"
	}
	c.Reasons = []string{reason}
	out := []Candidate{c}
	return out
}

// sameAsOne reports whether c is one of items: the same name at the same
// point.
func sameAsOne(items []Candidate, c Candidate) bool {
	for _, it := range items {
		if it.Name == c.Name && it.Latitude == c.Latitude && it.Longitude == c.Longitude {
			return true
		}
	}
	return false
}

// chain resolves a place and its containers: the containers from the most
// general, each narrowing the scope, then the place within the scope; when
// the place itself is unknown, or known only outside the scope the text
// gives, the innermost container known stands for it.
func (r *resolver) chain(c chain) []Candidate {
	if len(c) == 0 {
		return nil
	}
	sc := scope{country: r.country, admin1: r.admin1, place: -1}
	var inner *candidateIdx
	textScope := false
	for i := len(c) - 1; i >= 1; i-- {
		seg := c[i]
		if seg.cityPart || seg.text == "" {
			continue
		}
		// A bare name that contains a district is a province: "Dehraoud
		// district, Uruzgan".
		if seg.level == textnorm.LevelNone && c[i-1].level == textnorm.LevelADM2 {
			seg.level = textnorm.LevelADM1
			seg.implied = true
		}
		cands := r.segment(seg, sc, true)
		kept := cands[:0]
		for _, c := range cands {
			// A container binds what it contains only when it is what
			// its designator says ("Bara tehsil" is no village Bara) and
			// lies within the containers outside it.
			if seg.level != textnorm.LevelNone && !seg.implied && levelFits(seg.level, r.g.places[c.idx].kind()) < 0 {
				continue
			}
			if textScope && !inScope(c.Candidate, sc) {
				continue
			}
			kept = append(kept, c)
		}
		cands = kept
		if len(cands) == 0 {
			continue
		}
		best := cands[0]
		switch best.FeatureCode {
		case "PCLI":
			sc.country = best.Country
		case "ADM1":
			sc.country, sc.admin1 = best.Country, best.Admin1
		case "ADM2", "ADM2NP":
			sc.country, sc.admin1, sc.admin2 = best.Country, best.Admin1, best.Admin2Name
		default:
			// A populated place locates what the text puts in or by it,
			// but does not bind the names outside it: "…, Kabul, Deh
			// Bori" names a quarter of Kabul, not a place in Faryab.
			sc.place = best.idx
			sc.names = append(sc.names, best.Name)
			b := best
			inner = &b
			continue
		}
		sc.names = append(sc.names, best.Name)
		b := best
		inner = &b
		textScope = true
	}
	target := c[0]
	var outside *Candidate
	if !target.cityPart && target.text != "" {
		cands := r.segment(target, sc, false)
		out := make([]Candidate, 0, len(cands))
		exactIn := false
		var neighbour *Candidate
		for _, c := range cands {
			// The text's own containers bind: a reading outside them is
			// another place of the same name.
			if textScope && !inScope(c.Candidate, sc) {
				if outside == nil && c.Score >= 0.5 {
					o := c.Candidate
					outside = &o
				}
				if neighbour == nil && c.exact {
					o := c.Candidate
					neighbour = &o
				}
				continue
			}
			exactIn = exactIn || c.exact
			out = append(out, c.Candidate)
		}
		// A district the text names exactly, lying just across the
		// boundary of the province the text names, beats a district of
		// the province only like it in spelling ("Khakrez district,
		// Uruzgan" is Kandahar's Khakrez, not Uruzgan's Khas Uruzgan).
		if n := r.neighbourDistrict(target, sc, neighbour); n != nil && !exactIn && len(out) > 0 {
			n.Score = out[0].Score + 0.01
			return append([]Candidate{*n}, out...)
		}
		if p := r.namedProvince(sc, cands, out); p != nil {
			return append([]Candidate{*p}, out...)
		}
		if len(out) > 0 {
			return out
		}
	}
	if inner == nil {
		return nil
	}
	fb := inner.Candidate
	fb.Reasons = append([]string(nil), fb.Reasons...)
	what := target.raw
	switch {
	case fb.FeatureClass == "P" && (target.cityPart || target.level == textnorm.LevelArea) && fb.Population >= 50000:
		fb.LocationPrecision = vigil.LocationExact
		fb.Reasons = append(fb.Reasons, fmt.Sprintf("%q is a part of the city %s: the city (precision 1)", what, fb.Name))
	case fb.FeatureClass == "P":
		fb.LocationPrecision = vigil.LocationNear
		fb.Reasons = append(fb.Reasons, fmt.Sprintf("%q is not in the gazetteer; placed at %s, which the text places it in or by (precision 2)", what, fb.Name))
	default:
		fb.Reasons = append(fb.Reasons, fmt.Sprintf("%q is not in the gazetteer within %s; placed at the %s that contains it", what, fb.Name, levelWord(fb.FeatureCode)))
	}
	if n := r.neighbourDistrict(target, sc, outside); n != nil {
		// "Rokha district, Panjshir": the district, which says more
		// than the province.
		n.Score = fb.Score + 0.01
		fb.Score -= 0.01
		return []Candidate{*n, fb}
	}
	out := []Candidate{fb}
	if outside != nil {
		// The name is known elsewhere: say so, second, so that a reader
		// sees the conflict rather than a silent choice.
		o := *outside
		o.Score = fb.Score - 0.01
		o.Reasons = append(o.Reasons, fmt.Sprintf("outside %s, which the text places it in: the text or the gazetteer is wrong", strings.Join(sc.names, ", ")))
		out = append(out, o)
	}
	return out
}

// namedProvince returns the province the document names, to stand for a
// place the gazetteer knows only by near misses (transliteration variants,
// misspellings) in other provinces: "Dara Saidan, Afghanistan" in a row
// whose details say "in Parwan Province" is somewhere in Parwan, not
// Daykundi's Darrahe Sayedan, which is only like it in spelling. It
// applies when the text and the hints give no province, the document names
// exactly one (in the scope's country), no reading in scope is an exact
// match and none lies in that province; the near misses stay behind it,
// each saying so. Else nil.
func (r *resolver) namedProvince(sc scope, cands []candidateIdx, out []Candidate) *Candidate {
	if len(r.ctxProvinces) != 1 || sc.admin1 != "" || len(out) == 0 {
		return nil
	}
	p := r.ctxProvinces[0]
	if sc.country != "" && p.Country != sc.country {
		return nil
	}
	for _, c := range cands {
		if c.exact && inScope(c.Candidate, sc) {
			return nil
		}
	}
	for _, c := range out {
		if c.Admin1 == p.Admin1 || c.FeatureCode == "PCLI" {
			return nil
		}
	}
	for i := range out {
		out[i].Reasons = append(out[i].Reasons, "only like the text's name, and outside "+p.Name+", the province the document names")
	}
	fb := p
	fb.Score = out[0].Score + 0.01
	fb.Reasons = []string{fmt.Sprintf("the gazetteer knows the name only as near misses outside %s, the province the document names: placed at the province (precision %d)", p.Name, p.LocationPrecision)}
	return &fb
}

// neighbourDistrict returns c, a reading of a district the text puts in a
// province (or country) it lies outside, when c is a district with its own
// point within neighbourKm of that province, with the reason; else nil. "Rokha
// district, Panjshir", where the gazetteer's Rukha lies just across
// Panjshir's boundary: sources draw district and province lines
// differently, and districts move between provinces.
func (r *resolver) neighbourDistrict(target segment, sc scope, c *Candidate) *Candidate {
	if c == nil || target.level != textnorm.LevelADM2 || c.FeatureCode != "ADM2" || sc.admin2 != "" {
		return nil
	}
	var d float64
	var ok bool
	switch {
	case sc.admin1 != "":
		d, ok = r.g.admin1DistanceKm(sc.admin1, c.Latitude, c.Longitude, neighbourKm)
	case sc.country != "":
		// "Barmal District, Pakistan": Paktika's Barmal, on the border.
		d, ok = r.g.countryDistanceKm(sc.country, c.Latitude, c.Longitude, neighbourKm)
	}
	if !ok {
		return nil
	}
	n := *c
	n.Reasons = append(append([]string(nil), c.Reasons...), fmt.Sprintf("%.0f km outside %s, which the text places it in: the district the text means, across a boundary that sources (or reports) draw differently", d, strings.Join(sc.names, ", ")))
	return &n
}

// neighbourKm is how far outside the province the text names a district
// of the name may lie and still be the district the text means.
const neighbourKm = 25

// approxAllowed reports whether an approximate (skeleton or fuzzy) match
// may stand: countries anywhere ("Iraqi" is Iraq); otherwise entries of
// the scope's country, or of vigil's region when the document does not
// lie elsewhere. A near miss among the world's towns is more often
// another word than a misspelling.
func (r *resolver) approxAllowed(p *place, sc scope) bool {
	switch {
	case p.kind() == kindCountry:
		return true
	case sc.country != "":
		return p.country == sc.country
	default:
		return InRegion(p.country) && r.regionContext()
	}
}

// inScope reports whether a candidate lies in the country, province and
// (for a containing place) the neighbourhood the text's containers set.
func inScope(c Candidate, sc scope) bool {
	if sc.country != "" && c.Country != sc.country {
		return false
	}
	if sc.admin1 != "" && c.Admin1 != sc.admin1 && c.FeatureCode != "PCLI" {
		return false
	}
	return true
}

func levelWord(code string) string {
	switch code {
	case "PCLI":
		return "country"
	case "ADM1":
		return "province"
	case "ADM2", "ADM2NP":
		return "district"
	}
	return "place"
}

// segment finds and ranks the entries that one segment may name within
// a scope: exact matches of the name as written and without its
// designators; failing one that suits, transliteration variants; failing
// those, approximate matches among the region's names (or the scope's
// country's), never for an "area" or "locality", which are too small for
// a near miss to be the same place.
func (r *resolver) segment(seg segment, sc scope, container bool) []candidateIdx {
	g := r.g
	key := strings.ReplaceAll(seg.text, " ", "")
	fullKey := strings.ReplaceAll(seg.raw, " ", "")
	ms := g.exact(fullKey)
	if key != fullKey {
		ms = append(ms, g.exact(key)...)
	}
	if !r.fits(ms, seg, sc) && seg.alt != "" {
		ms = append(ms, g.exact(strings.ReplaceAll(seg.alt, " ", ""))...)
	}
	if !r.fits(ms, seg, sc) {
		for _, m := range g.match(key, true) {
			// Transliteration variants are the region's problem: a
			// skeleton match elsewhere is a coincidence.
			if m.quality == 1 || r.approxAllowed(&g.places[m.idx], sc) {
				ms = append(ms, m)
			}
		}
		if !r.fits(ms, seg, sc) && seg.level == textnorm.LevelADM2 && sc.admin1 != "" {
			ms = append(ms, g.scopedDistricts(sc.admin1, key)...)
		}
		if !r.fits(ms, seg, sc) && seg.level != textnorm.LevelArea {
			for _, m := range g.fuzzyMatch(key, 0) {
				if r.approxAllowed(&g.places[m.idx], sc) {
					ms = append(ms, m)
				}
			}
		}
	}
	small := smallPlace(seg)
	best := map[int32]candidateIdx{}
	for _, m := range ms {
		if small && !r.smallPlaceMatch(m, seg, sc) {
			continue
		}
		// "Kashmir valley" is no Kashmar: a feature named after a place
		// takes the place's name as it is.
		if seg.feature && m.quality < 1 {
			continue
		}
		// A near miss of another kind than the text's designator says
		// is two weak readings in one: "Jumla district" is no town
		// Juma, "town of Chuschi" no Chukotka.
		if m.quality < 1 && seg.level != textnorm.LevelNone && !seg.implied && levelFits(seg.level, g.places[m.idx].kind()) < 0 {
			continue
		}
		c := r.score(m, seg, sc)
		if old, dup := best[m.idx]; !dup || c.Score > old.Score {
			best[m.idx] = c
		}
	}
	out := make([]candidateIdx, 0, len(best))
	for _, c := range best {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].idx < out[j].idx
	})
	return out
}

// smallPlace reports whether a segment names a village or a part of a
// place: "Shiwan area", "Tangi locality", "Kandoy village".
func smallPlace(seg segment) bool {
	return (seg.level == textnorm.LevelArea && !seg.feature) || village(seg)
}

// village reports whether a segment says it names a village.
func village(seg segment) bool {
	for _, w := range strings.Fields(seg.raw) {
		if w == "village" || w == "villages" || w == "hamlet" {
			return true
		}
	}
	return false
}

// smallBigTown is the population from which a town outside vigil's region
// may stand for "X area": the area of a city ("the Donetsk area").
const smallBigTown = 100000

// smallPlaceMatch reports whether a match may stand for a village or an
// area: in the country the text or the hints give, if they give one. When
// they give none: outside
// vigil's region the gazetteer holds only towns of 15,000+ people, so a
// village there of the same name is not among them, and only a city names
// an area ("Shiwan area" is no town of Guangdong). And a near miss by
// transliteration among the region's thousands of villages is a guess,
// not a reading ("Dabori area" is no Dabari of Kandahar).
func (r *resolver) smallPlaceMatch(m nameMatch, seg segment, sc scope) bool {
	p := &r.g.places[m.idx]
	if p.kind() != kindPlace {
		return true
	}
	if sc.country != "" {
		// A village or an area of another country than the one the
		// text or the hints name is another place.
		return p.country == sc.country
	}
	if m.quality < 1 {
		return false
	}
	return InRegion(p.country) || (p.pop >= smallBigTown && !village(seg))
}

// candidateIdx is a Candidate with its entry.
type candidateIdx struct {
	Candidate
	idx   int32
	exact bool // the name matched exactly, not as a variant or near miss
}

// fits reports whether some match is an exact one that suits the
// segment's level and scope, so no looser matching is needed.
func (r *resolver) fits(ms []nameMatch, seg segment, sc scope) bool {
	for _, m := range ms {
		if m.quality < 1 {
			continue
		}
		p := &r.g.places[m.idx]
		if sc.country != "" && p.country != sc.country {
			continue
		}
		if sc.admin1 != "" && p.admin1 != sc.admin1 {
			continue
		}
		if levelFits(seg.level, p.kind()) >= 0 {
			return true
		}
	}
	return false
}

// levelFits is +1 when an entry's kind is what the designator asks for,
// 0 when there is no designator, and -1 when it contradicts it.
func levelFits(l textnorm.Level, k kind) int {
	switch l {
	case textnorm.LevelNone:
		return 0
	case textnorm.LevelCountry:
		if k == kindCountry {
			return 1
		}
	case textnorm.LevelADM1:
		if k == kindAdmin1 {
			return 1
		}
	case textnorm.LevelADM2:
		if k == kindAdmin2 || k == kindAdmin2NoPoint {
			return 1
		}
	case textnorm.LevelPlace, textnorm.LevelArea:
		if k == kindPlace {
			return 1
		}
	}
	return -1
}

// score ranks one matched entry for a segment in a scope and says why.
func (r *resolver) score(m nameMatch, seg segment, sc scope) candidateIdx {
	g := r.g
	p := &g.places[m.idx]
	k := p.kind()
	s := m.quality
	var why []string
	if m.quality < 1 {
		why = append(why, m.how)
	} else {
		why = append(why, "name matches")
	}
	switch fit := levelFits(seg.level, k); {
	case fit == 1 && seg.implied:
		s += 0.3
		why = append(why, "a "+kindWord(k)+", as a name that contains a district is")
	case fit == 1:
		s += 0.5
		why = append(why, "a "+kindWord(k)+" as the text says")
	case fit == -1 && seg.implied:
		s -= 0.1
	case fit == -1:
		s -= 0.4
		why = append(why, "a "+kindWord(k)+", not what the text's designator says")
	default:
		switch k {
		case kindCountry:
			// A bare country name means the country, whatever town
			// shares it.
			s += 0.6
		case kindAdmin1:
			s += 0.2
		case kindAdmin2:
			s += 0.12
		case kindAdmin2NoPoint:
			s += 0.08
		case kindPlace:
			if p.pop > 0 {
				s += math.Min(0.4, 0.06*math.Log10(float64(p.pop)+1))
			}
			if p.code == "PPLC" {
				s += 0.1
			} else if p.code == "PPLA" {
				s += 0.05
			}
		}
	}
	if p.pop > 0 && k == kindPlace {
		why = append(why, fmt.Sprintf("population %d", p.pop))
	}
	if k == kindPlace && seg.level == textnorm.LevelNone && p.pop < 50000 {
		key := strings.ReplaceAll(seg.text, " ", "")
		switch {
		case p.admin2 != "" && textnorm.Key(stripDesignators(p.admin2)) == key:
			s -= 0.15
			why = append(why, "a district's seat named like its district: the bare name means the district unless the text says town")
		case p.admin1 != "" && g.namesUnit(p.admin1, key):
			s -= 0.15
			why = append(why, "a town named like its province: the bare name means the province unless the text says town")
		}
	}
	// Scope from the text's own containers and the query's hints.
	switch {
	case sc.country == "":
		// vigil's region is the default reading of an ambiguous name,
		// unless the document's other places all lie elsewhere.
		if InRegion(p.country) && r.regionContext() {
			s += 0.2
			why = append(why, "in vigil's region")
		}
	case p.country == sc.country:
		s += 0.6
		why = append(why, "in "+g.CountryName(sc.country)+" as the text or hint says")
	default:
		s -= 0.8
		why = append(why, "not in "+g.CountryName(sc.country))
	}
	if sc.admin1 != "" && k != kindCountry {
		if p.admin1 == sc.admin1 {
			s += 0.5
			why = append(why, "in "+g.Admin1Name(sc.admin1)+" province as the text or hint says")
		} else if k != kindAdmin1 {
			s -= 0.5
			why = append(why, "not in "+g.Admin1Name(sc.admin1))
		}
	}
	if sc.admin2 != "" && k == kindPlace {
		if textnorm.Key(p.admin2) == textnorm.Key(sc.admin2) {
			s += 0.3
			why = append(why, "in "+sc.admin2+" district as the text says")
		}
	}
	if sc.place >= 0 && k == kindPlace {
		o := &g.places[sc.place]
		d := DistanceKm(float64(p.lat), float64(p.lon), float64(o.lat), float64(o.lon))
		s += 0.3 * math.Exp(-d/30)
		why = append(why, fmt.Sprintf("%.0f km from %s", d, o.name))
	}
	if r.q.Near != nil {
		d := DistanceKm(float64(p.lat), float64(p.lon), r.q.Near.Lat, r.q.Near.Lon)
		s += 0.4 * math.Exp(-d/50)
		why = append(why, fmt.Sprintf("%.0f km from the hinted point", d))
	}
	if len(r.ctxCountry) > 0 {
		if n := r.ctxCountry[p.country]; n > 0 {
			s += 0.25 * float64(n) / float64(r.ctxTotal)
			why = append(why, fmt.Sprintf("in the same country as %d of the document's other %d places", n, r.ctxTotal))
		}
		if n := r.ctxAdmin1[p.admin1]; n > 0 && p.admin1 != "" {
			s += 0.15
			why = append(why, "in the same province as the document's other places")
		}
		near := math.Inf(1)
		for _, pt := range r.ctxPoints {
			near = math.Min(near, DistanceKm(float64(p.lat), float64(p.lon), pt.Lat, pt.Lon))
		}
		if !math.IsInf(near, 1) && near < 100 {
			s += 0.1 * math.Exp(-near/50)
			why = append(why, fmt.Sprintf("%.0f km from another place of the document", near))
		}
	}
	c := candidateIdx{idx: m.idx, exact: m.quality >= 1, Candidate: Candidate{
		Name: p.name, Latitude: round5(float64(p.lat)), Longitude: round5(float64(p.lon)),
		FeatureClass: string(p.class), FeatureCode: p.code, GeonameID: p.id, Country: p.country,
		Admin1: p.admin1, Admin1Name: g.Admin1Name(p.admin1), Admin2Name: p.admin2, Population: p.pop,
		Score: s, Reasons: why,
	}}
	switch k {
	case kindCountry:
		c.LocationPrecision = vigil.LocationCountry
	case kindAdmin1:
		c.LocationPrecision = vigil.LocationAdmin1
	case kindAdmin2:
		c.LocationPrecision = vigil.LocationAdmin2
	case kindAdmin2NoPoint:
		c.LocationPrecision = vigil.LocationAdmin1
		c.Reasons = append(c.Reasons, "the district's own point is unknown: placed at its province (precision 4)")
	default:
		c.LocationPrecision = vigil.LocationExact
	}
	return c
}

func kindWord(k kind) string {
	return [...]string{"populated place", "district", "district", "province", "country"}[k]
}

// known reports whether the gazetteer holds a name exactly (after folding),
// not only as a transliteration variant.
func (g *Gazetteer) known(name string) bool { return len(g.lookupKey(textnorm.Key(name))) > 0 }
