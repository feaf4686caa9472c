package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-osint/vigil/analysis"
)

// indicatorsOut runs vigil indicators --format json and decodes it.
func indicatorsOut(t *testing.T, db string, args ...string) indicatorsJSON {
	t.Helper()
	out := mustRun(t, append([]string{"--db", db, "indicators", "--format", "json"}, args...)...)
	var got indicatorsJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("indicators JSON: %v\n%s", err, out[:min(len(out), 500)])
	}
	return got
}

func period(t *testing.T, ind indicatorsJSON, name string) analysis.Period {
	t.Helper()
	for _, p := range ind.Periods {
		if p.Period == name {
			return p
		}
	}
	t.Fatalf("no period %s in %d periods", name, len(ind.Periods))
	return analysis.Period{}
}

// TestIndicatorsUCDPSample checks cells against the real sample, read
// here independently and checked by hand: Afghanistan (country_id 700)
// has 69 rows; 2021 holds 7 (ids 381442 386422 387642 406363 407069
// 408655 414226) in 6 provinces, with the file's low/best/high summing to
// 53/53/55. vigil widens the two rows whose best lies outside their range
// (386422: best 11 below low 12; 381442: best 12 above high 11), so the
// sums are 52/53/56.
func TestIndicatorsUCDPSample(t *testing.T) {
	db := filepath.Join(t.TempDir(), "v.db")
	mustRun(t, "--db", db, "import", "ucdp", sample)
	ind := indicatorsOut(t, db, "--country", "AF", "--by", "year")
	if ind.Total.Events != 69 {
		t.Errorf("Afghanistan: %d events, want 69", ind.Total.Events)
	}
	p := period(t, ind, "2021")
	if p.Events != 7 || p.Killed.Low != 52 || p.Killed.Best != 53 || p.Killed.High != 56 || p.Killed.Unknown != 0 {
		t.Errorf("2021: %d events, killed %+v; want 7 and 52/53/56", p.Events, p.Killed)
	}
	if p.Admin1Units != 6 || p.Countries != 1 || p.Wounded.Unknown != 7 {
		t.Errorf("2021: %d admin-1 units, %d countries, wounded %+v; want 6, 1, and all 7 unknown (UCDP gives no wounded)", p.Admin1Units, p.Countries, p.Wounded)
	}
	if p.Lethality.Best < 7.57 || p.Lethality.Best > 7.58 {
		t.Errorf("2021 lethality = %v, want 53/7 = 7.57", p.Lethality.Best)
	}
	// 2015: 4 rows, best 234, one without an admin-1 (3 units).
	if p := period(t, ind, "2015"); p.Events != 4 || p.Killed.Best != 234 || p.Admin1Units != 3 {
		t.Errorf("2015: %d events, best %d, %d units; want 4, 234, 3", p.Events, p.Killed.Best, p.Admin1Units)
	}
	// Empty years are listed, with zeros.
	if p := period(t, ind, "1990"); p.Events != 0 || p.Killed.Best != 0 || p.Centroid != nil || len(p.EventIDs) != 0 {
		t.Errorf("1990 = %+v, want an empty period", p)
	}
	// The events under 2021 are those events list returns for 2021.
	evs := eventsJSON(t, db, "--country", "AF", "--from", "2021-01-01", "--to", "2021-12-31")
	var want []int64
	for _, e := range evs {
		want = append(want, e.ID)
	}
	got := slices.Clone(p.EventIDs)
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("2021 event ids = %v, want %v", got, want)
	}
	// Every range stays ordered.
	for _, p := range append(ind.Periods, ind.Total) {
		if !(p.Killed.Low <= p.Killed.Best && p.Killed.Best <= p.Killed.High) {
			t.Errorf("%s: killed %+v out of order", p.Period, p.Killed)
		}
	}
}

