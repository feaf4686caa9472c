package casefile_test

import (
	"encoding/json"
	"errors"
	"io"
	"slices"
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

// TestBadFile: a file that is not a case file fails NewReader; a bad
// element of a case file does not (TestBadElements).
func TestBadFile(t *testing.T) {
	tests := []struct {
		name    string
		json    string
		wantErr string
	}{
		{"unknown top-level field", `{"title": "t", "sourcez": []}`, `unknown field "sourcez"`},
		{"documents not a list", `{"title": "t", "documents": {"key": "a"}}`, `cannot unmarshal object`},
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

// TestBadSource: a source that does not validate is a row error on its
// line among the sources, and its documents are rejected naming it; the
// other source's documents are read. Before, it failed the whole file.
func TestBadSource(t *testing.T) {
	const f = `{"title": "t", "sources": [
		{"name": "Reuters", "kind": "news", "reliability": "B"},
		{"name": "Voice of Khurasan", "kind": "armed-group-media", "reliability": "Z"}],
	 "documents": [
		{"source": "Voice of Khurasan", "key": "vok", "title": "t"},
		{"source": "Reuters", "key": "r", "title": "t"}]}`
	res := read(t, strings.NewReader(f), "case.json")
	if got, want := strings.Join(res.bySeen, ","), "error,error,item"; got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
	for i, want := range []string{
		`case.json:3: sources: source "Voice of Khurasan": reliability "Z": want A–G`,
		`case.json:5: source: "Voice of Khurasan" was rejected (line 3)`,
	} {
		if got := res.errs[i].Error(); got != want {
			t.Errorf("rejection %d: got %q, want %q", i, got, want)
		}
	}
	if res.items[0].Document.Key != "r" || res.items[0].Source == nil || res.items[0].Source.Name != "Reuters" {
		t.Errorf("got item %+v, want Reuters's document with its source", res.items[0])
	}
}

// firstRejection reads every record of r and returns the first row error,
// or nil.
func firstRejection(t testing.TB, r *casefile.Reader) error {
	t.Helper()
	var first error
	for {
		_, err := r.Next()
		if err == io.EOF {
			return first
		}
		var re *vigil.RowError
		if !errors.As(err, &re) && err != nil {
			t.Fatalf("Next: %v", err)
		}
		if first == nil && err != nil {
			first = err
		}
	}
}

// TestBadElements: an element that does not decode (a date that is no
// date, a misspelt field, a wrong type) is a row error on its line naming
// the field, and the other elements are read; what cites a rejected
// document is rejected naming it. Before, one bad date failed the whole
// file ("not a case file: documents[1] ..., date_start: ...").
func TestBadElements(t *testing.T) {
	const src = `{"title": "t", "sources": [{"name": "Reuters", "kind": "news", "reliability": "B"}],
	 "documents": [`
	tests := []struct {
		name    string
		json    string
		seen    string   // items and errors in the order Next gave them
		wantErr []string // the row errors, in order
		rels    int      // relationships that hold
	}{
		{"a bad date in the second document's report", src + doc("a", report("")) + ",\n" + doc("b", `{"event_key": "k", "date_start": "05/09/2022"}`) + ",\n" + doc("c", report("")) + `]}`,
			"item,error,item", []string{`case.json:5: reports[0].date_start: date "05/09/2022": want YYYY-MM-DD`}, 0},
		{"a misspelt report field", src + doc("a", report(""), `{"event_key": "k", "date_start": "2022-09-05", "deaths": 3}`) + `]}`,
			"error", []string{`case.json:4: reports[1].deaths: json: unknown field "deaths"`}, 0},
		{"a misspelt actor field", src + doc("a", `{"event_key": "k", "date_start": "2022-09-05", "actors": [{"name": "ISKP", "role": "perpetrator", "attribution": "claimed", "via": "Amaq"}]}`) + `]}`,
			"error", []string{`case.json:2: reports[0].actors: json: unknown field "via"`}, 0},
		{"a misspelt document field", src + `{"source": "Reuters", "key": "a", "author": "x"},` + "\n" + doc("b") + `]}`,
			"error,item", []string{`case.json:2: author: json: unknown field "author"`}, 0},
		{"a wrong type", src + `{"source": "Reuters", "key": 5},` + "\n" + doc("b") + `]}`,
			"error,item", []string{`case.json:2: key: json: cannot unmarshal number into Go struct field Document.key of type string`}, 0},
		{"a misspelt source field", `{"title": "t", "sources": [{"name": "Reuters", "kind": "news", "reliability": "B"},
			{"name": "Tolo", "kind": "news", "reliability": "C", "grade": "C3"}], "documents": [` + doc("a") + `]}`,
			"error,item", []string{`case.json:2: sources.grade: json: unknown field "grade"`}, 0},
		{"a relationship's bad date", src + doc("a") + `], "relationships": [
			{"from": "iskp", "to": "is", "type": "combat", "valid_from": "2021", "documents": [{"source": "Reuters", "key": "a"}]},
			{"from": "iskp", "to": "is", "type": "subsidiary-of", "documents": [{"source": "Reuters", "key": "a"}]}]}`,
			"item,error", []string{`case.json:3: relationships.valid_from: date "2021": want YYYY-MM-DD`}, 1},
		{"a relationship citing a rejected document", src + doc("a") + ",\n" + doc("b", `{"event_key": "k", "date_start": "2022-13-01"}`) + `], "relationships": [
			{"from": "iskp", "to": "is", "type": "subsidiary-of", "documents": [{"source": "Reuters", "key": "b"}]},
			{"from": "iskp", "to": "is", "type": "subsidiary-of", "documents": [{"source": "Reuters", "key": "a"}]}]}`,
			"item,error,error", []string{
				`case.json:3: reports[0].date_start: date "2022-13-01": want YYYY-MM-DD`,
				`case.json:4: relationships.documents: Reuters/b was rejected (line 3)`,
			}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := casefile.NewReader(strings.NewReader(tt.json), "case.json", nil)
			if err != nil {
				t.Fatalf("NewReader: %v, want the file read and the bad element rejected", err)
			}
			rels, _ := r.Relationships()
			var seen, errs []string
			for {
				_, err := r.Next()
				if err == io.EOF {
					break
				}
				var re *vigil.RowError
				switch {
				case errors.As(err, &re):
					seen = append(seen, "error")
					errs = append(errs, re.Error())
					if vigil.ErrorCode(re) != vigil.EINVALID {
						t.Errorf("%v: code %q, want %q", re, vigil.ErrorCode(re), vigil.EINVALID)
					}
				case err != nil:
					t.Fatalf("Next: %v", err)
				default:
					seen = append(seen, "item")
				}
			}
			if got := strings.Join(seen, ","); got != tt.seen {
				t.Errorf("got %s, want %s", got, tt.seen)
			}
			if !slices.Equal(errs, tt.wantErr) {
				t.Errorf("got rejections\n%s\nwant\n%s", strings.Join(errs, "\n"), strings.Join(tt.wantErr, "\n"))
			}
			if len(rels) != tt.rels {
				t.Errorf("got %d relationships, want %d", len(rels), tt.rels)
			}
		})
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
			rels, _ := r.Relationships()
			err = firstRejection(t, r)
			switch {
			case tt.wantErr == "" && (err != nil || len(rels) != 1):
				t.Errorf("got %d, %v; want the relationship", len(rels), err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("err = %v, want one with %q", err, tt.wantErr)
			}
		})
	}
}

// TestBadFileSaysWhere: a case file that does not decode as one names
// where: the line and column of a syntax or type error, else the field.
func TestBadFileSaysWhere(t *testing.T) {
	tests := []struct {
		name, json, want string
	}{
		{"unknown top-level field", "{\"title\": \"t\",\n \"sourcez\": []}", `sourcez: json: unknown field "sourcez" (line 2)`},
		{"syntax error", "{\"title\": \"t\",\n \"documents\": [,]}", "line 2, column 16: invalid character ','"},
		{"wrong type of a list", "{\"title\": \"t\",\n \"documents\": 5}", "line 2, column 15: json: cannot unmarshal number"},
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
