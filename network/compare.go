package network

import (
	"fmt"
	"slices"
	"sort"
)

// ActorChange is an actor whose place in the network differs between two
// windows: it appears, disappears, or one of its metrics differs.
type ActorChange struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Status is "added" (only in the second window), "removed" (only in
	// the first) or "changed".
	Status string `json:"status"`
	Before *Node  `json:"before,omitempty"`
	After  *Node  `json:"after,omitempty"`
	// Changed names the metrics that differ: events, degree, strength,
	// betweenness, community (its fellow members differ).
	Changed []string `json:"changed,omitempty"`
	// PeersBefore and PeersAfter are the other members of its community
	// in each window, when they differ.
	PeersBefore []string `json:"peers_before,omitempty"`
	PeersAfter  []string `json:"peers_after,omitempty"`
}

// EdgeChange is a tie present in one window only, or whose weight differs.
type EdgeChange struct {
	From           string   `json:"from"`
	To             string   `json:"to"`
	Kind           EdgeKind `json:"kind"`
	Type           string   `json:"type,omitempty"`
	RelationshipID int64    `json:"relationship_id,omitempty"`
	Status         string   `json:"status"` // added, removed, changed
	Before         float64  `json:"before"` // weight; 0 when absent
	After          float64  `json:"after"`
}

// Diff is what changes between two windows' graphs.
type Diff struct {
	Before     Window        `json:"before"`
	After      Window        `json:"after"`
	Actors     []ActorChange `json:"actors"`
	Edges      []EdgeChange  `json:"edges"`
	Modularity [2]float64    `json:"modularity"`
	Events     [2]int        `json:"events"`
}

// Compare returns the actors and ties whose metrics differ between a and b.
// Community numbers are not compared, since each window numbers its own:
// an actor's community changes when its fellow members do.
func Compare(a, b *Graph) *Diff {
	d := &Diff{Before: a.Window, After: b.Window, Actors: []ActorChange{}, Edges: []EdgeChange{},
		Modularity: [2]float64{a.Modularity, b.Modularity}, Events: [2]int{a.Events, b.Events}}
	ids := map[string]bool{}
	for _, n := range a.Nodes {
		ids[n.ID] = true
	}
	for _, n := range b.Nodes {
		ids[n.ID] = true
	}
	order := make([]string, 0, len(ids))
	for id := range ids {
		order = append(order, id)
	}
	sort.Strings(order)
	for _, id := range order {
		na, nb := a.Node(id), b.Node(id)
		c := ActorChange{ID: id}
		switch {
		case na == nil:
			c.Status, c.Name, c.After = "added", nb.Name, nb
		case nb == nil:
			c.Status, c.Name, c.Before = "removed", na.Name, na
		default:
			c.Status, c.Name, c.Before, c.After = "changed", nb.Name, na, nb
			if na.Events != nb.Events {
				c.Changed = append(c.Changed, "events")
			}
			if na.Degree != nb.Degree {
				c.Changed = append(c.Changed, "degree")
			}
			if na.Strength != nb.Strength {
				c.Changed = append(c.Changed, "strength")
			}
			if na.Betweenness != nb.Betweenness {
				c.Changed = append(c.Changed, "betweenness")
			}
			pa, pb := peers(a, na), peers(b, nb)
			if !slices.Equal(pa, pb) {
				c.Changed = append(c.Changed, "community")
				c.PeersBefore, c.PeersAfter = pa, pb
			}
			if len(c.Changed) == 0 {
				continue
			}
		}
		d.Actors = append(d.Actors, c)
	}
	type key struct {
		from, to string
		kind     EdgeKind
		typ      string
		rel      int64
	}
	weights := func(g *Graph) map[key]float64 {
		m := map[key]float64{}
		for _, e := range g.Edges {
			m[key{e.From, e.To, e.Kind, string(e.Type), e.RelationshipID}] += e.Weight
		}
		return m
	}
	wa, wb := weights(a), weights(b)
	var keys []key
	for k := range wa {
		keys = append(keys, k)
	}
	for k := range wb {
		if _, ok := wa[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		x, y := keys[i], keys[j]
		if x.kind != y.kind {
			return kindOrder(x.kind) < kindOrder(y.kind)
		}
		return fmt.Sprint(x.from, x.to, x.typ, x.rel) < fmt.Sprint(y.from, y.to, y.typ, y.rel)
	})
	for _, k := range keys {
		before, inA := wa[k]
		after, inB := wb[k]
		c := EdgeChange{From: k.from, To: k.to, Kind: k.kind, Type: k.typ, RelationshipID: k.rel, Before: before, After: after}
		switch {
		case !inA:
			c.Status = "added"
		case !inB:
			c.Status = "removed"
		case before != after:
			c.Status = "changed"
		default:
			continue
		}
		d.Edges = append(d.Edges, c)
	}
	return d
}

// peers returns the other members of n's community.
func peers(g *Graph, n *Node) []string {
	if n.Community < 0 || n.Community >= len(g.Communities) {
		return nil
	}
	var out []string
	for _, id := range g.Communities[n.Community] {
		if id != n.ID {
			out = append(out, id)
		}
	}
	return out
}
