package ucdp_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/actors"
	"github.com/vigil-osint/vigil/ingest/ucdp"
)

// samplePath is the real GED 23.1 sample: 905 rows from every region.
const samplePath = "../../testdata/ucdp/ucdp_ged231_sample.csv"

// sampleName is the name the sample is read under, so that the version
// comes from it as it does for a user's file.
const sampleName = "ucdp_ged231_sample.csv"

func dict(t testing.TB) *actors.Dictionary {
	t.Helper()
	d, err := actors.Default()
	if err != nil {
		t.Fatalf("actors.Default: %v", err)
	}
	return d
}

// sample returns the real sample's header and rows as encoding/csv reads them.
func sample(t testing.TB) (header []string, rows [][]string) {
	t.Helper()
	f, err := os.Open(samplePath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	all, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("reading %s: %v", samplePath, err)
	}
	return all[0], all[1:]
}

// row returns the sample row with the GED id, with the given columns set.
func row(t testing.TB, header []string, rows [][]string, id string, set ...string) []string {
	t.Helper()
	for _, r := range rows {
		if r[0] == id {
			out := slices.Clone(r)
			for i := 0; i+1 < len(set); i += 2 {
				out[col(t, header, set[i])] = set[i+1]
			}
			return out
		}
	}
	t.Fatalf("sample has no row %s", id)
	return nil
}

func col(t testing.TB, header []string, name string) int {
	t.Helper()
	i := slices.Index(header, name)
	if i < 0 {
		t.Fatalf("sample has no column %q", name)
	}
	return i
}

