package analysis

import (
	"math"
	"slices"

	"github.com/vigil-osint/vigil"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"
	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// vec is a point on the unit sphere.
type vec struct{ x, y, z float64 }

func toVec(lat, lon float64) vec {
	// math.Sincos gives the values of math.Sin and math.Cos (the same
	// reduction and polynomials) in one call.
	sla, cla := math.Sincos(lat * math.Pi / 180)
	slo, clo := math.Sincos(lon * math.Pi / 180)
	return vec{cla * clo, cla * slo, sla}
}

// latLon returns the point the (not necessarily unit) vector points at.
func (v vec) latLon() (lat, lon float64) {
	h := math.Hypot(v.x, v.y)
	return math.Atan2(v.z, h) * 180 / math.Pi, math.Atan2(v.y, v.x) * 180 / math.Pi
}

// earthKm is the mean radius of the earth.
const earthKm = 6371.0088

// km is the great-circle distance between two points, in kilometres.
func km(lat1, lon1, lat2, lon2 float64) float64 {
	return geo.DistanceHaversine(orb.Point{lon1, lat1}, orb.Point{lon2, lat2}) / 1000
}

// chord turns the straight-line distance between two unit vectors into a
// great-circle distance in kilometres; cheaper than haversine in loops.
func chord(a, b vec) float64 { return chordKm(sq(a, b)) }

// sq is the square of the straight-line distance between two points:
// chordKm(sq(a, b)) = chord(a, b), and the larger sq, the larger chord.
func sq(a, b vec) float64 {
	dx, dy, dz := a.x-b.x, a.y-b.y, a.z-b.z
	return dx*dx + dy*dy + dz*dz
}

// chordKm turns a squared straight-line distance into kilometres along
// the sphere.
func chordKm(sq float64) float64 {
	c := math.Sqrt(sq)
	return 2 * math.Asin(math.Min(1, c/2)) * earthKm
}

// points are points on the unit sphere, by index: a slice of them, or
// facts whose positions are turned into points when asked for.
type points interface {
	len() int
	at(i int) vec
}

// vecs are points in a slice.
type vecs []vec

func (v vecs) len() int     { return len(v) }
func (v vecs) at(i int) vec { return v[i] }

// factPoints are the positions of facts, given by their rows: a million
// points need not be held when they can be computed twice.
type factPoints struct {
	fs   *vigil.Facts
	rows []int32
}

func (f factPoints) len() int { return len(f.rows) }
func (f factPoints) at(i int) vec {
	r := f.rows[i]
	return toVec(f.fs.Latitude[r], f.fs.Longitude[r])
}

// centroid returns the mean direction of the points, normalized: the
// spherical centroid, which a mean of longitudes is not near ±180°.
func centroid[P points](ps P) vec {
	var s vec
	for i := range ps.len() {
		p := ps.at(i)
		s.x, s.y, s.z = s.x+p.x, s.y+p.y, s.z+p.z
	}
	n := math.Sqrt(s.x*s.x + s.y*s.y + s.z*s.z)
	if n == 0 {
		return s
	}
	return vec{s.x / n, s.y / n, s.z / n}
}

// standardDistance is the root mean square distance of the points from
// their centroid c, in kilometres.
func standardDistance[P points](ps P, c vec) float64 {
	if ps.len() == 0 {
		return 0
	}
	var ss float64
	for i := range ps.len() {
		d := chord(ps.at(i), c)
		ss += d * d
	}
	return math.Sqrt(ss / float64(ps.len()))
}

// entropy is the Shannon entropy, in nats, of the weights' shares. It
// sorts the weights: summed in a fixed order, the last bits do not depend
// on the order they came in.
func entropy(vs []float64) float64 {
	var total float64
	slices.Sort(vs)
	for _, v := range vs {
		total += v
	}
	if total == 0 {
		return 0
	}
	p := make([]float64, 0, len(vs))
	for _, v := range vs {
		if v > 0 {
			p = append(p, v/total)
		}
	}
	return math.Max(0, stat.Entropy(p))
}

// percentile returns the p-quantile of xs, which it sorts.
func percentile(xs []float64, p float64) float64 {
	slices.Sort(xs)
	return stat.Quantile(p, stat.Empirical, xs, nil)
}

// poissonTrend fits log E[y_t] = a + b·t by iteratively reweighted least
// squares (each step a weighted regression by gonum's stat), with t in
// years, and returns the rate ratio per year exp(b), its 95% Wald interval
// and two-sided p-value. The standard error is scaled by the Pearson
// dispersion when counts vary more than a Poisson variable would
// (quasi-Poisson), so that overdispersed series get honest, wider
// intervals. ok is false when the series cannot carry a fit.
func poissonTrend(y []float64, perYear float64) (ratio, lo, hi, p, dispersion float64, ok bool) {
	n := len(y)
	var sum float64
	for _, v := range y {
		sum += v
	}
	if n < 3 || sum == 0 {
		return 0, 0, 0, 0, 0, false
	}
	x := make([]float64, n)
	for i := range x {
		x[i] = (float64(i) - float64(n-1)/2) / perYear
	}
	a, b := math.Log(sum/float64(n)), 0.0
	z, w, mu := make([]float64, n), make([]float64, n), make([]float64, n)
	for iter := 0; iter < 50; iter++ {
		for i := range y {
			mu[i] = math.Exp(a + b*x[i])
			z[i] = a + b*x[i] + (y[i]-mu[i])/mu[i]
			w[i] = mu[i]
		}
		na, nb := stat.LinearRegression(x, z, w, false)
		if math.IsNaN(na) || math.IsNaN(nb) || math.IsInf(nb, 0) {
			return 0, 0, 0, 0, 0, false
		}
		done := math.Abs(nb-b) < 1e-10 && math.Abs(na-a) < 1e-10
		a, b = na, nb
		if done {
			break
		}
	}
	// Fisher information of (a, b): X'WX with W = mu.
	var s0, s1, s2, pearson float64
	for i := range y {
		mu[i] = math.Exp(a + b*x[i])
		s0 += mu[i]
		s1 += mu[i] * x[i]
		s2 += mu[i] * x[i] * x[i]
		pearson += (y[i] - mu[i]) * (y[i] - mu[i]) / mu[i]
	}
	det := s0*s2 - s1*s1
	if det <= 0 || math.IsNaN(det) {
		return 0, 0, 0, 0, 0, false
	}
	dispersion = math.Max(1, pearson/float64(n-2))
	se := math.Sqrt(s0 / det * dispersion)
	zc := distuv.UnitNormal.Quantile(0.975)
	p = 2 * distuv.UnitNormal.CDF(-math.Abs(b/se))
	return math.Exp(b), math.Exp(b - zc*se), math.Exp(b + zc*se), p, dispersion, true
}

// mannKendall is the Mann–Kendall test of a monotone trend: the statistic
// S, Kendall's tau, the normal score (with the variance corrected for
// ties and continuity) and its two-sided p-value.
func mannKendall(y []float64) (s, tau, z, p float64) {
	n := len(y)
	if n < 3 {
		return 0, 0, 0, 1
	}
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			switch {
			case y[j] > y[i]:
				s++
			case y[j] < y[i]:
				s--
			}
		}
	}
	ties := map[float64]int{}
	for _, v := range y {
		ties[v]++
	}
	nf := float64(n)
	v := nf * (nf - 1) * (2*nf + 5)
	for _, t := range ties {
		tf := float64(t)
		v -= tf * (tf - 1) * (2*tf + 5)
	}
	v /= 18
	switch {
	case v <= 0:
		return s, 0, 0, 1
	case s > 0:
		z = (s - 1) / math.Sqrt(v)
	case s < 0:
		z = (s + 1) / math.Sqrt(v)
	}
	tau = s / (nf * (nf - 1) / 2)
	return s, tau, z, 2 * distuv.UnitNormal.CDF(-math.Abs(z))
}

