package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/ingest/casefile"
	istix "github.com/vigil-osint/vigil/ingest/stix"
)

// compositionService returns the store's composition claims, or an error
// saying the store keeps none.
func compositionService(s vigil.Store) (vigil.CompositionService, error) {
	cs, ok := s.(vigil.CompositionService)
	if !ok {
		return nil, vigil.Errorf(vigil.EINVALID, "this store (%T) keeps no composition claims", s)
	}
	return cs, nil
}

// storeCaseComposition stores a case file's composition claims with the ids
// of the documents that make them, leaving out those already stored (the
// same actor, kind, layer, what, stance and period), so that importing a
// case twice changes nothing.
func storeCaseComposition(ctx context.Context, s vigil.Store, r *casefile.Reader) error {
	claims, err := r.Composition()
	if err != nil || len(claims) == 0 {
		return err
	}
	cs, err := compositionService(s)
	if err != nil {
		return err
	}
	for _, cc := range claims {
		c := cc.CompositionClaim
		c.DocumentIDs = nil
		for _, ref := range cc.Documents {
			d, err := s.FindDocumentByKey(ctx, ref.Source, ref.Key)
			if err != nil {
				return fmt.Errorf("composition of %s, %s: %w", c.Actor, c.Layer, err)
			}
			c.DocumentIDs = append(c.DocumentIDs, d.ID)
		}
		if err := createClaimOnce(ctx, cs, &c); err != nil {
			return err
		}
	}
	return nil
}

// sourcedClaim is a composition claim with the documents that make it, as
// `vigil actors composition` prints it.
type sourcedClaim struct {
	*vigil.CompositionClaim
	ActorName     string                 `json:"actor_name"`
	FromActorName string                 `json:"from_actor_name,omitempty"`
	Documents     []relationshipDocument `json:"documents"`
	// Conflicts are the ids of the claims that contradict this one ([]
	// when none).
	Conflicts []int64 `json:"conflicts"`
}

