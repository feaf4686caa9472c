package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/spf13/cobra"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/export"
	"github.com/vigil-osint/vigil/export/stix"
)

// exportPage is how many events one store query returns while exporting.
const exportPage = 2000

// exportFormat says how to write one format.
type exportFormat struct {
	short string
	// detail: the writer uses each event's reports, so every event is
	// read with its reports, documents and sources.
	detail bool
}

var exportFormats = map[string]exportFormat{
	"csv":       {short: "vigil's own CSV: killed and wounded as low/best/high, precisions, attribution, sources"},
	"acled-csv": {short: "ACLED's 31 columns, for scripts written for ACLED exports", detail: true},
	"ucdp-csv":  {short: "UCDP GED's 49 columns, for scripts written for GED", detail: true},
	"geojson":   {short: "GeoJSON FeatureCollection of event points, properties as in events list --format json"},
	"stix":      {short: "STIX 2.1 bundle: threat actors, identities, locations, reports, sightings, relationships, notes, TLP", detail: true},
}

func newExportCmd(a *app) *cobra.Command {
	var (
		ff   eventFilterFlags
		out  string
		tlp  string
		safe bool
	)
	names := make([]string, 0, len(exportFormats))
	for n := range exportFormats {
		names = append(names, n)
	}
	sort.Strings(names)
	var help strings.Builder
	for _, n := range names {
		fmt.Fprintf(&help, "  %-10s %s\n", n, exportFormats[n].short)
	}
	cmd := &cobra.Command{
		Use:   "export FORMAT [filters] --out FILE",
		Short: "Export events as CSV, GeoJSON or STIX 2.1",
		Long: "Export the events that match the filters (as in events list) in one of these formats:\n\n" + help.String() +
			"\nThe file is written whole or not at all. --tlp exports only what a reader cleared\nfor that level may see.",
		Args:      cobra.ExactArgs(1),
		ValidArgs: names,
		RunE: func(cmd *cobra.Command, args []string) error {
			format := args[0]
			if _, ok := exportFormats[format]; !ok {
				return fmt.Errorf("export: unknown format %q: want one of %s", format, strings.Join(names, ", "))
			}
			if err := checkSpreadsheetSafe(safe, format); err != nil {
				return err
			}
			f, err := ff.filter()
			if err != nil {
				return err
			}
			if tlp != "" {
				if f.Clearance, err = vigil.ParseTLP(tlp); err != nil {
					return fmt.Errorf("--tlp: %s", vigil.ErrorMessage(err))
				}
			}
			s, err := a.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer s.Close()
			_, err = a.exportFile(cmd.Context(), s, format, f, out, export.Options{SpreadsheetSafe: safe})
			return err
		},
	}
	ff.add(cmd)
	addSpreadsheetSafe(cmd, &safe)
	cmd.Flags().StringVarP(&out, "out", "o", "-", `file to write ("-": standard output)`)
	cmd.Flags().StringVar(&tlp, "tlp", "", "export only what a reader cleared for this TLP level may see (CLEAR, GREEN, AMBER, AMBER+STRICT, RED)")
	return cmd
}

// addSpreadsheetSafe adds --spreadsheet-safe to a command that writes CSV.
func addSpreadsheetSafe(cmd *cobra.Command, safe *bool) {
	cmd.Flags().BoolVar(safe, "spreadsheet-safe", false,
		"in CSV, put a ' before each text cell that begins with =, +, -, @, a tab or a carriage return, so that a spreadsheet does not run it as a formula (numbers stay as they are); off, the CSV is lossless for R and pandas")
}

// checkSpreadsheetSafe refuses --spreadsheet-safe for a format other than
// CSV, which has no cells to guard.
func checkSpreadsheetSafe(safe bool, format string) error {
	if safe && format != "csv" && !strings.HasSuffix(format, "-csv") {
		return fmt.Errorf("--spreadsheet-safe: for CSV only, not --format %s", format)
	}
	return nil
}

// exportFile writes the events of s that match f to the file out ("-":
// standard output) in one of exportFormats, as vigil export does, and
// returns how many it wrote.
func (a *app) exportFile(ctx context.Context, s vigil.Store, format string, f vigil.EventFilter, out string, o export.Options) (int, error) {
	ef, ok := exportFormats[format]
	if !ok {
		return 0, fmt.Errorf("export: unknown format %q", format)
	}
	// An export makes garbage fast over a small live heap, which the
	// collector would scan again and again: with GOGC at 400 rather than
	// 100, exporting 400,000 events to CSV took 9.0 s rather than 11.5 s
	// and 12 CPU-seconds rather than 17, in 30 MB more (in turn, load 2).
	collectLessOften()
	var n int
	err := a.writeFile(out, func(w io.Writer) (int, error) {
		var err error
		n, err = exportEvents(ctx, s, format, ef, f, w, o)
		if err == nil && n == 0 {
			a.noteUnknownActors(ctx, s, f.Actor)
			a.noteUnknownUnits(f.Admin1)
		}
		return n, err
	})
	return n, err
}

