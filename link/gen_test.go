package link

import (
	"os"
	"testing"

	"github.com/vigil-osint/vigil/actors"
	"github.com/vigil-osint/vigil/ingest/ucdp"
)

// generatedGold generates the gold set from the real UCDP sample.
func generatedGold(t testing.TB, seed uint64) *Gold {
	t.Helper()
	dict, err := actors.Default()
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open("../testdata/ucdp/ucdp_ged231_sample.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := ucdp.NewReader(f, "sample.csv", "23.1", dict)
	if err != nil {
		t.Fatal(err)
	}
	items, err := ReadItems(r.Next)
	if err != nil {
		t.Fatal(err)
	}
	cf := Generate(items, dict, GenOptions{Seed: seed, HardNegatives: 0.15})
	g, err := goldFromFile(cf, "generated", dict)
	if err != nil {
		t.Fatal(err)
	}
	return g
}
