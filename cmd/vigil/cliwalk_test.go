package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/analysis"
	"github.com/vigil-osint/vigil/postgres/pgtest"
)

// TestErrorMessages checks what a user reads when a command fails: the
// message once, after one "vigil:", with no internal error code.
func TestErrorMessages(t *testing.T) {
	db := filepath.Join(t.TempDir(), "v.db")
	mustRun(t, "--db", db, "init")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"events", "show", "99999"}, "vigil: event 99999 not found\n"},
		{[]string{"watch", "rm", "7"}, "vigil: watch rule 7 not found\n"},
		{[]string{"ach", "show", "nope"}, "vigil: ach case \"nope\" not found\n"},
		{[]string{"watch", "add", "x", "--kind", "bogus"}, "vigil: watch rule \"x\": kind \"bogus\": want new-unit, tempo, contradiction or ach-ranking\n"},
		{[]string{"export", "csv", "--out", "/nonexistent-vigil-dir/x.csv"}, "vigil: --out /nonexistent-vigil-dir/x.csv: no such file or directory\n"},
		{[]string{"dump", "--out", "/nonexistent-vigil-dir/d.jsonl"}, "vigil: --out /nonexistent-vigil-dir/d.jsonl: no such file or directory\n"},
		{[]string{"where", "-33.9", "18.4"}, "vigil: unknown shorthand flag: '3' in -33.9 (a negative number is read as a flag: put the arguments after --, e.g. vigil where -- -33.9 18.4)\n"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			_, errOut, code := vigilRun(t, append([]string{"--db", db}, tc.args...)...)
			if code != 1 || errOut != tc.want {
				t.Errorf("exit %d, stderr %q; want exit 1, %q", code, errOut, tc.want)
			}
		})
	}
}

// TestWatchAddRefusesWhatCannotRun: a rule that could never run is not
// kept, since it would fail every run after every import.
func TestWatchAddRefusesWhatCannotRun(t *testing.T) {
	db := filepath.Join(t.TempDir(), "v.db")
	mustRun(t, "--db", db, "init")
	for _, tc := range []struct {
		args    []string
		wantErr string
	}{
		{[]string{"watch", "add", "gone", "--kind", "ach-ranking", "--case", "no-such-case"}, `--case: ach case "no-such-case" not found`},
		{[]string{"watch", "add", "noactor", "--kind", "tempo"}, "tempo needs an actor"},
	} {
		t.Run(tc.args[2], func(t *testing.T) {
			_, errOut, code := vigilRun(t, append([]string{"--db", db}, tc.args...)...)
			if code == 0 || !strings.Contains(errOut, tc.wantErr) {
				t.Errorf("exit %d, stderr %q; want a failure saying %q", code, errOut, tc.wantErr)
			}
		})
	}
	var rules []vigil.WatchRule
	if err := json.Unmarshal([]byte(mustRun(t, "--db", db, "watch", "rules", "--format", "json")), &rules); err != nil {
		t.Fatal(err)
	}
	if len(rules) != 0 {
		t.Errorf("refused rules were kept: %+v", rules)
	}
	// A rule that is kept runs: watch run succeeds.
	mustRun(t, "--db", db, "watch", "add", "reach", "--kind", "new-unit", "--actor", "ISKP")
	if out := mustRun(t, "--db", db, "watch", "run"); !strings.Contains(out, "0 alerts raised") {
		t.Errorf("watch run said %q", out)
	}
}

// writeCase writes a case file of ISKP attacks, one report an event, each
// given as date, country and killed (low, best, high; -1 unknown).
func writeCase(t *testing.T, dir string, events [][5]any) string {
	t.Helper()
	var docs []map[string]any
	for i, e := range events {
		part := func(n any) any {
			if n.(int) < 0 {
				return nil
			}
			return n
		}
		docs = append(docs, map[string]any{
			"source": "Wire", "key": fmt.Sprintf("d%d", i), "title": fmt.Sprintf("attack %d", i), "text": "x", "published": e[0],
			"reports": []map[string]any{{
				"event_key": fmt.Sprintf("ev%d", i), "date_start": e[0], "date_end": e[0], "date_precision": 1,
				"country": e[1], "place": "somewhere", "event_type": "Explosions/Remote violence",
				"actors":      []map[string]any{{"name": "ISKP", "role": "perpetrator", "attribution": "claimed"}},
				"killed":      map[string]any{"low": part(e[2]), "best": part(e[3]), "high": part(e[4])},
				"credibility": 2,
			}},
		})
	}
	b, err := json.Marshal(map[string]any{"sources": []map[string]any{{"name": "Wire", "kind": "news", "reliability": "B"}}, "documents": docs})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "case.json")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestDemoBriefUnknownKilled: the demo's brief counts an event that gives
