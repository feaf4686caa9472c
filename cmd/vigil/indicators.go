package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/analysis"
	"github.com/vigil-osint/vigil/export"
	"github.com/vigil-osint/vigil/geo"
)

// indicatorFlags are the flags that indicators and brief share.
type indicatorFlags struct {
	ff        eventFilterFlags
	by        string
	home      []string
	asOf      string
	bootstrap int
	seed      uint64
	coverage  string
	// The other side of a comparison: the same selection with these
	// changed.
	vsActor, vsFrom, vsTo, vsAsOf string
}

func (f *indicatorFlags) add(cmd *cobra.Command) {
	f.ff.add(cmd)
	fl := cmd.Flags()
	fl.StringVar(&f.by, "by", "month", "period: week, month, quarter or year")
	fl.StringSliceVar(&f.home, "home", nil, "the home area: admin-1 codes or names (e.g. AF-NAN,AF-KNR)")
	fl.StringVar(&f.asOf, "as-of", "", "as known at the end of this day (YYYY-MM-DD) or instant (RFC 3339): only what had been recorded by then")
	fl.IntVar(&f.bootstrap, "bootstrap", 200, "bootstrap resamples for the spread intervals (0 for none)")
	fl.Uint64Var(&f.seed, "seed", 1, "seed of the bootstrap, for repeatable intervals")
	fl.StringVar(&f.coverage, "coverage", "", "coverage table of the sources (JSON as analysis/coverage.json; default the shipped one)")
	fl.StringVar(&f.vsActor, "vs-actor", "", "compare with this actor")
	fl.StringVar(&f.vsFrom, "vs-from", "", "compare with the period from this day (with --vs-to)")
	fl.StringVar(&f.vsTo, "vs-to", "", "compare with the period to this day")
	fl.StringVar(&f.vsAsOf, "vs-as-of", "", `compare with what was known on this day, or "now"`)
}

// selection is one computed selection of events.
type selection struct {
	Label  string
	Filter vigil.EventFilter
	AsOf   time.Time
	Facts  *vigil.Facts
	Ind    *analysis.Indicators
}

// parseAsOf reads --as-of: a day means the end of that day (UTC).
func parseAsOf(flag, s string) (time.Time, error) {
	switch s {
	case "", "now", "today":
		return time.Time{}, nil
	}
	if d, err := vigil.ParseDate(s); err == nil && len(s) == 10 {
		return d.Time().AddDate(0, 0, 1).Add(-time.Nanosecond), nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s %q: want YYYY-MM-DD or an RFC 3339 time", flag, s)
	}
	return t, nil
}

// checkDateOrder refuses a window that ends before it starts, which would
// otherwise select nothing and read as "no events".
func checkDateOrder(fromFlag, toFlag string, from, to vigil.Date) error {
	if !from.IsZero() && !to.IsZero() && from.After(to) {
		return fmt.Errorf("%s %s is after %s %s", fromFlag, from, toFlag, to)
	}
	return nil
}

// checkSpan refuses a window of more than analysis.MaxPeriods periods, as
// GET /indicators does: a mistyped year would take a minute to answer.
func checkSpan(fromFlag string, by analysis.By, from, to vigil.Date) error {
	if n := analysis.PeriodsBetween(by, from, to); n > analysis.MaxPeriods {
		return fmt.Errorf("%s %s: the window spans %d periods by %s; at most %d: check the year, or take a longer period", fromFlag, from, n, by, analysis.MaxPeriods)
	}
	return nil
}

