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

// TestReviewMergeAcrossMarkings: linkage leaves an AMBER report apart from
// the public event of the same attack, for review; merging the two is
// refused with what it would hide unless --across-markings says it is
// meant, and the operation records it.
func TestReviewMergeAcrossMarkings(t *testing.T) {
	db := filepath.Join(t.TempDir(), "d.db")
	mustRun(t, "--db", db, "import", "case", "../../http/testdata/same-attack-case.json")
	mustRun(t, "--db", db, "link")
	var items []vigil.ReviewItem
	if err := json.Unmarshal([]byte(mustRun(t, "--db", db, "review", "list", "--format", "json")), &items); err != nil {
		t.Fatal(err)
	}
	item := ""
	for _, it := range items {
		if strings.Contains(it.Explanation[len(it.Explanation)-1], "different markings") {
			item = strconv.FormatInt(it.ID, 10)
		}
	}
	if item == "" {
		t.Fatalf("no review item of reports of different markings among %d", len(items))
	}
	_, errOut, code := vigilRun(t, "--db", db, "review", "merge", item, "--reason", "same attack")
	if code == 0 || !strings.Contains(errOut, "AMBER") || !strings.Contains(errOut, "--across-markings") {
		t.Errorf("a merge across markings: exit %d, %q; want a refusal naming the markings and the flag", code, errOut)
	}
	mustRun(t, "--db", db, "review", "merge", item, "--reason", "same attack", "--across-markings")
	var ops []vigil.LinkOp
	json.Unmarshal([]byte(mustRun(t, "--db", db, "review", "history", "--format", "json")), &ops)
	if len(ops) == 0 || ops[0].Kind != vigil.LinkOpMerge || !ops[0].AcrossMarkings {
		t.Errorf("history %+v: want the merge first, marked as across markings", ops)
	}
}
