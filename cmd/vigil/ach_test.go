package main

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/vigil-osint/vigil/watch"
)

// newEvents is a case file of two ISKP attacks in Afghanistan in early
// 2024, one in a province (Badakhshan) the demo case never saw.
const newEvents = `{"title": "test", "sources": [{"name": "Test wire", "kind": "news", "reliability": "B"}],
 "documents": [
  {"source": "Test wire", "key": "t-1", "title": "Bombing in Faizabad", "tlp": "CLEAR", "published": "2024-02-10",
   "reports": [{"event_key": "t-1", "date_start": "2024-02-10", "date_end": "2024-02-10", "date_precision": 1,
     "place": "Faizabad", "latitude": 37.1166, "longitude": 70.58, "country": "AF", "admin1": "AF-BDS", "admin1_name": "Badakhshan",
     "location_precision": 1, "event_type": "Explosions/Remote violence", "sub_event_type": "Suicide bomb",
     "actors": [{"name": "ISKP", "role": "perpetrator", "attribution": "claimed"}],
     "killed": {"low": 5, "best": 5, "high": 5}, "credibility": 2}]},
  {"source": "Test wire", "key": "t-2", "title": "Bombing in Kabul", "tlp": "CLEAR", "published": "2024-03-01",
   "reports": [{"event_key": "t-2", "date_start": "2024-03-01", "date_end": "2024-03-01", "date_precision": 1,
     "place": "Kabul", "latitude": 34.528, "longitude": 69.172, "country": "AF", "admin1": "AF-KAB", "admin1_name": "Kabul",
     "location_precision": 1, "event_type": "Explosions/Remote violence", "sub_event_type": "Suicide bomb",
     "actors": [{"name": "ISKP", "role": "perpetrator", "attribution": "claimed"}],
     "killed": {"low": 3, "best": 3, "high": 3}, "credibility": 2}]}
 ]}`

type achShow struct {
	Hypotheses []struct {
		ID                    string  `json:"id"`
		Title                 string  `json:"title"`
		Inconsistency         float64 `json:"inconsistency"`
		WeightedInconsistency float64 `json:"weighted_inconsistency"`
		Rank                  int     `json:"rank"`
	} `json:"hypotheses"`
	Evidence []struct {
		ID         string `json:"id"`
		Title      string `json:"title"`
		Source     string `json:"source"`
		Diagnostic bool   `json:"diagnostic"`
	} `json:"evidence"`
	Ratings []struct {
		Evidence, Hypothesis, Analyst, Rating string
		Consensus                             bool
	} `json:"ratings"`
	Matrix [][]struct {
		Rating string `json:"rating"`
		Basis  string `json:"basis"`
	} `json:"matrix"`
	Sensitivity []struct {
		Evidence       string `json:"evidence"`
		DropTopChanges bool   `json:"drop_top_changes"`
	} `json:"sensitivity"`
}

func showCase(t *testing.T, db string) achShow {
	t.Helper()
	var s achShow
	out := mustRun(t, "--db", db, "ach", "show", "iskp", "--format", "json")
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("ach show JSON: %v\n%s", err, out[:min(500, len(out))])
	}
	return s
}

func cell(s achShow, e, h string) (rating, basis string) {
	for i, ev := range s.Evidence {
		if ev.ID != e {
			continue
		}
		for j, hy := range s.Hypotheses {
			if hy.ID == h {
				return s.Matrix[i][j].Rating, s.Matrix[i][j].Basis
			}
		}
	}
	return "", ""
}

