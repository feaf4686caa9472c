package http

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/ach"
	"github.com/vigil-osint/vigil/analysis"
	"github.com/vigil-osint/vigil/data"
	"github.com/vigil-osint/vigil/geo"
	"github.com/vigil-osint/vigil/ingest"
	"github.com/vigil-osint/vigil/ingest/wikilist"
	"github.com/vigil-osint/vigil/link"
)

// loadACH loads the demo's ACH case file into the fixture's store and
// evaluates its indicators, as `vigil demo` does; extra items are added
// to the case first.
func (f *fixture) loadACH(extra ...vigil.ACHEvidence) {
	f.t.Helper()
	fh, err := data.Files.Open("demo/iskp-ach.json")
	if err != nil {
		f.t.Fatal(err)
	}
	defer fh.Close()
	c, err := ach.ReadCase(fh, "iskp-ach.json")
	if err != nil {
		f.t.Fatal(err)
	}
	c.Evidence = append(c.Evidence, extra...)
	if err := f.store.ImportACHCase(ctx, c); err != nil {
		f.t.Fatal(err)
	}
	if _, err := ach.Refresh(ctx, f.store, c.ID, "import"); err != nil {
		f.t.Fatal(err)
	}
}

// link loads the demo's Wikipedia list of late 2016 and runs linkage
// over the fixture's store, as `vigil demo` does, which leaves uncertain
// links for review.
func (f *fixture) link() *link.Stats {
	f.t.Helper()
	fh, err := data.Files.Open("demo/wikipedia_terrorist_incidents_2016q4_region.csv")
	if err != nil {
		f.t.Fatal(err)
	}
	defer fh.Close()
	g, err := geo.Default()
	if err != nil {
		f.t.Fatal(err)
	}
	rd, err := wikilist.NewReader(fh, "wikipedia_2016q4.csv", f.dict, g)
	if err != nil {
		f.t.Fatal(err)
	}
	if err := ingest.Run(ctx, f.store, &vigil.Batch{Format: "wikilist", File: "wikipedia_2016q4.csv"}, rd, ingest.Options{Place: ingest.PlaceWith(g)}); err != nil {
		f.t.Fatal(err)
	}
	c := link.Default()
	c.Parents = map[string]string{}
	for _, a := range f.dict.Actors {
		if a.Parent != "" {
			c.Parents[a.ID] = a.Parent
		}
	}
	st, err := link.Run(ctx, f.store, c, "test")
	if err != nil {
		f.t.Fatal(err)
	}
	return st
}

// get sends a GET as user, wants 200 and decodes the body into v.
func (f *fixture) get(path, user string, v any) response {
	f.t.Helper()
	res := f.do("GET", path, user, nil)
	if res.status != 200 {
		f.t.Fatalf("GET %s as %s: %d %s", path, user, res.status, res.body[:min(len(res.body), 400)])
	}
	if v != nil {
		res.json(f.t, v)
	}
	return res
}

// indicatorsBody is what GET /indicators answers.
type indicatorsBody struct {
	Selection string `json:"selection"`
	analysis.Indicators
	Comparison *analysis.Comparison `json:"comparison"`
	EventsURL  string               `json:"events_url"`
}

