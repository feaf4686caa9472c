package export

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/ingest/ucdp"
	"github.com/vigil-osint/vigil/internal/iso3166"
)

// UCDPColumns are the 49 columns of UCDP GED 23.1, in its order.
var UCDPColumns = strings.Fields(`id relid year active_year code_status type_of_violence
conflict_dset_id conflict_new_id conflict_name dyad_dset_id dyad_new_id dyad_name side_a_dset_id
side_a_new_id side_a side_b_dset_id side_b_new_id side_b number_of_sources source_article
source_office source_date source_headline source_original where_prec where_coordinates
where_description adm_1 adm_2 latitude longitude geom_wkt priogrid_gid country country_id region
event_clarity date_prec date_start date_end deaths_a deaths_b deaths_civilians deaths_unknown best
high low gwnoa gwnob`)

var ucdpIndex = func() map[string]int {
	m := make(map[string]int, len(UCDPColumns))
	for i, c := range UCDPColumns {
		m[c] = i
	}
	return m
}()

// ucdpWriter writes UCDP GED's columns.
//
// The columns come from the fused event: id is GED's own id for events
// imported from UCDP, else vigil's event id; type_of_violence is 3
// (one-sided) when the event has a perpetrator, a target or attackers
// killed (an attack: the reader gives side_a and side_b of a 3 those roles
// back, and deaths_a as the attackers killed), 1 (state-based)
// when a side is a government, else 2; side_a and side_b are the actors as
// the source wrote them, a side whose attribution is disputed written
// "X and/or Y"; best, low and high are killed; where_prec and date_prec are
// vigil's precisions (the same scales); priogrid_gid is computed from the
// coordinates. What the event does not know stays empty: latitude,
// longitude, geom_wkt and priogrid_gid of an event with no point,
// where_prec and date_prec of unknown precisions, country_id of a country
// with no Gleditsch-Ward number (country names it) or of none; vigil's
// reader reads those rows back as such. Where the event has a UCDP report
// (detail queries fill Event.Reports), GED's own values of the columns vigil
// does not model (relid, dyad ids, deaths_a, sources, …) are written back,
// and GED's own spelling of the place ("Nangarhar province") where it
// names the event's place, so that a GED file read into vigil and written
// out reads back the same.
type ucdpWriter struct {
	w      *csvOut
	rec    []string
	header bool
}

// NewUCDP returns a writer of UCDP-GED-like CSV.
func NewUCDP(w io.Writer) Writer { return newUCDP(w, Options{}) }

func newUCDP(w io.Writer, o Options) Writer {
	return &ucdpWriter{w: newCSVWriter(w, o), rec: make([]string, len(UCDPColumns))}
}

