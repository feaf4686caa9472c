package network_test

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/network"
	"github.com/vigil-osint/vigil/sqlite"
)

// BenchmarkBuild builds the graph of 10,000 events among 60 actors (each
// event a perpetrator, a target and, every third, a second perpetrator),
// with 100 relationships, from a real SQLite store:
//
//	go test ./network -run X -bench Build -benchtime 5x
func BenchmarkBuild(b *testing.B) {
	const events, nActors = 10000, 60
	s, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if err := s.UpsertSource(ctx, &vigil.Source{Name: "Wire", Kind: vigil.SourceNews, Reliability: vigil.ReliabilityB}); err != nil {
		b.Fatal(err)
	}
	id := func(i int) string { return fmt.Sprintf("a%02d", i%nActors) }
	for i := range nActors {
		if err := s.UpsertActor(ctx, &vigil.Actor{ID: id(i), Name: "Actor " + id(i), Kind: vigil.ActorArmedGroup}); err != nil {
			b.Fatal(err)
		}
	}
	for i := range 100 {
		r := &vigil.Relationship{From: id(i), To: id(i*7 + 1), Type: vigil.RelationshipTypes[i%len(vigil.RelationshipTypes)]}
		if r.From == r.To {
			r.To = id(i + 1)
		}
		if err := s.CreateRelationship(ctx, r); err != nil {
			b.Fatal(err)
		}
	}
	batch := &vigil.Batch{Format: "bench", Status: vigil.BatchRunning}
	if err := s.CreateBatch(ctx, batch); err != nil {
		b.Fatal(err)
	}
	var items []vigil.Item
	for i := range events {
		day := vigil.MustDate("2018-01-01").AddDays(i % 2000)
		acts := []vigil.ReportActor{actor(id(i)), with(actor(id(i*13+5)), vigil.RoleTarget, "", vigil.AttributionAttributed)}
		if i%3 == 0 {
			acts = append(acts, actor(id(i*29+11)))
		}
		it := event(fmt.Sprintf("e%d", i), day.String(), vigil.TLPClear, acts...)
		items = append(items, it)
		if len(items) == 1000 || i == events-1 {
			if _, err := s.Ingest(ctx, batch, items); err != nil {
				b.Fatal(err)
			}
			items = nil
		}
	}
	w := network.Window{}
	b.ResetTimer()
	for b.Loop() {
		g, err := network.Build(ctx, s, w, network.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if g.Events != events {
			b.Fatalf("%d events, want %d", g.Events, events)
		}
	}
	b.ReportMetric(float64(events)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
