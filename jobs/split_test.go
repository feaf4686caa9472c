package jobs

import (
	"bytes"
	"encoding/csv"
	"os"
	"testing"
)

// TestSplitTable splits the real UCDP sample, whose fields hold quoted line
// breaks, and finds every part a valid CSV file with the header and the
// rows, in order, adding up to the file's.
func TestSplitTable(t *testing.T) {
	b, err := os.ReadFile("../testdata/ucdp/ucdp_ged231_sample.csv")
	if err != nil {
		t.Fatal(err)
	}
	all, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, rows := range []int{1, 7, 50, 904, 905, 5000} {
		parts := SplitTable(b, rows)
		var got [][]string
		for i, p := range parts {
			recs, err := csv.NewReader(bytes.NewReader(p)).ReadAll()
			if err != nil {
				t.Fatalf("rows %d: part %d: %v", rows, i, err)
			}
			if len(recs) < 2 || len(recs)-1 > rows || !equal(recs[0], all[0]) {
				t.Fatalf("rows %d: part %d holds %d records, header %v", rows, i, len(recs), recs[0][:2])
			}
			got = append(got, recs[1:]...)
		}
		if len(got) != len(all)-1 {
			t.Fatalf("rows %d: %d rows in %d parts, want %d", rows, len(got), len(parts), len(all)-1)
		}
		for i := range got {
			if !equal(got[i], all[i+1]) {
				t.Fatalf("rows %d: row %d differs", rows, i)
			}
		}
	}
	if p := SplitTable([]byte("a,b\n1,2\n"), 10); len(p) != 1 {
		t.Errorf("a small file: %d parts", len(p))
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
