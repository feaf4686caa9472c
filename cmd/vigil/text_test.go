package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
