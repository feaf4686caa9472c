package stix

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/actors"
)

func dict(t testing.TB) *actors.Dictionary {
	t.Helper()
	d, err := actors.Default()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func read(t testing.TB, data string) (*Reader, []*vigil.Item) {
	t.Helper()
	r, err := NewReader(strings.NewReader(data), "bundle.json", dict(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var items []*vigil.Item
	for {
		it, err := r.Next()
		if err == io.EOF {
			return r, items
		}
		if err != nil {
			t.Fatal(err)
		}
		items = append(items, it)
	}
}

func readFile(t *testing.T, name string) (*Reader, []*vigil.Item) {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return read(t, string(b))
}

func TestAPT1(t *testing.T) {
	r, items := readFile(t, "apt1.json")
	var names []string
	for _, a := range r.Actors() {
		names = append(names, a.ID)
		if err := a.Validate(); err != nil {
			t.Errorf("actor %s: %v", a.ID, err)
		}
	}
	want := []string{"apt1", "ugly-gorilla", "dota", "superhard", "communist-party-of-china", "unit-61398"}
	if !slices.Equal(names, want) {
		t.Errorf("actors %v, want %v", names, want)
	}
	apt1 := r.Actors()[0]
	if !slices.ContainsFunc(apt1.Names, func(n vigil.ActorName) bool { return n.Name == "Comment Crew" }) {
		t.Errorf("APT1's aliases lost: %+v", apt1.Names)
	}
	if k := r.Actors()[1].Kind; k != vigil.ActorState {
		t.Errorf("a nation-state threat actor has kind %q", k)
	}
	if got := len(r.Relationships()); got != 3 {
		t.Errorf("got %d actor relationships, want the 3 attributed-to", got)
	}
	for _, rel := range r.Relationships() {
		if rel.From != "apt1" || rel.Type != vigil.RelParent {
			t.Errorf("relationship %+v", rel)
		}
	}
	// Every object is kept: 4 identities as sources, 6 actors, 3
	// relationships mapped; the report and the other 62 objects as documents.
	if got := len(items); got != 1+12+10+7+6+27 {
		t.Errorf("got %d items, want 63", got)
	}
	report := items[0]
	if report.Document.Title != "APT1: Exposing One of China's Cyber Espionage Units" || report.Document.Published.Year() != 2013 {
		t.Errorf("report document %q published %v", report.Document.Title, report.Document.Published)
	}
	if report.Source == nil || report.Source.Name != DefaultSource {
		t.Errorf("first item's source %+v, want the default source", report.Source)
	}
	var sawIndicator bool
	for _, it := range items {
		if strings.HasPrefix(it.Document.Key, "stix:indicator--") {
			sawIndicator = strings.Contains(it.Document.Text, `"pattern"`)
		}
		if err := it.Document.Validate(); err != nil {
			t.Errorf("document %s: %v", it.Document.Key, err)
		}
	}
	if !sawIndicator {
		t.Error("an indicator was not kept with its JSON")
	}
	var sources []string
	for _, s := range r.Sources() {
		sources = append(sources, s.Name)
	}
	for _, n := range []string{"JackWang", "Mei Qiang", "Wang Dong", "dota", DefaultSource} {
		if !slices.Contains(sources, n) {
			t.Errorf("source %q missing from %v", n, sources)
		}
	}
}

func TestPoisonIvy(t *testing.T) {
	r, items := readFile(t, "poisonivy.json")
	if len(r.Actors()) != 0 {
		t.Errorf("got %d actors, want none", len(r.Actors()))
	}
	// 155 objects: 1 identity as a source, the report and 153 documents.
	if len(items) != 154 {
		t.Errorf("got %d items, want 154", len(items))
	}
	if it := items[0]; !strings.Contains(it.Document.Title, "Poison Ivy") || it.Source == nil || it.Source.Name != "FireEye, Inc." {
		t.Errorf("first item %q source %+v", it.Document.Title, it.Source)
	}
}

// iskpBundle is a hand-made bundle with what vigil maps: an intrusion set
// known to the dictionary by an alias, a location, a sighting, a note, an
// opinion, TLP markings of both versions and a custom property.
const iskpBundle = `{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[
{"type":"identity","spec_version":"2.1","id":"identity--f431f809-377b-45e0-aa1c-6a4751cae5ff","created":"2023-01-01T00:00:00Z","modified":"2023-01-01T00:00:00Z","name":"Example CTI","identity_class":"organization"},
{"type":"intrusion-set","spec_version":"2.1","id":"intrusion-set--4e78f46f-a023-4e5f-bc24-71b3ca22ec29","created":"2023-01-01T00:00:00Z","modified":"2023-01-01T00:00:00Z","name":"ISIS-K","aliases":["Wilayat Khorasan","IS-KP cell network"],"created_by_ref":"identity--f431f809-377b-45e0-aa1c-6a4751cae5ff"},
{"type":"location","spec_version":"2.1","id":"location--a6e9345f-5a15-4c29-8bb3-7dcc5d168d64","created":"2023-01-01T00:00:00Z","modified":"2023-01-01T00:00:00Z","latitude":34.43,"longitude":70.45,"precision":5000,"country":"af","administrative_area":"AF-NAN","city":"Jalalabad"},
{"type":"sighting","spec_version":"2.1","id":"sighting--ee20065d-2555-424f-ad9e-0f8428623c75","created":"2023-02-01T00:00:00Z","modified":"2023-02-01T00:00:00Z","first_seen":"2023-01-15T10:00:00Z","last_seen":"2023-01-16T10:00:00Z","count":2,"confidence":85,"description":"Two IED attacks on Taliban patrols.","sighting_of_ref":"intrusion-set--4e78f46f-a023-4e5f-bc24-71b3ca22ec29","where_sighted_refs":["location--a6e9345f-5a15-4c29-8bb3-7dcc5d168d64"],"created_by_ref":"identity--f431f809-377b-45e0-aa1c-6a4751cae5ff","object_marking_refs":["marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"],"x_example_score":7},
{"type":"report","spec_version":"2.1","id":"report--84e4d88f-44ea-4bcd-bbf3-b2c1c320bcb3","created":"2023-02-01T00:00:00Z","modified":"2023-02-01T00:00:00Z","name":"ISKP in Nangarhar, January 2023","published":"2023-02-01T00:00:00Z","object_refs":["sighting--ee20065d-2555-424f-ad9e-0f8428623c75"],"created_by_ref":"identity--f431f809-377b-45e0-aa1c-6a4751cae5ff","object_marking_refs":["marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"],"external_references":[{"source_name":"example","url":"https://example.org/iskp-jan-2023"}]},
{"type":"note","spec_version":"2.1","id":"note--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061","created":"2023-02-02T00:00:00Z","modified":"2023-02-02T00:00:00Z","abstract":"Toll","content":"Local officials give a higher toll.","authors":["Analyst A"],"object_refs":["sighting--ee20065d-2555-424f-ad9e-0f8428623c75"]},
{"type":"opinion","spec_version":"2.1","id":"opinion--b01efc25-77b4-4003-b18b-f6e24b5cd9f7","created":"2023-02-03T00:00:00Z","modified":"2023-02-03T00:00:00Z","opinion":"disagree","explanation":"The Taliban deny ISKP presence.","object_refs":["report--84e4d88f-44ea-4bcd-bbf3-b2c1c320bcb3"]},
{"type":"note","spec_version":"2.1","id":"note--1c7b5b88-8ff7-4a4d-aa9d-feb398cd0062","created":"2023-02-02T00:00:00Z","modified":"2023-02-02T00:00:00Z","content":"Led by a former TTP commander.","object_refs":["intrusion-set--4e78f46f-a023-4e5f-bc24-71b3ca22ec29"]},
{"type":"x-custom-thing","spec_version":"2.1","id":"x-custom-thing--2c7b5b88-8ff7-4a4d-aa9d-feb398cd0063","created":"2023-02-02T00:00:00Z","modified":"2023-02-02T00:00:00Z","name":"kept"}
]}`

func TestMapping(t *testing.T) {
	r, items := read(t, iskpBundle)
	if len(r.Actors()) != 1 || r.Actors()[0].ID != "iskp" {
		t.Fatalf("actors %+v, want the dictionary's ISKP", r.Actors())
	}
	a := r.Actors()[0]
	if !slices.ContainsFunc(a.Names, func(n vigil.ActorName) bool { return n.Name == "IS-KP cell network" && n.Source == "Example CTI" }) {
		t.Error("the bundle's new alias was not added with its source")
	}
	if len(a.Names) < 20 {
		t.Errorf("the dictionary's names were lost: %d left", len(a.Names))
	}
	if !strings.Contains(a.Notes, "former TTP commander") {
		t.Errorf("the note on the actor was lost: %q", a.Notes)
	}
	if len(items) != 2 {
		t.Fatalf("got %d items, want the report and the custom object", len(items))
	}
	doc := items[0]
	checks := []struct {
		name      string
		got, want any
	}{
		{"document key", doc.Document.Key, "stix:report--84e4d88f-44ea-4bcd-bbf3-b2c1c320bcb3"},
		{"document source", doc.Document.Source, "Example CTI"},
		{"source handed out", doc.Source != nil && doc.Source.Name == "Example CTI", true},
		{"TLP 1.0 green", doc.Document.Marking, vigil.TLPGreen},
		{"url", doc.Document.URL, "https://example.org/iskp-jan-2023"},
		{"opinion on the document", strings.Contains(doc.Document.Text, "Opinion (disagree)") && strings.Contains(doc.Document.Text, "deny ISKP"), true},
		{"reports", len(doc.Reports), 1},
		{"custom object kept", strings.Contains(items[1].Document.Text, `"name":"kept"`), true},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, c.got, c.want)
		}
	}
	rep := doc.Reports[0]
	rchecks := []struct {
		name      string
		got, want any
	}{
		{"dates", rep.DateStart.String() + "/" + rep.DateEnd.String(), "2023-01-15/2023-01-16"},
		{"country", rep.Country, "AF"},
		{"admin1", rep.Admin1, "AF-NAN"},
		{"place", rep.Name, "Jalalabad"},
		{"precision from metres", rep.Precision, vigil.LocationNear},
		{"perpetrator", rep.Actors[0].ActorID, "iskp"},
		{"as written", rep.Actors[0].AsWritten, "ISIS-K"},
		{"attributed by", rep.Actors[0].AttributedBy, "Example CTI"},
		{"confidence 85 is confirmed", rep.Credibility, vigil.CredibilityConfirmed},
		{"summary", rep.Summary, "Two IED attacks on Taliban patrols."},
		{"count", rep.Attrs["stix.count"], "2"},
		{"custom property", rep.Attrs["stix.custom"], `{"x_example_score":7}`},
		{"note", strings.Contains(rep.Attrs["stix.note--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061"], "higher toll"), true},
	}
	for _, c := range rchecks {
		if c.got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, c.got, c.want)
		}
	}
	if err := rep.Validate(); err != nil {
		t.Error(err)
	}
}

