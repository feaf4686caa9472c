package main

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/actors"
	"github.com/vigil-osint/vigil/sqlite"
)

// TestDictionaryOpensNoMarkedName: a dictionary that comes to know an
// actor an AMBER source made shows the actor to CLEAR readers, but not
// the names the AMBER source asserted.
func TestDictionaryOpensNoMarkedName(t *testing.T) {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "vigil.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.UpsertActor(ctx, &vigil.Actor{ID: "silent-quarry", Name: "Silent Quarry", Kind: vigil.ActorOther, Marking: vigil.TLPAmber,
		Names: []vigil.ActorName{{Name: "Quarry Hand"}}}); err != nil {
		t.Fatal(err)
	}
	d, err := actors.New([]*vigil.Actor{{ID: "silent-quarry", Name: "Silent Quarry", Kind: vigil.ActorOther,
		Names: []vigil.ActorName{{Name: "Quarry Group"}}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := storeActors(ctx, s, d); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]int{"Silent Quarry": 1, "Quarry Group": 1, "Quarry Hand": 0} {
		found, err := s.FindActors(ctx, vigil.ActorFilter{Name: name, Clearance: vigil.TLPClear})
		if err != nil || len(found) != want {
			t.Errorf("a CLEAR reader finds %d actors by %q (%v), want %d", len(found), name, err, want)
		}
	}
	if found, _ := s.FindActors(ctx, vigil.ActorFilter{Name: "Quarry Hand", Clearance: vigil.TLPAmber}); len(found) != 1 {
		t.Errorf("an AMBER reader finds %d actors by the AMBER name", len(found))
	}
}
