package analysis

import (
	"fmt"
	"strings"
	"time"

	"github.com/vigil-osint/vigil"
)

// By is the length of the periods that indicators are counted over.
type By string

// The period lengths. Weeks are ISO 8601 weeks, from Monday.
const (
	Week    By = "week"
	Month   By = "month"
	Quarter By = "quarter"
	Year    By = "year"
)

// MaxPeriods bounds how many periods a window may span when it is asked
// for (vigil indicators, GET /indicators): a mistyped year (--from
// 0001-01-01 --by week, 105,000 weeks) would otherwise take a minute and
// hundreds of megabytes to answer with empty periods.
const MaxPeriods = 5000

// PeriodsBetween estimates how many periods by spans from–to (to today
// when to is zero; nothing to bound when from is zero).
func PeriodsBetween(by By, from, to vigil.Date) int {
	if from.IsZero() {
		return 0
	}
	end := time.Now()
	if !to.IsZero() {
		end = to.Time()
	}
	days := float64(end.Unix()-from.Time().Unix()) / 86400 // Sub saturates at 292 years
	switch by {
	case Week:
		return int(days / 7)
	case Month:
		return int(days / 30)
	case Quarter:
		return int(days / 91)
	}
	return int(days / 365)
}

// ParseBy reads a period length: week, month, quarter or year.
func ParseBy(s string) (By, error) {
	switch b := By(strings.ToLower(strings.TrimSpace(s))); b {
	case Week, Month, Quarter, Year:
		return b, nil
	}
	return "", vigil.Errorf(vigil.EINVALID, "period %q: want week, month, quarter or year", s)
}

// perYear is how many periods make a year, for rates per year.
func (b By) perYear() float64 {
	switch b {
	case Week:
		return 365.25 / 7
	case Month:
		return 12
	case Quarter:
		return 4
	}
	return 1
}

// index numbers the period that holds d, so that consecutive periods have
// consecutive numbers.
func (b By) index(d vigil.Date) int {
	t := d.Time()
	switch b {
	case Week:
		// Weeks since Monday 5 January 1970, rounded down.
		return floorDiv(int(t.Unix()/86400)-4, 7)
	case Month:
		return t.Year()*12 + int(t.Month()) - 1
	case Quarter:
		return t.Year()*4 + (int(t.Month())-1)/3
	}
	return t.Year()
}

// start returns the first day of the period numbered i.
func (b By) start(i int) vigil.Date {
	switch b {
	case Week:
		return vigil.DateOf(time.Unix(int64(7*i+4)*86400, 0).UTC())
	case Month:
		return vigil.NewDate(i/12, time.Month(i%12+1), 1)
	case Quarter:
		return vigil.NewDate(i/4, time.Month(3*(i%4)+1), 1)
	}
	return vigil.NewDate(i, 1, 1)
}

// end returns the last day of the period numbered i.
func (b By) end(i int) vigil.Date { return b.start(i + 1).AddDays(-1) }

// label names the period numbered i: "2017", "2017-Q2", "2017-05",
// "2017-W19".
func (b By) label(i int) string {
	s := b.start(i)
	switch b {
	case Week:
		y, w := s.Time().ISOWeek()
		return fmt.Sprintf("%04d-W%02d", y, w)
	case Month:
		return s.Time().Format("2006-01")
	case Quarter:
		return fmt.Sprintf("%04d-Q%d", i/4, i%4+1)
	}
	return fmt.Sprintf("%04d", i)
}

func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}
