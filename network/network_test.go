package network_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/network"
	"github.com/vigil-osint/vigil/sqlite"
)

var ctx = context.Background()

func ptr(f float64) *float64 { return &f }

func actor(id string) vigil.ReportActor {
	return vigil.ReportActor{ActorID: id, Name: id, Role: vigil.RolePerpetrator, Attribution: vigil.AttributionAttributed}
}

func with(a vigil.ReportActor, role vigil.ActorRole, side string, att vigil.AttributionStatus) vigil.ReportActor {
	a.Role, a.Side, a.Attribution = role, side, att
	return a
}

// event makes a document with one report of one event.
func event(key, date string, marking vigil.TLP, actors ...vigil.ReportActor) vigil.Item {
	return vigil.Item{
		Document: vigil.Document{Source: "Wire", Key: key, Title: key, ContentHash: key, Marking: marking},
		Reports: []vigil.Report{{Key: key, EventKey: key, DateStart: vigil.MustDate(date), DateEnd: vigil.MustDate(date), DatePrecision: vigil.DateDay,
			Place:     vigil.Place{Name: "Jalalabad", Latitude: ptr(34.43), Longitude: ptr(70.45), Precision: vigil.LocationExact, Country: "AF"},
			EventType: vigil.EventViolenceCivilians, Actors: actors, Credibility: vigil.CredibilityPossible}},
	}
}

// store opens a real SQLite store holding five actors, two relationships
// and events whose ties the tests know.
func store(t *testing.T) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "n.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.UpsertSource(ctx, &vigil.Source{Name: "Wire", Kind: vigil.SourceNews, Reliability: vigil.ReliabilityB}))
	for _, id := range []string{"hub", "b", "c", "d", "e"} {
		must(s.UpsertActor(ctx, &vigil.Actor{ID: id, Name: "Actor " + strings.ToUpper(id), Kind: vigil.ActorArmedGroup}))
	}
	// A name with a quote and a line break, for the DOT writer.
	must(s.UpsertActor(ctx, &vigil.Actor{ID: "odd", Name: "Odd \"name\"\n}", Kind: vigil.ActorOther}))
	b := &vigil.Batch{Format: "test", Status: vigil.BatchRunning}
	must(s.CreateBatch(ctx, b))
	_, err = s.Ingest(ctx, b, []vigil.Item{
		{Document: vigil.Document{Source: "Wire", Key: "analysis", Title: "analysis", ContentHash: "a", Marking: vigil.TLPClear}},
		{Document: vigil.Document{Source: "Wire", Key: "secret", Title: "secret", ContentHash: "s", Marking: vigil.TLPRed}},
		// 2020: hub attacks b twice, fights c in a clash, strikes with d.
		event("e1", "2020-03-01", vigil.TLPClear, actor("hub"), with(actor("b"), vigil.RoleTarget, "", vigil.AttributionAttributed)),
		event("e2", "2020-04-01", vigil.TLPClear, actor("hub"), with(actor("b"), vigil.RoleTarget, "", vigil.AttributionAttributed)),
		event("e3", "2020-05-01", vigil.TLPClear, with(actor("hub"), vigil.RoleParty, "side_a", vigil.AttributionAttributed),
			with(actor("c"), vigil.RoleParty, "side_b", vigil.AttributionAttributed)),
		event("e4", "2020-06-01", vigil.TLPClear, actor("hub"), actor("d"),
			vigil.ReportActor{Name: "Unknown gunmen", Role: vigil.RolePerpetrator, Attribution: vigil.AttributionUnknown}),
		// A denial takes no part; allies on one side co-occur.
		event("e5", "2020-07-01", vigil.TLPClear, actor("hub"), with(actor("e"), vigil.RolePerpetrator, "", vigil.AttributionDenied)),
		event("e6", "2020-08-01", vigil.TLPClear, with(actor("b"), vigil.RoleParty, "side_a", vigil.AttributionAttributed),
			with(actor("c"), vigil.RoleParty, "side_a", vigil.AttributionAttributed)),
		// 2022: only e and b fight; a RED event joins hub and c.
		event("e7", "2022-02-01", vigil.TLPClear, actor("e"), with(actor("b"), vigil.RoleTarget, "", vigil.AttributionAttributed)),
		event("e8", "2022-03-01", vigil.TLPRed, actor("hub"), with(actor("c"), vigil.RoleTarget, "", vigil.AttributionAttributed)),
	})
	must(err)
	analysis, err := s.FindDocumentByKey(ctx, "Wire", "analysis")
	must(err)
	secret, err := s.FindDocumentByKey(ctx, "Wire", "secret")
	must(err)
	must(s.CreateRelationship(ctx, &vigil.Relationship{From: "d", To: "e", Type: vigil.RelCooperation,
		ValidFrom: vigil.MustDate("2019-01-01"), ValidTo: vigil.MustDate("2020-12-31"), DocumentIDs: []int64{analysis.ID}, Credibility: 3}))
	must(s.CreateRelationship(ctx, &vigil.Relationship{From: "odd", To: "hub", Type: vigil.RelSanctuary,
		ValidFrom: vigil.MustDate("2022-01-01"), DocumentIDs: []int64{secret.ID}}))
	return s
}

