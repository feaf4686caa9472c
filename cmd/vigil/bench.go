package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	"github.com/spf13/cobra"

	"github.com/vigil-osint/vigil/bench"
	"github.com/vigil-osint/vigil/ingest/acled"
)

func newBenchCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure vigil on generated data and print the figures",
	}
	var rows int
	var sample, format string
	imp := &cobra.Command{
		Use:   "import",
		Short: "Import a generated UCDP GED or ACLED file and compare with the database's own bulk load",
		Long: `Generate a GED-shaped file of --rows rows from the real UCDP sample (new ids,
shifted dates), or with --format acled an ACLED-shaped export (six actors, one of
them an "X and/or Y" string, four event types, two countries, eight years); time
the sqlite3 shell's .import of it into a bare table (the floor) and the same
load through vigil's own pure-Go SQLite driver (the floor for any importer
bound to that driver); then import it with vigil into a fresh store and print
rows per second, the ratio to the floor and the peak resident memory of the
import (of the whole process where /proc cannot reset the peak).

With --db postgres://… (or VIGIL_DB) the store is PostgreSQL: vigil imports into
a new schema of that database, dropped after, and the floor is PostgreSQL's own
COPY of the file into a bare table.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			dir, err := os.MkdirTemp("", "vigil-bench-")
			if err != nil {
				return err
			}
			defer os.RemoveAll(dir)
			f, ok := importFormats[format]
			if !ok || (format != "ucdp" && format != "acled") {
				return fmt.Errorf("bench import: --format %q: want ucdp or acled", format)
			}
			file := filepath.Join(dir, format+"_bench.csv")
			t0 := time.Now()
			gen := func() error { return bench.GEDFile(file, sample, rows) }
			if format == "acled" {
				gen = func() error { return bench.ACLEDFile(file, acled.Columns, rows) }
			}
			if err := gen(); err != nil {
				return err
			}
			st, _ := os.Stat(file)
			fmt.Fprintf(a.stdout, "generated %d rows (%.0f MB) in %s\n", rows, float64(st.Size())/1e6, time.Since(t0).Round(time.Millisecond))
			ctx := cmd.Context()
			s, floor, ferr, err := a.benchStore(ctx, dir, file, rows)
			if err != nil {
				return err
			}
			defer s.Close()
			dict, err := a.loadDictionary(ctx, s)
			if err != nil {
				return err
			}
			debug.FreeOSMemory()
			bench.ResetPeakRSS()
			start := time.Now()
			b, err := a.importFile(ctx, s, dict, format, f, &importOptions{version: "23.1"}, file)
			if err != nil {
				return err
			}
			took := time.Since(start)
			fmt.Fprintf(a.stdout, "vigil import %s: %s, %.0f rows/s (new %d, rejected %d)\n", format, took.Round(time.Millisecond), float64(b.Counts.Read)/took.Seconds(), b.Counts.New, b.Counts.Rejected)
			if ferr == nil {
				fmt.Fprintf(a.stdout, "ratio to the floor: %.2fx\n", took.Seconds()/floor.Seconds())
			}
			fmt.Fprintf(a.stdout, "peak resident memory of the import: %.0f MB\n", float64(bench.PeakRSS())/(1<<20))
			return nil
		},
	}
	imp.Flags().IntVar(&rows, "rows", 400_000, "rows to generate")
	imp.Flags().StringVar(&format, "format", "ucdp", "the file to generate and import: ucdp or acled")
	imp.Flags().StringVar(&sample, "sample", filepath.Join("testdata", "ucdp", "ucdp_ged231_sample.csv"), "the real UCDP sample to generate from")
	cmd.AddCommand(imp)
	return cmd
}
