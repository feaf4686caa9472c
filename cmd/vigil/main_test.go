package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/bench"
)

// TestMain lets the test binary act as vigil itself, so that tests can run
// it as a separate process (and kill it).
func TestMain(m *testing.M) {
	if os.Getenv("VIGIL_TEST_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

const sample = "../../testdata/ucdp/ucdp_ged231_sample.csv"

// vigilRun runs the CLI in-process and returns its output and exit status.
func vigilRun(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), code
}

// mustRun runs the CLI and fails the test on a non-zero exit.
func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	out, errOut, code := vigilRun(t, args...)
	if code != 0 {
		t.Fatalf("vigil %s: exit %d\nstderr: %s", strings.Join(args, " "), code, errOut)
	}
	return out
}

func eventsJSON(t *testing.T, db string, args ...string) []vigil.Event {
	t.Helper()
	out := mustRun(t, append([]string{"--db", db, "events", "list", "--format", "json"}, args...)...)
	var evs []vigil.Event
	if err := json.Unmarshal([]byte(out), &evs); err != nil {
		t.Fatalf("events list JSON: %v\n%s", err, out[:min(len(out), 500)])
	}
	return evs
}

// sampleRows reads the real sample with encoding/csv, independently of
// vigil's reader, as maps of column to value.
func sampleRows(t *testing.T) []map[string]string {
	t.Helper()
	f, err := os.Open(sample)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var rows []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		rows = append(rows, m)
	}
	return rows
}

func TestImportUCDPSample(t *testing.T) {
	db := filepath.Join(t.TempDir(), "v.db")
	out := mustRun(t, "--db", db, "import", "ucdp", sample)
	if !strings.Contains(out, "read 905, new 905, unchanged 0, updated 0, rejected 0") {
		t.Errorf("first import said %q, want 905 new", out)
	}
	rows := sampleRows(t)
	wantBest := 0
	wantISKP := map[string]bool{}
	region := map[string]bool{"700": true, "770": true, "630": true, "702": true, "704": true, "703": true, "701": true, "705": true}
	for _, r := range rows {
		n, _ := strconv.Atoi(r["best"])
		wantBest += n
		if (r["side_a"] == "IS" || r["side_b"] == "IS") && region[r["country_id"]] {
			wantISKP["ucdp-ged:"+r["id"]] = true
		}
	}
	evs := eventsJSON(t, db)
	gotBest := 0
	for _, e := range evs {
		gotBest += e.Killed.Best.N
	}
	if len(evs) != 905 || gotBest != wantBest {
		t.Errorf("stored %d events with best sum %d, want 905 and %d", len(evs), gotBest, wantBest)
	}

	out = mustRun(t, "--db", db, "import", "ucdp", sample)
	if !strings.Contains(out, "read 905, new 0, unchanged 905, updated 0, rejected 0") {
		t.Errorf("re-import said %q, want all 905 unchanged", out)
	}
	if n := len(eventsJSON(t, db)); n != 905 {
		t.Errorf("after re-import: %d events, want 905", n)
	}

	for _, alias := range []string{"ISKP", "IS-K", "Wilayat Khurasan"} {
		iskp := eventsJSON(t, db, "--actor", alias)
		if len(iskp) != len(wantISKP) || len(wantISKP) == 0 {
			t.Fatalf("--actor %s: %d events, want the %d region IS events", alias, len(iskp), len(wantISKP))
		}
		for _, e := range iskp {
			if !wantISKP[e.Key] {
				t.Errorf("--actor %s returned %s, not a region IS event", alias, e.Key)
			}
			found := false
			for _, a := range e.Actors {
				if a.ActorID == "iskp" && a.AsWritten == "IS" && a.Attribution == vigil.AttributionAttributed &&
					a.AttributedBy == "vigil rule iskp-geography" && a.Rule == "iskp-geography" {
					found = true
				}
			}
			if !found {
				t.Errorf("event %s: actors %+v lack ISKP attributed by the rule", e.Key, e.Actors)
			}
		}
	}
	// Elsewhere an IS event stays with the Islamic State.
	for _, e := range eventsJSON(t, db, "--actor", "IS", "--country", "SY", "--limit", "5") {
		for _, a := range e.Actors {
			if a.ActorID == "iskp" {
				t.Errorf("Syrian event %s attributed to ISKP", e.Key)
			}
		}
	}
}

