package analysis

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/vigil-osint/vigil"
)

// Coverage is when a dataset begins (and ends) to cover some countries.
type Coverage struct {
	// Source is matched against the start of an event's source names
	// ("ACLED" matches "ACLED", "UCDP GED" matches "UCDP GED 23.1").
	Source string `json:"source"`
	// Countries are ISO 3166-1 alpha-2 codes; none means everywhere.
	Countries []string   `json:"countries"`
	Start     vigil.Date `json:"start"`
	End       vigil.Date `json:"end,omitempty"`
	Reference string     `json:"reference"`
}

//go:embed coverage.json
var shippedCoverage []byte

// ShippedCoverage returns the coverage table vigil ships
// (analysis/coverage.json).
func ShippedCoverage() []Coverage {
	c, err := ReadCoverage(strings.NewReader(string(shippedCoverage)))
	if err != nil {
		panic(err) // the shipped file is tested
	}
	return c
}

// ReadCoverage reads a coverage table: {"coverage": [...]} as in
// analysis/coverage.json.
func ReadCoverage(r io.Reader) ([]Coverage, error) {
	var doc struct {
		Note     string      `json:"note"`
		Coverage *[]Coverage `json:"coverage"`
	}
	const want = `want {"coverage": [{"source", "countries", "start", "end", "reference"}, …]}`
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields() // a misspelt key would drop its rows unseen
	if err := dec.Decode(&doc); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			at := "the top"
			if te.Field != "" {
				at = te.Field
			}
			return nil, vigil.Errorf(vigil.EINVALID, "coverage table: a JSON %s at %s: %s", te.Value, at, want)
		}
		if strings.Contains(err.Error(), "unknown field") {
			return nil, vigil.Errorf(vigil.EINVALID, "coverage table: %s: %s", strings.TrimPrefix(err.Error(), "json: "), want)
		}
		return nil, fmt.Errorf("analysis: coverage table: %w", err)
	}
	if doc.Coverage == nil {
		return nil, vigil.Errorf(vigil.EINVALID, "coverage table: no \"coverage\" list: %s", want)
	}
	for i, c := range *doc.Coverage {
		if c.Source == "" || c.Start.IsZero() {
			return nil, vigil.Errorf(vigil.EINVALID, "coverage row %d: source and start are required", i+1)
		}
	}
	return *doc.Coverage, nil
}

// coverageWarnings warns where the series [from, to] crosses a coverage
// start or end of a dataset that feeds its events in the countries the
// row names.
func coverageWarnings(cov []Coverage, from, to vigil.Date, t *tables, all []int32) []Warning {
	// Facts grouped by country and list of sources: a few groups, not a
	// million facts, to test against each row.
	type group struct{ country, sources int32 }
	groups := map[group]int{}
	nl := len(t.fs.Lists)
	if size := (len(t.countries) + 1) * nl; size <= 1<<20 {
		// Counted in an array (by country, the first none, and list),
		// without hashing a million keys.
		counts := make([]int, size)
		for _, i := range all {
			counts[int(t.places[t.placeOf[i]].country+1)*nl+int(t.fs.Sources[i])]++
		}
		for k, n := range counts {
			if n > 0 {
				groups[group{int32(k/nl - 1), int32(k % nl)}] = n
			}
		}
	} else {
		for _, i := range all {
			groups[group{t.places[t.placeOf[i]].country, t.fs.Sources[i]}]++
		}
	}
	var out []Warning
	for _, c := range cov {
		var edges []vigil.Date
		if from.Before(c.Start) && !to.Before(c.Start) {
			edges = append(edges, c.Start)
		}
		if !c.End.IsZero() && !from.After(c.End) && to.After(c.End) {
			edges = append(edges, c.End)
		}
		if len(edges) == 0 {
			continue
		}
		n := 0
		for k, cnt := range groups {
			country := ""
			if k.country >= 0 {
				country = t.countries[k.country]
			}
			if (len(c.Countries) == 0 || slices.Contains(c.Countries, country)) && slices.ContainsFunc(t.fs.Lists[k.sources], func(s int32) bool {
				return strings.HasPrefix(strings.ToLower(t.fs.Strings[s]), strings.ToLower(c.Source))
			}) {
				n += cnt
			}
		}
		if n == 0 {
			continue
		}
		where := "everywhere"
		if len(c.Countries) > 0 {
			where = "in " + strings.Join(c.Countries, ", ")
		}
		for _, e := range edges {
			verb := "starts"
			if e == c.End {
				verb = "ends"
			}
			out = append(out, Warning{Kind: "coverage", Message: fmt.Sprintf(
				"%d events come from %s, whose coverage %s %s on %s, inside this series (%s to %s): a change there may be the dataset's, not the group's (%s)",
				n, c.Source, where, verb, e, from, to, c.Reference)})
		}
	}
	return out
}
