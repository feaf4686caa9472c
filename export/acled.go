package export

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/ingest/acled"
	"github.com/vigil-osint/vigil/internal/iso3166"
)

// acledWriter writes ACLED's 31 export columns.
//
// The columns come from the fused event: event_id_cnty is ACLED's own id
// for events imported from ACLED, else the country's alpha-3 code, "V" and
// vigil's event id; actor1 is the perpetrator (or the first side), written
// "X and/or Y" when the attribution is disputed between them; actor2 the
// target (or the other side); fatalities the low bound of killed (ACLED's
// figure is the most conservative), else the best estimate, empty when
// unknown; the precisions map back onto ACLED's 1–3. Where the event has an
// ACLED report (detail queries fill Event.Reports), ACLED's own values of
// the columns vigil does not model (inter1, interaction, source, tags, …)
// are written back.
type acledWriter struct {
	w      *csvOut
	rec    []string
	header bool
}

// NewACLED returns a writer of ACLED-like CSV.
func NewACLED(w io.Writer) Writer { return newACLED(w, Options{}) }

func newACLED(w io.Writer, o Options) Writer {
	return &acledWriter{w: newCSVWriter(w, o), rec: make([]string, len(acled.Columns))}
}

var acledIndex = func() map[string]int {
	m := make(map[string]int, len(acled.Columns))
	for i, c := range acled.Columns {
		m[c] = i
	}
	return m
}()

// acledCountry holds ACLED's country names where they differ from the
// common English name.
var acledCountry = map[string]string{
	"CD": "Democratic Republic of Congo", "CG": "Republic of Congo", "RU": "Russia", "TR": "Turkey",
	"PS": "Palestine", "CI": "Ivory Coast", "SZ": "eSwatini", "CZ": "Czech Republic",
}

var disorder = map[vigil.EventType]string{
	vigil.EventBattles: "Political violence", vigil.EventExplosions: "Political violence",
	vigil.EventViolenceCivilians: "Political violence", vigil.EventProtests: "Demonstrations",
	vigil.EventRiots: "Demonstrations", vigil.EventStrategic: "Strategic developments",
}

// Write writes one event as a row (a feature).
func (a *acledWriter) Write(e *vigil.Event) error {
	if !a.header {
		a.header = true
		if err := a.w.Write(acled.Columns); err != nil {
			return fmt.Errorf("export: acled-csv: %w", err)
		}
	}
	var attrs map[string]string
	var notes []string
	if r := reportWith(e, "acled."); r != nil {
		attrs = r.Attrs
	}
	for i := range e.Reports {
		if s := e.Reports[i].Report.Summary; s != "" {
			notes = append(notes, s)
		}
	}
	c := iso3166.ByAlpha2(e.Country)
	id, ok := strings.CutPrefix(e.Key, "acled:")
	if !ok {
		prefix := "XXX"
		if c != nil {
			prefix = c.Alpha3
		}
		id = prefix + "V" + strconv.FormatInt(e.ID, 10)
	}
	actor1, assoc1, actor2, assoc2 := sides(e, writtenName)
	r := a.rec
	for i := range r {
		r[i] = ""
	}
	set := func(col, v string) { r[acledIndex[col]] = v }
	set("event_id_cnty", id)
	set("event_date", e.DateStart.String())
	if !e.DateStart.IsZero() {
		set("year", strconv.Itoa(e.DateStart.Time().Year()))
	}
	switch {
	case e.DatePrecision == vigil.DateDay:
		set("time_precision", "1")
	case e.DatePrecision == vigil.DateDays || e.DatePrecision == vigil.DateWeek:
		set("time_precision", "2")
	case e.DatePrecision >= vigil.DateMonth:
		set("time_precision", "3")
	}
	set("disorder_type", disorder[e.EventType])
	set("event_type", string(e.EventType))
	set("sub_event_type", string(e.SubEventType))
	set("actor1", actor1)
	set("assoc_actor_1", assoc1)
	set("actor2", actor2)
	set("assoc_actor_2", assoc2)
	for _, t := range e.Actors {
		if t.Role == vigil.RoleTarget && (t.ActorID == "civilians" || strings.HasPrefix(t.Name, "Civilians")) {
			set("civilian_targeting", "Civilian targeting")
			set("inter2", "Civilians")
		}
	}
	if c != nil {
		set("iso", strconv.Itoa(c.Numeric))
		set("country", firstNonEmpty(acledCountry[c.Alpha2], c.Name))
	}
	set("admin1", firstNonEmpty(e.Admin1Name, e.Admin1))
	set("admin2", e.Admin2)
	set("location", e.Name)
	set("latitude", coord(e.Latitude))
	set("longitude", coord(e.Longitude))
	switch {
	case e.Precision == vigil.LocationExact:
		set("geo_precision", "1")
	case e.Precision == vigil.LocationNear:
		set("geo_precision", "2")
	case e.Precision > vigil.LocationNear:
		set("geo_precision", "3")
	}
	srcs := make([]string, len(e.Sources))
	for i, s := range e.Sources {
		srcs[i] = s.Name
	}
	set("source", strings.Join(srcs, "; "))
	set("notes", strings.Join(notes, " | "))
	if e.Killed.Low.Known {
		set("fatalities", strconv.Itoa(e.Killed.Low.N))
	} else {
		set("fatalities", num(e.Killed.Best))
	}
	if !e.UpdatedAt.IsZero() {
		set("timestamp", strconv.FormatInt(e.UpdatedAt.Unix(), 10))
	}
	// ACLED's own values where vigil kept them.
	for i, col := range acled.Columns {
		if v, ok := attrs["acled."+col]; ok {
			switch col {
			case "disorder_type", "inter1", "inter2", "interaction", "civilian_targeting", "region",
				"admin3", "source", "source_scale", "tags", "timestamp":
				r[i] = v
			}
		}
	}
	if err := a.w.Write(r); err != nil {
		return fmt.Errorf("export: acled-csv: %w", err)
	}
	return nil
}