// segment is a change point found by binary segmentation.
type segment struct {
	at                  int // first period of the new level
	before, after       float64
	statistic, penalty  float64
	fromIdx, toIdx, end int
}

// changePoints splits a count series by binary segmentation under a
// Poisson likelihood: a split is kept when twice its log-likelihood gain,
// divided by the series' dispersion, exceeds penalty; each part is split
// again. The dispersion is estimated from successive differences, which a
// shift in level barely touches, so that noisy series do not sprout
// change points. Parts are at least minLen periods long.
func changePoints(y []float64, minLen int) ([]segment, float64) {
	n := len(y)
	if n < 2*minLen {
		return nil, 0
	}
	cum := make([]float64, n+1)
	for i, v := range y {
		cum[i+1] = cum[i] + v
	}
	var mean, dd float64
	for i, v := range y {
		mean += v
		if i > 0 {
			dd += (v - y[i-1]) * (v - y[i-1])
		}
	}
	mean /= float64(n)
	if mean == 0 {
		return nil, 0
	}
	disp := math.Max(1, dd/(2*float64(n-1)*mean))
	penalty := 3 * math.Log(float64(n))
	ll := func(i, j int) float64 { // Poisson log-likelihood of y[i:j] at its own mean, up to constants
		s := cum[j] - cum[i]
		if s == 0 {
			return 0
		}
		return s * math.Log(s/float64(j-i))
	}
	var out []segment
	var split func(i, j int)
	split = func(i, j int) {
		if j-i < 2*minLen {
			return
		}
		best, bestK := 0.0, -1
		whole := ll(i, j)
		for k := i + minLen; k <= j-minLen; k++ {
			if g := ll(i, k) + ll(k, j) - whole; g > best {
				best, bestK = g, k
			}
		}
		if bestK < 0 || 2*best/disp <= penalty {
			return
		}
		out = append(out, segment{at: bestK, before: (cum[bestK] - cum[i]) / float64(bestK-i), after: (cum[j] - cum[bestK]) / float64(j-bestK),
			statistic: 2 * best / disp, penalty: penalty, fromIdx: i, toIdx: bestK, end: j})
		split(i, bestK)
		split(bestK, j)
	}
	split(0, n)
	slices.SortFunc(out, func(a, b segment) int { return a.at - b.at })
	return out, disp
}

