package sqlite

import (
	"context"
	"io/fs"
	"path/filepath"
	"slices"
	"testing"

	"github.com/pressly/goose/v3"

	"github.com/vigil-osint/vigil"
)

// TestFactsBackfill: migration 00003 fills event_facts for the events a
// store held before it, with the values ingest writes.
func TestFactsBackfill(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "v.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.UpsertSource(ctx, &vigil.Source{Name: "Wire", Kind: vigil.SourceNews, Reliability: vigil.ReliabilityB}); err != nil {
		t.Fatal(err)
	}
	lat, lon := 34.43, 70.45
	var items []vigil.Item
	for i, k := range []vigil.Range{vigil.Exact(3), {Low: vigil.N(1), Best: vigil.N(2), High: vigil.N(8)}, {}} {
		key := string(rune('a' + i))
		r := vigil.Report{Key: key, EventKey: key, DateStart: vigil.MustDate("2021-08-26"), DateEnd: vigil.MustDate("2021-08-26"),
			DatePrecision: vigil.DateDay, EventType: vigil.EventExplosions, Killed: k,
			Place:       vigil.Place{Country: "AF", Admin1: "AF-NAN", Admin1Name: "Nangarhar"},
			TargetTypes: []vigil.TargetType{"Military", "Police"}[:i%3]}
		if i != 2 {
			r.Latitude, r.Longitude = &lat, &lon
		}
		items = append(items, vigil.Item{Document: vigil.Document{Source: "Wire", Key: key, ContentHash: key}, Reports: []vigil.Report{r}})
	}
	if _, err := s.Ingest(ctx, 0, items); err != nil {
		t.Fatal(err)
	}
	want, err := s.FindEventFacts(ctx, vigil.FactFilter{})
	if err != nil {
		t.Fatal(err)
	}
	sub, _ := fs.Sub(migrations, "migrations")
	p, err := goose.NewProvider(goose.DialectSQLite3, s.db, sub)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.DownTo(ctx, 2); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := s.FindEventFacts(ctx, vigil.FactFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || !slices.EqualFunc(got, want, func(a, b vigil.EventFact) bool {
		return a.ID == b.ID && a.Killed == b.Killed && a.Located == b.Located && a.Latitude == b.Latitude &&
			slices.Equal(a.TargetTypes, b.TargetTypes) && slices.Equal(a.Sources, b.Sources) &&
			a.Admin1 == b.Admin1 && a.Precision == b.Precision && a.RecordedAt.Equal(b.RecordedAt)
	}) {
		t.Errorf("backfilled facts:\n%+v\nwant what ingest wrote:\n%+v", got, want)
	}
}
