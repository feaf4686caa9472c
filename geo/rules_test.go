package geo

import (
	"context"
	"math"
	"testing"

	"github.com/vigil-osint/vigil"
)

func TestParseDistance(t *testing.T) {
	tests := []struct {
		text    string
		km      float64
		bearing float64 // -1: none
		anchor  string
		sub     string // the sub-place's first segment, "" for none
	}{
		{"40 km north of Kabul", 40, 0, "kabul", ""},
		{"about 12 kilometres south-west of Ghazni city", 12, 225, "ghazni", ""},
		{"10 miles (16 km) east of Peshawar", 16.09344, 90, "peshawar", ""},
		{"Charikar, 60 km to the north of Kabul", 60, 0, "kabul", "charikar"},
		{"a village 30km northwest of the provincial capital Mazar-i-Sharif", 30, 315, "mazar i sharif", ""},
		{"20 km from Kandahar", 20, -1, "kandahar", ""},
		{"Shindand, 5 km outside Herat", 5, -1, "herat", "shindand"},
		{"about ten kilometres west of Kabul", 10, 270, "kabul", ""},
		{"Foo locality (18km south of Ghazni)", 18, 180, "ghazni", "foo"},
		{"Foo, 75 km (46 miles) south of Ghazni", 75, 180, "ghazni", "foo"}, // the bracket converts, no more
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			e := parse(tt.text, nil)
			if e.rel != relNear || math.Abs(e.offsetKm-tt.km) > 1e-6 || e.bearing != tt.bearing || e.chains[0][0].text != tt.anchor {
				t.Fatalf("parse(%q) = rel %d, %v km at %v° from %q; want near, %v km at %v° from %q", tt.text, e.rel, e.offsetKm, e.bearing, e.chains[0][0].text, tt.km, tt.bearing, tt.anchor)
			}
			got := ""
			if len(e.sub) > 0 {
				got = e.sub[0].text
			}
			if got != tt.sub && !(tt.sub == "" && len(e.sub) > 0 && e.sub[0].text == "") {
				t.Errorf("parse(%q): sub-place %q, want %q", tt.text, got, tt.sub)
			}
		})
	}
}

func TestDestination(t *testing.T) {
	tests := []struct {
		lat, lon, bearing, km float64
	}{
		{34.53, 69.17, 0, 40},
		{34.53, 69.17, 180, 75},
		{38.08, 46.29, 90, 120},
		{31.61, 65.71, 315, 250},
	}
	for _, tt := range tests {
		lat, lon := destination(tt.lat, tt.lon, tt.bearing, tt.km)
		if d := DistanceKm(tt.lat, tt.lon, lat, lon); math.Abs(d-tt.km) > 0.01 {
			t.Errorf("destination %v km at %v°: %.3f km away", tt.km, tt.bearing, d)
		}
		switch tt.bearing {
		case 0:
			if lat <= tt.lat || math.Abs(lon-tt.lon) > 1e-9 {
				t.Errorf("north of (%v, %v): got (%v, %v)", tt.lat, tt.lon, lat, lon)
			}
		case 180:
			if lat >= tt.lat || math.Abs(lon-tt.lon) > 1e-9 {
				t.Errorf("south of (%v, %v): got (%v, %v)", tt.lat, tt.lon, lat, lon)
			}
		case 90:
			if lon <= tt.lon {
				t.Errorf("east of (%v, %v): got (%v, %v)", tt.lat, tt.lon, lat, lon)
			}
		}
	}
}

