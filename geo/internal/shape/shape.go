// Package shape stores simplified boundary polygons compactly and answers
// which polygon of a layer holds a point, through an R-tree of their bounds.
package shape

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"
)

// scale is the fixed-point precision of stored coordinates: 1e-4 degree,
// about 11 m, far finer than the simplification.
const scale = 1e4

// Feature is one boundary: a key that names the unit it bounds (an ISO
// 3166-2 code, a country code, a district identifier) and its polygons.
type Feature struct {
	Key   string
	Geom  orb.MultiPolygon
	Bound orb.Bound
}

// Layer is a set of features with a spatial index over their polygons.
type Layer struct {
	Features []Feature
	tree     rtree.RTreeG[part]
	bands    map[*orb.Point]*bandIndex // by a ring's first point: the bands of its edges
}

// bandIndex splits a long ring's latitude range into bands, each listing
// the edges that cross it, so a ray cast or a distance looks at a few
// edges instead of thousands (Russia's outline has tens of thousands).
type bandIndex struct {
	bound      orb.Bound
	minY, step float64
	bands      [][]int32 // edge i joins ring[i] and ring[i+1]
}

// bandThreshold is the ring length above which a ring gets a band index.
const bandThreshold = 64

func newBandIndex(r orb.Ring) *bandIndex {
	b := r.Bound()
	n := len(r)/8 + 1
	bi := &bandIndex{bound: b, minY: b.Min[1], step: (b.Max[1] - b.Min[1]) / float64(n), bands: make([][]int32, n)}
	if bi.step <= 0 {
		bi.step = 1
	}
	for i := 0; i+1 < len(r); i++ {
		lo, hi := r[i][1], r[i+1][1]
		if lo > hi {
			lo, hi = hi, lo
		}
		for k := bi.band(lo); k <= bi.band(hi); k++ {
			bi.bands[k] = append(bi.bands[k], int32(i))
		}
	}
	return bi
}

func (bi *bandIndex) band(y float64) int {
	k := int((y - bi.minY) / bi.step)
	return max(0, min(k, len(bi.bands)-1))
}

// ringContains casts a ray through the band that holds y.
func (bi *bandIndex) ringContains(r orb.Ring, x, y float64) bool {
	in := false
	for _, i := range bi.bands[bi.band(y)] {
		a, b := r[i], r[i+1]
		if (a[1] > y) != (b[1] > y) && x < (b[0]-a[0])*(y-a[1])/(b[1]-a[1])+a[0] {
			in = !in
		}
	}
	return in
}

// part is one polygon of a feature, as stored in the R-tree.
type part struct {
	feature int32
	poly    int32
}

// NewLayer indexes features.
func NewLayer(features []Feature) *Layer {
	l := &Layer{Features: features, bands: map[*orb.Point]*bandIndex{}}
	for i := range l.Features {
		f := &l.Features[i]
		f.Bound = f.Geom.Bound()
		for j, p := range f.Geom {
			for k, r := range p {
				if len(r) > bandThreshold {
					// Close the ring so that every edge is r[i]→r[i+1].
					if r[0] != r[len(r)-1] {
						r = append(r, r[0])
						p[k] = r
					}
					l.bands[&r[0]] = newBandIndex(r)
				}
			}
			b := p.Bound()
			l.tree.Insert([2]float64{b.Min[0], b.Min[1]}, [2]float64{b.Max[0], b.Max[1]}, part{int32(i), int32(j)})
		}
	}
	return l
}

// Locate returns the index of the feature whose polygon holds the point
// (lon, lat), or -1. Where polygons overlap, the first found wins.
func (l *Layer) Locate(lon, lat float64) int {
	found := -1
	pt := [2]float64{lon, lat}
	l.tree.Search(pt, pt, func(_, _ [2]float64, p part) bool {
		if l.polygonContains(l.Features[p.feature].Geom[p.poly], lon, lat) {
			found = int(p.feature)
			return false
		}
		return true
	})
	return found
}

// Nearest returns the index of the feature whose polygon bounds lie nearest
// to (lon, lat) within maxDeg degrees and that polygon's distance in degrees,
// or -1. It lets a point just off a simplified coast still find its country.
func (l *Layer) Nearest(lon, lat, maxDeg float64) (int, float64) {
	best, bestD := -1, math.Inf(1)
	min := [2]float64{lon - maxDeg, lat - maxDeg}
	max := [2]float64{lon + maxDeg, lat + maxDeg}
	l.tree.Search(min, max, func(_, _ [2]float64, p part) bool {
		d := l.polygonDistance(l.Features[p.feature].Geom[p.poly], lon, lat, maxDeg)
		if d < bestD && d <= maxDeg {
			best, bestD = int(p.feature), d
		}
		return true
	})
	return best, bestD
}

// DistanceTo returns the planar distance in degrees from (lon, lat) to
// feature i's polygons (0 inside one), or +Inf when farther than maxDeg.
func (l *Layer) DistanceTo(i int, lon, lat, maxDeg float64) float64 {
	best := math.Inf(1)
	for _, p := range l.Features[i].Geom {
		if d := l.polygonDistance(p, lon, lat, maxDeg); d < best {
			best = d
		}
	}
	if best > maxDeg {
		return math.Inf(1)
	}
	return best
}

// polygonContains reports whether (x, y) lies inside the outer ring and
// outside every hole, by ray casting.
func (l *Layer) polygonContains(p orb.Polygon, x, y float64) bool {
	if len(p) == 0 || !l.ringContains(p[0], x, y) {
		return false
	}
	for _, h := range p[1:] {
		if l.ringContains(h, x, y) {
			return false
		}
	}
	return true
}

