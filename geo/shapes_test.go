package geo

import "testing"

func TestShapes(t *testing.T) {
	g, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		code     string
		lat, lon float64 // a point inside, near the middle
	}{
		{"AF-NAN", 34.3, 70.5},
		{"AF-KNR", 35.0, 71.1},
		{"UZ-SU", 38.0, 67.5},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			lat, lon, ok := g.Admin1Center(tt.code)
			if !ok || DistanceKm(lat, lon, tt.lat, tt.lon) > 60 {
				t.Errorf("Admin1Center(%s) = %v, %v, %v; want near %v, %v", tt.code, lat, lon, ok, tt.lat, tt.lon)
			}
			if a, _ := g.Where(lat, lon); a.Admin1 != tt.code {
				t.Errorf("the centre of %s lies in %s", tt.code, a.Admin1)
			}
		})
	}
	if _, _, ok := g.Admin1Center("XX-NOPE"); ok {
		t.Error("Admin1Center of an unknown code is ok")
	}
	if n := len(g.Admin1Shapes()); n < 100 {
		t.Errorf("%d admin-1 shapes, want the region's (over 100)", n)
	}
	found := false
	for _, s := range g.CountryShapes() {
		if s.Key == "AF" && s.Name != "" && !s.Bound.IsEmpty() {
			found = true
		}
	}
	if !found {
		t.Error("CountryShapes lacks Afghanistan")
	}
}
