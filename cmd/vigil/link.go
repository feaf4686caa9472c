package main

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/actors"
	"github.com/vigil-osint/vigil/bench"
	"github.com/vigil-osint/vigil/ingest/ucdp"
	"github.com/vigil-osint/vigil/link"
	"github.com/vigil-osint/vigil/sqlite"
)

// linkFlags are the configurable weights and thresholds of linkage.
type linkFlags struct {
	accept, review float64
	window         int
}

func (f *linkFlags) add(cmd *cobra.Command) {
	d := link.Default()
	cmd.Flags().Float64Var(&f.accept, "accept", d.Accept, "score at which two reports are linked")
	cmd.Flags().Float64Var(&f.review, "review", d.Review, "score at which an unaccepted link goes to the review queue")
	cmd.Flags().IntVar(&f.window, "window", int(d.WindowDays), "days beyond a report's dates that blocking looks")
}

// check refuses thresholds and windows that cannot mean what they say.
func (f *linkFlags) check() error {
	switch {
	case f.window < 0:
		return fmt.Errorf("--window %d: want 0 or more days", f.window)
	case math.IsNaN(f.accept) || math.IsInf(f.accept, 0):
		return fmt.Errorf("--accept %g: want a score, such as the default %g", f.accept, link.Default().Accept)
	case math.IsNaN(f.review) || math.IsInf(f.review, 0):
		return fmt.Errorf("--review %g: want a score, such as the default %g", f.review, link.Default().Review)
	case f.review > f.accept:
		return fmt.Errorf("--review %g is above --accept %g: nothing could go to review; want review ≤ accept", f.review, f.accept)
	}
	return nil
}

// config returns linkage's configuration with the dictionary's parents.
func (f *linkFlags) config(dict *actors.Dictionary) link.Config {
	c := defaultLinkConfig(dict)
	c.Accept, c.Review, c.WindowDays = f.accept, f.review, int32(f.window)
	return c
}

// defaultLinkConfig is linkage's default configuration with the actor
// hierarchy of the dictionary.
func defaultLinkConfig(dict *actors.Dictionary) link.Config {
	c := link.Default()
	if dict != nil {
		c.Parents = map[string]string{}
		for _, a := range dict.Actors {
			if a.Parent != "" {
				c.Parents[a.ID] = a.Parent
			}
		}
	}
	return c
}

// lockEdits takes the store's edit lock where it has one
// (vigil.EditLocker), so that a decision made here and a server's
// conditional update of the same store do not interleave.
func lockEdits(ctx context.Context, s any) (func(), error) {
	if l, ok := s.(vigil.EditLocker); ok {
		return l.LockEdits(ctx)
	}
	return func() {}, nil
}

// linkService opens the store and its linkage service.
func (a *app) linkService(ctx context.Context) (vigil.Store, vigil.LinkService, error) {
	s, err := a.openStore(ctx)
	if err != nil {
		return nil, nil, err
	}
	ls, ok := s.(vigil.LinkService)
	if !ok {
		s.Close()
		return nil, nil, fmt.Errorf("the store %T does not support linkage", s)
	}
	return s, ls, nil
}

