package sqlite

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-osint/vigil"
)

// The actor filters read event_actors through its two partial indexes,
// one for actors the dictionary knows and one for names it does not,
// never by scanning the table: a partial index serves only a query whose
// conditions imply its own.
func TestActorFilterPlans(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "v.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	where, args := eventWhere(vigil.EventFilter{Actor: "ISKP"})
	clearedWhere, clearedArgs := eventWhere(vigil.EventFilter{Actor: "ISKP", Clearance: vigil.TLPGreen})
	names, _ := actorNamesSQL("iskp", "")
	clearedNames, _ := actorNamesSQL("iskp", vigil.TLPGreen)
	for _, q := range []struct {
		name string
		sql  string
		args []any
	}{
		{"eventWhere", `SELECT e.id FROM events e` + where, args},
		{"eventWhere cleared", `SELECT e.id FROM events e` + clearedWhere, clearedArgs},
		{"actorPairsSQL", actorPairsSQL(names, "", ""), []any{"iskp", "iskp"}},
		{"actorPairsSQL cleared", actorPairsSQL(clearedNames, "", ""), []any{"iskp", 1, "iskp"}},
		{"actorPairsSQL after", actorPairsSQL(names, ` AND (date_start, event_id) < (?, ?)`, " DESC"), []any{"iskp", "2020-01-01", 9, "iskp", "2020-01-01", 9}},
	} {
		rows, err := s.db.QueryContext(ctx, `EXPLAIN QUERY PLAN `+q.sql, q.args...)
		if err != nil {
			t.Fatalf("%s: %v", q.name, err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		all := strings.Join(plan, "\n")
		if strings.Contains(all, "SCAN ea") || strings.Contains(all, "SCAN event_actors") ||
			!strings.Contains(all, "INDEX event_actors_actor") || !strings.Contains(all, "INDEX event_actors_name") {
			t.Errorf("%s: plan\n%s\nwant both event_actors indexes and no scan", q.name, all)
		}
	}
}
