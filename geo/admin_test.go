package geo_test

import (
	"testing"

	"github.com/vigil-osint/vigil/geo"
)

func TestAdmin1Code(t *testing.T) {
	g, err := geo.Default()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, country, want string
	}{
		{"Nangarhar", "AF", "AF-NAN"},
		{"Ningarhar province", "AF", "AF-NAN"},
		{"af-nan", "AF", "AF-NAN"},
		{"Nangarhar", "", "AF-NAN"},
		{"Hilmand", "AF", "AF-HEL"},
		{"Khyber Pakhtunkhwa", "PK", "PK-KP"},
		{"Balochistan", "PK", "PK-BA"},
		{"Nangarhar", "PK", ""},        // not a unit of Pakistan
		{"AF-NAN", "PK", ""},           // a code of another country
		{"Jalalabad", "AF", ""},        // a city, not a province
		{"Nangarhar Valley", "AF", ""}, // never approximately
	}
	for _, tt := range tests {
		t.Run(tt.name+"/"+tt.country, func(t *testing.T) {
			got, ok := g.Admin1Code(tt.name, tt.country)
			if got != tt.want || ok != (tt.want != "") {
				t.Errorf("Admin1Code(%q, %q) = %q, %v; want %q", tt.name, tt.country, got, ok, tt.want)
			}
		})
	}
}
