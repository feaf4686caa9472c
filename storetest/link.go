package storetest

import (
	"cmp"
	"slices"
	"testing"

	"github.com/vigil-osint/vigil"
)

// linkStore returns the store's linkage service: every store must have one.
func linkStore(t *testing.T, s vigil.Store) vigil.LinkService {
	t.Helper()
	ls, ok := s.(vigil.LinkService)
	if !ok {
		t.Fatalf("%T does not implement vigil.LinkService", s)
	}
	return ls
}

// linkSetup ingests reports: keyed ones make their own events, unkeyed
// ones are left to linkage. It returns the report ids by document key.
func linkSetup(t *testing.T, s vigil.Store, items ...vigil.Item) map[string]int64 {
	t.Helper()
	setup(t, s)
	_, err := s.Ingest(ctx, nil, items)
	must(t, err)
	marking := map[string]vigil.TLP{}
	for _, it := range items {
		for _, r := range it.Reports {
			marking[r.Key] = cmp.Or(it.Document.Marking, vigil.TLPClear)
		}
	}
	ids := map[string]int64{}
	err = linkStore(t, s).ScanLinkRecords(ctx, vigil.LinkFilter{Pending: true}, func(lr *vigil.LinkRecord) error {
		if lr.Source == nil {
			t.Errorf("report %d has no source", lr.Report.ID)
		}
		if lr.Marking != marking[lr.Report.Key] {
			t.Errorf("report %s: marking %q, want its document's %q", lr.Report.Key, lr.Marking, marking[lr.Report.Key])
		}
		ids[lr.Report.Key] = lr.Report.ID
		return nil
	})
	must(t, err)
	return ids
}

// eventOf returns the event a report is in now, 0 for none.
func eventOf(t *testing.T, s vigil.Store, report int64) int64 {
	t.Helper()
	evs, _, err := s.FindEvents(ctx, vigil.EventFilter{})
	must(t, err)
	for _, e := range evs {
		if slices.Contains(e.ReportIDs, report) {
			return e.ID
		}
	}
	return 0
}

func pakistan(it vigil.Item) vigil.Item {
	it.Reports[0].Country, it.Reports[0].Admin1, it.Reports[0].Admin1Name = "PK", "PK-BA", "Balochistan"
	it.Reports[0].Latitude, it.Reports[0].Longitude = ptr(30.19), ptr(67.01)
	return it
}

