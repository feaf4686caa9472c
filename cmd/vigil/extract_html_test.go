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

// kabulPage is English Wikipedia's "November 2016 Kabul suicide bombing"
// served as a page: site header, search form, an "In the news" sidebar,
// scripts and a navbox full of other attacks around the article.
const kabulPage = "../../testdata/extract/November_2016_Kabul_suicide_bombing.html"

type htmlReport struct {
	Document string `json:"document"`
	Date     string `json:"date_start"`
	Country  string `json:"country"`
	Admin1   string `json:"admin1"`
	Killed   struct{ Best *int }
	Wounded  struct{ Best *int }
	Actors   []struct {
		ActorID     string `json:"actor_id"`
		Attribution string `json:"attribution"`
	} `json:"actors"`
	Evidence []struct {
		Field string `json:"field"`
		Text  string `json:"text"`
	} `json:"evidence"`
}

func extractHTML(t *testing.T, stdin string, args ...string) []htmlReport {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), append([]string{"extract"}, append(args, "--format", "json")...), strings.NewReader(stdin), &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var reps []htmlReport
	if err := json.Unmarshal(out.Bytes(), &reps); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	return reps
}

// TestExtractHTMLPage reads the real article from its page, by file name
// and sniffed from standard input: one report, the article's, and none
// from the sidebar, scripts or navbox (a truck bomb that killed 150, an
// attack on a shrine, 80 killed in Mazar-i-Sharif in a script).
func TestExtractHTMLPage(t *testing.T) {
	page, err := os.ReadFile(kabulPage)
	if err != nil {
		t.Fatal(err)
	}
	for name, reps := range map[string][]htmlReport{
		"file":  extractHTML(t, "", kabulPage),
		"stdin": extractHTML(t, string(page), "-"),
	} {
		if len(reps) != 1 {
			t.Fatalf("%s: %d reports, want the article's one: %+v", name, len(reps), reps)
		}
		r := reps[0]
		if r.Date != "2016-11-21" || r.Country != "AF" || r.Admin1 != "AF-KAB" || r.Killed.Best == nil || *r.Killed.Best != 32 || r.Wounded.Best == nil || *r.Wounded.Best != 80 {
			t.Errorf("%s: report %+v, want Kabul 2016-11-21 with 32 killed and 80 wounded", name, r)
		}
		claimed := false
		for _, a := range r.Actors {
			claimed = claimed || a.ActorID == "iskp" && a.Attribution == "claimed"
		}
		if !claimed {
			t.Errorf("%s: actors %+v, want ISKP's claim", name, r.Actors)
		}
		for _, ev := range r.Evidence {
			if strings.ContainsAny(ev.Text, "<>") || strings.Contains(ev.Text, "&#") {
				t.Errorf("%s: evidence %q holds markup", name, ev.Text)
			}
		}
	}
}

// TestImportTextHTML imports a folder holding the page and a Markdown
// article: both are read; a page of nothing but boilerplate is refused
// with its reason.
func TestImportTextHTML(t *testing.T) {
	dir := t.TempDir()
	page, err := os.ReadFile(kabulPage)
	if err != nil {
		t.Fatal(err)
	}
	md, err := os.ReadFile("../../testdata/extract/2016_Khuzdar_bombing.md")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "kabul.htm"), page, 0o644)
	os.WriteFile(filepath.Join(dir, "khuzdar.md"), md, 0o644)
	db := filepath.Join(t.TempDir(), "v.db")
	out, errOut, code := vigilRun(t, "--db", db, "import", "text", dir, "--source", "Wikipedia pages")
	if code != 0 || strings.Count(out, "new 1,") != 2 {
		t.Fatalf("import text: exit %d, %q %q; want the two articles new", code, out, errOut)
	}
	chrome := filepath.Join(t.TempDir(), "chrome.html")
	os.WriteFile(chrome, []byte("<html><body><nav>Bomb kills 9</nav><script>x='12 killed'</script></body></html>"), 0o644)
	if _, errOut, code := vigilRun(t, "--db", db, "import", "text", chrome, "--source", "Wikipedia pages"); code == 0 || !strings.Contains(errOut, "chrome.html") || !strings.Contains(errOut, "without main text") {
		t.Errorf("import of a page of boilerplate: exit %d, %q; want a refusal naming it", code, errOut)
	}
	mustRun(t, "--db", db, "link")
	found := false
	for _, e := range eventsJSON(t, db, "--country", "AF", "--from", "2016-11-21", "--to", "2016-11-21") {
		found = found || e.Admin1 == "AF-KAB" && e.Killed.Best.Known && e.Killed.Best.N == 32
	}
	if !found {
		t.Error("no event in Kabul on 21 November 2016 with 32 killed: the page was not read")
	}
}
