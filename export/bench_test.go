package export

import (
	"io"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/vigil-osint/vigil"
)

func benchEvents() int {
	if n, err := strconv.Atoi(os.Getenv("VIGIL_BENCH_EVENTS")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}

// benchPool is a pool of varied events that a benchmark cycles through
// (ids, places, dates and tolls change), standing for a million events
// without holding a million in memory.
func benchPool() []*vigil.Event {
	pool := make([]*vigil.Event, 1000)
	for i := range pool {
		e := *sampleEvent()
		lat, lon := 30+float64(i%100)/10, 60+float64(i%150)/10
		e.Latitude, e.Longitude = &lat, &lon
		e.DateStart = vigil.MustDate("2017-01-01").AddDays(i)
		e.DateEnd = e.DateStart
		e.Killed = vigil.Range{Low: vigil.N(i % 7), Best: vigil.N(i % 11), High: vigil.N(i%11 + 3)}
		if i%10 == 0 {
			e.Latitude, e.Longitude = nil, nil
		}
		pool[i] = &e
	}
	return pool
}

func benchWrite(b *testing.B, newW func(io.Writer) Writer) {
	n := benchEvents()
	pool := benchPool()
	for b.Loop() {
		w := newW(io.Discard)
		start := time.Now()
		for i := 0; i < n; i++ {
			e := pool[i%len(pool)]
			e.ID = int64(i + 1)
			if err := w.Write(e); err != nil {
				b.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(n)/time.Since(start).Seconds(), "events/s")
	}
}

// BenchmarkCSV writes VIGIL_BENCH_EVENTS events (default 1M) as vigil's CSV.
func BenchmarkCSV(b *testing.B) { benchWrite(b, NewCSV) }

// BenchmarkGeoJSON writes VIGIL_BENCH_EVENTS events (default 1M) as GeoJSON.
func BenchmarkGeoJSON(b *testing.B) { benchWrite(b, NewGeoJSON) }

// BenchmarkACLED writes VIGIL_BENCH_EVENTS events as ACLED-like CSV.
func BenchmarkACLED(b *testing.B) { benchWrite(b, NewACLED) }

// BenchmarkUCDP writes VIGIL_BENCH_EVENTS events as UCDP-like CSV.
func BenchmarkUCDP(b *testing.B) { benchWrite(b, NewUCDP) }
