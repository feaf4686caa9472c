package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/ach"
	"github.com/vigil-osint/vigil/data"
	"github.com/vigil-osint/vigil/export"
)

// demoACHFile is the ACH case file the demo loads.
const demoACHFile = "demo/iskp-ach.json"

// achStore opens the store with its ACH service.
func (a *app) achStore(ctx context.Context) (ach.Store, func(), error) {
	s, err := a.openStore(ctx)
	if err != nil {
		return nil, nil, err
	}
	as, ok := s.(ach.Store)
	if !ok {
		s.Close()
		return nil, nil, fmt.Errorf("the store %T keeps no ACH cases", s)
	}
	return as, func() { s.Close() }, nil
}

func newACHCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "ach",
		Short: "Analysis of Competing Hypotheses: case files, ratings, scores",
		Long: `Heuer's Analysis of Competing Hypotheses. A case sets hypotheses against items
of evidence (documents, reports, events, statements with a source, or indicators
with a condition evaluated on the store's events); analysts rate each item under
each hypothesis CC, C, N, I, II or NA, each with a rationale, on their own, and a
consensus may be recorded beside them. Scores: Heuer's inconsistency (I = 1,
II = 2; the lowest is the likeliest), the same weighted by credibility and
relevance (low 1/√2, medium 1, high √2), the diagnosticity of each item, and the
sensitivity of the ranking to each item and to its source being deceptive.`,
	}
	cmd.AddCommand(newACHListCmd(a), newACHShowCmd(a), newACHCreateCmd(a), newACHImportCmd(a),
		newACHHypothesisCmd(a), newACHEvidenceCmd(a), newACHRateCmd(a), newACHRefreshCmd(a), newACHHistoryCmd(a))
	return cmd
}

func newACHListCmd(a *app) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the ACH cases",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "table", "json"); err != nil {
				return err
			}
			s, done, err := a.achStore(cmd.Context())
			if err != nil {
				return err
			}
			defer done()
			cs, err := s.FindACHCases(cmd.Context())
			if err != nil {
				return err
			}
			if format == "json" {
				type row struct {
					ID        string `json:"id"`
					Title     string `json:"title"`
					UpdatedAt string `json:"updated_at"`
				}
				out := []row{}
				for _, c := range cs {
					out = append(out, row{c.ID, c.Title, c.UpdatedAt.Format("2006-01-02T15:04:05Z07:00")})
				}
				return writeJSON(a.stdout, out)
			}
			t := newTable(a.stdout, "ID", "TITLE", "UPDATED")
			for _, c := range cs {
				t.row(c.ID, c.Title, c.UpdatedAt.Format("2006-01-02 15:04"))
			}
			return t.flush()
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "output: table or json")
	return cmd
}

