package extract

import (
	"strings"
)

// count is a number of people as a text gives it: its range, where it
// lies, and what it counts.
type count struct {
	low, best, high  int // -1 when unknown
	startTok, endTok int // the number phrase, in tokens [start, end)
	article          bool
	det              bool // "the", "his", "her": one person, if a singular person noun follows
	qualified        bool // "at least", "more than", "over"…
}

// mention is a count bound to a casualty word: "killing four civilians",
// "22 people were killed", "the death toll rose to 40".
type mention struct {
	count
	wound     bool // wounded, else killed
	attackers bool // counts attackers, not victims
	additive  bool // "also", "another": adds to earlier figures
	supersede bool // "the death toll rose to": replaces earlier figures
	subset    bool // "including three children": already counted
	ofVictims bool // a subset of the victims counted before it ("16 killed, including the bomber")
	// total marks a figure given as the total of the incident ("a total
	// of 25", "25 in all", "the combined death toll was 25"): it replaces
	// the figures of its parts, and no part after it adds to it.
	total bool
	// site is the part of the incident a figure belongs to when the text
	// numbers them: 1 for "the first blast", 2 and more for "the second
	// blast", "a third bomber", "another explosion"; 0 when it does not.
	// Figures of the second and later parts add to those before them.
	site     int
	ofThem   bool // "one of them": a part of the count before
	sentence int
	startTok int // the whole phrase, number to verb
	endTok   int
	head     string // the person noun counted
}

// auxiliaries may stand between a count and its passive verb.
var auxiliaries = map[string]bool{"were": true, "was": true, "are": true, "is": true, "have": true, "has": true, "been": true,
	"had": true, "also": true, "reportedly": true, "later": true, "all": true, "being": true, "left": true, "critically": true,
	"seriously": true, "severely": true, "slightly": true, "badly": true, "either": true, "got": true, "allegedly": true, "initially": true,
	"confirmed": true, "feared": true, "now": true, "so": true, "far": true, "mortally": true, "gravely": true, "lightly": true,
	"partially": true, "mildly": true, "grievously": true, "moderately": true, "publicly": true, "brutally": true}

// nounFillers are words a counted noun phrase may hold besides its head:
// adjectives and nationalities ("two teenage Afghan girls").
func isFiller(t token) bool {
	if t.punct || t.num >= 0 {
		return false
	}
	switch t.low {
	case "and", "or", "but", "in", "at", "on", "by", "with", "when", "while", "after", "who", "which", "that", "to", "as", "from", "for", "near", "including", "among":
		return false
	}
	return true
}

// parseNumber reads a number phrase at toks[i]: an optional qualifier
// ("at least", "up to"), then digits, a range ("3-12"), number words
// ("twenty-five", "a dozen") or a vague quantity ("dozens").
func (x *Extractor) parseNumber(toks []token, i, end int) (count, bool) {
	c := count{low: -1, best: -1, high: -1, startTok: i}
	if i >= end {
		return c, false
	}
	qual := ""
	if n, idx := x.qualifiers.match(toks[:end], i); n > 0 {
		qual = x.qualifierKind[idx]
		c.qualified = true
		i += n
	}
	if i >= end {
		return c, false
	}
	val := -1
	t := toks[i]
	switch {
	case t.num >= 0:
		val = t.num
		i++
		// "3-12", "3 to 12": a range.
		if i+1 < end && (toks[i].text == "-" || toks[i].text == "–" || toks[i].low == "to") && toks[i+1].num > val && qual == "" {
			c.low, c.high = val, toks[i+1].num
			c.endTok = i + 2
			return c, true
		}
	case singularDets[t.low] && i+1 < end && (toks[i+1].num >= 0 || x.isNumberWord(toks[i+1].low)):
		// "his two bodyguards", "the three soldiers": the number counts.
		return x.parseNumber(toks, i+1, end)
	case singularDets[t.low]:
		// "killing the driver", "his bodyguard": one person; the caller
		// checks that a singular person noun follows.
		val = 1
		c.article, c.det = true, true
		i++
	default:
		if n, idx := x.vague.match(toks[:end], i); n > 0 {
			v := x.vagueVals[idx]
			c.low, c.best = v.Low, v.Best
			c.endTok = i + n
			// "dozens of": the "of" goes with the number.
			if c.endTok < end && toks[c.endTok].low == "of" {
				c.endTok++
			}
			return c, true
		}
		n, idx := x.numbers.match(toks[:end], i)
		if n == 0 {
			v, ok := compoundNumber(x, t.low)
			if !ok {
				return c, false
			}
			val, n = v, 1
		} else {
			val = x.numberVals[idx]
			c.article = n == 1 && (t.low == "a" || t.low == "an" || t.low == "another" || t.low == "single" || t.low == "no")
		}
		i += n
		// "twenty five", "one hundred and twenty", "one hundred and fifteen".
		for i < end {
			if val >= 100 && val < 1000 && val%100 == 0 && i+1 < end && toks[i].low == "and" && toks[i-1].low == "hundred" {
				if v, n := x.smallNumber(toks, i+1, end); n > 0 {
					val += v
					i += 1 + n
				}
				break
			}
			if toks[i].low == "hundred" && val > 0 && val < 10 {
				val *= 100
				i++
				if i+1 < end && toks[i].low == "and" {
					if v, n := x.smallNumber(toks, i+1, end); n > 0 {
						val += v
						i += 1 + n
					}
				}
				break
			}
			if val >= 20 && val%10 == 0 && val < 100 {
				if v, ok := x.numberValue(toks[i].low); ok && v < 10 && v > 0 {
					val += v
					i++
				}
			}
			break
		}
	}
	if val < 0 || val > 100000 {
		return c, false
	}
	c.endTok = i
	switch qual {
	case "low":
		c.low, c.best = val, val
	case "high":
		c.best, c.high = val, val
	case "approx":
		c.best = val
	default:
		c.low, c.best, c.high = val, val, val
	}
	return c, true
}

