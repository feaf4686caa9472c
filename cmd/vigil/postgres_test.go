package main

import (
	"bytes"
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
