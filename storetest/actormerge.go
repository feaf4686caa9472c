package storetest

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/ingest"
	"github.com/vigil-osint/vigil/ingest/stix"
)

// markedBundle is a STIX bundle of one threat actor the dictionary does
// not know, with the marking (none for CLEAR), an alias and a description.
func markedBundle(n int, name string, marking vigil.TLP, alias, desc string) string {
	refs := ""
	if marking != "" {
		refs = fmt.Sprintf(`,"object_marking_refs":[%q]`, stix.TLP2IDs[marking])
	}
	return fmt.Sprintf(`{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e5%02d","objects":[`+
		`{"type":"threat-actor","spec_version":"2.1","id":"threat-actor--000000%02d-9a6b-4d4e-8b3c-2f1e0d9c8b7a","created":"2024-01-01T00:00:00Z","modified":"2024-01-01T00:00:00Z","name":%q,"aliases":[%q],"description":%q%s}]}`,
		n, n, name, alias, desc, refs)
}

// importBundle imports a bundle as vigil import stix does: its actors
// merged with the stored ones, then its items.
func importBundle(t *testing.T, s vigil.Store, file, data string) {
	t.Helper()
	r, err := stix.NewReader(strings.NewReader(data), file, nil, stix.Options{})
	must(t, err)
	must(t, r.StoreActors(ctx, s))
	must(t, ingest.Run(ctx, s, &vigil.Batch{Format: "stix", File: file}, r, ingest.Options{}))
}

// testActorMergeAcrossImports: an actor that a CLEAR and an AMBER bundle
// name, imported in either order (and again), is stored as open as the
// CLEAR one; the AMBER alias matches only for readers cleared for it, and
// the AMBER description is a stored AMBER document, not the actor's notes.
func testActorMergeAcrossImports(t *testing.T, s vigil.Store) {
	for i, tt := range []struct {
		id, name string
		order    []vigil.TLP
	}{
		{"silent-quarry", "Silent Quarry", []vigil.TLP{vigil.TLPAmber, ""}},
		{"dust-road", "Dust Road", []vigil.TLP{"", vigil.TLPAmber}},
	} {
		for round := range 2 { // a re-import changes nothing
			for j, m := range tt.order {
				alias, desc := tt.name+" Group", "CLEAR-DESCRIPTION of "+tt.name
				if m != "" {
					alias, desc = tt.name+" Hand", "AMBER-SECRET of "+tt.name
				}
				importBundle(t, s, fmt.Sprintf("%s-%d-%d.json", tt.id, j, round), markedBundle(i*2+j, tt.name, m, alias, desc))
			}
		}
		a, err := s.FindActorByID(ctx, tt.id)
		must(t, err)
		if a.Marking != "" || strings.Count(a.Notes, "CLEAR-DESCRIPTION") != 1 || strings.Contains(a.Notes, "AMBER-SECRET") {
			t.Errorf("%s: stored %q with the notes %q, want CLEAR with the CLEAR description once", tt.id, a.Marking, a.Notes)
		}
		for _, c := range []struct {
			name      string
			clearance vigil.TLP
			want      int
		}{
			{tt.name, vigil.TLPClear, 1},
			{tt.name + " Group", vigil.TLPClear, 1},
			{tt.name + " Hand", vigil.TLPClear, 0},
			{tt.name + " Hand", vigil.TLPGreen, 0},
			{tt.name + " Hand", vigil.TLPAmber, 1},
		} {
			found, err := s.FindActors(ctx, vigil.ActorFilter{Name: c.name, Clearance: c.clearance})
			must(t, err)
			if len(found) != c.want {
				t.Errorf("%s: a %s reader finds %d actors by %q, want %d", tt.id, c.clearance, len(found), c.name, c.want)
			}
			for _, f := range found {
				if strings.Contains(f.Notes, "AMBER-SECRET") && c.clearance != vigil.TLPAmber {
					t.Errorf("%s: a %s reader sees the AMBER notes", tt.id, c.clearance)
				}
			}
		}
		// The notes stix makes of the AMBER object, and the key of their document.
		amberID := fmt.Sprintf("threat-actor--000000%02d-9a6b-4d4e-8b3c-2f1e0d9c8b7a", i*2+slices.Index(tt.order, vigil.TLPAmber))
		key := "stix:notes:" + tt.id + ":" + vigil.HashContent("AMBER-SECRET of " + tt.name + "\n\nSTIX " + amberID)[:16]
		d, err := s.FindDocumentByKey(ctx, stix.DefaultSource, key)
		if err != nil || d.Marking != vigil.TLPAmber || !strings.Contains(d.Text, "AMBER-SECRET") {
			t.Errorf("%s: the AMBER description's document %s: %+v, %v", tt.id, key, d, err)
		}
	}
}
