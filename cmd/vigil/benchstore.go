package main

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/bench"
	"github.com/vigil-osint/vigil/ingest"
	"github.com/vigil-osint/vigil/postgres"
)

// benchStore times the floor for the store that --db (or VIGIL_DB) names
// and opens a fresh, empty store of that kind: a SQLite file in dir, or,
// for a postgres:// URL, a new schema of that database, dropped when the
// store is closed. ferr says why the floor could not be measured.
func (a *app) benchStore(ctx context.Context, dir, format, file string, rows int) (s vigil.Store, floor time.Duration, ferr, err error) {
	target := a.benchTarget()
	if !postgres.IsURL(target) {
		floor, ferr = bench.SQLiteImport(file, filepath.Join(dir, "floor.db"))
		if ferr != nil {
			fmt.Fprintln(a.stdout, "floor: skipped:", ferr)
		} else {
			fmt.Fprintf(a.stdout, "sqlite3 .import into a bare table: %s, %.0f rows/s\n", floor.Round(time.Millisecond), float64(rows)/floor.Seconds())
		}
		if took, n, err := bench.DriverImport(ctx, file, filepath.Join(dir, "driver.db"), ingest.DefaultCommit); err != nil {
			fmt.Fprintln(a.stdout, "driver floor: skipped:", err)
		} else {
			fmt.Fprintf(a.stdout, "the same rows into a bare table through vigil's pure-Go SQLite driver: %s, %.0f rows/s\n", took.Round(time.Millisecond), float64(n)/took.Seconds())
		}
		if took, n, err := bench.ModelFloor(ctx, file, filepath.Join(dir, "model.db"), modelColumns[format], ingest.DefaultCommit); err != nil {
			fmt.Fprintln(a.stdout, "model floor: skipped:", err)
		} else {
			fmt.Fprintf(a.stdout, "the least the data model writes through that driver (each row a keyed document, an event with its 3 indexes, its actors): %s, %.0f rows/s\n", took.Round(time.Millisecond), float64(n)/took.Seconds())
		}
		s, err = a.freshBenchStore(ctx, dir, target)
		return s, floor, ferr, err
	}
	floor, ferr = bench.PostgresCopy(ctx, target, file)
	if ferr != nil {
		fmt.Fprintln(a.stdout, "floor: skipped:", ferr)
	} else {
		fmt.Fprintf(a.stdout, "PostgreSQL COPY into a bare table: %s, %.0f rows/s\n", floor.Round(time.Millisecond), float64(rows)/floor.Seconds())
	}
	s, err = a.freshBenchStore(ctx, dir, target)
	return s, floor, ferr, err
}

// modelColumns are the columns bench.ModelFloor reads, by bench format.
var modelColumns = map[string]bench.ModelColumns{
	"ucdp":  {Key: "id", DateStart: "date_start", DateEnd: "date_end", Country: "country", Admin1: "adm_1", Actors: []string{"side_a", "side_b"}},
	"acled": {Key: "event_id_cnty", DateStart: "event_date", DateEnd: "event_date", Country: "country", Admin1: "admin1", Actors: []string{"actor1", "assoc_actor_1", "actor2", "assoc_actor_2"}},
}

// dropOnClose is a store that drops its schema when closed.
type dropOnClose struct {
	*postgres.Store
	drop func() error
}

func (d dropOnClose) Close() error {
	err := d.Store.Close()
	if derr := d.drop(); err == nil {
		err = derr
	}
	return err
}