// intransitive casualty words are no participles: "the officer died".
var intransitive = map[string]bool{"dead": true, "died": true, "dies": true, "die": true, "perished": true, "succumbed": true,
	"lost": true, "sacrificed": true}

// leadsBare are the words after which a count of one takes its
// participle without an auxiliary: "and a child killed", "left a judge
// dead", "resulted in a soldier killed".
var leadsBare = map[string]bool{"and": true, "left": true, "leaving": true, "leaves": true, "leave": true, "in": true}

// alongWith reports whether toks[i] opens "along with" or "together with".
func alongWith(toks []token, i, b int) bool {
	return i+1 < b && (toks[i].low == "along" || toks[i].low == "together") && toks[i+1].low == "with"
}

// isNumberWord reports whether w is a number word other than an article
// ("two", "dozen"), not "a" or "another".
func (x *Extractor) isNumberWord(w string) bool {
	v, ok := x.numberValue(w)
	return ok && v > 1 || w == "one"
}

// ordinals after "a" count one more person: "wounded a third".
var ordinals = map[string]bool{"second": true, "third": true, "fourth": true, "fifth": true, "sixth": true}

// singularDets stand for one person before a singular person noun.
var singularDets = map[string]bool{"the": true, "his": true, "her": true, "their": true}

// objectEnds are the words that end a verb's object: "killing him in
// Quetta", "shot dead a trustee and wounded his son".
var objectEnds = map[string]bool{"and": true, "in": true, "at": true, "near": true, "on": true, "outside": true, "while": true,
	"as": true, "who": true, "when": true, "after": true, "before": true, "inside": true, "during": true, "with": true, "but": true}

// notObjects are words after "a"/"an" that make no person of the phrase:
// "killed a number of", "an estimated 30", "a further three".
var notObjects = map[string]bool{"number": true, "lot": true, "total": true, "few": true, "handful": true, "couple": true,
	"dozen": true, "score": true, "further": true, "estimated": true, "third": true, "second": true, "fourth": true, "fifth": true,
	"host": true, "series": true, "range": true, "majority": true, "quarter": true, "half": true, "group": true}

// unknownObject returns where an object of a casualty verb after "a" or
// "an" ends when it is one to three words the lexicon lacks, up to a
// word that ends an object ("shot dead an imambargah trustee and …"),
// or k when it is not.
func (x *Extractor) unknownObject(toks []token, k, b int) int {
	end := -1
	for e := k; e <= min(b, k+3); e++ {
		if e == b || toks[e].punct || objectEnds[toks[e].low] {
			end = e
			break
		}
		t := toks[e]
		if t.num >= 0 || notObjects[t.low] || x.isNumberWord(t.low) || x.killWord[t.low] || x.woundWord[t.low] || t.low == "of" {
			return k
		}
	}
	if end <= k {
		return k
	}
	// The head is the last word: "a checkpoint", "a mosque" are places
	// attacked and "a bomb" a weapon, but "an imambargah trustee" a man.
	last := end - 1
	if n, _ := x.targetNouns.match(toks[:b], last); n > 0 {
		return k
	}
	for q := k; q <= last; q++ {
		if n, _ := x.cues.match(toks[:b], q); n > 0 && q+n > last {
			return k
		}
	}
	return end
}

// pluralHeads are person nouns that count many though they end in no "s".
var pluralHeads = map[string]bool{"people": true, "police": true, "personnel": true, "staff": true, "children": true, "men": true,
	"women": true, "taliban": true, "local police": true, "militiamen": true, "servicemen": true, "policemen": true, "security personnel": true,
	"police personnel": true, "levies": true, "embassy staff": true, "schoolchildren": true}

// singular reports whether a person noun counts one person.
func singular(head string) bool {
	return head != "" && !strings.HasSuffix(head, "s") && !pluralHeads[head]
}

// smallNumber reads a number word below 100 at toks[i] ("fifteen",
// "twenty-five", "twenty five") and the tokens it took, or 0 tokens.
func (x *Extractor) smallNumber(toks []token, i, end int) (int, int) {
	if v, ok := compoundNumber(x, toks[i].low); ok {
		return v, 1
	}
	v, ok := x.numberValue(toks[i].low)
	if !ok || v < 1 || v >= 100 {
		return 0, 0
	}
	if v >= 20 && v%10 == 0 && i+1 < end {
		if u, ok := x.numberValue(toks[i+1].low); ok && u > 0 && u < 10 {
			return v + u, 2
		}
	}
	return v, 1
}

// genericHeads are person nouns that count everyone: a count of them
// followed by a comma and more counts is followed by its parts ("eight
// people, seven police officers and their chief, were killed").
var genericHeads = map[string]bool{"people": true, "persons": true, "person": true, "individuals": true, "victims": true, "others": true}

// insertedClause returns the comma that closes an inserted clause opened
// by the comma at toks[i] ("52 people, including women and children, have
// been killed"), when the clause is short and holds no casualty word of
// its own, or -1.
func (x *Extractor) insertedClause(toks []token, i, b int) int {
	for e := i + 1; e < b && e <= i+16; e++ {
		t := toks[e]
		if t.text == "," {
			if e == i+1 {
				return -1
			}
			return e
		}
		if t.text == "." || t.text == ";" || t.text == ":" || x.killWord[t.low] || x.woundWord[t.low] {
			return -1
		}
	}
	return -1
}

// numberValue is a single number word's value.
func (x *Extractor) numberValue(w string) (int, bool) {
	if idx, ok := x.numbers.value[w]; ok {
		return x.numberVals[idx], true
	}
	return 0, false
}

