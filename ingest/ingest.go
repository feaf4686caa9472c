// Package ingest runs imports: it streams the items of a format reader into
// a store in transactional chunks and records the batch with its counts and
// rejections. Each input format has its own subpackage with a Reader.
package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/vigil-osint/vigil"
)

// Reader streams the items of one input.
type Reader interface {
	// Next returns the next item. It returns a *vigil.RowError for a
	// record it rejects, after which reading goes on; ErrSkip for a
	// record its format's documented rule leaves out; io.EOF at the end;
	// and any other error when the input cannot be read further.
	Next() (*vigil.Item, error)
}

// ErrSkip is what a Reader's Next returns for a record that it reads and
// leaves out by its format's documented rule, neither rejected nor stored
// (a GDELT event of no violent CAMEO code): the batch counts it as read
// and skipped.
var ErrSkip = errors.New("ingest: record skipped")

// DefaultChunk is how many items the store takes at once, and in one
// transaction unless it takes several chunks in one (vigil.BulkIngester).
// A run killed half-way keeps every transaction it committed; importing the
// same file again finds those items unchanged and completes the rest.
const DefaultChunk = 2000

// DefaultCommit is how many items a transaction of a vigil.BulkIngester
// takes, in whole chunks. Each commit writes every index page its rows
// touched, and a chunk's rows touch most of them: `vigil bench import` of
// 1,000,000 generated ACLED rows wrote 8.7 GB at 10,000 items a transaction
// and 4.6 GB at 40,000 (14,307 rows/s against 12,411), and 400,000 GED
// rows 1.8 GB rather than 2.8 GB, in the same memory; at 2,000 (a chunk) the
// GED rows wrote 7.9 GB.
const DefaultCommit = 40000

// maxRejections bounds how many rejections a batch keeps in full; the
// count goes on past it.
const maxRejections = 10000

// Options tune an import.
type Options struct {
	Chunk int // items the store takes at once; DefaultChunk when 0
	// Commit is how many items a transaction takes, in whole chunks, when
	// the store takes several chunks in one (vigil.BulkIngester);
	// DefaultCommit when 0.
	Commit int
	// Progress, when set, is called after each commit with the counts so
	// far.
	Progress func(vigil.Counts)
	// Place, when set, is applied to every report before it is stored: it
	// may complete the report's place (admin codes from its coordinates)
	// and returns a finding about its coordinates, or "". A finding is
	// recorded as a batch warning "file:row: latitude: finding"; the
	// report is stored as the source gave it. See PlaceWith.
	Place func(*vigil.Report) (finding string)
	// Regrade makes the import's grading of a source the store already
	// holds (its kind, reliability, the party it speaks for, its origin)
	// replace the stored one, as when a person gives the grade for this
	// import. Without it a stored source keeps its grading, which analysts
	// set on purpose (and readers' defaults must not undo), and takes from
	// the import only what it lacks: an address, and notes it does not
	// hold (see keepGrade).
	Regrade bool
}

// RowReader is a Reader that knows the input row (the line, the header
// being row 1) of the item it returned last. Findings about the item name
// that row, "file:row: latitude: …"; for other readers they name the
// record's position and the document's key, "file: record 12 (ged:3259):
// latitude: …", since a record may span several lines.
type RowReader interface {
	Reader
	Row() int
}

// placeReports applies the Place hook to an item's reports and appends
// its findings to warnings; record is the item's position in the input.
func placeReports(warnings []vigil.Rejection, it *vigil.Item, r Reader, record int, file string, place func(*vigil.Report) string) []vigil.Rejection {
	for i := range it.Reports {
		f := place(&it.Reports[i])
		if f == "" {
			continue
		}
		if rr, ok := r.(RowReader); ok {
			e := &vigil.RowError{File: file, Row: rr.Row(), Field: "latitude", Err: vigil.Errorf(vigil.EINVALID, "%s", f)}
			warnings = append(warnings, vigil.Rejection{Row: rr.Row(), Field: "latitude", Reason: e.Error()})
			continue
		}
		warnings = append(warnings, vigil.Rejection{Field: "latitude",
			Reason: fmt.Sprintf("%s: record %d (%s): latitude: %s", file, record, it.Document.Key, f)})
	}
	return warnings
}

// ErrRejected is returned (wrapped) by Run when the import finished but
// rejected some records, so that callers can set an exit status.
var ErrRejected = errors.New("some records were rejected")

