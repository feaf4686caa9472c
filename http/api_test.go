package http

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"golang.org/x/time/rate"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/ach"
	"github.com/vigil-osint/vigil/analysis"
	"github.com/vigil-osint/vigil/data"
	"github.com/vigil-osint/vigil/geo"
	"github.com/vigil-osint/vigil/ingest"
	"github.com/vigil-osint/vigil/ingest/wikilist"
	"github.com/vigil-osint/vigil/link"
	"github.com/vigil-osint/vigil/network"
	"github.com/vigil-osint/vigil/watch"
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
	// The rows come without their events, as press reports would: the
	// list files each row as its own event, and linkage never joins two
	// rows so filed; left to linkage, some of them fill the review queue.
	unkeyed := readerFunc(func() (*vigil.Item, error) {
		it, err := rd.Next()
		if it != nil {
			for i := range it.Reports {
				it.Reports[i].EventKey = ""
			}
		}
		return it, err
	})
	if err := ingest.Run(ctx, f.store, &vigil.Batch{Format: "wikilist", File: "wikipedia_2016q4.csv"}, unkeyed, ingest.Options{Place: ingest.PlaceWith(g)}); err != nil {
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

// readerFunc is an ingest.Reader made of a function.
type readerFunc func() (*vigil.Item, error)

func (f readerFunc) Next() (*vigil.Item, error) { return f() }

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
		{"a bad min_credibility", "/api/v1/indicators?min_credibility=9"},
		{"a bad figure", "/api/v1/indicators/events?figure=%3Cscript%3Ealert(1)%3C/script%3E"},
		{"side b without a comparison", "/api/v1/indicators/events?side=b"},
		{"a bad ids flag", "/api/v1/indicators?ids=%3Cb%3E"},
		{"from after to", "/api/v1/indicators?actor=ISKP&from=2022-01-01&to=2021-01-01"},
		{"vs_from after vs_to", "/api/v1/indicators?actor=ISKP&vs_from=2022-01-01&vs_to=2021-01-01"},
		{"vs_to before the inherited from", "/api/v1/indicators?actor=ISKP&from=2022-01-01&vs_to=2021-01-01"},
		{"events from after to", "/api/v1/events?from=2022-01-01&to=2021-01-01"},
		{"a summary from after to", "/api/v1/event-summary?by=country&from=2022-01-01&to=2021-01-01"},
		{"a misspelt filter", "/api/v1/indicators?actors=ISKP&by=year"},
		{"a drill-down parameter on the indicators", "/api/v1/indicators?actor=ISKP&figure=events"},
		{"a misspelt drill-down parameter", "/api/v1/indicators/events?actor=ISKP&by=year&figures=events"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := f.do("GET", tt.path, "green", nil)
			if res.status != 400 || !strings.HasPrefix(res.header.Get("Content-Type"), "application/problem+json") || strings.Contains(res.body, "<script") {
				t.Errorf("GET %s: %d %s", tt.path, res.status, res.body)
			}
		})
	}
	t.Run("min_credibility", func(t *testing.T) {
		var credible indicatorsBody
		f.get("/api/v1/indicators?actor=ISKP&by=year&min_credibility=2", "green", &credible)
		var list eventPage
		f.get("/api/v1/events?actor=ISKP&min_credibility=2&limit=1", "green", &list)
		if credible.Total.Events != list.Total || list.Total == 0 || list.Total == ind.Total.Events {
			t.Errorf("indicators of credibility 1–2 count %d events, the list %d (of %d)", credible.Total.Events, list.Total, ind.Total.Events)
		}
		if !strings.Contains(credible.EventsURL, "min_credibility=2") {
			t.Errorf("events_url %q loses the filter", credible.EventsURL)
		}
	})
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

// achBody is what GET /ach/{id} answers.
type achBody struct {
	Hypotheses []struct {
		ID       string  `json:"id"`
		Weighted float64 `json:"weighted_inconsistency"`
		Rank     int     `json:"rank"`
	} `json:"hypotheses"`
	Order    []string `json:"order"`
	Evidence []struct {
		ID         string `json:"id"`
		Diagnostic bool   `json:"diagnostic"`
	} `json:"evidence"`
	Matrix      [][]ach.Cell      `json:"matrix"`
	Sensitivity []ach.Sensitivity `json:"sensitivity"`
	Readings    []achReading      `json:"readings"`
}

func (b achBody) weighted(h string) float64 {
	for _, x := range b.Hypotheses {
		if x.ID == h {
			return x.Weighted
		}
	}
	return -1
}

