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
}

// score compares two records. explain fills Parts.
func (c *Config) score(a, b *Record, explain bool) Score {
	var s Score
	part := func(w float64, format string, args ...any) {
		s.Total += w
		if explain {
			s.Parts = append(s.Parts, fmt.Sprintf("%+.2f ", w)+fmt.Sprintf(format, args...))
		}
	}
	veto := func(format string, args ...any) Score {
		s.Total, s.Veto = math.Inf(-1), fmt.Sprintf(format, args...)
		if explain {
			s.Parts = append(s.Parts, "veto: "+s.Veto)
		}
		return s
	}
	if a.Document == b.Document && a.Document != 0 {
		return veto("two reports of one document")
	}
	if a.Dataset && a.Source == b.Source {
		return veto("two rows of one dataset are two events by the dataset's own judgment")
	}
	// Dates.
	gap := max(b.Start-a.End, a.Start-b.End, 0)
	tol := dateTolerance(a) + dateTolerance(b)
	coarse := max(a.DatePrec, b.DatePrec) >= int8(vigil.DateMonth)
	epA, epB := a.span() > c.EpisodeDays, b.span() > c.EpisodeDays
	switch {
	case gap > tol:
		return veto("dates %d days apart, more than their precisions allow (%d)", gap, tol)
	case epA != epB:
		s.Related = true
		return veto("an episode and a single incident inside it are related, not one event")
	case coarse:
		part(0.2*c.Weights.Date, "dates overlap, but one is known only to the month or year")
	case gap == 0 && a.span() == 0 && b.span() == 0:
		part(c.Weights.Date, "same day")
	case gap == 0:
		part(0.75*c.Weights.Date, "dates overlap")
	default:
		part(c.Weights.Date*(1-float64(gap)/float64(tol+1)), "dates %d day(s) apart, within their precision", gap)
	}
	// Venues. One named venue on compatible dates outweighs coordinates
	// that sources derived from different place names: the places then
	// only count against the link, and fusion names the contradiction.
	sameVenue := false
	if a.Venue != "" && b.Venue != "" {
		if a.Venue != b.Venue {
			return veto("different named venues (%s, %s)", a.Venue, b.Venue)
		}
		sameVenue = true
		part(c.Weights.Venue, "same venue (%s)", a.Venue)
	}
	// Place, judged at the coarser precision of the two.
	prec := max(a.LocPrec, b.LocPrec)
	if prec <= 0 || prec > 7 {
		prec = 0
	}
	switch {
	case a.Country != "" && b.Country != "" && a.Country != b.Country && prec < int8(vigil.LocationWater):
		return veto("different countries (%s, %s)", a.Country, b.Country)
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
			return veto("places %.0f km apart, beyond what their precision allows (%.0f km)", d, t)
		}
		if d > t && sameVenue {
			part(-c.Weights.Place, "places %.0f km apart, beyond %.0f km, though the venue is the same", d, t)
		} else if d > t {
			part(-2*c.Weights.Place, "places %.0f km apart, beyond %.0f km", d, t)
		} else {
			part(strength*c.Weights.Place*(1-0.5*d/t), "places %.0f km apart, within %.0f km at precision %d", d, t, prec)
		}
	case a.Admin1 != "" && a.Admin1 == b.Admin1:
		part(0.25*c.Weights.Place, "same province (%s), no coordinates to compare", a.Admin1)
	}
	// Taxonomy, at the most specific level both give.
	switch {
	case a.Sub != "" && b.Sub != "":
		switch {
		case a.Sub == b.Sub:
			part(c.Weights.Type, "same sub-event type (%s)", a.Sub)
		case a.Sub.Parent() == b.Sub.Parent() && a.Sub.Parent() != "":
			part(0, "same event type (%s), different sub-types", a.Sub.Parent())
		default:
			part(-c.Weights.Type, "different event types (%s, %s)", a.Sub, b.Sub)
		}
	case a.Type != "" && b.Type != "":
		if a.Type == b.Type {
			part(0.5*c.Weights.Type, "same event type (%s)", a.Type)
		} else {
			part(-c.Weights.Type, "different event types (%s, %s)", a.Type, b.Type)
		}
	}
	for _, f := range [...]struct {
		name string
		x, y uint32
	}{{"attack", a.Attack, b.Attack}, {"weapon", a.Weapon, b.Weapon}, {"target", a.Target, b.Target}} {
		if f.x != 0 && f.y != 0 {
			if f.x&f.y != 0 {
				part(0.25*c.Weights.Type, "%s types agree", f.name)
			} else {
				part(-0.25*c.Weights.Type, "%s types differ", f.name)
			}
		}
	}
	// Actors: the same actor or one of its parents, whatever the
	// attribution (a claim and a denial are reports of one event).
	if len(a.Actors) > 0 && len(b.Actors) > 0 {
		if x, y, ok := c.shared(a.Actors, b.Actors); ok {
			if x == y {
				part(c.Weights.Actors, "same actor (%s)", x)
			} else {
				part(c.Weights.Actors, "related actors (%s, %s)", x, y)
			}
		} else {
			part(-0.5*c.Weights.Actors, "no actor in common (%v, %v)", a.Actors, b.Actors)
		}
	}
	// Casualties, within tolerance: follow-ups revise tolls upward.
	if x, y := killed(a), killed(b); x.Known && y.Known {
		lo, hi := min(x.N, y.N), max(x.N, y.N)
		switch {
		case overlaps(a.Killed, b.Killed) || hi-lo <= 2:
			part(c.Weights.Casualties, "killed %d and %d agree", x.N, y.N)
		case float64(hi) <= 1.5*float64(lo):
			part(0.6*c.Weights.Casualties, "killed %d and %d close", x.N, y.N)
		case float64(hi) <= 3*float64(lo)+5:
			part(0, "killed %d and %d, as a revised toll may be", x.N, y.N)
		default:
			part(-c.Weights.Casualties, "killed %d and %d too far apart", x.N, y.N)
		}
	}
	return s
}

// killed returns a record's best figure, else its low one.
func killed(r *Record) vigil.Num {
	if r.Killed.Best.Known {
		return r.Killed.Best
	}
	return r.Killed.Low
}

func overlaps(a, b vigil.Range) bool {
	if !a.Low.Known || !a.High.Known || !b.Low.Known || !b.High.Known {
		return false
	}
	return a.Low.N <= b.High.N && b.Low.N <= a.High.N && (a.Low != a.High || b.Low != b.High)
}

// shared returns an actor of a and one of b that are the same or related
// through parents.
func (c *Config) shared(as, bs []string) (string, string, bool) {
	for _, x := range as {
		for _, y := range bs {
			if x == y || c.related(x, y) {
				return x, y, true
			}
		}
	}
	return "", "", false
}

func (c *Config) related(a, b string) bool {
	if c.Parents == nil {
		return false
	}
	for _, p := range [][2]string{{a, b}, {b, a}} {
		for id, n := c.Parents[p[0]], 0; id != "" && n < 16; id, n = c.Parents[id], n+1 {
			if id == p[1] {
				return true
			}
		}
	}
	return false
}

// Explain scores two records and explains the score, part by part.
func (c *Config) Explain(a, b *Record) Score { return c.score(a, b, true) }

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
