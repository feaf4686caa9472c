package vigil_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-osint/vigil"
)

// Sources as the ISKP case grades them. Tolo and Pajhwok both quote the
// Taliban-run interior ministry: one origin.
var (
	reuters  = vigil.Source{ID: 1, Name: "Reuters", Kind: vigil.SourceNews, Reliability: vigil.ReliabilityB}
	afp      = vigil.Source{ID: 2, Name: "AFP", Kind: vigil.SourceNews, Reliability: vigil.ReliabilityB}
	tolo     = vigil.Source{ID: 3, Name: "Tolo News", Kind: vigil.SourceNews, Reliability: vigil.ReliabilityC, Origin: "Taliban-run Ministry of Interior"}
	pajhwok  = vigil.Source{ID: 4, Name: "Pajhwok", Kind: vigil.SourceNews, Reliability: vigil.ReliabilityC, Origin: "Taliban-run Ministry of Interior"}
	vok      = vigil.Source{ID: 5, Name: "Voice of Khurasan", Kind: vigil.SourceGroupMedia, Reliability: vigil.ReliabilityE, SpeaksFor: "iskp"}
	amaq     = vigil.Source{ID: 6, Name: "Amaq News Agency", Kind: vigil.SourceGroupMedia, Reliability: vigil.ReliabilityD, SpeaksFor: "is"}
	iranOffs = vigil.Source{ID: 7, Name: "Iranian officials", Kind: vigil.SourceOfficial, Reliability: vigil.ReliabilityC, SpeaksFor: "gov-ir"}
	pakOffs  = vigil.Source{ID: 8, Name: "Pakistani officials", Kind: vigil.SourceOfficial, Reliability: vigil.ReliabilityC, SpeaksFor: "gov-pk"}
	ucdpGED  = vigil.Source{ID: 9, Name: "UCDP GED 23.1", Kind: vigil.SourceDataset, Reliability: vigil.ReliabilityB}
)

// parents is the actor hierarchy the dictionary gives Fuse.
var parents = map[string]string{"iskp": "is", "ispp": "is", "jua": "ttp"}

// opt changes a report under construction.
type opt func(*vigil.SourcedReport)

// rep makes report id from source s: by default an exactly dated, exactly
// placed report of the Russian embassy bombing in Kabul, 5 September 2022,
// with no figures and no actors.
func rep(id int64, s vigil.Source, opts ...opt) vigil.SourcedReport {
	r := vigil.SourcedReport{
		Source:   s,
		Document: vigil.Document{ID: id, SourceID: s.ID, Source: s.Name, Key: fmt.Sprint("doc-", id), Marking: vigil.TLPClear},
		Report: vigil.Report{
			ID: id, DocumentID: id, Key: "0",
			DateStart: vigil.MustDate("2022-09-05"), DateEnd: vigil.MustDate("2022-09-05"), DatePrecision: vigil.DateDay,
			Place: vigil.Place{Name: "Kabul", Precision: vigil.LocationExact, Country: "AF", Admin1: "AF-KAB"},
		},
	}
	r.Report.SetPoint(kabul)
	for _, o := range opts {
		o(&r)
	}
	return r
}

var kabul = vigil.LatLon{Lat: 34.528, Lon: 69.172}

// n makes a count; a negative n is unknown.
func n(v int) vigil.Num {
	if v < 0 {
		return vigil.Num{}
	}
	return vigil.N(v)
}

func killed(low, best, high int) opt {
	return func(r *vigil.SourcedReport) { r.Report.Killed = vigil.Range{Low: n(low), Best: n(best), High: n(high)} }
}

func wounded(low, best, high int) opt {
	return func(r *vigil.SourcedReport) {
		r.Report.Wounded = vigil.Range{Low: n(low), Best: n(best), High: n(high)}
	}
}

func cred(c vigil.Credibility) opt { return func(r *vigil.SourcedReport) { r.Report.Credibility = c } }

func date(start, end string, p vigil.DatePrecision) opt {
	return func(r *vigil.SourcedReport) {
		r.Report.DateStart, r.Report.DateEnd, r.Report.DatePrecision = vigil.MustDate(start), vigil.MustDate(end), p
	}
}

func place(name string, ll vigil.LatLon, p vigil.LocationPrecision) opt {
	return func(r *vigil.SourcedReport) {
		r.Report.Name, r.Report.Precision = name, p
		r.Report.SetPoint(ll)
	}
}

func country(iso string) opt { return func(r *vigil.SourcedReport) { r.Report.Country = iso } }

func actor(id string, role vigil.ActorRole, status vigil.AttributionStatus) opt {
	return func(r *vigil.SourcedReport) {
		r.Report.Actors = append(r.Report.Actors, vigil.ReportActor{ActorID: id, Name: id, Role: role, Attribution: status, AttributedBy: r.Source.Name})
	}
}

func denial() opt { return func(r *vigil.SourcedReport) { r.Report.Denial = true } }

func marking(m vigil.TLP) opt { return func(r *vigil.SourcedReport) { r.Document.Marking = m } }

func etype(t vigil.EventType, s vigil.SubEventType) opt {
	return func(r *vigil.SourcedReport) { r.Report.EventType, r.Report.SubEventType = t, s }
}

func attackersKilled(v int) opt {
	return func(r *vigil.SourcedReport) { r.Report.AttackersKilled = vigil.N(v) }
}

// north returns the point d km due north of p.
func north(p vigil.LatLon, km float64) vigil.LatLon {
	return vigil.LatLon{Lat: p.Lat + km/111.195, Lon: p.Lon}
}

func wantRange(t testing.TB, what string, got vigil.Range, low, best, high int) {
	t.Helper()
	want := vigil.Range{Low: n(low), Best: n(best), High: n(high)}
	if got != want {
		t.Errorf("%s: got %s, want %s", what, got, want)
	}
}

func wantBasis(t testing.TB, e vigil.Event, field string, ids ...int64) {
	t.Helper()
	got := slices.Clone(e.Basis[field])
	slices.Sort(got)
	if !slices.Equal(got, ids) {
		t.Errorf("basis %s: got %v, want %v", field, got, ids)
	}
}

// contradictions returns the event's contradictions of a kind.
func contradictions(e vigil.Event, kind vigil.ContradictionKind) []vigil.Contradiction {
	var out []vigil.Contradiction
	for _, c := range e.Contradictions {
		if c.Kind == kind {
			out = append(out, c)
		}
	}
	return out
}