func newACHShowCmd(a *app) *cobra.Command {
	var (
		format, out string
		safe        bool
	)
	cmd := &cobra.Command{
		Use:   "show CASE",
		Short: "Show a case: its matrix, scores, diagnosticity, sensitivity and warnings",
		Long: `Show a case scored: the matrix (each cell the rating that counts: the consensus
where one is recorded, else the analysts' shared rating or their median, with ±n
the spread of their ratings), the hypotheses ranked by weighted inconsistency,
the items that prove nothing, the sensitivity of the ranking, and warnings.

--format json gives hypotheses (id, title, inconsistency, weighted_inconsistency,
rank), evidence (id, title, source, diagnostic, ...), ratings (every analyst's),
the matrix, sensitivity and warnings; csv the matrix with score rows; html a
page with every rationale.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "table", "json", "csv", "html"); err != nil {
				return err
			}
			if err := checkSpreadsheetSafe(safe, format); err != nil {
				return err
			}
			ctx := cmd.Context()
			s, done, err := a.achStore(ctx)
			if err != nil {
				return err
			}
			defer done()
			c, err := s.FindACHCase(ctx, args[0])
			if err != nil {
				return err
			}
			srcs, err := ach.SourceMap(ctx, s)
			if err != nil {
				return err
			}
			r := ach.Score(c, srcs)
			if m, ok := s.(ach.Marker); ok {
				uw, err := ach.Unresolved(ctx, m, c.Evidence)
				if err != nil {
					return err
				}
				if uw != nil {
					r.Warnings = append(r.Warnings, *uw)
				}
			}
			w := a.stdout
			if out != "" {
				f, err := os.Create(out)
				if err != nil {
					return err
				}
				defer f.Close()
				w = f
			}
			switch format {
			case "json":
				err = writeJSON(w, ach.NewView(c, r, srcs))
			case "csv":
				err = ach.WriteCSV(w, r, export.Options{SpreadsheetSafe: safe})
			case "html":
				err = ach.WriteHTML(w, c, r)
			default:
				err = writeMatrix(w, c, r)
			}
			if err != nil {
				return err
			}
			if f, ok := w.(*os.File); ok && out != "" {
				return f.Close()
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "output: table, json, csv or html")
	cmd.Flags().StringVar(&out, "out", "", "write to this file instead of standard output")
	addSpreadsheetSafe(cmd, &safe)
	return cmd
}

// writeMatrix prints the scored case for a terminal.
func writeMatrix(w io.Writer, c *vigil.ACHCase, r *ach.Result) error {
	fmt.Fprintf(w, "%s: %s\n", c.ID, c.Title)
	if c.Question != "" {
		fmt.Fprintln(w, c.Question)
	}
	fmt.Fprintln(w, "\nHypotheses, likeliest first (Heuer's inconsistency: I = 1, II = 2; weighted by credibility × relevance):")
	t := newTable(w, "RANK", "ID", "INCONSISTENCY", "WEIGHTED", "C/CC", "I/II", "HYPOTHESIS")
	byID := map[string]ach.HypothesisScore{}
	for _, h := range r.Hypotheses {
		byID[h.ID] = h
	}
	for _, id := range r.Order {
		h := byID[id]
		t.row(fmt.Sprint(h.Rank), h.ID, fmt.Sprint(h.Inconsistency), fmt.Sprintf("%.3f", h.Weighted), fmt.Sprint(h.Consistent), fmt.Sprint(h.Inconsistent), clip(h.Title, 70))
	}
	if err := t.flush(); err != nil {
		return err
	}

	fmt.Fprintln(w, "\nMatrix (±n: the spread of the analysts' ratings; (ind): computed from an indicator; DIAG: no = rated alike everywhere, proves nothing):")
	head := []string{"ID", "EVIDENCE", "SOURCE", "WEIGHT"}
	for _, h := range r.Hypotheses {
		head = append(head, h.ID)
	}
	head = append(head, "DIAG")
	t = newTable(w, head...)
	for i, it := range r.Items {
		row := []string{it.ID, clip(it.Title, 48), clip(it.Source, 28), fmt.Sprintf("%.2f", it.Weight)}
		for _, cl := range r.Cells[i] {
			row = append(row, ach.CellText(cl))
		}
		d := fmt.Sprintf("%.2f", it.Diagnosticity)
		if !it.Diagnostic {
			d = "no"
		}
		row = append(row, d)
		t.row(row...)
	}
	if err := t.flush(); err != nil {
		return err
	}
	var nd []string
	for _, it := range r.Items {
		if !it.Diagnostic {
			nd = append(nd, it.ID)
		}
	}
	if len(nd) > 0 {
		fmt.Fprintf(w, "Prove nothing (rated alike under every hypothesis): %s\n", strings.Join(nd, ", "))
	}

	fmt.Fprintf(w, "\nSensitivity (the ranking now: %s):\n", ach.Signature(ach.RankingOf(r)))
	var stable []string
	t = newTable(w, "ITEM", "WITHOUT IT", "ITS SOURCE DECEPTIVE")
	rows := 0
	for _, s := range r.Sensitivity {
		if !s.DropChanges && !s.DeceptiveChanges {
			stable = append(stable, s.Evidence)
			continue
		}
		rows++
		t.row(s.Evidence, change(s.DropOrder, s.DropChanges, s.DropTopChanges), change(s.DeceptiveOrder, s.DeceptiveChanges, s.DeceptiveTopChanges))
	}
	if rows > 0 {
		if err := t.flush(); err != nil {
			return err
		}
	} else {
		fmt.Fprintln(w, "No single item or source moves the ranking.")
	}
	if len(stable) > 0 {
		fmt.Fprintf(w, "The ranking survives dropping, or doubting the source of: %s\n", strings.Join(stable, ", "))
	}
	if len(r.Warnings) > 0 {
		fmt.Fprintln(w, "\nWarnings:")
		for _, wn := range r.Warnings {
			fmt.Fprintln(w, "  - "+wn.Message)
		}
	}
	return nil
}

func change(order []string, changes, top bool) string {
	switch {
	case order == nil:
		return "(no source)"
	case top:
		return strings.Join(order, " > ") + "  TOP CHANGES"
	case changes:
		return strings.Join(order, " > ") + "  order changes"
	}
	return "unchanged"
}

func newACHCreateCmd(a *app) *cobra.Command {
	var c vigil.ACHCase
	cmd := &cobra.Command{
		Use:   "create ID --title TITLE",
		Short: "Create an empty case",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, done, err := a.achStore(cmd.Context())
			if err != nil {
				return err
			}
			defer done()
			c.ID = args[0]
			if c.CreatedBy == "" {
				c.CreatedBy = currentUser()
			}
			if err := s.CreateACHCase(cmd.Context(), &c); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "created case %s\n", c.ID)
			return nil
		},
	}
	cmd.Flags().StringVar(&c.Title, "title", "", "the question the case answers, short")
	cmd.Flags().StringVar(&c.Question, "question", "", "the question in full")
	cmd.Flags().StringVar(&c.CreatedBy, "by", "", "who creates it (default: the user running vigil)")
	return cmd
}

func newACHImportCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "import FILE",
		Short: "Load a case file (JSON), creating the case or bringing it up to the file",
		Long: `Load a case file: the JSON of a case with its hypotheses, evidence and ratings
(data/demo/iskp-ach.json is one). A stored case with the same id is brought up to
the file: hypotheses and items replaced by id, ratings by item, hypothesis and
analyst; nothing the file lacks is deleted. The indicator items are then
evaluated on the store's events.

A hypothesis, item or rating that does not decode or validate is rejected
alone, listed as file:line: field: reason, with what points at it (its
ratings); the rest is imported and the exit status is 3 (1 when the file is
no case file or the import failed).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := os.Open(args[0])
			if err != nil {
				return err
			}
			defer f.Close()
			if st, err := f.Stat(); err == nil && st.IsDir() {
				return fmt.Errorf("%s is a folder: give a case file", args[0])
			}
			c, err := ach.ReadCase(f, args[0])
			var rej *ach.RejectedError
			if err != nil && !errors.As(err, &rej) {
				return err
			}
			s, done, err := a.achStore(cmd.Context())
			if err != nil {
				return err
			}
			defer done()
			rejected := 0
			if rej != nil {
				rejected = len(rej.Rows)
			}
			if err := importCase(cmd.Context(), a.stdout, s, c, rejected); err != nil {
				return err
			}
			if rej != nil {
				for _, r := range rej.Rows {
					fmt.Fprintln(a.stderr, r)
				}
				return &exitError{code: exitRejected, err: errors.New("some elements of the case file were rejected (listed above)")}
			}
			return nil
		},
	}
}

