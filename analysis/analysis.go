// Package analysis computes indicators of an armed group's tempo, spread
// and reach from event facts, per week, month, quarter or year, with their
// uncertainty (ranges, trend tests with intervals, change points,
// bootstrap intervals) and warnings where the data cannot carry a reading;
// every figure keeps the ids of the events under it.
package analysis

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/vigil-osint/vigil"
)

// Options say how to compute indicators.
type Options struct {
	By By
	// From and To bound the periods; zero means from the first and to the
	// last event. Events before From are history: they decide whether a
	// unit is entered for the first time but count in no period.
	From, To vigil.Date
	// Home names the group's home area: admin-1 codes (AF-NAN) or names.
	Home []string
	// HomeCenters are points of the home area (e.g. the centres of its
	// units) that distances from home are measured to, the nearest one
	// each time. Without them, the centroid of the home area's events is
	// used.
	HomeCenters []vigil.LatLon
	// Bootstrap is how many resamples give the spread measures their
	// intervals: 0 means 200, negative means none.
	Bootstrap int
	// Seed makes the bootstrap repeatable.
	Seed uint64
	// Coverage lists the sources' coverage; nil means the shipped table.
	Coverage []Coverage
	// MinEvents is the count below which a period is flagged as resting
	// on few events; 0 means 10.
	MinEvents int
	// Unit, when set, gives an event's admin-1 unit one identity (e.g. a
	// name resolved to its ISO 3166-2 code), so that a unit written two
	// ways by two sources counts once. It returns the key and name to use.
	// Compute writes them into the facts' Admin1 and Admin1Name, in
	// place: a copy of a million facts would cost more than the rest.
	Unit func(country, admin1, name string) (key, unitName string)
}

// Indicators are the indicators of one selection of events.
type Indicators struct {
	By   By         `json:"by"`
	From vigil.Date `json:"from"`
	To   vigil.Date `json:"to"`
	Home []string   `json:"home,omitempty"`
	// Periods holds every period from From to To, empty ones included.
	Periods []Period `json:"periods"`
	// Total is the whole span as one period.
	Total        Period        `json:"total"`
	Trends       []Trend       `json:"trends"`
	ChangePoints []ChangePoint `json:"change_points"`
	Warnings     []Warning     `json:"warnings"`
	// History counts the events before From that decided first entries.
	History int `json:"history_events"`
}

// Period holds the indicators of one period.
type Period struct {
	Period   string     `json:"period"` // "2017", "2017-Q2", "2017-05", "2017-W19", or "total"
	Start    vigil.Date `json:"start"`
	End      vigil.Date `json:"end"`
	Events   int        `json:"events"`
	EventIDs []int64    `json:"event_ids"`

	// Tempo.
	Killed  Sum `json:"killed"`
	Wounded Sum `json:"wounded"`
	// Lethality is killed per event over the events whose toll is known.
	Lethality Rate `json:"lethality"`

	// Spread.
	Countries           int     `json:"countries"`
	CountryList         []Count `json:"country_list"`
	CountriesCumulative int     `json:"countries_cumulative"`
	Admin1Units         int     `json:"admin1_units"`
	Admin1List          []Count `json:"admin1_list"`
	Admin1Cumulative    int     `json:"admin1_cumulative"`
	NewAdmin1Units      []Entry `json:"new_admin1_units"`
	NewCountries        []Entry `json:"new_countries"`
	// OutsideHome is the share of events, among those whose admin-1 is
	// known, outside the home area; nil without a home area.
	OutsideHome *Share `json:"outside_home,omitempty"`
	// Centroid is the mean position of the located events; nil when none
	// is located.
	Centroid *Centroid `json:"centroid"`
	// DriftKm is how far the centroid moved since the last period that
	// had one.
	DriftKm            *Estimate `json:"drift_km"`
	StandardDistanceKm *Estimate `json:"standard_distance_km"`
	// Farthest is the event farthest from the home area.
	Farthest  *Farthest `json:"farthest_from_home,omitempty"`
	Unlocated int       `json:"unlocated"`

	// Targets.
	Targets       []TargetShare `json:"targets"`
	TargetEntropy float64       `json:"target_entropy"`
	// TargetEntropyCI is the bootstrap interval of the entropy.
	TargetEntropyCI *Estimate `json:"target_entropy_ci,omitempty"`
	// TargetsKnown counts the events with target types.
	TargetsKnown int `json:"targets_known"`
}

