package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/vigil-osint/vigil/geo"
)

// newGeocodeCmd is `vigil geocode "TEXT"` and, with "-", batch geocoding of
// one query a line from standard input.
func newGeocodeCmd(a *app) *cobra.Command {
	var country, admin1, format string
	var limit int
	cmd := &cobra.Command{
		Use:   `geocode "TEXT" | -`,
		Short: "Find where a place description points, with candidates, precision and reasons",
		Long: `Geocode a place description with vigil's embedded gazetteer.

"vigil geocode TEXT" prints the candidates, best first. "vigil geocode -"
reads one query a line from standard input, either plain text or a JSON
object {"text", "country", "admin1", "context": [other places in the same
document]}, and writes one JSON object a line: {"query", "candidates"}.`,
		Example: `  vigil geocode "Achin District, Nangarhar Province, Afghanistan"
  vigil geocode "Konar" --country AF --format json
  printf 'Ningarhar\n{"text":"Jalalabad","country":"KG"}\n' | vigil geocode -`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "table" && format != "json" {
				return fmt.Errorf("--format %q: want table or json", format)
			}
			if country != "" {
				cs, err := countryCodes([]string{country})
				if err != nil {
					return err
				}
				country = cs[0]
			}
			if limit < 0 {
				return fmt.Errorf("--limit %d: want 0 (all) or more", limit)
			}
			g, err := geo.Default()
			if err != nil {
				return err
			}
			if admin1 != "" {
				// A hint the gazetteer cannot read would be dropped
				// silently: refuse it, as --country refuses a typo.
				code, ok := g.Admin1Code(admin1, country)
				if !ok && country != "" {
					return fmt.Errorf("--admin1: %q is no admin-1 unit of %s the gazetteer knows by code or name", admin1, country)
				}
				if !ok {
					return fmt.Errorf("--admin1: %q is no admin-1 unit the gazetteer knows by code or name (or several are: give --country)", admin1)
				}
				admin1 = code
			}
			if args[0] == "-" {
				return geocodeBatch(cmd, a, g, geo.Query{Country: country, Admin1: admin1}, limit)
			}
			if strings.TrimSpace(args[0]) == "" {
				return fmt.Errorf("geocode: no text: give a place (\"Achin District, Nangarhar\"), or - to read one a line")
			}
			q := geo.Query{Text: args[0], Country: country, Admin1: admin1}
			cands, err := g.Geocode(cmd.Context(), q)
			if err != nil {
				return err
			}
			if limit > 0 && len(cands) > limit {
				cands = cands[:limit]
			}
			if format == "json" {
				if cands == nil {
					cands = []geo.Candidate{}
				}
				enc := json.NewEncoder(a.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(cands)
			}
			if len(cands) == 0 {
				fmt.Fprintf(a.stdout, "no place found for %q\n", q.Text)
				return &exitError{code: 3, err: fmt.Errorf("geocode: no place found for %q", q.Text)}
			}
			return writeCandidatesTable(a.stdout, cands)
		},
	}
	cmd.Flags().StringVar(&country, "country", "", "country the place is expected in (ISO 3166-1 alpha-2 or name)")
	cmd.Flags().StringVar(&admin1, "admin1", "", "province (admin-1 code or name) the place is expected in")
	cmd.Flags().StringVar(&format, "format", "table", "output format: table or json")
	cmd.Flags().IntVar(&limit, "limit", 5, "at most this many candidates (0: all)")
	return cmd
}

// batchQuery is one line of `vigil geocode -` input in JSON form.
type batchQuery struct {
	Text    string   `json:"text"`
	Country string   `json:"country"`
	Admin1  string   `json:"admin1"`
	Context []string `json:"context"`
}