// wantContradiction checks that the event has exactly one contradiction of
// the kind, with the given sides, or none when sides is nil.
func wantContradiction(t testing.TB, e vigil.Event, kind vigil.ContradictionKind, sides [][]int64) {
	t.Helper()
	cs := contradictions(e, kind)
	if sides == nil {
		if len(cs) > 0 {
			t.Errorf("got %s contradiction %q, want none", kind, cs[0].Description)
		}
		return
	}
	if len(cs) != 1 {
		t.Fatalf("got %d %s contradictions (%v), want 1", len(cs), kind, e.Contradictions)
	}
	if got := fmt.Sprint(cs[0].Sides); got != fmt.Sprint(sides) {
		t.Errorf("%s sides: got %s, want %s", kind, got, fmt.Sprint(sides))
	}
	if cs[0].Description == "" {
		t.Errorf("%s contradiction has no description", kind)
	}
}

func eventActor(t testing.TB, e vigil.Event, id string, role vigil.ActorRole) vigil.ReportActor {
	t.Helper()
	for _, a := range e.Actors {
		if a.ActorID == id && a.Role == role {
			return a
		}
	}
	t.Fatalf("event has no %s %s: %+v", role, id, e.Actors)
	return vigil.ReportActor{}
}

// fuseCase is one rule of Fuse: reports in, checks on the event out.
type fuseCase struct {
	name    string
	reports []vigil.SourcedReport
	check   func(t *testing.T, e vigil.Event)
}

func runFuse(t *testing.T, tests []fuseCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Fuse must not depend on the order it is given the reports in.
			rev := slices.Clone(tt.reports)
			slices.Reverse(rev)
			e := vigil.Fuse("k", rev, parents)
			if e.Key != "k" {
				t.Errorf("key: got %q, want %q", e.Key, "k")
			}
			tt.check(t, e)
		})
	}
}

func TestFuseDate(t *testing.T) {
	runFuse(t, []fuseCase{
		{"finest precision wins", []vigil.SourcedReport{
			rep(1, reuters, date("2022-09-01", "2022-09-30", vigil.DateMonth)),
			rep(2, afp, date("2022-09-05", "2022-09-05", vigil.DateDay)),
			rep(3, tolo, date("2022-09-06", "2022-09-06", vigil.DateDay)),
		}, func(t *testing.T, e vigil.Event) {
			if got := e.DateStart.String() + ".." + e.DateEnd.String(); got != "2022-09-05..2022-09-06" {
				t.Errorf("dates: got %s, want 2022-09-05..2022-09-06 (earliest start, latest end of the day-precise reports)", got)
			}
			if e.DatePrecision != vigil.DateDay {
				t.Errorf("precision: got %d, want %d", e.DatePrecision, vigil.DateDay)
			}
			wantBasis(t, e, "date", 2, 3)
		}},
		{"an ungraded precision counts as a year", []vigil.SourcedReport{
			rep(1, reuters, date("2022-01-01", "2022-12-31", 0)),
			rep(2, afp, date("2022-09-01", "2022-09-30", vigil.DateMonth)),
		}, func(t *testing.T, e vigil.Event) {
			if got := e.DateStart.String(); got != "2022-09-01" {
				t.Errorf("date_start: got %s, want 2022-09-01", got)
			}
			wantBasis(t, e, "date", 2)
		}},
		{"an undated report is ignored", []vigil.SourcedReport{
			rep(1, reuters, date("2022-09-05", "2022-09-05", vigil.DateWeek)),
			rep(2, afp, func(r *vigil.SourcedReport) { r.Report.DateStart, r.Report.DateEnd = vigil.Date{}, vigil.Date{} }),
		}, func(t *testing.T, e vigil.Event) {
			if e.DatePrecision != vigil.DateWeek {
				t.Errorf("precision: got %d, want %d", e.DatePrecision, vigil.DateWeek)
			}
			wantBasis(t, e, "date", 1)
		}},
	})
}

func TestFusePlace(t *testing.T) {
	near := north(kabul, 10)
	runFuse(t, []fuseCase{
		{"finest location precision wins over reliability", []vigil.SourcedReport{
			rep(1, reuters, place("Kabul province", kabul, vigil.LocationAdmin1)),
			rep(2, tolo, place("Darulaman Road", near, vigil.LocationExact)),
		}, func(t *testing.T, e vigil.Event) {
			if e.Name != "Darulaman Road" || e.Precision != vigil.LocationExact {
				t.Errorf("place: got %q (precision %d), want Darulaman Road (1)", e.Name, e.Precision)
			}
			wantBasis(t, e, "place", 2)
		}},
		{"a tie goes to the more reliable source", []vigil.SourcedReport{
			rep(1, tolo, place("Tolo's spot", kabul, vigil.LocationExact)),
			rep(2, reuters, place("Reuters' spot", near, vigil.LocationExact)),
		}, func(t *testing.T, e vigil.Event) {
			if e.Name != "Reuters' spot" {
				t.Errorf("place: got %q, want Reuters' spot", e.Name)
			}
			wantBasis(t, e, "place", 2)
		}},
		{"then to the more credible report", []vigil.SourcedReport{
			rep(1, reuters, cred(3), place("possible", kabul, vigil.LocationExact)),
			rep(2, afp, cred(2), place("probable", near, vigil.LocationExact)),
		}, func(t *testing.T, e vigil.Event) {
			if e.Name != "probable" {
				t.Errorf("place: got %q, want probable", e.Name)
			}
		}},
		{"then to the older report", []vigil.SourcedReport{
			rep(1, reuters, place("first", kabul, vigil.LocationExact)),
			rep(2, afp, place("second", near, vigil.LocationExact)),
		}, func(t *testing.T, e vigil.Event) {
			if e.Name != "first" {
				t.Errorf("place: got %q, want first", e.Name)
			}
		}},
	})
}

func TestFuseType(t *testing.T) {
	runFuse(t, []fuseCase{
		{"from the most reliable source", []vigil.SourcedReport{
			rep(1, tolo, etype(vigil.EventBattles, "Armed clash")),
			rep(2, reuters, etype(vigil.EventExplosions, "Suicide bomb")),
			rep(3, afp),
		}, func(t *testing.T, e vigil.Event) {
			if e.EventType != vigil.EventExplosions || e.SubEventType != "Suicide bomb" {
				t.Errorf("type: got %q / %q, want %q / Suicide bomb", e.EventType, e.SubEventType, vigil.EventExplosions)
			}
			wantBasis(t, e, "event_type", 2)
		}},
	})
}