// TestACHAPI reads the demo's case scored as `vigil ach show` scores it,
// and rates a cell under If-Match: the score moves in the next read, and
// a second analyst rating from the same version gets 412.
func TestACHAPI(t *testing.T) {
	f := newFixture(t, nil)
	f.loadACH()
	stored, err := f.store.FindACHCase(ctx, "iskp")
	if err != nil {
		t.Fatal(err)
	}
	srcs, err := ach.SourceMap(ctx, f.store)
	if err != nil {
		t.Fatal(err)
	}
	cli := ach.Score(stored, srcs) // what `vigil ach show iskp` prints

	var list []achSummary
	f.get("/api/v1/ach", "green", &list)
	if len(list) != 1 || list[0].ID != "iskp" {
		t.Fatalf("cases %+v", list)
	}
	var admin achBody
	res := f.get("/api/v1/ach/iskp", "admin", &admin)
	if !slices.Equal(admin.Order, cli.Order) || len(admin.Evidence) != len(cli.Items) || len(admin.Sensitivity) != len(cli.Sensitivity) {
		t.Fatalf("the API's order %v (%d items), the CLI's %v (%d items)", admin.Order, len(admin.Evidence), cli.Order, len(cli.Items))
	}
	for _, h := range cli.Hypotheses {
		if got := admin.weighted(h.ID); got != h.Weighted {
			t.Errorf("%s: weighted %v, the CLI's %v", h.ID, got, h.Weighted)
		}
	}
	if len(admin.Readings) == 0 || admin.Readings[0].Condition == "" {
		t.Errorf("readings %+v", admin.Readings)
	}
	// The history is the one recorded at the reader's clearance: RED's,
	// over everything, for the admin; GREEN's for a GREEN reader, whose
	// latest values are the readings the case shows them.
	type history struct {
		Values   []vigil.ACHIndicatorValue `json:"indicator_values"`
		Rankings []vigil.ACHRanking        `json:"rankings"`
	}
	var hist history
	f.get("/api/v1/ach/iskp/history", "admin", &hist)
	all, _ := f.store.FindACHIndicatorValues(ctx, "iskp", "")
	wantValues := ach.AtLevel(all, vigil.TLPRed)
	if len(hist.Values) == 0 || len(hist.Values) != len(wantValues) || len(hist.Values) == len(all) || len(hist.Rankings) == 0 {
		t.Errorf("history: %d values (the store holds %d at RED, %d in all), %d rankings", len(hist.Values), len(wantValues), len(all), len(hist.Rankings))
	}
	for user, level := range map[string]vigil.TLP{"admin": vigil.TLPRed, "analyst": vigil.TLPAmber, "green": vigil.TLPGreen} {
		var h history
		var live achBody
		f.get("/api/v1/ach/iskp/history", user, &h)
		f.get("/api/v1/ach/iskp", user, &live)
		if len(h.Values) == 0 || len(h.Rankings) == 0 {
			t.Errorf("%s reads an empty history", user)
		}
		latest := map[string]vigil.ACHIndicatorValue{}
		for _, v := range h.Values {
			if v.Clearance != level {
				t.Errorf("%s reads a value recorded for %s", user, v.Clearance)
			}
			latest[v.Evidence] = v
		}
		for _, rd := range live.Readings {
			if v := latest[rd.Evidence]; v.Value != rd.Value || v.Met != rd.Met || !slices.Equal(v.EventIDs, rd.EventIDs) {
				t.Errorf("%s: %s's latest recorded value %v (%d events), the case's reading %v (%d events)", user, rd.Evidence, v.Value, len(v.EventIDs), rd.Value, len(rd.EventIDs))
			}
		}
		if len(h.Rankings) == 0 {
			continue
		}
		if rk := h.Rankings[len(h.Rankings)-1]; rk.Clearance != level || !slices.Equal(rk.Order, live.Order) {
			t.Errorf("%s: latest recorded ranking %v at %s, the case's order %v", user, rk.Order, rk.Clearance, live.Order)
		}
	}
	if r := f.do("GET", "/api/v1/ach/nosuch/history", "admin", nil); r.status != 404 {
		t.Errorf("the history of an unknown case: %d, want 404", r.status)
	}
	tag := res.header.Get("ETag")
	if r := f.do("GET", "/api/v1/ach/iskp", "admin", nil, "If-None-Match", tag); r.status != 304 {
		t.Errorf("If-None-Match: %d, want 304", r.status)
	}

	// The analyst (AMBER) and a second analyst read the same version.
	path := "/api/v1/ach/iskp/ratings/E1/H4"
	first := f.do("GET", "/api/v1/ach/iskp", "analyst", nil)
	second := f.do("GET", "/api/v1/ach/iskp", "greenanalyst", nil)
	var before achBody
	first.json(t, &before)
	steps := []struct {
		name, user, ifMatch, body string
		status                    int
	}{
		{"a viewer may not rate", "green", first.header.Get("ETag"), `{"rating":"II"}`, 403},
		{"without If-Match", "analyst", "", `{"rating":"II","consensus":true}`, 428},
		{"with a wrong ETag", "analyst", `"0000"`, `{"rating":"II","consensus":true}`, 412},
		{"a bad rating", "analyst", first.header.Get("ETag"), `{"rating":"<script>alert(1)</script>"}`, 400},
		{"malformed JSON", "analyst", first.header.Get("ETag"), `{"rating":`, 400},
		{"an unknown field", "analyst", first.header.Get("ETag"), `{"rating":"II","analyst":"someone-else"}`, 400},
		{"an oversized body", "analyst", first.header.Get("ETag"), `{"rating":"II","rationale":"` + strings.Repeat("x", 2<<20) + `"}`, 413},
		{"with the current ETag", "analyst", first.header.Get("ETag"), `{"rating":"II","consensus":true,"rationale":"<script>alert(1)</script> the statement is self-serving"}`, 200},
		{"the second analyst's version is stale", "greenanalyst", second.header.Get("ETag"), `{"rating":"CC","consensus":true}`, 412},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			h := []string{}
			if st.ifMatch != "" {
				h = append(h, "If-Match", st.ifMatch)
			}
			res := f.do("PUT", path, st.user, st.body, h...)
			if res.status != st.status {
				t.Fatalf("status %d, want %d: %.300s", res.status, st.status, res.body)
			}
			if strings.Contains(res.body, "<script") {
				t.Errorf("the answer echoes markup: %.300s", res.body)
			}
			if st.status == 200 && res.header.Get("ETag") == first.header.Get("ETag") {
				t.Errorf("the ETag did not change")
			}
		})
	}
	var after achBody
	f.get("/api/v1/ach/iskp", "analyst", &after)
	if !(after.weighted("H4") > before.weighted("H4")) {
		t.Errorf("H4's weighted inconsistency %v after rating E1 II under it, %v before", after.weighted("H4"), before.weighted("H4"))
	}
	cell := after.Matrix[0][3]
	if cell.Evidence != "E1" || cell.Hypothesis != "H4" || cell.Rating != vigil.RatingII || cell.Basis != "consensus" {
		t.Errorf("cell E1/H4 = %+v", cell)
	}
	for _, tt := range []struct{ name, path, user string }{
		{"an unknown case", "/api/v1/ach/nope%27%20OR%201=1", "analyst"},
		{"an unknown item", "/api/v1/ach/iskp/ratings/E999/H1", "analyst"},
		{"an unknown hypothesis", "/api/v1/ach/iskp/ratings/E1/H9", "analyst"},
	} {
		method, body := "PUT", any(`{"rating":"C"}`)
		if !strings.Contains(tt.path, "ratings") {
			method, body = "GET", nil
		}
		if res := f.do(method, tt.path, tt.user, body, "If-Match", `"x"`); res.status != 404 {
			t.Errorf("%s: %d, want 404", tt.name, res.status)
		}
	}
	var entries []*vigil.AuditEntry
	f.get("/api/v1/audit?object=ach/iskp", "admin", &entries)
	if len(entries) != 1 || entries[0].Action != "ach.rate" || !strings.Contains(string(entries[0].After), `"rating":"II"`) {
		t.Errorf("audit %+v", entries)
	}
	if rk, err := f.store.FindACHRankings(ctx, "iskp"); err != nil || len(rk) < 2 || rk[len(rk)-1].Trigger != "rate" {
		t.Errorf("rankings after the rating: %+v, %v", rk, err)
	}
}

