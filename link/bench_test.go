package link

import (
	"fmt"
	"os"
	"testing"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/actors"
	"github.com/vigil-osint/vigil/ingest/ucdp"
)

// syntheticRecords generates n records as vigil link bench does: the UCDP
// sample replayed over SyntheticYears(n), every record new.
func syntheticRecords(b testing.TB, n int) ([]Record, []string) {
	b.Helper()
	dict, err := actors.Default()
	if err != nil {
		b.Fatal(err)
	}
	f, err := os.Open("../testdata/ucdp/ucdp_ged231_sample.csv")
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	r, err := ucdp.NewReader(f, "sample.csv", "23.1", dict)
	if err != nil {
		b.Fatal(err)
	}
	items, err := ReadItems(r.Next)
	if err != nil {
		b.Fatal(err)
	}
	srcs := map[string]*vigil.Source{}
	for i, s := range SyntheticSources() {
		s.ID = int64(i + 1)
		srcs[s.Name] = &s
	}
	var recs []Record
	var labels []string
	var id, doc int64
	err = Synthetic(items, dict, n, SyntheticYears(n), 1, func(it *vigil.Item) error {
		doc++
		for _, rep := range it.Reports {
			id++
			labels = append(labels, rep.EventKey)
			rep.ID, rep.DocumentID, rep.EventKey = id, doc, ""
			rec := NewRecord(&vigil.LinkRecord{Report: rep, Source: srcs[it.Document.Source]})
			rec.New = true
			recs = append(recs, rec)
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return recs, labels
}

// BenchmarkLink links generated reports in memory at the sizes of vigil
// link bench (1M only with VIGIL_BENCH_1M=1): its time is what the
// near-linear growth target is about.
func BenchmarkLink(b *testing.B) {
	c := config(b)
	sizes := []int{100_000, 300_000}
	if os.Getenv("VIGIL_BENCH_1M") != "" {
		sizes = append(sizes, 1_000_000)
	}
	for _, n := range sizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			recs, labels := syntheticRecords(b, n)
			b.ResetTimer()
			var res *Result
			for b.Loop() {
				res = c.Link(recs, nil)
			}
			b.ReportMetric(float64(res.Compared), "pairs")
			b.ReportMetric(Evaluate(labels, res.Group).BCubed.F1, "F1")
		})
	}
}
