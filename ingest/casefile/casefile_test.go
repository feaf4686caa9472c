package casefile_test

import (
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/actors"
	"github.com/vigil-osint/vigil/data"
	"github.com/vigil-osint/vigil/ingest/casefile"
)

const demoPath = "demo/iskp-case.json" // in data.Files

func dict(t testing.TB) *actors.Dictionary {
	t.Helper()
	d, err := actors.Default()
	if err != nil {
		t.Fatalf("actors.Default: %v", err)
	}
	return d
}

// result is what reading a case file gave: its items and row errors.
type result struct {
	items  []*vigil.Item
	errs   []*vigil.RowError
	bySeen []string // "item" or "error", in order
}

func read(t testing.TB, r io.Reader, name string) result {
	t.Helper()
	cr, err := casefile.NewReader(r, name, dict(t))
	if err != nil {
		t.Fatalf("NewReader(%s): %v", name, err)
	}
	var res result
	for {
		it, err := cr.Next()
		if err == io.EOF {
			return res
		}
		var re *vigil.RowError
		switch {
		case errors.As(err, &re):
			res.errs = append(res.errs, re)
			res.bySeen = append(res.bySeen, "error")
		case err != nil:
			t.Fatalf("Next: %v", err)
		default:
			res.items = append(res.items, it)
			res.bySeen = append(res.bySeen, "item")
		}
	}
}

func TestDemoCase(t *testing.T) {
	raw, err := data.Files.ReadFile(demoPath)
	if err != nil {
		t.Fatal(err)
	}
	var f casefile.File
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatalf("the demo case is not JSON: %v", err)
	}
	declared := map[string]vigil.Source{}
	for _, s := range f.Sources {
		declared[s.Name] = s
	}

	res := read(t, strings.NewReader(string(raw)), demoPath)
	for _, e := range res.errs {
		t.Errorf("the demo case has a bad document: %v", e)
	}
	if got, want := len(res.items), len(f.Documents); got != want {
		t.Fatalf("got %d items, want one per document (%d)", got, want)
	}

	sent := map[string]int{}
	type span struct{ first, last vigil.Date }
	events := map[string]*span{}
	reports := 0
	for _, it := range res.items {
		name := it.Document.Source
		if _, ok := declared[name]; !ok {
			t.Errorf("document %s: source %q is not declared", it.Document.Key, name)
		}
		if it.Source != nil {
			sent[it.Source.Name]++
		}
		if it.Document.ContentHash == "" {
			t.Errorf("document %s has no content hash", it.Document.Key)
		}
		if !it.Document.Marking.Valid() {
			t.Errorf("document %s: marking %q", it.Document.Key, it.Document.Marking)
		}
		for _, rep := range it.Reports {
			reports++
			if rep.EventKey == "" {
				t.Errorf("document %s report %s has no event_key", it.Document.Key, rep.Key)
				continue
			}
			s := events[rep.EventKey]
			if s == nil {
				s = &span{rep.DateStart, rep.DateStart}
				events[rep.EventKey] = s
			}
			if rep.DateStart.Before(s.first) {
				s.first = rep.DateStart
			}
			if rep.DateStart.After(s.last) {
				s.last = rep.DateStart
			}
		}
	}
	if reports == 0 || len(events) == 0 {
		t.Fatal("the demo case has no reports")
	}
	for key, s := range events {
		if d := s.first.DaysUntil(s.last); d > 1 {
			t.Errorf("event %s: reports span %s to %s (%d days), want one date within 1 day", key, s.first, s.last, d)
		}
	}
	// Each source used goes out once, with its first document.
	for name, n := range sent {
		if n != 1 {
			t.Errorf("source %q sent %d times, want once", name, n)
		}
	}
	// A group's own media is never graded A.
	for _, s := range f.Sources {
		if s.Kind == vigil.SourceGroupMedia && s.Reliability == vigil.ReliabilityA {
			t.Errorf("source %q is the group's own media but graded A", s.Name)
		}
	}
}

// TestDemoCaseClaims: the group's claims in the demo case resolve to ISKP
// and stay claims.
func TestDemoCaseClaims(t *testing.T) {
	raw, err := data.Files.ReadFile(demoPath)
	if err != nil {
		t.Fatal(err)
	}
	res := read(t, strings.NewReader(string(raw)), demoPath)
	claims := 0
	for _, it := range res.items {
		for _, rep := range it.Reports {
			for _, a := range rep.Actors {
				if a.Role != vigil.RolePerpetrator || a.Attribution != vigil.AttributionClaimed {
					continue
				}
				claims++
				if a.ActorID != "iskp" && a.ActorID != "is" {
					t.Errorf("%s: claim by %q (%s), want ISKP or the Islamic State", it.Document.Key, a.Name, a.ActorID)
				}
				if a.Rule != "" {
					t.Errorf("%s: a claim was rewritten by rule %s", it.Document.Key, a.Rule)
				}
			}
		}
	}
	if claims == 0 {
		t.Error("the demo case holds no claims")
	}
}