func TestImportRejectsWithFileRowField(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "v.db")
	recs := readCSV(t, sample)
	header := recs[0]
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	good := recs[1]
	bad := func(field, value string) []string {
		r := append([]string(nil), good...)
		r[col["id"]] = "9" + r[col["id"]] + field
		r[col[field]] = value
		return r
	}
	file := filepath.Join(dir, "bad.csv")
	writeCSV(t, file, [][]string{header, good,
		bad("date_start", "2017-13-45"), bad("latitude", "91.5"), bad("deaths_civilians", "-3"),
		bad("low", "7"), recs[2]})
	// bad("low", "7") puts low above best and high only when best < 7.
	_, errOut, code := vigilRun(t, "--db", db, "import", "ucdp", file)
	if code != exitRejected {
		t.Fatalf("exit %d, want %d for rejected rows\n%s", code, exitRejected, errOut)
	}
	for _, want := range []string{
		file + ":3: date_start: ", file + ":4: latitude: ", file + ":5: deaths_civilians: negative count -3",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	evs := eventsJSON(t, db)
	if len(evs) < 2 {
		t.Errorf("%d events stored, want the good rows around the bad ones", len(evs))
	}
	var batches []vigil.Batch
	json.Unmarshal([]byte(mustRun(t, "--db", db, "imports", "--format", "json")), &batches)
	if len(batches) != 1 || batches[0].Counts.Rejected < 3 || batches[0].Checksum == "" || batches[0].Status != vigil.BatchDone {
		t.Errorf("batch = %+v, want done with its rejections and checksum", batches)
	}
}

// TestImportRowTwiceInOneFile: a file that holds a row and, a few rows
// on, a revised version of it (a hand-merged export) imports whole: the
// revision updates the event, which counts it once.
func TestImportRowTwiceInOneFile(t *testing.T) {
	dir := t.TempDir()
	db, file := filepath.Join(dir, "v.db"), filepath.Join(dir, "twice.csv")
	recs := readCSV(t, sample)
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	revised := append([]string(nil), recs[1]...)
	revised[col["best"]], revised[col["high"]] = "77", "77"
	writeCSV(t, file, append(append([][]string(nil), recs[:6]...), revised))
	out, errOut, code := vigilRun(t, "--db", db, "import", "ucdp", file)
	if code != 0 || !strings.Contains(out, "read 6, new 5, unchanged 0, updated 1, rejected 0") {
		t.Fatalf("import: exit %d\n%s%s", code, out, errOut)
	}
	evs := eventsJSON(t, db)
	if len(evs) != 5 {
		t.Fatalf("%d events, want 5", len(evs))
	}
	key := "ucdp-ged:" + recs[1][col["id"]]
	i := slices.IndexFunc(evs, func(e vigil.Event) bool { return e.Key == key })
	if i < 0 || evs[i].Killed.Best != vigil.N(77) || len(evs[i].ReportIDs) != 1 {
		t.Errorf("event %s: %+v, want killed 77 from the revision alone", key, evs[max(i, 0)])
	}
}

