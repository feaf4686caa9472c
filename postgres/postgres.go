// Package postgres is vigil's store on a PostgreSQL server, for teams: the
// same behaviour as the embedded SQLite store (the conformance suite in
// storetest holds both to it), many readers and writers at once, bulk
// loads through COPY.
//
// The schema (postgres/migrations, applied on open with goose through
// pgx's database/sql adapter) has the SQLite store's tables and columns in
// PostgreSQL's types, so that both share one dump format and a store moves
// between them losslessly (vigil migrate-store). Writers that change the
// grouping of reports into events (imports, linkage, decisions) take one
// transaction-scoped advisory lock, as SQLite's single writer does, and
// never block readers; edits with a stated expectation (the linkage mark,
// an undo) fail with ECONFLICT when another writer got there first.
package postgres

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/internal/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store is a vigil.Store on a PostgreSQL database.
type Store struct {
	sqlstore.Services // the services written once for both stores

	pool *pgxpool.Pool
	db   conn
	// Now returns the current time; tests may replace it.
	Now func() time.Time
}

var _ vigil.Store = (*Store)(nil)

// IsURL reports whether s names a PostgreSQL database (postgres:// or
// postgresql://) rather than a file.
func IsURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// Open connects to the database that url names (a postgres:// URL, whose
// search_path parameter, if any, picks the schema) and migrates its schema
// to the current version.
func Open(ctx context.Context, url string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: %s: %w", Redact(url), err)
	}
	if cfg.MaxConns < 8 {
		cfg.MaxConns = 8
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: connect %s: %w", Redact(url), err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: connect %s: %w", Redact(url), err)
	}
	s := &Store{pool: pool, db: conn{pool}, Now: func() time.Time { return time.Now().UTC() }}
	s.Services = sqlstore.New(s.shared())
	if err := s.migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return s, nil
}

// migrationLock serializes the migrations of stores opened at once.
const migrationLock = 0x76696731 // "vig1"

func (s *Store) migrate(ctx context.Context) error {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return fmt.Errorf("postgres: migrations: %w", err)
	}
	db := stdlib.OpenDBFromPool(s.pool)
	defer db.Close()
	c, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("postgres: migrations: %w", err)
	}
	defer c.Close()
	if _, err := c.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, migrationLock); err != nil {
		return fmt.Errorf("postgres: migrations: %w", err)
	}
	defer c.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrationLock)
	p, err := goose.NewProvider(goose.DialectPostgres, db, sub)
	if err != nil {
		return fmt.Errorf("postgres: migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	return nil
}

// Close closes the pool.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// Pool returns the connection pool, for tools that read the database
// directly.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Redact returns url with its password hidden, for messages.
func Redact(url string) string {
	if i := strings.Index(url, "://"); i >= 0 {
		if at := strings.LastIndex(url, "@"); at > i {
			cred := url[i+3 : at]
			if c := strings.Index(cred, ":"); c >= 0 {
				return url[:i+3] + cred[:c] + ":***" + url[at:]
			}
		}
	}
	return url
}

// pgq is what pgx's pool, connections and transactions share.
type pgq interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// conn runs statements written with SQLite's '?' placeholders (and '?N'),
// which it rewrites into PostgreSQL's $N once per statement text.
type conn struct{ c pgq }

func (c conn) QueryContext(ctx context.Context, q string, args ...any) (pgx.Rows, error) {
	return c.c.Query(ctx, rebind(q), args...)
}

func (c conn) QueryRowContext(ctx context.Context, q string, args ...any) pgx.Row {
	return c.c.QueryRow(ctx, rebind(q), args...)
}

func (c conn) ExecContext(ctx context.Context, q string, args ...any) (result, error) {
	tag, err := c.c.Exec(ctx, rebind(q), args...)
	return result{tag}, err
}

// result is an Exec's outcome.
type result struct{ tag pgconn.CommandTag }

// RowsAffected returns how many rows the statement changed.
func (r result) RowsAffected() (int64, error) { return r.tag.RowsAffected(), nil }

// querier is what reads need: the pool or a transaction.
type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (pgx.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) pgx.Row
	ExecContext(ctx context.Context, q string, args ...any) (result, error)
}

// txn is a write transaction.
type txn struct {
	conn
	tx pgx.Tx
}

var rebound sync.Map // statement text → rewritten text

// rebind rewrites '?' and '?N' placeholders outside quotes into $N.
func rebind(q string) string {
	if v, ok := rebound.Load(q); ok {
		return v.(string)
	}
	var b strings.Builder
	n := 0
	quote := byte(0)
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			j := i + 1
			for j < len(q) && q[j] >= '0' && q[j] <= '9' {
				j++
			}
			if j > i+1 {
				b.WriteString("$" + q[i+1:j])
				i = j - 1
			} else {
				n++
				b.WriteString("$" + strconv.Itoa(n))
			}
			continue
		}
		b.WriteByte(c)
	}
	out := b.String()
	rebound.Store(q, out)
	return out
}

// writeLock is the advisory lock that writers of the event graph take for
// their transaction: imports, linkage and decisions.
const writeLock = 0x76696777 // "vigw"

// inTx runs fn in a transaction and commits it, or rolls it back when fn
// fails.
func (s *Store) inTx(ctx context.Context, fn func(*txn) error) error {
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{})
	if err != nil {
		return fmt.Errorf("postgres: begin: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	t := &txn{conn{tx}, tx}
	if err := fn(t); err != nil {
		return err
	}
	// The audit entry of the change, when the caller gave one, commits
	// with it (vigil.WithAudit).
	committed, err := sqlstore.AppendPendingAudit(ctx, s.shared(), t.conn)
	if err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("postgres: commit: %w", err)
	}
	committed()
	return nil
}

// inReadTx runs fn in a read-only repeatable-read transaction: every
// statement of fn sees the same snapshot, and writers go on.
func (s *Store) inReadTx(ctx context.Context, fn func(querier) error) error {
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return fmt.Errorf("postgres: begin: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if err := fn(conn{tx}); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// inWriteTx is inTx holding the write lock.
func (s *Store) inWriteTx(ctx context.Context, fn func(*txn) error) error {
	return s.inTx(ctx, func(tx *txn) error {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(?)`, int64(writeLock)); err != nil {
			return fmt.Errorf("postgres: write lock: %w", err)
		}
		return fn(tx)
	})
}

func timeText(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func parseTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("postgres: encoding %T: %v", v, err))
	}
	return string(b)
}

func notFound(err error, format string, args ...any) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return vigil.Errorf(vigil.ENOTFOUND, format, args...)
	}
	return fmt.Errorf("postgres: "+format+": %w", append(args, err)...)
}

// isUnique reports whether err is a unique-constraint violation.
func isUnique(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

func placeholders(n int) string { return strings.TrimSuffix(strings.Repeat("?,", n), ",") }

// insertID runs an INSERT and returns the id it gave the new row.
func insertID(ctx context.Context, q querier, sql string, args ...any) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, sql+` RETURNING id`, args...).Scan(&id)
	return id, err
}

// lookupBatch is how many keys one IN (…) lookup holds.
const lookupBatch = 400

// inBatches calls fn with the keys in parts of at most lookupBatch, as
// the arguments of one IN (…) list each.
func inBatches[T any](keys []T, fn func([]any) error) error {
	for len(keys) > 0 {
		n := min(len(keys), lookupBatch)
		part := make([]any, n)
		for i, k := range keys[:n] {
			part[i] = k
		}
		if err := fn(part); err != nil {
			return err
		}
		keys = keys[n:]
	}
	return nil
}
