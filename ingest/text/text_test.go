package text

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/extract"
)

func TestDocuments(t *testing.T) {
	tests := []struct {
		name, file, in string
		want           int    // documents
		wantErr        string // in the error, when one is wanted
		wantWarn       string
	}{
		{"text", "a/b/report.md", "Gunmen attacked a checkpoint.", 1, "", ""},
		{"empty", "e.txt", "", 0, "empty", ""},
		{"binary", "b.txt", "ab\x00cd", 0, "binary", ""},
		{"not utf-8", "w.txt", "caf\xe9", 0, "not UTF-8", ""},
		{"json lines", "d.jsonl", `{"id":"1","text":"one","published":"2022-09-05T10:00:00Z"}` + "\n\n" + `{"text":"two"}` + "\nnot json\n" + `{"id":"4","text":""}`, 2, "", "d.jsonl:4: skipped"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var warn bytes.Buffer
			docs, err := Documents(strings.NewReader(tt.in), tt.file, &warn)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || vigil.ErrorCode(err) != vigil.EINVALID {
					t.Fatalf("err = %v, want EINVALID with %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || len(docs) != tt.want {
				t.Fatalf("got %d documents, %v; want %d", len(docs), err, tt.want)
			}
			if tt.wantWarn != "" && !strings.Contains(warn.String(), tt.wantWarn) {
				t.Errorf("warnings %q lack %q", warn.String(), tt.wantWarn)
			}
		})
	}
	docs, _ := Documents(strings.NewReader(`{"text":"x"}`+"\n"+`{"text":"y"}`), "f.jsonl", &bytes.Buffer{})
	if docs[1].ID != "f.jsonl:2" {
		t.Errorf("an id-less line got id %q, want file:line", docs[1].ID)
	}
	if d, _ := Documents(strings.NewReader("x"), "a/b/report.md", &bytes.Buffer{}); d[0].Title != "report" {
		t.Errorf("title %q, want the file name", d[0].Title)
	}
}

// TestUndatedReportWarning: a report left out for want of a date says how
// to give one, which a plain text file cannot.
func TestUndatedReportWarning(t *testing.T) {
	x, err := extract.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, file, in string
		warn           string // "" when the report is kept
	}{
		{"markdown without a date", "kabul.md", "A suicide bomber killed 40 people in Kabul.", "give one as a JSON Lines line's published"},
		{"json lines with published", "k.jsonl", `{"id":"1","published":"2022-09-05T10:00:00Z","text":"A suicide bomber killed 40 people in Kabul."}`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := NewReader(context.Background(), strings.NewReader(tc.in), tc.file, &vigil.Source{Name: "Wire", Kind: vigil.SourceNews, Reliability: vigil.ReliabilityC}, x, &bytes.Buffer{})
			if err != nil {
				t.Fatal(err)
			}
			it, err := r.Next()
			if err != nil {
				t.Fatal(err)
			}
			var warns []string
			for _, w := range it.Warnings {
				warns = append(warns, w.Reason)
			}
			switch {
			case tc.warn == "" && (len(warns) > 0 || len(it.Reports) != 1):
				t.Errorf("%d reports, warnings %q; want the report kept", len(it.Reports), warns)
			case tc.warn != "" && (len(warns) != 1 || !strings.Contains(warns[0], tc.warn) || len(it.Reports) != 0):
				t.Errorf("%d reports, warnings %q; want one saying %q", len(it.Reports), warns, tc.warn)
			}
		})
	}
}
