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

// Driver is the database/sql name of the pure-Go SQLite driver that
// vigil's store uses (modernc.org/sqlite). DriverImport and ModelFloor take
// any driver name registered with database/sql whose connection strings
// take "_pragma=" parameters as this one's do, so that other drivers can
// be measured beside it (see bench/ncruces).
const Driver = "sqlite"

// DriverImport times a load of a CSV file into a bare table of a new
// database at dbPath through the SQLite driver named driver (Driver for
// vigil's own), as vigil writes: WAL, 64 KB pages, one prepared single-row
// INSERT a row, a transaction every chunk rows. It is the floor for an
// importer bound to that driver, beside SQLiteImport's floor of the C
// shell. It returns the time and the rows loaded.
func DriverImport(ctx context.Context, driver, csvPath, dbPath string, chunk int) (time.Duration, int, error) {
	return driverLoad(ctx, driver, csvPath, dbPath, chunk, &bareTable{})
}

// ModelColumns name the columns of a file that ModelFloor reads: the row's
// key, its first and last day, country and admin-1, and its actors.
type ModelColumns struct {
	Key, DateStart, DateEnd, Country, Admin1 string
	Actors                                   []string
}

// GEDColumns and ACLEDColumns are the columns of UCDP GED and ACLED files
// that ModelFloor reads.
var (
	GEDColumns   = ModelColumns{Key: "id", DateStart: "date_start", DateEnd: "date_end", Country: "country", Admin1: "adm_1", Actors: []string{"side_a", "side_b"}}
	ACLEDColumns = ModelColumns{Key: "event_id_cnty", DateStart: "event_date", DateEnd: "event_date", Country: "country", Admin1: "admin1", Actors: []string{"actor1", "assoc_actor_1", "actor2", "assoc_actor_2"}}
)

// ModelFloor times the least that a store of events, as vigil's data model
// asks, writes for each row of a CSV file, through the driver named driver
// and as DriverImport writes: the row as a document (its text, keyed by
// source and key, the key unique), its report (keyed by document, indexed
// by event; its data the fields below), an event (key unique; indexed by
// date, by country and date, and by admin-1) and its actors (one row
// each, keyed by event, indexed by actor). It parses and checks nothing,
// and keeps no history, source, batch, grade, place or provenance of each
// value: any importer of the model bound to this driver runs slower. It
// returns the time and the rows loaded; a column cols names that the file
// lacks is an error.
func ModelFloor(ctx context.Context, driver, csvPath, dbPath string, cols ModelColumns, chunk int) (time.Duration, int, error) {
	return driverLoad(ctx, driver, csvPath, dbPath, chunk, &modelTables{cols: cols})
}

// loader is what driverLoad writes: the tables a file's header makes, the
// inserts it prepares once a transaction, and how one record goes in.
type loader interface {
	schema(head []string) ([]string, error)
	inserts() []string
	write(ctx context.Context, sts []*sql.Stmt, n int, rec []string) error
}

// driverLoad times a load of csvPath through l into a new database at
// dbPath through driver, a transaction every chunk rows, and returns the
// time and the rows loaded.
func driverLoad(ctx context.Context, driver, csvPath, dbPath string, chunk int, l loader) (time.Duration, int, error) {
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
	db, err := sql.Open(driver, "file:"+dbPath+"?_pragma=page_size(65536)&_pragma=synchronous(NORMAL)&_pragma=cache_size(-32768)")
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
	reported                             []int  // the columns a report keeps
	report                               []byte // a row's report, reused
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
	m.reported = append([]int{m.key, m.start, m.end, m.country, m.admin1}, m.actors...)
	return []string{
		`CREATE TABLE documents (id INTEGER PRIMARY KEY, source_id INTEGER NOT NULL, key TEXT NOT NULL, data BLOB NOT NULL, UNIQUE (source_id, key))`,
		`CREATE TABLE events (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, date_start TEXT NOT NULL, date_end TEXT NOT NULL, country TEXT NOT NULL, admin1 TEXT NOT NULL)`,
		`CREATE INDEX events_date ON events(date_start)`,
		`CREATE INDEX events_country ON events(country, date_start)`,
		`CREATE INDEX events_admin1 ON events(admin1)`,
		`CREATE TABLE event_actors (event_id INTEGER NOT NULL, role TEXT NOT NULL, actor TEXT NOT NULL, PRIMARY KEY (event_id, role, actor)) WITHOUT ROWID`,
		`CREATE INDEX event_actors_actor ON event_actors(actor, event_id)`,
		`CREATE TABLE reports (id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL, key TEXT NOT NULL, event_id INTEGER NOT NULL, data BLOB NOT NULL, UNIQUE (document_id, key))`,
		`CREATE INDEX reports_event ON reports(event_id)`,
	}, nil
}

func (m *modelTables) inserts() []string {
	return []string{
		`INSERT OR IGNORE INTO documents (id, source_id, key, data) VALUES (?, 1, ?, ?)`,
		`INSERT OR IGNORE INTO events (id, key, date_start, date_end, country, admin1) VALUES (?, ?, ?, ?, ?, ?)`,
		`INSERT OR IGNORE INTO event_actors (event_id, role, actor) VALUES (?, ?, ?)`,
		`INSERT INTO reports (id, document_id, key, event_id, data) VALUES (?, ?, '', ?, ?)`,
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
	m.report = m.report[:0]
	for _, c := range m.reported {
		m.report = append(append(m.report, rec[c]...), '\x1f')
	}
	if _, err := sts[3].ExecContext(ctx, id, id, id, m.report); err != nil {
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