func TestFuseKilled(t *testing.T) {
	runFuse(t, []fuseCase{
		{"low and high from credible reports only", []vigil.SourcedReport{
			rep(1, reuters, cred(2), killed(5, 8, 10)),
			rep(2, afp, cred(3), killed(6, 6, 9)),
			rep(3, tolo, cred(5), killed(100, 100, 100)),
		}, func(t *testing.T, e vigil.Event) {
			// Best: Reuters' "probably true" 8 (weight 8×8) outweighs
			// AFP's "possibly true" 6 (8×6).
			wantRange(t, "killed", e.Killed, 5, 8, 10)
			wantBasis(t, e, "killed.low", 1)
			wantBasis(t, e, "killed.high", 1)
			wantBasis(t, e, "killed.best", 1, 2)
		}},
		{"ungraded reports count as credible", []vigil.SourcedReport{
			rep(1, reuters, killed(5, 5, 5)),
			rep(2, afp, cred(4), killed(1, 1, 1)),
		}, func(t *testing.T, e vigil.Event) {
			wantRange(t, "killed", e.Killed, 5, 5, 5)
		}},
		{"all reports when none is credible", []vigil.SourcedReport{
			rep(1, reuters, cred(5), killed(20, 30, 40)),
			rep(2, afp, cred(4), killed(10, 15, 50)),
		}, func(t *testing.T, e vigil.Event) {
			// Best: AFP's doubtful 15 (weight 8×4) outweighs Reuters'
			// improbable 30 (8×2).
			wantRange(t, "killed", e.Killed, 10, 15, 50)
			wantBasis(t, e, "killed.low", 2)
			wantBasis(t, e, "killed.high", 2)
		}},
		{"best is the median over independent origins", []vigil.SourcedReport{
			rep(1, tolo, killed(10, 10, 10)),
			rep(2, pajhwok, killed(20, 20, 20)),
			rep(3, reuters, killed(40, 40, 40)),
		}, func(t *testing.T, e vigil.Event) {
			// The ministry's origin counts once, at its own median 15
			// and the weight of one C report (6×6), against Reuters' 40
			// (B: 8×6): 40. Counted per report, the two C reports would
			// outweigh Reuters and best would be 20.
			wantRange(t, "killed", e.Killed, 10, 40, 40)
			wantBasis(t, e, "killed.best", 1, 2, 3)
		}},
		{"a party's own figure is left out of best", []vigil.SourcedReport{
			rep(1, vok, actor("iskp", vigil.RolePerpetrator, vigil.AttributionClaimed), killed(-1, 100, -1)),
			rep(2, reuters, actor("iskp", vigil.RolePerpetrator, vigil.AttributionAttributed), killed(20, 20, 20)),
		}, func(t *testing.T, e vigil.Event) {
			wantRange(t, "killed", e.Killed, 20, 20, 100)
			wantBasis(t, e, "killed.best", 2)
			wantBasis(t, e, "killed.high", 1)
		}},
		{"a parent's media is a party too", []vigil.SourcedReport{
			rep(1, amaq, actor("is", vigil.RolePerpetrator, vigil.AttributionClaimed), killed(50, 50, 50)),
			rep(2, reuters, actor("iskp", vigil.RolePerpetrator, vigil.AttributionAttributed), killed(6, 6, 6)),
		}, func(t *testing.T, e vigil.Event) {
			wantRange(t, "killed", e.Killed, 6, 6, 50)
			wantBasis(t, e, "killed.best", 2)
		}},
		{"a party's figure counts when nobody else gives a best", []vigil.SourcedReport{
			rep(1, vok, actor("iskp", vigil.RolePerpetrator, vigil.AttributionClaimed), killed(-1, 100, -1)),
			rep(2, reuters, killed(10, -1, -1)),
		}, func(t *testing.T, e vigil.Event) {
			wantRange(t, "killed", e.Killed, 10, 100, 100)
			wantBasis(t, e, "killed.best", 1)
		}},
		{"a source speaking for a target is not a party", []vigil.SourcedReport{
			rep(1, iranOffs, actor("iskp", vigil.RolePerpetrator, vigil.AttributionAttributed), actor("gov-ir", vigil.RoleTarget, vigil.AttributionAttributed), killed(-1, 95, -1)),
			rep(2, reuters, killed(-1, 84, -1)),
		}, func(t *testing.T, e vigil.Event) {
			wantRange(t, "killed", e.Killed, 84, 84, 95) // Reuters (B) outweighs the officials (C)
			if e.Corroboration != 2 {
				t.Errorf("corroboration: got %d, want 2", e.Corroboration)
			}
		}},
		{"best falls back to low", []vigil.SourcedReport{
			rep(1, reuters, killed(5, -1, -1)),
			rep(2, afp, killed(7, -1, 12)),
		}, func(t *testing.T, e vigil.Event) {
			wantRange(t, "killed", e.Killed, 5, 5, 12)
			wantBasis(t, e, "killed.best", 1)
			wantBasis(t, e, "killed.low", 1)
			wantBasis(t, e, "killed.high", 2)
		}},
		{"only a high bound", []vigil.SourcedReport{
			rep(1, reuters, killed(-1, -1, 12)),
		}, func(t *testing.T, e vigil.Event) {
			wantRange(t, "killed", e.Killed, -1, -1, 12)
		}},
		{"best outside every range widens it", []vigil.SourcedReport{
			rep(1, reuters, killed(10, -1, 12)),
			rep(2, afp, killed(-1, 3, -1)),
			rep(3, ucdpGED, killed(-1, 2, -1)),
		}, func(t *testing.T, e vigil.Event) {
			// low is 2 (AFP and UCDP's bests stand for their lows); best is
			// the median of 3 and 2, 2.5, rounded to 3.
			wantRange(t, "killed", e.Killed, 2, 3, 12)
		}},
		{"a low above another report's high", []vigil.SourcedReport{
			rep(1, reuters, killed(10, -1, -1)),
			rep(2, afp, killed(-1, -1, 5)),
		}, func(t *testing.T, e vigil.Event) {
			// "At least 10" and "up to 5": best falls back to the low and
			// the range is widened to hold it.
			wantRange(t, "killed", e.Killed, 10, 10, 10)
		}},
		{"no figures", []vigil.SourcedReport{rep(1, reuters), rep(2, afp)}, func(t *testing.T, e vigil.Event) {
			if !e.Killed.IsZero() || !e.Wounded.IsZero() {
				t.Errorf("got killed %s wounded %s, want unknown", e.Killed, e.Wounded)
			}
			for _, k := range []string{"killed.low", "killed.best", "killed.high"} {
				if _, ok := e.Basis[k]; ok {
					t.Errorf("basis has %s with no figures", k)
				}
			}
		}},
		{"wounded by the same rules", []vigil.SourcedReport{
			rep(1, tolo, wounded(30, 30, 30)),
			rep(2, pajhwok, wounded(40, 40, 40)),
			rep(3, reuters, wounded(-1, 90, 120)),
			rep(4, afp, cred(5), wounded(500, 500, 500)),
		}, func(t *testing.T, e vigil.Event) {
			wantRange(t, "wounded", e.Wounded, 30, 90, 120) // the ministry's 35 (C) against Reuters' 90 (B)
			wantBasis(t, e, "wounded.best", 1, 2, 3)
			if !e.Killed.IsZero() {
				t.Errorf("killed: got %s, want unknown", e.Killed)
			}
		}},
		{"attackers killed: the greatest", []vigil.SourcedReport{
			rep(1, reuters, attackersKilled(1)),
			rep(2, afp, attackersKilled(2)),
			rep(3, tolo),
		}, func(t *testing.T, e vigil.Event) {
			if e.AttackersKilled != vigil.N(2) {
				t.Errorf("attackers killed: got %s, want 2", e.AttackersKilled)
			}
			wantBasis(t, e, "attackers_killed", 2)
		}},
	})
}

