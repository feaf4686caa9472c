package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/eventfilter"
	"github.com/vigil-osint/vigil/export"
	"github.com/vigil-osint/vigil/geo"
)

// eventFilterFlags are the filters that events list, export and the
// analyses share.
type eventFilterFlags struct {
	actor     string
	countries []string
	admin1    []string
	from, to  string
	types     []string
	minCred   int
}

func (f *eventFilterFlags) add(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.actor, "actor", "", "actor by any name or alias (e.g. ISKP, IS-K, Daesh)")
	fl.StringSliceVar(&f.countries, "country", nil, "countries by ISO 3166-1 alpha-2 code or name (repeat or comma-separate)")
	fl.StringSliceVar(&f.admin1, "admin1", nil, "admin-1 units by ISO 3166-2 code or name")
	fl.StringVar(&f.from, "from", "", "first day, YYYY-MM-DD (or a year or month: its first day)")
	fl.StringVar(&f.to, "to", "", "last day, YYYY-MM-DD (or a year or month: its last day)")
	fl.StringSliceVar(&f.types, "type", nil, `ACLED event types, e.g. "Battles"`)
	fl.IntVar(&f.minCred, "min-credibility", 0, "only events graded this credible or better (1 confirmed … 6 cannot be judged; ungraded counts as 6)")
}

// filter turns the flags into a store filter, naming the flag at fault.
// The server reads its query the same way (package eventfilter), so that
// the CLI and the API take the same forms.
func (f *eventFilterFlags) filter() (vigil.EventFilter, error) {
	t := eventfilter.Text{Actor: f.actor, Countries: splitList(f.countries), Admin1: splitList(f.admin1), From: f.from, To: f.to, Types: f.types}
	if f.minCred != 0 {
		t.MinCredibility = strconv.Itoa(f.minCred)
	}
	return eventfilter.Parse(t, eventfilter.FlagName)
}

// noteUnknownActors tells, when a selection found nothing, which of the
// actor names asked for no actor bears (a typo reads as "no events"
// otherwise). Names as written that no dictionary resolved still match
// events, so this is a note, not an error.
func (a *app) noteUnknownActors(ctx context.Context, s vigil.Store, names ...string) {
	for _, n := range names {
		if n == "" {
			continue
		}
		if acts, err := s.FindActors(ctx, vigil.ActorFilter{Name: n}); err == nil && len(acts) == 0 {
			fmt.Fprintf(a.stderr, "note: no actor is named %q (vigil actors list shows the names and aliases)\n", n)
		}
	}
}

// noteUnknownUnits tells, when a selection found nothing, which of the
// --admin1 units the boundaries know by no code or name (a typo: Nangarhr).
// Units written otherwise by a source still match, so this is a note.
func (a *app) noteUnknownUnits(units []string) {
	if len(units) == 0 {
		return
	}
	g, err := geo.Default()
	if err != nil {
		return
	}
	r := newUnitResolver(g)
	for _, u := range units {
		if _, known := g.Admin1Code(u, ""); r.code(u) == "" && !known {
			fmt.Fprintf(a.stderr, "note: no admin-1 unit the boundaries know has the code or name %q\n", u)
		}
	}
}

// countryCodes turns --country values into ISO 3166-1 alpha-2 codes as
// the event filters read them (eventfilter.Countries).
func countryCodes(vals []string) ([]string, error) {
	out, err := eventfilter.Countries(vals)
	if err != nil {
		return nil, fmt.Errorf("--country: %s", vigil.ErrorMessage(err))
	}
	return out, nil
}

func newEventsCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{Use: "events", Short: "List and show events"}
	cmd.AddCommand(newEventsListCmd(a), newEventsShowCmd(a), newEventsFuseCmd(a))
	return cmd
}

// tablePage is how many events the table view shows without --limit.
const tablePage = 50