// writeCSV writes a header and records as encoding/csv writes them.
func writeCSV(t testing.TB, crlf bool, header []string, rows ...[]string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.UseCRLF = crlf
	if err := w.Write(header); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteAll(rows); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// readAll reads every item of a file and the row errors among them; any
// other error fails the test.
func readAll(t testing.TB, r io.Reader, name string) ([]*vigil.Item, []*vigil.RowError) {
	t.Helper()
	rd, err := ucdp.NewReader(r, name, ucdp.VersionFromName(name), dict(t))
	if err != nil {
		t.Fatalf("NewReader(%s): %v", name, err)
	}
	var items []*vigil.Item
	var rowErrs []*vigil.RowError
	for {
		it, err := rd.Next()
		if err == io.EOF {
			return items, rowErrs
		}
		var re *vigil.RowError
		switch {
		case errors.As(err, &re):
			rowErrs = append(rowErrs, re)
		case err != nil:
			t.Fatalf("Next: %v", err)
		default:
			items = append(items, it)
		}
	}
}

func readSample(t testing.TB) []*vigil.Item {
	t.Helper()
	f, err := os.Open(samplePath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	items, rowErrs := readAll(t, f, sampleName)
	for _, e := range rowErrs {
		t.Errorf("sample row rejected: %v", e)
	}
	return items
}

// byKey indexes items by their document key ("ged:<id>").
func byKey(items []*vigil.Item) map[string]*vigil.Item {
	m := make(map[string]*vigil.Item, len(items))
	for _, it := range items {
		m[it.Document.Key] = it
	}
	return m
}

// side returns the report actor a GED side became.
func side(t testing.TB, it *vigil.Item, name string) vigil.ReportActor {
	t.Helper()
	for _, a := range it.Reports[0].Actors {
		if a.Side == name {
			return a
		}
	}
	t.Fatalf("%s: no actor on %s", it.Document.Key, name)
	return vigil.ReportActor{}
}

func TestReadSample(t *testing.T) {
	items := readSample(t)
	if got, want := len(items), 905; got != want {
		t.Errorf("got %d items, want %d", got, want)
	}
	var best, warned int
	sources := 0
	for _, it := range items {
		if len(it.Reports) != 1 {
			t.Fatalf("%s: got %d reports, want 1", it.Document.Key, len(it.Reports))
		}
		rep := it.Reports[0]
		best += rep.Killed.Best.N
		if err := rep.Validate(); err != nil {
			t.Errorf("%s: report does not validate: %v", it.Document.Key, err)
		}
		if it.Source != nil {
			sources++
			if got, want := it.Source.Name, "UCDP GED 23.1"; got != want {
				t.Errorf("source: got %q, want %q", got, want)
			}
		}
		if got, want := it.Document.Source, "UCDP GED 23.1"; got != want {
			t.Errorf("%s: document source: got %q, want %q", it.Document.Key, got, want)
		}
		for _, w := range it.Warnings {
			warned++
			if got, want := w.Field, "best"; got != want {
				t.Errorf("%s: warning field: got %q, want %q", it.Document.Key, got, want)
			}
			if !strings.HasPrefix(w.Reason, sampleName+":") {
				t.Errorf("%s: warning %q does not name the file", it.Document.Key, w.Reason)
			}
			// The file's own bounds are kept beside the widened range.
			if rep.Attrs["ucdp.low"] == "" || rep.Attrs["ucdp.high"] == "" {
				t.Errorf("%s: widened range lost the file's bounds: attrs %v", it.Document.Key, rep.Attrs)
			}
		}
	}
	if got, want := best, 9121; got != want {
		t.Errorf("best sum: got %d, want %d", got, want)
	}
	if got, want := warned, 9; got != want {
		t.Errorf("got %d warnings, want %d", got, want)
	}
	if got, want := sources, 1; got != want {
		t.Errorf("got the source on %d items, want it on the first only (%d)", got, want)
	}
}

func TestReadSampleISKPGeography(t *testing.T) {
	items := byKey(readSample(t))
	tests := []struct {
		name       string
		key, side  string
		date       string
		country    string
		actorID    string
		actorName  string
		status     vigil.AttributionStatus
		by, rule   string
		asWritten  string
		admin1Name string
	}{
		{"Nangarhar 2017 goes to ISKP", "ged:251043", "side_b", "2017-05-15", "AF", "iskp", "Islamic State Khorasan Province",
			vigil.AttributionAttributed, "vigil rule iskp-geography", "iskp-geography", "IS", "Nangarhar"},
		{"Kabul 2020 goes to ISKP", "ged:374155", "side_b", "2020-12-26", "AF", "iskp", "Islamic State Khorasan Province",
			vigil.AttributionAttributed, "vigil rule iskp-geography", "iskp-geography", "IS", "Kabul"},
		{"Syria stays Islamic State", "ged:322134", "side_b", "2013-09-24", "SY", "is", "Islamic State",
			vigil.AttributionAttributed, "UCDP GED 23.1", "", "IS", ""},
		{"Syria 2016 side_a stays Islamic State", "ged:317217", "side_a", "2016-04-05", "SY", "is", "Islamic State",
			vigil.AttributionAttributed, "UCDP GED 23.1", "", "IS", "Rif Dimashq"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			it := items[tt.key]
			if it == nil {
				t.Fatalf("no item %s", tt.key)
			}
			rep := it.Reports[0]
			if got := rep.DateStart.String(); got != tt.date {
				t.Errorf("date_start: got %s, want %s", got, tt.date)
			}
			if got := rep.Country; got != tt.country {
				t.Errorf("country: got %q, want %q", got, tt.country)
			}
			if got := rep.Admin1Name; got != tt.admin1Name {
				t.Errorf("admin1: got %q, want %q", got, tt.admin1Name)
			}
			a := side(t, it, tt.side)
			if a.ActorID != tt.actorID || a.Name != tt.actorName {
				t.Errorf("actor: got %q (%s), want %q (%s)", a.Name, a.ActorID, tt.actorName, tt.actorID)
			}
			if a.Attribution != tt.status {
				t.Errorf("attribution: got %q, want %q", a.Attribution, tt.status)
			}
			if a.AttributedBy != tt.by {
				t.Errorf("attributed by: got %q, want %q", a.AttributedBy, tt.by)
			}
			if a.Rule != tt.rule {
				t.Errorf("rule: got %q, want %q", a.Rule, tt.rule)
			}
			if a.AsWritten != tt.asWritten {
				t.Errorf("as written: got %q, want %q", a.AsWritten, tt.asWritten)
			}
		})
	}

	// Exactly the two Afghan rows are ISKP's; every other "IS" stays.
	var iskp []string
	for key, it := range items {
		for _, a := range it.Reports[0].Actors {
			if a.ActorID == "iskp" {
				iskp = append(iskp, key)
			}
			if a.AsWritten == "IS" && a.ActorID != "iskp" && a.ActorID != "is" {
				t.Errorf("%s: %q resolved to %q, want is or iskp", key, a.AsWritten, a.ActorID)
			}
		}
	}
	slices.Sort(iskp)
	if want := []string{"ged:251043", "ged:374155"}; !slices.Equal(iskp, want) {
		t.Errorf("ISKP rows: got %v, want %v", iskp, want)
	}
}

// TestColumnOrder: columns are bound by name, and the content hash is
// over fixed columns by name, so neither order, a column a later release
// adds, nor line endings change an item.
func TestColumnOrder(t *testing.T) {
	header, rows := sample(t)
	want := readSample(t)

	perm := rand.New(rand.NewPCG(231, 1)).Perm(len(header))
	shuffled := func() ([]string, [][]string) {
		h := make([]string, len(header))
		for i, p := range perm {
			h[i] = header[p]
		}
		rs := make([][]string, len(rows))
		for j, r := range rows {
			rs[j] = make([]string, len(r))
			for i, p := range perm {
				rs[j][i] = r[p]
			}
		}
		return h, rs
	}
	extra := func() ([]string, [][]string) {
		h := append([]string{"new_in_a_later_release"}, header...)
		rs := make([][]string, len(rows))
		for j, r := range rows {
			rs[j] = append([]string{"x"}, r...)
		}
		return h, rs
	}
	tests := []struct {
		name string
		crlf bool
		make func() ([]string, [][]string)
	}{
		{"shuffled header, LF", false, shuffled},
		{"shuffled header, CRLF", true, shuffled},
		{"extra column first", true, extra},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, rs := tt.make()
			if tt.name != "extra column first" && slices.Equal(h, header) {
				t.Fatal("the permutation left the header as it was")
			}
			got, rowErrs := readAll(t, bytes.NewReader(writeCSV(t, tt.crlf, h, rs...)), sampleName)
			if len(rowErrs) > 0 {
				t.Fatalf("got %d row errors, first %v", len(rowErrs), rowErrs[0])
			}
			if len(got) != len(want) {
				t.Fatalf("got %d items, want %d", len(got), len(want))
			}
			for i := range want {
				if got[i].Document.ContentHash != want[i].Document.ContentHash {
					t.Errorf("%s: content hash: got %s, want %s", want[i].Document.Key, got[i].Document.ContentHash, want[i].Document.ContentHash)
				}
				sameItem(t, got[i], want[i])
			}
		})
	}
}