// TestGeocodeDistance: "N km <direction> of X" moves X's point by N km
// along the bearing, at precision 2 up to 60 km and 3 beyond; a place
// the text names before the phrase is taken when it lies where the phrase
// points.
func TestGeocodeDistance(t *testing.T) {
	g := testGazetteer(t)
	kabul := g.Lookup("Kabul")[0]
	herat := g.Lookup("Herat")[0]
	peshawar := g.Lookup("Peshawar")[0]
	tests := []struct {
		text      string
		name      string  // the best candidate's name, "" to skip
		from      Place   // the anchor the point is measured from
		km        float64 // from the anchor; -1 not to check
		northward int     // +1 north of the anchor, -1 south, 0 either
		precision vigil.LocationPrecision
		country   string
	}{
		{"40 km north of Kabul", "", kabul, 40, 1, vigil.LocationNear, "AF"},
		{"150 km east of Herat", "", herat, 150, 0, vigil.LocationAdmin2, "AF"},
		{"10 miles east of Peshawar", "", peshawar, 16.1, 0, vigil.LocationNear, "PK"},
		{"20 km from Kabul", "", kabul, 0, 0, vigil.LocationNear, "AF"},
		{"35 km from Kabul", "", kabul, 0, 0, vigil.LocationAdmin2, "AF"},
		{"twenty miles east of Peshawar", "", peshawar, 32.2, 0, vigil.LocationNear, "PK"},
		{"Barfoo (25 km north of Kabul)", "", kabul, 25, 1, vigil.LocationNear, "AF"},
		{"Charikar, 60 km north of Kabul", "Charikar", kabul, -1, 1, vigil.LocationExact, "AF"},
		// Qalat lies some 250 km south-west of Kabul, far from where
		// the phrase points: the point, not the town of the name.
		{"Qalat, 300 km south of Kabul", "", kabul, 300, -1, vigil.LocationAdmin2, ""},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			cs, err := g.Geocode(context.Background(), Query{Text: tt.text})
			if err != nil || len(cs) == 0 {
				t.Fatalf("Geocode(%q) = %v, %v", tt.text, cs, err)
			}
			c := cs[0]
			d := DistanceKm(tt.from.Latitude, tt.from.Longitude, c.Latitude, c.Longitude)
			if tt.km >= 0 && math.Abs(d-tt.km) > 3 {
				t.Errorf("Geocode(%q) = %s, %.1f km from %s; want %.1f", tt.text, c.Name, d, tt.from.Name, tt.km)
			}
			if tt.northward != 0 && (c.Latitude-tt.from.Latitude)*float64(tt.northward) <= 0 {
				t.Errorf("Geocode(%q) = (%v, %v), on the wrong side of %s", tt.text, c.Latitude, c.Longitude, tt.from.Name)
			}
			if tt.name != "" && c.Name != tt.name {
				t.Errorf("Geocode(%q) = %s, want %s", tt.text, c.Name, tt.name)
			}
			if c.LocationPrecision != tt.precision || (tt.country != "" && c.Country != tt.country) {
				t.Errorf("Geocode(%q) = %s precision %d; want %s precision %d\nreasons: %v", tt.text, c.Country, c.LocationPrecision, tt.country, tt.precision, c.Reasons)
			}
		})
	}
}

// TestGeocodeNeighbourDistrict: "X district, Y province" where the
// gazetteer's district X lies just across Y's boundary is that district;
// far from Y it is not, and the province stands for the place.
func TestGeocodeNeighbourDistrict(t *testing.T) {
	g := testGazetteer(t)
	tests := []struct {
		text      string
		name      string
		admin1    string
		precision vigil.LocationPrecision
	}{
		{"Surobi district, Laghman", "Surobi", "AF-KAB", vigil.LocationAdmin2},
		{"Mohammad Agha district, Kabul province", "Mohammad Agha", "AF-LOG", vigil.LocationAdmin2},
		{"Sharan district of Ghazni province", "Sharan", "AF-PKA", vigil.LocationAdmin2}, // not Ghazni's Rashidan, only like it
		{"Achin district, Kunar province", "Kunar", "AF-KNR", vigil.LocationAdmin1},
		{"Jaghatu district, Kandahar", "Kandahar", "AF-KAN", vigil.LocationAdmin1},
		{"Surobi district, Kabul", "Surobi", "AF-KAB", vigil.LocationAdmin2},    // in its province: no rule needed
		{"Barmal District, Pakistan", "Barmal", "AF-PKA", vigil.LocationAdmin2}, // across the border
		{"Kurram District, Afghanistan", "Kurram District", "PK-KP", vigil.LocationAdmin2},
		{"Shindand District, Pakistan", "Pakistan", "", vigil.LocationCountry}, // far from it
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			cs, err := g.Geocode(context.Background(), Query{Text: tt.text})
			if err != nil || len(cs) == 0 {
				t.Fatalf("Geocode(%q) = %v, %v", tt.text, cs, err)
			}
			c := cs[0]
			if c.Name != tt.name || c.Admin1 != tt.admin1 || c.LocationPrecision != tt.precision {
				t.Errorf("Geocode(%q) = %s %s precision %d; want %s %s precision %d\nreasons: %v", tt.text, c.Name, c.Admin1, c.LocationPrecision, tt.name, tt.admin1, tt.precision, c.Reasons)
			}
		})
	}
}

