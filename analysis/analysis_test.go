package analysis

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	stdtime "time"

	"github.com/vigil-osint/vigil"
)

type factOpt func(*vigil.EventFact)

func fact(id int64, date, country, admin1 string, lat, lon float64, opts ...factOpt) vigil.EventFact {
	f := vigil.EventFact{ID: id, DateStart: vigil.MustDate(date), DateEnd: vigil.MustDate(date), Precision: vigil.DateDay,
		Country: country, Admin1: admin1, Located: true, Latitude: lat, Longitude: lon, Killed: vigil.Exact(1)}
	for _, o := range opts {
		o(&f)
	}
	return f
}

func targets(ts ...vigil.TargetType) factOpt {
	return func(f *vigil.EventFact) { f.TargetTypes = ts }
}

func killed(r vigil.Range) factOpt { return func(f *vigil.EventFact) { f.Killed = r } }

func sources(s ...string) factOpt { return func(f *vigil.EventFact) { f.Sources = s } }

func TestPeriodLabels(t *testing.T) {
	tests := []struct {
		by   By
		date string
		want string
	}{
		{Year, "2017-05-10", "2017"},
		{Quarter, "2017-05-10", "2017-Q2"},
		{Quarter, "2017-12-31", "2017-Q4"},
		{Month, "2017-05-10", "2017-05"},
		{Week, "2017-05-10", "2017-W19"},
		{Week, "2021-01-03", "2020-W53"}, // a Sunday: still the last ISO week of 2020
		{Week, "2021-01-04", "2021-W01"},
		{Week, "2024-12-30", "2025-W01"},
	}
	for _, tt := range tests {
		t.Run(string(tt.by)+" "+tt.date, func(t *testing.T) {
			d := vigil.MustDate(tt.date)
			i := tt.by.index(d)
			if got := tt.by.label(i); got != tt.want {
				t.Errorf("label = %q, want %q", got, tt.want)
			}
			if s, e := tt.by.start(i), tt.by.end(i); d.Before(s) || d.After(e) {
				t.Errorf("period %s–%s does not hold %s", s, e, d)
			}
			if tt.by == Week && tt.by.start(i).Time().Weekday() != 1 {
				t.Errorf("week starts on %v, want Monday", tt.by.start(i).Time().Weekday())
			}
		})
	}
}

