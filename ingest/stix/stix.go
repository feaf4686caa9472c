// Package stix reads STIX 2.1 bundles into vigil: threat actors and
// intrusion sets become actors (with their aliases), identities sources,
// reports documents, sightings of an actor reports (where a location says
// where), relationships between actors relationships, and locations the
// places of those reports. Notes and opinions are kept on what they
// annotate, TLP marking definitions (1.0 and 2.0) become handling markings
// (of documents, and of the actors and aliases marked objects assert, see
// vigil.Actor), and confidence maps onto the Admiralty credibility scale (see
// CredibilityFromConfidence).
//
// Nothing is dropped: an object of a type vigil has no place for (an
// indicator, a malware, a relationship to one) becomes a document of its
// own whose text is the object's JSON, and custom properties ("x_…") are
// kept as report attributes, in the actor's notes or in the document text.
// The properties vigil's own STIX writer adds (x_vigil_report, x_vigil_actor,
// x_vigil_key, a document's x_vigil_reports for the reports that name no
// actor, …) restore what STIX cannot say, so that a vigil export imports as
// the same actors, places and reports.
//
// A bundle is read whole, since objects may refer to objects that come
// later; the items are then handed out one at a time.
package stix

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/actors"
)

// DefaultSource is the source of objects that name no creator.
const DefaultSource = "STIX import"

// Options tune a reader.
type Options struct {
	// Source names the source of objects without created_by_ref;
	// DefaultSource when empty.
	Source string
	// Marking is the TLP of objects without a marking; CLEAR when empty.
	Marking vigil.TLP
}

// object is one STIX object, kept raw and decoded.
type object struct {
	raw  json.RawMessage
	m    map[string]any
	typ  string
	id   string
	used bool // mapped onto a vigil record
}

func (o *object) str(k string) string {
	s, _ := o.m[k].(string)
	return s
}