// Write writes one event as a row (a feature).
func (u *ucdpWriter) Write(e *vigil.Event) error {
	if !u.header {
		u.header = true
		if err := u.w.Write(UCDPColumns); err != nil {
			return fmt.Errorf("export: ucdp-csv: %w", err)
		}
	}
	r := u.rec
	for i := range r {
		r[i] = ""
	}
	set := func(col, v string) { r[ucdpIndex[col]] = v }
	var rep *vigil.Report
	if x := reportWith(e, "ucdp."); x != nil {
		rep = x
	}
	id, ok := strings.CutPrefix(e.Key, "ucdp-ged:")
	if !ok {
		id = strconv.FormatInt(e.ID, 10)
	}
	set("id", id)
	if !e.DateStart.IsZero() {
		set("year", strconv.Itoa(e.DateStart.Time().Year()))
	}
	sideA, _, sideB, _ := sides(e, func(a vigil.ReportActor) string { return firstNonEmpty(a.AsWritten, a.Name) })
	tov := "2"
	hasPerp, hasTarget := false, false
	for _, a := range e.Actors {
		hasPerp = hasPerp || a.Role == vigil.RolePerpetrator
		hasTarget = hasTarget || a.Role == vigil.RoleTarget
		if strings.HasPrefix(a.ActorID, "gov-") || strings.HasPrefix(firstNonEmpty(a.AsWritten, a.Name), "Government of") {
			tov = "1"
		}
	}
	if hasPerp || hasTarget || e.AttackersKilled.Known {
		tov = "3"
	}
	set("type_of_violence", tov)
	set("side_a", sideA)
	set("side_b", sideB)
	set("dyad_name", strings.Trim(sideA+" - "+sideB, " -"))
	set("conflict_name", strings.Trim(sideA+" - "+sideB, " -"))
	set("number_of_sources", strconv.Itoa(len(e.Sources)))
	if e.Precision != 0 {
		set("where_prec", strconv.Itoa(int(e.Precision)))
	}
	set("where_coordinates", e.Name)
	set("adm_1", firstNonEmpty(e.Admin1Name, e.Admin1))
	set("adm_2", e.Admin2)
	if p, ok := e.Point(); ok {
		set("latitude", strconv.FormatFloat(p.Lat, 'f', -1, 64))
		set("longitude", strconv.FormatFloat(p.Lon, 'f', -1, 64))
		set("geom_wkt", "POINT ("+strconv.FormatFloat(p.Lon, 'f', -1, 64)+" "+strconv.FormatFloat(p.Lat, 'f', -1, 64)+")")
		set("priogrid_gid", strconv.Itoa(PRIOGrid(p.Lat, p.Lon)))
	}
	gw := ucdp.CountryGWNO(e.Country)
	if name := gedCountry[gw]; name != "" {
		set("country", name)
	} else if c := iso3166.ByAlpha2(e.Country); c != nil {
		set("country", c.Name)
	}
	if gw != 0 {
		set("country_id", strconv.Itoa(gw))
	}
	set("event_clarity", "1")
	if e.DatePrecision != 0 {
		set("date_prec", strconv.Itoa(int(e.DatePrecision)))
	}
	set("date_start", e.DateStart.String())
	end := e.DateEnd
	if end.IsZero() {
		end = e.DateStart
	}
	set("date_end", end.String())
	set("best", num(e.Killed.Best))
	set("low", num(e.Killed.Low))
	set("high", num(e.Killed.High))
	if tov == "3" && e.AttackersKilled.Known {
		set("deaths_a", strconv.Itoa(e.AttackersKilled.N))
	}
	if rep != nil {
		for col, i := range ucdpIndex {
			if v, ok := rep.Attrs["ucdp."+col]; ok {
				r[i] = v
			}
		}
		// The place's names are the fused event's; GED's spelling is kept
		// where it reads back as the event's name (the event's place may
		// come from another report).
		if rep.Attrs["ucdp.where_coordinates"] != e.Name {
			set("where_coordinates", e.Name)
		}
		for _, c := range []struct{ col, want string }{
			{"adm_1", firstNonEmpty(e.Admin1Name, e.Admin1)}, {"adm_2", e.Admin2},
		} {
			if ucdp.UnitName(rep.Attrs["ucdp."+c.col]) != c.want {
				set(c.col, c.want)
			}
		}
		if rep.KilledCivilians.Known {
			set("deaths_civilians", strconv.Itoa(rep.KilledCivilians.N))
		}
		set("source_article", "")
		for i := range e.Reports {
			if _, ok := e.Reports[i].Report.Attrs["ucdp.relid"]; ok && &e.Reports[i].Report == rep {
				set("source_article", e.Reports[i].Document.Text)
			}
		}
	}
	if err := u.w.Write(r); err != nil {
		return fmt.Errorf("export: ucdp-csv: %w", err)
	}
	return nil
}

// Close writes what an empty export still needs and flushes.
func (u *ucdpWriter) Close() error {
	if !u.header {
		u.header = true
		u.w.Write(UCDPColumns)
	}
	u.w.Flush()
	if err := u.w.Error(); err != nil {
		return fmt.Errorf("export: ucdp-csv: %w", err)
	}
	return nil
}

// gedCountry holds GED's own country names where they differ from the
// common English name, by Gleditsch and Ward number (GED 23.1).
var gedCountry = map[int]string{
	2: "United States of America", 343: "Macedonia, FYR", 345: "Serbia (Yugoslavia)", 346: "Bosnia-Herzegovina",
	365: "Russia (Soviet Union)", 437: "Ivory Coast", 490: "DR Congo (Zaire)", 572: "Kingdom of eSwatini (Swaziland)",
	640: "Turkey", 678: "Yemen (North Yemen)", 775: "Myanmar (Burma)", 811: "Cambodia (Kampuchea)",
}

// PRIOGrid returns the PRIO-GRID cell id of a point: cells of half a
// degree, numbered from 1 row by row from (-90, -180).
func PRIOGrid(lat, lon float64) int {
	row := int(math.Floor((lat + 90) / 0.5))
	col := int(math.Floor((lon+180)/0.5)) + 1
	row = min(max(row, 0), 359)
	col = min(max(col, 1), 720)
	return row*720 + col
}