func (l *Layer) ringContains(r orb.Ring, x, y float64) bool {
	if len(r) > bandThreshold {
		if bi := l.bands[&r[0]]; bi != nil {
			b := bi.bound
			if x < b.Min[0] || x > b.Max[0] || y < b.Min[1] || y > b.Max[1] {
				return false
			}
			return bi.ringContains(r, x, y)
		}
	}
	return ringContains(r, x, y)
}

func ringContains(r orb.Ring, x, y float64) bool {
	in := false
	n := len(r)
	if n < 3 {
		return false
	}
	j := n - 1
	for i := 0; i < n; i++ {
		xi, yi := r[i][0], r[i][1]
		xj, yj := r[j][0], r[j][1]
		if (yi > y) != (yj > y) && x < (xj-xi)*(y-yi)/(yj-yi)+xi {
			in = !in
		}
		j = i
	}
	return in
}

// polygonDistance is the planar distance in degrees from (x, y) to the
// polygon's outer ring (0 inside), or +Inf when farther than maxDeg.
func (l *Layer) polygonDistance(p orb.Polygon, x, y, maxDeg float64) float64 {
	if l.polygonContains(p, x, y) {
		return 0
	}
	best := math.Inf(1)
	r := p[0]
	if bi := l.bands[&r[0]]; len(r) > bandThreshold && bi != nil {
		seen := map[int32]bool{}
		for k := bi.band(y - maxDeg); k <= bi.band(y+maxDeg); k++ {
			for _, i := range bi.bands[k] {
				if seen[i] {
					continue
				}
				seen[i] = true
				if d := segmentDistance(r[i], r[i+1], x, y); d < best {
					best = d
				}
			}
		}
		return best
	}
	for i := 1; i < len(r); i++ {
		if d := segmentDistance(r[i-1], r[i], x, y); d < best {
			best = d
		}
	}
	return best
}

func segmentDistance(a, b orb.Point, x, y float64) float64 {
	dx, dy := b[0]-a[0], b[1]-a[1]
	t := 0.0
	if l := dx*dx + dy*dy; l > 0 {
		t = ((x-a[0])*dx + (y-a[1])*dy) / l
		t = math.Max(0, math.Min(1, t))
	}
	px, py := a[0]+t*dx-x, a[1]+t*dy-y
	return math.Hypot(px, py)
}

// magic starts every encoded layer.
const magic = "VGSHP1\n"

// Encode writes features in the compact form Decode reads: keys, then each
// ring's points as zigzag varint deltas of 1e-4 degree fixed-point values.
func Encode(w io.Writer, features []Feature) error {
	bw := bufio.NewWriter(w)
	buf := make([]byte, binary.MaxVarintLen64)
	putU := func(v uint64) { n := binary.PutUvarint(buf, v); bw.Write(buf[:n]) }
	putI := func(v int64) { n := binary.PutVarint(buf, v); bw.Write(buf[:n]) }
	bw.WriteString(magic)
	putU(uint64(len(features)))
	for _, f := range features {
		putU(uint64(len(f.Key)))
		bw.WriteString(f.Key)
		putU(uint64(len(f.Geom)))
		for _, p := range f.Geom {
			putU(uint64(len(p)))
			for _, r := range p {
				putU(uint64(len(r)))
				var px, py int64
				for _, pt := range r {
					x, y := int64(math.Round(pt[0]*scale)), int64(math.Round(pt[1]*scale))
					putI(x - px)
					putI(y - py)
					px, py = x, y
				}
			}
		}
	}
	return bw.Flush()
}

// Decode reads a layer written by Encode.
func Decode(r io.Reader) ([]Feature, error) {
	br := bufio.NewReader(r)
	head := make([]byte, len(magic))
	if _, err := io.ReadFull(br, head); err != nil || string(head) != magic {
		return nil, errors.New("shape: not an encoded layer")
	}
	var err error
	getU := func() uint64 {
		if err != nil {
			return 0
		}
		var v uint64
		v, err = binary.ReadUvarint(br)
		return v
	}
	getI := func() int64 {
		if err != nil {
			return 0
		}
		var v int64
		v, err = binary.ReadVarint(br)
		return v
	}
	n := getU()
	if n > 1<<20 {
		return nil, fmt.Errorf("shape: implausible feature count %d", n)
	}
	features := make([]Feature, 0, n)
	for i := uint64(0); i < n && err == nil; i++ {
		kb := make([]byte, getU())
		if err == nil {
			_, err = io.ReadFull(br, kb)
		}
		f := Feature{Key: string(kb)}
		np := getU()
		f.Geom = make(orb.MultiPolygon, 0, np)
		for j := uint64(0); j < np && err == nil; j++ {
			nr := getU()
			poly := make(orb.Polygon, 0, nr)
			for k := uint64(0); k < nr && err == nil; k++ {
				npt := getU()
				ring := make(orb.Ring, npt)
				var x, y int64
				for m := range ring {
					x += getI()
					y += getI()
					ring[m] = orb.Point{float64(x) / scale, float64(y) / scale}
				}
				poly = append(poly, ring)
			}
			f.Geom = append(f.Geom, poly)
		}
		features = append(features, f)
	}
	if err != nil {
		return nil, fmt.Errorf("shape: decode: %w", err)
	}
	return features, nil
}
