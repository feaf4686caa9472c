package stix

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/ingest"
	"github.com/vigil-osint/vigil/sqlite"
)

// quarry is a threat actor the dictionary does not know, asserted by an
// object with the marking (none for CLEAR), an alias and a description.
func quarry(n int, marking vigil.TLP, alias, desc string) string {
	refs := ""
	if marking != "" {
		refs = fmt.Sprintf(`,"object_marking_refs":[%q]`, TLP2IDs[marking])
	}
	return fmt.Sprintf(`{"type":"threat-actor","spec_version":"2.1","id":"threat-actor--0000000%d-9a6b-4d4e-8b3c-2f1e0d9c8b7a","created":"2024-01-0%dT00:00:00Z","modified":"2024-01-0%dT00:00:00Z","name":"Silent Quarry","aliases":[%q],"description":%q%s}`,
		n, n, n, alias, desc, refs)
}

func bundle(objects ...string) string {
	return `{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[` + strings.Join(objects, ",") + `]}`
}

var ctx = context.Background()

var (
	clearQuarry = quarry(1, "", "Quarry Group", "CLEAR-DESCRIPTION of the quarry")
	amberQuarry = quarry(2, vigil.TLPAmber, "Quarry Hand", "AMBER-SECRET of the quarry")
)

// checkQuarry holds the merged actor to the rule: as open as its CLEAR
// assertion, the AMBER alias and description out of CLEAR readers' sight,
// and the AMBER description kept in an AMBER document among items.
func checkQuarry(t *testing.T, a *vigil.Actor, items []*vigil.Item) {
	t.Helper()
	if a == nil {
		t.Fatal("no silent-quarry actor")
	}
	c := a.Cleared(vigil.TLPClear)
	if c == nil {
		t.Fatalf("a CLEAR reader does not see the actor a CLEAR object asserts (marking %q)", a.Marking)
	}
	if !strings.Contains(c.Notes, "CLEAR-DESCRIPTION") || strings.Contains(c.Notes, "AMBER-SECRET") {
		t.Errorf("a CLEAR reader sees the notes %q", c.Notes)
	}
	var names []string
	for _, n := range c.Names {
		names = append(names, n.Name)
	}
	if !slices.Contains(names, "Quarry Group") || slices.Contains(names, "Quarry Hand") {
		t.Errorf("a CLEAR reader sees the names %v", names)
	}
	if am := a.Cleared(vigil.TLPAmber); !slices.ContainsFunc(am.Names, func(n vigil.ActorName) bool { return n.Name == "Quarry Hand" }) {
		t.Errorf("an AMBER reader does not see the AMBER alias: %v", am.Names)
	}
	kept := slices.IndexFunc(items, func(it *vigil.Item) bool { return strings.Contains(it.Document.Text, "AMBER-SECRET") })
	if kept < 0 {
		t.Fatal("the AMBER description is nowhere among the items")
	}
	if d := items[kept].Document; d.Marking != vigil.TLPAmber || d.Validate() != nil {
		t.Errorf("the AMBER description is kept in %+v (%v)", d, d.Validate())
	}
	for _, it := range items {
		if strings.Contains(it.Document.Text, "AMBER-SECRET") && it.Document.Marking != vigil.TLPAmber {
			t.Errorf("document %s, marked %q, holds the AMBER description", it.Document.Key, it.Document.Marking)
		}
	}
}

