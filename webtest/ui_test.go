package webtest

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/vigil-osint/vigil/ingest/gdelt"
)

type bucket struct {
	Key    string `json:"key"`
	Events int    `json:"events"`
}

// TestMapISKP signs in, filters the map to ISKP and checks its markers
// against the server's grid summary: every cell with ISKP events is under
// one marker, the markers count every located event, and the Kabul and
// Crocus City Hall (Moscow region) cells are there.
func TestMapISKP(t *testing.T) {
	b := newBrowser(t)
	b.signIn(demo.admin, demo.password)
	b.waitFor("the map's base", `document.querySelectorAll('.leaflet-overlay-pane path').length > 100`)
	b.waitFor("markers", `document.querySelectorAll('.cluster-dot').length > 0`)
	all := eval[int](b, `+document.querySelector('#map-summary').dataset.total`)

	// Filter through the panel, as a person would.
	b.settle("the page, to filter to ISKP")
	b.do("filter to ISKP",
		chromedp.SendKeys(chromedp.CSS(`.filters input[name=actor]`), "ISKP"),
		chromedp.Click(chromedp.CSS(`.filters button[type=submit]`)),
	)
	var grid []bucket
	api(t, "GET", "/event-summary"+query(url.Values{"actor": {"ISKP"}, "by": {"grid"}}), nil, &grid)
	var byCountry []bucket
	api(t, "GET", "/event-summary"+query(url.Values{"actor": {"ISKP"}}), nil, &byCountry)
	total, located := 0, 0
	for _, c := range byCountry {
		total += c.Events
	}
	for _, c := range grid {
		located += c.Events
	}
	if total == 0 || total >= all {
		t.Fatalf("the API gives %d ISKP events of %d: the demo should have some, and fewer than all", total, all)
	}
	b.waitFor("the ISKP summary", fmt.Sprintf(`document.querySelector('#map-summary').dataset.total === '%d'`, total))
	b.waitFor("ISKP markers", fmt.Sprintf(
		`[...document.querySelectorAll('.cluster-dot')].reduce((n, el) => n + +el.dataset.events, 0) === %d`, located))
	if !strings.Contains(b.text(), "actor=ISKP") && !strings.Contains(eval[string](b, `location.hash`), "actor=ISKP") {
		t.Errorf("the route does not keep the filter: %s", eval[string](b, `location.hash`))
	}
	cells := eval[[]string](b, `[...document.querySelectorAll('.cluster-dot')].flatMap((el) => el.dataset.cells.split(' '))`)
	var want []string
	for _, c := range grid {
		want = append(want, c.Key)
	}
	slices.Sort(cells)
	slices.Sort(want)
	if !slices.Equal(cells, want) {
		t.Errorf("the markers cover cells %v, the server's ISKP grid is %v", cells, want)
	}
	for _, cell := range []string{"34,69", "55,37"} { // Kabul; Krasnogorsk, Moscow region
		if !slices.Contains(cells, cell) {
			t.Errorf("no marker covers cell %s (cells %v)", cell, cells)
		}
	}
	shaded := eval[int](b, `[...document.querySelectorAll('.leaflet-admin1-pane path')].filter((p) => p.getAttribute('fill-opacity') !== '0').length`)
	if shaded == 0 {
		t.Error("no admin-1 unit is shaded")
	}
	b.shot("map-iskp")

	// The time slider shows the spread: at its first month fewer events
	// are on the map than at its end.
	b.do("move the slider to the start", chromedp.Evaluate[chromedp.Void](
		`(() => { const s = document.querySelector('#time-slider'); s.value = '0'; s.dispatchEvent(new Event('input', { bubbles: true })); })()`))
	b.waitFor("the slider's first month", fmt.Sprintf(`+document.querySelector('#map-summary').dataset.total < %d`, total))
	b.shot("map-iskp-start")
}

// TestEventContradiction opens the Crocus City Hall attack from the events
// list and sees its rival claims, with the reports on each side marked.
func TestEventContradiction(t *testing.T) {
	b := newBrowser(t)
	var list struct {
		Items []struct {
			ID             int64 `json:"id"`
			Contradictions []struct {
				Kind  string    `json:"kind"`
				Sides [][]int64 `json:"sides"`
			} `json:"contradictions"`
		} `json:"items"`
	}
	api(t, "GET", "/events"+query(url.Values{"actor": {"ISKP"}, "from": {"2024-03-22"}, "to": {"2024-03-22"}, "country": {"RU"}}), nil, &list)
	if len(list.Items) != 1 || len(list.Items[0].Contradictions) == 0 {
		t.Fatalf("want one Crocus City Hall event with a contradiction, got %+v", list.Items)
	}
	ev := list.Items[0]
	b.signIn(demo.admin, demo.password)
	b.open("/events?actor=ISKP&country=RU")
	row := fmt.Sprintf(`tr[data-event="%d"] a`, ev.ID)
	b.settle("the page, to open the event")
	b.do("open the event", chromedp.WaitVisible(chromedp.CSS(row)), chromedp.Click(chromedp.CSS(row)))
	b.waitFor("the contradiction", `document.querySelector('.contradiction[data-kind="rival-claims"]') !== null`)
	got := eval[string](b, `document.querySelector('.contradiction[data-kind="rival-claims"]').textContent`)
	for _, want := range []string{"rival claims", "Islamic State", "Ukraine"} {
		if !strings.Contains(got, want) {
			t.Errorf("the contradiction says %q, want it to name %q", got, want)
		}
	}
	// Every report on a side is marked, and no other.
	var sides []int64
	for _, side := range ev.Contradictions[0].Sides {
		sides = append(sides, side...)
	}
	marked := eval[[]string](b, `[...document.querySelectorAll('.report.contra')].map((el) => el.dataset.report)`)
	for _, id := range sides {
		if !slices.Contains(marked, strconv.FormatInt(id, 10)) {
			t.Errorf("report %d stands on a side of the contradiction but is not marked (marked %v)", id, marked)
		}
	}
	// Each report shows its source's reliability and its credibility.
	reports := eval[int](b, `document.querySelectorAll('.report').length`)
	graded := eval[int](b, `[...document.querySelectorAll('.report')].filter((r) => r.querySelector('.grade[class*="rel-"]') && r.querySelector('.grade[class*="cred-"]')).length`)
	if reports < 3 || graded != reports {
		t.Errorf("%d reports, %d with both grades; want at least 3, all graded", reports, graded)
	}
	b.shot("event")
}

// TestACHRating rates a cell of the demo's ACH case as the team's
// consensus and sees the hypothesis's score change, as the server computes
// it.
func TestACHRating(t *testing.T) {
	b := newBrowser(t)
	if !served(t, "/ach/iskp") {
		t.Skip("webtest: this server serves no ACH cases")
	}
	type view struct {
		Hypotheses []struct {
			ID       string  `json:"id"`
			Weighted float64 `json:"weighted_inconsistency"`
		} `json:"hypotheses"`
		Matrix [][]struct {
			Evidence   string `json:"evidence"`
			Hypothesis string `json:"hypothesis"`
			Rating     string `json:"rating"`
		} `json:"matrix"`
	}
	score := func(v view, h string) float64 {
		for _, x := range v.Hypotheses {
			if x.ID == h {
				return x.Weighted
			}
		}
		t.Fatalf("no hypothesis %s", h)
		return 0
	}
	var before view
	api(t, "GET", "/ach/iskp", nil, &before)
	// A cell that is not already very inconsistent: rating it II raises
	// its hypothesis's inconsistency.
	var ev, hyp string
	for _, row := range before.Matrix {
		for _, c := range row {
			if ev == "" && c.Rating != "II" && c.Rating != "NA" && c.Rating != "" && c.Hypothesis == "H4" {
				ev, hyp = c.Evidence, c.Hypothesis
			}
		}
	}
	if ev == "" {
		t.Fatal("no cell of H4 to rate")
	}
	b.signIn(demo.admin, demo.password)
	b.open("/ach/iskp")
	sel := fmt.Sprintf(`td[data-cell="%s/%s"] select`, ev, hyp)
	b.do("the matrix", chromedp.WaitVisible(chromedp.CSS(sel)))
	shown := eval[string](b, `document.querySelector('#score-`+hyp+`').textContent`)
	b.shot("ach-before")
	b.do("rate the cell", chromedp.Evaluate[chromedp.Void](fmt.Sprintf(
		`(() => { const s = document.querySelector(%s); s.value = 'II'; s.dispatchEvent(new Event('change', { bubbles: true })); })()`, q(sel))))
	b.waitFor("the new score", fmt.Sprintf(`document.querySelector('#score-%s').textContent !== %s`, hyp, q(shown)))
	var after view
	api(t, "GET", "/ach/iskp", nil, &after)
	if score(after, hyp) <= score(before, hyp) {
		t.Errorf("%s's weighted inconsistency went from %g to %g; rating %s II should raise it", hyp, score(before, hyp), score(after, hyp), ev)
	}
	got := eval[string](b, `document.querySelector('#score-`+hyp+`').textContent`)
	if want := strconv.FormatFloat(score(after, hyp), 'f', 2, 64); got != want && got != strings.TrimSuffix(want, ".00") {
		t.Errorf("the page shows %s for %s, the server %s", got, hyp, want)
	}
	if r := eval[string](b, fmt.Sprintf(`document.querySelector('td[data-cell="%s/%s"]').dataset.rating`, ev, hyp)); r != "II" {
		t.Errorf("the cell shows %q after rating it II", r)
	}
	b.shot("ach-after")
}