func newEventsListCmd(a *app) *cobra.Command {
	var (
		ff     eventFilterFlags
		format string
		limit  int
		offset int
		safe   bool
	)
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the events that match the filters",
		Long: `List events by start date. --format json prints one JSON array of every
matching event (--limit N to cut); the table view shows 50 at a time unless
--limit says otherwise, and --offset pages on.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "table", "json", "csv"); err != nil {
				return err
			}
			if err := checkSpreadsheetSafe(safe, format); err != nil {
				return err
			}
			if limit < 0 || offset < 0 {
				return fmt.Errorf("--limit %d, --offset %d: want 0 or more", limit, offset)
			}
			f, err := ff.filter()
			if err != nil {
				return err
			}
			f.Limit, f.Offset = limit, offset
			if format == "table" && limit == 0 {
				f.Limit = tablePage
			}
			s, err := a.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer s.Close()
			evs, total, err := s.FindEvents(cmd.Context(), f)
			if err != nil {
				return err
			}
			switch format {
			case "json":
				return writeJSONList(a.stdout, evs)
			case "csv":
				return writeEventsCSV(a.stdout, evs, export.Options{SpreadsheetSafe: safe})
			}
			if err := writeEventsTable(a.stdout, evs); err != nil {
				return err
			}
			if len(evs) == 0 && f.Offset > 0 && total > 0 {
				fmt.Fprintf(a.stderr, "none from --offset %d: %d events in all\n", f.Offset, total)
			} else if shown := f.Offset + len(evs); shown < total {
				fmt.Fprintf(a.stderr, "%d–%d of %d events; --offset %d for more, --limit to change the page\n", f.Offset+1, shown, total, shown)
			} else if f.Offset > 0 {
				fmt.Fprintf(a.stderr, "%d–%d of %d events\n", f.Offset+1, shown, total)
			} else {
				fmt.Fprintf(a.stderr, "%d events\n", total)
			}
			if total == 0 {
				a.noteUnknownActors(cmd.Context(), s, f.Actor)
				a.noteUnknownUnits(f.Admin1)
			}
			return nil
		},
	}
	ff.add(cmd)
	cmd.Flags().StringVar(&format, "format", "table", "output format: table, json or csv")
	cmd.Flags().IntVar(&limit, "limit", 0, "at most this many events (default: all; 50 in the table view)")
	cmd.Flags().IntVar(&offset, "offset", 0, "skip this many events first")
	addSpreadsheetSafe(cmd, &safe)
	return cmd
}

// perpetrators formats an event's actors for a table cell.
func actorsCell(e *vigil.Event) string {
	var parts []string
	for _, a := range e.Actors {
		if a.Role == vigil.RoleTarget {
			continue
		}
		p := a.Name
		if a.Attribution != vigil.AttributionAttributed || a.Rule != "" {
			p += " (" + string(a.Attribution)
			if a.Rule != "" {
				p += ", rule " + a.Rule
			}
			p += ")"
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, "; ")
}

func sourcesCell(e *vigil.Event) string {
	var parts []string
	for _, s := range e.Sources {
		parts = append(parts, s.Name+" ["+string(s.Reliability)+"]")
	}
	return strings.Join(parts, "; ")
}

func writeEventsTable(w io.Writer, evs []*vigil.Event) error {
	t := newTable(w, "ID", "DATE", "COUNTRY", "ADMIN1", "PLACE", "TYPE", "KILLED", "ACTORS", "SOURCES")
	for _, e := range evs {
		date := e.DateStart.String()
		if e.DateEnd != e.DateStart && !e.DateEnd.IsZero() {
			date += "…" + e.DateEnd.String()
		}
		t.row(fmt.Sprint(e.ID), date, e.Country, clip(e.Admin1Name, 18), clip(e.Name, 24), clip(string(e.EventType), 26),
			e.Killed.String(), clip(actorsCell(e), 80), clip(sourcesCell(e), 40))
	}
	return t.flush()
}

// writeEventsCSV writes events as vigil's own CSV, the columns of
// vigil export csv, so that one script reads either.
func writeEventsCSV(w io.Writer, evs []*vigil.Event, o export.Options) error {
	cw := export.FormatsWith["csv"](w, o)
	for _, e := range evs {
		if err := cw.Write(e); err != nil {
			return err
		}
	}
	return cw.Close()
}

func newEventsShowCmd(a *app) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Show an event: every value with the reports, documents and sources it came from",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "text", "json"); err != nil {
				return err
			}
			id, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil {
				return fmt.Errorf("event id %q: want a number", args[0])
			}
			s, err := a.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer s.Close()
			e, err := s.FindEventByID(cmd.Context(), id)
			if vigil.ErrorCode(err) == vigil.ENOTFOUND {
				if into, op := mergedInto(cmd.Context(), s, id); op != 0 {
					return vigil.Errorf(vigil.ENOTFOUND, "event %d not found: operation %d merged it into event %d (vigil events show %d; vigil review history)", id, op, into, into)
				}
			}
			if err != nil {
				return err
			}
			if format == "json" {
				return writeJSON(a.stdout, e)
			}
			return writeEventText(a.stdout, e)
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

func newEventsFuseCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "fuse",
		Short: "Fuse every stored event again from its reports, as this vigil fuses",
		Long: `Fuse every stored event again from its reports, as this vigil fuses. A store keeps
the fusion of an event of several reports as the vigil that made it fused it; after an
upgrade that fuses otherwise (a later UCDP GED release read as a revision of the record,
not as a contradiction), this brings the store's events up to it. It works a bounded
number of events a transaction: a run cut short leaves each event as it was or fused anew,
and running it again completes it. Each event fused is written anew: its updated_at is the
run's.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := a.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer s.Close()
			f, ok := s.(vigil.EventFuser)
			if !ok {
				return fmt.Errorf("the store %T cannot fuse its events again", s)
			}
			unlock, err := lockEdits(cmd.Context(), s)
			if err != nil {
				return err
			}
			defer unlock()
			n, err := f.FuseEvents(cmd.Context())
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "fused %d events again from their reports\n", n)
			return nil
		},
	}
}

