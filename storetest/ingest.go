package storetest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-osint/vigil"
)

func ptr(f float64) *float64 { return &f }

// item makes a document with one report of the event key.
func item(source, key, eventKey string, killed vigil.Range, hash string) vigil.Item {
	r := vigil.Report{
		Key: key, EventKey: eventKey,
		DateStart: vigil.MustDate("2022-09-05"), DateEnd: vigil.MustDate("2022-09-05"), DatePrecision: vigil.DateDay,
		Place: vigil.Place{Name: "Kabul", Latitude: ptr(34.53), Longitude: ptr(69.17), Precision: vigil.LocationExact,
			Country: "AF", Admin1: "AF-KAB", Admin1Name: "Kabul"},
		EventType: vigil.EventExplosions, SubEventType: "Suicide bomb",
		Actors: []vigil.ReportActor{{ActorID: "iskp", Name: "ISKP", Role: vigil.RolePerpetrator, Attribution: vigil.AttributionClaimed}},
		Killed: killed, Credibility: vigil.CredibilityPossible,
	}
	return vigil.Item{
		Document: vigil.Document{Source: source, Key: key, Title: "report " + key, ContentHash: hash, Text: "text " + hash},
		Reports:  []vigil.Report{r},
	}
}

func setup(t *testing.T, s vigil.Store) {
	t.Helper()
	must(t, s.UpsertSource(ctx, &vigil.Source{Name: "Ministry", Kind: vigil.SourceOfficial, Reliability: vigil.ReliabilityC}))
	must(t, s.UpsertSource(ctx, &vigil.Source{Name: "Wire", Kind: vigil.SourceNews, Reliability: vigil.ReliabilityB}))
	must(t, s.UpsertSource(ctx, &vigil.Source{Name: "Amaq", Kind: vigil.SourceGroupMedia, Reliability: vigil.ReliabilityE, SpeaksFor: "iskp"}))
	must(t, s.UpsertActor(ctx, &vigil.Actor{ID: "iskp", Name: "Islamic State Khorasan Province", Kind: vigil.ActorArmedGroup,
		Names: []vigil.ActorName{{Name: "ISIS-K"}, {Name: "Daesh"}}}))
}

func testIngestOutcomes(t *testing.T, s vigil.Store) {
	setup(t, s)
	b := &vigil.Batch{Format: "test", Status: vigil.BatchRunning}
	must(t, s.CreateBatch(ctx, b))
	items := []vigil.Item{item("Wire", "a", "ev1", vigil.Exact(6), "h1"), item("Ministry", "b", "ev2", vigil.Exact(3), "h2")}
	out, err := s.Ingest(ctx, b, items)
	must(t, err)
	if !slices.Equal(out, []vigil.Outcome{vigil.OutcomeNew, vigil.OutcomeNew}) {
		t.Fatalf("first ingest = %v, want new, new", out)
	}
	if d, err := s.FindDocumentByKey(ctx, "Ministry", "b"); err != nil || d.Key != "b" || d.Source != "Ministry" || d.ID == 0 {
		t.Errorf("FindDocumentByKey(Ministry, b) = %+v, %v", d, err)
	}
	out, err = s.Ingest(ctx, b, []vigil.Item{item("Wire", "a", "ev1", vigil.Exact(6), "h1"), item("Ministry", "b", "ev2", vigil.Exact(5), "h2-changed")})
	must(t, err)
	if !slices.Equal(out, []vigil.Outcome{vigil.OutcomeUnchanged, vigil.OutcomeUpdated}) {
		t.Fatalf("second ingest = %v, want unchanged, updated", out)
	}
	// The batch counts both ingests, in memory and as stored.
	want := vigil.Counts{New: 2, Unchanged: 1, Updated: 1}
	if b.Counts != want {
		t.Errorf("batch counts = %+v, want %+v", b.Counts, want)
	}
	if got := storedBatch(t, s, b.ID); got.Counts != want {
		t.Errorf("stored batch counts = %+v, want %+v", got.Counts, want)
	}
	evs, total, err := s.FindEvents(ctx, vigil.EventFilter{})
	must(t, err)
	if total != 2 || len(evs) != 2 {
		t.Fatalf("events = %d (total %d), want 2: an update must not add an event", len(evs), total)
	}
	var ev2 *vigil.Event
	for _, e := range evs {
		if e.Key == "ev2" {
			ev2 = e
		}
	}
	if ev2 == nil || ev2.Killed != vigil.Exact(5) {
		t.Fatalf("updated event = %+v, want killed 5", ev2)
	}
	full, err := s.FindEventByID(ctx, ev2.ID)
	must(t, err)
	hist, err := s.FindReportHistory(ctx, full.Reports[0].Document.ID)
	must(t, err)
	if len(hist) != 1 || hist[0].Report.Killed != vigil.Exact(3) || hist[0].ContentHash != "h2" {
		t.Errorf("history = %+v, want the old version with killed 3 and hash h2", hist)
	}
}

