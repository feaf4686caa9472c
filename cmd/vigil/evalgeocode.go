package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/vigil-osint/vigil/geo"
)

// goldPlace is one row of a geocoding evaluation: text and where it is.
type goldPlace struct {
	Text      string
	Lat, Lon  float64
	HasPoint  bool
	Country   string // ISO 3166-1 alpha-2, "" when not given
	Admin1    string
	Precision int // the gold's own precision (UCDP where_prec), 0 when not given
	Context   []string
}

// newEvalGeocodeCmd is `vigil eval geocode FILE...`.
func newEvalGeocodeCmd(a *app) *cobra.Command {
	var countries string
	var maxPrec int
	var hintCountry, showErrors bool
	var format string
	cmd := &cobra.Command{
		Use:   "geocode FILE...",
		Short: "Measure the geocoder against gold coordinates, countries and provinces",
		Long: `Measure the geocoder on files of place text with gold answers.

FILE is JSON Lines or CSV with a header. Columns (any of these names):
text|where_description|location|name, latitude|lat, longitude|lon,
country (ISO 3166-1 alpha-2 or a name), admin1 (ISO 3166-2 code),
precision|where_prec. UCDP GED CSV files work as they are. Geoparsing
corpora (JSON Lines documents with "toponyms", as in ../shared/data/eval)
are read toponym by toponym, the document's other toponyms as context.
Where the gold gives coordinates but no admin-1, the admin-1 that holds the
gold point is the gold (unless the gold's precision is 5–7: no province).

It prints coverage (rows with an answer), and over the answered rows:
country and admin-1 accuracy, the share within 25 km and 161 km, and the
median error in km; by gold precision when the file gives it.`,
		Example: `  vigil eval geocode --countries AF,PK,IR,TJ,UZ,KG,TM,KZ,RU testdata/ucdp/ucdp_ged231_sample.csv
  vigil eval geocode data/eval-geocode/wikipedia_2016q4_locations.csv
  vigil eval geocode ../shared/data/eval/lgl.dev.jsonl`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if maxPrec < 0 || maxPrec > 7 {
				return fmt.Errorf("--max-precision %d: want 1 (exact) to 7 (water or airspace), or 0 for every row", maxPrec)
			}
			g, err := geo.Default()
			if err != nil {
				return err
			}
			want := map[string]bool{}
			for _, c := range strings.Split(countries, ",") {
				if c = strings.TrimSpace(strings.ToUpper(c)); c != "" {
					want[c] = true
				}
			}
			var reports []evalReport
			for _, file := range args {
				rows, err := readGold(g, file)
				if err != nil {
					return err
				}
				var kept []goldPlace
				for _, r := range rows {
					if len(want) > 0 && !want[r.Country] {
						continue
					}
					if maxPrec > 0 && r.Precision > maxPrec {
						continue
					}
					kept = append(kept, r)
				}
				rep, err := evaluate(cmd, g, filepath.Base(file), kept, hintCountry, showErrors, a.stderr)
				if err != nil {
					return err
				}
				reports = append(reports, rep...)
			}
			if format == "json" {
				enc := json.NewEncoder(a.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(reports)
			}
			return writeEvalTable(a.stdout, reports)
		},
	}
	cmd.Flags().StringVar(&countries, "countries", "", "evaluate only rows whose gold country is one of these (comma-separated ISO codes)")
	cmd.Flags().IntVar(&maxPrec, "max-precision", 0, "evaluate only rows whose gold precision is at most this (1–7)")
	cmd.Flags().BoolVar(&hintCountry, "hint-country", false, "give the gold country to the geocoder as a hint")
	cmd.Flags().BoolVar(&showErrors, "errors", false, "list the rows answered wrongly or not at all on stderr")
	cmd.Flags().StringVar(&format, "format", "table", "output format: table or json")
	return cmd
}

// evalReport is the figures for one file and one slice of it.
type evalReport struct {
	File          string   `json:"file"`
	Slice         string   `json:"slice"`
	Rows          int      `json:"rows"`
	Answered      int      `json:"answered"`
	Coverage      float64  `json:"coverage"`
	CountryRows   int      `json:"country_rows"`
	CountryAcc    float64  `json:"country_accuracy"`
	Admin1Rows    int      `json:"admin1_rows"`
	Admin1Acc     float64  `json:"admin1_accuracy"`
	PointRows     int      `json:"point_rows"`
	Within25      float64  `json:"within_25km"`
	Within161     float64  `json:"within_161km"`
	MedianErrorKm *float64 `json:"median_error_km"`
}

type outcome struct {
	prec                int
	answered            bool
	countryOK, admin1OK *bool
	errKm               *float64
}

