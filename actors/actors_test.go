package actors_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/actors"
)

func shipped(t testing.TB) *actors.Dictionary {
	t.Helper()
	d, err := actors.Default()
	if err != nil {
		t.Fatalf("actors.Default: %v", err)
	}
	return d
}

func TestDefault(t *testing.T) {
	d := shipped(t)
	for _, id := range []string{"is", "iskp", "taliban", "ttp", "imu", "etim", "al-qaida", "gov-af", "gov-pk"} {
		if d.Actor(id) == nil {
			t.Errorf("the shipped dictionary has no actor %q", id)
		}
	}
	if got, want := d.Actor("iskp").Parent, "is"; got != want {
		t.Errorf("iskp parent: got %q, want %q", got, want)
	}
	var rule *actors.Rule
	for _, r := range d.Rules {
		if r.ID == "iskp-geography" {
			rule = r
		}
	}
	if rule == nil {
		t.Fatal("the shipped dictionary has no rule iskp-geography")
	}
	if rule.Actor != "is" || rule.AttributeTo != "iskp" || rule.Description == "" {
		t.Errorf("rule: got %s → %s (%q), want is → iskp with a description", rule.Actor, rule.AttributeTo, rule.Description)
	}
	if got, want := rule.By(), "vigil rule iskp-geography"; got != want {
		t.Errorf("By: got %q, want %q", got, want)
	}
	// The Taliban are insurgents before 15 August 2021 and the de facto
	// authority after.
	tal := d.Actor("taliban")
	for _, tt := range []struct {
		date string
		want vigil.ActorKind
	}{{"2020-01-01", vigil.ActorArmedGroup}, {"2022-01-01", vigil.ActorDeFacto}} {
		if got, _ := tal.KindAt(vigil.MustDate(tt.date)); got != tt.want {
			t.Errorf("taliban on %s: got kind %q, want %q", tt.date, got, tt.want)
		}
	}
}