// TestReviewAPI decides the review queue over HTTP as `vigil review` does:
// merge an item's two events, split a report out again, confirm an event.
func TestReviewAPI(t *testing.T) {
	f := newFixture(t, nil)
	if st := f.link(); st.Review == 0 {
		t.Fatalf("linkage left nothing for review: %+v", st)
	}
	var queue []*vigil.ReviewItem
	f.get("/api/v1/review", "green", &queue)
	if len(queue) == 0 {
		t.Fatal("an empty queue")
	}
	if res := f.do("GET", "/api/v1/review?status=%27%20OR%201=1%20--%3Cscript%3E", "green", nil); res.status != 400 || strings.Contains(res.body, "<script") {
		t.Errorf("a hostile status: %d %s", res.status, res.body)
	}
	it := *queue[0] // a copy: decoding into queue again reuses its items
	if it.Status != vigil.ReviewOpen || len(it.Explanation) == 0 {
		t.Errorf("item %+v", it)
	}
	steps := []struct {
		name, user, path, body string
		status                 int
	}{
		{"a viewer may not decide", "green", "/api/v1/review/merge", fmt.Sprintf(`{"item":%d,"reason":"same"}`, it.ID), 403},
		{"a merge needs a reason", "analyst", "/api/v1/review/merge", fmt.Sprintf(`{"item":%d}`, it.ID), 400},
		{"item and events together", "analyst", "/api/v1/review/merge", fmt.Sprintf(`{"item":%d,"events":[1,2],"reason":"x"}`, it.ID), 400},
		{"an unknown item", "analyst", "/api/v1/review/merge", `{"item":987654,"reason":"x"}`, 404},
		{"an unknown event", "analyst", "/api/v1/review/confirm", `{"event":987654,"reason":"x"}`, 404},
		{"SQL for an id", "analyst", "/api/v1/review/confirm", `{"event":"1 OR 1=1","reason":"x"}`, 400},
		{"malformed JSON", "analyst", "/api/v1/review/split", `{"event":`, 400},
		{"an oversized body", "analyst", "/api/v1/review/confirm", `{"event":1,"reason":"` + strings.Repeat("x", 2<<20) + `"}`, 413},
		{"a long reason", "analyst", "/api/v1/review/confirm", `{"event":1,"reason":"` + strings.Repeat("x", 3000) + `"}`, 400},
		{"a split without reports", "analyst", "/api/v1/review/split", fmt.Sprintf(`{"event":%d,"reason":"x"}`, it.EventA), 400},
		{"merge the item", "analyst", "/api/v1/review/merge", fmt.Sprintf(`{"item":%d,"reason":"<script>alert(1)</script> same shrine, same toll"}`, it.ID), 200},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			res := f.do("POST", st.path, st.user, st.body)
			if res.status != st.status {
				t.Fatalf("status %d, want %d: %.300s", res.status, st.status, res.body)
			}
			if strings.Contains(res.body, "<script") {
				t.Errorf("markup in the answer: %s", res.body)
			}
		})
	}
	var ev struct {
		Reports []vigil.SourcedReport `json:"reports"`
	}
	f.get(fmt.Sprintf("/api/v1/events/%d", it.EventA), "green", &ev)
	if res := f.do("GET", fmt.Sprintf("/api/v1/events/%d", it.EventB), "green", nil); res.status != 404 || len(ev.Reports) < 2 {
		t.Fatalf("after the merge: event %d has %d reports, event %d answers %d", it.EventA, len(ev.Reports), it.EventB, res.status)
	}
	queue = nil
	f.get("/api/v1/review", "green", &queue)
	if slices.ContainsFunc(queue, func(x *vigil.ReviewItem) bool { return x.ID == it.ID }) {
		t.Errorf("the merged item is still open")
	}
	var all []*vigil.ReviewItem
	f.get("/api/v1/review?status=all", "green", &all)
	if !slices.ContainsFunc(all, func(x *vigil.ReviewItem) bool { return x.ID == it.ID && x.Status == vigil.ReviewMerged }) {
		t.Errorf("the merged item is not in the full list as merged")
	}

	tag := f.do("GET", fmt.Sprintf("/api/v1/events/%d", it.EventA), "analyst", nil).header.Get("ETag")
	split := fmt.Sprintf(`{"event":%d,"reports":[%d],"reason":"another attack"}`, it.EventA, it.ReportB)
	if res := f.do("POST", "/api/v1/review/split", "analyst", split, "If-Match", `"stale"`); res.status != 412 {
		t.Errorf("a split under a stale If-Match: %d, want 412", res.status)
	}
	res := f.do("POST", "/api/v1/review/split", "analyst", split, "If-Match", tag)
	var op vigil.LinkOp
	res.json(t, &op)
	if res.status != 200 || op.Kind != vigil.LinkOpSplit || len(op.Made) != 1 || op.By != "analyst" {
		t.Fatalf("split: %d %s", res.status, res.body)
	}
	if res := f.do("POST", "/api/v1/review/confirm", "analyst", fmt.Sprintf(`{"event":%d,"reason":"checked"}`, op.Made[0])); res.status != 200 {
		t.Errorf("confirm: %d %s", res.status, res.body)
	}
	var entries []*vigil.AuditEntry
	f.get("/api/v1/audit?limit=1000", "admin", &entries)
	var actions []string
	for _, e := range entries {
		actions = append(actions, e.Action)
	}
	for _, want := range []string{"review.merge", "review.split", "review.confirm"} {
		if !slices.Contains(actions, want) {
			t.Errorf("no %s in the audit log %v", want, actions)
		}
	}
}

