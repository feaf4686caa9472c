package postgres

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/vigil-osint/vigil"
)

var _ vigil.AuditService = (*Store)(nil)

// AppendAudit adds e at the end of the log, in a write transaction so that
// two appends cannot both chain to the same entry.
func (s *Store) AppendAudit(ctx context.Context, e *vigil.AuditEntry) error {
	switch {
	case e.Actor == "" || e.Action == "":
		return vigil.Errorf(vigil.EINVALID, "audit entry: actor and action required")
	case e.Before != nil && !json.Valid(e.Before), e.After != nil && !json.Valid(e.After):
		return vigil.Errorf(vigil.EINVALID, "audit entry %s %s: before and after must be JSON", e.Action, e.Object)
	}
	if e.At.IsZero() {
		e.At = s.Now()
	}
	e.At = e.At.UTC()
	return s.inTx(ctx, func(tx *txn) error {
		// One append at a time: each chains to the one before.
		if _, err := tx.ExecContext(ctx, `LOCK TABLE audit_log IN SHARE ROW EXCLUSIVE MODE`); err != nil {
			return fmt.Errorf("postgres: audit: %w", err)
		}
		var last sql.NullInt64
		var prev sql.NullString
		err := tx.QueryRowContext(ctx, `SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&last, &prev)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("postgres: audit: %w", err)
		}
		e.Seq, e.PrevHash = last.Int64+1, prev.String
		e.Hash = e.ComputeHash()
		_, err = tx.ExecContext(ctx, `INSERT INTO audit_log (seq, at, actor, action, object, before, after, prev_hash, hash)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.Seq, e.At.Format(vigil.AuditTimeFormat), e.Actor, e.Action, e.Object,
			nullJSON(e.Before), nullJSON(e.After), e.PrevHash, e.Hash)
		if err != nil {
			return fmt.Errorf("postgres: audit append: %w", err)
		}
		return nil
	})
}

func nullJSON(b json.RawMessage) any {
	if b == nil {
		return nil
	}
	return string(b)
}

// FindAudit returns the entries that match the filter, by Seq.
func (s *Store) FindAudit(ctx context.Context, f vigil.AuditFilter) ([]*vigil.AuditEntry, error) {
	q := `SELECT seq, at, actor, action, object, before, after, prev_hash, hash FROM audit_log WHERE seq > ?`
	args := []any{f.AfterSeq}
	if f.Object != "" {
		q += ` AND object = ?`
		args = append(args, f.Object)
	}
	q += ` ORDER BY seq`
	if f.Limit > 0 {
		q += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: audit: %w", err)
	}
	defer rows.Close()
	var out []*vigil.AuditEntry
	for rows.Next() {
		var (
			e             vigil.AuditEntry
			at            string
			before, after sql.NullString
		)
		if err := rows.Scan(&e.Seq, &at, &e.Actor, &e.Action, &e.Object, &before, &after, &e.PrevHash, &e.Hash); err != nil {
			return nil, fmt.Errorf("postgres: audit: %w", err)
		}
		e.At = parseTime(at)
		if before.Valid {
			e.Before = json.RawMessage(before.String)
		}
		if after.Valid {
			e.After = json.RawMessage(after.String)
		}
		out = append(out, &e)
	}
	return out, rows.Err()
}
