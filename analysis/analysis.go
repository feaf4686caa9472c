// Package analysis computes indicators of an armed group's tempo, spread
// and reach from event facts, per week, month, quarter or year, with their
// uncertainty (ranges, trend tests with intervals, change points,
// bootstrap intervals) and warnings where the data cannot carry a reading;
// every figure keeps the ids of the events under it.
package analysis

import (
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

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
	Kind    string   `json:"kind"` // coverage, few-events, first-period, coarse-dates, unlocated, no-targets, short-series; unknown-home (UnknownHome)
	Message string   `json:"message"`
	Periods []string `json:"periods,omitempty"`
}

// UnknownHome is the warning that the home units named, as given in the
// parameter param (--home, home), are codes or names the boundaries do not
// know: a mistyped unit would otherwise read as "everything outside home".
func UnknownHome(param string, names []string) Warning {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return Warning{Kind: "unknown-home", Message: param + " " + strings.Join(q, ", ") +
		": no admin-1 unit the boundaries know has this code or name; it counts as home only where an event's admin-1 is written exactly so"}
}

// Compute computes the indicators of the facts, which may come in any
// order; it changes them only as Options.Unit says. It never fails on thin data: empty periods give zeros, and
// warnings say what rests on too little.
func Compute(facts []vigil.EventFact, o Options) *Indicators {
	fs := vigil.FactsOf(facts)
	ind := ComputeFacts(fs, o)
	if o.Unit != nil {
		for i := range facts {
			facts[i].Admin1, facts[i].Admin1Name = fs.Strings[fs.Admin1[i]], fs.Strings[fs.Admin1Name[i]]
		}
	}
	return ind
}

// place is one distinct country, admin-1 code and name among the facts:
// a million facts name a few hundred, and what indicators ask of a place
// (its unit, whether it is home) is decided once for each.
type place struct {
	country int32 // index into the countries; -1 when unknown
	unit    int32 // index into the units; -1 when the admin-1 is unknown
	admin1  int32 // Admin1 and Admin1Name, indexes into the facts' Strings
	name    int32
	home    bool
}