// TestAlertsAPI raises alerts with the watch package and reads them: a
// reader sees those about events they may see, and webhooks only if admin.
func TestAlertsAPI(t *testing.T) {
	f := newFixture(t, nil)
	if err := f.store.CreateWatchRule(ctx, &vigil.WatchRule{Name: "iskp-reach", Kind: vigil.WatchNewUnit, Actor: "ISKP",
		Webhook: "https://hooks.example.org/secret-path"}); err != nil {
		t.Fatal(err)
	}
	if _, err := watch.Run(ctx, f.store); err != nil { // arms the rule
		t.Fatal(err)
	}
	f.upload("analyst", "testdata/green-case.json")
	f.upload("analyst", "testdata/amber-alert-case.json")
	raised, err := watch.Run(ctx, f.store)
	if err != nil || len(raised) < 2 {
		t.Fatalf("watch raised %d alerts, %v", len(raised), err)
	}
	var green, admin []*vigil.Alert
	f.get("/api/v1/alerts", "green", &green)
	f.get("/api/v1/alerts", "admin", &admin)
	if len(admin) != len(raised) || len(green) == 0 || len(green) >= len(admin) {
		t.Fatalf("GREEN sees %d alerts, the admin %d, raised %d", len(green), len(admin), len(raised))
	}
	for _, a := range green {
		if a.Webhook != "" || strings.Contains(a.Message, "TM") {
			t.Errorf("GREEN sees %+v", a)
		}
	}
	if admin[0].Webhook == "" {
		t.Errorf("the admin does not see the webhook")
	}
	var one []*vigil.Alert
	f.get("/api/v1/alerts?limit=1", "green", &one)
	if len(one) != 1 || one[0].ID != green[0].ID {
		t.Errorf("limit=1 gave %d alerts", len(one))
	}
	for _, p := range []string{"/api/v1/alerts?limit=0", "/api/v1/alerts?rule_id=%3Cscript%3E"} {
		if res := f.do("GET", p, "green", nil); res.status != 400 || strings.Contains(res.body, "<script") {
			t.Errorf("GET %s: %d %s", p, res.status, res.body)
		}
	}
}