func testIngestAtomic(t *testing.T, s vigil.Store) {
	setup(t, s)
	b := &vigil.Batch{Format: "test", Status: vigil.BatchRunning, Counts: vigil.Counts{Read: 2}}
	must(t, s.CreateBatch(ctx, b))
	bad := item("Wire", "bad", "ev-bad", vigil.Range{Low: vigil.N(10), Best: vigil.N(2), High: vigil.N(12)}, "h")
	_, err := s.Ingest(ctx, b, []vigil.Item{item("Wire", "good", "ev-good", vigil.Exact(1), "h"), bad})
	wantCode(t, err, vigil.EINVALID)
	_, total, err := s.FindEvents(ctx, vigil.EventFilter{})
	must(t, err)
	if total != 0 {
		t.Errorf("a failed ingest left %d events, want none", total)
	}
	// Nor did it count anything in the batch, in memory or stored.
	want := vigil.Counts{Read: 2}
	if b.Counts != want {
		t.Errorf("after a failed ingest, batch counts = %+v, want %+v", b.Counts, want)
	}
	if got := storedBatch(t, s, b.ID); got.Counts != want {
		t.Errorf("after a failed ingest, stored batch counts = %+v, want %+v", got.Counts, want)
	}
}

// storedBatch returns the batch with the id as the store holds it.
func storedBatch(t *testing.T, s vigil.Store, id int64) *vigil.Batch {
	t.Helper()
	bs, err := s.FindBatches(ctx)
	must(t, err)
	for _, b := range bs {
		if b.ID == id {
			return b
		}
	}
	t.Fatalf("no batch %d stored", id)
	return nil
}

func testIngestUnknownSource(t *testing.T, s vigil.Store) {
	_, err := s.Ingest(ctx, nil, []vigil.Item{item("Nobody", "a", "ev", vigil.Exact(1), "h")})
	wantCode(t, err, vigil.ENOTFOUND)
}

func testEventFusion(t *testing.T, s vigil.Store) {
	setup(t, s)
	claim := item("Amaq", "claim", "embassy", vigil.Exact(25), "c")
	official := item("Ministry", "official", "embassy", vigil.Exact(6), "o")
	official.Reports[0].Actors[0].Attribution = vigil.AttributionAttributed
	press := item("Wire", "press", "embassy", vigil.Range{Low: vigil.N(6), Best: vigil.N(8), High: vigil.N(10)}, "p")
	_, err := s.Ingest(ctx, nil, []vigil.Item{claim, official})
	must(t, err)
	_, err = s.Ingest(ctx, nil, []vigil.Item{press}) // joins the stored event
	must(t, err)
	evs, _, err := s.FindEvents(ctx, vigil.EventFilter{})
	must(t, err)
	if len(evs) != 1 {
		t.Fatalf("got %d events, want one event of three reports", len(evs))
	}
	e, err := s.FindEventByID(ctx, evs[0].ID)
	must(t, err)
	if len(e.Reports) != 3 || len(e.Sources) != 3 {
		t.Fatalf("event has %d reports from %d sources, want 3 and 3", len(e.Reports), len(e.Sources))
	}
	// Every report is graded possibly true, so low and high span all three;
	// best comes from the independent origins only, the claim left out,
	// weighted by reliability: the wire (B) outweighs the ministry (C).
	if e.Killed.Low != vigil.N(6) || e.Killed.High != vigil.N(25) || e.Killed.Best != vigil.N(8) {
		t.Errorf("killed = %v, want low 6, best 8 (the wire's, the claim left out), high 25", e.Killed)
	}
	if e.Corroboration != 2 {
		t.Errorf("corroboration = %d, want 2 (the group's own media does not corroborate)", e.Corroboration)
	}
	kinds := map[vigil.ContradictionKind]bool{}
	for _, c := range e.Contradictions {
		kinds[c.Kind] = true
	}
	if !kinds[vigil.ContradictionCasualties] {
		t.Errorf("contradictions = %+v, want the casualty figures 6 vs 25 named", e.Contradictions)
	}
	if len(e.Basis["killed.high"]) != 1 {
		t.Errorf("basis of killed.high = %v, want the claim's report", e.Basis["killed.high"])
	}
}