// storeActors reads a bundle and stores its actors in s, as an import
// does first, and returns the reader and the items it reads.
func storeActors(t *testing.T, s vigil.ActorService, data string) (*Reader, []*vigil.Item) {
	t.Helper()
	r, err := NewReader(strings.NewReader(data), "bundle.json", dict(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.StoreActors(ctx, s); err != nil {
		t.Fatal(err)
	}
	var items []*vigil.Item
	for {
		it, err := r.Next()
		if err != nil {
			return r, items
		}
		items = append(items, it)
	}
}

// TestActorOfMixedMarkings: two objects of one bundle, CLEAR and AMBER, in
// either order, make an actor as open as the CLEAR one.
func TestActorOfMixedMarkings(t *testing.T) {
	for name, objs := range map[string][]string{
		"CLEAR first": {clearQuarry, amberQuarry},
		"AMBER first": {amberQuarry, clearQuarry},
	} {
		t.Run(name, func(t *testing.T) {
			r, items := read(t, bundle(objs...))
			if len(r.Actors()) != 1 {
				t.Fatalf("%d actors, want 1", len(r.Actors()))
			}
			checkQuarry(t, r.Actors()[0], items)
		})
	}
	// Two AMBER objects: the actor stays AMBER, with both descriptions.
	r, _ := read(t, bundle(amberQuarry, quarry(3, vigil.TLPAmber, "Quarry Crew", "more AMBER")))
	if a := r.Actors()[0]; a.Marking != vigil.TLPAmber || !strings.Contains(a.Notes, "more AMBER") || !strings.Contains(a.Notes, "AMBER-SECRET") {
		t.Errorf("two AMBER objects make %q with notes %q", a.Marking, a.Notes)
	}
}

// TestActorMarkingsAcrossImports imports a CLEAR and an AMBER bundle
// naming one actor into a real store, in either order: the stored actor is
// as open as the CLEAR one, and the AMBER description is an AMBER document.
func TestActorMarkingsAcrossImports(t *testing.T) {
	for name, order := range map[string][]string{
		"AMBER stored, then CLEAR": {amberQuarry, clearQuarry},
		"CLEAR stored, then AMBER": {clearQuarry, amberQuarry},
	} {
		t.Run(name, func(t *testing.T) {
			s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "vigil.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			var items []*vigil.Item
			for i, obj := range append(order, order...) { // twice: a re-import changes nothing
				r, read := storeActors(t, s, bundle(obj))
				items = append(items, read...)
				r.next = 0
				if err := ingest.Run(ctx, s, &vigil.Batch{Format: "stix", File: fmt.Sprint("bundle", i)}, r, ingest.Options{}); err != nil {
					t.Fatal(err)
				}
			}
			a, err := s.FindActorByID(ctx, "silent-quarry")
			if err != nil {
				t.Fatal(err)
			}
			checkQuarry(t, a, items)
			if n := strings.Count(a.Notes, "CLEAR-DESCRIPTION"); n != 1 {
				t.Errorf("the CLEAR description is %d times in the notes %q", n, a.Notes)
			}
			found, err := s.FindActors(ctx, vigil.ActorFilter{Name: "Quarry Group", Clearance: vigil.TLPClear})
			if err != nil || len(found) != 1 {
				t.Errorf("a CLEAR reader finds %d actors by the CLEAR alias, %v", len(found), err)
			}
			if found, _ := s.FindActors(ctx, vigil.ActorFilter{Name: "Quarry Hand", Clearance: vigil.TLPClear}); len(found) != 0 {
				t.Errorf("a CLEAR reader finds the actor by its AMBER alias")
			}
			k := slices.IndexFunc(items, func(it *vigil.Item) bool { return strings.Contains(it.Document.Text, "AMBER-SECRET") })
			d, err := s.FindDocumentByKey(ctx, items[k].Document.Source, items[k].Document.Key)
			if err != nil || d.Marking != vigil.TLPAmber {
				t.Errorf("the AMBER description's document: %+v, %v", d, err)
			}
		})
	}
}

// TestKeptNotesKeepTheirSource: the AMBER description that an AMBER bundle
// asserts of an actor stored CLEAR becomes a document of the bundle
// object's creator, not of the import's default source.
func TestKeptNotesKeepTheirSource(t *testing.T) {
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "vigil.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const desk = `{"type":"identity","spec_version":"2.1","id":"identity--7c1f2a9e-3b4d-4e5f-8a6b-1c2d3e4f5a6b","created":"2024-01-01T00:00:00Z","modified":"2024-01-01T00:00:00Z","name":"Partner CERT","identity_class":"organization"}`
	byDesk := strings.Replace(amberQuarry, `"name":"Silent Quarry"`, `"created_by_ref":"identity--7c1f2a9e-3b4d-4e5f-8a6b-1c2d3e4f5a6b","name":"Silent Quarry"`, 1)
	storeActors(t, s, bundle(clearQuarry))
	_, items := storeActors(t, s, bundle(desk, byDesk))
	k := slices.IndexFunc(items, func(it *vigil.Item) bool { return strings.Contains(it.Document.Text, "AMBER-SECRET") })
	if k < 0 {
		t.Fatal("the AMBER description is nowhere among the second bundle's items")
	}
	kept := items[k]
	if kept.Document.Source != "Partner CERT" || kept.Source == nil || kept.Source.Name != "Partner CERT" || kept.Document.Published.IsZero() {
		t.Errorf("the AMBER description is kept as a document of %q (source %+v, published %v), want Partner CERT's, dated",
			kept.Document.Source, kept.Source, kept.Document.Published)
	}
	if strings.Contains(kept.Document.Text, "CLEAR-DESCRIPTION") {
		t.Errorf("the kept document repeats the open notes: %q", kept.Document.Text)
	}
}