// TestFuseBestWeighted: best is the median over independent origins
// weighted by the source's reliability and the report's credibility.
func TestFuseBestWeighted(t *testing.T) {
	src := func(id int64, name string, g vigil.Reliability) vigil.Source {
		return vigil.Source{ID: id, Name: name, Kind: vigil.SourceNews, Reliability: g}
	}
	a, b1, b2, b3 := src(11, "A wire", vigil.ReliabilityA), src(12, "B one", vigil.ReliabilityB), src(13, "B two", vigil.ReliabilityB), src(14, "B three", vigil.ReliabilityB)
	e1, e2 := src(15, "E one", vigil.ReliabilityE), src(16, "E two", vigil.ReliabilityE)
	g := src(17, "Deceiver", vigil.ReliabilityG)
	ungraded := src(18, "Ungraded", "")
	ministry := func(id int64, name string) vigil.Source {
		s := src(id, name, vigil.ReliabilityC)
		s.Origin = "Ministry"
		return s
	}
	tests := []struct {
		name    string
		reports []vigil.SourcedReport
		best    int
	}{
		{"equal grades: the plain median", []vigil.SourcedReport{
			rep(1, b1, killed(-1, 10, -1)), rep(2, b2, killed(-1, 20, -1)), rep(3, b3, killed(-1, 30, -1))}, 20},
		{"equal grades, two origins: their midpoint", []vigil.SourcedReport{
			rep(1, b1, killed(-1, 10, -1)), rep(2, b2, killed(-1, 21, -1))}, 16},
		{"a reliable source outweighs two unreliable ones", []vigil.SourcedReport{
			rep(1, a, killed(-1, 10, -1)), rep(2, e1, killed(-1, 30, -1)), rep(3, e2, killed(-1, 40, -1))}, 10},
		{"confirmed reports outweigh possible ones", []vigil.SourcedReport{
			rep(1, b1, cred(3), killed(-1, 10, -1)), rep(2, b2, cred(3), killed(-1, 12, -1)),
			rep(3, b3, cred(1), killed(-1, 30, -1)), rep(4, a, cred(2), killed(-1, 31, -1))}, 30},
		{"weights balancing exactly: the midpoint", []vigil.SourcedReport{
			// A (10×6) against B (8×6) and E (2×6): 60 against 60.
			rep(1, a, killed(-1, 10, -1)), rep(2, b1, killed(-1, 20, -1)), rep(3, e1, killed(-1, 30, -1))}, 15},
		{"a deceptive source counts for nothing", []vigil.SourcedReport{
			rep(1, b1, killed(-1, 10, -1)), rep(2, b2, killed(-1, 12, -1)), rep(3, g, killed(-1, 100, -1))}, 11},
		{"a deceptive source alone still gives a figure", []vigil.SourcedReport{
			rep(1, g, killed(-1, 100, -1))}, 100},
		{"an ungraded source weighs as F, between C and D", []vigil.SourcedReport{
			rep(1, ungraded, killed(-1, 10, -1)), rep(2, e1, killed(-1, 30, -1))}, 10},
		{"an origin weighs as its best-graded report", []vigil.SourcedReport{
			// The ministry's own figure is 10 (its confirmed report
			// outweighs its other); weighing 6×10, it outweighs Reuters
			// (8×6).
			rep(1, ministry(21, "Outlet one"), cred(1), killed(-1, 10, -1)), rep(2, ministry(22, "Outlet two"), killed(-1, 20, -1)),
			rep(3, reuters, killed(-1, 40, -1))}, 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rev := slices.Clone(tt.reports)
			slices.Reverse(rev)
			for _, rs := range [][]vigil.SourcedReport{tt.reports, rev} {
				e := vigil.Fuse("k", rs, nil)
				if !e.Killed.Best.Known || e.Killed.Best.N != tt.best {
					t.Errorf("best: got %s, want %d", e.Killed.Best, tt.best)
				}
			}
		})
	}
}

// TestFuseRangeProperty: whatever valid figures the reports give, the
// fused range keeps low ≤ best ≤ high, has a best whenever it has a low,
// and draws on the reports it was given.
func TestFuseRangeProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(2022, 9))
	pool := []vigil.Source{reuters, afp, tolo, pajhwok, vok, amaq, iranOffs, pakOffs, ucdpGED}
	randRange := func() vigil.Range {
		vs := []int{rng.IntN(200), rng.IntN(200), rng.IntN(200)}
		slices.Sort(vs)
		r := vigil.Range{Low: vigil.N(vs[0]), Best: vigil.N(vs[1]), High: vigil.N(vs[2])}
		for _, p := range []*vigil.Num{&r.Low, &r.Best, &r.High} {
			if rng.IntN(3) == 0 {
				*p = vigil.Num{}
			}
		}
		return r
	}
	for i := range 5000 {
		var rs []vigil.SourcedReport
		ids := map[int64]bool{}
		for j := range 1 + rng.IntN(6) {
			id := int64(j + 1)
			ids[id] = true
			r := rep(id, pool[rng.IntN(len(pool))], cred(vigil.Credibility(rng.IntN(7))))
			r.Report.Killed, r.Report.Wounded = randRange(), randRange()
			r.Report.Denial = rng.IntN(8) == 0
			if rng.IntN(2) == 0 {
				r.Report.Actors = append(r.Report.Actors, vigil.ReportActor{ActorID: []string{"iskp", "is", "ttp"}[rng.IntN(3)], Role: vigil.RolePerpetrator, Attribution: vigil.AttributionClaimed})
			}
			rs = append(rs, r)
		}
		e := vigil.Fuse("p", rs, parents)
		for _, f := range []struct {
			name string
			r    vigil.Range
		}{{"killed", e.Killed}, {"wounded", e.Wounded}} {
			if err := f.r.Validate(); err != nil {
				t.Fatalf("case %d: %s %s: %v\nreports: %s", i, f.name, f.r, err, describe(rs))
			}
			if f.r.Low.Known && !f.r.Best.Known {
				t.Fatalf("case %d: %s %s has a low but no best\nreports: %s", i, f.name, f.r, describe(rs))
			}
		}
		for field, basis := range e.Basis {
			for _, id := range basis {
				if !ids[id] {
					t.Fatalf("case %d: basis %s names report %d, which was not given", i, field, id)
				}
			}
		}
	}
}