// TestIndicatorsAPI computes ISKP's indicators over HTTP and traces
// figures back to their events through the drill-down endpoint.
func TestIndicatorsAPI(t *testing.T) {
	f := newFixture(t, nil)
	var ind indicatorsBody
	f.get("/api/v1/indicators?actor=ISKP&by=year", "green", &ind)
	var page eventPage
	f.get("/api/v1/events?actor=ISKP&limit=1000", "green", &page)
	if ind.Total.Events != page.Total || len(ind.Total.EventIDs) != page.Total || page.Total < 10 {
		t.Fatalf("indicators count %d events (%d ids), the event list %d", ind.Total.Events, len(ind.Total.EventIDs), page.Total)
	}
	var listed []int64
	for _, e := range page.Items {
		listed = append(listed, e.ID)
	}
	if got := slices.Sorted(slices.Values(ind.Total.EventIDs)); !slices.Equal(got, slices.Sorted(slices.Values(listed))) {
		t.Errorf("the total's event ids are not the listed events")
	}
	sum := 0
	for _, p := range ind.Periods {
		sum += p.Events
	}
	if sum != ind.Total.Events || ind.By != analysis.Year || !strings.Contains(ind.Selection, "actor ISKP") {
		t.Errorf("periods hold %d events, the total %d; by %q, selection %q", sum, ind.Total.Events, ind.By, ind.Selection)
	}

	t.Run("without ids the figures are the same", func(t *testing.T) {
		var lean indicatorsBody
		res := f.get("/api/v1/indicators?actor=ISKP&by=year&ids=false", "green", &lean)
		if strings.Contains(res.body, `"event_ids":[`) || lean.Total.Events != ind.Total.Events || len(lean.Periods) != len(ind.Periods) ||
			lean.Total.Killed != ind.Total.Killed || lean.Total.Countries != ind.Total.Countries {
			t.Errorf("ids=false: %d events, killed %+v; want %d, %+v", lean.Total.Events, lean.Total.Killed, ind.Total.Events, ind.Total.Killed)
		}
		// The cached full result keeps its ids.
		var again indicatorsBody
		f.get("/api/v1/indicators?actor=ISKP&by=year", "green", &again)
		if len(again.Total.EventIDs) != ind.Total.Events {
			t.Errorf("after ids=false the ids are gone: %d", len(again.Total.EventIDs))
		}
	})

	t.Run("every figure lists its events", func(t *testing.T) {
		var p analysis.Period
		for _, x := range ind.Periods {
			if len(x.CountryList) > 0 && x.Events > 1 {
				p = x
			}
		}
		u, err := url.Parse(ind.EventsURL)
		if err != nil || u.Path != "/api/v1/indicators/events" || u.Query().Get("actor") != "ISKP" {
			t.Fatalf("events_url %q", ind.EventsURL)
		}
		c := p.CountryList[0]
		for _, tt := range []struct {
			figure string
			want   []int64
		}{
			{"events", p.EventIDs},
			{"country:" + c.Key, c.EventIDs},
			{"new_countries", entryIDs(p.NewCountries)},
		} {
			var got eventPage
			f.get(ind.EventsURL+"&period="+p.Period+"&figure="+url.QueryEscape(tt.figure), "green", &got)
			var ids []int64
			for _, e := range got.Items {
				ids = append(ids, e.ID)
			}
			if got.Total != len(tt.want) || !slices.Equal(ids, tt.want) {
				t.Errorf("%s of %s: %d events %v, want %v", tt.figure, p.Period, got.Total, ids, tt.want)
			}
		}
		var paged eventPage
		f.get(ind.EventsURL+"&figure=events&limit=2&offset=1", "green", &paged)
		if paged.Total != ind.Total.Events || len(paged.Items) != 2 || paged.Items[0].ID != ind.Total.EventIDs[1] {
			t.Errorf("a page of the total: %d of %d", len(paged.Items), paged.Total)
		}
	})

	t.Run("a comparison", func(t *testing.T) {
		var cmp indicatorsBody
		f.get("/api/v1/indicators?actor=ISKP&by=year&from=2017-01-01&to=2020-12-31&vs_from=2021-01-01&vs_to=2024-12-31", "green", &cmp)
		if cmp.Comparison == nil || cmp.Comparison.A.Total.Events+cmp.Comparison.B.Total.Events == 0 {
			t.Fatalf("comparison %+v", cmp.Comparison)
		}
		var b eventPage
		f.get(cmp.EventsURL+"&side=b&figure=events", "green", &b)
		if b.Total != cmp.Comparison.B.Total.Events {
			t.Errorf("side b lists %d events, its total is %d", b.Total, cmp.Comparison.B.Total.Events)
		}
	})

	for _, tt := range []struct{ name, path string }{
		{"an unknown period length", "/api/v1/indicators?by=e.data"},
		{"too many periods", "/api/v1/indicators?by=week&from=0001-01-01&to=9999-12-31"},
		{"a bad bootstrap", "/api/v1/indicators?bootstrap=-1"},
		{"a bad as_of", "/api/v1/indicators?as_of=%27%3B--"},
		{"min_credibility", "/api/v1/indicators?min_credibility=2"},
		{"a bad figure", "/api/v1/indicators/events?figure=%3Cscript%3Ealert(1)%3C/script%3E"},
		{"side b without a comparison", "/api/v1/indicators/events?side=b"},
		{"a bad ids flag", "/api/v1/indicators?ids=%3Cb%3E"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := f.do("GET", tt.path, "green", nil)
			if res.status != 400 || !strings.HasPrefix(res.header.Get("Content-Type"), "application/problem+json") || strings.Contains(res.body, "<script") {
				t.Errorf("GET %s: %d %s", tt.path, res.status, res.body)
			}
		})
	}
	t.Run("SQL in the actor filter counts nothing", func(t *testing.T) {
		var got indicatorsBody
		f.get("/api/v1/indicators?actor=%27%20OR%201%3D1%20--", "green", &got)
		if got.Total.Events != 0 {
			t.Errorf("%d events", got.Total.Events)
		}
	})
	t.Run("an unknown period is not found", func(t *testing.T) {
		if res := f.do("GET", "/api/v1/indicators/events?actor=ISKP&by=year&period=1999", "green", nil); res.status != 404 {
			t.Errorf("status %d", res.status)
		}
	})
}

func entryIDs(es []analysis.Entry) []int64 {
	out := []int64{}
	for _, e := range es {
		out = append(out, e.EventID)
	}
	return out
}
