package geo

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

// overrideTests holds one test per row of data/sources/overrides.tsv,
// keyed by source, match and field. TestEveryOverrideHasATest fails when a
// row has none.
var overrideTests = map[string]func(t *testing.T, g *Gazetteer){
	"ne10m gn_id=6957553 name": func(t *testing.T, g *Gazetteer) {
		wantAdmin1Name(t, g, "AF-DAY", "Daykundi")
		wantADM1(t, g, "Daykundi", "AF-DAY")
	},
	"ne10m gn_id=6957553 iso_3166_2": func(t *testing.T, g *Gazetteer) {
		wantADM1(t, g, "Uruzgan", "AF-URU")
		wantWhere(t, g, 33.84, 66.30, "AF-DAY") // Nili, Daykundi
	},
	"ne10m gn_id=6957553 name_en":  func(t *testing.T, g *Gazetteer) { notADM1(t, g, "Urozgan", "AF-DAY") },
	"ne10m gn_id=6957553 name_alt": func(t *testing.T, g *Gazetteer) { notADM1(t, g, "Urozgan", "AF-DAY") },
	"ne10m gn_id=6957553 name_fa":  func(t *testing.T, g *Gazetteer) { notADM1(t, g, "ولایت اروزگان", "AF-DAY") },
	"ne10m gn_id=6957553 name_ur":  func(t *testing.T, g *Gazetteer) { notADM1(t, g, "اروزگان", "AF-DAY") },
	"ne10m gn_id=6957553 name_ru":  func(t *testing.T, g *Gazetteer) { notADM1(t, g, "Урузган", "AF-DAY") },
	"ne10m gn_id=6957555 name": func(t *testing.T, g *Gazetteer) {
		wantADM1(t, g, "Panjshir", "AF-PAN")
		wantADM1(t, g, "Parwan", "AF-PAR")
	},
	"ne10m gn_id=6957555 iso_3166_2": func(t *testing.T, g *Gazetteer) {
		wantAdmin1Name(t, g, "AF-PAN", "Panjshir")
		wantWhere(t, g, 35.31, 69.52, "AF-PAN") // Bazarak
		wantWhere(t, g, 35.01, 69.17, "AF-PAR") // Charikar
	},
	"ne10m gn_id=6957555 name_en":  func(t *testing.T, g *Gazetteer) { notADM1(t, g, "Parwan", "AF-PAN") },
	"ne10m gn_id=6957555 woe_name": func(t *testing.T, g *Gazetteer) { wantADM1(t, g, "Parwan", "AF-PAR") },
	"ne10m gn_id=6957555 name_alt": func(t *testing.T, g *Gazetteer) { notADM1(t, g, "Charikar", "AF-PAN") },
	"ne10m gn_id=6957555 name_fa":  func(t *testing.T, g *Gazetteer) { notADM1(t, g, "ولایت پروان", "AF-PAN") },
	"ne10m gn_id=6957555 name_ur":  func(t *testing.T, g *Gazetteer) { notADM1(t, g, "صوبہ پروان", "AF-PAN") },
	"ne10m gn_id=6957555 name_ru":  func(t *testing.T, g *Gazetteer) { notADM1(t, g, "Парван", "AF-PAN") },
	"ne10m gn_id=1131257 iso_3166_2": func(t *testing.T, g *Gazetteer) {
		wantADM1(t, g, "Paktya", "AF-PIA")
		wantWhere(t, g, 33.60, 69.22, "AF-PIA") // Gardez
	},
	"ne10m gn_id=1131256 iso_3166_2": func(t *testing.T, g *Gazetteer) {
		wantADM1(t, g, "Paktika", "AF-PKA")
		wantWhere(t, g, 33.17, 68.73, "AF-PKA") // Sharana
	},
	"ne10m gn_id=1131256 name_alt": func(t *testing.T, g *Gazetteer) { notADM1(t, g, "Paktiya", "AF-PKA") },
	"ne10m gn_id=1179245 iso_3166_2": func(t *testing.T, g *Gazetteer) {
		wantWhere(t, g, 33.00, 70.07, "PK-KP") // Miranshah, North Waziristan
		if g.Admin1Name("PK-TA") != "" {
			t.Errorf("PK-TA is still an admin-1 unit")
		}
	},
	"ne10m gn_id=1179245 name": func(t *testing.T, g *Gazetteer) {
		wantADM1(t, g, "F.A.T.A.", "PK-KP")
		wantADM1(t, g, "Federally Administered Tribal Areas", "PK-KP")
	},
	"geoboundaries-adm1 shapeISO=AF-GHA shapeName": func(t *testing.T, g *Gazetteer) {
		wantWhere(t, g, 33.55, 68.42, "AF-GHA")
		if a, _ := g.Where(33.55, 68.42); a.Admin1Name != "Ghazni" {
			t.Errorf("Where(Ghazni city).Admin1Name = %q, want Ghazni", a.Admin1Name)
		}
		notADM1(t, g, "Ghanzi", "AF-GHA")
	},
	"geoboundaries-adm1 shapeName=Kandahar shapeISO": func(t *testing.T, g *Gazetteer) {
		wantWhere(t, g, 31.61, 65.71, "AF-KAN")
	},
	"geoboundaries-adm1 shapeName=Badakhshan shapeISO": func(t *testing.T, g *Gazetteer) {
		wantWhere(t, g, 37.12, 70.58, "AF-BDS") // Fayzabad
	},
	"geoboundaries-adm2 shapeName=Acheen shapeName": func(t *testing.T, g *Gazetteer) {
		if a, _ := g.Where(34.06, 70.66); a.Admin2Name != "Achin" {
			t.Errorf("Where(Achin).Admin2Name = %q, want Achin", a.Admin2Name)
		}
	},
	"world-atlas name=Somaliland id":        func(t *testing.T, g *Gazetteer) { wantCountry(t, g, 9.56, 44.06, "SO") },
	"world-atlas name=Kosovo id":            func(t *testing.T, g *Gazetteer) { wantCountry(t, g, 42.66, 21.17, "XK") },
	"world-atlas name=N. Cyprus id":         func(t *testing.T, g *Gazetteer) { wantCountry(t, g, 35.34, 33.32, "CY") },
	"world-atlas name=Indian Ocean Ter. id": func(t *testing.T, g *Gazetteer) { wantCountry(t, g, -10.49, 105.63, "AU") },
	"world-atlas name=Siachen Glacier id": func(t *testing.T, g *Gazetteer) {
		for _, f := range g.countryLayer.Features {
			if f.Key == "" {
				t.Errorf("a country boundary has no code")
			}
		}
	},
}

