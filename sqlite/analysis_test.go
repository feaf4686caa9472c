package sqlite

import (
	"context"
	"database/sql"
	"io/fs"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/pressly/goose/v3"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/internal/eventrow"
)

// TestLeanEventsMigration: migration 00008 moves the facts of a store
// written before it from event_facts into events, and its actors into the
// keyed event_actors, so that every reader answers as before.
func TestLeanEventsMigration(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v.db")
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	sub, _ := fs.Sub(migrations, "migrations")
	p, err := goose.NewProvider(goose.DialectSQLite3, db, sub)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(ctx, 7); err != nil {
		t.Fatal(err)
	}
	// One event as the writer before 00008 stored it: fused JSON in
	// events, its facts in event_facts, its actors in event_actors.
	src := vigil.Source{ID: 1, Name: "Wire", Kind: vigil.SourceNews, Reliability: vigil.ReliabilityB}
	lat, lon := 34.43, 70.45
	rep := vigil.Report{ID: 1, DocumentID: 1, Key: "a", EventKey: "a", DateStart: vigil.MustDate("2021-08-26"), DateEnd: vigil.MustDate("2021-08-26"),
		DatePrecision: vigil.DateDay, EventType: vigil.EventExplosions, Killed: vigil.Range{Low: vigil.N(1), Best: vigil.N(2), High: vigil.N(8)},
		Place:       vigil.Place{Country: "AF", Admin1: "AF-NAN", Admin1Name: "Nangarhar"},
		Credibility: vigil.Credibility(3), TargetTypes: []vigil.TargetType{"Military"},
		Actors: []vigil.ReportActor{{ActorID: "iskp", Name: "ISKP", Role: vigil.RolePerpetrator, Attribution: vigil.AttributionClaimed}}}
	rep.Latitude, rep.Longitude = &lat, &lon
	doc := vigil.Document{ID: 1, SourceID: 1, Source: "Wire", Key: "a", ContentHash: "a", Marking: vigil.TLPClear}
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	e := vigil.Fuse("a", []vigil.SourcedReport{{Report: rep, Document: doc, Source: src}}, nil)
	e.ID, e.RecordedAt, e.UpdatedAt = 1, now, now
	nowText := timeText(now)
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO sources (id, name, data, recorded_at) VALUES (1, 'Wire', ?, ?)`, []any{mustJSON(src), nowText}},
		{`INSERT INTO actors (id, data, recorded_at) VALUES ('iskp', '{"id":"iskp","name":"ISKP"}', ?)`, []any{nowText}},
		{`INSERT INTO actor_names (actor_id, norm) VALUES ('iskp', 'iskp')`, nil},
		{`INSERT INTO documents (id, source_id, key, content_hash, tlp_rank, data, recorded_at) VALUES (1, 1, 'a', 'a', 0, ?, ?)`, []any{mustJSON(doc), nowText}},
		{`INSERT INTO events (id, key, date_start, date_end, country, admin1, admin1_name, event_type, tlp_rank, data, recorded_at, updated_at)
			VALUES (1, 'a', '2021-08-26', '2021-08-26', 'AF', 'af nan', 'nangarhar', 'Explosions/Remote violence', 0, ?, ?, ?)`, []any{mustJSON(&e), nowText, nowText}},
		{`INSERT INTO reports (id, document_id, key, event_id, data, recorded_at) VALUES (1, 1, 'a', 1, ?, ?)`, []any{eventrow.EncodeReport(&rep), nowText}},
		{`INSERT INTO event_actors (event_id, actor_id, name_norm, role) VALUES (1, 'iskp', 'iskp', 'perpetrator'), (1, 'iskp', 'iskp', 'perpetrator')`, nil},
		{`INSERT INTO event_facts (id, date_start, date_end, date_precision, country, admin1, admin1_name, unit, unit_name, lat, lon,
			event_type, tlp_rank, killed_low, killed_best, killed_high, target_types, sources, recorded_at, updated_at)
			VALUES (1, '2021-08-26', '2021-08-26', 1, 'AF', 'af nan', 'nangarhar', 'AF-NAN', 'Nangarhar', ?, ?,
			'Explosions/Remote violence', 0, 1, 2, 8, 'Military', 'Wire', ?, ?)`, []any{lat, lon, nowText, nowText}},
	} {
		if _, err := db.ExecContext(ctx, q.sql, q.args...); err != nil {
			t.Fatalf("%s: %v", q.sql, err)
		}
	}
	db.Close()

	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	facts, err := s.FindEventFacts(ctx, vigil.FactFilter{EventFilter: vigil.EventFilter{Actor: "ISKP"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(facts) != 1 {
		t.Fatalf("facts of ISKP after the migration: %d, want 1", len(facts))
	}
	f := facts[0]
	if f.Killed != e.Killed || !f.Located || f.Latitude != lat || f.Admin1 != "AF-NAN" ||
		!slices.Equal(f.TargetTypes, e.TargetTypes) || !slices.Equal(f.Sources, []string{"Wire"}) || !f.RecordedAt.Equal(now) {
		t.Errorf("fact after the migration: %+v", f)
	}
	for _, min := range []vigil.Credibility{3, 2} {
		evs, n, err := s.FindEvents(ctx, vigil.EventFilter{Actor: "iskp", MinCredibility: min})
		if err != nil {
			t.Fatal(err)
		}
		if want := map[vigil.Credibility]int{3: 1, 2: 0}[min]; n != want || len(evs) != want {
			t.Errorf("events of ISKP with credibility %d or better: %d, want %d", min, n, want)
		}
	}
	got, err := s.FindEventByID(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if got.Killed != e.Killed || got.Credibility != 3 || len(got.Reports) != 1 {
		t.Errorf("event after the migration: %+v", got)
	}
}

// TestFactBlocksOfAnotherFormat: a block written in another format (by an
// older vigil on the same file) is built again, not read as corrupt.
func TestFactBlocksOfAnotherFormat(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "v.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.UpsertSource(ctx, &vigil.Source{Name: "Wire", Kind: vigil.SourceNews, Reliability: vigil.ReliabilityB}); err != nil {
		t.Fatal(err)
	}
	r := vigil.Report{Key: "a", EventKey: "a", DateStart: vigil.MustDate("2021-08-26"), DateEnd: vigil.MustDate("2021-08-26"),
		DatePrecision: vigil.DateDay, EventType: vigil.EventExplosions, Killed: vigil.Exact(3), Place: vigil.Place{Country: "AF"}}
	if _, err := s.Ingest(ctx, nil, []vigil.Item{{Document: vigil.Document{Source: "Wire", Key: "a", ContentHash: "a"}, Reports: []vigil.Report{r}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.FindEventFacts(ctx, vigil.FactFilter{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.ExecContext(ctx, `UPDATE fact_blocks SET data = x'01' || substr(data, 2)`); err != nil {
		t.Fatal(err)
	}
	facts, err := s.FindEventFacts(ctx, vigil.FactFilter{})
	if err != nil || len(facts) != 1 || facts[0].Killed != vigil.Exact(3) {
		t.Fatalf("facts over a block of version 1: %+v, %v; want the event's, rebuilt", facts, err)
	}
}

// TestMakeColumns: the columns the fact blocks are decoded into are every
// column of vigil.Facts, each as long as asked.
func TestMakeColumns(t *testing.T) {
	var fs vigil.Facts
	makeColumns(&fs, 7)
	v := reflect.ValueOf(fs)
	for i := range v.NumField() {
		f := v.Type().Field(i)
		if !f.IsExported() || f.Name == "Strings" || f.Name == "Lists" {
			continue
		}
		if n := v.Field(i).Len(); n != 7 {
			t.Errorf("column %s: %d rows, want 7", f.Name, n)
		}
	}
}
