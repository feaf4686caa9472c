package main

import (
	"strings"
	"testing"
)

// TestUnknownSubcommand: a group of commands given a word that names none
// of its commands fails with exit 1 and says what it wants; given nothing it
// prints its help and succeeds. Before, "vigil import ucpd f.csv" printed
// the help of import and exited 0.
func TestUnknownSubcommand(t *testing.T) {
	db := t.TempDir() + "/v.db"
	tests := []struct {
		args     []string
		wantCode int
		wantErr  string
		wantOut  string
	}{
		{[]string{"import", "ucpd", "f.csv"}, 1, `unknown command "ucpd" for "vigil import": want one of acled, case,`, ""},
		{[]string{"events", "lst"}, 1, `unknown command "lst" for "vigil events": want one of fuse, list, show`, ""},
		{[]string{"review", "merg", "3"}, 1, `unknown command "merg" for "vigil review"`, ""},
		{[]string{"eval", "links", "gold.json"}, 1, `unknown command "links" for "vigil eval"`, ""},
		{[]string{"actors", "relations", "ISKP"}, 1, `unknown command "relations" for "vigil actors"`, ""},
		{[]string{"events"}, 0, "", "vigil events [command]"},
		{[]string{"import"}, 0, "", "vigil import [command]"},
		{[]string{"link", "foo"}, 1, `unknown command "foo" for "vigil link"`, ""},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			out, errOut, code := vigilRun(t, append([]string{"--db", db}, tt.args...)...)
			if code != tt.wantCode {
				t.Errorf("exit %d, want %d (stderr %q)", code, tt.wantCode, errOut)
			}
			if tt.wantErr != "" && !strings.Contains(errOut, tt.wantErr) {
				t.Errorf("stderr %q, want it to contain %q", errOut, tt.wantErr)
			}
			if tt.wantOut != "" && !strings.Contains(out, tt.wantOut) {
				t.Errorf("stdout %q, want it to contain %q", out, tt.wantOut)
			}
		})
	}
}
