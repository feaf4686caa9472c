// Package ingest runs imports: it streams the items of a format reader into
// a store in transactional chunks and records the batch with its counts and
// rejections. Each input format has its own subpackage with a Reader.
package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/vigil-osint/vigil"
)

// Reader streams the items of one input.
type Reader interface {
	// Next returns the next item. It returns a *vigil.RowError for a
	// record it rejects, after which reading goes on; io.EOF at the end;
	// and any other error when the input cannot be read further.
	Next() (*vigil.Item, error)
}

// DefaultChunk is how many items go into one transaction. A run killed
// half-way keeps every whole chunk it committed; importing the same file
// again finds those unchanged and completes the rest.
const DefaultChunk = 2000

// maxRejections bounds how many rejections a batch keeps in full; the
// count goes on past it.
const maxRejections = 10000

// Options tune an import.
type Options struct {
	Chunk int // items per transaction; DefaultChunk when 0
	// Progress, when set, is called after each chunk with the counts so far.
	Progress func(vigil.Counts)
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
		b.Status = vigil.BatchFailed
		b.Error = err.Error()
	}
	// The batch record must be saved even when ctx was cancelled.
	if uerr := s.UpdateBatch(context.WithoutCancel(ctx), b); uerr != nil && err == nil {
		err = fmt.Errorf("ingest: finish batch: %w", uerr)
	}
	if err == nil && b.Counts.Rejected > 0 {
		err = fmt.Errorf("ingest: %s: %d of %d records rejected: %w", b.File, b.Counts.Rejected, b.Counts.Read, ErrRejected)
	}
	return err
}

func run(ctx context.Context, s vigil.Store, b *vigil.Batch, r Reader, opt Options) error {
	sources := map[string]bool{}
	chunk := make([]vigil.Item, 0, opt.Chunk)
	flush := func() error {
		if len(chunk) == 0 {
			return nil
		}
		out, err := s.Ingest(ctx, b.ID, chunk)
		if err != nil {
			return fmt.Errorf("ingest: %s: %w", b.File, err)
		}
		for _, o := range out {
			b.Counts.Add(o)
		}
		chunk = chunk[:0]
		if err := s.UpdateBatch(ctx, b); err != nil {
			return fmt.Errorf("ingest: update batch: %w", err)
		}
		if opt.Progress != nil {
			opt.Progress(b.Counts)
		}
		return nil
	}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		it, err := r.Next()
		if err == io.EOF {
			break
		}
		var rowErr *vigil.RowError
		if errors.As(err, &rowErr) {
			b.Counts.Read++
			b.Counts.Rejected++
			if len(b.Rejections) < maxRejections {
				b.Rejections = append(b.Rejections, vigil.Rejection{Row: rowErr.Row, Field: rowErr.Field, Reason: rowErr.Error()})
			}
			continue
		}
		if err != nil {
			return err
		}
		b.Counts.Read++
		for _, w := range it.Warnings {
			if len(b.Warnings) < maxRejections {
				b.Warnings = append(b.Warnings, w)
			}
		}
		if it.Source != nil && !sources[it.Source.Name] {
			if err := s.UpsertSource(ctx, it.Source); err != nil {
				return fmt.Errorf("ingest: source %q: %w", it.Source.Name, err)
			}
			sources[it.Source.Name] = true
		}
		it.Document.BatchID = b.ID
		chunk = append(chunk, *it)
		if len(chunk) == opt.Chunk {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}
