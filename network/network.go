// Package network builds the network of actors over a window of time: the
// sourced relationships that hold in it, and the ties that events imply
// (actors on opposite sides of an incident fight; actors named in the same
// incident otherwise co-occur), with each actor's degree, betweenness and
// community, and what changes between two windows.
//
// How the graph is made:
//
//   - Nodes are the actors that have a relationship or an event tie in the
//     window. Actors that reports name without a resolved actor id
//     ("Unknown", "Militants") are left out and counted in Unresolved.
//   - A relationship edge is one sourced relationship whose period
//     overlaps the window (or holds on Window.At when that is set), with
//     its type, period, credibility and documents. It is directed (From →
//     To) as asserted; conflicting assertions are separate edges.
//   - A combat edge joins two actors on opposite sides of one or more
//     events in the window: a perpetrator and a target, or two parties of
//     a clash whose dataset sides differ (or are not given). Its weight is
//     the number of such events.
//   - A co-occurrence edge joins two actors named in the same events
//     without being on opposite sides (joint perpetrators, rival
//     attributions of one attack, allies in a clash), weighted by the
//     number of events. Combat and co-occurrence count each event once per
//     pair: together they are the events the two share.
//   - Actors whose attribution is "denied" in an event take no part in it.
//
// The metrics treat the graph as undirected. Degree counts an actor's
// distinct neighbours; strength sums the weights of its ties (one per
// relationship, one per shared event). Betweenness is Brandes' (gonum's
// network.Betweenness) over the unweighted ties, normalised to 0–1 by the
// number of pairs of other actors. Communities are Louvain's
// (gonum's community.Modularize, resolution 1, a fixed seed so that the
// same data gives the same communities) over the weighted ties; they are
// numbered from 0 by size, largest first, ties broken by the smallest actor
// id.
package network

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"

	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/community"
	gnet "gonum.org/v1/gonum/graph/network"
	"gonum.org/v1/gonum/graph/simple"

	"github.com/vigil-osint/vigil"
)

// Store is what Build reads; every vigil.Store has it.
type Store interface {
	FindActors(ctx context.Context, f vigil.ActorFilter) ([]*vigil.Actor, error)
	FindRelationships(ctx context.Context, f vigil.RelationshipFilter) ([]*vigil.Relationship, error)
	vigil.EventPager
	FindDocumentByID(ctx context.Context, id int64) (*vigil.Document, error)
}

// Window is the period a graph covers; zero ends are open.
type Window struct {
	From vigil.Date `json:"from"`
	To   vigil.Date `json:"to"`
	// At, when set, keeps only the relationships that hold on that day;
	// events still come from From–To.
	At vigil.Date `json:"at,omitzero"`
}

// AtDay returns the window of the span days up to and including d, with
// the relationships that hold on d.
func AtDay(d vigil.Date, span int) Window {
	if span < 1 {
		span = 1
	}
	return Window{From: d.AddDays(1 - span), To: d, At: d}
}

// String describes the window.
func (w Window) String() string {
	open := func(d vigil.Date) string {
		if d.IsZero() {
			return "…"
		}
		return d.String()
	}
	s := open(w.From) + " – " + open(w.To)
	if !w.At.IsZero() {
		s += " (relationships on " + w.At.String() + ")"
	}
	return s
}

// Options tune Build.
type Options struct {
	// Clearance, when set, leaves out events and relationships whose
	// documents it does not allow (a relationship is kept when any of its
	// documents is allowed, or when it cites none), actors whose marking
	// it does not allow and the relationships that name them.
	Clearance vigil.TLP
	// PageSize is how many events one store query returns; 5,000 when 0.
	PageSize int
}

// EdgeKind says where an edge comes from.
type EdgeKind string

// The edge kinds.
const (
	EdgeRelationship EdgeKind = "relationship"
	EdgeCombat       EdgeKind = "combat"
	EdgeCoOccurrence EdgeKind = "co-occurrence"
)