// no toll apart, never as zero, and fills the parts an event leaves out
// from those it gives, as the indicators do.
func TestDemoBriefUnknownKilled(t *testing.T) {
	for _, tc := range []struct {
		name   string
		events [][5]any
		want   string // the row of AF 2022, spaces collapsed
	}{
		{"one unknown among known", [][5]any{{"2022-01-05", "AF", -1, -1, -1}, {"2022-02-05", "AF", 5, 5, 5}, {"2022-03-05", "AF", 2, 2, -1}},
			"AF 2022 3 7 (7–7) +1?"},
		{"all unknown", [][5]any{{"2022-01-05", "AF", -1, -1, -1}}, "AF 2022 1 ? 1"},
		{"best only", [][5]any{{"2022-01-05", "AF", -1, 4, -1}}, "AF 2022 1 4 (4–4)"},
		{"low and high only", [][5]any{{"2022-01-05", "AF", 3, -1, 9}}, "AF 2022 1 3 (3–9)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			db := filepath.Join(dir, "v.db")
			mustRun(t, "--db", db, "import", "case", writeCase(t, dir, tc.events))
			a := &app{dbPath: db}
			s, err := a.openStore(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			var b strings.Builder
			if err := writeBrief(context.Background(), &b, s, "ISKP"); err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(strings.Fields(b.String()), " "); !strings.Contains(got, tc.want) {
				t.Errorf("brief lacks %q:\n%s", tc.want, b.String())
			}
		})
	}
}

// TestCountryFilter: --country takes a code in any case or a country's
// name, and refuses what is neither instead of matching nothing.
func TestCountryFilter(t *testing.T) {
	db := filepath.Join(t.TempDir(), "v.db")
	mustRun(t, "--db", db, "import", "ucdp", sample)
	want := 0
	for _, r := range sampleRows(t) {
		if r["country"] == "Afghanistan" {
			want++
		}
	}
	for _, tc := range []struct {
		country string
		want    int // events; -1: refused
	}{
		{"AF", want},
		{"af", want},
		{"Afghanistan", want},
		{"XX", -1},
		{"Narnia", -1},
	} {
		t.Run(tc.country, func(t *testing.T) {
			for _, cmd := range [][]string{{"events", "list", "--format", "json"}, {"export", "csv"}} {
				out, errOut, code := vigilRun(t, append([]string{"--db", db}, append(cmd, "--country", tc.country)...)...)
				if tc.want < 0 {
					if code != 1 || !strings.Contains(errOut, "--country: \""+tc.country+"\"") {
						t.Errorf("%s: exit %d, stderr %q; want --country refused", cmd[0], code, errOut)
					}
					continue
				}
				if code != 0 {
					t.Fatalf("%s: exit %d: %s", cmd[0], code, errOut)
				}
				n := strings.Count(out, "\"key\":")
				if cmd[0] == "export" {
					n = strings.Count(out, "\n") - 1
				}
				if n != tc.want {
					t.Errorf("%s --country %s: %d events, want %d", cmd[0], tc.country, n, tc.want)
				}
			}
		})
	}
}

