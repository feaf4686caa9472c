package export

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/ingest"
	"github.com/vigil-osint/vigil/ingest/acled"
	"github.com/vigil-osint/vigil/ingest/ucdp"
)

// readBack reads every row of r as a report, failing on a rejection, and
// returns the reports and the warnings in row order.
func readBack(t *testing.T, r ingest.Reader) ([]vigil.Report, []string) {
	t.Helper()
	var reps []vigil.Report
	var warns []string
	for {
		it, err := r.Next()
		if err == io.EOF {
			return reps, warns
		}
		var re *vigil.RowError
		if errors.As(err, &re) {
			t.Fatalf("rejected: %v", re)
		}
		if err != nil {
			t.Fatal(err)
		}
		reps = append(reps, it.Reports...)
		for _, w := range it.Warnings {
			warns = append(warns, w.Reason)
		}
	}
}

// unknownEvents are events of what the datasets never leave unknown: no
// point, no precision, no country, no ACLED event type, no actor; an attack
// by a perpetrator alone, with attackers killed; an attribution disputed
// between two groups; a province and a district named with their unit word
// capitalised, as a gazetteer writes them.
func unknownEvents() []*vigil.Event {
	lat, lon := 25.3, 60.6
	gazaLat, gazaLon := 31.5, 34.47
	return []*vigil.Event{
		{ID: 1, DateStart: vigil.MustDate("2024-05-07"), DateEnd: vigil.MustDate("2024-05-07"),
			Killed: vigil.Range{Low: vigil.N(3), Best: vigil.N(3), High: vigil.N(3)}},
		{ID: 2, DateStart: vigil.MustDate("2022-09-01"), DateEnd: vigil.MustDate("2022-09-30"), DatePrecision: vigil.DateMonth,
			Place:  vigil.Place{Name: "Khar, Bajaur", Precision: vigil.LocationAdmin2, Country: "PK", Admin1Name: "Khyber Pakhtunkhwa", Admin2: "Bajaur"},
			Killed: vigil.Range{Best: vigil.N(12)}, AttackersKilled: vigil.N(2),
			Actors: []vigil.ReportActor{{ActorID: "iskp", Name: "Islamic State Khorasan Province", AsWritten: "ISKP", Role: vigil.RolePerpetrator, Attribution: vigil.AttributionClaimed}}},
		{ID: 3, DateStart: vigil.MustDate("2017-02-16"), DateEnd: vigil.MustDate("2017-02-16"), DatePrecision: vigil.DateDay,
			Place:     vigil.Place{Name: "Sehwan, Pakistan", Latitude: &lat, Longitude: &lon, Precision: vigil.LocationExact, Country: "PK", Admin1Name: "Sindh", Admin2: "Jamshoro District"},
			EventType: vigil.EventExplosions, Killed: vigil.Range{Low: vigil.N(70), Best: vigil.N(88), High: vigil.N(91)},
			Actors: []vigil.ReportActor{
				{ActorID: "ttp", Name: "Tehrik-i-Taliban Pakistan", AsWritten: "Tehrik-i-Taliban Pakistan", Role: vigil.RolePerpetrator, Attribution: vigil.AttributionDisputed},
				{ActorID: "lej", Name: "Lashkar-e-Jhangvi", AsWritten: "Lashkar-e-Jhangvi", Role: vigil.RolePerpetrator, Attribution: vigil.AttributionDisputed}}},
		{ID: 4, DateStart: vigil.MustDate("2024-03-22"), DateEnd: vigil.MustDate("2024-03-22"), DatePrecision: vigil.DateDay,
			Place:  vigil.Place{Name: "Krasnogorsk", Precision: vigil.LocationNear, Country: "RU", Admin1Name: "Moscow Oblast"},
			Killed: vigil.Range{Best: vigil.N(145)}},
		// A country with no Gleditsch-Ward number: GED's country_id stays
		// empty and country names it.
		{ID: 5, DateStart: vigil.MustDate("2023-10-09"), DateEnd: vigil.MustDate("2023-10-09"), DatePrecision: vigil.DateDay,
			Place:     vigil.Place{Name: "Gaza", Latitude: &gazaLat, Longitude: &gazaLon, Precision: vigil.LocationExact, Country: "PS"},
			EventType: vigil.EventExplosions, Killed: vigil.Range{Best: vigil.N(4)},
			Actors: []vigil.ReportActor{{Name: "Unidentified Armed Group", AsWritten: "Unidentified Armed Group", Role: vigil.RolePerpetrator, Attribution: vigil.AttributionUnknown}}},
	}
}