func describe(rs []vigil.SourcedReport) string {
	var b strings.Builder
	for _, r := range rs {
		fmt.Fprintf(&b, "\n  %d %s cred %d killed %s wounded %s denial %v actors %v", r.Report.ID, r.Source.Name, r.Report.Credibility, r.Report.Killed, r.Report.Wounded, r.Report.Denial, r.Report.Actors)
	}
	return b.String()
}

func TestFuseCorroboration(t *testing.T) {
	iskpClaim := actor("iskp", vigil.RolePerpetrator, vigil.AttributionClaimed)
	iskpBlamed := actor("iskp", vigil.RolePerpetrator, vigil.AttributionAttributed)
	tests := []struct {
		name    string
		reports []vigil.SourcedReport
		want    int
		cred    vigil.Credibility
	}{
		{"one source", []vigil.SourcedReport{rep(1, reuters, cred(2))}, 1, 2},
		{"two independent sources confirm", []vigil.SourcedReport{rep(1, reuters, cred(3)), rep(2, afp, cred(3))}, 2, vigil.CredibilityConfirmed},
		{"two outlets quoting one ministry count once", []vigil.SourcedReport{rep(1, tolo, cred(3)), rep(2, pajhwok, cred(2))}, 1, 2},
		{"a denial does not corroborate", []vigil.SourcedReport{rep(1, reuters, cred(3)), rep(2, afp, denial())}, 1, 3},
		{"the party's own media does not corroborate", []vigil.SourcedReport{rep(1, vok, iskpClaim), rep(2, reuters, iskpBlamed, cred(3))}, 1, 3},
		{"a parent's media is not independent of its province", []vigil.SourcedReport{rep(1, amaq, iskpClaim), rep(2, reuters, iskpBlamed)}, 1, 0},
		{"a group's media speaking for another group counts", []vigil.SourcedReport{rep(1, amaq, actor("ttp", vigil.RolePerpetrator, vigil.AttributionSuspected)), rep(2, reuters)}, 2, vigil.CredibilityConfirmed},
		{"all together", []vigil.SourcedReport{
			rep(1, reuters, iskpBlamed), rep(2, afp), rep(3, tolo), rep(4, pajhwok),
			rep(5, vok, iskpClaim), rep(6, amaq, iskpClaim), rep(7, iranOffs, denial()),
		}, 3, vigil.CredibilityConfirmed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := vigil.Fuse("k", tt.reports, parents)
			if e.Corroboration != tt.want {
				t.Errorf("corroboration: got %d, want %d", e.Corroboration, tt.want)
			}
			if e.Credibility != tt.cred {
				t.Errorf("credibility: got %d, want %d", e.Credibility, tt.cred)
			}
			if got, want := len(e.Sources), len(tt.reports); got != want {
				t.Errorf("sources: got %d, want %d", got, want)
			}
		})
	}
}

func TestFuseActors(t *testing.T) {
	runFuse(t, []fuseCase{
		{"claims by the Islamic State and ISKP are not rivals", []vigil.SourcedReport{
			rep(1, amaq, actor("is", vigil.RolePerpetrator, vigil.AttributionClaimed)),
			rep(2, reuters, actor("iskp", vigil.RolePerpetrator, vigil.AttributionClaimed)),
		}, func(t *testing.T, e vigil.Event) {
			wantContradiction(t, e, vigil.ContradictionClaims, nil)
			for _, id := range []string{"is", "iskp"} {
				if a := eventActor(t, e, id, vigil.RolePerpetrator); a.Attribution != vigil.AttributionClaimed {
					t.Errorf("%s: got %q, want claimed", id, a.Attribution)
				}
			}
		}},
		{"an ISKP claim and a suspicion of the TTP are rival claims", []vigil.SourcedReport{
			rep(1, vok, actor("iskp", vigil.RolePerpetrator, vigil.AttributionClaimed)),
			rep(2, amaq, actor("is", vigil.RolePerpetrator, vigil.AttributionClaimed)),
			rep(3, pakOffs, actor("ttp", vigil.RolePerpetrator, vigil.AttributionSuspected)),
		}, func(t *testing.T, e vigil.Event) {
			// The Islamic State's claim stands on ISKP's side.
			wantContradiction(t, e, vigil.ContradictionClaims, [][]int64{{1, 2}, {3}})
			if a := eventActor(t, e, "ttp", vigil.RolePerpetrator); a.Attribution != vigil.AttributionSuspected {
				t.Errorf("ttp: got %q, want suspected", a.Attribution)
			}
		}},
		{"two rival claims are disputed", []vigil.SourcedReport{
			rep(1, vok, actor("iskp", vigil.RolePerpetrator, vigil.AttributionClaimed)),
			rep(2, reuters, actor("ttp", vigil.RolePerpetrator, vigil.AttributionClaimed)),
			rep(3, afp, actor("jua", vigil.RolePerpetrator, vigil.AttributionClaimed)),
		}, func(t *testing.T, e vigil.Event) {
			wantContradiction(t, e, vigil.ContradictionClaims, [][]int64{{1}, {2, 3}})
			for _, id := range []string{"iskp", "ttp"} {
				if a := eventActor(t, e, id, vigil.RolePerpetrator); a.Attribution != vigil.AttributionDisputed {
					t.Errorf("%s: got %q, want disputed", id, a.Attribution)
				}
			}
		}},
		{"a claim and a denial by the same actor", []vigil.SourcedReport{
			rep(1, reuters, actor("ttp", vigil.RolePerpetrator, vigil.AttributionClaimed)),
			rep(2, afp, actor("ttp", vigil.RolePerpetrator, vigil.AttributionDenied)),
		}, func(t *testing.T, e vigil.Event) {
			wantContradiction(t, e, vigil.ContradictionClaims, [][]int64{{1}, {2}})
			if a := eventActor(t, e, "ttp", vigil.RolePerpetrator); a.Attribution != vigil.AttributionDisputed {
				t.Errorf("ttp: got %q, want disputed", a.Attribution)
			}
		}},
		{"one entry per actor and role, attributions joined", []vigil.SourcedReport{
			rep(1, reuters, actor("iskp", vigil.RolePerpetrator, vigil.AttributionSuspected)),
			rep(2, afp, actor("iskp", vigil.RolePerpetrator, vigil.AttributionAttributed), actor("civilians", vigil.RoleTarget, vigil.AttributionAttributed)),
		}, func(t *testing.T, e vigil.Event) {
			if len(e.Actors) != 2 {
				t.Fatalf("got %d actors, want 2: %+v", len(e.Actors), e.Actors)
			}
			a := eventActor(t, e, "iskp", vigil.RolePerpetrator)
			if a.Attribution != vigil.AttributionAttributed {
				t.Errorf("iskp: got %q, want attributed (stronger than suspected)", a.Attribution)
			}
			if got, want := a.AttributedBy, "Reuters (suspected); AFP (attributed)"; got != want {
				t.Errorf("attributed by: got %q, want %q", got, want)
			}
		}},
		{"sources that hold the same status are joined plainly", []vigil.SourcedReport{
			rep(1, reuters, actor("iskp", vigil.RolePerpetrator, vigil.AttributionAttributed)),
			rep(2, afp, actor("iskp", vigil.RolePerpetrator, vigil.AttributionAttributed)),
		}, func(t *testing.T, e vigil.Event) {
			if got, want := eventActor(t, e, "iskp", vigil.RolePerpetrator).AttributedBy, "Reuters; AFP"; got != want {
				t.Errorf("attributed by: got %q, want %q", got, want)
			}
		}},
	})
}

