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
	db, err := sql.Open("sqlite", "file:"+dbPath+"?_pragma=page_size(65536)&_pragma=synchronous(NORMAL)&_pragma=cache_size(-32768)")
	if err != nil {
		return 0, 0, fmt.Errorf("bench: %w", err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	cols := make([]string, len(head))
	for i := range head {
		cols[i] = fmt.Sprintf("c%d", i)
	}
	for _, q := range []string{"PRAGMA journal_mode = WAL", "CREATE TABLE ged (" + strings.Join(cols, ", ") + ")"} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			return 0, 0, fmt.Errorf("bench: %s: %w", q, err)
		}
	}
	insert := "INSERT INTO ged VALUES (" + strings.TrimSuffix(strings.Repeat("?, ", len(head)), ", ") + ")"
	start := time.Now()
	args := make([]any, len(head))
	n := 0
	for done := false; !done; {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return 0, n, fmt.Errorf("bench: begin: %w", err)
		}
		st, err := tx.PrepareContext(ctx, insert)
		if err != nil {
			tx.Rollback()
			return 0, n, fmt.Errorf("bench: prepare: %w", err)
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
			for j := range args {
				args[j] = nil
				if j < len(rec) {
					args[j] = rec[j]
				}
			}
			if _, err := st.ExecContext(ctx, args...); err != nil {
				tx.Rollback()
				return 0, n, fmt.Errorf("bench: %s: row %d: %w", csvPath, n+2, err)
			}
			n++
		}
		st.Close()
		if err := tx.Commit(); err != nil {
			return 0, n, fmt.Errorf("bench: commit: %w", err)
		}
	}
	return time.Since(start), n, nil
}