// testEventFusionFollowsRegrade: an event fused from a source's reports is
// fused again when the source is regraded: its sources carry the new grade
// and its best estimate weighs it.
func testEventFusionFollowsRegrade(t *testing.T, s vigil.Store) {
	setup(t, s)
	official := item("Ministry", "official", "embassy", vigil.Exact(6), "o")
	press := item("Wire", "press", "embassy", vigil.Range{Low: vigil.N(6), Best: vigil.N(8), High: vigil.N(10)}, "p")
	_, err := s.Ingest(ctx, nil, []vigil.Item{official, press})
	must(t, err)
	fused := func() *vigil.Event {
		t.Helper()
		evs, _, err := s.FindEvents(ctx, vigil.EventFilter{})
		must(t, err)
		if len(evs) != 1 {
			t.Fatalf("got %d events, want one event of two reports", len(evs))
		}
		e, err := s.FindEventByID(ctx, evs[0].ID)
		must(t, err)
		for _, ev := range []*vigil.Event{evs[0], e} {
			if ev.Killed.Best != e.Killed.Best || !reflect.DeepEqual(ev.Sources, e.Sources) {
				t.Errorf("the list and the event differ: %v %+v against %v %+v", ev.Killed, ev.Sources, e.Killed, e.Sources)
			}
		}
		return e
	}
	grade := func(e *vigil.Event, name string) vigil.Reliability {
		for _, src := range e.Sources {
			if src.Name == name {
				return src.Reliability
			}
		}
		return ""
	}
	before := fused()
	if grade(before, "Ministry") != vigil.ReliabilityC || before.Killed.Best != vigil.N(8) {
		t.Fatalf("before the regrade: Ministry %s, best %v; want C, and the wire's 8 (B outweighs C)", grade(before, "Ministry"), before.Killed)
	}
	must(t, s.UpsertSource(ctx, &vigil.Source{Name: "Ministry", Kind: vigil.SourceOfficial, Reliability: vigil.ReliabilityA}))
	after := fused()
	if grade(after, "Ministry") != vigil.ReliabilityA || after.Killed.Best != vigil.N(6) {
		t.Errorf("after the Ministry is regraded A: its grade %s, best %v; want A, and the Ministry's 6 (A outweighs B)", grade(after, "Ministry"), after.Killed)
	}
}

func testEventFilters(t *testing.T, s vigil.Store) {
	setup(t, s)
	a := item("Wire", "a", "a", vigil.Exact(1), "a")
	b := item("Wire", "b", "b", vigil.Exact(1), "b")
	b.Reports[0].Country, b.Reports[0].Admin1, b.Reports[0].Admin1Name = "PK", "PK-KP", "Khyber Pakhtunkhwa"
	b.Reports[0].DateStart, b.Reports[0].DateEnd = vigil.MustDate("2023-07-30"), vigil.MustDate("2023-07-30")
	b.Reports[0].EventType = vigil.EventViolenceCivilians
	b.Reports[0].SubEventType = "Attack"
	c := item("Wire", "c", "c", vigil.Exact(1), "c")
	c.Reports[0].Actors = []vigil.ReportActor{{Name: "Unknown gunmen", Role: vigil.RolePerpetrator, Attribution: vigil.AttributionUnknown}}
	c.Reports[0].Admin1, c.Reports[0].Admin1Name = "AF-NAN", "Nangarhar"
	c.Document.Marking = vigil.TLPAmber
	_, err := s.Ingest(ctx, nil, []vigil.Item{a, b, c})
	must(t, err)
	tests := []struct {
		name string
		f    vigil.EventFilter
		want []string
	}{
		{"all", vigil.EventFilter{}, []string{"a", "c", "b"}},
		{"actor by alias", vigil.EventFilter{Actor: "isis-k"}, []string{"a", "b"}},
		{"actor by another alias", vigil.EventFilter{Actor: "Daesh"}, []string{"a", "b"}},
		{"unresolved actor by name", vigil.EventFilter{Actor: "unknown gunmen"}, []string{"c"}},
		{"country", vigil.EventFilter{Countries: []string{"pk"}}, []string{"b"}},
		{"admin1 code", vigil.EventFilter{Admin1: []string{"AF-NAN"}}, []string{"c"}},
		{"admin1 name with unit word", vigil.EventFilter{Admin1: []string{"Nangarhar province"}}, []string{"c"}},
		{"from", vigil.EventFilter{From: vigil.MustDate("2023-01-01")}, []string{"b"}},
		{"to", vigil.EventFilter{To: vigil.MustDate("2022-12-31")}, []string{"a", "c"}},
		{"type", vigil.EventFilter{Types: []vigil.EventType{vigil.EventViolenceCivilians}}, []string{"b"}},
		{"clearance hides amber", vigil.EventFilter{Clearance: vigil.TLPGreen}, []string{"a", "b"}},
		{"limit", vigil.EventFilter{Limit: 1, Offset: 1}, []string{"c"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			evs, total, err := s.FindEvents(ctx, tt.f)
			must(t, err)
			var keys []string
			for _, e := range evs {
				keys = append(keys, e.Key)
			}
			if !slices.Equal(keys, tt.want) {
				t.Errorf("FindEvents(%+v) = %v, want %v", tt.f, keys, tt.want)
			}
			if tt.f.Limit == 0 && total != len(tt.want) {
				t.Errorf("total = %d, want %d", total, len(tt.want))
			}
		})
	}
}

