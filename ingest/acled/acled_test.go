package acled

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/actors"
)

const bom = "\ufeff"

// row builds a record of the current export from column values.
func row(vals map[string]string) []string {
	rec := make([]string, len(Columns))
	for i, c := range Columns {
		rec[i] = vals[c]
	}
	return rec
}

// base is a real-shaped ACLED row: an ISKP suicide bombing in Kabul.
func base() map[string]string {
	return map[string]string{
		"event_id_cnty": "AFG51234", "event_date": "2021-08-26", "year": "2021", "time_precision": "1",
		"disorder_type": "Political violence", "event_type": "Explosions/Remote violence",
		"sub_event_type": "Suicide bomb", "actor1": "Islamic State Khorasan Province (ISKP)",
		"inter1": "Rebel group", "actor2": "Civilians (Afghanistan)", "assoc_actor_2": "Military Forces of the United States; Taliban",
		"inter2": "Civilians", "interaction": "Rebel group-Civilians", "civilian_targeting": "Civilian targeting",
		"iso": "4", "region": "Caucasus and Central Asia", "country": "Afghanistan", "admin1": "Kabul",
		"admin2": "Kabul", "admin3": "Kabul", "location": "Kabul - Hamid Karzai International Airport",
		"latitude": "34.5659", "longitude": "69.2120", "geo_precision": "1", "source": "Pajhwok; Tolo News",
		"source_scale": "National", "notes": "On 26 August 2021, an ISKP suicide bomber attacked the Abbey Gate of Kabul airport, killing at least 170 people.",
		"fatalities": "170", "tags": "", "timestamp": "1630000000",
	}
}

// file writes an export with the BOM and the real header.
func file(t testing.TB, header []string, rows ...[]string) string {
	t.Helper()
	var b bytes.Buffer
	b.WriteString(bom)
	w := csv.NewWriter(&b)
	w.Write(header)
	for _, r := range rows {
		w.Write(r)
	}
	w.Flush()
	return b.String()
}

func with(m map[string]string, kv ...string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}

func dict(t testing.TB) *actors.Dictionary {
	t.Helper()
	d, err := actors.Default()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// readAll returns the items and the row errors of a file.
func readAll(t testing.TB, data string) ([]*vigil.Item, []*vigil.RowError) {
	t.Helper()
	r, err := NewReader(strings.NewReader(data), "acled.csv", dict(t))
	if err != nil {
		t.Fatal(err)
	}
	var items []*vigil.Item
	var rejects []*vigil.RowError
	for {
		it, err := r.Next()
		if err == io.EOF {
			return items, rejects
		}
		var re *vigil.RowError
		if errors.As(err, &re) {
			rejects = append(rejects, re)
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		items = append(items, it)
	}
}

func one(t *testing.T, vals map[string]string) *vigil.Report {
	t.Helper()
	items, rejects := readAll(t, file(t, Columns, row(vals)))
	if len(rejects) > 0 {
		t.Fatalf("rejected: %v", rejects[0])
	}
	if len(items) != 1 || len(items[0].Reports) != 1 {
		t.Fatalf("got %d items, want 1 with one report", len(items))
	}
	return &items[0].Reports[0]
}

func TestReadRow(t *testing.T) {
	items, _ := readAll(t, file(t, Columns, row(base())))
	it := items[0]
	if it.Source == nil || it.Source.Name != "ACLED" || it.Source.Kind != vigil.SourceDataset {
		t.Errorf("source = %+v, want the ACLED dataset on the first item", it.Source)
	}
	if it.Document.Key != "acled:AFG51234" || it.Document.Marking != vigil.TLPGreen {
		t.Errorf("document key %q marking %q", it.Document.Key, it.Document.Marking)
	}
	if !strings.Contains(it.Document.Text, "Abbey Gate") {
		t.Errorf("document text %q: want the notes", it.Document.Text)
	}
	if got := it.Document.Published.Unix(); got != 1630000000 || it.Document.Version != 1630000000 {
		t.Errorf("published %d, version %d, want the timestamp", got, it.Document.Version)
	}
	r := it.Reports[0]
	checks := []struct {
		name      string
		got, want any
	}{
		{"date", r.DateStart.String(), "2021-08-26"},
		{"date precision", r.DatePrecision, vigil.DateDay},
		{"event type", r.EventType, vigil.EventExplosions},
		{"sub-event type", r.SubEventType, vigil.SubEventType("Suicide bomb")},
		{"country", r.Country, "AF"},
		{"admin1", r.Admin1, "Kabul"},
		{"place", r.Name, "Kabul - Hamid Karzai International Airport"},
		{"location precision", r.Precision, vigil.LocationExact},
		{"killed low", r.Killed.Low, vigil.N(170)},
		{"killed best", r.Killed.Best, vigil.N(170)},
		{"killed high unknown", r.Killed.High.Known, false},
		{"wounded unknown", r.Wounded.IsZero(), true},
		{"summary", strings.HasPrefix(r.Summary, "On 26 August 2021"), true},
		{"perpetrator", r.Actors[0].ActorID, "iskp"},
		{"perpetrator role", r.Actors[0].Role, vigil.RolePerpetrator},
		{"perpetrator attribution", r.Actors[0].Attribution, vigil.AttributionAttributed},
		{"target", r.Actors[1].ActorID, "civilians"},
		{"target role", r.Actors[1].Role, vigil.RoleTarget},
		{"assoc actors", len(r.Actors), 4},
		{"assoc side", r.Actors[2].Side, "assoc_actor_2"},
		{"inter1 kept", r.Attrs["acled.inter1"], "Rebel group"},
		{"source kept", r.Attrs["acled.source"], "Pajhwok; Tolo News"},
		{"timestamp kept", r.Attrs["acled.timestamp"], "1630000000"},
		{"event key", r.EventKey, "acled:AFG51234"},
		{"credibility", r.Credibility, vigil.CredibilityProbable},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, c.got, c.want)
		}
	}
	if lat, ok := r.Point(); !ok || lat.Lat != 34.5659 || lat.Lon != 69.2120 {
		t.Errorf("point %v %v", lat, ok)
	}
}