func TestReimportSameHashes(t *testing.T) {
	_, a := read(t, iskpBundle)
	_, b := read(t, iskpBundle)
	for i := range a {
		if a[i].Document.ContentHash != b[i].Document.ContentHash {
			t.Errorf("item %d: hash changed between two reads", i)
		}
	}
}

func TestConfidence(t *testing.T) {
	tests := []struct {
		name string
		in   *int
		want vigil.Credibility
	}{
		{"absent", nil, 6}, {"0", ptr(0), 5}, {"19", ptr(19), 5}, {"20", ptr(20), 4}, {"50", ptr(50), 3},
		{"79", ptr(79), 2}, {"80", ptr(80), 1}, {"100", ptr(100), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CredibilityFromConfidence(tt.in); got != tt.want {
				t.Errorf("got %d, want %d", got, tt.want)
			}
		})
	}
	for c := vigil.Credibility(1); c <= 6; c++ {
		if got := CredibilityFromConfidence(ConfidenceFromCredibility(c)); got != c {
			t.Errorf("credibility %d → confidence → %d", c, got)
		}
	}
}

func ptr(n int) *int { return &n }

func TestTLPByID(t *testing.T) {
	for tlp, id := range TLP2IDs {
		if got, ok := TLPByID(id); !ok || got != tlp {
			t.Errorf("%s: got %q", id, got)
		}
	}
	if got, _ := TLPByID("marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9"); got != vigil.TLPClear {
		t.Errorf("TLP:WHITE read as %q, want CLEAR", got)
	}
}