// Node is an actor in the graph with its metrics.
type Node struct {
	ID   string          `json:"id"`
	Name string          `json:"name"`
	Kind vigil.ActorKind `json:"kind,omitempty"`
	// Events counts the window's events that name the actor (resolved,
	// not denied).
	Events int `json:"events"`
	// Degree counts distinct neighbours; Strength sums tie weights.
	Degree   int     `json:"degree"`
	Strength float64 `json:"strength"`
	// Betweenness is normalised to 0–1.
	Betweenness float64 `json:"betweenness"`
	Community   int     `json:"community"`
}

// Edge is one tie. Relationship edges carry the relationship's fields;
// combat and co-occurrence edges the number of events and their ids.
type Edge struct {
	From   string   `json:"from"`
	To     string   `json:"to"`
	Kind   EdgeKind `json:"kind"`
	Weight float64  `json:"weight"`

	RelationshipID int64                  `json:"relationship_id,omitempty"`
	Type           vigil.RelationshipType `json:"type,omitempty"`
	ValidFrom      vigil.Date             `json:"valid_from,omitzero"`
	ValidTo        vigil.Date             `json:"valid_to,omitzero"`
	Credibility    vigil.Credibility      `json:"credibility,omitempty"`
	DocumentIDs    []int64                `json:"document_ids,omitempty"`
	Description    string                 `json:"description,omitempty"`

	Events   int     `json:"events,omitempty"`
	EventIDs []int64 `json:"event_ids,omitempty"`
}

// Graph is the network of one window.
type Graph struct {
	Window Window `json:"window"`
	Nodes  []Node `json:"nodes"`
	Edges  []Edge `json:"edges"`
	// Communities lists the members of each community, by community
	// number.
	Communities [][]string `json:"communities"`
	// Modularity is the Q score of the communities (0 when there are no
	// ties).
	Modularity float64 `json:"modularity"`
	// Events counts the window's events read; Unresolved the actor
	// mentions left out for want of an actor id.
	Events     int `json:"events"`
	Unresolved int `json:"unresolved"`
}

// Node returns the node of an actor id, or nil.
func (g *Graph) Node(id string) *Node {
	for i := range g.Nodes {
		if g.Nodes[i].ID == id {
			return &g.Nodes[i]
		}
	}
	return nil
}