// caseFile builds a small case file around documents given as JSON.
func caseFile(docs ...string) string {
	return `{"title": "test", "sources": [
		{"name": "Reuters", "kind": "news", "reliability": "B"},
		{"name": "Amaq News Agency", "kind": "armed-group-media", "reliability": "D", "speaks_for": "is"}],
	 "documents": [` + strings.Join(docs, ",") + `]}`
}

// doc is a document of Reuters with the given reports.
func doc(key string, reports ...string) string {
	return `{"source": "Reuters", "key": "` + key + `", "title": "t", "reports": [` + strings.Join(reports, ",") + `]}`
}

// report is a valid report of the Kabul embassy bombing with fields replaced or added.
func report(extra string) string {
	r := `"event_key": "kabul-embassy", "date_start": "2022-09-05", "date_precision": 1,
		"place": "Kabul", "latitude": 34.528, "longitude": 69.172, "location_precision": 1, "country": "AF",
		"actors": [{"name": "ISKP", "role": "perpetrator", "attribution": "claimed"}]`
	if extra != "" {
		r += ", " + extra
	}
	return "{" + r + `, "killed": {"low": 6, "best": 6, "high": 6}}`
}

func TestRead(t *testing.T) {
	res := read(t, strings.NewReader(caseFile(doc("a", report(""), report(`"key": "second"`)))), "case.json")
	if len(res.errs) > 0 || len(res.items) != 1 {
		t.Fatalf("got %d items and errors %v, want one item", len(res.items), res.errs)
	}
	it := res.items[0]
	if it.Source == nil || it.Source.Name != "Reuters" {
		t.Errorf("the first document does not carry its source: got %+v", it.Source)
	}
	if got, want := it.Document.Marking, vigil.TLPClear; got != want {
		t.Errorf("marking: got %q, want %q", got, want)
	}
	tests := []struct {
		name, key string
	}{{"key defaults to the position", "0"}, {"key given", "second"}}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := it.Reports[i]
			if rep.Key != tt.key {
				t.Errorf("key: got %q, want %q", rep.Key, tt.key)
			}
			if got, want := rep.DateEnd, rep.DateStart; got != want {
				t.Errorf("date_end: got %s, want date_start %s", got, want)
			}
			if a := rep.Actors[0]; a.ActorID != "iskp" || a.AsWritten != "ISKP" || a.Attribution != vigil.AttributionClaimed {
				t.Errorf("actor: got %q (%s) %s as written %q, want ISKP (iskp) claimed", a.Name, a.ActorID, a.Attribution, a.AsWritten)
			}
		})
	}
}

// TestBadDocuments: a bad document is a row error on the line it starts on
// (a report's field: the line the report starts on) naming the field, and
// the next document still reads. The second document starts on line 6,
// its second report on line 8.
func TestBadDocuments(t *testing.T) {
	tests := []struct {
		name      string
		bad       string
		wantField string
		wantErr   string
	}{
		{"undeclared source", `{"source": "Tolo News", "key": "b", "reports": [` + report("") + `]}`,
			"source", `case.json:6: source: "Tolo News" is not among the case file's sources`},
		{"no key", `{"source": "Reuters", "reports": [` + report("") + `]}`,
			"key", `case.json:6: key: required`},
		{"bad published", `{"source": "Reuters", "key": "b", "published": "5 Sept 2022"}`,
			"published", `case.json:6: published: "5 Sept 2022": want YYYY-MM-DD or RFC 3339`},
		{"best above high in the second report", doc("b", report(""), `{"event_key": "k", "date_start": "2022-09-05", "killed": {"low": 2, "best": 9, "high": 6}}`),
			"reports[1].killed", `case.json:8: reports[1].killed: best 9 is above high 6`},
		{"best below low", doc("b", `{"event_key": "k", "date_start": "2022-09-05", "wounded": {"low": 5, "best": 3, "high": 6}}`),
			"reports[0].wounded", `case.json:6: reports[0].wounded: best 3 is below low 5`},
		{"no date", doc("b", `{"event_key": "k", "killed": {"best": 1}}`),
			"reports[0].date_start", `case.json:6: reports[0].date_start: date required`},
		{"latitude out of range", doc("b", `{"event_key": "k", "date_start": "2022-09-05", "latitude": 134.5, "longitude": 69.1}`),
			"reports[0].latitude", `case.json:6: reports[0].latitude: 134.5 out of range -90..90`},
		{"bad actor role", doc("b", `{"event_key": "k", "date_start": "2022-09-05", "actors": [{"name": "ISKP", "role": "culprit", "attribution": "claimed"}]}`),
			"reports[0].actors[0].role", `case.json:6: reports[0].actors[0].role: "culprit": want perpetrator, target or party`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := read(t, strings.NewReader(caseFile(doc("a", report("")), tt.bad, doc("c", report("")))), "case.json")
			if got, want := strings.Join(res.bySeen, ","), "item,error,item"; got != want {
				t.Fatalf("got %s, want %s", got, want)
			}
			re := res.errs[0]
			if want := "case.json:" + strconv.Itoa(re.Row) + ": "; re.File != "case.json" || re.Field != tt.wantField || !strings.HasPrefix(tt.wantErr, want) {
				t.Errorf("got %s:%d field %q, want %s field %q", re.File, re.Row, re.Field, tt.wantErr, tt.wantField)
			}
			if got := re.Error(); got != tt.wantErr {
				t.Errorf("got error %q, want %q", got, tt.wantErr)
			}
			if got, want := vigil.ErrorCode(re), vigil.EINVALID; got != want {
				t.Errorf("got code %q, want %q", got, want)
			}
			if got, want := res.items[1].Document.Key, "c"; got != want {
				t.Errorf("the next document: got %q, want %q", got, want)
			}
		})
	}
}

