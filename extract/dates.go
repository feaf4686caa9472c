package extract

import (
	"time"

	"github.com/vigil-osint/vigil"
)

var months = map[string]time.Month{
	"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
	"september": 9, "october": 10, "november": 11, "december": 12,
	"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}

var weekdays = map[string]time.Weekday{"sunday": 0, "monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6}

// dateExpr is a date a text gives, resolved.
type dateExpr struct {
	start, end vigil.Date
	prec       vigil.DatePrecision
	tokA, tokB int  // tokens [a, b)
	absolute   bool // written out, not relative to the publication date
}

// findDates reads the date expressions of toks against the publication
// date pub (zero: relative expressions are left out):
//
//	"24 October 2016", "October 24, 2016", "24 October" (year of pub)   day
//	"24 October" without pub: the year of the last date written out before it
//	                           (or of "in 2016")
//	"October 2016"                                                      month
//	"on Friday", "late Tuesday", "Friday morning"                       the last such day up to pub
//	"today", "this morning", "yesterday", "last night"                  day
//	"earlier this month", "last week", "last month"                     month or week
func findDates(toks []token, pub time.Time) []dateExpr {
	var out []dateExpr
	pd := vigil.Date{}
	if !pub.IsZero() {
		pd = vigil.DateOf(pub)
	}
	// anchor is the year of the last date written out with its year, or
	// of "in 2015": an undated text (a list, a table) gives the year once,
	// in its title or a heading, and its days and months after it.
	anchor := 0
	add := func(e dateExpr) {
		if e.absolute {
			anchor = e.start.Time().Year()
		}
		out = append(out, e)
	}
	// dayYear is the year of a day and month written without one: the
	// publication's (not written out), else the anchor's (written out
	// before them); ok is false with neither.
	dayYear := func(m time.Month, day int) (y int, absolute, ok bool) {
		switch {
		case !pd.IsZero():
			return inferYear(pd, m, day), false, true
		case anchor > 0:
			return anchor, true, true
		}
		return 0, false, false
	}
	year := func(i int) (int, bool) {
		if i < len(toks) && toks[i].num >= 1900 && toks[i].num <= 2100 {
			return toks[i].num, true
		}
		return 0, false
	}
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if y, ok := year(i); ok && i > 0 && (toks[i-1].low == "in" || toks[i-1].low == "of" || toks[i-1].low == "during") {
			anchor = y
		}
		// Day Month [Year]
		if t.num >= 1 && t.num <= 31 && i+1 < len(toks) {
			if m, ok := months[toks[i+1].low]; ok {
				y, hasY := year(i + 2)
				if !hasY && i+3 < len(toks) && toks[i+2].text == "," {
					y, hasY = year(i + 3)
				}
				b, absolute := i+2, hasY
				if hasY {
					b = i + 3
				} else if y, absolute, ok = dayYear(m, t.num); !ok {
					continue
				}
				if d, ok := mkDate(y, m, t.num); ok {
					add(dateExpr{start: d, end: d, prec: vigil.DateDay, tokA: i, tokB: b, absolute: absolute})
				}
				i = b - 1
				continue
			}
		}
		m, isMonth := months[t.low]
		if isMonth && t.upper && len(t.low) > 2 {
			// Month Day[,] [Year]
			if i+1 < len(toks) && toks[i+1].num >= 1 && toks[i+1].num <= 31 {
				day := toks[i+1].num
				b := i + 2
				y, hasY := 0, false
				if b < len(toks) && toks[b].text == "," {
					if y, hasY = year(b + 1); hasY {
						b += 2
					}
				} else if y, hasY = year(b); hasY {
					b++
				}
				absolute, ok := hasY, true
				if !hasY {
					if y, absolute, ok = dayYear(m, day); !ok {
						continue
					}
				}
				if d, ok := mkDate(y, m, day); ok {
					add(dateExpr{start: d, end: d, prec: vigil.DateDay, tokA: i, tokB: b, absolute: absolute})
				}
				i = b - 1
				continue
			}
			// Month Year
			if y, ok := year(i + 1); ok {
				s, _ := mkDate(y, m, 1)
				e := s.AddDays(daysIn(y, m) - 1)
				add(dateExpr{start: s, end: e, prec: vigil.DateMonth, tokA: i, tokB: i + 2, absolute: true})
				i++
				continue
			}
		}
		if pd.IsZero() {
			continue
		}
		// Relative expressions.
		if wd, ok := weekdays[t.low]; ok && t.upper {
			back := (int(pd.Time().Weekday()) - int(wd) + 7) % 7
			d := pd.AddDays(-back)
			a := i
			if i > 0 && (toks[i-1].low == "on" || toks[i-1].low == "late" || toks[i-1].low == "early" || toks[i-1].low == "last") {
				a = i - 1
			}
			// "Tuesday 24 October" is an absolute date that follows.
			if i+2 < len(toks) && toks[i+1].num >= 1 && toks[i+1].num <= 31 {
				if _, ok := months[toks[i+2].low]; ok {
					continue
				}
			}
			out = append(out, dateExpr{start: d, end: d, prec: vigil.DateDay, tokA: a, tokB: i + 1})
			continue
		}
		switch t.low {
		case "today", "tonight":
			out = append(out, dateExpr{start: pd, end: pd, prec: vigil.DateDay, tokA: i, tokB: i + 1})
		case "yesterday":
			d := pd.AddDays(-1)
			out = append(out, dateExpr{start: d, end: d, prec: vigil.DateDay, tokA: i, tokB: i + 1})
		case "this":
			if i+1 < len(toks) && (toks[i+1].low == "morning" || toks[i+1].low == "afternoon" || toks[i+1].low == "evening") {
				out = append(out, dateExpr{start: pd, end: pd, prec: vigil.DateDay, tokA: i, tokB: i + 2})
			}
		case "last", "earlier":
			if i+1 >= len(toks) {
				continue
			}
			switch toks[i+1].low {
			case "night", "evening":
				d := pd.AddDays(-1)
				out = append(out, dateExpr{start: d, end: d, prec: vigil.DateDay, tokA: i, tokB: i + 2})
			case "week":
				out = append(out, dateExpr{start: pd.AddDays(-7 - int(pd.Time().Weekday())), end: pd, prec: vigil.DateWeek, tokA: i, tokB: i + 2})
			case "month":
				y, mo := pd.Time().Year(), pd.Time().Month()-1
				if mo == 0 {
					y, mo = y-1, 12
				}
				s, _ := mkDate(y, mo, 1)
				out = append(out, dateExpr{start: s, end: s.AddDays(daysIn(y, mo) - 1), prec: vigil.DateMonth, tokA: i, tokB: i + 2})
			case "this":
				if i+2 < len(toks) && toks[i+2].low == "month" {
					s, _ := mkDate(pd.Time().Year(), pd.Time().Month(), 1)
					out = append(out, dateExpr{start: s, end: pd, prec: vigil.DateMonth, tokA: i, tokB: i + 3})
				} else if i+2 < len(toks) && toks[i+2].low == "week" {
					out = append(out, dateExpr{start: pd.AddDays(-int(pd.Time().Weekday())), end: pd, prec: vigil.DateWeek, tokA: i, tokB: i + 3})
				}
			}
		}
	}
	return out
}

// inferYear picks the year of a day-and-month without one: the
// publication's, unless that puts it more than a month after publication.
func inferYear(pd vigil.Date, m time.Month, day int) int {
	y := pd.Time().Year()
	if d, ok := mkDate(y, m, day); ok && d.After(pd.AddDays(31)) {
		return y - 1
	}
	return y
}

func mkDate(y int, m time.Month, d int) (vigil.Date, bool) {
	if d < 1 || d > daysIn(y, m) {
		return vigil.Date{}, false
	}
	return vigil.NewDate(y, m, d), true
}

func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