func newLinkCmd(a *app) *cobra.Command {
	var lf linkFlags
	var format string
	cmd := &cobra.Command{
		Use:   "link",
		Short: "Link the reports not yet linked into events",
		Long: `Link the reports that linkage has not yet seen: each is compared with the
reports of its country within a window of days (new and stored), linked where the
match score reaches --accept, queued for review where it reaches --review, and
kept apart where a person said so. Stored events are joined, never split; events
a person confirmed take nothing more without review. The run is recorded in
history and can be undone with vigil review undo.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "text", "json"); err != nil {
				return err
			}
			ctx := cmd.Context()
			s, ls, err := a.linkService(ctx)
			if err != nil {
				return err
			}
			defer s.Close()
			dict, err := a.loadDictionary(ctx, s)
			if err != nil {
				return err
			}
			if err := lf.check(); err != nil {
				return err
			}
			st, err := link.Run(ctx, ls, lf.config(dict), "vigil link")
			if err != nil {
				return err
			}
			if format == "json" {
				return writeJSON(a.stdout, st)
			}
			fmt.Fprintf(a.stdout, "linked %d new reports against %d stored: %d pairs scored, %d links, %d changes, %d for review (read %s, link %s, write %s)\n",
				st.Pending, st.Candidates, st.Compared, st.Accepted, st.Clusters, st.Review,
				st.Read.Round(time.Millisecond), st.Link.Round(time.Millisecond), st.Write.Round(time.Millisecond))
			if st.OpID != 0 {
				fmt.Fprintf(a.stdout, "recorded as operation %d (vigil review undo %d --reason ... reverses it)\n", st.OpID, st.OpID)
			}
			return nil
		},
	}
	lf.add(cmd)
	cmd.Flags().StringVar(&format, "format", "text", "output: text or json")
	cmd.AddCommand(newLinkGenerateCmd(a), newLinkBenchCmd(a))
	return cmd
}

func newLinkGenerateCmd(a *app) *cobra.Command {
	var (
		sample string
		seed   uint64
		hard   float64
	)
	cmd := &cobra.Command{
		Use:   "generate",
		Short: "Write a generated multi-source gold set (a case file) from real UCDP rows",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			dict, err := actors.Load(a.actorsPath)
			if err != nil {
				return err
			}
			items, err := readUCDP(sample, dict)
			if err != nil {
				return err
			}
			return writeJSON(a.stdout, link.Generate(items, dict, link.GenOptions{Seed: seed, HardNegatives: hard}))
		},
	}
	cmd.Flags().StringVar(&sample, "sample", filepath.Join("testdata", "ucdp", "ucdp_ged231_sample.csv"), "UCDP GED file whose rows are the true events")
	// --from is the older name, kept hidden: elsewhere --from is a first day.
	cmd.Flags().StringVar(&sample, "from", sample, "UCDP GED file whose rows are the true events")
	cmd.Flags().MarkHidden("from")
	cmd.Flags().Uint64Var(&seed, "seed", 1, "random seed")
	cmd.Flags().Float64Var(&hard, "hard-negatives", 0.15, "share of events that get a twin on the same day in the same town")
	return cmd
}

func readUCDP(path string, dict *actors.Dictionary) ([]vigil.Item, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) && !filepath.IsAbs(path) {
		// The default is the repository's sample, relative to its root.
		return nil, fmt.Errorf("--sample: %w (the UCDP sample ships in the repository's testdata/ucdp: run from the repository's root or give --sample FILE)", err)
	}
	if err != nil {
		return nil, fmt.Errorf("--sample: %w", err)
	}
	defer f.Close()
	r, err := ucdp.NewReader(f, path, ucdp.VersionFromName(path), dict)
	if err != nil {
		return nil, err
	}
	return link.ReadItems(r.Next)
}

func newEvalLinkCmd(a *app) *cobra.Command {
	var lf linkFlags
	var format string
	var errors bool
	cmd := &cobra.Command{
		Use:   "link GOLD...",
		Short: "Link a gold set and print pairwise and B-cubed precision, recall and F1",
		Long: `Read each gold set (a case file whose reports carry their true event as
event_key), link its reports with the keys taken off, and compare: pairwise
precision, recall and F1 over pairs of reports put in one event, and B-cubed
(each report's share of its event that is right, averaged). --errors lists the
reports put in the wrong group.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "text", "json"); err != nil {
				return err
			}
			if err := lf.check(); err != nil {
				return err
			}
			dict, err := actors.Load(a.actorsPath)
			if err != nil {
				return err
			}
			c := lf.config(dict)
			type result struct {
				File string `json:"file"`
				link.Metrics
				Review int `json:"review"`
				// ReviewTrue counts the review items whose two reports
				// are one true event: the questions worth a person's time.
				ReviewTrue int `json:"review_true"`
			}
			var out []result
			for _, path := range args {
				f, err := os.Open(path)
				if err != nil {
					return err
				}
				g, err := link.ReadGold(f, path, dict)
				f.Close()
				if err != nil {
					return err
				}
				res := c.Link(g.Records, nil)
				m := link.Evaluate(g.Labels, res.Group)
				label := make(map[int64]string, len(g.Records))
				for i := range g.Records {
					label[g.Records[i].ID] = g.Labels[i]
				}
				same := 0
				for _, it := range res.Review {
					if label[it.ReportA] == label[it.ReportB] {
						same++
					}
				}
				out = append(out, result{path, m, len(res.Review), same})
				if format == "text" {
					fmt.Fprintf(a.stdout, "%s: %d reports, %d true events, %d linked events, %d for review (%d of them one true event)\n",
						path, m.Reports, m.GoldEvents, m.Events, len(res.Review), same)
					t := newTable(a.stdout, "", "precision", "recall", "F1")
					t.row("pairwise", f3(m.Pairwise.Precision), f3(m.Pairwise.Recall), f3(m.Pairwise.F1))
					t.row("B-cubed", f3(m.BCubed.Precision), f3(m.BCubed.Recall), f3(m.BCubed.F1))
					if err := t.flush(); err != nil {
						return err
					}
					if errors {
						printLinkErrors(a, g, res, &c)
					}
				}
			}
			if format == "json" {
				return writeJSON(a.stdout, out)
			}
			return nil
		},
	}
	lf.add(cmd)
	cmd.Flags().StringVar(&format, "format", "text", "output: text or json")
	cmd.Flags().BoolVar(&errors, "errors", false, "list the reports linked wrongly, with the scores that did it")
	return cmd
}

