package link

import (
	"os"
	"strings"
	"testing"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/actors"
)

func config(t testing.TB) Config {
	t.Helper()
	dict, err := actors.Default()
	if err != nil {
		t.Fatal(err)
	}
	c := Default()
	c.Parents = map[string]string{}
	for _, a := range dict.Actors {
		if a.Parent != "" {
			c.Parents[a.ID] = a.Parent
		}
	}
	return c
}

func TestGeneratedGold(t *testing.T) {
	c := config(t)
	for _, seed := range []uint64{1, 2, 3} {
		g := generatedGold(t, seed)
		res := c.Link(g.Records, nil)
		m := Evaluate(g.Labels, res.Group)
		t.Logf("seed %d: %d reports, %d true events, %d events; pairwise %+v; B-cubed %+v", seed, m.Reports, m.GoldEvents, m.Events, m.Pairwise, m.BCubed)
		if m.BCubed.F1 < 0.95 {
			t.Errorf("seed %d: B-cubed F1 = %.3f, want ≥ 0.95", seed, m.BCubed.F1)
		}
	}
}

func TestRealGold(t *testing.T) {
	dict, _ := actors.Default()
	f, err := os.Open("../testdata/link/wikipedia-2016.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	g, err := ReadGold(f, "wikipedia-2016.json", dict)
	if err != nil {
		t.Fatal(err)
	}
	c := config(t)
	m := Evaluate(g.Labels, c.Link(g.Records, nil).Group)
	if m.BCubed.F1 < 0.9 {
		t.Errorf("B-cubed F1 = %.3f (%+v), want ≥ 0.9", m.BCubed.F1, m)
	}
}

// rec makes a record of a suicide bombing in Kabul on 21 November 2016.
func rec(id int64, mod func(*Record)) Record {
	r := Record{ID: id, Document: id, Source: id, New: true, Start: day(vigil.MustDate("2016-11-21")), DatePrec: 1, LocPrec: 2,
		HasPoint: true, Lat: 34.528, Lon: 69.172, Country: Intern("AF"), Type: Intern(string(vigil.EventExplosions)), Sub: Intern("Suicide bomb"),
		Actors: InternSet([]string{"iskp"}), Killed: NewToll(vigil.Exact(30))}
	r.End = r.Start
	if mod != nil {
		mod(&r)
	}
	return r
}

func TestScore(t *testing.T) {
	c := config(t)
	tests := []struct {
		name    string
		b       func(*Record)
		link    bool   // at or above Accept
		veto    string // part of the veto, "" for none
		related bool
	}{
		{"same incident, other source", nil, true, "", false},
		{"a day later, toll revised up", func(r *Record) { r.Start++; r.End++; r.Killed = NewToll(vigil.Exact(45)) }, true, "", false},
		{"claimed by the parent", func(r *Record) { r.Actors = InternSet([]string{"is"}) }, true, "", false},
		{"one document", func(r *Record) { r.Document = 1 }, false, "one document", false},
		{"two rows of one dataset", func(r *Record) { r.Source = 1; r.Dataset = true }, true, "", false},
		{"two rows one source filed as two events", func(r *Record) { r.Source = 1; r.Event = 20 }, true, "", false},
		{"a row and a report of the source filed in no event", func(r *Record) { r.Source = 1 }, true, "", false},
		{"two rows of other sources in events of their own", func(r *Record) { r.Event = 20 }, true, "", false},
		{"dates too far apart", func(r *Record) { r.Start += 5; r.End += 5 }, false, "dates", false},
		{"points 40 km apart", func(r *Record) { r.LocPrec = 1; r.Lat += 0.36 }, false, "", false},
		{"points 80 km apart", func(r *Record) { r.LocPrec = 1; r.Lat += 0.72 }, false, "km apart", false},
		{"province centroid in the province", func(r *Record) { r.LocPrec = 4; r.Lat += 0.3; r.Lon += 0.3 }, true, "", false},
		{"different venues on one day", func(r *Record) { r.Venue = Intern("a mosque") }, false, "venues", false},
		{"an episode around the attack", func(r *Record) { r.Start -= 10; r.End += 10; r.DatePrec = 1 }, false, "episode", true},
		{"other country", func(r *Record) { r.Country = Intern("PK") }, false, "countries", false},
		{"rival group, other toll, other type", func(r *Record) {
			r.Actors = InternSet([]string{"taliban"})
			r.Killed = NewToll(vigil.Exact(2))
			r.Sub = Intern("Armed clash")
		}, false, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := rec(1, func(r *Record) { r.Venue = 0 })
			if tt.name == "different venues on one day" {
				a.Venue = Intern("another mosque")
			}
			if tt.name == "two rows of one dataset" {
				a.Dataset = true
				tt.link, tt.veto = false, "dataset"
			}
			if strings.Contains(tt.name, "two rows") {
				a.Event = 10
			}
			if tt.name == "two rows one source filed as two events" {
				tt.link, tt.veto = false, "filed as two events"
			}
			b := rec(2, tt.b)
			s := c.Explain(&a, &b)
			if got := s.Total >= c.Accept; got != tt.link {
				t.Errorf("linked = %v (score %.2f: %s), want %v", got, s.Total, strings.Join(s.Parts, "; "), tt.link)
			}
			if !strings.Contains(s.Veto, tt.veto) || (tt.veto == "") != (s.Veto == "") {
				t.Errorf("veto = %q, want %q", s.Veto, tt.veto)
			}
			if s.Related != tt.related {
				t.Errorf("related = %v, want %v", s.Related, tt.related)
			}
			if len(s.Parts) == 0 {
				t.Error("no explanation")
			}
		})
	}
}

