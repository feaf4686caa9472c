package analysis

import (
	"fmt"
	"strings"

	"github.com/vigil-osint/vigil"
)

// Trend is a test of a monotone trend in a count series.
type Trend struct {
	Series  string `json:"series"` // events, killed.best, admin1_units, countries
	Periods int    `json:"periods"`
	// RatePerYear is the fitted multiplicative change per year of a
	// quasi-Poisson regression of the counts on time, with its 95%
	// interval and p-value; Dispersion is the Pearson dispersion that
	// widened the interval (1 when the counts are no more variable than
	// Poisson).
	RatePerYear float64 `json:"rate_per_year"`
	Low         float64 `json:"low"`
	High        float64 `json:"high"`
	P           float64 `json:"p"`
	Dispersion  float64 `json:"dispersion"`
	// The Mann–Kendall test, which assumes no distribution.
	KendallS   float64 `json:"mann_kendall_s"`
	KendallTau float64 `json:"mann_kendall_tau"`
	KendallP   float64 `json:"mann_kendall_p"`
	// Reading says in words what both tests agree on.
	Reading string `json:"reading"`
}

// ChangePoint is a shift in the level of a count series, found by binary
// segmentation, with its evidence: the mean counts before and after and
// the statistic against the threshold it beat.
type ChangePoint struct {
	Series     string  `json:"series"`
	Period     string  `json:"period"` // the first period of the new level
	Before     string  `json:"before"` // the span of the old level, "2019-01…2021-07"
	After      string  `json:"after"`
	MeanBefore float64 `json:"mean_before"`
	MeanAfter  float64 `json:"mean_after"`
	Statistic  float64 `json:"statistic"`
	Threshold  float64 `json:"threshold"`
	Dispersion float64 `json:"dispersion"`
}

// series returns a count series of the periods.
func (ind *Indicators) series(name string) []float64 {
	y := make([]float64, len(ind.Periods))
	for i, p := range ind.Periods {
		switch name {
		case "events":
			y[i] = float64(p.Events)
		case "killed.best":
			y[i] = float64(p.Killed.Best)
		case "admin1_units":
			y[i] = float64(p.Admin1Units)
		case "countries":
			y[i] = float64(p.Countries)
		}
	}
	return y
}

func (ind *Indicators) trends() {
	per := ind.By.perYear()
	for _, name := range []string{"events", "killed.best", "admin1_units", "countries"} {
		y := ind.series(name)
		ratio, lo, hi, p, disp, ok := poissonTrend(y, per)
		if !ok {
			continue
		}
		s, tau, _, kp := mannKendall(y)
		t := Trend{Series: name, Periods: len(y), RatePerYear: ratio, Low: lo, High: hi, P: p, Dispersion: disp,
			KendallS: s, KendallTau: tau, KendallP: kp}
		t.Reading = reading(t)
		ind.Trends = append(ind.Trends, t)
	}
	for _, name := range []string{"events", "killed.best"} {
		y := ind.series(name)
		cps, disp := changePoints(y, max(2, min(6, len(y)/8)))
		for _, cp := range cps {
			ind.ChangePoints = append(ind.ChangePoints, ChangePoint{Series: name, Period: ind.Periods[cp.at].Period,
				Before:     ind.Periods[cp.fromIdx].Period + "…" + ind.Periods[cp.toIdx-1].Period,
				After:      ind.Periods[cp.toIdx].Period + "…" + ind.Periods[cp.end-1].Period,
				MeanBefore: cp.before, MeanAfter: cp.after, Statistic: cp.statistic, Threshold: cp.penalty, Dispersion: disp})
		}
	}
}