// Sum is a sum of ranges: the lows, bests and highs of the events whose
// figure is known (an event that gives some parts has the others filled
// from them, so that low ≤ best ≤ high), and how many events give no
// figure at all.
type Sum struct {
	Low     int `json:"low"`
	Best    int `json:"best"`
	High    int `json:"high"`
	Known   int `json:"events_known"`
	Unknown int `json:"events_unknown"`
}

// Rate is a per-event rate as a range.
type Rate struct {
	Low  float64 `json:"low"`
	Best float64 `json:"best"`
	High float64 `json:"high"`
}

// Count is a unit with its events.
type Count struct {
	Key      string  `json:"key"` // country code, or admin-1 code or name
	Name     string  `json:"name,omitempty"`
	Country  string  `json:"country,omitempty"`
	Events   int     `json:"events"`
	EventIDs []int64 `json:"event_ids"`
}

// Entry is a unit entered for the first time, with the event that is the
// evidence.
type Entry struct {
	Key     string     `json:"key"`
	Name    string     `json:"name,omitempty"`
	Country string     `json:"country,omitempty"`
	EventID int64      `json:"event_id"`
	Date    vigil.Date `json:"date"`
}

// Share is a proportion with its bootstrap interval and the events that
// make its numerator.
type Share struct {
	Share    float64 `json:"share"`
	Low      float64 `json:"low"`
	High     float64 `json:"high"`
	N        int     `json:"n"`  // events counted in the numerator
	Of       int     `json:"of"` // events the share is of
	EventIDs []int64 `json:"event_ids"`
}

// Estimate is a value with its 95% interval; Low and High equal Value
// when no interval could be computed.
type Estimate struct {
	Value float64 `json:"value"`
	Low   float64 `json:"low"`
	High  float64 `json:"high"`
}

// Centroid is the spherical mean of the located events' positions.
type Centroid struct {
	Latitude  float64 `json:"latitude"`
	Longitude float64 `json:"longitude"`
	// RadiusKm is the 95th percentile of the bootstrap centroids'
	// distance from it: how far the centroid could be off.
	RadiusKm float64 `json:"radius_km"`
	N        int     `json:"n"`
}

// Farthest is the event farthest from the home area.
type Farthest struct {
	Km      float64 `json:"km"`
	EventID int64   `json:"event_id"`
	Country string  `json:"country"`
	Admin1  string  `json:"admin1,omitempty"`
}

// TargetShare is a target type's share of the events with known targets;
// an event with k types gives each 1/k.
type TargetShare struct {
	Type     vigil.TargetType `json:"type"`
	Weight   float64          `json:"weight"`
	Share    float64          `json:"share"`
	EventIDs []int64          `json:"event_ids"`
}

// Warning is something a reader must know before trusting a figure.
type Warning struct {
	Kind    string   `json:"kind"` // coverage, few-events, first-period, coarse-dates, unlocated, no-targets, short-series
	Message string   `json:"message"`
	Periods []string `json:"periods,omitempty"`
}