func f3(v float64) string { return strconv.FormatFloat(v, 'f', 3, 64) }

// printLinkErrors lists gold events split across groups and groups that
// join gold events.
func printLinkErrors(a *app, g *link.Gold, res *link.Result, c *link.Config) {
	byLabel := map[string][]int{}
	byGroup := map[int][]int{}
	for i := range g.Records {
		byLabel[g.Labels[i]] = append(byLabel[g.Labels[i]], i)
		byGroup[res.Group[i]] = append(byGroup[res.Group[i]], i)
	}
	desc := func(i int) string {
		r := &g.Reports[i]
		return fmt.Sprintf("report %d (%s, %s, %s, killed %s)", r.Report.ID, r.Source.Name, r.Report.DateStart, r.Report.Name, r.Report.Killed)
	}
	for label, idx := range byLabel {
		for _, j := range idx[1:] {
			if res.Group[j] != res.Group[idx[0]] {
				sc := c.Explain(&g.Records[idx[0]], &g.Records[j])
				fmt.Fprintf(a.stdout, "missed: %s: %s and %s: %.2f [%s]\n", label, desc(idx[0]), desc(j), sc.Total, strings.Join(sc.Parts, "; "))
			}
		}
	}
	for _, idx := range byGroup {
		for _, j := range idx[1:] {
			if g.Labels[j] != g.Labels[idx[0]] {
				sc := c.Explain(&g.Records[idx[0]], &g.Records[j])
				fmt.Fprintf(a.stdout, "wrongly joined: %s (%s) and %s (%s): %.2f [%s]\n", desc(idx[0]), g.Labels[idx[0]], desc(j), g.Labels[j], sc.Total, strings.Join(sc.Parts, "; "))
			}
		}
	}
}

func newReviewCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "review",
		Short: "Decide uncertain links: list, merge, split, confirm, reject, undo, history",
		Long: `The review queue holds the links linkage was not sure of. Every decision
takes a --reason, is recorded in history (vigil review history) and can be
undone (vigil review undo OP). Later linkage runs respect every decision: a split
or rejected pair is never joined again, a confirmed event takes nothing more
without review.`,
	}
	var reason, by, format string
	var all bool
	addReason := func(c *cobra.Command) *cobra.Command {
		c.Flags().StringVar(&reason, "reason", "", "why (required)")
		c.Flags().StringVar(&by, "by", currentUser(), "who decides")
		return c
	}
	decide := func(cmd *cobra.Command, op *vigil.LinkOp) error {
		ctx := cmd.Context()
		s, ls, err := a.linkService(ctx)
		if err != nil {
			return err
		}
		defer s.Close()
		unlock, err := lockEdits(ctx, s)
		if err != nil {
			return err
		}
		defer unlock()
		op.Reason, op.By = reason, by
		if op.Review != 0 && len(op.Events) == 0 {
			items, err := ls.FindReviewItems(ctx, false)
			if err != nil {
				return err
			}
			for _, it := range items {
				if it.ID == op.Review {
					op.Events = []int64{it.EventA, it.EventB}
				}
			}
			if len(op.Events) == 0 {
				return vigil.Errorf(vigil.ENOTFOUND, "review item %d", op.Review)
			}
		}
		if mf, ok := s.(interface {
			FindEventMarkings(context.Context, []int64) (map[int64]vigil.TLP, error)
		}); ok {
			if err := vigil.CheckMergeMarkings(ctx, op, mf.FindEventMarkings); err != nil {
				return fmt.Errorf("%w (--across-markings)", err)
			}
		}
		if err := ls.Decide(ctx, op); err != nil {
			return err
		}
		fmt.Fprintf(a.stdout, "operation %d: %s %v", op.ID, op.Kind, op.Events)
		if len(op.Made) > 0 {
			fmt.Fprintf(a.stdout, " → new event %v", op.Made)
		}
		fmt.Fprintf(a.stdout, " (%d reports moved)\n", op.Moves)
		return nil
	}
	ids := func(args []string) ([]int64, error) {
		var out []int64
		for _, s := range args {
			for _, p := range strings.Split(s, ",") {
				n, err := strconv.ParseInt(strings.TrimSpace(p), 10, 64)
				if err != nil {
					return nil, vigil.Errorf(vigil.EINVALID, "%q is not an id", p)
				}
				out = append(out, n)
			}
		}
		return out, nil
	}
	var listLimit, listOffset int
	list := &cobra.Command{
		Use:   "list",
		Short: "List the open review items (--all: every item)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "text", "json"); err != nil {
				return err
			}
			ctx := cmd.Context()
			s, ls, err := a.linkService(ctx)
			if err != nil {
				return err
			}
			defer s.Close()
			if listLimit < 0 || listOffset < 0 {
				return fmt.Errorf("--limit %d, --offset %d: want 0 or more", listLimit, listOffset)
			}
			items, err := ls.FindReviewItems(ctx, !all)
			if err != nil {
				return err
			}
			// A large linkage leaves tens of thousands of items: the text
			// shows a page at a time, as events list does.
			total := len(items)
			n := listLimit
			if n == 0 && format == "text" {
				n = tablePage
			}
			items = items[min(listOffset, total):]
			if n > 0 && len(items) > n {
				items = items[:n]
			}
			if format == "json" {
				return writeJSONList(a.stdout, items)
			}
			if shown := listOffset + len(items); len(items) > 0 && shown < total {
				defer fmt.Fprintf(a.stderr, "%d–%d of %d items; --offset %d for more, --limit to change the page\n", listOffset+1, shown, total, shown)
			}
			for _, it := range items {
				fmt.Fprintf(a.stdout, "item %d [%s]: event %d (report %d) ~ event %d (report %d): score %.2f\n", it.ID, it.Status, it.EventA, it.ReportA, it.EventB, it.ReportB, it.Score)
				for _, p := range it.Explanation {
					fmt.Fprintf(a.stdout, "    %s\n", p)
				}
			}
			if total == 0 {
				fmt.Fprintln(a.stdout, "nothing to review")
			}
			return nil
		},
	}
	list.Flags().IntVar(&listLimit, "limit", 0, fmt.Sprintf("at most this many items (default: all in JSON, %d in text)", tablePage))
	list.Flags().IntVar(&listOffset, "offset", 0, "skip this many items first")
	list.Flags().BoolVar(&all, "all", false, "every item, decided ones too")
	list.Flags().StringVar(&format, "format", "text", "output: text or json")
	// merge and reject decide a review item's two events, or the events
	// given with --events.
	itemOrEventsCmd := func(use, short string, kind vigil.LinkOpKind, eventsHelp string) *cobra.Command {
		c := addReason(&cobra.Command{
			Use:   use,
			Short: short,
			Args:  cobra.MaximumNArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				op := &vigil.LinkOp{Kind: kind}
				op.AcrossMarkings, _ = cmd.Flags().GetBool("across-markings")
				evs, _ := cmd.Flags().GetString("events")
				if err := itemOrEvents(op, args, evs, ids); err != nil {
					return err
				}
				return decide(cmd, op)
			},
		})
		c.Flags().String("events", "", eventsHelp)
		return c
	}
	merge := itemOrEventsCmd("merge (ITEM | --events TARGET,EVENT...)",
		"Merge events: a review item's two, or the events given into the first", vigil.LinkOpMerge, "events to merge, the target first")
	merge.Flags().Bool("across-markings", false, "merge events of different TLP markings: the merged event takes the most restricted one, hidden from readers cleared only for the others")
	reject := itemOrEventsCmd("reject (ITEM | --events A,B)",
		"Keep two events apart for good: a review item's two, or the two given", vigil.LinkOpReject, "the two events")
	split := addReason(&cobra.Command{
		Use:   "split EVENT REPORT...",
		Short: "Take reports out of an event into a new one, and keep them apart",
		Args:  cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			n, err := ids(args)
			if err != nil {
				return err
			}
			return decide(cmd, &vigil.LinkOp{Kind: vigil.LinkOpSplit, Events: n[:1], Reports: n[1:]})
		},
	})
	confirm := addReason(&cobra.Command{
		Use:   "confirm EVENT",
		Short: "Confirm an event as it stands: linkage adds nothing to it without review",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			n, err := ids(args)
			if err != nil {
				return err
			}
			return decide(cmd, &vigil.LinkOp{Kind: vigil.LinkOpConfirm, Events: n})
		},
	})
	undo := addReason(&cobra.Command{
		Use:   "undo OP",
		Short: "Reverse an operation (a decision or a linkage run)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			n, err := ids(args)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			s, ls, err := a.linkService(ctx)
			if err != nil {
				return err
			}
			defer s.Close()
			unlock, err := lockEdits(ctx, s)
			if err != nil {
				return err
			}
			defer unlock()
			op, err := ls.UndoLinkOp(ctx, n[0], reason, by)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "operation %d: undid %d (%d reports moved back)\n", op.ID, op.Undoes, op.Moves)
			return nil
		},
	})
	var limit int
	history := &cobra.Command{
		Use:   "history",
		Short: "The operations on the grouping of reports, newest first",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "text", "json"); err != nil {
				return err
			}
			ctx := cmd.Context()
			s, ls, err := a.linkService(ctx)
			if err != nil {
				return err
			}
			defer s.Close()
			ops, err := ls.FindLinkOps(ctx, limit)
			if err != nil {
				return err
			}
			if format == "json" {
				return writeJSONList(a.stdout, ops)
			}
			t := newTable(a.stdout, "OP", "AT", "KIND", "EVENTS", "MOVES", "BY", "REASON", "UNDONE BY")
			for _, op := range ops {
				undone := ""
				if op.UndoneBy != 0 {
					undone = strconv.FormatInt(op.UndoneBy, 10)
				}
				kind := string(op.Kind)
				if op.Undoes != 0 {
					kind += " " + strconv.FormatInt(op.Undoes, 10)
				}
				events := "–" // a linkage run names no events of its own
				if len(op.Events) > 0 {
					events = strings.Trim(strings.Join(strings.Fields(fmt.Sprint(op.Events)), ","), "[]")
				}
				t.row(strconv.FormatInt(op.ID, 10), op.At.Format(time.DateTime), kind, clip(events, 30), strconv.Itoa(op.Moves), op.By, clip(op.Reason, 60), undone)
			}
			return t.flush()
		},
	}
	history.Flags().IntVar(&limit, "limit", 50, "how many, newest first (0: all)")
	history.Flags().StringVar(&format, "format", "text", "output: text or json")
	cmd.AddCommand(list, merge, split, confirm, reject, undo, history)
	return cmd
}

