package acled

import (
	"context"
	"errors"

	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/bench"
	"github.com/vigil-osint/vigil/ingest"
	"github.com/vigil-osint/vigil/sqlite"
)

func benchRows() int {
	if n, err := strconv.Atoi(os.Getenv("VIGIL_BENCH_ROWS")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}

// heapWatch samples the live heap after a GC, for the memory-flat claim.
type heapWatch struct{ first, max uint64 }

func (h *heapWatch) sample() {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	if h.first == 0 {
		h.first = m.HeapAlloc
	}
	h.max = max(h.max, m.HeapAlloc)
}

// BenchmarkReader reads a generated ACLED-shaped file of VIGIL_BENCH_ROWS
// rows (default 1M) through the reader, actor resolution included. It
// reports rows/s and the live heap after the first 10k rows and at most
// over the run: flat when they are close.
func BenchmarkReader(b *testing.B) {
	n := benchRows()
	d := dict(b)
	for b.Loop() {
		r, err := NewReader(bench.ACLED(Columns, n), "bench.csv", d)
		if err != nil {
			b.Fatal(err)
		}
		var hw heapWatch
		start := time.Now()
		rows := 0
		for {
			_, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			if rows++; rows%(n/10+1) == 10_000 || rows == 10_000 {
				hw.sample()
			}
		}
		b.ReportMetric(float64(rows)/time.Since(start).Seconds(), "rows/s")
		b.ReportMetric(float64(hw.first)/1e6, "MB-heap-at-10k")
		b.ReportMetric(float64(hw.max)/1e6, "MB-heap-max")
	}
}

// BenchmarkImport imports a generated ACLED-shaped file of
// VIGIL_BENCH_ROWS rows into a fresh SQLite store with ingest.Run, as
// `vigil import acled` does.
func BenchmarkImport(b *testing.B) {
	n := benchRows()
	d := dict(b)
	for b.Loop() {
		ctx := context.Background()
		s, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
		if err != nil {
			b.Fatal(err)
		}
		r, err := NewReader(bench.ACLED(Columns, n), "bench.csv", d)
		if err != nil {
			b.Fatal(err)
		}
		var hw heapWatch
		batch := &vigil.Batch{Format: "acled", File: "bench.csv", Source: SourceName}
		start := time.Now()
		chunks := 0
		err = ingest.Run(ctx, s, batch, r, ingest.Options{Progress: func(vigil.Counts) {
			if chunks++; chunks == 5 || chunks%100 == 0 {
				hw.sample()
			}
		}})
		if err != nil && !errors.Is(err, ingest.ErrRejected) {
			b.Fatal(err)
		}
		el := time.Since(start)
		if batch.Counts.New != n {
			b.Fatalf("new %d of %d rows", batch.Counts.New, n)
		}
		b.ReportMetric(float64(n)/el.Seconds(), "rows/s")
		b.ReportMetric(float64(hw.first)/1e6, "MB-heap-at-10k")
		b.ReportMetric(float64(hw.max)/1e6, "MB-heap-max")
		s.Close()
	}
}

func TestGenerator(t *testing.T) {
	items, rejects := readAll(t, mustRead(t, bench.ACLED(Columns, 50)))
	if len(items) != 50 || len(rejects) != 0 {
		t.Fatalf("got %d items, %d rejections: %v", len(items), len(rejects), rejects)
	}
	if got := items[1].Reports[0].Actors[0].Attribution; got != vigil.AttributionDisputed {
		t.Errorf("row 1 attribution %q", got)
	}
}

func mustRead(t *testing.T, r io.Reader) string {
	t.Helper()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