func (o *object) strs(k string) []string {
	list, _ := o.m[k].([]any)
	var out []string
	for _, v := range list {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func (o *object) num(k string) (float64, bool) {
	f, ok := o.m[k].(float64)
	return f, ok
}

func (o *object) confidence() *int {
	if f, ok := o.num("confidence"); ok && f >= 0 && f <= 100 {
		n := int(f)
		return &n
	}
	return nil
}

func (o *object) time(k string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, o.str(k))
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}

// custom returns the object's custom properties but vigil's own, as JSON,
// or "" when it has none.
func (o *object) custom() string {
	c := map[string]any{}
	for k, v := range o.m {
		if strings.HasPrefix(k, "x_") && !strings.HasPrefix(k, "x_vigil_") || k == "extensions" {
			c[k] = v
		}
	}
	if len(c) == 0 {
		return ""
	}
	b, _ := json.Marshal(c)
	return string(b)
}

// canonical returns the object's JSON with sorted keys.
func (o *object) canonical() string {
	b, _ := json.Marshal(o.m)
	return string(b)
}

// Reader hands out the items of a STIX bundle and, through Actors,
// Relationships and Sources, the records that are not items.
type Reader struct {
	file    string
	opt     Options
	dict    *actors.Dictionary
	objects []*object
	byID    map[string]*object

	actors   []*vigil.Actor
	actorIDs map[string]string // STIX id → vigil actor id
	// actorObjs is the first object of each actor (by vigil id), and
	// noteItems the documents of notes too restricted for their actor.
	actorObjs map[string]*object
	noteItems []*vigil.Item
	sources   map[string]*vigil.Source
	rels      []*vigil.Relationship
	relDocs   [][]DocumentRef // by index of rels
	relIndex  map[string]int  // STIX id → index of rels
	comps     []Composition
	places    map[string]vigil.Place
	items     []*vigil.Item
	next      int
}

// NewReader reads a STIX 2.1 bundle. file names it in errors; dict (may be
// nil) resolves actor names to the actors vigil knows.
func NewReader(r io.Reader, file string, dict *actors.Dictionary, opt Options) (*Reader, error) {
	if opt.Source == "" {
		opt.Source = DefaultSource
	}
	if opt.Marking == "" {
		opt.Marking = vigil.TLPClear
	}
	var bundle struct {
		Type    string            `json:"type"`
		ID      string            `json:"id"`
		Objects []json.RawMessage `json:"objects"`
	}
	dec := json.NewDecoder(r)
	if err := dec.Decode(&bundle); err != nil {
		return nil, vigil.Errorf(vigil.EINVALID, "%s: not a STIX bundle: %s", file, decodeError(err))
	}
	if bundle.Type != "bundle" {
		return nil, vigil.Errorf(vigil.EINVALID, "%s: not a STIX bundle: type %q", file, bundle.Type)
	}
	rd := &Reader{file: file, opt: opt, dict: dict, byID: map[string]*object{}, actorIDs: map[string]string{}, actorObjs: map[string]*object{},
		sources: map[string]*vigil.Source{}, places: map[string]vigil.Place{}, relIndex: map[string]int{}}
	for i, raw := range bundle.Objects {
		o := &object{raw: raw}
		if err := json.Unmarshal(raw, &o.m); err != nil || o.m == nil {
			return nil, vigil.Errorf(vigil.EINVALID, "%s: object %d: not a JSON object", file, i+1)
		}
		o.typ, o.id = o.str("type"), o.str("id")
		if o.typ == "" || !strings.HasPrefix(o.id, o.typ+"--") {
			return nil, vigil.Errorf(vigil.EINVALID, "%s: object %d: want a type and an id of that type, got %q and %q", file, i+1, o.typ, o.id)
		}
		if prev, dup := rd.byID[o.id]; dup {
			// Several versions of one object: keep the latest.
			if !o.time("modified").After(prev.time("modified")) {
				continue
			}
			*prev = *o
			continue
		}
		rd.byID[o.id] = o
		rd.objects = append(rd.objects, o)
	}
	rd.build()
	return rd, nil
}

// Actors returns the actors the bundle defines: threat actors and
// intrusion sets, resolved to the dictionary's actor (with the bundle's
// aliases added) where a name matches, else new. Store them before the
// items, whose reports refer to them.
func (r *Reader) Actors() []*vigil.Actor { return r.actors }

// Relationships returns the relationships between actors.
func (r *Reader) Relationships() []*vigil.Relationship { return r.rels }

// Sources returns the sources (identities, and the default source), by name.
func (r *Reader) Sources() []*vigil.Source {
	out := make([]*vigil.Source, 0, len(r.sources))
	for _, s := range r.sources {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Places returns the places of the bundle's locations, by STIX id.
func (r *Reader) Places() map[string]vigil.Place { return r.places }

// Next returns the next item, or io.EOF.
func (r *Reader) Next() (*vigil.Item, error) {
	if r.next >= len(r.items) {
		return nil, io.EOF
	}
	it := r.items[r.next]
	r.next++
	return it, nil
}

// build maps the objects, in an order that lets each refer to the last.
func (r *Reader) build() {
	for _, o := range r.objects {
		if o.typ == "identity" {
			r.identity(o)
		}
	}
	for _, o := range r.objects {
		switch o.typ {
		case "threat-actor", "intrusion-set":
			r.actor(o)
		case "location":
			r.place(o)
		case "marking-definition":
			if _, ok := r.tlpOf(o.id); ok {
				o.used = true
			}
		}
	}
	for _, o := range r.objects {
		if o.typ == "relationship" {
			r.relationship(o)
		}
	}
	docs := map[string]*vigil.Item{} // by STIX report id
	for _, o := range r.objects {
		if o.typ == "report" {
			docs[o.id] = r.document(o)
		}
	}
	r.relationshipDocuments(docs)
	// A marked relationship is asserted by a marked object: the object
	// becomes a document of its own (its JSON, with its marking) among the
	// relationship's documents, so that a reader who may not see it does
	// not see the relationship either (every document must be allowed).
	for _, o := range r.objects {
		i, ok := r.relIndex[o.id]
		if !ok || r.marking(o).Rank() <= 0 {
			continue
		}
		it := r.ownDocument(o, "")
		docs[o.id] = it
		r.relDocs[i] = append(r.relDocs[i], DocumentRef{Source: it.Document.Source, Key: it.Document.Key})
	}
	// The first report (in bundle order) that names each object: one pass,
	// not a search of every report for every sighting.
	namedBy := map[string]string{}
	for _, d := range r.objects {
		if d.typ != "report" {
			continue
		}
		for _, ref := range d.strs("object_refs") {
			if _, ok := namedBy[ref]; !ok {
				namedBy[ref] = d.id
			}
		}
	}
	// A sighting's report, as its item and index: a pointer into the
	// item's reports would go stale when a later sighting grows them.
	type at struct {
		it *vigil.Item
		i  int
	}
	reportsBySighting := map[string]at{}
	for _, o := range r.objects {
		if o.typ != "sighting" {
			continue
		}
		rep, ok := r.sighting(o)
		if !ok {
			continue
		}
		var it *vigil.Item
		if d, ok := namedBy[o.id]; ok {
			it = docs[d]
		}
		if it == nil {
			it = r.ownDocument(o, "Sighting of "+rep.Actors[0].Name)
			docs[o.id] = it
		}
		it.Reports = append(it.Reports, rep)
		reportsBySighting[o.id] = at{it, len(it.Reports) - 1}
	}
	// Notes and opinions go on what they annotate.
	for _, o := range r.objects {
		if o.typ != "note" && o.typ != "opinion" {
			continue
		}
		if o.str("x_vigil_contradiction") != "" {
			o.used = true // vigil's fusion finds contradictions again
			continue
		}
		if r.composition(o) {
			continue
		}
		text := r.annotation(o)
		for _, ref := range o.strs("object_refs") {
			switch {
			case docs[ref] != nil && r.byID[ref] != nil && r.byID[ref].typ == "report":
				docs[ref].Document.Text += "\n\n" + text
				o.used = true
			case reportsBySighting[ref].it != nil:
				rep := &reportsBySighting[ref].it.Reports[reportsBySighting[ref].i]
				if rep.Attrs == nil {
					rep.Attrs = map[string]string{}
				}
				rep.Attrs["stix."+o.id] = text
				o.used = true
			case r.actorIDs[ref] != "":
				// Into the actor's notes only when the actor's marking
				// covers the note's; else the note is kept as a document
				// of its own, with its marking.
				stored := false
				for _, a := range r.actors {
					if a.ID == r.actorIDs[ref] {
						stored = true
						if vigil.MoreRestricted(r.marking(o), "").Rank() <= vigil.MoreRestricted(a.Marking, "").Rank() {
							a.Notes = strings.TrimSpace(a.Notes + "\n\n" + text)
							o.used = true
						}
					}
				}
				if !stored {
					o.used = true // on a name no dictionary resolved
				}
			}
		}
	}
	// Items in bundle order: the documents, then everything unmapped.
	for _, o := range r.objects {
		if it := docs[o.id]; it != nil {
			r.items = append(r.items, it)
		}
	}
	for _, o := range r.objects {
		if !o.used {
			r.items = append(r.items, r.ownDocument(o, ""))
		}
	}
	r.items = append(r.items, r.noteItems...)
	sent := map[string]bool{}
	for _, it := range r.items {
		if name := it.Document.Source; !sent[name] {
			it.Source, sent[name] = r.sources[name], true
		}
		// Re-importing must change nothing: hash the item as mapped,
		// unless vigil's writer gave the original hash.
		if it.Document.ContentHash == "" {
			b, _ := json.Marshal(struct {
				D vigil.Document
				R []vigil.Report
			}{it.Document, it.Reports})
			it.Document.ContentHash = vigil.HashContent(string(b))
		}
	}
}

func (r *Reader) identity(o *object) {
	o.used = true
	s := &vigil.Source{Name: o.str("name"), Kind: vigil.SourceIntelligence, Reliability: vigil.ReliabilityF}
	if v := o.str("x_vigil_source"); v != "" {
		var vs vigil.Source
		if json.Unmarshal([]byte(v), &vs) == nil && vs.Validate() == nil {
			vs.ID = 0
			s = &vs
		}
	} else {
		if o.str("identity_class") == "individual" {
			s.Kind = vigil.SourceSocial
		}
		s.Notes = strings.TrimSpace(strings.Join([]string{o.str("description"), o.str("contact_information"), o.custom()}, "\n"))
		s.Notes = strings.TrimSpace(s.Notes + "\nSTIX " + o.id)
	}
	if s.Name == "" {
		s.Name = o.id
	}
	if old, ok := r.sources[s.Name]; ok && old.Notes != "" && !strings.Contains(old.Notes, o.id) {
		s.Notes = old.Notes + "\n" + s.Notes
	}
	r.sources[s.Name] = s
}

// sourceOf returns the source name for an object's creator, making the
// default source when it names none.
func (r *Reader) sourceOf(o *object) string {
	if ref := o.str("created_by_ref"); ref != "" {
		if c := r.byID[ref]; c != nil && c.typ == "identity" {
			if v := c.str("x_vigil_source"); v != "" {
				var vs vigil.Source
				if json.Unmarshal([]byte(v), &vs) == nil && vs.Name != "" {
					return vs.Name
				}
			}
			if n := c.str("name"); n != "" {
				return n
			}
		}
	}
	if _, ok := r.sources[r.opt.Source]; !ok {
		r.sources[r.opt.Source] = DefaultSourceNamed(r.opt.Source)
	}
	return r.opt.Source
}

func (r *Reader) tlpOf(id string) (vigil.TLP, bool) {
	if t, ok := TLPByID(id); ok {
		return t, true
	}
	o := r.byID[id]
	if o == nil || o.typ != "marking-definition" {
		return "", false
	}
	if def, ok := o.m["definition"].(map[string]any); ok && o.str("definition_type") == "tlp" {
		if s, ok := def["tlp"].(string); ok {
			if t, err := vigil.ParseTLP(s); err == nil {
				return t, true
			}
		}
	}
	if ext, ok := o.m["extensions"].(map[string]any); ok {
		if e, ok := ext[TLPExtension].(map[string]any); ok {
			if s, ok := e["tlp_2_0"].(string); ok {
				if t, err := vigil.ParseTLP(s); err == nil {
					return t, true
				}
			}
		}
	}
	if n := o.str("name"); strings.HasPrefix(strings.ToUpper(n), "TLP:") {
		if t, err := vigil.ParseTLP(n); err == nil {
			return t, true
		}
	}
	return "", false
}

// marking returns the most restricted TLP among an object's markings.
func (r *Reader) marking(o *object) vigil.TLP {
	var best vigil.TLP
	for _, ref := range o.strs("object_marking_refs") {
		if t, ok := r.tlpOf(ref); ok && t.Rank() > best.Rank() {
			best = t
		}
	}
	if best == "" {
		return r.opt.Marking
	}
	return best
}

// granular returns the TLP of each selector of an object's granular
// markings (the most restricted where several mark one selector).
func (r *Reader) granular(o *object) map[string]vigil.TLP {
	list, _ := o.m["granular_markings"].([]any)
	out := map[string]vigil.TLP{}
	for _, x := range list {
		g, _ := x.(map[string]any)
		ref, _ := g["marking_ref"].(string)
		t, ok := r.tlpOf(ref)
		if !ok {
			continue
		}
		sels, _ := g["selectors"].([]any)
		for _, v := range sels {
			if sel, ok := v.(string); ok {
				out[sel] = vigil.MoreRestricted(out[sel], t)
			}
		}
	}
	return out
}

// actorMarking returns what an actor keeps as a marking: "" for CLEAR.
func actorMarking(t vigil.TLP) vigil.TLP {
	if t.Rank() <= 0 {
		return ""
	}
	return t
}

// actor maps a threat actor or intrusion set. What the object asserts
// carries its marking (see vigil.Actor's markings): an actor it makes, with
// its notes, the object's marking; each name it adds the object's marking,
// or its alias's granular marking where that is more restricted. An actor
// the dictionary knows stays as open as the dictionary.
func (r *Reader) actor(o *object) {
	o.used = true
	if b, _ := o.m["x_vigil_unresolved"].(bool); b {
		// vigil's writer made it for a name no dictionary resolved: the
		// reports name it as written; it is not an actor to store.
		r.actorIDs[o.id] = Slug(o.str("name"))
		return
	}
	mark := actorMarking(r.marking(o))
	gran := r.granular(o)
	var a *vigil.Actor
	if v := o.str("x_vigil_actor"); v != "" {
		var va vigil.Actor
		if json.Unmarshal([]byte(v), &va) == nil && va.Validate() == nil {
			// vigil's own writer: the actor and the markings of its names
			// as they were, but never more open than the object.
			a = &va
			a.Marking = actorMarking(vigil.MoreRestricted(vigil.MoreRestricted(a.Marking, mark), gran["description"]))
			for i := range a.Names {
				a.Names[i].Marking = actorMarking(vigil.MoreRestricted(a.Names[i].Marking, mark))
			}
		}
	}
	name := o.str("name")
	if name == "" {
		name = o.id
	}
	src := r.sourceNameOnly(o)
	if a == nil && r.dict != nil {
		for _, n := range append([]string{name}, o.strs("aliases")...) {
			if known, ok := r.dict.Best(n, vigil.Date{}, ""); ok {
				c := *known
				c.Names = slices.Clone(known.Names)
				a = &c
				break
			}
		}
	}
	if a == nil {
		a = &vigil.Actor{ID: Slug(name), Name: name, Kind: actorKind(o),
			Marking: actorMarking(vigil.MoreRestricted(vigil.MoreRestricted(mark, gran["name"]), gran["description"]))}
		a.Notes = strings.TrimSpace(o.str("description") + "\n\nSTIX " + o.id)
		if c := o.custom(); c != "" {
			a.Notes += "\nCustom properties: " + c
		}
	}
	if a.Kind == "" {
		a.Kind = vigil.ActorOther
	}
	// The bundle's names are assertions of its creator, with its marking.
	for i, n := range append([]string{name}, o.strs("aliases")...) {
		m := vigil.MoreRestricted(mark, gran["name"])
		if i > 0 {
			m = vigil.MoreRestricted(vigil.MoreRestricted(mark, gran["aliases"]), gran[fmt.Sprintf("aliases.[%d]", i-1)])
		}
		if n == "" || n == a.Name {
			continue
		}
		if j := slices.IndexFunc(a.Names, func(x vigil.ActorName) bool { return x.Name == n }); j >= 0 {
			// A name the actor has: as open as the most open source.
			if m.Rank() < vigil.MoreRestricted(a.Names[j].Marking, "").Rank() {
				a.Names[j].Marking = actorMarking(m)
			}
			continue
		}
		a.Names = append(a.Names, vigil.ActorName{Name: n, Usage: "STIX", Source: src, Marking: actorMarking(m)})
	}
	for _, prev := range r.actors {
		if prev.ID == a.ID {
			// Two STIX objects for one actor: the actor is as open as the
			// more open (vigil.Actor.Merge), each name keeps its marking,
			// and notes more restricted than the actor become a document
			// of their own with their marking.
			b := *a
			b.Names = append([]vigil.ActorName{{Name: a.Name, Usage: "STIX", Source: src, Marking: a.Marking}}, a.Names...)
			for _, h := range prev.Merge(&b) {
				by := r.actorObjs[a.ID]
				if h.Text == a.Notes {
					by = o
				}
				r.noteItems = append(r.noteItems, &vigil.Item{Document: NotesDocument(prev, h, r.sourceOf(by), firstTime(by.time("modified"), by.time("created")))})
			}
			r.actorIDs[o.id] = a.ID
			return
		}
	}
	r.actors = append(r.actors, a)
	r.actorIDs[o.id] = a.ID
	r.actorObjs[a.ID] = o
}

// NotesDocument is the document that keeps notes on actor a more
// restricted than a, of the named source: their text, with their marking,
// keyed by the actor and the text (the same notes kept twice are one
// document).
func NotesDocument(a *vigil.Actor, h vigil.MarkedNotes, source string, published time.Time) vigil.Document {
	return vigil.Document{
		Source:    source,
		Key:       "stix:notes:" + a.ID + ":" + vigil.HashContent(h.Text)[:16],
		Title:     "Notes on " + a.Name,
		Published: published,
		Text:      h.Text,
		Marking:   h.Marking,
	}
}

// DefaultSourceNamed is the source of objects that name no creator, by
// the name the import gives it (Options.Source).
func DefaultSourceNamed(name string) *vigil.Source {
	return &vigil.Source{Name: name, Kind: vigil.SourceIntelligence, Reliability: vigil.ReliabilityF,
		Notes: "STIX objects that name no creator"}
}

// KeepNotes keeps notes that a merge of bundled, one of the bundle's
// actors, with the stored actor a took off it (see vigil.Actor.Merge) as
// documents of their own, with their markings, among the bundle's items,
// so that a reader sees them only when cleared for them. Notes that
// bundled holds are filed under the source of the object that asserted
// it; the stored actor's, whose source the store does not keep, under the
// import's default source. Call it before the first Next.
func (r *Reader) KeepNotes(a, bundled *vigil.Actor, notes []vigil.MarkedNotes) {
	for _, h := range notes {
		by, published := &object{}, time.Time{}
		if o := r.actorObjs[bundled.ID]; o != nil && strings.Contains(bundled.Notes, h.Text) {
			by, published = o, firstTime(o.time("modified"), o.time("created"))
		}
		it := &vigil.Item{Document: NotesDocument(a, h, r.sourceOf(by), published)}
		it.Source = r.sources[it.Document.Source]
		it.Document.ContentHash = vigil.HashContent(it.Document.Text)
		r.items = append(r.items, it)
	}
}

// sourceNameOnly is sourceOf without making the default source.
func (r *Reader) sourceNameOnly(o *object) string {
	if ref := o.str("created_by_ref"); ref != "" {
		if c := r.byID[ref]; c != nil {
			return c.str("name")
		}
	}
	return ""
}

func actorKind(o *object) vigil.ActorKind {
	if k := vigil.ActorKind(o.str("x_vigil_kind")); k.Valid() {
		return k
	}
	types := o.strs("threat_actor_types")
	switch {
	case slices.Contains(types, "nation-state"):
		return vigil.ActorState
	case slices.Contains(types, "terrorist"), slices.Contains(types, "activist"):
		return vigil.ActorArmedGroup
	case slices.Contains(types, "crime-syndicate"), slices.Contains(types, "criminal"):
		return vigil.ActorOther
	}
	return vigil.ActorOther
}

// Slug makes an actor id of a name: lower case, letters and digits joined
// by single hyphens ("Unit 61398" → "unit-61398").
func Slug(name string) string {
	var b strings.Builder
	dash := false
	for _, c := range strings.ToLower(name) {
		if unicode.IsLetter(c) || unicode.IsDigit(c) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(c)
		} else {
			dash = true
		}
	}
	if b.Len() == 0 {
		return "actor"
	}
	return b.String()
}

func (r *Reader) place(o *object) {
	o.used = true
	var p vigil.Place
	if v := o.str("x_vigil_place"); v != "" && json.Unmarshal([]byte(v), &p) == nil {
		r.places[o.id] = p
		return
	}
	p.Name = firstNonEmpty(o.str("city"), o.str("name"), o.str("street_address"))
	if c := strings.ToUpper(o.str("country")); len(c) == 2 {
		p.Country = c
	}
	p.Admin1 = o.str("administrative_area")
	p.Admin1Name = p.Admin1
	lat, okLat := o.num("latitude")
	lon, okLon := o.num("longitude")
	if okLat && okLon && lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180 {
		p.SetPoint(vigil.LatLon{Lat: lat, Lon: lon})
		if m, ok := o.num("precision"); ok {
			switch {
			case m <= 1000:
				p.Precision = vigil.LocationExact
			case m <= 25000:
				p.Precision = vigil.LocationNear
			case m <= 100000:
				p.Precision = vigil.LocationAdmin2
			default:
				p.Precision = vigil.LocationAdmin1
			}
		}
	}
	if p.Precision == 0 {
		switch {
		case o.str("city") != "":
			p.Precision = vigil.LocationNear
		case p.Admin1 != "":
			p.Precision = vigil.LocationAdmin1
		case o.str("region") != "" && p.Country == "":
			p.Precision = vigil.LocationRegion
		case p.Country != "":
			p.Precision = vigil.LocationCountry
		}
	}
	r.places[o.id] = p
}

func (r *Reader) relationship(o *object) {
	from, to := r.actorIDs[o.str("source_ref")], r.actorIDs[o.str("target_ref")]
	t, ok := RelationshipType(o.str("relationship_type"))
	if from == "" || to == "" || !ok || from == to {
		return // kept as a document of its own
	}
	o.used = true
	rel := &vigil.Relationship{From: from, To: to, Type: t, Description: strings.TrimSpace(o.str("description") + "\n\nSTIX " + o.id)}
	if c := o.confidence(); c != nil {
		rel.Credibility = CredibilityFromConfidence(c)
	}
	if v := o.time("start_time"); !v.IsZero() {
		rel.ValidFrom = vigil.DateOf(v)
	}
	if v := o.time("stop_time"); !v.IsZero() && !vigil.DateOf(v).Before(rel.ValidFrom) {
		rel.ValidTo = vigil.DateOf(v)
	}
	var docs []DocumentRef
	if sr, ok := vigilRelationship(o); ok && sr.From == from && sr.To == to {
		// vigil's own export: the relationship as it was, and its documents.
		*rel, docs = sr.Relationship, sr.Documents
	}
	r.relIndex[o.id] = len(r.rels)
	r.rels = append(r.rels, rel)
	r.relDocs = append(r.relDocs, docs)
}

func (r *Reader) document(o *object) *vigil.Item {
	o.used = true
	d := vigil.Document{
		Source:   r.sourceOf(o),
		Key:      firstNonEmpty(o.str("x_vigil_key"), "stix:"+o.id),
		Title:    o.str("name"),
		URL:      externalURL(o),
		Language: o.str("lang"),
		Text:     o.str("description"),
		Marking:  r.marking(o),
	}
	d.Published = o.time("published")
	if v := o.str("x_vigil_document"); v != "" {
		var vd vigil.Document
		if json.Unmarshal([]byte(v), &vd) == nil && vd.Key != "" {
			vd.ID, vd.SourceID, vd.BatchID, vd.RecordedAt = 0, 0, 0, time.Time{}
			vd.Source = d.Source
			d = vd
		}
	}
	if c := o.custom(); c != "" {
		d.Text = strings.TrimSpace(d.Text + "\n\nSTIX custom properties: " + c)
	}
	if h := o.str("x_vigil_content_hash"); h != "" {
		d.ContentHash = h
	}
	it := &vigil.Item{Document: d}
	// The reports vigil's writer kept on the document: those that name no
	// actor, and so are no sighting (an official's toll).
	for _, v := range o.strs("x_vigil_reports") {
		var rep vigil.Report
		if json.Unmarshal([]byte(v), &rep) != nil {
			continue
		}
		rep.ID, rep.DocumentID, rep.EventID = 0, 0, 0
		if rep.Validate() == nil {
			it.Reports = append(it.Reports, rep)
		}
	}
	return it
}

// ownDocument makes a document of one object: its JSON is the text.
func (r *Reader) ownDocument(o *object, title string) *vigil.Item {
	o.used = true
	if title == "" {
		title = o.typ
		if n := firstNonEmpty(o.str("name"), o.str("relationship_type"), o.str("abstract")); n != "" {
			title += ": " + n
		}
	}
	d := vigil.Document{
		Source:    r.sourceOf(o),
		Key:       "stix:" + o.id,
		Title:     title,
		Published: firstTime(o.time("modified"), o.time("created")),
		URL:       externalURL(o),
		Text:      o.canonical(),
		Marking:   r.marking(o),
	}
	return &vigil.Item{Document: d}
}

func firstTime(ts ...time.Time) time.Time {
	for _, t := range ts {
		if !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}

func externalURL(o *object) string {
	refs, _ := o.m["external_references"].([]any)
	for _, x := range refs {
		if m, ok := x.(map[string]any); ok {
			if u, ok := m["url"].(string); ok && u != "" {
				return u
			}
		}
	}
	return ""
}

// sighting maps a sighting of an actor to a report; other sightings are
// kept as documents of their own.
func (r *Reader) sighting(o *object) (vigil.Report, bool) {
	of := o.str("sighting_of_ref")
	actorID := r.actorIDs[of]
	if actorID == "" {
		return vigil.Report{}, false
	}
	o.used = true
	var rep vigil.Report
	if v := o.str("x_vigil_report"); v != "" {
		if err := json.Unmarshal([]byte(v), &rep); err != nil {
			rep = vigil.Report{}
		}
		rep.ID, rep.DocumentID, rep.EventID = 0, 0, 0
	}
	if rep.Key == "" {
		rep.Key = "stix:" + o.id
	}
	first, last := o.time("first_seen"), o.time("last_seen")
	if first.IsZero() {
		first = firstTime(o.time("created"), o.time("modified"))
	}
	if last.IsZero() || last.Before(first) {
		last = first
	}
	if rep.DateStart.IsZero() {
		rep.DateStart, rep.DateEnd = vigil.DateOf(first), vigil.DateOf(last)
		if rep.DateStart == rep.DateEnd {
			rep.DatePrecision = vigil.DateDay
		}
	}
	for _, ref := range o.strs("where_sighted_refs") {
		if p, ok := r.places[ref]; ok {
			if rep.Place == (vigil.Place{}) {
				rep.Place = p
			}
			continue
		}
		if rep.Attrs == nil {
			rep.Attrs = map[string]string{}
		}
		rep.Attrs["stix.where_sighted_refs"] = strings.TrimPrefix(rep.Attrs["stix.where_sighted_refs"]+" "+ref, " ")
	}
	if len(rep.Actors) == 0 {
		a := r.actorByID(actorID)
		rep.Actors = []vigil.ReportActor{{ActorID: actorID, Name: a.Name, AsWritten: r.byID[of].str("name"),
			Role: vigil.RolePerpetrator, Attribution: vigil.AttributionAttributed, AttributedBy: r.sourceNameOnly(o)}}
	}
	if rep.Credibility == 0 {
		rep.Credibility = CredibilityFromConfidence(o.confidence())
	} else if c := o.confidence(); c != nil && CredibilityFromConfidence(c) != rep.Credibility && ConfidenceFromCredibility(rep.Credibility) != nil {
		rep.Credibility = CredibilityFromConfidence(c) // edited in another platform
	}
	if rep.Summary == "" {
		rep.Summary = o.str("description")
	}
	if f, ok := o.num("count"); ok && o.str("x_vigil_report") == "" {
		if rep.Attrs == nil {
			rep.Attrs = map[string]string{}
		}
		rep.Attrs["stix.count"] = fmt.Sprint(int(f))
	}
	if c := o.custom(); c != "" {
		if rep.Attrs == nil {
			rep.Attrs = map[string]string{}
		}
		rep.Attrs["stix.custom"] = c
	}
	if rep.Validate() != nil {
		o.used = false
		return vigil.Report{}, false
	}
	return rep, true
}

func (r *Reader) actorByID(id string) *vigil.Actor {
	for _, a := range r.actors {
		if a.ID == id {
			return a
		}
	}
	return &vigil.Actor{ID: id, Name: id}
}

func (r *Reader) annotation(o *object) string {
	var b bytes.Buffer
	who := r.sourceNameOnly(o)
	if o.typ == "note" {
		fmt.Fprintf(&b, "Note")
		if a := o.strs("authors"); len(a) > 0 {
			who = strings.Join(a, ", ")
		}
	} else {
		fmt.Fprintf(&b, "Opinion (%s)", o.str("opinion"))
	}
	if who != "" {
		fmt.Fprintf(&b, " by %s", who)
	}
	if t := o.time("created"); !t.IsZero() {
		fmt.Fprintf(&b, ", %s", t.Format("2006-01-02"))
	}
	b.WriteString(": ")
	if a := o.str("abstract"); a != "" {
		b.WriteString(a + ". ")
	}
	b.WriteString(firstNonEmpty(o.str("content"), o.str("explanation")))
	if c := o.custom(); c != "" {
		b.WriteString(" " + c)
	}
	fmt.Fprintf(&b, " (STIX %s)", o.id)
	return b.String()
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// decodeError says what is wrong with a file that does not decode as a
// bundle, without Go's type names, with the byte where it is wrong.
func decodeError(err error) string {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te) && te.Field == "":
		return fmt.Sprintf(`want a JSON object {"type": "bundle", "objects": [...]}, found %s %s (byte %d)`, article(te.Value), te.Value, te.Offset)
	case errors.As(err, &te):
		return fmt.Sprintf("%s: found %s %s (byte %d)", te.Field, article(te.Value), te.Value, te.Offset)
	case errors.As(err, &se):
		return fmt.Sprintf("byte %d: %v", se.Offset, err)
	case errors.Is(err, io.EOF):
		return "the file is empty"
	}
	return err.Error()
}

func article(word string) string {
	if word != "" && strings.ContainsRune("aeiou", rune(word[0])) {
		return "an"
	}
	return "a"
}