func testEventNotFound(t *testing.T, s vigil.Store) {
	_, err := s.FindEventByID(ctx, 12345)
	wantCode(t, err, vigil.ENOTFOUND)
	_, err = s.FindDocumentByID(ctx, 12345)
	wantCode(t, err, vigil.ENOTFOUND)
	_, err = s.FindDocumentByKey(ctx, "Wire", "nothing")
	wantCode(t, err, vigil.ENOTFOUND)
}

// testDocumentWithoutReports: a document may carry no report (an analysis,
// a STIX object vigil has no type for), and a new version without reports
// retracts its event (as an ACLED deletion does) while history keeps it.
func testDocumentWithoutReports(t *testing.T, s vigil.Store) {
	setup(t, s)
	analysis := vigil.Item{Document: vigil.Document{Source: "Wire", Key: "analysis", Title: "an analysis", ContentHash: "x", Text: "no incident"}}
	out, err := s.Ingest(ctx, nil, []vigil.Item{analysis, item("Wire", "row", "row-event", vigil.Exact(4), "v1")})
	must(t, err)
	if !slices.Equal(out, []vigil.Outcome{vigil.OutcomeNew, vigil.OutcomeNew}) {
		t.Fatalf("outcomes %v, want new, new", out)
	}
	evs, _, err := s.FindEvents(ctx, vigil.EventFilter{})
	must(t, err)
	if len(evs) != 1 {
		t.Fatalf("%d events, want only the row's", len(evs))
	}
	full, err := s.FindEventByID(ctx, evs[0].ID)
	must(t, err)
	docID := full.Reports[0].Document.ID
	retract := vigil.Item{Document: vigil.Document{Source: "Wire", Key: "row", ContentHash: "v2-deleted"}}
	out, err = s.Ingest(ctx, nil, []vigil.Item{retract})
	must(t, err)
	if out[0] != vigil.OutcomeUpdated {
		t.Fatalf("retraction outcome %v, want updated", out[0])
	}
	if _, total, _ := s.FindEvents(ctx, vigil.EventFilter{}); total != 0 {
		t.Errorf("%d events after the retraction, want none", total)
	}
	hist, err := s.FindReportHistory(ctx, docID)
	must(t, err)
	if len(hist) != 1 || hist[0].Report.Killed != vigil.Exact(4) {
		t.Errorf("history after the retraction = %+v, want the retracted report", hist)
	}
}

