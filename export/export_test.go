package export

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/actors"
	"github.com/vigil-osint/vigil/ingest"
	"github.com/vigil-osint/vigil/ingest/acled"
	"github.com/vigil-osint/vigil/ingest/ucdp"
)

func dict(t testing.TB) *actors.Dictionary {
	t.Helper()
	d, err := actors.Default()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// events reads every item of r and makes one event of each, as a store
// does for a dataset (one row, one event), with the detail (Reports) filled.
func events(t testing.TB, r ingest.Reader) []*vigil.Event {
	t.Helper()
	var out []*vigil.Event
	var src vigil.Source
	var id int64
	for {
		it, err := r.Next()
		if err == io.EOF {
			return out
		}
		var re *vigil.RowError
		if errors.As(err, &re) {
			t.Fatalf("rejected: %v", re)
		}
		if err != nil {
			t.Fatal(err)
		}
		if it.Source != nil {
			src = *it.Source
		}
		for _, rep := range it.Reports {
			id++
			rep.ID = id
			sr := vigil.SourcedReport{Report: rep, Document: it.Document, Source: src}
			e := vigil.Fuse(rep.EventKey, []vigil.SourcedReport{sr}, nil)
			e.ID = id
			e.Reports = []vigil.SourcedReport{sr}
			out = append(out, &e)
		}
	}
}

func write(t testing.TB, w Writer, evs []*vigil.Event) {
	t.Helper()
	for _, e := range evs {
		if err := w.Write(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

// clean drops what a store assigns, to compare the values.
func clean(e *vigil.Event) vigil.Event {
	c := *e
	c.ID, c.ReportIDs, c.Basis, c.Reports, c.RecordedAt, c.UpdatedAt = 0, nil, nil, nil, time.Time{}, time.Time{}
	return c
}

func cleanReport(r vigil.Report) vigil.Report {
	r.ID, r.DocumentID, r.EventID, r.RecordedAt = 0, 0, 0, time.Time{}
	return r
}

// TestUCDPRoundTrip reads the real UCDP GED sample, writes it as
// UCDP-like CSV and reads that back: every report and every fused event
// has the same values.
func TestUCDPRoundTrip(t *testing.T) {
	f, err := os.Open("../testdata/ucdp/ucdp_ged231_sample.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d := dict(t)
	r, err := ucdp.NewReader(f, "ged231.csv", "23.1", d)
	if err != nil {
		t.Fatal(err)
	}
	orig := events(t, r)
	if len(orig) != 905 {
		t.Fatalf("read %d events, want 905", len(orig))
	}
	var b bytes.Buffer
	write(t, NewUCDP(&b), orig)
	r2, err := ucdp.NewReader(bytes.NewReader(b.Bytes()), "export.csv", "23.1", d)
	if err != nil {
		t.Fatal(err)
	}
	back := events(t, r2)
	if len(back) != len(orig) {
		t.Fatalf("read back %d events, want %d", len(back), len(orig))
	}
	diffs := 0
	for i := range orig {
		a, b := clean(orig[i]), clean(back[i])
		if !reflect.DeepEqual(a, b) {
			diffs++
			if diffs <= 3 {
				t.Errorf("event %s:\n got %+v\nwant %+v", orig[i].Key, b, a)
			}
		}
		ra, rb := cleanReport(orig[i].Reports[0].Report), cleanReport(back[i].Reports[0].Report)
		if !reflect.DeepEqual(ra, rb) {
			diffs++
			if diffs <= 3 {
				t.Errorf("report %s:\n got %+v\nwant %+v", ra.Key, rb, ra)
			}
		}
		if da, db := orig[i].Reports[0].Document.Text, back[i].Reports[0].Document.Text; da != db {
			t.Errorf("document %s: source_article %q, want %q", ra.Key, db, da)
		}
	}
	if diffs > 0 {
		t.Errorf("%d differences", diffs)
	}
}

// A UCDP-like file made from an event without a UCDP report still reads
// as GED.
func TestUCDPFromOtherSources(t *testing.T) {
	lat, lon := 34.43, 70.45
	e := &vigil.Event{ID: 7, DateStart: vigil.MustDate("2023-01-15"), DateEnd: vigil.MustDate("2023-01-15"), DatePrecision: 1,
		Place:     vigil.Place{Name: "Jalalabad", Latitude: &lat, Longitude: &lon, Precision: 2, Country: "AF", Admin1: "AF-NAN", Admin1Name: "Nangarhar"},
		EventType: vigil.EventExplosions, Killed: vigil.Range{Low: vigil.N(3), Best: vigil.N(5), High: vigil.N(9)},
		Actors: []vigil.ReportActor{{ActorID: "iskp", Name: "Islamic State Khorasan Province", Role: vigil.RolePerpetrator, Attribution: vigil.AttributionClaimed},
			{ActorID: "civilians", Name: "Civilians", Role: vigil.RoleTarget, Attribution: vigil.AttributionAttributed}}}
	var b bytes.Buffer
	write(t, NewUCDP(&b), []*vigil.Event{e})
	data := b.String()
	r, err := ucdp.NewReader(strings.NewReader(data), "x.csv", "", dict(t))
	if err != nil {
		t.Fatal(err)
	}
	got := events(t, r)[0]
	if got.Killed != e.Killed || got.Country != "AF" || got.Actors[0].ActorID != "iskp" || got.Precision != 2 || got.Key != "ucdp-ged:7" {
		t.Errorf("got %+v", got)
	}
	if cell := strings.Split(strings.Split(data, "\n")[1], ","); cell[ucdpIndex["priogrid_gid"]] != "179061" {
		t.Errorf("priogrid %s", cell[ucdpIndex["priogrid_gid"]])
	}
}

func TestPRIOGrid(t *testing.T) {
	tests := []struct {
		name     string
		lat, lon float64
		want     int
	}{
		{"GED sample row", 35.763369, 36.558974, 181154},
		{"south-west corner", -89.9, -179.9, 1},
		{"north-east corner", 89.9, 179.9, 259200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PRIOGrid(tt.lat, tt.lon); got != tt.want {
				t.Errorf("got %d, want %d", got, tt.want)
			}
		})
	}
}

const acledFile = "\ufeffevent_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp\n" +
	"AFG51234,2021-08-26,2021,1,Political violence,Explosions/Remote violence,Suicide bomb,Islamic State Khorasan Province (ISKP),,Rebel group,Civilians (Afghanistan),Military Forces of the United States; Taliban,Civilians,Rebel group-Civilians,Civilian targeting,4,Caucasus and Central Asia,Afghanistan,Kabul,Kabul,Kabul,Kabul - Airport,34.5659,69.212,1,Pajhwok; Tolo News,National,\"On 26 August 2021, a suicide bomber attacked the \"\"Abbey Gate\"\".\",170,,1630000000\n" +
	"AFG51235,2021-09-02,2021,2,Political violence,Battles,Armed clash,Taliban and/or Islamic State Khorasan Province (ISKP),,Rebel group,National Resistance Front,,Rebel group,Rebel group-Rebel group,,4,Caucasus and Central Asia,Afghanistan,Panjshir,Bazarak,,Bazarak,35.3129,69.5152,2,Tolo News,National,Clashes.,12,,1630500000\n"

// TestACLEDRoundTrip writes ACLED-like CSV from ACLED events and reads it
// back as ACLED: the same reports.
func TestACLEDRoundTrip(t *testing.T) {
	d := dict(t)
	r, err := acled.NewReader(strings.NewReader(acledFile), "acled.csv", d)
	if err != nil {
		t.Fatal(err)
	}
	orig := events(t, r)
	var b bytes.Buffer
	write(t, NewACLED(&b), orig)
	r2, err := acled.NewReader(bytes.NewReader(b.Bytes()), "export.csv", d)
	if err != nil {
		t.Fatal(err)
	}
	back := events(t, r2)
	if len(back) != 2 {
		t.Fatalf("read back %d events", len(back))
	}
	for i := range orig {
		ra, rb := cleanReport(orig[i].Reports[0].Report), cleanReport(back[i].Reports[0].Report)
		if !reflect.DeepEqual(ra, rb) {
			t.Errorf("report %s:\n got %+v\nwant %+v", ra.Key, rb, ra)
		}
		if ha, hb := orig[i].Reports[0].Document.ContentHash, back[i].Reports[0].Document.ContentHash; ha != hb {
			t.Errorf("report %s: content hash changed: re-importing the export would update it", ra.Key)
		}
	}
}

func TestACLEDFromOtherSources(t *testing.T) {
	e := &vigil.Event{ID: 9, DateStart: vigil.MustDate("2016-11-12"), DatePrecision: 3, Place: vigil.Place{Country: "PK", Admin1Name: "Balochistan", Precision: 4},
		EventType: vigil.EventExplosions, Killed: vigil.Range{Best: vigil.N(52), High: vigil.N(60)},
		Actors: []vigil.ReportActor{
			{ActorID: "iskp", Name: "Islamic State Khorasan Province", Role: vigil.RolePerpetrator, Attribution: vigil.AttributionDisputed},
			{ActorID: "lej", Name: "Lashkar-e-Jhangvi", Role: vigil.RolePerpetrator, Attribution: vigil.AttributionDisputed},
			{Name: "Civilians", ActorID: "civilians", Role: vigil.RoleTarget, Attribution: vigil.AttributionAttributed}},
		Sources: []vigil.EventSource{{Name: "Dawn"}, {Name: "Amaq"}}}
	var b bytes.Buffer
	write(t, NewACLED(&b), []*vigil.Event{e})
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	row := map[string]string{}
	for i, c := range recs[0] {
		row[c] = recs[1][i]
	}
	want := map[string]string{
		"event_id_cnty": "PAKV9", "event_date": "2016-11-12", "year": "2016", "time_precision": "2",
		"actor1": "Islamic State Khorasan Province and/or Lashkar-e-Jhangvi", "actor2": "Civilians",
		"iso": "586", "country": "Pakistan", "admin1": "Balochistan", "geo_precision": "3", "fatalities": "52",
		"source": "Dawn; Amaq", "civilian_targeting": "Civilian targeting", "disorder_type": "Political violence",
		"latitude": "",
	}
	for k, v := range want {
		if row[k] != v {
			t.Errorf("%s = %q, want %q", k, row[k], v)
		}
	}
}

func sampleEvent() *vigil.Event {
	lat, lon := 34.5659, 69.212
	return &vigil.Event{ID: 42, Key: "acled:AFG51234", DateStart: vigil.MustDate("2021-08-26"), DateEnd: vigil.MustDate("2021-08-26"), DatePrecision: 1,
		Place:     vigil.Place{Name: "Kabul - Airport", Latitude: &lat, Longitude: &lon, Precision: 1, Country: "AF", Admin1: "AF-KAB", Admin1Name: "Kabul", Admin2: "Kabul"},
		EventType: vigil.EventExplosions, SubEventType: "Suicide bomb", AttackTypes: []vigil.AttackType{"Bombing/Explosion", "Armed Assault"},
		Killed: vigil.Range{Low: vigil.N(170), Best: vigil.N(175), High: vigil.N(183)}, Wounded: vigil.Range{Best: vigil.N(200)},
		Actors: []vigil.ReportActor{{ActorID: "iskp", Name: "Islamic State Khorasan Province", Role: vigil.RolePerpetrator, Attribution: vigil.AttributionClaimed},
			{ActorID: "civilians", Name: "Civilians", Role: vigil.RoleTarget, Attribution: vigil.AttributionAttributed}},
		Sources:        []vigil.EventSource{{ID: 1, Name: "ACLED", Reliability: "B"}, {ID: 2, Name: "Amaq", Reliability: "G"}},
		Corroboration:  1,
		Credibility:    2,
		Contradictions: []vigil.Contradiction{{Kind: vigil.ContradictionCasualties, Description: "175 against 183", Sides: [][]int64{{1}, {2}}}},
		ReportIDs:      []int64{1, 2}, Marking: vigil.TLPGreen,
		RecordedAt: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), UpdatedAt: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)}
}

func TestCSV(t *testing.T) {
	var b bytes.Buffer
	noPlace := &vigil.Event{ID: 43, DateStart: vigil.MustDate("2022-01-01")}
	write(t, NewCSV(&b), []*vigil.Event{sampleEvent(), noPlace})
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 3 || !reflect.DeepEqual(recs[0], CSVColumns) {
		t.Fatalf("got %d rows, header %v", len(recs), recs[0])
	}
	get := func(row int, col string) string {
		for i, c := range CSVColumns {
			if c == col {
				return recs[row][i]
			}
		}
		t.Fatalf("no column %s", col)
		return ""
	}
	tests := []struct {
		name string
		row  int
		col  string
		want string
	}{
		{"low", 1, "killed_low", "170"}, {"best", 1, "killed_best", "175"}, {"high", 1, "killed_high", "183"},
		{"unknown low is empty, not 0", 1, "wounded_low", ""}, {"wounded best", 1, "wounded_best", "200"},
		{"date precision", 1, "date_precision", "1"}, {"location precision", 1, "location_precision", "1"},
		{"attack types", 1, "attack_types", "Bombing/Explosion; Armed Assault"},
		{"perpetrator attribution", 1, "perpetrator_attribution", "Islamic State Khorasan Province: claimed"},
		{"source reliability", 1, "source_reliability", "ACLED: B; Amaq: G"},
		{"contradictions", 1, "contradictions", "casualties: 175 against 183"},
		{"tlp", 1, "tlp", "GREEN"}, {"report ids", 1, "report_ids", "1; 2"},
		{"updated", 1, "updated_at", "2024-01-02T03:04:05Z"},
		{"no coordinates", 2, "latitude", ""}, {"no precision", 2, "location_precision", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := get(tt.row, tt.col); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestEmptyOutputs(t *testing.T) {
	for name, newW := range Formats {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := newW(&b).Close(); err != nil {
				t.Fatal(err)
			}
			if name == "geojson" {
				var fc map[string]any
				if err := json.Unmarshal(b.Bytes(), &fc); err != nil || fc["type"] != "FeatureCollection" {
					t.Errorf("empty collection %q: %v", b.String(), err)
				}
				return
			}
			if lines := strings.Count(b.String(), "\n"); lines != 1 {
				t.Errorf("got %d lines, want the header alone", lines)
			}
		})
	}
}

func TestGeoJSON(t *testing.T) {
	var b bytes.Buffer
	e := sampleEvent()
	noPlace := &vigil.Event{ID: 43, DateStart: vigil.MustDate("2022-01-01")}
	write(t, NewGeoJSON(&b), []*vigil.Event{e, noPlace})
	var fc struct {
		Type     string `json:"type"`
		Features []struct {
			Type     string `json:"type"`
			ID       int64  `json:"id"`
			Geometry *struct {
				Type        string    `json:"type"`
				Coordinates []float64 `json:"coordinates"`
			} `json:"geometry"`
			Properties json.RawMessage `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(b.Bytes(), &fc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, b.String())
	}
	if fc.Type != "FeatureCollection" || len(fc.Features) != 2 {
		t.Fatalf("got %q with %d features", fc.Type, len(fc.Features))
	}
	f := fc.Features[0]
	if f.Type != "Feature" || f.ID != 42 || f.Geometry == nil || f.Geometry.Type != "Point" ||
		!reflect.DeepEqual(f.Geometry.Coordinates, []float64{69.212, 34.5659}) {
		t.Errorf("feature %+v, want a point at [lon, lat]", f)
	}
	var got, want any
	json.Unmarshal(f.Properties, &got)
	wb, _ := json.Marshal(e)
	json.Unmarshal(wb, &want)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("properties differ from the events JSON:\n got %v\nwant %v", got, want)
	}
	if fc.Features[1].Geometry != nil {
		t.Errorf("an event without coordinates has geometry %+v, want null", fc.Features[1].Geometry)
	}
}

// TestEventJSON holds the hand-written event JSON of the GeoJSON writer
// byte for byte equal to encoding/json's.
func TestEventJSON(t *testing.T) {
	full := sampleEvent()
	full.Basis = map[string][]int64{"killed.best": {1, 2}}
	full.GazetteerID = "geonames:1138958"
	full.WeaponTypes = []vigil.WeaponType{"Explosives"}
	full.Actors[0].Rule, full.Actors[0].Channel, full.Actors[0].Side = "iskp-geography", "Amaq", "side_a"
	full.Sources[1].Origin, full.Sources[1].SpeaksFor = "amaq", "iskp"
	full.Reports = []vigil.SourcedReport{{Report: vigil.Report{ID: 1, Key: "0", DateStart: vigil.MustDate("2021-08-26")}}}
	odd := &vigil.Event{ID: -1, Key: "k\"\\\n\t\x01<&>\u2028é\xff", Place: vigil.Place{Name: "Ḩalab\r"},
		Actors: []vigil.ReportActor{}, Contradictions: []vigil.Contradiction{{Kind: "place", Description: "x", Sides: [][]int64{{1}, nil}}},
		AttackersKilled: vigil.N(0), RecordedAt: time.Date(2024, 1, 2, 3, 4, 5, 600, time.FixedZone("x", 3600))}
	tests := []struct {
		name string
		e    *vigil.Event
	}{{"sample", sampleEvent()}, {"full", full}, {"zero", &vigil.Event{}}, {"odd strings", odd}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var want bytes.Buffer
			enc := json.NewEncoder(&want)
			enc.SetEscapeHTML(false)
			if err := enc.Encode(tt.e); err != nil {
				t.Fatal(err)
			}
			got, err := appendEventJSON(nil, tt.e)
			if err != nil {
				t.Fatal(err)
			}
			if w := bytes.TrimSuffix(want.Bytes(), []byte("\n")); !bytes.Equal(got, w) {
				t.Errorf("got\n%s\nwant\n%s", got, w)
			}
		})
	}
}

// TestAppendBasis holds an event's basis as the GeoJSON writer writes it
// byte for byte equal to json.Marshal's: keys in order, empty and nil
// lists, and keys that json.Marshal escapes.
func TestAppendBasis(t *testing.T) {
	for _, basis := range []map[string][]int64{
		{"killed.best": {1, 2}},
		{"place": {3}, "date": {1, 2, 3}, "killed.low": {}, "wounded.high": nil, "attackers_killed": {-4}, "event_type": {9}},
		{"date": {1}, "<b>&": {2}},
		{"lieu é": {1}, "date": {2}},
	} {
		want, err := json.Marshal(basis)
		if err != nil {
			t.Fatal(err)
		}
		got, err := appendBasis([]byte("x"), basis)
		if err != nil || string(got) != "x"+string(want) {
			t.Errorf("appendBasis(%v) = %s, %v; want x%s", basis, got, err, want)
		}
	}
}

// TestCSVOut holds the CSV writers' records byte for byte equal to
// encoding/csv's: quotes, commas, line breaks, leading spaces (Unicode's
// too), `\.`, empty fields and invalid UTF-8.
func TestCSVOut(t *testing.T) {
	recs := [][]string{
		{"id", "key", ""},
		{"", "", ""},
		{"plain", "a,b", `say "no"`, "two\nlines", "cr\rlf\r\n", " lead", "\tlead", "\u00a0nbsp", "\u2003em", "trail ", `\.`, `\.x`, `"`, `""`, "é,\"ü\"", "\xff\xfe", "a\"b\"c"},
		{"\n"},
		{},
	}
	var want bytes.Buffer
	cw := csv.NewWriter(&want)
	var got bytes.Buffer
	ow := newCSVWriter(&got, Options{})
	for _, r := range recs {
		if err := cw.Write(r); err != nil {
			t.Fatal(err)
		}
		if err := ow.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	cw.Flush()
	ow.Flush()
	if err := ow.Error(); err != nil {
		t.Fatal(err)
	}
	if got.String() != want.String() {
		t.Errorf("got\n%q\nwant\n%q", got.String(), want.String())
	}
}

// TestSides: the actors of a fused event that no dataset label places go
// by their role beside the labelled ones, each once; none is dropped.
func TestSides(t *testing.T) {
	labelled := func(name, side string, role vigil.ActorRole) vigil.ReportActor {
		return vigil.ReportActor{Name: name, Side: side, Role: role, Attribution: vigil.AttributionAttributed}
	}
	tests := []struct {
		name                           string
		actors                         []vigil.ReportActor
		actor1, assoc1, actor2, assoc2 string
	}{
		{"labelled", []vigil.ReportActor{labelled("Taliban", "actor1", vigil.RolePerpetrator), labelled("Civilians", "actor2", vigil.RoleTarget),
			labelled("Haqqani", "assoc_actor_1", vigil.RolePerpetrator)}, "Taliban", "Haqqani", "Civilians", ""},
		{"a news report's perpetrator joins a labelled event", []vigil.ReportActor{labelled("Taliban", "actor1", vigil.RolePerpetrator),
			labelled("Civilians", "actor2", vigil.RoleTarget), labelled("ISKP", "", vigil.RolePerpetrator)}, "Taliban", "ISKP", "Civilians", ""},
		{"an unlabelled target fills an empty side", []vigil.ReportActor{labelled("ISKP", "side_a", vigil.RolePerpetrator),
			labelled("Shia worshippers", "", vigil.RoleTarget)}, "ISKP", "", "Shia worshippers", ""},
		{"a party beside two full sides", []vigil.ReportActor{labelled("A", "actor1", vigil.RolePerpetrator), labelled("B", "actor2", vigil.RoleTarget),
			labelled("C", "", vigil.RoleParty)}, "A", "", "B", "C"},
		{"an actor labelled and unlabelled is written once", []vigil.ReportActor{labelled("ISKP", "actor1", vigil.RolePerpetrator),
			labelled("ISKP", "", vigil.RolePerpetrator), labelled("Civilians", "actor2", vigil.RoleTarget)}, "ISKP", "", "Civilians", ""},
		{"none labelled", []vigil.ReportActor{labelled("C", "", vigil.RoleParty), labelled("ISKP", "", vigil.RolePerpetrator),
			labelled("Civilians", "", vigil.RoleTarget)}, "ISKP", "", "Civilians", "C"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a1, s1, a2, s2 := sides(&vigil.Event{Actors: tt.actors}, func(a vigil.ReportActor) string { return a.Name })
			if a1 != tt.actor1 || s1 != tt.assoc1 || a2 != tt.actor2 || s2 != tt.assoc2 {
				t.Errorf("sides = %q, %q, %q, %q; want %q, %q, %q, %q", a1, s1, a2, s2, tt.actor1, tt.assoc1, tt.actor2, tt.assoc2)
			}
		})
	}
}