// TestImportCaseRejectsAfterItems: a case file whose relationship names a
// document it does not hold keeps its documents; the relationship alone
// is rejected, naming the document, and the batch is done with the
// rejection kept. Before, the whole import failed after its documents
// were stored.
func TestImportCaseRejectsAfterItems(t *testing.T) {
	dir := t.TempDir()
	db, file := filepath.Join(dir, "v.db"), filepath.Join(dir, "case.json")
	os.WriteFile(file, []byte(`{"title": "t", "sources": [{"name": "Wire", "kind": "news", "reliability": "B"}],
 "documents": [{"source": "Wire", "key": "good", "title": "good", "text": "a report",
  "reports": [{"key": "good", "event_key": "e1", "date_start": "2022-09-05", "date_end": "2022-09-05", "date_precision": 1, "event_type": "Battles", "country": "AF"}]}],
 "relationships": [{"from": "iskp", "to": "taliban", "type": "rivalry", "documents": [{"source": "Wire", "key": "missing"}]}]}`), 0o644)
	mustRun(t, "--db", db, "init")
	if _, errOut, code := vigilRun(t, "--db", db, "import", "case", file); code != exitRejected || !strings.Contains(errOut, "Wire/missing") {
		t.Fatalf("import: exit %d, %s; want %d naming the missing document", code, errOut, exitRejected)
	}
	var batches []vigil.Batch
	json.Unmarshal([]byte(mustRun(t, "--db", db, "imports", "--format", "json")), &batches)
	if len(batches) != 1 || batches[0].Status != vigil.BatchDone || batches[0].Counts.Rejected != 1 ||
		len(batches[0].Rejections) != 1 || !strings.Contains(batches[0].Rejections[0].Reason, "Wire/missing") {
		t.Errorf("batches = %+v, want one done, its rejection kept", batches)
	}
	if out := mustRun(t, "--db", db, "events", "list", "--format", "json"); !strings.Contains(out, `"2022-09-05"`) {
		t.Errorf("the good document's event is not stored: %s", out)
	}
}

// TestImportWarningsBounded imports a generated GED file whose rows the
// reader corrects hundreds of times: the terminal gets the first few and a
// tally, the batch counts them all, and imports show lists what it keeps.
func TestImportWarningsBounded(t *testing.T) {
	dir := t.TempDir()
	db, file := filepath.Join(dir, "v.db"), filepath.Join(dir, "ged.csv")
	if err := bench.GEDFile(file, "../../testdata/ucdp/ucdp_ged231_sample.csv", 3000); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := vigilRun(t, "--db", db, "import", "ucdp", file)
	if code != 0 {
		t.Fatalf("import: exit %d\n%s", code, errOut)
	}
	var batches []vigil.Batch
	json.Unmarshal([]byte(mustRun(t, "--db", db, "imports", "--format", "json")), &batches)
	if len(batches) != 1 {
		t.Fatalf("%d batches", len(batches))
	}
	b := batches[0]
	if b.Counts.Warnings <= printLimit || b.Counts.Warnings != len(b.Warnings) {
		t.Fatalf("batch counts %d warnings and keeps %d; want more than %d, all kept", b.Counts.Warnings, len(b.Warnings), printLimit)
	}
	lines := strings.Split(strings.TrimSpace(errOut), "\n")
	if len(lines) != printLimit+1 {
		t.Errorf("import printed %d lines, want %d warnings and a tally:\n%s", len(lines), printLimit, errOut)
	}
	tally := fmt.Sprintf("warning: %d warnings in all, the first %d above; by field: ", b.Counts.Warnings, printLimit)
	if last := lines[len(lines)-1]; !strings.HasPrefix(last, tally) || !strings.Contains(last, "vigil imports show 1") {
		t.Errorf("last line %q, want it to start %q and name imports show", last, tally)
	}
	shown := mustRun(t, "--db", db, "imports", "show", "1")
	if n := strings.Count(shown, "\nwarning: "+file+":"); n != b.Counts.Warnings {
		t.Errorf("imports show lists %d warnings, want %d", n, b.Counts.Warnings)
	}
	if _, _, code := vigilRun(t, "--db", db, "imports", "show", "2"); code == 0 {
		t.Error("imports show of a batch that does not exist succeeded")
	}
}

