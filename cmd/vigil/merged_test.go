package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// TestEventsShowMerged: an event a person merged into another is not found,
// and says where it went, following later merges; an undone merge no longer
// counts. Before, an analyst's noted event id said only "not found".
func TestEventsShowMerged(t *testing.T) {
	db := filepath.Join(t.TempDir(), "v.db")
	mustRun(t, "--db", db, "import", "ucdp", sample)
	evs := eventsJSON(t, db, "--country", "AF", "--limit", "3")
	if len(evs) != 3 {
		t.Fatalf("%d events, want 3", len(evs))
	}
	a, b, c := evs[0].ID, evs[1].ID, evs[2].ID
	merge := func(into, from int64) {
		mustRun(t, "--db", db, "review", "merge", "--events", fmt.Sprintf("%d,%d", into, from), "--reason", "one attack")
	}
	merge(b, c) // operation 1: c into b
	merge(a, b) // operation 2: b into a
	tests := []struct {
		id   int64
		want string
	}{
		{c, fmt.Sprintf("event %d not found: operation 1 merged it into event %d", c, a)},
		{b, fmt.Sprintf("event %d not found: operation 2 merged it into event %d", b, a)},
		{999999, "event 999999 not found\n"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.id), func(t *testing.T) {
			_, errOut, code := vigilRun(t, "--db", db, "events", "show", fmt.Sprint(tt.id))
			if code != 1 || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stderr %q, want %q", code, errOut, tt.want)
			}
		})
	}
	mustRun(t, "--db", db, "review", "undo", "2", "--reason", "too fast")
	mustRun(t, "--db", db, "events", "show", fmt.Sprint(b))
	if _, errOut, _ := vigilRun(t, "--db", db, "events", "show", fmt.Sprint(c)); !strings.Contains(errOut, fmt.Sprintf("merged it into event %d ", b)) {
		t.Errorf("after undoing the second merge: %q, want event %d", errOut, b)
	}
}