// ComputeFacts computes the indicators of facts in columns, as Compute
// does; it changes them only as Options.Unit says (Admin1 and Admin1Name
// rewritten in place, strings added to the table). The total's event ids
// may be the facts' ID column itself.
func ComputeFacts(fs *vigil.Facts, o Options) *Indicators {
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
	n := fs.Len()
	home := newHome(o.Home)
	// Places: each fact's, resolved as Options.Unit says.
	t := newTables(fs)
	{
		type key [3]int32
		type resolved struct{ admin1, name, place int32 }
		seen := map[key]resolved{}
		units := map[string]int32{}
		// The last place seen of each admin-1 string: most facts find
		// theirs there, without hashing.
		type hit struct {
			k key
			r resolved
		}
		byAdmin1 := make([]hit, len(fs.Strings))
		for k := range byAdmin1 {
			byAdmin1[k].k = key{-1, -1, -1}
		}
		for i := range n {
			k := key{fs.Country[i], fs.Admin1[i], fs.Admin1Name[i]}
			h := &byAdmin1[k[1]]
			r := h.r
			if k != h.k {
				var ok bool
				if r, ok = seen[k]; !ok {
					country, a1, a1n := fs.Strings[k[0]], fs.Strings[k[1]], fs.Strings[k[2]]
					r.admin1, r.name = k[1], k[2]
					if o.Unit != nil {
						a1, a1n = o.Unit(country, a1, a1n)
						r.admin1, r.name = fs.Intern(a1), fs.Intern(a1n)
					}
					pl := place{country: t.country(country), unit: -1, admin1: r.admin1, name: r.name}
					if a1 != "" {
						uk := country + "/" + strings.ToUpper(a1)
						u, ok := units[uk]
						if !ok {
							u = int32(len(units))
							units[uk] = u
						}
						pl.unit = u
					}
					pl.home = home != nil && home.holds(a1, a1n)
					r.place = int32(len(t.places))
					t.places = append(t.places, pl)
					seen[k] = r
				}
				h.k, h.r = k, r
			}
			fs.Admin1[i], fs.Admin1Name[i] = r.admin1, r.name
			t.placeOf[i] = r.place
		}
		t.units = len(units)
	}
	// The window: what counts in periods. Before it lies history. The
	// facts may come in any order.
	from, to := o.From, o.To
	inWin := make([]int32, 0, n)
	var lo, hi vigil.Date
	for i := range n {
		d := fs.DateStart[i]
		if d.IsZero() || (!to.IsZero() && d.After(to)) {
			continue
		}
		if !from.IsZero() && d.Before(from) {
			continue
		}
		inWin = append(inWin, int32(i))
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
	// Each fact's period, found once a day rather than once a fact.
	all := inWin
	slot := make([]int32, len(all))
	if len(all) > 0 {
		byDay := make([]int32, lo.DaysUntil(hi)+1)
		for k := range byDay {
			byDay[k] = int32(o.By.index(lo.AddDays(k)) - first)
		}
		for j, i := range all {
			slot[j] = byDay[lo.DaysUntil(fs.DateStart[i])]
		}
	}
	centers := o.HomeCenters
	if len(centers) == 0 && home != nil {
		// The centroid of the home area's events, all of them.
		var ps []vec
		for i := range n {
			if fs.Located[i] && t.places[t.placeOf[i]].home {
				ps = append(ps, toVec(fs.Latitude[i], fs.Longitude[i]))
			}
		}
		if len(ps) > 0 {
			lat, lon := centroid(vecs(ps)).latLon()
			centers = []vigil.LatLon{{Lat: lat, Lon: lon}}
		}
	}
	for k := range ind.Periods {
		p := &ind.Periods[k]
		p.Period, p.Start, p.End = o.By.label(first+k), o.By.start(first+k), o.By.end(first+k)
	}
	c := newSeries(t, o, home != nil, centers, rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15)), all, slot)
	// The whole window is one more period, as long to compute as all the
	// others: it goes on beside them, with its own state and random draws.
	ind.Total = Period{Period: "total", Start: o.By.start(first), End: o.By.end(last)}
	total := newSeries(t, o, home != nil, centers, rand.New(rand.NewPCG(o.Seed^0x2545f4914f6cdd1d, o.Seed)), all, nil)
	totalDone := make(chan struct{})
	go func() {
		defer close(totalDone)
		total.run([]*Period{&ind.Total})
	}()
	periods := make([]*Period, len(ind.Periods))
	for k := range periods {
		periods[k] = &ind.Periods[k]
	}
	c.run(periods)
	<-totalDone
	// First entries: each unit's and country's earliest event, history
	// included; those inside the window are entries of their period.
	firstUnit, firstCountry := make([]int32, t.units), make([]int32, len(t.countries))
	for _, l := range [][]int32{firstUnit, firstCountry} {
		for k := range l {
			l[k] = -1
		}
	}
	earlier := func(a, b int32) bool {
		return fs.DateStart[a].Before(fs.DateStart[b]) || (fs.DateStart[a] == fs.DateStart[b] && fs.ID[a] < fs.ID[b])
	}
	for i := range int32(n) {
		d := fs.DateStart[i]
		if d.IsZero() || d.After(to) {
			continue
		}
		if d.Before(from) {
			ind.History++
		}
		pl := &t.places[t.placeOf[i]]
		if g := pl.country; g >= 0 && (firstCountry[g] < 0 || earlier(i, firstCountry[g])) {
			firstCountry[g] = i
		}
		if u := pl.unit; u >= 0 && (firstUnit[u] < 0 || earlier(i, firstUnit[u])) {
			firstUnit[u] = i
		}
	}
	newCountries, newUnits := make([]int, len(ind.Periods)), make([]int, len(ind.Periods))
	before := [2]int{} // entered before the window: countries, units
	seen := [2]int{}   // entered by the end of the window: countries, units
	for _, i := range firstCountry {
		if i < 0 {
			continue
		}
		seen[0]++
		if fs.DateStart[i].Before(from) {
			before[0]++
			continue
		}
		k := o.By.index(fs.DateStart[i]) - first
		newCountries[k]++
		country := fs.Strings[fs.Country[i]]
		ind.Periods[k].NewCountries = append(ind.Periods[k].NewCountries, Entry{Key: country, Country: country, EventID: fs.ID[i], Date: fs.DateStart[i]})
	}
	for _, i := range firstUnit {
		if i < 0 {
			continue
		}
		seen[1]++
		if fs.DateStart[i].Before(from) {
			before[1]++
			continue
		}
		k := o.By.index(fs.DateStart[i]) - first
		newUnits[k]++
		ind.Periods[k].NewAdmin1Units = append(ind.Periods[k].NewAdmin1Units, Entry{Key: fs.Strings[fs.Admin1[i]], Name: fs.Strings[fs.Admin1Name[i]],
			Country: fs.Strings[fs.Country[i]], EventID: fs.ID[i], Date: fs.DateStart[i]})
	}
	nc, nu := before[0], before[1]
	for k := range ind.Periods {
		p := &ind.Periods[k]
		nc, nu = nc+newCountries[k], nu+newUnits[k]
		p.CountriesCumulative, p.Admin1Cumulative = nc, nu
		sortEntries(p.NewCountries)
		sortEntries(p.NewAdmin1Units)
	}
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
	ind.Total.CountriesCumulative, ind.Total.Admin1Cumulative = seen[0], seen[1]
	for _, p := range ind.Periods {
		ind.Total.NewCountries = append(ind.Total.NewCountries, p.NewCountries...)
		ind.Total.NewAdmin1Units = append(ind.Total.NewAdmin1Units, p.NewAdmin1Units...)
	}
	ind.trends()
	ind.warn(o, t, all)
	return ind
}

