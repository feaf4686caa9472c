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
