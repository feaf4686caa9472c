package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/bench"
	"github.com/vigil-osint/vigil/export"
	"github.com/vigil-osint/vigil/export/stix"
	"github.com/vigil-osint/vigil/ingest/acled"
	"github.com/vigil-osint/vigil/postgres"
	"github.com/vigil-osint/vigil/sqlite"
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
the sqlite3 shell's .import of it into a bare table (the floor), the same
load through vigil's own pure-Go SQLite driver (the floor for any importer
bound to that driver), and the least that vigil's data model writes for each
row through that driver (a document keyed by source and key, an event with
its date, country and admin-1 indexes, its actors indexed by actor; nothing
parsed, checked or kept beyond that); then import it with vigil into a fresh store and print
rows per second, the ratio to the floor, the import's CPU time and the bytes it
wrote to storage (where /proc tells; a store on tmpfs writes none), and the peak
resident memory of the import (of the whole process where /proc cannot reset
the peak).

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
			file, err := a.generateBenchFile(dir, format, sample, rows)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			s, floor, ferr, err := a.benchStore(ctx, dir, format, file, rows)
			if err != nil {
				return err
			}
			defer s.Close()
			before := bench.ReadUsage()
			b, took, err := a.timedImport(ctx, s, format, f, file)
			if err != nil {
				return err
			}
			used := bench.ReadUsage().Sub(before)
			fmt.Fprintf(a.stdout, "vigil import %s: %s, %.0f rows/s (new %d, rejected %d)\n", format, took.Round(time.Millisecond), float64(b.Counts.Read)/took.Seconds(), b.Counts.New, b.Counts.Rejected)
			perRow := float64(max(b.Counts.Read, 1))
			fmt.Fprintf(a.stdout, "CPU time of the import: %.1f s (%.0f µs a row)\n", used.CPU.Seconds(), float64(used.CPU.Microseconds())/perRow)
			if used.Written >= 0 {
				fmt.Fprintf(a.stdout, "written to storage by the import: %.0f MB (%.1f KB a row)\n", float64(used.Written)/1e6, float64(used.Written)/1e3/perRow)
			}
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
	cmd.AddCommand(imp, newBenchExportCmd(a))
	return cmd
}

// generateBenchFile writes a generated file of rows rows in format (ucdp,
// made from the real sample, or acled) into dir, says so, and returns its
// path.
func (a *app) generateBenchFile(dir, format, sample string, rows int) (string, error) {
	file := filepath.Join(dir, format+"_bench.csv")
	t0 := time.Now()
	gen := func() error { return bench.GEDFile(file, sample, rows) }
	if format == "acled" {
		gen = func() error { return bench.ACLEDFile(file, acled.Columns, rows) }
	}
	if err := gen(); err != nil {
		return "", err
	}
	st, err := os.Stat(file)
	if err != nil {
		return "", err
	}
	fmt.Fprintf(a.stdout, "generated %d rows (%.0f MB) in %s\n", rows, float64(st.Size())/1e6, time.Since(t0).Round(time.Millisecond))
	return file, nil
}

// benchTarget is the store that --db or VIGIL_DB names.
func (a *app) benchTarget() string {
	if a.dbPath != "" {
		return a.dbPath
	}
	return os.Getenv("VIGIL_DB")
}

// freshBenchStore opens a new, empty store of the kind target names: a
// SQLite file in dir, or, for a postgres:// URL, a new schema of that
// database, dropped when the store is closed.
func (a *app) freshBenchStore(ctx context.Context, dir, target string) (vigil.Store, error) {
	if !postgres.IsURL(target) {
		return sqlite.Open(ctx, filepath.Join(dir, "vigil.db"))
	}
	u, drop, err := bench.TempSchema(ctx, target, "vigil_bench")
	if err != nil {
		return nil, err
	}
	ps, err := postgres.Open(ctx, u)
	if err != nil {
		drop()
		return nil, err
	}
	fmt.Fprintf(a.stdout, "store: PostgreSQL, %s\n", postgres.Redact(u))
	return dropOnClose{ps, drop}, nil
}

// benchExportFormats are the formats vigil bench export measures, in the
// order it runs them: those of the target (#3) first, then those that read
// each event again with its reports.
var benchExportFormats = []string{"csv", "geojson", "ucdp-csv", "acled-csv", "stix"}

// benchExportWritten, when set (by the tests), is called with each file
// vigil bench export writes, before the file is removed.
var benchExportWritten func(format, path string)