// tables are what a computation knows of the facts beyond their columns:
// their places, countries and target types numbered densely, so that
// periods count them in arrays rather than maps.
type tables struct {
	fs        *vigil.Facts
	places    []place
	placeOf   []int32 // by fact
	countries []string
	countryID map[string]int32
	units     int
	// targets are the distinct target types; lists, by index into the
	// facts' Lists, the target list of each in those numbers.
	targets []vigil.TargetType
	lists   [][]int32
}

func newTables(fs *vigil.Facts) *tables {
	t := &tables{fs: fs, placeOf: make([]int32, fs.Len()), countryID: map[string]int32{}}
	typeID := map[string]int32{}
	t.lists = make([][]int32, len(fs.Lists))
	for k, l := range fs.Lists {
		for _, s := range l {
			name := fs.Strings[s]
			id, ok := typeID[name]
			if !ok {
				id = int32(len(t.targets))
				typeID[name] = id
				t.targets = append(t.targets, vigil.TargetType(name))
			}
			t.lists[k] = append(t.lists[k], id)
		}
	}
	return t
}

// country numbers a country code; -1 for none.
func (t *tables) country(c string) int32 {
	if c == "" {
		return -1
	}
	id, ok := t.countryID[c]
	if !ok {
		id = int32(len(t.countries))
		t.countryID[c] = id
		t.countries = append(t.countries, c)
	}
	return id
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

// home is the set of units of the home area.
type home struct {
	keys map[string]bool
}

func newHome(units []string) *home {
	if len(units) == 0 {
		return nil
	}
	h := &home{keys: map[string]bool{}}
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

func (h *home) holds(admin1, name string) bool {
	return h.keys[fold(admin1)] || (name != "" && h.keys[fold(name)])
}

// series computes the indicators of a run of periods (or of the whole
// window as one) from the facts in their own order: a first pass counts
// what each period holds, a second writes each fact's figures into the
// places those counts give, so that the facts are read in order, once a
// pass, rather than gathered from all over memory period by period. Each
// period's lists keep its facts in their order. It keeps the bootstrap
// centroids of each period for the drift's interval.
type series struct {
	*tables
	o       Options
	home    bool
	centers []vec
	rng     *rand.Rand
	boots   [][]vec // by period
	all     []int32 // the facts of the window
	slot    []int32 // the period of each, by position in all; nil for one period
}

func newSeries(t *tables, o Options, home bool, centers []vigil.LatLon, rng *rand.Rand, all, slot []int32) *series {
	c := &series{tables: t, o: o, home: home, rng: rng, all: all, slot: slot}
	for _, h := range centers {
		c.centers = append(c.centers, toVec(h.Lat, h.Lon))
	}
	return c
}

// bootMax caps the resample size: beyond it the bootstrap draws bootMax
// events and scales the spread of its replicates by √(bootMax/n), the
// m-out-of-n bootstrap, so that a period of 100,000 events costs no more
// than one of bootMax.
const bootMax = 300

// arena is one list per slot (a period, or a period and a country, unit
// or target type), all in one array: cut from counts, then filled.
type arena[T any] struct {
	off  []int // start of each slot; one more than the slots
	next []int // where the next element of each slot goes
	data []T
}

func newArena[T any](counts []int32) *arena[T] {
	a := &arena[T]{off: make([]int, len(counts)+1)}
	for k, n := range counts {
		a.off[k+1] = a.off[k] + int(n)
	}
	a.next = slices.Clone(a.off[:len(counts)])
	a.data = make([]T, a.off[len(counts)])
	return a
}

func (a *arena[T]) add(k int, v T) { a.data[a.next[k]] = v; a.next[k]++ }

// of returns the list of slot k, with no room to grow into the next.
func (a *arena[T]) of(k int) []T { return a.data[a.off[k]:a.off[k+1]:a.off[k+1]] }

func (c *series) run(ps []*Period) {
	fs := c.fs
	c.boots = make([][]vec, len(ps))
	np, nc, nu, nt := len(ps), len(c.countries), c.units, len(c.targets)
	slotOf := func(j int) int {
		if c.slot == nil {
			return 0
		}
		return int(c.slot[j])
	}
	// First pass: counts.
	events, located, known, outside, targeted := make([]int32, np), make([]int32, np), make([]int32, np), make([]int32, np), make([]int32, np)
	byCountry, byUnit, byTarget := make([]int32, np*nc), make([]int32, np*nu), make([]int32, np*nt)
	for j, i := range c.all {
		k := slotOf(j)
		events[k]++
		pl := &c.places[c.placeOf[i]]
		if g := pl.country; g >= 0 {
			byCountry[k*nc+int(g)]++
		}
		if u := pl.unit; u >= 0 {
			byUnit[k*nu+int(u)]++
			if c.home {
				known[k]++
				if !pl.home {
					outside[k]++
				}
			}
		}
		if fs.Located[i] {
			located[k]++
		}
		if l := fs.TargetTypes[i]; l != 0 {
			targeted[k]++
			for _, t := range c.lists[l] {
				byTarget[k*nt+int(t)]++
			}
		}
	}
	// Second pass: the lists, sums and the farthest event.
	inHome, outIDs, tev := newArena[bool](known), newArena[int64](outside), newArena[int32](targeted)
	// One period of every fact (the whole window over all of them) has
	// their ids in their order: the facts' own column.
	var ids *arena[int64]
	if c.slot != nil || len(c.all) != fs.Len() {
		ids = newArena[int64](events)
	}
	// The located facts' points, in a period's order; for one period (the
	// whole window, in the facts' own order) only their rows, the points
	// computed again when needed: 24 MB fewer for a million facts.
	var pts *arena[vec]
	var rows *arena[int32]
	if c.slot != nil {
		pts = newArena[vec](located)
	} else {
		rows = newArena[int32](located)
	}
	countryIDs, unitIDs, targetIDs := newArena[int64](byCountry), newArena[int64](byUnit), newArena[int64](byTarget)
	unitPlace := make([]int32, np*nu)
	weight := make([]float64, np*nt)
	killed, wounded := make([]Sum, np), make([]Sum, np)
	far, farKm, farSq := make([]int32, np), make([]float64, np), make([]float64, np)
	for k := range far {
		far[k] = -1
	}
	for j, i := range c.all {
		k := slotOf(j)
		id := fs.ID[i]
		if ids != nil {
			ids.add(k, id)
		}
		addRange(&killed[k], fs.Killed[i])
		addRange(&wounded[k], fs.Wounded[i])
		pl := &c.places[c.placeOf[i]]
		if g := pl.country; g >= 0 {
			countryIDs.add(k*nc+int(g), id)
		}
		if u := pl.unit; u >= 0 {
			ku := k*nu + int(u)
			if unitIDs.next[ku] == unitIDs.off[ku] {
				unitPlace[ku] = c.placeOf[i]
			}
			unitIDs.add(ku, id)
			if c.home {
				inHome.add(k, pl.home)
				if !pl.home {
					outIDs.add(k, id)
				}
			}
		}
		if fs.Located[i] {
			v := toVec(fs.Latitude[i], fs.Longitude[i])
			if pts != nil {
				pts.add(k, v)
			} else {
				rows.add(k, i)
			}
			if len(c.centers) > 0 {
				// The distance to the nearest centre, in kilometres only
				// when its square could beat the farthest so far: the
				// kilometres grow with the squares.
				s2 := math.Inf(1)
				for _, h := range c.centers {
					s2 = math.Min(s2, sq(v, h))
				}
				if far[k] < 0 || s2 > farSq[k] {
					if d := chordKm(s2); far[k] < 0 || d > farKm[k] {
						far[k], farKm[k], farSq[k] = i, d, s2
					}
				}
			}
		}
		if l := fs.TargetTypes[i]; l != 0 {
			tev.add(k, l)
			ts := c.lists[l]
			w := 1 / float64(len(ts))
			for _, t := range ts {
				weight[k*nt+int(t)] += w
				targetIDs.add(k*nt+int(t), id)
			}
		}
	}
	for k, p := range ps {
		p.Events = int(events[k])
		if ids != nil {
			p.EventIDs = ids.of(k)
		} else {
			p.EventIDs = fs.ID[:len(c.all):len(c.all)]
		}
		p.Killed, p.Wounded = killed[k], wounded[k]
		if n := p.Killed.Known; n > 0 {
			p.Lethality = Rate{float64(p.Killed.Low) / float64(n), float64(p.Killed.Best) / float64(n), float64(p.Killed.High) / float64(n)}
		}
		p.CountryList = []Count{}
		for g := range nc {
			if n := byCountry[k*nc+g]; n > 0 {
				p.CountryList = append(p.CountryList, Count{Key: c.countries[g], Events: int(n), EventIDs: countryIDs.of(k*nc + g)})
			}
		}
		p.Admin1List = []Count{}
		for u := range nu {
			if n := byUnit[k*nu+u]; n > 0 {
				pl := &c.places[unitPlace[k*nu+u]]
				cnt := Count{Key: fs.Strings[pl.admin1], Name: fs.Strings[pl.name], Events: int(n), EventIDs: unitIDs.of(k*nu + u)}
				if pl.country >= 0 {
					cnt.Country = c.countries[pl.country]
				}
				p.Admin1List = append(p.Admin1List, cnt)
			}
		}
		sortCounts(p.CountryList)
		sortCounts(p.Admin1List)
		p.Countries, p.Admin1Units = len(p.CountryList), len(p.Admin1List)
		p.TargetsKnown = int(targeted[k])
		var weights []float64
		for t := range nt {
			if byTarget[k*nt+t] > 0 {
				w := weight[k*nt+t]
				p.Targets = append(p.Targets, TargetShare{Type: c.targets[t], Weight: w, Share: w / float64(p.TargetsKnown), EventIDs: targetIDs.of(k*nt + t)})
				weights = append(weights, w)
			}
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
		if c.home {
			s := &Share{N: int(outside[k]), Of: int(known[k]), EventIDs: outIDs.of(k)}
			if s.Of > 0 {
				s.Share = float64(s.N) / float64(s.Of)
			}
			s.Low, s.High = s.Share, s.Share
			p.OutsideHome = s
		}
		p.Unlocated = p.Events - int(located[k])
	}
	// The figures of the located events and the bootstrap intervals,
	// period after period: the draws are made here, in order, from the
	// series' generator (the same draws one loop would make), and the
	// work on them is shared among the processors.
	type job struct {
		k     int
		draws []int32
	}
	jobs, free := make(chan job, 2), make(chan []int32, 4)
	for range cap(free) {
		free <- make([]int32, 0, 3*max(0, c.o.Bootstrap)*min(bootMax, len(c.all)))
	}
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), np) {
		scratch := make([]float64, nt)
		wg.Go(func() {
			for j := range jobs {
				k, p := j.k, ps[j.k]
				d := &draws{d: j.draws}
				if pts != nil {
					spread(c, p, k, vecs(pts.of(k)), inHome.of(k), tev.of(k), far[k], farKm[k], d, scratch)
				} else {
					spread(c, p, k, factPoints{fs, rows.of(k)}, inHome.of(k), tev.of(k), far[k], farKm[k], d, scratch)
				}
				fillEmpty(p)
				free <- j.draws
			}
		})
	}
	for k := range ps {
		jobs <- job{k, c.draw((<-free)[:0], int(located[k]), int(known[k]), int(targeted[k]))}
	}
	close(jobs)
	wg.Wait()
}

// draws are a period's bootstrap draws, made in advance.
type draws struct {
	d []int32
	i int
}

func (d *draws) next() int { d.i++; return int(d.d[d.i-1]) }

// draw appends the draws that bootstrap makes for a period of n located
// events, known with an admin-1 unit (for the share outside home) and
// targeted with target types, in the order it makes them.
func (c *series) draw(buf []int32, located, known, targeted int) []int32 {
	b := c.o.Bootstrap
	if b <= 0 {
		return buf
	}
	if !c.home {
		known = 0
	}
	for _, n := range [3]int{located, known, targeted} {
		if n > 1 {
			for range b * min(n, bootMax) {
				buf = append(buf, int32(c.rng.IntN(n)))
			}
		}
	}
	return buf
}

// spread computes a period's figures of its located events (the
// farthest found already) and the bootstrap intervals.
func spread[P points](c *series, p *Period, k int, ps P, inHome []bool, tev []int32, far int32, farKm float64, d *draws, scratch []float64) {
	fs := c.fs
	if ps.len() > 0 {
		cen := centroid(ps)
		lat, lon := cen.latLon()
		p.Centroid = &Centroid{Latitude: lat, Longitude: lon, N: ps.len()}
		sd := standardDistance(ps, cen)
		p.StandardDistanceKm = &Estimate{Value: sd, Low: sd, High: sd}
		if far >= 0 {
			p.Farthest = &Farthest{Km: farKm, EventID: fs.ID[far], Country: fs.Strings[fs.Country[far]], Admin1: fs.Strings[fs.Admin1[far]]}
		}
	}
	bootstrap(c, p, k, ps, inHome, tev, d, scratch)
}

// bootstrap puts intervals on the centroid, standard distance, share
// outside home and target entropy by resampling the period's events.
func bootstrap[P points](c *series, p *Period, idx int, ps P, inHome []bool, targetEvents []int32, d *draws, w []float64) {
	b := c.o.Bootstrap
	if b <= 0 {
		return
	}
	if n := ps.len(); n > 1 {
		m := min(n, bootMax)
		scale := math.Sqrt(float64(m) / float64(n))
		cen := toVec(p.Centroid.Latitude, p.Centroid.Longitude)
		boots := make([]vec, b)
		sds, offs := make([]float64, b), make([]float64, b)
		sample := make([]vec, m)
		for r := 0; r < b; r++ {
			for i := range sample {
				sample[i] = ps.at(d.next())
			}
			bc := centroid(vecs(sample))
			sds[r] = standardDistance(vecs(sample), bc)
			offs[r] = chord(bc, cen) * scale
			// The replicate centroid, pulled towards the estimate by the
			// m-out-of-n scale, for the drift's interval.
			boots[r] = centroid(vecs{{cen.x + (bc.x-cen.x)*scale, cen.y + (bc.y-cen.y)*scale, cen.z + (bc.z-cen.z)*scale}})
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
				if !inHome[d.next()] {
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
		var touched []int32
		ws := make([]float64, 0, len(w))
		for r := range vals {
			for _, t := range touched {
				w[t] = 0
			}
			touched = touched[:0]
			for range m {
				ts := c.lists[targetEvents[d.next()]]
				for _, t := range ts {
					if w[t] == 0 {
						touched = append(touched, t)
					}
					w[t] += 1 / float64(len(ts))
				}
			}
			ws = ws[:0]
			for _, t := range touched {
				ws = append(ws, w[t])
			}
			vals[r] = entropy(ws)
		}
		for _, t := range touched {
			w[t] = 0
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
func addRange(s *Sum, r vigil.Range32) {
	lo, hi, any := int32(math.MaxInt32), int32(-1), false
	for _, n := range [3]int32{r.Low, r.Best, r.High} {
		if n >= 0 {
			lo, hi, any = min(lo, n), max(hi, n), true
		}
	}
	if !any {
		s.Unknown++
		return
	}
	best := lo
	if r.Best >= 0 {
		best = r.Best
	}
	if r.Low >= 0 {
		lo = min(r.Low, best)
	}
	if r.High >= 0 {
		hi = max(r.High, best)
	}
	s.Low, s.Best, s.High = s.Low+int(lo), s.Best+int(best), s.High+int(hi)
	s.Known++
}

// sortCounts puts counts in order: most events first, then by country
// and key.
func sortCounts(cs []Count) {
	slices.SortFunc(cs, func(a, b Count) int {
		if a.Events != b.Events {
			return b.Events - a.Events
		}
		return strings.Compare(a.Country+"/"+a.Key, b.Country+"/"+b.Key)
	})
}