type tie struct {
	from, to string
	kind     network.EdgeKind
	weight   float64
}

func ties(g *network.Graph) []tie {
	var out []tie
	for _, e := range g.Edges {
		out = append(out, tie{e.From, e.To, e.Kind, e.Weight})
	}
	return out
}

func TestBuild2020(t *testing.T) {
	s := store(t)
	g, err := network.Build(ctx, s, network.Window{From: vigil.MustDate("2020-01-01"), To: vigil.MustDate("2020-12-31")}, network.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []tie{
		{"d", "e", network.EdgeRelationship, 1},
		{"b", "hub", network.EdgeCombat, 2}, // perpetrator and target, twice
		{"c", "hub", network.EdgeCombat, 1}, // two sides of a clash
		{"b", "c", network.EdgeCoOccurrence, 1},
		{"d", "hub", network.EdgeCoOccurrence, 1}, // joint perpetrators
	}
	if got := ties(g); !slices.Equal(got, want) {
		t.Errorf("ties = %v\nwant   %v", got, want)
	}
	if g.Events != 6 || g.Unresolved != 1 {
		t.Errorf("events %d, unresolved %d; want 6 and 1 (the unknown gunmen)", g.Events, g.Unresolved)
	}
	// hub joins b, c and d; d bridges to e; b–c close a triangle.
	tests := []struct {
		id          string
		events      int
		degree      int
		strength    float64
		betweenness float64
	}{
		{"hub", 5, 3, 4, 0.6667}, // pairs (b,d) (c,d) (b,e) (c,e) of the 6 among the others pass through hub
		{"d", 1, 2, 2, 0.5},      // (hub,e) (b,e) (c,e)
		{"b", 3, 2, 3, 0},
		{"e", 0, 1, 1, 0}, // its denial in e5 is no part
	}
	for _, tt := range tests {
		n := g.Node(tt.id)
		if n == nil {
			t.Fatalf("no node %s", tt.id)
		}
		if n.Events != tt.events || n.Degree != tt.degree || n.Strength != tt.strength || n.Betweenness != tt.betweenness {
			t.Errorf("%s: events %d degree %d strength %g betweenness %g; want %d %d %g %g", tt.id,
				n.Events, n.Degree, n.Strength, n.Betweenness, tt.events, tt.degree, tt.strength, tt.betweenness)
		}
	}
	if g.Node("odd") != nil {
		t.Error("the 2022 sanctuary is in the 2020 graph")
	}
	total := 0
	for _, c := range g.Communities {
		total += len(c)
	}
	if total != len(g.Nodes) || len(g.Communities) == 0 {
		t.Errorf("communities %v do not partition the %d nodes", g.Communities, len(g.Nodes))
	}
	again, err := network.Build(ctx, s, g.Window, network.Options{PageSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ties(again), ties(g)) || fmt.Sprint(again.Communities) != fmt.Sprint(g.Communities) {
		t.Errorf("paged and seeded builds differ: %v %v vs %v %v", ties(again), again.Communities, ties(g), g.Communities)
	}
}

func TestBuildAtAndClearance(t *testing.T) {
	s := store(t)
	w := network.AtDay(vigil.MustDate("2022-06-30"), 365)
	if w.From != vigil.MustDate("2021-07-01") || w.To != vigil.MustDate("2022-06-30") {
		t.Fatalf("AtDay = %v", w)
	}
	g, err := network.Build(ctx, s, w, network.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []tie{{"odd", "hub", network.EdgeRelationship, 1}, {"b", "e", network.EdgeCombat, 1}, {"c", "hub", network.EdgeCombat, 1}}
	if got := ties(g); !slices.Equal(got, want) {
		t.Errorf("ties at 2022-06-30 = %v, want %v", got, want)
	}
	g, err = network.Build(ctx, s, w, network.Options{Clearance: vigil.TLPGreen})
	if err != nil {
		t.Fatal(err)
	}
	if got := ties(g); !slices.Equal(got, []tie{{"b", "e", network.EdgeCombat, 1}}) {
		t.Errorf("ties a GREEN reader sees = %v, want only the CLEAR event's (the RED document and event hidden)", got)
	}
	if _, err := network.Build(ctx, s, network.Window{From: vigil.MustDate("2022-01-01"), To: vigil.MustDate("2021-01-01")}, network.Options{}); vigil.ErrorCode(err) != vigil.EINVALID {
		t.Errorf("a window that ends before it starts: %v, want EINVALID", err)
	}
}

func TestCompare(t *testing.T) {
	s := store(t)
	a, err := network.Build(ctx, s, network.Window{From: vigil.MustDate("2020-01-01"), To: vigil.MustDate("2020-12-31")}, network.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := network.Build(ctx, s, network.Window{From: vigil.MustDate("2022-01-01"), To: vigil.MustDate("2022-12-31")}, network.Options{})
	if err != nil {
		t.Fatal(err)
	}
	d := network.Compare(a, b)
	status := map[string]network.ActorChange{}
	for _, c := range d.Actors {
		status[c.ID] = c
	}
	if status["odd"].Status != "added" || status["d"].Status != "removed" {
		t.Errorf("odd %q, d %q: want added and removed", status["odd"].Status, status["d"].Status)
	}
	hub := status["hub"]
	if hub.Status != "changed" || !slices.Contains(hub.Changed, "degree") || !slices.Contains(hub.Changed, "betweenness") || hub.Before.Events != 5 || hub.After.Events != 1 {
		t.Errorf("hub change = %+v, want its degree, betweenness and events 5 → 1", hub)
	}
	edges := map[string]string{}
	for _, e := range d.Edges {
		edges[fmt.Sprintf("%s %s %s", e.From, e.Kind, e.To)] = fmt.Sprintf("%s %g→%g", e.Status, e.Before, e.After)
	}
	for k, want := range map[string]string{
		"b combat hub":         "removed 2→0",
		"b combat e":           "added 0→1",
		"d relationship e":     "removed 1→0",
		"odd relationship hub": "added 0→1",
		"d co-occurrence hub":  "removed 1→0",
		"b co-occurrence c":    "removed 1→0",
		// The 2020 clash and the 2022 attack: one event in each window,
		// so no difference.
		"c combat hub": "",
	} {
		if got := edges[k]; got != want {
			t.Errorf("%s: %q, want %q", k, got, want)
		}
	}
	same := network.Compare(a, a)
	if len(same.Actors) != 0 || len(same.Edges) != 0 {
		t.Errorf("a graph compared with itself differs: %+v", same)
	}
}

func TestWriteDOT(t *testing.T) {
	s := store(t)
	g, err := network.Build(ctx, s, network.Window{}, network.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := network.WriteDOT(&buf, g); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.HasPrefix(out, "digraph actors {") || !strings.HasSuffix(out, "}\n") || strings.Count(out, "\n}") != 1 {
		t.Errorf("not one whole digraph:\n%s", out)
	}
	if !strings.Contains(out, `Odd \"name\"\n}`) {
		t.Errorf("the odd name is not escaped:\n%s", out)
	}
	for _, want := range []string{`"odd" -> "hub" [label="sanctuary`, `"b" -> "hub" [dir=none, style=solid`, `style=dashed`} {
		if !strings.Contains(out, want) {
			t.Errorf("DOT lacks %s:\n%s", want, out)
		}
	}
}

func TestEgo(t *testing.T) {
	s := store(t)
	g, err := network.Build(ctx, s, network.Window{From: vigil.MustDate("2020-01-01"), To: vigil.MustDate("2020-12-31")}, network.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ego := g.Ego("e")
	var ids []string
	for _, n := range ego.Nodes {
		ids = append(ids, n.ID)
	}
	if !slices.Equal(ids, []string{"d", "e"}) || len(ego.Edges) != 1 {
		t.Errorf("ego of e: nodes %v, %d edges; want d and e, joined by their relationship", ids, len(ego.Edges))
	}
	if ego.Node("d").Betweenness != g.Node("d").Betweenness || ego.Node("d").Degree != 2 {
		t.Errorf("ego metrics %+v, want the whole graph's %+v", *ego.Node("d"), *g.Node("d"))
	}
	if len(ego.Communities) != len(g.Communities) {
		t.Errorf("ego communities renumbered: %v vs %v", ego.Communities, g.Communities)
	}
}