func TestLinkConstraints(t *testing.T) {
	c := config(t)
	tests := []struct {
		name   string
		recs   []Record
		cannot [][2]int64
		groups int
		review int
		why    string // the review item's last line: why a linking score went to review
	}{
		{"three sources, one event", []Record{rec(1, nil), rec(2, nil), rec(3, nil)}, nil, 1, 0, ""},
		{"a person kept two apart", []Record{rec(1, nil), rec(2, nil)}, [][2]int64{{1, 2}}, 2, 0, ""},
		{"chaining through a bridge stops at a veto", []Record{
			rec(1, func(r *Record) { r.Venue = Intern("mosque a") }), rec(2, nil), rec(3, func(r *Record) { r.Venue = Intern("mosque b") })}, nil, 2, 0, ""},
		{"a report that fits two rows of one dataset goes to review", []Record{
			rec(1, func(r *Record) { r.Source, r.Dataset = 9, true }), rec(2, nil), rec(3, func(r *Record) { r.Source, r.Dataset = 9, true })}, nil, 2, 1, whyGroups},
		{"two rows one source filed as two events stay two", []Record{
			rec(1, func(r *Record) { r.Source, r.Event = 9, 10 }), rec(3, func(r *Record) { r.Source, r.Event = 9, 11 })}, nil, 2, 0, ""},
		{"a report between two rows one source filed apart goes to review", []Record{
			rec(1, func(r *Record) { r.Source, r.Event = 9, 10 }), rec(2, nil), rec(3, func(r *Record) { r.Source, r.Event = 9, 11 })}, nil, 2, 1, whyGroups},
		{"stored events stay whole, new report joins", []Record{
			rec(1, func(r *Record) { r.New, r.Event = false, 10 }), rec(2, func(r *Record) { r.New, r.Event = false, 10 }), rec(3, nil)}, nil, 1, 0, ""},
		{"confirmed event takes nothing without review", []Record{rec(1, func(r *Record) { r.New, r.Event, r.Locked = false, 10, true }), rec(2, nil)}, nil, 2, 1, whyConfirmed},
		{"an AMBER report goes to review, not into a CLEAR event", []Record{
			rec(1, func(r *Record) { r.New, r.Event = false, 10 }), rec(2, func(r *Record) { r.Rank = 2 })}, nil, 2, 1, whyMarking},
		{"two AMBER reports link", []Record{rec(1, func(r *Record) { r.Rank = 2 }), rec(2, func(r *Record) { r.Rank = 2 })}, nil, 1, 0, ""},
		{"a CLEAR report does not join an event that holds an AMBER one", []Record{
			rec(1, func(r *Record) { r.New, r.Event = false, 10 }), rec(2, func(r *Record) { r.New, r.Event, r.Rank = false, 10, 2 }), rec(3, nil)}, nil, 2, 1, whyMarking},
		{"stored events are not compared with each other", []Record{
			rec(1, func(r *Record) { r.New, r.Event = false, 10 }), rec(2, func(r *Record) { r.New, r.Event = false, 11 })}, nil, 2, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := c.Link(tt.recs, tt.cannot)
			groups := map[int]bool{}
			for _, g := range res.Group {
				groups[g] = true
			}
			if len(groups) != tt.groups || len(res.Review) != tt.review {
				t.Errorf("groups %d, review %d (%+v); want %d and %d", len(groups), len(res.Review), res.Review, tt.groups, tt.review)
			}
			for _, it := range res.Review {
				last := it.Explanation[len(it.Explanation)-1]
				if it.Score >= c.Accept && !strings.HasSuffix(last, tt.why) {
					t.Errorf("item scoring %.2f ends %q; want it to say why it was not linked: %q", it.Score, last, tt.why)
				}
			}
		})
	}
}

func TestEvaluate(t *testing.T) {
	tests := []struct {
		name       string
		gold, pred []string
		pf, bf     float64
	}{
		{"perfect", []string{"a", "a", "b"}, []string{"x", "x", "y"}, 1, 1},
		{"all split", []string{"a", "a", "a"}, []string{"x", "y", "z"}, 0, 0.5},
		{"all joined", []string{"a", "b", "c"}, []string{"x", "x", "x"}, 0, 0.5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := Evaluate(tt.gold, tt.pred)
			if d := m.Pairwise.F1 - tt.pf; d > 1e-9 || d < -1e-9 {
				t.Errorf("pairwise F1 = %v, want %v", m.Pairwise.F1, tt.pf)
			}
			if d := m.BCubed.F1 - tt.bf; d > 1e-9 || d < -1e-9 {
				t.Errorf("B-cubed F1 = %v, want %v", m.BCubed.F1, tt.bf)
			}
		})
	}
}
