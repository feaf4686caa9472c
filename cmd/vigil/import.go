package main

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/actors"
	"github.com/vigil-osint/vigil/extract"
	"github.com/vigil-osint/vigil/geo"
	"github.com/vigil-osint/vigil/ingest"
	"github.com/vigil-osint/vigil/ingest/acled"
	"github.com/vigil-osint/vigil/ingest/gdelt"
	"github.com/vigil-osint/vigil/ingest/gtd"
	"github.com/vigil-osint/vigil/ingest/stix"
	"github.com/vigil-osint/vigil/ingest/text"
	"github.com/vigil-osint/vigil/ingest/ucdp"
	"github.com/vigil-osint/vigil/ingest/wikilist"
)

// exitRejected is the exit status of an import that finished but rejected
// some records: scripts can tell it from a failure (1).
const exitRejected = 3

// importFormat says how to read one input format.
type importFormat struct {
	short string
	// paths, when set, expands a command-line argument into the files to
	// import (a folder of articles); otherwise each argument is a file.
	paths func(arg string) ([]string, error)
	// flags adds the format's own flags to its command.
	flags func(cmd *cobra.Command, o *importOptions)
	// open returns a reader over r, a file named name.
	open func(r io.Reader, name string, o *importOptions, dict *actors.Dictionary) (ingest.Reader, error)
	// grades says that the file grades its sources, as a person wrote
	// it: `vigil import` gives a stored source the file's grade
	// (ingest.Options.Regrade); other formats' grades are their readers'
	// defaults.
	grades bool
}

// files expands the command-line arguments into the files to import.
func (f importFormat) files(args []string) ([]string, error) {
	if f.paths == nil {
		return args, nil
	}
	var all []string
	for _, arg := range args {
		ps, err := f.paths(arg)
		if err != nil {
			return nil, err
		}
		all = append(all, ps...)
	}
	return all, nil
}

// importOptions are the flags an import format may use.
type importOptions struct {
	version string // UCDP release
	source  string // a source name to file documents under
	commit  int    // records per transaction (ingest.Options.Commit)

	// For text: the source's kind and grade, and what the reader needs;
	// regrade when the person gave the kind or grade (ingest.Options).
	kind, reliability string
	regrade           bool
	ctx               context.Context
	warn              io.Writer
	extractor         *extract.Extractor
}

