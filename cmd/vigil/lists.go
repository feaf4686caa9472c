package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/actors"
	vigilhttp "github.com/vigil-osint/vigil/http"
)

func newInitCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "init",
		Short: "Create the store (if needed) and load the actor dictionary into it",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := a.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer s.Close()
			d, err := a.loadDictionary(cmd.Context(), s)
			if err != nil {
				return err
			}
			path, _ := a.storePath()
			fmt.Fprintf(a.stdout, "store %s ready with %d actors and %d attribution rules\n", storeName(path), len(d.Actors), len(d.Rules))
			return nil
		},
	}
}

func newSourcesCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{Use: "sources", Short: "List sources and their grades"}
	var format string
	list := &cobra.Command{
		Use:   "list",
		Short: "List every source with its kind, the party it speaks for and its reliability",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "table", "json"); err != nil {
				return err
			}
			s, err := a.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer s.Close()
			srcs, err := s.FindSources(cmd.Context())
			if err != nil {
				return err
			}
			if format == "json" {
				return writeJSONList(a.stdout, srcs)
			}
			t := newTable(a.stdout, "ID", "SOURCE", "KIND", "SPEAKS FOR", "RELIABILITY")
			for _, src := range srcs {
				t.row(fmt.Sprint(src.ID), src.Name, string(src.Kind), src.SpeaksFor, string(src.Reliability)+" "+src.Reliability.Describe())
			}
			return t.flush()
		},
	}
	list.Flags().StringVar(&format, "format", "table", "output format: table or json")
	cmd.AddCommand(list, newSourcesGradeCmd(a))
	return cmd
}

