package wikilist_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/actors"
	"github.com/vigil-osint/vigil/geo"
	"github.com/vigil-osint/vigil/ingest"
	"github.com/vigil-osint/vigil/ingest/wikilist"
)

const (
	file1519 = "../../testdata/wikipedia/wikipedia_terrorist_incidents_2015_2019_region.csv"
	file16q4 = "../../testdata/wikipedia/wikipedia_terrorist_incidents_2016q4_region.csv"
)

var _ ingest.Reader = (*wikilist.Reader)(nil)

var dictOnce = sync.OnceValues(actors.Default)

func dict(t testing.TB) *actors.Dictionary {
	t.Helper()
	d, err := dictOnce()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func gaz(t testing.TB) *geo.Gazetteer {
	t.Helper()
	g, err := geo.Default()
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// readAll reads a file through the reader, returning its items, its
// rejections and the reader.
func readAll(t testing.TB, name string, data []byte) ([]*vigil.Item, []*vigil.RowError, *wikilist.Reader) {
	t.Helper()
	r, err := wikilist.NewReader(bytes.NewReader(data), name, dict(t), gaz(t))
	if err != nil {
		t.Fatal(err)
	}
	var items []*vigil.Item
	var rejected []*vigil.RowError
	for {
		it, err := r.Next()
		if err == io.EOF {
			return items, rejected, r
		}
		var re *vigil.RowError
		if errors.As(err, &re) {
			rejected = append(rejected, re)
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		items = append(items, it)
	}
}

var realOnce sync.Once
var real struct {
	items   map[string][]*vigil.Item // by file
	readers map[string]*wikilist.Reader
}

func readReal(t *testing.T) {
	t.Helper()
	realOnce.Do(func() {
		real.items, real.readers = map[string][]*vigil.Item{}, map[string]*wikilist.Reader{}
		for _, f := range []string{file1519, file16q4} {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			items, rejected, r := readAll(t, f, data)
			if len(rejected) > 0 {
				t.Fatalf("%s: %d rows rejected, first %v", f, len(rejected), rejected[0])
			}
			real.items[f], real.readers[f] = items, r
		}
	})
	if real.items == nil {
		t.Fatal("reading the real files failed")
	}
}

// find returns the report of the row with the date and location.
func find(t *testing.T, file, date, location string) vigil.Report {
	t.Helper()
	readReal(t)
	for _, it := range real.items[file] {
		r := it.Reports[0]
		if r.DateStart.String() == date && r.Name == location {
			return r
		}
	}
	t.Fatalf("%s: no row of %s at %q", file, date, location)
	return vigil.Report{}
}

func perp(t *testing.T, r vigil.Report, id string) vigil.ReportActor {
	t.Helper()
	for _, a := range r.Actors {
		if a.ActorID == id {
			return a
		}
	}
	t.Fatalf("%s %s: no perpetrator %s among %+v", r.DateStart, r.Name, id, r.Actors)
	return vigil.ReportActor{}
}

// TestRealFiles reads both lists whole: every row is taken, each has its
// own event key, and the figures of how the locations resolved are
// printed (go test -v) and held to a floor.
func TestRealFiles(t *testing.T) {
	readReal(t)
	keys := map[string]string{}
	total, located, fine := 0, 0, 0
	for _, f := range []string{file1519, file16q4} {
		items := real.items[f]
		want := map[string]int{file1519: 1143, file16q4: 89}[f]
		if len(items) != want {
			t.Errorf("%s: %d items, want %d", f, len(items), want)
		}
		for _, it := range items {
			r := it.Reports[0]
			if !strings.HasPrefix(r.EventKey, "wikilist:"+r.DateStart.String()+":") {
				t.Errorf("event key %q: want wikilist:<date>:<n>", r.EventKey)
			}
			if prev, dup := keys[r.EventKey]; dup {
				t.Errorf("event key %s twice: %s and %s", r.EventKey, prev, r.Name)
			}
			keys[r.EventKey] = r.Name
			if err := r.Validate(); err != nil {
				t.Errorf("%s: %v", r.EventKey, err)
			}
			if r.Credibility != wikilist.Credibility || it.Document.Source != wikilist.SourceName {
				t.Errorf("%s: credibility %d, source %q", r.EventKey, r.Credibility, it.Document.Source)
			}
			if r.Phrase == "" || r.Summary == "" && it.Document.Text != "" {
				t.Errorf("%s: phrase %q, summary %q", r.EventKey, r.Phrase, r.Summary)
			}
		}
		st := real.readers[f].Stats()
		t.Logf("%s: %s", f[strings.LastIndexByte(f, '/')+1:], real.readers[f].Summary())
		total += st.Rows
		located += st.Located
		for p, n := range st.ByPrecision {
			if p <= vigil.LocationAdmin2 {
				fine += n
			}
		}
	}
	t.Logf("both files: %d rows, %d located (%.1f%%), %d (%.1f%%) to a place or district (precision 1–3)",
		total, located, 100*float64(located)/float64(total), fine, 100*float64(fine)/float64(total))
	if located < total*99/100 {
		t.Errorf("%d of %d rows located, want 99%%", located, total)
	}
	if fine < total*70/100 {
		t.Errorf("%d of %d rows at precision 1–3, want 70%%", fine, total)
	}
}

// TestRows checks rows of the real files that show each rule.
func TestRows(t *testing.T) {
	tests := []struct {
		name, file, date, location string
		check                      func(t *testing.T, r vigil.Report)
	}{
		{"one victim and one attacker killed, Taliban attributed", file1519, "2015-01-05", "Kabul, Afghanistan", func(t *testing.T, r vigil.Report) {
			if r.Killed != vigil.Exact(1) || r.AttackersKilled != vigil.N(1) {
				t.Errorf("killed %v, attackers %v; want 1 and 1", r.Killed, r.AttackersKilled)
			}
			a := perp(t, r, "taliban")
			if a.Attribution != vigil.AttributionAttributed || a.AttributedBy != wikilist.SourceName {
				t.Errorf("taliban: %s by %q", a.Attribution, a.AttributedBy)
			}
			if r.Admin1 != "AF-KAB" || r.Precision != vigil.LocationExact {
				t.Errorf("place %s precision %d, want AF-KAB 1", r.Admin1, r.Precision)
			}
			if r.SubEventType != "Suicide bomb" || r.EventType != vigil.EventExplosions {
				t.Errorf("type %s / %s", r.EventType, r.SubEventType)
			}
		}},
		{"22 (+1): 22 victims, 1 attacker; 41 wounded", file1519, "2017-02-07", "Kabul, Afghanistan", func(t *testing.T, r vigil.Report) {
			if r.Killed != vigil.Exact(22) || r.AttackersKilled != vigil.N(1) || r.Wounded != vigil.Exact(41) {
				t.Errorf("killed %v attackers %v wounded %v", r.Killed, r.AttackersKilled, r.Wounded)
			}
		}},
		{"91+ (+1) and 300+: at least, high unknown", file1519, "2017-02-16", "Sehwan, Pakistan", func(t *testing.T, r vigil.Report) {
			want := vigil.Range{Low: vigil.N(91), Best: vigil.N(91)}
			if r.Killed != want || r.AttackersKilled != vigil.N(1) {
				t.Errorf("killed %+v attackers %v", r.Killed, r.AttackersKilled)
			}
			if r.Wounded.Low != vigil.N(300) || r.Wounded.High.Known {
				t.Errorf("wounded %+v, want low 300 and no high", r.Wounded)
			}
			if r.Phrase != "dead: 91+ (+1); injured: 300+" {
				t.Errorf("phrase %q", r.Phrase)
			}
		}},
		{"Unknown injured is unknown, the words kept", file16q4, "2016-12-28", "Kabul, Afghanistan", func(t *testing.T, r vigil.Report) {
			if !r.Wounded.IsZero() || !strings.Contains(r.Phrase, "injured: Unknown") {
				t.Errorf("wounded %+v phrase %q", r.Wounded, r.Phrase)
			}
		}},
		{"ISKP named and suspected", file16q4, "2016-12-25", "Laghman Province, Afghanistan", func(t *testing.T, r vigil.Report) {
			a := perp(t, r, "iskp")
			if a.Attribution != vigil.AttributionSuspected || a.Rule != "" {
				t.Errorf("iskp: %s rule %q, want suspected by the list", a.Attribution, a.Rule)
			}
			if r.Admin1 != "AF-LAG" || r.Precision != vigil.LocationAdmin1 {
				t.Errorf("place %s precision %d", r.Admin1, r.Precision)
			}
		}},
		{"ISKP named, attributed", file1519, "2017-02-08", "Qushtipa, Afghanistan", func(t *testing.T, r vigil.Report) {
			if a := perp(t, r, "iskp"); a.Attribution != vigil.AttributionAttributed {
				t.Errorf("iskp: %s", a.Attribution)
			}
			if r.Admin1 != "AF-JOW" {
				t.Errorf("Qushtipa in %s, want Jowzjan (AF-JOW)", r.Admin1)
			}
		}},
		{"unqualified Islamic State in Afghanistan: the dictionary's rule makes it ISKP", file1519, "2017-06-30", "Achin District, Afghanistan", func(t *testing.T, r vigil.Report) {
			a := perp(t, r, "iskp")
			if a.Attribution != vigil.AttributionAttributed || a.Rule != "iskp-geography" || a.AsWritten != "Islamic State" {
				t.Errorf("iskp: %s rule %q as written %q", a.Attribution, a.Rule, a.AsWritten)
			}
			if r.Admin1 != "AF-NAN" || r.Admin2 != "Achin" || r.Precision != vigil.LocationAdmin2 {
				t.Errorf("place %s/%s precision %d, want AF-NAN/Achin 3", r.Admin1, r.Admin2, r.Precision)
			}
		}},
		{"suspected Islamic State: the rule names ISKP, the suspicion stays", file1519, "2015-10-31", "Achin, Afghanistan", func(t *testing.T, r vigil.Report) {
			a := perp(t, r, "iskp")
			if a.Attribution != vigil.AttributionSuspected || a.Rule != "iskp-geography" {
				t.Errorf("iskp: %s rule %q", a.Attribution, a.Rule)
			}
		}},
		{"a claim is never rewritten", file1519, "2017-05-15", "Ahvaz, Iran", func(t *testing.T, r vigil.Report) {
			if a := perp(t, r, "jaish-al-adl"); a.Attribution != vigil.AttributionClaimed {
				t.Errorf("jaish al-adl: %s", a.Attribution)
			}
		}},
		{"the city, though the details say Stavropol district", file1519, "2018-12-19", "Stavropol, Russia", func(t *testing.T, r vigil.Report) {
			if r.Country != "RU" || r.Admin1 != "RU-STA" {
				t.Errorf("place %s %s, want RU-STA (the city, not a district of the same name elsewhere)", r.Country, r.Admin1)
			}
		}},
		{"Mastung", file1519, "2015-05-29", "Mastung, Pakistan", func(t *testing.T, r vigil.Report) {
			// Mastung is a town and the district it is the seat of: the bare
			// name reads as the district.
			if r.Country != "PK" || r.Admin1 != "PK-BA" || r.Precision > vigil.LocationAdmin2 {
				t.Errorf("place %s %s precision %d", r.Country, r.Admin1, r.Precision)
			}
			if a := r.Actors[0]; a.Attribution != vigil.AttributionUnknown {
				t.Errorf("unknown perpetrator: %+v", a)
			}
		}},
		{"Danghara District, Tajikistan", file1519, "2018-07-29", "Danghara District, Tajikistan", func(t *testing.T, r vigil.Report) {
			if r.Country != "TJ" || r.Admin1 == "" || r.Precision > vigil.LocationAdmin2 {
				t.Errorf("place %s %s precision %d", r.Country, r.Admin1, r.Precision)
			}
			if r.Killed != vigil.Exact(4) || r.AttackersKilled != vigil.N(4) {
				t.Errorf("killed %v attackers %v", r.Killed, r.AttackersKilled)
			}
		}},
		{"a district the details put in another province than its namesake", file1519, "2018-06-03", "Dih Bala district,Afghanistan", func(t *testing.T, r vigil.Report) {
			if r.Admin1 != "AF-NAN" {
				t.Errorf("Dih Bala in %s, want Nangarhar", r.Admin1)
			}
		}},
		{"two days", file1519, "2018-11-07", "Khujand, Tajikistan", func(t *testing.T, r vigil.Report) {
			if r.DateEnd.String() != "2018-11-08" || r.DatePrecision != vigil.DateDays {
				t.Errorf("dates %s–%s precision %d", r.DateStart, r.DateEnd, r.DatePrecision)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.check(t, find(t, tt.file, tt.date, tt.location)) })
	}
}

func TestParseCount(t *testing.T) {
	n, u := vigil.N, vigil.Num{}
	tests := []struct {
		in        string
		victims   vigil.Range
		attackers vigil.Num
		kidnapped vigil.Num
		ok        bool
	}{
		{"22", vigil.Exact(22), u, u, true},
		{"22 (+1)", vigil.Exact(22), n(1), u, true},
		{"1(+1)", vigil.Exact(1), n(1), u, true},
		{"0 (+3)", vigil.Exact(0), n(3), u, true},
		{"40+", vigil.Range{Low: n(40), Best: n(40)}, u, u, true},
		{"50+ (+1)", vigil.Range{Low: n(50), Best: n(50)}, n(1), u, true},
		{"3-12", vigil.Range{Low: n(3), High: n(12)}, u, u, true},
		{"36–126 (+3)", vigil.Range{Low: n(36), High: n(126)}, n(3), u, true},
		{"4+ or 5", vigil.Range{Low: n(4)}, u, u, true},
		{"~60", vigil.Range{Best: n(60)}, u, u, true},
		{"Unknown", vigil.Range{}, u, u, true},
		{"Several", vigil.Range{}, u, u, true},
		{"", vigil.Range{}, u, u, true},
		{"Unknown (+18)", vigil.Range{}, n(18), u, true},
		{"Dozens (+21)", vigil.Range{}, n(21), u, true},
		{"7 (+ Unknown)", vigil.Exact(7), u, u, true},
		{"6 (+several)", vigil.Exact(6), u, u, true},
		{"10 (+?)", vigil.Exact(10), u, u, true},
		{"2 (+8-10)", vigil.Exact(2), n(8), u, true},
		{"1 (+2 attackers)", vigil.Exact(1), n(2), u, true},
		{"20+ (+ around 135)", vigil.Range{Low: n(20), Best: n(20)}, n(135), u, true},
		{"+1", vigil.Range{}, n(1), u, true},
		{"10 (4 critical)", vigil.Exact(10), u, u, true},
		{"14 (kidnapped)", vigil.Range{}, u, n(14), true},
		{"Around 220 kidnapped", vigil.Range{}, u, n(220), true},
		{"42+ more kidnapped", vigil.Range{}, u, n(42), true},
		{"a lot", vigil.Range{}, u, u, false},
		{"5 (of them children)", vigil.Range{}, u, u, false},
		{"12-3", vigil.Range{}, u, u, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			c := wikilist.ParseCount(tt.in)
			if c.Victims != tt.victims || c.Attackers != tt.attackers || c.Kidnapped != tt.kidnapped || c.OK != tt.ok {
				t.Errorf("ParseCount(%q) = %+v, want victims %+v attackers %v kidnapped %v ok %v", tt.in, c, tt.victims, tt.attackers, tt.kidnapped, tt.ok)
			}
			if err := c.Victims.Validate(); err != nil {
				t.Errorf("invalid range: %v", err)
			}
		})
	}
}

func TestPerpetrators(t *testing.T) {
	type p struct {
		name string
		st   vigil.AttributionStatus
	}
	tests := []struct {
		in   string
		want []p
	}{
		{"Taliban", []p{{"Taliban", "attributed"}}},
		{"Taliban (suspected)", []p{{"Taliban", "suspected"}}},
		{"Taliban (Suspected)", []p{{"Taliban", "suspected"}}},
		{"Taliban suspected", []p{{"Taliban", "suspected"}}},
		{"Islamic State (claimed)", []p{{"Islamic State", "claimed"}}},
		{"Islamic State – Khorasan Province (suspected)", []p{{"Islamic State – Khorasan Province", "suspected"}}},
		{"Taliban and Haqqani Network", []p{{"Taliban", "attributed"}, {"Haqqani Network", "attributed"}}},
		{"Islamic State and Taliban (suspected)", []p{{"Islamic State", "suspected"}, {"Taliban", "suspected"}}},
		{"Lashkar-e-Jhangvi & Tehrik-i-Taliban Pakistan", []p{{"Lashkar-e-Jhangvi", "attributed"}, {"Tehrik-i-Taliban Pakistan", "attributed"}}},
		{"Taliban or Islamic State", []p{{"Taliban", "disputed"}, {"Islamic State", "disputed"}}},
		{"Islamic State – Khorasan Province or Taliban (suspected)", []p{{"Islamic State – Khorasan Province", "disputed"}, {"Taliban", "disputed"}}},
		{"Islamic State (suspected) / Ahvaz National Resistance (suspected)", []p{{"Islamic State", "disputed"}, {"Ahvaz National Resistance", "disputed"}}},
		{"Islamic State (claimed), Taliban (claimed)", []p{{"Islamic State", "claimed"}, {"Taliban", "claimed"}}},
		{"Unknown", []p{{"Unknown", "unknown"}}},
		{"Unknown militants", []p{{"Unknown militants", "unknown"}}},
		{"", nil},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got := wikilist.Perpetrators(tt.in, "by")
			var g []p
			for _, a := range got {
				if a.Role != vigil.RolePerpetrator || a.AttributedBy != "by" {
					t.Errorf("%+v: want a perpetrator attributed by the source", a)
				}
				g = append(g, p{a.Name, a.Attribution})
			}
			if fmt.Sprint(g) != fmt.Sprint(tt.want) {
				t.Errorf("Perpetrators(%q) = %v, want %v", tt.in, g, tt.want)
			}
		})
	}
}

func TestKinds(t *testing.T) {
	tests := []struct {
		in      string
		sub     vigil.SubEventType
		attacks string
	}{
		{"Suicide bombing", "Suicide bomb", "[Bombing/Explosion]"},
		{"Suicide Bombing", "Suicide bomb", "[Bombing/Explosion]"},
		{"Shooting, suicide bombings", "Suicide bomb", "[Armed Assault Bombing/Explosion]"},
		{"Bombings", "Remote explosive/landmine/IED", "[Bombing/Explosion]"},
		{"Land Mine", "Remote explosive/landmine/IED", "[Bombing/Explosion]"},
		{"Rocket attack", "Shelling/artillery/missile attack", "[Bombing/Explosion]"},
		{"Grenade attack", "Grenade", "[Bombing/Explosion]"},
		{"Kidnapping, shooting", "Abduction/forced disappearance", "[Hostage Taking (Kidnapping) Armed Assault]"},
		{"Shooting", "", "[Armed Assault]"}, // a shooting may be a clash or an attack
		{"Assassination", "", "[Assassination]"},
		{"Attack", "", "[]"},
		{"", "", "[]"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			et, sub, attacks, _ := wikilist.Kinds(tt.in)
			if sub != tt.sub || et != sub.Parent() || fmt.Sprint(attacks) != tt.attacks {
				t.Errorf("Kinds(%q) = %q, %q, %v; want %q, %s", tt.in, et, sub, attacks, tt.sub, tt.attacks)
			}
			for _, a := range attacks {
				if !a.Valid() {
					t.Errorf("%q is not a GTD attack type", a)
				}
			}
		})
	}
}