func evaluate(cmd *cobra.Command, g *geo.Gazetteer, file string, rows []goldPlace, hintCountry, showErrors bool, stderr io.Writer) ([]evalReport, error) {
	var outs []outcome
	for _, r := range rows {
		q := geo.Query{Text: r.Text, Context: r.Context}
		if hintCountry {
			q.Country = r.Country
		}
		cands, err := g.Geocode(cmd.Context(), q)
		if err != nil {
			return nil, err
		}
		o := outcome{prec: r.Precision, answered: len(cands) > 0}
		var msg []string
		if o.answered {
			c := cands[0]
			if r.Country != "" {
				ok := c.Country == r.Country
				o.countryOK = &ok
				if !ok {
					msg = append(msg, fmt.Sprintf("country %s, gold %s", c.Country, r.Country))
				}
			}
			if r.Admin1 != "" {
				ok := c.Admin1 == r.Admin1
				o.admin1OK = &ok
				if !ok {
					msg = append(msg, fmt.Sprintf("admin1 %s, gold %s", c.Admin1, r.Admin1))
				}
			}
			if r.HasPoint {
				d := geo.DistanceKm(c.Latitude, c.Longitude, r.Lat, r.Lon)
				o.errKm = &d
				if d > 25 {
					msg = append(msg, fmt.Sprintf("%.0f km off", d))
				}
			}
			if showErrors && len(msg) > 0 {
				fmt.Fprintf(stderr, "%s: %q → %s (%s %s, prec %d): %s\n", file, r.Text, c.Name, c.Country, c.Admin1, c.LocationPrecision, strings.Join(msg, "; "))
			}
		} else if showErrors {
			fmt.Fprintf(stderr, "%s: %q → no answer\n", file, r.Text)
		}
		outs = append(outs, o)
	}
	reps := []evalReport{summarize(file, "all", outs)}
	hasPrec := false
	for _, o := range outs {
		if o.prec > 0 {
			hasPrec = true
		}
	}
	if hasPrec {
		var fine, coarse []outcome
		for _, o := range outs {
			switch {
			case o.prec >= 1 && o.prec <= 3:
				fine = append(fine, o)
			case o.prec >= 4:
				coarse = append(coarse, o)
			}
		}
		reps = append(reps, summarize(file, "gold precision 1-3", fine), summarize(file, "gold precision 4-7", coarse))
	}
	return reps, nil
}

func summarize(file, slice string, outs []outcome) evalReport {
	r := evalReport{File: file, Slice: slice, Rows: len(outs)}
	var cOK, aOK, w25, w161 int
	var errs []float64
	for _, o := range outs {
		if !o.answered {
			continue
		}
		r.Answered++
		if o.countryOK != nil {
			r.CountryRows++
			if *o.countryOK {
				cOK++
			}
		}
		if o.admin1OK != nil {
			r.Admin1Rows++
			if *o.admin1OK {
				aOK++
			}
		}
		if o.errKm != nil {
			r.PointRows++
			errs = append(errs, *o.errKm)
			if *o.errKm <= 25 {
				w25++
			}
			if *o.errKm <= 161 {
				w161++
			}
		}
	}
	r.Coverage = ratio(r.Answered, r.Rows)
	r.CountryAcc = ratio(cOK, r.CountryRows)
	r.Admin1Acc = ratio(aOK, r.Admin1Rows)
	r.Within25 = ratio(w25, r.PointRows)
	r.Within161 = ratio(w161, r.PointRows)
	if len(errs) > 0 {
		sort.Float64s(errs)
		m := errs[len(errs)/2]
		if len(errs)%2 == 0 {
			m = (errs[len(errs)/2-1] + errs[len(errs)/2]) / 2
		}
		m = math.Round(m*10) / 10
		r.MedianErrorKm = &m
	}
	return r
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return math.Round(float64(a)/float64(b)*10000) / 10000
}

func writeEvalTable(w io.Writer, reps []evalReport) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "FILE\tSLICE\tROWS\tCOVERAGE\tCOUNTRY\tADMIN1\t≤25KM\t≤161KM\tMEDIAN KM")
	pct := func(v float64, n int) string {
		if n == 0 {
			return "-"
		}
		return fmt.Sprintf("%.1f%% (%d)", v*100, n)
	}
	for _, r := range reps {
		med := "-"
		if r.MedianErrorKm != nil {
			med = fmt.Sprintf("%.1f", *r.MedianErrorKm)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\n", r.File, r.Slice, r.Rows, pct(r.Coverage, r.Rows),
			pct(r.CountryAcc, r.CountryRows), pct(r.Admin1Acc, r.Admin1Rows), pct(r.Within25, r.PointRows), pct(r.Within161, r.PointRows), med)
	}
	fmt.Fprintln(tw, "\naccuracies are over the answered rows; the count in brackets is how many rows had that gold")
	return tw.Flush()
}