func TestNotABundle(t *testing.T) {
	tests := []struct{ name, data, want string }{
		{"empty", "", "not a STIX bundle: the file is empty"},
		{"not json", "<xml/>", "not a STIX bundle: byte 1: invalid character '<'"},
		{"an array", "[1, 2]", `not a STIX bundle: want a JSON object {"type": "bundle", "objects": [...]}, found an array (byte 1)`},
		{"objects not a list", `{"type":"bundle","objects":"x"}`, "not a STIX bundle: objects: found a string (byte 30)"},
		{"not a bundle", `{"type":"report"}`, `type "report"`},
		{"object without id", `{"type":"bundle","objects":[{"type":"report"}]}`, "object 1"},
		{"id of another type", `{"type":"bundle","objects":[{"type":"report","id":"note--1"}]}`, "object 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewReader(strings.NewReader(tt.data), "x.json", nil, Options{})
			if err == nil || !strings.Contains(err.Error(), tt.want) || vigil.ErrorCode(err) != vigil.EINVALID {
				t.Errorf("got %v, want EINVALID with %q", err, tt.want)
			}
		})
	}
}

func FuzzReader(f *testing.F) {
	f.Add(iskpBundle)
	f.Add(`{"type":"bundle","objects":[{"type":"sighting","id":"sighting--1","sighting_of_ref":"x","first_seen":"2020-01-01T00:00:00Z"}]}`)
	d := dict(f)
	f.Fuzz(func(t *testing.T, data string) {
		r, err := NewReader(strings.NewReader(data), "fuzz.json", d, Options{})
		if err != nil {
			return
		}
		for {
			it, err := r.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, rep := range it.Reports {
				if err := rep.Validate(); err != nil {
					t.Fatalf("accepted an invalid report: %v", err)
				}
			}
		}
		for _, a := range r.Actors() {
			if err := a.Validate(); err != nil {
				t.Fatalf("invalid actor: %v", err)
			}
		}
	})
}

