package geo

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hbollon/go-edlib"

	"github.com/vigil-osint/vigil/geo/internal/textnorm"
)

// fuzzyMinDefault is the Jaro-Winkler similarity below which a name is not
// taken for a misspelling of a gazetteer name.
const fuzzyMinDefault = 0.88

// bestSimilarity is the highest Jaro-Winkler similarity between key and the
// Latin keys of entry i.
func (g *Gazetteer) bestSimilarity(i int32, key string) float64 {
	best := 0.0
	ks := g.places[i].keys
	for len(ks) > 0 {
		var k string
		if j := strings.IndexByte(ks, ' '); j >= 0 {
			k, ks = ks[:j], ks[j+1:]
		} else {
			k, ks = ks, ""
		}
		if !textnorm.IsLatin(k) {
			continue
		}
		if s := float64(edlib.JaroWinklerSimilarity(k, key)); s > best {
			best = s
		}
	}
	return best
}

// buildFuzzy indexes the Latin keys by their first three letters, each
// bucket sorted by length, so a fuzzy search compares a name only with keys
// that begin alike and differ in length by at most two.
func (g *Gazetteer) buildFuzzy() {
	g.fuzzy = map[string][]fuzzyKey{}
	for k := range g.keys {
		if len(k) < 4 || !textnorm.IsLatin(k) {
			continue
		}
		g.fuzzy[k[:3]] = append(g.fuzzy[k[:3]], fuzzyKey{k, g.lookupKey(k)})
	}
	for _, b := range g.fuzzy {
		sort.Slice(b, func(i, j int) bool {
			if len(b[i].key) != len(b[j].key) {
				return len(b[i].key) < len(b[j].key)
			}
			return b[i].key < b[j].key
		})
	}
}

// fuzzyMatch finds entries with a Latin name similar to key.
func (g *Gazetteer) fuzzyMatch(key string, min float64) []nameMatch {
	if min <= 0 {
		min = fuzzyMinDefault
	}
	if len(key) < 4 || !textnorm.IsLatin(key) {
		return nil
	}
	g.fuzzyOnce.Do(g.buildFuzzy)
	b := g.fuzzy[key[:3]]
	lo := sort.Search(len(b), func(i int) bool { return len(b[i].key) >= len(key)-2 })
	best := map[int32]float64{}
	for _, fk := range b[lo:] {
		if len(fk.key) > len(key)+2 {
			break
		}
		sim := float64(edlib.JaroWinklerSimilarity(key, fk.key))
		if sim < min {
			continue
		}
		for _, i := range fk.places {
			if sim > best[i] {
				best[i] = sim
			}
		}
	}
	out := make([]nameMatch, 0, len(best))
	for i, sim := range best {
		out = append(out, nameMatch{i, 0.5 + 0.4*sim, fmt.Sprintf("fuzzy match (Jaro-Winkler %.2f)", sim)})
	}
	g.sortMatches(out)
	return out
}