func TestEntropy(t *testing.T) {
	all := vigil.TargetTypes
	tests := []struct {
		name  string
		types [][]vigil.TargetType
		want  float64
	}{
		{"one type is 0", [][]vigil.TargetType{{"Military"}, {"Military"}, {"Military"}}, 0},
		{"two equal types is log 2", [][]vigil.TargetType{{"Military"}, {"Police"}}, math.Log(2)},
		{"n equal types is log n", [][]vigil.TargetType{{all[0]}, {all[1]}, {all[2]}, {all[3]}, {all[4]}}, math.Log(5)},
		{"an event of two types splits its weight", [][]vigil.TargetType{{"Military", "Police"}}, math.Log(2)},
		{"no types is 0", [][]vigil.TargetType{nil, nil}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var fs []vigil.EventFact
			for i, ts := range tt.types {
				fs = append(fs, fact(int64(i+1), "2022-01-05", "AF", "AF-NAN", 34.4, 70.4, targets(ts...)))
			}
			ind := Compute(fs, Options{By: Month, Seed: 1})
			if got := ind.Periods[0].TargetEntropy; math.Abs(got-tt.want) > 1e-12 {
				t.Errorf("entropy = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCentroid(t *testing.T) {
	tests := []struct {
		name     string
		points   [][2]float64
		lat, lon float64
	}{
		{"one event is that event", [][2]float64{{34.43, 70.45}}, 34.43, 70.45},
		{"two on the equator", [][2]float64{{0, 10}, {0, 20}}, 0, 15},
		{"across the antimeridian", [][2]float64{{0, 179}, {0, -179}}, 0, 180},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var fs []vigil.EventFact
			for i, p := range tt.points {
				fs = append(fs, fact(int64(i+1), "2022-01-05", "AF", "AF-NAN", p[0], p[1]))
			}
			c := Compute(fs, Options{By: Month}).Periods[0].Centroid
			if c == nil || math.Abs(c.Latitude-tt.lat) > 1e-9 || math.Abs(math.Mod(c.Longitude-tt.lon+540, 360)-180) > 1e-9 {
				t.Fatalf("centroid = %+v, want %v, %v", c, tt.lat, tt.lon)
			}
		})
	}
	one := Compute([]vigil.EventFact{fact(1, "2022-01-05", "AF", "AF-NAN", 34.43, 70.45)}, Options{By: Month}).Periods[0]
	if one.StandardDistanceKm.Value != 0 || one.Centroid.RadiusKm != 0 {
		t.Errorf("one event: standard distance %v, radius %v, want 0", one.StandardDistanceKm, one.Centroid.RadiusKm)
	}
}

func TestEmptyPeriodsAreZeros(t *testing.T) {
	fs := []vigil.EventFact{fact(1, "2022-01-05", "AF", "AF-NAN", 34.4, 70.4), fact(2, "2022-03-05", "AF", "AF-KNR", 34.9, 71.1)}
	ind := Compute(fs, Options{By: Month, Home: []string{"AF-NAN"}})
	if len(ind.Periods) != 3 {
		t.Fatalf("periods = %d, want Jan, Feb, Mar", len(ind.Periods))
	}
	feb := ind.Periods[1]
	if feb.Period != "2022-02" || feb.Events != 0 || feb.EventIDs == nil || len(feb.EventIDs) != 0 || feb.Killed != (Sum{}) ||
		feb.Countries != 0 || feb.Centroid != nil || feb.TargetEntropy != 0 || feb.OutsideHome.Share != 0 || feb.DriftKm != nil {
		t.Errorf("empty February = %+v, want zeros and empty lists", feb)
	}
	if feb.CountriesCumulative != 1 || feb.Admin1Cumulative != 1 {
		t.Errorf("cumulative counts in February = %d, %d, want 1, 1 (carried from January)", feb.CountriesCumulative, feb.Admin1Cumulative)
	}
	if d := ind.Periods[2].DriftKm; d == nil || d.Value < 50 || d.Value > 100 {
		t.Errorf("drift from January to March = %+v, want the Jalalabad–Asadabad distance (about 80 km)", d)
	}
	none := Compute(nil, Options{By: Week})
	if len(none.Periods) != 0 || none.Total.Events != 0 || len(none.Warnings) == 0 {
		t.Errorf("no facts: %+v, want no periods, zero totals and a warning", none)
	}
	window := Compute(nil, Options{By: Year, From: vigil.MustDate("2015-01-01"), To: vigil.MustDate("2017-12-31")})
	if len(window.Periods) != 3 || window.Periods[1].Period != "2016" || window.Periods[1].Events != 0 {
		t.Errorf("no facts in 2015–2017: %+v, want three empty years", window.Periods)
	}
}

func TestRangesStayOrdered(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	num := func(v int) vigil.Num {
		if rng.IntN(4) == 0 {
			return vigil.Num{}
		}
		return vigil.N(v)
	}
	var fs []vigil.EventFact
	for i := range 500 {
		lo := rng.IntN(20)
		best := lo + rng.IntN(20)
		hi := best + rng.IntN(40)
		r := vigil.Range{Low: num(lo), Best: num(best), High: num(hi)}
		fs = append(fs, fact(int64(i+1), vigil.NewDate(2020, 1, 1).AddDays(rng.IntN(700)).String(), "AF", "AF-NAN", 34, 70, killed(r),
			func(f *vigil.EventFact) { f.Wounded = r }))
	}
	ind := Compute(fs, Options{By: Month, Bootstrap: -1})
	for _, p := range append(ind.Periods, ind.Total) {
		for _, s := range []Sum{p.Killed, p.Wounded} {
			if !(s.Low <= s.Best && s.Best <= s.High) {
				t.Errorf("%s: sum %+v is out of order", p.Period, s)
			}
			if s.Known+s.Unknown != p.Events {
				t.Errorf("%s: %d known + %d unknown, want %d events", p.Period, s.Known, s.Unknown, p.Events)
			}
		}
		if l := p.Lethality; !(l.Low <= l.Best && l.Best <= l.High) {
			t.Errorf("%s: lethality %+v is out of order", p.Period, l)
		}
	}
}

func TestSpread(t *testing.T) {
	fs := []vigil.EventFact{
		fact(1, "2019-06-01", "AF", "AF-NAN", 34.43, 70.45), // history
		fact(2, "2021-01-10", "AF", "AF-NAN", 34.43, 70.45),
		fact(3, "2021-02-10", "AF", "AF-KDZ", 36.73, 68.86),
		fact(4, "2021-02-11", "PK", "PK-KP", 34.01, 71.58),
		fact(5, "2021-03-01", "UZ", "UZ-SU", 37.22, 67.28),
		fact(6, "2021-03-02", "AF", "AF-KDZ", 36.73, 68.86),
	}
	ind := Compute(fs, Options{By: Month, From: vigil.MustDate("2021-01-01"), Home: []string{"AF-NAN", "af-knr"},
		HomeCenters: []vigil.LatLon{{Lat: 34.43, Lon: 70.45}}, Seed: 3})
	if ind.History != 1 || ind.Periods[0].Events != 1 {
		t.Fatalf("history %d, January events %d, want 1 and 1", ind.History, ind.Periods[0].Events)
	}
	if n := ind.Periods[0].NewAdmin1Units; len(n) != 0 {
		t.Errorf("January's new units = %+v, want none: Nangarhar was struck in 2019", n)
	}
	feb := ind.Periods[1]
	if got := feb.NewAdmin1Units; len(got) != 2 || got[0].Key != "AF-KDZ" || got[0].EventID != 3 || got[1].EventID != 4 {
		t.Errorf("February's new units = %+v, want AF-KDZ (event 3) and PK-KP (event 4)", got)
	}
	if got := feb.NewCountries; len(got) != 1 || got[0].Key != "PK" || got[0].EventID != 4 {
		t.Errorf("February's new countries = %+v, want PK by event 4", got)
	}
	mar := ind.Periods[2]
	if len(mar.NewAdmin1Units) != 1 || mar.NewAdmin1Units[0].Key != "UZ-SU" || mar.CountriesCumulative != 3 {
		t.Errorf("March: new %+v, countries so far %d; want UZ-SU and 3", mar.NewAdmin1Units, mar.CountriesCumulative)
	}
	if s := ind.Total.OutsideHome; s.N != 4 || s.Of != 5 || s.Share != 0.8 || !slices.Equal(s.EventIDs, []int64{3, 4, 5, 6}) {
		t.Errorf("outside home = %+v, want 4 of 5 (events 3–6)", s)
	}
	if f := ind.Total.Farthest; f == nil || f.EventID != 5 || f.Km < 380 || f.Km > 460 {
		t.Errorf("farthest = %+v, want event 5 in Surxondaryo, about 420 km from Jalalabad", f)
	}
	if s := ind.Total.OutsideHome; !(s.Low <= s.Share && s.Share <= s.High) {
		t.Errorf("outside-home interval %v–%v does not hold %v", s.Low, s.High, s.Share)
	}
	if sd := ind.Total.StandardDistanceKm; !(sd.Low <= sd.Value*1.0001 && sd.Value <= sd.High*1.5) {
		t.Errorf("standard distance = %+v, want an interval near the value", sd)
	}
}

func TestTrendAndChangePoints(t *testing.T) {
	var fs []vigil.EventFact
	id := int64(0)
	// 24 months: 2 events a month, then 12 a month from month 13.
	for m := range 24 {
		n := 2
		if m >= 12 {
			n = 12
		}
		for range n {
			id++
			fs = append(fs, fact(id, vigil.NewDate(2020+m/12, stdtime.Month(1+m%12), 1+int(id%27)).String(), "AF", "AF-NAN", 34, 70))
		}
	}
	ind := Compute(fs, Options{By: Month, Bootstrap: -1})
	var tr *Trend
	for i := range ind.Trends {
		if ind.Trends[i].Series == "events" {
			tr = &ind.Trends[i]
		}
	}
	if tr == nil || tr.RatePerYear <= 1 || tr.Low <= 1 || !strings.HasPrefix(tr.Reading, "rising") {
		t.Errorf("trend = %+v, want rising with an interval above 1", tr)
	}
	var cps []ChangePoint
	for _, c := range ind.ChangePoints {
		if c.Series == "events" {
			cps = append(cps, c)
		}
	}
	if len(cps) != 1 || cps[0].Period != "2021-01" || cps[0].MeanBefore != 2 || cps[0].MeanAfter != 12 {
		t.Errorf("change points = %+v, want one at 2021-01 from 2 to 12 a month", cps)
	}
	flat := Compute(fs[:24], Options{By: Month, Bootstrap: -1})
	for _, c := range flat.ChangePoints {
		t.Errorf("a flat series has change point %+v", c)
	}
}

func TestPoissonTrendRecoversRate(t *testing.T) {
	var y []float64
	for i := range 40 {
		y = append(y, math.Round(20*math.Pow(1.5, float64(i)/12)))
	}
	r, lo, hi, p, _, ok := poissonTrend(y, 12)
	if !ok || math.Abs(r-1.5) > 0.05 || lo > 1.5 || hi < 1.5 || p > 1e-6 {
		t.Errorf("poissonTrend = %v (%v–%v, p %v), want about 1.5 a year", r, lo, hi, p)
	}
	s, tau, _, kp := mannKendall(y)
	if s <= 0 || tau <= 0.9 || kp > 1e-6 {
		t.Errorf("Mann–Kendall S %v tau %v p %v, want a strong rise", s, tau, kp)
	}
}

func TestRateRatio(t *testing.T) {
	tests := []struct {
		name         string
		a, b         int
		ta, tb       float64
		ratio        float64
		significant  bool
		holdsOneInCI bool
	}{
		{"equal rates", 50, 50, 365, 365, 1, false, true},
		{"double the rate", 40, 80, 365, 365, 2, true, false},
		{"same count over twice the time", 40, 40, 365, 730, 0.5, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, lo, hi, p, ok := rateRatio(tt.a, tt.b, tt.ta, tt.tb)
			if !ok || math.Abs(r-tt.ratio) > 1e-9 || (p < 0.05) != tt.significant || (lo <= 1 && 1 <= hi) != tt.holdsOneInCI || lo > r || hi < r {
				t.Errorf("rateRatio = %v (%v–%v, p %v)", r, lo, hi, p)
			}
		})
	}
}

func TestCoverageWarnings(t *testing.T) {
	acled := sources("ACLED")
	tests := []struct {
		name string
		fs   []vigil.EventFact
		from string
		want int
	}{
		{"crosses ACLED's Afghan start", []vigil.EventFact{fact(1, "2016-05-01", "AF", "AF-NAN", 34, 70), fact(2, "2018-05-01", "AF", "AF-NAN", 34, 70, acled)}, "", 1},
		{"no ACLED events", []vigil.EventFact{fact(1, "2016-05-01", "AF", "AF-NAN", 34, 70), fact(2, "2018-05-01", "AF", "AF-NAN", 34, 70, sources("UCDP GED 23.1"))}, "", 0},
		{"after the start", []vigil.EventFact{fact(2, "2018-05-01", "AF", "AF-NAN", 34, 70, acled)}, "2017-06-01", 0},
		{"Central Asia starts a year later", []vigil.EventFact{fact(1, "2017-03-01", "TJ", "TJ-KT", 37, 68, acled), fact(2, "2018-05-01", "TJ", "TJ-KT", 37, 68, acled)}, "", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := Options{By: Year, Bootstrap: -1}
			if tt.from != "" {
				o.From = vigil.MustDate(tt.from)
			}
			n := 0
			for _, w := range Compute(tt.fs, o).Warnings {
				if w.Kind == "coverage" {
					n++
				}
			}
			if n != tt.want {
				t.Errorf("%d coverage warnings, want %d", n, tt.want)
			}
		})
	}
}