func TestMappings(t *testing.T) {
	tests := []struct {
		name  string
		vals  map[string]string
		check func(t *testing.T, r *vigil.Report)
	}{
		{"geo precision 2 is within 25 km", with(base(), "geo_precision", "2"), func(t *testing.T, r *vigil.Report) {
			if r.Precision != vigil.LocationNear {
				t.Errorf("got %v, want %v", r.Precision, vigil.LocationNear)
			}
		}},
		{"geo precision 3 is the province", with(base(), "geo_precision", "3"), func(t *testing.T, r *vigil.Report) {
			if r.Precision != vigil.LocationAdmin1 {
				t.Errorf("got %v, want %v", r.Precision, vigil.LocationAdmin1)
			}
		}},
		{"time precision 2 is the week", with(base(), "time_precision", "2"), func(t *testing.T, r *vigil.Report) {
			if r.DatePrecision != vigil.DateWeek {
				t.Errorf("got %v, want week", r.DatePrecision)
			}
		}},
		{"time precision 3 is the month", with(base(), "time_precision", "3"), func(t *testing.T, r *vigil.Report) {
			if r.DatePrecision != vigil.DateMonth {
				t.Errorf("got %v, want month", r.DatePrecision)
			}
		}},
		{"and/or is a disputed attribution", with(base(), "actor1", "Taliban and/or Islamic State Khorasan Province (ISKP)", "assoc_actor_2", ""), func(t *testing.T, r *vigil.Report) {
			if len(r.Actors) != 3 {
				t.Fatalf("got %d actors, want 3: %+v", len(r.Actors), r.Actors)
			}
			for i, want := range []string{"taliban", "iskp"} {
				a := r.Actors[i]
				if a.ActorID != want || a.Attribution != vigil.AttributionDisputed || a.Role != vigil.RolePerpetrator {
					t.Errorf("actor %d = %+v, want %s disputed perpetrator", i, a, want)
				}
			}
		}},
		{"unidentified is unknown", with(base(), "actor1", "Unidentified Armed Group (Afghanistan)"), func(t *testing.T, r *vigil.Report) {
			if r.Actors[0].Attribution != vigil.AttributionUnknown {
				t.Errorf("got %q, want unknown", r.Actors[0].Attribution)
			}
		}},
		{"numeric inter codes", with(base(), "inter1", "2", "inter2", "7"), func(t *testing.T, r *vigil.Report) {
			if r.Attrs["acled.inter1"] != "Rebel group" || r.Attrs["acled.inter2"] != "Civilians" {
				t.Errorf("inter1 %q inter2 %q", r.Attrs["acled.inter1"], r.Attrs["acled.inter2"])
			}
		}},
		{"battles make parties", with(base(), "event_type", "Battles", "sub_event_type", "Armed clash", "actor2", "Taliban", "inter2", "2", "assoc_actor_2", ""), func(t *testing.T, r *vigil.Report) {
			if r.Actors[0].Role != vigil.RoleParty || r.Actors[1].Role != vigil.RoleParty {
				t.Errorf("roles %q %q, want parties", r.Actors[0].Role, r.Actors[1].Role)
			}
		}},
		{"fatalities 0 is known zero", with(base(), "fatalities", "0"), func(t *testing.T, r *vigil.Report) {
			if r.Killed.Best != vigil.N(0) || r.Killed.Low != vigil.N(0) {
				t.Errorf("killed %v", r.Killed)
			}
		}},
		{"old date format", with(base(), "event_date", "26 August 2021"), func(t *testing.T, r *vigil.Report) {
			if r.DateStart.String() != "2021-08-26" {
				t.Errorf("date %s", r.DateStart)
			}
		}},
		{"date resolves the time-bound alias", with(base(), "actor1", "Military Forces of Afghanistan (2004-2021)", "event_type", "Battles", "sub_event_type", "Armed clash", "event_date", "2020-01-01"), func(t *testing.T, r *vigil.Report) {
			if r.Actors[0].ActorID != "gov-af" {
				t.Errorf("actor %+v, want gov-af", r.Actors[0])
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.check(t, one(t, tt.vals)) })
	}
}

func TestOlderExport(t *testing.T) {
	header := []string{"data_id", "iso", "event_id_cnty", "event_id_no_cnty", "event_date", "year", "time_precision",
		"event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "region",
		"country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision", "source",
		"source_scale", "notes", "fatalities", "timestamp", "iso3"}
	rec := []string{"7654321", "4", "AFG1001", "1001", "15 March 2018", "2018", "1", "Remote violence",
		"Islamic State (Afghanistan)", "", "2", "Civilians (Afghanistan)", "", "7", "27", "Southern Asia",
		"Afghanistan", "Nangarhar", "Achin", "", "Achin", "34.0894", "70.6842", "2", "Pajhwok", "National",
		"IED blast.", "3", "1521504000", "AFG"}
	items, rejects := readAll(t, file(t, header, rec))
	if len(rejects) > 0 {
		t.Fatal(rejects[0])
	}
	r := items[0].Reports[0]
	if r.EventType != vigil.EventExplosions || r.Attrs["acled.event_type"] != "Remote violence" {
		t.Errorf("type %q (kept %q)", r.EventType, r.Attrs["acled.event_type"])
	}
	if r.Actors[0].ActorID != "iskp" || r.Country != "AF" || r.Attrs["acled.data_id"] != "7654321" {
		t.Errorf("actor %q country %q data_id %q", r.Actors[0].ActorID, r.Country, r.Attrs["acled.data_id"])
	}
	if r.Attrs["acled.inter1"] != "Rebel group" {
		t.Errorf("inter1 %q", r.Attrs["acled.inter1"])
	}
}

func TestRejections(t *testing.T) {
	tests := []struct {
		name string
		vals map[string]string
		want string
	}{
		{"bad date", with(base(), "event_date", "26/13/2021"), "acled.csv:2: event_date: "},
		{"latitude out of range", with(base(), "latitude", "134.5"), "acled.csv:2: latitude: 134.5 out of range"},
		{"negative fatalities", with(base(), "fatalities", "-1"), "acled.csv:2: fatalities: negative count -1"},
		{"unknown event type", with(base(), "event_type", "Picnic"), "acled.csv:2: event_type: "},
		{"sub-type of another type", with(base(), "sub_event_type", "Armed clash"), "acled.csv:2: sub_event_type: "},
		{"bad geo precision", with(base(), "geo_precision", "4"), "acled.csv:2: geo_precision: "},
		{"unknown country", with(base(), "iso", "999", "country", "Atlantis"), "acled.csv:2: country: unknown country"},
		{"sub-type without a type", with(base(), "event_type", ""), "acled.csv:2: event_type: empty"},
		{"latitude without longitude", with(base(), "longitude", ""), `acled.csv:2: longitude: empty while latitude is "34.5659": want both or neither`},
		{"longitude without latitude", with(base(), "latitude", ""), `acled.csv:2: latitude: empty while longitude is "69.2120": want both or neither`},
		{"longitude out of range", with(base(), "longitude", "-181"), "acled.csv:2: longitude: -181 out of range"},
		{"unknown time precision", with(base(), "time_precision", "4"), `acled.csv:2: time_precision: "4": want 1, 2 or 3`},
		{"bad inter", with(base(), "inter1", "Wizards"), "acled.csv:2: inter1: "},
		{"no id", with(base(), "event_id_cnty", ""), "acled.csv:2: event_id_cnty: empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items, rejects := readAll(t, file(t, Columns, row(tt.vals), row(with(base(), "event_id_cnty", "AFG2"))))
			if len(rejects) != 1 {
				t.Fatalf("got %d rejections, want 1", len(rejects))
			}
			if got := rejects[0].Error(); !strings.HasPrefix(got, tt.want) {
				t.Errorf("got %q, want prefix %q", got, tt.want)
			}
			if len(items) != 1 || items[0].Document.Key != "acled:AFG2" {
				t.Errorf("the next row was not read: %d items", len(items))
			}
		})
	}
}