// TestDecisionsHaveAuthors: review decisions and ACH ratings name who made
// them even where $USER is not set (cron, containers, services), and the
// history lists the events an operation touched, not a Go slice.
func TestDecisionsHaveAuthors(t *testing.T) {
	t.Setenv("USER", "")
	me, err := user.Current()
	if err != nil || me.Username == "" {
		t.Skip("no account name to expect")
	}
	db := filepath.Join(t.TempDir(), "v.db")
	mustRun(t, "--db", db, "import", "ucdp", sample)
	evs := eventsJSON(t, db, "--country", "AF", "--limit", "2")
	target := fmt.Sprintf("%d,%d", evs[0].ID, evs[1].ID)
	mustRun(t, "--db", db, "review", "merge", "--events", target, "--reason", "one attack")
	var ops []vigil.LinkOp
	if err := json.Unmarshal([]byte(mustRun(t, "--db", db, "review", "history", "--format", "json")), &ops); err != nil || len(ops) == 0 {
		t.Fatalf("history: %v, %d operations", err, len(ops))
	}
	if ops[0].By != me.Username {
		t.Errorf("the merge was made by %q, want %q", ops[0].By, me.Username)
	}
	if out := mustRun(t, "--db", db, "review", "history"); !strings.Contains(out, " "+target+" ") || strings.Contains(out, "[") {
		t.Errorf("history table does not list events %s plainly:\n%s", target, out)
	}
	mustRun(t, "--db", db, "ach", "create", "c", "--title", "T")
	mustRun(t, "--db", db, "ach", "hypothesis", "add", "c", "H1", "one")
	mustRun(t, "--db", db, "ach", "evidence", "add", "c", "E1", "an item", "--kind", "statement", "--source", "Wire")
	if out := mustRun(t, "--db", db, "ach", "rate", "c", "E1", "H1", "C"); !strings.Contains(out, me.Username+" rated E1") {
		t.Errorf("ach rate without --analyst said %q, want the account's name", out)
	}
}

// TestExtractTableNamesFiles: the extract table's document column keeps
// the end of the path, so rows from one folder tell their files apart.
func TestExtractTableNamesFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a-long-folder-name-every-row-shares", "news")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ file, text string }{
		{"jalalabad-attack.txt", "Gunmen killed 12 policemen in Jalalabad on Tuesday."},
		{"quetta-bombing.txt", "A bomb killed 9 people in Quetta on Friday."},
	} {
		if err := os.WriteFile(filepath.Join(dir, tc.file), []byte(tc.text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := mustRun(t, "extract", dir)
	for _, want := range []string{"jalalabad-attack.txt", "quetta-bombing.txt"} {
		if !strings.Contains(out, want) {
			t.Errorf("extract table lacks %q:\n%s", want, out)
		}
	}
}

// TestLinkGenerateSample: link generate names its UCDP file --sample, as
// link bench does (--from, a first day everywhere else, stays as a hidden
// alias), and outside the repository says where the default lives.
func TestLinkGenerateSample(t *testing.T) {
	abs, err := filepath.Abs(sample)
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	for _, tc := range []struct {
		name    string
		args    []string
		wantErr string // "" for a gold set
	}{
		{"default outside the repository", nil, "run from the repository's root or give --sample FILE"},
		{"--sample", []string{"--sample", abs}, ""},
		{"--from, the old name", []string{"--from", abs}, ""},
		{"missing file", []string{"--sample", "/nonexistent/ged.csv"}, "--sample: open /nonexistent/ged.csv"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := vigilRun(t, append([]string{"link", "generate", "--hard-negatives", "0"}, tc.args...)...)
			if tc.wantErr != "" {
				if code != 1 || !strings.Contains(errOut, tc.wantErr) {
					t.Errorf("exit %d, stderr %q; want %q", code, errOut, tc.wantErr)
				}
				return
			}
			var gold struct{ Documents []json.RawMessage }
			if code != 0 || json.Unmarshal([]byte(out), &gold) != nil || len(gold.Documents) < 905 {
				t.Errorf("exit %d, %d documents (stderr %q); want a gold set of the sample's 905 rows and more", code, len(gold.Documents), errOut)
			}
		})
	}
}

// TestCountryFlags: geocode and actors resolve take --country as a code
// or a name, and refuse what is neither instead of ignoring it.
func TestCountryFlags(t *testing.T) {
	db := filepath.Join(t.TempDir(), "v.db")
	mustRun(t, "--db", db, "init")
	for _, tc := range []struct {
		args    []string
		want    string // in stdout
		wantErr string // in stderr, with exit 1
	}{
		{[]string{"geocode", "Kabul", "--country", "XX"}, "", `--country: "XX"`},
		{[]string{"geocode", "Kabul", "--country", "Afghanistan"}, "in Afghanistan as the text or hint says", ""},
		{[]string{"actors", "resolve", "Daesh", "--country", "Narnia"}, "", `--country: "Narnia"`},
		{[]string{"actors", "resolve", "Daesh", "--country", "Afghanistan", "--at", "2022-06-01"}, "the name means this actor in AF", ""},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			out, errOut, code := vigilRun(t, append([]string{"--db", db}, tc.args...)...)
			if tc.wantErr != "" {
				if code != 1 || !strings.Contains(errOut, tc.wantErr) {
					t.Errorf("exit %d, stderr %q; want %q", code, errOut, tc.wantErr)
				}
				return
			}
			if code != 0 || !strings.Contains(out, tc.want) || strings.Contains(out, "AFGHANISTAN") {
				t.Errorf("exit %d (%s), stdout lacks %q:\n%s", code, errOut, tc.want, out)
			}
		})
	}
}

