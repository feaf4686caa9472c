package network

import "slices"

// Ego returns the part of the graph around the given actors: them, their
// neighbours and the edges among those. Metrics are the whole graph's, so
// that an actor's betweenness and community do not depend on the view;
// the communities list only the members shown. Unknown ids are ignored.
func (g *Graph) Ego(ids ...string) *Graph {
	keep := map[string]bool{}
	for _, id := range ids {
		if g.Node(id) != nil {
			keep[id] = true
		}
	}
	for _, e := range g.Edges {
		if slices.Contains(ids, e.From) {
			keep[e.To] = true
		}
		if slices.Contains(ids, e.To) {
			keep[e.From] = true
		}
	}
	out := &Graph{Window: g.Window, Nodes: []Node{}, Edges: []Edge{}, Communities: make([][]string, len(g.Communities)),
		Modularity: g.Modularity, Events: g.Events, Unresolved: g.Unresolved}
	for _, n := range g.Nodes {
		if keep[n.ID] {
			out.Nodes = append(out.Nodes, n)
		}
	}
	for _, e := range g.Edges {
		if keep[e.From] && keep[e.To] {
			out.Edges = append(out.Edges, e)
		}
	}
	for i, c := range g.Communities {
		out.Communities[i] = []string{}
		for _, id := range c {
			if keep[id] {
				out.Communities[i] = append(out.Communities[i], id)
			}
		}
	}
	return out
}
