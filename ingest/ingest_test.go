package ingest_test

import (
	"context"
	"errors"
	"io"
	"path/filepath"
	"slices"
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

// failAfter is a reader that fails, as a file cut short does, after n
// items.
type failAfter struct {
	items
	n int
}

var errCut = errors.New("file cut short")

func (r *failAfter) Next() (*vigil.Item, error) {
	if r.n == 0 {
		return nil, errCut
	}
	r.n--
	return r.items.Next()
}

// A store that takes several chunks in one transaction commits every
// Commit items in whole chunks. A run whose store fails keeps the
// transactions it committed, counted by its batch, and nothing of the one
// it was in; a file cut short keeps, as with a transaction a chunk, every
// whole chunk read before the cut.
func TestBulkCommits(t *testing.T) {
	ctx := context.Background()
	all, _ := storetest.UCDPSample(t, "../testdata/ucdp/ucdp_ged231_sample.csv")
	bad := slices.Clone(all)
	bad[750].Document.Source = "no such source"
	for _, tt := range []struct {
		name     string
		r        ingest.Reader
		ok       func(error) bool
		progress []int // New after each commit
		stored   int
	}{
		{"whole file", &items{all}, func(err error) bool { return err == nil }, []int{300, 600, 900, len(all)}, len(all)},
		{"store fails", &items{bad}, func(err error) bool { return vigil.ErrorCode(err) == vigil.ENOTFOUND }, []int{300, 600}, 600},
		{"cut short", &failAfter{items{all}, 750}, func(err error) bool { return errors.Is(err, errCut) }, []int{300, 600, 700}, 700},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "v.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			var progress []int
			b := &vigil.Batch{Format: "ucdp", File: "sample.csv"}
			err = ingest.Run(ctx, s, b, tt.r, ingest.Options{Chunk: 100, Commit: 300, Progress: func(c vigil.Counts) {
				progress = append(progress, c.New)
			}})
			if !tt.ok(err) {
				t.Fatalf("Run = %v", err)
			}
			if !slices.Equal(progress, tt.progress) {
				t.Errorf("new after each commit = %v, want %v", progress, tt.progress)
			}
			_, stored, err := s.FindEvents(ctx, vigil.EventFilter{})
			if err != nil {
				t.Fatal(err)
			}
			bs, err := s.FindBatches(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if stored != tt.stored || len(bs) != 1 || bs[0].Counts.New != stored || bs[0].Counts.Read != stored {
				t.Fatalf("%d events stored, batches %+v: want %d, counted by the batch", stored, bs, tt.stored)
			}
		})
	}
}

// TestSourceKeepsItsGrade: an import of a source the store holds keeps the
// stored grading (an analyst's regrade, an earlier import's) and adds only
// what it lacks; an import that regrades replaces it.
func TestSourceKeepsItsGrade(t *testing.T) {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "v.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	graded := &vigil.Source{Name: "Tolo News", Kind: vigil.SourceNews, Reliability: vigil.ReliabilityC, Notes: "Regraded after the 2022 audit."}
	if err := s.UpsertSource(ctx, graded); err != nil {
		t.Fatal(err)
	}
	article := func(key string, src vigil.Source) *items {
		return &items{[]vigil.Item{{Source: &src, Document: vigil.Document{Source: src.Name, Key: key, Title: key, Text: "An attack in Kabul.",
			ContentHash: vigil.HashContent(key), Marking: vigil.TLPClear}}}}
	}
	byDefault := vigil.Source{Name: "Tolo News", Kind: vigil.SourceNews, Reliability: vigil.ReliabilityF, URL: "https://tolonews.com", Notes: "Imported as text."}
	for _, tt := range []struct {
		name    string
		regrade bool
		want    vigil.Source
	}{
		{"a reader's default", false, vigil.Source{Reliability: vigil.ReliabilityC, URL: "https://tolonews.com", Notes: "Regraded after the 2022 audit.\n\nImported as text."}},
		{"the same again", false, vigil.Source{Reliability: vigil.ReliabilityC, URL: "https://tolonews.com", Notes: "Regraded after the 2022 audit.\n\nImported as text."}},
		{"a grade given for the import", true, vigil.Source{Reliability: vigil.ReliabilityF, URL: "https://tolonews.com", Notes: "Imported as text."}},
	} {
		b := &vigil.Batch{Format: "text", File: tt.name}
		if err := ingest.Run(ctx, s, b, article(tt.name, byDefault), ingest.Options{Regrade: tt.regrade}); err != nil {
			t.Fatal(err)
		}
		got, err := s.FindSourceByName(ctx, "Tolo News")
		if err != nil {
			t.Fatal(err)
		}
		if got.Reliability != tt.want.Reliability || got.URL != tt.want.URL || got.Notes != tt.want.Notes || got.ID != graded.ID {
			t.Errorf("after %s: %+v, want reliability %s, URL %q, notes %q", tt.name, got, tt.want.Reliability, tt.want.URL, tt.want.Notes)
		}
	}
}

// skipEvery is a reader that skips (ingest.ErrSkip) every third record
// and rejects every fifth of the rest, then skips tail more records after
// its items.
type skipEvery struct {
	items
	n, tail int
}

func (r *skipEvery) Next() (*vigil.Item, error) {
	r.n++
	switch {
	case r.n%3 == 0:
		return nil, ingest.ErrSkip
	case r.n%5 == 0:
		return nil, &vigil.RowError{File: "mixed.csv", Row: r.n, Field: "x", Err: vigil.Errorf(vigil.EINVALID, "bad")}
	}
	it, err := r.items.Next()
	if err == io.EOF && r.tail > 0 {
		r.tail--
		return nil, ingest.ErrSkip
	}
	return it, err
}

// Records a reader skips are read and counted as skipped, neither stored
// nor rejected, in chunks with items and in chunks without: the stored
// batch says so, and a run of the same file again finds its items
// unchanged and skips as many.
func TestSkippedCounts(t *testing.T) {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "v.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	all, _ := storetest.UCDPSample(t, "../testdata/ucdp/ucdp_ged231_sample.csv")
	for run, want := range []vigil.Counts{
		{New: 98},
		{Unchanged: 98},
	} {
		// 98 items make 14 whole chunks of 7: the skips after them
		// come in a chunk of none.
		r := &skipEvery{items: items{all[:98]}, tail: 10}
		b := &vigil.Batch{Format: "ucdp", File: "mixed.csv"}
		if err := ingest.Run(ctx, s, b, r, ingest.Options{Chunk: 7}); !errors.Is(err, ingest.ErrRejected) {
			t.Fatalf("run %d: %v, want ErrRejected", run, err)
		}
		// r.n counts the io.EOF at the end too.
		read := r.n - 1
		want.Read, want.Skipped, want.Rejected = read, read-98-rejected(read), rejected(read)
		for _, it := range all[:98] {
			want.Warnings += len(it.Warnings)
		}
		bs, err := s.FindBatches(ctx)
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(bs, func(x *vigil.Batch) bool { return x.ID == b.ID })
		if i < 0 {
			t.Fatalf("run %d: batch %d not stored", run, b.ID)
		}
		got := bs[i].Counts
		if got != want || b.Counts != want {
			t.Errorf("run %d: stored %+v, run %+v; want %+v", run, got, b.Counts, want)
		}
	}
}

// rejected counts the records skipEvery rejects among its first n.
func rejected(n int) int {
	c := 0
	for i := 1; i <= n; i++ {
		if i%3 != 0 && i%5 == 0 {
			c++
		}
	}
	return c
}