// sameItem reports where two items differ: the source, the document or
// a report, each shown as JSON.
func sameItem(t testing.TB, got, want *vigil.Item) {
	t.Helper()
	if reflect.DeepEqual(got, want) {
		return
	}
	key := want.Document.Key
	parts := []struct {
		name      string
		got, want any
	}{
		{"source", got.Source, want.Source},
		{"document", got.Document, want.Document},
		{"reports", got.Reports, want.Reports},
		{"warnings", got.Warnings, want.Warnings},
	}
	for _, p := range parts {
		if !reflect.DeepEqual(p.got, p.want) {
			t.Errorf("%s: %s: got %s\nwant %s", key, p.name, js(t, p.got), js(t, p.want))
		}
	}
}

func js(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestDateForms: GED releases write dates as "2017-05-15" or
// "2017-05-15 00:00:00.000"; both make the same item, hash included.
func TestDateForms(t *testing.T) {
	header, rows := sample(t)
	read := func(t *testing.T, start, end string) *vigil.Item {
		t.Helper()
		r := row(t, header, rows, "251043", "date_start", start, "date_end", end)
		items, rowErrs := readAll(t, bytes.NewReader(writeCSV(t, false, header, r)), sampleName)
		if len(rowErrs) > 0 || len(items) != 1 {
			t.Fatalf("got %d items and errors %v, want one item", len(items), rowErrs)
		}
		return items[0]
	}
	want := read(t, "2017-05-15", "2017-05-17")
	if got := want.Reports[0].DateStart.String(); got != "2017-05-15" {
		t.Fatalf("date_start: got %s, want 2017-05-15", got)
	}
	tests := []struct {
		name       string
		start, end string
	}{
		{"time of day with milliseconds", "2017-05-15 00:00:00.000", "2017-05-17 00:00:00.000"},
		{"time of day without milliseconds", "2017-05-15 00:00:00", "2017-05-17 00:00:00"},
		{"mixed forms", "2017-05-15 00:00:00.000", "2017-05-17"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sameItem(t, read(t, tt.start, tt.end), want)
		})
	}
}