// TestACHCaseEndToEnd loads the demo's ACH case file on the demo's
// incidents, shows it in every format, then imports new events: an
// indicator item changes its rating, its history keeps both values, and a
// watch rule fires to a real local webhook.
func TestACHCaseEndToEnd(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "v.db")
	mustRun(t, "--db", db, "import", "case", "../../data/demo/iskp-case.json")
	out := mustRun(t, "--db", db, "ach", "import", "../../data/demo/iskp-ach.json")
	if !strings.Contains(out, "case iskp: 4 hypotheses, 20 items") {
		t.Errorf("ach import said %q", out)
	}

	var list []struct{ ID, Title string }
	must(t, json.Unmarshal([]byte(mustRun(t, "--db", db, "ach", "list", "--format", "json")), &list))
	if len(list) != 1 || list[0].ID != "iskp" || list[0].Title == "" {
		t.Fatalf("ach list = %+v", list)
	}

	s := showCase(t, db)
	if len(s.Hypotheses) != 4 || len(s.Evidence) != 20 || len(s.Ratings) == 0 {
		t.Fatalf("ach show: %d hypotheses, %d items, %d ratings", len(s.Hypotheses), len(s.Evidence), len(s.Ratings))
	}
	ranks := map[string]int{}
	for _, h := range s.Hypotheses {
		ranks[h.ID] = h.Rank
	}
	if ranks["H4"] != 1 {
		t.Errorf("ranks %v: want the transregional hypothesis first on the demo's evidence", ranks)
	}
	diag := map[string]bool{}
	for _, e := range s.Evidence {
		diag[e.ID] = e.Diagnostic
		if e.Source == "" && !strings.HasPrefix(e.Title, "Attacks") && !strings.HasPrefix(e.Title, "Countries") && !strings.HasPrefix(e.Title, "Share") {
			t.Errorf("item %s has no source", e.ID)
		}
	}
	if diag["E12"] || !diag["E9"] {
		t.Errorf("diagnostic E12 %v (rated C everywhere: want false), E9 %v (want true)", diag["E12"], diag["E9"])
	}
	analysts := map[string]bool{}
	for _, r := range s.Ratings {
		analysts[r.Analyst] = true
	}
	if !analysts["analyst-1"] || !analysts["analyst-2"] {
		t.Errorf("ratings by %v, want two analysts", analysts)
	}
	before, basis := cell(s, "E19", "H1")
	if before != "C" || basis != "indicator" {
		t.Fatalf("E19/H1 = %s (%s), want C from the indicator: no attacks in Afghanistan in the 12 months to Crocus City Hall", before, basis)
	}
	table := mustRun(t, "--db", db, "ach", "show", "iskp")
	for _, want := range []string{"Matrix", "Prove nothing", "E12", "Sensitivity", "WEIGHTED", "H4"} {
		if !strings.Contains(table, want) {
			t.Errorf("ach show lacks %q:\n%s", want, table)
		}
	}

	csvPath, htmlPath := filepath.Join(dir, "m.csv"), filepath.Join(dir, "m.html")
	mustRun(t, "--db", db, "ach", "show", "iskp", "--format", "csv", "--out", csvPath)
	f, err := os.Open(csvPath)
	must(t, err)
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	must(t, err)
	if len(recs) != 1+20+3 || !slices.Contains(recs[0], "H4") || recs[len(recs)-1][0] != "rank" {
		t.Errorf("CSV: %d rows, header %v", len(recs), recs[0])
	}

	// Markup in a title reaches the HTML escaped.
	mustRun(t, "--db", db, "ach", "hypothesis", "add", "iskp", "H5", `<script>alert(1)</script> & co`)
	mustRun(t, "--db", db, "ach", "show", "iskp", "--format", "html", "--out", htmlPath)
	page, err := os.ReadFile(htmlPath)
	must(t, err)
	if strings.Contains(string(page), "<script>alert") || !strings.Contains(string(page), "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co") {
		t.Errorf("HTML does not escape the hypothesis title")
	}

	// Rating: an analyst's own, then a consensus.
	mustRun(t, "--db", db, "ach", "rate", "iskp", "E12", "H5", "N", "--analyst", "analyst-1", "--rationale", "a campaign says nothing here")
	_, errOut, code := vigilRun(t, "--db", db, "ach", "rate", "iskp", "E12", "H5", "maybe", "--analyst", "x")
	if code == 0 || !strings.Contains(errOut, "want CC, C, N, I, II or NA") {
		t.Errorf("a bad rating: exit %d, %q", code, errOut)
	}

	// A webhook on 127.0.0.1 and a rule watching for new provinces.
	var mu sync.Mutex
	var got [][]byte
	var sigOK []bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, b)
		sigOK = append(sigOK, watch.Verify([]byte("s3cret"), r.Header.Get(watch.HeaderTimestamp), b, r.Header.Get(watch.HeaderSignature)))
		mu.Unlock()
	}))
	defer srv.Close()
	t.Setenv(webhookSecretEnv, "s3cret")
	mustRun(t, "--db", db, "watch", "add", "iskp-units", "--kind", "new-unit", "--actor", "ISKP", "--webhook", srv.URL)
	mustRun(t, "--db", db, "watch", "add", "iskp-ranking", "--kind", "ach-ranking", "--case", "iskp")

	// Data lands.
	newFile := filepath.Join(dir, "new.json")
	must(t, os.WriteFile(newFile, []byte(newEvents), 0o644))
	_, errOut, code = vigilRun(t, "--db", db, "import", "case", newFile)
	if code != 0 {
		t.Fatalf("import: exit %d: %s", code, errOut)
	}
	if !strings.Contains(errOut, "indicators changed: ") || !strings.Contains(errOut, "E19") {
		t.Errorf("the import did not report E19 changing:\n%s", errOut)
	}
	if !strings.Contains(errOut, "struck a new province: AF-BDS") || !strings.Contains(errOut, "delivered") {
		t.Errorf("the import did not raise and deliver the new-province alert:\n%s", errOut)
	}
	after, _ := cell(showCase(t, db), "E19", "H1")
	if after != "I" {
		t.Errorf("E19/H1 after two new attacks in Afghanistan = %s, want I", after)
	}
	var hist struct {
		Values []struct {
			Evidence string  `json:"evidence"`
			Value    float64 `json:"value"`
			Met      bool    `json:"met"`
		} `json:"indicator_values"`
	}
	must(t, json.Unmarshal([]byte(mustRun(t, "--db", db, "ach", "history", "iskp", "--format", "json")), &hist))
	var e19 []float64
	for _, v := range hist.Values {
		if v.Evidence == "E19" {
			e19 = append(e19, v.Value)
		}
	}
	if !slices.Equal(e19, []float64{0, 2}) {
		t.Errorf("E19's history = %v, want 0 then 2", e19)
	}

	mu.Lock()
	defer mu.Unlock()
	if len(got) != 1 || !sigOK[0] || !strings.Contains(string(got[0]), "AF-BDS") {
		t.Errorf("webhook got %d posts (signatures %v): %q", len(got), sigOK, got)
	}
	alerts := mustRun(t, "--db", db, "watch")
	if !strings.Contains(alerts, "AF-BDS") || !strings.Contains(alerts, "yes") {
		t.Errorf("vigil watch:\n%s", alerts)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestACHHistoryByClearance imports the two new attacks marked AMBER: the
// RED history (the default, as before) records E19's value moving from 0
// to 2, GREEN's keeps 0, computed without them, and AMBER's has both.
func TestACHHistoryByClearance(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "v.db")
	mustRun(t, "--db", db, "import", "case", "../../data/demo/iskp-case.json")
	mustRun(t, "--db", db, "ach", "import", "../../data/demo/iskp-ach.json")
	amber := filepath.Join(dir, "amber.json")
	must(t, os.WriteFile(amber, []byte(strings.ReplaceAll(newEvents, `"tlp": "CLEAR"`, `"tlp": "AMBER"`)), 0o644))
	mustRun(t, "--db", db, "import", "case", amber)
	mustRun(t, "--db", db, "ach", "refresh", "iskp")

	e19 := func(args ...string) (values []float64, clearances []string) {
		t.Helper()
		var hist struct {
			Values []struct {
				Evidence  string  `json:"evidence"`
				Value     float64 `json:"value"`
				Clearance string  `json:"clearance"`
			} `json:"indicator_values"`
		}
		must(t, json.Unmarshal([]byte(mustRun(t, append([]string{"--db", db, "ach", "history", "iskp", "--format", "json"}, args...)...)), &hist))
		for _, v := range hist.Values {
			if v.Evidence == "E19" {
				values, clearances = append(values, v.Value), append(clearances, v.Clearance)
			}
		}
		return values, clearances
	}
	for _, tt := range []struct {
		args  []string
		want  []float64
		level string
	}{
		{nil, []float64{0, 2}, "RED"},
		{[]string{"--tlp", "red"}, []float64{0, 2}, "RED"},
		{[]string{"--tlp", "AMBER"}, []float64{0, 2}, "AMBER"},
		{[]string{"--tlp", "TLP:GREEN"}, []float64{0}, "GREEN"},
		{[]string{"--tlp", "clear"}, []float64{0}, "CLEAR"},
	} {
		got, levels := e19(tt.args...)
		if !slices.Equal(got, tt.want) || slices.ContainsFunc(levels, func(l string) bool { return l != tt.level }) {
			t.Errorf("ach history %v: E19 = %v at %v, want %v at %s", tt.args, got, levels, tt.want, tt.level)
		}
	}
	table := mustRun(t, "--db", db, "ach", "history", "iskp", "--tlp", "green")
	if !strings.Contains(table, "Indicator values:") || !strings.Contains(table, "Rankings:") || !strings.Contains(table, "E19") {
		t.Errorf("ach history --tlp green:\n%s", table)
	}
	if _, errOut, code := vigilRun(t, "--db", db, "ach", "history", "iskp", "--tlp", "purple"); code == 0 || !strings.Contains(errOut, "--tlp") {
		t.Errorf("--tlp purple: exit %d, %q", code, errOut)
	}
}