// Compute computes the indicators of the facts, which may come in any
// order; it changes them only as Options.Unit says. It never fails on thin data: empty periods give zeros, and
// warnings say what rests on too little.
func Compute(facts []vigil.EventFact, o Options) *Indicators {
	if o.By == "" {
		o.By = Month
	}
	if o.Bootstrap == 0 {
		o.Bootstrap = 200
	}
	if o.MinEvents == 0 {
		o.MinEvents = 10
	}
	if o.Coverage == nil {
		o.Coverage = ShippedCoverage()
	}
	if o.Unit != nil {
		type unit struct{ country, admin1, name string }
		seen := map[unit]unit{}
		for i := range facts {
			f := &facts[i]
			u := unit{f.Country, f.Admin1, f.Admin1Name}
			r, ok := seen[u]
			if !ok {
				r = u
				r.admin1, r.name = o.Unit(f.Country, f.Admin1, f.Admin1Name)
				seen[u] = r
			}
			f.Admin1, f.Admin1Name = r.admin1, r.name
		}
	}
	// The window: what counts in periods. Before it lies history. The
	// facts may come in any order.
	from, to := o.From, o.To
	var inWin []int
	var lo, hi vigil.Date
	for i := range facts {
		d := facts[i].DateStart
		if d.IsZero() || (!to.IsZero() && d.After(to)) {
			continue
		}
		if !from.IsZero() && d.Before(from) {
			continue
		}
		inWin = append(inWin, i)
		if lo.IsZero() || d.Before(lo) {
			lo = d
		}
		if hi.IsZero() || d.After(hi) {
			hi = d
		}
	}
	if from.IsZero() {
		from = lo
	}
	if to.IsZero() {
		to = hi
	}
	ind := &Indicators{By: o.By, From: from, To: to, Home: o.Home, Trends: []Trend{}, ChangePoints: []ChangePoint{}, Warnings: []Warning{}}
	if from.IsZero() || to.IsZero() || to.Before(from) {
		ind.Periods = []Period{}
		ind.Total = Period{Period: "total", EventIDs: []int64{}}
		fillEmpty(&ind.Total)
		ind.Warnings = append(ind.Warnings, Warning{Kind: "few-events", Message: "no events match: every figure is zero"})
		return ind
	}
	first, last := o.By.index(from), o.By.index(to)
	ind.Periods = make([]Period, last-first+1)
	// Buckets by counting sort: one array, no slice grown fact by fact.
	// all keeps the facts in their own order, which walks memory in order.
	all := make([]*vigil.EventFact, len(inWin))
	idx := make([]int32, len(inWin))
	counts := make([]int, len(ind.Periods)+1)
	for j, i := range inWin {
		all[j] = &facts[i]
		idx[j] = int32(o.By.index(facts[i].DateStart) - first)
		counts[idx[j]+1]++
	}
	for k := 1; k < len(counts); k++ {
		counts[k] += counts[k-1]
	}
	sorted := make([]*vigil.EventFact, len(all))
	next := slices.Clone(counts[:len(ind.Periods)])
	for j, f := range all {
		sorted[next[idx[j]]] = f
		next[idx[j]]++
	}
	buckets := make([][]*vigil.EventFact, len(ind.Periods))
	for k := range buckets {
		buckets[k] = sorted[counts[k]:counts[k+1]:counts[k+1]]
	}
	home := newHome(o.Home)
	centers := o.HomeCenters
	if len(centers) == 0 && home != nil {
		// The centroid of the home area's events, all of them.
		var ps []vec
		for i := range facts {
			if f := &facts[i]; f.Located && home.holds(f) {
				ps = append(ps, toVec(f.Latitude, f.Longitude))
			}
		}
		if len(ps) > 0 {
			lat, lon := centroid(ps).latLon()
			centers = []vigil.LatLon{{Lat: lat, Lon: lon}}
		}
	}
	c := &calc{keys: unitKeys{}, o: o, home: home, centers: centers, rng: rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15))}
	// The whole window is one more period, as long to compute as all the
	// others: it goes on beside them, with its own state and random draws.
	ind.Total = Period{Period: "total", Start: o.By.start(first), End: o.By.end(last)}
	total := &calc{keys: unitKeys{}, o: o, home: newHome(o.Home), centers: centers, rng: rand.New(rand.NewPCG(o.Seed^0x2545f4914f6cdd1d, o.Seed)),
		n: len(ind.Periods)}
	totalDone := make(chan struct{})
	go func() {
		defer close(totalDone)
		total.period(&ind.Total, all)
	}()
	for k := range ind.Periods {
		p := &ind.Periods[k]
		p.Period, p.Start, p.End = o.By.label(first+k), o.By.start(first+k), o.By.end(first+k)
		c.period(p, buckets[k])
	}
	<-totalDone
	// First entries: each unit's and country's earliest event, history
	// included; those inside the window are entries of their period.
	firstUnit, firstCountry := map[string]*vigil.EventFact{}, map[string]*vigil.EventFact{}
	keys := unitKeys{}
	earlier := func(a, b *vigil.EventFact) bool {
		return a.DateStart.Before(b.DateStart) || (a.DateStart == b.DateStart && a.ID < b.ID)
	}
	for i := range facts {
		f := &facts[i]
		if f.DateStart.IsZero() || f.DateStart.After(to) {
			continue
		}
		if f.DateStart.Before(from) {
			ind.History++
		}
		if g := firstCountry[f.Country]; f.Country != "" && (g == nil || earlier(f, g)) {
			firstCountry[f.Country] = f
		}
		if f.Admin1 != "" {
			k := keys.of(f)
			if g := firstUnit[k]; g == nil || earlier(f, g) {
				firstUnit[k] = f
			}
		}
	}
	newCountries, newUnits := make([]int, len(ind.Periods)), make([]int, len(ind.Periods))
	before := [2]int{} // entered before the window: countries, units
	for _, f := range firstCountry {
		if f.DateStart.Before(from) {
			before[0]++
			continue
		}
		k := o.By.index(f.DateStart) - first
		newCountries[k]++
		ind.Periods[k].NewCountries = append(ind.Periods[k].NewCountries, Entry{Key: f.Country, Country: f.Country, EventID: f.ID, Date: f.DateStart})
	}
	for _, f := range firstUnit {
		if f.DateStart.Before(from) {
			before[1]++
			continue
		}
		k := o.By.index(f.DateStart) - first
		newUnits[k]++
		ind.Periods[k].NewAdmin1Units = append(ind.Periods[k].NewAdmin1Units, Entry{Key: f.Admin1, Name: f.Admin1Name, Country: f.Country, EventID: f.ID, Date: f.DateStart})
	}
	nc, nu := before[0], before[1]
	for k := range ind.Periods {
		p := &ind.Periods[k]
		nc, nu = nc+newCountries[k], nu+newUnits[k]
		p.CountriesCumulative, p.Admin1Cumulative = nc, nu
		sortEntries(p.NewCountries)
		sortEntries(p.NewAdmin1Units)
	}
	seenCountry, seenUnit := firstCountry, firstUnit
	// Drift between consecutive located periods.
	var prev *Period
	var prevBoot []vec
	for k := range ind.Periods {
		p := &ind.Periods[k]
		if p.Centroid == nil {
			continue
		}
		if prev != nil {
			d := km(prev.Centroid.Latitude, prev.Centroid.Longitude, p.Centroid.Latitude, p.Centroid.Longitude)
			est := &Estimate{Value: d, Low: d, High: d}
			if bs := c.boots[k]; len(bs) > 0 && len(prevBoot) == len(bs) {
				ds := make([]float64, len(bs))
				for b := range bs {
					ds[b] = chord(bs[b], prevBoot[b])
				}
				est.Low, est.High = percentile(ds, 0.025), percentile(ds, 0.975)
			}
			p.DriftKm = est
		}
		prev, prevBoot = p, c.boots[k]
	}
	ind.Total.CountriesCumulative, ind.Total.Admin1Cumulative = len(seenCountry), len(seenUnit)
	for _, p := range ind.Periods {
		ind.Total.NewCountries = append(ind.Total.NewCountries, p.NewCountries...)
		ind.Total.NewAdmin1Units = append(ind.Total.NewAdmin1Units, p.NewAdmin1Units...)
	}
	ind.trends()
	ind.warn(o, all)
	return ind
}