// TestMultiline reads testdata/multiline.csv: two real rows whose
// source_article spans 3 and 7 lines (one of them empty), then a row with
// a bad date on line 12 and a good row on line 13.
func TestMultiline(t *testing.T) {
	f, err := os.Open("testdata/multiline.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	items, rowErrs := readAll(t, f, "multiline.csv")

	wantKeys := []string{"ged:52588", "ged:58293", "ged:374155"}
	var keys []string
	for _, it := range items {
		keys = append(keys, it.Document.Key)
	}
	if !slices.Equal(keys, wantKeys) {
		t.Fatalf("got items %v, want %v", keys, wantKeys)
	}
	texts := []struct {
		key   string
		lines int
		last  string
	}{
		{"ged:52588", 3, "BBC Monitoring"},
		{"ged:58293", 7, "BBC Monitoring"},
	}
	for i, tt := range texts {
		text := items[i].Document.Text
		if got := strings.Count(text, "\n") + 1; got != tt.lines {
			t.Errorf("%s: source_article has %d lines, want %d: %q", tt.key, got, tt.lines, text)
		}
		if !strings.HasSuffix(text, tt.last) {
			t.Errorf("%s: source_article %q does not end with %q", tt.key, text, tt.last)
		}
	}
	if len(rowErrs) != 1 {
		t.Fatalf("got %d row errors, want 1: %v", len(rowErrs), rowErrs)
	}
	if got, want := rowErrs[0].Error(), `multiline.csv:12: date_start: date "2017-05-xx": want YYYY-MM-DD`; got != want {
		t.Errorf("got error %q, want %q", got, want)
	}
}

// TestBadHeader: a file that is not a GED file fails NewReader with one
// error that names what is missing.
func TestBadHeader(t *testing.T) {
	header, _ := sample(t)
	without := func(drop ...string) string {
		var h []string
		for _, c := range header {
			if !slices.Contains(drop, c) {
				h = append(h, c)
			}
		}
		return strings.Join(h, ",") + "\n"
	}
	tests := []struct {
		name  string
		data  string
		wants []string // substrings of the error
	}{
		{"empty file", "", []string{"bad.csv", "empty file", "not a UCDP GED file"}},
		{"ACLED header", "event_id_cnty,event_date,year,actor1,fatalities\nAFG1,2021-08-26,2021,ISKP,170\n",
			[]string{"bad.csv", "not a UCDP GED file", "missing columns id, type_of_violence, side_a, side_b", "best, high, low"}},
		{"no date columns", without("date_start", "date_end"), []string{"missing columns date_start, date_end"}},
		{"no best", without("best"), []string{"missing columns best"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ucdp.NewReader(strings.NewReader(tt.data), "bad.csv", "", nil)
			if err == nil {
				t.Fatal("got no error")
			}
			if got, want := vigil.ErrorCode(err), vigil.EINVALID; got != want {
				t.Errorf("got code %q, want %q (%v)", got, want, err)
			}
			for _, w := range tt.wants {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("got error %q, want it to contain %q", err, w)
				}
			}
		})
	}
}

// TestHeaderBOM: a header saved with a byte-order mark still binds "id".
func TestHeaderBOM(t *testing.T) {
	header, rows := sample(t)
	data := append([]byte("\ufeff"), writeCSV(t, false, header, row(t, header, rows, "251043"))...)
	items, rowErrs := readAll(t, bytes.NewReader(data), sampleName)
	if len(items) != 1 || len(rowErrs) != 0 {
		t.Fatalf("got %d items and errors %v, want one item", len(items), rowErrs)
	}
	if got, want := items[0].Document.Key, "ged:251043"; got != want {
		t.Errorf("got key %q, want %q", got, want)
	}
}