func TestLoad(t *testing.T) {
	d, err := actors.Load("")
	if err != nil {
		t.Fatalf(`Load(""): %v`, err)
	}
	if d.Actor("iskp") == nil {
		t.Error(`Load("") did not give the shipped dictionary`)
	}
	path := filepath.Join(t.TempDir(), "actors.json")
	if err := os.WriteFile(path, []byte(`{"actors": [{"id": "x", "name": "X", "kind": "militia"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	d, err = actors.Load(path)
	if err != nil {
		t.Fatalf("Load(%s): %v", path, err)
	}
	if d.Actor("x") == nil || d.Actor("iskp") != nil {
		t.Errorf("Load(%s) did not give the file's dictionary", path)
	}
	if _, err := actors.Load(filepath.Join(t.TempDir(), "missing.json")); err == nil {
		t.Error("Load of a missing file: got no error")
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"hyphen", "ISIS-K", "isis k"},
		{"ACLED year range", "Military Forces of Pakistan (2018-)", "military forces of pakistan"},
		{"ACLED closed year range", "Police Forces of Afghanistan (2004-2021)", "police forces of afghanistan"},
		{"parenthesised name kept", "Islamic State of Iraq and the Levant (ISIL)", "islamic state of iraq and the levant isil"},
		{"diacritics", "Şalāḩ ad Dīn", "salah ad din"},
		{"diacritics in a name", "Baghdād", "baghdad"},
		{"apostrophe joins", "al-Qa'ida", "al qaida"},
		{"curly apostrophe joins", "Ta’izz", "taizz"},
		{"spacing and case", "  Islamic   State\tKhorasan ", "islamic state khorasan"},
		{"en dash", "Islamic State – Khorasan Province", "islamic state khorasan province"},
		{"Arabic script kept", "ولاية خراسان", "ولاية خراسان"},
		{"Cyrillic lowercased", "ИГИЛ", "игил"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := actors.Normalize(tt.in); got != tt.want {
				t.Errorf("Normalize(%q): got %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestResolve(t *testing.T) {
	d := shipped(t)
	tests := []struct {
		name    string
		in      string
		at      string
		country string
		want    []string // actor ids, best first; a prefix of the result
		best    string   // what Best gives, "" for none
	}{
		{"Government of Afghanistan before the takeover", "Government of Afghanistan", "2020-01-01", "AF", []string{"gov-af", "taliban"}, "gov-af"},
		{"Government of Afghanistan after the takeover", "Government of Afghanistan", "2022-01-01", "AF", []string{"taliban", "gov-af"}, "taliban"},
		{"Daesh in Afghanistan", "Daesh", "2022-01-01", "AF", []string{"iskp", "is"}, "iskp"},
		{"Daesh in Syria", "Daesh", "2022-01-01", "SY", []string{"is", "iskp"}, "is"},
		{"Daesh in Arabic script in Afghanistan", "داعش", "", "AF", []string{"iskp", "is"}, "iskp"},
		{"ISIS-K by any spelling", "isis k", "", "", []string{"iskp"}, "iskp"},
		{"actor id", "iskp", "", "", []string{"iskp"}, "iskp"},
		{"UCDP's IS", "IS", "2017-05-15", "AF", []string{"is"}, "is"},
		{"Wilayat Pakistan before it was named", "Wilayat Pakistan", "2018-01-01", "PK", []string{"ispp"}, ""},
		{"Wilayat Pakistan after it was named", "Wilayat Pakistan", "2020-01-01", "PK", []string{"ispp"}, "ispp"},
		{"unknown", "Army of the Twelve Monkeys", "2020-01-01", "AF", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var at vigil.Date
			if tt.at != "" {
				at = vigil.MustDate(tt.at)
			}
			ms := d.Resolve(tt.in, at, tt.country)
			var got []string
			for _, m := range ms {
				got = append(got, m.Actor.ID)
				if len(m.Reasons) == 0 {
					t.Errorf("%s: no reasons", m.Actor.ID)
				}
				for _, r := range m.Reasons {
					if strings.TrimSpace(r) == "" {
						t.Errorf("%s: empty reason in %q", m.Actor.ID, m.Reasons)
					}
				}
			}
			if len(got) < len(tt.want) || strings.Join(got[:len(tt.want)], ",") != strings.Join(tt.want, ",") {
				t.Errorf("Resolve(%q, %s, %q): got %v, want %v first", tt.in, tt.at, tt.country, got, tt.want)
			}
			if tt.want == nil && len(got) != 0 {
				t.Errorf("Resolve(%q): got %v, want nothing", tt.in, got)
			}
			for i := 1; i < len(ms); i++ {
				if ms[i].Score > ms[i-1].Score {
					t.Errorf("matches not best first: %s %.2f after %s %.2f", ms[i].Actor.ID, ms[i].Score, ms[i-1].Actor.ID, ms[i-1].Score)
				}
			}
			a, ok := d.Best(tt.in, at, tt.country)
			var gotBest string
			if ok {
				gotBest = a.ID
			}
			if gotBest != tt.best {
				t.Errorf("Best(%q, %s, %q): got %q, want %q", tt.in, tt.at, tt.country, gotBest, tt.best)
			}
		})
	}
}

// TestResolveReasons: the reasons say why a candidate ranks where it does.
func TestResolveReasons(t *testing.T) {
	d := shipped(t)
	ms := d.Resolve("Government of Afghanistan", vigil.MustDate("2022-01-01"), "AF")
	if len(ms) != 2 {
		t.Fatalf("got %d matches, want 2", len(ms))
	}
	tests := []struct {
		id   string
		want string
	}{
		{"taliban", "the name holds on 2022-01-01"},
		{"gov-af", "the name does not hold on 2022-01-01"},
	}
	for i, tt := range tests {
		if ms[i].Actor.ID != tt.id {
			t.Fatalf("match %d: got %s, want %s", i, ms[i].Actor.ID, tt.id)
		}
		if got := strings.Join(ms[i].Reasons, "; "); !strings.Contains(got, tt.want) {
			t.Errorf("%s: got reasons %q, want one saying %q", tt.id, got, tt.want)
		}
	}
}

func TestApply(t *testing.T) {
	d := shipped(t)
	type want struct {
		id, name string
		status   vigil.AttributionStatus
		by, rule string
	}
	kept := func(id, name string, status vigil.AttributionStatus, by string) want {
		return want{id, name, status, by, ""}
	}
	iskp := want{"iskp", "Islamic State Khorasan Province", vigil.AttributionAttributed, "vigil rule iskp-geography", "iskp-geography"}
	tests := []struct {
		name    string
		date    string
		country string
		actor   vigil.ReportActor
		want    want
	}{
		{"IS party in Afghanistan 2017 goes to ISKP", "2017-05-15", "AF",
			vigil.ReportActor{Name: "IS", Role: vigil.RoleParty, Attribution: vigil.AttributionAttributed, AttributedBy: "UCDP GED 23.1"}, iskp},
		{"IS perpetrator in Pakistan 2023 goes to ISKP", "2023-07-30", "PK",
			vigil.ReportActor{Name: "IS", Role: vigil.RolePerpetrator, Attribution: vigil.AttributionAttributed, AttributedBy: "UCDP GED 23.1"}, iskp},
		{"suspected IS in Tajikistan goes to ISKP", "2022-05-07", "TJ",
			vigil.ReportActor{Name: "Islamic State", Role: vigil.RolePerpetrator, Attribution: vigil.AttributionSuspected}, iskp},
		{"IS in Syria stays", "2017-05-27", "SY",
			vigil.ReportActor{Name: "IS", Role: vigil.RoleParty, Attribution: vigil.AttributionAttributed, AttributedBy: "UCDP GED 23.1"},
			kept("is", "Islamic State", vigil.AttributionAttributed, "UCDP GED 23.1")},
		{"IS in Afghanistan 2013, before the rule, stays", "2013-06-01", "AF",
			vigil.ReportActor{Name: "IS", Role: vigil.RoleParty, Attribution: vigil.AttributionAttributed, AttributedBy: "UCDP GED 23.1"},
			kept("is", "Islamic State", vigil.AttributionAttributed, "UCDP GED 23.1")},
		{"IS in Afghanistan the day before the rule stays", "2014-09-30", "AF",
			vigil.ReportActor{Name: "IS", Role: vigil.RoleParty, Attribution: vigil.AttributionAttributed},
			kept("is", "Islamic State", vigil.AttributionAttributed, "")},
		{"IS in Afghanistan on the rule's first day goes to ISKP", "2014-10-01", "AF",
			vigil.ReportActor{Name: "IS", Role: vigil.RoleParty, Attribution: vigil.AttributionAttributed}, iskp},
		{"an IS claim in Iran is not rewritten", "2024-01-03", "IR",
			vigil.ReportActor{Name: "Islamic State", Role: vigil.RolePerpetrator, Attribution: vigil.AttributionClaimed, AttributedBy: "Amaq News Agency"},
			kept("is", "Islamic State", vigil.AttributionClaimed, "Amaq News Agency")},
		{"an IS target in Afghanistan is not rewritten", "2017-05-15", "AF",
			vigil.ReportActor{Name: "IS", Role: vigil.RoleTarget, Attribution: vigil.AttributionAttributed},
			kept("is", "Islamic State", vigil.AttributionAttributed, "")},
		{"an actor already resolved is kept", "2022-01-01", "AF",
			vigil.ReportActor{ActorID: "taliban", Name: "Taliban", Role: vigil.RoleParty, Attribution: vigil.AttributionAttributed},
			kept("taliban", "Taliban", vigil.AttributionAttributed, "")},
		{"an unknown name stays as written", "2022-01-01", "AF",
			vigil.ReportActor{Name: "Unidentified gunmen", Role: vigil.RolePerpetrator, Attribution: vigil.AttributionUnknown},
			kept("", "Unidentified gunmen", vigil.AttributionUnknown, "")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := vigil.Report{DateStart: vigil.MustDate(tt.date), Place: vigil.Place{Country: tt.country}, Actors: []vigil.ReportActor{tt.actor}}
			d.Apply(&rep)
			a := rep.Actors[0]
			got := want{a.ActorID, a.Name, a.Attribution, a.AttributedBy, a.Rule}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
			if a.AsWritten != tt.actor.Name {
				t.Errorf("as written: got %q, want %q", a.AsWritten, tt.actor.Name)
			}
			if a.Role != tt.actor.Role {
				t.Errorf("role: got %q, want %q", a.Role, tt.actor.Role)
			}
		})
	}
}

func TestRead(t *testing.T) {
	const ok = `{"about": "test", "actors": [
		{"id": "is", "name": "Islamic State", "kind": "armed-group", "names": [{"name": "IS", "usage": "UCDP"}]},
		{"id": "iskp", "name": "Islamic State Khorasan Province", "kind": "armed-group", "parent": "is"}],
	 "rules": [{"id": "geo", "actor": "is", "attribute_to": "iskp", "countries": ["AF"], "valid_from": "2014-10-01"}]}`
	tests := []struct {
		name    string
		json    string
		wantErr string // substring; "" for success
	}{
		{"valid", ok, ""},
		{"unknown top-level field", `{"actors": [], "ruels": []}`, `unknown field "ruels"`},
		{"unknown actor field", `{"actors": [{"id": "x", "name": "X", "kind": "militia", "alias": "Y"}]}`, `unknown field "alias"`},
		{"unknown name field", `{"actors": [{"id": "x", "name": "X", "kind": "militia", "names": [{"name": "Y", "country": "AF"}]}]}`, `unknown field "country"`},
		{"duplicate id", `{"actors": [{"id": "x", "name": "X", "kind": "militia"}, {"id": "x", "name": "X2", "kind": "militia"}]}`, "actor x appears twice"},
		{"unknown parent", `{"actors": [{"id": "x", "name": "X", "kind": "militia", "parent": "y"}]}`, `parent "y" is not in the dictionary`},
		{"bad kind", `{"actors": [{"id": "x", "name": "X", "kind": "gang"}]}`, `kind "gang"`},
		{"no id", `{"actors": [{"name": "X", "kind": "militia"}]}`, "id required"},
		{"empty alias", `{"actors": [{"id": "x", "name": "X", "kind": "militia", "names": [{"name": ""}]}]}`, "empty name"},
		{"bad date", `{"actors": [{"id": "x", "name": "X", "kind": "militia", "names": [{"name": "Y", "valid_from": "2021-13-01"}]}]}`, "want YYYY-MM-DD"},
		{"rule for an unknown actor", `{"actors": [{"id": "x", "name": "X", "kind": "militia"}], "rules": [{"id": "r", "actor": "y", "attribute_to": "x"}]}`, `rule "r"`},
		{"rule to an unknown actor", `{"actors": [{"id": "x", "name": "X", "kind": "militia"}], "rules": [{"id": "r", "actor": "x", "attribute_to": "y"}]}`, `rule "r"`},
		{"rule without an id", `{"actors": [{"id": "x", "name": "X", "kind": "militia"}], "rules": [{"actor": "x", "attribute_to": "x"}]}`, `rule ""`},
		{"unknown rule field", `{"actors": [], "rules": [{"id": "r", "actor": "x", "attribute_to": "x", "country": "AF"}]}`, `unknown field "country"`},
		{"not JSON", `actors: []`, "invalid character"},
		{"syntax error says where", "{\"actors\": [\n  {\"id\": \"x\",,}]}", "test.json: line 2, column 14: invalid character ','"},
		{"bad date says which actor", `{"actors": [{"id": "x", "name": "X", "kind": "militia"},` + "\n" + `{"id": "y", "name": "Y", "kind": "militia", "names": [{"name": "Y", "valid_from": "2021-13-01"}]}]}`,
			`test.json: actors[1] (id "y", line 2): `},
		{"unknown rule field says which rule", `{"actors": [], "rules": [{"id": "r", "actor": "x", "attribute_to": "x", "country": "AF"}]}`, `rules[0] (id "r", line 1): json: unknown field "country"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := actors.Read(strings.NewReader(tt.json), "test.json")
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("got error %v, want none", err)
				}
				if d.Actor("iskp") == nil || len(d.Rules) != 1 {
					t.Errorf("got %d actors and %d rules, want 2 and 1", len(d.Actors), len(d.Rules))
				}
				return
			}
			if err == nil {
				t.Fatalf("got no error, want one containing %q", tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("got error %q, want it to contain %q", err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), "test.json") {
				t.Errorf("error %q does not name the file", err)
			}
		})
	}
}