// fillEmpty makes a period's lists empty rather than null.
func fillEmpty(p *Period) {
	if p.EventIDs == nil {
		p.EventIDs = []int64{}
	}
	for _, l := range []*[]Count{&p.CountryList, &p.Admin1List} {
		if *l == nil {
			*l = []Count{}
		}
	}
	for _, l := range []*[]Entry{&p.NewAdmin1Units, &p.NewCountries} {
		if *l == nil {
			*l = []Entry{}
		}
	}
	if p.Targets == nil {
		p.Targets = []TargetShare{}
	}
}

func sortEntries(es []Entry) {
	slices.SortFunc(es, func(a, b Entry) int {
		if c := a.Date.Time().Compare(b.Date.Time()); c != 0 {
			return c
		}
		return int(a.EventID - b.EventID)
	})
}

// unitKeys memoizes the keys of units: a million events name a few
// hundred, and building a key allocates.
type unitKeys map[[2]string]string

func (m unitKeys) of(f *vigil.EventFact) string {
	k := [2]string{f.Country, f.Admin1}
	if v, ok := m[k]; ok {
		return v
	}
	v := f.Country + "/" + strings.ToUpper(f.Admin1)
	m[k] = v
	return v
}

// home is the set of units of the home area.
type home struct {
	keys map[string]bool
	memo map[[2]string]bool
}

