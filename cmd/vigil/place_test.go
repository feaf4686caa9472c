package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestImportFillsAdminCodes: importing the UCDP sample codes its admin-1
// names (Nangarhar → AF-NAN), so that events can be found by code; the
// dataset's name stays in admin1_name.
func TestImportFillsAdminCodes(t *testing.T) {
	db := filepath.Join(t.TempDir(), "v.db")
	mustRun(t, "--db", db, "import", "ucdp", sample)
	want := 0
	for _, r := range sampleRows(t) {
		if r["country_id"] == "700" && strings.HasPrefix(r["adm_1"], "Nangarhar") {
			want++
		}
	}
	evs := eventsJSON(t, db, "--admin1", "AF-NAN")
	if want == 0 || len(evs) != want {
		t.Fatalf("--admin1 AF-NAN found %d events, want the sample's %d Nangarhar rows", len(evs), want)
	}
	for _, e := range evs {
		if e.Admin1 != "AF-NAN" || e.Admin1Name != "Nangarhar" || e.Admin2 == "" {
			t.Errorf("event %d: admin1 %q, name %q, admin2 %q", e.ID, e.Admin1, e.Admin1Name, e.Admin2)
		}
	}
	for _, code := range []string{"AF-KAN", "AF-HEL", "PK-KP"} {
		if n := len(eventsJSON(t, db, "--admin1", code)); n == 0 {
			t.Errorf("--admin1 %s: no events", code)
		}
	}
}

// TestImportFlagsPointOutsideCountry: a row whose coordinates lie in
// Pakistan though it says Afghanistan is stored as the source gave it,
// with a warning naming the record and where its point lies.
func TestImportFlagsPointOutsideCountry(t *testing.T) {
	dir := t.TempDir()
	recs := readCSV(t, sample)
	h := map[string]int{}
	for i, c := range recs[0] {
		h[c] = i
	}
	id := ""
	for _, r := range recs[1:] {
		if r[h["country_id"]] == "700" && id == "" {
			id = r[h["id"]]
			r[h["latitude"]], r[h["longitude"]] = "34.0151", "71.5805" // Peshawar
		}
	}
	file := filepath.Join(dir, "ged231_shifted.csv")
	writeCSV(t, file, recs)
	db := filepath.Join(dir, "v.db")
	_, stderr, code := vigilRun(t, "--db", db, "import", "ucdp", file)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	// The warning names the line the record starts on.
	m := regexp.MustCompile(regexp.QuoteMeta(file) + `:(\d+): latitude: 34\.0151, 71\.5805 lies in PK, not AF`).FindStringSubmatch(stderr)
	if m == nil {
		t.Fatalf("stderr lacks the warning file:line: latitude: … lies in PK, not AF:\n%s", stderr)
	}
	content, _ := os.ReadFile(file)
	line, _ := strconv.Atoi(m[1])
	if lines := strings.Split(string(content), "\n"); line < 1 || line > len(lines) || !strings.HasPrefix(lines[line-1], id+",") {
		t.Errorf("the warning names line %d, which is not the record of id %s", line, id)
	}
	var found bool
	for _, e := range eventsJSON(t, db, "--country", "AF") {
		if e.Key == "ucdp-ged:"+id {
			found = true
			if e.Admin1 == "PK-KP" || *e.Latitude != 34.0151 {
				t.Errorf("event kept as given? admin1 %q, latitude %v", e.Admin1, *e.Latitude)
			}
		}
	}
	if !found {
		t.Errorf("event ucdp-ged:%s is not stored in Afghanistan as the source gave it", id)
	}
}

// TestImportWikilist imports both lists: every row is taken, the summary
// of how they located is printed, and ISKP's events span Afghanistan and
// Pakistan, 2015–2019.
func TestImportWikilist(t *testing.T) {
	db := filepath.Join(t.TempDir(), "v.db")
	files := []string{"../../testdata/wikipedia/wikipedia_terrorist_incidents_2015_2019_region.csv", "../../testdata/wikipedia/wikipedia_terrorist_incidents_2016q4_region.csv"}
	out, stderr, code := vigilRun(t, append([]string{"--db", db, "import", "wikilist"}, files...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"read 1143, new 1143, unchanged 0, updated 0, rejected 0", "read 89, new 89"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(stderr, "1143 rows, 1143 located (precision 1 exact place:") {
		t.Errorf("no summary of the locations:\n%s", stderr)
	}
	years := map[string]bool{}
	for _, e := range eventsJSON(t, db, "--actor", "ISKP", "--country", "AF,PK") {
		years[e.Country+e.DateStart.String()[:4]] = true
	}
	for _, k := range []string{"AF2015", "AF2016", "AF2017", "AF2018", "AF2019", "PK2017", "PK2018"} {
		if !years[k] {
			t.Errorf("no ISKP event in %s", k)
		}
	}
	again := mustRun(t, append([]string{"--db", db, "import", "wikilist"}, files...)...)
	if !strings.Contains(again, "read 1143, new 0, unchanged 1143") {
		t.Errorf("importing again: %s", again)
	}
}