// TestEventCursorAndCredibility pages the event list by cursor in every
// order, and filters it and the summary by credibility.
func TestEventCursorAndCredibility(t *testing.T) {
	f := newFixture(t, func(s *Server) { s.Rate = rate.Inf })
	for _, sort := range []string{"", "date", "-date", "country", "-country", "id", "-id", "killed", "-killed", "updated", "-updated"} {
		t.Run("sort="+sort, func(t *testing.T) {
			var all eventPage
			f.get("/api/v1/events?limit=1000&sort="+sort, "green", &all)
			var got []int64
			cursor := ""
			for range 100 {
				var p eventPage
				f.get("/api/v1/events?limit=7&sort="+sort+"&cursor="+url.QueryEscape(cursor), "green", &p)
				if p.Total != all.Total {
					t.Fatalf("total %d, want %d", p.Total, all.Total)
				}
				for _, e := range p.Items {
					got = append(got, e.ID)
				}
				if cursor = p.NextCursor; cursor == "" {
					break
				}
			}
			var want []int64
			for _, e := range all.Items {
				want = append(want, e.ID)
			}
			if !slices.Equal(got, want) || len(want) < 100 {
				t.Errorf("pages by cursor gave %d events, the list %d (or in another order)", len(got), len(want))
			}
		})
	}
	var first eventPage
	f.get("/api/v1/events?limit=5", "green", &first)
	for _, tt := range []struct{ name, path string }{
		{"a cursor of another order", "/api/v1/events?sort=-date&cursor=" + first.NextCursor},
		{"a date cursor for the order by killed", "/api/v1/events?sort=killed&cursor=" + first.NextCursor},
		{"a forged cursor", "/api/v1/events?cursor=" + url.QueryEscape("eyJvIjoiIiwiZCI6IicgT1IgMT0xIC0tIiwiaSI6MX0")},
		{"garbage", "/api/v1/events?cursor=%3Cscript%3E"},
		{"credibility 0", "/api/v1/events?min_credibility=0"},
		{"credibility 7", "/api/v1/event-summary?min_credibility=7"},
		{"credibility SQL", "/api/v1/events?min_credibility=1%20OR%201=1"},
		{"an offset past the deepest", "/api/v1/events?offset=10001"},
		{"a documents offset past the deepest", "/api/v1/documents?offset=99999999"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if res := f.do("GET", tt.path, "green", nil); res.status != 400 || strings.Contains(res.body, "<script") {
				t.Errorf("GET %s: %d %s", tt.path, res.status, res.body)
			}
		})
	}
	t.Run("deepest offset", func(t *testing.T) {
		var deep eventPage
		f.get("/api/v1/events?offset=10000", "green", &deep)
		if deep.Offset != 10000 || len(deep.Items) != 0 {
			t.Errorf("offset 10000 of a small store: offset %d, %d items", deep.Offset, len(deep.Items))
		}
		res := f.do("GET", "/api/v1/events?offset=10001", "green", nil)
		if !strings.Contains(res.body, "next_cursor") {
			t.Errorf("an offset too deep does not point to the cursor: %s", res.body)
		}
	})
	t.Run("min_credibility", func(t *testing.T) {
		var all, good eventPage
		f.get("/api/v1/events?limit=1000", "green", &all)
		f.get("/api/v1/events?limit=1000&min_credibility=2", "green", &good)
		want := 0
		for _, e := range all.Items {
			if e.Credibility.Valid() && e.Credibility <= 2 {
				want++
			}
		}
		for _, e := range good.Items {
			if !e.Credibility.Valid() || e.Credibility > 2 {
				t.Errorf("event %d of credibility %d passes min_credibility=2", e.ID, e.Credibility)
			}
		}
		if good.Total != want || want == 0 || want == all.Total {
			t.Errorf("min_credibility=2: %d events, want %d of %d", good.Total, want, all.Total)
		}
		var buckets []vigil.EventBucket
		f.get("/api/v1/event-summary?by=year&min_credibility=2", "green", &buckets)
		n := 0
		for _, b := range buckets {
			n += b.Events
		}
		if n != want {
			t.Errorf("the summary counts %d events of credibility 1–2, want %d", n, want)
		}
		var six eventPage
		f.get("/api/v1/events?limit=1&min_credibility=6", "green", &six)
		if six.Total != all.Total {
			t.Errorf("min_credibility=6: %d events, want all %d", six.Total, all.Total)
		}
	})
}