func TestShippedCoverage(t *testing.T) {
	c := ShippedCoverage()
	af := slices.IndexFunc(c, func(c Coverage) bool { return c.Source == "ACLED" && slices.Contains(c.Countries, "AF") })
	if af < 0 || c[af].Start != vigil.MustDate("2017-01-01") {
		t.Errorf("shipped coverage lacks ACLED Afghanistan from 2017: %+v", c)
	}
}

func TestCompare(t *testing.T) {
	a := Compute([]vigil.EventFact{fact(1, "2019-02-01", "AF", "AF-NAN", 34.4, 70.4), fact(2, "2019-03-01", "AF", "AF-NAN", 34.4, 70.4)},
		Options{By: Year, From: vigil.MustDate("2019-01-01"), To: vigil.MustDate("2019-12-31")})
	b := Compute([]vigil.EventFact{fact(3, "2022-02-01", "AF", "AF-NAN", 34.4, 70.4), fact(4, "2022-03-01", "AF", "AF-KDZ", 36.7, 68.9),
		fact(5, "2022-04-01", "PK", "PK-KP", 34, 71.6), fact(6, "2022-05-01", "AF", "AF-KDZ", 36.7, 68.9)},
		Options{By: Year, From: vigil.MustDate("2022-01-01"), To: vigil.MustDate("2022-12-31")})
	c := Compare("2019", a, "2022", b)
	if c.A.Days != 365 || c.EventRate.Ratio != 2 || !slices.Equal(c.Admin1OnlyB, []string{"AF AF-KDZ", "PK PK-KP"}) || len(c.Admin1OnlyA) != 0 {
		t.Errorf("comparison = %+v", c)
	}
	if c.CentroidShiftKm == nil || *c.CentroidShiftKm <= 0 || !slices.Equal(c.EventsOnlyA, []int64{1, 2}) {
		t.Errorf("centroid shift %v, events only in A %v", c.CentroidShiftKm, c.EventsOnlyA)
	}
}