// compoundNumber reads "twenty-five".
func compoundNumber(x *Extractor, w string) (int, bool) {
	a, b, ok := strings.Cut(w, "-")
	if !ok {
		return 0, false
	}
	tens, ok1 := x.numberValue(a)
	units, ok2 := x.numberValue(b)
	if !ok1 || !ok2 || tens < 20 || tens%10 != 0 || units < 1 || units > 9 {
		return 0, false
	}
	return tens + units, true
}

// notCounts are words after a number that make it something other than
// people: "5 km", "10 years", "9 pm".
var notCounts = map[string]bool{"km": true, "kilometres": true, "kilometers": true, "miles": true, "metres": true, "meters": true, "m": true,
	"years": true, "year": true, "months": true, "month": true, "days": true, "day": true, "hours": true, "hour": true, "minutes": true,
	"weeks": true, "week": true, "am": true, "pm": true, "a.m.": true, "p.m.": true, "%": true, "percent": true, "kg": true, "kilograms": true,
	"vehicles": true, "cars": true, "houses": true, "shops": true, "times": true, "rockets": true, "mortars": true, "bombs": true, "grenades": true,
	"schools": true, "buildings": true, "o'clock": true, "st": true, "nd": true, "rd": true, "th": true, "attacks": true, "incidents": true,
	"districts": true, "provinces": true, "villages": true, "rounds": true, "shells": true, ":": true, "-year-old": true, "year-old": true}

// isDateNumber reports whether the number at toks[i] is part of a date
// or time ("12 November", "November 12", "2016", "11:10").
func (x *Extractor) isDateNumber(toks []token, i int) bool {
	t := toks[i]
	if t.num >= 1900 && t.num <= 2100 {
		return true
	}
	if i+1 < len(toks) {
		if _, ok := months[toks[i+1].low]; ok {
			return true
		}
		if toks[i+1].text == ":" && i+2 < len(toks) && toks[i+2].num >= 0 {
			return true
		}
	}
	if i > 0 {
		if _, ok := months[toks[i-1].low]; ok {
			return true
		}
		if toks[i-1].text == ":" && i >= 2 && toks[i-2].num >= 0 || toks[i-1].low == "pd" || toks[i-1].low == "no" || toks[i-1].low == "number" || toks[i-1].text == "#" {
			return true
		}
	}
	return false
}