// TestUCDPUnknownsReadBack: a UCDP-like export of events with unknowns is
// read back by import ucdp with every row, a warning for each unknown GED
// never leaves, and the events' values.
func TestUCDPUnknownsReadBack(t *testing.T) {
	evs := unknownEvents()
	var b bytes.Buffer
	write(t, NewUCDP(&b), evs)
	r, err := ucdp.NewReader(bytes.NewReader(b.Bytes()), "u.csv", "", dict(t))
	if err != nil {
		t.Fatal(err)
	}
	reps, warns := readBack(t, r)
	if len(reps) != len(evs) {
		t.Fatalf("read %d reports, want %d", len(reps), len(evs))
	}
	wantWarns := []string{
		"u.csv:2: date_prec: empty: date precision unknown",
		"u.csv:2: latitude: latitude and longitude empty: a report with no point",
		"u.csv:2: where_prec: empty: location precision unknown",
		"u.csv:2: country_id: country_id and country empty: a report of no country",
		"u.csv:3: latitude: latitude and longitude empty: a report with no point",
		"u.csv:5: latitude: latitude and longitude empty: a report with no point",
	}
	if !slices.Equal(warns, wantWarns) {
		t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(warns, "\n"), strings.Join(wantWarns, "\n"))
	}
	for i, e := range evs {
		got := reps[i]
		if got.Key != fmt.Sprintf("ged:%d", e.ID) {
			t.Errorf("key %s", got.Key)
		}
		if got.DateStart != e.DateStart || got.DateEnd != e.DateEnd || got.DatePrecision != e.DatePrecision {
			t.Errorf("event %d: dates %s–%s (%d), want %s–%s (%d)", e.ID, got.DateStart, got.DateEnd, got.DatePrecision, e.DateStart, e.DateEnd, e.DatePrecision)
		}
		gp, _ := got.Point()
		ep, _ := e.Point()
		if gp != ep || got.Name != e.Name || got.Precision != e.Precision || got.Country != e.Country || got.Admin1Name != e.Admin1Name || got.Admin2 != e.Admin2 {
			t.Errorf("event %d: place %+v, want %+v", e.ID, got.Place, e.Place)
		}
		if got.Killed.Low != e.Killed.Low || got.Killed.Best != e.Killed.Best || got.Killed.High != e.Killed.High || got.AttackersKilled != e.AttackersKilled {
			t.Errorf("event %d: killed %+v (attackers %+v), want %+v (attackers %+v)", e.ID, got.Killed, got.AttackersKilled, e.Killed, e.AttackersKilled)
		}
		var ga, ea []string
		for _, a := range got.Actors {
			ga = append(ga, a.ActorID+" "+string(a.Role))
		}
		for _, a := range e.Actors {
			ea = append(ea, a.ActorID+" "+string(a.Role))
		}
		if !slices.Equal(ga, ea) {
			t.Errorf("event %d: actors %v, want %v", e.ID, ga, ea)
		}
	}
	if a := reps[2].Actors; len(a) != 2 || a[0].Attribution != vigil.AttributionDisputed || a[1].Attribution != vigil.AttributionDisputed {
		t.Errorf("the disputed attribution did not come back: %+v", a)
	}
}