func newBenchExportCmd(a *app) *cobra.Command {
	var rows int
	var format, sample string
	var formats []string
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Export a generated, imported store in every format, end to end and by the writers alone",
		Long: `Generate an ACLED-shaped file of --rows rows (one event each), or with --format
ucdp a GED-shaped file from the real UCDP sample, and import it into a fresh
store as vigil import does. Then export every event in each format (csv,
geojson, ucdp-csv, acled-csv, stix) into a temporary file as
vigil export FORMAT --out FILE does, and print the events written, the time,
events per second, the file's size and the peak resident memory of the step.

Last, time the store alone: read the events as the export reads them
(vigil.EventPages; for ucdp-csv, acled-csv and stix with their reports,
documents and sources), writing nothing. Then read them again a page at a
time and time each writer alone writing each page, once read, into a file:
the share of the end-to-end time that is not the writer's is reading the
store. Each writer's file is compared with the end-to-end one (the same
bytes are expected).

--formats measures only some of the formats (--formats csv,geojson: those of
the target). With --db postgres://… (or VIGIL_DB) the store is a new schema of
that database, dropped after.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.benchExport(cmd.Context(), format, sample, rows, formats)
		},
	}
	cmd.Flags().IntVar(&rows, "rows", 1_000_000, "rows to generate")
	cmd.Flags().StringVar(&format, "format", "acled", "the file to generate and import: acled or ucdp")
	cmd.Flags().StringSliceVar(&formats, "formats", benchExportFormats, "the export formats to measure")
	cmd.Flags().StringVar(&sample, "sample", filepath.Join("testdata", "ucdp", "ucdp_ged231_sample.csv"), "the real UCDP sample to generate from (--format ucdp)")
	return cmd
}

// benchExport is vigil bench export.
func (a *app) benchExport(ctx context.Context, format, sample string, rows int, formats []string) error {
	f, ok := importFormats[format]
	if !ok || (format != "ucdp" && format != "acled") {
		return fmt.Errorf("bench export: --format %q: want acled or ucdp", format)
	}
	measure := map[string]bool{}
	for _, name := range formats {
		if !slices.Contains(benchExportFormats, name) {
			return fmt.Errorf("bench export: --formats: %q: want some of %s", name, strings.Join(benchExportFormats, ", "))
		}
		measure[name] = true
	}
	if rows < 1 {
		return fmt.Errorf("bench export: --rows %d: want at least 1", rows)
	}
	dir, err := os.MkdirTemp("", "vigil-bench-export-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	file, err := a.generateBenchFile(dir, format, sample, rows)
	if err != nil {
		return err
	}
	s, err := a.freshBenchStore(ctx, dir, a.benchTarget())
	if err != nil {
		return err
	}
	defer s.Close()
	b, took, err := a.timedImport(ctx, s, format, f, file)
	if err != nil {
		return err
	}
	_, total, err := s.FindEvents(ctx, vigil.EventFilter{Limit: 1})
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "vigil import %s: %s, %.0f rows/s (new %d, rejected %d); %d events\n", format, took.Round(time.Millisecond), float64(b.Counts.Read)/took.Seconds(), b.Counts.New, b.Counts.Rejected, total)
	fmt.Fprintf(a.stdout, "peak resident memory of the import: %.0f MB\n", megabytes(bench.PeakRSS()))
	os.Remove(file)

	// End to end, as vigil export FORMAT --out FILE.
	type result struct {
		took time.Duration
		sum  []byte
	}
	e2e := map[string]result{}
	for _, name := range benchExportFormats {
		if !measure[name] {
			continue
		}
		out := filepath.Join(dir, "export-"+name+benchExportExt(name))
		debug.FreeOSMemory()
		bench.ResetPeakRSS()
		start := time.Now()
		n, err := a.exportFile(ctx, s, name, vigil.EventFilter{}, out, export.Options{})
		if err != nil {
			return fmt.Errorf("bench export: %s: %w", name, err)
		}
		took := time.Since(start)
		peak := bench.PeakRSS()
		size, sum, err := sumFile(out)
		if err != nil {
			return err
		}
		fmt.Fprintf(a.stdout, "vigil export %s: %d events, %s, %.0f events/s, %.0f MB, peak resident %.0f MB\n",
			name, n, took.Round(time.Millisecond), float64(n)/took.Seconds(), float64(size)/1e6, megabytes(peak))
		if benchExportWritten != nil {
			benchExportWritten(name, out)
		}
		os.Remove(out)
		e2e[name] = result{took, sum}
	}

	// The store alone, then the writers alone. First the events are read
	// as the export reads them (exportPages: for the formats that need
	// them, with each event's reports), with nothing written. Then they are
	// read again a page at a time, one page after the other, and only the
	// writers' own calls on each page once read are timed, so that a
	// million events need not be held at once. The formats that read each
	// event with its reports share these readings.
	acts, err := s.FindActors(ctx, vigil.ActorFilter{})
	if err != nil {
		return err
	}
	for _, detail := range []bool{false, true} {
		var names []string
		for _, name := range benchExportFormats {
			if measure[name] && exportFormats[name].detail == detail {
				names = append(names, name)
			}
		}
		if len(names) == 0 {
			continue
		}
		debug.FreeOSMemory()
		start := time.Now()
		n := 0
		err := exportPages(ctx, s, vigil.EventFilter{}, detail, func(evs []*vigil.Event) error {
			n += len(evs)
			return nil
		})
		if err != nil {
			return err
		}
		took := time.Since(start)
		what := "vigil.EventPages"
		if detail {
			what = "vigil.EventPages, with their reports, documents and sources"
		}
		fmt.Fprintf(a.stdout, "the store alone, %d events read as the export reads them (%s): %s, %.0f events/s\n", n, what, took.Round(time.Millisecond), float64(n)/took.Seconds())

		ws := make([]*heldWriter, len(names))
		for i, name := range names {
			ws[i], err = newHeldWriter(name, filepath.Join(dir, "writer-"+name+benchExportExt(name)), acts)
			if err != nil {
				return err
			}
			defer ws[i].file.Close()
		}
		// The same pages as exportPages reads, one after the other.
		pager, again := exportPager(s, detail)
		n = 0
		f := vigil.EventFilter{Limit: exportPage}
		for {
			page, err := pager.FindEventPage(ctx, f, vigil.OrderDate)
			if err != nil {
				return err
			}
			evs := page
			if again {
				if evs, err = eventDetails(ctx, s, page); err != nil {
					return err
				}
			}
			for _, w := range ws {
				if err := w.write(evs); err != nil {
					return err
				}
			}
			n += len(evs)
			if len(page) < exportPage {
				break
			}
			last := page[len(page)-1]
			f.After = &vigil.EventCursor{DateStart: last.DateStart, ID: last.ID}
		}
		for i, w := range ws {
			if err := w.close(); err != nil {
				return err
			}
			_, sum, err := sumFile(w.file.Name())
			if err != nil {
				return err
			}
			same := "the same bytes as vigil export's"
			if !bytes.Equal(sum, e2e[names[i]].sum) {
				same = "NOT the same bytes as vigil export's"
			}
			full := e2e[names[i]].took
			fmt.Fprintf(a.stdout, "%s writer alone: %d events, %s, %.0f events/s; end to end took %.1fx as long (%.0f%% of it not the writer's); %s\n",
				names[i], n, w.took.Round(time.Millisecond), float64(n)/w.took.Seconds(),
				full.Seconds()/w.took.Seconds(), 100*(1-w.took.Seconds()/full.Seconds()), same)
			if benchExportWritten != nil {
				benchExportWritten(names[i], w.file.Name())
			}
			os.Remove(w.file.Name())
		}
	}
	return nil
}

// heldWriter is one format's writer writing events already in memory
// into a file, with the time spent in its calls.
type heldWriter struct {
	file *os.File
	w    export.Writer
	took time.Duration
}

// newHeldWriter creates the file at path and starts format's writer on
// it; for STIX it writes the actors first, as vigil export does.
func newHeldWriter(format, path string, acts []*vigil.Actor) (*heldWriter, error) {
	fh, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	h := &heldWriter{file: fh}
	start := time.Now()
	defer func() { h.took += time.Since(start) }()
	if format != "stix" {
		h.w = export.Formats[format](fh)
		return h, nil
	}
	sw := stix.NewWriter(fh, stix.Options{Name: stix.FilterName(vigil.EventFilter{})})
	for _, act := range acts {
		if err := sw.WriteActor(act); err != nil {
			fh.Close()
			return nil, err
		}
	}
	h.w = sw
	return h, nil
}

// write writes the events and adds the time it took.
func (h *heldWriter) write(evs []*vigil.Event) error {
	start := time.Now()
	defer func() { h.took += time.Since(start) }()
	for _, e := range evs {
		if err := h.w.Write(e); err != nil {
			return err
		}
	}
	return nil
}

// close finishes the output and closes the file, and adds the time it took.
func (h *heldWriter) close() error {
	start := time.Now()
	defer func() { h.took += time.Since(start) }()
	if err := h.w.Close(); err != nil {
		return err
	}
	return h.file.Close()
}

// benchExportExt is the file extension of an export format.
func benchExportExt(format string) string {
	switch format {
	case "geojson":
		return ".geojson"
	case "stix":
		return ".json"
	}
	return ".csv"
}

// sumFile returns the size and SHA-256 of the file at path.
func sumFile(path string) (int64, []byte, error) {
	fh, err := os.Open(path)
	if err != nil {
		return 0, nil, err
	}
	defer fh.Close()
	h := sha256.New()
	n, err := io.Copy(h, fh)
	if err != nil {
		return 0, nil, fmt.Errorf("bench export: %s: %w", path, err)
	}
	return n, h.Sum(nil), nil
}

// megabytes is n bytes in MB (2^20 bytes).
func megabytes(n int64) float64 { return float64(n) / (1 << 20) }

// timedImport imports a generated file into a bench's store as vigil
// import does, after the dictionary, with the peak resident memory reset
// so that the import's own can be read after it, and returns the batch
// and how long the import took.
func (a *app) timedImport(ctx context.Context, s vigil.Store, format string, f importFormat, file string) (*vigil.Batch, time.Duration, error) {
	dict, err := a.loadDictionary(ctx, s)
	if err != nil {
		return nil, 0, err
	}
	debug.FreeOSMemory()
	bench.ResetPeakRSS()
	start := time.Now()
	b, err := a.importFile(ctx, s, dict, format, f, &importOptions{version: "23.1"}, file)
	return b, time.Since(start), err
}