// TestGeocodeSmallPlaces: a village or an area the gazetteer does not hold
// is not read as a town of the same name elsewhere in the world, nor as a
// near miss among the region's villages, unless the text or hints give
// the country.
func TestGeocodeSmallPlaces(t *testing.T) {
	g := testGazetteer(t)
	tests := []struct {
		q       Query
		country string // "" for no answer
	}{
		{Query{Text: "Banbury area"}, ""},                   // a town of England
		{Query{Text: "Kendal village"}, ""},                 // another
		{Query{Text: "Kandey village"}, ""},                 // like Kunar's Kanday
		{Query{Text: "Kandey area"}, ""},                    // likewise
		{Query{Text: "Banbury area", Country: "GB"}, "GB"},  // the hint says where
		{Query{Text: "Banbury area", Country: "AF"}, ""},    // and where not
		{Query{Text: "Banbury area, United Kingdom"}, "GB"}, // so does the text
		{Query{Text: "Cairo area"}, "EG"},                   // a city names an area
		{Query{Text: "Lashkar Gah area"}, "AF"},             // the region's towns stand
		{Query{Text: "Ghro Qishlaq village, Imam Sahib district"}, "AF"},
	}
	for _, tt := range tests {
		t.Run(tt.q.Text+"/"+tt.q.Country, func(t *testing.T) {
			cs, err := g.Geocode(context.Background(), tt.q)
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if len(cs) > 0 {
				got = cs[0].Country
			}
			if got != tt.country {
				t.Errorf("Geocode(%+v): country %q, want %q; %v", tt.q, got, tt.country, cs)
			}
		})
	}
}

// TestGeocodeDistrictSeat: a district of the region without a coded seat
// stands at the place it is named after, at district precision.
func TestGeocodeDistrictSeat(t *testing.T) {
	g := testGazetteer(t)
	tests := []struct {
		text, seat string
	}{
		{"Gunibskiy rayon, Dagestan", "Gunib"},
		{"Achkhoy-Martanovskiy rayon", "Achkhoy-Martan"},
		{"Itum-Kalinskiy District", "Itum-Kali"},
		{"Nazranovskiy rayon, Ingushetia", "Nazran"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			cs, err := g.Geocode(context.Background(), Query{Text: tt.text})
			if err != nil || len(cs) == 0 {
				t.Fatalf("Geocode(%q) = %v, %v", tt.text, cs, err)
			}
			c := cs[0]
			seat := g.Lookup(tt.seat)[0]
			if d := DistanceKm(c.Latitude, c.Longitude, seat.Latitude, seat.Longitude); d > 1 || c.LocationPrecision != vigil.LocationAdmin2 {
				t.Errorf("Geocode(%q) = %s precision %d, %.0f km from %s; want at it, precision 3", tt.text, c.Name, c.LocationPrecision, d, tt.seat)
			}
		})
	}
}

