package main

import (
	"database/sql"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestEventsFuse spoils a stored event of the demo, as a store filled by an
// older vigil keeps fusions the rules it runs no longer make: it is given
// another's stored fusion. `vigil events fuse` makes every event again
// from its reports: the events list as before but for the time they were
// written (updated_at), the events of several reports counted.
func TestEventsFuse(t *testing.T) {
	db := filepath.Join(t.TempDir(), "v.db")
	mustRun(t, "--db", db, "demo")
	list := func() string {
		out := mustRun(t, "--db", db, "events", "list", "--format", "json")
		return regexp.MustCompile(`"updated_at": "[^"]*"`).ReplaceAllString(out, `"updated_at": ""`)
	}
	before := list()

	raw, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	var a, b int64
	if err := raw.QueryRow(`SELECT min(id), max(id) FROM events WHERE data <> ''`).Scan(&a, &b); err != nil || a == b {
		t.Fatalf("two events of several reports: %d, %d, %v", a, b, err)
	}
	_, err = raw.Exec(`UPDATE events SET (date_start, date_end, country, admin1, admin1_name, event_type, data) =
		(SELECT date_start, date_end, country, admin1, admin1_name, event_type, data FROM events WHERE id = ?) WHERE id = ?`, a, b)
	if err != nil {
		t.Fatal(err)
	}
	raw.Close()
	if list() == before {
		t.Fatal("the spoiled events list as before")
	}

	out := mustRun(t, "--db", db, "events", "fuse")
	if !strings.HasPrefix(out, "fused ") || strings.HasPrefix(out, "fused 0 ") {
		t.Errorf("events fuse printed %q", out)
	}
	if after := list(); after != before {
		t.Errorf("after events fuse the events list otherwise than before the spoil")
	}
}