// writeFile writes to path through a temporary file renamed into place,
// so that a failed export leaves no half-written file; "-" is stdout.
func (a *app) writeFile(path string, write func(io.Writer) (int, error)) error {
	if path == "-" || path == "" {
		_, err := write(a.stdout)
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return outError(path, err)
	}
	defer os.Remove(tmp.Name())
	n, err := write(tmp)
	if cerr := tmp.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	fmt.Fprintf(a.stderr, "%s: %d events\n", path, n)
	return nil
}

// outError names the file asked for when the temporary file beside it
// cannot be made (a missing folder, no permission), rather than the
// temporary file's own name.
func outError(path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("--out %s: %w", path, pe.Err)
	}
	return fmt.Errorf("--out %s: %w", path, err)
}

// exportEvents streams the matching events into the format's writer, a
// page at a time, and returns how many it wrote.
func exportEvents(ctx context.Context, s vigil.Store, format string, ef exportFormat, f vigil.EventFilter, w io.Writer, o export.Options) (int, error) {
	var ew export.Writer
	if format == "stix" {
		sw := stix.NewWriter(w, stix.Options{Name: stix.FilterName(f)})
		acts, err := s.FindActors(ctx, vigil.ActorFilter{Clearance: f.Clearance})
		if err != nil {
			return 0, err
		}
		for _, act := range acts {
			if err := sw.WriteActor(act); err != nil {
				return 0, err
			}
		}
		var allow func(vigil.TLP) bool
		if f.Clearance != "" {
			allow = f.Clearance.Allows
		}
		if err := sw.WriteActorClaims(ctx, s, allow); err != nil {
			return 0, err
		}
		ew = sw
	} else {
		ew = export.FormatsWith[format](w, o)
	}
	n := 0
	err := exportPages(ctx, s, f, ef.detail, func(evs []*vigil.Event) error {
		for _, e := range evs {
			if err := ew.Write(e); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		return n, err
	}
	return n, ew.Close()
}

// exportPages calls fn with the events f selects, a page at a time, as
// the exports read them: with each event's reports, documents and
// sources when detail.
func exportPages(ctx context.Context, s vigil.Store, f vigil.EventFilter, detail bool, fn func([]*vigil.Event) error) error {
	pager, again := exportPager(s, detail)
	return vigil.EventPages(ctx, pager, f, exportPage, func(evs []*vigil.Event) error {
		if again {
			var err error
			if evs, err = eventDetails(ctx, s, evs); err != nil {
				return err
			}
		}
		return fn(evs)
	})
}

// exportPager returns what an export reads its pages through and whether
// each page must then be read again whole (eventDetails): formats that
// need each event's documents (detail) read pages whole in one pass where
// the store can (vigil.EventDetailer).
func exportPager(s vigil.Store, detail bool) (vigil.EventPager, bool) {
	if d, ok := s.(vigil.EventDetailer); ok && detail {
		if k, ok := s.(vigil.EventKeyPager); ok {
			return detailKeyPages{detailPages{d}, k}, false
		}
		return detailPages{d}, false
	}
	return s, detail
}

// detailPages reads pages of events whole (vigil.EventDetailer).
type detailPages struct{ d vigil.EventDetailer }

func (p detailPages) FindEventPage(ctx context.Context, f vigil.EventFilter, order vigil.EventOrder) ([]*vigil.Event, error) {
	return p.d.FindEventDetailPage(ctx, f, order)
}

// detailKeyPages is detailPages over a store that reads the keys of a
// page alone (vigil.EventKeyPager), so that vigil.EventPages reads
// several pages at once, each whole.
type detailKeyPages struct {
	detailPages
	k vigil.EventKeyPager
}

func (p detailKeyPages) FindEventPageKeys(ctx context.Context, f vigil.EventFilter, order vigil.EventOrder) ([]int64, *vigil.EventCursor, error) {
	return p.k.FindEventPageKeys(ctx, f, order)
}

func (p detailKeyPages) FindEventsByID(ctx context.Context, ids []int64) ([]*vigil.Event, error) {
	return p.d.FindEventDetails(ctx, ids)
}

// eventDetails reads each event again with its reports, documents and
// sources, in the order given: in batches where the store can
// (vigil.EventDetailer), else one event at a time on every processor.
func eventDetails(ctx context.Context, s vigil.Store, evs []*vigil.Event) ([]*vigil.Event, error) {
	if d, ok := s.(vigil.EventDetailer); ok {
		ids := make([]int64, len(evs))
		for i, e := range evs {
			ids[i] = e.ID
		}
		out, err := d.FindEventDetails(ctx, ids)
		if err == nil && len(out) != len(evs) {
			err = fmt.Errorf("export: %d of %d events read again", len(out), len(evs))
		}
		return out, err
	}
	out := make([]*vigil.Event, len(evs))
	errs := make([]error, len(evs))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range max(1, min(runtime.GOMAXPROCS(0), len(evs))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < len(evs) && ctx.Err() == nil; i = int(next.Add(1) - 1) {
				out[i], errs[i] = s.FindEventByID(ctx, evs[i].ID)
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// collectLessOften has the garbage collector run at four times the live
// heap rather than twice, unless GOGC says otherwise: for the commands that
// make garbage far faster than they keep memory (exports, indicators over
// a million facts), memory is cheap next to the collector's scans.
func collectLessOften() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
}