// testIngestNeverGoesBack: a document older than the stored version (an
// old export imported after a newer one) is left out, in a chunk of its own
// or beside its newer self; a newer one updates; unversioned ones always do.
func testIngestNeverGoesBack(t *testing.T, s vigil.Store) {
	setup(t, s)
	version := func(it vigil.Item, v int64) vigil.Item { it.Document.Version = v; return it }
	steps := []struct {
		name  string
		items []vigil.Item
		want  []vigil.Outcome
		toll  int
	}{
		{"the 2023 export", []vigil.Item{version(item("Wire", "a", "ev1", vigil.Exact(9), "h2023"), 2023)}, []vigil.Outcome{vigil.OutcomeNew}, 9},
		{"the 2021 export after it", []vigil.Item{version(item("Wire", "a", "ev1", vigil.Exact(4), "h2021"), 2021)}, []vigil.Outcome{vigil.OutcomeOlder}, 9},
		{"2024, then 2022 in one chunk", []vigil.Item{version(item("Wire", "a", "ev1", vigil.Exact(11), "h2024"), 2024),
			version(item("Wire", "a", "ev1", vigil.Exact(5), "h2022"), 2022)}, []vigil.Outcome{vigil.OutcomeUpdated, vigil.OutcomeOlder}, 11},
		{"unversioned", []vigil.Item{item("Wire", "a", "ev1", vigil.Exact(12), "hnone")}, []vigil.Outcome{vigil.OutcomeUpdated}, 12},
	}
	for _, st := range steps {
		out, err := s.Ingest(ctx, nil, st.items)
		must(t, err)
		if !slices.Equal(out, st.want) {
			t.Errorf("%s: outcomes %v, want %v", st.name, out, st.want)
		}
		evs, _, err := s.FindEvents(ctx, vigil.EventFilter{})
		must(t, err)
		if len(evs) != 1 || evs[0].Killed != vigil.Exact(st.toll) {
			t.Fatalf("%s: events %d, killed %v; want one event of %d killed", st.name, len(evs), evs[0].Killed, st.toll)
		}
	}
}

// testIngestTwiceInOneChunk: a document stored twice in one chunk counts
// once, as its second version, also when the chunk made its event; one
// retracted in the chunk that brought it leaves no event.
func testIngestTwiceInOneChunk(t *testing.T, s vigil.Store) {
	setup(t, s)
	chunks := [][]vigil.Item{
		{item("Wire", "a", "ev1", vigil.Exact(6), "h1"), item("Amaq", "c", "ev1", vigil.Exact(30), "h3"),
			item("Ministry", "b", "ev2", vigil.Exact(3), "h2"),
			{Document: vigil.Document{Source: "Wire", Key: "analysis", Title: "an analysis", ContentHash: "x"}}},
		{item("Wire", "a", "ev1", vigil.Exact(6), "h1"), item("Ministry", "b", "ev2", vigil.Exact(5), "h2-changed"),
			item("Wire", "d", "ev3", vigil.Range{Low: vigil.N(2), Best: vigil.N(4), High: vigil.N(9)}, "h4"),
			item("Wire", "d", "ev3", vigil.Exact(4), "h4-again"),
			item("Wire", "e", "ev4", vigil.Exact(1), "h5"), {Document: vigil.Document{Source: "Wire", Key: "e", ContentHash: "h5-retracted"}}},
	}
	want := [][]vigil.Outcome{
		{vigil.OutcomeNew, vigil.OutcomeNew, vigil.OutcomeNew, vigil.OutcomeNew},
		{vigil.OutcomeUnchanged, vigil.OutcomeUpdated, vigil.OutcomeNew, vigil.OutcomeUpdated, vigil.OutcomeNew, vigil.OutcomeUpdated},
	}
	for i, chunk := range chunks {
		out, err := s.Ingest(ctx, nil, chunk)
		must(t, err)
		if !slices.Equal(out, want[i]) {
			t.Fatalf("chunk %d: outcomes %v, want %v", i, out, want[i])
		}
	}
	evs, _, err := s.FindEvents(ctx, vigil.EventFilter{})
	must(t, err)
	byKey := map[string]*vigil.Event{}
	for _, e := range evs {
		full, err := s.FindEventByID(ctx, e.ID)
		must(t, err)
		byKey[e.Key] = full
	}
	if e := byKey["ev3"]; e == nil || len(e.Reports) != 1 || e.Killed != vigil.Exact(4) {
		t.Errorf("ev3 = %+v, want one report, killed 4", e)
	}
	if e := byKey["ev4"]; e != nil || len(evs) != 3 {
		t.Errorf("%d events (ev4 %+v), want ev1, ev2, ev3", len(evs), e)
	}
	if e := byKey["ev1"]; e == nil || len(e.Reports) != 2 {
		t.Errorf("ev1 = %+v, want its two reports", e)
	}
	d, err := s.FindDocumentByKey(ctx, "Wire", "d")
	must(t, err)
	if hist, err := s.FindReportHistory(ctx, d.ID); err != nil || len(hist) != 1 || hist[0].ContentHash != "h4" {
		t.Errorf("history of d = %+v, %v; want its first version", hist, err)
	}
}