// TestIndicatorsComparisonNone: a comparison whose sides share every unit
// says so, not an empty list.
func TestIndicatorsComparisonNone(t *testing.T) {
	db := filepath.Join(t.TempDir(), "v.db")
	mustRun(t, "--db", db, "import", "ucdp", sample)
	out := mustRun(t, "--db", db, "indicators", "--country", "AF", "--by", "year", "--from", "2015-01-01", "--to", "2021-12-31",
		"--vs-from", "2015-01-01", "--vs-to", "2021-12-31")
	for _, want := range []string{"admin-1 units only in A: none\n", "admin-1 units only in B: none\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("comparison lacks %q:\n%s", want, out)
		}
	}
}

// TestEvalGeocodeNotGold: a file that is no gold file (a README beside the
// gold files) is refused with its name, not measured as zero rows.
func TestEvalGeocodeNotGold(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ name, data, wantErr string }{
		{"README.md", "# Gold places\n\nSome words, with a comma.\n", "README.md: not a gold file"},
		{"other.csv", "id,latitude,longitude\n1,34.4,70.4\n", "other.csv: not a gold file"},
		{"gold.csv", "location,latitude,longitude,country\nJalalabad,34.43,70.45,AF\n", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.name)
			if err := os.WriteFile(path, []byte(tc.data), 0o644); err != nil {
				t.Fatal(err)
			}
			out, errOut, code := vigilRun(t, "eval", "geocode", path)
			if tc.wantErr == "" {
				if code != 0 || !strings.Contains(out, "gold.csv") {
					t.Errorf("exit %d, stderr %q, stdout:\n%s", code, errOut, out)
				}
				return
			}
			if code != 1 || !strings.Contains(errOut, tc.wantErr) {
				t.Errorf("exit %d, stderr %q; want %q", code, errOut, tc.wantErr)
			}
		})
	}
}

// TestEventsListPaging: negative --limit and --offset are refused, not
// read as "all" or printed as "-4–-3 of N".
func TestEventsListPaging(t *testing.T) {
	db := filepath.Join(t.TempDir(), "v.db")
	mustRun(t, "--db", db, "import", "ucdp", sample)
	for _, tc := range []struct {
		args    []string
		wantErr bool
		want    string // in stderr
	}{
		{[]string{"--limit", "-1"}, true, "want 0 or more"},
		{[]string{"--offset", "-5", "--limit", "2"}, true, "want 0 or more"},
		{[]string{"--offset", "5", "--limit", "2"}, false, "6–7 of 905 events"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			_, errOut, code := vigilRun(t, append([]string{"--db", db, "events", "list"}, tc.args...)...)
			if (code != 0) != tc.wantErr || !strings.Contains(errOut, tc.want) {
				t.Errorf("exit %d, stderr %q; want %q", code, errOut, tc.want)
			}
		})
	}
}

// TestUnknownActorNote: a selection by an actor name nothing bears (a
// typo) says so beside its empty result; a real name with no events in
// the selection does not.
func TestUnknownActorNote(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "v.db")
	mustRun(t, "--db", db, "import", "ucdp", sample)
	const note = `note: no actor is named "ISPK"`
	for _, tc := range []struct {
		name     string
		args     []string
		wantNote bool
	}{
		{"events list, typo", []string{"events", "list", "--actor", "ISPK"}, true},
		{"events list, real actor, no events", []string{"events", "list", "--actor", "ISKP", "--from", "2030-01-01"}, false},
		{"indicators, typo", []string{"indicators", "--actor", "ISPK"}, true},
		{"indicators, typo on the other side", []string{"indicators", "--actor", "ISKP", "--vs-actor", "ISPK"}, true},
		{"brief, typo", []string{"brief", "--actor", "ISPK", "--out", filepath.Join(dir, "b.html")}, true},
		{"export, typo", []string{"export", "csv", "--actor", "ISPK", "--out", filepath.Join(dir, "e.csv")}, true},
		{"export, real actor", []string{"export", "csv", "--actor", "ISKP", "--out", filepath.Join(dir, "e.csv")}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, errOut, code := vigilRun(t, append([]string{"--db", db}, tc.args...)...)
			if code != 0 || strings.Contains(errOut, note) != tc.wantNote {
				t.Errorf("exit %d, stderr %q; want the note %v", code, errOut, tc.wantNote)
			}
		})
	}
}

