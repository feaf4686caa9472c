package link

import (
	"fmt"
	"math"

	"github.com/vigil-osint/vigil"
)

// Config holds linkage's weights, windows and thresholds. The zero value
// is not useful; start from Default.
type Config struct {
	// WindowDays widens each report's dates for blocking: two reports are
	// compared only when their dates, so widened, overlap.
	WindowDays int32
	// EpisodeDays is the span beyond which a report tells of an episode (a
	// multi-day offensive) rather than a single attack.
	EpisodeDays int32
	// Accept is the score at which two reports are linked; Review the
	// score at which an unaccepted link goes to the review queue.
	Accept, Review float64
	Weights        Weights
	// Parents maps an actor id to its parent's (ISKP → the Islamic
	// State): an attack attributed to one and claimed by the other is one
	// attack. May be nil.
	Parents map[string]string
}

// Weights weigh the parts of a match score. Each part scores between
// -weight and +weight (see Score); the place and date parts also veto.
type Weights struct {
	Place, Date, Type, Actors, Casualties, Venue float64
}

// Default returns the default configuration. The weights and thresholds
// were set on the generated gold set (link.Generate over the UCDP sample,
// seed 1) and checked on the hand-labelled 2016 set; see
// link/README-section.md for the figures behind them.
func Default() Config {
	return Config{
		// Two day-precision reports of one incident are at most two days
		// apart in the generated and the real sets (late reports, time
		// zones); UCDP's "2–6 days" precision adds up to six.
		WindowDays:  7,
		EpisodeDays: 6,
		Accept:      3.5,
		Review:      2.0,
		Weights:     Weights{Place: 2, Date: 2, Type: 1, Actors: 1.5, Casualties: 1.5, Venue: 2},
	}
}

// placeToleranceKm is how far apart two places may lie when the coarser
// of their precisions is the index (UCDP where_prec): a province centroid
// matches anything in the province, two exact points 40 km apart do not.
var placeToleranceKm = [...]float64{0: 300, 1: 10, 2: 30, 3: 60, 4: 250, 5: 500, 6: 1500, 7: 2000}

// dateToleranceDays is how many days a date of each precision may be off.
var dateToleranceDays = [...]int32{0: 31, 1: 1, 2: 6, 3: 7, 4: 31, 5: 366}

// Score is a match score with its parts. Veto, when not empty, says why
// the two reports can never be one event (the score is then -Inf);
// Related marks an episode and a single attack inside it.
type Score struct {
	Total   float64
	Veto    string
	Related bool
	Parts   []string // the explanation, one line per part; filled on request
	// named marks a veto by the reports' own words (two named venues):
	// the two are apart for good, with nothing left for a person to ask.
	named bool
}

// scorer is a Config ready to score records: the actor hierarchy by Sym.
type scorer struct {
	*Config
	parents map[Sym]Sym
}

func (c *Config) scorer() *scorer {
	p := make(map[Sym]Sym, len(c.Parents))
	for k, v := range c.Parents {
		p[Intern(k)] = Intern(v)
	}
	return &scorer{Config: c, parents: p}
}

// note adds a part's explanation.
func (s *Score) note(w float64, format string, args ...any) {
	s.Parts = append(s.Parts, fmt.Sprintf("%+.2f ", w)+fmt.Sprintf(format, args...))
}

// veto makes the score a veto; why, called only to explain, says why.
func (s *Score) veto(explain bool, why func() string) Score {
	s.Total, s.Veto = math.Inf(-1), "veto"
	if explain {
		s.Veto = why()
		s.Parts = append(s.Parts, "veto: "+s.Veto)
	}
	return *s
}

