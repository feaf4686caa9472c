package bench

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// sample is the real UCDP sample.
var sample = filepath.Join("..", "testdata", "ucdp", "ucdp_ged231_sample.csv")

// loadSample loads the sample with load into a new database, which must
// take all its 905 rows, and returns the database, open.
func loadSample(t *testing.T, load func(sample, db string) (time.Duration, int, error)) *sql.DB {
	t.Helper()
	db := filepath.Join(t.TempDir(), "floor.db")
	_, n, err := load(sample, db)
	if err != nil {
		t.Fatal(err)
	}
	if n != 905 {
		t.Errorf("loaded %d rows, want the sample's 905", n)
	}
	h, err := sql.Open("sqlite", "file:"+db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return h
}

// TestDriverImport loads the real UCDP sample and a CSV with a broken
// quote: every row of the one lands in the bare table, in chunks smaller
// than the file; the other is an error naming the file.
func TestDriverImport(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	h := loadSample(t, func(sample, db string) (time.Duration, int, error) { return DriverImport(ctx, Driver, sample, db, 100) })
	var stored, size int
	if err := h.QueryRowContext(ctx, "SELECT count(*) FROM ged").Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if err := h.QueryRowContext(ctx, "PRAGMA page_size").Scan(&size); err != nil {
		t.Fatal(err)
	}
	if stored != 905 || size != 65536 {
		t.Errorf("table holds %d rows in pages of %d bytes; want 905 in 65536", stored, size)
	}

	bad := filepath.Join(dir, "bad.csv")
	if err := os.WriteFile(bad, []byte("a,b\n1,2\n\"3,4\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := DriverImport(ctx, Driver, bad, filepath.Join(dir, "bad.db"), 100); err == nil {
		t.Error("a broken quote loaded without an error")
	}
}

// TestModelFloor loads the real UCDP sample as the data model's least
// tables: a document, its report and an event a row, an actor row for
// each side, the report holding the row's fields that the floor reads; a
// file without the columns named is an error naming them.
func TestModelFloor(t *testing.T) {
	ctx := context.Background()
	cols := GEDColumns
	h := loadSample(t, func(sample, db string) (time.Duration, int, error) {
		return ModelFloor(ctx, Driver, sample, db, cols, 100)
	})
	for _, c := range []struct {
		q    string
		want int
	}{
		{"SELECT count(*) FROM documents", 905},
		{"SELECT count(*) FROM reports r JOIN documents d ON d.id = r.document_id JOIN events e ON e.id = r.event_id WHERE e.key = d.key", 905},
		{"SELECT count(*) FROM reports r JOIN events e ON e.id = r.event_id WHERE instr(r.data, e.country) > 0 AND instr(r.data, e.date_start) > 0", 905},
		{"SELECT count(*) FROM events", 905},
		{"SELECT count(*) FROM event_actors", 1810},                                      // every row names both sides
		{"SELECT count(*) FROM event_actors WHERE role = 'side_a' AND actor = 'IS'", 33}, // as the file has it,
	} {
		var got int
		if err := h.QueryRowContext(ctx, c.q).Scan(&got); err != nil {
			t.Fatalf("%s: %v", c.q, err)
		}
		if got != c.want {
			t.Errorf("%s = %d, want %d", c.q, got, c.want)
		}
	}
	bad := cols
	bad.Actors = []string{"side_a", "side_c"} // a new slice: GEDColumns stays as it is
	if _, _, err := ModelFloor(ctx, Driver, sample, filepath.Join(t.TempDir(), "bad.db"), bad, 100); err == nil || !strings.Contains(err.Error(), "side_c") {
		t.Errorf("a missing column: %v, want an error naming side_c", err)
	}
}
