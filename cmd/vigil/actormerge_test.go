package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/actors"
	"github.com/vigil-osint/vigil/ingest/stix"
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
		Names: []vigil.ActorName{{Name: "Quarry Hand"}}, Notes: "AMBER-NOTES"}); err != nil {
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
	a, err := s.FindActorByID(ctx, "silent-quarry")
	if err != nil || strings.Contains(a.Notes, "AMBER-NOTES") {
		t.Fatalf("the actor now shown to CLEAR readers carries the AMBER source's notes: %+v (%v)", a, err)
	}
	// The AMBER notes are kept, as an AMBER document.
	key := stix.NotesDocument(a, vigil.MarkedNotes{Text: "AMBER-NOTES"}, "", time.Time{}).Key
	doc, err := s.FindDocumentByKey(ctx, stix.DefaultSource, key)
	if err != nil || doc.Text != "AMBER-NOTES" || doc.Marking != vigil.TLPAmber {
		t.Errorf("the AMBER notes are kept as %+v (%v), want an AMBER document of them", doc, err)
	}
	// Loading the dictionary again changes nothing.
	if err := storeActors(ctx, s, d); err != nil {
		t.Fatal(err)
	}
	again, err := s.FindActorByID(ctx, "silent-quarry")
	if err != nil || again.Notes != a.Notes {
		t.Errorf("the dictionary loaded again made the notes %q (%v), were %q", again.Notes, err, a.Notes)
	}
}

// TestDictionaryKeepsStoredNotes: a STIX note on an actor the dictionary
// knows stays on it when the dictionary is loaded again (by any import),
// and the dictionary's own notes are on it once.
func TestDictionaryKeepsStoredNotes(t *testing.T) {
	dir := t.TempDir()
	db, bundle := filepath.Join(dir, "v.db"), filepath.Join(dir, "note.json")
	const note = "Desk assessment: recruitment in the Tajik diaspora is rising."
	if err := os.WriteFile(bundle, []byte(`{"type": "bundle", "id": "bundle--11111111-1111-4111-8111-111111111111", "objects": [
	{"type": "identity", "spec_version": "2.1", "id": "identity--22222222-2222-4222-8222-222222222222", "created": "2024-01-01T00:00:00.000Z",
	 "modified": "2024-01-01T00:00:00.000Z", "name": "Analyst Desk", "identity_class": "organization"},
	{"type": "threat-actor", "spec_version": "2.1", "id": "threat-actor--33333333-3333-4333-8333-333333333333",
	 "created_by_ref": "identity--22222222-2222-4222-8222-222222222222", "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z", "name": "ISKP"},
	{"type": "note", "spec_version": "2.1", "id": "note--44444444-4444-4444-8444-444444444444", "created_by_ref": "identity--22222222-2222-4222-8222-222222222222",
	 "created": "2024-01-02T00:00:00.000Z", "modified": "2024-01-02T00:00:00.000Z", "content": "`+note+`",
	 "object_refs": ["threat-actor--33333333-3333-4333-8333-333333333333"]}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	d, err := actors.Default()
	if err != nil {
		t.Fatal(err)
	}
	own := d.Actor("iskp").Notes
	notes := func() string {
		var out []vigil.Actor
		if err := json.Unmarshal([]byte(mustRun(t, "--db", db, "actors", "list", "--name", "ISKP", "--format", "json")), &out); err != nil || len(out) != 1 {
			t.Fatalf("actors list --name ISKP: %d actors (%v)", len(out), err)
		}
		return out[0].Notes
	}
	mustRun(t, "--db", db, "import", "stix", bundle)
	for _, step := range []string{"import stix", "import ucdp"} {
		if step == "import ucdp" {
			mustRun(t, "--db", db, "import", "ucdp", sample) // loads the shipped dictionary again
		}
		if got := notes(); strings.Count(got, note) != 1 || strings.Count(got, own) != 1 {
			t.Errorf("after %s, ISKP's notes hold the STIX note %d times and the dictionary's %d times, want once each:\n%s",
				step, strings.Count(got, note), strings.Count(got, own), got)
		}
	}
}