func newActorsCompositionCmd(a *app) *cobra.Command {
	var at, from, to, kind, format string
	cmd := &cobra.Command{
		Use:   "composition ACTOR",
		Short: "A group's layers, founding streams and recruits over time, each claim with its sources",
		Long: `List the sourced claims about who makes up a group (any name or alias): the layers
of its structure, the streams it was formed from, the pools it recruits from, as a
timeline by the date each claim starts. Each claim shows its period, the peoples
or regions it names, the actor its members came from, its credibility (1
confirmed … 6 cannot be judged) and the documents and graded sources that make
it. Conflicting claims stand side by side, each naming the other (a denial of a
layer against its assertion over the same period).

--at keeps the claims that hold on a day; --from and --to those whose period
overlaps the window; --kind one of layer, origin, recruitment.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "table", "json"); err != nil {
				return err
			}
			f := vigil.CompositionFilter{Kind: vigil.CompositionKind(kind)}
			if kind != "" && !f.Kind.Valid() {
				return fmt.Errorf("--kind %q: want layer, origin or recruitment", kind)
			}
			var err error
			if f.From, f.To, err = parseWindow(at, from, to); err != nil {
				return err
			}
			ctx := cmd.Context()
			s, err := a.openStore(ctx)
			if err != nil {
				return err
			}
			defer s.Close()
			cs, err := compositionService(s)
			if err != nil {
				return err
			}
			if _, err := a.loadDictionary(ctx, s); err != nil {
				return err
			}
			found, err := s.FindActors(ctx, vigil.ActorFilter{Name: args[0]})
			if err != nil {
				return err
			}
			if len(found) == 0 {
				return vigil.Errorf(vigil.ENOTFOUND, "no actor is named %q (vigil actors resolve NAME)", args[0])
			}
			names, err := actorNames(ctx, s)
			if err != nil {
				return err
			}
			var claims []*vigil.CompositionClaim
			for _, act := range found {
				f.Actor = act.ID
				got, err := cs.FindCompositionClaims(ctx, f)
				if err != nil {
					return err
				}
				claims = append(claims, got...)
			}
			// One timeline when a name means several actors.
			slices.SortStableFunc(claims, func(x, y *vigil.CompositionClaim) int {
				if c := strings.Compare(x.ValidFrom.String(), y.ValidFrom.String()); c != 0 {
					return c
				}
				return cmp.Compare(x.ID, y.ID)
			})
			conflicts := map[int64][]int64{}
			for _, c := range vigil.CompositionConflicts(claims) {
				conflicts[c.Claims[0]] = append(conflicts[c.Claims[0]], c.Claims[1])
				conflicts[c.Claims[1]] = append(conflicts[c.Claims[1]], c.Claims[0])
			}
			docs := docLookup{s: s}
			out := []sourcedClaim{}
			for _, c := range claims {
				if c.Stance == "" {
					// Every claim says its stance, as the README promises;
					// the store leaves the default unwritten.
					c.Stance = vigil.StanceAsserts
				}
				sc := sourcedClaim{CompositionClaim: c, ActorName: names[c.Actor], FromActorName: names[c.FromActor], Conflicts: append([]int64{}, conflicts[c.ID]...)}
				if sc.Documents, err = docs.find(ctx, c.DocumentIDs); err != nil {
					return err
				}
				out = append(out, sc)
			}
			if format == "json" {
				return writeJSONList(a.stdout, out)
			}
			if len(out) == 0 {
				fmt.Fprintf(a.stdout, "no composition claims about %s in that period\n", args[0])
				return nil
			}
			t := newTable(a.stdout, "ID", "VALID", "KIND", "LAYER", "WHO", "FROM", "CRED", "SOURCES", "CONFLICTS WITH")
			for _, c := range out {
				var by []string
				for _, d := range c.Documents {
					by = append(by, fmt.Sprintf("%s [%s]", d.Source, d.Reliability))
				}
				var with []string
				for _, id := range c.Conflicts {
					with = append(with, fmt.Sprint(id))
				}
				who := c.What
				if len(c.Groups) > 0 {
					who = strings.Join(c.Groups, ", ")
				}
				if c.Stance == vigil.StanceDenies {
					who = "DENIES: " + who
				}
				cred := "-"
				if c.Credibility != 0 {
					cred = fmt.Sprint(int(c.Credibility))
				}
				t.row(fmt.Sprint(c.ID), spanText(c.ValidFrom, c.ValidTo), string(c.Kind), c.Layer, clip(who, 40), c.FromActorName,
					cred, strings.Join(by, "; "), strings.Join(with, ", "))
			}
			if err := t.flush(); err != nil {
				return err
			}
			printTimeline(a.stdout, out, time.Now().Year())
			fmt.Fprintln(a.stdout, "\nWhat each claim says:")
			for _, c := range out {
				where := ""
				if c.Region != "" {
					where = " (" + c.Region + ")"
				}
				verb := ""
				if c.Stance == vigil.StanceDenies {
					verb = "denied: "
				}
				fmt.Fprintf(a.stdout, "  %d. %s%s%s\n", c.ID, verb, c.What, where)
				if c.Description != "" {
					fmt.Fprintf(a.stdout, "     %s\n", c.Description)
				}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&at, "at", "", "only claims that hold on this day (YYYY-MM-DD)")
	cmd.Flags().StringVar(&from, "from", "", "only claims whose period overlaps the window starting on this day")
	cmd.Flags().StringVar(&to, "to", "", "only claims whose period overlaps the window ending on this day")
	cmd.Flags().StringVar(&kind, "kind", "", "only claims of this kind: layer, origin or recruitment")
	cmd.Flags().StringVar(&format, "format", "table", "output format: table or json")
	return cmd
}

// parseWindow reads --at, or --from and --to, into a window; --at is a
// window of one day.
func parseWindow(at, from, to string) (vigil.Date, vigil.Date, error) {
	var f, t vigil.Date
	parse := func(flag, v string) (vigil.Date, error) {
		if v == "" {
			return vigil.Date{}, nil
		}
		d, err := vigil.ParseDate(v)
		if err != nil {
			return d, fmt.Errorf("--%s: %s", flag, vigil.ErrorMessage(err))
		}
		return d, nil
	}
	if at != "" {
		if from != "" || to != "" {
			return f, t, fmt.Errorf("--at and --from/--to: give one or the other")
		}
		d, err := parse("at", at)
		return d, d, err
	}
	f, err := parse("from", from)
	if err != nil {
		return f, t, err
	}
	if t, err = parse("to", to); err != nil {
		return f, t, err
	}
	if !f.IsZero() && !t.IsZero() && t.Before(f) {
		return f, t, fmt.Errorf("--to %s is before --from %s", t, f)
	}
	return f, t, nil
}

// spanText prints a period with open ends as "…".
func spanText(from, to vigil.Date) string {
	f, t := from.String(), to.String()
	if f == "" {
		f = "…"
	}
	if t == "" {
		t = "…"
	}
	if from == to && !from.IsZero() {
		return f
	}
	return f + " – " + t
}

// actorNames maps every stored actor's id to its name.
func actorNames(ctx context.Context, s vigil.Store) (map[string]string, error) {
	all, err := s.FindActors(ctx, vigil.ActorFilter{})
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	for _, x := range all {
		names[x.ID] = x.Name
	}
	return names, nil
}

// docLookup finds documents with their sources' grades, each once.
type docLookup struct {
	s    vigil.Store
	seen map[int64]relationshipDocument
}

func (l *docLookup) find(ctx context.Context, ids []int64) ([]relationshipDocument, error) {
	if l.seen == nil {
		l.seen = map[int64]relationshipDocument{}
	}
	out := []relationshipDocument{}
	for _, id := range ids {
		if d, ok := l.seen[id]; ok {
			out = append(out, d)
			continue
		}
		d, err := l.s.FindDocumentByID(ctx, id)
		if err != nil {
			return nil, err
		}
		src, err := l.s.FindSourceByName(ctx, d.Source)
		if err != nil {
			return nil, err
		}
		rd := relationshipDocument{ID: d.ID, Title: d.Title, Source: d.Source, Reliability: src.Reliability}
		l.seen[id] = rd
		out = append(out, rd)
	}
	return out, nil
}

// documentIDs returns the store's ids of documents named by source and key.
func documentIDs(ctx context.Context, s vigil.Store, refs []istix.DocumentRef) ([]int64, error) {
	var ids []int64
	for _, ref := range refs {
		d, err := s.FindDocumentByKey(ctx, ref.Source, ref.Key)
		if err != nil {
			return nil, err
		}
		ids = append(ids, d.ID)
	}
	return ids, nil
}

// storeStixComposition stores the composition claims a STIX bundle
// carries, with their documents, leaving out those already stored.
func storeStixComposition(ctx context.Context, s vigil.Store, r *istix.Reader) error {
	claims := r.Composition()
	if len(claims) == 0 {
		return nil
	}
	cs, err := compositionService(s)
	if err != nil {
		return err
	}
	for _, sc := range claims {
		c := sc.CompositionClaim
		if c.DocumentIDs, err = documentIDs(ctx, s, sc.Documents); err != nil {
			return fmt.Errorf("stix: composition of %s, %s: %w", c.Actor, c.Layer, err)
		}
		if err := createClaimOnce(ctx, cs, &c); err != nil {
			return fmt.Errorf("stix: %w", err)
		}
	}
	return nil
}

// createClaimOnce stores a claim unless one with the same actor, kind,
// layer, what, stance, from_actor and period is stored.
func createClaimOnce(ctx context.Context, cs vigil.CompositionService, c *vigil.CompositionClaim) error {
	stored, err := cs.FindCompositionClaims(ctx, vigil.CompositionFilter{Actor: c.Actor, Kind: c.Kind})
	if err != nil {
		return err
	}
	if slices.ContainsFunc(stored, func(o *vigil.CompositionClaim) bool {
		return o.Layer == c.Layer && o.What == c.What && o.Stance == c.Stance && o.FromActor == c.FromActor &&
			o.ValidFrom == c.ValidFrom && o.ValidTo == c.ValidTo
	}) {
		return nil
	}
	if err := cs.CreateCompositionClaim(ctx, c); err != nil {
		return fmt.Errorf("composition of %s, %s: %w", c.Actor, c.Layer, err)
	}
	return nil
}

// printTimeline draws each claim as a bar over the years it holds, one
// column per year, from the first year any claim starts to the last it
// names (or thisYear, for claims without an end): █ asserted, ░ denied, →
// open-ended.
func printTimeline(w io.Writer, claims []sourcedClaim, thisYear int) {
	first, last := 0, 0
	for _, c := range claims {
		for _, d := range []vigil.Date{c.ValidFrom, c.ValidTo} {
			if d.IsZero() {
				continue
			}
			y := d.Time().Year()
			if first == 0 || y < first {
				first = y
			}
			if y > last {
				last = y
			}
		}
		if c.ValidTo.IsZero() && thisYear > last {
			last = thisYear
		}
	}
	if first == 0 || last-first > 60 {
		return
	}
	fmt.Fprintln(w, "\nTimeline:")
	axis := strings.Builder{}
	for y := first; y <= last; y++ {
		if y == first || y%5 == 0 {
			label := fmt.Sprint(y)
			axis.WriteString(label)
			y += len(label) - 1
			continue
		}
		axis.WriteByte(' ')
	}
	t := newTable(w, "ID", "LAYER", strings.TrimRight(axis.String(), " "))
	for _, c := range claims {
		from, to := first, last
		if !c.ValidFrom.IsZero() {
			from = c.ValidFrom.Time().Year()
		}
		if !c.ValidTo.IsZero() {
			to = c.ValidTo.Time().Year()
		}
		mark := "█"
		if c.Stance == vigil.StanceDenies {
			mark = "░"
		}
		var bar strings.Builder
		for y := first; y <= last; y++ {
			if y >= from && y <= to {
				bar.WriteString(mark)
			} else {
				bar.WriteByte(' ')
			}
		}
		line := strings.TrimRight(bar.String(), " ")
		if c.ValidTo.IsZero() {
			line += "→"
		}
		t.row(fmt.Sprint(c.ID), clip(c.Layer, 42), line)
	}
	t.flush()
}