// mentions finds the casualty counts of the tokens [a, b) of a sentence.
func (x *Extractor) mentions(toks []token, a, b, sentence int) []mention {
	var out []mention
	used := map[int]bool{}
	for i := a; i < b; i++ {
		if used[i] {
			continue
		}
		// "ran over a policeman, killing him", "shot him dead": one.
		if w := toks[i].low; (w == "him" || w == "her") && i > a {
			kill, wound := x.killWord[toks[i-1].low], x.woundWord[toks[i-1].low]
			end := i + 1
			if toks[i-1].low == "shot" && i+1 < b && toks[i+1].low == "dead" {
				kill, end = true, i+2
			}
			if (kill || wound) && (end >= b || toks[end].punct || objectEnds[toks[end].low]) {
				m := mention{count: count{low: 1, best: 1, high: 1, startTok: i, endTok: end}, wound: !kill,
					sentence: sentence, startTok: i - 1, endTok: end}
				// "police shot the attacker, killing him": an attacker.
				for q := i - 2; q >= a; q-- {
					if x.attackerNoun[toks[q].low] {
						m.attackers = true
						break
					}
					if n, _ := x.personNouns.match(toks[:b], q); n > 0 {
						break
					}
				}
				out = append(out, m)
				continue
			}
		}
		// "death toll rose to 40", "the toll reached 40".
		if n, _ := x.tollWords.match(toks[:b], i); n > 0 {
			j := i + n
			for k := j; k < min(b, j+5); k++ {
				if m, _ := x.tollRise.match(toks[:b], k); m > 0 {
					if c, ok := x.parseNumber(toks, k+m, b); ok {
						out = append(out, mention{count: c, supersede: true, total: true, sentence: sentence, startTok: i, endTok: c.endTok})
						for u := c.startTok; u < c.endTok; u++ {
							used[u] = true
						}
						break
					}
				}
			}
			continue
		}
		t := toks[i]
		if t.num >= 0 && x.isDateNumber(toks, i) {
			continue
		}
		c, ok := x.parseNumber(toks, i, b)
		if !ok {
			continue
		}
		if c.endTok < b && notCounts[toks[c.endTok].low] {
			i = c.endTok - 1
			continue
		}
		// A chain of counts joined by "and" or commas: "two women and a child".
		chain := []count{c}
		heads := []string{}
		attackers := false
		additive := false
		j := c.endTok
		var head string
		j, head = x.nounPhrase(toks, j, b)
		if c.det && !singular(head) {
			continue // "the attack", "the police", "his family"
		}
		// "wounded another", "wounded a third": one more, the verb's object.
		oneMore := c.article && head == "" && x.activeBefore(toks, a, c.startTok) &&
			(toks[c.startTok].low == "another" && (j >= b || toks[j].punct || !isFiller(toks[j]) && toks[j].num < 0) ||
				toks[c.startTok].low == "a" && j < b && ordinals[toks[j].low])
		if oneMore && toks[c.startTok].low == "a" {
			j++
		}
		// "shot dead an imambargah trustee": one person the lexicon
		// lacks, the object of a casualty verb.
		object := false
		if c.article && head == "" && !oneMore && (toks[c.startTok].low == "a" || toks[c.startTok].low == "an") && x.activeBefore(toks, a, c.startTok) {
			if e := x.unknownObject(toks, j, b); e > j {
				object, j = true, e
			}
		}
		if c.article && head == "" && !oneMore && !object && !x.passiveAhead(toks, j, b) && x.unknownNoun(toks, j, b, true) == j {
			continue // "a bomb", "an attack"; but "another injured", "a relative was hurt"
		}
		// Figures of the parts of an incident, one verb: "two blasts killed
		// 10 and 15 people (respectively)", "10 and 15 people were killed
		// in the two attacks": the bare count shares the noun of the count
		// after it, and the figures add up. Not "killed 10 and 15 were
		// wounded" (a clause of its own), nor "between 10 and 15".
		if head == "" && !c.article && !c.det && j+1 < b && toks[j].low == "and" {
			if c2, ok := x.parseNumber(toks, j+1, b); ok && !c2.article && !c2.det {
				k, h2 := x.nounPhrase(toks, c2.endTok, b)
				clause := k < b && (auxiliaries[toks[k].low] || x.passiveAhead(toks, k, b)) && x.activeBefore(toks, a, c.startTok)
				between := c.startTok > a && toks[c.startTok-1].low == "between"
				switch {
				case between && (h2 != "" || !clause):
					// "between 10 and 15 people": a range, the lower
					// figure the best, as ACLED codes it.
					c.high, c.endTok = c2.high, c2.endTok
					if c2.high < 0 {
						c.high = c2.best
					}
					head, j = h2, k
				case h2 == "" && !clause && respectively(toks, k, b):
					// "killed 10 and 15, respectively"
					c.low, c.best, c.high = addKnown(c.low, c2.low), addKnown(c.best, c2.best), addKnown(c.high, c2.high)
					c.endTok, j = c2.endTok, c2.endTok
				case h2 != "" && !clause && h2 != "others":
					head, j = h2, c.endTok // the chain below reads the second count
				}
			}
		}
		if head != "" {
			heads = append(heads, head)
			if x.attackerNoun[head] {
				attackers = true
			}
		} else if len(out) > 0 && out[len(out)-1].attackers && c.startTok >= out[len(out)-1].endTok && c.startTok-out[len(out)-1].endTok <= 2 &&
			j < b && (auxiliaries[toks[j].low] || x.passiveAhead(toks, j, b)) {
			// "ten militants were killed, and 13 sustained injuries": a
			// bare count goes on counting the attackers just before it.
			attackers = true
		}
		// A bare count ("killed one and two others were wounded") and a
		// count of everyone followed by its parts chain nothing; nor does
		// a count of its own qualifier ("29 children and over 200 others").
		shared := -1 // where the passive verb a victims' count shares with an attackers' count starts
		// "including a girl and a guard": the parts of a count before.
		inPart := false
		for k := c.startTok - 1; k >= max(a, c.startTok-8); k-- {
			w := toks[k].low
			if w == "including" || w == "among" || w == "includes" || w == "include" {
				inPart = true
				break
			}
			if toks[k].punct || x.killWord[w] || x.woundWord[w] || auxiliaries[w] {
				break
			}
		}
		for head != "" && j+1 < b && (toks[j].low == "and" || toks[j].text == "," || alongWith(toks, j, b)) && !(toks[j].text == "," && genericHeads[head]) {
			if alongWith(toks, j, b) {
				j++ // "the district police chief along with nine other policemen"
			}
			c2, ok := x.parseNumber(toks, j+1, b)
			if j+2 < b && toks[j+1].low == "as" && toks[j+2].low == "many" {
				// "two police personnel and as many civilians"
				c2, ok = chain[len(chain)-1], true
				c2.startTok, c2.endTok, c2.qualified, c2.det = j+1, j+3, false, false
			}
			if !ok && toks[j].low == "and" {
				// "eight police and Afghan army soldiers were killed": a
				// second noun without a count shares the count.
				if k, h2 := x.nounPhrase(toks, j+1, b); h2 != "" && !x.attackerNoun[h2] && !attackers && x.passiveAhead(toks, k, b) {
					j = k
				}
				break
			}
			if !ok {
				break
			}
			k, h2 := x.nounPhrase(toks, c2.endTok, b)
			// A qualified count starts anew ("29 children and over 200
			// others were injured"), but not as the object of the verb
			// before ("killing a prosecutor and at least 9 others").
			if c2.qualified && (x.passiveAhead(toks, k, b) || !x.activeBefore(toks, a, c.startTok)) {
				break
			}
			if h2 == "" || c2.det && !singular(h2) {
				break // "eight others, two critically": the two are among the eight
			}
			if inPart && genericHeads[h2] {
				break // "including a girl and a guard and nine others were hurt"
			}
			// "killed at least 2 people and 17 others were injured": a
			// count after an active verb does not join one before a
			// passive verb.
			if x.passiveAhead(toks, k, b) && x.activeBefore(toks, a, c.startTok) {
				break
			}
			if h2 != "" && x.attackerNoun[h2] != attackers {
				// "two police officers and three militants were killed":
				// each count is of its own kind, the verb is shared.
				if !attackers && x.passiveAhead(toks, k, b) {
					shared = k
				}
				break
			}
			chain = append(chain, c2)
			j = k
		}
		// Subsets: "including three children", "five of them".
		subset, ofThem := false, false
		for k := c.startTok - 1; k >= max(a, c.startTok-3); k-- {
			if w := toks[k].low; w == "including" || w == "among" || w == "includes" || w == "include" {
				subset = true
			}
		}
		if j+1 < b && toks[j].low == "of" && (toks[j+1].low == "them" || toks[j+1].low == "whom" || toks[j+1].low == "those") {
			// "killing ten, five of them children" is a subset; "opened
			// fire on policemen, injuring 2 of them" counts the verb's
			// object, no count before it.
			subset = !x.activeBefore(toks, a, c.startTok)
			ofThem = subset
			j += 2
		}
		for k := c.startTok - 1; k >= max(a, c.startTok-2); k-- {
			if toks[k].low == "another" || toks[k].low == "also" {
				additive = true
			}
		}
		if toks[c.startTok].low == "another" {
			additive = true
		}
		// Passive: the count, then the casualty word, past an inserted
		// clause ("52 people, including women and children, have been
		// killed"), a noun the lexicon lacks ("two coastguards were
		// killed") or "more" ("40 more injured").
		k := j
		if shared > 0 {
			k = shared
		}
		if head == "" {
			if e := x.unknownNoun(toks, k, b, true); e > k {
				// "two suicide bombers", "two Islamist rebels": attackers.
				for q := k; q < e; q++ {
					attackers = attackers || x.attackerNoun[toks[q].low]
				}
				k = e
			} else if c.article && !oneMore && !object {
				// "a terrorist blew himself up, another was killed": the
				// one before is counted again.
				for q := c.startTok - 1; q >= a; q-- {
					if x.attackerNoun[toks[q].low] {
						attackers = true
						break
					}
					if n, _ := x.personNouns.match(toks[:b], q); n > 0 {
						break
					}
				}
			}
		}
		if k < b && toks[k].low == "more" {
			k++
		}
		if e := x.includingClause(toks, k, b); e > k {
			k = e
		} else if k < b && toks[k].text == "," {
			if e := x.insertedClause(toks, k, b); e > 0 {
				k = e
			}
		}
		auxFrom := k
		for k < b && k < auxFrom+5 && (auxiliaries[toks[k].low] || toks[k].text == ",") {
			if toks[k].low == "also" {
				additive = true
			}
			k++
		}
		kind := 0 // 1 killed, 2 wounded
		verbEnd := k
		// "a Sufi leader killed in a bombing": one person and a participle
		// after it is no passive without an auxiliary, but "and a child
		// killed" elides it.
		bareParticiple := c.article && len(chain) == 1 && shared < 0 && k == auxFrom && (c.startTok == a || !leadsBare[toks[c.startTok-1].low]) && (k >= b || !intransitive[toks[k].low])
		if k < b && !bareParticiple {
			if n, _ := x.killWords.match(toks[:b], k); n > 0 && !strings.HasSuffix(toks[k].low, "ing") {
				kind, verbEnd = 1, k+n
			} else if n, _ := x.woundWords.match(toks[:b], k); n > 0 && !strings.HasSuffix(toks[k].low, "ing") {
				kind, verbEnd = 2, k+n
			}
			// "were shot and killed", "were captured and executed", "were
			// ambushed and killed": a passive verb and a casualty word.
			if kind == 0 && k > auxFrom && (toks[k].low == "shot" || strings.HasSuffix(toks[k].low, "ed")) {
				if k+2 < b && toks[k+1].low == "and" {
					if n, _ := x.killWords.match(toks[:b], k+2); n > 0 {
						kind, verbEnd = 1, k+2+n
					} else if n, _ := x.woundWords.match(toks[:b], k+2); n > 0 {
						kind, verbEnd = 2, k+2+n
					}
				}
			}
		}
		start := c.startTok
		if kind == 0 {
			// Active: the casualty word, then the count.
			p := c.startTok - 1
			for p >= a && (toks[p].low == "another" || toks[p].low == "also" || toks[p].low == "at" || toks[p].low == "least" || toks[p].low == "between") {
				p--
			}
			// "killed a total of 25"
			if p-1 >= a && toks[p].low == "of" && totalWords[toks[p-1].low] {
				p -= 2
				if p >= a && (toks[p].low == "a" || toks[p].low == "the") {
					p--
				}
			}
			// "claimed the lives of N", "resulted in the deaths of N"
			if p-2 >= a && toks[p].low == "of" && (toks[p-1].low == "lives" || toks[p-1].low == "deaths" || toks[p-1].low == "death") {
				kind, start = 1, p-2
			} else if p >= a {
				// "fatally shot two", "critically wounded three"
				for q := max(a, p-2); q < p && kind == 0; q++ {
					if n, _ := x.killWords.match(toks[:p+1], q); n == p-q+1 {
						kind, start = 1, q
					} else if n, _ := x.woundWords.match(toks[:p+1], q); n == p-q+1 {
						kind, start = 2, q
					}
				}
				if kind != 0 {
					// found above
				} else if x.killWord[toks[p].low] {
					kind, start = 1, p
				} else if x.woundWord[toks[p].low] {
					kind, start = 2, p
				} else if (toks[p].low == "dead" || toks[p].low == "down") && p >= a+1 {
					kind, start = 1, p-1 // "shot dead three"
				}
			}
			verbEnd = j
			// "claimed seven lives", "claimed N civilians lives"
			if kind == 0 && j < b && toks[j].low == "lives" {
				kind, verbEnd = 1, j+1
			}
		}
		// "16 people were killed in the attack, including the suicide
		// bomber": a part of the count just before, of its kind.
		if kind == 0 && subset && attackers && len(out) > 0 {
			if prev := out[len(out)-1]; !prev.attackers && prev.endTok <= c.startTok && c.startTok-prev.endTok <= 8 {
				kind, verbEnd = 1, j
				if prev.wound {
					kind = 2
				}
			}
		}
		// "treating 300 wounded people": a casualty word between a count
		// and its noun, with no auxiliary, describes the people; it tells
		// of no casualties of its own.
		if kind != 0 && head == "" && k == auxFrom && verbEnd < b {
			if n, _ := x.personNouns.match(toks[:b], verbEnd); n > 0 || genericHeads[toks[verbEnd].low] {
				continue
			}
		}
		// "sending 20 to hospital" wounds; "sent 5,000 troops to the
		// border" does not.
		sent := func(q int) bool { return q < b && (toks[q].low == "sent" || toks[q].low == "sending") }
		if kind == 2 && (sent(start) || verbEnd > k && sent(k)) && !hospitalAhead(toks, max(verbEnd, j), b) {
			continue
		}
		if kind == 0 {
			continue
		}
		// "the ambassador succumbed to his wounds": a later death adds
		// to the dead.
		if kind == 1 && k < b && (toks[k].low == "succumbed" || toks[k].low == "later" || k > a && toks[k-1].low == "later") {
			additive = true
		}
		total := count{low: 0, best: 0, high: 0, startTok: c.startTok, endTok: chain[len(chain)-1].endTok}
		for _, cc := range chain {
			total.low = addKnown(total.low, cc.low)
			total.best = addKnown(total.best, cc.best)
			total.high = addKnown(total.high, cc.high)
		}
		if len(chain) == 1 {
			total = c
		}
		h := ""
		if len(heads) > 0 {
			h = heads[0]
		}
		m := mention{count: total, wound: kind == 2, attackers: attackers, additive: additive, subset: subset,
			sentence: sentence, startTok: min(start, c.startTok), endTok: max(verbEnd, j), head: h}
		m.total = isTotal(toks, a, b, c.startTok, m.endTok)
		if !m.total {
			m.site = x.siteOf(toks, a, b, m.startTok, m.endTok)
			// "four more people were killed": a further part; but not a
			// bare "two more", which may count whoever came before ("one
			// suicide bomber detonated his explosives, while two more
			// were shot dead").
			if c.endTok < b && toks[c.endTok].low == "more" && m.site == 0 && h != "" {
				m.site = 2
			}
			// "… and 2 injured" after a further part belongs to it.
			if len(out) > 0 && m.site == 0 {
				if prev := out[len(out)-1]; prev.site >= 2 && prev.endTok <= m.startTok && onlyJoins(toks, prev.endTok, m.startTok) {
					m.site = prev.site
				}
			}
		}
		m.ofThem = ofThem
		m.ofVictims = subset && len(out) > 0 && !out[len(out)-1].attackers
		out = append(out, m)
		usedEnd := m.endTok
		if shared > 0 {
			usedEnd = j // the attackers' count is read on its own
		}
		for u := c.startTok; u < usedEnd && u < b; u++ {
			used[u] = true
		}
		i = max(i, j-1)
	}
	return out
}