// TestEventsListCSVIsExportCSV: events list --format csv writes the same
// CSV as export csv, so that one script reads either.
func TestEventsListCSVIsExportCSV(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "v.db")
	mustRun(t, "--db", db, "import", "ucdp", sample)
	for _, filter := range [][]string{{"--country", "AF"}, {"--actor", "ISKP"}} {
		t.Run(strings.Join(filter, " "), func(t *testing.T) {
			list := mustRun(t, append([]string{"--db", db, "events", "list", "--format", "csv"}, filter...)...)
			exp := mustRun(t, append([]string{"--db", db, "export", "csv"}, filter...)...)
			if list != exp || !strings.HasPrefix(list, "id,key,") {
				t.Errorf("events list CSV differs from export csv:\n%.300s\n---\n%.300s", list, exp)
			}
		})
	}
}

// TestMissingStoreRefused: a command that reads a store refuses one that
// is not there (a mistyped --db), instead of making an empty store that
// reads as "0 events"; the commands that fill a store still make one.
func TestMissingStoreRefused(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args    []string
		creates bool
	}{
		{[]string{"events", "list"}, false},
		{[]string{"indicators", "--actor", "ISKP"}, false},
		{[]string{"sources", "list"}, false},
		{[]string{"dump", "--out", filepath.Join(dir, "d.jsonl")}, false},
		{[]string{"migrate-store", "--from", filepath.Join(dir, "nowhere.db"), "--to", filepath.Join(dir, "copy.db")}, false},
		{[]string{"init"}, true},
		{[]string{"import", "ucdp", sample}, true},
	} {
		t.Run(strings.Join(tc.args[:1], " "), func(t *testing.T) {
			db := filepath.Join(dir, tc.args[0]+".db")
			_, errOut, code := vigilRun(t, append([]string{"--db", db}, tc.args...)...)
			_, statErr := os.Stat(db)
			if tc.creates {
				if code != 0 || statErr != nil {
					t.Errorf("exit %d (%s), store made: %v; want it made", code, errOut, statErr == nil)
				}
				return
			}
			if code != 1 || !strings.Contains(errOut, "no store at ") || statErr == nil {
				t.Errorf("exit %d, stderr %q, store made: %v; want a refusal and no store", code, errOut, statErr == nil)
			}
			if _, err := os.Stat(filepath.Join(dir, "copy.db")); err == nil {
				t.Error("migrate-store made a copy of a store that is not there")
			}
		})
	}
}

// TestReviewListPages: review list pages its text as events list does
// (a large linkage leaves tens of thousands of items), and the pages hold
// every item once.
func TestReviewListPages(t *testing.T) {
	db := filepath.Join(t.TempDir(), "d.db")
	mustRun(t, "--db", db, "demo")
	var all []vigil.ReviewItem
	if err := json.Unmarshal([]byte(mustRun(t, "--db", db, "review", "list", "--format", "json")), &all); err != nil || len(all) < 5 {
		t.Fatalf("review list: %v, %d items; the demo leaves some", err, len(all))
	}
	var seen []string
	for off := 0; off < len(all); off += 4 {
		out, errOut, code := vigilRun(t, "--db", db, "review", "list", "--limit", "4", "--offset", strconv.Itoa(off))
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		for _, line := range strings.Split(out, "\n") {
			if strings.HasPrefix(line, "item ") {
				seen = append(seen, strings.Fields(line)[1])
			}
		}
		if more := off+4 < len(all); more != strings.Contains(errOut, fmt.Sprintf("of %d items; --offset %d for more", len(all), off+4)) {
			t.Errorf("offset %d: stderr %q; want a footer: %v", off, errOut, more)
		}
	}
	var want []string
	for _, it := range all {
		want = append(want, strconv.FormatInt(it.ID, 10))
	}
	if strings.Join(seen, ",") != strings.Join(want, ",") {
		t.Errorf("pages held items %v, want %v", seen, want)
	}
	if _, errOut, code := vigilRun(t, "--db", db, "review", "list", "--limit", "-1"); code != 1 || !strings.Contains(errOut, "want 0 or more") {
		t.Errorf("--limit -1: exit %d, %q", code, errOut)
	}
}