// importFormats lists the formats `vigil import` reads, by name.
var importFormats = map[string]importFormat{
	"ucdp": {
		short: "UCDP Georeferenced Event Dataset (GED) CSV, releases 19.1 to 25.1",
		flags: func(cmd *cobra.Command, o *importOptions) {
			cmd.Flags().StringVar(&o.version, "version", "", `GED release, e.g. "23.1" (default: from the file name)`)
		},
		open: func(r io.Reader, name string, o *importOptions, dict *actors.Dictionary) (ingest.Reader, error) {
			v := o.version
			if v == "" {
				v = ucdp.VersionFromName(filepath.Base(name))
			}
			return ucdp.NewReader(r, name, v, dict)
		},
	},
	"text": {
		short: "articles as text, Markdown, HTML (main text) or JSON Lines {id, source, published, url, title, text}, or folders of them: reports extracted",
		paths: text.Paths,
		flags: func(cmd *cobra.Command, o *importOptions) {
			cmd.Flags().StringVar(&o.source, "source", "", "the source the documents are filed under (required), e.g. \"Tolo News\"")
			cmd.Flags().StringVar(&o.kind, "kind", string(vigil.SourceNews), "the source's kind: news, official, armed-group-media, intelligence, ngo, dataset, social, academic (a source the store holds keeps its own unless this is given)")
			cmd.Flags().StringVar(&o.reliability, "reliability", string(vigil.ReliabilityF), "the source's reliability, A–G (default F: cannot be judged; a source the store holds keeps its own unless this is given)")
			cmd.MarkFlagRequired("source")
		},
		open: func(r io.Reader, name string, o *importOptions, dict *actors.Dictionary) (ingest.Reader, error) {
			if o.extractor == nil {
				x, err := extract.New(extract.Options{Actors: dict})
				if err != nil {
					return nil, err
				}
				o.extractor = x
			}
			rel, err := vigil.ParseReliability(o.reliability)
			if err != nil {
				return nil, err
			}
			src := &vigil.Source{Name: o.source, Kind: vigil.SourceKind(o.kind), Reliability: rel}
			return text.NewReader(o.ctx, r, name, src, o.extractor, o.warn)
		},
	},
	"acled": {
		short: "ACLED CSV export (current and older columns), or an ACLED deletions file",
		open: func(r io.Reader, name string, o *importOptions, dict *actors.Dictionary) (ingest.Reader, error) {
			return acled.NewReader(r, name, dict)
		},
	},
	"gdelt": {
		short: "GDELT Event Database exports (2.0's 15-minute and 1.0's daily .export.CSV files, zipped or not): its events of violence",
		open: func(r io.Reader, name string, o *importOptions, dict *actors.Dictionary) (ingest.Reader, error) {
			g, err := geo.Default()
			if err != nil {
				return nil, fmt.Errorf("import: %w", err)
			}
			return gdelt.NewReader(r, name, dict, gdelt.Options{Country: func(lat, lon float64) string {
				a, _ := g.Where(lat, lon)
				return a.Country
			}})
		},
	},
	"gtd": {
		short: "Global Terrorism Database, CSV or the XLSX START ships",
		open: func(r io.Reader, name string, o *importOptions, dict *actors.Dictionary) (ingest.Reader, error) {
			return gtd.NewReader(r, name, dict)
		},
	},
	"stix": {
		short: "STIX 2.1 bundle: actors, sources, reports, sightings, relationships",
		flags: func(cmd *cobra.Command, o *importOptions) {
			cmd.Flags().StringVar(&o.source, "source", stix.DefaultSource, "source of the objects that name no creator")
		},
		open: func(r io.Reader, name string, o *importOptions, dict *actors.Dictionary) (ingest.Reader, error) {
			sr, err := stix.NewReader(r, name, dict, stix.Options{Source: o.source})
			if err != nil {
				return nil, err
			}
			return &stixImport{Reader: sr}, nil
		},
	},
	"case": {
		short:  "vigil case file (JSON): sources, documents and the reports of each, entered by hand",
		grades: true,
		open: func(r io.Reader, name string, o *importOptions, dict *actors.Dictionary) (ingest.Reader, error) {
			return openCase(r, name, dict)
		},
	},
	"wikilist": {
		short: "Wikipedia's lists of terrorist incidents, parsed to CSV (month, day, type, dead, injured, location, details, perpetrator)",
		open: func(r io.Reader, name string, o *importOptions, dict *actors.Dictionary) (ingest.Reader, error) {
			return wikilist.NewReader(r, name, dict, nil)
		},
	},
}

// summarizer is a reader that says, after the import, how its rows
// resolved (the wikilist reader: how many located, at which precision).
type summarizer interface{ Summary() string }

func newImportCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "import FORMAT FILE...",
		Short: "Import files of a format into the store",
		Long: `Import files into the store. Each file is one batch with its counts: read, new,
unchanged, updated and rejected. Importing the same file again changes nothing.
Rejected records are listed as file:row: field: reason, and the exit status is 3
when any record was rejected (1 when the import failed).`,
	}
	names := make([]string, 0, len(importFormats))
	for n := range importFormats {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		f := importFormats[name]
		o := &importOptions{}
		sub := &cobra.Command{
			Use:   name + " FILE...",
			Short: f.short,
			Args:  cobra.MinimumNArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				o.regrade = f.grades || cmd.Flags().Changed("kind") || cmd.Flags().Changed("reliability")
				return a.runImport(cmd.Context(), name, f, o, args)
			},
		}
		if f.flags != nil {
			f.flags(sub, o)
		}
		sub.Flags().IntVar(&o.commit, "commit", ingest.DefaultCommit, "records a transaction takes, in chunks of 2,000, on a store that takes several chunks in one (SQLite); a killed import keeps what it committed")
		cmd.AddCommand(sub)
	}
	return cmd
}