func newSourcesGradeCmd(a *app) *cobra.Command {
	var reliability, origin, notes string
	cmd := &cobra.Command{
		Use:   "grade NAME",
		Short: "Regrade a source: its reliability, origin or notes, audited, its events fused again",
		Long: `Change a source's reliability (A–G), origin (the source it is not independent of)
or notes, as PATCH /api/v1/sources/{id} does: the change is recorded in the audit
log (actor cli:USER) with the source before and after, and the events fused from
the source's reports are fused again with the new grade. Imports keep the grade
given here (see vigil import).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f := cmd.Flags()
			if !f.Changed("reliability") && !f.Changed("origin") && !f.Changed("notes") {
				return fmt.Errorf("sources grade: give --reliability, --origin or --notes")
			}
			s, err := a.openTeamStore(cmd.Context())
			if err != nil {
				return err
			}
			defer s.Close()
			before, err := s.FindSourceByName(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			after := *before
			if f.Changed("reliability") {
				if after.Reliability, err = vigil.ParseReliability(reliability); err != nil {
					return err
				}
			}
			if f.Changed("origin") {
				after.Origin = origin
			}
			if f.Changed("notes") {
				after.Notes = notes
			}
			if err := vigilhttp.RegradeSource(cmd.Context(), s, s, cliActor(), before, &after); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "%s: %s %s (was %s)\n", after.Name, after.Reliability, after.Reliability.Describe(), before.Reliability)
			return nil
		},
	}
	cmd.Flags().StringVar(&reliability, "reliability", "", "A–G")
	cmd.Flags().StringVar(&origin, "origin", "", "the source it is not independent of (\"\" for its own)")
	cmd.Flags().StringVar(&notes, "notes", "", "the source's notes, replacing them")
	return cmd
}

func newActorsCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{Use: "actors", Short: "List and load actors"}
	var format, name, at string
	list := &cobra.Command{
		Use:   "list",
		Short: "List actors with their kinds over time and their names",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "table", "json"); err != nil {
				return err
			}
			f := vigil.ActorFilter{Name: name}
			if at != "" {
				d, err := vigil.ParseDate(at)
				if err != nil {
					return fmt.Errorf("--at: %s", vigil.ErrorMessage(err))
				}
				f.At = d
			}
			s, err := a.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer s.Close()
			if _, err := a.loadDictionary(cmd.Context(), s); err != nil {
				return err
			}
			as, err := s.FindActors(cmd.Context(), f)
			if err != nil {
				return err
			}
			if format == "json" {
				return writeJSONList(a.stdout, as)
			}
			t := newTable(a.stdout, "ID", "NAME", "KIND", "PARENT", "NAMES")
			for _, act := range as {
				kind := string(act.Kind)
				if len(act.Periods) > 0 {
					var ps []string
					for _, p := range act.Periods {
						ps = append(ps, fmt.Sprintf("%s %s–%s", p.Kind, p.ValidFrom, p.ValidTo))
					}
					kind = strings.Join(ps, "; ")
				}
				var ns []string
				for _, n := range act.Names {
					ns = append(ns, n.Name)
				}
				t.row(act.ID, act.Name, kind, act.Parent, clip(strings.Join(ns, ", "), 70))
			}
			return t.flush()
		},
	}
	list.Flags().StringVar(&format, "format", "table", "output format: table or json")
	list.Flags().StringVar(&name, "name", "", "only actors with this name or alias")
	list.Flags().StringVar(&at, "at", "", "with --name: only names valid on this day (YYYY-MM-DD)")
	load := &cobra.Command{
		Use:   "import FILE",
		Short: "Load an actor dictionary (JSON, as data/actors.json) into the store",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := a.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer s.Close()
			a.actorsPath = args[0]
			d, err := a.loadDictionary(cmd.Context(), s)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "%s: %d actors loaded\n", args[0], len(d.Actors))
			return nil
		},
	}
	cmd.AddCommand(list, load, newActorsResolveCmd(a), newActorsRelationshipsCmd(a), newActorsCompositionCmd(a), newActorsGraphCmd(a))
	return cmd
}

// resolution is one candidate of `vigil actors resolve`, as JSON.
type resolution struct {
	Name      string     `json:"name"`
	ActorID   string     `json:"actor_id"`
	Alias     string     `json:"alias"`
	ValidFrom vigil.Date `json:"valid_from"`
	ValidTo   vigil.Date `json:"valid_to"`
	Usage     string     `json:"usage,omitempty"`
	Score     float64    `json:"score"`
	Reasons   []string   `json:"reasons"`
}

func newActorsResolveCmd(a *app) *cobra.Command {
	var at, country, format string
	cmd := &cobra.Command{
		Use:   "resolve NAME",
		Short: "The actors a name may mean on a day and in a country, best first, with reasons",
		Long: `List the actors a name may refer to, best first, with the alias that matched and
why: a name valid on --at beats one that is not; a name scoped to --country (ISO
3166-1) beats an unscoped one, which beats one scoped elsewhere ("Daesh" means
ISKP in Afghan usage). The store's actors are used, aliases that imports added
included.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "table", "json"); err != nil {
				return err
			}
			var day vigil.Date
			if at != "" {
				d, err := vigil.ParseDate(at)
				if err != nil {
					return fmt.Errorf("--at: %s", vigil.ErrorMessage(err))
				}
				day = d
			}
			if country != "" {
				cs, err := countryCodes([]string{country})
				if err != nil {
					return err
				}
				country = cs[0]
			}
			ctx := cmd.Context()
			s, err := a.openStore(ctx)
			if err != nil {
				return err
			}
			defer s.Close()
			shipped, err := a.loadDictionary(ctx, s)
			if err != nil {
				return err
			}
			stored, err := s.FindActors(ctx, vigil.ActorFilter{})
			if err != nil {
				return err
			}
			d, err := actors.New(stored, shipped.Rules)
			if err != nil {
				return err
			}
			var out []resolution
			for _, m := range d.Resolve(args[0], day, strings.ToUpper(country)) {
				out = append(out, resolution{Name: m.Actor.Name, ActorID: m.Actor.ID, Alias: m.Alias.Name,
					ValidFrom: m.Alias.ValidFrom, ValidTo: m.Alias.ValidTo, Usage: m.Alias.Usage, Score: m.Score, Reasons: m.Reasons})
			}
			if format == "json" {
				return writeJSONList(a.stdout, out)
			}
			if len(out) == 0 {
				fmt.Fprintf(a.stdout, "no actor is named %q\n", args[0])
				return nil
			}
			t := newTable(a.stdout, "SCORE", "ACTOR", "ID", "ALIAS", "VALID", "REASONS")
			for _, r := range out {
				t.row(fmt.Sprintf("%.2f", r.Score), r.Name, r.ActorID, r.Alias, r.ValidFrom.String()+"–"+r.ValidTo.String(), strings.Join(r.Reasons, "; "))
			}
			return t.flush()
		},
	}
	cmd.Flags().StringVar(&at, "at", "", "the day the name is used (YYYY-MM-DD)")
	cmd.Flags().StringVar(&country, "country", "", "the country it is used in (ISO 3166-1 alpha-2 or name)")
	cmd.Flags().StringVar(&format, "format", "table", "output format: table or json")
	return cmd
}

