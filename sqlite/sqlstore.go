package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/vigil-osint/vigil/internal/sqlstore"
)

// conn runs sqlstore's statements on a pool or in a transaction.
type conn struct{ db querier }

func (c conn) Query(ctx context.Context, q string, args ...any) (sqlstore.Rows, error) {
	rows, err := c.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	return sqlRows{rows}, nil
}

// sqlRows are a result whose Close says nothing: its error, if any, is
// the one Err returns.
type sqlRows struct{ *sql.Rows }

func (r sqlRows) Close() { r.Rows.Close() }

func (c conn) QueryRow(ctx context.Context, q string, args ...any) sqlstore.Row {
	return c.db.QueryRowContext(ctx, q, args...)
}

func (c conn) Exec(ctx context.Context, q string, args ...any) (int64, error) {
	res, err := c.db.ExecContext(ctx, q, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func (c conn) Insert(ctx context.Context, q string, args ...any) (int64, error) {
	res, err := c.db.ExecContext(ctx, q, args...)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// shared is the sqlstore.DB of the store's services written once for both
// stores: reads on the mapped pool, writes on the writer's.
func (s *Store) shared() *sqlstore.DB {
	return &sqlstore.DB{
		Name:  "sqlite",
		Read:  conn{s.db},
		Write: conn{s.w},
		InTx: func(ctx context.Context, fn func(sqlstore.Conn) error) error {
			return s.inTx(ctx, func(tx *sql.Tx) error { return fn(conn{tx}) })
		},
		Now:      func() time.Time { return s.Now() },
		IsUnique: isUnique,
		IsNoRows: func(err error) bool { return errors.Is(err, sql.ErrNoRows) },
	}
}

func isUnique(err error) bool {
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}