// TestACLEDUnknownsReadBack: an ACLED-like export of the same events is
// read back by import acled with every row and a warning for each unknown
// ACLED never leaves.
func TestACLEDUnknownsReadBack(t *testing.T) {
	evs := unknownEvents()
	var b bytes.Buffer
	write(t, NewACLED(&b), evs)
	r, err := acled.NewReader(bytes.NewReader(b.Bytes()), "a.csv", dict(t))
	if err != nil {
		t.Fatal(err)
	}
	reps, warns := readBack(t, r)
	if len(reps) != len(evs) {
		t.Fatalf("read %d reports, want %d", len(reps), len(evs))
	}
	wantWarns := []string{
		"a.csv:2: time_precision: empty: date precision unknown",
		"a.csv:2: event_type: empty: an event of no ACLED event type",
		"a.csv:2: country: empty: an event of no country",
		"a.csv:2: latitude: latitude and longitude empty: a report with no point",
		"a.csv:2: actor1: empty: an event of no named actor1",
		"a.csv:3: event_type: empty: an event of no ACLED event type",
		"a.csv:3: latitude: latitude and longitude empty: a report with no point",
		"a.csv:5: event_type: empty: an event of no ACLED event type",
		"a.csv:5: latitude: latitude and longitude empty: a report with no point",
		"a.csv:5: actor1: empty: an event of no named actor1",
	}
	if !slices.Equal(warns, wantWarns) {
		t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(warns, "\n"), strings.Join(wantWarns, "\n"))
	}
	for i, e := range evs {
		got := reps[i]
		if got.DateStart != e.DateStart || got.EventType != e.EventType || got.Country != e.Country || got.Name != e.Name || got.Admin1Name != e.Admin1Name || got.Admin2 != e.Admin2 {
			t.Errorf("event %d: %s %q %s %+v, want %s %q %s %+v", e.ID, got.DateStart, got.EventType, got.Country, got.Place, e.DateStart, e.EventType, e.Country, e.Place)
		}
		if len(got.Actors) != len(e.Actors) {
			t.Errorf("event %d: actors %+v, want %+v", e.ID, got.Actors, e.Actors)
		}
	}
	if p := reps[0].DatePrecision; p != 0 {
		t.Errorf("date precision %d, want unknown", p)
	}
	if reps[3].Precision != vigil.LocationNear || reps[1].Precision != vigil.LocationAdmin1 {
		t.Errorf("precisions %d, %d, want 2 and 4 (ACLED's 3 for a district)", reps[3].Precision, reps[1].Precision)
	}
}

// TestUCDPWritesTheEventsPlace: an event fused from a GED row and another
// report whose place it took is written with the event's place, not the
// GED row's; where the GED row names the event's place, GED's own spelling
// ("Nangarhar province") is written, so that the row's content is unchanged.
func TestUCDPWritesTheEventsPlace(t *testing.T) {
	f, err := os.Open("../testdata/ucdp/ucdp_ged231_sample.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := ucdp.NewReader(f, "ged231.csv", "23.1", dict(t))
	if err != nil {
		t.Fatal(err)
	}
	var ev *vigil.Event
	for _, e := range events(t, r) {
		if e.Key == "ucdp-ged:251043" {
			ev = e
		}
	}
	if ev == nil {
		t.Fatal("no GED row 251043")
	}
	same := *ev
	moved := *ev
	moved.Place = vigil.Place{Name: "Jalalabad city", Latitude: ev.Latitude, Longitude: ev.Longitude, Precision: vigil.LocationExact, Country: "AF", Admin1: "AF-NAN", Admin1Name: "Ningarhar", Admin2: "Jalalabad"}
	var b bytes.Buffer
	write(t, NewUCDP(&b), []*vigil.Event{&same, &moved})
	r2, err := ucdp.NewReader(bytes.NewReader(b.Bytes()), "u.csv", "23.1", dict(t))
	if err != nil {
		t.Fatal(err)
	}
	reps, _ := readBack(t, r2)
	if got := reps[0]; got.Name != "Bati Kot district" || got.Admin1Name != "Nangarhar" || got.Admin2 != "Bati Kot" || got.Attrs["ucdp.adm_1"] != "Nangarhar province" || got.Attrs["ucdp.adm_2"] != "Bati Kot district" {
		t.Errorf("the GED row's place: %+v %v", got.Place, got.Attrs)
	}
	if got := reps[1]; got.Name != "Jalalabad city" || got.Admin1Name != "Ningarhar" || got.Admin2 != "Jalalabad" || got.Precision != vigil.LocationExact {
		t.Errorf("the event's place: %+v, want %+v", got.Place, moved.Place)
	}
}