// TestACHRateAudited rates cells from the terminal and reads the audit log:
// each rating is one entry by cli:$USER with the cell as it was before (the
// same analyst's earlier rating, or none) and as it is after, and the chain
// verifies. Without the audit, a rating made at the terminal left no trace.
func TestACHRateAudited(t *testing.T) {
	db := filepath.Join(t.TempDir(), "v.db")
	mustRun(t, "--db", db, "import", "case", "../../data/demo/iskp-case.json")
	mustRun(t, "--db", db, "ach", "import", "../../data/demo/iskp-ach.json")
	t.Setenv("USER", "walker")
	for i, tc := range []struct {
		args          []string
		before, after string // the rating before (""=none) and after
	}{
		{[]string{"E8", "H2", "C", "--analyst", "zoe", "--rationale", "first"}, "", "C"},
		{[]string{"E8", "H2", "ii", "--analyst", "zoe", "--rationale", "second"}, "C", "II"},
		{[]string{"E8", "H2", "N", "--analyst", "zoe", "--consensus"}, "", "N"},
	} {
		mustRun(t, append([]string{"--db", db, "ach", "rate", "iskp"}, tc.args...)...)
		var es []struct {
			Seq           int64
			Actor, Action string
			Object        string
			Before, After json.RawMessage
		}
		must(t, json.Unmarshal([]byte(mustRun(t, "--db", db, "audit", "list", "--format", "json")), &es))
		if len(es) != i+1 {
			t.Fatalf("rating %d: %d audit entries, want %d", i, len(es), i+1)
		}
		e := es[len(es)-1]
		if e.Actor != "cli:walker" || e.Action != "ach.rate" || e.Object != "ach/iskp" {
			t.Errorf("rating %d: entry %+v", i, e)
		}
		rating := func(raw json.RawMessage) string {
			var r struct{ Rating string }
			if len(raw) > 0 && string(raw) != "null" {
				must(t, json.Unmarshal(raw, &r))
			}
			return r.Rating
		}
		if got := rating(e.Before); got != tc.before {
			t.Errorf("rating %d: before %q (%s), want %q", i, got, e.Before, tc.before)
		}
		if got := rating(e.After); got != tc.after {
			t.Errorf("rating %d: after %q (%s), want %q", i, got, e.After, tc.after)
		}
	}
	if out := mustRun(t, "--db", db, "audit", "verify"); !strings.Contains(out, "intact: 3 entries") {
		t.Errorf("audit verify: %s", out)
	}
	// An analyst's rating of an indicator item is kept but does not count:
	// the command says so, and says nothing of a statement's.
	for _, tc := range []struct {
		item string
		note bool
	}{{"E16", true}, {"E15", false}} {
		_, errOut, code := vigilRun(t, "--db", db, "ach", "rate", "iskp", tc.item, "H2", "CC", "--analyst", "zoe")
		if code != 0 || strings.Contains(errOut, "is an indicator") != tc.note {
			t.Errorf("rating %s: exit %d, stderr %q; want a note: %v", tc.item, code, errOut, tc.note)
		}
	}
}
