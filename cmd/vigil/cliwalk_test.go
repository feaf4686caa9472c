package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-osint/vigil"
)

// TestErrorMessages checks what a user reads when a command fails: the
// message once, after one "vigil:", with no internal error code.
func TestErrorMessages(t *testing.T) {
	db := filepath.Join(t.TempDir(), "v.db")
	mustRun(t, "--db", db, "init")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"events", "show", "99999"}, "vigil: event 99999 not found\n"},
		{[]string{"watch", "rm", "7"}, "vigil: watch rule 7 not found\n"},
		{[]string{"ach", "show", "nope"}, "vigil: ach case \"nope\" not found\n"},
		{[]string{"watch", "add", "x", "--kind", "bogus"}, "vigil: watch rule \"x\": kind \"bogus\": want new-unit, tempo, contradiction or ach-ranking\n"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			_, errOut, code := vigilRun(t, append([]string{"--db", db}, tc.args...)...)
			if code != 1 || errOut != tc.want {
				t.Errorf("exit %d, stderr %q; want exit 1, %q", code, errOut, tc.want)
			}
		})
	}
}

// TestWatchAddRefusesWhatCannotRun: a rule that could never run is not
// kept, since it would fail every run after every import.
func TestWatchAddRefusesWhatCannotRun(t *testing.T) {
	db := filepath.Join(t.TempDir(), "v.db")
	mustRun(t, "--db", db, "init")
	for _, tc := range []struct {
		args    []string
		wantErr string
	}{
		{[]string{"watch", "add", "gone", "--kind", "ach-ranking", "--case", "no-such-case"}, `--case: ach case "no-such-case" not found`},
		{[]string{"watch", "add", "noactor", "--kind", "tempo"}, "tempo needs an actor"},
	} {
		t.Run(tc.args[2], func(t *testing.T) {
			_, errOut, code := vigilRun(t, append([]string{"--db", db}, tc.args...)...)
			if code == 0 || !strings.Contains(errOut, tc.wantErr) {
				t.Errorf("exit %d, stderr %q; want a failure saying %q", code, errOut, tc.wantErr)
			}
		})
	}
	var rules []vigil.WatchRule
	if err := json.Unmarshal([]byte(mustRun(t, "--db", db, "watch", "rules", "--format", "json")), &rules); err != nil {
		t.Fatal(err)
	}
	if len(rules) != 0 {
		t.Errorf("refused rules were kept: %+v", rules)
	}
	// A rule that is kept runs: watch run succeeds.
	mustRun(t, "--db", db, "watch", "add", "reach", "--kind", "new-unit", "--actor", "ISKP")
	if out := mustRun(t, "--db", db, "watch", "run"); !strings.Contains(out, "0 alerts raised") {
		t.Errorf("watch run said %q", out)
	}
}
