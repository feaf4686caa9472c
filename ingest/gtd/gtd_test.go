package gtd

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/actors"
	"github.com/vigil-osint/vigil/ingest/table"
)

// base is a GTD-shaped row: an ISKP suicide bombing in Nangarhar with a
// claim through Amaq, two attackers among the 12 dead.
func base() map[string]string {
	return map[string]string{
		"eventid": "201707310012", "iyear": "2017", "imonth": "7", "iday": "31", "approxdate": "",
		"extended": "0", "country": "4", "country_txt": "Afghanistan", "region": "6", "region_txt": "South Asia",
		"provstate": "Kabul", "city": "Kabul", "latitude": "34.516895", "longitude": "69.147011",
		"specificity": "1", "vicinity": "0", "summary": "07/31/2017: Assailants detonated explosives and opened fire at the Iraqi embassy in Kabul.",
		"crit1": "1", "crit2": "1", "crit3": "1", "doubtterr": "0", "multiple": "0", "success": "1", "suicide": "1",
		"attacktype1": "3", "attacktype1_txt": "Bombing/Explosion", "attacktype2": "2", "attacktype2_txt": "Armed Assault",
		"targtype1": "7", "targtype1_txt": "Government (Diplomatic)", "target1": "Iraqi Embassy",
		"gname": "Khorasan Chapter of the Islamic State", "guncertain1": "0", "claimed": "1",
		"claimmode": "8", "claimmode_txt": "Posted to website, blog, etc.", "compclaim": "",
		"weaptype1": "6", "weaptype1_txt": "Explosives", "weaptype2": "5", "weaptype2_txt": "Firearms",
		"nkill": "6", "nkillter": "4", "nwound": "2", "nwoundte": "0", "property": "1",
		"scite1":   "\"Islamic State claims attack on Iraqi embassy in Kabul,\" Reuters, July 31, 2017.",
		"dbsource": "START Primary Collection", "INT_LOG": "1", "INT_IDEO": "1", "INT_MISC": "1", "INT_ANY": "1",
		"related": "",
	}
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

func row(vals map[string]string) []string {
	rec := make([]string, len(Columns))
	for i, c := range Columns {
		rec[i] = vals[c]
	}
	return rec
}

func csvFile(t testing.TB, rows ...map[string]string) string {
	t.Helper()
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(Columns)
	for _, r := range rows {
		w.Write(row(r))
	}
	w.Flush()
	return b.String()
}

// xlsxFile writes the rows as START's workbook does: numbers as numbers.
func xlsxFile(t testing.TB, rows ...map[string]string) string {
	t.Helper()
	f := excelize.NewFile()
	sheet := f.GetSheetName(0)
	hdr := make([]any, len(Columns))
	for i, c := range Columns {
		hdr[i] = c
	}
	if err := f.SetSheetRow(sheet, "A1", &hdr); err != nil {
		t.Fatal(err)
	}
	for n, r := range rows {
		vals := make([]any, len(Columns))
		for i, c := range Columns {
			v := r[c]
			if f, err := parseNumber(v); err == nil {
				vals[i] = f
			} else if v != "" {
				vals[i] = v
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, n+2)
		if err := f.SetSheetRow(sheet, cell, &vals); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func parseNumber(s string) (float64, error) {
	if s == "" {
		return 0, errors.New("empty")
	}
	return table.Float(s, -1e15, 1e15)
}

func dict(t testing.TB) *actors.Dictionary {
	t.Helper()
	d, err := actors.Default()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func readAll(t testing.TB, data, name string) ([]*vigil.Item, []*vigil.RowError) {
	t.Helper()
	r, err := NewReader(strings.NewReader(data), name, dict(t))
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

func TestReadRow(t *testing.T) {
	for _, format := range []string{"csv", "xlsx"} {
		t.Run(format, func(t *testing.T) {
			data := csvFile(t, base())
			if format == "xlsx" {
				data = xlsxFile(t, base())
			}
			items, rejects := readAll(t, data, "gtd."+format)
			if len(rejects) > 0 || len(items) != 1 {
				t.Fatalf("got %d items, rejections %v", len(items), rejects)
			}
			it := items[0]
			if it.Source == nil || it.Source.Name != "GTD" {
				t.Errorf("source %+v", it.Source)
			}
			r := it.Reports[0]
			checks := []struct {
				name      string
				got, want any
			}{
				{"key", it.Document.Key, "gtd:201707310012"},
				{"date", r.DateStart.String() + "/" + r.DateEnd.String(), "2017-07-31/2017-07-31"},
				{"date precision", r.DatePrecision, vigil.DateDay},
				{"country", r.Country, "AF"},
				{"admin1", r.Admin1, "Kabul"},
				{"place", r.Name, "Kabul"},
				{"precision", r.Precision, vigil.LocationExact},
				{"attack types", len(r.AttackTypes), 2},
				{"second attack type", r.AttackTypes[1], vigil.AttackType("Armed Assault")},
				{"weapon types", len(r.WeaponTypes), 2},
				{"target type", r.TargetTypes[0], vigil.TargetType("Government (Diplomatic)")},
				{"event type", r.EventType, vigil.EventExplosions},
				{"sub-event type", r.SubEventType, vigil.SubEventType("Suicide bomb")},
				{"perpetrator", r.Actors[0].ActorID, "iskp"},
				{"claimed", r.Actors[0].Attribution, vigil.AttributionClaimed},
				{"claim mode", r.Actors[0].Channel, "Posted to website, blog, etc."},
				{"killed is nkill - nkillter", r.Killed.Best, vigil.N(2)},
				{"killed low unknown", r.Killed.Low.Known, false},
				{"attackers killed", r.AttackersKilled, vigil.N(4)},
				{"wounded", r.Wounded.Best, vigil.N(2)},
				{"doubtterr kept", r.Attrs["gtd.doubtterr"], "0"},
				{"multiple kept", r.Attrs["gtd.multiple"], "0"},
				{"target kept", r.Attrs["gtd.target1"], "Iraqi Embassy"},
				{"code column dropped beside its text", r.Attrs["gtd.attacktype1"], ""},
				{"summary", strings.Contains(r.Summary, "Iraqi embassy"), true},
				{"text", it.Document.Text, r.Summary},
			}
			for _, c := range checks {
				if c.got != c.want {
					t.Errorf("%s: got %v, want %v", c.name, c.got, c.want)
				}
			}
		})
	}
}

func TestMappings(t *testing.T) {
	tests := []struct {
		name  string
		vals  map[string]string
		check func(t *testing.T, r *vigil.Report)
	}{
		{"month unknown spans the year", with(base(), "imonth", "0", "iday", "0"), func(t *testing.T, r *vigil.Report) {
			if r.DateStart.String() != "2017-01-01" || r.DateEnd.String() != "2017-12-31" || r.DatePrecision != vigil.DateYear {
				t.Errorf("got %s–%s precision %d", r.DateStart, r.DateEnd, r.DatePrecision)
			}
		}},
		{"day unknown spans the month", with(base(), "imonth", "2", "iday", "0", "iyear", "2016"), func(t *testing.T, r *vigil.Report) {
			if r.DateStart.String() != "2016-02-01" || r.DateEnd.String() != "2016-02-29" || r.DatePrecision != vigil.DateMonth {
				t.Errorf("got %s–%s precision %d", r.DateStart, r.DateEnd, r.DatePrecision)
			}
		}},
		{"approxdate kept", with(base(), "approxdate", "July 30-31, 2017"), func(t *testing.T, r *vigil.Report) {
			if r.Attrs["gtd.approxdate"] != "July 30-31, 2017" {
				t.Errorf("got %q", r.Attrs["gtd.approxdate"])
			}
		}},
		{"extended is a range", with(base(), "extended", "1", "resolution", "2017-08-04"), func(t *testing.T, r *vigil.Report) {
			if r.DateEnd.String() != "2017-08-04" {
				t.Errorf("end %s", r.DateEnd)
			}
		}},
		{"extended with US date", with(base(), "extended", "1", "resolution", "8/4/2017"), func(t *testing.T, r *vigil.Report) {
			if r.DateEnd.String() != "2017-08-04" {
				t.Errorf("end %s", r.DateEnd)
			}
		}},
		{"specificity 4 is the province", with(base(), "specificity", "4"), func(t *testing.T, r *vigil.Report) {
			if r.Precision != vigil.LocationAdmin1 {
				t.Errorf("got %d", r.Precision)
			}
		}},
		{"specificity 5 is the country", with(base(), "specificity", "5"), func(t *testing.T, r *vigil.Report) {
			if r.Precision != vigil.LocationCountry {
				t.Errorf("got %d", r.Precision)
			}
		}},
		{"vicinity is near", with(base(), "vicinity", "1"), func(t *testing.T, r *vigil.Report) {
			if r.Precision != vigil.LocationNear {
				t.Errorf("got %d", r.Precision)
			}
		}},
		{"guncertain is suspected", with(base(), "guncertain1", "1", "claimed", "0"), func(t *testing.T, r *vigil.Report) {
			if r.Actors[0].Attribution != vigil.AttributionSuspected {
				t.Errorf("got %q", r.Actors[0].Attribution)
			}
		}},
		{"unclaimed is attributed by GTD", with(base(), "claimed", "0"), func(t *testing.T, r *vigil.Report) {
			if a := r.Actors[0]; a.Attribution != vigil.AttributionAttributed || a.AttributedBy != "GTD" {
				t.Errorf("got %+v", a)
			}
		}},
		{"unknown perpetrator", with(base(), "gname", "Unknown", "claimed", "0"), func(t *testing.T, r *vigil.Report) {
			if r.Actors[0].Attribution != vigil.AttributionUnknown {
				t.Errorf("got %q", r.Actors[0].Attribution)
			}
		}},
		{"competing claims", with(base(), "gname2", "Tehrik-i-Taliban Pakistan (TTP)", "claim2", "1", "claimmode2_txt", "Personal claim", "compclaim", "1"), func(t *testing.T, r *vigil.Report) {
			if len(r.Actors) != 2 || r.Actors[1].ActorID != "ttp" || r.Actors[1].Attribution != vigil.AttributionClaimed || r.Attrs["gtd.compclaim"] != "1" {
				t.Errorf("actors %+v compclaim %q", r.Actors, r.Attrs["gtd.compclaim"])
			}
			e := vigil.Fuse("x", []vigil.SourcedReport{{Report: *r}}, nil)
			if e.Actors[0].Attribution != vigil.AttributionDisputed {
				t.Errorf("fused attribution %q, want disputed", e.Actors[0].Attribution)
			}
		}},
		{"nkillter unknown leaves nkill", with(base(), "nkillter", ""), func(t *testing.T, r *vigil.Report) {
			if r.Killed.Best != vigil.N(6) || r.AttackersKilled.Known {
				t.Errorf("killed %v attackers %v", r.Killed, r.AttackersKilled)
			}
		}},
		{"nkill unknown", with(base(), "nkill", "", "nkillter", ""), func(t *testing.T, r *vigil.Report) {
			if !r.Killed.IsZero() {
				t.Errorf("killed %v, want unknown", r.Killed)
			}
		}},
		{"-99 is unknown", with(base(), "nwound", "-99"), func(t *testing.T, r *vigil.Report) {
			if r.Wounded.Best.Known {
				t.Errorf("wounded %v", r.Wounded)
			}
		}},
		{"related attacks share a group", with(base(), "related", "201707310013, 201707310011"), func(t *testing.T, r *vigil.Report) {
			if r.Attrs["gtd.related_group"] != "201707310011" || r.Attrs["gtd.related"] != "201707310011,201707310013" || r.EventKey != "gtd:201707310012" {
				t.Errorf("group %q related %q key %q", r.Attrs["gtd.related_group"], r.Attrs["gtd.related"], r.EventKey)
			}
		}},
		{"armed assault on police is a battle", with(base(), "attacktype1_txt", "Armed Assault", "attacktype2_txt", "", "targtype1_txt", "Police"), func(t *testing.T, r *vigil.Report) {
			if r.EventType != vigil.EventBattles {
				t.Errorf("got %q", r.EventType)
			}
		}},
		{"kidnapping of civilians is an abduction", with(base(), "attacktype1_txt", "Hostage Taking (Kidnapping)", "targtype1_txt", "Private Citizens & Property"), func(t *testing.T, r *vigil.Report) {
			if r.SubEventType != "Abduction/forced disappearance" {
				t.Errorf("got %q", r.SubEventType)
			}
		}},
		{"older weapon text", with(base(), "weaptype1_txt", "Explosives/Bombs/Dynamite"), func(t *testing.T, r *vigil.Report) {
			if r.WeaponTypes[0] != "Explosives" {
				t.Errorf("got %q", r.WeaponTypes[0])
			}
		}},
		{"country without ISO code", with(base(), "country_txt", "International"), func(t *testing.T, r *vigil.Report) {
			if r.Country != "" || r.Attrs["gtd.country_txt"] != "International" {
				t.Errorf("country %q", r.Country)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items, rejects := readAll(t, csvFile(t, tt.vals), "gtd.csv")
			if len(rejects) > 0 {
				t.Fatal(rejects[0])
			}
			tt.check(t, &items[0].Reports[0])
		})
	}
}

func TestRejections(t *testing.T) {
	tests := []struct {
		name string
		vals map[string]string
		want string
	}{
		{"no such day", with(base(), "imonth", "2", "iday", "30"), "gtd.csv:2: iday: 2017-02-30 is not a date"},
		{"bad month", with(base(), "imonth", "13"), "gtd.csv:2: imonth: "},
		{"more attackers than dead", with(base(), "nkillter", "7"), "gtd.csv:2: nkillter: 7 attackers killed is more than nkill 6"},
		{"resolution before start", with(base(), "extended", "1", "resolution", "2017-07-01"), "gtd.csv:2: resolution: "},
		{"bad latitude", with(base(), "latitude", "north"), "gtd.csv:2: latitude: "},
		{"bad attack type", with(base(), "attacktype1_txt", "Cyber"), "gtd.csv:2: attacktype1_txt: "},
		{"no group", with(base(), "gname", ""), "gtd.csv:2: gname: empty"},
		{"bad specificity", with(base(), "specificity", "9"), "gtd.csv:2: specificity: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items, rejects := readAll(t, csvFile(t, tt.vals, with(base(), "eventid", "2")), "gtd.csv")
			if len(rejects) != 1 {
				t.Fatalf("got %d rejections, want 1", len(rejects))
			}
			if got := rejects[0].Error(); !strings.HasPrefix(got, tt.want) {
				t.Errorf("got %q, want prefix %q", got, tt.want)
			}
			if len(items) != 1 || items[0].Document.Key != "gtd:2" {
				t.Errorf("the next row was not read")
			}
		})
	}
}

func TestXLSXRowNumbersAndDates(t *testing.T) {
	data := xlsxFile(t, with(base(), "extended", "1", "resolution", "42951"), with(base(), "eventid", "2", "iday", "32"))
	items, rejects := readAll(t, data, "gtd.xlsx")
	if len(items) != 1 || len(rejects) != 1 {
		t.Fatalf("got %d items %d rejections", len(items), len(rejects))
	}
	if got := items[0].Reports[0].DateEnd.String(); got != "2017-08-04" {
		t.Errorf("serial resolution date read as %s, want 2017-08-04", got)
	}
	if got := rejects[0].Error(); !strings.HasPrefix(got, "gtd.xlsx:3: iday: ") {
		t.Errorf("got %q", got)
	}
	if items[0].Document.Key != "gtd:201707310012" {
		t.Errorf("a numeric eventid read as %q", items[0].Document.Key)
	}
}

func TestSameContentSameHash(t *testing.T) {
	a, _ := readAll(t, csvFile(t, base()), "a.csv")
	b, _ := readAll(t, xlsxFile(t, base()), "b.xlsx")
	c, _ := readAll(t, csvFile(t, with(base(), "nkill", "7")), "c.csv")
	if a[0].Document.ContentHash != b[0].Document.ContentHash {
		t.Error("the same incident from CSV and XLSX hashes differently")
	}
	if a[0].Document.ContentHash == c[0].Document.ContentHash {
		t.Error("a revised toll kept the same hash")
	}
}

func TestHeaderErrors(t *testing.T) {
	tests := []struct{ name, data, want string }{
		{"empty", "", "empty file"},
		{"not gtd", "a,b\n1,2\n", "missing columns eventid"},
		{"broken xlsx", "PK\x03\x04garbage", "not a readable XLSX file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewReader(strings.NewReader(tt.data), "x", nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) || vigil.ErrorCode(err) != vigil.EINVALID {
				t.Errorf("got %v, want EINVALID with %q", err, tt.want)
			}
		})
	}
}

func FuzzReader(f *testing.F) {
	f.Add(csvFile(f, base()))
	f.Add(csvFile(f, with(base(), "imonth", "0", "related", ",,", "nkill", "1e3")))
	f.Add("eventid,iyear,imonth,iday,country_txt,gname,nkill\n1,2000,0,0,Iran,x,\n")
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

// TestMutations feeds the reader thousands of randomly damaged files, as
// the fuzz test does (whose coverage-guided run is slow with excelize
// linked in): none may panic or be accepted invalid.
func TestMutations(t *testing.T) {
	seeds := []string{csvFile(t, base(), with(base(), "imonth", "0", "related", "1, 2")), xlsxFile(t, base())}
	rng := rand.New(rand.NewPCG(1, 2))
	d := dict(t)
	for i := 0; i < 3000; i++ {
		b := []byte(seeds[i%len(seeds)])
		for j := 0; j < 1+rng.IntN(8); j++ {
			p := rng.IntN(len(b))
			switch rng.IntN(3) {
			case 0:
				b[p] = byte(rng.IntN(256))
			case 1:
				b = append(b[:p], b[min(len(b), p+1+rng.IntN(20)):]...)
			default:
				b = append(b[:p], append([]byte{",\"\n0-9"[rng.IntN(6)]}, b[p:]...)...)
			}
			if len(b) == 0 {
				b = []byte("x")
			}
		}
		r, err := NewReader(bytes.NewReader(b), "m.csv", d)
		if err != nil {
			continue
		}
		for k := 0; k < 100; k++ {
			it, err := r.Next()
			if err == io.EOF {
				break
			}
			var re *vigil.RowError
			if errors.As(err, &re) {
				continue
			}
			if err != nil {
				break
			}
			for _, rep := range it.Reports {
				if err := rep.Validate(); err != nil {
					t.Fatalf("mutation %d: accepted an invalid report: %v", i, err)
				}
			}
		}
	}
}