// importCase imports c and evaluates its indicators, and prints what the
// case holds, with the number of the file's elements rejected when any
// were.
func importCase(ctx context.Context, w io.Writer, s ach.Store, c *vigil.ACHCase, rejected int) error {
	if err := s.ImportACHCase(ctx, c); err != nil {
		return err
	}
	rf, err := ach.Refresh(ctx, s, c.ID, "import")
	if err != nil {
		return err
	}
	rej := ""
	if rejected > 0 {
		rej = fmt.Sprintf(", rejected %d", rejected)
	}
	fmt.Fprintf(w, "case %s: %d hypotheses, %d items, %d ratings%s; ranking %s\n", c.ID, len(c.Hypotheses), len(c.Evidence), len(c.Ratings),
		rej, ach.Signature(ach.RankingOf(rf.Result)))
	return nil
}

// loadDemoACH loads the demo's ACH case file and evaluates its indicators
// on the demo's events.
func loadDemoACH(ctx context.Context, a *app, s vigil.Store) error {
	as, ok := s.(ach.Store)
	if !ok {
		return nil
	}
	f, err := data.Files.Open(demoACHFile)
	if err != nil {
		return err
	}
	defer f.Close()
	c, err := ach.ReadCase(f, "embedded:"+demoACHFile)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stderr, "loaded %s: ", demoACHFile)
	return importCase(ctx, a.stderr, as, c, 0)
}