func TestFuseContradictions(t *testing.T) {
	casualties := func(a, b int) []vigil.SourcedReport {
		return []vigil.SourcedReport{rep(1, reuters, killed(-1, a, -1)), rep(2, tolo, killed(-1, b, -1))}
	}
	var (
		twoSides = [][]int64{{1}, {2}}
		none     [][]int64
	)
	tests := []struct {
		name    string
		kind    vigil.ContradictionKind
		reports []vigil.SourcedReport
		sides   [][]int64
	}{
		{"killed 6 and 8 agree", vigil.ContradictionCasualties, casualties(6, 8), none},
		{"killed 50 and 100 contradict", vigil.ContradictionCasualties, casualties(50, 100), twoSides},
		{"killed 5 and 10 contradict", vigil.ContradictionCasualties, casualties(5, 10), twoSides},
		{"killed 10 and 15 agree: not above 1.5 times", vigil.ContradictionCasualties, casualties(10, 15), none},
		{"killed 1 and 5 agree: a gap under 5", vigil.ContradictionCasualties, casualties(1, 5), none},
		{"killed: reports grouped by side", vigil.ContradictionCasualties, []vigil.SourcedReport{
			rep(1, reuters, killed(-1, 60, -1)), rep(2, tolo, killed(-1, 25, -1)),
			rep(3, afp, killed(-1, 58, -1)), rep(4, pajhwok, killed(-1, 20, -1)), rep(5, vok),
		}, [][]int64{{2, 4}, {1, 3}}},

		{"a denial", vigil.ContradictionDenied, []vigil.SourcedReport{
			rep(1, reuters), rep(2, afp), rep(3, iranOffs, denial()),
		}, [][]int64{{1, 2}, {3}}},
		{"no denial", vigil.ContradictionDenied, []vigil.SourcedReport{rep(1, reuters), rep(2, afp)}, none},
		{"only denials", vigil.ContradictionDenied, []vigil.SourcedReport{rep(1, iranOffs, denial())}, none},

		{"two exact points 40 km apart", vigil.ContradictionPlace, []vigil.SourcedReport{
			rep(1, reuters, place("A", kabul, vigil.LocationExact)),
			rep(2, afp, place("B", north(kabul, 40), vigil.LocationExact)),
		}, twoSides},
		{"two exact points 8 km apart", vigil.ContradictionPlace, []vigil.SourcedReport{
			rep(1, reuters, place("A", kabul, vigil.LocationExact)),
			rep(2, afp, place("B", north(kabul, 8), vigil.LocationExact)),
		}, none},
		{"a province-level point 100 km away", vigil.ContradictionPlace, []vigil.SourcedReport{
			rep(1, reuters, place("A", kabul, vigil.LocationExact)),
			rep(2, afp, place("Parwan province", north(kabul, 100), vigil.LocationAdmin1)),
		}, none},
		{"a district-level point 100 km away", vigil.ContradictionPlace, []vigil.SourcedReport{
			rep(1, reuters, place("A", kabul, vigil.LocationExact)),
			rep(2, afp, place("Bagram district", north(kabul, 100), vigil.LocationAdmin2)),
		}, twoSides},
		{"two countries", vigil.ContradictionPlace, []vigil.SourcedReport{
			rep(1, reuters, country("AF")),
			rep(2, afp, country("PK")),
		}, twoSides},

		{"dates 5 days apart at day precision", vigil.ContradictionDate, []vigil.SourcedReport{
			rep(1, reuters, date("2022-09-05", "2022-09-05", vigil.DateDay)),
			rep(2, afp, date("2022-09-10", "2022-09-10", vigil.DateDay)),
		}, twoSides},
		{"dates a day apart", vigil.ContradictionDate, []vigil.SourcedReport{
			rep(1, reuters, date("2022-09-05", "2022-09-05", vigil.DateDay)),
			rep(2, afp, date("2022-09-06", "2022-09-06", vigil.DateDay)),
		}, none},
		{"a month and a day within it", vigil.ContradictionDate, []vigil.SourcedReport{
			rep(1, reuters, date("2022-09-01", "2022-09-30", vigil.DateMonth)),
			rep(2, afp, date("2022-09-20", "2022-09-20", vigil.DateDay)),
		}, none},
		{"a month and a day two months on", vigil.ContradictionDate, []vigil.SourcedReport{
			rep(1, reuters, date("2022-09-01", "2022-09-30", vigil.DateMonth)),
			rep(2, afp, date("2022-12-01", "2022-12-01", vigil.DateDay)),
		}, twoSides},

		{"only the group's own media", vigil.ContradictionSelfClaim, []vigil.SourcedReport{
			rep(1, vok, actor("iskp", vigil.RolePerpetrator, vigil.AttributionClaimed)),
			rep(2, vok, actor("iskp", vigil.RolePerpetrator, vigil.AttributionClaimed)),
		}, [][]int64{{1, 2}}},
		{"only the parent's media", vigil.ContradictionSelfClaim, []vigil.SourcedReport{
			rep(1, amaq, actor("iskp", vigil.RolePerpetrator, vigil.AttributionClaimed)),
		}, [][]int64{{1}}},
		{"the group's media and an independent report", vigil.ContradictionSelfClaim, []vigil.SourcedReport{
			rep(1, vok, actor("iskp", vigil.RolePerpetrator, vigil.AttributionClaimed)),
			rep(2, reuters),
		}, none},
		{"the group's media and a denial", vigil.ContradictionSelfClaim, []vigil.SourcedReport{
			rep(1, vok, actor("iskp", vigil.RolePerpetrator, vigil.AttributionClaimed)),
			rep(2, iranOffs, denial()),
		}, [][]int64{{1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := vigil.Fuse("k", tt.reports, parents)
			wantContradiction(t, e, tt.kind, tt.sides)
		})
	}
}

func TestFuseBasisAndMarking(t *testing.T) {
	tests := []struct {
		name     string
		markings []vigil.TLP
		want     vigil.TLP
	}{
		{"all clear", []vigil.TLP{vigil.TLPClear, vigil.TLPClear}, vigil.TLPClear},
		{"amber among green", []vigil.TLP{vigil.TLPGreen, vigil.TLPAmber, vigil.TLPClear}, vigil.TLPAmber},
		{"amber+strict above amber", []vigil.TLP{vigil.TLPAmber, vigil.TLPAmberStrict}, vigil.TLPAmberStrict},
		{"red above all", []vigil.TLP{vigil.TLPRed, vigil.TLPAmberStrict, vigil.TLPGreen}, vigil.TLPRed},
		{"unmarked counts as clear", []vigil.TLP{"", vigil.TLPGreen}, vigil.TLPGreen},
	}
	srcs := []vigil.Source{reuters, afp, tolo}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var rs []vigil.SourcedReport
			for i, m := range tt.markings {
				rs = append(rs, rep(int64(i+1), srcs[i], marking(m)))
			}
			if e := vigil.Fuse("k", rs, parents); e.Marking != tt.want {
				t.Errorf("marking: got %q, want %q", e.Marking, tt.want)
			}
		})
	}

	t.Run("every fused value names its reports", func(t *testing.T) {
		e := vigil.Fuse("k", []vigil.SourcedReport{
			rep(30, tolo, killed(3, 4, 9), wounded(10, 12, 15), place("Kabul", kabul, vigil.LocationNear), etype(vigil.EventExplosions, "Suicide bomb")),
			rep(10, reuters, killed(6, 6, 6), date("2022-09-05", "2022-09-05", vigil.DateDay), place("Darulaman Road", kabul, vigil.LocationExact)),
			rep(20, afp, cred(5), killed(1, 1, 40), attackersKilled(1), date("2022-09-01", "2022-09-30", vigil.DateMonth), place("Kabul province", kabul, vigil.LocationAdmin1)),
		}, parents)
		if !slices.Equal(e.ReportIDs, []int64{10, 20, 30}) {
			t.Errorf("report ids: got %v, want [10 20 30]", e.ReportIDs)
		}
		wantBasis(t, e, "date", 10, 30)
		wantBasis(t, e, "place", 10)
		wantBasis(t, e, "event_type", 30)
		wantBasis(t, e, "killed.low", 30)
		wantBasis(t, e, "killed.best", 10, 30)
		wantBasis(t, e, "killed.high", 30)
		wantBasis(t, e, "wounded.low", 30)
		wantBasis(t, e, "wounded.best", 30)
		wantBasis(t, e, "wounded.high", 30)
		wantBasis(t, e, "attackers_killed", 20)
		wantRange(t, "killed", e.Killed, 3, 6, 9) // Reuters (B) outweighs Tolo (C)
	})
}