// TestGreenSeesNoAmber imports an AMBER case file, then signs in as a
// viewer cleared for GREEN and looks for it everywhere a reader would: the
// map, the event list, the timeline, the event's own page, imports and the
// actor graph. The admin sees it, to prove it is there to find.
func TestGreenSeesNoAmber(t *testing.T) {
	if demo.skip != "" {
		t.Skip(demo.skip)
	}
	importCase(t, "testdata/amber-case.json")
	var created struct {
		Password string `json:"password"`
	}
	body, _ := json.Marshal(map[string]string{"name": "green", "role": "viewer", "clearance": "GREEN"})
	api(t, "POST", "/users", bytes.NewReader(body), &created)
	var list struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	api(t, "GET", "/events"+query(url.Values{"country": {"TJ"}, "from": {"2023-03-01"}, "to": {"2023-03-01"}}), nil, &list)
	if len(list.Items) != 1 {
		t.Fatalf("the admin's API finds %d AMBER events in Khatlon on 2023-03-01, want 1", len(list.Items))
	}
	amberID := list.Items[0].ID
	const marker = "SECRET-AMBER-MARKER"

	admin := newBrowser(t)
	admin.signIn("admin", demo.password)
	admin.open(fmt.Sprintf("/events/%d", amberID))
	admin.waitFor("the AMBER event", `document.querySelector('.report') !== null`)
	admin.settle("the page, to open the document")
	admin.do("open the document", chromedp.Click(chromedp.CSS(`.report details summary`)))
	if !strings.Contains(admin.text(), marker) {
		t.Fatalf("the admin does not see the AMBER event's document (%q)", admin.text())
	}
	var tj []bucket
	api(t, "GET", "/event-summary"+query(url.Values{"country": {"TJ"}, "by": {"grid"}}), nil, &tj)
	adminTJ := 0
	for _, c := range tj {
		adminTJ += c.Events
	}

	g := newBrowser(t)
	g.signIn("green", created.Password)
	for _, route := range []string{"/map?country=TJ", "/events?country=TJ", "/timeline?country=TJ", "/imports", "/actors", "/review", "/alerts", "/sources"} {
		g.open(route)
		g.waitFor("the page "+route, `document.querySelector('h1') !== null`)
		g.settle("the page " + route)
		if txt := g.text(); strings.Contains(txt, marker) || strings.Contains(txt, "Liaison Service Alpha") || strings.Contains(txt, "Kulob") {
			t.Errorf("GREEN sees AMBER material on %s", route)
		}
		if route == "/map?country=TJ" {
			g.waitFor("Tajikistan's markers", `(() => { const s = document.querySelector('#map-summary');
				return s && !s.textContent.startsWith('Loading') && s.dataset.located !== '0' &&
					[...document.querySelectorAll('.cluster-dot')].reduce((n, el) => n + +el.dataset.events, 0) === +s.dataset.located; })()`)
			greenTJ := eval[int](g, `[...document.querySelectorAll('.cluster-dot')].reduce((n, el) => n + +el.dataset.events, 0)`)
			if greenTJ != adminTJ-1 {
				t.Errorf("GREEN's map of Tajikistan counts %d events, the admin's %d: want one fewer (the AMBER event)", greenTJ, adminTJ)
			}
			g.shot("green-map")
		}
	}
	g.open(fmt.Sprintf("/events/%d", amberID))
	g.waitFor("the refusal", `document.querySelector('.error') !== null`)
	if txt := g.text(); strings.Contains(txt, marker) || !strings.Contains(txt, "Not found") {
		t.Errorf("GREEN opening the AMBER event's page sees %q; want not found and nothing of it", txt)
	}
	g.shot("green-event")
}

// TestKeyboard moves through the UI with the keyboard alone: the access
// keys between pages, Tab to a marker of the map, Enter to open it.
func TestKeyboard(t *testing.T) {
	b := newBrowser(t)
	b.signIn(demo.admin, demo.password)
	b.waitFor("markers", `document.querySelectorAll('.cluster-dot').length > 0`)
	b.do("Alt+T", chromedp.KeyEvent("t", chromedp.KeyModifiers(chromedp.ModifierAlt)))
	b.waitFor("the timeline", `location.hash.startsWith('#/timeline') && document.querySelector('.chart') !== null`)
	b.shot("timeline")
	b.do("Alt+M", chromedp.KeyEvent("m", chromedp.KeyModifiers(chromedp.ModifierAlt)))
	b.waitFor("markers", `location.hash.startsWith('#/map') && document.querySelectorAll('.cluster-dot').length > 0`)
	for i := 0; ; i++ {
		if i == 80 {
			t.Fatalf("80 presses of Tab reached no marker (focus on %s)", eval[string](b, `document.activeElement.outerHTML.slice(0, 120)`))
		}
		b.do("Tab", chromedp.KeyEvent("\t"))
		if eval[bool](b, `document.activeElement.classList.contains('leaflet-marker-icon')`) {
			break
		}
	}
	b.do("Enter", chromedp.KeyEvent("\r"))
	b.waitFor("the marker's popup", `document.querySelector('.leaflet-popup-content') !== null && /events?/.test(document.querySelector('.leaflet-popup-content').textContent)`)
}

// TestPages opens every page and checks that it renders its content with
// no script error and no CSP violation (newBrowser's cleanup checks those).
func TestPages(t *testing.T) {
	b := newBrowser(t)
	b.signIn(demo.admin, demo.password)
	pages := []struct{ route, ready string }{
		{"/timeline?actor=ISKP", `document.querySelectorAll('.chart canvas').length === 2 && document.querySelectorAll('.ranges .ev').length > 100 && document.querySelector('tr[data-event]') !== null`},
		{"/events?actor=ISKP", `document.querySelector('tr[data-event]') !== null`},
		{"/actors?actor=iskp", `document.querySelectorAll('.graph .node').length > 3 && document.querySelector('.ties li') !== null`},
		{"/imports", `document.querySelector('table tbody tr') !== null`},
		{"/alerts", `document.querySelector('tr[data-alert]') !== null || document.body.innerText.includes('No alerts') || document.body.innerText.includes('keeps no alerts')`},
		{"/review", `document.querySelector('.reviewitem .brief a') !== null || document.body.innerText.includes('does not serve')`},
		{"/ach", `document.querySelector('.cases a') !== null || document.body.innerText.includes('does not serve')`},
		{"/ach/iskp", `document.querySelector('.matrix td.cell') !== null || document.body.innerText.includes('does not serve')`},
	}
	for _, p := range pages {
		b.open(p.route)
		b.waitFor(p.route, p.ready)
		b.shot(strings.NewReplacer("/", "-", "?", "-", "=", "-").Replace(strings.TrimPrefix(p.route, "/")))
	}
}

// BenchmarkMapReady measures how long the map takes from a fresh load of
// the page to its markers and shading, for every event and for ISKP's (one
// sign-in, then b.N loads of each):
//
//	go test -run X -bench MapReady -benchtime 10x ./webtest
//
// With VIGIL_WEBTEST_DB=FILE it serves that store instead of the demo
// (e.g. one of 100,000 events made by the API's load generator).
func BenchmarkMapReady(bm *testing.B) {
	if demo.skip != "" {
		bm.Skip(demo.skip)
	}
	b := newBrowser(bm)
	b.signIn(demo.admin, demo.password)
	for _, route := range []struct{ name, route string }{{"all", "/map"}, {"ISKP", "/map?actor=ISKP"}} {
		bm.Run(route.name, func(sub *testing.B) {
			b.t = sub
			for i := 0; i < sub.N; i++ {
				b.open(route.route)
				b.waitFor("the map", `document.querySelectorAll('.cluster-dot').length > 0 &&
					[...document.querySelectorAll('.leaflet-admin1-pane path')].some((p) => p.getAttribute('fill-opacity') !== '0')`)
			}
		})
	}
}