// noteUnknownHolders tells which of a hypothesis's holders no actor has as
// its id: the self-serving warnings match holders to the sources that speak
// for them by id, so a name ("Taliban") or a typo would never match.
func noteUnknownHolders(ctx context.Context, w io.Writer, s any, held []string) {
	vs, ok := s.(interface {
		FindActors(context.Context, vigil.ActorFilter) ([]*vigil.Actor, error)
	})
	if !ok || len(held) == 0 {
		return
	}
	all, err := vs.FindActors(ctx, vigil.ActorFilter{})
	if err != nil {
		return
	}
	ids := map[string]bool{}
	for _, ac := range all {
		ids[ac.ID] = true
	}
	for _, id := range held {
		if !ids[id] {
			fmt.Fprintf(w, "note: no actor has the id %q (vigil actors list shows them): sources that speak for it cannot be matched to this hypothesis\n", id)
		}
	}
}

func newACHHypothesisCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{Use: "hypothesis", Short: "Add hypotheses to a case"}
	var h vigil.ACHHypothesis
	var held string
	add := &cobra.Command{
		Use:   "add CASE ID TITLE",
		Short: "Add a hypothesis",
		Args:  cobra.ExactArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, done, err := a.achStore(cmd.Context())
			if err != nil {
				return err
			}
			defer done()
			h.ID, h.Title, h.HeldBy = args[1], args[2], splitList([]string{held})
			if err := s.AddACHHypothesis(cmd.Context(), args[0], &h); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "case %s: added hypothesis %s\n", args[0], h.ID)
			noteUnknownHolders(cmd.Context(), a.stderr, s, h.HeldBy)
			return nil
		},
	}
	add.Flags().StringVar(&h.Description, "description", "", "the hypothesis in full")
	add.Flags().StringVar(&held, "held-by", "", "actor ids of the parties that hold it, comma-separated")
	cmd.AddCommand(add)
	return cmd
}

func newACHEvidenceCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{Use: "evidence", Short: "Add evidence to a case"}
	var e vigil.ACHEvidence
	var kind, cw, rel, indicator string
	var cred int
	add := &cobra.Command{
		Use:   "add CASE ID TITLE --kind KIND",
		Short: "Add an item of evidence",
		Long: `Add an item: --kind document|report|event (with --ref: the document key, report
id, or event key or id), statement (with --source), or indicator (with
--indicator: the JSON of a condition, e.g.
{"metric":"events","actor":"ISKP","exclude_countries":["AF"],"months":12,
 "op":">=","threshold":3,"if_met":{"H4":"CC","H3":"II"},"if_not_met":{"H4":"I"}}).`,
		Args: cobra.ExactArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			e.ID, e.Title, e.Kind = args[1], args[2], vigil.EvidenceKind(kind)
			e.Credibility, e.CredibilityWeight, e.Relevance = vigil.Credibility(cred), vigil.ACHWeight(cw), vigil.ACHWeight(rel)
			if indicator != "" {
				dec := json.NewDecoder(strings.NewReader(indicator))
				dec.DisallowUnknownFields()
				e.Indicator = &vigil.ACHIndicator{}
				if err := dec.Decode(e.Indicator); err != nil {
					return fmt.Errorf("--indicator: %w", err)
				}
			}
			s, done, err := a.achStore(cmd.Context())
			if err != nil {
				return err
			}
			defer done()
			if err := s.AddACHEvidence(cmd.Context(), args[0], &e); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "case %s: added evidence %s\n", args[0], e.ID)
			if e.Indicator != nil {
				rf, err := ach.Refresh(cmd.Context(), s, args[0], "rate")
				if err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "ranking %s\n", ach.Signature(ach.RankingOf(rf.Result)))
			}
			return nil
		},
	}
	add.Flags().StringVar(&kind, "kind", "", "document, report, event, statement or indicator")
	add.Flags().StringVar(&e.Ref, "ref", "", "what the item points at: a document key, report id, event key or id")
	add.Flags().StringVar(&e.Source, "source", "", "the source's name, as in vigil sources list")
	add.Flags().IntVar(&cred, "credibility", 0, "credibility of the information, 1 confirmed … 6 cannot be judged")
	add.Flags().StringVar(&cw, "credibility-weight", "", "low, medium or high (default: from the source's grade)")
	add.Flags().StringVar(&rel, "relevance", "", "low, medium or high (default medium)")
	add.Flags().StringVar(&e.Notes, "notes", "", "notes on the item")
	add.Flags().StringVar(&indicator, "indicator", "", "an indicator's condition as JSON")
	cmd.AddCommand(add)
	return cmd
}

