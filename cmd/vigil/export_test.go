package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

const ucdpSample = "../../testdata/ucdp/ucdp_ged231_sample.csv"

// vigilIn runs the CLI against the store db and fails the test on a
// non-zero exit.
func vigilIn(t *testing.T, db string, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), append([]string{"--db", db}, args...), strings.NewReader(""), &out, &errb)
	if code != 0 {
		t.Fatalf("vigil %s: exit %d: %s", strings.Join(args, " "), code, errb.String())
	}
	return out.String()
}

// eventValues lists the events as JSON without what a store assigns (ids,
// times), keyed by event key.
func eventValues(t *testing.T, db string) map[string]map[string]any {
	t.Helper()
	var evs []map[string]any
	if err := json.Unmarshal([]byte(vigilIn(t, db, "events", "list", "--format", "json")), &evs); err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]any{}
	for _, e := range evs {
		for _, k := range []string{"id", "recorded_at", "updated_at", "report_ids", "basis"} {
			delete(e, k)
		}
		srcs, _ := e["sources"].([]any)
		for _, s := range srcs {
			delete(s.(map[string]any), "id")
		}
		cs, _ := e["contradictions"].([]any)
		for _, c := range cs {
			delete(c.(map[string]any), "sides")
		}
		out[e["key"].(string)] = e
	}
	return out
}

func sameEvents(t *testing.T, want, got map[string]map[string]any) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("got %d events, want %d", len(got), len(want))
	}
	diffs := 0
	for k, w := range want {
		if g := got[k]; !reflect.DeepEqual(g, w) {
			if diffs++; diffs <= 3 {
				t.Errorf("event %s:\n got %v\nwant %v", k, g, w)
			}
		}
	}
	if diffs > 0 {
		t.Errorf("%d events differ", diffs)
	}
}

// TestUCDPExportRoundTrip: the UCDP sample imported, exported as UCDP-like
// CSV and imported into a fresh store gives the same events and values.
func TestUCDPExportRoundTrip(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.db"), filepath.Join(dir, "b.db")
	vigilIn(t, a, "import", "ucdp", ucdpSample, "--version", "23.1")
	out := filepath.Join(dir, "ged.csv")
	vigilIn(t, a, "export", "ucdp-csv", "--out", out)
	vigilIn(t, b, "import", "ucdp", out, "--version", "23.1")
	want, got := eventValues(t, a), eventValues(t, b)
	if len(want) != 905 {
		t.Fatalf("imported %d events, want 905", len(want))
	}
	sameEvents(t, want, got)
	// The export is the same content: importing it back changes nothing.
	if again := vigilIn(t, a, "import", "ucdp", out, "--version", "23.1"); !strings.Contains(again, "unchanged 905") {
		t.Errorf("re-importing the export into the first store: %s", again)
	}
}

// TestSTIXExportRoundTrip: a STIX export imported into a fresh store gives
// the same actors, places and reports (so the same events); importing it
// again changes nothing.
func TestSTIXExportRoundTrip(t *testing.T) {
	dir := t.TempDir()
	a, c := filepath.Join(dir, "a.db"), filepath.Join(dir, "c.db")
	vigilIn(t, a, "import", "ucdp", ucdpSample, "--version", "23.1")
	out := filepath.Join(dir, "bundle.json")
	vigilIn(t, a, "export", "stix", "--out", out, "--country", "AF,PK,IR,TJ,RU")
	vigilIn(t, c, "import", "stix", out)
	second := vigilIn(t, c, "import", "stix", out)
	if !strings.Contains(second, "new 0, unchanged") || !strings.Contains(second, "updated 0") {
		t.Errorf("a second import changed something: %s", second)
	}
	want := eventValues(t, a)
	for k, e := range want {
		if !strings.Contains("AF PK IR TJ RU", e["country"].(string)) {
			delete(want, k)
		}
	}
	if len(want) < 50 {
		t.Fatalf("only %d events in the region", len(want))
	}
	sameEvents(t, want, eventValues(t, c))
	actorsA := vigilIn(t, a, "actors", "list", "--format", "json")
	actorsC := vigilIn(t, c, "actors", "list", "--format", "json")
	var la, lc []map[string]any
	json.Unmarshal([]byte(actorsA), &la)
	json.Unmarshal([]byte(actorsC), &lc)
	for _, l := range [][]map[string]any{la, lc} {
		for _, x := range l {
			delete(x, "recorded_at")
		}
	}
	if !reflect.DeepEqual(la, lc) {
		t.Errorf("actors differ:\n got %v\nwant %v", lc, la)
	}
}

