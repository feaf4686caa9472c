package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-osint/vigil"
)

func TestExtractFromStdin(t *testing.T) {
	in := "KABUL, Nov 2 - Gunmen killed 12 policemen in Jalalabad late Tuesday. Daesh claimed responsibility through Amaq."
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"extract", "-", "--format", "json"}, strings.NewReader(in), &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var reps []struct {
		Country  string              `json:"country"`
		Admin1   string              `json:"admin1"`
		Killed   struct{ Best *int } `json:"killed"`
		Evidence []struct {
			Field      string `json:"field"`
			Start, End int
			Text       string `json:"text"`
		} `json:"evidence"`
	}
	if err := json.Unmarshal(out.Bytes(), &reps); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if len(reps) != 1 || reps[0].Country != "AF" || reps[0].Admin1 != "AF-NAN" || reps[0].Killed.Best == nil || *reps[0].Killed.Best != 12 {
		t.Fatalf("reports = %+v, want one in Nangarhar with 12 killed", reps)
	}
	for _, ev := range reps[0].Evidence {
		if ev.Start < 0 || ev.End > len(in) || in[ev.Start:ev.End] != ev.Text {
			t.Errorf("evidence %q for %s does not point at the text (%d–%d)", ev.Text, ev.Field, ev.Start, ev.End)
		}
	}
}

func TestExtractRefusesBinary(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "x.txt")
	os.WriteFile(bin, []byte("PK\x03\x04\x00\x00binary"), 0o644)
	_, errOut, code := vigilRun(t, "extract", bin)
	if code == 0 || !strings.Contains(errOut, "binary") {
		t.Errorf("exit %d, %q: want a clear refusal of a binary file", code, errOut)
	}
}

// TestImportText imports the real Wikipedia articles of late 2016 as
// text, links the extracted reports and finds the Quetta police college
// attack among the events.
func TestImportText(t *testing.T) {
	db := filepath.Join(t.TempDir(), "v.db")
	dir := "../../testdata/link/wikipedia_2016"
	out := mustRun(t, "--db", db, "import", "text", dir, "--source", "Wikipedia articles", "--kind", "social", "--reliability", "C")
	if !strings.Contains(out, "rejected 0") || strings.Contains(out, "new 0,") {
		t.Errorf("import text said %q", out)
	}
	again := mustRun(t, "--db", db, "import", "text", dir, "--source", "Wikipedia articles")
	if strings.Contains(again, "new 1") || !strings.Contains(again, "unchanged") {
		t.Errorf("a second import of the same articles said %q, want all unchanged", again)
	}
	mustRun(t, "--db", db, "link")
	found := false
	for _, e := range eventsJSON(t, db, "--country", "PK", "--from", "2016-10-24", "--to", "2016-10-25") {
		if e.Admin1 == "PK-BA" && e.Killed.Best.Known && e.Killed.Best.N >= 50 {
			found = true
		}
	}
	if !found {
		t.Error("no event in Balochistan on 24–25 October 2016 with 50 or more killed: the Quetta police college attack was not read")
	}
	_, errOut, code := vigilRun(t, "--db", db, "import", "text", dir)
	if code == 0 || !strings.Contains(errOut, "source") {
		t.Errorf("import text without --source: exit %d, %q", code, errOut)
	}
}

// TestImportKeepsSourceGrade: `import text` of a source the store holds
// keeps its grade unless --reliability or --kind is given.
func TestImportKeepsSourceGrade(t *testing.T) {
	db := filepath.Join(t.TempDir(), "v.db")
	art := func(name string) string { return filepath.Join("..", "..", "testdata", "extract", name) }
	grade := func() string {
		var out []vigil.Source
		if err := json.Unmarshal([]byte(mustRun(t, "--db", db, "sources", "list", "--format", "json")), &out); err != nil {
			t.Fatal(err)
		}
		for _, s := range out {
			if s.Name == "Tolo News" {
				return string(s.Kind) + " " + string(s.Reliability)
			}
		}
		return "none"
	}
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
	var out []vigil.Source
	if err := json.Unmarshal([]byte(mustRun(t, "--db", db, "sources", "list", "--format", "json")), &out); err != nil {
		t.Fatal(err)
	}
	got := "none"
	for _, s := range out {
		if s.Name == "Voice of Khurasan" {
			got = string(s.Reliability)
		}
	}
	if got != "D" {
		t.Errorf("after the case file regraded it D, Voice of Khurasan is %s", got)
	}
}
