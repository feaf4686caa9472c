package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestApplyOverrides(t *testing.T) {
	g := &gen{overrides: []override{{Source: "ne10m", Match: "gn_id=6957553", Field: "name", From: "Uruzgan", To: "Daykundi"}}}
	tests := []struct {
		name    string
		props   map[string]any
		want    string
		wantErr string
	}{
		{"corrects the defect", map[string]any{"gn_id": float64(6957553), "name": "Uruzgan"}, "Daykundi", ""},
		{"leaves other records", map[string]any{"gn_id": float64(1131461), "name": "Uruzgan"}, "Uruzgan", ""},
		{"fails when upstream changed", map[string]any{"gn_id": float64(6957553), "name": "Daykundi"}, "", "fixed upstream"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := g.applyOverrides("ne10m", tt.props)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := tt.props["name"]; got != tt.want {
				t.Errorf("name = %v, want %s", got, tt.want)
			}
		})
	}
}

// TestGenerate runs the generator on the repository's sources: every
// override must apply and every variant find its unit.
func TestGenerate(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the whole gazetteer")
	}
	g := &gen{src: "../../data/sources"}
	if err := g.run(); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := g.write(dir); err != nil {
		t.Fatal(err)
	}
	// The embedded files must be what the generator makes of the sources.
	for _, f := range []string{"places.tsv.gz", "countries.shp.gz", "admin1.shp.gz", "admin2.shp.gz", "BUILD.txt"} {
		got, err1 := os.ReadFile(filepath.Join(dir, f))
		want, err2 := os.ReadFile(filepath.Join("..", "data", f))
		if err1 != nil || err2 != nil {
			t.Fatalf("%s: %v %v", f, err1, err2)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("geo/data/%s is stale: run go generate ./geo", f)
		}
	}
	if len(g.entries) < 40000 {
		t.Errorf("%d entries, want over 40,000", len(g.entries))
	}
}

func TestSeatByName(t *testing.T) {
	places := []*entry{
		{Name: "Vedeno", Pop: 3000},
		{Name: "Dyshne-Vedeno", Pop: 1500},
		{Name: "Shali", Pop: 47000},
		{Name: "Nazran", Pop: 93000},
		{Name: "Groznyy", Pop: 270000},
		{Name: "Swat", Pop: 10},
		{Name: "Mingora", Pop: 280000},
		{Name: "Kāshān", Pop: 250000},
		{Name: "Urus-Martan", Pop: 50000},
	}
	tests := []struct {
		district, want string
	}{
		{"Vedenskiy Rayon", "Vedeno"},              // -skiy after a dropped vowel
		{"Shalinskiy Rayon", "Shali"},              // -inskiy
		{"Nazranovskiy Rayon", "Nazran"},           // -ovskiy
		{"Groznenskiy Rayon", "Groznyy"},           // -enskiy, the place's ending changed
		{"Swat District", "Swat"},                  // the same name, not the most populous place
		{"Shahrestān-e Kāshān", "Kāshān"},          // a Persian designator
		{"Urus-Martanovskiy Rayon", "Urus-Martan"}, // a hyphenated name
		{"Mingorskaya Rayon", "Mingora"},           // -skaya
		{"Kurchaloyevskiy Rayon", ""},              // no place of that stem here
		{"Shatoyskiy Rayon", ""},                   // too far from Shali
	}
	for _, tt := range tests {
		t.Run(tt.district, func(t *testing.T) {
			got := ""
			if e := seatByName(places, tt.district); e != nil {
				got = e.Name
			}
			if got != tt.want {
				t.Errorf("seatByName(%q) = %q, want %q", tt.district, got, tt.want)
			}
		})
	}
}
