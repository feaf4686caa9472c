package extract

import (
	"context"
	"strconv"
	"strings"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/geo"
)

// placeHit is a phrase of a text that names a place.
type placeHit struct {
	phrase    string // as the geocoder reads it: "Shikarpur town, Pakistan"
	a, b      int    // tokens
	prep      bool   // after "in", "at", "near": the place of something
	isCountry bool
	container bool   // "Herat" in "Herat's Pashtun Zarghun District": context, not the place
	country   string // for a country, its code
	// weak: the phrase may be a word that happens to name a place
	// somewhere: the known beginning of a longer name ("Sariab" of
	// "Sariab Mill", "New" of "New Kabul Bank") or an acronym ("PKK").
	weak bool
	// away: a place the text names as elsewhere ("diplomats from the
	// United Arab Emirates", "an area that borders Pakistan").
	away bool
	cand *geo.Candidate
}

// placeUnits are the words place names end with.
var placeUnits = map[string]bool{"province": true, "district": true, "agency": true, "city": true, "town": true, "village": true,
	"region": true, "area": true, "oblast": true, "krai": true, "republic": true, "valley": true, "tribal": false,
	"tehsil": true, "subdivision": true, "county": true}

// awayWords put the place after them elsewhere than the incident.
var awayWords = map[string]bool{"from": true, "borders": true, "bordering": true, "border": true, "with": true}

// placePreps are the words that put a place after them.
var placePreps = map[string]bool{"in": true, "at": true, "near": true, "outside": true, "of": true, "into": true, "from": false, "across": true, "around": true}