func newHome(units []string) *home {
	if len(units) == 0 {
		return nil
	}
	h := &home{keys: map[string]bool{}, memo: map[[2]string]bool{}}
	for _, u := range units {
		h.keys[fold(u)] = true
	}
	return h
}

func fold(s string) string {
	s = strings.ToUpper(strings.TrimSpace(s))
	for _, suf := range []string{" PROVINCE", " GOVERNORATE", " REGION", " OBLAST", " STATE"} {
		s = strings.TrimSuffix(s, suf)
	}
	return s
}

func (h *home) holds(f *vigil.EventFact) bool {
	k := [2]string{f.Admin1, f.Admin1Name}
	if v, ok := h.memo[k]; ok {
		return v
	}
	v := h.keys[fold(f.Admin1)] || (f.Admin1Name != "" && h.keys[fold(f.Admin1Name)])
	h.memo[k] = v
	return v
}

// calc computes period indicators, keeping the bootstrap centroids of
// each period for the drift's interval.
type calc struct {
	keys    unitKeys
	o       Options
	home    *home
	centers []vigil.LatLon
	// centerVecs are the centers on the unit sphere.
	centerVecs []vec
	rng        *rand.Rand
	boots      map[int][]vec
	n          int // periods done
}

// bootMax caps the resample size: beyond it the bootstrap draws bootMax
// events and scales the spread of its replicates by √(bootMax/n), the
// m-out-of-n bootstrap, so that a period of 100,000 events costs no more
// than one of bootMax.
const bootMax = 300

