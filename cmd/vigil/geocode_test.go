package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func geoRunVigil(t *testing.T, stdin string, args ...string) (string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return out.String() + errb.String(), code
}

func TestGeocodeCommand(t *testing.T) {
	out, code := geoRunVigil(t, "", "geocode", "Achin District, Nangarhar Province, Afghanistan", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, out)
	}
	var cands []map[string]any
	if err := json.Unmarshal([]byte(out), &cands); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if len(cands) == 0 || cands[0]["admin1"] != "AF-NAN" || cands[0]["location_precision"] != float64(3) {
		t.Errorf("best candidate %v, want AF-NAN at precision 3", cands[0])
	}
	out, code = geoRunVigil(t, "", "geocode", "Konar", "--country", "AF")
	if code != 0 || !strings.Contains(out, "AF-KNR") {
		t.Errorf("table output (exit %d): %s", code, out)
	}
}

func TestGeocodeBatch(t *testing.T) {
	in := "Ningarhar\n{\"text\":\"Jalalabad\",\"country\":\"KG\"}\n\n"
	out, code := geoRunVigil(t, in, "geocode", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, out)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d lines, want 2: %s", len(lines), out)
	}
	var second struct {
		Query      map[string]any   `json:"query"`
		Candidates []map[string]any `json:"candidates"`
	}
	if err := json.Unmarshal([]byte(lines[1]), &second); err != nil {
		t.Fatal(err)
	}
	if second.Query["text"] != "Jalalabad" || second.Candidates[0]["country"] != "KG" {
		t.Errorf("second line = %s", lines[1])
	}
}

func TestWhereCommand(t *testing.T) {
	out, code := geoRunVigil(t, "", "where", "34.43", "70.45")
	if code != 0 || !strings.Contains(out, "AF-NAN") || !strings.Contains(out, "Jalalabad") {
		t.Errorf("exit %d: %s", code, out)
	}
	if _, code := geoRunVigil(t, "", "where", "134", "70"); code == 0 {
		t.Error("latitude 134 accepted")
	}
}

func TestEvalGeocodeCommand(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "gold.csv")
	csv := "text,latitude,longitude,country,precision\nJalalabad city,34.43,70.45,AF,1\nKhak-e Safid District of Farah Province,32.755,62.073,AF,3\nXyzzyqwv,1,1,AF,1\n"
	if err := os.WriteFile(file, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	out, code := geoRunVigil(t, "", "eval", "geocode", "--format", "json", file)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, out)
	}
	var reps []map[string]any
	if err := json.Unmarshal([]byte(out), &reps); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	all := reps[0]
	if all["rows"] != float64(3) || all["answered"] != float64(2) || all["country_accuracy"] != float64(1) || all["admin1_accuracy"] != float64(1) {
		t.Errorf("report %v", all)
	}
}

// TestWherePointForms: a point is taken as two arguments or as one
// "LAT,LON", as maps and spreadsheets copy it; before, "vigil where
// 34.43,70.45" failed with "accepts 2 arg(s), received 1".
func TestWherePointForms(t *testing.T) {
	tests := []runCase{
		{[]string{"34.43", "70.45"}, "AF-NAN", ""},
		{[]string{"34.43,70.45"}, "AF-NAN", ""},
		{[]string{"34.43, 70.45"}, "AF-NAN", ""},
		{[]string{"34.43,", "70.45"}, "AF-NAN", ""},
		{[]string{"--", "-33.9,18.4"}, "ZA", ""},
		{[]string{"34.43"}, "", `where: "34.43": want LAT LON, or LAT,LON`},
		{[]string{"34.43,abc"}, "", `longitude "abc"`},
	}
	for i := range tests {
		tests[i].args = append([]string{"where"}, tests[i].args...)
	}
	runCases(t, tests)
}

// TestGeocodeFlagsRefused: hints and limits that cannot mean what they say
// are refused, as --country refuses a typo; before, --admin1 Nowhere was
// dropped silently, --limit -1 read as "all" and --max-precision 9 as "every
// row".
func TestGeocodeFlagsRefused(t *testing.T) {
	tests := []runCase{
		{[]string{"geocode", "Kabul", "--admin1", "Nowhere"}, "", `--admin1: "Nowhere" is no admin-1 unit the gazetteer knows`},
		{[]string{"geocode", "Kabul", "--admin1", "Sindh", "--country", "AF"}, "", `--admin1: "Sindh" is no admin-1 unit of AF`},
		{[]string{"geocode", "Kabul", "--admin1", "kabul", "--country", "AF"}, "AF-KAB Kabul  Kabul   1", ""},
		{[]string{"geocode", "Jalalabad", "--admin1", "Ningarhar"}, "AF-NAN", ""},
		{[]string{"geocode", "Kabul", "--limit", "-1"}, "", "--limit -1: want 0 (all) or more"},
		{[]string{"geocode", " "}, "", "geocode: no text: give a place"},
		{[]string{"eval", "geocode", "--max-precision", "9", "x.csv"}, "", "--max-precision 9: want 1"},
	}
	runCases(t, tests)
}

// runCase is a command line and what it must print: with wantErr, exit
// status 1 and wantErr in its standard error; else status 0 and want in
// its standard output.
type runCase struct {
	args    []string
	want    string
	wantErr string
}

// runCases runs each case's command line as a subtest.
func runCases(t *testing.T, tests []runCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			out, errOut, code := vigilRun(t, tt.args...)
			if tt.wantErr != "" {
				if code != 1 || !strings.Contains(errOut, tt.wantErr) {
					t.Errorf("exit %d, stderr %q, want %q", code, errOut, tt.wantErr)
				}
				return
			}
			if code != 0 || !strings.Contains(out, tt.want) {
				t.Errorf("exit %d, out %q, stderr %q; want %q", code, out, errOut, tt.want)
			}
		})
	}
}