// TestNewEndpointsClearance proves that a reader cleared for GREEN learns
// nothing of AMBER material through indicators, their drill-downs, ACH,
// the review queue or alerts: every answer is the same byte for byte
// before and after AMBER material lands (and the case holds items that
// point at it, and the watch and ACH refresh run over it), while an AMBER
// reader's answers change.
func TestNewEndpointsClearance(t *testing.T) {
	f := newFixture(t, nil)
	f.link()
	f.loadACH(
		vigil.ACHEvidence{ID: "X1", Title: "The liaison's assessment", Kind: vigil.EvidenceDocument, Ref: "alpha-2023-03-01", Source: "Liaison Service Alpha"},
		vigil.ACHEvidence{ID: "X2", Title: "The Khatlon attack", Kind: vigil.EvidenceEvent, Ref: "amber-khatlon-2023-03-01", Source: "Liaison Service Alpha"},
	)
	if err := f.store.CreateWatchRule(ctx, &vigil.WatchRule{Name: "reach", Kind: vigil.WatchNewUnit, Actor: "ISKP"}); err != nil {
		t.Fatal(err)
	}
	if err := f.store.CreateWatchRule(ctx, &vigil.WatchRule{Name: "tempo", Kind: vigil.WatchTempo, Actor: "ISKP", WindowDays: 400, BaselineDays: 2000}); err != nil {
		t.Fatal(err)
	}
	if _, err := watch.Run(ctx, f.store); err != nil {
		t.Fatal(err)
	}
	paths := []string{
		"/api/v1/indicators?actor=ISKP&by=year",
		"/api/v1/indicators?actor=ISKP&by=month&ids=false&home=AF-NAN,AF-KNR",
		"/api/v1/indicators?country=TJ&by=quarter",
		"/api/v1/indicators?by=year&from=2022-01-01&to=2023-12-31&vs_from=2019-01-01&vs_to=2020-12-31",
		"/api/v1/indicators?actor=ISKP&by=year&as_of=2030-01-01&vs_as_of=now",
		"/api/v1/indicators/events?actor=ISKP&by=year&period=2023",
		"/api/v1/indicators/events?actor=ISKP&by=year&figure=country:TJ",
		"/api/v1/indicators/events?actor=ISKP&by=year&period=2023&figure=new_admin1_units",
		"/api/v1/ach",
		"/api/v1/ach/iskp",
		"/api/v1/ach/iskp/history",
		"/api/v1/review",
		"/api/v1/review?status=all",
		"/api/v1/alerts",
		"/api/v1/events?min_credibility=3&country=TJ",
		"/api/v1/actors/graph?at=2023-06-01&span=3650",
		"/api/v1/actors/graph?from=2015-01-01&actor=ISKP",
		"/api/v1/event-summary?min_credibility=3&by=admin1",
	}
	before, amberBefore := map[string]string{}, map[string]string{}
	for _, p := range paths {
		before[p] = f.get(p, "green", nil).body
		amberBefore[p] = f.get(p, "analyst", nil).body
	}
	f.upload("analyst", "testdata/amber-case.json")
	f.upload("analyst", "testdata/amber-alert-case.json")
	if _, err := ach.RefreshAll(ctx, f.store, "import"); err != nil {
		t.Fatal(err)
	}
	doc, err := f.store.FindDocumentByKey(ctx, "Liaison Service Alpha", "alpha-2023-03-01")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.store.CreateRelationship(ctx, &vigil.Relationship{From: "iskp", To: "imu", Type: "cooperation",
		Description: "SECRET-AMBER-MARKER cooperation", DocumentIDs: []int64{doc.ID}}); err != nil {
		t.Fatal(err)
	}
	if raised, err := watch.Run(ctx, f.store); err != nil || len(raised) == 0 {
		t.Fatalf("the watch raised %d alerts on the AMBER material, %v", len(raised), err)
	}
	changed := 0
	for _, p := range paths {
		if got := f.get(p, "green", nil).body; got != before[p] {
			i := 0
			for i < len(got) && i < len(before[p]) && got[i] == before[p][i] {
				i++
			}
			t.Errorf("GET %s changed for GREEN when AMBER material landed, at byte %d:\nbefore …%.300s\nafter  …%.300s", p, i, before[p][max(i-200, 0):], got[max(i-200, 0):])
		}
		if got := f.get(p, "analyst", nil).body; got != amberBefore[p] {
			changed++
		}
		if strings.Contains(before[p], "SECRET") || strings.Contains(before[p], "Liaison") {
			t.Errorf("GET %s shows GREEN the AMBER material", p)
		}
	}
	if changed < 10 {
		t.Errorf("only %d of %d answers changed for the AMBER reader: the test proves little", changed, len(paths))
	}
	// The AMBER reader's ACH history records the AMBER material: GREEN's
	// stayed the same above because it is GREEN's own, not a cut of it.
	if h := "/api/v1/ach/iskp/history"; f.get(h, "analyst", nil).body == amberBefore[h] {
		t.Errorf("the AMBER reader's ACH history did not change when AMBER material landed")
	}
	var amber achBody
	f.get("/api/v1/ach/iskp", "analyst", &amber)
	if !slices.ContainsFunc(amber.Evidence, func(e struct {
		ID         string `json:"id"`
		Diagnostic bool   `json:"diagnostic"`
	}) bool {
		return e.ID == "X2"
	}) {
		t.Errorf("the AMBER reader does not see the item on the AMBER event")
	}
	// Deciding on, or rating, what GREEN may not see is "not found", as
	// for a missing thing.
	amberEvent := f.eventByKey("amber-khatlon-2023-03-01")
	tag := f.do("GET", "/api/v1/ach/iskp", "greenanalyst", nil).header.Get("ETag")
	for _, tt := range []struct{ method, path, body string }{
		{"POST", "/api/v1/review/confirm", fmt.Sprintf(`{"event":%d,"reason":"x"}`, amberEvent)},
		{"POST", "/api/v1/review/merge", fmt.Sprintf(`{"events":[%d,1],"reason":"x"}`, amberEvent)},
		{"PUT", "/api/v1/ach/iskp/ratings/X2/H1", `{"rating":"C"}`},
		{"GET", fmt.Sprintf("/api/v1/indicators/events?actor=ISKP&figure=country:TJ&period=%s", "2023"), ""},
	} {
		var body any
		if tt.body != "" {
			body = tt.body
		}
		res := f.do(tt.method, tt.path, "greenanalyst", body, "If-Match", tag)
		if tt.method == "GET" {
			if strings.Contains(res.body, "SECRET") || strings.Contains(res.body, fmt.Sprintf(`"id":%d`, amberEvent)) {
				t.Errorf("%s %s shows the AMBER event", tt.method, tt.path)
			}
			continue
		}
		if res.status != 404 {
			t.Errorf("%s %s as GREEN: %d, want 404", tt.method, tt.path, res.status)
		}
	}
}

