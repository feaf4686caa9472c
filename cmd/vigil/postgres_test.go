package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-osint/vigil/postgres/pgtest"
)

// TestPostgresImportEvents runs an import and the event list on
// PostgreSQL, as on SQLite: the same counts, the same events, and a second
// import that changes nothing.
func TestPostgresImportEvents(t *testing.T) {
	db := pgtest.URL(t)
	out := mustRun(t, "--db", db, "import", "ucdp", sample)
	if !strings.Contains(out, "read 905, new 905, unchanged 0, updated 0, rejected 0") {
		t.Errorf("first import said %q, want 905 new", out)
	}
	lite := filepath.Join(t.TempDir(), "v.db")
	mustRun(t, "--db", lite, "import", "ucdp", sample)

	pg, sq := eventsJSON(t, db), eventsJSON(t, lite)
	if len(pg) != 905 || len(pg) != len(sq) {
		t.Fatalf("PostgreSQL lists %d events, SQLite %d, want 905 each", len(pg), len(sq))
	}
	for i := range pg {
		if pg[i].Key != sq[i].Key || pg[i].Killed != sq[i].Killed || pg[i].Country != sq[i].Country || len(pg[i].Actors) != len(sq[i].Actors) {
			t.Fatalf("event %d: PostgreSQL %s %v %s, SQLite %s %v %s", i, pg[i].Key, pg[i].Killed, pg[i].Country, sq[i].Key, sq[i].Killed, sq[i].Country)
		}
	}
	for _, alias := range []string{"ISKP", "IS-K"} {
		if a, b := len(eventsJSON(t, db, "--actor", alias)), len(eventsJSON(t, lite, "--actor", alias)); a != b || a == 0 {
			t.Errorf("--actor %s: PostgreSQL %d events, SQLite %d", alias, a, b)
		}
	}
	out = mustRun(t, "--db", db, "import", "ucdp", sample)
	if !strings.Contains(out, "read 905, new 0, unchanged 905, updated 0, rejected 0") {
		t.Errorf("re-import said %q, want all 905 unchanged", out)
	}
}

// TestMigrateStoreRoundTrip moves the demo case and a UCDP import from
// SQLite to PostgreSQL and back, and finds the last store's dump identical
// to the first's, byte for byte.
func TestMigrateStoreRoundTrip(t *testing.T) {
	pg := pgtest.URL(t)
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.db"), filepath.Join(dir, "b.db")
	mustRun(t, "--db", a, "demo")
	mustRun(t, "--db", a, "import", "ucdp", sample)
	mustRun(t, "--db", a, "link")

	out := mustRun(t, "migrate-store", "--from", a, "--to", pg)
	if !strings.Contains(out, "verified: both stores dump to the same bytes") {
		t.Errorf("SQLite → PostgreSQL said %q", out)
	}
	if got, want := len(eventsJSON(t, pg)), len(eventsJSON(t, a)); got != want || want == 0 {
		t.Errorf("PostgreSQL lists %d events, SQLite %d", got, want)
	}
	mustRun(t, "migrate-store", "--from", pg, "--to", b)

	d1, d2 := filepath.Join(dir, "1.jsonl"), filepath.Join(dir, "2.jsonl")
	mustRun(t, "--db", a, "dump", "--out", d1)
	mustRun(t, "--db", b, "dump", "--out", d2)
	x, _ := os.ReadFile(d1)
	y, _ := os.ReadFile(d2)
	if len(x) == 0 || !bytes.Equal(x, y) {
		t.Fatalf("SQLite → PostgreSQL → SQLite: dumps of %d and %d bytes differ", len(x), len(y))
	}
	// The copy on PostgreSQL works as a store, not only as a dump: the
	// brief reads it.
	if brief := mustRun(t, "--db", pg, "events", "list", "--actor", "ISKP"); !strings.Contains(brief, "AF") {
		t.Errorf("events on the migrated PostgreSQL store: %q", brief[:min(len(brief), 300)])
	}
	_, errOut, code := vigilRun(t, "migrate-store", "--from", a, "--to", pg)
	if code == 0 || !strings.Contains(errOut, "empty store") {
		t.Errorf("migrating into a store with data: exit %d, %q", code, errOut)
	}
}

// TestPostgresDemoSameAsSQLite loads the demo case into PostgreSQL and into
// SQLite, each linked by its own store's linkage: both must say the same
// and hold the same events, values and review queue.
func TestPostgresDemoSameAsSQLite(t *testing.T) {
	pg, lite := pgtest.URL(t), filepath.Join(t.TempDir(), "v.db")
	demo := func(db string) string {
		out, errOut, code := vigilRun(t, "demo", "--db", db)
		if code != 0 {
			t.Fatalf("demo --db %s: exit %d\n%s", db, code, errOut)
		}
		return out + errOut
	}
	outPG, outLite := demo(pg), demo(lite)
	linked := func(out string) string {
		for _, l := range strings.Split(out, "\n") {
			if strings.HasPrefix(l, "linked: ") {
				return l
			}
		}
		return ""
	}
	if a, b := linked(outPG), linked(outLite); a == "" || a != b {
		t.Errorf("linkage: PostgreSQL %q, SQLite %q", a, b)
	}
	for _, args := range [][]string{{"events", "list", "--format", "json"}, {"review", "list", "--format", "json"}, {"indicators", "--actor", "ISKP", "--by", "year", "--format", "json"}} {
		a, b := mustRun(t, append([]string{"--db", pg}, args...)...), mustRun(t, append([]string{"--db", lite}, args...)...)
		if a, b = withoutRecordTimes(t, a), withoutRecordTimes(t, b); a != b {
			t.Errorf("%s: PostgreSQL and SQLite differ:\n%s", strings.Join(args, " "), firstDiff(a, b))
		}
	}
}

// withoutRecordTimes drops the times rows were recorded at from JSON,
// which differ between two stores loaded a second apart.
func withoutRecordTimes(t *testing.T, s string) string {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("not JSON: %v\n%.300s", err, s)
	}
	var drop func(v any) any
	drop = func(v any) any {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if k == "recorded_at" || k == "updated_at" || k == "created_at" {
					delete(v, k)
				} else {
					v[k] = drop(x)
				}
			}
		case []any:
			for i, x := range v {
				v[i] = drop(x)
			}
		}
		return v
	}
	b, _ := json.MarshalIndent(drop(v), "", " ")
	return string(b)
}

// firstDiff shows where two texts first differ, with a few lines around.
func firstDiff(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < min(len(la), len(lb)); i++ {
		if la[i] != lb[i] {
			lo, hi := max(0, i-8), min(i+4, len(la), len(lb))
			return fmt.Sprintf("line %d:\n%s\n--- versus ---\n%s", i+1, strings.Join(la[lo:hi], "\n"), strings.Join(lb[lo:hi], "\n"))
		}
	}
	return fmt.Sprintf("%d lines versus %d", len(la), len(lb))
}
