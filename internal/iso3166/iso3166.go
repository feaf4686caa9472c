// Package iso3166 maps between ISO 3166-1 country codes (alpha-2, alpha-3,
// numeric) and the country names that datasets write, such as ACLED's
// "Democratic Republic of Congo" or GTD's "West Bank and Gaza Strip".
package iso3166

import (
	"strings"
	"unicode"
)

// Country is one ISO 3166-1 country.
type Country struct {
	Alpha2  string
	Alpha3  string
	Numeric int
	Name    string // the common English name
	ISOName string // ISO's short name
}

var (
	byAlpha2  = map[string]*Country{}
	byAlpha3  = map[string]*Country{}
	byNumeric = map[int]*Country{}
	byName    = map[string]*Country{}
)

// aliases are names datasets use that ISO does not.
var aliases = map[string]string{
	"Bolivia": "BO", "Bosnia-Herzegovina": "BA", "Brunei": "BN", "Cape Verde": "CV",
	"Czech Republic": "CZ", "Czechoslovakia": "CZ", "Democratic Republic of Congo": "CD",
	"Democratic Republic of the Congo": "CD", "DR Congo": "CD", "Zaire": "CD",
	"Republic of Congo": "CG", "Republic of the Congo": "CG", "People's Republic of the Congo": "CG",
	"Congo": "CG", "East Timor": "TL", "eSwatini": "SZ", "Swaziland": "SZ", "Iran": "IR",
	"Ivory Coast": "CI", "Cote d'Ivoire": "CI", "Kosovo": "XK", "Laos": "LA", "Macedonia": "MK",
	"North Macedonia": "MK", "Micronesia": "FM", "Moldova": "MD", "North Korea": "KP",
	"South Korea": "KR", "Palestine": "PS", "West Bank and Gaza Strip": "PS",
	"Russia": "RU", "Soviet Union": "RU", "Russian Federation": "RU", "Syria": "SY",
	"Taiwan": "TW", "Tanzania": "TZ", "Turkey": "TR", "Turkiye": "TR", "United States": "US",
	"United States of America": "US", "United Kingdom": "GB", "Great Britain": "GB",
	"Vatican City": "VA", "Venezuela": "VE", "Vietnam": "VN", "South Vietnam": "VN",
	"North Yemen": "YE", "South Yemen": "YE", "West Germany (FRG)": "DE", "East Germany (GDR)": "DE",
	"Yugoslavia": "RS", "Serbia-Montenegro": "RS", "Rhodesia": "ZW", "Myanmar": "MM", "Burma": "MM",
	"Falkland Islands": "FK", "Hong Kong": "HK", "Macau": "MO", "Slovak Republic": "SK",
	"Western Sahara": "EH", "New Hebrides": "VU", "St. Kitts and Nevis": "KN", "St. Lucia": "LC",
	"Wallis and Futuna": "WF", "Guadeloupe": "GP", "Martinique": "MQ", "French Guiana": "GF",
	"International": "", "Caribbean Sea": "",
}

func init() {
	for i := range countries {
		c := &countries[i]
		byAlpha2[c.Alpha2] = c
		byAlpha3[c.Alpha3] = c
		if c.Numeric != 0 {
			byNumeric[c.Numeric] = c
		}
		byName[fold(c.Name)] = c
		if _, ok := byName[fold(c.ISOName)]; !ok {
			byName[fold(c.ISOName)] = c
		}
	}
	for name, code := range aliases {
		if c := byAlpha2[code]; c != nil {
			byName[fold(name)] = c
		}
	}
}

// ByAlpha2 returns the country with the alpha-2 code ("AF"), or nil.
func ByAlpha2(code string) *Country { return byAlpha2[strings.ToUpper(strings.TrimSpace(code))] }

// ByAlpha3 returns the country with the alpha-3 code ("AFG"), or nil.
func ByAlpha3(code string) *Country { return byAlpha3[strings.ToUpper(strings.TrimSpace(code))] }

// ByNumeric returns the country with the numeric code (4), or nil.
func ByNumeric(n int) *Country { return byNumeric[n] }

// ByName returns the country a dataset's name means, ignoring case,
// accents and punctuation, or nil.
func ByName(name string) *Country { return byName[fold(name)] }

// fold lowercases letters and digits, drops accents on Latin letters
// (iso-codes writes "Côte d'Ivoire"), and joins words with single spaces.
func fold(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		switch r {
		case 'à', 'á', 'â', 'ã', 'ä', 'å', 'À', 'Á', 'Â', 'Ã', 'Ä', 'Å':
			r = 'a'
		case 'ç', 'Ç':
			r = 'c'
		case 'è', 'é', 'ê', 'ë', 'É':
			r = 'e'
		case 'í', 'î', 'ï':
			r = 'i'
		case 'ô', 'ö', 'ó', 'Ö':
			r = 'o'
		case 'ü', 'ú':
			r = 'u'
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(unicode.ToLower(r))
		} else if r != '\'' && r != '’' {
			space = true
		}
	}
	return b.String()
}