func TestHeaderErrors(t *testing.T) {
	tests := []struct{ name, data, want string }{
		{"empty", "", "empty file"},
		{"not acled", "id,date\n1,2\n", "missing columns event_id_cnty"},
		{"no country", "event_id_cnty,event_date,event_type,actor1,latitude,longitude,fatalities\n", "missing columns iso, iso3 and country"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewReader(strings.NewReader(tt.data), "x.csv", nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) || vigil.ErrorCode(err) != vigil.EINVALID {
				t.Errorf("got %v, want EINVALID containing %q", err, tt.want)
			}
		})
	}
}

func TestUpdatesAndHashes(t *testing.T) {
	hash := func(vals map[string]string) string {
		items, _ := readAll(t, file(t, Columns, row(vals)))
		return items[0].Document.ContentHash
	}
	orig := hash(base())
	tests := []struct {
		name string
		vals map[string]string
		same bool
	}{
		{"same row again", base(), true},
		{"only the timestamp changed", with(base(), "timestamp", "1640000000"), true},
		{"ACLED revised the toll", with(base(), "fatalities", "183", "timestamp", "1640000000"), false},
		{"notes edited", with(base(), "notes", "Revised."), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := hash(tt.vals) == orig; got != tt.same {
				t.Errorf("same hash = %v, want %v", got, tt.same)
			}
		})
	}
	// Another column order is the same content.
	rev := append([]string(nil), Columns...)
	for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
		rev[i], rev[j] = rev[j], rev[i]
	}
	b := base()
	rec := make([]string, len(rev))
	for i, c := range rev {
		rec[i] = b[c]
	}
	items, _ := readAll(t, file(t, rev, rec))
	if items[0].Document.ContentHash != orig {
		t.Error("reordered columns changed the content hash")
	}
}