// TestHostileText uploads, through the imports page, a case file whose
// every string is markup or script (source name, title, text, place,
// actor), follows the import to its end, and opens the pages that show
// them: they must read as text, run nothing and add no element.
func TestHostileText(t *testing.T) {
	b := newBrowser(t)
	file, err := filepath.Abs("testdata/hostile-case.json")
	if err != nil {
		t.Fatal(err)
	}
	b.signIn(demo.admin, demo.password)
	b.open("/imports")
	b.do("upload", chromedp.WaitVisible(chromedp.CSS("#upload-file")),
		chromedp.SetUploadFiles(chromedp.CSS("#upload-file"), []string{file}))
	if got := eval[string](b, `document.querySelector('#upload-format').value`); got != "case" {
		t.Errorf("the format guessed for hostile-case.json is %q, want case", got)
	}
	b.settle("the page, to import")
	b.do("import", chromedp.Click(chromedp.CSS(`.upload button[type=submit]`)))
	b.waitFor("the import's end", `(() => { const j = document.querySelector('.job'); return j && j.dataset.status !== 'running'; })()`)
	if st := eval[string](b, `document.querySelector('.job').dataset.status`); st != "done" {
		t.Fatalf("the upload ended %s: %s", st, eval[string](b, `document.querySelector('.job').innerText`))
	}
	b.waitFor("the new batch", `[...document.querySelectorAll('table tbody td')].some((td) => td.textContent.includes('hostile-case.json'))`)
	b.shot("imports")
	var list struct {
		Items []struct {
			ID    int64  `json:"id"`
			Place string `json:"place"`
		} `json:"items"`
	}
	api(t, "GET", "/events"+query(url.Values{"country": {"AF"}, "from": {"2023-05-01"}, "to": {"2023-05-01"}}), nil, &list)
	var id int64
	for _, e := range list.Items {
		if strings.Contains(e.Place, "<b>") {
			id = e.ID
		}
	}
	if id == 0 {
		t.Fatalf("the hostile event is not in the store: %+v", list.Items)
	}
	b.open(fmt.Sprintf("/events/%d", id))
	b.settle("the page, to open the document")
	b.do("open the document", chromedp.WaitVisible(chromedp.CSS(`.report details summary`)), chromedp.Click(chromedp.CSS(`.report details summary`)))
	txt := b.text()
	for _, want := range []string{"<b>Jalalabad</b>", "<script>alert('title')</script>", "Open Blog <img src=x onerror=alert(1)>",
		"Before</textarea><script>alert(document.cookie)</script> after", "<script>x</script>"} {
		if !strings.Contains(txt, want) {
			t.Errorf("the event page does not show %q as text", want)
		}
	}
	b.open("/events?country=AF&from=2023-05-01&to=2023-05-01")
	b.waitFor("the list", `document.querySelector('tr[data-event]') !== null`)
	if !strings.Contains(b.text(), "<b>Jalalabad</b>") {
		t.Error("the event list does not show the place as text")
	}
	if n := eval[int](b, `document.querySelectorAll('script').length`); n != 1 {
		t.Errorf("%d script elements in the page, want 1 (the UI's own)", n)
	}
	if n := eval[int](b, `document.querySelectorAll('#main img, #main b').length`); n != 0 {
		t.Errorf("%d img or b elements came from stored text", n)
	}
	b.shot("hostile")
}

// importCase uploads a case file as the admin and waits for its import.
func importCase(t *testing.T, path string) {
	t.Helper()
	body, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var job struct {
		ID     string `json:"id"`
		Status string `json:"status"`
		Error  string `json:"error"`
	}
	api(t, "POST", "/imports?format=case&name="+url.QueryEscape(filepath.Base(path)), bytes.NewReader(body), &job)
	for deadline := time.Now().Add(time.Minute); job.Status == "running" && time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		api(t, "GET", "/import-jobs/"+job.ID, nil, &job)
	}
	if job.Status != "done" {
		t.Fatalf("importing %s ended %s: %s", path, job.Status, job.Error)
	}
}

// TestSplit splits a report out of an event from the event's page, as an
// analyst would, and checks the store: the event keeps the other reports
// and the one taken out stands in an event of its own. (It changes the
// demo's events: it runs after the tests that read them as loaded, and the
// tests after it read nothing it changes.)
func TestSplit(t *testing.T) {
	b := newBrowser(t)
	if !served(t, "/review") {
		t.Skip("webtest: this server takes no review decisions")
	}
	type event struct {
		ID        int64   `json:"id"`
		ReportIDs []int64 `json:"report_ids"`
	}
	var list struct {
		Items []event `json:"items"`
	}
	api(t, "GET", "/events"+query(url.Values{"actor": {"ISKP"}, "country": {"PK"}, "limit": {"200"}}), nil, &list)
	var ev event
	for _, e := range list.Items {
		if len(e.ReportIDs) >= 2 && ev.ID == 0 {
			ev = e
		}
	}
	if ev.ID == 0 {
		t.Fatal("no ISKP event in Pakistan with two reports to split")
	}
	out := ev.ReportIDs[len(ev.ReportIDs)-1]
	b.signIn(demo.admin, demo.password)
	b.open(fmt.Sprintf("/events/%d", ev.ID))
	box := fmt.Sprintf(`.eventreview input[type=checkbox][data-report="%d"]`, out)
	b.settle("the page, to pick the report")
	b.do("pick the report", chromedp.WaitVisible(chromedp.CSS(box)), chromedp.Click(chromedp.CSS(box)),
		chromedp.SendKeys(chromedp.CSS(`.eventreview .split input[aria-label$="reason"]`), "webtest: another incident"),
		chromedp.Click(chromedp.CSS(`.eventreview .split button[type=submit]`)))
	b.waitFor("the split", fmt.Sprintf(`document.querySelector('.eventreview .notice') !== null && document.querySelectorAll('.report').length === %d`, len(ev.ReportIDs)-1))
	b.shot("split")
	var after event
	api(t, "GET", fmt.Sprintf("/events/%d", ev.ID), nil, &after)
	if slices.Contains(after.ReportIDs, out) || len(after.ReportIDs) != len(ev.ReportIDs)-1 {
		t.Errorf("after the split event %d has reports %v; want %v without %d", ev.ID, after.ReportIDs, ev.ReportIDs, out)
	}
}

// TestSkipLinkAndTitles checks the keyboard and screen-reader basics of
// moving between pages: the skip link moves the focus to the content
// without leaving the page (the UI routes by the hash, and the link's
// #main once led to "Not found"), each page names itself in the document's
// title, and moving to another page puts the focus on its content.
func TestSkipLinkAndTitles(t *testing.T) {
	b := newBrowser(t)
	b.signIn(demo.admin, demo.password)
	b.open("/timeline?actor=ISKP")
	b.waitFor("the timeline", `document.querySelector('.chart') !== null`)
	if got := eval[string](b, `document.title`); got != "Timeline · vigil" {
		t.Errorf("the timeline's title is %q, want %q", got, "Timeline · vigil")
	}
	b.do("Tab to the skip link", chromedp.KeyEvent("\t"))
	if got := eval[string](b, `document.activeElement.className`); got != "skip" {
		t.Fatalf("the first Tab reaches %q, want the skip link", eval[string](b, `document.activeElement.outerHTML.slice(0, 120)`))
	}
	b.do("Enter on the skip link", chromedp.KeyEvent("\r"))
	time.Sleep(300 * time.Millisecond)
	if h := eval[string](b, `location.hash`); h != "#/timeline?actor=ISKP" {
		t.Errorf("the skip link changed the route to %q", h)
	}
	if got := eval[string](b, `document.activeElement.id`); got != "main" {
		t.Errorf("after the skip link the focus is on %q, want #main", eval[string](b, `document.activeElement.outerHTML.slice(0, 120)`))
	}
	if strings.Contains(b.text(), "Not found") || eval[int](b, `document.querySelectorAll('.chart').length`) == 0 {
		t.Error("the skip link left the timeline")
	}
	b.do("Alt+E", chromedp.KeyEvent("e", chromedp.KeyModifiers(chromedp.ModifierAlt)))
	b.waitFor("the events page", `location.hash.startsWith('#/events') && document.title === 'Events · vigil'`)
	if got := eval[string](b, `document.activeElement.id`); got != "main" {
		t.Errorf("after moving to the events page the focus is on %q, want #main", eval[string](b, `document.activeElement.outerHTML.slice(0, 120)`))
	}
}

