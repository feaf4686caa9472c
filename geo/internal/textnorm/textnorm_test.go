package textnorm

import "testing"

func TestFold(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"diacritics and hyphens", "Mazār-i-Sharīf", "mazar i sharif"},
		{"apostrophes", "Qal‘eh-ye Now", "qaleh ye now"},
		{"case and spaces", "  KHAK-E  SAFID ", "khak e safid"},
		{"persian yeh and kaf", "ولايت ننگرهار", "ولایت ننگرهار"},
		{"pashto letters", "زور کوټ", "زور کوت"},
		{"cyrillic kept", "Кундуз", "кундуз"},
		{"latin without decomposition", "Łódź", "lodz"},
		{"eastern digits", "۸", "8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Fold(tt.in); got != tt.want {
				t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSkeleton(t *testing.T) {
	same := [][]string{
		{"Kunduz", "Kondoz", "Qunduz"},
		{"Helmand", "Hilmand"},
		{"Herat", "Hirat"},
		{"Paktia", "Paktya", "Paktiya"},
		{"Uruzgan", "Oruzgan", "Urozgan"},
		{"Nangarhar", "Ningarhar", "Ningrahar"},
		{"Mazar-e-Sharif", "Mazar-i-Sharif"},
		{"Wardak", "Vardak"},
		{"Khost", "Khowst"},
	}
	for _, group := range same {
		t.Run(group[0], func(t *testing.T) {
			want := Skeleton(Key(group[0]))
			if want == "" {
				t.Fatalf("Skeleton(%q) is empty", group[0])
			}
			for _, v := range group[1:] {
				if got := Skeleton(Key(v)); got != want {
					t.Errorf("Skeleton(%q) = %q, want %q", v, got, want)
				}
			}
		})
	}
	if got := Skeleton(Key("Paktika")); got == Skeleton(Key("Paktia")) {
		t.Errorf("Paktika and Paktia share skeleton %q", got)
	}
}