// itemOrEvents fills an operation from a review item id or an --events list.
func itemOrEvents(op *vigil.LinkOp, args []string, events string, ids func([]string) ([]int64, error)) error {
	switch {
	case len(args) == 1 && events == "":
		n, err := ids(args)
		if err != nil {
			return err
		}
		op.Review = n[0]
	case len(args) == 0 && events != "":
		n, err := ids([]string{events})
		if err != nil {
			return err
		}
		op.Events = n
	default:
		return vigil.Errorf(vigil.EINVALID, "give a review item or --events, not both")
	}
	return nil
}

func newLinkBenchCmd(a *app) *cobra.Command {
	var (
		sizes       []int
		incremental int
		storeSize   int
		years       int
		sample      string
	)
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Time linkage on generated reports (in memory at each --sizes; into a store with --store)",
		Long: `Generate reports as vigil link generate does, replaying the real UCDP sample over
thirty years per 100,000 reports (as dense at every size; --years fixes the span,
so that a bigger set is denser), and time:
  - in memory: blocking, scoring and clustering of every report at each of --sizes;
  - with --store N: a store of N reports (ingested, then linked in full: the
    full linkage through the store), then --incremental new reports linked
    incrementally into it.
Prints the times, pairs scored and the peak resident memory of this process.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			dict, err := actors.Load(a.actorsPath)
			if err != nil {
				return err
			}
			items, err := readUCDP(sample, dict)
			if err != nil {
				return err
			}
			var lf linkFlags
			d := link.Default()
			lf.accept, lf.review, lf.window = d.Accept, d.Review, int(d.WindowDays)
			c := lf.config(dict)
			fmt.Fprintf(a.stdout, "GOMAXPROCS %d\n", runtime.GOMAXPROCS(0))
			for _, n := range sizes {
				var recs []link.Record
				var labels []string
				var id, doc int64
				span := cmp.Or(years, link.SyntheticYears(n))
				err := link.Synthetic(items, dict, n, span, 1, func(it *vigil.Item) error {
					doc++
					for _, r := range it.Reports {
						id++
						labels = append(labels, r.EventKey)
						r.ID, r.DocumentID, r.EventKey = id, doc, ""
						src := sourceOf(it.Document.Source)
						rec := link.NewRecord(&vigil.LinkRecord{Report: r, Source: src})
						rec.New = true
						recs = append(recs, rec)
					}
					return nil
				})
				if err != nil {
					return err
				}
				runtime.GC()
				t0, cpu0 := time.Now(), cpuTime()
				res := c.Link(recs, nil)
				took, cpu := time.Since(t0), cpuTime()-cpu0
				m := link.Evaluate(labels, res.Group)
				fmt.Fprintf(a.stdout, "in memory: %d reports over %d years linked in %s, CPU %s (%d pairs scored, %d events; B-cubed F1 %.3f); peak RSS so far %.0f MB\n",
					len(recs), span, took.Round(time.Millisecond), cpu.Round(10*time.Millisecond), res.Compared, m.Events, m.BCubed.F1, float64(bench.PeakRSS())/(1<<20))
			}
			if storeSize > 0 {
				return benchLinkStore(ctx, a, items, dict, c, storeSize, cmp.Or(years, link.SyntheticYears(storeSize)), incremental)
			}
			return nil
		},
	}
	cmd.Flags().IntSliceVar(&sizes, "sizes", []int{100_000, 300_000, 1_000_000}, "report counts to link in memory")
	cmd.Flags().IntVar(&storeSize, "store", 0, "reports to put in a store and link through it (0: skip)")
	cmd.Flags().IntVar(&years, "years", 0, "years to spread the reports over (0: 30 per 100,000 reports)")
	cmd.Flags().IntVar(&incremental, "incremental", 1000, "new reports to link into the store afterwards")
	cmd.Flags().StringVar(&sample, "sample", filepath.Join("testdata", "ucdp", "ucdp_ged231_sample.csv"), "the real UCDP sample to generate from")
	return cmd
}

var benchSources = map[string]*vigil.Source{}

// sourceOf returns a generated source by name, with an id.
func sourceOf(name string) *vigil.Source {
	if s := benchSources[name]; s != nil {
		return s
	}
	for i, s := range link.SyntheticSources() {
		if s.Name == name {
			s.ID = int64(i + 1)
			benchSources[name] = &s
			return &s
		}
	}
	return nil
}

func benchLinkStore(ctx context.Context, a *app, items []vigil.Item, dict *actors.Dictionary, c link.Config, n, years, incremental int) error {
	dir, err := os.MkdirTemp("", "vigil-link-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	s, err := sqlite.Open(ctx, filepath.Join(dir, "vigil.db"))
	if err != nil {
		return err
	}
	defer s.Close()
	if err := storeActors(ctx, s, dict); err != nil {
		return err
	}
	ingest := func(count int, seed uint64) (time.Duration, error) {
		t0 := time.Now()
		var chunk []vigil.Item
		flush := func() error {
			if len(chunk) == 0 {
				return nil
			}
			_, err := s.Ingest(ctx, nil, chunk)
			chunk = chunk[:0]
			return err
		}
		err := link.Synthetic(items, dict, count, years, seed, func(it *vigil.Item) error {
			if it.Source != nil {
				if err := s.UpsertSource(ctx, it.Source); err != nil {
					return err
				}
				it.Source = nil
			}
			for i := range it.Reports {
				it.Reports[i].EventKey = ""
			}
			it.Document.Key = fmt.Sprintf("%d:%s", seed, it.Document.Key)
			chunk = append(chunk, *it)
			if len(chunk) == 2000 {
				return flush()
			}
			return nil
		})
		if err == nil {
			err = flush()
		}
		return time.Since(t0), err
	}
	took, err := ingest(n, 1)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "store: ingested %d reports in %s\n", n, took.Round(time.Millisecond))
	t0, cpu0 := time.Now(), cpuTime()
	st, err := link.Run(ctx, s, c, "vigil link bench")
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "store: full linkage of %d reports in %s, CPU %s (read %s, link %s, write %s; %d changes, %d for review)\n",
		st.Pending, time.Since(t0).Round(time.Millisecond), (cpuTime() - cpu0).Round(10*time.Millisecond),
		st.Read.Round(time.Millisecond), st.Link.Round(time.Millisecond), st.Write.Round(time.Millisecond), st.Clusters, st.Review)
	if incremental > 0 {
		if _, err := ingest(incremental, 2); err != nil {
			return err
		}
		t0 := time.Now()
		st, err := link.Run(ctx, s, c, "vigil link bench")
		if err != nil {
			return err
		}
		fmt.Fprintf(a.stdout, "store: incremental linkage of %d new reports against %d stored in %s (read %s, link %s, write %s)\n",
			st.Pending, st.Candidates, time.Since(t0).Round(time.Millisecond), st.Read.Round(time.Millisecond), st.Link.Round(time.Millisecond), st.Write.Round(time.Millisecond))
	}
	fmt.Fprintf(a.stdout, "peak resident memory of this process: %.0f MB\n", float64(bench.PeakRSS())/(1<<20))
	return nil
}

// cpuTime returns the CPU time this process has used (user and system),
// 0 where /proc is missing: a bench's figure that a busy machine disturbs
// less than the wall clock.
func cpuTime() time.Duration {
	b, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return 0
	}
	// The fields after the command (which may hold spaces) start after
	// its closing parenthesis; utime and stime are the 14th and 15th.
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseInt(f[11], 10, 64)
	s, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(u+s) * time.Second / 100 // USER_HZ
}