// TestLinkFlagsChecked: thresholds and windows that cannot mean what they
// say are refused, by link and by eval link alike.
func TestLinkFlagsChecked(t *testing.T) {
	db := filepath.Join(t.TempDir(), "v.db")
	mustRun(t, "--db", db, "init")
	gold := "../../testdata/link/wikipedia-2016.json"
	for _, tc := range []struct {
		args    []string
		wantErr string
	}{
		{[]string{"link", "--accept", "1", "--review", "5"}, "--review 5 is above --accept 1"},
		{[]string{"link", "--window", "-3"}, "--window -3: want 0 or more days"},
		{[]string{"eval", "link", gold, "--review", "4"}, "--review 4 is above --accept 3.5"},
		{[]string{"eval", "link", gold}, ""},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			_, errOut, code := vigilRun(t, append([]string{"--db", db}, tc.args...)...)
			if tc.wantErr == "" {
				if code != 0 {
					t.Errorf("exit %d: %s", code, errOut)
				}
				return
			}
			if code != 1 || !strings.Contains(errOut, tc.wantErr) {
				t.Errorf("exit %d, stderr %q; want %q", code, errOut, tc.wantErr)
			}
		})
	}
}

// TestUnknownHomeWarned: a --home unit the boundaries do not know (a typo)
// is warned of in the indicators and the brief, not silently counted as
// "everything outside home".
func TestUnknownHomeWarned(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "v.db")
	mustRun(t, "--db", db, "import", "ucdp", sample)
	for _, tc := range []struct {
		home string
		warn bool
	}{
		{"Nangarhr", true},
		{"AF-XYZ,AF-KNR", true},
		{"Nangarhar,AF-KNR", false},
	} {
		t.Run(tc.home, func(t *testing.T) {
			out := mustRun(t, "--db", db, "indicators", "--country", "AF", "--by", "year", "--home", tc.home, "--format", "json")
			var ind struct{ Warnings []analysis.Warning }
			if err := json.Unmarshal([]byte(out), &ind); err != nil {
				t.Fatal(err)
			}
			got := slices.ContainsFunc(ind.Warnings, func(w analysis.Warning) bool { return w.Kind == "unknown-home" })
			if got != tc.warn {
				t.Errorf("indicators warnings %+v; want unknown-home: %v", ind.Warnings, tc.warn)
			}
			md := filepath.Join(dir, "b.md")
			mustRun(t, "--db", db, "brief", "--country", "AF", "--home", tc.home, "--out", md)
			b, _ := os.ReadFile(md)
			if strings.Contains(string(b), "unknown-home") != tc.warn {
				t.Errorf("brief and unknown-home: want %v", tc.warn)
			}
		})
	}
}

// TestBriefCommandLineRedactsPassword: the command line a brief prints
// (to make it again) keeps a PostgreSQL URL's password out.
func TestBriefCommandLineRedactsPassword(t *testing.T) {
	for _, tc := range []struct{ db, want, never string }{
		{"postgres://vigil:s3cret@db.example/vigil", "--db=postgres://vigil:***@db.example/vigil", "s3cret"},
		{"iskp.db", "--db=iskp.db", ""},
	} {
		t.Run(tc.db, func(t *testing.T) {
			root := newRootCmd(&app{})
			cmd, _, err := root.Find([]string{"brief"})
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.ParseFlags([]string{"--db", tc.db, "--actor", "ISKP", "--out", "b.html"}); err != nil {
				t.Fatal(err)
			}
			got := commandLine(cmd)
			if !strings.Contains(got, tc.want) || tc.never != "" && strings.Contains(got, tc.never) {
				t.Errorf("command line %q; want %q, never %q", got, tc.want, tc.never)
			}
		})
	}
}

