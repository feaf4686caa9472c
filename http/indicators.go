package http

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/analysis"
)

// UnitResolver gives admin-1 units one identity in indicators (a unit
// written as a name by one source and as a code by another counts once)
// and places the home area. cmd/vigil provides one over the shipped
// boundaries; without one, units count as written.
type UnitResolver interface {
	// Resolve returns the key and name to count an event's unit under
	// (see analysis.Options.Unit).
	Resolve(country, admin1, name string) (key, unitName string)
	// Home returns the code of a home unit given as a code or a name ("" when
	// the boundaries do not know it), and its centre where known.
	Home(unit string) (code string, center vigil.LatLon, hasCenter bool)
}

// indicatorQuery is a parsed indicators request: the selection, the
// options and the other side of a comparison.
type indicatorQuery struct {
	Filter    vigil.EventFilter
	AsOf      time.Time
	By        analysis.By
	Home      []string
	Bootstrap int
	Seed      uint64
	// The other side, when Compare is set.
	Compare bool
	Other   vigil.EventFilter
	OtherAt time.Time
}

// maxPeriods bounds how many periods one request may ask for, so that a
// week-by-week span of centuries cannot exhaust the server.
const maxPeriods = analysis.MaxPeriods

// periodsBetween estimates how many periods from–to spans.
var periodsBetween = analysis.PeriodsBetween

// parseAsOfParam reads an as_of value: a day means the end of that day
// (UTC); "now" or empty means now.
func parseAsOfParam(name, v string) (time.Time, error) {
	switch v {
	case "", "now", "today":
		return time.Time{}, nil
	}
	if len(v) == 10 {
		d, err := vigil.ParseDate(v)
		if err != nil {
			return time.Time{}, errorf(vigil.EINVALID, "%s: %s", name, vigil.ErrorMessage(err))
		}
		return d.Time().AddDate(0, 0, 1).Add(-time.Nanosecond), nil
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return time.Time{}, errorf(vigil.EINVALID, "%s: want YYYY-MM-DD or an RFC 3339 time", name)
	}
	return t, nil
}

// parseIndicatorQuery reads the event filters (as GET /events has them)
// and by, home, as_of, bootstrap, seed, and the comparison's vs_actor,
// vs_from, vs_to and vs_as_of.
func parseIndicatorQuery(r *http.Request, p *principal) (*indicatorQuery, error) {
	f, err := eventFilter(r, p)
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	iq := &indicatorQuery{Filter: f, Home: list(r, "home"), Bootstrap: 200, Seed: 1}
	by := q.Get("by")
	if by == "" {
		by = "month"
	}
	if iq.By, err = analysis.ParseBy(by); err != nil {
		return nil, errorf(vigil.EINVALID, "by: %s", vigil.ErrorMessage(err))
	}
	if iq.AsOf, err = parseAsOfParam("as_of", q.Get("as_of")); err != nil {
		return nil, err
	}
	if v := q.Get("bootstrap"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 1000 {
			return nil, errorf(vigil.EINVALID, "bootstrap %q: want 0–1000 resamples", v)
		}
		iq.Bootstrap = n
	}
	if v := q.Get("seed"); v != "" {
		if iq.Seed, err = strconv.ParseUint(v, 10, 64); err != nil {
			return nil, errorf(vigil.EINVALID, "seed %q: want a non-negative integer", v)
		}
	}
	if len(iq.Home) > 100 {
		return nil, errorf(vigil.EINVALID, "home: at most 100 units")
	}
	iq.Other, iq.OtherAt = f, iq.AsOf
	if v := q.Get("vs_actor"); v != "" {
		iq.Compare, iq.Other.Actor = true, v
	}
	for _, d := range []struct {
		name string
		to   *vigil.Date
	}{{"vs_from", &iq.Other.From}, {"vs_to", &iq.Other.To}} {
		if v := q.Get(d.name); v != "" {
			if *d.to, err = vigil.ParseDate(v); err != nil {
				return nil, errorf(vigil.EINVALID, "%s: %s", d.name, vigil.ErrorMessage(err))
			}
			iq.Compare = true
		}
	}
	if v := q.Get("vs_as_of"); v != "" {
		if iq.OtherAt, err = parseAsOfParam("vs_as_of", v); err != nil {
			return nil, err
		}
		iq.Compare = true
	}
	if o := iq.Other; !o.From.IsZero() && !o.To.IsZero() && o.From.After(o.To) {
		return nil, errorf(vigil.EINVALID, "the compared selection runs from %s to %s: vs_from is after vs_to", o.From, o.To)
	}
	for _, sel := range []vigil.EventFilter{iq.Filter, iq.Other} {
		if n := periodsBetween(iq.By, sel.From, sel.To); n > maxPeriods {
			return nil, errorf(vigil.EINVALID, "from–to spans %d periods by %s; at most %d", n, iq.By, maxPeriods)
		}
	}
	return iq, nil
}

