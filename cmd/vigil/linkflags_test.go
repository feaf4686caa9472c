package main

import (
	"math"
	"strings"
	"testing"
)

// TestLinkFlagsCheck: thresholds and windows that cannot mean what they say
// are refused before linkage runs. A NaN threshold compared false with
// every score, so "vigil link --accept nan" linked nothing and queued
// nothing, silently.
func TestLinkFlagsCheck(t *testing.T) {
	tests := []struct {
		name    string
		f       linkFlags
		wantErr string
	}{
		{"defaults", linkFlags{accept: 3.5, review: 2, window: 7}, ""},
		{"equal thresholds", linkFlags{accept: 3, review: 3, window: 0}, ""},
		{"negative window", linkFlags{accept: 3.5, review: 2, window: -1}, "--window -1"},
		{"review above accept", linkFlags{accept: 2, review: 3, window: 7}, "--review 3 is above --accept 2"},
		{"accept NaN", linkFlags{accept: math.NaN(), review: 2, window: 7}, "--accept NaN: want a score"},
		{"review NaN", linkFlags{accept: 3.5, review: math.NaN(), window: 7}, "--review NaN: want a score"},
		{"accept +Inf", linkFlags{accept: math.Inf(1), review: 2, window: 7}, "--accept +Inf: want a score"},
		{"review -Inf", linkFlags{accept: 3.5, review: math.Inf(-1), window: 7}, "--review -Inf: want a score"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.f.check()
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("check() = %v, want nil", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("check() = %v, want an error with %q", err, tt.wantErr)
			}
		})
	}
	// Through the command line too: nothing is linked with a NaN.
	db := t.TempDir() + "/v.db"
	mustRun(t, "--db", db, "init")
	_, errOut, code := vigilRun(t, "--db", db, "link", "--accept", "nan")
	if code != 1 || !strings.Contains(errOut, "--accept NaN") {
		t.Errorf("vigil link --accept nan: exit %d, stderr %q; want exit 1 naming --accept", code, errOut)
	}
}