// TestReadRule: a rule read from a small dictionary applies as the shipped
// one does.
func TestReadRule(t *testing.T) {
	d, err := actors.Read(strings.NewReader(`{"actors": [
		{"id": "is", "name": "Islamic State", "kind": "armed-group", "names": [{"name": "IS"}]},
		{"id": "iskp", "name": "ISKP", "kind": "armed-group", "parent": "is"}],
	 "rules": [{"id": "geo", "actor": "is", "attribute_to": "iskp", "countries": ["AF"], "valid_from": "2014-10-01", "valid_to": "2020-12-31"}]}`), "small.json")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, date, country, want string }{
		{"inside", "2017-05-15", "AF", "iskp"},
		{"after valid_to", "2021-01-01", "AF", "is"},
		{"other country", "2017-05-15", "PK", "is"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := vigil.Report{DateStart: vigil.MustDate(tt.date), Place: vigil.Place{Country: tt.country},
				Actors: []vigil.ReportActor{{Name: "IS", Role: vigil.RoleParty, Attribution: vigil.AttributionAttributed}}}
			d.Apply(&rep)
			if got := rep.Actors[0].ActorID; got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestNew(t *testing.T) {
	is := &vigil.Actor{ID: "is", Name: "Islamic State", Kind: vigil.ActorArmedGroup}
	iskp := &vigil.Actor{ID: "iskp", Name: "ISKP", Kind: vigil.ActorArmedGroup, Parent: "is"}
	if _, err := actors.New([]*vigil.Actor{is, iskp}, []*actors.Rule{{ID: "r", Actor: "is", AttributeTo: "iskp"}}); err != nil {
		t.Errorf("New: %v", err)
	}
	if _, err := actors.New([]*vigil.Actor{iskp}, nil); err == nil {
		t.Error("New with an unknown parent: got no error")
	}
}