func TestDeletions(t *testing.T) {
	data := bom + "event_id_cnty,deleted_timestamp\nAFG51234,1650000000\n,1650000000\nAFG9,soon\n"
	r, err := NewReader(strings.NewReader(data), "deleted.csv", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Deletions() {
		t.Fatal("not read as a deletions file")
	}
	it, err := r.Next()
	if err != nil {
		t.Fatal(err)
	}
	if it.Document.Key != "acled:AFG51234" || len(it.Reports) != 0 || it.Source == nil {
		t.Errorf("got key %q with %d reports, source %v; want the event's document with no reports", it.Document.Key, len(it.Reports), it.Source)
	}
	if it.Document.Published.Unix() != 1650000000 || it.Document.Version != 1650000000 || !strings.Contains(it.Document.Text, "deleted") {
		t.Errorf("published %v text %q", it.Document.Published, it.Document.Text)
	}
	items, _ := readAll(t, file(t, Columns, row(base())))
	if items[0].Document.ContentHash == it.Document.ContentHash {
		t.Error("a deletion must change the content hash")
	}
	for _, want := range []string{"deleted.csv:3: event_id_cnty: empty", "deleted.csv:4: deleted_timestamp: "} {
		_, err := r.Next()
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("got %v, want %q", err, want)
		}
	}
	if _, err := r.Next(); err != io.EOF {
		t.Errorf("got %v, want EOF", err)
	}
}