func (c *calc) period(p *Period, fs []*vigil.EventFact) {
	if c.boots == nil {
		c.boots = map[int][]vec{}
	}
	idx := c.n
	c.n++
	p.Events = len(fs)
	p.EventIDs = make([]int64, len(fs))
	countries, units := map[string]*Count{}, map[string]*Count{}
	targets := map[vigil.TargetType]*TargetShare{}
	ps := make([]vec, 0, len(fs))
	located := make([]*vigil.EventFact, 0, len(fs))
	var inHome []bool // of events with a known admin-1
	var outsideIDs []int64
	var targetEvents [][]vigil.TargetType
	for i, f := range fs {
		p.EventIDs[i] = f.ID
		addRange(&p.Killed, f.Killed)
		addRange(&p.Wounded, f.Wounded)
		if f.Country != "" {
			cnt := countries[f.Country]
			if cnt == nil {
				cnt = &Count{Key: f.Country}
				countries[f.Country] = cnt
			}
			cnt.Events++
			cnt.EventIDs = append(cnt.EventIDs, f.ID)
		}
		if f.Admin1 != "" {
			k := c.keys.of(f)
			cnt := units[k]
			if cnt == nil {
				cnt = &Count{Key: f.Admin1, Name: f.Admin1Name, Country: f.Country}
				units[k] = cnt
			}
			cnt.Events++
			cnt.EventIDs = append(cnt.EventIDs, f.ID)
			if c.home != nil {
				in := c.home.holds(f)
				inHome = append(inHome, in)
				if !in {
					outsideIDs = append(outsideIDs, f.ID)
				}
			}
		}
		if f.Located {
			ps = append(ps, toVec(f.Latitude, f.Longitude))
			located = append(located, f)
		} else {
			p.Unlocated++
		}
		if len(f.TargetTypes) > 0 {
			p.TargetsKnown++
			targetEvents = append(targetEvents, f.TargetTypes)
			w := 1 / float64(len(f.TargetTypes))
			for _, t := range f.TargetTypes {
				ts := targets[t]
				if ts == nil {
					ts = &TargetShare{Type: t}
					targets[t] = ts
				}
				ts.Weight += w
				ts.EventIDs = append(ts.EventIDs, f.ID)
			}
		}
	}
	if k := p.Killed.Known; k > 0 {
		p.Lethality = Rate{float64(p.Killed.Low) / float64(k), float64(p.Killed.Best) / float64(k), float64(p.Killed.High) / float64(k)}
	}
	p.CountryList, p.Admin1List = sortedCounts(countries), sortedCounts(units)
	p.Countries, p.Admin1Units = len(p.CountryList), len(p.Admin1List)
	weights := map[string]float64{}
	for _, ts := range targets {
		ts.Share = ts.Weight / float64(p.TargetsKnown)
		p.Targets = append(p.Targets, *ts)
		weights[string(ts.Type)] = ts.Weight
	}
	slices.SortFunc(p.Targets, func(a, b TargetShare) int {
		if a.Weight != b.Weight {
			if a.Weight > b.Weight {
				return -1
			}
			return 1
		}
		return strings.Compare(string(a.Type), string(b.Type))
	})
	p.TargetEntropy = entropy(weights)
	if c.home != nil {
		s := &Share{N: len(outsideIDs), Of: len(inHome), EventIDs: outsideIDs}
		if s.EventIDs == nil {
			s.EventIDs = []int64{}
		}
		if s.Of > 0 {
			s.Share = float64(s.N) / float64(s.Of)
		}
		s.Low, s.High = s.Share, s.Share
		p.OutsideHome = s
	}
	if len(ps) > 0 {
		cen := centroid(ps)
		lat, lon := cen.latLon()
		p.Centroid = &Centroid{Latitude: lat, Longitude: lon, N: len(ps)}
		sd := standardDistance(ps, cen)
		p.StandardDistanceKm = &Estimate{Value: sd, Low: sd, High: sd}
		if len(c.centers) > 0 {
			if c.centerVecs == nil {
				for _, h := range c.centers {
					c.centerVecs = append(c.centerVecs, toVec(h.Lat, h.Lon))
				}
			}
			for i, f := range located {
				d := math.Inf(1)
				for _, h := range c.centerVecs {
					d = math.Min(d, chord(ps[i], h))
				}
				if p.Farthest == nil || d > p.Farthest.Km {
					p.Farthest = &Farthest{Km: d, EventID: f.ID, Country: f.Country, Admin1: f.Admin1}
				}
			}
		}
	}
	c.bootstrap(p, idx, ps, inHome, targetEvents)
	fillEmpty(p)
}