// score compares two records. explain fills Parts and words the veto;
// without it, score allocates nothing.
func (c *scorer) score(a, b *Record, explain bool) Score {
	var s Score
	if a.Document == b.Document && a.Document != 0 {
		return s.veto(explain, func() string { return "two reports of one document" })
	}
	if a.Dataset && a.Source == b.Source {
		return s.veto(explain, func() string { return "two rows of one dataset are two events by the dataset's own judgment" })
	}
	if a.Source == b.Source && a.Source != 0 && a.Event != 0 && b.Event != 0 && a.Event != b.Event {
		// A list that files each row as its own incident (Wikipedia's
		// incident lists, a case file's event keys) has already judged two
		// of its rows apart, as a dataset has.
		return s.veto(explain, func() string { return "two reports of one source that it filed as two events" })
	}
	// Dates.
	gap := max(b.Start-a.End, a.Start-b.End, 0)
	tol := dateTolerance(a) + dateTolerance(b)
	coarse := max(a.DatePrec, b.DatePrec) >= int8(vigil.DateMonth)
	epA, epB := a.span() > c.EpisodeDays, b.span() > c.EpisodeDays
	switch {
	case gap > tol:
		return s.veto(explain, func() string {
			return fmt.Sprintf("dates %d days apart, more than their precisions allow (%d)", gap, tol)
		})
	case epA != epB:
		s.Related = true
		return s.veto(explain, func() string { return "an episode and a single incident inside it are related, not one event" })
	case coarse:
		w := 0.2 * c.Weights.Date
		s.Total += w
		if explain {
			s.note(w, "dates overlap, but one is known only to the month or year")
		}
	case gap == 0 && a.span() == 0 && b.span() == 0:
		s.Total += c.Weights.Date
		if explain {
			s.note(c.Weights.Date, "same day")
		}
	case gap == 0:
		w := 0.75 * c.Weights.Date
		s.Total += w
		if explain {
			s.note(w, "dates overlap")
		}
	default:
		w := c.Weights.Date * (1 - float64(gap)/float64(tol+1))
		s.Total += w
		if explain {
			s.note(w, "dates %d day(s) apart, within their precision", gap)
		}
	}
	// Venues. One named venue on compatible dates outweighs coordinates
	// that sources derived from different place names: the places then
	// only count against the link, and fusion names the contradiction.
	sameVenue := false
	if a.Venue != 0 && b.Venue != 0 {
		if a.Venue != b.Venue {
			s.named = true
			return s.veto(explain, func() string { return fmt.Sprintf("different named venues (%s, %s)", a.Venue, b.Venue) })
		}
		sameVenue = true
		s.Total += c.Weights.Venue
		if explain {
			s.note(c.Weights.Venue, "same venue (%s)", a.Venue)
		}
	}
	// Place, judged at the coarser precision of the two.
	prec := max(a.LocPrec, b.LocPrec)
	if prec <= 0 || prec > 7 {
		prec = 0
	}
	switch {
	case a.Country != 0 && b.Country != 0 && a.Country != b.Country && prec < int8(vigil.LocationWater):
		return s.veto(explain, func() string { return fmt.Sprintf("different countries (%s, %s)", a.Country, b.Country) })
	case a.HasPoint && b.HasPoint:
		d := distanceKm(a, b)
		t := placeToleranceKm[prec]
		strength := 1.0
		switch {
		case prec >= int8(vigil.LocationAdmin1) || prec == 0:
			strength = 0.25
		case prec == int8(vigil.LocationAdmin2):
			strength = 0.6
		}
		if d > 2*t && prec <= int8(vigil.LocationAdmin2) && prec > 0 && !sameVenue {
			return s.veto(explain, func() string {
				return fmt.Sprintf("places %.0f km apart, beyond what their precision allows (%.0f km)", d, t)
			})
		}
		var w float64
		switch {
		case d > t && sameVenue:
			w = -c.Weights.Place
			if explain {
				s.note(w, "places %.0f km apart, beyond %.0f km, though the venue is the same", d, t)
			}
		case d > t:
			w = -2 * c.Weights.Place
			if explain {
				s.note(w, "places %.0f km apart, beyond %.0f km", d, t)
			}
		default:
			w = strength * c.Weights.Place * (1 - 0.5*d/t)
			if explain {
				s.note(w, "places %.0f km apart, within %.0f km at precision %d", d, t, prec)
			}
		}
		s.Total += w
	case a.Admin1 != 0 && a.Admin1 == b.Admin1:
		w := 0.25 * c.Weights.Place
		s.Total += w
		if explain {
			s.note(w, "same province (%s), no coordinates to compare", a.Admin1)
		}
	}
	// Taxonomy, at the most specific level both give.
	switch {
	case a.Sub != 0 && b.Sub != 0:
		switch {
		case a.Sub == b.Sub:
			s.Total += c.Weights.Type
			if explain {
				s.note(c.Weights.Type, "same sub-event type (%s)", a.Sub)
			}
		case parentType(a.Sub) == parentType(b.Sub) && parentType(a.Sub) != 0:
			if explain {
				s.note(0, "same event type (%s), different sub-types", parentType(a.Sub))
			}
		default:
			s.Total -= c.Weights.Type
			if explain {
				s.note(-c.Weights.Type, "different event types (%s, %s)", a.Sub, b.Sub)
			}
		}
	case a.Type != 0 && b.Type != 0:
		if a.Type == b.Type {
			w := 0.5 * c.Weights.Type
			s.Total += w
			if explain {
				s.note(w, "same event type (%s)", a.Type)
			}
		} else {
			s.Total -= c.Weights.Type
			if explain {
				s.note(-c.Weights.Type, "different event types (%s, %s)", a.Type, b.Type)
			}
		}
	}
	for _, f := range [...]struct {
		name string
		x, y uint32
	}{{"attack", a.Attack, b.Attack}, {"weapon", a.Weapon, b.Weapon}, {"target", a.Target, b.Target}} {
		if f.x != 0 && f.y != 0 {
			w, why := 0.25*c.Weights.Type, "%s types agree"
			if f.x&f.y == 0 {
				w, why = -w, "%s types differ"
			}
			s.Total += w
			if explain {
				s.note(w, why, f.name)
			}
		}
	}
	// Actors: the same actor or one of its parents, whatever the
	// attribution (a claim and a denial are reports of one event).
	if a.Actors != 0 && b.Actors != 0 {
		if x, y, ok := c.shared(a.Actors, b.Actors); ok {
			s.Total += c.Weights.Actors
			if explain && x == y {
				s.note(c.Weights.Actors, "same actor (%s)", x)
			} else if explain {
				s.note(c.Weights.Actors, "related actors (%s, %s)", x, y)
			}
		} else {
			w := -0.5 * c.Weights.Actors
			s.Total += w
			if explain {
				s.note(w, "no actor in common (%v, %v)", a.Actors.Names(), b.Actors.Names())
			}
		}
	}
	// Casualties, within tolerance: follow-ups revise tolls upward.
	if x, kx := killed(&a.Killed); kx {
		if y, ky := killed(&b.Killed); ky {
			lo, hi := min(x, y), max(x, y)
			var w float64
			var why string
			switch {
			case overlaps(&a.Killed, &b.Killed) || hi-lo <= 2:
				w, why = c.Weights.Casualties, "killed %d and %d agree"
			case float64(hi) <= 1.5*float64(lo):
				w, why = 0.6*c.Weights.Casualties, "killed %d and %d close"
			case float64(hi) <= 3*float64(lo)+5:
				w, why = 0, "killed %d and %d, as a revised toll may be"
			default:
				w, why = -c.Weights.Casualties, "killed %d and %d too far apart"
			}
			s.Total += w
			if explain {
				s.note(w, why, x, y)
			}
		}
	}
	return s
}