// compute loads the facts of the flags' selection (and of the other side
// when a --vs flag is set) and computes their indicators.
func (f *indicatorFlags) compute(ctx context.Context, s vigil.Store) (a, b *selection, err error) {
	by, err := analysis.ParseBy(f.by)
	if err != nil {
		return nil, nil, fmt.Errorf("--by: %s", vigil.ErrorMessage(err))
	}
	filter, err := f.ff.filter()
	if err != nil {
		return nil, nil, err
	}
	asOf, err := parseAsOf("--as-of", f.asOf)
	if err != nil {
		return nil, nil, err
	}
	if err := checkDateOrder("--from", "--to", filter.From, filter.To); err != nil {
		return nil, nil, err
	}
	if err := checkSpan("--from", by, filter.From, filter.To); err != nil {
		return nil, nil, err
	}
	if f.bootstrap < 0 || f.bootstrap > 1000 {
		return nil, nil, fmt.Errorf("--bootstrap %d: want 0–1000 resamples (0 for none)", f.bootstrap)
	}
	o := analysis.Options{By: by, Home: splitList(f.home), Bootstrap: f.bootstrap, Seed: f.seed}
	if o.Bootstrap == 0 {
		o.Bootstrap = -1
	}
	if f.coverage != "" {
		file, err := os.Open(f.coverage)
		if err != nil {
			return nil, nil, fmt.Errorf("--coverage: %w", err)
		}
		o.Coverage, err = analysis.ReadCoverage(file)
		file.Close()
		if err != nil {
			return nil, nil, fmt.Errorf("--coverage %s: %w", f.coverage, err)
		}
	}
	var unknownHome []string // --home entries the boundaries do not know
	if g, err := geo.Default(); err == nil {
		units := newUnitResolver(g)
		o.Unit = units.resolve
		for i, h := range o.Home {
			code := units.code(h)
			if code == "" {
				unknownHome = append(unknownHome, h)
				continue
			}
			o.Home[i] = code
			if lat, lon, ok := g.Admin1Center(code); ok {
				o.HomeCenters = append(o.HomeCenters, vigil.LatLon{Lat: lat, Lon: lon})
			}
		}
	}
	as, ok := s.(vigil.AnalysisService)
	if !ok {
		return nil, nil, fmt.Errorf("this store cannot compute indicators")
	}
	// A million facts are a large live heap that the collector would
	// scan again at every doubling.
	collectLessOften()
	run := func(label string, filter vigil.EventFilter, asOf time.Time) (*selection, error) {
		sel := &selection{Label: label, Filter: filter, AsOf: asOf}
		// Events before --from are history: they decide first entries.
		hist := filter
		hist.From = vigil.Date{}
		if sel.Facts, err = as.FindFacts(ctx, vigil.FactFilter{EventFilter: hist, AsOf: asOf}); err != nil {
			return nil, err
		}
		oo := o
		oo.From, oo.To = filter.From, filter.To
		sel.Ind = analysis.ComputeFacts(sel.Facts, oo)
		if len(unknownHome) > 0 {
			sel.Ind.Warnings = append([]analysis.Warning{analysis.UnknownHome("--home", unknownHome)}, sel.Ind.Warnings...)
		}
		return sel, nil
	}
	if a, err = run(filter.Describe(asOf), filter, asOf); err != nil {
		return nil, nil, err
	}
	if f.vsActor == "" && f.vsFrom == "" && f.vsTo == "" && f.vsAsOf == "" {
		return a, nil, nil
	}
	other, otherAsOf := filter, asOf
	if f.vsActor != "" {
		other.Actor = f.vsActor
	}
	if f.vsFrom != "" {
		if other.From, err = vigil.ParseDate(f.vsFrom); err != nil {
			return nil, nil, fmt.Errorf("--vs-from: %s", vigil.ErrorMessage(err))
		}
	}
	if f.vsTo != "" {
		if other.To, err = vigil.ParseDate(f.vsTo); err != nil {
			return nil, nil, fmt.Errorf("--vs-to: %s", vigil.ErrorMessage(err))
		}
	}
	if f.vsAsOf != "" {
		if otherAsOf, err = parseAsOf("--vs-as-of", f.vsAsOf); err != nil {
			return nil, nil, err
		}
	}
	if err := checkDateOrder("--vs-from", "--vs-to", other.From, other.To); err != nil {
		return nil, nil, err
	}
	if err := checkSpan("--vs-from", by, other.From, other.To); err != nil {
		return nil, nil, err
	}
	if b, err = run(other.Describe(otherAsOf), other, otherAsOf); err != nil {
		return nil, nil, err
	}
	return a, b, nil
}

// indicatorsJSON is what indicators --format json prints.
type indicatorsJSON struct {
	Selection string `json:"selection"`
	AsOf      string `json:"as_of,omitempty"`
	*analysis.Indicators
	Comparison *analysis.Comparison `json:"comparison,omitempty"`
}