// TestBadFile: a file that is not a case file fails NewReader.
func TestBadFile(t *testing.T) {
	tests := []struct {
		name    string
		json    string
		wantErr string
	}{
		{"unknown top-level field", `{"title": "t", "sourcez": []}`, `unknown field "sourcez"`},
		{"unknown document field", caseFile(`{"source": "Reuters", "key": "a", "author": "x"}`), `unknown field "author"`},
		{"unknown report field", caseFile(doc("a", `{"event_key": "k", "date_start": "2022-09-05", "deaths": 3}`)), `unknown field "deaths"`},
		{"unknown actor field", caseFile(doc("a", `{"event_key": "k", "date_start": "2022-09-05", "actors": [{"name": "ISKP", "role": "perpetrator", "attribution": "claimed", "via": "Amaq"}]}`)), `unknown field "via"`},
		{"unknown source field", `{"title": "t", "sources": [{"name": "Reuters", "kind": "news", "reliability": "B", "grade": "B2"}]}`, `unknown field "grade"`},
		{"bad date", caseFile(doc("a", `{"event_key": "k", "date_start": "05/09/2022"}`)), "want YYYY-MM-DD"},
		{"empty", ``, "empty file"},
		{"not JSON", `title: t`, "invalid character"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := casefile.NewReader(strings.NewReader(tt.json), "case.json", nil)
			if err == nil {
				t.Fatalf("got no error, want one containing %q", tt.wantErr)
			}
			if got, want := vigil.ErrorCode(err), vigil.EINVALID; got != want {
				t.Errorf("got code %q, want %q", got, want)
			}
			for _, w := range []string{tt.wantErr, "case.json", "not a case file"} {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("got error %q, want it to contain %q", err, w)
				}
			}
		})
	}
}

// TestBadSource: a source that does not validate fails NewReader with a
// row error on its row among the sources.
func TestBadSource(t *testing.T) {
	const f = `{"title": "t", "sources": [
		{"name": "Reuters", "kind": "news", "reliability": "B"},
		{"name": "Voice of Khurasan", "kind": "armed-group-media", "reliability": "Z"}]}`
	_, err := casefile.NewReader(strings.NewReader(f), "case.json", nil)
	var re *vigil.RowError
	if !errors.As(err, &re) {
		t.Fatalf("got %v, want a *vigil.RowError", err)
	}
	if re.Row != 3 || re.Field != "sources" { // the line the source starts on
		t.Errorf("got row %d field %q, want row 3 field %q", re.Row, re.Field, "sources")
	}
	if !strings.Contains(re.Error(), `reliability "Z"`) {
		t.Errorf("got error %q, want it to name the reliability", re)
	}
}

func TestRelationshipsCiteTheirDocuments(t *testing.T) {
	tests := []struct {
		name, rel, wantErr string
	}{
		{"cites a document of the file", `{"from":"iskp","to":"is","type":"subsidiary-of","documents":[{"source":"Wire","key":"a"}]}`, ""},
		{"cites a document elsewhere", `{"from":"iskp","to":"is","type":"subsidiary-of","documents":[{"source":"Wire","key":"zzz"}]}`, "Wire/zzz is not a document of the case file"},
		{"cites nothing", `{"from":"iskp","to":"is","type":"subsidiary-of","documents":[]}`, "needs the documents that assert it"},
		{"unknown type", `{"from":"iskp","to":"is","type":"friendship","documents":[{"source":"Wire","key":"a"}]}`, "friendship"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := `{"title":"t","sources":[{"name":"Wire","kind":"news","reliability":"B"}],
				"documents":[{"source":"Wire","key":"a","title":"x"}],"relationships":[` + tt.rel + `]}`
			r, err := casefile.NewReader(strings.NewReader(in), "case.json", nil)
			if err != nil {
				t.Fatal(err)
			}
			rels, err := r.Relationships()
			switch {
			case tt.wantErr == "" && (err != nil || len(rels) != 1):
				t.Errorf("got %d, %v; want the relationship", len(rels), err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("err = %v, want one with %q", err, tt.wantErr)
			}
		})
	}
}

