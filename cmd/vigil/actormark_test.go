package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-osint/vigil"
)

// TestSTIXActorMarkings: `vigil import stix` keeps the markings of a
// marked bundle's actors and aliases; the CLI, as the store's owner, lists
// them all; `export stix --tlp` leaves out what that level may not see and
// marks what it writes, so that the export imports with the same markings.
func TestSTIXActorMarkings(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "v.db")
	mustRun(t, "--db", db, "import", "stix", "../../ingest/stix/testdata/amber_actors.json")
	actorsIn := func(db string) map[string]*vigil.Actor {
		var as []*vigil.Actor
		if err := json.Unmarshal([]byte(mustRun(t, "--db", db, "actors", "list", "--format", "json")), &as); err != nil {
			t.Fatal(err)
		}
		out := map[string]*vigil.Actor{}
		for _, a := range as {
			out[a.ID] = a
		}
		return out
	}
	marked := func(a *vigil.Actor, name string) (vigil.TLP, bool) {
		if a == nil {
			return "", false
		}
		i := slices.IndexFunc(a.Names, func(n vigil.ActorName) bool { return n.Name == name })
		if i < 0 {
			return "", false
		}
		return a.Names[i].Marking, true
	}
	check := func(where string, as map[string]*vigil.Actor) {
		t.Helper()
		if sq := as["silent-quarry"]; sq == nil || sq.Marking != vigil.TLPAmber {
			t.Errorf("%s: the AMBER actor is %+v", where, sq)
		}
		if m, ok := marked(as["iskp"], "Orchard Group"); !ok || m != vigil.TLPAmber {
			t.Errorf("%s: ISKP's AMBER alias is marked %q (present %v)", where, m, ok)
		}
		if m, ok := marked(as["iskp"], "ISKP"); !ok || m != "" {
			t.Errorf("%s: the dictionary's ISKP is marked %q (present %v)", where, m, ok)
		}
	}
	all := actorsIn(db)
	check("imported", all)
	if _, ok := marked(all["silent-quarry"], "Stone Route"); !ok {
		t.Errorf("the owner does not see the RED alias")
	}

	for _, tc := range []struct {
		tlp       string
		want, not []string
	}{
		{"GREEN", []string{"The Couriers"}, []string{"Silent Quarry", "silent-quarry", "Orchard Group", "Kestrel", "facilitation", "Stone Route"}},
		{"AMBER", []string{"Silent Quarry", "Orchard Group", "Kestrel", "granular_markings"}, []string{"Stone Route"}},
	} {
		out := filepath.Join(dir, tc.tlp+".json")
		mustRun(t, "--db", db, "export", "stix", "--tlp", tc.tlp, "--out", out)
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range tc.want {
			if !strings.Contains(string(b), w) {
				t.Errorf("--tlp %s: the bundle lacks %q", tc.tlp, w)
			}
		}
		for _, n := range tc.not {
			if strings.Contains(string(b), n) {
				t.Errorf("--tlp %s: the bundle holds %q", tc.tlp, n)
			}
		}
	}
	fresh := filepath.Join(dir, "fresh.db")
	mustRun(t, "--db", fresh, "import", "stix", filepath.Join(dir, "AMBER.json"))
	check("exported at AMBER and imported again", actorsIn(fresh))
}