func TestFuseEmpty(t *testing.T) {
	e := vigil.Fuse("k", nil, nil)
	if e.Actors == nil || e.Sources == nil || e.Contradictions == nil || e.ReportIDs == nil {
		t.Errorf("got nil lists %+v, want empty ones (they marshal to [])", e)
	}
	if !e.DateStart.IsZero() || !e.Killed.IsZero() || e.Corroboration != 0 {
		t.Errorf("got %+v, want nothing known", e)
	}
}

func TestHaversineKm(t *testing.T) {
	tests := []struct {
		name string
		a, b vigil.LatLon
		want float64
	}{
		{"same point", kabul, kabul, 0},
		{"40 km north", kabul, north(kabul, 40), 40},
		{"Kabul to Jalalabad", kabul, vigil.LatLon{Lat: 34.4265, Lon: 70.4515}, 118},
		{"quarter meridian", vigil.LatLon{}, vigil.LatLon{Lat: 90}, 10007.5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := vigil.HaversineKm(tt.a, tt.b); got < tt.want-1 || got > tt.want+1 {
				t.Errorf("got %.1f km, want %.1f", got, tt.want)
			}
		})
	}
}

// TestJointPerpetratorsAreNotRivals: one report that blames two actors
// together ("A and B") names partners, not rival culprits; a second
// report blaming a third actor is still a rival attribution.
func TestJointPerpetratorsAreNotRivals(t *testing.T) {
	src := vigil.Source{ID: 1, Name: "List", Kind: vigil.SourceSocial, Reliability: vigil.ReliabilityC}
	other := vigil.Source{ID: 2, Name: "Officials", Kind: vigil.SourceOfficial, Reliability: vigil.ReliabilityC}
	both := vigil.Report{ID: 1, DateStart: vigil.MustDate("2017-01-01"), Actors: []vigil.ReportActor{
		{ActorID: "ttp", Name: "TTP", Role: vigil.RolePerpetrator, Attribution: vigil.AttributionClaimed},
		{ActorID: "jua", Name: "JuA", Role: vigil.RolePerpetrator, Attribution: vigil.AttributionClaimed},
	}}
	e := vigil.Fuse("k", []vigil.SourcedReport{{Report: both, Source: src}}, nil)
	for _, c := range e.Contradictions {
		if c.Kind == vigil.ContradictionClaims {
			t.Errorf("a joint claim was named a rival claim: %+v", c)
		}
	}
	third := vigil.Report{ID: 2, DateStart: vigil.MustDate("2017-01-01"), Actors: []vigil.ReportActor{
		{ActorID: "lej", Name: "LeJ", Role: vigil.RolePerpetrator, Attribution: vigil.AttributionSuspected},
	}}
	e = vigil.Fuse("k", []vigil.SourcedReport{{Report: both, Source: src}, {Report: third, Source: other}}, nil)
	var rival *vigil.Contradiction
	for i, c := range e.Contradictions {
		if c.Kind == vigil.ContradictionClaims {
			rival = &e.Contradictions[i]
		}
	}
	if rival == nil || len(rival.Sides) != 2 || len(rival.Sides[0]) != 1 || rival.Sides[1][0] != 2 {
		t.Errorf("rival attribution = %+v, want the joint claim (report 1) against the suspicion (report 2)", rival)
	}
}