func TestDates(t *testing.T) {
	tests := []struct {
		month, day, start, end string
		prec                   vigil.DatePrecision
		errField               string
	}{
		{"2016-10", "3", "2016-10-03", "2016-10-03", vigil.DateDay, ""},
		{"2015-01", "16-17", "2015-01-16", "2015-01-17", vigil.DateDays, ""},
		{"2016-02", "29", "2016-02-29", "2016-02-29", vigil.DateDay, ""},
		{"2015-02", "29", "", "", 0, "day"},
		{"2015-13", "1", "", "", 0, "month"},
		{"Oct 2016", "1", "", "", 0, "month"},
		{"2016-10", "", "", "", 0, "day"},
		{"2016-10", "5-3", "", "", 0, "day"},
	}
	for _, tt := range tests {
		t.Run(tt.month+" "+tt.day, func(t *testing.T) {
			s, e, p, field, err := wikilist.Dates(tt.month, tt.day)
			if tt.errField != "" {
				if err == nil || field != tt.errField {
					t.Errorf("got %s %s err %v field %q, want an error on %s", s, e, err, field, tt.errField)
				}
				return
			}
			if err != nil || s.String() != tt.start || e.String() != tt.end || p != tt.prec {
				t.Errorf("got %s %s %d %v", s, e, p, err)
			}
		})
	}
}