// TestPostgresPasswordNotPrinted: init names a PostgreSQL store without
// its password.
func TestPostgresPasswordNotPrinted(t *testing.T) {
	db := pgtest.URL(t)
	u, err := url.Parse(db)
	if err != nil {
		t.Fatal(err)
	}
	pw, ok := u.User.Password()
	if !ok || pw == "" {
		// A server that trusts local connections ignores a password: give
		// one, to see it kept out.
		pw = "not-a-secret-x9"
		u.User = url.UserPassword(u.User.Username(), pw)
	}
	out, errOut, code := vigilRun(t, "--db", u.String(), "init")
	if code != 0 {
		t.Skipf("init with a password in the URL: %s", errOut)
	}
	if strings.Contains(out, pw) || !strings.Contains(out, ":***@") {
		t.Errorf("init printed %q, with the password", out)
	}
}

// TestUnknownUnitNote: an empty selection by an admin-1 unit the boundaries
// know by no code or name (a typo) says so; a real unit, or a spelling of
// one the gazetteer knows, does not.
func TestUnknownUnitNote(t *testing.T) {
	db := filepath.Join(t.TempDir(), "v.db")
	mustRun(t, "--db", db, "import", "ucdp", sample)
	for _, tc := range []struct {
		admin1   string
		wantNote bool
	}{{"Nangxyz", true}, {"AF-XYZ", true}, {"Nangarhar", false}, {"AF-NAN", false},
		// A transliteration the gazetteer reads as Nangarhar selects it.
		{"Nangarhr", false}} {
		t.Run(tc.admin1, func(t *testing.T) {
			for _, cmd := range [][]string{{"events", "list", "--to", "1950-01-01"}, {"indicators", "--to", "1950-01-01"}} {
				_, errOut, code := vigilRun(t, append([]string{"--db", db}, append(cmd, "--admin1", tc.admin1)...)...)
				if code != 0 || strings.Contains(errOut, "note: no admin-1 unit") != tc.wantNote {
					t.Errorf("%s: exit %d, stderr %q; want the note: %v", cmd[0], code, errOut, tc.wantNote)
				}
			}
		})
	}
}

// TestCompositionJSONFields: every claim in actors composition's JSON says
// its stance and its conflicts (the README's fields), the default stance
// and no conflicts included.
func TestCompositionJSONFields(t *testing.T) {
	db := filepath.Join(t.TempDir(), "d.db")
	mustRun(t, "--db", db, "demo")
	var claims []map[string]any
	if err := json.Unmarshal([]byte(mustRun(t, "--db", db, "actors", "composition", "ISKP", "--format", "json")), &claims); err != nil || len(claims) == 0 {
		t.Fatalf("%v, %d claims", err, len(claims))
	}
	stances := map[any]int{}
	for _, c := range claims {
		stances[c["stance"]]++
		if _, ok := c["conflicts"].([]any); !ok {
			t.Errorf("claim %v: conflicts %v, want a list", c["id"], c["conflicts"])
		}
	}
	if stances["asserts"] == 0 || stances["denies"] == 0 || stances["asserts"]+stances["denies"] != len(claims) {
		t.Errorf("stances %v over %d claims; want each claim to assert or deny", stances, len(claims))
	}
}

// TestEventsShowType: events show writes an event's type without a
// dangling " / " when the sub-event type is not known.
func TestEventsShowType(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "v.db")
	mustRun(t, "--db", db, "import", "case", writeCase(t, dir, [][5]any{{"2022-01-05", "AF", 1, 1, 1}}))
	out := mustRun(t, "--db", db, "events", "show", "1")
	if !strings.Contains(out, "  type        Explosions/Remote violence   [from R1]\n") {
		t.Errorf("events show:\n%s", out)
	}
}