func TestImportNotGED(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "v.db")
	file := filepath.Join(dir, "acled.csv")
	writeCSV(t, file, [][]string{{"event_id_cnty", "event_date", "fatalities"}, {"AFG1", "2022-01-01", "3"}})
	_, errOut, code := vigilRun(t, "--db", db, "import", "ucdp", file)
	if code != 1 || !strings.Contains(errOut, "not a UCDP GED file: missing columns id, type_of_violence") {
		t.Errorf("exit %d, stderr %q: want one clear error naming the missing columns", code, errOut)
	}
	if n := len(eventsJSON(t, db)); n != 0 {
		t.Errorf("%d events written from a non-GED file", n)
	}
}

func TestEventsShowTracesValues(t *testing.T) {
	db := filepath.Join(t.TempDir(), "v.db")
	mustRun(t, "--db", db, "import", "ucdp", sample)
	e := eventsJSON(t, db, "--actor", "ISKP", "--limit", "1")[0]
	out := mustRun(t, "--db", db, "events", "show", strconv.FormatInt(e.ID, 10))
	for _, want := range []string{"UCDP GED 23.1 (dataset, reliability B: usually reliable)", "[from R1]", "written \"IS\"", "vigil rule iskp-geography"} {
		if !strings.Contains(out, want) {
			t.Errorf("events show lacks %q:\n%s", want, out)
		}
	}
	_, errOut, code := vigilRun(t, "--db", db, "events", "show", "999999")
	if code != 1 || !strings.Contains(errOut, "event 999999 not found") {
		t.Errorf("show of a missing event: exit %d, %q", code, errOut)
	}
}

func TestEventsListFlags(t *testing.T) {
	db := filepath.Join(t.TempDir(), "v.db")
	mustRun(t, "--db", db, "import", "ucdp", sample)
	tests := []struct {
		name    string
		args    []string
		wantErr string
		check   func([]vigil.Event) bool
	}{
		{"country", []string{"--country", "AF"}, "", func(es []vigil.Event) bool {
			for _, e := range es {
				if e.Country != "AF" {
					return false
				}
			}
			return len(es) == 69
		}},
		{"period", []string{"--from", "2020-01-01", "--to", "2020-12-31"}, "", func(es []vigil.Event) bool {
			for _, e := range es {
				if e.DateStart.Time().Year() != 2020 && e.DateEnd.Time().Year() != 2020 {
					return false
				}
			}
			return len(es) > 0
		}},
		{"type", []string{"--type", "violence against civilians"}, "", func(es []vigil.Event) bool {
			for _, e := range es {
				if e.EventType != vigil.EventViolenceCivilians {
					return false
				}
			}
			return len(es) > 0
		}},
		{"limit", []string{"--limit", "3"}, "", func(es []vigil.Event) bool { return len(es) == 3 }},
		{"bad date", []string{"--from", "01/02/2020"}, "--from: date", nil},
		{"bad type", []string{"--type", "Skirmish"}, "--type: event type", nil},
		{"from after to", []string{"--from", "2020-12-31", "--to", "2020-01-01"}, "--from 2020-12-31 is after --to 2020-01-01", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.wantErr != "" {
				_, errOut, code := vigilRun(t, append([]string{"--db", db, "events", "list"}, tt.args...)...)
				if code == 0 || !strings.Contains(errOut, tt.wantErr) {
					t.Errorf("exit %d, stderr %q, want an error with %q", code, errOut, tt.wantErr)
				}
				return
			}
			if es := eventsJSON(t, db, tt.args...); !tt.check(es) {
				t.Errorf("events list %v returned %d events that fail the check", tt.args, len(es))
			}
		})
	}
	csvOut := mustRun(t, "--db", db, "events", "list", "--format", "csv", "--limit", "2")
	recs, err := csv.NewReader(strings.NewReader(csvOut)).ReadAll()
	if err != nil || len(recs) != 3 || recs[0][0] != "id" {
		t.Errorf("CSV output: %v, %d records", err, len(recs))
	}
}