// TestBadRows: a bad row is rejected as file:row: field: reason and the
// rows after it are read; an unreadable count is a warning, not a
// rejection.
func TestBadRows(t *testing.T) {
	data := "month,day,type,dead,injured,location,details,perpetrator,part_of\n" +
		"2016-10,3,Bombing,6,40+,\"Darzab District, Afghanistan\",An explosion.,Taliban (suspected),\n" +
		"2016-13,3,Bombing,6,40+,\"Kabul, Afghanistan\",An explosion.,Taliban,\n" +
		"2016-10,x,Bombing,6,40+,\"Kabul, Afghanistan\",An explosion.,Taliban,\n" +
		"2016-10,4,Bombing,6,,,,Taliban,\n" +
		"2016-10,5,Bombing,a lot,3,\"Qwxzv Qqq, Afghanistan\",An explosion.,Taliban,\n" +
		"2016-10,5,Bombing,2,3,\"Kabul, Afghanistan\",Another.,Taliban,\n" +
		"2016-10,6,Bombing,2,3\n"
	items, rejected, _ := readAll(t, "bad.csv", []byte(data))
	var got []string
	for _, re := range rejected {
		got = append(got, re.Error())
	}
	want := []string{
		`bad.csv:3: month: "2016-13" is not a month`,
		`bad.csv:4: day: "x": want a day or a range of days such as 16-17`,
		`bad.csv:5: location: empty, and no details`,
		`bad.csv:8: 5 fields, the header has 9: a row cut short or a comma too many`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("rejections:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(items) != 3 {
		t.Fatalf("%d items, want 3", len(items))
	}
	w := items[1].Warnings
	if len(w) != 1 || w[0].Reason != `bad.csv:6: dead: "a lot" is not a count the lists use; killed taken as unknown` {
		t.Errorf("warnings %+v", w)
	}
	if r := items[1].Reports[0]; r.Country != "AF" || r.Precision != vigil.LocationCountry {
		t.Errorf("unknown place in Afghanistan: %s precision %d", r.Country, r.Precision)
	}
	if k1, k2 := items[1].Reports[0].EventKey, items[2].Reports[0].EventKey; k1 != "wikilist:2016-10-05:1" || k2 != "wikilist:2016-10-05:2" {
		t.Errorf("event keys %s, %s", k1, k2)
	}
}

func TestNotAList(t *testing.T) {
	for _, data := range []string{"", "id,latitude\n1,2\n"} {
		_, err := wikilist.NewReader(strings.NewReader(data), "x.csv", nil, gaz(t))
		if vigil.ErrorCode(err) != vigil.EINVALID {
			t.Errorf("%q: got %v, want EINVALID", data, err)
		}
	}
}

func FuzzReader(f *testing.F) {
	data, err := os.ReadFile(file16q4)
	if err != nil {
		f.Fatal(err)
	}
	lines := bytes.SplitAfter(data, []byte("\n"))
	f.Add(bytes.Join(lines[:6], nil))
	f.Add(bytes.Join(append(lines[:1], lines[40:44]...), nil))
	f.Add([]byte("month,day,type,dead,injured,location,details,perpetrator\n2016-10,3-4,,Unknown (+3),\"1 (+\",\"Kabul\",,\n"))
	f.Add([]byte{})
	d, g := dict(f), gaz(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := wikilist.NewReader(bytes.NewReader(data), "fuzz.csv", d, g)
		if err != nil {
			if vigil.ErrorCode(err) != vigil.EINVALID {
				t.Fatalf("NewReader: %v, want EINVALID", err)
			}
			return
		}
		for n := 0; ; n++ {
			if n > len(data)+1 {
				t.Fatalf("%d results from %d bytes without io.EOF", n, len(data))
			}
			it, err := r.Next()
			if err == io.EOF {
				return
			}
			var re *vigil.RowError
			if errors.As(err, &re) {
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, rep := range it.Reports {
				if err := rep.Validate(); err != nil {
					t.Fatalf("invalid report: %v", err)
				}
			}
		}
	})
}

// TestSummary: the one-line summary lists precisions only when some row
// was located.
func TestSummary(t *testing.T) {
	const head = "month,day,type,dead,injured,location,details,perpetrator,part_of\n"
	for _, tc := range []struct{ name, rows, want string }{
		{"every row rejected", "2016-13,3,Bombing,6,40+,\"Kabul, Afghanistan\",An explosion.,Taliban,\n", "0 rows, 0 located, 0 with ISKP as perpetrator"},
		{"one located", "2016-10,5,Bombing,2,3,\"Kabul, Afghanistan\",Another.,Taliban,\n", "1 rows, 1 located (precision 1 exact place: 1), 0 with ISKP as perpetrator"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, r := readAll(t, "s.csv", []byte(head+tc.rows))
			if got := r.Summary(); got != tc.want {
				t.Errorf("summary %q, want %q", got, tc.want)
			}
		})
	}
}