// without drops the keys that drop names from decoded JSON, at any depth.
func without(v any, drop func(key string) bool) any {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if drop(k) {
				delete(v, k)
			} else {
				v[k] = without(x, drop)
			}
		}
	case []any:
		for i, x := range v {
			v[i] = without(x, drop)
		}
	}
	return v
}

// recordTimes names the keys of the times rows were recorded at.
func recordTimes(k string) bool {
	return k == "recorded_at" || k == "updated_at" || k == "superseded_at"
}

// rowIDs names the keys that hold row ids (a contradiction's sides are
// report ids).
func rowIDs(k string) bool {
	return k == "id" || k == "sides" || strings.HasSuffix(k, "_id") || strings.HasSuffix(k, "_ids")
}

// testIngestChunking: how a run cuts its items into chunks never changes
// what the store does with them. A random run of new documents, revisions
// (an event key changed, a second report added), repeats, retractions and
// stale versions, with merges decided between them, goes in one item a
// chunk, all in one chunk, and in chunks of random sizes; the outcomes,
// the events with their fused values and reports, and every document's
// history must be the same; the facts must follow the events; and a dump
// restored must dump to the same bytes.
func testIngestChunking(t *testing.T, s vigil.Store, newStore NewStore) {
	for seed := range uint64(3) {
		r := chunkingRun(seed)
		stores := []vigil.Store{s, newStore(t), newStore(t)}
		if seed > 0 {
			stores[0] = newStore(t)
		}
		var got []string
		for way, st := range stores {
			if st != s {
				defer st.Close()
			}
			setup(t, st)
			out := ingestChunked(t, st, r, way, rand.New(rand.NewPCG(seed, 7)))
			if !slices.Equal(out, r.want) {
				t.Fatalf("seed %d, chunking %d: outcomes\n%v\nwant\n%v", seed, way, out, r.want)
			}
			got = append(got, canonical(t, st))
			factsFollowEvents(t, st)
			detailsAsOneByOne(t, st)
		}
		dumpRestoreSame(t, stores[2], newStore)
		if got[1] != got[0] || got[2] != got[0] {
			t.Errorf("seed %d: one item a chunk stored\n%s\nall in one chunk\n%s\nrandom chunks\n%s", seed, got[0], got[1], got[2])
		}
	}
}

// ingestChunked stores a run one item a chunk (way 0), all in one chunk
// (1), or in chunks of 1–7 (2); no chunk spans a merge, which is decided
// where the run puts it.
func ingestChunked(t *testing.T, s vigil.Store, r *run, way int, rng *rand.Rand) []vigil.Outcome {
	t.Helper()
	items := r.items()
	var out []vigil.Outcome
	for pos := 0; pos < len(items); {
		if m, ok := r.merges[pos]; ok {
			merge(t, s, m)
		}
		n := min([]int{1, len(items), 1 + rng.IntN(7)}[way], len(items)-pos)
		for at := range r.merges {
			if at > pos && at < pos+n {
				n = at - pos
			}
		}
		chunk := items[pos : pos+n]
		o, err := s.Ingest(ctx, nil, chunk)
		must(t, err)
		out = append(out, o...)
		pos += n
	}
	return out
}

// merge has a person merge the events of two keys, when both exist and
// differ.
func merge(t *testing.T, s vigil.Store, keys [2]string) {
	t.Helper()
	evs, _, err := s.FindEvents(ctx, vigil.EventFilter{})
	must(t, err)
	var ids []int64
	for _, k := range keys {
		if i := slices.IndexFunc(evs, func(e *vigil.Event) bool { return e.Key == k }); i >= 0 {
			ids = append(ids, evs[i].ID)
		}
	}
	if len(ids) == 2 && ids[0] != ids[1] {
		must(t, linkStore(t, s).Decide(ctx, &vigil.LinkOp{Kind: vigil.LinkOpMerge, Events: ids, Reason: "one attack", By: "analyst"}))
	}
}

// chunkingRun makes a random run of items over six documents and four
// events, with three merges.
// A run is a random run of items, the outcomes that storing them in order
// must give, and the merges of events (by key) that a person decides
// before the item of each index.
type run struct {
	items  func() []vigil.Item // a fresh copy each call: Ingest sets ids in reports
	want   []vigil.Outcome
	merges map[int][2]string
}

