package gdelt

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/actors"
	"github.com/vigil-osint/vigil/geo"
	"github.com/vigil-osint/vigil/ingest"
)

// crocus is GDELT's coding of the Crocus City Hall attack (22 March 2024),
// as a GDELT 2.0 row would hold it.
var crocus = map[string]string{
	"GLOBALEVENTID": "1163410528", "SQLDATE": "20240322", "MonthYear": "202403", "Year": "2024", "FractionDate": "2024.2219",
	"Actor1Code": "IMGMOSSEP", "Actor1Name": "ISLAMIC STATE", "Actor1KnownGroupCode": "", "Actor1Religion1Code": "MOS", "Actor1Type1Code": "IMG",
	"Actor2Code": "RUS", "Actor2Name": "RUSSIA", "Actor2CountryCode": "RUS",
	"IsRootEvent": "1", "EventCode": "180", "EventBaseCode": "180", "EventRootCode": "18", "QuadClass": "4",
	"GoldsteinScale": "-9.0", "NumMentions": "40", "NumSources": "8", "NumArticles": "40", "AvgTone": "-9.21",
	"ActionGeo_Type": "4", "ActionGeo_FullName": "Krasnogorsk, Moskovskaya Oblast', Russia", "ActionGeo_CountryCode": "RS",
	"ActionGeo_ADM1Code": "RS47", "ActionGeo_ADM2Code": "", "ActionGeo_Lat": "55.8204", "ActionGeo_Long": "37.3302", "ActionGeo_FeatureID": "-2962090",
	"DATEADDED": "20240322193000", "SOURCEURL": "https://example.org/news/crocus-city-hall",
}

// row writes a row of the layout cols with the values of v, and set over
// them ("" clears a value).
func row(cols []string, v map[string]string, set ...string) string {
	m := map[string]string{}
	for k, x := range v {
		m[k] = x
	}
	for i := 0; i+1 < len(set); i += 2 {
		m[set[i]] = set[i+1]
	}
	fields := make([]string, len(cols))
	for i, c := range cols {
		fields[i] = m[c]
	}
	return strings.Join(fields, "\t")
}

var (
	gazOnce sync.Once
	gaz     *geo.Gazetteer
	gazErr  error
)

// country is the gazetteer's country of a point.
func country(t testing.TB) func(lat, lon float64) string {
	gazOnce.Do(func() { gaz, gazErr = geo.Default() })
	if gazErr != nil {
		t.Fatal(gazErr)
	}
	return func(lat, lon float64) string { a, _ := gaz.Where(lat, lon); return a.Country }
}

// readAll reads every row of text, returning the items, how many rows were
// skipped and the row errors.
func readAll(t *testing.T, text string, dict *actors.Dictionary) ([]*vigil.Item, int, []*vigil.RowError) {
	t.Helper()
	return read(t, strings.NewReader(text), dict)
}

// read reads every row of in; see readAll.
func read(t *testing.T, in io.Reader, dict *actors.Dictionary) ([]*vigil.Item, int, []*vigil.RowError) {
	t.Helper()
	r, err := NewReader(in, "events.CSV", dict, Options{Country: country(t)})
	if err != nil {
		t.Fatal(err)
	}
	var items []*vigil.Item
	var skipped int
	var rowErrs []*vigil.RowError
	for {
		it, err := r.Next()
		var re *vigil.RowError
		switch {
		case err == io.EOF:
			return items, skipped, rowErrs
		case err == ingest.ErrSkip:
			skipped++
		case errors.As(err, &re):
			rowErrs = append(rowErrs, re)
		case err != nil:
			t.Fatal(err)
		default:
			items = append(items, it)
		}
	}
}