// reading says what the tests support, and no more.
func reading(t Trend) string {
	pct := func(r float64) string { return fmt.Sprintf("%+.0f%%", (r-1)*100) }
	ci := fmt.Sprintf("%s a year (95%% interval %s to %s)", pct(t.RatePerYear), pct(t.Low), pct(t.High))
	switch {
	case t.P < 0.05 && t.KendallP < 0.05 && t.RatePerYear > 1 && t.KendallS > 0:
		return "rising: " + ci
	case t.P < 0.05 && t.KendallP < 0.05 && t.RatePerYear < 1 && t.KendallS < 0:
		return "falling: " + ci
	case t.P < 0.05 || t.KendallP < 0.05:
		return "the tests disagree; no clear trend: " + ci
	}
	return "no clear trend: " + ci
}

// warn adds the warnings a reader needs.
func (ind *Indicators) warn(o Options, t *tables, all []int32) {
	var few []string
	for _, p := range ind.Periods {
		if p.Events < o.MinEvents {
			few = append(few, p.Period)
		}
	}
	if len(few) > 0 {
		ind.Warnings = append(ind.Warnings, Warning{Kind: "few-events", Periods: few,
			Message: fmt.Sprintf("%d of %d periods rest on fewer than %d events: read their shares, centroids and entropies as anecdotes", len(few), len(ind.Periods), o.MinEvents)})
	}
	if ind.Total.Events < o.MinEvents {
		ind.Warnings = append(ind.Warnings, Warning{Kind: "few-events",
			Message: fmt.Sprintf("the whole series rests on %d events (fewer than %d): trends and change points cannot be trusted", ind.Total.Events, o.MinEvents)})
	}
	if len(ind.Periods) < 3 {
		ind.Warnings = append(ind.Warnings, Warning{Kind: "short-series", Message: "fewer than 3 periods: no trend is tested"})
	}
	if ind.History == 0 && len(ind.Periods) > 0 && ind.Total.Events > 0 {
		ind.Warnings = append(ind.Warnings, Warning{Kind: "first-period", Periods: []string{ind.Periods[0].Period},
			Message: "nothing in the store precedes the first period, so every unit it holds counts as entered for the first time"})
	}
	coarse := 0
	want := map[By]vigil.DatePrecision{Week: vigil.DateWeek, Month: vigil.DateMonth, Quarter: vigil.DateMonth, Year: vigil.DateYear}[o.By]
	for _, i := range all {
		if vigil.DatePrecision(t.fs.Precision[i]) > want {
			coarse++
		}
	}
	if coarse > 0 {
		ind.Warnings = append(ind.Warnings, Warning{Kind: "coarse-dates",
			Message: fmt.Sprintf("%d events are dated less precisely than a %s; each counts in the period of its first possible day", coarse, o.By)})
	}
	if ind.Total.Unlocated > 0 {
		ind.Warnings = append(ind.Warnings, Warning{Kind: "unlocated",
			Message: fmt.Sprintf("%d of %d events have no coordinates: centroids, distances and the map leave them out", ind.Total.Unlocated, ind.Total.Events)})
	}
	if ind.Total.Events > 0 && ind.Total.TargetsKnown == 0 {
		ind.Warnings = append(ind.Warnings, Warning{Kind: "no-targets",
			Message: "no event has target types (only GTD rows, case files and extracted articles give them; UCDP, ACLED and Wikipedia's lists do not): target shares and entropy are empty, not zero diversification"})
	} else if ind.Total.Events > 0 && ind.Total.TargetsKnown < ind.Total.Events {
		ind.Warnings = append(ind.Warnings, Warning{Kind: "no-targets",
			Message: fmt.Sprintf("only %d of %d events have target types; shares and entropy are of those", ind.Total.TargetsKnown, ind.Total.Events)})
	}
	ind.Warnings = append(ind.Warnings, coverageWarnings(o.Coverage, ind.From, ind.To, t, all)...)
	if strings.TrimSpace(strings.Join(o.Home, "")) != "" && ind.Total.OutsideHome != nil && ind.Total.OutsideHome.Of < ind.Total.Events {
		ind.Warnings = append(ind.Warnings, Warning{Kind: "unlocated",
			Message: fmt.Sprintf("%d events have no admin-1 unit and are left out of the share outside the home area", ind.Total.Events-ind.Total.OutsideHome.Of)})
	}
}
