package http

import (
	"strings"
	"testing"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/watch"
)

// TestAlertsOfARuleOnAMarkedAlias: a rule on an AMBER alias matches the
// actor's GREEN events like a rule on its public name, but its alerts
// would tie the alias to those events, so a GREEN reader sees none of
// them, an AMBER one and the admin see them all, and the GREEN reader
// still sees the alerts of the rule on the public name.
func TestAlertsOfARuleOnAMarkedAlias(t *testing.T) {
	f := newFixture(t, nil)
	a, err := f.store.FindActorByID(ctx, "iskp")
	if err != nil {
		t.Fatal(err)
	}
	a.Names = append(a.Names, vigil.ActorName{Name: "Quarry Hand", Marking: vigil.TLPAmber})
	if err := f.store.UpsertActor(ctx, a); err != nil {
		t.Fatal(err)
	}
	for _, r := range []*vigil.WatchRule{
		{Name: "public-name", Kind: vigil.WatchNewUnit, Actor: "ISKP"},
		{Name: "marked-alias", Kind: vigil.WatchNewUnit, Actor: "Quarry Hand"},
	} {
		if err := f.store.CreateWatchRule(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := watch.Run(ctx, f.store); err != nil { // arms the rules
		t.Fatal(err)
	}
	f.upload("analyst", "testdata/green-case.json")
	raised, err := watch.Run(ctx, f.store)
	if err != nil {
		t.Fatal(err)
	}
	byRule := map[string]int{}
	for _, a := range raised {
		byRule[a.RuleName]++
	}
	if byRule["marked-alias"] == 0 || byRule["marked-alias"] != byRule["public-name"] {
		t.Fatalf("the rules raised %v: the test proves nothing", byRule)
	}
	seen := func(user string) map[string]int {
		var got []*vigil.Alert
		f.get("/api/v1/alerts", user, &got)
		out := map[string]int{}
		for _, a := range got {
			out[a.RuleName]++
		}
		return out
	}
	if got := seen("green"); got["marked-alias"] != 0 || got["public-name"] != byRule["public-name"] {
		t.Errorf("GREEN sees the alerts %v, want only the %d of public-name", got, byRule["public-name"])
	}
	if body := f.get("/api/v1/alerts", "green", nil).body; strings.Contains(body, "Quarry Hand") {
		t.Errorf("GREEN's alerts name the AMBER alias: %s", body)
	}
	for _, user := range []string{"analyst", "admin"} {
		if got := seen(user); got["marked-alias"] != byRule["marked-alias"] || got["public-name"] != byRule["public-name"] {
			t.Errorf("%s sees the alerts %v, want %v", user, got, byRule)
		}
	}
}