func geocodeBatch(cmd *cobra.Command, a *app, g *geo.Gazetteer, defaults geo.Query, limit int) error {
	sc := bufio.NewScanner(a.stdin)
	sc.Buffer(make([]byte, 64*1024), 16<<20)
	w := bufio.NewWriter(a.stdout)
	defer w.Flush()
	enc := json.NewEncoder(w)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		q := defaults
		if strings.HasPrefix(text, "{") {
			var bq batchQuery
			if err := json.Unmarshal([]byte(text), &bq); err != nil {
				return fmt.Errorf("geocode: stdin line %d: %w", line, err)
			}
			q.Text, q.Context = bq.Text, bq.Context
			if bq.Country != "" {
				q.Country = bq.Country
			}
			if bq.Admin1 != "" {
				q.Admin1 = bq.Admin1
			}
		} else {
			q.Text = text
		}
		cands, err := g.Geocode(cmd.Context(), q)
		if err != nil {
			return fmt.Errorf("geocode: stdin line %d: %w", line, err)
		}
		if limit > 0 && len(cands) > limit {
			cands = cands[:limit]
		}
		if cands == nil {
			cands = []geo.Candidate{}
		}
		if err := enc.Encode(struct {
			Query      geo.Query       `json:"query"`
			Candidates []geo.Candidate `json:"candidates"`
		}{q, cands}); err != nil {
			return fmt.Errorf("geocode: %w", err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("geocode: reading stdin: %w", err)
	}
	return w.Flush()
}

func writeCandidatesTable(w io.Writer, cands []geo.Candidate) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "#\tNAME\tLAT\tLON\tCOUNTRY\tADMIN1\tADMIN2\tPREC\tSCORE\tREASONS")
	for i, c := range cands {
		admin1 := c.Admin1
		if c.Admin1Name != "" {
			admin1 += " " + c.Admin1Name
		}
		fmt.Fprintf(tw, "%d\t%s\t%.4f\t%.4f\t%s\t%s\t%s\t%d\t%.2f\t%s\n", i+1, c.Name, c.Latitude, c.Longitude, c.Country,
			admin1, c.Admin2Name, c.LocationPrecision, c.Score, strings.Join(c.Reasons, "; "))
	}
	return tw.Flush()
}

// newWhereCmd is `vigil where LAT LON`: the country, province and district
// that hold a point.
// latLonArgs takes a point as two arguments, or as one written
// "LAT,LON" as maps and spreadsheets copy it ("34.43,70.45", "34.43, 70.45").
func latLonArgs(args []string) ([]string, error) {
	if len(args) == 2 {
		if lat, ok := strings.CutSuffix(args[0], ","); ok { // "34.43, 70.45" unquoted
			return []string{lat, args[1]}, nil
		}
		return args, nil
	}
	lat, lon, ok := strings.Cut(args[0], ",")
	if !ok {
		return nil, fmt.Errorf("where: %q: want LAT LON, or LAT,LON", args[0])
	}
	return []string{strings.TrimSpace(lat), strings.TrimSpace(lon)}, nil
}

func newWhereCmd(a *app) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:     "where LAT LON",
		Short:   "Say which country, province and district hold a point",
		Example: "  vigil where 34.43 70.45\n  vigil where 34.43,70.45\n  vigil where -- 33.9 -5.2",
		Args:    cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			args, err := latLonArgs(args)
			if err != nil {
				return err
			}
			lat, err := strconv.ParseFloat(args[0], 64)
			if err != nil || lat < -90 || lat > 90 {
				return fmt.Errorf("where: latitude %q: want a number from -90 to 90", args[0])
			}
			lon, err := strconv.ParseFloat(args[1], 64)
			if err != nil || lon < -180 || lon > 180 {
				return fmt.Errorf("where: longitude %q: want a number from -180 to 180", args[1])
			}
			g, err := geo.Default()
			if err != nil {
				return err
			}
			w, ok := g.Where(lat, lon)
			if format == "json" {
				enc := json.NewEncoder(a.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(struct {
					Latitude    float64 `json:"latitude"`
					Longitude   float64 `json:"longitude"`
					Found       bool    `json:"found"`
					CountryName string  `json:"country_name,omitempty"`
					geo.Admin
				}{lat, lon, ok, g.CountryName(w.Country), w})
			}
			if format != "table" {
				return fmt.Errorf("--format %q: want table or json", format)
			}
			if !ok {
				fmt.Fprintf(a.stdout, "%.5f, %.5f lies in no country (at sea)\n", lat, lon)
				return nil
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintf(tw, "country\t%s %s\n", w.Country, g.CountryName(w.Country))
			if w.Admin1 != "" {
				approx := ""
				if w.Admin1Approx {
					approx = " (approximate: the nearest town's; no boundaries outside vigil's region)"
				}
				fmt.Fprintf(tw, "admin1\t%s %s%s\n", w.Admin1, w.Admin1Name, approx)
			}
			if w.Admin2Name != "" {
				fmt.Fprintf(tw, "admin2\t%s\n", w.Admin2Name)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "output format: table or json")
	return cmd
}