// TestActorGraphAPI reads the actor network as `vigil actors graph` builds
// it, and refuses bad windows.
func TestActorGraphAPI(t *testing.T) {
	f := newFixture(t, nil)
	var g network.Graph
	f.get("/api/v1/actors/graph?from=2015-01-01&to=2024-12-31", "green", &g)
	from, _ := vigil.ParseDate("2015-01-01")
	to, _ := vigil.ParseDate("2024-12-31")
	at, _ := vigil.ParseDate("2022-06-01")
	want, err := network.Build(ctx, f.store, network.Window{From: from, To: to},
		network.Options{Clearance: vigil.TLPGreen})
	if err != nil {
		t.Fatal(err)
	}
	if g.Node("iskp") == nil || len(g.Nodes) != len(want.Nodes) || len(g.Edges) != len(want.Edges) || g.Events != want.Events {
		t.Errorf("the API's graph has %d nodes, %d edges, %d events; the CLI's %d, %d, %d", len(g.Nodes), len(g.Edges), g.Events,
			len(want.Nodes), len(want.Edges), want.Events)
	}
	var ego network.Graph
	f.get("/api/v1/actors/graph?at=2022-06-01&span=3650&actor=IS-K", "green", &ego)
	if ego.Node("iskp") == nil || len(ego.Nodes) >= len(g.Nodes)+1 || ego.Window.At != at {
		t.Errorf("ISKP's ego network: %d nodes, window %+v", len(ego.Nodes), ego.Window)
	}
	for _, tt := range []struct {
		path   string
		status int
	}{
		{"/api/v1/actors/graph?at=yesterday", 400},
		{"/api/v1/actors/graph?at=2022-06-01&span=0", 400},
		{"/api/v1/actors/graph?at=2022-06-01&from=2020-01-01", 400},
		{"/api/v1/actors/graph?from=2024-01-01&to=2020-01-01", 400},
		{"/api/v1/actors/graph?actor=%3Cscript%3E", 404},
	} {
		if res := f.do("GET", tt.path, "green", nil); res.status != tt.status || strings.Contains(res.body, "<script") {
			t.Errorf("GET %s: %d %s, want %d", tt.path, res.status, res.body, tt.status)
		}
	}
	if res := f.do("POST", "/api/v1/actors/graph", "green", `{}`); res.status != 405 || res.header.Get("Allow") != "GET" {
		t.Errorf("POST to the graph: %d, Allow %q", res.status, res.header.Get("Allow"))
	}
}