func chunkingRun(seed uint64) *run {
	rng := rand.New(rand.NewPCG(seed, 1))
	sources := []string{"Wire", "Ministry", "Amaq"}
	type state struct {
		ver     int64
		last    *vigil.Item
		stored  bool
		version int64 // the stored version, for versioned documents
	}
	docs := make([]state, 6)
	var items []vigil.Item
	var want []vigil.Outcome
	merges := map[int][2]string{}
	for range 3 {
		a, b := rng.IntN(4), rng.IntN(4)
		merges[5+rng.IntN(50)] = [2]string{fmt.Sprintf("ev%d", a), fmt.Sprintf("ev%d", b)}
	}
	for range 60 {
		k := rng.IntN(len(docs))
		d := &docs[k]
		versioned := k%3 == 2
		key := fmt.Sprintf("doc%d", k)
		var it vigil.Item
		switch op := rng.IntN(20); {
		case op < 3 && d.last != nil: // the same version again
			it = *d.last
		case op < 5 && d.stored: // retracted: no reports
			d.ver++
			it = vigil.Item{Document: vigil.Document{Source: sources[k%3], Key: key, ContentHash: fmt.Sprintf("%s-v%d-retracted", key, d.ver)}}
		default:
			d.ver++
			it = item(sources[k%3], key, fmt.Sprintf("ev%d", rng.IntN(4)), vigil.Exact(rng.IntN(40)), fmt.Sprintf("%s-v%d", key, d.ver))
			if rng.IntN(3) == 0 {
				r := it.Reports[0]
				r.Key, r.EventKey, r.Killed = key+"-second", fmt.Sprintf("ev%d", rng.IntN(4)), vigil.Exact(rng.IntN(40))
				it.Reports = append(it.Reports, r)
			}
		}
		if versioned {
			it.Document.Version = d.ver
			if d.ver > 2 && rng.IntN(5) == 0 { // a stale export
				it.Document.Version, it.Document.ContentHash = d.ver-2, fmt.Sprintf("%s-stale%d", key, d.ver)
			}
		}
		var o vigil.Outcome
		switch {
		case !d.stored:
			o = vigil.OutcomeNew
		case it.Document.ContentHash == d.last.Document.ContentHash:
			o = vigil.OutcomeUnchanged
		case versioned && d.version > it.Document.Version:
			o = vigil.OutcomeOlder
		default:
			o = vigil.OutcomeUpdated
		}
		if o == vigil.OutcomeNew || o == vigil.OutcomeUpdated {
			d.stored, d.version = true, it.Document.Version
			c := it
			d.last = &c
		}
		items = append(items, it)
		want = append(want, o)
	}
	return &run{items: func() []vigil.Item {
		out := make([]vigil.Item, len(items))
		for i, it := range items {
			it.Reports = slices.Clone(it.Reports)
			out[i] = it
		}
		return out
	}, want: want, merges: merges}
}

// canonical is what a store holds of events and documents, as JSON without
// ids and times, which may differ between stores that hold the same.
func canonical(t *testing.T, s vigil.Store) string {
	t.Helper()
	evs, _, err := s.FindEvents(ctx, vigil.EventFilter{})
	must(t, err)
	all := map[string]any{}
	for _, e := range evs {
		full, err := s.FindEventByID(ctx, e.ID)
		must(t, err)
		var reps []string
		for _, r := range full.Reports {
			reps = append(reps, r.Source.Name+"/"+r.Document.Key+"/"+r.Report.Key+"@"+r.Document.ContentHash)
		}
		slices.Sort(reps)
		full.Reports, full.Basis, full.ReportIDs = nil, nil, nil
		all["event "+e.Key] = []any{full, reps}
	}
	for k := range 6 {
		for _, src := range []string{"Wire", "Ministry", "Amaq"} {
			d, err := s.FindDocumentByKey(ctx, src, fmt.Sprintf("doc%d", k))
			if err != nil {
				continue
			}
			hist, err := s.FindReportHistory(ctx, d.ID)
			must(t, err)
			var versions []string
			for _, h := range hist {
				versions = append(versions, h.ContentHash+"/"+h.Report.Key+"→"+h.Report.EventKey)
			}
			all["document "+src+"/"+d.Key] = []any{d.ContentHash, d.Version, versions}
		}
	}
	b, err := json.Marshal(all)
	must(t, err)
	var v any
	must(t, json.Unmarshal(b, &v))
	b, err = json.MarshalIndent(without(v, func(k string) bool { return recordTimes(k) || rowIDs(k) }), "", " ")
	must(t, err)
	return string(b)
}

