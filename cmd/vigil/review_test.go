package main

import (
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/vigil-osint/vigil"
)

// TestReviewMergeAndUndo takes the demo's review queue (the demo links
// what it loads), merges the first item's two events with a reason, and
// undoes it: the events come and go as the decisions say, and every
// decision is in the history.
func TestReviewMergeAndUndo(t *testing.T) {
	db := filepath.Join(t.TempDir(), "d.db")
	mustRun(t, "--db", db, "demo")
	var items []vigil.ReviewItem
	if err := json.Unmarshal([]byte(mustRun(t, "--db", db, "review", "list", "--format", "json")), &items); err != nil || len(items) == 0 {
		t.Fatalf("review list: %v, %d items; the demo should leave uncertain links for review", err, len(items))
	}
	it := items[0]
	before := len(eventsJSON(t, db))

	_, errOut, code := vigilRun(t, "--db", db, "review", "merge", strconv.FormatInt(it.ID, 10))
	if code == 0 || !strings.Contains(errOut, "reason") {
		t.Errorf("a merge without --reason: exit %d, %q", code, errOut)
	}
	mustRun(t, "--db", db, "review", "merge", strconv.FormatInt(it.ID, 10), "--reason", "same attack, same toll")
	if got := len(eventsJSON(t, db)); got != before-1 {
		t.Fatalf("after the merge %d events, want %d", got, before-1)
	}
	var ops []vigil.LinkOp
	json.Unmarshal([]byte(mustRun(t, "--db", db, "review", "history", "--format", "json")), &ops)
	var merge *vigil.LinkOp
	for i := range ops {
		if ops[i].Kind == vigil.LinkOpMerge && ops[i].Reason == "same attack, same toll" {
			merge = &ops[i]
		}
	}
	if merge == nil {
		t.Fatalf("the merge is not in the history: %+v", ops)
	}
	mustRun(t, "--db", db, "review", "undo", strconv.FormatInt(merge.ID, 10), "--reason", "merged too fast")
	if got := len(eventsJSON(t, db)); got != before {
		t.Errorf("after the undo %d events, want %d again", got, before)
	}
}
