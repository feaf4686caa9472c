package geo

import (
	"context"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name   string
		text   string
		rel    relation
		chains int
		first  string // the first chain's first segment, folded and stripped
	}{
		{"plain", "Kabul", relAt, 1, "kabul"},
		{"designator", "Khak-e Safid District of Farah Province", relAt, 1, "khak e safid"},
		{"near", "near Jalalabad", relNear, 1, "jalalabad"},
		{"outskirts with sub-place", "Kakrak area on the outskirts of Tarin Kot city", relNear, 1, "tarin kot"},
		{"between", "between Kunduz and Takhar", relBetween, 2, "kunduz"},
		{"list", "Helmand, Kandahar and Uruzgan provinces", relList, 3, "helmand"},
		{"near in brackets", "Chiri-Yurt (ouside of)", relNear, 1, "chiri yurt"},
		{"distance", "village of Deh Now, 40 km (25 miles) north of the provincial capital Herat", relNear, 1, "herat"},
		{"feature word", "Bagram Air Base, Afghanistan", relAt, 1, "bagram"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := parse(tt.text, nil)
			if e.rel != tt.rel || len(e.chains) != tt.chains || e.chains[0][0].text != tt.first {
				t.Errorf("parse(%q) = rel %d, %d chains, first %q; want %d, %d, %q", tt.text, e.rel, len(e.chains), e.chains[0][0].text, tt.rel, tt.chains, tt.first)
			}
		})
	}
}

// FuzzGeocode feeds arbitrary text to the parser and resolver: they must
// not panic, and every candidate must have a precision and a reason.
func FuzzGeocode(f *testing.F) {
	for _, s := range []string{"Achin District, Nangarhar Province, Afghanistan", "between  and ", "near", "(", ", ,", "PD8 of", "'s 's", "near the outskirts of (near)", "A and B and C provinces",
		"75 km (46 miles) south of", "5 km north of 5 km south of Kabul", "(3 km east of )", "ten miles from", "-- highway", "Kabul-Kabul-Kabul road",
		"air base", "new checkpoint", "Kunar and Kunar provinces"} {
		f.Add(s)
	}
	g, err := Default()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text string) {
		cs, err := g.Geocode(context.Background(), Query{Text: text})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			if !c.LocationPrecision.Valid() || len(c.Reasons) == 0 {
				t.Errorf("Geocode(%q): candidate %+v lacks precision or reasons", text, c)
			}
		}
	})
}