// TestBadFileSaysWhere: a case file that does not decode names where: the
// line and column of a syntax or type error, else the document, report
// and field that fail, with its line.
func TestBadFileSaysWhere(t *testing.T) {
	tests := []struct {
		name, json, want string
	}{
		{"bad date in the second document's first report", caseFile(doc("a"), "\n"+doc("b", `{"event_key": "k", "date_start": "05/09/2022"}`)),
			`documents[1] (key "b"), reports[0], date_start: date "05/09/2022": want YYYY-MM-DD (line 5)`},
		{"unknown report field", caseFile(doc("a", `{"event_key": "k", "date_start": "2022-09-05"}`, `{"deaths": 3}`)),
			`documents[0] (key "a"), reports[1], deaths: json: unknown field "deaths" (line 4)`},
		{"unknown document field", caseFile(`{"source": "Reuters", "key": "a", "author": "x"}`), `documents[0] (key "a"), author:`},
		{"bad relationship date", `{"title": "t", "relationships": [{"from": "iskp", "to": "is", "type": "combat", "valid_from": "2021"}]}`,
			`relationships[0], valid_from: date "2021"`},
		{"unknown top-level field", "{\"title\": \"t\",\n \"sourcez\": []}", `sourcez: json: unknown field "sourcez" (line 2)`},
		{"syntax error", "{\"title\": \"t\",\n \"documents\": [,]}", "line 2, column 16: invalid character ','"},
		{"wrong type", "{\"title\": \"t\",\n \"documents\": [{\"key\": 5}]}", "line 2, column 24: json: cannot unmarshal number"},
		// A file of nothing but space is empty, not "EOF".
		{"blank", " \n\n", "case.json: empty file: not a case file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := casefile.NewReader(strings.NewReader(tt.json), "case.json", nil)
			want := "case.json: not a case file: " + tt.want
			if strings.HasPrefix(tt.want, "case.json:") {
				want = tt.want
			}
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("got %v, want it to say %q", err, tt.want)
			}
		})
	}
}

// TestDemoCaseTiesDoNotOverlap: in the shipped case, no two actors are said
// to cooperate over a period in which the same documents say they fight.
// The analysis describes the Taliban's early cooperation with ISKP as ended
// (relations deteriorated over allegiance; the Taliban fought ISKP from
// 2018); before, the cooperation had no end, and `actors relationships
// taliban --at 2019-06-01` showed it beside the war.
func TestDemoCaseTiesDoNotOverlap(t *testing.T) {
	raw, err := data.Files.ReadFile(demoPath)
	if err != nil {
		t.Fatal(err)
	}
	cr, err := casefile.NewReader(strings.NewReader(string(raw)), demoPath, dict(t))
	if err != nil {
		t.Fatal(err)
	}
	rels, err := cr.Relationships()
	if err != nil {
		t.Fatal(err)
	}
	pair := func(r casefile.Relationship) [2]string {
		if r.From < r.To {
			return [2]string{r.From, r.To}
		}
		return [2]string{r.To, r.From}
	}
	// overlap reports whether two validity periods share a day; a zero
	// bound is open.
	overlap := func(a, b vigil.Relationship) bool {
		return (a.ValidTo.IsZero() || b.ValidFrom.IsZero() || !a.ValidTo.Before(b.ValidFrom)) &&
			(b.ValidTo.IsZero() || a.ValidFrom.IsZero() || !b.ValidTo.Before(a.ValidFrom))
	}
	sameDocs := func(a, b casefile.Relationship) bool {
		for _, x := range a.Documents {
			for _, y := range b.Documents {
				if x == y {
					return true
				}
			}
		}
		return false
	}
	checked := 0
	for _, c := range rels {
		if c.Type != vigil.RelCooperation {
			continue
		}
		for _, f := range rels {
			if f.Type != vigil.RelCombat || pair(f) != pair(c) || !sameDocs(c, f) {
				continue
			}
			checked++
			if overlap(c.Relationship, f.Relationship) {
				t.Errorf("%s and %s cooperate %s–%s and fight %s–%s by the same documents", c.From, c.To,
					c.ValidFrom, c.ValidTo, f.ValidFrom, f.ValidTo)
			}
		}
	}
	if checked == 0 {
		t.Fatal("the demo case has no cooperation and combat of one pair to check; the test needs the Taliban and ISKP's")
	}
}