// TestUploadText uploads an article as text through the imports page, as
// an analyst with a folder of news would: the page asks for the source the
// article is filed under (the server refused every text upload without
// one), and the import ends with the article's report under that source.
func TestUploadText(t *testing.T) {
	b := newBrowser(t)
	file := filepath.Join(t.TempDir(), "kunduz-article.txt")
	article := "KUNDUZ, 9 June 2023 - A bomb killed eleven people at a memorial service in a mosque in Kunduz city on Thursday, officials said. Islamic State Khorasan Province claimed the attack.\n"
	if err := os.WriteFile(file, []byte(article), 0o644); err != nil {
		t.Fatal(err)
	}
	b.signIn(demo.admin, demo.password)
	b.open("/imports")
	b.do("pick the file", chromedp.WaitVisible(chromedp.CSS("#upload-file")),
		chromedp.SetUploadFiles(chromedp.CSS("#upload-file"), []string{file}))
	if got := eval[string](b, `document.querySelector('#upload-format').value`); got != "text" {
		t.Fatalf("the format guessed for a .txt is %q, want text", got)
	}
	if !eval[bool](b, `document.querySelector('.upload button[type=submit]').disabled`) {
		t.Error("the Import button is enabled before the articles' source is named")
	}
	b.settle("the page, to name the source")
	b.do("name the source", chromedp.SendKeys(chromedp.CSS("#upload-source"), "Webtest Wire"),
		chromedp.Evaluate[chromedp.Void](`(() => { const s = document.querySelector('#upload-reliability'); s.value = 'C'; s.dispatchEvent(new Event('change', { bubbles: true })); })()`),
		chromedp.Click(chromedp.CSS(`.upload button[type=submit]`)))
	b.waitFor("the import's end", `(() => { const j = document.querySelector('.job'); return j && j.dataset.status !== 'running'; })()`)
	if st := eval[string](b, `document.querySelector('.job').dataset.status`); st != "done" {
		t.Fatalf("the upload ended %s: %s", st, eval[string](b, `document.querySelector('.job').innerText`))
	}
	b.shot("upload-text")
	var sources []struct {
		Source struct {
			Name        string `json:"name"`
			Reliability string `json:"reliability"`
		} `json:"source"`
		Documents int `json:"documents"`
	}
	api(t, "GET", "/sources", nil, &sources)
	for _, s := range sources {
		if s.Source.Name == "Webtest Wire" {
			if s.Source.Reliability != "C" || s.Documents != 1 {
				t.Errorf("Webtest Wire is graded %q with %d documents, want C and 1", s.Source.Reliability, s.Documents)
			}
			return
		}
	}
	t.Errorf("no source Webtest Wire after the upload (sources %+v)", sources)
}

