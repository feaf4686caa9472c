// Package stix writes vigil's events, actors and relationships as a STIX
// 2.1 bundle that OpenCTI, MISP and other threat-intelligence platforms
// import, and that vigil's own STIX reader (ingest/stix) reads back as the
// same actors, places and reports.
//
// The mapping: an actor is a threat-actor (aliases, threat_actor_types from
// its kind); a source an identity; a document a report, whose object_refs
// are the sightings of its reports and the actors and locations they name;
// a report a sighting of its perpetrator (or first actor) where its place
// is, first_seen and last_seen its dates, confidence its credibility
// (STIX's Admiralty mapping); a place a location (precision in metres from
// vigil's location precision); a relationship a relationship, and the
// documents that assert it reports whose object_refs name it
// (WriteSourcedRelationship); a composition claim a note on the group's
// threat-actor, its documents reports that name the note (WriteComposition);
// an event's contradiction a note on the sightings of both sides. Handling
// markings are the published TLP 2.0 marking definitions.
//
// Actors are threat-actors rather than intrusion-sets: STIX keeps
// intrusion-set for clusters of adversary behaviour, threat-actor for the
// groups and organisations behind them, which is what vigil's actors are.
// vigil's reader takes either.
//
// Ids are UUIDv5 of vigil's own keys (an actor's id, a source's name, a
// document's source and key, a report's document and key), so that a
// re-export updates objects in the receiving platform rather than
// duplicating them. What STIX cannot say is kept in custom properties
// (x_vigil_actor, x_vigil_report, x_vigil_place, x_vigil_source, x_vigil_key,
// x_vigil_content_hash, x_vigil_contradiction, x_vigil_relationship,
// x_vigil_composition); a report that names no actor, and so is no
// sighting, is kept whole in its document's x_vigil_reports.
package stix

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/vigil-osint/vigil"
	istix "github.com/vigil-osint/vigil/ingest/stix"
)

// Namespace is the UUID namespace of vigil's STIX ids.
var Namespace = uuid.MustParse("0d6c2f4e-7a51-4f0b-9a1e-5c3b8d2e6f17")

// ID returns the deterministic STIX id of a vigil record: the type, "--"
// and the UUIDv5 of the type and key.
func ID(typ, key string) string {
	return typ + "--" + uuid.NewSHA1(Namespace, []byte(typ+"\x00"+key)).String()
}

// FilterName describes an export's filter, to name its bundle
// (Options.Name): the same export made again, from the command line or
// the API, has the same bundle id.
func FilterName(f vigil.EventFilter) string {
	return fmt.Sprintf("vigil export actor=%s countries=%v admin1=%v from=%s to=%s types=%v tlp=%s",
		f.Actor, f.Countries, f.Admin1, f.From, f.To, f.Types, f.Clearance)
}

// Options tune a writer.
type Options struct {
	// Name names the export; the bundle id derives from it.
	Name string
	// Now stamps records that carry no time of their own; time.Now when zero.
	Now time.Time
}

// Writer writes a STIX 2.1 bundle. Objects are written as they come;
// documents are held until Close, since several events may share one:
// each document's object, encoded, waits in a temporary file, and only
// the refs it gathers stay in memory (the objects themselves, held as
// maps, took 8.8 GB for a million events).
type Writer struct {
	w       *bufio.Writer
	opt     Options
	n       int
	seen    map[string]bool
	actors  map[string]*vigil.Actor
	docs    map[string]*pendingDoc
	docIDs  []string
	heads   *os.File // the pending documents' encoded objects
	size    int64    // of heads
	marking map[vigil.TLP]bool
	err     error
}

// pendingDoc is a document's report object waiting for Close: where its
// fields lie encoded in the writer's heads file, and the object refs and
// reports it gathers.
type pendingDoc struct {
	at      int64 // the object's JSON without object_refs and x_vigil_reports
	n       int
	refs    []string
	reports []string
}

// hold keeps a document's encoded object in the heads file.
func (w *Writer) hold(head []byte) (*pendingDoc, error) {
	if w.heads == nil {
		f, err := os.CreateTemp("", "vigil-stix-*")
		if err != nil {
			return nil, err
		}
		// Unlinked at once where the system allows, so that an export
		// that never reaches Close (a dropped request) leaves no file.
		os.Remove(f.Name())
		w.heads = f
	}
	if _, err := w.heads.WriteAt(head, w.size); err != nil {
		return nil, err
	}
	d := &pendingDoc{at: w.size, n: len(head)}
	w.size += int64(len(head))
	return d, nil
}