func (a *app) runImport(ctx context.Context, format string, f importFormat, o *importOptions, files []string) error {
	if queued, err := a.queuedImport(ctx, format, o, files); queued {
		return err // VIGIL_NATS: the workers import (cmd/vigil/worker.go)
	}
	s, err := a.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	dict, err := a.loadDictionary(ctx, s)
	if err != nil {
		return err
	}
	o.ctx, o.warn = ctx, a.stderr
	if files, err = f.files(files); err != nil {
		return err
	}
	rejected := false
	for _, file := range files {
		b, err := a.importFile(ctx, s, dict, format, f, o, file)
		if b != nil {
			c := b.Counts
			older, skipped := "", ""
			if c.Older > 0 {
				older = fmt.Sprintf(", older than stored %d", c.Older)
			}
			if c.Skipped > 0 {
				skipped = fmt.Sprintf(", skipped %d", c.Skipped)
			}
			fmt.Fprintf(a.stdout, "%s: read %d, new %d, unchanged %d, updated %d%s, rejected %d%s (batch %d)\n",
				file, c.Read, c.New, c.Unchanged, c.Updated, older, c.Rejected, skipped, b.ID)
			printRecords(a.stderr, "", b.Rejections, c.Rejected, "rejected", b.ID)
			printRecords(a.stderr, "warning: ", b.Warnings, c.Warnings, "warnings", b.ID)
		}
		switch {
		case errors.Is(err, ingest.ErrRejected):
			rejected = true
		case err != nil:
			return err
		}
	}
	a.afterImport(ctx, s)
	if rejected {
		return &exitError{code: exitRejected, err: errors.New("some records were rejected (listed above)")}
	}
	return nil
}

// printLimit bounds the rejections, and the warnings, that an import prints
// a file; the batch keeps the first 10,000 of each, which
// `vigil imports show` lists.
const printLimit = 20

// printRecords prints the first printLimit records of a batch's list, each
// after prefix, and when there are more, a line with their total and their
// tally by field.
func printRecords(w io.Writer, prefix string, list []vigil.Rejection, total int, what string, batch int64) {
	for _, r := range list[:min(len(list), printLimit)] {
		fmt.Fprintln(w, prefix+r.Reason)
	}
	if total <= printLimit || len(list) <= printLimit {
		return
	}
	byField := map[string]int{}
	for _, r := range list {
		byField[r.Field]++
	}
	fields := slices.SortedFunc(maps.Keys(byField), func(x, y string) int {
		return cmp.Or(cmp.Compare(byField[y], byField[x]), cmp.Compare(x, y))
	})
	tally := make([]string, len(fields))
	for i, f := range fields {
		tally[i] = fmt.Sprintf("%s %d", cmp.Or(f, "(record)"), byField[f])
	}
	of := "by field"
	if total > len(list) {
		of = fmt.Sprintf("of the first %d, by field", len(list))
	}
	fmt.Fprintf(w, "%s%d %s in all, the first %d above; %s: %s; `vigil imports show %d` lists them\n",
		prefix, total, what, printLimit, of, strings.Join(tally, ", "), batch)
}

func (a *app) importFile(ctx context.Context, s vigil.Store, dict *actors.Dictionary, format string, f importFormat, o *importOptions, file string) (*vigil.Batch, error) {
	fh, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	var size int64
	if st, err := fh.Stat(); err == nil {
		if st.IsDir() {
			return nil, fmt.Errorf("%s is a folder: give the files in it (%s)", file, filepath.Join(file, "*"))
		}
		size = st.Size()
	}
	h := sha256.New()
	bar := a.progress(size, "importing "+filepath.Base(file))
	var in io.Reader = io.TeeReader(fh, h)
	if bar != nil {
		in = io.TeeReader(in, bar)
		defer bar.Finish()
	}
	r, err := f.open(in, file, o, dict)
	if err != nil {
		return nil, err
	}
	b := &vigil.Batch{Format: format, File: file, Source: o.source}
	if src, ok := r.(interface{ Source() *vigil.Source }); ok {
		b.Source = src.Source().Name
	}
	place, err := placeHook()
	if err != nil {
		return nil, err
	}
	err = runReader(ctx, s, b, r, ingest.Options{Place: place, Commit: o.commit, Regrade: o.regrade})
	if sum, ok := r.(summarizer); ok {
		fmt.Fprintf(a.stderr, "%s: %s\n", file, sum.Summary())
	}
	// The checksum covers the whole file once it has been read through.
	finished := err == nil || errors.Is(err, ingest.ErrRejected)
	if _, cerr := io.Copy(h, fh); cerr == nil && finished {
		b.Checksum = hexSum(h)
		if uerr := s.UpdateBatch(context.WithoutCancel(ctx), b); uerr != nil {
			return b, uerr
		}
	}
	return b, err
}