// readGold reads an evaluation file: JSON Lines (rows or geoparsing
// documents) or CSV with a header.
func readGold(g *geo.Gazetteer, path string) ([]goldPlace, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("eval geocode: %w", err)
	}
	defer f.Close()
	br := bufio.NewReader(f)
	first, _ := br.Peek(1)
	var rows []goldPlace
	if len(first) == 1 && first[0] == '{' {
		rows, err = readGoldJSONL(br)
	} else {
		rows, err = readGoldCSV(br)
	}
	if err != nil {
		return nil, fmt.Errorf("eval geocode: %s: %w", path, err)
	}
	for i := range rows {
		r := &rows[i]
		if r.Country != "" {
			if c, ok := g.CountryCode(r.Country); ok {
				r.Country = c
			}
		}
		if r.HasPoint && (r.Country == "" || r.Admin1 == "") {
			if w, ok := g.Where(r.Lat, r.Lon); ok {
				if r.Country == "" {
					r.Country = w.Country
				}
				// A gold of region or country precision (5–7) names no
				// province, whatever its point falls in.
				if r.Admin1 == "" && w.Country == r.Country && (r.Precision == 0 || r.Precision <= 4) {
					r.Admin1 = w.Admin1
				}
			}
		}
	}
	return rows, nil
}

func readGoldCSV(r io.Reader) ([]goldPlace, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, err
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	get := func(rec []string, names ...string) string {
		for _, n := range names {
			if i, ok := col[n]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
		}
		return ""
	}
	textCols := []string{"text", "where_description", "location", "name"}
	if !slices.ContainsFunc(textCols, func(c string) bool { _, ok := col[c]; return ok }) {
		// Not a gold file (a README, a CSV of something else): say so
		// rather than measure nothing.
		return nil, fmt.Errorf("not a gold file: its first line names no column of place text (want one of %s), nor is it JSON Lines", strings.Join(textCols, ", "))
	}
	var rows []goldPlace
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		gp := goldPlace{
			Text:    get(rec, textCols...),
			Country: get(rec, "country_code", "country"),
			Admin1:  get(rec, "admin1", "gold_admin1"),
		}
		if gp.Text == "" {
			continue
		}
		gp.Precision, _ = strconv.Atoi(get(rec, "precision", "where_prec"))
		lat, e1 := strconv.ParseFloat(get(rec, "latitude", "lat"), 64)
		lon, e2 := strconv.ParseFloat(get(rec, "longitude", "lon"), 64)
		if e1 == nil && e2 == nil {
			gp.Lat, gp.Lon, gp.HasPoint = lat, lon, true
		}
		if c := get(rec, "context"); c != "" {
			gp.Context = strings.Split(c, "|")
		}
		rows = append(rows, gp)
	}
	return rows, nil
}

func readGoldJSONL(r io.Reader) ([]goldPlace, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	var rows []goldPlace
	line := 0
	for sc.Scan() {
		line++
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		if raw, ok := m["toponyms"]; ok {
			var tops []struct {
				Name    string   `json:"name"`
				Lat     *float64 `json:"lat"`
				Lon     *float64 `json:"lon"`
				Country string   `json:"country"`
				Group   string   `json:"group"`
			}
			if err := json.Unmarshal(raw, &tops); err != nil {
				return nil, fmt.Errorf("line %d: toponyms: %w", line, err)
			}
			names := make([]string, 0, len(tops))
			for _, t := range tops {
				names = append(names, t.Name)
			}
			for i, t := range tops {
				if t.Lat == nil || t.Lon == nil {
					continue
				}
				ctx := make([]string, 0, len(names)-1)
				for j, n := range names {
					if j != i && n != t.Name {
						ctx = append(ctx, n)
					}
				}
				rows = append(rows, goldPlace{Text: t.Name, Lat: *t.Lat, Lon: *t.Lon, HasPoint: true, Country: t.Country, Context: ctx})
			}
			continue
		}
		var row struct {
			Text, WhereDescription, Location, Name string
			Latitude, Lat, Longitude, Lon          *float64
			Country, Admin1                        string
			Precision, WherePrec                   int
			Context                                []string
		}
		if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		gp := goldPlace{Text: firstNonEmpty(row.Text, row.WhereDescription, row.Location, row.Name), Country: row.Country,
			Admin1: row.Admin1, Precision: max(row.Precision, row.WherePrec), Context: row.Context}
		lat, lon := row.Latitude, row.Longitude
		if lat == nil {
			lat, lon = row.Lat, row.Lon
		}
		if lat != nil && lon != nil {
			gp.Lat, gp.Lon, gp.HasPoint = *lat, *lon, true
		}
		if gp.Text != "" {
			rows = append(rows, gp)
		}
	}
	return rows, sc.Err()
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