// Run reads every item of r into s as batch b, which must have its Format,
// File and Source set; Run creates it, keeps its counts and rejections up
// to date after each chunk, and finishes it. It returns an error wrapping
// ErrRejected when records were rejected, and any error that stopped the
// import (the batch is then marked failed; what was committed stays).
func Run(ctx context.Context, s vigil.Store, b *vigil.Batch, r Reader, opt Options) error {
	if opt.Chunk <= 0 {
		opt.Chunk = DefaultChunk
	}
	if opt.Commit <= 0 {
		opt.Commit = DefaultCommit
	}
	b.Status = vigil.BatchRunning
	if b.StartedAt.IsZero() {
		b.StartedAt = time.Now().UTC()
	}
	if err := s.CreateBatch(ctx, b); err != nil {
		return fmt.Errorf("ingest: create batch: %w", err)
	}
	err := run(ctx, s, b, r, opt)
	b.FinishedAt = time.Now().UTC()
	b.Status = vigil.BatchDone
	if err != nil {
		// A chunk whose commit reported an error may have committed all
		// the same (a context cancelled as the commit ended), and its
		// batch's counts with it: the stored batch holds what was
		// committed, and Fail must not write older counts over it.
		if stored, ferr := findBatch(context.WithoutCancel(ctx), s, b.ID); ferr == nil {
			b.Counts, b.Rejections, b.Warnings = stored.Counts, stored.Rejections, stored.Warnings
		}
		return Fail(ctx, s, b, err)
	}
	// The batch record must be saved even when ctx was cancelled.
	if uerr := s.UpdateBatch(context.WithoutCancel(ctx), b); uerr != nil {
		err = fmt.Errorf("ingest: finish batch: %w", uerr)
	}
	if err == nil && b.Counts.Rejected > 0 {
		err = fmt.Errorf("ingest: %s: %d of %d records rejected: %w", b.File, b.Counts.Rejected, b.Counts.Read, ErrRejected)
	}
	return err
}

// run reads in one goroutine and writes in another, so that parsing the
// next chunk overlaps storing this one.
func run(ctx context.Context, s vigil.Store, b *vigil.Batch, r Reader, opt Options) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type chunk struct {
		items    []vigil.Item
		sources  []*vigil.Source
		counts   vigil.Counts // read and rejected in this chunk
		rejected []vigil.Rejection
		warnings []vigil.Rejection
	}
	chunks := make(chan *chunk, 1)
	readErr := make(chan error, 1)
	// The reader takes what it needs of b now: the writer replaces b after
	// each chunk.
	batchID, file := b.ID, b.File
	go func() {
		defer close(chunks)
		seen := map[string]bool{}
		c := &chunk{}
		send := func() bool {
			select {
			case chunks <- c:
				c = &chunk{}
				return true
			case <-ctx.Done():
				return false
			}
		}
		records := 0 // records read, rejected or not
		for {
			it, err := r.Next()
			if err == io.EOF {
				break
			}
			records++
			if err == ErrSkip {
				c.counts.Read++
				c.counts.Skipped++
				continue
			}
			var rowErr *vigil.RowError
			if errors.As(err, &rowErr) {
				c.counts.Read++
				c.counts.Rejected++
				c.rejected = append(c.rejected, vigil.Rejection{Row: rowErr.Row, Field: rowErr.Field, Reason: rowErr.Error()})
				continue
			}
			if err != nil {
				readErr <- err
				return
			}
			c.counts.Read++
			c.warnings = append(c.warnings, it.Warnings...)
			if opt.Place != nil {
				c.warnings = placeReports(c.warnings, it, r, records, file, opt.Place)
			}
			if it.Source != nil && !seen[it.Source.Name] {
				seen[it.Source.Name] = true
				c.sources = append(c.sources, it.Source)
			}
			it.Document.BatchID = batchID
			c.items = append(c.items, *it)
			if len(c.items) == opt.Chunk && !send() {
				return
			}
		}
		send()
	}()
	w := &writer{s: s, b: b, opt: opt}
	w.bulk, _ = s.(vigil.BulkIngester)
	defer w.rollback()
	for c := range chunks {
		if err := w.chunk(ctx, c.sources, c.items, func(next *vigil.Batch) {
			next.Counts.Read += c.counts.Read
			next.Counts.Rejected += c.counts.Rejected
			next.Counts.Skipped += c.counts.Skipped
			next.Counts.Warnings += len(c.warnings)
			next.Rejections = appendBounded(slices.Clip(next.Rejections), c.rejected)
			next.Warnings = appendBounded(slices.Clip(next.Warnings), c.warnings)
		}); err != nil {
			return err
		}
	}
	if err := w.commit(); err != nil {
		return err
	}
	select {
	case err := <-readErr:
		return err
	default:
	}
	return ctx.Err()
}

// writer stores the chunks of a run, in a transaction each, or in
// transactions of several for a vigil.BulkIngester.
type writer struct {
	s    vigil.Store
	bulk vigil.BulkIngester // s, when it is one
	opt  Options
	// b is the batch as the store holds it, cur as the open transaction
	// tx (of bulk) holds it, with pending items in it.
	b       *vigil.Batch
	cur     vigil.Batch
	tx      vigil.IngestTx
	pending int
}