// indicatorResult is a computed indicators request: each side's label and
// indicators, and their comparison.
type indicatorResult struct {
	A, B           *analysis.Indicators
	LabelA, LabelB string
	Comparison     *analysis.Comparison
}

// computeIndicators computes a request's indicators over the facts the
// reader's clearance allows, from the cache when computed within its TTL.
func (s *Server) computeIndicators(ctx context.Context, iq *indicatorQuery) (*indicatorResult, error) {
	if s.Analysis == nil {
		return nil, errorf(eNotImplemented, "this store computes no indicators")
	}
	key, err := json.Marshal(iq)
	if err != nil {
		return nil, err
	}
	return s.indicators.get(ctx, string(key), func(ctx context.Context) (*indicatorResult, error) {
		o := analysis.Options{By: iq.By, Bootstrap: iq.Bootstrap, Seed: iq.Seed, Home: slices.Clone(iq.Home)}
		if o.Bootstrap == 0 {
			o.Bootstrap = -1
		}
		var unknownHome []string // home units the boundaries do not know
		if s.Units != nil {
			o.Unit = s.Units.Resolve
			for i, h := range o.Home {
				code, c, ok := s.Units.Home(h)
				if code == "" {
					unknownHome = append(unknownHome, h)
					continue
				}
				o.Home[i] = code
				if ok {
					o.HomeCenters = append(o.HomeCenters, c)
				}
			}
		}
		run := func(f vigil.EventFilter, asOf time.Time) (*analysis.Indicators, error) {
			// Events before from are history: they decide first entries.
			hist := f
			hist.From = vigil.Date{}
			facts, err := s.Analysis.FindFacts(ctx, vigil.FactFilter{EventFilter: hist, AsOf: asOf})
			if err != nil {
				return nil, err
			}
			// The periods run from from (else the first event) to to
			// (else the last): bound them before computing any.
			lo, hi := f.From, f.To
			for _, d := range facts.DateStart {
				if f.From.IsZero() && (lo.IsZero() || d.Before(lo)) {
					lo = d
				}
				if f.To.IsZero() && d.After(hi) {
					hi = d
				}
			}
			if !lo.IsZero() && !hi.IsZero() {
				if n := periodsBetween(iq.By, lo, hi); n > maxPeriods {
					return nil, errorf(vigil.EINVALID, "the selection spans %d periods by %s; at most %d: narrow from–to or take a longer period", n, iq.By, maxPeriods)
				}
			}
			oo := o
			oo.From, oo.To = f.From, f.To
			ind := analysis.ComputeFacts(facts, oo)
			if len(unknownHome) > 0 {
				ind.Warnings = append([]analysis.Warning{analysis.UnknownHome("home", unknownHome)}, ind.Warnings...)
			}
			return ind, nil
		}
		res := &indicatorResult{LabelA: iq.Filter.Describe(iq.AsOf)}
		var err error
		if res.A, err = run(iq.Filter, iq.AsOf); err != nil {
			return nil, err
		}
		if iq.Compare {
			res.LabelB = iq.Other.Describe(iq.OtherAt)
			if res.B, err = run(iq.Other, iq.OtherAt); err != nil {
				return nil, err
			}
			res.Comparison = analysis.Compare(res.LabelA, res.A, res.LabelB, res.B)
		}
		// A million facts leave a large heap behind; give it back now
		// rather than at the collector's leisure.
		if len(res.A.Total.EventIDs) > 100_000 {
			go debug.FreeOSMemory()
		}
		return res, nil
	})
}