// findPlaces reads the phrases of tokens [a, b) that may name places:
// runs of capitalised words that are not actors, titles or dates, with
// a unit word after them ("Nangarhar province"), "X district of Y
// province" whole, and "Pakistan's Peshawar" read as "Peshawar, Pakistan".
func (x *Extractor) findPlaces(d *doc, a, b int) []placeHit {
	toks := d.toks
	var out []placeHit
	weakUntil := a // the rest of a name whose known beginning was taken
	for i := a; i < b; i++ {
		if !toks[i].upper || x.notPlaces[toks[i].text] {
			continue
		}
		// Demonyms are not places ("Chechen", "Punjabi" read as "Panjab").
		if _, ok := demonyms[toks[i].text]; ok {
			continue
		}
		// Actor names are not places.
		if n, _ := x.groups.match(toks[:b], i); n > 0 {
			i += n - 1
			continue
		}
		j := i + 1
		for j < b && toks[j].upper && !x.notPlaces[toks[j].text] {
			j++
		}
		// The unit word: "Nangarhar province".
		if j < b && placeUnits[toks[j].low] {
			j++
		}
		name := d.text[toks[i].start:toks[j-1].end]
		if i == a && j == i+1 && !x.known(name) {
			continue // a sentence's first word, unknown as a place
		}
		weak := j == i+1 && len(name) <= 5 && strings.ToUpper(name) == name && !(i == a && len(name) > 2)
		if !x.known(stripUnit(name)) {
			weak = true
			// The longest known beginning: "Kabul" of "Kabul Bombing".
			k := j - 1
			for k > i && !x.known(d.text[toks[i].start:toks[k-1].end]) {
				k--
			}
			if k == i {
				i = j - 1
				continue
			}
			weakUntil = max(weakUntil, j)
			j = k
			name = d.text[toks[i].start:toks[j-1].end]
		}
		weak = weak || i < weakUntil // "Ali" of "Mir Ali" after "Mir"
		// A sentence's first word is capitalised by its place; a word
		// before a person noun is an adjective ("an Ahmadi man", "the
		// Hazara community").
		if j == i+1 && (i == a || j < b && (x.personStarts(toks, j, b) || communityNouns[toks[j].low])) {
			weak = true
		}
		h := placeHit{phrase: name, a: i, b: j, weak: weak}
		if i > a && placePreps[toks[i-1].low] || i > a+1 && toks[i-1].low == "the" && placePreps[toks[i-2].low] {
			h.prep = true // "in Kabul", "in the Shahr-e Naw area of Kabul"
		}
		for k := i - 1; k >= a && k >= i-2; k-- {
			if awayWords[toks[k].low] && (toks[k].low != "with" || k > a && toks[k-1].low == "border") {
				h.away = true
			}
			if toks[k].low != "the" {
				break
			}
		}
		// A country by name, or by its code in capitals ("US"), not "As".
		if code, ok := x.gaz.CountryCode(stripUnit(name)); ok && j == i+1 && (len(name) > 3 || strings.ToUpper(name) == name) {
			h.isCountry, h.country = true, code
		}
		// "X district of Y province": the geocoder reads the whole.
		if j+1 < b && toks[j].low == "of" && toks[j+1].upper && !x.notPlaces[toks[j+1].text] {
			k := j + 2
			for k < b && toks[k].upper && !x.notPlaces[toks[k].text] {
				k++
			}
			if k < b && placeUnits[toks[k].low] {
				k++
			}
			tail := d.text[toks[j+1].start:toks[k-1].end]
			if x.known(stripUnit(tail)) && placeUnits[toks[j-1].low] {
				h.phrase, h.b = name+" of "+tail, k
				if h.weak {
					// "Sariab Mill area of Quetta": a place the gazetteer
					// lacks, in one it has.
					h.phrase, h.weak = tail, false
				}
				j = k
			}
		}
		// "Pakistan's Peshawar", "Herat's Pashtun Zarghun District".
		if j+2 < b && (toks[j].text == "'" || toks[j].text == "’") && toks[j+1].low == "s" && toks[j+2].upper {
			k := j + 3
			for k < b && toks[k].upper && !x.notPlaces[toks[k].text] {
				k++
			}
			if k < b && placeUnits[toks[k].low] {
				k++
			}
			inner := d.text[toks[j+2].start:toks[k-1].end]
			if x.known(stripUnit(inner)) {
				h.container = true
				out = append(out, h)
				h = placeHit{phrase: inner + ", " + name, a: j + 2, b: k, prep: h.prep}
				j = k
			}
		}
		// "Asadabad in Kunar province": the place it is in reads it (the
		// container is also a place of its own).
		if !h.isCountry && j+1 < b && toks[j].low == "in" && toks[j+1].upper && !x.notPlaces[toks[j+1].text] {
			k := j + 2
			for k < b && toks[k].upper && !x.notPlaces[toks[k].text] {
				k++
			}
			if k < b && placeUnits[toks[k].low] {
				k++
			}
			if in := d.text[toks[j+1].start:toks[k-1].end]; x.known(stripUnit(in)) {
				if _, isC := x.gaz.CountryCode(in); !isC {
					h.phrase += ", " + in
				}
			}
		}
		// "Quetta, Pakistan", "Lahore, Punjab, Pakistan": known places
		// after commas qualify the first.
		for j+1 < b && toks[j].text == "," && toks[j+1].upper && !h.isCountry && !x.notPlaces[toks[j+1].text] {
			k := j + 2
			for k < b && toks[k].upper && !x.notPlaces[toks[k].text] {
				k++
			}
			if k < b && placeUnits[toks[k].low] {
				k++
			}
			next := d.text[toks[j+1].start:toks[k-1].end]
			if !x.known(stripUnit(next)) {
				break
			}
			h.phrase += ", " + next
			h.b = k
			if code, ok := x.gaz.CountryCode(next); ok {
				h.country = code // a hint for the text's country
			}
			j = k
		}
		out = append(out, h)
		i = j - 1
	}
	return out
}

// communityNouns follow a word that names a people or a faith, not a
// place: "the Hazara community", "the Ahmadi sect".
var communityNouns = map[string]bool{"community": true, "communities": true, "sect": true, "tribe": true, "tribesmen": true, "minority": true}