// TestActorsFlagEverywhere: a dictionary given with --actors is the one
// every command reads names through, also those that never load the
// dictionary themselves (events list, export): an alias only it holds
// finds the actor's events; a missing file is an error, not ignored.
func TestActorsFlagEverywhere(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "v.db")
	mustRun(t, "--db", db, "import", "ucdp", sample)
	raw, err := os.ReadFile("../../data/actors.json")
	if err != nil {
		t.Fatal(err)
	}
	var dict map[string]any
	if err := json.Unmarshal(raw, &dict); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, x := range dict["actors"].([]any) {
		if a := x.(map[string]any); a["id"] == "iskp" {
			a["names"] = append(a["names"].([]any), map[string]any{"name": "Khurasan Test Alias"})
			found = true
		}
	}
	if !found {
		t.Fatal("no iskp in the shipped dictionary")
	}
	custom := filepath.Join(dir, "actors.json")
	b, _ := json.Marshal(dict)
	if err := os.WriteFile(custom, b, 0o644); err != nil {
		t.Fatal(err)
	}
	count := func(args ...string) int {
		var evs []map[string]any
		out := mustRun(t, append([]string{"--db", db}, args...)...)
		if err := json.Unmarshal([]byte(out), &evs); err != nil {
			t.Fatalf("%v: %v: %s", args, err, out)
		}
		return len(evs)
	}
	iskp := count("events", "list", "--actor", "ISKP", "--format", "json")
	if iskp == 0 {
		t.Fatal("no ISKP events in the sample")
	}
	if n := count("events", "list", "--actor", "Khurasan Test Alias", "--format", "json"); n != 0 {
		t.Fatalf("the alias found %d events before its dictionary was given", n)
	}
	if n := count("--actors", custom, "events", "list", "--actor", "Khurasan Test Alias", "--format", "json"); n != iskp {
		t.Errorf("events list --actors FILE --actor ALIAS: %d events, want ISKP's %d", n, iskp)
	}
	if _, errOut, code := vigilRun(t, "--db", db, "--actors", filepath.Join(dir, "missing.json"), "events", "list"); code == 0 || !strings.Contains(errOut, "missing.json") {
		t.Errorf("a missing --actors file: exit %d, stderr %q; want an error naming it", code, errOut)
	}
}

// TestExportSTIXClearance: export stix --tlp writes a relationship or a
// composition claim only when the level allows every document behind it,
// as GET /relationships shows them to a reader of that clearance: a claim's
// values may come from any of its documents.
func TestExportSTIXClearance(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "v.db")
	doc := func(key, tlp string) string {
		return `{"source": "Desk", "key": "` + key + `", "title": "` + key + `", "published": "2023-01-01", "text": "` + key + `", "tlp": "` + tlp + `", "reports": []}`
	}
	rel := func(to, desc string, docs ...string) string {
		var refs []string
		for _, d := range docs {
			refs = append(refs, `{"source": "Desk", "key": "`+d+`"}`)
		}
		return `{"from": "iskp", "to": "` + to + `", "type": "cooperation", "description": "` + desc + `", "documents": [` + strings.Join(refs, ", ") + `]}`
	}
	cf := `{"title": "ties", "sources": [{"name": "Desk", "kind": "academic", "reliability": "B"}],
	 "documents": [` + doc("public-1", "CLEAR") + `, ` + doc("amber-1", "AMBER") + `],
	 "relationships": [` + rel("ttp", "PUBLIC-TIE", "public-1") + `, ` + rel("imu", "MIXED-TIE", "public-1", "amber-1") + `, ` + rel("etim", "AMBER-TIE", "amber-1") + `]}`
	file := filepath.Join(dir, "ties.json")
	if err := os.WriteFile(file, []byte(cf), 0o644); err != nil {
		t.Fatal(err)
	}
	mustRun(t, "--db", db, "import", "case", file)
	for _, tc := range []struct {
		tlp       string
		want, not []string
	}{
		{"", []string{"PUBLIC-TIE", "MIXED-TIE", "AMBER-TIE"}, nil},
		{"GREEN", []string{"PUBLIC-TIE"}, []string{"MIXED-TIE", "AMBER-TIE", "amber-1"}},
		{"AMBER", []string{"PUBLIC-TIE", "MIXED-TIE", "AMBER-TIE"}, nil},
	} {
		out := filepath.Join(dir, "b"+tc.tlp+".json")
		args := []string{"--db", db, "export", "stix", "--out", out}
		if tc.tlp != "" {
			args = append(args, "--tlp", tc.tlp)
		}
		mustRun(t, args...)
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range tc.want {
			if !strings.Contains(string(b), w) {
				t.Errorf("--tlp %q: the bundle lacks %s", tc.tlp, w)
			}
		}
		for _, n := range tc.not {
			if strings.Contains(string(b), n) {
				t.Errorf("--tlp %q: the bundle holds %s", tc.tlp, n)
			}
		}
	}
}
