package geo

import (
	"context"
	"math/rand/v2"
	"runtime"
	"testing"
)

// BenchmarkLoad measures parsing the embedded gazetteer and boundaries, and
// reports the heap they occupy once loaded.
func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	var g *Gazetteer
	for b.Loop() {
		var err error
		if g, err = Load(); err != nil {
			b.Fatal(err)
		}
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "MB-heap")
	runtime.KeepAlive(g)
}

// lookupNames mixes exact names, other scripts and transliteration variants.
var lookupNames = []string{"Kabul", "Ningarhar", "Kondoz", "Mazar-i-Sharif", "Konarha", "Jalalabad", "Helmand",
	"Hilmand", "Lashkargah", "Peshawar", "Quetta", "Кабул", "ننگرهار", "Paris", "Moscow", "Tehran", "Qunduz",
	"Sari Pul", "Paktya", "Grozny"}

// BenchmarkLookup measures exact and variant lookups, one name per op.
func BenchmarkLookup(b *testing.B) {
	g := testGazetteer(b)
	for _, n := range lookupNames { // build the lazy skeleton index outside the timing
		g.Lookup(n)
	}
	i := 0
	for b.Loop() {
		g.Lookup(lookupNames[i%len(lookupNames)])
		i++
	}
}

// misspelt names that only fuzzy matching finds.
var misspelt = []string{"Kandaharr", "Jalalbad", "Peshawer", "Mazar Sherif", "Nangarharr", "Ghazny", "Spin Boldakk", "Khostt", "Islamabd", "Faizabadd"}

// BenchmarkLookupFuzzy measures lookups that fall back to fuzzy matching.
func BenchmarkLookupFuzzy(b *testing.B) {
	g := testGazetteer(b)
	for _, n := range misspelt {
		g.LookupFuzzy(n, 0)
	}
	i := 0
	for b.Loop() {
		g.LookupFuzzy(misspelt[i%len(misspelt)], 0)
		i++
	}
}

// regionPoints are random points over the region's bounding box.
func regionPoints(n int) [][2]float64 {
	r := rand.New(rand.NewPCG(1, 2))
	pts := make([][2]float64, n)
	for i := range pts {
		pts[i] = [2]float64{25 + r.Float64()*30, 45 + r.Float64()*40} // lat, lon
	}
	return pts
}

// BenchmarkPointInPolygon measures one point-in-polygon query against the
// admin-1 layer (the region's provinces, through the R-tree).
func BenchmarkPointInPolygon(b *testing.B) {
	g := testGazetteer(b)
	pts := regionPoints(4096)
	i := 0
	for b.Loop() {
		p := pts[i%len(pts)]
		g.admin1Layer.Locate(p[1], p[0])
		i++
	}
}

// BenchmarkWhere measures Where: country, admin-1 and (in Afghanistan)
// district of a point.
func BenchmarkWhere(b *testing.B) {
	g := testGazetteer(b)
	pts := regionPoints(4096)
	i := 0
	for b.Loop() {
		p := pts[i%len(pts)]
		g.Where(p[0], p[1])
		i++
	}
}

// BenchmarkGeocode measures whole descriptions.
func BenchmarkGeocode(b *testing.B) {
	g := testGazetteer(b)
	qs := []string{"Achin District, Nangarhar Province, Afghanistan", "Khak-e Safid District of Farah Province",
		"near Jalalabad", "PD8 of Kabul city", "Kondoz", "Mazar-i-Sharif, Afghanistan", "Quetta, Pakistan"}
	ctx := context.Background()
	for _, q := range qs {
		g.Geocode(ctx, Query{Text: q})
	}
	i := 0
	for b.Loop() {
		g.Geocode(ctx, Query{Text: qs[i%len(qs)]})
		i++
	}
}