// bootstrap puts intervals on the centroid, standard distance, share
// outside home and target entropy by resampling the period's events.
func (c *calc) bootstrap(p *Period, idx int, ps []vec, inHome []bool, targetEvents [][]vigil.TargetType) {
	b := c.o.Bootstrap
	if b <= 0 {
		return
	}
	if n := len(ps); n > 1 {
		m := min(n, bootMax)
		scale := math.Sqrt(float64(m) / float64(n))
		cen := toVec(p.Centroid.Latitude, p.Centroid.Longitude)
		boots := make([]vec, b)
		sds, offs := make([]float64, b), make([]float64, b)
		sample := make([]vec, m)
		for r := 0; r < b; r++ {
			for i := range sample {
				sample[i] = ps[c.rng.IntN(n)]
			}
			bc := centroid(sample)
			sds[r] = standardDistance(sample, bc)
			offs[r] = chord(bc, cen) * scale
			// The replicate centroid, pulled towards the estimate by the
			// m-out-of-n scale, for the drift's interval.
			boots[r] = centroid([]vec{{cen.x + (bc.x-cen.x)*scale, cen.y + (bc.y-cen.y)*scale, cen.z + (bc.z-cen.z)*scale}})
		}
		c.boots[idx] = boots
		p.Centroid.RadiusKm = percentile(offs, 0.95)
		sd := p.StandardDistanceKm
		sd.Low, sd.High = scaled(sd.Value, sds, scale)
	}
	if s := p.OutsideHome; s != nil && s.Of > 1 {
		n := len(inHome)
		m := min(n, bootMax)
		vals := make([]float64, b)
		for r := range vals {
			out := 0
			for range m {
				if !inHome[c.rng.IntN(n)] {
					out++
				}
			}
			vals[r] = float64(out) / float64(m)
		}
		s.Low, s.High = scaled(s.Share, vals, math.Sqrt(float64(m)/float64(n)))
		s.Low, s.High = math.Max(0, s.Low), math.Min(1, s.High)
	}
	if n := len(targetEvents); n > 1 {
		m := min(n, bootMax)
		vals := make([]float64, b)
		w := map[string]float64{}
		for r := range vals {
			clear(w)
			for range m {
				ts := targetEvents[c.rng.IntN(n)]
				for _, t := range ts {
					w[string(t)] += 1 / float64(len(ts))
				}
			}
			vals[r] = entropy(w)
		}
		lo, hi := scaled(p.TargetEntropy, vals, math.Sqrt(float64(m)/float64(n)))
		p.TargetEntropyCI = &Estimate{Value: p.TargetEntropy, Low: math.Max(0, lo), High: hi}
	}
}

// scaled returns the 2.5% and 97.5% percentiles of the replicates, their
// distances from the estimate scaled by scale (1 for a full bootstrap).
func scaled(est float64, reps []float64, scale float64) (lo, hi float64) {
	lo, hi = percentile(reps, 0.025), percentile(reps, 0.975)
	return est + (lo-est)*scale, est + (hi-est)*scale
}

// addRange adds an event's range to a sum, filling missing parts from the
// known ones so that the sums stay ordered.
func addRange(s *Sum, r vigil.Range) {
	var known []int
	for _, n := range []vigil.Num{r.Low, r.Best, r.High} {
		if n.Known {
			known = append(known, n.N)
		}
	}
	if len(known) == 0 {
		s.Unknown++
		return
	}
	lo, hi := slices.Min(known), slices.Max(known)
	best := lo
	if r.Best.Known {
		best = r.Best.N
	}
	if r.Low.Known {
		lo = min(r.Low.N, best)
	}
	if r.High.Known {
		hi = max(r.High.N, best)
	}
	s.Low, s.Best, s.High = s.Low+lo, s.Best+best, s.High+hi
	s.Known++
}

func sortedCounts(m map[string]*Count) []Count {
	out := make([]Count, 0, len(m))
	for _, c := range m {
		out = append(out, *c)
	}
	slices.SortFunc(out, func(a, b Count) int {
		if a.Events != b.Events {
			return b.Events - a.Events
		}
		return strings.Compare(a.Country+"/"+a.Key, b.Country+"/"+b.Key)
	})
	return out
}
