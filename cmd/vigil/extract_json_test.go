package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// TestExtractJSONHasNoStoreFields: a report read by vigil extract is in no
// store, so its JSON carries no id, document_id or recorded_at (which read
// 0, 0 and "0001-01-01T00:00:00Z"), and keeps the fields it has.
func TestExtractJSONHasNoStoreFields(t *testing.T) {
	var out, errb bytes.Buffer
	in := "Gunmen killed 12 policemen in Jalalabad late Tuesday."
	if code := run(context.Background(), []string{"extract", "-", "--format", "json"}, strings.NewReader(in), &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var reps []map[string]json.RawMessage
	if err := json.Unmarshal(out.Bytes(), &reps); err != nil || len(reps) != 1 {
		t.Fatalf("%v: %s", err, out.String())
	}
	for _, tc := range []struct {
		field string
		want  bool
	}{{"id", false}, {"document_id", false}, {"recorded_at", false}, {"document", true}, {"killed", true}, {"evidence", true}, {"place", true}} {
		if _, ok := reps[0][tc.field]; ok != tc.want {
			t.Errorf("field %q present = %v, want %v", tc.field, ok, tc.want)
		}
	}
}
