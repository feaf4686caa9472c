package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// token is one word, number or punctuation mark of a text, with its byte
// offsets.
type token struct {
	start, end int
	text       string
	low        string // lower case
	num        int    // value when a digit number, else -1
	upper      bool   // begins with an upper-case letter
	punct      bool
}

// tokenize splits s into words (letters and digits with inner
// apostrophes, hyphens and dots: "Mazar-i-Sharif", "U.S."), numbers with
// thousands separators ("1,200") and single punctuation marks.
func tokenize(s string) []token {
	toks := make([]token, 0, len(s)/5)
	i := 0
	for i < len(s) {
		r, w := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsSpace(r) || r == utf8.RuneError && w == 1 && s[i] >= 0x80:
			i += w
		case r >= '0' && r <= '9':
			j := i
			for j < len(s) {
				c := s[j]
				if c >= '0' && c <= '9' {
					j++
					continue
				}
				// "1,200" and "1.5" keep going; "5," at the end does not.
				if (c == ',' || c == '.') && j+1 < len(s) && s[j+1] >= '0' && s[j+1] <= '9' && (c == '.' || j+3 < len(s) && isDigits(s[j+1:j+4]) && (j+4 == len(s) || s[j+4] < '0' || s[j+4] > '9')) {
					j++
					continue
				}
				break
			}
			// Trailing letters of ordinals and units stay with the number: "12th", "2016s".
			k := j
			for k < len(s) && (s[k] >= 'a' && s[k] <= 'z' || s[k] >= 'A' && s[k] <= 'Z') {
				k++
			}
			t := token{start: i, end: k, text: s[i:k], num: -1}
			if k == j {
				t.num = atoiSep(s[i:j])
			}
			t.low = strings.ToLower(t.text)
			toks = append(toks, t)
			i = k
		case unicode.IsLetter(r):
			j := i + w
			for j < len(s) {
				r2, w2 := utf8.DecodeRuneInString(s[j:])
				if unicode.IsLetter(r2) || unicode.IsDigit(r2) || unicode.Is(unicode.Mn, r2) {
					j += w2
					continue
				}
				// Inner connectors: "Mazar-i-Sharif", "al-Qaeda", "Ba'ath", "U.S."
				if (r2 == '-' || r2 == '\'' || r2 == '’' || r2 == '.') && j+w2 < len(s) {
					r3, _ := utf8.DecodeRuneInString(s[j+w2:])
					if unicode.IsLetter(r3) && !(r2 == '.' && !isAbbrevDot(s[i:j])) && !((r2 == '\'' || r2 == '’') && isPossessive(s[j+w2:])) {
						j += w2
						continue
					}
				}
				break
			}
			// "U.S." keeps its final dot.
			if j < len(s) && s[j] == '.' && strings.Contains(s[i:j], ".") {
				j++
			}
			t := token{start: i, end: j, text: s[i:j], num: -1, upper: unicode.IsUpper(r)}
			t.low = lower(t.text)
			toks = append(toks, t)
			i = j
		default:
			t := token{start: i, end: i + w, text: s[i : i+w], num: -1, punct: true}
			t.low = t.text
			toks = append(toks, t)
			i += w
		}
	}
	return toks
}

// isAbbrevDot reports whether a word before a dot is a run of single
// letters ("U", "U.S"), whose dots are inside the word.
func isAbbrevDot(w string) bool {
	parts := strings.Split(w, ".")
	return len(parts[len(parts)-1]) == 1
}

// isPossessive reports whether what follows an apostrophe is a
// possessive "s" ending the word.
func isPossessive(rest string) bool {
	if len(rest) == 0 || rest[0] != 's' {
		return false
	}
	if len(rest) == 1 {
		return true
	}
	r, _ := utf8.DecodeRuneInString(rest[1:])
	return !unicode.IsLetter(r)
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return len(s) > 0
}

// atoiSep reads "1,200" as 1200; a decimal ("1.5") or an overflow is -1.
func atoiSep(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ',':
		case c >= '0' && c <= '9':
			n = n*10 + int(c-'0')
			if n > 1e9 {
				return -1
			}
		default:
			return -1
		}
	}
	return n
}

// lower folds case, ASCII quickly, and normalises the typographic
// apostrophe.
func lower(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(s)
	}
	return strings.ReplaceAll(strings.ToLower(s), "’", "'")
}