func TestDemo(t *testing.T) {
	db := filepath.Join(t.TempDir(), "demo.db")
	out := mustRun(t, "--db", db, "demo")
	for _, want := range []string{"ISKP:", "AF", "IR", "RU", "UZ", "TJ", "Voice of Khurasan", "E unreliable",
		"denied that the incident took place", "no independent source confirms it", "rival attributions"} {
		if !strings.Contains(out, want) {
			t.Errorf("demo brief lacks %q:\n%s", want, out)
		}
	}
	first := eventsJSON(t, db, "--actor", "ISKP")
	mustRun(t, "--db", db, "demo")
	if again := eventsJSON(t, db, "--actor", "ISKP"); len(again) != len(first) {
		t.Errorf("running the demo twice: %d ISKP events, then %d", len(first), len(again))
	}
	// The Kabul embassy bombing gathers the Russian account, the Taliban
	// police toll, the claim and Voice of Khurasan's tally. Russia counts
	// only its own two staff (a floor, no estimate of the toll), so the
	// best is the police toll of six, not two.
	for _, e := range first {
		if e.Key != "2022-09-05-kabul-russian-embassy" {
			continue
		}
		full := mustRun(t, "--db", db, "events", "show", strconv.FormatInt(e.ID, 10), "--format", "json")
		var ev vigil.Event
		json.Unmarshal([]byte(full), &ev)
		if len(ev.Reports) != 4 || ev.Killed.Low != vigil.N(2) || ev.Killed.Best != vigil.N(6) {
			t.Errorf("embassy event: %d reports, killed %v", len(ev.Reports), ev.Killed)
		}
		return
	}
	t.Error("the demo lacks the Russian embassy bombing")
}

// TestKilledImportResumes kills an import with SIGKILL half-way and checks
// that the store is consistent and that importing again completes it.
func TestKilledImportResumes(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and imports a 40,000-row file")
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "v.db")
	file := filepath.Join(dir, "ged_big.csv")
	const rows = 40000
	if err := bench.GEDFile(file, sample, rows); err != nil {
		t.Fatal(err)
	}
	// Transactions of 4,000 records, so that several commit before the
	// end (the default takes the whole file in one).
	cmd := exec.Command(os.Args[0], "--db", db, "import", "ucdp", "--commit", "4000", file)
	cmd.Env = append(os.Environ(), "VIGIL_TEST_MAIN=1")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill once a transaction or two has been committed, well before the end.
	deadline := time.Now().Add(60 * time.Second)
	for {
		if n := countRows(t, db, "documents"); n >= 4000 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("the import committed nothing in 60 s")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()

	docs, events := countRows(t, db, "documents"), countRows(t, db, "events")
	if docs >= rows {
		t.Skipf("the import finished (%d rows) before it could be killed", docs)
	}
	if docs == 0 || docs%4000 != 0 || docs != events || countRows(t, db, "reports") != docs {
		t.Errorf("after the kill: %d documents, %d reports, %d events: want whole transactions of 4,000 only", docs, countRows(t, db, "reports"), events)
	}
	sdb := openRaw(t, db)
	var check string
	sdb.QueryRow(`PRAGMA integrity_check`).Scan(&check)
	fk, _ := sdb.Query(`PRAGMA foreign_key_check`)
	hasFK := fk.Next()
	fk.Close()
	sdb.Close()
	if check != "ok" || hasFK {
		t.Errorf("after the kill: integrity %q, foreign key violations %v", check, hasFK)
	}
	// The killed batch counts exactly the rows it committed: the rows and
	// the batch's counts are saved in one transaction.
	sdb = openRaw(t, db)
	var read, fresh int
	err := sdb.QueryRow(`SELECT json_extract(data, '$.counts.read'), json_extract(data, '$.counts.new') FROM batches WHERE id = 1`).Scan(&read, &fresh)
	sdb.Close()
	if err != nil || read != docs || fresh != docs {
		t.Errorf("after the kill, the batch counts read %d, new %d (%v); want %d, the documents it committed", read, fresh, err, docs)
	}

	out := mustRun(t, "--db", db, "import", "ucdp", file)
	want := "read " + strconv.Itoa(rows) + ", new " + strconv.Itoa(rows-docs) + ", unchanged " + strconv.Itoa(docs) + ", updated 0, rejected 0"
	if !strings.Contains(out, want) {
		t.Errorf("resumed import said %q, want %q", out, want)
	}
	if n := countRows(t, db, "events"); n != rows {
		t.Errorf("after the resumed import: %d events, want %d", n, rows)
	}
}