// factsFollowEvents checks that the facts of every event, row by row and
// in columns, are those of the events FindEvents returns.
func factsFollowEvents(t *testing.T, s vigil.Store) {
	t.Helper()
	evs, _, err := s.FindEvents(ctx, vigil.EventFilter{})
	must(t, err)
	as := analysis(t, s)
	facts, err := as.FindEventFacts(ctx, vigil.FactFilter{})
	must(t, err)
	if len(facts) != len(evs) {
		t.Fatalf("%d facts for %d events", len(facts), len(evs))
	}
	for i, e := range evs {
		want := vigil.FactOf(e)
		if !factsEqual(facts[i], want) || !facts[i].RecordedAt.Equal(want.RecordedAt) {
			t.Errorf("facts of event %d:\n got %+v\nwant %+v", e.ID, facts[i], want)
		}
	}
	sameInColumns(t, as, vigil.FactFilter{}, facts)
}

// dumpRestoreSame checks that s, dumped and restored into a fresh store,
// dumps to the same bytes, and returns the dump and the fresh store (closed
// when the test ends).
func dumpRestoreSame(t *testing.T, s vigil.Store, newStore NewStore) (dump []byte, fresh vigil.Store) {
	t.Helper()
	var first, second bytes.Buffer
	must(t, s.Dump(ctx, &first))
	fresh = newStore(t)
	t.Cleanup(func() { fresh.Close() })
	must(t, fresh.Restore(ctx, bytes.NewReader(first.Bytes())))
	must(t, fresh.Dump(ctx, &second))
	if !bytes.Equal(first.Bytes(), second.Bytes()) {
		t.Errorf("dump → restore → dump changed the bytes (%d vs %d)", first.Len(), second.Len())
	}
	return first.Bytes(), fresh
}

// Differential stores the same random runs of items (see
// testIngestChunking) in a store of each kind and checks that both hold
// the same events, fused values, reports and histories.
func Differential(t *testing.T, newStore, other NewStore) {
	for seed := range uint64(3) {
		r := chunkingRun(seed)
		var got []string
		for _, open := range []NewStore{newStore, other} {
			s := open(t)
			defer s.Close()
			setup(t, s)
			out := ingestChunked(t, s, r, 2, rand.New(rand.NewPCG(seed, 7)))
			if !slices.Equal(out, r.want) {
				t.Fatalf("seed %d, %T: outcomes\n%v\nwant\n%v", seed, s, out, r.want)
			}
			got = append(got, canonical(t, s))
		}
		if got[0] != got[1] {
			t.Errorf("seed %d: one store holds\n%s\nthe other\n%s", seed, got[0], got[1])
		}
	}
}

// detailsAsOneByOne checks that a store that reads events in batches
// (vigil.EventDetailer) gives each as FindEventByID does, in the order
// asked, leaving out ids of no event.
func detailsAsOneByOne(t *testing.T, s vigil.Store) {
	t.Helper()
	d, ok := s.(vigil.EventDetailer)
	if !ok {
		return
	}
	evs, _, err := s.FindEvents(ctx, vigil.EventFilter{})
	must(t, err)
	ids := []int64{1 << 40} // no event
	for i := len(evs) - 1; i >= 0; i-- {
		ids = append(ids, evs[i].ID)
	}
	got, err := d.FindEventDetails(ctx, ids)
	must(t, err)
	if len(got) != len(evs) {
		t.Fatalf("FindEventDetails gave %d events, want %d", len(got), len(evs))
	}
	for i, e := range got {
		want, err := s.FindEventByID(ctx, ids[i+1])
		must(t, err)
		a, err := json.Marshal(e)
		must(t, err)
		b, err := json.Marshal(want)
		must(t, err)
		if string(a) != string(b) {
			t.Errorf("FindEventDetails, event %d:\n%s\nFindEventByID:\n%s", ids[i+1], a, b)
		}
		// Read with its documents, the event is the one FindEvents lists.
		listed := *evs[len(evs)-1-i]
		e.Reports, listed.Reports = nil, nil
		if a, b = mustJSONOf(t, e), mustJSONOf(t, &listed); string(a) != string(b) {
			t.Errorf("FindEventDetails, event %d:\n%s\nFindEvents:\n%s", ids[i+1], a, b)
		}
	}
}

func mustJSONOf(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	must(t, err)
	return b
}
