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

// bestEditSimilarity is the highest 1 - Levenshtein distance / length
// between key and the Latin keys of entry i.
func (g *Gazetteer) bestEditSimilarity(i int32, key string) float64 {
	best := 0.0
	for _, k := range strings.Fields(g.places[i].keys) {
		if !textnorm.IsLatin(k) {
			continue
		}
		n := max(len(k), len(key))
		if s := 1 - float64(edlib.LevenshteinDistance(k, key))/float64(n); s > best {
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
		if sim < min || !closeEdit(key, fk.key) {
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

// closeEdit reports whether two keys differ by at most a quarter of the
// longer one's letters. Jaro-Winkler forgives a different ending when the
// beginnings agree ("akhunkot", "akhunovo"); the edit distance does not.
func closeEdit(a, b string) bool {
	n := max(len(a), len(b))
	return edlib.LevenshteinDistance(a, b)*4 <= n
}

// scopedDistricts returns the districts of an admin-1 unit whose Latin
// names are close to key: within a known province a district's name is
// matched more loosely than across the gazetteer, because there are only
// a few dozen to confuse it with.
func (g *Gazetteer) scopedDistricts(admin1, key string) []nameMatch {
	g.districtOnce.Do(func() {
		g.districtsByAdmin1 = map[string][]int32{}
		for i := range g.places {
			if k := g.places[i].kind(); k == kindAdmin2 || k == kindAdmin2NoPoint {
				a := g.places[i].admin1
				g.districtsByAdmin1[a] = append(g.districtsByAdmin1[a], int32(i))
			}
		}
	})
	if len(key) < 3 || !textnorm.IsLatin(key) {
		return nil
	}
	var out []nameMatch
	for _, i := range g.districtsByAdmin1[admin1] {
		sim := g.bestSimilarity(i, key)
		if e := g.bestEditSimilarity(i, key); e > sim {
			sim = e
		}
		if sim >= 0.78 {
			out = append(out, nameMatch{i, 0.5 + 0.4*sim, fmt.Sprintf("close to a district name of the province (similarity %.2f)", sim)})
		}
	}
	g.sortMatches(out)
	return out
}