// killed returns a toll's best figure, else its low one, and whether
// either is known.
func killed(t *Toll) (int32, bool) {
	switch {
	case t.Known&2 != 0:
		return t.Best, true
	case t.Known&1 != 0:
		return t.Low, true
	}
	return 0, false
}

func overlaps(a, b *Toll) bool {
	if a.Known&5 != 5 || b.Known&5 != 5 {
		return false
	}
	return a.Low <= b.High && b.Low <= a.High && (a.Low != a.High || b.Low != b.High)
}

// shared returns an actor of a and one of b that are the same or related
// through parents.
func (c *scorer) shared(as, bs Set) (Sym, Sym, bool) {
	if as == bs {
		x := as.Syms()[0]
		return x, x, true
	}
	xs, ys := as.Syms(), bs.Syms()
	for _, x := range xs {
		for _, y := range ys {
			if x == y || c.related(x, y) {
				return x, y, true
			}
		}
	}
	return 0, 0, false
}

func (c *scorer) related(a, b Sym) bool {
	if len(c.parents) == 0 {
		return false
	}
	for _, p := range [...][2]Sym{{a, b}, {b, a}} {
		for id, n := c.parents[p[0]], 0; id != 0 && n < 16; id, n = c.parents[id], n+1 {
			if id == p[1] {
				return true
			}
		}
	}
	return false
}

// Explain scores two records and explains the score, part by part.
func (c *Config) Explain(a, b *Record) Score { return c.scorer().score(a, b, true) }

// distanceKm is the equirectangular distance between two records' points:
// within 0.5% of the great-circle distance below 1,000 km, and cheap.
// kmPerDegree is the length of a degree of latitude.
const kmPerDegree = 6371.0088 * math.Pi / 180

func distanceKm(a, b *Record) float64 {
	lat := float64(a.Lat+b.Lat) / 2 * math.Pi / 180
	dx := float64(a.Lon - b.Lon)
	if dx > 180 {
		dx -= 360
	} else if dx < -180 {
		dx += 360
	}
	dx *= math.Cos(lat)
	dy := float64(a.Lat - b.Lat)
	return kmPerDegree * math.Sqrt(dx*dx+dy*dy)
}
