package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/vigil-osint/vigil/internal/sqlstore"
)

// Query, QueryRow, Exec and Insert make conn a sqlstore.Conn.

func (c conn) Query(ctx context.Context, q string, args ...any) (sqlstore.Rows, error) {
	return c.QueryContext(ctx, q, args...)
}

func (c conn) QueryRow(ctx context.Context, q string, args ...any) sqlstore.Row {
	return c.QueryRowContext(ctx, q, args...)
}

func (c conn) Exec(ctx context.Context, q string, args ...any) (int64, error) {
	res, err := c.ExecContext(ctx, q, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func (c conn) Insert(ctx context.Context, q string, args ...any) (int64, error) {
	return insertID(ctx, c, q, args...)
}

// shared is the sqlstore.DB of the store's services written once for both
// stores.
func (s *Store) shared() *sqlstore.DB {
	return &sqlstore.DB{
		Name:  "postgres",
		Read:  s.db,
		Write: s.db,
		InTx: func(ctx context.Context, fn func(sqlstore.Conn) error) error {
			return s.inTx(ctx, func(tx *txn) error { return fn(tx.conn) })
		},
		AuditLock: `LOCK TABLE audit_log IN SHARE ROW EXCLUSIVE MODE`,
		Now:       func() time.Time { return s.Now() },
		IsUnique:  isUnique,
		IsNoRows:  func(err error) bool { return errors.Is(err, pgx.ErrNoRows) },
	}
}
