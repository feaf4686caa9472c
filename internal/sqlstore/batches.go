package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/vigil-osint/vigil"
)

// Batches records import batches on a DB: the part of vigil.ImportService
// that is the same for both stores.
type Batches struct{ DB *DB }

// CreateBatch records a new batch.
func (s Batches) CreateBatch(ctx context.Context, b *vigil.Batch) error {
	id, err := s.DB.Write.Insert(ctx, `INSERT INTO batches (status, data, started_at) VALUES (?, '{}', ?)`,
		string(b.Status), timeText(b.StartedAt))
	if err != nil {
		return s.DB.errorf(err, "create batch")
	}
	b.ID = id
	return s.UpdateBatch(ctx, b)
}

// UpdateBatch saves the batch's status, counts and rejections.
func (s Batches) UpdateBatch(ctx context.Context, b *vigil.Batch) error {
	err := SaveBatch(ctx, s.DB.Write, b)
	if err != nil && vigil.ErrorCode(err) != vigil.ENOTFOUND {
		return s.DB.errorf(err, "update batch %d", b.ID)
	}
	return err
}

// SaveIngested adds the outcomes of a chunk that a store's Ingest stores
// in the transaction c to b's counts and saves b there, so that the chunk
// and the counts commit together; it returns the batch as saved, for the
// caller to take once c has committed.
func SaveIngested(ctx context.Context, c Conn, b vigil.Batch, out []vigil.Outcome) (vigil.Batch, error) {
	for _, o := range out {
		b.Counts.Add(o)
	}
	return b, SaveBatch(ctx, c, &b)
}

// SaveBatch saves the batch's status, counts and rejections on c, which
// may be a transaction: a store's Ingest saves the batch of the items it
// stores in theirs. ENOTFOUND when no batch has b's ID.
func SaveBatch(ctx context.Context, c Conn, b *vigil.Batch) error {
	data, err := json.Marshal(b)
	if err != nil {
		return fmt.Errorf("batch %d: %w", b.ID, err)
	}
	n, err := c.Exec(ctx, `UPDATE batches SET status = ?, data = ? WHERE id = ?`, string(b.Status), string(data), b.ID)
	if err != nil {
		return err
	}
	if n == 0 {
		return vigil.Errorf(vigil.ENOTFOUND, "batch %d", b.ID)
	}
	return nil
}

// FindBatches returns the batches, newest first.
func (s Batches) FindBatches(ctx context.Context) ([]*vigil.Batch, error) {
	return all(ctx, s.DB, "batches", scanData[vigil.Batch], `SELECT data FROM batches ORDER BY id DESC`)
}
