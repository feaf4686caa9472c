package extract

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-osint/vigil/geo"
)

// ploverSample is PLOVER's record format with texts written for the test.
const ploverSample = `{"id":"a1","text":"A suicide bomber killed five people at a market in Kabul on Sunday.","event":"ASSAULT","mode":"suicide-attack","context":"terrorism","event_text":"killed","source":[{"actorText":"bomber","code":"UNK"}],"target":null,"location":{"name":"Kabul","country_code":"AF"},"dead":6,"injured":null,"size":null,"size_raw":null,"markup":"","plover_version":"2016"}
{"id":"a2","text":"Soldiers and rebels clashed near the border; 20 rebels were killed.","event":"FIGHT","mode":null,"context":null,"event_text":"clashed","source":[],"target":null,"location":{"name":"Iraq","country_code":null},"dead":20,"injured":null,"size":null,"size_raw":null,"markup":"","plover_version":"2016"}
{"id":"a3","text":"Police beat protesters outside the ministry.","event":"ASSAULT","mode":"violence","context":null,"event_text":"beat","source":[],"target":null,"location":null,"dead":null,"injured":null,"size":null,"size_raw":null,"markup":"","plover_version":"2016"}
{"id":"a4","text":"Thousands marched through the capital to demand new elections.","event":"PROTEST","mode":"demo-org","context":null,"event_text":"marched","source":[],"target":null,"location":null,"dead":null,"injured":null,"size":1000,"size_raw":"Thousands","markup":"","plover_version":"2016"}
`

// TestLoadPlover reads PLOVER records by their fields alone and applies
// the detection rule: an ASSAULT or FIGHT with dead or injured is an
// incident, other classes tell of none, an ASSAULT with no count is left
// out of detection.
func TestLoadPlover(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.jsonl")
	if err := os.WriteFile(path, []byte(ploverSample), 0o644); err != nil {
		t.Fatal(err)
	}
	gaz, err := geo.Default()
	if err != nil {
		t.Fatal(err)
	}
	gold, err := LoadGold(context.Background(), path, nil, gaz)
	if err != nil {
		t.Fatal(err)
	}
	if len(gold) != 4 {
		t.Fatalf("%d records, want 4", len(gold))
	}
	if g := gold[0]; len(g.Incidents) != 1 || g.Incidents[0].Country != "AF" || *g.Incidents[0].Killed != 6 || g.Incidents[0].Wounded != nil || !g.Incidents[0].AllDead {
		t.Errorf("ASSAULT with dead: %+v", g)
	}
	if g := gold[1]; len(g.Incidents) != 1 || g.Incidents[0].Country != "IQ" {
		t.Errorf("FIGHT located by a country's name: %+v", g)
	}
	if g := gold[2]; len(g.Incidents) != 0 || !g.Uncounted {
		t.Errorf("ASSAULT without a count: %+v, want uncounted", g)
	}
	if g := gold[3]; len(g.Incidents) != 0 || g.Uncounted {
		t.Errorf("PROTEST: %+v, want a text of no incident", g)
	}

	x, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	res, err := x.Evaluate(context.Background(), gold)
	if err != nil {
		t.Fatal(err)
	}
	// The bomber is among PLOVER's six dead: killed and attackers killed
	// together.
	if res.TP != 2 || res.FP != 0 || res.KilledExact.Right != 2 || res.Uncounted.Of != 1 {
		t.Errorf("TP %d FP %d, killed exact %d of %d, uncounted %d; want 2, 0, 2 of 2, 1\n%s",
			res.TP, res.FP, res.KilledExact.Right, res.KilledExact.Of, res.Uncounted.Of, strings.Join(res.Misses, "\n"))
	}
	var b strings.Builder
	res.Print(&b)
	if !strings.Contains(b.String(), "attacks the gold gives no count") {
		t.Errorf("the uncounted attacks are not printed:\n%s", b.String())
	}

	// A broken record is named by file and line.
	bad := filepath.Join(t.TempDir(), "bad.jsonl")
	os.WriteFile(bad, []byte(ploverSample[:strings.Index(ploverSample, "\n")+1]+`{"id":"x","text":"","event":"ASSAULT","event_text":"","plover_version":"2016"}`+"\n"), 0o644)
	if _, err := LoadGold(context.Background(), bad, nil, gaz); err == nil || !strings.Contains(err.Error(), "bad.jsonl: line 2 (x)") {
		t.Errorf("err = %v, want the file, line and record named", err)
	}
}

// TestNamesPlace decides from the gold and the gazetteer alone whether a
// text names the incident's place.
func TestNamesPlace(t *testing.T) {
	x, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		text string
		gi   GoldIncident
		want bool
	}{
		{"Two traffic wardens were killed after being gunned down by two men.", GoldIncident{Country: "PK", Location: "Quetta, Balochistan, Pakistan"}, false},
		{"Gunmen shot dead two traffic wardens in Quetta.", GoldIncident{Country: "PK", Location: "Quetta, Balochistan, Pakistan"}, true},
		{"A bomb killed four soldiers in Nangarhar province.", GoldIncident{Country: "AF"}, true},
		{"A bomb killed four soldiers in Afghanistan.", GoldIncident{Country: "AF"}, true},
		{"A bomb killed four soldiers in Jalalabad.", GoldIncident{Country: "AF"}, true},
		{"A bomb killed four soldiers at a checkpoint.", GoldIncident{Country: "AF"}, false},
		{"A bomb killed four soldiers in Peshawar.", GoldIncident{Country: "AF"}, false}, // another country's city
		{"Militants attacked Quettas market.", GoldIncident{Country: "PK", Location: "Quetta"}, false},
	}
	for _, tt := range tests {
		if got := x.namesPlace(tt.text, tt.gi); got != tt.want {
			t.Errorf("namesPlace(%q, %s %q) = %v, want %v", tt.text, tt.gi.Country, tt.gi.Location, got, tt.want)
		}
	}
}