func testLinkApply(t *testing.T, s vigil.Store) {
	ls := linkStore(t, s)
	amaq := item("Amaq", "c", "", vigil.Exact(9), "h3")
	amaq.Document.Marking = vigil.TLPAmber // linkSetup checks that records carry it
	ids := linkSetup(t, s,
		item("Wire", "a", "", vigil.Exact(6), "h1"),
		item("Ministry", "b", "", vigil.Exact(5), "h2"),
		amaq,
		pakistan(item("Wire", "d", "", vigil.Exact(2), "h4")))
	if len(ids) != 4 {
		t.Fatalf("pending reports = %v, want 4", ids)
	}
	evs, _, err := s.FindEvents(ctx, vigil.EventFilter{})
	must(t, err)
	if len(evs) != 0 {
		t.Fatalf("unkeyed reports made %d events before linkage, want 0", len(evs))
	}
	since, err := ls.LinkMark(ctx)
	must(t, err)
	mark := slices.Max([]int64{ids["a"], ids["b"], ids["c"], ids["d"]})
	run := &vigil.LinkRun{Since: since, Mark: mark, By: "test", Reason: "test run",
		Clusters: []vigil.LinkCluster{{Reports: []int64{ids["a"], ids["b"]}}, {Reports: []int64{ids["c"]}}, {Reports: []int64{ids["d"]}}},
		Review:   []vigil.ReviewItem{{ReportA: ids["b"], ReportB: ids["c"], Score: 2.5, Explanation: []string{"+2.00 same day"}}}}
	must(t, ls.ApplyLinks(ctx, run))
	if run.OpID == 0 {
		t.Error("ApplyLinks did not set OpID")
	}
	ab := eventOf(t, s, ids["a"])
	if ab == 0 || eventOf(t, s, ids["b"]) != ab || eventOf(t, s, ids["c"]) == ab || eventOf(t, s, ids["c"]) == 0 {
		t.Fatalf("events of a, b, c = %d, %d, %d: want a and b together, c apart", ab, eventOf(t, s, ids["b"]), eventOf(t, s, ids["c"]))
	}
	e, err := s.FindEventByID(ctx, ab)
	must(t, err)
	if e.Corroboration != 2 || len(e.Reports) != 2 {
		t.Errorf("linked event: corroboration %d with %d reports, want 2 and 2 (fused again)", e.Corroboration, len(e.Reports))
	}
	if got, _ := ls.LinkMark(ctx); got != mark {
		t.Errorf("mark = %d, want %d", got, mark)
	}
	tests := []struct {
		name string
		f    vigil.LinkFilter
		want int
	}{
		{"nothing pending after the run", vigil.LinkFilter{Pending: true}, 0},
		{"block of the day", vigil.LinkFilter{Blocks: []vigil.LinkBlock{{Country: "AF", From: vigil.MustDate("2022-09-04"), To: vigil.MustDate("2022-09-06")}}}, 3},
		{"overlapping blocks count once", vigil.LinkFilter{Blocks: []vigil.LinkBlock{
			{Country: "AF", From: vigil.MustDate("2022-09-01"), To: vigil.MustDate("2022-09-05")},
			{Country: "AF", From: vigil.MustDate("2022-09-05"), To: vigil.MustDate("2022-09-09")}}}, 3},
		{"other country", vigil.LinkFilter{Blocks: []vigil.LinkBlock{{Country: "PK", From: vigil.MustDate("2022-09-05"), To: vigil.MustDate("2022-09-05")}}}, 1},
		{"other days", vigil.LinkFilter{Blocks: []vigil.LinkBlock{{Country: "AF", From: vigil.MustDate("2022-09-07"), To: vigil.MustDate("2022-09-30")}}}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := 0
			must(t, ls.ScanLinkRecords(ctx, tt.f, func(lr *vigil.LinkRecord) error {
				if lr.Report.EventID == 0 {
					t.Errorf("report %d has no event after the run", lr.Report.ID)
				}
				n++
				return nil
			}))
			if n != tt.want {
				t.Errorf("records = %d, want %d", n, tt.want)
			}
		})
	}
	wantCode(t, ls.ApplyLinks(ctx, &vigil.LinkRun{Since: since, Mark: mark}), vigil.ECONFLICT)
	items, err := ls.FindReviewItems(ctx, true)
	must(t, err)
	if len(items) != 1 || items[0].EventA != ab || items[0].EventB != eventOf(t, s, ids["c"]) || len(items[0].Explanation) != 1 {
		t.Fatalf("review queue = %+v, want the b–c link with the events it would join", items)
	}
}

