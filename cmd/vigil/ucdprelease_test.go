package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestEventsShowRevisedRelease: the real sample imported as GED 23.1 and as
// a later release that revised one toll (event 300380: best 2 → 20).
// `events show` names the later figure as a revision of the dataset's
// record, the 23.1 report kept as history, and no contradiction; before, it
// printed "CONTRADICTION casualties: killed: UCDP GED 23.1 says 2, UCDP GED
// 24.1 says 20" and a best of 11.
func TestEventsShowRevisedRelease(t *testing.T) {
	dir := t.TempDir()
	f, err := os.Open(sample)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	revised := false
	for _, r := range recs[1:] {
		if r[col["id"]] == "300380" {
			r[col["low"]], r[col["best"]], r[col["high"]] = "18", "20", "25"
			revised = true
		}
	}
	if !revised {
		t.Fatal("the sample has no event 300380")
	}
	later := filepath.Join(dir, "ged241.csv")
	out, err := os.Create(later)
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(out)
	if err := w.WriteAll(recs); err != nil {
		t.Fatal(err)
	}
	out.Close()

	db := filepath.Join(dir, "v.db")
	mustRun(t, "--db", db, "import", "ucdp", sample)
	mustRun(t, "--db", db, "import", "ucdp", later)
	evs := eventsJSON(t, db, "--country", "SY", "--from", "2013-01-03", "--to", "2013-01-03")
	var id string
	for _, e := range evs {
		if e.Key == "ucdp-ged:300380" {
			id = strconv.FormatInt(e.ID, 10)
			if e.Killed.Best.N != 20 || len(e.Contradictions) != 0 {
				t.Errorf("event 300380: best %s, contradictions %v; want 24.1's 20 and none", e.Killed.Best, e.Contradictions)
			}
			if len(e.Revisions) != 1 || e.Revisions[0].Source != "UCDP GED 23.1" {
				t.Errorf("event 300380: revisions %+v, want the 23.1 report", e.Revisions)
			}
		}
	}
	if id == "" {
		t.Fatal("no event ucdp-ged:300380")
	}
	show := mustRun(t, "--db", db, "events", "show", id)
	if strings.Contains(show, "CONTRADICTION") {
		t.Errorf("events show names a contradiction between two releases:\n%s", show)
	}
	for _, want := range []string{
		"revised     in UCDP GED 24.1 (R2): killed 2 → 20 (18–25); R1 (UCDP GED 23.1) kept as history, not fused",
		"best 20   [from R2]",
		"    revised   in UCDP GED 24.1 (R2): history, not fused",
		"    killed    2\n", // the 23.1 figure stays traceable
	} {
		if !strings.Contains(show, want) {
			t.Errorf("events show lacks %q:\n%s", want, show)
		}
	}
}