// object returns a held document's report object as emit writes it.
func (w *Writer) object(d *pendingDoc) (map[string]any, error) {
	head := make([]byte, d.n)
	if _, err := w.heads.ReadAt(head, d.at); err != nil {
		return nil, err
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(head, &fields); err != nil {
		return nil, err
	}
	o := make(map[string]any, len(fields)+2)
	for k, v := range fields {
		o[k] = v
	}
	var id string
	if err := json.Unmarshal(fields["id"], &id); err != nil {
		return nil, err
	}
	o["id"] = id // emit reads it
	o["object_refs"] = d.refs
	if len(d.reports) > 0 {
		o["x_vigil_reports"] = d.reports
	}
	return o, nil
}

// NewWriter returns a writer of a bundle to w.
func NewWriter(w io.Writer, opt Options) *Writer {
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	return &Writer{w: bufio.NewWriterSize(w, 64<<10), opt: opt, seen: map[string]bool{}, actors: map[string]*vigil.Actor{},
		docs: map[string]*pendingDoc{}, marking: map[vigil.TLP]bool{}}
}

func stamp(ts ...time.Time) string {
	for _, t := range ts {
		if !t.IsZero() {
			return t.UTC().Format("2006-01-02T15:04:05.000Z")
		}
	}
	return ""
}

func (w *Writer) now() string { return stamp(w.opt.Now) }

// emit writes one object unless an object with its id was written.
func (w *Writer) emit(o map[string]any) {
	id, _ := o["id"].(string)
	if w.err != nil || w.seen[id] {
		return
	}
	w.seen[id] = true
	b, err := json.Marshal(o)
	if err != nil {
		w.err = fmt.Errorf("export: stix: %s: %w", id, err)
		return
	}
	if w.n == 0 {
		fmt.Fprintf(w.w, `{"type":"bundle","id":%q,"objects":[`, ID("bundle", w.opt.Name))
	} else {
		w.w.WriteByte(',')
	}
	w.n++
	w.w.WriteByte('\n')
	if _, err := w.w.Write(b); err != nil {
		w.err = fmt.Errorf("export: stix: %w", err)
	}
}

func sdo(typ, key, created, modified string) map[string]any {
	return map[string]any{"type": typ, "spec_version": "2.1", "id": ID(typ, key), "created": created, "modified": modified}
}

func jsonString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func (w *Writer) markingRef(t vigil.TLP) []string {
	if !t.Valid() {
		return nil
	}
	if !w.marking[t] {
		w.marking[t] = true
		w.emit(istix.TLPMarking(t))
	}
	return []string{istix.TLP2IDs[t]}
}

// threatActorTypes maps an actor kind onto STIX's threat-actor-type-ov.
func threatActorTypes(k vigil.ActorKind) []string {
	switch k {
	case vigil.ActorArmedGroup, vigil.ActorMilitia:
		return []string{"terrorist"}
	case vigil.ActorState, vigil.ActorExternal, vigil.ActorDeFacto:
		return []string{"nation-state"}
	}
	return []string{"unknown"}
}

// WriteActor writes an actor as a threat-actor. Write actors before the
// events and relationships that name them, so that their objects are whole.
func (w *Writer) WriteActor(a *vigil.Actor) error {
	w.actors[a.ID] = a
	w.actorObject(a.ID, a.Name, "")
	return w.err
}

// actorObject writes the threat-actor of an actor id (or, for an actor no
// dictionary resolved, its name) and returns its STIX id. An actor that
// the store does not hold is stamped with named, the time of the first
// record that names it, so that a re-export writes the same bytes.
func (w *Writer) actorObject(actorID, name, named string) string {
	key := "actor:" + actorID
	if actorID == "" {
		key = "actor-name:" + name
	}
	id := ID("threat-actor", key)
	if w.seen[id] {
		return id
	}
	a := w.actors[actorID]
	unresolved := false
	if a == nil {
		a = &vigil.Actor{ID: actorID, Name: name, Kind: vigil.ActorOther}
		if actorID == "" {
			a.ID, unresolved = istix.Slug(name), true
		}
	}
	when := stamp(a.RecordedAt, w.opt.Now)
	if a.RecordedAt.IsZero() && named != "" {
		when = named
	}
	o := sdo("threat-actor", key, when, when)
	o["name"] = a.Name
	o["threat_actor_types"] = threatActorTypes(a.Kind)
	// The object carries the actor's marking (its existence, its notes);
	// an alias more restricted than the actor a granular marking of its
	// own, and vigil's copy of the actor the most restricted of them.
	var aliases []string
	var granular []map[string]any
	most := vigil.MoreRestricted(a.Marking, "")
	for _, n := range a.Names {
		if n.Name != a.Name && !slices.Contains(aliases, n.Name) {
			if m := a.NameMarking(n); m.Rank() > vigil.MoreRestricted(a.Marking, "").Rank() {
				granular = append(granular, map[string]any{"marking_ref": w.markingRef(m)[0], "selectors": []string{fmt.Sprintf("aliases.[%d]", len(aliases))}})
				most = vigil.MoreRestricted(most, m)
			}
			aliases = append(aliases, n.Name)
		}
	}
	if len(aliases) > 0 {
		o["aliases"] = aliases
	}
	if a.Notes != "" {
		o["description"] = a.Notes
	}
	if a.Marking.Rank() > 0 {
		o["object_marking_refs"] = w.markingRef(a.Marking)
	}
	if len(granular) > 0 {
		granular = append(granular, map[string]any{"marking_ref": w.markingRef(most)[0], "selectors": []string{"x_vigil_actor"}})
		o["granular_markings"] = granular
	}
	o["x_vigil_actor"] = jsonString(a)
	if unresolved {
		o["x_vigil_unresolved"] = true
	}
	w.emit(o)
	return id
}

// WriteRelationship writes a relationship between two actors. Use
// WriteSourcedRelationship to write the documents that assert it too.
func (w *Writer) WriteRelationship(r *vigil.Relationship) error {
	w.relationship(r, nil)
	return w.err
}

// relationship writes a relationship object, with its documents named in
// x_vigil_relationship, and returns its id.
func (w *Writer) relationship(r *vigil.Relationship, docs []istix.DocumentRef) string {
	from := w.actorObject(r.From, r.From, stamp(r.RecordedAt, w.opt.Now))
	to := w.actorObject(r.To, r.To, stamp(r.RecordedAt, w.opt.Now))
	key := fmt.Sprintf("relationship:%s|%s|%s|%s|%s", r.From, r.To, r.Type, r.ValidFrom, r.ValidTo)
	if r.Description != "" {
		// Two sources may assert one tie over one period in different
		// words: both are kept, so both are written.
		key += "|" + r.Description
	}
	o := sdo("relationship", key, stamp(r.RecordedAt, w.opt.Now), stamp(r.RecordedAt, w.opt.Now))
	o["relationship_type"] = string(r.Type)
	o["source_ref"], o["target_ref"] = from, to
	if r.Description != "" {
		o["description"] = r.Description
	}
	if !r.ValidFrom.IsZero() {
		o["start_time"] = stamp(r.ValidFrom.Time())
	}
	if !r.ValidTo.IsZero() {
		o["stop_time"] = stamp(r.ValidTo.Time().Add(24*time.Hour - time.Millisecond))
	}
	if c := istix.ConfidenceFromCredibility(r.Credibility); c != nil {
		o["confidence"] = *c
	}
	vr := istix.SourcedRelationship{Relationship: *r, Documents: docs}
	vr.ID, vr.DocumentIDs, vr.RecordedAt = 0, nil, time.Time{}
	o["x_vigil_relationship"] = jsonString(vr)
	w.emit(o)
	return o["id"].(string)
}

// identity writes a source's identity and returns its id.
func (w *Writer) identity(s vigil.Source) string {
	id := ID("identity", "source:"+s.Name)
	if w.seen[id] {
		return id
	}
	o := sdo("identity", "source:"+s.Name, stamp(s.RecordedAt, w.opt.Now), stamp(s.RecordedAt, w.opt.Now))
	o["name"] = s.Name
	o["identity_class"] = "organization"
	if s.Notes != "" {
		o["description"] = s.Notes
	}
	s.ID = 0
	o["x_vigil_source"] = jsonString(s)
	w.emit(o)
	return id
}

var iso31662 = regexp.MustCompile(`^[A-Z]{2}-[A-Z0-9]{1,3}$`)

// location writes a place's location, if STIX can say it, and returns its id.
func (w *Writer) location(p vigil.Place, created string) string {
	pt, hasPoint := p.Point()
	if !hasPoint && len(p.Country) != 2 {
		return ""
	}
	key := "place:" + jsonString(p)
	id := ID("location", key)
	if w.seen[id] {
		return id
	}
	o := sdo("location", key, created, created)
	if p.Name != "" {
		o["name"] = p.Name
		o["city"] = p.Name
	}
	if hasPoint {
		o["latitude"], o["longitude"] = pt.Lat, pt.Lon
		if m := map[vigil.LocationPrecision]float64{1: 1000, 2: 25000, 3: 100000, 4: 300000}[p.Precision]; m > 0 {
			o["precision"] = m
		}
	}
	if len(p.Country) == 2 {
		o["country"] = p.Country
	}
	if iso31662.MatchString(p.Admin1) {
		o["administrative_area"] = p.Admin1
	}
	o["x_vigil_place"] = jsonString(p)
	w.emit(o)
	return id
}

// Write writes an event: its sources, actors, place, documents (held until
// Close), one sighting per report and one note per contradiction. An event
// without its reports (a list query's) is written as one sighting of the
// fused values.
func (w *Writer) Write(e *vigil.Event) error {
	reports := e.Reports
	if len(reports) == 0 {
		// A list query's event: one sighting of the fused values.
		rep := vigil.Report{Key: "event", EventKey: e.Key, DateStart: e.DateStart, DateEnd: e.DateEnd, DatePrecision: e.DatePrecision,
			Place: e.Place, EventType: e.EventType, SubEventType: e.SubEventType, AttackTypes: e.AttackTypes, WeaponTypes: e.WeaponTypes,
			TargetTypes: e.TargetTypes, Actors: e.Actors, Killed: e.Killed, Wounded: e.Wounded, AttackersKilled: e.AttackersKilled,
			Credibility: e.Credibility, RecordedAt: e.UpdatedAt}
		src := vigil.Source{Name: "vigil", Kind: vigil.SourceDataset, Reliability: vigil.ReliabilityF}
		reports = []vigil.SourcedReport{{Report: rep, Source: src,
			Document: vigil.Document{Source: "vigil", Key: "event:" + strconv.FormatInt(e.ID, 10), Title: "vigil event " + strconv.FormatInt(e.ID, 10), Marking: e.Marking, RecordedAt: e.RecordedAt}}}
	}
	eventKey := e.Key
	if eventKey == "" {
		eventKey = "vigil-event:" + uuid.NewSHA1(Namespace, []byte("event:"+strconv.FormatInt(e.ID, 10))).String()
	}
	sightingOf := map[int64]string{}
	for _, sr := range reports {
		doc := sr.Document
		srcName := sr.Source.Name
		if srcName == "" {
			srcName = doc.Source
			sr.Source = vigil.Source{Name: srcName, Kind: vigil.SourceNews, Reliability: vigil.ReliabilityF}
			for _, s := range e.Sources {
				if s.Name == srcName {
					sr.Source.Kind, sr.Source.Reliability, sr.Source.Origin, sr.Source.SpeaksFor = s.Kind, s.Reliability, s.Origin, s.SpeaksFor
				}
			}
		}
		if doc.Source == "" {
			doc.Source = srcName
		}
		ident := w.identity(sr.Source)
		created := stamp(doc.RecordedAt, sr.Report.RecordedAt, e.RecordedAt, w.opt.Now)
		rep := sr.Report
		if rep.EventKey == "" {
			rep.EventKey = eventKey
		}
		var refs []string
		perp := -1
		for i, a := range rep.Actors {
			if a.Role == vigil.RolePerpetrator && perp < 0 {
				perp = i
			}
		}
		if perp < 0 && len(rep.Actors) > 0 {
			perp = 0
		}
		for _, a := range rep.Actors {
			refs = append(refs, w.actorObject(a.ActorID, a.Name, created))
		}
		loc := w.location(rep.Place, created)
		if loc != "" {
			refs = append(refs, loc)
		}
		marks := w.markingRef(doc.Marking)
		if perp >= 0 {
			a := rep.Actors[perp]
			key := "report:" + doc.Source + "|" + doc.Key + "|" + rep.Key
			s := sdo("sighting", key, created, stamp(rep.RecordedAt, doc.RecordedAt, e.UpdatedAt, w.opt.Now))
			s["sighting_of_ref"] = w.actorObject(a.ActorID, a.Name, created)
			s["created_by_ref"] = ident
			if !rep.DateStart.IsZero() {
				end := rep.DateEnd
				if end.IsZero() {
					end = rep.DateStart
				}
				s["first_seen"] = stamp(rep.DateStart.Time())
				s["last_seen"] = stamp(end.Time().Add(24*time.Hour - time.Millisecond))
			}
			s["count"] = 1
			if loc != "" {
				s["where_sighted_refs"] = []string{loc}
			}
			if c := istix.ConfidenceFromCredibility(rep.Credibility); c != nil {
				s["confidence"] = *c
			}
			if rep.Summary != "" {
				s["description"] = rep.Summary
			}
			if marks != nil {
				s["object_marking_refs"] = marks
			}
			r := rep
			r.ID, r.DocumentID, r.EventID = 0, 0, 0
			s["x_vigil_report"] = jsonString(r)
			w.emit(s)
			sightingOf[sr.Report.ID] = s["id"].(string)
			refs = append([]string{s["id"].(string)}, refs...)
		}
		w.document(doc, ident, refs, marks, created)
		if perp < 0 {
			// A report that names no actor (an official's toll) is no
			// sighting of anyone: its document keeps it whole.
			r := rep
			r.ID, r.DocumentID, r.EventID = 0, 0, 0
			d := w.docs[ID("report", "document:"+doc.Source+"|"+doc.Key)]
			if v := jsonString(r); d != nil && !slices.Contains(d.reports, v) {
				d.reports = append(d.reports, v)
			}
		}
	}
	for i, c := range e.Contradictions {
		var refs []string
		for _, side := range c.Sides {
			for _, id := range side {
				if s := sightingOf[id]; s != "" && !slices.Contains(refs, s) {
					refs = append(refs, s)
				}
			}
		}
		if len(refs) == 0 {
			continue
		}
		o := sdo("note", fmt.Sprintf("contradiction:%s|%d|%s", eventKey, i, c.Kind), stamp(e.UpdatedAt, w.opt.Now), stamp(e.UpdatedAt, w.opt.Now))
		o["abstract"] = "Contradiction: " + string(c.Kind)
		o["content"] = c.Description
		o["authors"] = []string{"vigil"}
		o["object_refs"] = refs
		o["x_vigil_contradiction"] = jsonString(c)
		if m := w.markingRef(e.Marking); m != nil {
			o["object_marking_refs"] = m
		}
		w.emit(o)
	}
	return w.err
}

// document adds a document's object refs; documents are written at Close.
func (w *Writer) document(doc vigil.Document, ident string, refs, marks []string, created string) {
	key := "document:" + doc.Source + "|" + doc.Key
	id := ID("report", key)
	d := w.docs[id]
	if d == nil {
		o := sdo("report", key, created, created)
		o["name"] = doc.Title
		if doc.Title == "" {
			o["name"] = doc.Key
		}
		o["published"] = stamp(doc.Published, doc.RecordedAt, w.opt.Now)
		o["report_types"] = []string{"threat-report"}
		o["created_by_ref"] = ident
		if doc.Text != "" {
			o["description"] = doc.Text
		}
		if doc.Language != "" {
			o["lang"] = doc.Language
		}
		if doc.URL != "" {
			o["external_references"] = []map[string]string{{"source_name": doc.Source, "url": doc.URL}}
		}
		if marks != nil {
			o["object_marking_refs"] = marks
		}
		o["x_vigil_key"] = doc.Key
		vd := doc
		vd.ID, vd.SourceID, vd.BatchID = 0, 0, 0
		o["x_vigil_document"] = jsonString(vd)
		if doc.ContentHash != "" {
			o["x_vigil_content_hash"] = doc.ContentHash
		}
		head, err := json.Marshal(o)
		if err == nil {
			d, err = w.hold(head)
		}
		if err != nil {
			if w.err == nil {
				w.err = fmt.Errorf("export: stix: %s: %w", id, err)
			}
			return
		}
		w.docs[id] = d
		w.docIDs = append(w.docIDs, id)
	}
	for _, r := range refs {
		if !slices.Contains(d.refs, r) {
			d.refs = append(d.refs, r)
		}
	}
	if len(d.refs) == 0 {
		d.refs = append(d.refs, ident)
	}
}

// Close writes the documents and ends the bundle.
func (w *Writer) Close() error {
	sort.Strings(w.docIDs)
	for _, id := range w.docIDs {
		if w.err != nil {
			break
		}
		o, err := w.object(w.docs[id])
		if err != nil {
			w.err = fmt.Errorf("export: stix: %s: %w", id, err)
			break
		}
		w.emit(o)
	}
	if w.heads != nil {
		w.heads.Close()
		os.Remove(w.heads.Name())
		w.heads = nil
	}
	if w.err != nil {
		return w.err
	}
	if w.n == 0 {
		fmt.Fprintf(w.w, `{"type":"bundle","id":%q,"objects":[`, ID("bundle", w.opt.Name))
	}
	w.w.WriteString("\n]}\n")
	if err := w.w.Flush(); err != nil {
		return fmt.Errorf("export: stix: %w", err)
	}
	return nil
}
