package ach

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-osint/vigil"
)

// shippedCase is the ISKP case file vigil ships, the file the tests inject
// defects into.
const shippedCase = "../data/demo/iskp-ach.json"

func shipped(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(shippedCase)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// element is one element of a top-level list of the shipped file's layout
// (one space before a list's key, two before each element's "{").
type element struct {
	line int    // the line its "{" is on
	text string // its lines
}

// elementsOf returns the elements of list in text, found by the layout,
// not by the code under test.
func elementsOf(t *testing.T, text, list string) []element {
	t.Helper()
	var out []element
	in := false
	for i, l := range strings.Split(text, "\n") {
		switch {
		case l == fmt.Sprintf(" %q: [", list):
			in = true
		case in && strings.HasPrefix(l, " ]"):
			return out
		case in && strings.HasPrefix(l, "  {"):
			out = append(out, element{line: i + 1, text: l})
		case in && len(out) > 0:
			out[len(out)-1].text += "\n" + l
		}
	}
	t.Fatalf("no list %q in the case file", list)
	return nil
}

// lineOf returns the line of the one element of list that holds needle.
func lineOf(t *testing.T, text, list, needle string) int {
	t.Helper()
	lines := linesOf(t, text, list, needle)
	if len(lines) != 1 {
		t.Fatalf("%d elements of %s hold %q, want 1", len(lines), list, needle)
	}
	return lines[0]
}

// linesOf returns the lines of the elements of list that hold needle.
func linesOf(t *testing.T, text, list, needle string) []int {
	t.Helper()
	var out []int
	for _, e := range elementsOf(t, text, list) {
		if strings.Contains(e.text, needle) {
			out = append(out, e.line)
		}
	}
	return out
}

// edit replaces the first old after the first after in s with new, and
// fails when there is none.
func edit(t *testing.T, s, after, old, new string) string {
	t.Helper()
	i := strings.Index(s, after)
	if i < 0 {
		t.Fatalf("no %q in the case file", after)
	}
	j := strings.Index(s[i:], old)
	if j < 0 {
		t.Fatalf("no %q after %q in the case file", old, after)
	}
	return s[:i+j] + new + s[i+j+len(old):]
}

// TestReadShippedCase: the shipped case reads whole, without rejections.
func TestReadShippedCase(t *testing.T) {
	c, err := ReadCase(strings.NewReader(shipped(t)), "iskp-ach.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Hypotheses) != 4 || len(c.Evidence) != 20 || len(c.Ratings) != 121 {
		t.Errorf("got %d hypotheses, %d items, %d ratings; want 4, 20, 121", len(c.Hypotheses), len(c.Evidence), len(c.Ratings))
	}
}

// TestReadCaseRejects: a bad hypothesis, item or rating in the shipped case
// is a row error "file:line: field: reason" on the line it starts on, what
// points at it is rejected naming it and its line, and the rest is kept.
// Before, any of them failed the whole file with no line or field
// (`iskp-ach.json: vigil: invalid: date "2022-02-30": …`).
func TestReadCaseRejects(t *testing.T) {
	tests := []struct {
		name string
		// edit injects the defect into the shipped file's text.
		edit func(t *testing.T, s string) string
		// want lists the rejections, in file order, for the edited text.
		want func(t *testing.T, s string) []string
		// The hypotheses, items and ratings kept.
		hyps, items, ratings int
	}{
		{
			name: "an indicator's date that is no date",
			edit: func(t *testing.T, s string) string {
				return edit(t, s, `"id": "E16"`, `"from": "2022-01-01"`, `"from": "2022-02-30"`)
			},
			want: func(t *testing.T, s string) []string {
				return []string{fmt.Sprintf(`iskp-ach.json:%d: evidence.indicator.from: date "2022-02-30": want YYYY-MM-DD`, lineOf(t, s, "evidence", `"id": "E16"`))}
			},
			hyps: 4, items: 19, ratings: 121,
		},
		{
			name: "a rating that is none of the six",
			edit: func(t *testing.T, s string) string {
				return edit(t, s, `"ratings": [`, `"rating": "C"`, `"rating": "X"`)
			},
			want: func(t *testing.T, s string) []string {
				return []string{fmt.Sprintf(`iskp-ach.json:%d: ratings.rating: rating E1/H2: "X": want CC, C, N, I, II or NA`, lineOf(t, s, "ratings", `"rating": "X"`))}
			},
			hyps: 4, items: 20, ratings: 120,
		},
		{
			name: "an indicator rating under an unknown hypothesis",
			edit: func(t *testing.T, s string) string { return edit(t, s, `"id": "E17"`, `"H1": "I"`, `"H9": "I"`) },
			want: func(t *testing.T, s string) []string {
				return []string{fmt.Sprintf(`iskp-ach.json:%d: evidence.indicator.if_met: evidence "E17": unknown hypothesis "H9"`, lineOf(t, s, "evidence", `"id": "E17"`))}
			},
			hyps: 4, items: 19, ratings: 121,
		},
		{
			name: "a misspelt item field: the item and its ratings are rejected",
			edit: func(t *testing.T, s string) string {
				return edit(t, s, `"id": "E5"`, `"relevance": "`, `"relevanse": "`)
			},
			want: func(t *testing.T, s string) []string {
				return e5Rejected(t, s, `evidence.relevanse: json: unknown field "relevanse"`)
			},
			hyps: 4, items: 19, ratings: 113,
		},
		{
			name: "a relevance that is no weight",
			edit: func(t *testing.T, s string) string {
				return edit(t, s, `"id": "E5"`, `"relevance": "high"`, `"relevance": "very"`)
			},
			want: func(t *testing.T, s string) []string {
				return e5Rejected(t, s, `evidence.relevance: evidence "E5": relevance "very": want low, medium or high`)
			},
			hyps: 4, items: 19, ratings: 113,
		},
		{
			name: "a hypothesis id given twice",
			edit: func(t *testing.T, s string) string {
				return edit(t, s, `"id": "H4"`, "\n  }\n ],", "\n  },\n  {\"id\": \"H2\", \"title\": \"a second H2\"}\n ],")
			},
			want: func(t *testing.T, s string) []string {
				return []string{fmt.Sprintf(`iskp-ach.json:%d: hypotheses.id: hypothesis "H2" twice: first on line %d`,
					lineOf(t, s, "hypotheses", "a second H2"), lineOf(t, s, "hypotheses", "The ISKP threat is modest"))}
			},
			hyps: 4, items: 20, ratings: 121,
		},
		{
			name: "an item id given twice",
			edit: func(t *testing.T, s string) string {
				return edit(t, s, `"evidence": [`, "\n  {", "\n  {\"id\": \"E3\", \"title\": \"again\", \"kind\": \"statement\", \"source\": \"x\"},\n  {")
			},
			want: func(t *testing.T, s string) []string {
				// The first E3 is now the one inserted; the file's own is the duplicate.
				return []string{fmt.Sprintf(`iskp-ach.json:%d: evidence.id: evidence "E3" twice: first on line %d`,
					lineOf(t, s, "evidence", `"title": "Russia warns`), lineOf(t, s, "evidence", `"title": "again"`))}
			},
			hyps: 4, items: 20, ratings: 121,
		},
		{
			name: "a rating under a rejected hypothesis",
			edit: func(t *testing.T, s string) string {
				s = edit(t, s, `"id": "H4"`, "\n  }\n ],", "\n  },\n  {\"id\": \"H5\", \"title\": \"\"}\n ],")
				return edit(t, s, `"ratings": [`, "\n  {", "\n  {\"evidence\": \"E1\", \"hypothesis\": \"H5\", \"analyst\": \"analyst-1\", \"rating\": \"N\"},\n  {")
			},
			want: func(t *testing.T, s string) []string {
				h5 := lineOf(t, s, "hypotheses", `"id": "H5"`)
				return []string{
					fmt.Sprintf(`iskp-ach.json:%d: hypotheses.title: hypothesis "H5": title required`, h5),
					fmt.Sprintf(`iskp-ach.json:%d: ratings.hypothesis: hypothesis "H5" was rejected (line %d)`, lineOf(t, s, "ratings", `"hypothesis": "H5"`), h5),
				}
			},
			hyps: 4, items: 20, ratings: 121,
		},
		{
			name: "a rating of an unknown item",
			edit: func(t *testing.T, s string) string {
				return edit(t, s, `"ratings": [`, `"evidence": "E1"`, `"evidence": "E99"`)
			},
			want: func(t *testing.T, s string) []string {
				return []string{fmt.Sprintf(`iskp-ach.json:%d: ratings.evidence: unknown evidence "E99"`, lineOf(t, s, "ratings", `"E99"`))}
			},
			hyps: 4, items: 20, ratings: 120,
		},
		{
			name: "a misspelt rating field",
			edit: func(t *testing.T, s string) string {
				return edit(t, s, `"ratings": [`, `"rationale"`, `"rationail"`)
			},
			want: func(t *testing.T, s string) []string {
				return []string{fmt.Sprintf(`iskp-ach.json:%d: ratings.rationail: json: unknown field "rationail"`, lineOf(t, s, "ratings", `"rationail"`))}
			},
			hyps: 4, items: 20, ratings: 120,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.edit(t, shipped(t))
			c, err := ReadCase(strings.NewReader(s), "iskp-ach.json")
			var rej *RejectedError
			if !errors.As(err, &rej) {
				t.Fatalf("got %v, want a *RejectedError", err)
			}
			if c == nil {
				t.Fatal("got no case, want the case of the elements kept")
			}
			var got []string
			for _, r := range rej.Rows {
				got = append(got, r.Error())
				if vigil.ErrorCode(r) != vigil.EINVALID {
					t.Errorf("%v: code %q, want %q", r, vigil.ErrorCode(r), vigil.EINVALID)
				}
			}
			if want := tt.want(t, s); !slices.Equal(got, want) {
				t.Errorf("got rejections\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			if len(c.Hypotheses) != tt.hyps || len(c.Evidence) != tt.items || len(c.Ratings) != tt.ratings {
				t.Errorf("kept %d hypotheses, %d items, %d ratings; want %d, %d, %d",
					len(c.Hypotheses), len(c.Evidence), len(c.Ratings), tt.hyps, tt.items, tt.ratings)
			}
			if err := c.Validate(); err != nil {
				t.Errorf("the case kept does not validate: %v", err)
			}
		})
	}
}

// TestReadCaseNotACaseFile: a file that is no case file fails whole, with
// no case, saying where.
func TestReadCaseNotACaseFile(t *testing.T) {
	tests := []struct {
		name, json, want string
	}{
		{"empty", " \n", "c.json: empty file: not a case file"},
		{"not JSON", "id: iskp", "c.json: not a case file: line 1, column 1: invalid character 'i'"},
		{"a list", `[{"id": "iskp"}]`, "c.json: not a case file: line 1, column 1: a JSON array, want an object (the case)"},
		{"hypotheses not a list", "{\"id\": \"c\", \"title\": \"t\",\n \"hypotheses\": {\"id\": \"H1\"}}", "c.json: not a case file: line 2, column 16: hypotheses: a JSON object, want a list"},
		{"unknown top-level field", "{\"id\": \"c\", \"title\": \"t\",\n \"hypothesis\": []}", `c.json: not a case file: line 2: json: unknown field "hypothesis"`},
		{"bad case id", "{\"id\": \"a case\",\n \"title\": \"t\"}", `c.json:1: id: ach case "a case": id must be letters`},
		{"created_at no time", "{\"id\": \"c\", \"title\": \"t\",\n \"created_at\": 5}", "c.json: not a case file: line 2: created_at: Time.UnmarshalJSON: input is not a JSON string"},
		{"no title", "{\"id\": \"c\",\n \"title\": \"\"}", `c.json:2: title: ach case "c": title required`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ReadCase(strings.NewReader(tt.json), "c.json")
			var rej *RejectedError
			switch {
			case err == nil || errors.As(err, &rej):
				t.Fatalf("got %v, want the file refused", err)
			case c != nil:
				t.Errorf("got a case, want none")
			case !strings.HasPrefix(strings.TrimPrefix(err.Error(), "vigil: invalid: "), tt.want):
				t.Errorf("got %q, want %q…", err, tt.want)
			case vigil.ErrorCode(err) != vigil.EINVALID:
				t.Errorf("code %q, want %q", vigil.ErrorCode(err), vigil.EINVALID)
			}
		})
	}
}

// e5Rejected is the rejections of item E5 of the case s for why, and of
// each of its ratings for pointing at it.
func e5Rejected(t *testing.T, s, why string) []string {
	t.Helper()
	e5 := lineOf(t, s, "evidence", `"id": "E5"`)
	want := []string{fmt.Sprintf(`iskp-ach.json:%d: %s`, e5, why)}
	for _, l := range linesOf(t, s, "ratings", `"evidence": "E5"`) {
		want = append(want, fmt.Sprintf(`iskp-ach.json:%d: ratings.evidence: evidence "E5" was rejected (line %d)`, l, e5))
	}
	return want
}