func TestOverrides(t *testing.T) {
	g := testGazetteer(t)
	for name, fn := range overrideTests {
		t.Run(name, func(t *testing.T) { fn(t, g) })
	}
}

func TestEveryOverrideHasATest(t *testing.T) {
	f, err := os.Open("../data/sources/overrides.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	header := true
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if header {
			header = false
			continue
		}
		r := strings.Split(line, "\t")
		key := r[0] + " " + r[1] + " " + r[2]
		if _, ok := overrideTests[key]; !ok {
			t.Errorf("override %q has no test in overrideTests", key)
		}
	}
}

func testGazetteer(t testing.TB) *Gazetteer {
	t.Helper()
	g, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func wantAdmin1Name(t *testing.T, g *Gazetteer, code, want string) {
	t.Helper()
	if got := g.Admin1Name(code); got != want {
		t.Errorf("Admin1Name(%s) = %q, want %q", code, got, want)
	}
}

// adm1Codes returns the admin-1 units a name matches exactly.
func adm1Codes(g *Gazetteer, name string) []string {
	var out []string
	for _, p := range g.Lookup(name) {
		if p.FeatureCode == "ADM1" {
			out = append(out, p.Admin1)
		}
	}
	return out
}

func wantADM1(t *testing.T, g *Gazetteer, name, code string) {
	t.Helper()
	got := adm1Codes(g, name)
	if len(got) == 0 || got[0] != code {
		t.Errorf("admin-1 units named %q = %v, want %s first", name, got, code)
	}
}

func notADM1(t *testing.T, g *Gazetteer, name, code string) {
	t.Helper()
	for _, c := range adm1Codes(g, name) {
		if c == code {
			t.Errorf("%q names %s, which it should not", name, code)
		}
	}
}

func wantWhere(t *testing.T, g *Gazetteer, lat, lon float64, admin1 string) {
	t.Helper()
	a, ok := g.Where(lat, lon)
	if !ok || a.Admin1 != admin1 {
		t.Errorf("Where(%v, %v) = %+v, %v; want admin-1 %s", lat, lon, a, ok, admin1)
	}
}

func wantCountry(t *testing.T, g *Gazetteer, lat, lon float64, country string) {
	t.Helper()
	a, ok := g.Where(lat, lon)
	if !ok || a.Country != country {
		t.Errorf("Where(%v, %v) = %+v, %v; want country %s", lat, lon, a, ok, country)
	}
}
