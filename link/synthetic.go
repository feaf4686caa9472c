package link

import (
	"fmt"
	"math/rand/v2"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/actors"
	"github.com/vigil-osint/vigil/ingest/casefile"
)

// SyntheticYears is how many years Synthetic spreads n reports over so
// that reporting is as dense at every size: thirty years per 100,000
// reports (about nine reports a day in the sample's region). A bigger
// collection covers more time and places, not more reports of each place
// and day; at a fixed span, copies of one real row land days apart at one
// place and become indistinguishable.
func SyntheticYears(n int) int { return max(30, 30*n/100_000) }

// Synthetic streams about n generated reports for benchmarks: the real
// rows in items are replayed over the given number of years, centred on
// the rows' own dates (each copy moved by a random number of days, so that
// the countries keep their real shares of events) and each copy is told as
// Generate tells an event. fn receives one item per document, with its
// source the first time a source appears, and the true event as the
// report's EventKey (callers that link clear it).
func Synthetic(items []vigil.Item, dict *actors.Dictionary, n, years int, seed uint64, fn func(*vigil.Item) error) error {
	rng := rand.New(rand.NewPCG(seed, 0x73796e))
	srcs := map[string]*vigil.Source{}
	for i := range genSources {
		s := genSources[i]
		srcs[s.Name] = &s
	}
	sent := map[string]bool{}
	made := 0
	for copyN := 0; made < n; copyN++ {
		base := &items[rng.IntN(len(items))]
		if len(base.Reports) == 0 {
			continue
		}
		truth := base.Reports[0]
		shift := rng.IntN(years*365) - years*365/2
		truth.DateStart, truth.DateEnd = truth.DateStart.AddDays(shift), truth.DateEnd.AddDays(shift)
		doc := base.Document
		doc.Key = fmt.Sprintf("%s#%d", doc.Key, copyN)
		g := &generator{rng: rng, dict: dict, f: &casefile.File{}}
		g.row(fmt.Sprintf("syn%d", copyN), truth, doc, "")
		for _, d := range g.f.Documents {
			it := &vigil.Item{Document: vigil.Document{Source: d.Source, Key: d.Key, Title: d.Title,
				ContentHash: vigil.HashContent(d.Key), Marking: vigil.TLPClear}, Reports: d.Reports}
			for i := range it.Reports {
				if it.Reports[i].Key == "" {
					it.Reports[i].Key = "0"
				}
				if it.Reports[i].DateEnd.IsZero() {
					it.Reports[i].DateEnd = it.Reports[i].DateStart
				}
				if dict != nil {
					dict.Apply(&it.Reports[i])
				}
			}
			if !sent[d.Source] {
				it.Source, sent[d.Source] = srcs[d.Source], true
			}
			made += len(it.Reports)
			if err := fn(it); err != nil {
				return err
			}
		}
	}
	return nil
}

// SyntheticSources returns the sources that Synthetic's items name.
func SyntheticSources() []vigil.Source { return append([]vigil.Source(nil), genSources...) }