func newACHRateCmd(a *app) *cobra.Command {
	var r vigil.ACHRatingEntry
	cmd := &cobra.Command{
		Use:   "rate CASE EVIDENCE HYPOTHESIS RATING --analyst NAME --rationale TEXT",
		Short: "Rate an item under a hypothesis: CC, C, N, I, II or NA",
		Long: `Record an analyst's rating of one cell, replacing that analyst's earlier one.
Analysts rate on their own; vigil ach show shows where they differ. With
--consensus the rating is the one the team agreed, and counts over theirs.`,
		Args: cobra.ExactArgs(4),
		RunE: func(cmd *cobra.Command, args []string) error {
			r.Evidence, r.Hypothesis, r.Rating = args[1], args[2], vigil.ACHRating(strings.ToUpper(args[3]))
			if r.Analyst == "" {
				r.Analyst = currentUser()
			}
			s, done, err := a.achStore(cmd.Context())
			if err != nil {
				return err
			}
			defer done()
			unlock, err := lockEdits(cmd.Context(), s)
			if err != nil {
				return err
			}
			defer unlock()
			indicator, err := rateAudited(cmd.Context(), s, args[0], &r)
			if err != nil {
				return err
			}
			if indicator && !r.Consensus {
				fmt.Fprintf(a.stderr, "note: %s is an indicator: the rating computed from the data is the consensus and counts over analysts' ratings\n", r.Evidence)
			}
			rf, err := ach.Refresh(cmd.Context(), s, args[0], "rate")
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "case %s: %s rated %s under %s %s; ranking %s\n", args[0], r.Analyst, r.Evidence, r.Hypothesis, r.Rating,
				ach.Signature(ach.RankingOf(rf.Result)))
			return nil
		},
	}
	cmd.Flags().StringVar(&r.Analyst, "analyst", "", "who rates (default: the user running vigil)")
	cmd.Flags().StringVar(&r.Rationale, "rationale", "", "why")
	cmd.Flags().BoolVar(&r.Consensus, "consensus", false, "record the team's agreed rating")
	return cmd
}

// rateAudited records r in case id and, on a store that keeps an audit
// log, an entry for it in the same transaction, as PUT
// /api/v1/ach/{id}/ratings does: the analyst's or consensus rating the cell
// held before and the one it holds now, by the person at the terminal.
//
// It says whether the item rated is an indicator, whose computed rating
// counts over any analyst's.
func rateAudited(ctx context.Context, s ach.Store, id string, r *vigil.ACHRatingEntry) (indicator bool, err error) {
	c, err := s.FindACHCase(ctx, id)
	if err != nil {
		return false, err
	}
	for _, e := range c.Evidence {
		if e.ID == r.Evidence {
			indicator = e.Kind == vigil.EvidenceIndicator
		}
	}
	as, ok := s.(vigil.AuditService)
	if !ok {
		return indicator, s.RateACH(ctx, id, r)
	}
	var before *vigil.ACHRatingEntry
	for i, rt := range c.Ratings {
		if rt.Evidence == r.Evidence && rt.Hypothesis == r.Hypothesis && rt.Analyst == r.Analyst && rt.Consensus == r.Consensus {
			before = &c.Ratings[i]
		}
	}
	e := &vigil.AuditEntry{Actor: cliActor(), Action: "ach.rate", Object: "ach/" + id, Before: vigil.AuditJSON(before)}
	return indicator, vigil.Audited(ctx, as, e, func(e *vigil.AuditEntry) { e.After = vigil.AuditJSON(r) },
		func(ctx context.Context) error { return s.RateACH(ctx, id, r) })
}

func newACHRefreshCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "refresh [CASE]",
		Short: "Evaluate the indicator items again on the store's events (every case without CASE)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, done, err := a.achStore(cmd.Context())
			if err != nil {
				return err
			}
			defer done()
			var rs []*ach.Refreshed
			if len(args) == 1 {
				r, err := ach.Refresh(cmd.Context(), s, args[0], "refresh")
				if err != nil {
					return err
				}
				rs = append(rs, r)
			} else if rs, err = ach.RefreshAll(cmd.Context(), s, "refresh"); err != nil {
				return err
			}
			for _, r := range rs {
				printRefreshed(a.stdout, r)
			}
			return nil
		},
	}
}

func printRefreshed(w io.Writer, r *ach.Refreshed) {
	changed := "no indicator changed"
	if len(r.Changed) > 0 {
		changed = "indicators changed: " + strings.Join(r.Changed, ", ")
	}
	rank := ach.Signature(ach.RankingOf(r.Result))
	if r.RankingChanged {
		rank += " (was " + ach.Signature(*r.Previous) + ")"
	}
	fmt.Fprintf(w, "case %s: %s; ranking %s\n", r.Case, changed, rank)
}

func newACHHistoryCmd(a *app) *cobra.Command {
	var format, tlp string
	cmd := &cobra.Command{
		Use:   "history CASE",
		Short: "The history of a case's indicator values and rankings",
		Long: `The history of a case's indicator values and rankings, oldest first, as they
were recorded each time the case was refreshed (import, rate, refresh, watch),
each when it changed. The history is recorded per clearance: by default it is
RED's, computed over everything; --tlp shows the one a reader cleared for that
level sees (the API's history for that reader), computed over the events, items
and sources that level may see.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "table", "json"); err != nil {
				return err
			}
			level := vigil.TLPRed
			if tlp != "" {
				var err error
				if level, err = vigil.ParseTLP(tlp); err != nil {
					return fmt.Errorf("--tlp: %s", vigil.ErrorMessage(err))
				}
			}
			s, done, err := a.achStore(cmd.Context())
			if err != nil {
				return err
			}
			defer done()
			vs, err := s.FindACHIndicatorValues(cmd.Context(), args[0], "")
			if err != nil {
				return err
			}
			rk, err := s.FindACHRankings(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			vs, rk = ach.AtLevel(vs, level), ach.AtLevel(rk, level)
			if format == "json" {
				return writeJSON(a.stdout, map[string]any{"indicator_values": vs, "rankings": rk})
			}
			fmt.Fprintln(a.stdout, "Indicator values:")
			t := newTable(a.stdout, "AT", "ITEM", "VALUE", "MET", "EVENTS", "CONDITION")
			for _, v := range vs {
				t.row(v.At.Format("2006-01-02 15:04:05"), v.Evidence, fmt.Sprintf("%g", v.Value), fmt.Sprint(v.Met), fmt.Sprint(v.Events), clip(v.Note, 90))
			}
			if err := t.flush(); err != nil {
				return err
			}
			fmt.Fprintln(a.stdout, "\nRankings:")
			t = newTable(a.stdout, "AT", "TRIGGER", "RANKING")
			for _, r := range rk {
				t.row(r.At.Format("2006-01-02 15:04:05"), r.Trigger, ach.Signature(r))
			}
			return t.flush()
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "output: table or json")
	cmd.Flags().StringVar(&tlp, "tlp", "", "the history a reader cleared for this TLP level sees (CLEAR, GREEN, AMBER, AMBER+STRICT, RED; default RED)")
	return cmd
}
