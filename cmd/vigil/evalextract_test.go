package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEvalExtractOptional: the public evaluation sets are optional, so a
// gold file that is not there is said and skipped, not failed; one that
// is there is scored.
func TestEvalExtractOptional(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "plover_gsr.dev.jsonl")
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"eval", "extract", missing}, strings.NewReader(""), &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "no such file: evaluation skipped") {
		t.Errorf("output %q, want the file said missing", out.String())
	}

	gold := filepath.Join(t.TempDir(), "gold.jsonl")
	os.WriteFile(gold, []byte(`{"id":"p1","text":"Gunmen shot dead three policemen in Quetta on Friday.","event":"ASSAULT","event_text":"shot","location":{"name":"Quetta","country_code":"PK"},"dead":3,"injured":null,"plover_version":"2016"}`+"\n"+
		`{"id":"p2","text":"The two governments signed a trade agreement.","event":"AGREE","event_text":"signed","location":null,"dead":null,"injured":null,"plover_version":"2016"}`+"\n"), 0o644)
	out.Reset()
	if code := run(context.Background(), []string{"eval", "extract", gold}, strings.NewReader(""), &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, want := range []string{"precision 1.000, recall 1.000", "killed exact            100.0%", "text names the place  100.0%"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
