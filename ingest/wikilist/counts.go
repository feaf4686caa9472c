package wikilist

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/vigil-osint/vigil"
)

// Count is a dead or injured cell read: the victims as a range, the
// attackers the parenthesis adds, what else the cell says, and whether
// it could be read at all.
type Count struct {
	Victims   vigil.Range
	Attackers vigil.Num // the "(+N)" part: perpetrators killed or injured
	// Kidnapped is set when the cell counts people kidnapped rather than
	// injured ("14 (kidnapped)", "Around 220 kidnapped"): the lists put
	// them in the injured column.
	Kidnapped vigil.Num
	// OK is false when the cell is not in any form the lists use; the
	// figures are then unknown and the words are kept.
	OK bool
}

var (
	// "N", "N+", "N-M", "N–M", "~N", "around N", "N+ or M".
	reNum = regexp.MustCompile(`^(?i)(?:~|around |about |at least |over |more than )?(\d+)(\+)?(?:\s*[-–]\s*(\d+)|\s+or\s+(\d+))?$`)
	// A parenthesised remark: "(+1)", "(+ several)", "(4 critical)", "(kidnapped)".
	reParen = regexp.MustCompile(`\(([^()]*)\)\s*$`)
)

// vague are words that say there were some but not how many.
var vague = map[string]bool{
	"unknown": true, "several": true, "dozens": true, "many": true, "some": true,
	"?": true, "unclear": true, "multiple": true, "few": true, "a few": true, "numerous": true,
}

// ParseCount reads a dead or injured cell as the lists write it:
//
//	"22"          22 victims
//	"22 (+1)"     22 victims and 1 attacker
//	"40+"         at least 40: low 40, best 40, high unknown
//	"3-12"        low 3, high 12, best unknown
//	"4+ or 5"     low 4, best and high unknown
//	"Unknown", "Several", "Dozens", ""   unknown
//	"7 (+ Unknown)", "6 (+several)"      7 or 6 victims, attackers unknown
//	"14 (kidnapped)", "Around 220 kidnapped"   kidnapped, not injured
//	"10 (4 critical)"                    10
//
// A cell in none of these forms is unknown with OK false.
func ParseCount(s string) Count {
	s = strings.TrimSpace(strings.Join(strings.Fields(s), " "))
	var c Count
	if s == "" {
		c.OK = true
		return c
	}
	low := strings.ToLower(s)
	if strings.Contains(low, "kidnapped") {
		n := strings.TrimSpace(strings.NewReplacer("(kidnapped)", "", "kidnapped", "", "more", "").Replace(low))
		if v, ok := parseRange(n); ok {
			c.Kidnapped = lowOrBest(v)
		}
		c.OK = true
		return c
	}
	if strings.HasPrefix(s, "+") {
		s = "(" + s + ")" // "+1": one attacker, victims not given
	}
	victims := s
	if m := reParen.FindStringSubmatchIndex(s); m != nil {
		inner := strings.TrimSpace(s[m[2]:m[3]])
		victims = strings.TrimSpace(s[:m[0]])
		switch {
		case strings.HasPrefix(inner, "+"):
			a := strings.TrimSpace(strings.TrimPrefix(inner, "+"))
			a = strings.TrimSuffix(strings.TrimSuffix(a, " attackers"), " attacker")
			if r, ok := parseRange(a); ok {
				// A range of attackers ("+8-10") counts its low end.
				c.Attackers = lowOrBest(r)
			} else if !vague[strings.ToLower(a)] {
				return Count{}
			}
		case strings.HasSuffix(inner, "critical"), strings.HasSuffix(inner, "seriously"):
			// "10 (4 critical)": the critical are among the ten.
		default:
			return Count{}
		}
	}
	if victims == "" || vague[strings.ToLower(victims)] {
		c.OK = true
		return c
	}
	r, ok := parseRange(victims)
	if !ok {
		return Count{}
	}
	c.Victims, c.OK = r, true
	return c
}

// parseRange reads "N", "N+", "N-M", "~N", "N+ or M".
func parseRange(s string) (vigil.Range, bool) {
	m := reNum.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return vigil.Range{}, false
	}
	n, err := strconv.Atoi(m[1])
	if err != nil {
		return vigil.Range{}, false
	}
	plus := m[2] != ""
	approx := strings.HasPrefix(s, "~") || !unicodeDigit(s[0])
	switch {
	case m[3] != "": // N-M
		hi, err := strconv.Atoi(m[3])
		if err != nil || hi < n {
			return vigil.Range{}, false
		}
		return vigil.Range{Low: vigil.N(n), High: vigil.N(hi)}, true
	case m[4] != "": // "4+ or 5": at least the lower
		return vigil.Range{Low: vigil.N(n)}, true
	case plus:
		return vigil.Range{Low: vigil.N(n), Best: vigil.N(n)}, true
	case approx:
		// "~60", "around 60": the best estimate, bounds unknown.
		lower := strings.ToLower(s)
		if strings.HasPrefix(lower, "at least") || strings.HasPrefix(lower, "over") || strings.HasPrefix(lower, "more than") {
			return vigil.Range{Low: vigil.N(n), Best: vigil.N(n)}, true
		}
		return vigil.Range{Best: vigil.N(n)}, true
	}
	return vigil.Exact(n), true
}

// lowOrBest is the count a range vouches for: its low end, else its best.
func lowOrBest(r vigil.Range) vigil.Num {
	if r.Low.Known {
		return r.Low
	}
	return r.Best
}

func unicodeDigit(b byte) bool { return b >= '0' && b <= '9' }
