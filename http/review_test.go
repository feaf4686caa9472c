package http

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-osint/vigil"
)

// TestReviewHistoryAndUndo reads the history of linkage operations and
// undoes a decision over HTTP: each reader sees the operations whose
// events and reports they may see whole (a linkage run only the admin),
// an undo restores what the decision changed, is audited, and cannot be
// made twice; what a reader may not see cannot be undone by them either.
func TestReviewHistoryAndUndo(t *testing.T) {
	f := newFixture(t, nil)
	if st := f.link(); st.Review == 0 {
		t.Fatalf("linkage left nothing for review: %+v", st)
	}
	var queue []*vigil.ReviewItem
	f.get("/api/v1/review", "greenanalyst", &queue)
	if len(queue) == 0 {
		t.Fatal("an empty queue")
	}
	it := *queue[0]
	var merge vigil.LinkOp
	if res := f.do("POST", "/api/v1/review/merge", "greenanalyst", fmt.Sprintf(`{"item":%d,"reason":"same attack"}`, it.ID)); res.status != 200 {
		t.Fatalf("merge: %d %s", res.status, res.body)
	} else {
		res.json(t, &merge)
	}

	// An event the AMBER analyst sees and GREEN readers do not.
	f.upload("analyst", "testdata/amber-alert-case.json")
	var all, green struct{ Items []*vigil.Event }
	f.get("/api/v1/events?limit=1000", "analyst", &all)
	f.get("/api/v1/events?limit=1000", "green", &green)
	amber := int64(0)
	for _, e := range all.Items {
		if !slices.ContainsFunc(green.Items, func(g *vigil.Event) bool { return g.ID == e.ID }) {
			amber = e.ID
		}
	}
	if amber == 0 {
		t.Fatal("no event above GREEN in the fixture")
	}
	var confirm vigil.LinkOp
	if res := f.do("POST", "/api/v1/review/confirm", "analyst", fmt.Sprintf(`{"event":%d,"reason":"checked"}`, amber)); res.status != 200 {
		t.Fatalf("confirm: %d %s", res.status, res.body)
	} else {
		res.json(t, &confirm)
	}

	kinds := func(user string) []string {
		var ops []*vigil.LinkOp
		f.get("/api/v1/review/history", user, &ops)
		var out []string
		for _, op := range ops {
			out = append(out, fmt.Sprintf("%s %d", op.Kind, op.ID))
		}
		return out
	}
	mergeOp, confirmOp := fmt.Sprintf("merge %d", merge.ID), fmt.Sprintf("confirm %d", confirm.ID)
	for _, tc := range []struct {
		user      string
		want, not []string
		runs      bool
	}{
		{"green", []string{mergeOp}, []string{confirmOp}, false},
		{"analyst", []string{mergeOp, confirmOp}, nil, false},
		{"admin", []string{confirmOp, mergeOp}, nil, true},
	} {
		got := kinds(tc.user)
		for _, w := range tc.want {
			if !slices.Contains(got, w) {
				t.Errorf("%s: history %v lacks %s", tc.user, got, w)
			}
		}
		for _, n := range tc.not {
			if slices.Contains(got, n) {
				t.Errorf("%s: history %v shows %s", tc.user, got, n)
			}
		}
		if runs := slices.ContainsFunc(got, func(s string) bool { return strings.HasPrefix(s, "link ") }); runs != tc.runs {
			t.Errorf("%s: history %v: linkage runs shown %v, want %v", tc.user, got, runs, tc.runs)
		}
	}
	var one []*vigil.LinkOp
	if f.get("/api/v1/review/history?limit=1", "admin", &one); len(one) != 1 || one[0].ID != confirm.ID {
		t.Errorf("history?limit=1: %+v, want the confirmation, newest", one)
	}

	undo := func(op int64, reason string) string { return fmt.Sprintf(`{"op":%d,"reason":%q}`, op, reason) }
	for _, st := range []struct {
		name, user, body string
		status           int
	}{
		{"a viewer may not undo", "green", undo(merge.ID, "wrong"), 403},
		{"a reason is required", "greenanalyst", undo(merge.ID, ""), 400},
		{"an unknown operation", "greenanalyst", undo(987654, "x"), 404},
		{"an operation on an event above GREEN", "greenanalyst", undo(confirm.ID, "x"), 404},
		{"undo the merge", "greenanalyst", undo(merge.ID, "<script>x</script> two attacks after all"), 200},
		{"undo it twice", "greenanalyst", undo(merge.ID, "again"), 409},
	} {
		res := f.do("POST", "/api/v1/review/undo", st.user, st.body)
		if res.status != st.status || strings.Contains(res.body, "<script") {
			t.Errorf("%s: status %d, want %d: %.300s", st.name, res.status, st.status, res.body)
		}
	}
	if res := f.do("GET", fmt.Sprintf("/api/v1/events/%d", it.EventB), "green", nil); res.status != 200 {
		t.Errorf("after the undo event %d answers %d, want it back", it.EventB, res.status)
	}
	var entries []*vigil.AuditEntry
	f.get("/api/v1/audit?limit=1000", "admin", &entries)
	if !slices.ContainsFunc(entries, func(e *vigil.AuditEntry) bool {
		return e.Action == "review.undo" && e.Object == fmt.Sprintf("linkop/%d", merge.ID)
	}) {
		t.Errorf("no review.undo of operation %d in the audit log", merge.ID)
	}
}