func TestQuotedLineBreaks(t *testing.T) {
	items, rejects := readAll(t, file(t, Columns, row(with(base(), "notes", "Line one,\n\"quoted\" line two")), row(with(base(), "event_id_cnty", "AFG2", "latitude", "x"))))
	if len(items) != 1 || len(rejects) != 1 {
		t.Fatalf("got %d items %d rejections", len(items), len(rejects))
	}
	if rejects[0].Row != 4 {
		t.Errorf("rejected row %d, want 4 (the first row spans lines 2–3)", rejects[0].Row)
	}
}

func FuzzReader(f *testing.F) {
	f.Add(file(f, Columns, row(base())))
	f.Add(bom + "event_id_cnty,deleted_timestamp\nA,1\n")
	f.Add(file(f, Columns, row(with(base(), "actor1", " and/or ", "iso", "", "country", ""))))
	// Cells vigil's export leaves empty.
	f.Add(file(f, Columns, row(with(base(), "event_type", "", "sub_event_type", "", "actor1", "", "latitude", "", "longitude", "", "time_precision", "", "geo_precision", ""))))
	d := dict(f)
	f.Fuzz(func(t *testing.T, data string) {
		r, err := NewReader(strings.NewReader(data), "fuzz.csv", d)
		if err != nil {
			return
		}
		for i := 0; i < 1000; i++ {
			it, err := r.Next()
			if err == io.EOF {
				return
			}
			var re *vigil.RowError
			if errors.As(err, &re) {
				continue
			}
			if err != nil {
				return
			}
			for _, rep := range it.Reports {
				if err := rep.Validate(); err != nil {
					t.Fatalf("accepted an invalid report: %v", err)
				}
			}
		}
	})
}

func TestHashIsHashContent(t *testing.T) {
	items, _ := readAll(t, file(t, Columns, row(base())))
	b := base()
	var parts []string
	for _, c := range Columns {
		if c != "timestamp" {
			parts = append(parts, c, b[c])
		}
	}
	if got, want := items[0].Document.ContentHash, vigil.HashContent(parts...); got != want {
		t.Errorf("content hash %s, want vigil.HashContent of the columns %s", got, want)
	}
}

