package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestWatchRulesShowAndRefuse adds rules as the README shows and some a user
// might mistype: the rules table shows each rule's window, baseline or
// threshold with the defaults it runs with, and bad input is refused with
// what to give instead (not a Go parse error).
func TestWatchRulesShowAndRefuse(t *testing.T) {
	db := filepath.Join(t.TempDir(), "v.db")
	mustRun(t, "--db", db, "init")
	mustRun(t, "--db", db, "watch", "add", "tempo", "--kind", "tempo", "--actor", "ISKP", "--window", "30")
	mustRun(t, "--db", db, "watch", "add", "contra", "--kind", "contradiction", "--actor", "ISKP")
	out := mustRun(t, "--db", db, "watch", "rules")
	for _, want := range []string{"SETTINGS", "window 30 days, baseline 365", "tolls ×2 apart"} {
		if !strings.Contains(out, want) {
			t.Errorf("watch rules lacks %q:\n%s", want, out)
		}
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"watch", "rm", "abc"}, `rule id "abc": want the number vigil watch rules shows`},
		{[]string{"watch", "rm", "--", "0"}, `rule id "0": want the number vigil watch rules shows`},
		{[]string{"watch", "add", "half", "--kind", "contradiction", "--actor", "ISKP", "--threshold", "0.5"}, "threshold 0.5: want 1 or more"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			_, errOut, code := vigilRun(t, append([]string{"--db", db}, tc.args...)...)
			if code == 0 || !strings.Contains(errOut, tc.want) || strings.Contains(errOut, "strconv") {
				t.Errorf("exit %d, stderr %q; want a failure saying %q", code, errOut, tc.want)
			}
		})
	}
}