// Close writes what an empty export still needs and flushes.
func (a *acledWriter) Close() error {
	if !a.header {
		a.header = true
		a.w.Write(acled.Columns)
	}
	a.w.Flush()
	if err := a.w.Error(); err != nil {
		return fmt.Errorf("export: acled-csv: %w", err)
	}
	return nil
}

// sides splits an event's actors into the two sides of a dataset row: the
// side labels a dataset gave them where it did ("actor1", "side_a"); the
// actors no label places (all of them, or those that reports of another
// kind add to a fused event) go by their role, perpetrators against
// targets, and the other parties fill an empty side, else join the second
// side's associated actors. Disputed perpetrators are joined "X and/or Y";
// the others of a side are its associated actors. An actor is written once.
func sides(e *vigil.Event, name func(vigil.ReportActor) string) (actor1, assoc1, actor2, assoc2 string) {
	var one, two, oneAssoc, twoAssoc, rest []vigil.ReportActor
	for _, a := range e.Actors {
		switch a.Side {
		case "actor1", "side_a":
			one = append(one, a)
		case "actor2", "side_b":
			two = append(two, a)
		case "assoc_actor_1":
			oneAssoc = append(oneAssoc, a)
		case "assoc_actor_2":
			twoAssoc = append(twoAssoc, a)
		default:
			rest = append(rest, a)
		}
	}
	placed := map[string]bool{}
	for _, list := range [][]vigil.ReportActor{one, two, oneAssoc, twoAssoc} {
		for _, a := range list {
			placed[name(a)] = true
		}
	}
	var parties []vigil.ReportActor
	for _, a := range rest {
		if placed[name(a)] {
			continue
		}
		placed[name(a)] = true
		switch a.Role {
		case vigil.RolePerpetrator:
			one = append(one, a)
		case vigil.RoleTarget:
			two = append(two, a)
		default:
			parties = append(parties, a)
		}
	}
	for _, p := range parties {
		if len(one) == 0 {
			one = append(one, p)
		} else if len(two) == 0 {
			two = append(two, p)
		} else {
			twoAssoc = append(twoAssoc, p)
		}
	}
	head := func(list []vigil.ReportActor, assoc []vigil.ReportActor) (string, string) {
		var main, rest []string
		disputed := 0
		for _, a := range list {
			if a.Attribution == vigil.AttributionDisputed {
				disputed++
			}
		}
		for i, a := range list {
			switch {
			case i == 0, disputed > 1 && a.Attribution == vigil.AttributionDisputed:
				main = append(main, name(a))
			default:
				rest = append(rest, name(a))
			}
		}
		for _, a := range assoc {
			rest = append(rest, name(a))
		}
		return strings.Join(main, " and/or "), strings.Join(rest, "; ")
	}
	actor1, assoc1 = head(one, oneAssoc)
	actor2, assoc2 = head(two, twoAssoc)
	return actor1, assoc1, actor2, assoc2
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
