// Package sqlite is vigil's embedded store: one SQLite file through the
// pure-Go modernc.org/sqlite driver, in WAL mode with foreign keys on, its
// schema migrated on open by migrations embedded in the binary.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/pressly/goose/v3"
	_ "modernc.org/sqlite" // registers the "sqlite" driver; report.go adds a function to it

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/internal/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store is a vigil.Store on a SQLite file.
type Store struct {
	sqlstore.Services // the services written once for both stores

	// db reads: its connections map the file into memory (mmap_size), so
	// that concurrent readers share the operating system's pages instead
	// of each copying them through its own cache with a read call a page.
	db *sql.DB
	// w writes: write transactions and single writes go here. Its
	// connections do not map the file, so that a long import's resident
	// memory stays its own working set.
	w    *sql.DB
	path string
	// Now returns the current time; tests may replace it.
	Now func() time.Time
}

var _ vigil.Store = (*Store)(nil)

// Open opens the SQLite file at path, creating it and its directory when
// missing, and migrates its schema to the current version.
func Open(ctx context.Context, path string) (*Store, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("sqlite: %w", err)
		}
	}
	if err := create(path); err != nil {
		return nil, err
	}
	checkpoint := walBytes / filePageSize(path)
	w, err := openPool(path, "immediate", 0, checkpoint)
	if err != nil {
		return nil, err
	}
	// Keep the connections that concurrent readers (a server's clients)
	// open: database/sql keeps two idle by default and closes the rest,
	// and each new connection reads the schema and starts a cold page
	// cache (a quarter of a loaded server's CPU, measured).
	db, err := openPool(path, "deferred", mmapSize, checkpoint)
	if err != nil {
		w.Close()
		return nil, err
	}
	db.SetMaxIdleConns(32)
	s := &Store{db: db, w: w, path: path, Now: func() time.Time { return time.Now().UTC() }}
	s.Services = sqlstore.New(s.shared())
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// create makes the file at path, with pageSize and in WAL mode, when it
// does not exist yet. A page size holds only when it is set before the
// file's first write, and the driver applies the pragmas of a connection
// string in an order of its own, so it is set here, on a connection of its
// own, before the pools open the file. Files made before keep their size.
func create(path string) error {
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		return fmt.Errorf("sqlite: create %s: %w", path, err)
	}
	defer db.Close()
	for _, q := range []string{fmt.Sprintf("PRAGMA page_size = %d", pageSize), "PRAGMA journal_mode = WAL"} {
		if _, err := db.ExecContext(context.Background(), q); err != nil {
			return fmt.Errorf("sqlite: create %s: %s: %w", path, q, err)
		}
	}
	return nil
}

// pageSize is the page size of new files, SQLite's largest. An import
// writes every page it fills to the log with a write call of its own, and
// those calls were the largest single cost of the write path: 64 KB pages
// took 15–20% of an import's CPU time off against 4 KB ones (`vigil import`
// of 100,000 and 400,000 generated GED rows, side by side).
const pageSize = 1 << 16

// walBytes is how large the write-ahead log grows before a commit copies it
// into the file; the pragma counts pages, so the count follows the page size.
// Each copy rewrites every page the log holds and syncs the file, and an
// import rewrites the same index pages again and again: at 256 MB rather
// than 32 MB, `vigil import ucdp` of 400,000 generated rows took 41–42 s
// rather than 48–49 s (in turn, quiet machine), in the same memory; 1 GB
// was no faster. The last connection to close copies what is left.
const walBytes = 256 << 20

// filePageSize reads the page size from the header of the SQLite file at
// path (two big-endian bytes at offset 16; 1 stands for 65536), or returns
// 4096 when the file has no header yet.
func filePageSize(path string) int {
	f, err := os.Open(path)
	if err != nil {
		return 4096
	}
	defer f.Close()
	var h [18]byte
	if _, err := io.ReadFull(f, h[:]); err != nil {
		return 4096
	}
	switch n := int(h[16])<<8 | int(h[17]); n {
	case 1:
		return 1 << 16
	case 0:
		return 4096
	default:
		return n
	}
}

// cacheKiB is the page cache of each connection, in KiB.
const cacheKiB = 32 << 10

// mmapSize is how much of the file readers map: SQLite's own ceiling (2 GB);
// the pages past it are read with read calls.
const mmapSize = 1 << 31

// openPool opens a pool of connections to the file at path, each in WAL
// mode with foreign keys on, beginning transactions with txlock and
// mapping up to mmap bytes of the file, and copying the log into the file
// every checkpoint pages.
func openPool(path, txlock string, mmap int64, checkpoint int) (*sql.DB, error) {
	q := url.Values{}
	for _, p := range []string{"foreign_keys(1)", "journal_mode(WAL)", "busy_timeout(10000)", "synchronous(NORMAL)", fmt.Sprintf("cache_size(-%d)", cacheKiB), "temp_store(MEMORY)",
		fmt.Sprintf("wal_autocheckpoint(%d)", checkpoint), fmt.Sprintf("mmap_size(%d)", mmap)} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", txlock)
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	return db, nil
}

func (s *Store) migrate(ctx context.Context) error {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return fmt.Errorf("sqlite: migrations: %w", err)
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, s.w, sub)
	if err != nil {
		return fmt.Errorf("sqlite: migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("sqlite: migrate %s: %w", s.path, err)
	}
	return nil
}

// Close closes the database.
func (s *Store) Close() error { return errors.Join(s.db.Close(), s.w.Close()) }

// DB returns the underlying database, for tools that read it directly.
func (s *Store) DB() *sql.DB { return s.db }

// inTx runs fn in a write transaction and commits it, or rolls it back
// when fn fails.
func (s *Store) inTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: begin: %w", err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return s.commit(ctx, tx)
}

// commit commits a write transaction with the audit entry of its change,
// when ctx holds one (vigil.WithAudit).
func (s *Store) commit(ctx context.Context, tx *sql.Tx) error {
	committed, err := sqlstore.AppendPendingAudit(ctx, s.shared(), conn{tx})
	if err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: commit: %w", err)
	}
	committed()
	return nil
}

// querier is what reads need: a *sql.DB or a *sql.Tx.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func timeText(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func parseTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("sqlite: encoding %T: %v", v, err))
	}
	return string(b)
}

func notFound(err error, format string, args ...any) error {
	if errors.Is(err, sql.ErrNoRows) {
		return vigil.Errorf(vigil.ENOTFOUND, format, args...)
	}
	return fmt.Errorf("sqlite: "+format+": %w", append(args, err)...)
}