// TestBadRows: a bad row is rejected with "file:row: field: reason" and
// the next row still reads.
func TestBadRows(t *testing.T) {
	header, rows := sample(t)
	good := row(t, header, rows, "374155")
	tests := []struct {
		name      string
		set       []string
		wantField string
		wantErr   string
	}{
		{"unparseable date_start", []string{"date_start", "15/05/2017"}, "date_start", `bad.csv:2: date_start: date "15/05/2017": want YYYY-MM-DD`},
		{"empty date_start", []string{"date_start", ""}, "date_start", `bad.csv:2: date_start: date "": want YYYY-MM-DD`},
		{"date_end before date_start", []string{"date_end", "2017-05-01"}, "date_end", `bad.csv:2: date_end: 2017-05-01 is before date_start 2017-05-15`},
		{"latitude 91", []string{"latitude", "91"}, "latitude", `bad.csv:2: latitude: 91 out of range -90..90`},
		{"latitude NaN", []string{"latitude", "NaN"}, "latitude", `bad.csv:2: latitude: "NaN" is not a number`},
		{"longitude not a number", []string{"longitude", "70,7E"}, "longitude", `bad.csv:2: longitude: "70,7E" is not a number`},
		{"negative deaths_civilians", []string{"deaths_civilians", "-3"}, "deaths_civilians", `bad.csv:2: deaths_civilians: negative count -3`},
		{"negative deaths_a", []string{"deaths_a", "-1"}, "deaths_a", `bad.csv:2: deaths_a: negative count -1`},
		{"best not a number", []string{"best", "four"}, "best", `bad.csv:2: best: "four" is not a whole number`},
		{"low above high", []string{"low", "9", "best", "", "high", "4"}, "best", `bad.csv:2: best: low 9 is above high 4`},
		{"type_of_violence 4", []string{"type_of_violence", "4"}, "type_of_violence", `bad.csv:2: type_of_violence: "4": want 1, 2 or 3`},
		{"unknown country_id", []string{"country_id", "999"}, "country_id", `bad.csv:2: country_id: unknown Gleditsch-Ward number 999`},
		{"where_prec 8", []string{"where_prec", "8"}, "where_prec", `bad.csv:2: where_prec: 8 out of range 1..7`},
		{"date_prec 0", []string{"date_prec", "0"}, "date_prec", `bad.csv:2: date_prec: 0 out of range 1..5`},
		{"empty id", []string{"id", ""}, "id", `bad.csv:2: id: empty`},
		{"latitude without longitude", []string{"longitude", ""}, "longitude", `bad.csv:2: longitude: empty while latitude is "34.290316": want both or neither`},
		{"longitude without latitude", []string{"latitude", ""}, "latitude", `bad.csv:2: latitude: empty while longitude is "70.761085": want both or neither`},
		{"longitude 181", []string{"longitude", "181"}, "longitude", `bad.csv:2: longitude: 181 out of range -180..180`},
		{"no point and where_prec 9", []string{"latitude", "", "longitude", "", "where_prec", "9"}, "where_prec", `bad.csv:2: where_prec: 9 out of range 1..7`},
		{"no country_id, unknown country", []string{"country_id", "", "country", "Atlantis"}, "country", `bad.csv:2: country: "Atlantis": unknown country, and country_id is empty`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bad := row(t, header, rows, "251043", tt.set...)
			items, rowErrs := readAll(t, bytes.NewReader(writeCSV(t, false, header, bad, good)), "bad.csv")
			if len(rowErrs) != 1 {
				t.Fatalf("got %d row errors, want 1: %v", len(rowErrs), rowErrs)
			}
			re := rowErrs[0]
			if re.File != "bad.csv" || re.Row != 2 || re.Field != tt.wantField {
				t.Errorf("got %s:%d field %q, want bad.csv:2 field %q", re.File, re.Row, re.Field, tt.wantField)
			}
			if got := re.Error(); got != tt.wantErr {
				t.Errorf("got error %q, want %q", got, tt.wantErr)
			}
			if got, want := vigil.ErrorCode(re), vigil.EINVALID; got != want {
				t.Errorf("got code %q, want %q", got, want)
			}
			if len(items) != 1 || items[0].Document.Key != "ged:374155" {
				t.Fatalf("the next good row did not read: got %d items", len(items))
			}
			// The source goes out with the first item read, even after a rejection.
			if items[0].Source == nil {
				t.Error("the first item read does not carry the source")
			}
		})
	}
}

// TestMalformedCSV: a record encoding/csv cannot parse is a row error at
// the line the record starts on, and reading goes on.
func TestMalformedCSV(t *testing.T) {
	header, rows := sample(t)
	good := writeCSV(t, false, header, row(t, header, rows, "374155"))
	goodRow := good[bytes.IndexByte(good, '\n')+1:]
	head := strings.Join(header, ",") + "\n"
	tests := []struct {
		name    string
		bad     string
		wantErr string
	}{
		{"bare quote in the first field", "25\"1043,x\n", `bad.csv:2: bare " in non-quoted-field`},
		{"text after a closing quote in the first field", "\"251043\"x,y\n", `bad.csv:2: extraneous or missing " in quoted-field`},
		{"too few fields", "251043,AFG\n", `bad.csv:2: 2 fields, the header has 49: a row cut short or a comma too many`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items, rowErrs := readAll(t, strings.NewReader(head+tt.bad+string(goodRow)), "bad.csv")
			if len(rowErrs) != 1 {
				t.Fatalf("got %d row errors, want 1: %v", len(rowErrs), rowErrs)
			}
			if got := rowErrs[0].Error(); got != tt.wantErr {
				t.Errorf("got error %q, want %q", got, tt.wantErr)
			}
			if len(items) != 1 || items[0].Document.Key != "ged:374155" {
				t.Errorf("the next good row did not read: got %d items", len(items))
			}
		})
	}
}

func TestVersionFromName(t *testing.T) {
	tests := []struct{ name, want string }{
		{"ged231.csv", "23.1"},
		{"GEDEvent_v25_1.csv", "25.1"},
		{"ucdp_ged231_sample.csv", "23.1"},
		{"GEDEvent_v19_1.csv", "19.1"},
		{"/home/me/Downloads/ged241-csv/ged241.csv", "24.1"},
		{"events.csv", ""},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ucdp.VersionFromName(tt.name); got != tt.want {
				t.Errorf("VersionFromName(%q): got %q, want %q", tt.name, got, tt.want)
			}
		})
	}
}

