package geo

import "testing"

// BenchmarkLoad measures parsing the embedded gazetteer and boundaries.
func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load(); err != nil {
			b.Fatal(err)
		}
	}
}
