package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func codes(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var fc struct {
		Features []struct {
			Properties struct {
				Code string `json:"code"`
				Name string `json:"name"`
			} `json:"properties"`
			Geometry struct {
				Type        string          `json:"type"`
				Coordinates [][][][]float64 `json:"coordinates"`
			} `json:"geometry"`
		} `json:"features"`
	}
	if err := json.Unmarshal(b, &fc); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var out []string
	for _, f := range fc.Features {
		if f.Properties.Code == "" || f.Geometry.Type != "MultiPolygon" || len(f.Geometry.Coordinates) == 0 {
			t.Errorf("%s: a unit without code or shape: %+v", path, f.Properties)
		}
		out = append(out, f.Properties.Code)
	}
	slices.Sort(out)
	return out
}

// TestShippedBoundariesMatchGazetteer builds the boundaries afresh and
// checks that the map's committed copy (web/public/admin1.json, built into
// web/dist) holds the same units: a gazetteer whose units changed needs
// `go run ./web/boundgen -out web/public` and a rebuild of the UI.
func TestShippedBoundariesMatchGazetteer(t *testing.T) {
	dir := t.TempDir()
	if err := run(dir, 0.03); err != nil {
		t.Fatal(err)
	}
	fresh := codes(t, filepath.Join(dir, "admin1.json"))
	shipped := codes(t, "../public/admin1.json")
	if len(fresh) < 150 {
		t.Fatalf("the gazetteer gives %d admin-1 units; want the region's 200 or so", len(fresh))
	}
	if !slices.Equal(fresh, shipped) {
		t.Errorf("web/public/admin1.json holds %d units, the gazetteer %d: run go run ./web/boundgen -out web/public and rebuild the UI",
			len(shipped), len(fresh))
	}
	for _, want := range []string{"AF-NAN", "AF-KAB", "PK-BA", "TJ-KT", "RU-MOS"} {
		if !slices.Contains(shipped, want) {
			t.Errorf("web/public/admin1.json lacks %s", want)
		}
	}
	var iso map[string]string
	b, err := os.ReadFile(filepath.Join(dir, "iso-numeric.json"))
	if err == nil {
		err = json.Unmarshal(b, &iso)
	}
	if err != nil || iso["004"] != "AF" || iso["643"] != "RU" {
		t.Errorf("iso-numeric.json: 004 → %q, 643 → %q (%v)", iso["004"], iso["643"], err)
	}
}