// homeUnits knows two units of the home area, as the shipped boundaries do.
type homeUnits map[string]string

func (h homeUnits) Resolve(country, admin1, name string) (string, string) { return admin1, name }

func (h homeUnits) Home(unit string) (string, vigil.LatLon, bool) {
	if code, ok := h[unit]; ok {
		return code, vigil.LatLon{}, false
	}
	return "", vigil.LatLon{}, false
}

// TestIndicatorsUnknownHome asks for indicators with home units the
// boundaries know and do not know: an unknown one is warned of, as the CLI
// warns, since it silently made every event "outside home".
func TestIndicatorsUnknownHome(t *testing.T) {
	f := newFixture(t, func(s *Server) { s.Units = homeUnits{"AF-NAN": "AF-NAN", "Nangarhar": "AF-NAN", "AF-KNR": "AF-KNR"} })
	for _, tt := range []struct {
		home    string
		warning string // the unknown-home warning's message holds this; "" for none
	}{
		{"AF-NAN,AF-KNR", ""},
		{"Nangarhar", ""},
		{"XX-YY", `home "XX-YY": no admin-1 unit`},
		{"AF-NAN,Nangarhr", `home "Nangarhr": no admin-1 unit`},
	} {
		t.Run(tt.home, func(t *testing.T) {
			var ind indicatorsBody
			f.get("/api/v1/indicators?actor=ISKP&by=year&ids=false&home="+url.QueryEscape(tt.home), "green", &ind)
			var got string
			for _, w := range ind.Warnings {
				if w.Kind == "unknown-home" {
					got = w.Message
				}
			}
			if tt.warning == "" && got != "" || !strings.Contains(got, tt.warning) {
				t.Errorf("home=%s: unknown-home warning %q, want one holding %q", tt.home, got, tt.warning)
			}
		})
	}
}
