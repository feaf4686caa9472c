package bench

import (
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the pure-Go driver that vigil's store uses
)

// DriverImport times a load of a CSV file into a bare table of a new
// database at dbPath through the pure-Go SQLite driver that vigil's store
// uses, as vigil writes: WAL, 64 KB pages, one prepared single-row INSERT
// a row, a transaction every chunk rows. It is the floor for an importer
// bound to that driver, beside SQLiteImport's floor of the C shell. It
// returns the time and the rows loaded.
func DriverImport(ctx context.Context, csvPath, dbPath string, chunk int) (time.Duration, int, error) {
	return driverLoad(ctx, csvPath, dbPath, chunk, &bareTable{})
}

// ModelColumns name the columns of a file that ModelFloor reads: the row's
// key, its first and last day, country and admin-1, and its actors.
type ModelColumns struct {
	Key, DateStart, DateEnd, Country, Admin1 string
	Actors                                   []string
}

// ModelFloor times the least that a store of events, as vigil's data model
// asks, writes for each row of a CSV file, through the same driver and as
// DriverImport writes: the row as a document (its text, keyed by source
// and key, the key unique), an event (key unique; indexed by date, by
// country and date, and by admin-1) and its actors (one row each, keyed by
// event, indexed by actor). It parses and checks nothing, and keeps no
// report, history, source, batch or provenance: any importer of the model
// bound to this driver runs slower. It returns the time and the rows
// loaded; a column cols names that the file lacks is an error.
func ModelFloor(ctx context.Context, csvPath, dbPath string, cols ModelColumns, chunk int) (time.Duration, int, error) {
	return driverLoad(ctx, csvPath, dbPath, chunk, &modelTables{cols: cols})
}

// loader is what driverLoad writes: the tables a file's header makes, the
// inserts it prepares once a transaction, and how one record goes in.
type loader interface {
	schema(head []string) ([]string, error)
	inserts() []string
	write(ctx context.Context, sts []*sql.Stmt, n int, rec []string) error
}

