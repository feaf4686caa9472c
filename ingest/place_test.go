package ingest_test

import (
	"strings"
	"testing"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/geo"
	"github.com/vigil-osint/vigil/ingest"
)

func TestPlaceWith(t *testing.T) {
	g, err := geo.Default()
	if err != nil {
		t.Fatal(err)
	}
	place := ingest.PlaceWith(g)
	at := func(lat, lon float64, p vigil.Place) vigil.Report {
		r := vigil.Report{Place: p}
		r.SetPoint(vigil.LatLon{Lat: lat, Lon: lon})
		return r
	}
	tests := []struct {
		name                         string
		in                           vigil.Report
		country, admin1, name1, adm2 string
		finding                      string // a substring; "" for none
	}{
		{"UCDP's admin-1 name is coded, the name kept", at(34.43, 70.45, vigil.Place{Country: "AF", Admin1: "Nangarhar", Admin1Name: "Nangarhar", Precision: vigil.LocationExact}),
			"AF", "AF-NAN", "Nangarhar", "Jalalabad", ""},
		{"a variant spelling is coded too", at(34.43, 70.45, vigil.Place{Country: "AF", Admin1: "Ningarhar", Precision: vigil.LocationNear}),
			"AF", "AF-NAN", "Ningarhar", "Jalalabad", ""},
		{"empty admin codes are filled from the point", at(31.58, 64.37, vigil.Place{Country: "AF", Precision: vigil.LocationExact}),
			"AF", "AF-HEL", "Helmand", "Lashkar Gah", ""},
		{"a province's centre fills no district", at(31.58, 64.37, vigil.Place{Country: "AF", Precision: vigil.LocationAdmin1}),
			"AF", "AF-HEL", "Helmand", "", ""},
		{"a country's centre fills no province", at(33.9, 67.7, vigil.Place{Country: "AF", Precision: vigil.LocationCountry}),
			"AF", "", "", "", ""},
		{"an empty country is filled", at(33.99, 71.52, vigil.Place{}),
			"PK", "PK-KP", "Khyber Pakhtunkhwa", "", ""},
		{"a code is kept and named", at(34.43, 70.45, vigil.Place{Country: "AF", Admin1: "AF-NAN", Precision: vigil.LocationAdmin2}),
			"AF", "AF-NAN", "Nangarhar", "Jalalabad", ""},
		{"the source's province is kept though the point lies next door", at(34.87, 71.15, vigil.Place{Country: "AF", Admin1: "Nangarhar"}),
			"AF", "AF-NAN", "Nangarhar", "", ""},
		{"a point in Pakistan for a row that says Afghanistan is a finding, nothing filled", at(34.01, 71.58, vigil.Place{Country: "AF"}),
			"AF", "", "", "", "lies in PK, not AF"},
		{"a point at sea", at(20.0, 65.0, vigil.Place{Country: "PK"}),
			"PK", "", "", "", "lies in no country (at sea), not PK"},
		{"a point a few km over the border is not a finding", at(34.105, 71.05, vigil.Place{Country: "PK"}),
			"PK", "", "", "", ""}, // in Afghanistan, within the boundaries' slack of Pakistan
		{"a name that fits nothing stays", at(34.43, 70.45, vigil.Place{Country: "AF", Admin1: "Eastern Zone"}),
			"AF", "Eastern Zone", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.in
			f := place(&r)
			if tt.finding == "" && f != "" || !strings.Contains(f, tt.finding) {
				t.Errorf("finding %q, want %q", f, tt.finding)
			}
			if r.Country != tt.country || r.Admin1 != tt.admin1 || r.Admin1Name != tt.name1 || r.Admin2 != tt.adm2 {
				t.Errorf("got %s / %s / %s / %s, want %s / %s / %s / %s", r.Country, r.Admin1, r.Admin1Name, r.Admin2, tt.country, tt.admin1, tt.name1, tt.adm2)
			}
			if p, _ := r.Point(); p != (vigil.LatLon{Lat: *tt.in.Latitude, Lon: *tt.in.Longitude}) {
				t.Errorf("the point moved to %v", p)
			}
		})
	}
	// Without coordinates nothing changes.
	r := vigil.Report{Place: vigil.Place{Country: "AF", Admin1: "Nangarhar"}}
	if f := place(&r); f != "" || r.Admin1 != "Nangarhar" {
		t.Errorf("no point: finding %q, admin1 %q", f, r.Admin1)
	}
}