// personStarts reports whether a person noun starts at toks[j].
func (x *Extractor) personStarts(toks []token, j, b int) bool {
	if j >= b {
		return false
	}
	n, _ := x.personNouns.match(toks[:b], j)
	return n > 0
}

// stripUnit removes a trailing unit word.
func stripUnit(s string) string {
	if k := strings.LastIndexByte(s, ' '); k > 0 && placeUnits[strings.ToLower(s[k+1:])] {
		return s[:k]
	}
	return s
}

// known reports whether the gazetteer has a place of the name; answers
// are cached.
func (x *Extractor) known(name string) bool {
	x.lookMu.Lock()
	v, ok := x.look[name]
	x.lookMu.Unlock()
	if ok {
		return v
	}
	v = len(x.gaz.Lookup(name)) > 0
	x.lookMu.Lock()
	if len(x.look) > 200000 {
		clear(x.look) // bounded: memory stays flat over any number of documents
	}
	x.look[name] = v
	x.lookMu.Unlock()
	return v
}

// geocode resolves a place phrase with the text's country and places as
// context; answers are cached.
func (x *Extractor) geocode(ctx context.Context, d *doc, h *placeHit) *geo.Candidate {
	if h.cand != nil {
		return h.cand
	}
	q := geo.Query{Text: h.phrase, Country: d.country, Context: d.context}
	if h.isCountry {
		q.Country, q.Context = "", nil
	}
	if d.ctxKey == "" && len(d.context) > 0 {
		d.ctxKey = strings.Join(d.context, ";") // joined once a text
	}
	key := q.Text + "|" + q.Country + "|"
	if !h.isCountry {
		key += d.ctxKey
	}
	x.geoMu.Lock()
	cs, ok := x.geoCache[key]
	x.geoMu.Unlock()
	if !ok {
		var err error
		cs, err = x.gaz.Geocode(ctx, q)
		if err != nil {
			return nil
		}
		if len(cs) > 1 {
			cs = cs[:1]
		}
		x.geoMu.Lock()
		if len(x.geoCache) > 50000 {
			clear(x.geoCache)
		}
		x.geoCache[key] = cs
		x.geoMu.Unlock()
	}
	if len(cs) == 0 {
		return nil
	}
	c := cs[0]
	h.cand = &c
	return h.cand
}

// supports reports whether the text is about a country: one it names,
// its forces' demonym or its actors' home; a text with none of these is
// about vigil's region.
func (d *doc) supports(country string) bool {
	if len(d.support) > 0 {
		return d.support[country]
	}
	return geo.InRegion(country)
}

// usable reports whether a place phrase may be the incident's place: it
// geocodes, is not named as elsewhere, and is not a weak phrase, nor a
// phrase read as a whole other country, outside the countries the text
// is about.
func (x *Extractor) usable(ctx context.Context, d *doc, h *placeHit) bool {
	if h.away {
		return false
	}
	c := x.geocode(ctx, d, h)
	return c != nil && !d.dubious(h, c)
}

// dubious reports whether a geocoded phrase is likely a word that
// happens to name a place: a weak phrase outside the countries the text
// is about; a phrase read as a whole other country ("western Azerbaijan
// province" in a text about Iran); a single word that is a spelling
// variant of a name ("Jirga" read as Yurga) with no "in" before it, or
// a weak phrase read so ("Abdul Ali" of a man's name as Abdulino), where
// the text names no country of it.
func (d *doc) dubious(h *placeHit, c *geo.Candidate) bool {
	supported := d.supports(c.Country)
	switch {
	case !supported && h.weak:
		return true
	case !supported && !h.isCountry && c.LocationPrecision >= vigil.LocationCountry:
		return true
	case fuzzy(c) && !d.support[c.Country] && (h.weak || h.b-h.a == 1 && !h.prep):
		return true
	}
	return false
}