// mergedInto tells where a person's merge took an event that is no more:
// the event it was merged into, following later merges of that one, and
// the first merge's operation; 0 when no merge in force took it.
func mergedInto(ctx context.Context, s vigil.Store, id int64) (into, op int64) {
	ls, ok := s.(vigil.LinkService)
	if !ok {
		return 0, 0
	}
	ops, err := ls.FindLinkOps(ctx, 0)
	if err != nil {
		return 0, 0
	}
	into = id
	for i := len(ops) - 1; i >= 0; i-- { // oldest first: merges chain forward
		o := ops[i]
		if o.Kind != vigil.LinkOpMerge || o.UndoneBy != 0 || len(o.Events) < 2 || !slices.Contains(o.Events[1:], into) {
			continue
		}
		if op == 0 {
			op = o.ID
		}
		into = o.Events[0]
	}
	return into, op
}

// writeEventText prints an event for people: each fused value with the
// reports it rests on, then every report with its document and source.
func writeEventText(w io.Writer, e *vigil.Event) error {
	label := map[int64]string{}
	for i, r := range e.Reports {
		label[r.Report.ID] = fmt.Sprintf("R%d", i+1)
	}
	from := func(field string) string {
		var ls []string
		for _, id := range e.Basis[field] {
			ls = append(ls, label[id])
		}
		if len(ls) == 0 {
			return ""
		}
		return "   [from " + strings.Join(ls, ", ") + "]"
	}
	fmt.Fprintf(w, "Event %d", e.ID)
	if e.Key != "" {
		fmt.Fprintf(w, " (%s)", e.Key)
	}
	fmt.Fprintf(w, "  TLP:%s\n", e.Marking)
	fmt.Fprintf(w, "  date        %s … %s (%s)%s\n", e.DateStart, e.DateEnd, e.DatePrecision.Describe(), from("date"))
	var parts []string
	for _, p := range []string{e.Name, e.Admin2, e.Admin1Name, e.Country} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	where := strings.Join(parts, ", ")
	if p, ok := e.Point(); ok {
		where += fmt.Sprintf(" (%.4f, %.4f)", p.Lat, p.Lon)
	}
	fmt.Fprintf(w, "  place       %s, %s%s\n", where, e.Precision.Describe(), from("place"))
	typ := string(e.EventType)
	if e.SubEventType != "" {
		typ += " / " + string(e.SubEventType)
	}
	if typ == "" {
		typ = "?"
	}
	fmt.Fprintf(w, "  type        %s%s\n", typ, from("event_type"))
	fmt.Fprintf(w, "  killed      low %s%s, best %s%s, high %s%s\n", e.Killed.Low, from("killed.low"), e.Killed.Best, from("killed.best"), e.Killed.High, from("killed.high"))
	if !e.Wounded.IsZero() {
		fmt.Fprintf(w, "  wounded     low %s, best %s, high %s%s\n", e.Wounded.Low, e.Wounded.Best, e.Wounded.High, from("wounded.best"))
	}
	for _, a := range e.Actors {
		fmt.Fprintf(w, "  %-11s %s: %s", a.Role, a.Name, a.Attribution)
		if a.AttributedBy != "" {
			fmt.Fprintf(w, " by %s", a.AttributedBy)
		}
		if a.AsWritten != "" && a.AsWritten != a.Name {
			fmt.Fprintf(w, " (written %q)", a.AsWritten)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "  corroborated by %d independent origin(s); credibility %d (%s)\n", e.Corroboration, e.Credibility, e.Credibility.Describe())
	for _, c := range e.Contradictions {
		var sides []string
		for _, side := range c.Sides {
			var ls []string
			for _, id := range side {
				ls = append(ls, label[id])
			}
			sides = append(sides, strings.Join(ls, ","))
		}
		fmt.Fprintf(w, "  CONTRADICTION %s: %s [%s]\n", c.Kind, c.Description, strings.Join(sides, " vs "))
	}
	revisedIn := map[int64]vigil.Revision{}
	for _, v := range e.Revisions {
		revisedIn[v.Report] = v
		what := ", no value changed"
		if len(v.Changes) > 0 {
			what = ": " + strings.Join(v.Changes, "; ")
		}
		fmt.Fprintf(w, "  revised     in %s (%s)%s; %s (%s) kept as history, not fused\n",
			v.BySource, label[v.By], what, label[v.Report], v.Source)
	}
	for _, r := range e.Reports {
		rep, doc, src := r.Report, r.Document, r.Source
		fmt.Fprintf(w, "\n%s  report %d of document %d %q\n", label[rep.ID], rep.ID, doc.ID, doc.Title)
		fmt.Fprintf(w, "    source    %s (%s, reliability %s: %s)", src.Name, src.Kind, src.Reliability, src.Reliability.Describe())
		if src.SpeaksFor != "" {
			fmt.Fprintf(w, ", speaks for %s", src.SpeaksFor)
		}
		fmt.Fprintln(w)
		if v, ok := revisedIn[rep.ID]; ok {
			fmt.Fprintf(w, "    revised   in %s (%s): history, not fused\n", v.BySource, label[v.By])
		}
		if !doc.Published.IsZero() {
			fmt.Fprintf(w, "    published %s\n", doc.Published.Format("2006-01-02"))
		}
		if doc.URL != "" {
			fmt.Fprintf(w, "    url       %s\n", doc.URL)
		}
		fmt.Fprintf(w, "    date      %s … %s (%s)\n", rep.DateStart, rep.DateEnd, rep.DatePrecision.Describe())
		fmt.Fprintf(w, "    place     %s (%s, %s, %s)\n", rep.Name, rep.Admin1Name, rep.Country, rep.Precision.Describe())
		fmt.Fprintf(w, "    killed    %s", rep.Killed)
		if rep.Phrase != "" {
			fmt.Fprintf(w, "  %q", rep.Phrase)
		}
		fmt.Fprintln(w)
		if !rep.Wounded.IsZero() {
			fmt.Fprintf(w, "    wounded   %s\n", rep.Wounded)
		}
		for _, a := range rep.Actors {
			fmt.Fprintf(w, "    %-9s %s: %s", a.Role, a.Name, a.Attribution)
			if a.AttributedBy != "" {
				fmt.Fprintf(w, " by %s", a.AttributedBy)
			}
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "    credibility %d (%s)\n", rep.Credibility, rep.Credibility.Describe())
		if rep.Summary != "" {
			fmt.Fprintf(w, "    says      %s\n", clip(rep.Summary, 300))
		}
	}
	return nil
}