func TestSourceName(t *testing.T) {
	for _, tt := range []struct{ version, want string }{{"23.1", "UCDP GED 23.1"}, {"", "UCDP GED"}} {
		if got := ucdp.SourceName(tt.version); got != tt.want {
			t.Errorf("SourceName(%q): got %q, want %q", tt.version, got, tt.want)
		}
	}
}

func TestCountryCodes(t *testing.T) {
	tests := []struct {
		name string
		gw   int
		iso  string
	}{
		{"Afghanistan", 700, "AF"},
		{"Pakistan", 770, "PK"},
		{"Syria", 652, "SY"},
		{"Yemen (North Yemen)", 678, "YE"},
		{"Russia (Soviet Union)", 365, "RU"},
		{"unknown", 999, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ucdp.CountryISO(tt.gw); got != tt.iso {
				t.Errorf("CountryISO(%d): got %q, want %q", tt.gw, got, tt.iso)
			}
			if tt.iso == "" {
				return
			}
			if got := ucdp.CountryISO(ucdp.CountryGWNO(tt.iso)); got != tt.iso {
				t.Errorf("CountryISO(CountryGWNO(%q)): got %q", tt.iso, got)
			}
		})
	}
}

// FuzzReader: whatever the bytes, NewReader and Next never panic, every
// error is io.EOF, a *vigil.RowError or an EINVALID error, and every item
// read is a valid report that marshals to JSON.
func FuzzReader(f *testing.F) {
	header, rows := sample(f)
	f.Add(writeCSV(f, true, header, rows[:3]...))
	f.Add(writeCSV(f, false, header, row(f, header, rows, "251043"), row(f, header, rows, "374155")))
	f.Add(writeCSV(f, true, header, row(f, header, rows, "58293")))
	f.Add(writeCSV(f, false, header, row(f, header, rows, "304491"))) // best outside low..high
	// Cells vigil's export leaves empty.
	f.Add(writeCSV(f, false, header, row(f, header, rows, "251043", "latitude", "", "longitude", "", "where_prec", "", "date_prec", "", "country_id", "", "country", "", "side_a", "A and/or B")))
	f.Add(writeCSV(f, false, header))
	if b, err := os.ReadFile("testdata/multiline.csv"); err == nil {
		f.Add(b)
	}
	f.Add([]byte{})
	d := dict(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ucdp.NewReader(bytes.NewReader(data), "fuzz.csv", "23.1", d)
		if err != nil {
			if vigil.ErrorCode(err) != vigil.EINVALID {
				t.Fatalf("NewReader: got %v (code %q), want an EINVALID error", err, vigil.ErrorCode(err))
			}
			return
		}
		for n := 0; ; n++ {
			if n > len(data)+1 {
				t.Fatalf("Next returned %d results from %d bytes without io.EOF", n, len(data))
			}
			it, err := r.Next()
			if err == io.EOF {
				return
			}
			var re *vigil.RowError
			if errors.As(err, &re) {
				if re.Row < 2 {
					t.Fatalf("row error on row %d, before the first record: %v", re.Row, re)
				}
				continue
			}
			if err != nil {
				if vigil.ErrorCode(err) != vigil.EINVALID {
					t.Fatalf("Next: got %v (code %q), want io.EOF, a *vigil.RowError or EINVALID", err, vigil.ErrorCode(err))
				}
				return
			}
			if len(it.Reports) != 1 {
				t.Fatalf("got %d reports, want 1", len(it.Reports))
			}
			if err := it.Reports[0].Validate(); err != nil {
				t.Fatalf("item %s: report does not validate: %v", it.Document.Key, err)
			}
			if _, err := json.Marshal(it); err != nil {
				t.Fatalf("item %s does not marshal: %v", it.Document.Key, err)
			}
		}
	})
}