// fuzzy reports whether a candidate matched by a spelling variant, not
// by name.
func fuzzy(c *geo.Candidate) bool {
	for _, r := range c.Reasons {
		if strings.Contains(r, "transliteration variant") || strings.Contains(r, "fuzzy match") {
			return true
		}
	}
	return false
}

// triggers are the token positions of a sentence's attack and casualty words.
func triggers(s *sentence) []int {
	var out []int
	for _, c := range s.cues {
		out = append(out, c.tok)
	}
	for _, m := range s.mentions {
		out = append(out, m.endTok-1)
	}
	return out
}

// sentencePlace is the place of a sentence nearest its attack words:
// a place after "in", "at" or "near" first, then any; a country only when
// nothing finer is named.
func (x *Extractor) sentencePlace(ctx context.Context, d *doc, s *sentence) *placeHit {
	if s.placeDone {
		return s.best
	}
	s.placeDone = true
	trig := triggers(s)
	var best *placeHit
	bestScore := -1e9
	for i := range s.places {
		h := &s.places[i]
		if h.container || h.away {
			continue
		}
		var dist int = 1000
		for _, t := range trig {
			dd := h.a - t
			if dd < 0 {
				dd = -dd
			}
			dist = min(dist, dd)
		}
		score := -float64(dist)
		if h.prep {
			score += 8
		}
		if h.isCountry {
			score -= 40
		}
		// A place outside the countries the text is about is likely a
		// word that happens to be a place name elsewhere ("Church"); a
		// weak one is dropped.
		if !h.isCountry && i < 8 {
			if c := x.geocode(ctx, d, h); c == nil {
				if d.country != "" {
					continue
				}
			} else if d.dubious(h, c) {
				continue
			} else if !d.supports(c.Country) {
				score -= 30
			}
		}
		if score > bestScore {
			bestScore, best = score, h
		}
	}
	if best == nil || x.geocode(ctx, d, best) == nil {
		// Try the others in order of appearance.
		best = nil
		for i := range s.places {
			if x.usable(ctx, d, &s.places[i]) && (best == nil || best.isCountry) {
				best = &s.places[i]
			}
		}
	}
	s.best = best
	return best
}

// where fills the place: the incident's place nearest its attack words,
// made more specific by a finer place of the incident within it; else the
// dateline; else the most specific place the text names (in a table, its
// row names).
func (x *Extractor) where(ctx context.Context, d *doc, inc *incident, r *vigil.Report) {
	var h *placeHit
	conf := 0.8
	for _, s := range inc.sents {
		if p := x.sentencePlace(ctx, d, s); p != nil && p.cand != nil && (h == nil || h.isCountry && !p.isCountry) {
			h = p
		}
	}
	// A finer place inside the chosen one ("Kabul" → "Shirpour, Kabul").
	if h != nil {
		for _, s := range inc.sents {
			for i := range s.places {
				p := &s.places[i]
				if p == h || p.isCountry {
					continue
				}
				c := x.geocode(ctx, d, p)
				if c == nil || c.Country != h.cand.Country {
					continue
				}
				if c.LocationPrecision < h.cand.LocationPrecision && (h.cand.Admin1 == "" || c.Admin1 == h.cand.Admin1) && h.cand.LocationPrecision >= vigil.LocationAdmin1 {
					h = p
				}
			}
		}
	}
	// A table row's incident is placed by its own row only: the other
	// rows are other incidents.
	row := inc.sents[0].row
	if h == nil && row == 0 {
		conf = 0.5
		// The dateline: "KABUL, Afghanistan (Reuters) —", the text's first place.
		if len(d.sents) > 0 && len(d.sents[0].places) > 0 && d.isDateline(&d.sents[0].places[0]) {
			p := &d.sents[0].places[0]
			if x.usable(ctx, d, p) {
				h = p
			}
		}
	}
	if h == nil {
		conf = 0.4
		for _, s := range append(append([]*sentence{}, inc.attached...), d.sents...) {
			if s.row != row {
				continue
			}
			for i := range s.places {
				p := &s.places[i]
				if !x.usable(ctx, d, p) {
					continue
				}
				c := x.geocode(ctx, d, p)
				if c != nil && d.country != "" && c.Country != d.country {
					continue
				}
				if c != nil && (h == nil || c.LocationPrecision < h.cand.LocationPrecision) {
					h = p
				}
			}
			if h != nil && !h.isCountry {
				break
			}
		}
	}
	if (h == nil || h.cand == nil) && d.in.Title != "" {
		// A text that names no place of the incident: its title's.
		if c, name := x.titlePlace(ctx, d); c != nil {
			x.setPlace(r, c, name)
			r.Evidence = append(r.Evidence, vigil.Span{Field: "place", Start: -1, End: -1, Text: name, Confidence: 0.3})
			return
		}
	}
	if h == nil || h.cand == nil {
		if d.country != "" {
			r.Country = d.country
			return
		}
		homes := map[string]bool{}
		for _, a := range r.Actors {
			if act := x.dict.Actor(a.ActorID); act != nil && len(act.Countries) == 1 {
				homes[act.Countries[0]] = true
			}
		}
		if len(homes) == 1 {
			for c := range homes {
				r.Country = c
			}
		}
		return
	}
	x.setPlace(r, h.cand, d.text[d.toks[h.a].start:d.toks[h.b-1].end])
	r.Evidence = append(r.Evidence, d.span("place", h.a, h.b, conf))
}