// TestNoTargetsWarning: the warning about missing target types does not
// blame one dataset for events that may come from any source without them.
func TestNoTargetsWarning(t *testing.T) {
	for _, tc := range []struct {
		name string
		fs   []vigil.EventFact
		want string // in the no-targets warning; "" when there is none
	}{
		{"none has targets", []vigil.EventFact{fact(1, "2016-05-01", "AF", "AF-NAN", 34, 70, sources("Wikipedia incident lists"))},
			"only GTD rows, case files and extracted articles give them; UCDP, ACLED and Wikipedia's lists do not"},
		{"some have", []vigil.EventFact{fact(1, "2016-05-01", "AF", "AF-NAN", 34, 70), fact(2, "2016-06-01", "AF", "AF-NAN", 34, 70, targets(vigil.TargetType("Police")))},
			"only 1 of 2 events have target types"},
		{"all have", []vigil.EventFact{fact(2, "2016-06-01", "AF", "AF-NAN", 34, 70, targets(vigil.TargetType("Police")))}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := ""
			for _, w := range Compute(tc.fs, Options{By: Year, Bootstrap: -1}).Warnings {
				if w.Kind == "no-targets" {
					got = w.Message
				}
			}
			if tc.want == "" && got != "" || !strings.Contains(got, tc.want) {
				t.Errorf("no-targets warning %q, want one with %q", got, tc.want)
			}
		})
	}
}