// TestEmptyCellsVigilWrites: the cells vigil's UCDP-like export leaves
// empty for what it does not know (GED itself fills them) read back as
// unknown, each with a warning naming file:row: field, and the rest of the
// row as written; the names it writes read back as written.
func TestEmptyCellsVigilWrites(t *testing.T) {
	header, rows := sample(t)
	tests := []struct {
		name  string
		set   []string
		warns []string
		check func(t *testing.T, r *vigil.Report)
	}{
		{"no point, precision given", []string{"latitude", "", "longitude", "", "geom_wkt", "", "priogrid_gid", "", "where_prec", "4"},
			[]string{"x.csv:2: latitude: latitude and longitude empty: a report with no point"},
			func(t *testing.T, r *vigil.Report) {
				if _, ok := r.Point(); ok {
					t.Errorf("point %v, %v, want none", *r.Latitude, *r.Longitude)
				}
				if r.Precision != vigil.LocationAdmin1 || r.Admin1Name != "Nangarhar" || r.Admin2 != "Bati Kot" || r.Country != "AF" {
					t.Errorf("place %+v", r.Place)
				}
			}},
		{"no point, precision unknown", []string{"latitude", "", "longitude", "", "where_prec", ""},
			[]string{
				"x.csv:2: latitude: latitude and longitude empty: a report with no point",
				"x.csv:2: where_prec: empty: location precision unknown",
			},
			func(t *testing.T, r *vigil.Report) {
				if _, ok := r.Point(); ok || r.Precision != 0 {
					t.Errorf("place %+v, want no point, precision unknown", r.Place)
				}
			}},
		{"date precision unknown", []string{"date_prec", ""},
			[]string{"x.csv:2: date_prec: empty: date precision unknown"},
			func(t *testing.T, r *vigil.Report) {
				if r.DatePrecision != 0 || r.DateStart != vigil.MustDate("2017-05-15") {
					t.Errorf("date %s precision %d", r.DateStart, r.DatePrecision)
				}
			}},
		{"no country", []string{"country_id", "", "country", ""},
			[]string{"x.csv:2: country_id: country_id and country empty: a report of no country"},
			func(t *testing.T, r *vigil.Report) {
				if r.Country != "" {
					t.Errorf("country %q", r.Country)
				}
			}},
		{"a country without a Gleditsch-Ward number", []string{"country_id", "", "country", "Palestine, State of"}, nil,
			func(t *testing.T, r *vigil.Report) {
				if r.Country != "PS" {
					t.Errorf("country %q, want PS", r.Country)
				}
			}},
		{"disputed side and capitalised unit words", []string{"side_b", "Taliban and/or Haqqani Network", "adm_1", "Moscow Oblast", "adm_2", "Shikarpur District"}, nil,
			func(t *testing.T, r *vigil.Report) {
				var got []string
				for _, a := range r.Actors {
					if a.Side == "side_b" {
						got = append(got, a.Name+":"+string(a.Attribution))
					}
				}
				if want := []string{"Taliban:disputed", "Haqqani Network:disputed"}; !slices.Equal(got, want) {
					t.Errorf("side_b %v, want %v", got, want)
				}
				if r.Admin1Name != "Moscow Oblast" || r.Admin2 != "Shikarpur District" {
					t.Errorf("admin %q / %q, want the names as written", r.Admin1Name, r.Admin2)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := writeCSV(t, false, header, row(t, header, rows, "251043", tt.set...), row(t, header, rows, "374155"))
			items, rowErrs := readAll(t, bytes.NewReader(data), "x.csv")
			if len(rowErrs) != 0 {
				t.Fatalf("rejected: %v", rowErrs)
			}
			if len(items) != 2 || items[1].Document.Key != "ged:374155" {
				t.Fatalf("got %d items, want the row and the next", len(items))
			}
			var got []string
			for _, w := range items[0].Warnings {
				got = append(got, w.Reason)
				if w.Row != 2 {
					t.Errorf("warning %q on row %d, want 2", w.Reason, w.Row)
				}
			}
			if !slices.Equal(got, tt.warns) {
				t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.warns, "\n"))
			}
			if len(items[1].Warnings) != 0 {
				t.Errorf("the full row has warnings: %v", items[1].Warnings)
			}
			r := &items[0].Reports[0]
			if r.Killed.Best != vigil.N(4) || r.Key != "ged:251043" {
				t.Errorf("report %s killed %+v", r.Key, r.Killed)
			}
			tt.check(t, r)
		})
	}
}