// BenchmarkFuse fuses an event of six reports from five sources, as an
// import does for every event it touches.
func BenchmarkFuse(b *testing.B) {
	rs := []vigil.SourcedReport{
		rep(1, reuters, cred(2), killed(5, 8, 10), wounded(10, 12, 20), actor("iskp", vigil.RolePerpetrator, vigil.AttributionAttributed)),
		rep(2, afp, cred(3), killed(6, 6, 9), wounded(-1, 15, -1)),
		rep(3, tolo, killed(10, 10, 10)),
		rep(4, pajhwok, killed(7, 9, 12), wounded(8, 8, 8)),
		rep(5, vok, actor("iskp", vigil.RolePerpetrator, vigil.AttributionClaimed), killed(-1, 100, -1)),
		rep(6, ucdpGED, killed(4, 8, 12)),
	}
	b.ReportAllocs()
	for b.Loop() {
		vigil.Fuse("k", rs, parents)
	}
}

// TestFuseRevisions: two releases of one dataset coding one record are the
// dataset's record and its revision, not two sources that contradict each
// other: the latest release's figures stand, the earlier report is kept
// as a revision, and no contradiction names them. Before, GED 23.1's 2
// killed against 24.1's 20 was a casualty contradiction and the best the
// median, 11.
func TestFuseRevisions(t *testing.T) {
	ged := func(id int64, release string) vigil.Source {
		return vigil.Source{ID: id, Name: "UCDP GED " + release, Origin: "UCDP GED", Kind: vigil.SourceDataset, Reliability: vigil.ReliabilityB}
	}
	ged231, ged241, ged2401, gedNone := ged(20, "23.1"), ged(21, "24.1"), ged(22, "24.0.10"), vigil.Source{ID: 23, Name: "UCDP GED", Origin: "UCDP GED", Kind: vigil.SourceDataset, Reliability: vigil.ReliabilityB}
	key := func(k string) opt { return func(r *vigil.SourcedReport) { r.Report.Key = k } }
	tests := []struct {
		name       string
		reports    []vigil.SourcedReport
		best       int
		revised    []int64 // reports kept as revisions
		by         int64   // the report that revised them
		changes    []string
		contradict bool
	}{
		{"23.1 then 24.1", []vigil.SourcedReport{
			rep(1, ged231, key("ged:300380"), killed(2, 2, 2)), rep(2, ged241, key("ged:300380"), killed(18, 20, 25)),
		}, 20, []int64{1}, 2, []string{"killed 2 → 20 (18–25)"}, false},
		{"24.1 imported before 23.1: the release number decides", []vigil.SourcedReport{
			rep(1, ged241, key("ged:300380"), killed(18, 20, 25)), rep(2, ged231, key("ged:300380"), killed(2, 2, 2)),
		}, 20, []int64{2}, 1, []string{"killed 2 → 20 (18–25)"}, false},
		{"a candidate release 24.0.10 comes before 24.1", []vigil.SourcedReport{
			rep(1, ged241, key("ged:1"), killed(-1, 7, -1)), rep(2, ged2401, key("ged:1"), killed(-1, 30, -1)),
		}, 7, []int64{2}, 1, nil, false},
		{"three releases: the latest stands", []vigil.SourcedReport{
			rep(1, ged231, key("ged:1"), killed(-1, 5, -1)), rep(2, ged2401, key("ged:1"), killed(-1, 40, -1)), rep(3, ged241, key("ged:1"), killed(-1, 9, -1)),
		}, 9, []int64{1, 2}, 3, nil, false},
		{"a release of no number: the later imported", []vigil.SourcedReport{
			rep(1, gedNone, key("ged:1"), killed(-1, 5, -1)), rep(2, ged231, key("ged:1"), killed(-1, 40, -1)),
		}, 40, []int64{1}, 2, nil, false},
		{"unchanged: a revision that changes nothing", []vigil.SourcedReport{
			rep(1, ged231, key("ged:1"), killed(-1, 5, -1)), rep(2, ged241, key("ged:1"), killed(-1, 5, -1)),
		}, 5, []int64{1}, 2, []string{}, false},
		{"two records of one release are two records", []vigil.SourcedReport{
			rep(1, ged231, key("ged:1"), killed(-1, 5, -1)), rep(2, ged231, key("ged:2"), killed(-1, 40, -1)),
		}, 0, nil, 0, nil, true},
		{"two releases, two records", []vigil.SourcedReport{
			rep(1, ged231, key("ged:1"), killed(-1, 5, -1)), rep(2, ged241, key("ged:2"), killed(-1, 40, -1)),
		}, 0, nil, 0, nil, true},
		// Tolo and Pajhwok quote one ministry (one origin) and their case
		// file reports share the default key "0": news, not a dataset's
		// releases, so their figures still contradict.
		{"two outlets of one origin are no releases", []vigil.SourcedReport{
			rep(1, tolo, killed(-1, 5, -1)), rep(2, pajhwok, killed(-1, 40, -1)),
		}, 0, nil, 0, nil, true},
		{"a release against an independent source still contradicts", []vigil.SourcedReport{
			rep(1, ged231, key("ged:1"), killed(-1, 5, -1)), rep(2, ged241, key("ged:1"), killed(-1, 6, -1)), rep(3, reuters, killed(-1, 40, -1)),
		}, 0, []int64{1}, 2, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := vigil.Fuse("k", tt.reports, nil)
			if got := len(contradictions(e, vigil.ContradictionCasualties)) > 0; got != tt.contradict {
				t.Errorf("casualty contradiction %v (%v), want %v", got, e.Contradictions, tt.contradict)
			}
			if tt.best > 0 && e.Killed.Best != vigil.N(tt.best) {
				t.Errorf("best %s, want %d", e.Killed.Best, tt.best)
			}
			var revised []int64
			for _, v := range e.Revisions {
				revised = append(revised, v.Report)
				if v.By != tt.by {
					t.Errorf("report %d revised by %d, want %d", v.Report, v.By, tt.by)
				}
				if tt.changes != nil && !slices.Equal(v.Changes, tt.changes) && !(len(v.Changes) == 0 && len(tt.changes) == 0) {
					t.Errorf("report %d: changes %q, want %q", v.Report, v.Changes, tt.changes)
				}
			}
			slices.Sort(revised)
			if !slices.Equal(revised, tt.revised) {
				t.Errorf("revised reports %v, want %v", revised, tt.revised)
			}
			if len(e.ReportIDs) != len(tt.reports) {
				t.Errorf("report ids %v: every report stays with the event", e.ReportIDs)
			}
			for _, ids := range e.Basis {
				for _, id := range ids {
					if slices.Contains(revised, id) {
						t.Errorf("basis %v names revised report %d", e.Basis, id)
					}
				}
			}
			if e.Corroboration != 1 && len(tt.revised) > 0 && !tt.contradict {
				t.Errorf("corroboration %d, want 1 (one dataset)", e.Corroboration)
			}
		})
	}
}