// TestNotesOnSightingsOfOneReport: a note on any of one report's several
// sightings lands on that sighting's report (it was lost when a later
// sighting of the same report grew the list of reports).
func TestNotesOnSightingsOfOneReport(t *testing.T) {
	const ta = `{"type":"threat-actor","spec_version":"2.1","id":"threat-actor--0a0b0c0d-0000-4000-8000-000000000001","created":"2023-01-01T00:00:00Z","modified":"2023-01-01T00:00:00Z","name":"ISKP"}`
	sighting := func(n int) string {
		return fmt.Sprintf(`{"type":"sighting","spec_version":"2.1","id":"sighting--0a0b0c0d-0000-4000-8000-00000000001%d","created":"2023-01-0%dT00:00:00Z","modified":"2023-01-0%dT00:00:00Z","first_seen":"2023-01-0%dT00:00:00Z","sighting_of_ref":"threat-actor--0a0b0c0d-0000-4000-8000-000000000001","description":"attack %d"}`, n, n, n, n, n)
	}
	note := func(n int) string {
		return fmt.Sprintf(`{"type":"note","spec_version":"2.1","id":"note--0a0b0c0d-0000-4000-8000-00000000002%d","created":"2023-02-01T00:00:00Z","modified":"2023-02-01T00:00:00Z","content":"note on attack %d","object_refs":["sighting--0a0b0c0d-0000-4000-8000-00000000001%d"]}`, n, n, n)
	}
	for _, tc := range []struct {
		name      string
		sightings int
	}{{"two sightings", 2}, {"five sightings", 5}} {
		t.Run(tc.name, func(t *testing.T) {
			objs := []string{ta}
			var refs []string
			for n := 1; n <= tc.sightings; n++ {
				objs = append(objs, sighting(n), note(n))
				refs = append(refs, fmt.Sprintf(`"sighting--0a0b0c0d-0000-4000-8000-00000000001%d"`, n))
			}
			objs = append(objs, `{"type":"report","spec_version":"2.1","id":"report--0a0b0c0d-0000-4000-8000-000000000030","created":"2023-01-09T00:00:00Z","modified":"2023-01-09T00:00:00Z","name":"attacks","published":"2023-01-09T00:00:00Z","object_refs":[`+strings.Join(refs, ",")+`]}`)
			_, items := read(t, `{"type":"bundle","id":"bundle--0a0b0c0d-0000-4000-8000-000000000040","objects":[`+strings.Join(objs, ",")+`]}`)
			if len(items) != 1 || len(items[0].Reports) != tc.sightings {
				t.Fatalf("%d items, want one document with %d reports", len(items), tc.sightings)
			}
			for _, rep := range items[0].Reports {
				var notes []string
				for k, v := range rep.Attrs {
					if strings.HasPrefix(k, "stix.note--") {
						notes = append(notes, v)
					}
				}
				if want := "note on " + rep.Summary; len(notes) != 1 || !strings.Contains(notes[0], want) {
					t.Errorf("report %q carries notes %q, want one with %q", rep.Summary, notes, want)
				}
			}
		})
	}
}

