package link

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/vigil-osint/vigil"
)

// TestBlockFindsEveryPair: the grid that block uses for fine reports
// loses no pair that scoring every pair of a country and window would
// keep, near the poles, across the antimeridian, at every precision of
// place and date.
func TestBlockFindsEveryPair(t *testing.T) {
	for _, tc := range []struct {
		name              string
		lat, lon, spread  float64 // centre and half-width in degrees
		venueShare, fineP float64
	}{
		{"Nangarhar", 34.3, 70.6, 1.5, 0.05, 0.8},
		{"wide", 35, 67, 6, 0.1, 0.6},
		{"Chukotka, across the antimeridian", 66, 179.5, 2, 0, 0.9},
		{"near the pole", 80, 20, 3, 0, 0.9},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(7, uint64(len(tc.name))))
			c := Default()
			types := []vigil.EventType{vigil.EventExplosions, vigil.EventBattles}
			var recs []Record
			for i := range 1500 {
				lat := tc.lat + (rng.Float64()*2-1)*tc.spread
				lon := tc.lon + (rng.Float64()*2-1)*tc.spread
				if lon > 180 {
					lon -= 360
				}
				prec := int8(1 + rng.IntN(3))
				if rng.Float64() > tc.fineP {
					prec = int8(4 + rng.IntN(4))
				}
				r := Record{ID: int64(i + 1), Document: int64(i + 1), Source: int64(1 + rng.IntN(5)), New: rng.IntN(4) > 0,
					Start: int32(rng.IntN(60)), DatePrec: 1, LocPrec: prec, HasPoint: rng.IntN(10) > 0,
					Lat: float32(lat), Lon: float32(lon), Country: Intern("XX"), Type: Intern(string(types[rng.IntN(2)])),
					Actors: InternSet([]string{"iskp"}), Killed: NewToll(vigil.Exact(rng.IntN(5)))}
				r.End = r.Start + int32(rng.IntN(3))
				if rng.IntN(5) == 0 {
					r.DatePrec = int8(rng.IntN(6)) // 0 (unknown) to 5 (year)
				}
				if rng.IntN(20) == 0 {
					r.End = r.Start + 10 // an episode
				}
				if rng.Float64() < tc.venueShare {
					r.Venue = Intern([]string{"central mosque", "police college"}[rng.IntN(2)])
				}
				recs = append(recs, r)
			}
			sc := c.scorer()
			got, _ := sc.candidates(recs)
			var want []pair
			for i := range recs {
				for j := i + 1; j < len(recs); j++ {
					a, b := &recs[i], &recs[j]
					if !a.New && !b.New {
						continue
					}
					if a.Start > b.End+c.WindowDays || b.Start > a.End+c.WindowDays {
						continue
					}
					if (a.span() > c.EpisodeDays) != (b.span() > c.EpisodeDays) {
						continue
					}
					if s := sc.score(a, b, false); s.Total >= c.Review {
						want = append(want, pair{int32(i), int32(j), s.Total})
					}
				}
			}
			order := func(a, b pair) int { return cmp.Or(cmp.Compare(a.i, b.i), cmp.Compare(a.j, b.j)) }
			slices.SortFunc(got, order)
			slices.SortFunc(want, order)
			if len(want) < 50 {
				t.Fatalf("only %d candidate pairs by brute force: the case tests nothing", len(want))
			}
			if !slices.Equal(got, want) {
				t.Errorf("block found %d pairs, scoring every pair %d", len(got), len(want))
			}
		})
	}
}
