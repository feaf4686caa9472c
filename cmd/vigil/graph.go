package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/network"
)

func newActorsGraphCmd(a *app) *cobra.Command {
	var at, from, to, compare, format, tlp, actor string
	var span int
	cmd := &cobra.Command{
		Use:   "graph [--at DATE | --from DATE --to DATE] [--compare FROM..TO]",
		Short: "The network of actors in a period: sourced relationships and ties from events, with degree, betweenness and communities",
		Long: `Print the network of actors over a window: the sourced relationships that hold in
it (typed, with their periods and credibility), and the ties that the window's
events imply — combat between actors on opposite sides of an incident (a
perpetrator and its target, two sides of a clash), co-occurrence of actors named
in the same incident otherwise (joint or rival attributions), each weighted by
the number of events. Each actor gets its degree (distinct neighbours), strength
(summed weights), betweenness (0–1) and community (Louvain). Actors that reports
name without a resolved actor are left out and counted; denied attributions take
no part.

--at DATE takes the relationships that hold on that day and the events of the
--span days up to it (365); --from and --to take everything that overlaps the
window. With neither, all time.

--compare FROM..TO builds a second window (either end may be left open:
"2021-08-15..") and prints what differs between the two: actors that appear or
disappear, metrics that change, ties added, removed or reweighted.

--actor NAME (any alias) shows that actor, its neighbours and the ties among them;
the metrics stay those of the whole network.

Formats: table (default), json (the graph, or {"before", "after", "diff"} with
--compare), dot (Graphviz; two graphs with --compare: dot -Tsvg -O).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "table", "json", "dot"); err != nil {
				return err
			}
			var w network.Window
			if at != "" {
				if from != "" || to != "" {
					return fmt.Errorf("--at and --from/--to: give one or the other")
				}
				d, err := vigil.ParseDate(at)
				if err != nil {
					return fmt.Errorf("--at: %s", vigil.ErrorMessage(err))
				}
				if span < 1 {
					return fmt.Errorf("--span %d: want a number of days, 1 or more", span)
				}
				w = network.AtDay(d, span)
			} else {
				f, t, err := parseWindow("", from, to)
				if err != nil {
					return err
				}
				w = network.Window{From: f, To: t}
			}
			var second *network.Window
			if compare != "" {
				lo, hi, ok := strings.Cut(compare, "..")
				if !ok {
					return fmt.Errorf("--compare %q: want FROM..TO (either end may be empty)", compare)
				}
				f, t, err := parseWindow("", lo, hi)
				if err != nil {
					return fmt.Errorf("--compare: %w", err)
				}
				second = &network.Window{From: f, To: t}
			}
			var opt network.Options
			if tlp != "" {
				c, err := vigil.ParseTLP(tlp)
				if err != nil {
					return fmt.Errorf("--tlp: %s", vigil.ErrorMessage(err))
				}
				opt.Clearance = c
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
			var ego []string
			if actor != "" {
				found, err := s.FindActors(ctx, vigil.ActorFilter{Name: actor, Clearance: opt.Clearance})
				if err != nil {
					return err
				}
				if len(found) == 0 {
					return vigil.Errorf(vigil.ENOTFOUND, "no actor is named %q (vigil actors resolve NAME)", actor)
				}
				for _, f := range found {
					ego = append(ego, f.ID)
				}
			}
			view := func(g *network.Graph) *network.Graph {
				if ego == nil {
					return g
				}
				return g.Ego(ego...)
			}
			g, err := network.Build(ctx, s, w, opt)
			if err != nil {
				return err
			}
			g = view(g)
			if second == nil {
				switch format {
				case "json":
					return writeJSON(a.stdout, g)
				case "dot":
					return network.WriteDOT(a.stdout, g)
				}
				return printGraph(a.stdout, g)
			}
			g2, err := network.Build(ctx, s, *second, opt)
			if err != nil {
				return err
			}
			g2 = view(g2)
			diff := network.Compare(g, g2)
			switch format {
			case "json":
				return writeJSON(a.stdout, map[string]any{"before": g, "after": g2, "diff": diff})
			case "dot":
				if err := network.WriteDOT(a.stdout, g); err != nil {
					return err
				}
				return network.WriteDOT(a.stdout, g2)
			}
			if err := printGraph(a.stdout, g); err != nil {
				return err
			}
			fmt.Fprintln(a.stdout)
			if err := printGraph(a.stdout, g2); err != nil {
				return err
			}
			fmt.Fprintln(a.stdout)
			return printDiff(a.stdout, diff, g, g2)
		},
	}
	cmd.Flags().StringVar(&at, "at", "", "relationships that hold on this day, events of the --span days up to it (YYYY-MM-DD)")
	cmd.Flags().IntVar(&span, "span", 365, "with --at: how many days of events up to the day")
	cmd.Flags().StringVar(&from, "from", "", "start of the window (YYYY-MM-DD)")
	cmd.Flags().StringVar(&to, "to", "", "end of the window (YYYY-MM-DD)")
	cmd.Flags().StringVar(&compare, "compare", "", "a second window FROM..TO to compare with the first")
	cmd.Flags().StringVar(&actor, "actor", "", "only this actor (any alias), its neighbours and the ties among them")
	cmd.Flags().StringVar(&tlp, "tlp", "", "only what a reader cleared for this TLP level may see")
	cmd.Flags().StringVar(&format, "format", "table", "output format: table, json or dot")
	return cmd
}

func printGraph(w io.Writer, g *network.Graph) error {
	fmt.Fprintf(w, "Network %s: %d actors, %d ties, %d events (%d actor mentions unresolved, left out), modularity %.2f\n\n",
		g.Window, len(g.Nodes), len(g.Edges), g.Events, g.Unresolved, g.Modularity)
	t := newTable(w, "ACTOR", "ID", "KIND", "EVENTS", "DEGREE", "STRENGTH", "BETWEENNESS", "COMMUNITY")
	for _, n := range g.Nodes {
		t.row(clip(n.Name, 45), n.ID, string(n.Kind), fmt.Sprint(n.Events), fmt.Sprint(n.Degree), fmt.Sprintf("%g", n.Strength),
			fmt.Sprintf("%.3f", n.Betweenness), fmt.Sprint(n.Community))
	}
	if err := t.flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	t = newTable(w, "FROM", "TIE", "TO", "WEIGHT", "VALID", "CRED", "BASIS")
	for _, e := range g.Edges {
		tie, valid, cred, basis := string(e.Kind), "", "", ""
		if e.Kind == network.EdgeRelationship {
			tie = string(e.Type)
			valid = spanText(e.ValidFrom, e.ValidTo)
			if e.Credibility != 0 {
				cred = fmt.Sprint(int(e.Credibility))
			}
			basis = fmt.Sprintf("relationship %d, %d documents", e.RelationshipID, len(e.DocumentIDs))
		} else {
			ids := e.EventIDs
			more := ""
			if len(ids) > 5 {
				ids, more = ids[:5], ", …"
			}
			var s []string
			for _, id := range ids {
				s = append(s, fmt.Sprint(id))
			}
			basis = "events " + strings.Join(s, ", ") + more
		}
		t.row(clip(g.Label(e.From), 35), tie, clip(g.Label(e.To), 35), fmt.Sprintf("%g", e.Weight), valid, cred, basis)
	}
	if err := t.flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nCommunities:")
	for i := range g.Communities {
		if len(g.Communities[i]) > 0 {
			fmt.Fprintf(w, "  %d: %s\n", i, g.Members(i))
		}
	}
	return nil
}

func printDiff(w io.Writer, d *network.Diff, before, after *network.Graph) error {
	fmt.Fprintf(w, "What differs from %s to %s (modularity %.2f → %.2f, events %d → %d):\n\n", d.Before, d.After,
		d.Modularity[0], d.Modularity[1], d.Events[0], d.Events[1])
	if len(d.Actors) == 0 {
		fmt.Fprintln(w, "no actor's metrics differ")
	} else {
		t := newTable(w, "ACTOR", "STATUS", "EVENTS", "DEGREE", "STRENGTH", "BETWEENNESS", "COMMUNITY: JOINED (+) AND LEFT (−)")
		num := func(n *network.Node, f func(*network.Node) string) string {
			if n == nil {
				return "–"
			}
			return f(n)
		}
		for _, c := range d.Actors {
			arrow := func(f func(*network.Node) string) string {
				a, b := num(c.Before, f), num(c.After, f)
				if a == b {
					return a
				}
				return a + " → " + b
			}
			var peers []string
			for _, id := range c.PeersAfter {
				if !slices.Contains(c.PeersBefore, id) {
					peers = append(peers, "+"+after.Label(id))
				}
			}
			for _, id := range c.PeersBefore {
				if !slices.Contains(c.PeersAfter, id) {
					peers = append(peers, "−"+before.Label(id))
				}
			}
			t.row(clip(c.Name, 40), c.Status,
				arrow(func(n *network.Node) string { return fmt.Sprint(n.Events) }),
				arrow(func(n *network.Node) string { return fmt.Sprint(n.Degree) }),
				arrow(func(n *network.Node) string { return fmt.Sprintf("%g", n.Strength) }),
				arrow(func(n *network.Node) string { return fmt.Sprintf("%.3f", n.Betweenness) }),
				strings.Join(peers, ", "))
		}
		if err := t.flush(); err != nil {
			return err
		}
	}
	fmt.Fprintln(w)
	if len(d.Edges) == 0 {
		fmt.Fprintln(w, "no tie differs")
		return nil
	}
	label := func(id string) string {
		if n := after.Node(id); n != nil {
			return n.Name
		}
		return before.Label(id)
	}
	t := newTable(w, "FROM", "TIE", "TO", "STATUS", "WEIGHT")
	for _, e := range d.Edges {
		tie := string(e.Kind)
		if e.Type != "" {
			tie = e.Type
		}
		t.row(clip(label(e.From), 35), tie, clip(label(e.To), 35), e.Status, fmt.Sprintf("%g → %g", e.Before, e.After))
	}
	return t.flush()
}