func testLinkDecisions(t *testing.T, s vigil.Store) {
	ls := linkStore(t, s)
	ids := linkSetup(t, s,
		item("Wire", "a", "ev1", vigil.Exact(6), "h1"),
		item("Ministry", "b", "ev2", vigil.Exact(5), "h2"),
		item("Amaq", "c", "ev3", vigil.Exact(9), "h3"))
	e1, e2, e3 := eventOf(t, s, ids["a"]), eventOf(t, s, ids["b"]), eventOf(t, s, ids["c"])
	invalid := []struct {
		name string
		op   vigil.LinkOp
		code string
	}{
		{"no reason", vigil.LinkOp{Kind: vigil.LinkOpMerge, Events: []int64{e1, e2}}, vigil.EINVALID},
		{"merge of one", vigil.LinkOp{Kind: vigil.LinkOpMerge, Events: []int64{e1}, Reason: "x"}, vigil.EINVALID},
		{"unknown kind", vigil.LinkOp{Kind: "join", Events: []int64{e1, e2}, Reason: "x"}, vigil.EINVALID},
		{"unknown event", vigil.LinkOp{Kind: vigil.LinkOpMerge, Events: []int64{e1, 9999}, Reason: "x"}, vigil.ENOTFOUND},
		{"split of every report", vigil.LinkOp{Kind: vigil.LinkOpSplit, Events: []int64{e1}, Reports: []int64{ids["a"]}, Reason: "x"}, vigil.EINVALID},
		{"split of a report elsewhere", vigil.LinkOp{Kind: vigil.LinkOpSplit, Events: []int64{e1}, Reports: []int64{ids["b"]}, Reason: "x"}, vigil.EINVALID},
		{"unknown review item", vigil.LinkOp{Kind: vigil.LinkOpReject, Events: []int64{e1, e2}, Review: 77, Reason: "x"}, vigil.ENOTFOUND},
	}
	for _, tt := range invalid {
		t.Run(tt.name, func(t *testing.T) {
			op := tt.op
			wantCode(t, ls.Decide(ctx, &op), tt.code)
		})
	}
	merge := &vigil.LinkOp{Kind: vigil.LinkOpMerge, Events: []int64{e1, e2}, Reason: "same attack, two counts", By: "analyst"}
	must(t, ls.Decide(ctx, merge))
	if eventOf(t, s, ids["b"]) != e1 {
		t.Fatalf("after merge, b is in %d, want %d", eventOf(t, s, ids["b"]), e1)
	}
	if _, err := s.FindEventByID(ctx, e2); vigil.ErrorCode(err) != vigil.ENOTFOUND {
		t.Errorf("merged-away event %d still readable: %v", e2, err)
	}
	split := &vigil.LinkOp{Kind: vigil.LinkOpSplit, Events: []int64{e1}, Reports: []int64{ids["b"]}, Reason: "the ministry speaks of another attack", By: "analyst"}
	must(t, ls.Decide(ctx, split))
	if len(split.Made) != 1 || eventOf(t, s, ids["b"]) != split.Made[0] {
		t.Fatalf("after split, b is in %d, want the new event %v", eventOf(t, s, ids["b"]), split.Made)
	}
	cannot, err := ls.FindCannotLinks(ctx)
	must(t, err)
	if !slices.Contains(cannot, [2]int64{min(ids["a"], ids["b"]), max(ids["a"], ids["b"])}) {
		t.Errorf("cannot-links after split = %v, want a–b", cannot)
	}
	wantCode(t, func() error { _, err := ls.UndoLinkOp(ctx, merge.ID, "oops", "analyst"); return err }(), vigil.ECONFLICT)
	_, err = ls.UndoLinkOp(ctx, split.ID, "", "analyst")
	wantCode(t, err, vigil.EINVALID)
	undo, err := ls.UndoLinkOp(ctx, split.ID, "the split was wrong", "analyst")
	must(t, err)
	if undo.Undoes != split.ID || eventOf(t, s, ids["b"]) != e1 {
		t.Fatalf("after undoing the split, b is in %d, want %d", eventOf(t, s, ids["b"]), e1)
	}
	if cannot, _ := ls.FindCannotLinks(ctx); len(cannot) != 0 {
		t.Errorf("cannot-links after undo = %v, want none", cannot)
	}
	_, err = ls.UndoLinkOp(ctx, merge.ID, "not the same attack after all", "analyst")
	must(t, err)
	if eventOf(t, s, ids["b"]) != e2 {
		t.Fatalf("after undoing the merge, b is in %d, want its old event %d back", eventOf(t, s, ids["b"]), e2)
	}
	_, err = ls.UndoLinkOp(ctx, merge.ID, "again", "analyst")
	wantCode(t, err, vigil.ECONFLICT)
	_, err = ls.UndoLinkOp(ctx, 9999, "x", "analyst")
	wantCode(t, err, vigil.ENOTFOUND)

	// Reject a queued link, confirm an event: both hold for later runs.
	since, _ := ls.LinkMark(ctx)
	must(t, ls.ApplyLinks(ctx, &vigil.LinkRun{Since: since, Mark: max(ids["a"], ids["b"], ids["c"]), Review: []vigil.ReviewItem{{ReportA: ids["a"], ReportB: ids["c"], Score: 3}}}))
	items, err := ls.FindReviewItems(ctx, true)
	must(t, err)
	if len(items) != 1 {
		t.Fatalf("review queue = %d items, want 1", len(items))
	}
	reject := &vigil.LinkOp{Kind: vigil.LinkOpReject, Events: []int64{e1, e3}, Review: items[0].ID, Reason: "different targets", By: "analyst"}
	must(t, ls.Decide(ctx, reject))
	if open, _ := ls.FindReviewItems(ctx, true); len(open) != 0 {
		t.Errorf("open review items after reject = %d, want 0", len(open))
	}
	all, _ := ls.FindReviewItems(ctx, false)
	if len(all) != 1 || all[0].Status != vigil.ReviewRejected || all[0].DecidedBy != reject.ID {
		t.Errorf("review item after reject = %+v, want rejected by %d", all, reject.ID)
	}
	confirm := &vigil.LinkOp{Kind: vigil.LinkOpConfirm, Events: []int64{e1}, Reason: "checked against the wire", By: "analyst"}
	must(t, ls.Decide(ctx, confirm))
	locked := func() bool {
		var l bool
		must(t, ls.ScanLinkRecords(ctx, vigil.LinkFilter{Blocks: []vigil.LinkBlock{{Country: "AF", From: vigil.MustDate("2022-09-05"), To: vigil.MustDate("2022-09-05")}}}, func(lr *vigil.LinkRecord) error {
			if lr.Report.ID == ids["a"] {
				l = lr.Locked
			}
			return nil
		}))
		return l
	}
	if !locked() {
		t.Error("confirmed event's report is not locked")
	}
	_, err = ls.UndoLinkOp(ctx, confirm.ID, "confirmed too early", "analyst")
	must(t, err)
	if locked() {
		t.Error("report still locked after the confirmation was undone")
	}
	ops, err := ls.FindLinkOps(ctx, 0)
	must(t, err)
	if len(ops) < 6 || ops[0].Kind != vigil.LinkOpUndo || ops[0].Reason != "confirmed too early" {
		t.Errorf("history = %d ops, newest %+v; want every operation, newest first, with its reason", len(ops), ops[0])
	}
	for _, op := range ops {
		if op.ID == merge.ID && op.UndoneBy == 0 {
			t.Errorf("merge %d not marked undone in history", op.ID)
		}
	}
}

