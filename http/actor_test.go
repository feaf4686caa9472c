package http

import (
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/ingest"
	istix "github.com/vigil-osint/vigil/ingest/stix"
	"github.com/vigil-osint/vigil/network"
)

// loadAmberActors imports ingest/stix's marked bundle as `vigil import
// stix` does: an AMBER intrusion set adds AMBER aliases to ISKP, an AMBER
// threat actor (named again by a RED one) is new, a CLEAR one has an AMBER
// alias, and an AMBER relationship ties the CLEAR one to ISKP. A
// relationship with no document ties the AMBER actor to ISKP.
func loadAmberActors(t *testing.T, f *fixture) {
	t.Helper()
	fh, err := os.Open("../ingest/stix/testdata/amber_actors.json")
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	r, err := istix.NewReader(fh, "amber_actors.json", f.dict, istix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range r.Actors() {
		if old, err := f.store.FindActorByID(ctx, a.ID); err == nil {
			for _, n := range a.Names {
				old.AddName(n)
			}
			a = old
		}
		if err := f.store.UpsertActor(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	if err := ingest.Run(ctx, f.store, &vigil.Batch{Format: "stix", File: "amber_actors.json"}, r, ingest.Options{}); err != nil {
		t.Fatal(err)
	}
	for i, rel := range r.Relationships() {
		for _, ref := range r.RelationshipDocuments(i) {
			d, err := f.store.FindDocumentByKey(ctx, ref.Source, ref.Key)
			if err != nil {
				t.Fatal(err)
			}
			rel.DocumentIDs = append(rel.DocumentIDs, d.ID)
		}
		if err := f.store.CreateRelationship(ctx, rel); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.store.CreateRelationship(ctx, &vigil.Relationship{From: "silent-quarry", To: "iskp", Type: vigil.RelCooperation}); err != nil {
		t.Fatal(err)
	}
}

// TestActorMarkings: a reader sees an actor only when their clearance
// allows its marking, and of its aliases only those it allows, in the
// list, the detail, the name filters of actors and events, the
// relationships, the graph and the STIX export.
func TestActorMarkings(t *testing.T) {
	f := newFixture(t, nil)
	loadAmberActors(t, f)
	actorsOf := func(user, query string) map[string][]string {
		var as []*vigil.Actor
		f.get("/api/v1/actors"+query, user, &as)
		out := map[string][]string{}
		for _, a := range as {
			out[a.ID] = []string{}
			for _, n := range a.Names {
				out[a.ID] = append(out[a.ID], n.Name)
			}
		}
		return out
	}
	for _, tt := range []struct {
		user       string
		seen, hide map[string][]string // actor → names seen, names hidden
		hidden     []string            // actors not listed
	}{
		{"green", map[string][]string{"iskp": {"ISKP", "IS-K"}, "border-couriers": {"The Couriers"}},
			map[string][]string{"iskp": {"Orchard Group", "Wilayat Khorasan Cell 7"}, "border-couriers": {"Kestrel"}}, []string{"silent-quarry"}},
		{"analyst", map[string][]string{"iskp": {"Orchard Group", "Wilayat Khorasan Cell 7"}, "border-couriers": {"Kestrel"}, "silent-quarry": {"SQ Network", "Quarrymen"}},
			map[string][]string{"silent-quarry": {"Stone Route"}}, nil},
		{"admin", map[string][]string{"silent-quarry": {"SQ Network", "Quarrymen", "Stone Route"}}, nil, nil},
	} {
		got := actorsOf(tt.user, "")
		for id, names := range tt.seen {
			have, ok := got[id]
			for _, n := range names {
				if !ok || !slices.Contains(have, n) {
					t.Errorf("%s: actor %s (listed %v) lacks %q: %v", tt.user, id, ok, n, have)
				}
			}
		}
		for id, names := range tt.hide {
			for _, n := range names {
				if slices.Contains(got[id], n) {
					t.Errorf("%s sees %s's alias %q", tt.user, id, n)
				}
			}
		}
		for _, id := range tt.hidden {
			if _, ok := got[id]; ok {
				t.Errorf("%s sees the actor %s", tt.user, id)
			}
		}
	}

	// The detail: 404 for an actor above the reader, as for none at all.
	for _, tt := range []struct {
		user, id string
		status   int
	}{
		{"green", "silent-quarry", 404},
		{"green", "no-such-actor", 404},
		{"analyst", "silent-quarry", 200},
		{"green", "iskp", 200},
	} {
		if res := f.do("GET", "/api/v1/actors/"+tt.id, tt.user, nil); res.status != tt.status ||
			(tt.user == "green" && (strings.Contains(res.body, "Quarry") || strings.Contains(res.body, "Orchard"))) {
			t.Errorf("GET actor %s as %s: %d %s, want %d", tt.id, tt.user, res.status, res.body, tt.status)
		}
	}
	var sq vigil.Actor
	f.get("/api/v1/actors/silent-quarry", "analyst", &sq)
	if !strings.Contains(sq.Notes, "facilitation network") || sq.Marking != vigil.TLPAmber || slices.ContainsFunc(sq.Names, func(n vigil.ActorName) bool { return n.Name == "Stone Route" }) {
		t.Errorf("the AMBER reader's Silent Quarry: %+v", sq)
	}

	// The name filters match only through names the reader may see.
	for _, tt := range []struct {
		user, name string
		want       []string
	}{
		{"green", "Orchard Group", nil},
		{"analyst", "Orchard Group", []string{"iskp"}},
		{"green", "SQ Network", nil},
		{"green", "Silent Quarry", nil},
		{"analyst", "Stone Route", nil},
		{"admin", "Stone Route", []string{"silent-quarry"}},
		{"green", "IS-K", []string{"iskp"}},
	} {
		var ids []string
		for id := range actorsOf(tt.user, "?name="+url.QueryEscape(tt.name)) {
			ids = append(ids, id)
		}
		if !slices.Equal(ids, tt.want) {
			t.Errorf("actors named %q as %s: %v, want %v", tt.name, tt.user, ids, tt.want)
		}
	}
	events := func(user, actor string) int {
		var page listResponse[*vigil.Event]
		f.get("/api/v1/events?limit=5&actor="+url.QueryEscape(actor), user, &page)
		return len(page.Items)
	}
	if n := events("green", "ISKP"); n == 0 {
		t.Fatal("green finds no ISKP events: the fixture changed")
	}
	if n := events("green", "Orchard Group"); n != 0 {
		t.Errorf("a GREEN reader finds %d events by ISKP's AMBER alias", n)
	}
	if n := events("analyst", "Orchard Group"); n == 0 {
		t.Errorf("an AMBER reader finds no events by ISKP's AMBER alias")
	}

	// Relationships and the graph leave out the actor above the reader.
	relsOf := func(user string) (out []string) {
		var rels []*vigil.Relationship
		f.get("/api/v1/relationships", user, &rels)
		for _, r := range rels {
			out = append(out, r.From)
		}
		return out
	}
	if slices.Contains(relsOf("green"), "silent-quarry") || !slices.Contains(relsOf("analyst"), "silent-quarry") {
		t.Errorf("relationships from the AMBER actor: green %v, analyst %v", relsOf("green"), relsOf("analyst"))
	}
	// The AMBER bundle's tie between two open actors is AMBER too.
	if slices.Contains(relsOf("green"), "border-couriers") || !slices.Contains(relsOf("analyst"), "border-couriers") {
		t.Errorf("the AMBER relationship: green %v, analyst %v", relsOf("green"), relsOf("analyst"))
	}
	for _, tt := range []struct {
		user string
		seen bool
	}{{"green", false}, {"analyst", true}} {
		var g network.Graph
		f.get("/api/v1/actors/graph?from=2015-01-01&to=2024-12-31", tt.user, &g)
		if (g.Node("silent-quarry") != nil) != tt.seen {
			t.Errorf("%s's graph has the AMBER actor: %v, want %v", tt.user, g.Node("silent-quarry") != nil, tt.seen)
		}
	}
	if res := f.do("GET", "/api/v1/actors/graph?actor=Orchard+Group", "green", nil); res.status != 404 {
		t.Errorf("green's ego graph by an AMBER alias: %d %s, want 404", res.status, res.body)
	}

	// The STIX export writes what the reader may see, marked (of the
	// events, those of Antarctica: none).
	green := f.do("GET", "/api/v1/export/stix?country=AQ", "green", nil)
	amber := f.do("GET", "/api/v1/export/stix?country=AQ", "analyst", nil)
	if green.status != 200 || amber.status != 200 {
		t.Fatalf("STIX export: %d, %d: %s %s", green.status, amber.status, green.body, amber.body)
	}
	for _, s := range []string{"Silent Quarry", "silent-quarry", "Orchard Group", "Kestrel", "facilitation"} {
		if strings.Contains(green.body, s) {
			t.Errorf("the GREEN reader's STIX export holds %q", s)
		}
	}
	for _, s := range []string{"Silent Quarry", "Orchard Group", "Kestrel", "granular_markings", istix.TLP2IDs[vigil.TLPAmber]} {
		if !strings.Contains(amber.body, s) {
			t.Errorf("the AMBER reader's STIX export lacks %q", s)
		}
	}
	if strings.Contains(amber.body, "Stone Route") {
		t.Errorf("the AMBER reader's STIX export holds the RED alias")
	}
}
