// Package textnorm folds place names into the keys the gazetteer indexes:
// case, diacritics, punctuation, spacing and the common Arabic-script letter
// variants are removed, while the script itself is kept.
package textnorm

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mozillazg/go-unidecode"
	"golang.org/x/text/unicode/norm"
)

// arabicFold maps Arabic-script letter variants (Arabic and Persian yeh and
// kaf, teh marbuta, heh with yeh) and Eastern digits onto one form each, so
// that Dari, Pashto, Urdu and Arabic spellings of a name meet.
var arabicFold = map[rune]string{
	'ي': "ی", 'ى': "ی", 'ئ': "ی", 'ې': "ی", 'ۍ': "ی", 'ے': "ی",
	'ك': "ک", 'ة': "ه", 'ۀ': "ه", 'ہ': "ه", 'ھ': "ه", 'ە': "ه",
	'أ': "ا", 'إ': "ا", 'آ': "ا", 'ٱ': "ا",
	'ؤ': "و", 'ټ': "ت", 'ډ': "د", 'ړ': "ر", 'ڼ': "ن", 'ږ': "ژ", 'ښ': "ش", 'ځ': "ج", 'څ': "چ",
	'ٹ': "ت", 'ڈ': "د", 'ڑ': "ر", 'ں': "ن",
}

// Fold returns name in lower case with diacritics and punctuation removed and
// words separated by single spaces: "Mazār-i-Sharīf" → "mazar i sharif".
// Letters outside Latin keep their script; Arabic-script variants are unified.
func Fold(name string) string {
	var b strings.Builder
	b.Grow(len(name))
	space := true // suppress leading spaces
	for _, r := range norm.NFKD.String(name) {
		switch {
		case unicode.Is(unicode.Mn, r), r == 'ـ', r == '\u200c', r == '\u200d', r == '\u200f', r == '\u200e':
			continue
		case r == '\'' || r == '`' || r == '’' || r == '‘' || r == 'ʼ' || r == 'ʻ' || r == 'ʿ' || r == 'ʾ' || r == '´' || r == '′' || r == '"':
			continue
		case r >= '0' && r <= '9':
			b.WriteRune(r)
			space = false
		case r >= '٠' && r <= '٩':
			b.WriteRune('0' + r - '٠')
			space = false
		case r >= '۰' && r <= '۹':
			b.WriteRune('0' + r - '۰')
			space = false
		case unicode.IsLetter(r):
			r = unicode.ToLower(r)
			if s, ok := arabicFold[r]; ok {
				b.WriteString(s)
			} else if r < utf8.RuneSelf {
				b.WriteRune(r)
			} else if r <= 0x24F || (r >= 0x1E00 && r <= 0x1EFF) {
				// Latin letters without a decomposition (ı, ø, ł, đ, ß, æ).
				b.WriteString(strings.ToLower(unidecode.Unidecode(string(r))))
			} else if r == 'ё' {
				b.WriteRune('е')
			} else {
				b.WriteRune(r)
			}
			space = false
		default:
			if !space {
				b.WriteByte(' ')
				space = true
			}
		}
	}
	return strings.TrimRight(b.String(), " ")
}

// Key is the form the gazetteer looks names up by: Fold without the spaces, so
// "Lashkar Gah", "Lashkargah" and "Lashkar-Gah" share one key.
func Key(name string) string {
	return strings.ReplaceAll(Fold(name), " ", "")
}

// Skeleton reduces a Latin key to its consonants, with the letters that the
// transliterations of Dari, Pashto and Urdu trade for each other merged
// (q/k, the vowels, w/v/y, an h after d or t, doubled letters), so "kunduz",
// "kondoz" and "qunduz" all give "kndz". It returns "" for keys that hold
// non-Latin letters or whose skeleton is shorter than three letters, which
// would match too much.
func Skeleton(key string) string {
	out := make([]byte, 0, len(key))
	var prev byte // the previous letter of key, to drop doubled letters
	for i := 0; i < len(key); i++ {
		c := key[i]
		if c >= utf8.RuneSelf {
			return ""
		}
		p := prev
		prev = c
		if c == p {
			continue
		}
		switch c {
		case 'a', 'e', 'i', 'o', 'u', 'y', 'w', 'v':
			continue
		case 'h':
			if p == 'd' || p == 't' || (p != 0 && !strings.ContainsRune("kgszc", rune(p))) {
				continue
			}
		case 'q':
			c = 'k'
		}
		out = append(out, c)
	}
	if len(out) < 3 {
		return ""
	}
	return string(out)
}

// IsLatin reports whether key holds only ASCII letters and digits.
func IsLatin(key string) bool {
	for i := 0; i < len(key); i++ {
		if key[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