// indicatorsResponse is GET /indicators: the CLI's `indicators --format
// json`, and the drill-down endpoint that lists the events behind any
// figure.
type indicatorsResponse struct {
	Selection string `json:"selection"`
	AsOf      string `json:"as_of,omitempty"`
	*analysis.Indicators
	Comparison *analysis.Comparison `json:"comparison,omitempty"`
	// EventsURL lists the events behind a figure: add period (a period's
	// label or "total") and figure (events, country:CC, admin1:KEY,
	// new_countries, new_admin1_units, outside_home, target:TYPE,
	// farthest; only_a and only_b in a comparison), and side=b for the
	// compared selection.
	EventsURL string `json:"events_url"`
}

// indicatorParams are the query parameters that make a selection; the
// drill-down URL repeats them.
var indicatorParams = []string{"actor", "country", "admin1", "from", "to", "type", "min_credibility", "by", "home", "as_of", "bootstrap", "seed",
	"vs_actor", "vs_from", "vs_to", "vs_as_of"}

// getIndicators computes tempo, spread and targets per period over the
// events the filters select and the reader may see: `vigil indicators`.
// With ids=false the figures come without their event ids (large for a
// large selection); events_url lists the events behind any figure.
func (s *Server) getIndicators(w http.ResponseWriter, r *http.Request, p *principal) error {
	iq, err := parseIndicatorQuery(r, p)
	if err != nil {
		return err
	}
	ids := true
	switch v := r.URL.Query().Get("ids"); v {
	case "", "true", "1":
	case "false", "0":
		ids = false
	default:
		return errorf(vigil.EINVALID, "ids %q: want true or false", v)
	}
	res, err := s.computeIndicators(r.Context(), iq)
	if err != nil {
		return err
	}
	out := indicatorsResponse{Selection: res.LabelA, Indicators: res.A, Comparison: res.Comparison}
	if !iq.AsOf.IsZero() {
		out.AsOf = iq.AsOf.UTC().Format(time.RFC3339)
	}
	if !ids {
		out.Indicators, out.Comparison = leanIndicators(res.A), leanComparison(res.Comparison)
	}
	drill := url.Values{}
	for _, k := range indicatorParams {
		if v, ok := r.URL.Query()[k]; ok {
			drill[k] = v
		}
	}
	out.EventsURL = "/api/v1/indicators/events?" + drill.Encode()
	return writeJSON(w, http.StatusOK, out)
}

// leanPeriod returns a copy of a period without its event ids.
func leanPeriod(p analysis.Period) analysis.Period {
	p.EventIDs = nil
	lean := func(cs []analysis.Count) []analysis.Count {
		out := slices.Clone(cs)
		for i := range out {
			out[i].EventIDs = nil
		}
		return out
	}
	p.CountryList, p.Admin1List = lean(p.CountryList), lean(p.Admin1List)
	if p.OutsideHome != nil {
		oh := *p.OutsideHome
		oh.EventIDs = nil
		p.OutsideHome = &oh
	}
	p.Targets = slices.Clone(p.Targets)
	for i := range p.Targets {
		p.Targets[i].EventIDs = nil
	}
	return p
}

// leanIndicators returns a copy of ind without event ids (the cached
// original keeps them).
func leanIndicators(ind *analysis.Indicators) *analysis.Indicators {
	out := *ind
	out.Periods = make([]analysis.Period, len(ind.Periods))
	for i, p := range ind.Periods {
		out.Periods[i] = leanPeriod(p)
	}
	out.Total = leanPeriod(ind.Total)
	return &out
}

func leanComparison(c *analysis.Comparison) *analysis.Comparison {
	if c == nil {
		return nil
	}
	out := *c
	out.A.Total, out.B.Total = leanPeriod(c.A.Total), leanPeriod(c.B.Total)
	out.EventsOnlyA, out.EventsOnlyB = nil, nil
	return &out
}

