package network

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// relColors colour relationship edges by type; kindColors derived edges.
var (
	relColors = map[string]string{
		"allegiance": "darkgreen", "subsidiary-of": "darkgreen", "cooperation": "forestgreen", "sanctuary": "olivedrab",
		"recruitment-from": "steelblue", "splinter": "darkorange", "rivalry": "orange", "combat": "red3",
	}
	kindColors = map[EdgeKind]string{EdgeCombat: "red", EdgeCoOccurrence: "gray50"}
)

// dotQuote quotes s as a DOT string: quotes and backslashes escaped, line
// breaks as \n, so that no name or description can end the string.
func dotQuote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\r", "", "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}

// WriteDOT writes the graph in Graphviz's DOT language: one node per actor
// labelled with its name, degree and betweenness, filled by community;
// relationship edges solid and labelled with their type, combat edges red
// and co-occurrence edges dashed grey, both labelled with their number of
// events and drawn thicker for more.
func WriteDOT(w io.Writer, g *Graph) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "digraph actors {\n  label=%s;\n  labelloc=t;\n  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\", fontsize=9];\n",
		dotQuote("vigil actors graph, "+g.Window.String()))
	palette := []string{"#cfe2f3", "#f4cccc", "#d9ead3", "#fff2cc", "#d9d2e9", "#fce5cd", "#d0e0e3", "#ead1dc"}
	for _, n := range g.Nodes {
		label := fmt.Sprintf("%s\ndegree %d, betweenness %.2f", n.Name, n.Degree, n.Betweenness)
		fmt.Fprintf(bw, "  %s [label=%s, fillcolor=%s];\n", dotQuote(n.ID), dotQuote(label), dotQuote(palette[n.Community%len(palette)]))
	}
	for _, e := range g.Edges {
		switch e.Kind {
		case EdgeRelationship:
			label := string(e.Type)
			if !e.ValidFrom.IsZero() || !e.ValidTo.IsZero() {
				label += "\n" + e.ValidFrom.String() + "–" + e.ValidTo.String()
			}
			color := relColors[string(e.Type)]
			if color == "" {
				color = "black"
			}
			fmt.Fprintf(bw, "  %s -> %s [label=%s, color=%s];\n", dotQuote(e.From), dotQuote(e.To), dotQuote(label), dotQuote(color))
		default:
			style := "solid"
			if e.Kind == EdgeCoOccurrence {
				style = "dashed"
			}
			width := 1.0
			for x := e.Weight; x >= 2 && width < 6; x /= 2 {
				width++
			}
			fmt.Fprintf(bw, "  %s -> %s [dir=none, style=%s, color=%s, penwidth=%.0f, label=%s];\n", dotQuote(e.From), dotQuote(e.To), style,
				dotQuote(kindColors[e.Kind]), width, dotQuote(fmt.Sprintf("%s %d", e.Kind, e.Events)))
		}
	}
	bw.WriteString("}\n")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("network: dot: %w", err)
	}
	return nil
}