// TestReleases: each GED release is its own source, all of one origin, so
// that an event two releases code is one dataset's word: before, importing
// GED 24.1 after 23.1 made every event "corroborated by 2 independent
// origins" and confirmed. A release that is no release number is refused
// rather than made a source ("UCDP GED abc").
func TestReleases(t *testing.T) {
	const head = "id,type_of_violence,side_a,side_b,where_prec,latitude,longitude,country,country_id,date_prec,date_start,date_end,best,high,low\n"
	const row = "300380,1,Government of Syria,Syrian insurgents,1,35.7634,36.559,Syria,652,1,2013-01-03,2013-01-03,2,2,2\n"
	tests := []struct {
		version, wantName, wantErr string
	}{
		{"23.1", "UCDP GED 23.1", ""},
		{"24.1", "UCDP GED 24.1", ""},
		{"24.0.10", "UCDP GED 24.0.10", ""},
		{"", "UCDP GED", ""},
		{"abc", "", `ged.csv: GED release "abc": want one such as 23.1`},
		{"23", "", `GED release "23"`},
		{"v23.1", "", `GED release "v23.1"`},
	}
	var reports []vigil.SourcedReport
	for _, tt := range tests {
		t.Run(tt.version, func(t *testing.T) {
			r, err := ucdp.NewReader(strings.NewReader(head+row), "ged.csv", tt.version, nil)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("NewReader: %v, want an error with %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			src := r.Source()
			if src.Name != tt.wantName || src.OriginKey() != ucdp.Origin {
				t.Errorf("source %q of origin %q, want %q of origin %q", src.Name, src.OriginKey(), tt.wantName, ucdp.Origin)
			}
			it, err := r.Next()
			if err != nil {
				t.Fatal(err)
			}
			for i, rep := range it.Reports {
				rep.ID = int64(len(reports) + i + 1)
				reports = append(reports, vigil.SourcedReport{Report: rep, Document: it.Document, Source: *src})
			}
		})
	}
	if len(reports) != 4 {
		t.Fatalf("%d reports, want one of each of the four releases", len(reports))
	}
	if e := vigil.Fuse("ucdp-ged:300380", reports, nil); e.Corroboration != 1 {
		t.Errorf("four releases coding one event: corroboration %d, want 1", e.Corroboration)
	}
}

// TestRevisedRelease: the real sample read as GED 23.1 and again as a later
// release in which one event's toll was revised (300380: best 2 → 20,
// low 18, high 25). Each event's two reports fuse to one dataset's record:
// the later release's figures, the 23.1 report kept as a revision, and no
// casualty contradiction between the releases. Before, event 300380 said
// "killed: UCDP GED 23.1 says 2, UCDP GED 24.1 says 20" and its best was
// the median, 11.
func TestRevisedRelease(t *testing.T) {
	header, rows := sample(t)
	later := slices.Clone(rows)
	for i, r := range later {
		if r[0] == "300380" {
			later[i] = row(t, header, rows, "300380", "best", "20", "low", "18", "high", "25")
		}
	}
	events := map[string][]vigil.SourcedReport{}
	var id int64
	for _, f := range []struct {
		name string
		data []byte
	}{{"ged241.csv", writeCSV(t, false, header, later...)}, {"ged231.csv", writeCSV(t, false, header, rows...)}} {
		// 24.1 is read first: the release number, not the order of
		// import, says which is later.
		items, errs := readAll(t, bytes.NewReader(f.data), f.name)
		if len(errs) > 0 {
			t.Fatalf("%s: %v", f.name, errs[0])
		}
		src := vigil.Source{Name: ucdp.SourceName(ucdp.VersionFromName(f.name)), Origin: ucdp.Origin, Kind: vigil.SourceDataset, Reliability: ucdp.Reliability}
		for _, it := range items {
			for _, rep := range it.Reports {
				id++
				rep.ID = id
				events[rep.EventKey] = append(events[rep.EventKey], vigil.SourcedReport{Report: rep, Document: it.Document, Source: src})
			}
		}
	}
	if len(events) != 905 {
		t.Fatalf("%d events, want the sample's 905", len(events))
	}
	for key, rs := range events {
		e := vigil.Fuse(key, rs, nil)
		if len(rs) != 2 || len(e.Revisions) != 1 || e.Revisions[0].Source != "UCDP GED 23.1" || e.Revisions[0].BySource != "UCDP GED 24.1" {
			t.Fatalf("%s: %d reports, revisions %+v; want the 23.1 report revised by 24.1", key, len(rs), e.Revisions)
		}
		for _, c := range e.Contradictions {
			t.Errorf("%s: contradiction between two releases: %s", key, c.Description)
		}
		if e.Corroboration != 1 {
			t.Errorf("%s: corroboration %d, want 1", key, e.Corroboration)
		}
		if key != "ucdp-ged:300380" {
			if len(e.Revisions[0].Changes) != 0 {
				t.Errorf("%s: unchanged row revised: %q", key, e.Revisions[0].Changes)
			}
			continue
		}
		want := vigil.Range{Low: vigil.N(18), Best: vigil.N(20), High: vigil.N(25)}
		if e.Killed != want {
			t.Errorf("%s: killed %s, want 24.1's %s", key, e.Killed, want)
		}
		if got := e.Revisions[0].Changes; !slices.Equal(got, []string{"killed 2 → 20 (18–25)"}) {
			t.Errorf("%s: changes %q, want the toll's revision", key, got)
		}
	}
}