// TestEmptyCellsVigilWrites: the cells vigil's ACLED-like export leaves
// empty for what it does not know read back as unknown, each with a
// warning naming file:row: field, and the rest of the row as written.
func TestEmptyCellsVigilWrites(t *testing.T) {
	tests := []struct {
		name  string
		vals  map[string]string
		warns []string
		check func(t *testing.T, r *vigil.Report)
	}{
		{"no event type", with(base(), "event_type", "", "sub_event_type", "", "disorder_type", ""),
			[]string{"acled.csv:2: event_type: empty: an event of no ACLED event type"},
			func(t *testing.T, r *vigil.Report) {
				if r.EventType != "" || r.SubEventType != "" {
					t.Errorf("type %q / %q, want none", r.EventType, r.SubEventType)
				}
				// With no type, actor1 still acts on civilians (inter2).
				if len(r.Actors) == 0 || r.Actors[0].Role != vigil.RolePerpetrator || r.Actors[0].AsWritten != "Islamic State Khorasan Province (ISKP)" {
					t.Errorf("actors %+v", r.Actors)
				}
			}},
		{"no point", with(base(), "latitude", "", "longitude", "", "geo_precision", "3"),
			[]string{"acled.csv:2: latitude: latitude and longitude empty: a report with no point"},
			func(t *testing.T, r *vigil.Report) {
				if _, ok := r.Point(); ok {
					t.Errorf("point %v, %v, want none", *r.Latitude, *r.Longitude)
				}
				if r.Precision != vigil.LocationAdmin1 || r.Admin1Name != "Kabul" || r.Name != "Kabul - Hamid Karzai International Airport" {
					t.Errorf("place %+v", r.Place)
				}
			}},
		{"no point nor precision", with(base(), "latitude", "", "longitude", "", "geo_precision", ""),
			[]string{"acled.csv:2: latitude: latitude and longitude empty: a report with no point"},
			func(t *testing.T, r *vigil.Report) {
				if _, ok := r.Point(); ok || r.Precision != 0 {
					t.Errorf("place %+v, want no point, precision unknown", r.Place)
				}
			}},
		{"no actor1", with(base(), "actor1", "", "inter1", ""),
			[]string{"acled.csv:2: actor1: empty: an event of no named actor1"},
			func(t *testing.T, r *vigil.Report) {
				for _, a := range r.Actors {
					if a.Side == "actor1" {
						t.Errorf("an actor1 %+v", a)
					}
				}
				if len(r.Actors) != 3 || r.Actors[0].AsWritten != "Civilians (Afghanistan)" || r.Actors[0].Role != vigil.RoleTarget {
					t.Errorf("actors %+v, want actor2 and its two associates", r.Actors)
				}
			}},
		{"no country", with(base(), "iso", "", "country", "", "region", ""),
			[]string{"acled.csv:2: country: empty: an event of no country"},
			func(t *testing.T, r *vigil.Report) {
				if r.Country != "" {
					t.Errorf("country %q", r.Country)
				}
			}},
		{"date precision unknown", with(base(), "time_precision", ""),
			[]string{"acled.csv:2: time_precision: empty: date precision unknown"},
			func(t *testing.T, r *vigil.Report) {
				if r.DatePrecision != 0 || r.DateStart != vigil.MustDate("2021-08-26") {
					t.Errorf("date %s precision %d, want 2021-08-26 of unknown precision", r.DateStart, r.DatePrecision)
				}
			}},
		{"all of them", with(base(), "event_type", "", "sub_event_type", "", "latitude", "", "longitude", "", "actor1", "", "iso", "", "country", "", "time_precision", ""),
			[]string{
				"acled.csv:2: time_precision: empty: date precision unknown",
				"acled.csv:2: event_type: empty: an event of no ACLED event type",
				"acled.csv:2: country: empty: an event of no country",
				"acled.csv:2: latitude: latitude and longitude empty: a report with no point",
				"acled.csv:2: actor1: empty: an event of no named actor1",
			},
			func(t *testing.T, r *vigil.Report) {
				if k := r.Killed; !k.Low.Known || k.Low.N != 170 || !k.Best.Known || k.Best.N != 170 || k.High.Known {
					t.Errorf("killed %+v, want 170–?", k)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items, rejects := readAll(t, file(t, Columns, row(tt.vals), row(with(base(), "event_id_cnty", "AFG2"))))
			if len(rejects) != 0 {
				t.Fatalf("rejected: %v", rejects)
			}
			if len(items) != 2 || items[1].Document.Key != "acled:AFG2" {
				t.Fatalf("got %d items, want the row and the next", len(items))
			}
			var got []string
			for _, w := range items[0].Warnings {
				got = append(got, w.Reason)
				if w.Row != 2 {
					t.Errorf("warning %q on row %d, want 2", w.Reason, w.Row)
				}
			}
			if strings.Join(got, "\n") != strings.Join(tt.warns, "\n") {
				t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.warns, "\n"))
			}
			if len(items[1].Warnings) != 0 {
				t.Errorf("the full row has warnings: %v", items[1].Warnings)
			}
			tt.check(t, &items[0].Reports[0])
		})
	}
}