// unknownNoun skips, from toks[k], up to three words of a noun phrase
// the lexicon lacks when a passive casualty verb follows them ("two
// traffic wardens were killed", "a relative was injured"), and returns
// where the verb's auxiliaries start; else k. needAux asks for an
// auxiliary before the verb; a clause's own noun ("including a district
// chief died") needs none.
func (x *Extractor) unknownNoun(toks []token, k, b int, needAux bool) int {
	e := k
	for e < b && e < k+3 && isFiller(toks[e]) && !auxiliaries[toks[e].low] && !x.killWord[toks[e].low] && !x.woundWord[toks[e].low] &&
		!strings.HasSuffix(toks[e].low, "ing") && !strings.HasSuffix(toks[e].low, "ed") && toks[e].low != "more" {
		if n, _ := x.deeds.match(toks[:b], e); n > 0 {
			return k
		}
		if _, num := x.numberValue(toks[e].low); num {
			return k // "another four wounded": the count is the number's
		}
		e++
	}
	if e == k {
		return k
	}
	// An auxiliary must stand between ("a Sufi leader killed in a
	// bombing", "a terrorist attack injured 2" are no passives), unless
	// an "and" elides it ("and three passersby wounded").
	elided := k >= 2 && (toks[k-2].low == "and" || toks[k-1].low == "and")
	f := e
	for f < b && toks[f].text == "," {
		f++ // "an Afghan MP, was killed"
	}
	if (!needAux || elided || f < b && auxiliaries[toks[f].low]) && x.passiveAhead(toks, e, b) {
		return e
	}
	return k
}

