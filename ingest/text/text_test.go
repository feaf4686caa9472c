package text

import (
	"bytes"
	"strings"
	"testing"

	"github.com/vigil-osint/vigil"
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
