package textnorm

import "strings"

// Level is the kind of unit a word marks a name as: "Nangarhar Province",
// "Achin District", "Kabul city".
type Level int

// The levels a designator word can mark.
const (
	LevelNone    Level = iota
	LevelCountry       // a country
	LevelADM1          // province, oblast, region, republic
	LevelADM2          // district, agency, tehsil, rayon
	LevelPlace         // city, town, village
	LevelArea          // area, locality: a part of a place
)

// designators maps folded designator words (several words joined by one
// space) to the level they mark.
var designators = map[string]Level{
	"province": LevelADM1, "provinces": LevelADM1, "wilayat": LevelADM1, "wilayat e": LevelADM1,
	"velayat": LevelADM1, "velayat e": LevelADM1, "welayat": LevelADM1, "ostan": LevelADM1, "ostan e": LevelADM1,
	"oblast": LevelADM1, "oblasty": LevelADM1, "oblys": LevelADM1, "oblysy": LevelADM1, "viloyati": LevelADM1,
	"viloyat": LevelADM1, "region": LevelADM1, "republic": LevelADM1, "respublika": LevelADM1,
	"krai": LevelADM1, "kray": LevelADM1, "kraj": LevelADM1, "autonomous okrug": LevelADM1, "governorate": LevelADM1,
	"state": LevelADM1, "territory": LevelADM1, "capital territory": LevelADM1,
	"ولایت": LevelADM1, "استان": LevelADM1, "صوبه": LevelADM1, "область": LevelADM1, "республика": LevelADM1, "край": LevelADM1,
	"district": LevelADM2, "districts": LevelADM2, "agency": LevelADM2, "tehsil": LevelADM2, "thesil": LevelADM2,
	"tahsil": LevelADM2, "rayon": LevelADM2, "raion": LevelADM2, "rayoni": LevelADM2, "county": LevelADM2,
	"shahrestan": LevelADM2, "shahrestan e": LevelADM2, "woluswali": LevelADM2, "wuleswali": LevelADM2,
	"uluswali": LevelADM2, "oluswali": LevelADM2, "olusvali": LevelADM2, "wuluswali": LevelADM2, "woludwali": LevelADM2,
	"municipality": LevelADM2, "subdivision": LevelADM2,
	"ولسوالی": LevelADM2, "شهرستان": LevelADM2, "район": LevelADM2,
	"city": LevelPlace, "town": LevelPlace, "village": LevelPlace, "villages": LevelPlace, "township": LevelPlace,
	"bazaar": LevelArea, "bazar": LevelArea, "area": LevelArea, "locality": LevelArea, "localities": LevelArea,
	"suburb": LevelArea, "neighbourhood": LevelArea, "neighborhood": LevelArea,
	"capital": LevelPlace, "regional capital": LevelPlace, "provincial capital": LevelPlace, "district centre": LevelPlace,
	"district center": LevelPlace, "border": LevelArea, "border crossing": LevelArea, "crossing": LevelArea,
	"шаҳри": LevelPlace, "город": LevelPlace, "شهر": LevelPlace,
}

// IsDesignator reports whether a folded text is only a designator ("city").
func IsDesignator(folded string) bool {
	_, ok := designators[folded]
	return ok
}

// SplitAfterDesignator splits a folded text after an inner designator
// word followed by another name: "rokha district panjshir" → "rokha
// district", "panjshir". It returns the text whole when there is none.
func SplitAfterDesignator(folded string) []string {
	words := strings.Fields(folded)
	for i := 1; i < len(words)-1; i++ {
		if l, ok := designators[words[i]]; ok && (l == LevelADM2 || l == LevelADM1) && !isDesignatorWord(words[i+1]) {
			return append([]string{strings.Join(words[:i+1], " ")}, SplitAfterDesignator(strings.Join(words[i+1:], " "))...)
		}
	}
	return []string{folded}
}

func isDesignatorWord(w string) bool {
	_, ok := designators[w]
	return ok || w == "e" || w == "i" || w == "of" || w == "centre" || w == "center" || w == "headquarters"
}

// StripDesignator removes designator words at the start or end of a folded
// name ("achin district" → "achin", "wilayat e kunar" → "kunar") and
// returns the rest and the level they mark. A name that is only a designator
// is returned as it is.
func StripDesignator(folded string) (string, Level) {
	words := strings.Fields(folded)
	level := LevelNone
	for len(words) > 1 {
		if l, ok := designators[words[len(words)-1]]; ok {
			level = l
			words = words[:len(words)-1]
			continue
		}
		if len(words) > 2 {
			if l, ok := designators[words[len(words)-2]+" "+words[len(words)-1]]; ok {
				level = l
				words = words[:len(words)-2]
				continue
			}
		}
		if len(words) > 2 {
			if l, ok := designators[words[0]+" "+words[1]]; ok {
				level = l
				words = words[2:]
				continue
			}
		}
		if l, ok := designators[words[0]]; ok {
			level = l
			words = words[1:]
			continue
		}
		break
	}
	return strings.Join(words, " "), level
}
