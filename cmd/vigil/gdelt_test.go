package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/vigil-osint/vigil/ingest/gdelt"
)

// gdeltRow writes a GDELT 2.0 export row with the values given by name.
func gdeltRow(kv ...string) string {
	at := map[string]int{}
	for i, c := range gdelt.Columns {
		at[c] = i
	}
	fields := make([]string, len(gdelt.Columns))
	for i := 0; i+1 < len(kv); i += 2 {
		fields[at[kv[i]]] = kv[i+1]
	}
	return strings.Join(fields, "\t")
}

// TestImportGDELT imports a GDELT 2.0 export as a user would: its events of
// violence are stored as reports that vigil link groups (GDELT's two rows
// of "ISLAMIC STATE" bombing the Russian embassy in Kabul one event,
// attributed to ISKP by the rule, the province filled from the point), a
// statement is
// skipped and counted, a bad date rejected by file, line and field; the
// same file again changes nothing.
func TestImportGDELT(t *testing.T) {
	dir := t.TempDir()
	db, file := filepath.Join(dir, "v.db"), filepath.Join(dir, "20220905080000.export.CSV")
	common := []string{"MonthYear", "202209", "Year", "2022", "IsRootEvent", "1", "QuadClass", "4", "NumMentions", "12", "NumSources", "4", "NumArticles", "12",
		"ActionGeo_Type", "4", "ActionGeo_CountryCode", "AF", "DATEADDED", "20220905080000"}
	rows := []string{
		gdeltRow(append(common, "GLOBALEVENTID", "1056371001", "SQLDATE", "20220905", "Actor1Name", "ISLAMIC STATE", "Actor2Name", "RUSSIA",
			"EventCode", "1831", "EventBaseCode", "183", "EventRootCode", "18", "ActionGeo_FullName", "Kabul, Kabol, Afghanistan",
			"ActionGeo_Lat", "34.5167", "ActionGeo_Long", "69.1833", "SOURCEURL", "https://example.org/russian-embassy-kabul")...),
		gdeltRow(append(common, "GLOBALEVENTID", "1056371002", "SQLDATE", "20220905", "Actor1Name", "TALIBAN", "Actor2Name", "MILITANT",
			"EventCode", "190", "EventBaseCode", "190", "EventRootCode", "19", "ActionGeo_FullName", "Jalalabad, Nangarhar, Afghanistan",
			"ActionGeo_Lat", "34.4265", "ActionGeo_Long", "70.4515")...),
		gdeltRow(append(common, "GLOBALEVENTID", "1056371003", "SQLDATE", "20220905", "Actor1Name", "TALIBAN",
			"EventCode", "010", "EventBaseCode", "010", "EventRootCode", "01", "ActionGeo_Lat", "34.5167", "ActionGeo_Long", "69.1833")...),
		gdeltRow(append(common, "GLOBALEVENTID", "1056371004", "SQLDATE", "2022-09-05", "Actor1Name", "TALIBAN",
			"EventCode", "193", "EventBaseCode", "193", "EventRootCode", "19", "ActionGeo_Lat", "34.5167", "ActionGeo_Long", "69.1833")...),
		// The bombing again, read from another article.
		gdeltRow(append(common, "GLOBALEVENTID", "1056371005", "SQLDATE", "20220905", "Actor1Name", "ISLAMIC STATE", "Actor2Name", "RUSSIA",
			"EventCode", "1831", "EventBaseCode", "183", "EventRootCode", "18", "ActionGeo_FullName", "Kabul, Kabol, Afghanistan",
			"ActionGeo_Lat", "34.5167", "ActionGeo_Long", "69.1833", "SOURCEURL", "https://example.org/embassy-blast")...),
	}
	if err := os.WriteFile(file, []byte(strings.Join(rows, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := vigilRun(t, "--db", db, "import", "gdelt", file)
	if code != 3 || !strings.Contains(out, "read 5, new 3, unchanged 0, updated 0, rejected 1, skipped 1") ||
		!strings.Contains(errOut, file+":4: SQLDATE: ") {
		t.Fatalf("import: exit %d\n%s\n%s", code, out, errOut)
	}
	if evs := eventsJSON(t, db); len(evs) != 0 {
		t.Errorf("%d events before linkage, want none: GDELT's rows are left to vigil link", len(evs))
	}
	mustRun(t, "--db", db, "link")
	evs := eventsJSON(t, db, "--actor", "ISKP")
	if len(evs) != 1 || len(evs[0].ReportIDs) != 2 || evs[0].Corroboration != 1 || evs[0].Country != "AF" || evs[0].Admin1 != "AF-KAB" || evs[0].SubEventType != "Suicide bomb" {
		t.Fatalf("ISKP's events: %+v", evs)
	}
	if all := eventsJSON(t, db, "--country", "AF"); len(all) != 2 {
		t.Errorf("%d events in AF, want the bombing and the fight", len(all))
	}
	out, _, code = vigilRun(t, "--db", db, "import", "gdelt", file)
	if code != 3 || !strings.Contains(out, "read 5, new 0, unchanged 3, updated 0, rejected 1, skipped 1") {
		t.Errorf("again: exit %d\n%s", code, out)
	}
	if show := mustRun(t, "--db", db, "imports", "show", "1"); !regexp.MustCompile(`rejected 1, skipped 1, warnings \d+`).MatchString(show) {
		t.Errorf("imports show:\n%s", show)
	}
	if list := mustRun(t, "--db", db, "imports"); !strings.Contains(list, "SKIPPED") {
		t.Errorf("imports:\n%s", list)
	}
}