// Build reads the relationships and events of the window from the store
// and returns their graph with its metrics.
func Build(ctx context.Context, s Store, w Window, opt Options) (*Graph, error) {
	if !w.From.IsZero() && !w.To.IsZero() && w.To.Before(w.From) {
		return nil, vigil.Errorf(vigil.EINVALID, "network: window ends %s before it starts %s", w.To, w.From)
	}
	actors, err := s.FindActors(ctx, vigil.ActorFilter{Clearance: opt.Clearance})
	if err != nil {
		return nil, fmt.Errorf("network: %w", err)
	}
	byID := map[string]*vigil.Actor{}
	for _, a := range actors {
		byID[a.ID] = a
	}
	g := &Graph{Window: w, Nodes: []Node{}, Edges: []Edge{}, Communities: [][]string{}}
	nodes := map[string]*Node{}
	node := func(id string) *Node {
		if n := nodes[id]; n != nil {
			return n
		}
		n := &Node{ID: id, Name: id}
		if a := byID[id]; a != nil {
			// The actor's kind on the window's day, or at its end; an
			// open window takes the actor's own kind.
			n.Name, n.Kind = a.Name, a.Kind
			switch {
			case !w.At.IsZero():
				n.Kind, _ = a.KindAt(w.At)
			case !w.To.IsZero():
				n.Kind, _ = a.KindAt(w.To)
			}
		}
		nodes[id] = n
		return n
	}

	// Relationships.
	rels, err := s.FindRelationships(ctx, vigil.RelationshipFilter{At: w.At})
	if err != nil {
		return nil, fmt.Errorf("network: %w", err)
	}
	markings := map[int64]vigil.TLP{}
	for _, r := range rels {
		if w.At.IsZero() && !vigil.Overlaps(r.ValidFrom, r.ValidTo, w.From, w.To) {
			continue
		}
		if opt.Clearance != "" && (byID[r.From] == nil || byID[r.To] == nil) {
			continue // an actor above the clearance
		}
		if opt.Clearance != "" && len(r.DocumentIDs) > 0 {
			ok := false
			for _, id := range r.DocumentIDs {
				m, seen := markings[id]
				if !seen {
					d, err := s.FindDocumentByID(ctx, id)
					if err != nil {
						return nil, fmt.Errorf("network: relationship %d: %w", r.ID, err)
					}
					m, markings[id] = d.Marking, d.Marking
				}
				if opt.Clearance.Allows(m) {
					ok = true
				}
			}
			if !ok {
				continue
			}
		}
		node(r.From)
		node(r.To)
		g.Edges = append(g.Edges, Edge{From: r.From, To: r.To, Kind: EdgeRelationship, Weight: 1,
			RelationshipID: r.ID, Type: r.Type, ValidFrom: r.ValidFrom, ValidTo: r.ValidTo, Credibility: r.Credibility,
			DocumentIDs: r.DocumentIDs, Description: r.Description})
	}

	// Events.
	type pairKey struct {
		a, b string
		kind EdgeKind
	}
	derived := map[pairKey]*Edge{}
	page := opt.PageSize
	if page <= 0 {
		page = 5000
	}
	f := vigil.EventFilter{From: w.From, To: w.To, Clearance: opt.Clearance}
	err = vigil.EventPages(ctx, s, f, page, func(evs []*vigil.Event) error {
		for _, e := range evs {
			g.Events++
			parts := participants(e, &g.Unresolved)
			for _, p := range parts {
				node(p.id).Events++
			}
			for i := range parts {
				for j := i + 1; j < len(parts); j++ {
					a, b := parts[i], parts[j]
					kind := EdgeCoOccurrence
					if opposed(a, b) {
						kind = EdgeCombat
					}
					from, to := a.id, b.id
					if to < from {
						from, to = to, from
					}
					k := pairKey{from, to, kind}
					d := derived[k]
					if d == nil {
						d = &Edge{From: from, To: to, Kind: kind}
						derived[k] = d
					}
					d.Events++
					d.Weight++
					d.EventIDs = append(d.EventIDs, e.ID)
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("network: %w", err)
	}
	for _, d := range derived {
		g.Edges = append(g.Edges, *d)
	}
	sort.SliceStable(g.Edges, func(i, j int) bool {
		a, b := g.Edges[i], g.Edges[j]
		if a.Kind != b.Kind {
			return kindOrder(a.Kind) < kindOrder(b.Kind)
		}
		if a.From != b.From {
			return a.From < b.From
		}
		if a.To != b.To {
			return a.To < b.To
		}
		return a.RelationshipID < b.RelationshipID
	})
	for _, n := range nodes {
		g.Nodes = append(g.Nodes, *n)
	}
	sort.Slice(g.Nodes, func(i, j int) bool { return g.Nodes[i].ID < g.Nodes[j].ID })
	g.measure()
	return g, nil
}

func kindOrder(k EdgeKind) int {
	switch k {
	case EdgeRelationship:
		return 0
	case EdgeCombat:
		return 1
	}
	return 2
}

// participant is an actor's part in one event, merged over the event's
// mentions of it.
type participant struct {
	id    string
	roles []vigil.ActorRole
	sides []string
}

// participants returns the resolved, not denied actors of an event, one
// each, by id; unresolved mentions are counted in *unresolved.
func participants(e *vigil.Event, unresolved *int) []participant {
	var out []participant
	for _, a := range e.Actors {
		if a.Attribution == vigil.AttributionDenied {
			continue
		}
		if a.ActorID == "" {
			*unresolved++
			continue
		}
		i := slices.IndexFunc(out, func(p participant) bool { return p.id == a.ActorID })
		if i < 0 {
			out = append(out, participant{id: a.ActorID})
			i = len(out) - 1
		}
		if !slices.Contains(out[i].roles, a.Role) {
			out[i].roles = append(out[i].roles, a.Role)
		}
		if a.Side != "" && !slices.Contains(out[i].sides, a.Side) {
			out[i].sides = append(out[i].sides, a.Side)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].id < out[j].id })
	return out
}

// opposed reports whether two actors of one event stand on opposite
// sides: a perpetrator and a target, or two parties of a clash whose sides
// differ or are not given.
func opposed(a, b participant) bool {
	has := func(p participant, r vigil.ActorRole) bool { return slices.Contains(p.roles, r) }
	if has(a, vigil.RolePerpetrator) && has(b, vigil.RoleTarget) || has(a, vigil.RoleTarget) && has(b, vigil.RolePerpetrator) {
		return true
	}
	if has(a, vigil.RoleParty) && has(b, vigil.RoleParty) {
		if len(a.sides) == 0 || len(b.sides) == 0 {
			return true
		}
		for _, s := range a.sides {
			if slices.Contains(b.sides, s) {
				return false
			}
		}
		return true
	}
	return false
}

// measure computes degree, strength, betweenness and communities.
func (g *Graph) measure() {
	if len(g.Nodes) == 0 {
		return
	}
	index := map[string]int64{}
	for i, n := range g.Nodes {
		index[n.ID] = int64(i)
	}
	wg := simple.NewWeightedUndirectedGraph(0, 0)
	ug := simple.NewUndirectedGraph()
	for i := range g.Nodes {
		wg.AddNode(simple.Node(int64(i)))
		ug.AddNode(simple.Node(int64(i)))
	}
	weights := map[[2]int64]float64{}
	for _, e := range g.Edges {
		u, v := index[e.From], index[e.To]
		if u == v {
			continue
		}
		if v < u {
			u, v = v, u
		}
		weights[[2]int64{u, v}] += e.Weight
	}
	for k, w := range weights {
		wg.SetWeightedEdge(wg.NewWeightedEdge(simple.Node(k[0]), simple.Node(k[1]), w))
		ug.SetEdge(ug.NewEdge(simple.Node(k[0]), simple.Node(k[1])))
		for _, id := range k {
			g.Nodes[id].Degree++
			g.Nodes[id].Strength += w
		}
	}
	// gonum counts each pair of an undirected graph from both ends.
	n := float64(len(g.Nodes))
	if n > 2 {
		for id, b := range gnet.Betweenness(ug) {
			g.Nodes[id].Betweenness = round(b / ((n - 1) * (n - 2)))
		}
	}
	if len(weights) == 0 {
		for i := range g.Nodes {
			g.Nodes[i].Community = i
			g.Communities = append(g.Communities, []string{g.Nodes[i].ID})
		}
		return
	}
	reduced := community.Modularize(wg, 1, rand.NewPCG(1, 2))
	comms := reduced.Communities()
	g.Modularity = round(community.Q(wg, comms, 1))
	var groups [][]string
	for _, c := range comms {
		var ids []string
		for _, nd := range c {
			ids = append(ids, g.Nodes[nd.ID()].ID)
		}
		sort.Strings(ids)
		groups = append(groups, ids)
	}
	sort.Slice(groups, func(i, j int) bool {
		if len(groups[i]) != len(groups[j]) {
			return len(groups[i]) > len(groups[j])
		}
		return groups[i][0] < groups[j][0]
	})
	for c, ids := range groups {
		for _, id := range ids {
			g.Nodes[index[id]].Community = c
		}
	}
	g.Communities = groups
}

func round(x float64) float64 { return math.Round(x*1e4) / 1e4 }

// Ensure the gonum graphs are the kinds the algorithms want.
var (
	_ graph.Undirected = (*simple.UndirectedGraph)(nil)
	_ graph.Weighted   = (*simple.WeightedUndirectedGraph)(nil)
)

// Label returns the display name of a node id: its name, else the id.
func (g *Graph) Label(id string) string {
	if n := g.Node(id); n != nil && n.Name != "" {
		return n.Name
	}
	return id
}

// Members returns a community's members as names, for display.
func (g *Graph) Members(c int) string {
	if c < 0 || c >= len(g.Communities) {
		return ""
	}
	var names []string
	for _, id := range g.Communities[c] {
		names = append(names, g.Label(id))
	}
	return strings.Join(names, ", ")
}
