package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-osint/vigil"
)

// TestACHImportRejects: `vigil ach import` of the shipped case with a bad
// date in an indicator and a rating that is none of the six imports the
// rest, lists the two as file:line: field: reason and exits 3; the shipped
// case itself imports as before (exit 0, the same line); a file that is no
// case file fails whole (exit 1). Before, the bad date failed the whole
// file: exit 1, `vigil: invalid: date "2022-02-30"…`, nothing imported.
func TestACHImportRejects(t *testing.T) {
	dir := t.TempDir()
	shipped, err := os.ReadFile("../../data/demo/iskp-ach.json")
	if err != nil {
		t.Fatal(err)
	}
	bad := string(shipped)
	for _, e := range []struct{ after, old, new string }{
		{`"id": "E16"`, `"from": "2022-01-01"`, `"from": "2022-02-30"`},
		{`"ratings": [`, `"rating": "C"`, `"rating": "X"`},
	} {
		i := strings.Index(bad, e.after)
		j := strings.Index(bad[i:], e.old)
		if i < 0 || j < 0 {
			t.Fatalf("no %q after %q in the shipped case", e.old, e.after)
		}
		bad = bad[:i+j] + e.new + bad[i+j+len(e.old):]
	}
	badFile := filepath.Join(dir, "bad.json")
	notCase := filepath.Join(dir, "list.json")
	for f, s := range map[string]string{badFile: bad, notCase: `[{"id": "iskp"}]`} {
		if err := os.WriteFile(f, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	tests := []struct {
		name     string
		file     string
		code     int
		stdout   string   // wanted whole
		stderr   []string // wanted in stderr, each a line
		items    int      // the items of the case stored after
		ratings  int
		noStderr bool
	}{
		{"shipped", "../../data/demo/iskp-ach.json", 0,
			"case iskp: 4 hypotheses, 20 items, 121 ratings; ranking H4 > H3 > H2 > H1\n", nil, 20, 121, true},
		{"bad date and rating", badFile, exitRejected,
			"case iskp: 4 hypotheses, 19 items, 120 ratings, rejected 2; ranking H4 > H3 > H2 > H1\n",
			[]string{
				badFile + `:190: evidence.indicator.from: date "2022-02-30": want YYYY-MM-DD`,
				badFile + `:354: ratings.rating: rating E1/H2: "X": want CC, C, N, I, II or NA`,
				"vigil: some elements of the case file were rejected (listed above)",
			}, 19, 120, false},
		{"no case file", notCase, 1, "",
			[]string{"vigil: " + notCase + ": not a case file: line 1, column 1: a JSON array, want an object (the case)"}, 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "v.db")
			mustRun(t, "--db", db, "init")
			out, errOut, code := vigilRun(t, "--db", db, "ach", "import", tt.file)
			if code != tt.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tt.code, errOut)
			}
			if out != tt.stdout {
				t.Errorf("stdout %q, want %q", out, tt.stdout)
			}
			lines := strings.Split(strings.TrimSuffix(errOut, "\n"), "\n")
			for _, w := range tt.stderr {
				if !slices.Contains(lines, w) {
					t.Errorf("stderr lacks the line %q:\n%s", w, errOut)
				}
			}
			if tt.noStderr && errOut != "" {
				t.Errorf("stderr %q, want none", errOut)
			}
			if tt.items == 0 {
				return
			}
			// What was kept is stored: the items, and the analysts' ratings
			// beside those computed from the indicators.
			var got struct {
				Evidence []json.RawMessage      `json:"evidence"`
				Ratings  []vigil.ACHRatingEntry `json:"ratings"`
			}
			if err := json.Unmarshal([]byte(mustRun(t, "--db", db, "ach", "show", "iskp", "--format", "json")), &got); err != nil {
				t.Fatal(err)
			}
			ratings := 0
			for _, r := range got.Ratings {
				if r.Analyst != vigil.IndicatorAnalyst {
					ratings++
				}
			}
			if len(got.Evidence) != tt.items || ratings != tt.ratings {
				t.Errorf("stored %d items, %d ratings; want %d, %d", len(got.Evidence), ratings, tt.items, tt.ratings)
			}
		})
	}
}