// TestLayouts reads the same event in each of GDELT's three layouts: one
// item keyed by the event, dated to the day, placed by its point in Russia
// (GDELT's FIPS code RS kept as an attribute), its two actors as
// perpetrator and target, its address only where the layout has one.
func TestLayouts(t *testing.T) {
	for _, c := range []struct {
		name    string
		cols    []string
		version string
		url     string
		added   time.Time
	}{
		{"2.0", Columns, "2.0", crocus["SOURCEURL"], time.Date(2024, 3, 22, 19, 30, 0, 0, time.UTC)},
		{"1.0 daily", Columns1, "1.0", crocus["SOURCEURL"], time.Date(2024, 3, 22, 0, 0, 0, 0, time.UTC)},
		{"1.0 backfile", Columns1Backfile, "1.0", "", time.Date(2024, 3, 22, 0, 0, 0, 0, time.UTC)},
	} {
		t.Run(c.name, func(t *testing.T) {
			added := crocus["DATEADDED"]
			if c.version == "1.0" {
				added = "20240322"
			}
			items, skipped, errs := readAll(t, row(c.cols, crocus, "DATEADDED", added)+"\n", nil)
			if len(items) != 1 || skipped != 0 || len(errs) != 0 {
				t.Fatalf("%d items, %d skipped, errors %v; want one item", len(items), skipped, errs)
			}
			it := items[0]
			if it.Source == nil || it.Source.Name != SourceName || it.Source.Reliability != Reliability || it.Source.Kind != vigil.SourceNews {
				t.Errorf("source %+v", it.Source)
			}
			d, rep := it.Document, it.Reports[0]
			if d.Key != "gdelt:1163410528" || rep.Key != d.Key || rep.EventKey != "" || d.URL != c.url || !d.Published.Equal(c.added) || d.Marking != Marking {
				t.Errorf("document %+v", d)
			}
			if rep.DateStart.String() != "2024-03-22" || rep.DateEnd != rep.DateStart || rep.DatePrecision != vigil.DateDay {
				t.Errorf("dates %s–%s (%d)", rep.DateStart, rep.DateEnd, rep.DatePrecision)
			}
			if rep.EventType != vigil.EventViolenceCivilians || rep.SubEventType != "Attack" {
				t.Errorf("type %q / %q", rep.EventType, rep.SubEventType)
			}
			pt, ok := rep.Point()
			if !ok || pt.Lat != 55.8204 || pt.Lon != 37.3302 || rep.Country != "RU" || rep.Precision != vigil.LocationNear {
				t.Errorf("place %v %v, country %q, precision %d", pt, ok, rep.Country, rep.Precision)
			}
			if rep.Attrs["gdelt.ActionGeo_CountryCode"] != "RS" || rep.Attrs["gdelt.version"] != c.version || rep.Attrs["gdelt.NumSources"] != "8" {
				t.Errorf("attributes %v", rep.Attrs)
			}
			if len(rep.Actors) != 2 || rep.Actors[0].AsWritten != "ISLAMIC STATE" || rep.Actors[0].Role != vigil.RolePerpetrator ||
				rep.Actors[1].AsWritten != "RUSSIA" || rep.Actors[1].Role != vigil.RoleTarget || rep.Actors[0].AttributedBy != SourceName {
				t.Errorf("actors %+v", rep.Actors)
			}
			if rep.Killed.Best.Known || rep.Credibility != Credibility {
				t.Errorf("killed %+v, credibility %d", rep.Killed, rep.Credibility)
			}
			if !strings.Contains(d.Text, "ISLAMIC STATE: Use unconventional violence (CAMEO 180), against RUSSIA") {
				t.Errorf("text %q", d.Text)
			}
		})
	}
}

// TestSkipsWhatIsNotViolence reads a file of GDELT's usual mix: statements
// and visits are skipped, fights and riots taken, blank lines no rows; the
// rows after them keep their line numbers.
func TestSkipsWhatIsNotViolence(t *testing.T) {
	rows := []string{
		row(Columns, crocus, "GLOBALEVENTID", "1", "EventCode", "010", "EventBaseCode", "010", "EventRootCode", "01"), // make statement
		row(Columns, crocus, "GLOBALEVENTID", "2", "EventCode", "042", "EventBaseCode", "042", "EventRootCode", "04"), // make a visit
		"",
		row(Columns, crocus, "GLOBALEVENTID", "3", "EventCode", "193", "EventBaseCode", "193", "EventRootCode", "19"),
		row(Columns, crocus, "GLOBALEVENTID", "4", "EventCode", "1453", "EventBaseCode", "145", "EventRootCode", "14"),
		row(Columns, crocus, "GLOBALEVENTID", "5", "SQLDATE", "2024-03-22"),
	}
	items, skipped, errs := readAll(t, strings.Join(rows, "\r\n"), nil)
	if skipped != 2 || len(items) != 2 {
		t.Fatalf("%d skipped, %d items; want 2 and 2", skipped, len(items))
	}
	if items[0].Reports[0].EventType != vigil.EventBattles || items[0].Reports[0].Actors[0].Role != vigil.RoleParty {
		t.Errorf("the fight: %+v", items[0].Reports[0])
	}
	if items[1].Reports[0].EventType != vigil.EventRiots || items[1].Reports[0].SubEventType != "Violent demonstration" {
		t.Errorf("the riot: %+v", items[1].Reports[0])
	}
	if len(errs) != 1 || errs[0].Row != 6 || errs[0].Field != "SQLDATE" {
		t.Errorf("errors %v; want the bad date on line 6", errs)
	}
}