// includingClause returns where an unclosed "including" clause ends
// when a passive casualty verb follows it ("eight people including three
// police constables were killed", "seven people, including a lawyer were
// killed"), or k.
func (x *Extractor) includingClause(toks []token, k, b int) int {
	i := k
	if i < b && toks[i].text == "," {
		i++
	}
	if i+1 >= b || toks[i].low != "including" {
		return k
	}
	c, ok := x.parseNumber(toks, i+1, b)
	if !ok {
		// "55 people including women and children have been killed"
		e, h := x.nounPhrase(toks, i+1, b)
		for h != "" && e+1 < b && toks[e].low == "and" {
			e2, h2 := x.nounPhrase(toks, e+1, b)
			if h2 == "" {
				break
			}
			e = e2
		}
		if h != "" && x.passiveAhead(toks, e, b) {
			return e
		}
		return k
	}
	if e, h := x.nounPhrase(toks, c.endTok, b); h != "" {
		// "including three soldiers and a contractor were killed"
		for e+1 < b && (toks[e].low == "and" || toks[e].text == ",") {
			c2, ok := x.parseNumber(toks, e+1, b)
			if !ok {
				break
			}
			e2, h2 := x.nounPhrase(toks, c2.endTok, b)
			if h2 == "" || genericHeads[h2] || genericHeads[toks[c2.endTok].low] {
				break // "and 7 others were injured" is no part
			}
			e = e2
		}
		if x.passiveAhead(toks, e, b) {
			return e
		}
		return k
	}
	if e := x.unknownNoun(toks, c.endTok, b, false); e > c.endTok {
		return e
	}
	return k
}

