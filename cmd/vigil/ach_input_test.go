package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestACHEvidenceAddRefuses adds items a user might get wrong: each is
// refused saying what to give (the messages read "a event item needs ref"
// and a bare "months -3" before).
func TestACHEvidenceAddRefuses(t *testing.T) {
	db := filepath.Join(t.TempDir(), "v.db")
	mustRun(t, "--db", db, "init")
	mustRun(t, "--db", db, "ach", "create", "c", "--title", "t")
	mustRun(t, "--db", db, "ach", "hypothesis", "add", "c", "H1", "one")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"E1", "an event", "--kind", "event"}, `evidence "E1": ref required (the event's key or id)`},
		{[]string{"E2", "a document", "--kind", "document"}, `ref required (the document's key or id)`},
		{[]string{"E3", "x", "--kind", "indicator", "--indicator", `{"metric":"events","actor":"ISKP","op":">=","threshold":1,"months":-3,"if_met":{"H1":"C"}}`},
			`months -3: want 1 or more`},
		{[]string{"E4", "x", "--kind", "statement", "--source", "S", "--credibility", "9"}, "credibility 9: want 1–6"},
	} {
		t.Run(tc.args[0], func(t *testing.T) {
			_, errOut, code := vigilRun(t, append([]string{"--db", db, "ach", "evidence", "add", "c"}, tc.args...)...)
			if code == 0 || !strings.Contains(errOut, tc.want) {
				t.Errorf("exit %d, stderr %q; want a failure saying %q", code, errOut, tc.want)
			}
		})
	}
}

// TestACHHoldersNoted: a hypothesis held by an id no actor has (a name
// written for an id, a typo) is kept, with a note; known ids draw none.
func TestACHHoldersNoted(t *testing.T) {
	db := filepath.Join(t.TempDir(), "v.db")
	mustRun(t, "--db", db, "import", "case", "../../data/demo/iskp-case.json")
	mustRun(t, "--db", db, "ach", "create", "c", "--title", "t")
	for i, tc := range []struct {
		held  string
		notes []string // ids noted as unknown
	}{
		{"taliban", nil},
		{"taliban,Taliban,talibn", []string{`"Taliban"`, `"talibn"`}},
	} {
		_, errOut, code := vigilRun(t, "--db", db, "ach", "hypothesis", "add", "c", "H"+string(rune('1'+i)), "h", "--held-by", tc.held)
		if code != 0 || strings.Count(errOut, "note: no actor has the id") != len(tc.notes) {
			t.Errorf("--held-by %s: exit %d, stderr %q; want notes on %v", tc.held, code, errOut, tc.notes)
		}
		for _, n := range tc.notes {
			if !strings.Contains(errOut, n) {
				t.Errorf("--held-by %s: no note on %s", tc.held, n)
			}
		}
	}
}
