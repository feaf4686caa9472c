package wikilist

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/geo"
)

var (
	// reCitation is a footnote marker the lists carry over: "[11]".
	reCitation = regexp.MustCompile(`\[\d+\]`)
	// reNamePhrase is a run of capitalised words, optionally with the
	// connectors place names use ("Khak-e Safid", "Mazar-i-Sharif",
	// "Dera Ismail Khan") and a unit word after it ("Nangarhar Province").
	reNamePhrase = regexp.MustCompile(`\p{Lu}[\p{L}'’-]+(?:\s+(?:(?:e|i|ul|al|el|de)[\s-])?\p{Lu}[\p{L}'’-]+)*(?:\s+(?:[Pp]rovince|[Dd]istrict|[Aa]gency|[Cc]ity))?`)
)

// notPlaces are capitalised words of the lists' sentences that are not
// places: sentence openers, actors, nationalities, titles, days and months.
// A document's other places tilt the geocoder toward their country and
// province, so words that would resolve to a place by accident are left
// out.
var notPlaces = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`A An The This That These Those It Its He She They Their There At In On Of
		For From By With After Before During When While Two Three Four Five Six Seven Eight Nine Ten
		At least According Also Another Several Some Many Most Meanwhile However Later Earlier One
		Taliban Islamic State ISIL ISIS IS Daesh Al-Qaeda Qaeda Tehrik-i-Taliban Afghan
		Pakistani Iranian Russian Tajik Uzbek Kyrgyz Kazakh Turkmen American US U.S. NATO British German
		Shia Shiite Sunni Muslim Muslims Hazara Hazaras Sikh Sikhs Hindu Christian Christians Sufi
		Police Army Minister Ministry Governor President General Commander Major Captain Colonel Chief
		Mr Mrs Dr Sheikh Mullah Maulana Haji Imam Deputy Spokesman Member Province District City Village
		Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June
		July August September October November December Ramadan Eid Muharram Ashura Nowruz
		Interior Defence Defense National Security Directorate Forces Force Guard Guards Revolutionary
		Frontier Corps Levies Rangers Border Special Local Public Government Provincial Council Parliament
		Khorasan Jamaat-ul-Ahrar Lashkar-e-Jhangvi Haqqani Liberation Front Jaish TTP BLA LeJ
		Pakistani-Taliban Islamist Islamists Militants Militant Gunmen Unknown IED IEDs Terrorists Reinforcements`) {
		notPlaces[w] = true
	}
}

// unitWords are the designators place phrases end with.
var unitWords = map[string]bool{"province": true, "district": true, "agency": true, "city": true, "region": true, "krai": true, "oblast": true}

// contextPlaces returns the phrases of a text that may name places other
// than self (the location the row gives): runs of capitalised words that
// are not sentence openers, actors, titles or dates, split at possessives
// ("Jowzjan's Fayzabad District" is Jowzjan and Fayzabad District), at
// most max of them, each once. A phrase that only names self again
// ("Stavropol district" for "Stavropol, Russia") is not another place.
func contextPlaces(text, self string, max int) []string {
	text = reCitation.ReplaceAllString(text, "")
	text = strings.NewReplacer("'s ", ", ", "’s ", ", ").Replace(text)
	own := map[string]bool{}
	for _, w := range strings.FieldsFunc(strings.ToLower(self), func(r rune) bool { return r == ' ' || r == ',' }) {
		own[w] = true
	}
	var out []string
	seen := map[string]bool{}
	for _, m := range reNamePhrase.FindAllStringIndex(text, -1) {
		p := strings.TrimRight(text[m[0]:m[1]], "'’-")
		words := strings.Fields(p)
		// Drop leading words that are not places ("The Taliban attacked
		// Kunduz": "The" and "Taliban" go).
		for len(words) > 0 && notPlaces[words[0]] {
			words = words[1:]
		}
		if len(words) == 0 {
			continue
		}
		p = strings.Join(words, " ")
		if notPlaces[p] || len(p) < 3 || seen[p] || namesOnly(words, own) {
			continue
		}
		seen[p] = true
		out = append(out, p)
		if len(out) == max {
			break
		}
	}
	return out
}

// namesOnly reports whether every word of a phrase, unit words aside, is
// one of own.
func namesOnly(words []string, own map[string]bool) bool {
	if len(own) == 0 {
		return false
	}
	for _, w := range words {
		w = strings.ToLower(w)
		if !own[w] && !unitWords[w] {
			return false
		}
	}
	return true
}

// Located is how a row's location column resolved.
type Located struct {
	Place   vigil.Place
	Reasons []string
	OK      bool // the gazetteer knew the place
}

// locate geocodes a location column with the country column as a hint
// and the places the details name as the document's context.
func locate(g *geo.Gazetteer, location, country, details string) Located {
	var l Located
	l.Place.Name = location
	if g == nil {
		return l
	}
	if c, ok := g.CountryCode(country); ok && country != "" {
		l.Place.Country = c
	}
	if strings.TrimSpace(location) == "" {
		return l
	}
	ctxPlaces := contextPlaces(details, location, 8)
	q := geo.Query{Text: location, Country: l.Place.Country, Context: ctxPlaces}
	cands, err := g.Geocode(context.Background(), q)
	if err != nil || len(cands) == 0 {
		return l
	}
	c := cands[0]
	if c.LocationPrecision >= vigil.LocationRegion {
		// The gazetteer knows only the country (or a wide region): a
		// district or province the details name in that country holds
		// the place ("Jumuma, Afghanistan" … "in Paktika Province").
		if u, ok := containerFromDetails(g, ctxPlaces, c.Country); ok {
			u.Reasons = append([]string{fmt.Sprintf("%q is not in the gazetteer below the country; the details name %s", location, u.Name)}, u.Reasons...)
			c = u
		}
	}
	l.Place.SetPoint(vigil.LatLon{Lat: c.Latitude, Lon: c.Longitude})
	l.Place.Precision = c.LocationPrecision
	l.Place.Country = c.Country
	l.Place.Admin1 = c.Admin1
	l.Place.Admin1Name = c.Admin1Name
	l.Place.Admin2 = c.Admin2Name
	switch {
	case c.GeonameID > 0:
		l.Place.GazetteerID = fmt.Sprintf("geonames:%d", c.GeonameID)
	case c.GeonameID < 0:
		l.Place.GazetteerID = fmt.Sprintf("vigil-geo:%d", -c.GeonameID)
	}
	l.Reasons = c.Reasons
	l.OK = true
	return l
}

// containerFromDetails returns the first of the details' places that is a
// district or province (precision 3 or 4) of country, if any. Towns are
// not taken: a town the details name may be another place than the
// row's.
func containerFromDetails(g *geo.Gazetteer, places []string, country string) (geo.Candidate, bool) {
	for _, p := range places {
		cs, err := g.Geocode(context.Background(), geo.Query{Text: p, Country: country})
		if err != nil || len(cs) == 0 {
			continue
		}
		c := cs[0]
		if c.Country == country && (c.LocationPrecision == vigil.LocationAdmin2 || c.LocationPrecision == vigil.LocationAdmin1) {
			return c, true
		}
	}
	return geo.Candidate{}, false
}