// activeBefore reports whether a casualty verb stands just before the
// count at toks[i] ("killed 12", "killing at least 20", "shot dead two").
func (x *Extractor) activeBefore(toks []token, a, i int) bool {
	p := i - 1
	for p >= a && (toks[p].low == "another" || toks[p].low == "also") {
		p--
	}
	if p < a {
		return false
	}
	return x.killWord[toks[p].low] || x.woundWord[toks[p].low] || toks[p].low == "dead" || toks[p].low == "down"
}

// passiveAhead reports whether a passive casualty verb starts at toks[k],
// past auxiliaries and commas: "were killed", "injured", "was shot dead".
func (x *Extractor) passiveAhead(toks []token, k, b int) bool {
	if k < b && toks[k].low == "more" {
		k++
	}
	for k < b && (auxiliaries[toks[k].low] || toks[k].text == ",") {
		k++
	}
	if k >= b || strings.HasSuffix(toks[k].low, "ing") {
		return false
	}
	if n, _ := x.killWords.match(toks[:b], k); n > 0 {
		return true
	}
	if n, _ := x.woundWords.match(toks[:b], k); n > 0 {
		return true
	}
	return toks[k].low == "shot"
}

func addKnown(sum, v int) int {
	if sum < 0 || v < 0 {
		return -1
	}
	return sum + v
}

// nounPhrase reads the words after a count up to its head noun: "teenage
// Afghan girls", "members of the security forces", "police officers",
// "police force members", "10-year-old boy", "Afghan National Army (ANA)
// soldiers". What qualifies the head after it is read with it: an "of"
// phrase ("members of a family", "officers of the Afghan National Army"),
// a parenthesis ("21 police officers (including the chief)") and a
// participle ("five policemen manning a check-post") before a passive
// verb. It returns where the phrase ends and its head ("" when there is
// none).
func (x *Extractor) nounPhrase(toks []token, j, b int) (int, string) {
	for k := j; k < b && k < j+8; k++ {
		// "a 10-year-old boy"
		if toks[k].num >= 0 && k+2 < b && toks[k+1].text == "-" && (toks[k+2].low == "year-old" || toks[k+2].low == "years-old") {
			k += 2
			continue
		}
		// "Afghan National Army (ANA) soldiers"
		if toks[k].text == "(" && k+2 < b && toks[k+2].text == ")" && toks[k+1].upper {
			k += 2
			continue
		}
		if n, idx := x.personNouns.match(toks[:b], k); n > 0 {
			head, end := x.personKeys[idx], k+n
			// A compound's last noun is its head: "Taliban fighters",
			// "police force members".
			for q := end; q < b && q < end+3; q++ {
				if n2, idx2 := x.personNouns.match(toks[:b], q); n2 > 0 {
					head, end = x.personKeys[idx2], q+n2
					break
				}
				if !isFiller(toks[q]) || determiners[toks[q].low] || x.killWord[toks[q].low] || x.woundWord[toks[q].low] || auxiliaries[toks[q].low] {
					break
				}
			}
			// "members of the security forces"
			if end+1 < b && toks[end].low == "of" {
				if k2, h2 := x.nounPhrase(toks, end+1, b); h2 != "" {
					return k2, head
				}
				if e := x.ofPhrase(toks, end, b); e > end {
					end = e
				}
			}
			if e := x.parenthesis(toks, end, b); e > end {
				end = e
			}
			if e := x.participle(toks, end, b); e > end {
				end = e
			}
			return end, head
		}
		// "a wounded diplomat": after an article the participle is an
		// adjective ("two wounded policemen" are two wounded).
		if k == j && j > 0 && determiners[toks[j-1].low] && x.woundWord[toks[k].low] && strings.HasSuffix(toks[k].low, "ed") && x.personStarts(toks, k+1, b) {
			continue
		}
		if _, num := x.numberValue(toks[k].low); num || !isFiller(toks[k]) || x.killWord[toks[k].low] || x.woundWord[toks[k].low] || auxiliaries[toks[k].low] {
			break
		}
	}
	return j, ""
}

// determiners open a noun phrase: a compound noun does not run across one.
var determiners = map[string]bool{"the": true, "a": true, "an": true, "his": true, "her": true, "their": true, "its": true, "this": true, "that": true}

// ofPhrase returns where an "of" phrase at toks[i] that names no person
// ends ("of a family", "of the Afghan National Army (ANA)", "of Samaa
// TV"): up to eight words, to the next comma, conjunction, auxiliary or
// casualty word; or i when there is none.
func (x *Extractor) ofPhrase(toks []token, i, b int) int {
	if i+1 >= b || toks[i].low != "of" || toks[i+1].low == "them" || toks[i+1].low == "whom" || toks[i+1].low == "those" {
		return i
	}
	e := i + 1
	for e < b && e < i+9 {
		t := toks[e]
		if t.text == "(" && e+2 < b && toks[e+2].text == ")" {
			e += 3
			continue
		}
		if !isFiller(t) || auxiliaries[t.low] || x.killWord[t.low] || x.woundWord[t.low] || x.participle(toks, e, b) > e {
			break
		}
		e++
	}
	if e == i+1 {
		return i
	}
	return e
}

// parenthesis returns where a parenthesis at toks[i] ends when it holds
// no casualty word of its own ("21 police officers (including the police
// chief of the province) and 20 civilians"), or i.
func (x *Extractor) parenthesis(toks []token, i, b int) int {
	if i >= b || toks[i].text != "(" {
		return i
	}
	for e := i + 1; e < b && e < i+20; e++ {
		switch {
		case toks[e].text == ")":
			return e + 1
		case x.killWord[toks[e].low] || x.woundWord[toks[e].low] || toks[e].text == "(":
			return i
		}
	}
	return i
}

