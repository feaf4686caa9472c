package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-osint/vigil"
)

// sourceGrade returns the kind and reliability of the named source in the
// store db, or "none".
func sourceGrade(t *testing.T, db, name string) string {
	t.Helper()
	var out []vigil.Source
	if err := json.Unmarshal([]byte(mustRun(t, "--db", db, "sources", "list", "--format", "json")), &out); err != nil {
		t.Fatal(err)
	}
	for _, s := range out {
		if s.Name == name {
			return string(s.Kind) + " " + string(s.Reliability)
		}
	}
	return "none"
}

// TestImportKeepsSourceGrade: `import text` of a source the store holds
// keeps its grade unless --reliability or --kind is given.
func TestImportKeepsSourceGrade(t *testing.T) {
	db := filepath.Join(t.TempDir(), "v.db")
	art := func(name string) string { return filepath.Join("..", "..", "testdata", "extract", name) }
	grade := func() string { return sourceGrade(t, db, "Tolo News") }
	for _, step := range []struct {
		args []string
		want string
	}{
		{[]string{"quetta_3kb.txt", "--kind", "news", "--reliability", "C"}, "news C"},
		{[]string{"2016_Khuzdar_bombing.md"}, "news C"}, // the flags' defaults (news, F) regrade nothing
		{[]string{"November_2016_Kabul_suicide_bombing.md", "--reliability", "B"}, "news B"},
	} {
		mustRun(t, append([]string{"--db", db, "import", "text", art(step.args[0]), "--source", "Tolo News"}, step.args[1:]...)...)
		if got := grade(); got != step.want {
			t.Errorf("after import text %v: Tolo News is %q, want %q", step.args, got, step.want)
		}
	}
}

// TestImportCaseRegrades: a case file grades its sources as a person
// wrote it, so its import gives a stored source the file's grade.
func TestImportCaseRegrades(t *testing.T) {
	dir := t.TempDir()
	db, edited := filepath.Join(dir, "v.db"), filepath.Join(dir, "case.json")
	mustRun(t, "--db", db, "import", "case", "../../data/demo/iskp-case.json")
	data, err := os.ReadFile("../../data/demo/iskp-case.json")
	if err != nil {
		t.Fatal(err)
	}
	old := `"name": "Voice of Khurasan",
   "kind": "armed-group-media",
   "reliability": "E"`
	if !bytes.Contains(data, []byte(old)) {
		t.Fatalf("the demo case no longer grades Voice of Khurasan E as %q", old)
	}
	if err := os.WriteFile(edited, bytes.Replace(data, []byte(old), []byte(strings.Replace(old, `"E"`, `"D"`, 1)), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	mustRun(t, "--db", db, "import", "case", edited)
	got := sourceGrade(t, db, "Voice of Khurasan")
	if got != "armed-group-media D" {
		t.Errorf("after the case file regraded it D, Voice of Khurasan is %s", got)
	}
}

// TestSourcesGrade: vigil sources grade regrades a source, audited, and
// the events fused from its reports carry the new grade.
func TestSourcesGrade(t *testing.T) {
	db := filepath.Join(t.TempDir(), "v.db")
	mustRun(t, "--db", db, "demo")
	out := mustRun(t, "--db", db, "sources", "grade", "Russian officials", "--reliability", "A")
	if !strings.Contains(out, "Russian officials: A") || !strings.Contains(out, "was C") {
		t.Errorf("sources grade said %q", out)
	}
	if got := sourceGrade(t, db, "Russian officials"); got != "official A" {
		t.Errorf("Russian officials is %q, want official A", got)
	}
	seen := 0
	for _, e := range eventsJSON(t, db, "--country", "RU") {
		for _, src := range e.Sources {
			if src.Name == "Russian officials" {
				seen++
				if src.Reliability != vigil.ReliabilityA {
					t.Errorf("event %d still grades Russian officials %s", e.ID, src.Reliability)
				}
			}
		}
	}
	if seen == 0 {
		t.Error("no event in Russia has Russian officials among its sources")
	}
	if audit := mustRun(t, "--db", db, "audit", "list"); !strings.Contains(audit, "source.update") {
		t.Errorf("the regrade is not in the audit log:\n%s", audit)
	}
	for _, bad := range [][]string{{"Russian officials"}, {"nobody", "--reliability", "B"}, {"Russian officials", "--reliability", "H"}} {
		if _, errOut, code := vigilRun(t, append([]string{"--db", db, "sources", "grade"}, bad...)...); code == 0 || errOut == "" {
			t.Errorf("sources grade %v: exit %d, stderr %q; want a refusal", bad, code, errOut)
		}
	}
}
