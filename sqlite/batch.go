package sqlite

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/vigil-osint/vigil"
)

// CreateBatch records a new batch.
func (s *Store) CreateBatch(ctx context.Context, b *vigil.Batch) error {
	res, err := s.w.ExecContext(ctx, `INSERT INTO batches (status, data, started_at) VALUES (?, '{}', ?)`,
		string(b.Status), timeText(b.StartedAt))
	if err != nil {
		return fmt.Errorf("sqlite: create batch: %w", err)
	}
	if b.ID, err = res.LastInsertId(); err != nil {
		return fmt.Errorf("sqlite: create batch: %w", err)
	}
	return s.UpdateBatch(ctx, b)
}

// UpdateBatch saves the batch's status, counts and rejections.
func (s *Store) UpdateBatch(ctx context.Context, b *vigil.Batch) error {
	res, err := s.w.ExecContext(ctx, `UPDATE batches SET status = ?, data = ? WHERE id = ?`, string(b.Status), mustJSON(b), b.ID)
	if err != nil {
		return fmt.Errorf("sqlite: update batch %d: %w", b.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return vigil.Errorf(vigil.ENOTFOUND, "batch %d", b.ID)
	}
	return nil
}

// FindBatches returns the batches, newest first.
func (s *Store) FindBatches(ctx context.Context) ([]*vigil.Batch, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT data FROM batches ORDER BY id DESC`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: batches: %w", err)
	}
	defer rows.Close()
	var out []*vigil.Batch
	for rows.Next() {
		var data string
		if err := rows.Scan(&data); err != nil {
			return nil, fmt.Errorf("sqlite: batches: %w", err)
		}
		var b vigil.Batch
		if err := json.Unmarshal([]byte(data), &b); err != nil {
			return nil, fmt.Errorf("sqlite: decode batch: %w", err)
		}
		out = append(out, &b)
	}
	return out, rows.Err()
}
