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
		a.driverFloor("the same rows into a bare table through vigil's pure-Go SQLite driver", func() (time.Duration, int, error) {
			return bench.DriverImport(ctx, bench.Driver, file, filepath.Join(dir, "driver.db"), ingest.DefaultCommit)
		})
		a.driverFloor("the least the data model writes through that driver (each row a keyed document, its report, an event with its 3 indexes, its actors)", func() (time.Duration, int, error) {
			return bench.ModelFloor(ctx, bench.Driver, file, filepath.Join(dir, "model.db"), modelColumns[format], ingest.DefaultCommit)
		})
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

// driverFloor runs one of the driver's floors and prints what it is, its
// time, its rate and its CPU time a row, or why it was skipped.
func (a *app) driverFloor(what string, load func() (time.Duration, int, error)) {
	before := bench.ReadUsage()
	took, n, err := load()
	if err != nil {
		fmt.Fprintf(a.stdout, "%s: skipped: %v\n", what, err)
		return
	}
	cpu := bench.ReadUsage().Sub(before).CPU
	fmt.Fprintf(a.stdout, "%s: %s, %.0f rows/s, CPU %.0f µs a row\n", what, took.Round(time.Millisecond), float64(n)/took.Seconds(), float64(cpu.Microseconds())/float64(max(n, 1)))
}

// modelColumns are the columns bench.ModelFloor reads, by bench format.
var modelColumns = map[string]bench.ModelColumns{"ucdp": bench.GEDColumns, "acled": bench.ACLEDColumns}

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