func TestExportFormats(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	vigilIn(t, db, "import", "ucdp", ucdpSample, "--version", "23.1")
	tests := []struct {
		format string
		check  func(t *testing.T, data []byte)
	}{
		{"csv", func(t *testing.T, data []byte) {
			if !bytes.HasPrefix(data, []byte("id,key,date_start")) || bytes.Count(data, []byte("\nucdp")) > 0 {
				t.Errorf("header %q", data[:40])
			}
		}},
		{"acled-csv", func(t *testing.T, data []byte) {
			if !bytes.HasPrefix(data, []byte("event_id_cnty,event_date")) {
				t.Errorf("header %q", data[:40])
			}
		}},
		{"geojson", func(t *testing.T, data []byte) {
			var fc struct{ Features []any }
			if err := json.Unmarshal(data, &fc); err != nil || len(fc.Features) == 0 {
				t.Errorf("%v, %d features", err, len(fc.Features))
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			out := filepath.Join(dir, "out."+tt.format)
			vigilIn(t, db, "export", tt.format, "--country", "AF", "--out", out)
			data, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, data)
		})
	}
	var errb bytes.Buffer
	if code := run(context.Background(), []string{"--db", db, "export", "xml"}, strings.NewReader(""), &bytes.Buffer{}, &errb); code == 0 || !strings.Contains(errb.String(), "unknown format") {
		t.Errorf("unknown format: exit %d, %s", code, errb.String())
	}
}

// TestImportFormats imports an ACLED export, an ACLED deletions file and a
// GTD file written here with their real headers.
func TestImportFormats(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	acledCSV := filepath.Join(dir, "acled.csv")
	os.WriteFile(acledCSV, []byte("\ufeffevent_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp\n"+
		"AFG1,2021-08-26,2021,1,Political violence,Explosions/Remote violence,Suicide bomb,Islamic State Khorasan Province (ISKP),,Rebel group,Civilians (Afghanistan),,Civilians,,,4,Caucasus and Central Asia,Afghanistan,Kabul,Kabul,,Kabul,34.56,69.21,1,Pajhwok,National,Airport attack.,170,,1630000000\n"+
		"AFG2,2021-09-02,2021,1,Political violence,Battles,Armed clash,Taliban and/or Islamic State Khorasan Province (ISKP),,Rebel group,National Resistance Front,,Rebel group,,,4,Caucasus and Central Asia,Afghanistan,Panjshir,Bazarak,,Bazarak,35.31,69.51,2,Tolo,National,Clashes.,12,,1630500000\n"), 0o644)
	out := vigilIn(t, db, "import", "acled", acledCSV)
	if !strings.Contains(out, "new 2") {
		t.Errorf("acled import: %s", out)
	}
	if got := vigilIn(t, db, "import", "acled", acledCSV); !strings.Contains(got, "unchanged 2") {
		t.Errorf("second import: %s", got)
	}
	ev := eventValues(t, db)
	if e := ev["acled:AFG2"]; e == nil || !strings.Contains(jsonString(e["actors"]), `"disputed"`) {
		t.Errorf("event AFG2: %v", e)
	}
	del := filepath.Join(dir, "deleted.csv")
	os.WriteFile(del, []byte("event_id_cnty,deleted_timestamp\nAFG1,1650000000\n"), 0o644)
	if got := vigilIn(t, db, "import", "acled", del); !strings.Contains(got, "updated 1") {
		t.Errorf("deletions import: %s", got)
	}
	gtdCSV := filepath.Join(dir, "gtd.csv")
	os.WriteFile(gtdCSV, []byte("eventid,iyear,imonth,iday,approxdate,extended,country_txt,provstate,city,latitude,longitude,specificity,attacktype1_txt,targtype1_txt,weaptype1_txt,gname,guncertain1,claimed,claimmode_txt,nkill,nkillter,nwound,doubtterr,multiple,related\n"+
		"201707310012,2017,7,31,,0,Afghanistan,Kabul,Kabul,34.51,69.14,1,Bombing/Explosion,Government (Diplomatic),Explosives,Khorasan Chapter of the Islamic State,0,1,Internet,6,4,2,0,0,\n"), 0o644)
	if got := vigilIn(t, db, "import", "gtd", gtdCSV); !strings.Contains(got, "new 1") {
		t.Errorf("gtd import: %s", got)
	}
	if e := eventValues(t, db)["gtd:201707310012"]; e == nil || e["attackers_killed"] != float64(4) {
		t.Errorf("gtd event: %v", e)
	}
}

func jsonString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