func newIndicatorsCmd(a *app) *cobra.Command {
	var (
		fl     indicatorFlags
		format string
		safe   bool
	)
	cmd := &cobra.Command{
		Use:   "indicators",
		Short: "Indicators of tempo, spread and targets per period, with their uncertainty",
		Long: `Count the selected events per week, month, quarter or year: events, killed and
wounded (sums of low, best and high), lethality; countries and admin-1 units,
those entered for the first time (with the event that is the evidence), the
share outside the home area (--home), the centroid and its drift, the standard
distance and the event farthest from home; target shares and their Shannon
entropy. Trends are tested (quasi-Poisson regression and Mann–Kendall), level
shifts found by binary segmentation, spread measures given bootstrap
intervals, and warnings name what rests on few events or crosses a source's
coverage start. Every figure carries the ids of its events (JSON, CSV).

Compare with --vs-actor, --vs-from/--vs-to, or --vs-as-of (e.g. --as-of
2022-03-01 --vs-as-of now: what was known then against what is known now).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "table", "json", "csv"); err != nil {
				return err
			}
			if err := checkSpreadsheetSafe(safe, format); err != nil {
				return err
			}
			s, err := a.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer s.Close()
			sa, sb, err := fl.compute(cmd.Context(), s)
			if err != nil {
				return err
			}
			if sa.Ind.Total.Events == 0 || sb != nil && sb.Ind.Total.Events == 0 {
				a.noteUnknownActors(cmd.Context(), s, fl.ff.actor, fl.vsActor)
				a.noteUnknownUnits(splitList(fl.ff.admin1))
			}
			var cmp *analysis.Comparison
			if sb != nil {
				cmp = analysis.Compare(sa.Label, sa.Ind, sb.Label, sb.Ind)
			}
			switch format {
			case "json":
				out := indicatorsJSON{Selection: sa.Label, Indicators: sa.Ind, Comparison: cmp}
				if !sa.AsOf.IsZero() {
					out.AsOf = sa.AsOf.UTC().Format(time.RFC3339)
				}
				return writeJSON(a.stdout, out)
			case "csv":
				return writeIndicatorsCSV(a.stdout, sa.Ind, export.Options{SpreadsheetSafe: safe})
			}
			return writeIndicatorsTable(a.stdout, sa, cmp)
		},
	}
	fl.add(cmd)
	cmd.Flags().StringVar(&format, "format", "table", "output: table, json or csv")
	addSpreadsheetSafe(cmd, &safe)
	return cmd
}

func ids(l []int64) string {
	var b strings.Builder
	for i, id := range l {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strconv.FormatInt(id, 10))
	}
	return b.String()
}

func keys(es []analysis.Entry) string {
	var out []string
	for _, e := range es {
		out = append(out, e.Key)
	}
	return strings.Join(out, " ")
}

func fx1(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }
func fx3(v float64) string { return strconv.FormatFloat(v, 'f', 3, 64) }

// writeIndicatorsCSV writes one row per period, the event ids of each
// figure in space-separated columns; o.SpreadsheetSafe guards its text
// as every CSV writer of vigil does (export.SpreadsheetSafe).
func writeIndicatorsCSV(w io.Writer, ind *analysis.Indicators, o export.Options) error {
	cw := csv.NewWriter(w)
	write := func(row []string) {
		if o.SpreadsheetSafe {
			for i, c := range row {
				row[i] = export.SpreadsheetSafe(c)
			}
		}
		cw.Write(row)
	}
	write([]string{"period", "start", "end", "events", "killed_low", "killed_best", "killed_high", "killed_unknown",
		"wounded_low", "wounded_best", "wounded_high", "wounded_unknown", "lethality_best", "countries", "admin1_units", "new_admin1_units",
		"new_countries", "outside_home_share", "outside_home_low", "outside_home_high", "centroid_lat", "centroid_lon",
		"drift_km", "standard_distance_km", "farthest_km", "farthest_event", "target_entropy", "targets_known",
		"event_ids", "new_admin1_event_ids", "outside_home_event_ids"})
	for _, p := range append(ind.Periods, ind.Total) {
		var sh, shl, shh, clat, clon, drift, sd, far, farID string
		var outIDs []int64
		if s := p.OutsideHome; s != nil {
			sh, shl, shh, outIDs = fx3(s.Share), fx3(s.Low), fx3(s.High), s.EventIDs
		}
		if c := p.Centroid; c != nil {
			clat, clon = strconv.FormatFloat(c.Latitude, 'f', 4, 64), strconv.FormatFloat(c.Longitude, 'f', 4, 64)
			sd = fx1(p.StandardDistanceKm.Value)
		}
		if p.DriftKm != nil {
			drift = fx1(p.DriftKm.Value)
		}
		if p.Farthest != nil {
			far, farID = fx1(p.Farthest.Km), strconv.FormatInt(p.Farthest.EventID, 10)
		}
		var newIDs []int64
		for _, e := range p.NewAdmin1Units {
			newIDs = append(newIDs, e.EventID)
		}
		write([]string{p.Period, p.Start.String(), p.End.String(), strconv.Itoa(p.Events),
			strconv.Itoa(p.Killed.Low), strconv.Itoa(p.Killed.Best), strconv.Itoa(p.Killed.High), strconv.Itoa(p.Killed.Unknown),
			strconv.Itoa(p.Wounded.Low), strconv.Itoa(p.Wounded.Best), strconv.Itoa(p.Wounded.High), strconv.Itoa(p.Wounded.Unknown), fx3(p.Lethality.Best),
			strconv.Itoa(p.Countries), strconv.Itoa(p.Admin1Units), keys(p.NewAdmin1Units), keys(p.NewCountries),
			sh, shl, shh, clat, clon, drift, sd, far, farID, fx3(p.TargetEntropy), strconv.Itoa(p.TargetsKnown),
			ids(p.EventIDs), ids(newIDs), ids(outIDs)})
	}
	cw.Flush()
	return cw.Error()
}

// estimateText writes a figure and its bootstrap interval, rounded, and the
// figure alone when there is no interval to show: with --bootstrap 0, or
// a period of one event, low and high are the figure itself, and "23
// (23–23)" would read as a certainty that was never measured.
func estimateText(v, lo, hi float64, unit string) string {
	if lo == v && hi == v {
		return fmt.Sprintf("%.0f%s", v, unit)
	}
	return fmt.Sprintf("%.0f%s (%.0f–%.0f)", v, unit, lo, hi)
}

// writeIndicatorsTable writes the periods, trends, change points,
// comparison and warnings for people.
func writeIndicatorsTable(w io.Writer, sel *selection, cmp *analysis.Comparison) error {
	ind := sel.Ind
	fmt.Fprintf(w, "%s, by %s\n\n", sel.Label, ind.By)
	t := newTable(w, "PERIOD", "EVENTS", "KILLED best (low–high)", "WOUNDED", "KILLED/EVENT", "COUNTRIES", "ADMIN-1", "NEW ADMIN-1", "OUTSIDE HOME", "DRIFT km", "STD DIST km", "TARGET H")
	for _, p := range append(ind.Periods, ind.Total) {
		out, drift, sd := "", "", ""
		if s := p.OutsideHome; s != nil && s.Of > 0 {
			out = estimateText(100*s.Share, 100*s.Low, 100*s.High, "%")
		}
		if p.DriftKm != nil {
			drift = estimateText(p.DriftKm.Value, p.DriftKm.Low, p.DriftKm.High, "")
		}
		if p.StandardDistanceKm != nil {
			sd = estimateText(p.StandardDistanceKm.Value, p.StandardDistanceKm.Low, p.StandardDistanceKm.High, "")
		}
		ent := ""
		if p.TargetsKnown > 0 {
			ent = fmt.Sprintf("%.2f", p.TargetEntropy)
		}
		t.row(p.Period, strconv.Itoa(p.Events), sumText(p.Killed), sumText(p.Wounded), fmt.Sprintf("%.1f", p.Lethality.Best),
			strconv.Itoa(p.Countries), strconv.Itoa(p.Admin1Units), clip(keys(p.NewAdmin1Units), 40), out, drift, sd, ent)
	}
	if err := t.flush(); err != nil {
		return err
	}
	if len(ind.Trends) > 0 {
		fmt.Fprintln(w, "\nTrends")
		for _, tr := range ind.Trends {
			fmt.Fprintf(w, "  %-13s %s (quasi-Poisson p=%.3g, dispersion %.1f; Mann–Kendall tau %.2f, p=%.3g)\n", tr.Series, tr.Reading, tr.P, tr.Dispersion, tr.KendallTau, tr.KendallP)
		}
	}
	if len(ind.ChangePoints) > 0 {
		fmt.Fprintln(w, "\nChange points (binary segmentation)")
		for _, c := range ind.ChangePoints {
			fmt.Fprintf(w, "  %-13s from %s: %.1f a period (%s) → %.1f (%s); statistic %.1f > %.1f\n", c.Series, c.Period, c.MeanBefore, c.Before, c.MeanAfter, c.After, c.Statistic, c.Threshold)
		}
	}
	if cmp != nil {
		fmt.Fprintf(w, "\nComparison\n  A: %s — %d events in %d days\n  B: %s — %d events in %d days\n", cmp.A.Label, cmp.A.Total.Events, cmp.A.Days, cmp.B.Label, cmp.B.Total.Events, cmp.B.Days)
		if cmp.EventRate.OK {
			fmt.Fprintf(w, "  event rate B/A: %.2f (95%% %.2f–%.2f, p=%.3g)\n", cmp.EventRate.Ratio, cmp.EventRate.Low, cmp.EventRate.High, cmp.EventRate.P)
		}
		fmt.Fprintf(w, "  killed best: A %d, B %d\n  admin-1 units only in A: %s\n  admin-1 units only in B: %s\n", cmp.A.Total.Killed.Best, cmp.B.Total.Killed.Best, listOrNone(cmp.Admin1OnlyA), listOrNone(cmp.Admin1OnlyB))
		if cmp.CentroidShiftKm != nil {
			fmt.Fprintf(w, "  centroid shift: %.0f km\n", *cmp.CentroidShiftKm)
		}
	}
	if len(ind.Warnings) > 0 {
		fmt.Fprintln(w, "\nWarnings")
		for _, wn := range ind.Warnings {
			fmt.Fprintf(w, "  [%s] %s\n", wn.Kind, wn.Message)
			if len(wn.Periods) > 0 {
				fmt.Fprintf(w, "    %s\n", clip(strings.Join(wn.Periods, " "), 200))
			}
		}
	}
	return nil
}

func sumText(s analysis.Sum) string {
	if s.Known == 0 {
		if s.Unknown > 0 {
			return "?"
		}
		return "0"
	}
	txt := strconv.Itoa(s.Best)
	if s.Low != s.Best || s.High != s.Best {
		txt += fmt.Sprintf(" (%d–%d)", s.Low, s.High)
	}
	if s.Unknown > 0 {
		txt += fmt.Sprintf(" +%d?", s.Unknown)
	}
	return txt
}

// unitResolver gives admin-1 units one identity: the ISO 3166-2 code of
// the shipped boundaries where the unit is written as a name ("Nangarhar
// province" in UCDP, AF-NAN in a case file).
type unitResolver struct {
	g      *geo.Gazetteer
	codes  map[string]string // code → name
	byName map[string]string // country/folded name → code
	any    map[string]string // folded name → code, when one country has it
}

func newUnitResolver(g *geo.Gazetteer) *unitResolver {
	r := &unitResolver{g: g, codes: map[string]string{}, byName: map[string]string{}, any: map[string]string{}}
	for _, sh := range g.Admin1Shapes() {
		r.codes[sh.Key] = sh.Name
		n := foldUnit(sh.Name)
		r.byName[sh.Key[:2]+"/"+n] = sh.Key
		if _, dup := r.any[n]; dup {
			r.any[n] = ""
		} else {
			r.any[n] = sh.Key
		}
	}
	return r
}

// resolve returns the unit's code and name where the boundaries know it,
// else the unit as written.
func (r *unitResolver) resolve(country, admin1, name string) (string, string) {
	if admin1 == "" {
		return admin1, name
	}
	if n, ok := r.codes[strings.ToUpper(admin1)]; ok {
		return strings.ToUpper(admin1), n
	}
	for _, s := range []string{admin1, name} {
		if c := r.byName[country+"/"+foldUnit(s)]; c != "" {
			return c, r.codes[c]
		}
	}
	return admin1, name
}

// code resolves a --home entry, a code or a name, to a code; "" if the
// boundaries do not know it.
func (r *unitResolver) code(s string) string {
	s = strings.TrimSpace(s)
	if _, ok := r.codes[strings.ToUpper(s)]; ok {
		return strings.ToUpper(s)
	}
	return r.any[foldUnit(s)]
}

// listOrNone joins a list for a line of text, or says "none".
func listOrNone(l []string) string {
	if len(l) == 0 {
		return "none"
	}
	return strings.Join(l, ", ")
}
