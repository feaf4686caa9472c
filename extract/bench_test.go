package extract

import (
	"context"
	"os"
	"testing"
	"time"
)

// BenchmarkExtract3KB measures extraction with geocoding on a real 3 KB
// article (the opening of the Quetta police college article).
func BenchmarkExtract3KB(b *testing.B) {
	raw, err := os.ReadFile("../testdata/extract/quetta_3kb.txt")
	if err != nil {
		b.Skip(err)
	}
	x, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	in := Input{Text: string(raw), Published: time.Date(2016, 10, 25, 0, 0, 0, 0, time.UTC)}
	ctx := context.Background()
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		if _, err := x.Extract(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
}
