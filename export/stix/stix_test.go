package stix

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/actors"
	istix "github.com/vigil-osint/vigil/ingest/stix"
	"github.com/vigil-osint/vigil/ingest/ucdp"
)

const schemaBase = "http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas/"

// schemas compiles the OASIS schema of each object type from testdata.
func schemas(t *testing.T) func(typ string) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	root := "testdata/schemas"
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".json") {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		doc, err := jsonschema.UnmarshalJSON(f)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		return c.AddResource(schemaBase+filepath.ToSlash(rel), doc)
	})
	if err != nil {
		t.Fatal(err)
	}
	cache := map[string]*jsonschema.Schema{}
	return func(typ string) *jsonschema.Schema {
		if s, ok := cache[typ]; ok {
			return s
		}
		dir := "sdos/"
		switch typ {
		case "relationship", "sighting":
			dir = "sros/"
		case "marking-definition":
			dir = "common/"
		}
		s, err := c.Compile(schemaBase + dir + typ + ".json")
		if err != nil {
			t.Fatalf("schema %s: %v", typ, err)
		}
		cache[typ] = s
		return s
	}
}

func dict(t testing.TB) *actors.Dictionary {
	t.Helper()
	d, err := actors.Default()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// ucdpEvents reads the first n in-region events of the UCDP sample as a
// store would hold them: one event per row with its report in detail.
func ucdpEvents(t *testing.T, n int) []*vigil.Event {
	t.Helper()
	f, err := os.Open("../../testdata/ucdp/ucdp_ged231_sample.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := ucdp.NewReader(f, "ged231.csv", "23.1", dict(t))
	if err != nil {
		t.Fatal(err)
	}
	var out []*vigil.Event
	var src vigil.Source
	var id int64
	for len(out) < n {
		it, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if it.Source != nil {
			src = *it.Source
		}
		id++
		rep := it.Reports[0]
		rep.ID = id
		if !slices.Contains([]string{"AF", "PK", "IR", "TJ", "RU", "SY", "IQ"}, rep.Country) {
			continue
		}
		sr := vigil.SourcedReport{Report: rep, Document: it.Document, Source: src}
		e := vigil.Fuse(rep.EventKey, []vigil.SourcedReport{sr}, nil)
		e.ID, e.Reports = id, []vigil.SourcedReport{sr}
		e.RecordedAt = time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
		out = append(out, &e)
	}
	return out
}

// contested is an event of two reports that disagree: a claim by ISKP's
// own media and a news report blaming the TTP, marked AMBER.
func contested() *vigil.Event {
	lat, lon := 34.0, 71.5
	place := vigil.Place{Name: "Peshawar", Latitude: &lat, Longitude: &lon, Precision: 2, Country: "PK", Admin1: "PK-KP", Admin1Name: "Khyber Pakhtunkhwa"}
	claim := vigil.SourcedReport{
		Report: vigil.Report{ID: 101, Key: "0", DateStart: vigil.MustDate("2023-01-30"), DateEnd: vigil.MustDate("2023-01-30"), DatePrecision: 1, Place: place,
			EventType: vigil.EventExplosions, SubEventType: "Suicide bomb", Killed: vigil.Range{Best: vigil.N(100)}, Credibility: 4,
			Actors:  []vigil.ReportActor{{ActorID: "iskp", Name: "Islamic State Khorasan Province", AsWritten: "Wilayat Khurasan", Role: vigil.RolePerpetrator, Attribution: vigil.AttributionClaimed, Channel: "Amaq"}},
			Summary: "Amaq claims a martyrdom operation in Peshawar."},
		Document: vigil.Document{Source: "Amaq", Key: "amaq-2023-01-30", Title: "Amaq statement", Published: time.Date(2023, 1, 30, 18, 0, 0, 0, time.UTC), Marking: vigil.TLPAmber, ContentHash: "h1", Language: "ar"},
		Source:   vigil.Source{Name: "Amaq", Kind: vigil.SourceGroupMedia, Reliability: vigil.ReliabilityG, SpeaksFor: "iskp"},
	}
	news := vigil.SourcedReport{
		Report: vigil.Report{ID: 102, Key: "0", DateStart: vigil.MustDate("2023-01-30"), DateEnd: vigil.MustDate("2023-01-30"), DatePrecision: 1, Place: place,
			EventType: vigil.EventExplosions, Killed: vigil.Range{Low: vigil.N(59), Best: vigil.N(84), High: vigil.N(101)}, Credibility: 2,
			Actors: []vigil.ReportActor{{ActorID: "ttp", Name: "Tehrik-i-Taliban Pakistan", Role: vigil.RolePerpetrator, Attribution: vigil.AttributionSuspected, AttributedBy: "Dawn"},
				{Name: "Unidentified worshippers", Role: vigil.RoleTarget, Attribution: vigil.AttributionAttributed}},
			Attrs: map[string]string{"dawn.section": "Pakistan"}},
		Document: vigil.Document{Source: "Dawn", Key: "https://www.dawn.com/news/1734590", Title: "Peshawar mosque blast", URL: "https://www.dawn.com/news/1734590", Text: "A suicide blast…", Marking: vigil.TLPClear, ContentHash: "h2"},
		Source:   vigil.Source{Name: "Dawn", Kind: vigil.SourceNews, Reliability: vigil.ReliabilityB},
	}
	// An official's toll that names no one: no sighting carries it.
	toll := vigil.SourcedReport{
		Report: vigil.Report{ID: 103, Key: "0", DateStart: vigil.MustDate("2023-01-30"), DateEnd: vigil.MustDate("2023-01-30"), DatePrecision: 1, Place: place,
			EventType: vigil.EventExplosions, Killed: vigil.Range{Low: vigil.N(80), Best: vigil.N(88), High: vigil.N(88)}, Wounded: vigil.Range{Best: vigil.N(150)},
			Credibility: 2, Summary: "The provincial health department counts 88 dead."},
		Document: vigil.Document{Source: "KP Health Department", Key: "kp-health-2023-01-31", Title: "Toll of the police lines mosque blast", Text: "88 dead, 150 injured.", Marking: vigil.TLPClear, ContentHash: "h3"},
		Source:   vigil.Source{Name: "KP Health Department", Kind: vigil.SourceOfficial, Reliability: vigil.ReliabilityC, SpeaksFor: "gov-pk"},
	}
	e := vigil.Fuse("", []vigil.SourcedReport{claim, news, toll}, nil)
	e.ID, e.Reports = 900, []vigil.SourcedReport{claim, news, toll}
	return &e
}

func export(t *testing.T, acts []*vigil.Actor, rels []*vigil.Relationship, evs []*vigil.Event) []byte {
	t.Helper()
	return exportAt(t, time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC), acts, rels, evs)
}

// exportAt exports as if at now, the time that stamps records without one.
func exportAt(t *testing.T, now time.Time, acts []*vigil.Actor, rels []*vigil.Relationship, evs []*vigil.Event) []byte {
	t.Helper()
	var b bytes.Buffer
	w := NewWriter(&b, Options{Name: "test", Now: now})
	for _, a := range acts {
		if err := w.WriteActor(a); err != nil {
			t.Fatal(err)
		}
	}
	for _, r := range rels {
		if err := w.WriteRelationship(r); err != nil {
			t.Fatal(err)
		}
	}
	for _, e := range evs {
		if err := w.Write(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func fixture(t *testing.T) ([]*vigil.Actor, []*vigil.Relationship, []*vigil.Event) {
	d := dict(t)
	acts := []*vigil.Actor{d.Actor("iskp"), d.Actor("is"), d.Actor("ttp"), d.Actor("taliban")}
	rels := []*vigil.Relationship{
		{From: "iskp", To: "is", Type: vigil.RelAllegiance, ValidFrom: vigil.MustDate("2015-01-26"), Credibility: 1, Description: "Baya to al-Baghdadi, accepted January 2015."},
		{From: "iskp", To: "taliban", Type: vigil.RelCombat, ValidFrom: vigil.MustDate("2015-06-01")},
		{From: "iskp", To: "ttp", Type: vigil.RelRecruitment, ValidFrom: vigil.MustDate("2014-10-01"), ValidTo: vigil.MustDate("2016-12-31"), Credibility: 2},
	}
	evs := append(ucdpEvents(t, 30), contested())
	return acts, rels, evs
}

type bundle struct {
	Type    string            `json:"type"`
	ID      string            `json:"id"`
	Objects []json.RawMessage `json:"objects"`
}

// TestObjectsValidate validates every exported object against its type's
// OASIS schema (one by one: bundle.json wrongly rejects location and note).
func TestObjectsValidate(t *testing.T) {
	acts, rels, evs := fixture(t)
	out := export(t, acts, rels, evs)
	var b bundle
	if err := json.Unmarshal(out, &b); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if b.Type != "bundle" || !strings.HasPrefix(b.ID, "bundle--") {
		t.Fatalf("bundle %q %q", b.Type, b.ID)
	}
	schema := schemas(t)
	counts := map[string]int{}
	ids := map[string]bool{}
	for _, raw := range b.Objects {
		var head struct{ Type, ID string }
		json.Unmarshal(raw, &head)
		counts[head.Type]++
		if ids[head.ID] {
			t.Errorf("id %s appears twice", head.ID)
		}
		ids[head.ID] = true
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		if err := schema(head.Type).Validate(inst); err != nil {
			t.Errorf("%s does not validate: %v\n%s", head.ID, err, raw)
		}
	}
	for _, typ := range []string{"threat-actor", "identity", "location", "report", "sighting", "relationship", "note", "marking-definition"} {
		if counts[typ] == 0 {
			t.Errorf("no %s in the bundle (%v)", typ, counts)
		}
	}
	// Every reference points into the bundle.
	for _, raw := range b.Objects {
		var o map[string]any
		json.Unmarshal(raw, &o)
		for k, v := range o {
			var refs []string
			switch {
			case strings.HasSuffix(k, "_ref"):
				refs = []string{v.(string)}
			case strings.HasSuffix(k, "_refs"):
				for _, x := range v.([]any) {
					refs = append(refs, x.(string))
				}
			}
			for _, r := range refs {
				if !ids[r] {
					t.Errorf("%s: %s %s is not in the bundle", o["id"], k, r)
				}
			}
		}
	}
}

func TestDeterministicIDs(t *testing.T) {
	acts, rels, evs := fixture(t)
	a := export(t, acts, rels, evs)
	b := export(t, acts, rels, evs)
	if !bytes.Equal(a, b) {
		t.Error("two exports of the same data differ")
	}
	if ID("threat-actor", "actor:iskp") != ID("threat-actor", "actor:iskp") || !strings.HasPrefix(ID("threat-actor", "actor:iskp"), "threat-actor--") {
		t.Error("ids are not stable")
	}
}

// TestReexportSameBytes: data read from a store, where every record
// carries the time it was recorded, exports to the same bytes whenever it
// is exported — also the threat-actors of names no dictionary resolved,
// which take the time of the first record that names them.
func TestReexportSameBytes(t *testing.T) {
	acts, rels, evs := fixture(t)
	at := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, a := range acts {
		a.RecordedAt = at
	}
	for _, r := range rels {
		r.RecordedAt = at
	}
	unresolved := 0
	for _, e := range evs {
		e.RecordedAt, e.UpdatedAt = at, at
		for i := range e.Reports {
			sr := &e.Reports[i]
			sr.Report.RecordedAt, sr.Document.RecordedAt, sr.Source.RecordedAt = at, at, at
			for _, a := range sr.Report.Actors {
				if a.ActorID == "" {
					unresolved++
				}
			}
		}
	}
	if unresolved == 0 {
		t.Fatal("the fixture names no actor that no dictionary resolved")
	}
	a := exportAt(t, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), acts, rels, evs)
	b := exportAt(t, time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), acts, rels, evs)
	if !bytes.Equal(a, b) {
		t.Errorf("two exports of the same stored data differ:\n%s", firstDifference(a, b))
	}
}

// firstDifference shows where two outputs first differ.
func firstDifference(a, b []byte) string {
	i := 0
	for i < min(len(a), len(b)) && a[i] == b[i] {
		i++
	}
	lo := max(0, i-200)
	return fmt.Sprintf("at byte %d:\n%s\n--- versus ---\n%s", i, a[lo:min(len(a), i+100)], b[lo:min(len(b), i+100)])
}

// TestRoundTrip exports to STIX and imports the bundle with vigil's STIX
// reader: the same actors, places, documents and reports come back.
func TestRoundTrip(t *testing.T) {
	acts, rels, evs := fixture(t)
	out := export(t, acts, rels, evs)
	r, err := istix.NewReader(bytes.NewReader(out), "export.json", dict(t), istix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Actors: the ones written, with their names, and no actor made of an
	// unresolved name.
	got := map[string]*vigil.Actor{}
	for _, a := range r.Actors() {
		got[a.ID] = a
	}
	for _, a := range acts {
		g := got[a.ID]
		if g == nil {
			t.Errorf("actor %s lost", a.ID)
			continue
		}
		if !reflect.DeepEqual(g.Names, a.Names) || g.Kind != a.Kind || g.Parent != a.Parent {
			t.Errorf("actor %s came back as %+v", a.ID, g)
		}
	}
	if got["unidentified-worshippers"] != nil {
		t.Error("an unresolved name became an actor")
	}
	if n := len(r.Relationships()); n != len(rels) {
		t.Errorf("got %d relationships, want %d", n, len(rels))
	}
	for i, rel := range r.Relationships() {
		want := rels[i]
		if rel.From != want.From || rel.To != want.To || rel.Type != want.Type || rel.ValidFrom != want.ValidFrom || rel.ValidTo != want.ValidTo || rel.Credibility != want.Credibility {
			t.Errorf("relationship %d: got %+v, want %+v", i, rel, want)
		}
	}
	// Reports and documents: by document key.
	type docReports struct {
		doc     vigil.Document
		reports []vigil.Report
	}
	back := map[string]*docReports{}
	for {
		it, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		back[it.Document.Source+"|"+it.Document.Key] = &docReports{it.Document, it.Reports}
	}
	nReports := 0
	for _, e := range evs {
		for _, sr := range e.Reports {
			nReports++
			d := back[sr.Document.Source+"|"+sr.Document.Key]
			if d == nil {
				t.Errorf("document %s|%s lost", sr.Document.Source, sr.Document.Key)
				continue
			}
			wd := sr.Document
			if d.doc.Title != wd.Title || d.doc.Text != wd.Text || d.doc.ContentHash != wd.ContentHash || d.doc.Marking != wd.Marking ||
				!d.doc.Published.Equal(wd.Published) || d.doc.URL != wd.URL || d.doc.Language != wd.Language {
				t.Errorf("document %s came back as %+v, want %+v", wd.Key, d.doc, wd)
			}
			want := sr.Report
			want.ID = 0
			if want.EventKey == "" {
				want.EventKey = d.reports[0].EventKey // the writer names the event
			}
			found := false
			for _, rep := range d.reports {
				if rep.Key == want.Key {
					found = true
					if !reflect.DeepEqual(rep, want) {
						t.Errorf("report %s/%s:\n got %+v\nwant %+v", wd.Key, want.Key, rep, want)
					}
				}
			}
			if !found {
				t.Errorf("report %s/%s lost", wd.Key, want.Key)
			}
		}
	}
	// The contested event's two reports name one event.
	c := evs[len(evs)-1]
	k1 := back["Amaq|amaq-2023-01-30"].reports[0].EventKey
	k2 := back["Dawn|https://www.dawn.com/news/1734590"].reports[0].EventKey
	k3 := back["KP Health Department|kp-health-2023-01-31"].reports[0].EventKey
	if k1 == "" || k1 != k2 || k1 != k3 {
		t.Errorf("the reports of event %d came back under event keys %q, %q and %q", c.ID, k1, k2, k3)
	}
	// Places: each report's place is a location of the bundle.
	places := r.Places()
	for _, e := range evs {
		found := false
		for _, p := range places {
			if reflect.DeepEqual(p, e.Reports[0].Report.Place) {
				found = true
			}
		}
		if !found {
			t.Errorf("the place of event %d is not among the locations", e.ID)
		}
	}
	if nReports < 30 {
		t.Errorf("only %d reports checked", nReports)
	}
	// Sources come back with their grades.
	for _, s := range r.Sources() {
		if s.Name == "Amaq" && (s.Kind != vigil.SourceGroupMedia || s.Reliability != vigil.ReliabilityG || s.SpeaksFor != "iskp") {
			t.Errorf("source Amaq came back as %+v", s)
		}
	}
}

func TestListEventsWithoutReports(t *testing.T) {
	e := contested()
	e.Reports = nil
	out := export(t, nil, nil, []*vigil.Event{e})
	r, err := istix.NewReader(bytes.NewReader(out), "x.json", nil, istix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	it, err := r.Next()
	if err != nil {
		t.Fatal(err)
	}
	if len(it.Reports) != 1 || it.Reports[0].Killed != e.Killed || it.Reports[0].DateStart != e.DateStart {
		t.Errorf("got %+v", it.Reports)
	}
}

// The schemas do reject what they should: the validation above is not vacuous.
func TestSchemasReject(t *testing.T) {
	schema := schemas(t)
	tests := []struct{ name, typ, obj string }{
		{"location with nothing", "location", `{"type":"location","spec_version":"2.1","id":"location--0d6c2f4e-7a51-4f0b-9a1e-5c3b8d2e6f17","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z","name":"x"}`},
		{"sighting without sighting_of_ref", "sighting", `{"type":"sighting","spec_version":"2.1","id":"sighting--0d6c2f4e-7a51-4f0b-9a1e-5c3b8d2e6f17","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z"}`},
		{"uuid v4 pattern broken", "threat-actor", `{"type":"threat-actor","spec_version":"2.1","id":"threat-actor--x","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z","name":"x"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inst, _ := jsonschema.UnmarshalJSON(strings.NewReader(tt.obj))
			if err := schema(tt.typ).Validate(inst); err == nil {
				t.Error("validated")
			}
		})
	}
}

// The documents waiting for Close are held in a temporary file that is
// unlinked at once (where the system allows) and gone after Close, so
// that neither a finished nor an abandoned export leaves one behind.
func TestHeldDocumentsLeaveNoFile(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)
	_, _, evs := fixture(t)
	var b bytes.Buffer
	w := NewWriter(&b, Options{Name: "test", Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	for _, e := range evs {
		if err := w.Write(e); err != nil {
			t.Fatal(err)
		}
	}
	if w.heads == nil || w.size == 0 {
		t.Fatal("no document held in the file")
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("%d files in TMPDIR while documents are held, want none (unlinked)", len(left))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("%d files in TMPDIR after Close", len(left))
	}
	if !bytes.Equal(b.Bytes(), exportAt(t, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), nil, nil, evs)) {
		t.Errorf("the bundle differs from the same export's")
	}
}