// runReader stores a reader's items as batch b, with the records a reader
// keeps around its items (storeHooks) before and after them.
func runReader(ctx context.Context, s vigil.Store, b *vigil.Batch, r ingest.Reader, opt ingest.Options) error {
	hooks, _ := r.(storeHooks)
	if hooks != nil {
		if err := hooks.BeforeItems(ctx, s); err != nil {
			return err
		}
	}
	err := ingest.Run(ctx, s, b, r, opt)
	if hooks != nil && (err == nil || errors.Is(err, ingest.ErrRejected)) {
		if herr := hooks.AfterItems(ctx, s); herr != nil {
			return ingest.Fail(ctx, s, b, herr)
		}
	}
	return err
}

// placeHook returns what every import applies to its reports' places:
// admin codes filled from the coordinates, and a warning for coordinates
// outside the country a report names (ingest.PlaceWith).
func placeHook() (func(*vigil.Report) string, error) {
	g, err := geo.Default()
	if err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	return ingest.PlaceWith(g), nil
}

func hexSum(h hash.Hash) string { return hex.EncodeToString(h.Sum(nil)) }

// progress returns a byte progress bar on stderr when stderr is a
// terminal, and nil when it is not (pipes and CI stay quiet).
func (a *app) progress(size int64, what string) *progressbar.ProgressBar {
	f, ok := a.stderr.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) || size <= 0 {
		return nil
	}
	return progressbar.DefaultBytes(size, what)
}

func newImportsCmd(a *app) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "imports",
		Short: "List import batches with their counts",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "table", "json"); err != nil {
				return err
			}
			bs, err := a.batches(cmd.Context())
			if err != nil {
				return err
			}
			if format == "json" {
				return writeJSONList(a.stdout, bs)
			}
			t := newTable(a.stdout, "BATCH", "FORMAT", "FILE", "STATUS", "READ", "NEW", "UNCHANGED", "UPDATED", "REJECTED", "SKIPPED", "WARNINGS", "STARTED")
			for _, b := range bs {
				c := b.Counts
				t.row(fmt.Sprint(b.ID), b.Format, clipStart(b.File, 40), string(b.Status), fmt.Sprint(c.Read), fmt.Sprint(c.New),
					fmt.Sprint(c.Unchanged), fmt.Sprint(c.Updated), fmt.Sprint(c.Rejected), fmt.Sprint(c.Skipped), fmt.Sprint(c.Warnings),
					b.StartedAt.Format("2006-01-02 15:04:05"))
			}
			return t.flush()
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "output format: table or json")
	cmd.AddCommand(newImportsShowCmd(a))
	return cmd
}

func newImportsShowCmd(a *app) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "show BATCH",
		Short: "Show one import batch: its counts, and every rejection and warning it keeps",
		Long: `Show one import batch: its file, checksum and counts, then the records it
rejected and the corrections it made (the first 10,000 of each), one a line as
file:row: field: reason.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "text", "json"); err != nil {
				return err
			}
			id, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil {
				return fmt.Errorf("batch %q: not a number", args[0])
			}
			bs, err := a.batches(cmd.Context())
			if err != nil {
				return err
			}
			i := slices.IndexFunc(bs, func(b *vigil.Batch) bool { return b.ID == id })
			if i < 0 {
				return vigil.Errorf(vigil.ENOTFOUND, "batch %d", id)
			}
			b := bs[i]
			if format == "json" {
				return writeJSON(a.stdout, b)
			}
			c := b.Counts
			fmt.Fprintf(a.stdout, "batch %d: %s %s (%s), sha256 %s\nstarted %s, %s\nread %d, new %d, unchanged %d, updated %d, older %d, rejected %d, skipped %d, warnings %d\n",
				b.ID, b.Format, b.File, b.Source, b.Checksum, b.StartedAt.Format(time.RFC3339), b.Status,
				c.Read, c.New, c.Unchanged, c.Updated, c.Older, c.Rejected, c.Skipped, c.Warnings)
			if b.Error != "" {
				fmt.Fprintln(a.stdout, "error:", b.Error)
			}
			for _, r := range b.Rejections {
				fmt.Fprintln(a.stdout, r.Reason)
			}
			for _, w := range b.Warnings {
				fmt.Fprintln(a.stdout, "warning:", w.Reason)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

// batches returns the store's import batches.
func (a *app) batches(ctx context.Context) ([]*vigil.Batch, error) {
	s, err := a.openStore(ctx)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	return s.FindBatches(ctx)
}

// splitList splits comma-separated flag values.
func splitList(vs []string) []string {
	var out []string
	for _, v := range vs {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}