// setPlace fills a report's place from a geocoded candidate.
func (x *Extractor) setPlace(r *vigil.Report, c *geo.Candidate, name string) {
	r.Place.Name = name
	r.Place.SetPoint(vigil.LatLon{Lat: c.Latitude, Lon: c.Longitude})
	r.Place.Precision = c.LocationPrecision
	r.Place.Country = c.Country
	r.Place.Admin1 = c.Admin1
	r.Place.Admin1Name = c.Admin1Name
	r.Place.Admin2 = c.Admin2Name
	if c.GeonameID != 0 {
		r.Place.GazetteerID = "geonames:" + strconv.FormatInt(c.GeonameID, 10)
	}
}

// titlePlace reads the place of a text that names none from the
// document's title ("Quetta: gunmen kill two traffic wardens"): the most
// specific place the title names, in the text's country when the text
// has one. The title is not part of the text, so the place's evidence
// has no offsets (-1) and low confidence.
func (x *Extractor) titlePlace(ctx context.Context, d *doc) (*geo.Candidate, string) {
	title := d.in.Title
	if len(title) > 512 {
		return nil, ""
	}
	td := &doc{in: Input{Text: title}, text: title, country: d.country, support: d.support, context: d.context, ctxKey: d.ctxKey}
	td.toks = tokenize(title)
	var best *geo.Candidate
	name := ""
	for _, p := range x.findPlaces(td, 0, len(td.toks)) {
		if p.away || p.container {
			continue
		}
		c := x.geocode(ctx, td, &p)
		if c == nil || td.dubious(&p, c) || d.country != "" && c.Country != d.country {
			continue
		}
		if best == nil || c.LocationPrecision < best.LocationPrecision {
			best, name = c, title[td.toks[p.a].start:td.toks[p.b-1].end]
		}
	}
	return best, name
}

// isDateline reports whether a place opens the text as a dateline does:
// "KABUL, Afghanistan (Reuters) —", "QUETTA:", "Kabul -".
func (d *doc) isDateline(h *placeHit) bool {
	if h.a != 0 || h.b >= len(d.toks) {
		return false
	}
	t := d.toks[h.a]
	if strings.ToUpper(t.text) == t.text && len(t.text) > 2 {
		return true
	}
	for k := h.b; k < min(len(d.toks), h.b+6); k++ {
		switch d.toks[k].text {
		case "—", "–", "-", "(", ":":
			return true
		}
		if !d.toks[k].upper && d.toks[k].text != "," {
			return false
		}
	}
	return false
}