// TestRejects names the field of each bad row.
func TestRejects(t *testing.T) {
	for _, c := range []struct {
		set   []string
		cols  []string
		field string
	}{
		{nil, Columns[:60], "fields"},
		{[]string{"EventCode", "19x"}, Columns, "EventCode"},
		{[]string{"EventCode", "1"}, Columns, "EventCode"},
		{[]string{"GLOBALEVENTID", "abc"}, Columns, "GLOBALEVENTID"},
		{[]string{"GLOBALEVENTID", "0"}, Columns, "GLOBALEVENTID"},
		{[]string{"SQLDATE", "20240231"}, Columns, "SQLDATE"},
		{[]string{"ActionGeo_Lat", "95"}, Columns, "ActionGeo_Lat"},
		{[]string{"ActionGeo_Long", ""}, Columns, "ActionGeo_Long"},
		{[]string{"ActionGeo_Type", "9"}, Columns, "ActionGeo_Type"},
		{[]string{"DATEADDED", "2024"}, Columns, "DATEADDED"},
	} {
		t.Run(c.field+" "+strings.Join(c.set, "="), func(t *testing.T) {
			_, _, errs := readAll(t, row(c.cols, crocus, c.set...), nil)
			if len(errs) != 1 || errs[0].Field != c.field || errs[0].Row != 1 || !strings.HasPrefix(errs[0].Error(), "events.CSV:1: "+c.field+": ") {
				t.Errorf("errors %v; want one naming events.CSV:1: %s", errs, c.field)
			}
		})
	}
}

// TestNoPlace takes an event GDELT could not place, with a warning: it has
// no country either.
func TestNoPlace(t *testing.T) {
	items, _, errs := readAll(t, row(Columns, crocus, "ActionGeo_Type", "0", "ActionGeo_Lat", "", "ActionGeo_Long", ""), nil)
	if len(errs) != 0 || len(items) != 1 {
		t.Fatalf("%d items, errors %v", len(items), errs)
	}
	rep := items[0].Reports[0]
	if _, ok := rep.Point(); ok || rep.Country != "" || rep.Precision != 0 || len(items[0].Warnings) != 1 || items[0].Warnings[0].Field != "ActionGeo_Lat" {
		t.Errorf("report %+v, warnings %v", rep, items[0].Warnings)
	}
}

// TestISKPRule applies the shipped dictionary: GDELT's "ISLAMIC STATE" in
// Nangarhar is attributed to ISKP by the documented rule, in Syria it
// stays the Islamic State.
func TestISKPRule(t *testing.T) {
	dict, err := actors.Default()
	if err != nil {
		t.Fatal(err)
	}
	text := row(Columns, crocus, "GLOBALEVENTID", "10", "ActionGeo_FullName", "Jalalabad, Nangarhar, Afghanistan", "ActionGeo_Lat", "34.4265", "ActionGeo_Long", "70.4515", "Actor2Name", "") + "\n" +
		row(Columns, crocus, "GLOBALEVENTID", "11", "ActionGeo_FullName", "Raqqa, Ar Raqqah, Syria", "ActionGeo_Lat", "35.9528", "ActionGeo_Long", "39.0079", "Actor2Name", "")
	items, _, errs := readAll(t, text, dict)
	if len(items) != 2 || len(errs) != 0 {
		t.Fatalf("%d items, errors %v", len(items), errs)
	}
	af, sy := items[0].Reports[0].Actors[0], items[1].Reports[0].Actors[0]
	if items[0].Reports[0].Country != "AF" || af.ActorID != "iskp" || af.Rule == "" || af.AsWritten != "ISLAMIC STATE" {
		t.Errorf("in Afghanistan: %+v (country %q)", af, items[0].Reports[0].Country)
	}
	if items[1].Reports[0].Country != "SY" || sy.ActorID == "iskp" || sy.ActorID == "" {
		t.Errorf("in Syria: %+v", sy)
	}
}

