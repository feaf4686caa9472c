// Package sqlstore holds the services that vigil's SQLite and PostgreSQL
// stores answer with the same statements, so that each is written once.
// Statements use SQLite's '?' placeholders, which the PostgreSQL store
// rewrites; times are stored as RFC 3339 text in both. A store hands the
// services a DB: how it reads and writes, and what its errors mean.
package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/vigil-osint/vigil"
)

// Row is one row of a result.
type Row interface {
	Scan(dest ...any) error
}

// Rows is a result read a row at a time.
type Rows interface {
	Row
	Next() bool
	Err() error
	Close()
}

// Conn runs statements on a store's database.
type Conn interface {
	Query(ctx context.Context, q string, args ...any) (Rows, error)
	QueryRow(ctx context.Context, q string, args ...any) Row
	// Exec runs a statement and returns how many rows it changed.
	Exec(ctx context.Context, q string, args ...any) (int64, error)
	// Insert runs an INSERT into a table with an id column and returns
	// the id of the new row.
	Insert(ctx context.Context, q string, args ...any) (int64, error)
}

// DB is what the services need of a store.
type DB struct {
	// Name is the store's name, the prefix of its errors: "sqlite".
	Name string
	// Read runs reads; Write runs writes (the same Conn where the store
	// has one pool).
	Read, Write Conn
	// InTx runs fn in a write transaction, committed when fn returns nil.
	InTx func(ctx context.Context, fn func(tx Conn) error) error
	// AuditLock is a statement that an append to the audit log runs first
	// in its transaction, so that appends chain one after the other; ""
	// where write transactions run one at a time already.
	AuditLock string
	// Now returns the current time.
	Now func() time.Time
	// IsUnique reports whether err is a unique-constraint violation, and
	// IsNoRows whether it says a query found no row.
	IsUnique, IsNoRows func(err error) bool
}

// IDs runs a query of one integer column on c and returns its values.
func IDs(ctx context.Context, c Conn, q string, args ...any) ([]int64, error) {
	rows, err := c.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// errorf wraps err as the store's error about what format names.
func (db *DB) errorf(err error, format string, args ...any) error {
	return fmt.Errorf(db.Name+": "+format+": %w", append(args, err)...)
}

// notFound is ENOTFOUND when err says no row was found, else the store's
// error about what format names.
func (db *DB) notFound(err error, format string, args ...any) error {
	if db.IsNoRows(err) {
		return vigil.Errorf(vigil.ENOTFOUND, format, args...)
	}
	return db.errorf(err, format, args...)
}

func timeText(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func parseTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

// fixedTime formats t with a fixed width, so that times compare as text.
func fixedTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000000Z") }

// optTime is timeText, or "" for the zero time.
func optTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return timeText(t)
}

// all runs a query and scans each of its rows with scan, into a slice that
// is empty, not nil, when no row matches; what names the rows in errors.
func all[T any](ctx context.Context, db *DB, what string, scan func(Row) (T, error), q string, args ...any) ([]T, error) {
	rows, err := db.Read.Query(ctx, q, args...)
	if err != nil {
		return nil, db.errorf(err, "%s", what)
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, db.errorf(err, "%s", what)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// mustJSON encodes one of vigil's own values, which always encode.
func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("sqlstore: encoding %T: %v", v, err))
	}
	return string(b)
}

// scanData reads a row of one column holding a T as JSON.
func scanData[T any](row Row) (*T, error) {
	var data string
	if err := row.Scan(&data); err != nil {
		return nil, err
	}
	v := new(T)
	if err := json.Unmarshal([]byte(data), v); err != nil {
		return nil, fmt.Errorf("decode %T: %w", *v, err)
	}
	return v, nil
}

// Services are the services that both stores answer with the same
// statements; a store embeds them.
type Services struct {
	Actors      // actors and relationships
	Users       // users, tokens and sessions
	Watch       // watch rules and alerts
	Batches     // import batches
	Audit       // the audit log
	Composition // composition claims
	ACH         // ACH case files, ratings, indicator values and rankings
}

// New returns the services on db.
func New(db *DB) Services {
	return Services{Actors{db}, Users{db}, Watch{db}, Batches{db}, Audit{db}, Composition{db}, ACH{db}}
}
