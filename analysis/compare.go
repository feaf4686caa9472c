package analysis

import (
	"slices"
)

// Comparison sets two selections side by side: period against period,
// actor against actor, or what was known on a day against what is known
// now. A is the baseline and B the one compared with it.
type Comparison struct {
	A Side `json:"a"`
	B Side `json:"b"`
	// EventRate compares events per day: B's rate over A's, with its
	// exact 95% interval and the p-value of equal rates.
	EventRate RateRatio `json:"event_rate"`
	// Admin1OnlyB are the units B holds and A does not (for as-of
	// comparisons: the units learnt of since), Admin1OnlyA the reverse.
	Admin1OnlyA []string `json:"admin1_only_a"`
	Admin1OnlyB []string `json:"admin1_only_b"`
	// CentroidShiftKm is the distance between the two centroids.
	CentroidShiftKm *float64 `json:"centroid_shift_km"`
	// EventsOnlyA and EventsOnlyB are the events one side holds and the
	// other does not.
	EventsOnlyA []int64 `json:"events_only_a"`
	EventsOnlyB []int64 `json:"events_only_b"`
}

// Side is one selection's summary in a comparison.
type Side struct {
	Label string `json:"label"`
	Days  int    `json:"days"`
	Total Period `json:"total"`
}

// RateRatio is a ratio of two rates with its interval.
type RateRatio struct {
	Ratio float64 `json:"ratio"`
	Low   float64 `json:"low"`
	High  float64 `json:"high"`
	P     float64 `json:"p"`
	OK    bool    `json:"ok"`
}

// Compare compares two computed selections.
func Compare(labelA string, a *Indicators, labelB string, b *Indicators) *Comparison {
	c := &Comparison{
		A: Side{Label: labelA, Total: a.Total, Days: days(a)},
		B: Side{Label: labelB, Total: b.Total, Days: days(b)},
	}
	r, lo, hi, p, ok := rateRatio(a.Total.Events, b.Total.Events, float64(c.A.Days), float64(c.B.Days))
	c.EventRate = RateRatio{Ratio: r, Low: lo, High: hi, P: p, OK: ok}
	ua, ub := unitSet(a.Total), unitSet(b.Total)
	c.Admin1OnlyA, c.Admin1OnlyB = minus(ua, ub), minus(ub, ua)
	if a.Total.Centroid != nil && b.Total.Centroid != nil {
		d := km(a.Total.Centroid.Latitude, a.Total.Centroid.Longitude, b.Total.Centroid.Latitude, b.Total.Centroid.Longitude)
		c.CentroidShiftKm = &d
	}
	c.EventsOnlyA, c.EventsOnlyB = idsMinus(a.Total.EventIDs, b.Total.EventIDs), idsMinus(b.Total.EventIDs, a.Total.EventIDs)
	return c
}

func days(ind *Indicators) int {
	if ind.From.IsZero() || ind.To.IsZero() {
		return 0
	}
	return ind.From.DaysUntil(ind.To) + 1
}

func unitSet(p Period) map[string]bool {
	m := map[string]bool{}
	for _, u := range p.Admin1List {
		m[u.Country+" "+u.Key] = true
	}
	return m
}

func minus(a, b map[string]bool) []string {
	out := []string{}
	for k := range a {
		if !b[k] {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

func idsMinus(a, b []int64) []int64 {
	in := make(map[int64]bool, len(b))
	for _, id := range b {
		in[id] = true
	}
	out := []int64{}
	for _, id := range a {
		if !in[id] {
			out = append(out, id)
		}
	}
	return out
}