// What a marked STIX object asserts about an actor carries its marking:
// an actor it makes (with its notes), each alias it adds, an alias marked
// by a granular marking. A note above its actor's marking stays out of the
// actor's notes and becomes a document of its own, with its marking.
func TestActorMarkings(t *testing.T) {
	r, items := readFile(t, "amber_actors.json")
	byID := map[string]*vigil.Actor{}
	for _, a := range r.Actors() {
		if err := a.Validate(); err != nil {
			t.Errorf("actor %s: %v", a.ID, err)
		}
		byID[a.ID] = a
	}
	names := func(a *vigil.Actor) map[string]vigil.TLP {
		out := map[string]vigil.TLP{}
		for _, n := range a.Names {
			out[n.Name] = n.Marking
		}
		return out
	}
	for _, tt := range []struct {
		id      string
		marking vigil.TLP
		names   map[string]vigil.TLP // of the names the bundle adds or re-marks
	}{
		// The dictionary's actor stays CLEAR and keeps "ISKP" CLEAR; the
		// AMBER intrusion set's aliases are AMBER.
		{"iskp", "", map[string]vigil.TLP{"ISKP": "", "Wilayat Khorasan Cell 7": vigil.TLPAmber, "Orchard Group": vigil.TLPAmber}},
		// Made by an AMBER object and named again by a RED one: the actor
		// keeps AMBER, "Quarrymen" (asserted by both) the more open AMBER,
		// the RED object's own alias RED.
		{"silent-quarry", vigil.TLPAmber, map[string]vigil.TLP{"SQ Network": vigil.TLPAmber, "Quarrymen": vigil.TLPAmber, "Stone Route": vigil.TLPRed}},
		// An unmarked actor with one alias under a granular AMBER marking.
		{"border-couriers", "", map[string]vigil.TLP{"The Couriers": "", "Kestrel": vigil.TLPAmber}},
	} {
		a := byID[tt.id]
		if a == nil {
			t.Errorf("no actor %s among %v", tt.id, slices.Collect(maps.Keys(byID)))
			continue
		}
		if a.Marking != tt.marking {
			t.Errorf("%s: marking %q, want %q", tt.id, a.Marking, tt.marking)
		}
		got := names(a)
		for n, m := range tt.names {
			if g, ok := got[n]; !ok || g != m {
				t.Errorf("%s: name %q marked %q (present %v), want %q", tt.id, n, g, ok, m)
			}
		}
	}
	if sq := byID["silent-quarry"]; sq == nil || !strings.Contains(sq.Notes, "facilitation network") {
		t.Errorf("the AMBER actor's description is not in its notes: %+v", sq)
	}
	if bc := byID["border-couriers"]; bc != nil && strings.Contains(bc.Notes, "informant") {
		t.Errorf("a RED note went into a CLEAR actor's notes: %q", bc.Notes)
	}
	var noteDoc *vigil.Document
	for _, it := range items {
		if strings.Contains(it.Document.Text, "informant") {
			noteDoc = &it.Document
		}
	}
	if noteDoc == nil || noteDoc.Marking != vigil.TLPRed {
		t.Errorf("the RED note is not a RED document of its own: %+v", noteDoc)
	}
	// The AMBER relationship between two open actors is asserted by an
	// AMBER document: its own object.
	if rels := r.Relationships(); len(rels) != 1 || rels[0].From != "border-couriers" || rels[0].To != "iskp" {
		t.Fatalf("relationships %+v, want the couriers' tie to ISKP", rels)
	}
	refs := r.RelationshipDocuments(0)
	var relDoc *vigil.Document
	for _, it := range items {
		if len(refs) == 1 && it.Document.Key == refs[0].Key && it.Document.Source == refs[0].Source {
			relDoc = &it.Document
		}
	}
	if relDoc == nil || relDoc.Marking != vigil.TLPAmber || !strings.Contains(relDoc.Text, "ISKP fighters") {
		t.Errorf("the AMBER relationship's documents %v: %+v, want its own AMBER document", refs, relDoc)
	}
	// A CLEAR reader sees ISKP without the AMBER aliases and not the AMBER
	// actor at all; an AMBER reader sees the AMBER aliases, not the RED one.
	if c := byID["iskp"].Cleared(vigil.TLPClear); c == nil || names(c)["Orchard Group"] != "" || slices.ContainsFunc(c.Names, func(n vigil.ActorName) bool { return n.Name == "Orchard Group" }) {
		t.Errorf("CLEAR reader's ISKP: %+v", c)
	}
	if c := byID["silent-quarry"].Cleared(vigil.TLPGreen); c != nil {
		t.Errorf("a GREEN reader sees the AMBER actor: %+v", c)
	}
	c := byID["silent-quarry"].Cleared(vigil.TLPAmber)
	if c == nil {
		t.Fatal("an AMBER reader does not see the AMBER actor")
	}
	if got := names(c); len(got) != 2 || got["SQ Network"] != vigil.TLPAmber || got["Quarrymen"] != vigil.TLPAmber {
		t.Errorf("AMBER reader's names %v, want SQ Network and Quarrymen", got)
	}
}