// figureIDs returns the ids of the events behind one figure of a
// computed request.
func figureIDs(res *indicatorResult, side, period, figure string) ([]int64, error) {
	ind := res.A
	switch side {
	case "", "a":
	case "b":
		if res.B == nil {
			return nil, errorf(vigil.EINVALID, "side b: the request compares nothing (add vs_actor, vs_from, vs_to or vs_as_of)")
		}
		ind = res.B
	default:
		return nil, errorf(vigil.EINVALID, "side %q: want a or b", side)
	}
	switch figure {
	case "only_a", "only_b":
		if res.Comparison == nil {
			return nil, errorf(vigil.EINVALID, "figure %s: the request compares nothing", figure)
		}
		if figure == "only_a" {
			return res.Comparison.EventsOnlyA, nil
		}
		return res.Comparison.EventsOnlyB, nil
	}
	var pd *analysis.Period
	if period == "" || period == "total" {
		pd = &ind.Total
	} else {
		for i := range ind.Periods {
			if ind.Periods[i].Period == period {
				pd = &ind.Periods[i]
			}
		}
		if pd == nil {
			return nil, errorf(vigil.ENOTFOUND, "period %q is not in the selection", period)
		}
	}
	kind, key, _ := strings.Cut(figure, ":")
	entries := func(es []analysis.Entry) []int64 {
		out := make([]int64, 0, len(es))
		for _, e := range es {
			out = append(out, e.EventID)
		}
		return out
	}
	counts := func(cs []analysis.Count) ([]int64, error) {
		for _, c := range cs {
			if strings.EqualFold(c.Key, key) {
				return c.EventIDs, nil
			}
		}
		return nil, errorf(vigil.ENOTFOUND, "figure %q: no such unit in period %s", figure, pd.Period)
	}
	switch kind {
	case "", "events":
		return pd.EventIDs, nil
	case "country":
		return counts(pd.CountryList)
	case "admin1":
		return counts(pd.Admin1List)
	case "new_countries":
		return entries(pd.NewCountries), nil
	case "new_admin1_units":
		return entries(pd.NewAdmin1Units), nil
	case "outside_home":
		if pd.OutsideHome == nil {
			return nil, errorf(vigil.EINVALID, "figure outside_home: give home")
		}
		return pd.OutsideHome.EventIDs, nil
	case "farthest":
		if pd.Farthest == nil {
			return []int64{}, nil
		}
		return []int64{pd.Farthest.EventID}, nil
	case "target":
		for _, t := range pd.Targets {
			if strings.EqualFold(string(t.Type), key) {
				return t.EventIDs, nil
			}
		}
		return []int64{}, nil
	}
	return nil, errorf(vigil.EINVALID, "figure %q: want events, country:CC, admin1:KEY, new_countries, new_admin1_units, outside_home, target:TYPE, farthest, only_a or only_b", figure)
}

// listIndicatorEvents lists, a page at a time, the events behind one
// figure of an indicators request: every figure can be traced to the
// events it counts.
func (s *Server) listIndicatorEvents(w http.ResponseWriter, r *http.Request, p *principal) error {
	iq, err := parseIndicatorQuery(r, p)
	if err != nil {
		return err
	}
	pg, err := parsePage(r, "narrow the selection (a period, a smaller figure, the event filters)")
	if err != nil {
		return err
	}
	q := r.URL.Query()
	res, err := s.computeIndicators(r.Context(), iq)
	if err != nil {
		return err
	}
	ids, err := figureIDs(res, q.Get("side"), q.Get("period"), q.Get("figure"))
	if err != nil {
		return err
	}
	page := ids[min(pg.Offset, len(ids)):min(pg.Offset+pg.Limit, len(ids))]
	evs, err := s.eventsByID(r, p, page)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, listResponse[*vigil.Event]{Items: evs, Total: len(ids), Limit: pg.Limit, Offset: pg.Offset})
}

// eventsByID reads the events with the given ids, in that order, without
// their reports; events the reader may not see are left out (the ids come
// from reads already filtered by the reader's clearance).
func (s *Server) eventsByID(r *http.Request, p *principal, ids []int64) ([]*vigil.Event, error) {
	found, err := s.Browse.FindEventsByID(r.Context(), ids)
	if err != nil {
		return nil, err
	}
	evs := []*vigil.Event{}
	for _, e := range found {
		if p.allows(e.Marking) {
			e.Reports = nil
			evs = append(evs, e)
		}
	}
	return evs, nil
}