// TestUploadWarnings: the imports page shows what an import warned of (the
// lines of the file it skipped, and why), as text, the first 20 listed and
// the rest counted; before, the page showed none of them, and an upload of
// 31 lines that imported one looked as clean as any.
func TestUploadWarnings(t *testing.T) {
	b := newBrowser(t)
	// The file's name is markup, and every warning names the file.
	file := filepath.Join(t.TempDir(), "w<img src=x onerror=alert(9)>.jsonl")
	lines := []string{`{"id":"warn-1","title":"Kunduz","published":"2023-06-09","text":"A bomb killed eleven people at a mosque in Kunduz city on 8 June 2023."}`}
	for i := 0; i < 30; i++ {
		lines = append(lines, "<script>alert(1)</script> not JSON")
	}
	if err := os.WriteFile(file, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	b.signIn(demo.admin, demo.password)
	b.open("/imports")
	b.do("pick the file", chromedp.WaitVisible(chromedp.CSS("#upload-file")),
		chromedp.SetUploadFiles(chromedp.CSS("#upload-file"), []string{file}))
	b.settle("the page, to name the source")
	b.do("import", chromedp.SendKeys(chromedp.CSS("#upload-source"), "Warning Wire"),
		chromedp.Click(chromedp.CSS(`.upload button[type=submit]`)))
	b.waitFor("the import's end", `(() => { const j = document.querySelector('.job'); return j && j.dataset.status !== 'running'; })()`)
	b.waitFor("the warnings", `document.querySelector('.job .warnings') !== null`)
	b.shot("upload-warnings")
	if got := eval[string](b, `document.querySelector('.job .warnings').dataset.warnings`); got != "30" {
		t.Errorf("the job counts %s warnings, want 30", got)
	}
	if got := eval[string](b, `document.querySelector('.job .warnings summary').textContent`); got != "30 warnings" {
		t.Errorf("the warnings' summary reads %q", got)
	}
	items := eval[[]string](b, `[...document.querySelectorAll('.job .warnings li')].map((li) => li.textContent)`)
	if len(items) != 20 {
		t.Fatalf("the page lists %d warnings, want the first 20", len(items))
	}
	if !strings.Contains(items[0], "w<img src=x onerror=alert(9)>.jsonl:2: skipped") {
		t.Errorf("the first warning reads %q; want the file's name as text, line 2 skipped", items[0])
	}
	if got := eval[string](b, `document.querySelector('.job .warnings [data-more]').textContent`); got != "… and 10 more" {
		t.Errorf("the warnings not listed are counted as %q, want … and 10 more", got)
	}
	if n := eval[int](b, `document.querySelectorAll('.job img, .job script').length`); n != 0 {
		t.Errorf("the warnings added %d elements: markup in them was not escaped", n)
	}
}

// TestUploadGDELT uploads a GDELT export zipped as GDELT serves it: the
// page guesses the format from the name, and the job's counts show the row
// of violence taken and the statement skipped.
func TestUploadGDELT(t *testing.T) {
	b := newBrowser(t)
	at := map[string]int{}
	for i, c := range gdelt.Columns {
		at[c] = i
	}
	row := func(kv ...string) string {
		f := make([]string, len(gdelt.Columns))
		for i := 0; i+1 < len(kv); i += 2 {
			f[at[kv[i]]] = kv[i+1]
		}
		return strings.Join(f, "\t")
	}
	common := []string{"SQLDATE", "20240105", "ActionGeo_Type", "4", "ActionGeo_FullName", "Maiduguri, Borno, Nigeria",
		"ActionGeo_Lat", "11.8464", "ActionGeo_Long", "13.1603", "DATEADDED", "20240105120000"}
	var zipped bytes.Buffer
	z := zip.NewWriter(&zipped)
	w, err := z.Create("20240105120000.export.CSV")
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(w, "%s\n%s\n",
		row(append(common, "GLOBALEVENTID", "1150000001", "Actor1Name", "BOKO HARAM", "Actor2Name", "CIVILIAN", "EventCode", "1823")...),
		row(append(common, "GLOBALEVENTID", "1150000002", "Actor1Name", "NIGERIA", "EventCode", "010")...))
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "20240105120000.export.CSV.zip")
	if err := os.WriteFile(file, zipped.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	b.signIn(demo.admin, demo.password)
	b.open("/imports")
	b.settle("the page, to pick the file")
	b.do("pick the file", chromedp.WaitVisible(chromedp.CSS("#upload-file")),
		chromedp.SetUploadFiles(chromedp.CSS("#upload-file"), []string{file}))
	if got := eval[string](b, `document.querySelector('#upload-format').value`); got != "gdelt" {
		t.Fatalf("the format guessed for %s is %q, want gdelt", filepath.Base(file), got)
	}
	b.do("import", chromedp.Click(chromedp.CSS(`.upload button[type=submit]`)))
	b.waitFor("the import's end", `(() => { const j = document.querySelector('.job'); return j && j.dataset.status !== 'running'; })()`)
	job := eval[string](b, `document.querySelector('.job').innerText`)
	if st := eval[string](b, `document.querySelector('.job').dataset.status`); st != "done" || !strings.Contains(job, "read 2, new 1") || !strings.Contains(job, "skipped 1") {
		t.Fatalf("the upload ended %s: %s", st, job)
	}
	b.shot("upload-gdelt")
}

// TestAccount changes one's own password and makes and revokes an API
// token on the account page (there was no way for a user to replace the
// password whoever made the account had been shown).
func TestAccount(t *testing.T) {
	b := newBrowser(t)
	var created struct {
		Password string `json:"password"`
	}
	api(t, "POST", "/users", strings.NewReader(`{"name":"acct","role":"viewer","clearance":"GREEN"}`), &created)
	b.signIn("acct", created.Password)
	b.settle("the page, to open the account")
	b.do("open the account", chromedp.Click(chromedp.CSS("#whoami")), chromedp.WaitVisible(chromedp.CSS("#password-form")))
	// The title follows the page's render, a moment after its form shows.
	b.waitFor("the account page's title", `document.title === "Your account · vigil"`)
	const fresh = "a-password-of-my-own"
	b.do("change the password",
		chromedp.SendKeys(chromedp.CSS("#password-current"), created.Password),
		chromedp.SendKeys(chromedp.CSS("#password-new"), fresh),
		chromedp.SendKeys(chromedp.CSS("#password-again"), fresh),
		chromedp.Click(chromedp.CSS(`#password-form button[type=submit]`)))
	b.waitFor("the change", `document.querySelector('#password-form .notice, #password-form .error') !== null`)
	if eval[bool](b, `document.querySelector('#password-form .error') !== null`) {
		t.Fatalf("changing the password: %s", eval[string](b, `document.querySelector('#password-form .error').textContent`))
	}
	b.shot("account-password")
	status := func(method, path, body, auth string) int {
		req, _ := http.NewRequest(method, demo.url+"/api/v1"+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if auth != "" {
			req.Header.Set("Authorization", "Bearer "+auth)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if st := status("POST", "/session", `{"name":"acct","password":`+q(created.Password)+`}`, ""); st != 401 {
		t.Errorf("the old password signs in: %d", st)
	}
	if st := status("POST", "/session", `{"name":"acct","password":`+q(fresh)+`}`, ""); st != 200 {
		t.Errorf("the new password does not sign in: %d", st)
	}
	// The browser keeps a session (the server gave it a new one): a token
	// can be made from the same page.
	b.settle("the page, to make a token")
	b.do("make a token", chromedp.SendKeys(chromedp.CSS("#token-name"), "script"),
		chromedp.Click(chromedp.CSS(`form[aria-label="New API token"] button[type=submit]`)))
	b.waitFor("the secret", `document.querySelector('#token-secret code') !== null && document.querySelector('tr[data-token]') !== null`)
	secret := eval[string](b, `document.querySelector('#token-secret code').textContent`)
	if st := status("GET", "/events?limit=1", "", secret); st != 200 {
		t.Errorf("the new token reads events: %d", st)
	}
	b.settle("the page, to revoke it")
	b.do("revoke it", chromedp.Click(chromedp.CSS(`tr[data-token] button`)))
	b.waitFor("the list without it", `document.querySelector('tr[data-token]') === null`)
	if st := status("GET", "/events?limit=1", "", secret); st != 401 {
		t.Errorf("the revoked token reads events: %d", st)
	}
}

// TestSources lists the sources with the counts the API gives, opens one
// from an event's report, regrades it, and sees a concurrent change refused
// and reloaded rather than overwritten.
func TestSources(t *testing.T) {
	b := newBrowser(t)
	type stats struct {
		Source struct {
			ID          int64  `json:"id"`
			Name        string `json:"name"`
			Reliability string `json:"reliability"`
		} `json:"source"`
		Documents int `json:"documents"`
		Events    int `json:"events"`
	}
	var all []stats
	api(t, "GET", "/sources", nil, &all)
	var amaq stats
	for _, s := range all {
		if s.Source.Name == "Amaq News Agency" {
			amaq = s
		}
	}
	if amaq.Source.ID == 0 {
		t.Fatal("no Amaq News Agency among the sources")
	}
	b.signIn(demo.admin, demo.password)
	b.open("/sources")
	row := fmt.Sprintf(`tr[data-source="%d"]`, amaq.Source.ID)
	b.do("the list", chromedp.WaitVisible(chromedp.CSS(row)))
	if n := eval[int](b, `document.querySelectorAll('tr[data-source]').length`); n != len(all) {
		t.Errorf("the page lists %d sources, the API %d", n, len(all))
	}
	cells := eval[[]string](b, `[...document.querySelectorAll('`+row+` td')].map((td) => td.textContent.trim())`)
	if len(cells) != 7 || cells[5] != strconv.Itoa(amaq.Documents) || cells[6] != strconv.Itoa(amaq.Events) {
		t.Errorf("Amaq's row reads %q; the API gives %d documents, %d events", cells, amaq.Documents, amaq.Events)
	}
	// From Crocus City Hall's report by Amaq to the source's page.
	var list struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	api(t, "GET", "/events"+query(url.Values{"actor": {"ISKP"}, "from": {"2024-03-22"}, "to": {"2024-03-22"}, "country": {"RU"}}), nil, &list)
	if len(list.Items) != 1 {
		t.Fatalf("want Crocus City Hall, got %+v", list.Items)
	}
	b.open(fmt.Sprintf("/events/%d", list.Items[0].ID))
	link := fmt.Sprintf(`.report .srcline a[href="#/sources/%d"]`, amaq.Source.ID)
	b.settle("the page, to open Amaq from its report")
	b.do("open Amaq from its report", chromedp.WaitVisible(chromedp.CSS(link)), chromedp.Click(chromedp.CSS(link)))
	b.waitFor("the source's page", `document.querySelector('#regrade') !== null && document.querySelectorAll('tr[data-document]').length > 0`)
	if n := eval[int](b, `document.querySelectorAll('tr[data-document]').length`); n != amaq.Documents {
		t.Errorf("the source's page lists %d documents, the API counts %d", n, amaq.Documents)
	}
	regrade := func(grade string) {
		b.settle("the page, to regrade to " + grade)
		b.do("regrade to "+grade, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(
			`(() => { const s = document.querySelector('#regrade-reliability'); s.value = %s; s.dispatchEvent(new Event('change', { bubbles: true })); })()`, q(grade))),
			chromedp.Click(chromedp.CSS(`#regrade button[type=submit]`)))
	}
	regrade("E")
	b.waitFor("the new grade", `document.querySelector('.notice') !== null && document.querySelector('.facts .grade').textContent.startsWith('E')`)
	var src struct {
		Reliability string `json:"reliability"`
		Notes       string `json:"notes"`
	}
	api(t, "GET", fmt.Sprintf("/sources/%d", amaq.Source.ID), nil, &src)
	if src.Reliability != "E" {
		t.Errorf("after regrading, the API gives %q, want E", src.Reliability)
	}
	// Another analyst changes the notes meanwhile: this page's save is
	// refused (If-Match) and the page shows the source as it now stands.
	req, _ := http.NewRequest("GET", fmt.Sprintf("%s/api/v1/sources/%d", demo.url, amaq.Source.ID), nil)
	req.Header.Set("Authorization", "Bearer "+demo.token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	req, _ = http.NewRequest("PATCH", fmt.Sprintf("%s/api/v1/sources/%d", demo.url, amaq.Source.ID), strings.NewReader(`{"notes":"changed by another analyst"}`))
	req.Header.Set("Authorization", "Bearer "+demo.token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("If-Match", res.Header.Get("ETag"))
	if res, err = http.DefaultClient.Do(req); err != nil || res.StatusCode != 200 {
		t.Fatalf("the other analyst's change: %v %v", err, res.Status)
	}
	res.Body.Close()
	regrade("D")
	b.waitFor("the refusal", `document.querySelector('.notice') !== null && document.querySelector('.notice').textContent.includes('changed this source')`)
	b.waitFor("the reload", `document.querySelector('#regrade-notes').value === 'changed by another analyst'`)
	api(t, "GET", fmt.Sprintf("/sources/%d", amaq.Source.ID), nil, &src)
	if src.Reliability != "E" || src.Notes != "changed by another analyst" {
		t.Errorf("after the refused save the source is %+v; want E with the other analyst's notes", src)
	}
	b.shot("source")
	regrade("D") // as the demo had it
	b.waitFor("the grade restored", `document.querySelector('.facts .grade').textContent.startsWith('D')`)
}

// TestExportLinks: the events page offers the matching events for
// download in each export format, with the page's filters, the CSV ones
// guarded for the spreadsheet a browser user opens them in
// (spreadsheet_safe=1); the CSV holds as many events as the list counts.
func TestExportLinks(t *testing.T) {
	b := newBrowser(t)
	b.signIn(demo.admin, demo.password)
	b.open("/events?actor=ISKP&country=PK")
	b.waitFor("the list", `document.querySelector('tr[data-event]') !== null && document.querySelector('.count').dataset.total !== '0'`)
	total := eval[int](b, `+document.querySelector('.count').dataset.total`)
	hrefs := eval[[]string](b, `[...document.querySelectorAll('.exports a')].map((a) => a.getAttribute('href'))`)
	want := []string{"/api/v1/export/csv?actor=ISKP&country=PK&spreadsheet_safe=1", "/api/v1/export/geojson?actor=ISKP&country=PK",
		"/api/v1/export/acled-csv?actor=ISKP&country=PK&spreadsheet_safe=1", "/api/v1/export/ucdp-csv?actor=ISKP&country=PK&spreadsheet_safe=1"}
	if !slices.Equal(hrefs, want) {
		t.Errorf("the export links are %q, want %q", hrefs, want)
	}
	// The browser's own session fetches it, as a click would.
	rows, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](`(async () => { const r = await fetch(document.querySelector('.exports a[data-format="csv"]').getAttribute('href')); const t = await r.text(); return r.ok ? t.trim().split('\n').length - 1 : -r.status; })()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if rows != total {
		t.Errorf("the CSV export holds %d events, the list counts %d", rows, total)
	}
}

// TestIndicators shows ISKP's indicators by year with the numbers the API
// computes, and opens the events behind one figure.
func TestIndicators(t *testing.T) {
	b := newBrowser(t)
	var ind struct {
		Periods []struct {
			Period       string `json:"period"`
			Events       int    `json:"events"`
			NewCountries []struct {
				Key string `json:"key"`
			} `json:"new_countries"`
		} `json:"periods"`
		Total struct {
			Events int `json:"events"`
		} `json:"total"`
	}
	api(t, "GET", "/indicators"+query(url.Values{"actor": {"ISKP"}, "by": {"year"}, "home": {"AF-NAN,AF-KNR"}, "ids": {"false"}}), nil, &ind)
	if len(ind.Periods) < 3 {
		t.Fatalf("the API gives %d periods of ISKP", len(ind.Periods))
	}
	b.signIn(demo.admin, demo.password)
	b.open("/indicators?actor=ISKP&by=year&home=AF-NAN,AF-KNR")
	b.waitFor("the table", `document.querySelector('tr[data-period="total"]') !== null`)
	shown := eval[map[string]string](b, `Object.fromEntries([...document.querySelectorAll('tr[data-period]')].map((tr) => [tr.dataset.period, tr.querySelector('td').textContent.trim()]))`)
	busiest, most := "", 0
	for _, p := range ind.Periods {
		if got := shown[p.Period]; got != strconv.Itoa(p.Events) {
			t.Errorf("%s: the page shows %q events, the API %d", p.Period, got, p.Events)
		}
		if p.Events > most {
			busiest, most = p.Period, p.Events
		}
		if len(p.NewCountries) > 0 {
			var keys []string
			for _, c := range p.NewCountries {
				keys = append(keys, c.Key)
			}
			cell := eval[string](b, fmt.Sprintf(`document.querySelector('button[data-figure="new_countries"][data-period="%s"]').textContent`, p.Period))
			if cell != strings.Join(keys, ", ") {
				t.Errorf("%s: new countries read %q, the API %v", p.Period, cell, keys)
			}
		}
	}
	if got := shown["total"]; got != strconv.Itoa(ind.Total.Events) {
		t.Errorf("total: the page shows %q events, the API %d", got, ind.Total.Events)
	}
	b.settle("the page, to open the busiest year's events")
	b.do("open the busiest year's events", chromedp.Click(chromedp.CSS(fmt.Sprintf(`button[data-figure="events"][data-period="%s"]`, busiest))))
	b.waitFor("the drill-down", fmt.Sprintf(`document.querySelector('#drill .count') !== null && document.querySelector('#drill .count').dataset.total === '%d' && document.querySelectorAll('#drill tr[data-event]').length === %d`, most, min(most, 50)))
	b.shot("indicators")
}

// TestAdmin adds a user and changes their clearance on the users page, as
// an admin would without the CLI, sees a concurrent change refused rather
// than overwritten, and reads the changes in the audit log, whose chain
// holds.
func TestAdmin(t *testing.T) {
	b := newBrowser(t)
	b.signIn(demo.admin, demo.password)
	b.do("Alt+U", chromedp.KeyEvent("u", chromedp.KeyModifiers(chromedp.ModifierAlt)))
	b.waitFor("the users", `location.hash === '#/admin' && document.querySelector('tr[data-user]') !== null && document.querySelector('#audit-verify') !== null`)
	if !strings.Contains(eval[string](b, `document.querySelector('#audit-verify').textContent`), "holds") {
		t.Errorf("the audit check reads %q", eval[string](b, `document.querySelector('#audit-verify').textContent`))
	}
	b.settle("the page, to add a user")
	b.do("add a user", chromedp.SendKeys(chromedp.CSS("#new-user-name"), "walker"),
		chromedp.Click(chromedp.CSS(`#new-user button[type=submit]`)))
	b.waitFor("the password", `document.querySelector('#new-user-password code') !== null`)
	password := eval[string](b, `document.querySelector('#new-user-password code').textContent`)
	var users []struct {
		ID        int64  `json:"id"`
		Name      string `json:"name"`
		Role      string `json:"role"`
		Clearance string `json:"clearance"`
	}
	api(t, "GET", "/users", nil, &users)
	var id int64
	for _, u := range users {
		if u.Name == "walker" {
			id = u.ID
			if u.Role != "viewer" || u.Clearance != "GREEN" {
				t.Errorf("walker is %s cleared %s, want a viewer cleared GREEN", u.Role, u.Clearance)
			}
		}
	}
	if id == 0 || len(password) < 12 {
		t.Fatalf("walker was not made (id %d, password %q)", id, password)
	}
	row := fmt.Sprintf(`tr[data-user="%d"]`, id)
	b.waitFor("walker's row", `document.querySelector('`+row+`') !== null`)
	setClearance := func(c string) {
		b.waitFor("walker's row", `document.querySelector('`+row+` select[aria-label^="clearance"]') !== null`)
		b.do("clearance "+c, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(
			`(() => { const s = document.querySelector('%s select[aria-label^="clearance"]'); s.value = %s; s.dispatchEvent(new Event('change', { bubbles: true })); })()`, row, q(c))))
		b.waitFor("the save button", `!document.querySelector('`+row+` button').disabled`)
		b.do("save", chromedp.Evaluate[chromedp.Void](`document.querySelector('`+row+` button').click()`))
	}
	setClearance("AMBER")
	b.waitFor("the save", `document.querySelector('#users-notice') !== null && document.querySelector('#users-notice').textContent.includes('saved')`)
	b.settle("the list reloaded after the save")
	get := func() (clearance, etag string) {
		req, _ := http.NewRequest("GET", fmt.Sprintf("%s/api/v1/users/%d", demo.url, id), nil)
		req.Header.Set("Authorization", "Bearer "+demo.token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var u struct {
			Clearance string `json:"clearance"`
		}
		json.NewDecoder(res.Body).Decode(&u)
		return u.Clearance, res.Header.Get("ETag")
	}
	c, etag := get()
	if c != "AMBER" {
		t.Fatalf("after saving, walker is cleared %s, want AMBER", c)
	}
	// Another admin lowers walker to CLEAR meanwhile; this page, which
	// still shows AMBER, must not put RED over it.
	req, _ := http.NewRequest("PATCH", fmt.Sprintf("%s/api/v1/users/%d", demo.url, id), strings.NewReader(`{"clearance":"CLEAR"}`))
	req.Header.Set("Authorization", "Bearer "+demo.token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("If-Match", etag)
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("the other admin's change: %v %v", err, res.Status)
	}
	res.Body.Close()
	setClearance("RED")
	b.waitFor("the refusal", `document.querySelector('#users-notice').textContent.includes('someone else')`)
	if c, _ := get(); c != "CLEAR" {
		t.Errorf("after the refused save walker is cleared %s, want the other admin's CLEAR", c)
	}
	b.waitFor("the reload", `document.querySelector('`+row+` select[aria-label^="clearance"]').value === 'CLEAR'`)
	// The audit log's last page holds walker's creation and change.
	b.open("/admin")
	b.waitFor("the audit log", `document.querySelector('tr[data-seq]') !== null`)
	for i := 0; i < 50 && !eval[bool](b, `document.querySelector('.adminpage .pager button:nth-child(2)').disabled`); i++ {
		b.settle("the page, to later")
		b.do("later", chromedp.Click(chromedp.CSS(`.adminpage .pager button:nth-child(2)`)))
		time.Sleep(200 * time.Millisecond)
	}
	log := eval[string](b, `document.querySelector('table.audit').innerText`)
	if !strings.Contains(log, fmt.Sprintf("user/%d", id)) || !strings.Contains(log, "user.update") {
		t.Errorf("the audit log shows no creation and update of user/%d:\n%s", id, log)
	}
	b.shot("admin")
}

// TestReviewHistoryUndo merges a review item on the review page as an
// analyst, finds the merge in the page's history, undoes it there with a
// reason and sees the two events back in the queue; an undo the API
// refuses (the operation was undone meanwhile) shows the problem's
// message; a viewer cleared for GREEN reads the history without an undo
// and without the operations that are not theirs to see whole.
func TestReviewHistoryUndo(t *testing.T) {
	b := newBrowser(t)
	if !served(t, "/review/history") {
		t.Skip("webtest: this server keeps no linkage history")
	}
	type item struct {
		ID     int64  `json:"id"`
		EventA int64  `json:"event_a"`
		EventB int64  `json:"event_b"`
		Status string `json:"status"`
	}
	type linkOp struct {
		ID       int64   `json:"id"`
		Kind     string  `json:"kind"`
		Events   []int64 `json:"events"`
		Review   int64   `json:"review"`
		Undoes   int64   `json:"undoes"`
		UndoneBy int64   `json:"undone_by"`
	}
	// An open pair of two events a GREEN reader may see, on the queue's
	// first page.
	var queue []item
	api(t, "GET", "/review", nil, &queue)
	var it item
	for i, x := range queue {
		if i >= 10 || it.ID != 0 || x.EventA == x.EventB {
			continue
		}
		public := true
		for _, id := range []int64{x.EventA, x.EventB} {
			var e struct {
				TLP string `json:"tlp"`
			}
			api(t, "GET", fmt.Sprintf("/events/%d", id), nil, &e)
			public = public && (e.TLP == "" || e.TLP == "CLEAR" || e.TLP == "GREEN")
		}
		if public {
			it = x
		}
	}
	if it.ID == 0 {
		t.Fatalf("no open review item of two public events on the queue's first page: %+v", queue)
	}
	mergeOp := func() linkOp {
		var ops []linkOp
		api(t, "GET", "/review/history", nil, &ops)
		for _, op := range ops {
			if op.Kind == "merge" && op.Review == it.ID && op.UndoneBy == 0 {
				return op
			}
		}
		t.Fatalf("no merge of review item %d in the history: %+v", it.ID, ops)
		return linkOp{}
	}
	user := func(name, role, clearance string) string {
		var created struct {
			Password string `json:"password"`
		}
		body, _ := json.Marshal(map[string]string{"name": name, "role": role, "clearance": clearance})
		api(t, "POST", "/users", bytes.NewReader(body), &created)
		return created.Password
	}
	analystPW, greenPW := user("histanalyst", "analyst", "RED"), user("histgreen", "viewer", "GREEN")

	// The analyst merges the pair on the queue.
	b.signIn("histanalyst", analystPW)
	b.open("/review")
	row := fmt.Sprintf(`.reviewitem[data-item="%d"]`, it.ID)
	b.do("the pair's page", chromedp.WaitVisible(chromedp.CSS(row+` .decisions form:first-child input`)))
	b.settle("the review page")
	b.do("merge the pair", chromedp.SendKeys(chromedp.CSS(row+` .decisions form:first-child input`), "webtest: one incident"),
		chromedp.Click(chromedp.CSS(row+` .decisions form:first-child button[type=submit]`)))
	b.waitFor("the pair off the queue", `document.querySelector('`+row+`') === null`)
	merge := mergeOp()
	if len(merge.Events) != 2 || merge.Events[0] != it.EventA || merge.Events[1] != it.EventB {
		t.Fatalf("the merge of item %d is %+v, want events %d and %d", it.ID, merge, it.EventA, it.EventB)
	}
	op := fmt.Sprintf(`.history tr[data-op="%d"]`, merge.ID)
	b.waitFor("the merge in the history", `document.querySelector('`+op+` .undo input') !== null`)
	got := eval[string](b, `document.querySelector('`+op+`').innerText`)
	for _, want := range []string{"merge", "histanalyst", "webtest: one incident"} {
		if !strings.Contains(got, want) {
			t.Errorf("the history's row of the merge reads %q, want %q in it", got, want)
		}
	}
	links := eval[[]string](b, `[...document.querySelectorAll('`+op+` a')].map((a) => a.getAttribute('href'))`)
	if want := []string{fmt.Sprintf("#/events/%d", it.EventA), fmt.Sprintf("#/events/%d", it.EventB)}; !slices.Equal(links, want) {
		t.Errorf("the merge's row links %q, want %q", links, want)
	}
	// The analyst may not undo a linkage run (only admins may); the run is
	// in the history, as the analyst is cleared for RED.
	if eval[int](b, `document.querySelectorAll('.history tr[data-kind="link"]').length`) == 0 {
		t.Error("the history shows the RED analyst no linkage run")
	}
	if n := eval[int](b, `document.querySelectorAll('.history tr[data-kind="link"] .undo form').length`); n != 0 {
		t.Errorf("the analyst is offered %d undos of linkage runs", n)
	}
	if !eval[bool](b, `document.querySelector('`+op+` .undo input').required`) {
		t.Error("the undo's reason is not required")
	}
	b.shot("review-history")

	// The analyst undoes the merge there: the pair is back on the queue,
	// with its two events.
	b.settle("the review page")
	b.do("undo the merge", chromedp.SendKeys(chromedp.CSS(op+` .undo input`), "webtest: two incidents after all"),
		chromedp.Click(chromedp.CSS(op+` .undo button[type=submit]`)))
	b.waitFor("the undo", `document.querySelector('`+op+`[data-undone-by]') !== null && document.querySelectorAll('`+row+` .brief a').length === 2`)
	if n := eval[int](b, `document.querySelectorAll('`+op+` .undo form').length`); n != 0 {
		t.Error("an undone operation still offers an undo")
	}
	briefs := eval[[]string](b, `[...document.querySelectorAll('`+row+` .brief a')].map((a) => a.getAttribute('href'))`)
	if want := []string{fmt.Sprintf("#/events/%d", it.EventA), fmt.Sprintf("#/events/%d", it.EventB)}; !slices.Equal(briefs, want) {
		t.Errorf("the pair back on the queue shows events %q, want %q", briefs, want)
	}
	undoneBy := eval[string](b, `document.querySelector('`+op+`').dataset.undoneBy`)
	undoRow := `.history tr[data-op="` + undoneBy + `"]`
	if k := eval[string](b, `(document.querySelector('`+undoRow+`') || { dataset: {} }).dataset.kind || ''`); k != "undo" {
		t.Errorf("the history's operation %s, which undid the merge, is a %q", undoneBy, k)
	}
	if n := eval[int](b, `document.querySelectorAll('`+undoRow+` .undo form').length`); n != 0 {
		t.Error("the analyst is offered the undo of an undo (only admins may)")
	}
	if !strings.Contains(eval[string](b, `document.querySelector('`+op+`').innerText`), "undone by #"+undoneBy) {
		t.Errorf("the merge's row does not say it was undone by #%s", undoneBy)
	}
	var back item
	for _, x := range func() []item { var q []item; api(t, "GET", "/review", nil, &q); return q }() {
		if x.ID == it.ID {
			back = x
		}
	}
	if back.Status != "open" || back.EventA != it.EventA || back.EventB != it.EventB {
		t.Errorf("after the undo the item is %+v, want it open between events %d and %d", back, it.EventA, it.EventB)
	}
	api(t, "GET", fmt.Sprintf("/events/%d", it.EventB), nil, nil)
	b.shot("review-undone")

	// Merged again, and undone through the API while the page still offers
	// the undo: the page's undo is refused with the problem's message.
	api(t, "POST", "/review/merge", strings.NewReader(fmt.Sprintf(`{"item":%d,"reason":"webtest: merged by a script"}`, it.ID)), nil)
	again := mergeOp()
	b.open("/review")
	op = fmt.Sprintf(`.history tr[data-op="%d"]`, again.ID)
	b.do("the second merge", chromedp.WaitVisible(chromedp.CSS(op+` .undo input`)))
	b.settle("the review page") // the queue's briefs load above the history and move it
	api(t, "POST", "/review/undo", strings.NewReader(fmt.Sprintf(`{"op":%d,"reason":"webtest: undone by a script"}`, again.ID)), nil)
	b.do("undo it again", chromedp.SendKeys(chromedp.CSS(op+` .undo input`), "webtest: undone twice"),
		chromedp.Click(chromedp.CSS(op+` .undo button[type=submit]`)))
	b.waitFor("the refusal", `document.querySelector('`+op+` .error') !== null`)
	msg := eval[string](b, `document.querySelector('`+op+` .error').textContent`)
	if !strings.Contains(msg, "undone already") || !strings.Contains(msg, fmt.Sprintf("operation %d", again.ID)) {
		t.Errorf("the refused undo reads %q; want the conflict explained and the API's message", msg)
	}
	b.waitFor("the history as it stands", `document.querySelector('`+op+`[data-undone-by]') !== null && document.querySelector('`+row+`') !== null`)
	if eval[int](b, `document.querySelectorAll('.history tr[data-op]').length`) == 0 || eval[string](b, `document.querySelector('h1').textContent`) == "" {
		t.Error("after the refusal the page lost its content")
	}
	b.shot("review-refused")

	// The GREEN viewer reads the merges, without undo and without the
	// linkage runs and undos (which name no reports: RED only).
	g := newBrowser(t)
	g.signIn("histgreen", greenPW)
	g.open("/review")
	g.waitFor("the history", fmt.Sprintf(`document.querySelector('.history tr[data-op="%d"]') !== null && document.querySelector('.history tr[data-op="%d"]') !== null`, merge.ID, again.ID))
	g.settle("the review page")
	if n := eval[int](g, `document.querySelectorAll('.history form, .history .undo, .history input').length`); n != 0 {
		t.Errorf("the GREEN viewer is offered %d undo controls", n)
	}
	if hs := eval[string](g, `document.querySelector('.history thead').innerText`); strings.Contains(hs, "Undo") {
		t.Errorf("the viewer's history has an Undo column: %q", hs)
	}
	if kinds := eval[[]string](g, `[...document.querySelectorAll('.history tr[data-op]')].map((tr) => tr.dataset.kind)`); slices.Contains(kinds, "link") || slices.Contains(kinds, "undo") {
		t.Errorf("GREEN's history holds operations of kinds %q; linkage runs and undos are for RED only", kinds)
	}
	g.shot("review-green")

	// An admin is offered the undo of a linkage run and of an undo too
	// (the test takes none: the demo's grouping stays as the other tests
	// read it).
	a := newBrowser(t)
	a.signIn(demo.admin, demo.password)
	a.open("/review")
	a.waitFor("the admin's history", `document.querySelector('.history tr[data-kind="link"]:not([data-undone-by]) .undo form') !== null`)
	if !eval[bool](a, `document.querySelector('.history tr[data-op="`+undoneBy+`"] .undo form') !== null`) {
		t.Errorf("the admin is not offered the undo of operation %s (an undo)", undoneBy)
	}
}

// TestUploadLinked uploads a case file of two reports of one attack
// through the imports page: the job says it linked them, with the run's
// figures (the admin is cleared for RED), and the two reports are one
// event.
func TestUploadLinked(t *testing.T) {
	b := newBrowser(t)
	b.signIn(demo.admin, demo.password)
	b.upload("testdata/linked-case.json")
	b.waitFor("the import's end", `(() => { const j = document.querySelector('.job'); return j && j.dataset.status !== 'running'; })()`)
	if st := eval[string](b, `document.querySelector('.job').dataset.status`); st != "done" {
		t.Fatalf("the upload ended %s: %s", st, eval[string](b, `document.querySelector('.job').innerText`))
	}
	if st := eval[string](b, `(document.querySelector('.job [data-linkage]') || { dataset: {} }).dataset.linkage || ''`); st != "linked" {
		t.Fatalf("the job's linkage reads %q (%s), want linked", st, eval[string](b, `document.querySelector('.job').innerText`))
	}
	got := eval[string](b, `document.querySelector('.job [data-linkage]').textContent`)
	if want := "Linked: 2 reports linked, 1 link made, 0 for review"; !strings.Contains(got, want) {
		t.Errorf("the job says %q, want %q", got, want)
	}
	b.shot("upload-linked")
	var list struct {
		Items []struct {
			ID        int64   `json:"id"`
			ReportIDs []int64 `json:"report_ids"`
		} `json:"items"`
	}
	api(t, "GET", "/events"+query(url.Values{"country": {"AF"}, "from": {"2023-08-14"}, "to": {"2023-08-14"}, "actor": {"ISKP"}}), nil, &list)
	if len(list.Items) != 1 || len(list.Items[0].ReportIDs) != 2 {
		t.Errorf("after the upload Charikar's attack is %+v, want one event of the two reports", list.Items)
	}
}

// upload sends the file at path (relative to webtest/) from the imports
// page.
func (b *browser) upload(path string) {
	b.t.Helper()
	file, err := filepath.Abs(path)
	if err != nil {
		b.t.Fatal(err)
	}
	b.open("/imports")
	b.settle("the page, to upload " + path)
	b.do("upload "+path, chromedp.WaitVisible(chromedp.CSS("#upload-file")),
		chromedp.SetUploadFiles(chromedp.CSS("#upload-file"), []string{file}),
		chromedp.Click(chromedp.CSS(`.upload button[type=submit]`)))
}

// TestMergeAcrossMarkings uploads one attack as two public reports and an
// AMBER one: linkage leaves the AMBER report apart, for review. Merging the
// pair from the queue asks first, naming the markings, and the merge goes
// ahead, recorded as meant, once the person agrees.
func TestMergeAcrossMarkings(t *testing.T) {
	b := newBrowser(t)
	b.signIn(demo.admin, demo.password)
	b.upload("testdata/same-attack-case.json")
	b.waitFor("the upload's linkage", `(() => { const j = document.querySelector('.job [data-linkage]'); return j && j.dataset.linkage === 'linked'; })()`)
	var queue []struct {
		ID          int64    `json:"id"`
		Explanation []string `json:"explanation"`
	}
	api(t, "GET", "/review", nil, &queue)
	var id int64
	for _, it := range queue {
		if len(it.Explanation) > 0 && strings.Contains(it.Explanation[len(it.Explanation)-1], "different markings") {
			id = it.ID
		}
	}
	if id == 0 {
		t.Fatalf("no review item of reports of different markings among %d", len(queue))
	}
	b.open("/review")
	item := fmt.Sprintf(`.reviewitem[data-item="%d"]`, id)
	b.do("the pair's page", chromedp.WaitVisible(chromedp.CSS(item)))
	// Each pair's events load on their own and move the items below them
	// down the page: a click aimed before they settle lands elsewhere.
	b.settle("the review page")
	// The page asks with window.confirm; the person agrees, and the
	// question is kept to check it.
	b.do("agree to what the page asks", chromedp.Evaluate[chromedp.Void](`window.asked = ''; window.confirm = (q) => { window.asked = q; return true; }; undefined`))
	b.do("merge", chromedp.SendKeys(chromedp.CSS(item+` input[aria-label="Merge: one incident: reason"]`), "webtest: one attack"),
		chromedp.Click(chromedp.CSS(item+` .decision button[type=submit]`)))
	b.waitFor("the merge's answer", `(() => { const it = document.querySelector('`+item+`'); return it === null || it.querySelector('.error') !== null; })()`)
	if left := eval[string](b, `(document.querySelector('`+item+`') || { innerText: '' }).innerText`); left != "" {
		t.Fatalf("the pair stays on the queue, asked %q:\n%s", eval[string](b, `window.asked`), left)
	}
	if asked := eval[string](b, `window.asked`); !strings.Contains(asked, "AMBER") || !strings.Contains(asked, "CLEAR") {
		t.Errorf("the page asked %q; want the markings named", asked)
	}
	var ops []struct {
		Kind           string `json:"kind"`
		Reason         string `json:"reason"`
		AcrossMarkings bool   `json:"across_markings"`
	}
	api(t, "GET", "/review/history", nil, &ops)
	if len(ops) == 0 || ops[0].Kind != "merge" || ops[0].Reason != "webtest: one attack" || !ops[0].AcrossMarkings {
		t.Errorf("the history begins %+v; want the merge, recorded as across markings", ops[:min(len(ops), 1)])
	}
}
