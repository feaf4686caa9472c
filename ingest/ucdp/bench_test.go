package ucdp_test

import (
	"bytes"
	"io"
	"os"
	"testing"

	"github.com/vigil-osint/vigil/bench"
	"github.com/vigil-osint/vigil/ingest/ucdp"
)

// BenchmarkReader reads a GED-shaped file of 20,000 rows generated from the
// real sample through the reader, the sides resolved to actors and the
// rules applied. It reports rows/s; -benchmem's bytes and allocations a
// run divided by 20,000 are a row's.
func BenchmarkReader(b *testing.B) {
	const rows = 20_000
	sample, err := os.ReadFile("../../testdata/ucdp/ucdp_ged231_sample.csv")
	if err != nil {
		b.Fatal(err)
	}
	var ged bytes.Buffer
	if _, err := bench.GED(&ged, bytes.NewReader(sample), rows); err != nil {
		b.Fatal(err)
	}
	d := dict(b)
	for b.Loop() {
		r, err := ucdp.NewReader(bytes.NewReader(ged.Bytes()), "bench.csv", "23.1", d)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for {
			_, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != rows {
			b.Fatalf("read %d rows, want %d", n, rows)
		}
	}
	b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
}
