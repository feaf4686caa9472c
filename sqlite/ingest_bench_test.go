package sqlite_test

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/actors"
	"github.com/vigil-osint/vigil/bench"
	"github.com/vigil-osint/vigil/ingest/ucdp"
	"github.com/vigil-osint/vigil/sqlite"
)

// BenchmarkIngest measures the store alone: items made beforehand from a
// generated GED file are stored in chunks of 2,000, as imports do. It
// reports rows per second.
func BenchmarkIngest(b *testing.B) {
	const rows = 20000
	sample, err := os.ReadFile("../testdata/ucdp/ucdp_ged231_sample.csv")
	if err != nil {
		b.Fatal(err)
	}
	var ged bytes.Buffer
	if _, err := bench.GED(&ged, bytes.NewReader(sample), rows); err != nil {
		b.Fatal(err)
	}
	dict, err := actors.Default()
	if err != nil {
		b.Fatal(err)
	}
	r, err := ucdp.NewReader(&ged, "bench.csv", "23.1", dict)
	if err != nil {
		b.Fatal(err)
	}
	var items []vigil.Item
	var src *vigil.Source
	for {
		it, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			b.Fatal(err)
		}
		if it.Source != nil {
			src = it.Source
		}
		items = append(items, *it)
	}
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "v.db"))
		if err != nil {
			b.Fatal(err)
		}
		for _, a := range dict.Actors {
			if a.Parent == "" {
				s.UpsertActor(ctx, a)
			}
		}
		for _, a := range dict.Actors {
			s.UpsertActor(ctx, a)
		}
		s.UpsertSource(ctx, src)
		b.StartTimer()
		for c := 0; c < len(items); c += 2000 {
			chunk := append([]vigil.Item(nil), items[c:min(c+2000, len(items))]...)
			if _, err := s.Ingest(ctx, nil, chunk); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		s.Close()
	}
	b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
}
