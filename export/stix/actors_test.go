package stix

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/vigil-osint/vigil"
	istix "github.com/vigil-osint/vigil/ingest/stix"
)

// claimsFixture is the Ahmadzai analysis and the Taliban's denial as
// documents, two relationships they assert and three composition claims,
// one denying what another asserts.
func claimsFixture() (analysis, denial Basis, rels []*vigil.Relationship, claims []*vigil.CompositionClaim) {
	analysis = Basis{
		Document: vigil.Document{Source: "The Diplomat", Key: "ahmadzai-2022", Title: "ISKP's transition", Text: "Structure: an outer layer and a core.",
			Published: time.Date(2022, 10, 1, 0, 0, 0, 0, time.UTC), Marking: vigil.TLPClear, ContentHash: "ha", URL: "https://thediplomat.com/"},
		Source: vigil.Source{Name: "The Diplomat", Kind: vigil.SourceAcademic, Reliability: vigil.ReliabilityB},
	}
	denial = Basis{
		Document: vigil.Document{Source: "Islamic Emirate spokesman", Key: "rooted-out", Title: "ISKP rooted out", Text: "No foreigners.", Marking: vigil.TLPGreen, ContentHash: "hd"},
		Source:   vigil.Source{Name: "Islamic Emirate spokesman", Kind: vigil.SourceOfficial, Reliability: vigil.ReliabilityD, SpeaksFor: "taliban"},
	}
	rels = []*vigil.Relationship{
		{From: "iskp", To: "ttp", Type: vigil.RelRecruitment, ValidFrom: vigil.MustDate("2014-10-01"), Credibility: 3, Description: "First stream: TTP commanders in Tirah."},
		{From: "taliban", To: "iskp", Type: vigil.RelSanctuary, ValidFrom: vigil.MustDate("2021-08-15"), Credibility: 4, Description: "Contested: the Taliban protect the foreign core."},
	}
	claims = []*vigil.CompositionClaim{
		{Actor: "iskp", Kind: vigil.CompositionOrigin, Layer: "stream 1", What: "TTP commanders and Pashtun tribesmen", Groups: []string{"Pakistani Pashtun"},
			FromActor: "ttp", Region: "Tirah valley", ValidFrom: vigil.MustDate("2014-06-15"), ValidTo: vigil.MustDate("2015-12-31"), Credibility: 3, Description: "First founding stream."},
		{Actor: "iskp", Kind: vigil.CompositionLayer, Layer: "core", What: "foreign militants", Groups: []string{"Central Asian", "Middle Eastern"},
			ValidFrom: vigil.MustDate("2015-01-01"), Credibility: 3},
		{Actor: "iskp", Kind: vigil.CompositionLayer, Layer: "core", What: "foreign militants", Stance: vigil.StanceDenies,
			ValidFrom: vigil.MustDate("2021-08-15"), Credibility: 4},
	}
	return
}