// sourcedRelationship is a relationship with the documents that assert it,
// as `vigil actors relationships` prints it.
type sourcedRelationship struct {
	*vigil.Relationship
	Documents []relationshipDocument `json:"documents"`
}

type relationshipDocument struct {
	ID          int64             `json:"id"`
	Title       string            `json:"title"`
	Source      string            `json:"source"`
	Reliability vigil.Reliability `json:"reliability"`
}

func newActorsRelationshipsCmd(a *app) *cobra.Command {
	var at, format string
	cmd := &cobra.Command{
		Use:   "relationships ACTOR",
		Short: "An actor's relationships over time, each with the documents and sources that assert it",
		Long: `List the relationships of an actor (any name or alias), by the date they start,
with the documents that assert them and their sources' grades. Conflicting
assertions stand side by side. --at keeps those that hold on a day.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "table", "json"); err != nil {
				return err
			}
			f := vigil.RelationshipFilter{}
			if at != "" {
				d, err := vigil.ParseDate(at)
				if err != nil {
					return fmt.Errorf("--at: %s", vigil.ErrorMessage(err))
				}
				f.At = d
			}
			ctx := cmd.Context()
			s, err := a.openStore(ctx)
			if err != nil {
				return err
			}
			defer s.Close()
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
			names := map[string]string{}
			all, err := s.FindActors(ctx, vigil.ActorFilter{})
			if err != nil {
				return err
			}
			for _, x := range all {
				names[x.ID] = x.Name
			}
			var out []sourcedRelationship
			for _, act := range found {
				f.Actor = act.ID
				rels, err := s.FindRelationships(ctx, f)
				if err != nil {
					return err
				}
				for _, r := range rels {
					sr := sourcedRelationship{Relationship: r}
					for _, id := range r.DocumentIDs {
						d, err := s.FindDocumentByID(ctx, id)
						if err != nil {
							return err
						}
						src, err := s.FindSourceByName(ctx, d.Source)
						if err != nil {
							return err
						}
						sr.Documents = append(sr.Documents, relationshipDocument{ID: d.ID, Title: d.Title, Source: d.Source, Reliability: src.Reliability})
					}
					out = append(out, sr)
				}
			}
			if format == "json" {
				return writeJSONList(a.stdout, out)
			}
			t := newTable(a.stdout, "FROM", "RELATIONSHIP", "TO", "VALID", "CRED", "ASSERTED BY")
			for _, r := range out {
				var by []string
				for _, d := range r.Documents {
					by = append(by, fmt.Sprintf("%s [%s]", d.Source, d.Reliability))
				}
				t.row(names[r.From], string(r.Type), names[r.To], r.ValidFrom.String()+"–"+r.ValidTo.String(),
					fmt.Sprint(int(r.Credibility)), strings.Join(by, "; "))
			}
			return t.flush()
		},
	}
	cmd.Flags().StringVar(&at, "at", "", "only relationships that hold on this day (YYYY-MM-DD)")
	cmd.Flags().StringVar(&format, "format", "table", "output format: table or json")
	return cmd
}
