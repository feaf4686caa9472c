package main

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestActorsCompositionAndGraph runs the done-when of the actors issue on
// the demo: ISKP's composition over time with its sources and conflicts,
// and the network of two periods with the metrics that differ.
func TestActorsCompositionAndGraph(t *testing.T) {
	db := filepath.Join(t.TempDir(), "d.db")
	mustRun(t, "--db", db, "demo")

	type claim struct {
		ID        int64
		Kind      string
		Layer     string
		Stance    string
		FromActor string `json:"from_actor"`
		Groups    []string
		Conflicts []int64
		Documents []struct {
			Source      string
			Reliability string
		}
	}
	claims := func(args ...string) []claim {
		var out []claim
		if err := json.Unmarshal([]byte(mustRun(t, append([]string{"--db", db, "actors", "composition", "ISIS-K", "--format", "json"}, args...)...)), &out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	all := claims()
	if len(all) < 8 {
		t.Fatalf("%d composition claims, want the demo's structure claim by claim", len(all))
	}
	byLayer := map[string]bool{}
	for _, c := range all {
		if len(c.Documents) == 0 || c.Documents[0].Source == "" || c.Documents[0].Reliability == "" {
			t.Errorf("claim %d (%s) has no graded source", c.ID, c.Layer)
		}
		byLayer[c.Kind+":"+c.FromActor] = true
	}
	for _, k := range []string{"origin:ttp", "origin:imu", "origin:etim", "origin:is", "layer:", "recruitment:"} {
		if !byLayer[k] {
			t.Errorf("no %s claim", k)
		}
	}
	at2022 := claims("--at", "2022-06-01")
	var denial *claim
	recruits := false
	for i, c := range at2022 {
		if strings.HasPrefix(c.Layer, "stream") {
			t.Errorf("founding stream %q holds in 2022", c.Layer)
		}
		if c.Stance == "denies" {
			denial = &at2022[i]
		}
		if c.Kind == "recruitment" && slices.Contains(c.Groups, "Tajik") {
			recruits = true
		}
	}
	if denial == nil || len(denial.Conflicts) == 0 {
		t.Errorf("in 2022 the Taliban's denial of a foreign core is missing or conflicts with nothing: %+v", denial)
	}
	if !recruits {
		t.Error("no Tajik recruits in 2022")
	}
	if got := claims("--at", "2012-01-01"); len(got) != 0 {
		t.Errorf("%d claims hold in 2012, before ISKP", len(got))
	}
	table := mustRun(t, "--db", db, "actors", "composition", "ISKP", "--kind", "origin")
	for _, want := range []string{"stream 1: TTP commanders in Tirah", "Tehrik-i-Taliban Pakistan", "The Diplomat (Atal Ahmadzai) [B]"} {
		if !strings.Contains(table, want) {
			t.Errorf("composition table lacks %q:\n%s", want, table)
		}
	}
	mustRun(t, "--db", db, "import", "case", "../../data/demo/iskp-case.json")
	if again := claims(); len(again) != len(all) {
		t.Errorf("importing the case again: %d claims, then %d", len(all), len(again))
	}

	var cmp struct {
		Before, After struct {
			Nodes []struct {
				ID          string
				Degree      int
				Betweenness float64
			}
			Edges []struct {
				From, To, Kind, Type string
				Weight               float64
			}
		}
		Diff struct {
			Actors []struct {
				ID      string
				Status  string
				Changed []string
			}
			Edges []struct{ From, To, Kind, Type, Status string }
		}
	}
	out := mustRun(t, "--db", db, "actors", "graph", "--from", "2018-01-01", "--to", "2020-12-31", "--compare", "2021-08-15..2024-12-31", "--format", "json")
	if err := json.Unmarshal([]byte(out), &cmp); err != nil {
		t.Fatal(err)
	}
	hasEdge := func(edges []struct {
		From, To, Kind, Type string
		Weight               float64
	}, from, kind, to string) bool {
		for _, e := range edges {
			if e.From == from && e.To == to && (e.Kind == kind || e.Type == kind) {
				return true
			}
		}
		return false
	}
	if !hasEdge(cmp.Before.Edges, "gov-af", "combat", "iskp") || hasEdge(cmp.After.Edges, "gov-af", "combat", "iskp") {
		t.Error("the Republic's war on ISKP should be in 2018–2020 only")
	}
	if !hasEdge(cmp.After.Edges, "taliban", "sanctuary", "iskp") {
		t.Error("the contested sanctuary is missing after August 2021")
	}
	if !hasEdge(cmp.After.Edges, "gov-ru", "combat", "iskp") {
		t.Error("the Russian embassy attack gives no combat tie with Russia")
	}
	changed := map[string]string{}
	for _, a := range cmp.Diff.Actors {
		changed[a.ID] = a.Status
	}
	if changed["iskp"] != "changed" || changed["gov-ru"] != "added" || changed["gov-us"] != "removed" {
		t.Errorf("diff statuses iskp %q gov-ru %q gov-us %q; want changed, added, removed", changed["iskp"], changed["gov-ru"], changed["gov-us"])
	}
	table = mustRun(t, "--db", db, "actors", "graph", "--at", "2022-06-30", "--compare", "2018-01-01..2020-12-31")
	for _, want := range []string{"What differs from", "BETWEENNESS", "Communities:", "sanctuary"} {
		if !strings.Contains(table, want) {
			t.Errorf("graph table lacks %q", want)
		}
	}
	var ego struct{ Nodes []struct{ ID string } }
	if err := json.Unmarshal([]byte(mustRun(t, "--db", db, "actors", "graph", "--actor", "Daesh", "--from", "2022-01-01", "--to", "2022-12-31", "--format", "json")), &ego); err != nil {
		t.Fatal(err)
	}
	for _, n := range ego.Nodes {
		if n.ID == "al-qaida" || n.ID == "gov-ir" {
			t.Errorf("the ego network of ISKP holds %s, no neighbour of it in 2022", n.ID)
		}
	}
	dot := mustRun(t, "--db", db, "actors", "graph", "--at", "2022-06-30", "--format", "dot")
	if !strings.HasPrefix(dot, "digraph actors {") || !strings.Contains(dot, `"taliban" -> "iskp"`) {
		t.Errorf("dot output:\n%s", dot[:min(len(dot), 400)])
	}
	// STIX out and back in: a fresh store gets the same relationships
	// and composition claims, each with its documents and graded sources.
	bundle := filepath.Join(t.TempDir(), "iskp.stix.json")
	mustRun(t, "--db", db, "export", "stix", "--out", bundle)
	fresh := filepath.Join(t.TempDir(), "fresh.db")
	mustRun(t, "--db", fresh, "import", "stix", bundle)
	sourced := func(db, what string) string {
		var out []map[string]any
		if err := json.Unmarshal([]byte(mustRun(t, "--db", db, "actors", what, "ISKP", "--format", "json")), &out); err != nil {
			t.Fatal(err)
		}
		var keys []string
		for _, x := range out {
			// Ids and recording times are the store's own.
			delete(x, "id")
			delete(x, "recorded_at")
			delete(x, "document_ids")
			delete(x, "conflicts")
			for _, d := range x["documents"].([]any) {
				delete(d.(map[string]any), "id")
			}
			b, _ := json.Marshal(x)
			keys = append(keys, string(b))
		}
		slices.Sort(keys)
		return strings.Join(keys, "\n")
	}
	for _, what := range []string{"relationships", "composition"} {
		if a, b := sourced(db, what), sourced(fresh, what); a != b || a == "" {
			t.Errorf("%s after a STIX round trip differ:\n%s\n---\n%s", what, a, b)
		}
	}

	for _, bad := range [][]string{
		{"--compare", "2021"},
		{"--at", "2022-06-30", "--from", "2021-01-01"},
		{"--from", "2022-01-01", "--to", "2021-01-01"},
		{"--format", "svg"},
	} {
		if _, errOut, code := vigilRun(t, append([]string{"--db", db, "actors", "graph"}, bad...)...); code == 0 || errOut == "" {
			t.Errorf("actors graph %v: exit %d, stderr %q; want a refusal", bad, code, errOut)
		}
	}
}
