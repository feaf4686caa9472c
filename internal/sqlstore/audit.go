package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"

	"github.com/vigil-osint/vigil"
)

// Audit is vigil.AuditService on a DB.
type Audit struct{ DB *DB }

var _ vigil.AuditService = Audit{}

// AppendAudit adds e at the end of the log, in a write transaction of its
// own (see AppendAuditIn).
func (s Audit) AppendAudit(ctx context.Context, e *vigil.AuditEntry) error {
	ctx = vigil.WithoutAudit(ctx)
	return s.DB.InTx(ctx, func(tx Conn) error { return AppendAuditIn(ctx, s.DB, tx, e) })
}

// AppendPendingAudit appends the audit entry that a change made under ctx
// carries (vigil.WithAudit) in the change's transaction tx, just before it
// commits, and returns the function to call once tx has committed: a
// no-op when ctx carries none.
func AppendPendingAudit(ctx context.Context, db *DB, tx Conn) (committed func(), err error) {
	e, committed := vigil.PendingAudit(ctx)
	if e == nil {
		return func() {}, nil
	}
	if err := AppendAuditIn(ctx, db, tx, e); err != nil {
		return nil, err
	}
	return committed, nil
}

// AppendAuditIn adds e at the end of the log in the write transaction tx,
// after taking db's AuditLock, so that two appends cannot both chain to the
// same entry: a store appends the entry of a change (vigil.PendingAudit) in
// the change's transaction so.
func AppendAuditIn(ctx context.Context, db *DB, tx Conn, e *vigil.AuditEntry) error {
	switch {
	case e.Actor == "" || e.Action == "":
		return vigil.Errorf(vigil.EINVALID, "audit entry: actor and action required")
	case e.Before != nil && !json.Valid(e.Before), e.After != nil && !json.Valid(e.After):
		return vigil.Errorf(vigil.EINVALID, "audit entry %s %s: before and after must be JSON", e.Action, e.Object)
	}
	if e.At.IsZero() {
		e.At = db.Now()
	}
	e.At = e.At.UTC()
	if db.AuditLock != "" {
		if _, err := tx.Exec(ctx, db.AuditLock); err != nil {
			return db.errorf(err, "audit")
		}
	}
	var last sql.NullInt64
	var prev sql.NullString
	err := tx.QueryRow(ctx, `SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&last, &prev)
	if err != nil && !db.IsNoRows(err) {
		return db.errorf(err, "audit")
	}
	e.Seq, e.PrevHash = last.Int64+1, prev.String
	e.Hash = e.ComputeHash()
	_, err = tx.Exec(ctx, `INSERT INTO audit_log (seq, at, actor, action, object, before, after, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.Seq, e.At.Format(vigil.AuditTimeFormat), e.Actor, e.Action, e.Object,
		nullJSON(e.Before), nullJSON(e.After), e.PrevHash, e.Hash)
	if err != nil {
		return db.errorf(err, "audit append")
	}
	return nil
}

func nullJSON(b json.RawMessage) any {
	if b == nil {
		return nil
	}
	return string(b)
}

func scanAudit(row Row) (*vigil.AuditEntry, error) {
	var (
		e             vigil.AuditEntry
		at            string
		before, after sql.NullString
	)
	if err := row.Scan(&e.Seq, &at, &e.Actor, &e.Action, &e.Object, &before, &after, &e.PrevHash, &e.Hash); err != nil {
		return nil, err
	}
	e.At = parseTime(at)
	if before.Valid {
		e.Before = json.RawMessage(before.String)
	}
	if after.Valid {
		e.After = json.RawMessage(after.String)
	}
	return &e, nil
}

// FindAudit returns the entries that match the filter, by Seq.
func (s Audit) FindAudit(ctx context.Context, f vigil.AuditFilter) ([]*vigil.AuditEntry, error) {
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
	return all(ctx, s.DB, "audit", scanAudit, q, args...)
}
