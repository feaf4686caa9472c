// Command ncruces measures the floors of `vigil bench import` through two
// pure-Go SQLite drivers in turn: modernc.org/sqlite, which vigil's store
// uses (SQLite's C translated to Go), and github.com/ncruces/go-sqlite3
// (SQLite compiled to WebAssembly and that translated to Go), the other
// pure-Go driver. For each it loads a
// generated file into a bare table (bench.DriverImport) and as the least
// tables of vigil's data model (bench.ModelFloor), and prints the rate and
// the CPU time a row, beside the CPU time a row that a target rate leaves
// on this machine's processors.
//
// It is a module of its own so that vigil's build does not depend on the
// second driver:
//
//	cd bench/ncruces && go run . --rows 400000 [--format acled] [--target 50000]
package main

import (
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"time"

	_ "github.com/ncruces/go-sqlite3/driver" // registers "sqlite3"
	"github.com/vigil-osint/vigil/bench"
	"github.com/vigil-osint/vigil/ingest/acled"
)

// chunk is the rows a transaction takes, as vigil's import commits
// (ingest.DefaultCommit).
const chunk = 40000

func main() {
	rows := flag.Int("rows", 400000, "rows to generate")
	format := flag.String("format", "ucdp", "the file to generate: ucdp (from the real UCDP sample) or acled")
	sample := flag.String("sample", filepath.Join("..", "..", "testdata", "ucdp", "ucdp_ged231_sample.csv"), "the real UCDP sample to generate from")
	target := flag.Float64("target", 50000, "a rate in rows/s, to print the CPU time a row it leaves")
	flag.Parse()
	if err := run(context.Background(), os.Stdout, *format, *sample, *rows, *target); err != nil {
		fmt.Fprintln(os.Stderr, "ncruces:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, w io.Writer, format, sample string, rows int, target float64) error {
	dir, err := os.MkdirTemp("", "vigil-drivers-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, format+".csv")
	cols := bench.GEDColumns
	switch format {
	case "ucdp":
		err = bench.GEDFile(file, sample, rows)
	case "acled":
		cols = bench.ACLEDColumns
		err = bench.ACLEDFile(file, acled.Columns, rows)
	default:
		return fmt.Errorf("--format %q: want ucdp or acled", format)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%d generated %s rows; at %.0f rows/s, %d processors leave a row %.0f µs of CPU in all, and one thread (SQLite's one writer) %.0f µs\n",
		rows, format, target, runtime.NumCPU(), float64(runtime.NumCPU())*1e6/target, 1e6/target)
	before := bench.ReadUsage()
	n, err := readAll(file)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "reading the file alone, as the floors read it: CPU %.1f µs a row (%d rows); the floors' figures below include it\n",
		float64(bench.ReadUsage().Sub(before).CPU.Nanoseconds())/1e3/float64(max(n, 1)), n)
	for _, d := range []struct{ name, driver string }{
		{"modernc.org/sqlite (vigil's)", bench.Driver},
		{"github.com/ncruces/go-sqlite3", "sqlite3"},
	} {
		for _, f := range []struct {
			what string
			load func(db string) (time.Duration, int, error)
		}{
			{"bare table", func(db string) (time.Duration, int, error) {
				return bench.DriverImport(ctx, d.driver, file, db, chunk)
			}},
			{"least of the data model", func(db string) (time.Duration, int, error) {
				return bench.ModelFloor(ctx, d.driver, file, db, cols, chunk)
			}},
		} {
			db := filepath.Join(dir, "floor.db")
			before := bench.ReadUsage()
			took, n, err := f.load(db)
			if err != nil {
				return fmt.Errorf("%s, %s: %w", d.name, f.what, err)
			}
			cpu := bench.ReadUsage().Sub(before).CPU
			fmt.Fprintf(w, "%s, %s: %s, %.0f rows/s, CPU %.0f µs a row\n", d.name, f.what, took.Round(time.Millisecond), float64(n)/took.Seconds(), float64(cpu.Microseconds())/float64(max(n, 1)))
			for _, suffix := range []string{"", "-wal", "-shm"} {
				os.Remove(db + suffix)
			}
		}
	}
	return nil
}

// readAll reads every record of a CSV file as the floors do, and returns
// how many there were after the header.
func readAll(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.ReuseRecord = true
	n := -1
	for {
		_, err := r.Read()
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, fmt.Errorf("%s: %w", path, err)
		}
		n++
	}
}
