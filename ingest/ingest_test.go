package ingest_test

import (
	"context"
	"errors"
	"io"
	"path/filepath"
	"testing"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/ingest"
	"github.com/vigil-osint/vigil/sqlite"
	"github.com/vigil-osint/vigil/storetest"
)

// items reads a slice of items.
type items struct{ rest []vigil.Item }

func (r *items) Next() (*vigil.Item, error) {
	if len(r.rest) == 0 {
		return nil, io.EOF
	}
	it := &r.rest[0]
	r.rest = r.rest[1:]
	return it, nil
}

// lostCommit is a real store whose second Ingest commits and then reports
// an error, as a commit does when its context is cancelled as it ends.
type lostCommit struct {
	vigil.Store
	calls int
}

var errLost = errors.New("context canceled as the commit ended")

func (s *lostCommit) Ingest(ctx context.Context, b *vigil.Batch, items []vigil.Item) ([]vigil.Outcome, error) {
	s.calls++
	if s.calls < 2 {
		return s.Store.Ingest(ctx, b, items)
	}
	// The chunk and the batch's counts commit; the caller hears an error
	// and keeps its batch as it was.
	before := *b
	if _, err := s.Store.Ingest(ctx, b, items); err != nil {
		return nil, err
	}
	*b = before
	return nil, errLost
}

// A run whose last commit reported an error but committed leaves the batch
// counting every row that is stored: a job done again finds them unchanged,
// and no batch counted them as new.
func TestFailKeepsCommittedCounts(t *testing.T) {
	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "v.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	s := &lostCommit{Store: store}
	all, _ := storetest.UCDPSample(t, "../testdata/ucdp/ucdp_ged231_sample.csv")
	r := &items{all}
	b := &vigil.Batch{Format: "ucdp", File: "sample.csv"}
	err = ingest.Run(ctx, s, b, r, ingest.Options{Chunk: 300})
	if !errors.Is(err, errLost) {
		t.Fatalf("Run = %v, want the lost commit's error", err)
	}
	_, stored, err := store.FindEvents(ctx, vigil.EventFilter{})
	if err != nil {
		t.Fatal(err)
	}
	bs, err := store.FindBatches(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if stored != 600 || len(bs) != 1 || bs[0].Status != vigil.BatchFailed || bs[0].Counts.New != stored || bs[0].Counts.Read != stored {
		t.Fatalf("%d events stored; batches %+v: want one failed batch counting the 600 rows of the two chunks committed", stored, bs)
	}
	if b.Counts != bs[0].Counts {
		t.Errorf("Run left the batch counting %+v, the store %+v", b.Counts, bs[0].Counts)
	}
}