// driverLoad times a load of csvPath through l into a new database at
// dbPath, a transaction every chunk rows, and returns the time and the
// rows loaded.
func driverLoad(ctx context.Context, csvPath, dbPath string, chunk int, l loader) (time.Duration, int, error) {
	f, err := os.Open(csvPath)
	if err != nil {
		return 0, 0, fmt.Errorf("bench: %w", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.ReuseRecord = true
	head, err := r.Read()
	if err != nil {
		return 0, 0, fmt.Errorf("bench: %s: header: %w", csvPath, err)
	}
	schema, err := l.schema(head)
	if err != nil {
		return 0, 0, fmt.Errorf("bench: %s: %w", csvPath, err)
	}
	db, err := sql.Open("sqlite", "file:"+dbPath+"?_pragma=page_size(65536)&_pragma=synchronous(NORMAL)&_pragma=cache_size(-32768)")
	if err != nil {
		return 0, 0, fmt.Errorf("bench: %w", err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	for _, q := range append([]string{"PRAGMA journal_mode = WAL"}, schema...) {
		if _, err := db.ExecContext(ctx, q); err != nil {
			return 0, 0, fmt.Errorf("bench: %s: %w", q, err)
		}
	}
	start := time.Now()
	n := 0
	for done := false; !done; {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return 0, n, fmt.Errorf("bench: begin: %w", err)
		}
		var sts []*sql.Stmt
		for _, q := range l.inserts() {
			st, err := tx.PrepareContext(ctx, q)
			if err != nil {
				tx.Rollback()
				return 0, n, fmt.Errorf("bench: prepare: %w", err)
			}
			sts = append(sts, st)
		}
		for i := 0; i < chunk; i++ {
			rec, err := r.Read()
			if err == io.EOF {
				done = true
				break
			}
			if err != nil {
				tx.Rollback()
				return 0, n, fmt.Errorf("bench: %s: %w", csvPath, err)
			}
			if err := l.write(ctx, sts, n, rec); err != nil {
				tx.Rollback()
				return 0, n, fmt.Errorf("bench: %s: row %d: %w", csvPath, n+2, err)
			}
			n++
		}
		if err := tx.Commit(); err != nil {
			return 0, n, fmt.Errorf("bench: commit: %w", err)
		}
	}
	return time.Since(start), n, nil
}

// bareTable is a table of the file's columns, as they are.
type bareTable struct {
	insert string
	args   []any
}

func (t *bareTable) schema(head []string) ([]string, error) {
	cols := make([]string, len(head))
	for i := range head {
		cols[i] = fmt.Sprintf("c%d", i)
	}
	t.insert = "INSERT INTO ged VALUES (" + strings.TrimSuffix(strings.Repeat("?, ", len(head)), ", ") + ")"
	t.args = make([]any, len(head))
	return []string{"CREATE TABLE ged (" + strings.Join(cols, ", ") + ")"}, nil
}

func (t *bareTable) inserts() []string { return []string{t.insert} }

func (t *bareTable) write(ctx context.Context, sts []*sql.Stmt, _ int, rec []string) error {
	for j := range t.args {
		t.args[j] = nil
		if j < len(rec) {
			t.args[j] = rec[j]
		}
	}
	_, err := sts[0].ExecContext(ctx, t.args...)
	return err
}

// modelTables are the least tables of vigil's data model: see ModelFloor.
type modelTables struct {
	cols                                 ModelColumns
	key, start, end, country, admin1, hi int
	actors                               []int
}

func (m *modelTables) schema(head []string) ([]string, error) {
	at := map[string]int{}
	for i, h := range head {
		at[strings.TrimPrefix(h, "\ufeff")] = i
	}
	var missing []string
	find := func(c string) int {
		i, ok := at[c]
		if !ok {
			missing = append(missing, c)
		}
		m.hi = max(m.hi, i)
		return i
	}
	m.key, m.start, m.end = find(m.cols.Key), find(m.cols.DateStart), find(m.cols.DateEnd)
	m.country, m.admin1 = find(m.cols.Country), find(m.cols.Admin1)
	m.actors = m.actors[:0]
	for _, c := range m.cols.Actors {
		m.actors = append(m.actors, find(c))
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("no column %s", strings.Join(missing, ", "))
	}
	return []string{
		`CREATE TABLE documents (id INTEGER PRIMARY KEY, source_id INTEGER NOT NULL, key TEXT NOT NULL, data BLOB NOT NULL, UNIQUE (source_id, key))`,
		`CREATE TABLE events (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, date_start TEXT NOT NULL, date_end TEXT NOT NULL, country TEXT NOT NULL, admin1 TEXT NOT NULL)`,
		`CREATE INDEX events_date ON events(date_start)`,
		`CREATE INDEX events_country ON events(country, date_start)`,
		`CREATE INDEX events_admin1 ON events(admin1)`,
		`CREATE TABLE event_actors (event_id INTEGER NOT NULL, role TEXT NOT NULL, actor TEXT NOT NULL, PRIMARY KEY (event_id, role, actor)) WITHOUT ROWID`,
		`CREATE INDEX event_actors_actor ON event_actors(actor, event_id)`,
	}, nil
}

func (m *modelTables) inserts() []string {
	return []string{
		`INSERT OR IGNORE INTO documents (id, source_id, key, data) VALUES (?, 1, ?, ?)`,
		`INSERT OR IGNORE INTO events (id, key, date_start, date_end, country, admin1) VALUES (?, ?, ?, ?, ?, ?)`,
		`INSERT OR IGNORE INTO event_actors (event_id, role, actor) VALUES (?, ?, ?)`,
	}
}

func (m *modelTables) write(ctx context.Context, sts []*sql.Stmt, n int, rec []string) error {
	if len(rec) <= m.hi {
		return fmt.Errorf("%d fields, want %d", len(rec), m.hi+1)
	}
	id, key := int64(n+1), rec[m.key]
	if _, err := sts[0].ExecContext(ctx, id, key, []byte(strings.Join(rec, "\x1f"))); err != nil {
		return err
	}
	if _, err := sts[1].ExecContext(ctx, id, key, rec[m.start], rec[m.end], rec[m.country], rec[m.admin1]); err != nil {
		return err
	}
	for i, c := range m.actors {
		if v := rec[c]; v != "" {
			if _, err := sts[2].ExecContext(ctx, id, m.cols.Actors[i], v); err != nil {
				return err
			}
		}
	}
	return nil
}