// rateRatio compares two Poisson counts a and b observed over exposures ta
// and tb (days): the ratio of rates (b/tb)/(a/ta), its exact 95% interval
// (Clopper–Pearson on b given a+b, turned into a ratio) and the two-sided
// p-value of equal rates.
func rateRatio(a, b int, ta, tb float64) (ratio, lo, hi, p float64, ok bool) {
	n := a + b
	if n == 0 || ta <= 0 || tb <= 0 {
		return 0, 0, 0, 1, false
	}
	// b | n ~ Binomial(n, π), π = tb·r / (ta + tb·r).
	toRatio := func(pi float64) float64 {
		if pi >= 1 {
			return math.Inf(1)
		}
		return pi / (1 - pi) * ta / tb
	}
	plo, phi := 0.0, 1.0
	if b > 0 {
		plo = distuv.Beta{Alpha: float64(b), Beta: float64(n - b + 1)}.Quantile(0.025)
	}
	if b < n {
		phi = distuv.Beta{Alpha: float64(b + 1), Beta: float64(n - b)}.Quantile(0.975)
	}
	pi0 := tb / (ta + tb)
	bin := distuv.Binomial{N: float64(n), P: pi0}
	// Two-sided: twice the smaller tail, at most 1.
	lower := bin.CDF(float64(b))
	upper := 1 - bin.CDF(float64(b)-1)
	p = math.Min(1, 2*math.Min(lower, upper))
	if a == 0 {
		return math.Inf(1), toRatio(plo), math.Inf(1), p, true
	}
	return (float64(b) / tb) / (float64(a) / ta), toRatio(plo), toRatio(phi), p, true
}