// TestGeocodeNearMissKind: a near miss (transliteration or misspelling)
// stands only when it is the kind of unit the text's designator says.
func TestGeocodeNearMissKind(t *testing.T) {
	g := testGazetteer(t)
	tests := []struct {
		text string
		want string // the best candidate's name, "" for none
	}{
		{"Jumla district", ""},               // no district; only a town Juma
		{"town of Chuschi", ""},              // no town; only the okrug Chukotka
		{"Kondoz province", "Kunduz"},        // a province, as the text says
		{"Gazara district, Hirat", "Guzara"}, // a district, as the text says
		{"Qunduz city", "Kunduz"},            // a town, as the text says
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			cs, err := g.Geocode(context.Background(), Query{Text: tt.text})
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if len(cs) > 0 {
				got = cs[0].Name
			}
			if got != tt.want {
				t.Errorf("Geocode(%q) = %q, want %q; %v", tt.text, got, tt.want, cs)
			}
		})
	}
}

// TestGeocodeRoadsAndFeatures: "X-Y highway" is the road between two known
// places (precision 5); a feature named after a place ("Bagram Airfield",
// "Kurram Valley") is that place's, by its name as written.
func TestGeocodeRoadsAndFeatures(t *testing.T) {
	g := testGazetteer(t)
	tests := []struct {
		text      string
		name      string // the best candidate's name, "" for no answer
		admin1    string
		precision vigil.LocationPrecision
	}{
		{"Kunduz-Takhar highway, Afghanistan", "between Kunduz and Takhar", "", vigil.LocationRegion},
		{"the Kabul-Jalalabad road", "between Kabul and Jalālābād", "", vigil.LocationRegion},
		{"Mazar-i-Sharif - Shibirghan highway", "between Mazār-e Sharīf and Shibirghān", "", vigil.LocationRegion},
		{"Bagram Airfield, Afghanistan", "Bagram", "AF-PAR", 0},
		{"Bagram Air Base", "Bagram", "AF-PAR", 0},
		{"Kurram Valley, Pakistan", "Kurram District", "PK-KP", vigil.LocationAdmin2},
		{"Kandahar airport", "Kandahār", "AF-KAN", vigil.LocationExact},
		{"Happy Valley", "Happy Valley", "", vigil.LocationExact},                         // a town's whole name stands
		{"a new checkpoint", "", "", 0},                                                   // no place named
		{"Foo-Bar road", "", "", 0},                                                       // no known places
		{"Jalalabad-Foo highway, Nangarhar", "Nangarhar", "AF-NAN", vigil.LocationAdmin1}, // one end unknown: the province
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			cs, err := g.Geocode(context.Background(), Query{Text: tt.text})
			if err != nil {
				t.Fatal(err)
			}
			if tt.name == "" {
				if len(cs) > 0 {
					t.Errorf("Geocode(%q) = %s, want no answer", tt.text, cs[0].Name)
				}
				return
			}
			if len(cs) == 0 {
				t.Fatalf("Geocode(%q): no answer", tt.text)
			}
			c := cs[0]
			if c.Name != tt.name || (tt.admin1 != "" && c.Admin1 != tt.admin1) || (tt.precision != 0 && c.LocationPrecision != tt.precision) {
				t.Errorf("Geocode(%q) = %s %s precision %d; want %s %s precision %d\nreasons: %v", tt.text, c.Name, c.Admin1, c.LocationPrecision, tt.name, tt.admin1, tt.precision, c.Reasons)
			}
		})
	}
}

// TestGeocodeListOfOne: a list whose items come to one place is that place.
func TestGeocodeListOfOne(t *testing.T) {
	g := testGazetteer(t)
	for _, text := range []string{"Kunar and Konar provinces", "Kunar, Konarha and Kunar provinces"} {
		cs, err := g.Geocode(context.Background(), Query{Text: text})
		if err != nil || len(cs) == 0 {
			t.Fatalf("Geocode(%q) = %v, %v", text, cs, err)
		}
		if c := cs[0]; c.Admin1 != "AF-KNR" || c.LocationPrecision != vigil.LocationAdmin1 {
			t.Errorf("Geocode(%q) = %s %s precision %d; want Kunar, precision 4", text, c.Name, c.Admin1, c.LocationPrecision)
		}
	}
}
