package storetest

import (
	"errors"
	"io"
	"os"
	"testing"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/actors"
	"github.com/vigil-osint/vigil/ingest/ucdp"
)

// UCDPSample reads the real UCDP GED sample at path (testdata/ucdp/
// ucdp_ged231_sample.csv) as items, with the shipped actor dictionary,
// leaving out the rows the reader rejects, and returns its source.
func UCDPSample(t testing.TB, path string) ([]vigil.Item, *vigil.Source) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dict, err := actors.Default()
	if err != nil {
		t.Fatal(err)
	}
	r, err := ucdp.NewReader(f, "sample.csv", "23.1", dict)
	if err != nil {
		t.Fatal(err)
	}
	var items []vigil.Item
	for {
		it, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		var re *vigil.RowError
		if errors.As(err, &re) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		items = append(items, *it)
	}
	if len(items) < 900 {
		t.Fatalf("%s: read %d items, want the sample's 905", path, len(items))
	}
	return items, r.Source()
}