// TestContentHash: the same row hashes the same, a changed field not.
func TestContentHash(t *testing.T) {
	a, _, _ := readAll(t, row(Columns, crocus), nil)
	b, _, _ := readAll(t, row(Columns, crocus), nil)
	c, _, _ := readAll(t, row(Columns, crocus, "NumMentions", "41"), nil)
	if a[0].Document.ContentHash != b[0].Document.ContentHash || a[0].Document.ContentHash == c[0].Document.ContentHash {
		t.Errorf("hashes %s %s %s", a[0].Document.ContentHash, b[0].Document.ContentHash, c[0].Document.ContentHash)
	}
}

// TestZipped reads a file as GDELT serves it, zipped, and refuses an
// archive of several files or a broken one, naming the file.
func TestZipped(t *testing.T) {
	archive := func(names ...string) []byte {
		var b bytes.Buffer
		z := zip.NewWriter(&b)
		for _, n := range names {
			w, err := z.Create(n)
			if err != nil {
				t.Fatal(err)
			}
			io.WriteString(w, row(Columns, crocus)+"\n"+row(Columns, crocus, "GLOBALEVENTID", "2", "EventCode", "042")+"\n")
		}
		if err := z.Close(); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	items, skipped, errs := read(t, bytes.NewReader(archive("20240322193000.export.CSV")), nil)
	if len(items) != 1 || skipped != 1 || len(errs) != 0 || items[0].Document.Key != "gdelt:1163410528" {
		t.Errorf("zipped: %d items, %d skipped, errors %v", len(items), skipped, errs)
	}
	two := archive("a.export.CSV", "b.export.CSV")
	for name, in := range map[string][]byte{"two files": two, "cut short": two[:len(two)/2]} {
		if _, err := NewReader(bytes.NewReader(in), "events.zip", nil, Options{}); err == nil || !strings.Contains(err.Error(), "events.zip: ") {
			t.Errorf("%s: %v, want an error naming the file", name, err)
		}
	}
}

// TestCameo maps codes onto event types, an unlisted code by its base.
func TestCameo(t *testing.T) {
	for _, c := range []struct {
		code string
		typ  vigil.EventType
		sub  vigil.SubEventType
		ok   bool
	}{
		{"190", vigil.EventBattles, "Armed clash", true},
		{"1831", vigil.EventExplosions, "Suicide bomb", true},
		{"195", vigil.EventExplosions, "Air/drone strike", true},
		{"1824", vigil.EventViolenceCivilians, "Attack", true}, // not in CAMEO: its base, 182
		{"18", vigil.EventViolenceCivilians, "", true},
		{"2041", vigil.EventExplosions, "Chemical weapon", true},
		{"145", vigil.EventRiots, "Violent demonstration", true},
		{"1459", vigil.EventRiots, "Violent demonstration", true},
		{"14", "", "", false},
		{"141", "", "", false}, // peaceful demonstration
		{"173", "", "", false}, // arrest
		{"042", "", "", false},
	} {
		got, ok := violent(c.code)
		if ok != c.ok || got.typ != c.typ || got.sub != c.sub {
			t.Errorf("%s: %+v %v, want %s / %s %v", c.code, got, ok, c.typ, c.sub, c.ok)
		}
		if ok && got.sub != "" && got.sub.Parent() != got.typ {
			t.Errorf("%s: %s is not a sub-type of %s", c.code, got.sub, got.typ)
		}
	}
}

// FuzzReader never panics on any input.
func FuzzReader(f *testing.F) {
	f.Add(row(Columns, crocus))
	f.Add(row(Columns1Backfile, crocus, "DATEADDED", "20240322"))
	f.Add(row(Columns, crocus, "EventCode", "042") + "\n\n" + row(Columns1, crocus, "ActionGeo_Lat", "x"))
	f.Fuzz(func(t *testing.T, text string) {
		r, err := NewReader(strings.NewReader(text), "fuzz", nil, Options{})
		if err != nil {
			return
		}
		for i := 0; i < 1000; i++ {
			if _, err := r.Next(); err == io.EOF {
				return
			}
		}
	})
}
