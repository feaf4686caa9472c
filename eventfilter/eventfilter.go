// Package eventfilter reads the event filters as people write them, in
// the CLI's flags and the API's query parameters alike: a country by
// ISO 3166-1 alpha-2 or alpha-3 code or by name, an admin-1 unit by code
// or name, a day, or a year or month for from and to. The CLI and the
// server both read them here, so that the two take the same forms and
// refuse the same values with the same messages.
package eventfilter

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/geo"
	"github.com/vigil-osint/vigil/internal/iso3166"
)

// Text is an event filter as written. Lists hold one value each (split
// repeated and comma-separated values first); empty fields filter nothing.
type Text struct {
	Actor          string
	Countries      []string
	Admin1         []string
	From, To       string
	Types          []string
	MinCredibility string
}

// Parse reads t into a store filter. name gives each filter's name as the
// caller's users write it, for the error messages: the keys are actor,
// country, admin1, from, to, type and min_credibility (the API's names);
// nil leaves them so. Every error is vigil.EINVALID and names the filter
// and the value.
func Parse(t Text, name func(key string) string) (vigil.EventFilter, error) {
	if name == nil {
		name = func(k string) string { return k }
	}
	out := vigil.EventFilter{Actor: t.Actor}
	var err error
	if out.Countries, err = Countries(t.Countries); err != nil {
		return out, vigil.Errorf(vigil.EINVALID, "%s: %s", name("country"), vigil.ErrorMessage(err))
	}
	out.Admin1 = Admin1(t.Admin1, out.Countries)
	if t.From != "" {
		if out.From, err = Day(t.From, false); err != nil {
			return out, vigil.Errorf(vigil.EINVALID, "%s: %s", name("from"), vigil.ErrorMessage(err))
		}
	}
	if t.To != "" {
		if out.To, err = Day(t.To, true); err != nil {
			return out, vigil.Errorf(vigil.EINVALID, "%s: %s", name("to"), vigil.ErrorMessage(err))
		}
	}
	if t.From != "" && t.To != "" && out.To.Before(out.From) {
		// Swapped bounds select nothing: say so rather than answer "0 events".
		return out, vigil.Errorf(vigil.EINVALID, "%s %s is after %s %s: want %[1]s on or before %[3]s", name("from"), out.From, name("to"), out.To)
	}
	if v := t.MinCredibility; v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || !vigil.Credibility(n).Valid() {
			return out, vigil.Errorf(vigil.EINVALID, "%s: %q is not a grade from 1 (confirmed) to 6 (cannot be judged)", name("min_credibility"), v)
		}
		out.MinCredibility = vigil.Credibility(n)
	}
	for _, s := range t.Types {
		et, err := vigil.ParseEventType(s)
		if err != nil {
			return out, vigil.Errorf(vigil.EINVALID, "%s: %s", name("type"), vigil.ErrorMessage(err))
		}
		out.Types = append(out.Types, et)
	}
	return out, nil
}

// Day reads a day (YYYY-MM-DD), or a year (YYYY) or month (YYYY-MM) as
// its first day, or with last as its last: from 2021 to 2022-06 is
// 2021-01-01 to 2022-06-30.
func Day(s string, last bool) (vigil.Date, error) {
	digits := func(t string) (int, bool) {
		for _, r := range t {
			if r < '0' || r > '9' {
				return 0, false
			}
		}
		n, err := strconv.Atoi(t)
		return n, err == nil
	}
	switch {
	case len(s) == 4:
		if y, ok := digits(s); ok && y > 0 {
			if last {
				return vigil.NewDate(y, time.December, 31), nil
			}
			return vigil.NewDate(y, time.January, 1), nil
		}
	case len(s) == 7 && s[4] == '-':
		y, oky := digits(s[:4])
		m, okm := digits(s[5:])
		if oky && okm && y > 0 && m >= 1 && m <= 12 {
			first := vigil.NewDate(y, time.Month(m), 1)
			if last {
				return vigil.DateOf(first.Time().AddDate(0, 1, -1)), nil
			}
			return first, nil
		}
	}
	d, err := vigil.ParseDate(s)
	if err != nil {
		return d, vigil.Errorf(vigil.EINVALID, "%s (or a year, YYYY, or a month, YYYY-MM)", vigil.ErrorMessage(err))
	}
	return d, nil
}

// Countries turns country values into ISO 3166-1 alpha-2 codes: an
// alpha-2 or alpha-3 code in any case (AF, AFG: ACLED and GTD users write
// the latter), or a country's name in any spelling the gazetteer knows
// ("Afghanistan", "Iran", "Islamic Republic of Iran", "Kyrgyz Republic").
// A value that is none of these is an error (vigil.EINVALID), not a
// filter that silently matches nothing.
func Countries(vals []string) ([]string, error) {
	var out []string
	for _, v := range vals {
		c := iso3166.ByAlpha2(v)
		if c == nil && len(strings.TrimSpace(v)) == 3 {
			c = iso3166.ByAlpha3(v)
		}
		if c == nil && len(v) > 3 {
			c = iso3166.ByName(v)
		}
		if c == nil && len(v) > 3 {
			if g, err := geo.Default(); err == nil {
				if code, ok := g.CountryCode(v); ok {
					c = iso3166.ByAlpha2(code)
				}
			}
		}
		if c == nil {
			return nil, vigil.Errorf(vigil.EINVALID, "%q is not an ISO 3166-1 code (AF, AFG, …) or a country's name", v)
		}
		out = append(out, c.Alpha2)
	}
	return out, nil
}

// Admin1 adds to the admin-1 values as written the code of each unit the
// gazetteer knows by that name or a variant of it ("Hilmand", "Konar",
// "Ningarhar province" → AF-HEL, AF-KNR, AF-NAN), in the one country of
// countries if it names one. The places step codes every located report's
// province, keeping the source's spelling only as admin1_name, so a name
// alone found only the rows that spelt it so: "Hilmand" gave UCDP's 7
// events of Helmand and none of Wikipedia's 70.
func Admin1(units, countries []string) []string {
	if len(units) == 0 {
		return units
	}
	g, err := geo.Default()
	if err != nil {
		return units
	}
	country := ""
	if len(countries) == 1 {
		country = countries[0]
	}
	out := slices.Clone(units)
	for _, u := range units {
		if c, ok := g.Admin1Code(u, country); ok && !slices.ContainsFunc(out, func(v string) bool { return strings.EqualFold(v, c) }) {
			out = append(out, c)
		}
	}
	return out
}

// FlagName is the CLI's name of a filter for Parse: --country,
// --min-credibility.
func FlagName(key string) string { return "--" + strings.ReplaceAll(key, "_", "-") }
