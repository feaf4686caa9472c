package network_test

import (
	"testing"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/network"
)

// TestBuildHidesMarkedActors: an actor above the clearance is no node, and
// a relationship that names it (even one citing no document) no edge.
func TestBuildHidesMarkedActors(t *testing.T) {
	s := store(t)
	if err := s.UpsertActor(ctx, &vigil.Actor{ID: "quarry", Name: "Silent Quarry", Kind: vigil.ActorOther, Marking: vigil.TLPAmber}); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateRelationship(ctx, &vigil.Relationship{From: "quarry", To: "hub", Type: vigil.RelCooperation}); err != nil {
		t.Fatal(err)
	}
	w := network.Window{From: vigil.MustDate("2015-01-01"), To: vigil.MustDate("2024-12-31")}
	for _, tt := range []struct {
		clearance vigil.TLP
		seen      bool
	}{{"", true}, {vigil.TLPGreen, false}, {vigil.TLPAmber, true}} {
		g, err := network.Build(ctx, s, w, network.Options{Clearance: tt.clearance})
		if err != nil {
			t.Fatal(err)
		}
		edge := false
		for _, e := range g.Edges {
			if e.From == "quarry" || e.To == "quarry" {
				edge = true
			}
		}
		if (g.Node("quarry") != nil) != tt.seen || edge != tt.seen {
			t.Errorf("clearance %q: node %v, edge %v; want both %v", tt.clearance, g.Node("quarry") != nil, edge, tt.seen)
		}
	}
}