func TestIndicatorsFormatsAndFlags(t *testing.T) {
	db := filepath.Join(t.TempDir(), "v.db")
	mustRun(t, "--db", db, "import", "ucdp", sample)
	tests := []struct {
		name string
		args []string
		want []string // substrings of stdout
	}{
		{"table", []string{"--country", "AF", "--by", "year"}, []string{"PERIOD", "2021    7", "Trends", "Warnings"}},
		{"quarter labels", []string{"--country", "AF", "--by", "quarter", "--format", "csv"}, []string{"2021-Q1,2021-01-01,2021-03-31"}},
		{"week labels", []string{"--country", "AF", "--by", "week", "--from", "2021-01-01", "--to", "2021-01-31", "--format", "csv"}, []string{"2021-W03,2021-01-18,2021-01-24"}},
		{"month labels", []string{"--country", "AF", "--by", "month", "--from", "2021-05-01", "--format", "json"}, []string{`"period": "2021-05"`, `"event_ids"`, `"target_entropy"`, `"trends"`, `"warnings"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := mustRun(t, append([]string{"--db", db, "indicators"}, tt.args...)...)
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out[:min(len(out), 1500)])
				}
			}
		})
	}
	bad := []struct {
		name string
		args []string
		want string
	}{
		{"bad period", []string{"--by", "decade"}, "--by"},
		{"bad format", []string{"--format", "xml"}, "--format"},
		{"bad as-of", []string{"--as-of", "yesterday"}, "--as-of"},
		{"bad vs-from", []string{"--vs-from", "2020"}, "--vs-from"},
		{"from after to", []string{"--from", "2022-01-01", "--to", "2021-01-01"}, "--from 2022-01-01 is after --to 2021-01-01"},
		{"vs-from after vs-to", []string{"--vs-from", "2022-01-01", "--vs-to", "2021-01-01"}, "--vs-from 2022-01-01 is after --vs-to 2021-01-01"},
		{"negative bootstrap", []string{"--bootstrap", "-5"}, "--bootstrap -5: want 0–1000"},
		{"too many resamples", []string{"--bootstrap", "5000"}, "--bootstrap 5000: want 0–1000"},
		{"a mistyped year", []string{"--by", "week", "--from", "0001-01-01"}, "--from 0001-01-01: the window spans 1057"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, errOut, code := vigilRun(t, append([]string{"--db", db, "indicators"}, tt.args...)...)
			if code == 0 || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stderr %q; want a failure naming %s", code, errOut, tt.want)
			}
		})
	}
	// CSV: one row per period and the total, ids space-separated.
	out := mustRun(t, "--db", db, "indicators", "--country", "AF", "--by", "year", "--format", "csv")
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := slices.Index(rows[0], "event_ids")
	last := rows[len(rows)-1]
	if last[0] != "total" || len(strings.Fields(last[col])) != 69 {
		t.Errorf("CSV total row = %v, want 69 event ids", last[:5])
	}
	// UCDP gives no wounded: the CSV says all 69 are unknown, not that
	// none was wounded.
	for _, c := range []struct {
		name, want string
	}{{"wounded_best", "0"}, {"wounded_unknown", "69"}, {"killed_unknown", "0"}} {
		if i := slices.Index(rows[0], c.name); i < 0 || last[i] != c.want {
			t.Errorf("CSV total %s = %v (column %d), want %s", c.name, last, i, c.want)
		}
	}
}

// TestIndicatorsDemo: the ISKP case, with a home area and a comparison.
func TestIndicatorsDemo(t *testing.T) {
	db := filepath.Join(t.TempDir(), "demo.db")
	mustRun(t, "--db", db, "demo")
	ind := indicatorsOut(t, db, "--actor", "ISKP", "--by", "year", "--home", "AF-NAN,Kunar")
	if !slices.Equal(ind.Home, []string{"AF-NAN", "AF-KNR"}) {
		t.Errorf("home = %v, want the names resolved to AF-NAN, AF-KNR", ind.Home)
	}
	entered := map[string]string{}
	for _, e := range ind.Total.NewAdmin1Units {
		entered[e.Key] = e.Date.String()
	}
	// The rockets across the Amu Darya: Termez on 18 April 2022 is the
	// first event in Surxondaryo; Khatlon is entered too.
	if entered["UZ-SU"] != "2022-04-18" || entered["TJ-KT"] == "" || entered["RU-MOS"] == "" {
		t.Errorf("first entries = %v, want UZ-SU on 2022-04-18, TJ-KT and RU-MOS", entered)
	}
	// A unit written as a name by UCDP and as a code by the case file is
	// one unit.
	for _, u := range ind.Total.Admin1List {
		if !regexp.MustCompile(`^[A-Z]{2}-[A-Z0-9]+$`).MatchString(u.Key) && u.Key != "" {
			t.Errorf("unit %q (%s) is not resolved to its code", u.Key, u.Name)
		}
	}
	if s := ind.Total.OutsideHome; s == nil || s.Of == 0 || s.N == s.Of || s.Low > s.Share || s.High < s.Share {
		t.Errorf("outside home = %+v, want some events at home and an interval around the share", s)
	}
	if f := ind.Total.Farthest; f == nil || f.Country != "RU" || f.Km < 3000 {
		t.Errorf("farthest = %+v, want Crocus City Hall near Moscow, over 3,000 km", f)
	}
	// Period against period.
	cmp := indicatorsOut(t, db, "--actor", "ISKP", "--by", "year", "--from", "2019-01-01", "--to", "2020-12-31",
		"--vs-from", "2022-01-01", "--vs-to", "2023-12-31").Comparison
	if cmp == nil || cmp.A.Days != 731 || cmp.B.Days != 730 || !cmp.EventRate.OK || !slices.Contains(cmp.Admin1OnlyB, "UZ UZ-SU") || len(cmp.EventsOnlyA) != cmp.A.Total.Events {
		t.Errorf("comparison 2019–20 vs 2022–23 = %+v", cmp)
	}
	// As known on a day before anything was recorded: nothing.
	then := indicatorsOut(t, db, "--actor", "ISKP", "--as-of", "2000-01-01", "--vs-as-of", "now")
	if then.Total.Events != 0 || then.Comparison == nil || len(then.Comparison.EventsOnlyB) != ind.Total.Events {
		t.Errorf("as of 2000: %d events, comparison %+v; want none then and all %d now", then.Total.Events, then.Comparison, ind.Total.Events)
	}
}

func TestBrief(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "demo.db")
	mustRun(t, "--db", db, "demo")
	html := filepath.Join(dir, "brief.html")
	mustRun(t, "--db", db, "brief", "--actor", "ISKP", "--by", "year", "--home", "AF-NAN,AF-KNR", "--out", html, "--title", `<script>alert(1)</script>`)
	b, err := os.ReadFile(html)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, want := range []string{"<svg", "Tempo: events per year", "Spread: admin-1 units", "Targets: share", `id="e-`, `href="#e-`, `id="p-2022"`,
		"Warnings", "Voice of Khurasan", "&lt;script&gt;alert(1)&lt;/script&gt;", "Blue outline: the home area"} {
		if !strings.Contains(s, want) {
			t.Errorf("brief lacks %q", want)
		}
	}
	if strings.Contains(s, "<script>") {
		t.Error("brief holds an unescaped <script>")
	}
	// Every event linked from a figure is in the appendix.
	for _, m := range regexp.MustCompile(`href="#e-(\d+)"`).FindAllStringSubmatch(s, -1) {
		if !strings.Contains(s, `id="e-`+m[1]+`"`) {
			t.Errorf("link to event %s has no target", m[1])
			break
		}
	}
	md := filepath.Join(dir, "brief.md")
	mustRun(t, "--db", db, "brief", "--actor", "ISKP", "--by", "year", "--out", md)
	b, err = os.ReadFile(md)
	if err != nil {
		t.Fatal(err)
	}
	if s := string(b); !strings.Contains(s, "](data:image/svg+xml;base64,") || !strings.Contains(s, "| period | events |") {
		t.Errorf("Markdown brief lacks its charts or table:\n%s", s[:min(len(s), 800)])
	}
	_, errOut, code := vigilRun(t, "--db", db, "brief", "--out", filepath.Join(dir, "brief.pdf"))
	if code == 0 || !strings.Contains(errOut, "--out") {
		t.Errorf("brief.pdf: exit %d, %q; want a failure naming --out", code, errOut)
	}

}

// TestEstimateText: a figure shows its interval only when one was drawn;
// low = high = the figure (no bootstrap, one event) shows the figure alone.
func TestEstimateText(t *testing.T) {
	for _, tt := range []struct {
		v, lo, hi float64
		unit      string
		want      string
	}{
		{284, 145, 469, "", "284 (145–469)"},
		{23, 0, 23, "", "23 (0–23)"},
		{23, 23, 23, "", "23"},
		{70, 52, 85, "%", "70% (52–85)"},
		{100, 100, 100, "%", "100%"},
	} {
		if got := estimateText(tt.v, tt.lo, tt.hi, tt.unit); got != tt.want {
			t.Errorf("estimateText(%v, %v, %v) = %q, want %q", tt.v, tt.lo, tt.hi, got, tt.want)
		}
	}
}