// participle returns where a participle phrase after a head noun ends
// when a passive casualty verb follows it ("five policemen manning a
// check-post were killed", "de-miners working on the project were
// killed"), or i.
func (x *Extractor) participle(toks []token, i, b int) int {
	if i >= b {
		return i
	}
	w := toks[i].low
	if !(strings.HasSuffix(w, "ing") || strings.HasSuffix(w, "ed")) || len(w) < 5 || x.killWord[w] || x.woundWord[w] || w == "including" {
		return i
	}
	for e := i + 1; e < b && e < i+8; e++ {
		t := toks[e]
		if auxiliaries[t.low] {
			if x.passiveAhead(toks, e, b) {
				return e
			}
			return i
		}
		if t.punct && t.text != "-" || t.low == "and" || t.low == "or" || x.killWord[t.low] || x.woundWord[t.low] {
			return i
		}
	}
	return i
}

// totalWords make the count after "a … of" a total: "a total of 25",
// "a combined total of 25".
var totalWords = map[string]bool{"total": true, "tally": true, "sum": true}

// isTotal reports whether a casualty count in toks[start:end) is given as
// the total of the incident: "a total of 25 people were killed", "killed
// 25 in total", "25 people in all", "altogether 25", "a combined 25".
func isTotal(toks []token, a, b, start, end int) bool {
	for k := start - 1; k >= max(a, start-4); k-- {
		switch toks[k].low {
		case "total", "combined", "altogether", "overall", "tally", "cumulative":
			return true
		}
		if toks[k].punct {
			break
		}
	}
	if end < b {
		switch toks[end].low {
		case "altogether", "overall", "combined":
			return true
		case "in":
			return end+1 < b && (toks[end+1].low == "total" || toks[end+1].low == "all")
		}
	}
	return false
}

// siteWords are the parts of an incident a text numbers: "the second
// blast", "a third suicide bomber", "another explosion".
var siteWords = map[string]bool{"blast": true, "blasts": true, "explosion": true, "explosions": true, "bomb": true,
	"bombing": true, "bombings": true, "bombs": true, "bomber": true, "bombers": true, "attack": true, "attacks": true, "attacker": true, "device": true, "strike": true, "airstrike": true,
	"rocket": true, "grenade": true, "car": true, "vehicle": true, "site": true, "location": true, "assault": true,
	"ied": true, "shell": true, "mortar": true, "raid": true, "incident": true, "wave": true}

// clauseJoin are the words that join clauses.
var clauseJoin = map[string]bool{"and": true, "but": true, "while": true, "whereas": true}

// siteOrdinals number the parts of an incident; "another" and "other"
// stand for a later one.
var siteOrdinals = map[string]int{"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "another": 2, "other": 2, "separate": 2}

// siteOf returns the part of the incident a casualty count in
// toks[start:end) belongs to, when its clause numbers one (see
// mention.site): an ordinal before a site noun ("the second blast
// killed 15", "in a third attack, gunmen killed 4", "15 were killed in
// the second explosion") or before the casualty verb itself ("the first
// killed 10 and the second killed 15"), nearest the count first, within
// the clause (up to a semicolon, colon or the sentence's edge); else 0.
func (x *Extractor) siteOf(toks []token, a, b, start, end int) int {
	at := func(k int) int {
		n, ok := siteOrdinals[toks[k].low]
		if !ok {
			return 0
		}
		// "the second killed 15": an ordinal as the verb's subject.
		if k+1 == start && n > 0 && toks[k].low != "another" && toks[k].low != "other" && k > a && (toks[k-1].low == "the" || toks[k-1].low == "a") {
			return n
		}
		for q := k + 1; q < min(b, k+4); q++ {
			if siteWords[toks[q].low] {
				return n
			}
			if toks[q].punct || toks[q].num >= 0 {
				break
			}
		}
		return 0
	}
	for k := start - 1; k >= max(a, start-12); k-- {
		if t := toks[k].text; t == ";" || t == ":" {
			break
		}
		// A clause with a subject of its own ("… and 12 were killed")
		// ends there; one that shares it ("… and wounded 20") does not.
		if clauseJoin[toks[k].low] && !x.killWord[toks[k+1].low] && !x.woundWord[toks[k+1].low] {
			break
		}
		if n := at(k); n > 0 {
			return n
		}
	}
	for k := end; k < min(b, end+6); k++ {
		if toks[k].punct || clauseJoin[toks[k].low] {
			break
		}
		if n := at(k); n > 0 {
			return n
		}
	}
	// "Then five policemen were killed …", "Almost simultaneously,
	// militants stormed a village, killing one": a sentence that opens on
	// what happened next or beside tells of another part.
	k := a
	if k < b && (toks[k].low == "almost" || toks[k].low == "nearly") {
		k++
	}
	if k < start && (toks[k].low == "then" || toks[k].low == "meanwhile" || toks[k].low == "simultaneously") ||
		k+3 < start && toks[k].low == "at" && toks[k+1].low == "the" && toks[k+2].low == "same" && toks[k+3].low == "time" {
		return 2
	}
	return 0
}

// respectively reports whether "respectively" follows at toks[k], past a
// comma.
func respectively(toks []token, k, b int) bool {
	if k < b && toks[k].text == "," {
		k++
	}
	return k < b && toks[k].low == "respectively"
}

// hospitalAhead reports whether "hospital" follows within a few words of
// toks[k] ("sending 20 to hospital", "to the district hospital").
func hospitalAhead(toks []token, k, b int) bool {
	for q := k; q < min(b, k+5); q++ {
		if strings.HasPrefix(toks[q].low, "hospital") {
			return true
		}
	}
	return false
}

// onlyJoins reports whether toks[a:b] hold nothing but "and" and commas.
func onlyJoins(toks []token, a, b int) bool {
	for k := a; k < b; k++ {
		if toks[k].low != "and" && toks[k].text != "," {
			return false
		}
	}
	return true
}