func exportClaims(t *testing.T) []byte {
	t.Helper()
	analysis, denial, rels, claims := claimsFixture()
	d := dict(t)
	var b bytes.Buffer
	w := NewWriter(&b, Options{Name: "claims", Now: time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)})
	for _, id := range []string{"iskp", "is", "ttp", "taliban"} {
		if err := w.WriteActor(d.Actor(id)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.WriteSourcedRelationship(rels[0], []Basis{analysis}); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteSourcedRelationship(rels[1], []Basis{analysis, denial}); err != nil {
		t.Fatal(err)
	}
	for i, c := range claims {
		basis := []Basis{analysis}
		if i == 2 {
			basis = []Basis{denial, analysis}
		}
		if err := w.WriteComposition(c, basis); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestClaimsValidate: relationships, composition notes and the documents
// behind them are valid STIX 2.1 objects, and every reference resolves.
func TestClaimsValidate(t *testing.T) {
	var b bundle
	if err := json.Unmarshal(exportClaims(t), &b); err != nil {
		t.Fatal(err)
	}
	schema := schemas(t)
	ids := map[string]bool{}
	counts := map[string]int{}
	for _, raw := range b.Objects {
		var head struct{ Type, ID string }
		json.Unmarshal(raw, &head)
		ids[head.ID] = true
		counts[head.Type]++
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		if err := schema(head.Type).Validate(inst); err != nil {
			t.Errorf("%s does not validate: %v\n%s", head.ID, err, raw)
		}
	}
	if counts["note"] != 3 || counts["relationship"] != 2 || counts["report"] != 2 || counts["identity"] != 2 {
		t.Errorf("objects %v: want 3 notes, 2 relationships, 2 reports (the documents), 2 identities (their sources)", counts)
	}
	for _, raw := range b.Objects {
		var o struct {
			ID         string   `json:"id"`
			ObjectRefs []string `json:"object_refs"`
			CreatedBy  string   `json:"created_by_ref"`
		}
		json.Unmarshal(raw, &o)
		for _, r := range append(o.ObjectRefs, o.CreatedBy) {
			if r != "" && !ids[r] {
				t.Errorf("%s refers to %s, not in the bundle", o.ID, r)
			}
		}
	}
}

// TestClaimsRoundTrip: vigil's STIX reader gives back the relationships
// with the documents that assert them, the composition claims whole, the
// documents and their graded sources.
func TestClaimsRoundTrip(t *testing.T) {
	analysis, denial, rels, claims := claimsFixture()
	r, err := istix.NewReader(bytes.NewReader(exportClaims(t)), "claims.json", dict(t), istix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ref := func(b Basis) istix.DocumentRef {
		return istix.DocumentRef{Source: b.Document.Source, Key: b.Document.Key}
	}
	gotRels := r.Relationships()
	if len(gotRels) != len(rels) {
		t.Fatalf("%d relationships back, want %d", len(gotRels), len(rels))
	}
	wantDocs := [][]istix.DocumentRef{{ref(analysis)}, {ref(analysis), ref(denial)}}
	for i, want := range rels {
		if !reflect.DeepEqual(gotRels[i], want) {
			t.Errorf("relationship %d:\n got %+v\nwant %+v", i, gotRels[i], want)
		}
		if got := r.RelationshipDocuments(i); !slices.Equal(got, wantDocs[i]) {
			t.Errorf("relationship %d documents = %v, want %v", i, got, wantDocs[i])
		}
	}
	gotClaims := r.Composition()
	if len(gotClaims) != len(claims) {
		t.Fatalf("%d claims back, want %d", len(gotClaims), len(claims))
	}
	for i, want := range claims {
		if !reflect.DeepEqual(gotClaims[i].CompositionClaim, *want) {
			t.Errorf("claim %d:\n got %+v\nwant %+v", i, gotClaims[i].CompositionClaim, *want)
		}
	}
	if got := gotClaims[2].Documents; !slices.Equal(got, []istix.DocumentRef{ref(denial), ref(analysis)}) {
		t.Errorf("the denial's documents = %v", got)
	}
	docs := map[string]vigil.Document{}
	for {
		it, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		docs[it.Document.Key] = it.Document
	}
	for _, b := range []Basis{analysis, denial} {
		d, ok := docs[b.Document.Key]
		if !ok || d.Title != b.Document.Title || d.Text != b.Document.Text || d.ContentHash != b.Document.ContentHash || d.Marking != b.Document.Marking || d.Source != b.Source.Name {
			t.Errorf("document %s came back as %+v", b.Document.Key, d)
		}
	}
	if len(docs) != 2 {
		t.Errorf("%d documents back, want the 2 (no note or relationship left over as a document): %v", len(docs), docs)
	}
	for _, s := range r.Sources() {
		if s.Name == denial.Source.Name && (s.Reliability != vigil.ReliabilityD || s.SpeaksFor != "taliban") {
			t.Errorf("source %s came back as %+v", s.Name, s)
		}
	}
}

// TestConflictingAssertionsStayApart: two assertions of one tie over one
// period, in different words and from different sources, come back as two.
func TestConflictingAssertionsStayApart(t *testing.T) {
	analysis, denial, _, _ := claimsFixture()
	a := &vigil.Relationship{From: "taliban", To: "iskp", Type: vigil.RelSanctuary, ValidFrom: vigil.MustDate("2021-08-15"), Description: "The Taliban shelter the foreign core."}
	b := &vigil.Relationship{From: "taliban", To: "iskp", Type: vigil.RelSanctuary, ValidFrom: vigil.MustDate("2021-08-15"), Description: "No foreign core exists to shelter."}
	var buf bytes.Buffer
	w := NewWriter(&buf, Options{Name: "conflict", Now: time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)})
	d := dict(t)
	w.WriteActor(d.Actor("taliban"))
	w.WriteActor(d.Actor("iskp"))
	if err := w.WriteSourcedRelationship(a, []Basis{analysis}); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteSourcedRelationship(b, []Basis{denial}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := istix.NewReader(&buf, "conflict.json", d, istix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rels := r.Relationships()
	if len(rels) != 2 || rels[0].Description == rels[1].Description {
		t.Fatalf("relationships back: %+v, want both assertions", rels)
	}
	for i := range rels {
		want := analysis.Document.Key
		if rels[i].Description == b.Description {
			want = denial.Document.Key
		}
		if docs := r.RelationshipDocuments(i); len(docs) != 1 || docs[0].Key != want {
			t.Errorf("%q asserted by %v, want %s only", rels[i].Description, docs, want)
		}
	}
}

// TestActorMarkings: an AMBER actor's threat-actor carries the AMBER
// marking; an AMBER alias of a CLEAR actor a granular marking of its own
// (and vigil's copy of the actor the same); the bundle is valid STIX and
// vigil's reader gives the markings back as they were.
func TestActorMarkings(t *testing.T) {
	iskp := *dict(t).Actor("iskp")
	iskp.Names = append(slices.Clone(iskp.Names), vigil.ActorName{Name: "Orchard Group", Usage: "STIX", Marking: vigil.TLPAmber})
	quarry := &vigil.Actor{ID: "silent-quarry", Name: "Silent Quarry", Kind: vigil.ActorOther, Marking: vigil.TLPAmber, Notes: "A facilitation network.",
		Names: []vigil.ActorName{{Name: "SQ Network", Marking: vigil.TLPAmber}, {Name: "Stone Route", Marking: vigil.TLPRed}}}
	out := export(t, []*vigil.Actor{&iskp, quarry}, nil, nil)
	var b bundle
	if err := json.Unmarshal(out, &b); err != nil {
		t.Fatal(err)
	}
	schema := schemas(t)
	objs := map[string]map[string]any{}
	for _, raw := range b.Objects {
		var o map[string]any
		json.Unmarshal(raw, &o)
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		if err := schema(o["type"].(string)).Validate(inst); err != nil {
			t.Errorf("%s does not validate: %v\n%s", o["id"], err, raw)
		}
		if n, ok := o["name"].(string); ok {
			objs[n] = o
		}
	}
	amberRef := istix.TLP2IDs[vigil.TLPAmber]
	if objs["TLP:AMBER"] == nil || objs["TLP:RED"] == nil {
		t.Errorf("the bundle lacks the AMBER and RED marking definitions")
	}
	ta := objs["Islamic State Khorasan Province"]
	if ta == nil {
		t.Fatal("no threat-actor for ISKP")
	}
	if _, ok := ta["object_marking_refs"]; ok {
		t.Errorf("the CLEAR actor is marked as a whole: %v", ta["object_marking_refs"])
	}
	aliases, _ := ta["aliases"].([]any)
	i := slices.Index(aliases, any("Orchard Group"))
	g, _ := json.Marshal(ta["granular_markings"])
	if i < 0 || !bytes.Contains(g, []byte(`"marking_ref":"`+amberRef+`","selectors":["aliases.[`+strconv.Itoa(i)+`]"]`)) ||
		!bytes.Contains(g, []byte(`"marking_ref":"`+amberRef+`","selectors":["x_vigil_actor"]`)) {
		t.Errorf("the AMBER alias (index %d) is not marked AMBER: %s", i, g)
	}
	if refs, _ := objs["Silent Quarry"]["object_marking_refs"].([]any); !slices.Equal(refs, []any{amberRef}) {
		t.Errorf("the AMBER actor's marking refs = %v, want AMBER", refs)
	}
	r, err := istix.NewReader(bytes.NewReader(out), "actors.json", dict(t), istix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	back := map[string]*vigil.Actor{}
	for _, a := range r.Actors() {
		back[a.ID] = a
	}
	for _, want := range []*vigil.Actor{&iskp, quarry} {
		got := back[want.ID]
		if got == nil || got.Marking != want.Marking || !slices.EqualFunc(got.Names, want.Names, func(x, y vigil.ActorName) bool { return x.Name == y.Name && x.Marking == y.Marking }) {
			t.Errorf("actor %s came back as %+v, want %+v", want.ID, got, want)
		}
	}
}