// source stores a source an item brings: as the import grades it when it
// is new or the import regrades (Options.Regrade), else the stored source
// with what the import adds (keepGrade), written only when that changes
// it. src is the reader's, which it may still be reading: the stored
// source is written from a copy.
func (w *writer) source(ctx context.Context, src *vigil.Source) error {
	if !w.opt.Regrade {
		stored, err := w.s.FindSourceByName(ctx, src.Name)
		switch {
		case err == nil:
			kept := keepGrade(stored, src)
			if kept == *stored {
				return nil
			}
			return w.s.UpsertSource(ctx, &kept)
		case vigil.ErrorCode(err) != vigil.ENOTFOUND:
			return err
		}
	}
	return w.s.UpsertSource(ctx, src)
}

// keepGrade returns stored with what an import's src adds to it: its
// address when stored has none, and the paragraphs of its notes that
// stored's do not say. The grading stays stored's.
func keepGrade(stored, src *vigil.Source) vigil.Source {
	kept := *stored
	if kept.URL == "" {
		kept.URL = src.URL
	}
	kept.Notes = vigil.MergeNotes(stored.Notes, src.Notes)
	return kept
}

// chunk stores the items of a chunk, after the sources it brings, with the
// batch as count changes it.
func (w *writer) chunk(ctx context.Context, sources []*vigil.Source, items []vigil.Item, count func(*vigil.Batch)) error {
	if len(sources) > 0 {
		// The sources go in first, by the store's own writes, which
		// would wait for an open transaction.
		if err := w.commit(); err != nil {
			return err
		}
		for _, src := range sources {
			if err := w.source(ctx, src); err != nil {
				return fmt.Errorf("ingest: source %q: %w", src.Name, err)
			}
		}
	}
	// The batch as it stands after this chunk: the store saves it with
	// the chunk, in its transaction, so that no kill can leave rows
	// committed that the batch does not count.
	if w.tx == nil {
		w.cur = *w.b
	}
	next := w.cur
	count(&next)
	if w.bulk == nil {
		var err error
		if len(items) > 0 {
			_, err = w.s.Ingest(ctx, &next, items)
		} else {
			err = w.s.UpdateBatch(ctx, &next)
		}
		if err != nil {
			return fmt.Errorf("ingest: %s: %w", w.b.File, err)
		}
		*w.b = next
		w.progress()
		return nil
	}
	if w.tx == nil {
		tx, err := w.bulk.BeginIngest(ctx)
		if err != nil {
			return fmt.Errorf("ingest: %s: %w", w.b.File, err)
		}
		w.tx = tx
	}
	if _, err := w.tx.Ingest(ctx, &next, items); err != nil {
		return fmt.Errorf("ingest: %s: %w", w.b.File, err)
	}
	w.cur = next
	w.pending += len(items)
	if w.pending >= w.opt.Commit {
		return w.commit()
	}
	return nil
}

// commit commits the open transaction, if any.
func (w *writer) commit() error {
	if w.tx == nil {
		return nil
	}
	err := w.tx.Commit()
	w.tx, w.pending = nil, 0
	if err != nil {
		return fmt.Errorf("ingest: %s: %w", w.b.File, err)
	}
	*w.b = w.cur
	w.progress()
	return nil
}

// rollback discards the open transaction, if any.
func (w *writer) rollback() {
	if w.tx != nil {
		w.tx.Rollback()
		w.tx = nil
	}
}

func (w *writer) progress() {
	if w.opt.Progress != nil {
		w.opt.Progress(w.b.Counts)
	}
}

// findBatch returns the batch with the id as s holds it.
func findBatch(ctx context.Context, s vigil.ImportService, id int64) (*vigil.Batch, error) {
	bs, err := s.FindBatches(ctx)
	if err != nil {
		return nil, err
	}
	for _, b := range bs {
		if b.ID == id {
			return b, nil
		}
	}
	return nil, vigil.Errorf(vigil.ENOTFOUND, "batch %d", id)
}

// Fail records that a batch failed with err, also when ctx was
// cancelled, and returns err: for a run that fails after Run, as when the
// relationships a file holds beside its items cannot be stored.
func Fail(ctx context.Context, s vigil.ImportService, b *vigil.Batch, err error) error {
	b.Status, b.Error = vigil.BatchFailed, err.Error()
	if b.FinishedAt.IsZero() {
		b.FinishedAt = time.Now().UTC()
	}
	_ = s.UpdateBatch(context.WithoutCancel(ctx), b) // err says more than a failure to save it
	return err
}

// appendBounded appends to a batch's list of rejections or warnings, up to
// maxRejections; the counts go on past it.
func appendBounded(list, more []vigil.Rejection) []vigil.Rejection {
	if n := maxRejections - len(list); n > 0 {
		list = append(list, more[:min(n, len(more))]...)
	}
	return list
}
