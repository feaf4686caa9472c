package storetest

import (
	"slices"
	"testing"

	"github.com/vigil-osint/vigil"
)

// testBulkIngest: a store that takes several chunks in one transaction
// (vigil.BulkIngester) stores them, and the batch's counts, only when the
// transaction commits, and nothing of it when it rolls back.
func testBulkIngest(t *testing.T, s vigil.Store) {
	bulk, ok := s.(vigil.BulkIngester)
	if !ok {
		t.Skip("the store takes one chunk a transaction (no vigil.BulkIngester)")
	}
	setup(t, s)
	b := &vigil.Batch{Format: "test", Status: vigil.BatchRunning}
	must(t, s.CreateBatch(ctx, b))
	total := func() int {
		t.Helper()
		_, n, err := s.FindEvents(ctx, vigil.EventFilter{})
		must(t, err)
		return n
	}

	tx, err := bulk.BeginIngest(ctx)
	must(t, err)
	out, err := tx.Ingest(ctx, b, []vigil.Item{item("Wire", "a", "ev1", vigil.Exact(6), "h1"), item("Ministry", "b", "ev2", vigil.Exact(3), "h2")})
	must(t, err)
	if !slices.Equal(out, []vigil.Outcome{vigil.OutcomeNew, vigil.OutcomeNew}) {
		t.Fatalf("first chunk = %v, want new, new", out)
	}
	// The second chunk sees the first: a document it stored is updated,
	// and an event it made is joined.
	out, err = tx.Ingest(ctx, b, []vigil.Item{item("Wire", "a", "ev1", vigil.Exact(7), "h1-changed"), item("Amaq", "c", "ev1", vigil.Exact(9), "h3")})
	must(t, err)
	if !slices.Equal(out, []vigil.Outcome{vigil.OutcomeUpdated, vigil.OutcomeNew}) {
		t.Fatalf("second chunk = %v, want updated, new", out)
	}
	// An empty chunk saves the batch as it is given (a chunk of rejected
	// rows counts them).
	b.Counts.Read, b.Counts.Rejected = 5, 1
	if _, err := tx.Ingest(ctx, b, nil); err != nil {
		t.Fatalf("empty chunk: %v", err)
	}
	want := vigil.Counts{Read: 5, Rejected: 1, New: 3, Updated: 1}
	if b.Counts != want {
		t.Errorf("batch counts in the transaction = %+v, want %+v", b.Counts, want)
	}
	if n := total(); n != 0 {
		t.Errorf("before the commit, readers see %d events, want none", n)
	}
	if got := storedBatch(t, s, b.ID); got.Counts != (vigil.Counts{}) {
		t.Errorf("before the commit, stored batch counts = %+v, want none", got.Counts)
	}
	must(t, tx.Commit())
	must(t, tx.Rollback()) // after Commit, nothing
	if n := total(); n != 2 {
		t.Fatalf("after the commit, %d events, want 2", n)
	}
	if got := storedBatch(t, s, b.ID); got.Counts != want {
		t.Errorf("stored batch counts = %+v, want %+v", got.Counts, want)
	}
	evs, _, err := s.FindEvents(ctx, vigil.EventFilter{})
	must(t, err)
	for _, e := range evs {
		if e.Key == "ev1" && (len(e.ReportIDs) != 2 || e.Killed.Best != vigil.N(7) || e.Killed.High != vigil.N(9)) {
			t.Errorf("ev1 = %d reports, killed %v; want 2 reports, the updated 7 and 9 as the high", len(e.ReportIDs), e.Killed)
		}
	}

	// A rolled-back transaction leaves nothing, the batch included.
	tx, err = bulk.BeginIngest(ctx)
	must(t, err)
	next := *b
	if _, err := tx.Ingest(ctx, &next, []vigil.Item{item("Wire", "d", "ev3", vigil.Exact(1), "h4")}); err != nil {
		t.Fatal(err)
	}
	must(t, tx.Rollback())
	if n := total(); n != 2 {
		t.Errorf("after a rollback, %d events, want 2", n)
	}
	if _, err := s.FindDocumentByKey(ctx, "Wire", "d"); vigil.ErrorCode(err) != vigil.ENOTFOUND {
		t.Errorf("after a rollback, document d: %v, want not found", err)
	}
	if got := storedBatch(t, s, b.ID); got.Counts != want {
		t.Errorf("after a rollback, stored batch counts = %+v, want %+v", got.Counts, want)
	}
}