func openRaw(t *testing.T, db string) *sql.DB {
	t.Helper()
	d, err := sql.Open("sqlite", "file:"+db+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func countRows(t *testing.T, db, table string) int {
	t.Helper()
	if _, err := os.Stat(db); err != nil {
		return 0
	}
	d := openRaw(t, db)
	defer d.Close()
	var n int
	if err := d.QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
		return 0 // not migrated yet
	}
	return n
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func writeCSV(t *testing.T, path string, recs [][]string) {
	t.Helper()
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.WriteAll(recs)
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestDictionaryKeepsStoredAliases(t *testing.T) {
	db := filepath.Join(t.TempDir(), "v.db")
	mustRun(t, "--db", db, "init")
	ctx := context.Background()
	a := &app{dbPath: db}
	s, err := a.openStore(ctx)
	if err != nil {
		t.Fatal(err)
	}
	iskp, err := s.FindActorByID(ctx, "iskp")
	if err != nil {
		t.Fatal(err)
	}
	iskp.Names = append(iskp.Names, vigil.ActorName{Name: "Khurasan Wing", Source: "a STIX bundle"})
	if err := s.UpsertActor(ctx, iskp); err != nil {
		t.Fatal(err)
	}
	s.Close()
	mustRun(t, "--db", db, "import", "ucdp", sample) // loads the shipped dictionary again
	out := mustRun(t, "--db", db, "actors", "list", "--name", "Khurasan Wing", "--format", "json")
	if !strings.Contains(out, `"id": "iskp"`) {
		t.Errorf("an alias the store held was lost when the dictionary was loaded again:\n%s", out)
	}
}

func TestDumpRestoreRoundTrip(t *testing.T) {
	dir := t.TempDir()
	db, db2 := filepath.Join(dir, "a.db"), filepath.Join(dir, "b.db")
	mustRun(t, "--db", db, "demo")
	mustRun(t, "--db", db, "import", "ucdp", sample)
	d1, d2 := filepath.Join(dir, "1.jsonl"), filepath.Join(dir, "2.jsonl")
	mustRun(t, "--db", db, "dump", "--out", d1)
	mustRun(t, "--db", db2, "restore", d1)
	mustRun(t, "--db", db2, "dump", "--out", d2)
	a, _ := os.ReadFile(d1)
	b, _ := os.ReadFile(d2)
	if len(a) == 0 || !bytes.Equal(a, b) {
		t.Fatalf("dump → restore → dump: %d bytes then %d, want the same bytes", len(a), len(b))
	}
	if got, want := len(eventsJSON(t, db2)), len(eventsJSON(t, db)); got != want {
		t.Errorf("restored store lists %d events, the original %d", got, want)
	}
	_, errOut, code := vigilRun(t, "--db", db, "restore", d1)
	if code == 0 || !strings.Contains(errOut, "empty store") {
		t.Errorf("restore into a store with data: exit %d, %q", code, errOut)
	}
}

func TestImportCaseFile(t *testing.T) {
	db := filepath.Join(t.TempDir(), "v.db")
	out := mustRun(t, "--db", db, "import", "case", "../../data/demo/iskp-case.json")
	if !strings.Contains(out, "rejected 0") || !strings.Contains(out, "new 42") {
		t.Errorf("import case said %q, want the demo case's 42 documents new", out)
	}
	if evs := eventsJSON(t, db, "--actor", "ISKP", "--country", "RU"); len(evs) != 1 {
		t.Errorf("%d ISKP events in Russia from the case file, want Crocus City Hall", len(evs))
	}
}

func TestActorsResolve(t *testing.T) {
	db := filepath.Join(t.TempDir(), "v.db")
	tests := []struct {
		name, at, country string
		want              string // the best candidate's id; "" for none
	}{
		{"Daesh", "2022-01-01", "AF", "iskp"},
		{"Daesh", "2022-01-01", "SY", "is"},
		{"Government of Afghanistan", "2020-01-01", "", "gov-af"},
		{"Government of Afghanistan", "2022-01-01", "", "taliban"},
		{"ISIS-K", "", "", "iskp"},
		{"Nobody at all", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name+" "+tt.at+" "+tt.country, func(t *testing.T) {
			args := []string{"--db", db, "actors", "resolve", tt.name, "--format", "json"}
			if tt.at != "" {
				args = append(args, "--at", tt.at)
			}
			if tt.country != "" {
				args = append(args, "--country", tt.country)
			}
			var got []struct {
				ActorID string   `json:"actor_id"`
				Reasons []string `json:"reasons"`
			}
			if err := json.Unmarshal([]byte(mustRun(t, args...)), &got); err != nil {
				t.Fatal(err)
			}
			switch {
			case tt.want == "" && len(got) != 0:
				t.Errorf("got %+v, want no candidate", got)
			case tt.want != "" && (len(got) == 0 || got[0].ActorID != tt.want || len(got[0].Reasons) == 0):
				t.Errorf("got %+v, want %s first, with reasons", got, tt.want)
			}
		})
	}
	if _, errOut, code := vigilRun(t, "--db", db, "actors", "resolve", "Daesh", "--at", "March 2022"); code == 0 || !strings.Contains(errOut, "--at") {
		t.Errorf("a bad --at: exit %d, %q", code, errOut)
	}
}

// TestActorsRelationships: the demo's ISKP structure comes back over time
// with its sources, conflicting assertions side by side, and importing the
// case again adds no relationship twice.
func TestActorsRelationships(t *testing.T) {
	db := filepath.Join(t.TempDir(), "d.db")
	mustRun(t, "--db", db, "demo")
	type rel struct {
		From, To, Type string
		Documents      []struct{ Source string }
	}
	rels := func(at string) []rel {
		var out []rel
		if err := json.Unmarshal([]byte(mustRun(t, "--db", db, "actors", "relationships", "ISIS-K", "--at", at, "--format", "json")), &out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	has := func(rs []rel, from, typ, to string) bool {
		for _, r := range rs {
			if r.From == from && r.Type == typ && r.To == to && len(r.Documents) > 0 && r.Documents[0].Source != "" {
				return true
			}
		}
		return false
	}
	in2019, in2022 := rels("2019-06-01"), rels("2022-06-01")
	for _, c := range []struct {
		rs            []rel
		from, typ, to string
		want          bool
	}{
		{in2019, "gov-af", "combat", "iskp", true},
		{in2019, "gov-us", "combat", "iskp", true},
		{in2019, "iskp", "subsidiary-of", "is", true},
		{in2022, "gov-af", "combat", "iskp", false},
		{in2022, "taliban", "combat", "iskp", true},
		{in2022, "taliban", "sanctuary", "iskp", true},
	} {
		if got := has(c.rs, c.from, c.typ, c.to); got != c.want {
			t.Errorf("%s %s %s: present %v, want %v", c.from, c.typ, c.to, got, c.want)
		}
	}
	// The sanctuary is the analyst's assessment: the Taliban's spokesman,
	// who denies a foreign core, is not among those who assert it.
	for _, r := range in2022 {
		for _, d := range r.Documents {
			if r.Type == "sanctuary" && d.Source == "Islamic Emirate spokesman" {
				t.Errorf("taliban sanctuary iskp: asserted by %q, who denies it", d.Source)
			}
		}
	}
	before := len(rels("2022-06-01"))
	mustRun(t, "--db", db, "import", "case", "../../data/demo/iskp-case.json")
	if after := len(rels("2022-06-01")); after != before {
		t.Errorf("importing the case again: %d relationships, then %d", before, after)
	}
}