// TestUploadLinks uploads one attack in three reports, two public and one
// AMBER: the upload's job links them, the two public reports become one
// event that GREEN readers see whole, and the AMBER one stays apart, for a
// person to decide, rather than hiding the public event from them. The
// run's figures go to readers cleared for RED only; an admin may run
// linkage on demand.
func TestUploadLinks(t *testing.T) {
	f := newFixture(t, nil)
	jb := f.upload("analyst", "testdata/same-attack-case.json")
	if jb.Status != vigil.BatchDone || !jb.Linked || jb.LinkError != "" {
		t.Fatalf("job %+v: want done and linked", jb)
	}
	if jb.Link != nil {
		t.Errorf("the AMBER analyst sees the run's figures %+v, which count every report that waited", jb.Link)
	}
	var green struct{ Items []*vigil.Event }
	f.get("/api/v1/events?country=UZ&from=2023-08-01&limit=100", "green", &green)
	if len(green.Items) != 1 || len(green.Items[0].ReportIDs) != 2 {
		for _, e := range green.Items {
			t.Logf("%d %s %v %s", e.ID, e.Key, e.ReportIDs, e.DateStart)
		}
		t.Fatalf("GREEN sees %d events in UZ, want the two public reports as one", len(green.Items))
	}
	var admin struct{ Items []*vigil.Event }
	f.get("/api/v1/events?country=UZ&from=2023-08-01&limit=100", "admin", &admin)
	if len(admin.Items) != 2 {
		t.Errorf("the admin sees %d events in UZ, want the public one and the AMBER one apart", len(admin.Items))
	}
	var queue []*vigil.ReviewItem
	f.get("/api/v1/review", "admin", &queue)
	across := slices.IndexFunc(queue, func(it *vigil.ReviewItem) bool {
		return strings.Contains(it.Explanation[len(it.Explanation)-1], "different markings")
	})
	if across < 0 {
		t.Fatalf("no review item says the markings differ: %d items", len(queue))
	}
	var ops []*vigil.LinkOp
	f.get("/api/v1/review/history", "admin", &ops)
	if len(ops) == 0 || ops[0].Kind != vigil.LinkOpLink || ops[0].By != "analyst" {
		t.Errorf("history %+v: want the upload's linkage run first, by the analyst", ops)
	}

	if res := f.do("POST", "/api/v1/link", "analyst", nil); res.status != 403 {
		t.Errorf("an analyst runs linkage: %d, want 403 (admins only)", res.status)
	}
	res := f.do("POST", "/api/v1/link", "admin", nil)
	var st struct {
		Pending int `json:"pending"`
	}
	if res.json(t, &st); res.status != 200 || st.Pending != 0 {
		t.Errorf("linkage on demand: %d %s, want 200 and nothing pending", res.status, res.body)
	}

	// A person merging them is stopped and told what it would do, unless
	// they say it is meant; the merged event is AMBER then.
	body := fmt.Sprintf(`{"item": %d, "reason": "same attack"}`, queue[across].ID)
	if res := f.do("POST", "/api/v1/review/merge", "admin", body); res.status != 409 || !strings.Contains(res.body, "is CLEAR and event") {
		t.Errorf("merge across markings: %d %s, want 409 naming the markings", res.status, res.body)
	}
	body = fmt.Sprintf(`{"item": %d, "reason": "same attack", "across_markings": true}`, queue[across].ID)
	res0 := f.do("POST", "/api/v1/review/merge", "admin", body)
	var merged vigil.LinkOp
	if res0.json(t, &merged); res0.status != 200 || !merged.AcrossMarkings {
		t.Errorf("merge across markings on purpose: %d %s, want 200 recording it", res0.status, res0.body)
	}
	f.get("/api/v1/events?country=UZ&from=2023-08-01&limit=100", "admin", &admin)
	if len(admin.Items) != 1 || admin.Items[0].Marking != vigil.TLPAmber {
		t.Errorf("after the merge the admin sees %d events in UZ, want one AMBER event", len(admin.Items))
	}
}