// testLinkSurvivesReimport: a newer version of a report that linkage or a
// person moved stays in the event it was moved to; its own event key does
// not pull it back out.
func testLinkSurvivesReimport(t *testing.T, s vigil.Store) {
	ls := linkStore(t, s)
	ids := linkSetup(t, s,
		item("Wire", "a", "ev1", vigil.Exact(6), "h1"),
		item("Ministry", "b", "ev2", vigil.Exact(5), "h2"))
	e1, e2 := eventOf(t, s, ids["a"]), eventOf(t, s, ids["b"])
	must(t, ls.Decide(ctx, &vigil.LinkOp{Kind: vigil.LinkOpMerge, Events: []int64{e1, e2}, Reason: "one attack", By: "analyst"}))
	out, err := s.Ingest(ctx, nil, []vigil.Item{item("Ministry", "b", "ev2", vigil.Exact(7), "h2, revised")})
	must(t, err)
	if out[0] != vigil.OutcomeUpdated {
		t.Fatalf("re-import of b: %s, want updated", out[0])
	}
	if got := eventOf(t, s, ids["b"]); got != e1 {
		t.Errorf("after re-import, b is in event %d, want the merged event %d", got, e1)
	}
	e, err := s.FindEventByID(ctx, e1)
	must(t, err)
	if len(e.ReportIDs) != 2 || e.Killed.High != vigil.N(7) {
		t.Errorf("merged event after re-import: reports %v, killed %v; want both reports and the revised toll", e.ReportIDs, e.Killed)
	}
	if _, err := s.FindEventByID(ctx, e2); vigil.ErrorCode(err) != vigil.ENOTFOUND {
		t.Errorf("re-import brought back merged-away event %d: %v", e2, err)
	}
}

// testLinkBlocksReachBack: a block holds the reports that start in it and
// those that start before it and reach into it, however long ago they
// started.
func testLinkBlocksReachBack(t *testing.T, s vigil.Store) {
	ls := linkStore(t, s)
	span := func(it vigil.Item, from, to string) vigil.Item {
		it.Reports[0].DateStart, it.Reports[0].DateEnd = vigil.MustDate(from), vigil.MustDate(to)
		return it
	}
	ids := linkSetup(t, s,
		item("Wire", "day", "", vigil.Exact(6), "h1"),                                         // 2022-09-05
		span(item("Ministry", "weeks", "", vigil.Exact(5), "h2"), "2022-08-20", "2022-09-05"), // starts 16 days before
		span(item("Amaq", "season", "", vigil.Exact(9), "h3"), "2022-03-01", "2022-09-12"),    // starts half a year before
		span(item("Wire", "spring", "", vigil.Exact(2), "h4"), "2022-03-01", "2022-05-30"))    // ends before
	since, err := ls.LinkMark(ctx)
	must(t, err)
	must(t, ls.ApplyLinks(ctx, &vigil.LinkRun{Since: since, Mark: slices.Max([]int64{ids["day"], ids["weeks"], ids["season"], ids["spring"]}), By: "test", Reason: "index"}))
	for _, tt := range []struct {
		from, to string
		want     []string
	}{
		{"2022-09-05", "2022-09-05", []string{"day", "season", "weeks"}},
		{"2022-09-10", "2022-09-20", []string{"season"}},
		{"2022-05-01", "2022-05-02", []string{"season", "spring"}},
		{"2022-10-01", "2022-10-02", nil},
	} {
		var got []string
		must(t, ls.ScanLinkRecords(ctx, vigil.LinkFilter{Blocks: []vigil.LinkBlock{{Country: "AF", From: vigil.MustDate(tt.from), To: vigil.MustDate(tt.to)}}},
			func(lr *vigil.LinkRecord) error { got = append(got, lr.Report.Key); return nil }))
		slices.Sort(got)
		if !slices.Equal(got, tt.want) {
			t.Errorf("block %s–%s: %v, want %v", tt.from, tt.to, got, tt.want)
		}
	}
}
