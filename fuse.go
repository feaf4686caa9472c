package vigil

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
)

// Fuse computes an event's values from its reports. The rules, in order:
//
//   - Date: among the reports with the finest date precision, the earliest
//     start and the latest end.
//   - Place: the report with the finest location precision; ties go to the
//     more reliable source, then the more credible report, then the older.
//   - Type: from the most reliable source's report that gives one.
//   - Killed and wounded: low is the least low and high the greatest high
//     among the reports of credibility 1–3 (or ungraded); if none is, among
//     all. Best is the weighted median over independent origins of the
//     best figures those reports give, from the sources that do not speak
//     for a party named in the event; a party's own figures count only
//     when nobody else gives one; when no report gives a best, it is the
//     low bound, the conservative figure. The range is widened so that
//     low ≤ best ≤ high.
//   - The weights of best: a report weighs its source's reliability
//     (A 10, B 8, C 6, D 4, E 2, F or ungraded 5, G 0) times its own
//     credibility (1 10, 2 8, 3 6, 4 4, 5 2, 6 5, ungraded 6). An origin's
//     figure is the weighted median of its reports' figures, and it weighs
//     as its best-graded report: two outlets quoting one ministry count
//     once. Best is the figure at which the origins' weight below and above
//     balance (the midpoint of two figures when the weight splits exactly
//     between them), so that equal weights give the plain median, and of
//     two origins the better graded decides. Reports of weight 0 (a
//     deceptive source) count only when no other gives a figure.
//   - Actors: one entry per actor and role; a claim and a denial of the same
//     actor, or claims by rival actors, make the attribution "disputed".
//   - Corroboration: the number of independent origins among the sources
//     that do not speak for a party named in the event.
//   - Credibility: 1 (confirmed) with two or more such origins, else the
//     best credibility any report gives.
//   - Contradictions: casualty figures too far apart, rival claims, places
//     or dates incompatible at their precision, and a party's own claim
//     that no independent source confirms.
//   - Revisions: a dataset's releases are sources of one origin ("UCDP
//     GED 23.1" and "UCDP GED 24.1", of origin "UCDP GED"), and a dataset
//     keys a record alike in every release. Two reports of one key from
//     two dataset sources of one origin are one record as two releases
//     coded it, not two witnesses: only the latest release's is fused, and
//     the others are kept as revisions (history), never contradictions.
//     The latest is the highest release number that the source's name
//     gives after its origin's, else the later imported (higher report id).
//     Every report stays in ReportIDs, and the marking is the most
//     restricted of all.
//
// Basis records the reports each value came from. parents maps an actor's
// id to its parent's (ISKP → the Islamic State), so that a source speaking
// for a parent is not taken as independent of its subsidiary, nor are their
// claims taken as rivals; it may be nil.
func Fuse(key string, reports []SourcedReport, parents map[string]string) Event {
	e := Event{Key: key, Actors: []ReportActor{}, Sources: []EventSource{}, Contradictions: []Contradiction{}, ReportIDs: []int64{}}
	if len(reports) == 0 {
		e.Basis = map[string][]int64{}
		return e
	}
	// Fusion only reads the reports: those already in order of their
	// distinct ids, as stores give them, are read where they are, since
	// sorting would leave them so; others are sorted in a copy.
	rs := reports
	if !inIDOrder(rs) {
		rs = slices.Clone(reports)
		slices.SortFunc(rs, func(a, b SourcedReport) int { return cmp.Compare(a.Report.ID, b.Report.ID) })
	}
	e.Basis = make(map[string][]int64, 8)
	e.ReportIDs = make([]int64, len(rs))
	for i := range rs {
		e.ReportIDs[i] = rs[i].Report.ID
	}
	e.Marking = TLPClear
	for _, r := range rs {
		if m := r.Document.Marking; m.Rank() > e.Marking.Rank() {
			e.Marking = m
		}
	}
	// A record that a later release of its dataset revised stays with the
	// event as history; the values are fused from the releases' latest.
	rs, e.Revisions = revised(rs)
	fuseDate(&e, rs)
	fusePlace(&e, rs)
	fuseType(&e, rs)
	fuseActors(&e, rs, parents)
	parties := partyIDs(e.Actors, parents)
	fuseSources(&e, rs, parties)
	e.Killed = fuseRange(&e, "killed", rs, parties, func(r *Report) Range { return r.Killed })
	e.Wounded = fuseRange(&e, "wounded", rs, parties, func(r *Report) Range { return r.Wounded })
	for _, r := range rs {
		if r.Report.AttackersKilled.Known && (!e.AttackersKilled.Known || r.Report.AttackersKilled.N > e.AttackersKilled.N) {
			e.AttackersKilled = r.Report.AttackersKilled
			e.Basis["attackers_killed"] = []int64{r.Report.ID}
		}
	}
	findContradictions(&e, rs, parties, parents)
	return e
}

// revised returns the reports that fusion reads, without those that a
// later release of their dataset revised, and those as revisions (see
// Fuse). rs is returned as it is when no report was revised.
func revised(rs []SourcedReport) ([]SourcedReport, []Revision) {
	var revs []Revision
	var out []SourcedReport
	for i := range rs {
		a := &rs[i]
		latest := a
		if datasetRecord(a) {
			for j := range rs {
				if b := &rs[j]; j != i && sameRecord(a, b) && laterRelease(b, latest) {
					latest = b
				}
			}
		}
		if latest == a {
			if out != nil {
				out = append(out, *a)
			}
			continue
		}
		if out == nil {
			out = append(make([]SourcedReport, 0, len(rs)-1), rs[:i]...)
		}
		revs = append(revs, Revision{Report: a.Report.ID, Source: a.Source.Name, By: latest.Report.ID,
			BySource: latest.Source.Name, Changes: changes(&a.Report, &latest.Report)})
	}
	if out == nil {
		return rs, nil
	}
	return out, revs
}

// datasetRecord reports whether a report is a dataset's keyed record.
func datasetRecord(r *SourcedReport) bool {
	return r.Source.Kind == SourceDataset && r.Report.Key != ""
}

// sameRecord reports whether b is a's record as another release of a's
// dataset coded it: a dataset source of the same origin, another source,
// the same key.
func sameRecord(a, b *SourcedReport) bool {
	return datasetRecord(b) && b.Report.Key == a.Report.Key && b.Source.Name != a.Source.Name &&
		b.Source.OriginKey() == a.Source.OriginKey()
}

// laterRelease reports whether a comes from a later release than b: by the
// release numbers their sources' names give after the origin ("UCDP GED
// 24.1" after "UCDP GED 23.1", 24.0.10 before 24.1), else by report id.
func laterRelease(a, b *SourcedReport) bool {
	ra, oka := releaseOf(&a.Source)
	rb, okb := releaseOf(&b.Source)
	if oka && okb {
		if c := slices.Compare(ra, rb); c != 0 {
			return c > 0
		}
	}
	return a.Report.ID > b.Report.ID
}

// releaseOf returns the release number a source's name gives after its
// origin's, as its dot-separated parts: "UCDP GED 23.1" of origin "UCDP
// GED" is [23 1]. ok is false for a name in another form.
func releaseOf(s *Source) (parts []int, ok bool) {
	rest, found := strings.CutPrefix(s.Name, s.Origin+" ")
	if s.Origin == "" || !found || rest == "" {
		return nil, false
	}
	for _, f := range strings.Split(rest, ".") {
		n := 0
		if f == "" || len(f) > 6 {
			return nil, false
		}
		for _, c := range f {
			if c < '0' || c > '9' {
				return nil, false
			}
			n = n*10 + int(c-'0')
		}
		parts = append(parts, n)
	}
	return parts, true
}

// changes names the values that fusion reads on which a revision differs
// from the record it revised.
func changes(old, cur *Report) []string {
	var out []string
	if old.Killed != cur.Killed {
		out = append(out, fmt.Sprintf("killed %s → %s", old.Killed, cur.Killed))
	}
	if old.Wounded != cur.Wounded {
		out = append(out, fmt.Sprintf("wounded %s → %s", old.Wounded, cur.Wounded))
	}
	if old.AttackersKilled != cur.AttackersKilled {
		out = append(out, fmt.Sprintf("attackers killed %s → %s", old.AttackersKilled, cur.AttackersKilled))
	}
	if old.DateStart != cur.DateStart || old.DateEnd != cur.DateEnd || old.DatePrecision != cur.DatePrecision {
		out = append(out, fmt.Sprintf("date %s → %s", dateSpan(old), dateSpan(cur)))
	}
	po, oko := old.Point()
	pc, okc := cur.Point()
	switch {
	case old.Name != cur.Name || old.Country != cur.Country || old.Admin1 != cur.Admin1 || oko != okc:
		out = append(out, fmt.Sprintf("place %s → %s", placeLabel(old), placeLabel(cur)))
	case oko && po != pc:
		out = append(out, fmt.Sprintf("place %s moved %.1f km", placeLabel(cur), HaversineKm(po, pc)))
	}
	if old.Precision != cur.Precision {
		out = append(out, fmt.Sprintf("location precision %d → %d", old.Precision, cur.Precision))
	}
	if old.EventType != cur.EventType || old.SubEventType != cur.SubEventType {
		out = append(out, fmt.Sprintf("type %s → %s", typeLabel(old), typeLabel(cur)))
	}
	if a, b := actorsLabel(old), actorsLabel(cur); a != b {
		out = append(out, fmt.Sprintf("actors %s → %s", a, b))
	}
	return out
}

func dateSpan(r *Report) string {
	if r.DateEnd.IsZero() || r.DateEnd == r.DateStart {
		return r.DateStart.String()
	}
	return r.DateStart.String() + "…" + r.DateEnd.String()
}

func typeLabel(r *Report) string {
	if r.SubEventType != "" {
		return string(r.EventType) + " / " + string(r.SubEventType)
	}
	return string(r.EventType)
}

// actorsLabel lists a report's actors with their roles, in order.
func actorsLabel(r *Report) string {
	names := make([]string, len(r.Actors))
	for i, a := range r.Actors {
		names[i] = a.Name + " (" + string(a.Role) + ")"
	}
	return strings.Join(names, "; ")
}

// inIDOrder reports whether the reports' ids increase strictly.
func inIDOrder(rs []SourcedReport) bool {
	for i := 1; i < len(rs); i++ {
		if rs[i-1].Report.ID >= rs[i].Report.ID {
			return false
		}
	}
	return true
}

func fuseDate(e *Event, rs []SourcedReport) {
	best := DatePrecision(99)
	for _, r := range rs {
		if p := precisionOr(r.Report.DatePrecision, DateYear); p < best && !r.Report.DateStart.IsZero() {
			best = p
		}
	}
	for _, r := range rs {
		rep := &r.Report
		if rep.DateStart.IsZero() || precisionOr(rep.DatePrecision, DateYear) != best {
			continue
		}
		end := rep.DateEnd
		if end.IsZero() {
			end = rep.DateStart
		}
		if e.DateStart.IsZero() || rep.DateStart.Before(e.DateStart) {
			e.DateStart = rep.DateStart
		}
		if e.DateEnd.IsZero() || end.After(e.DateEnd) {
			e.DateEnd = end
		}
		e.Basis["date"] = append(e.Basis["date"], rep.ID)
	}
	if best != 99 {
		e.DatePrecision = best
	}
}

func precisionOr[T ~int](p, unknown T) T {
	if p == 0 {
		return unknown
	}
	return p
}

// better orders reports for choosing one value: more reliable source
// first, then more credible report, then older report.
func better(a, b *SourcedReport) bool {
	if a.Source.Reliability != b.Source.Reliability {
		return reliabilityRank(a.Source.Reliability) < reliabilityRank(b.Source.Reliability)
	}
	// An ungraded report ranks as possibly true (3), as the killed rule
	// counts it among the credible ones.
	ca, cb := precisionOr(a.Report.Credibility, 3), precisionOr(b.Report.Credibility, 3)
	if ca != cb {
		return ca < cb
	}
	return a.Report.ID < b.Report.ID
}

// reliabilityRank orders grades by trust: A … E, then F (cannot be
// judged), then G (deceptive).
func reliabilityRank(r Reliability) int {
	if r == "" {
		return 6
	}
	return int(r[0] - 'A')
}

func fusePlace(e *Event, rs []SourcedReport) {
	var pick *SourcedReport
	for i := range rs {
		r := &rs[i]
		if r.Report.Country == "" && r.Report.Latitude == nil && r.Report.Name == "" {
			continue
		}
		if pick == nil {
			pick = r
			continue
		}
		pr, pp := precisionOr(r.Report.Precision, 8), precisionOr(pick.Report.Precision, 8)
		if pr < pp || (pr == pp && better(r, pick)) {
			pick = r
		}
	}
	if pick != nil {
		e.Place = pick.Report.Place
		e.Basis["place"] = []int64{pick.Report.ID}
	}
}

func fuseType(e *Event, rs []SourcedReport) {
	var pick *SourcedReport
	for i := range rs {
		if rs[i].Report.EventType != "" && (pick == nil || better(&rs[i], pick)) {
			pick = &rs[i]
		}
	}
	if pick != nil {
		e.EventType, e.SubEventType = pick.Report.EventType, pick.Report.SubEventType
		e.Basis["event_type"] = []int64{pick.Report.ID}
	}
	for _, r := range rs {
		e.AttackTypes = appendNew(e.AttackTypes, r.Report.AttackTypes...)
		e.WeaponTypes = appendNew(e.WeaponTypes, r.Report.WeaponTypes...)
		e.TargetTypes = appendNew(e.TargetTypes, r.Report.TargetTypes...)
	}
}

func appendNew[T comparable](list []T, vs ...T) []T {
	for _, v := range vs {
		if !slices.Contains(list, v) {
			list = append(list, v)
		}
	}
	return list
}

// actorKey identifies an actor in an event: its id, else its name.
func actorKey(a ReportActor) string {
	if a.ActorID != "" {
		return a.ActorID
	}
	return strings.ToLower(a.Name)
}

func fuseActors(e *Event, rs []SourcedReport, parents map[string]string) {
	// One entry per actor and role, in the order first seen; an event has
	// few, so a list is searched rather than a map built.
	type acc struct {
		key      string // actorKey
		a        ReportActor
		statuses statusSet
		by       []holding
	}
	var room [4]acc
	accs := room[:0]
	for i := range rs {
		for _, a := range rs[i].Report.Actors {
			k := actorKey(a)
			j := len(accs) - 1
			for ; j >= 0 && (accs[j].key != k || accs[j].a.Role != a.Role); j-- {
			}
			if j < 0 {
				j = len(accs)
				accs = append(accs, acc{key: k, a: a})
			}
			x := &accs[j]
			x.statuses = x.statuses.with(a.Attribution)
			if a.AttributedBy != "" {
				x.by = appendNew(x.by, holding{a.AttributedBy, a.Attribution})
			}
			if x.a.Rule == "" {
				x.a.Rule = a.Rule
			}
			if x.a.Channel == "" {
				x.a.Channel = a.Channel
			}
		}
	}
	var claimants []string
	for _, x := range accs {
		if x.a.Role == RolePerpetrator && x.statuses.has(AttributionClaimed) {
			claimants = append(claimants, x.key)
		}
	}
	rivalClaim := func(id string) bool {
		for _, c := range claimants {
			if !related(c, id, parents) {
				return true
			}
		}
		return false
	}
	e.Actors = slices.Grow(e.Actors, len(accs))
	for _, x := range accs {
		a := x.a
		switch {
		case x.statuses.has(AttributionClaimed) && x.statuses.has(AttributionDenied):
			a.Attribution = AttributionDisputed
		case x.statuses.has(AttributionClaimed) && a.Role == RolePerpetrator && rivalClaim(x.key):
			a.Attribution = AttributionDisputed
		default:
			for _, s := range attributionPrecedence {
				if x.statuses.has(s) {
					a.Attribution = s
					break
				}
			}
		}
		a.AttributedBy = attributedBy(a.Attribution, x.by)
		e.Actors = append(e.Actors, a)
	}
}

// attributionPrecedence is the order in which fuseActors picks an actor's
// status from those its reports give, when no rule above decides.
var attributionPrecedence = [...]AttributionStatus{AttributionClaimed, AttributionAttributed, AttributionDisputed,
	AttributionSuspected, AttributionDenied, AttributionUnknown}

// statusSet is a set of the statuses of attributionPrecedence, a bit
// each; other values are not kept, as fuseActors reads only these.
type statusSet uint8

// with returns the set with s.
func (set statusSet) with(s AttributionStatus) statusSet {
	if i := slices.Index(attributionPrecedence[:], s); i >= 0 {
		set |= 1 << i
	}
	return set
}

// has reports whether s is in the set.
func (set statusSet) has(s AttributionStatus) bool {
	i := slices.Index(attributionPrecedence[:], s)
	return i >= 0 && set&(1<<i) != 0
}

// holding is a source's attribution of an act to an actor.
type holding struct {
	source string
	status AttributionStatus
}

// attributedBy names who holds a fused attribution: the sources, joined,
// when each holds the fused status; else each with its own ("Amaq
// (claimed); Ministry of Interior (attributed)"), so that no source is
// said to claim what it only attributed.
func attributedBy(status AttributionStatus, by []holding) string {
	same := !slices.ContainsFunc(by, func(h holding) bool { return h.status != status })
	switch {
	case len(by) == 0:
		return ""
	case len(by) == 1 && same:
		return by[0].source
	}
	names := make([]string, len(by))
	for i, h := range by {
		names[i] = h.source
		if !same {
			names[i] += " (" + string(h.status) + ")"
		}
	}
	return strings.Join(names, "; ")
}

// partyIDs returns the ids of the actors that took part as perpetrators or
// sides, and of their parents: sources speaking for them are not
// independent witnesses.
func partyIDs(actors []ReportActor, parents map[string]string) map[string]bool {
	m := map[string]bool{}
	for _, a := range actors {
		if a.ActorID != "" && a.Role != RoleTarget {
			for id, n := a.ActorID, 0; id != "" && !m[id] && n < 16; id, n = parents[id], n+1 {
				m[id] = true
			}
		}
	}
	return m
}

// related reports whether one actor is the other or an ancestor of it.
func related(a, b string, parents map[string]string) bool {
	for _, pair := range [][2]string{{a, b}, {b, a}} {
		for id, n := pair[0], 0; id != "" && n < 16; id, n = parents[id], n+1 {
			if id == pair[1] {
				return true
			}
		}
	}
	return false
}

func independent(s Source, parties map[string]bool) bool {
	return s.SpeaksFor == "" || !parties[s.SpeaksFor]
}

func fuseSources(e *Event, rs []SourcedReport, parties map[string]bool) {
	// An event has few sources and origins: lists searched, not maps.
	var room [4]string
	origins := room[:0]
	best := Credibility(0)
	for i := range rs {
		r := &rs[i]
		s := &r.Source
		if s.ID == 0 || !slices.ContainsFunc(e.Sources, func(x EventSource) bool { return x.ID == s.ID }) {
			e.Sources = append(e.Sources, EventSource{ID: s.ID, Name: s.Name, Kind: s.Kind, Reliability: s.Reliability, Origin: s.Origin, SpeaksFor: s.SpeaksFor})
		}
		if independent(*s, parties) && !r.Report.Denial {
			if k := s.OriginKey(); !slices.Contains(origins, k) {
				origins = append(origins, k)
			}
		}
		if c := r.Report.Credibility; c.Valid() && (best == 0 || c < best) {
			best = c
		}
	}
	e.Corroboration = len(origins)
	e.Credibility = best
	if e.Corroboration >= 2 {
		e.Credibility = CredibilityConfirmed
	}
}

func fuseRange(e *Event, field string, rs []SourcedReport, parties map[string]bool, get func(*Report) Range) Range {
	credible := func(r *SourcedReport) bool {
		c := r.Report.Credibility
		return c == 0 || c <= CredibilityPossible
	}
	pool := make([]*SourcedReport, 0, len(rs))
	for i := range rs {
		if !get(&rs[i].Report).IsZero() && credible(&rs[i]) {
			pool = append(pool, &rs[i])
		}
	}
	if len(pool) == 0 {
		for i := range rs {
			if !get(&rs[i].Report).IsZero() {
				pool = append(pool, &rs[i])
			}
		}
	}
	var out Range
	if len(pool) == 0 {
		return out
	}
	var lowIDs, highIDs []int64
	for _, r := range pool {
		v := get(&r.Report)
		lo, hi := firstKnown(v.Low, v.Best), firstKnown(v.High, v.Best)
		if lo.Known && (!out.Low.Known || lo.N < out.Low.N) {
			out.Low, lowIDs = lo, []int64{r.Report.ID}
		} else if lo.Known && lo.N == out.Low.N {
			lowIDs = append(lowIDs, r.Report.ID)
		}
		if hi.Known && (!out.High.Known || hi.N > out.High.N) {
			out.High, highIDs = hi, []int64{r.Report.ID}
		} else if hi.Known && hi.N == out.High.N {
			highIDs = append(highIDs, r.Report.ID)
		}
	}
	// Best: the weighted median over independent origins (see Fuse).
	var buf [8]figure
	figs := buf[:0]
	var bestIDs []int64
	for pass := 0; pass < 2 && len(figs) == 0; pass++ {
		for _, r := range pool {
			if v := get(&r.Report); v.Best.Known && (pass == 1 || independent(r.Source, parties)) {
				figs = append(figs, figure{r.Source.OriginKey(), float64(v.Best.N), figureWeight(r)})
				bestIDs = append(bestIDs, r.Report.ID)
			}
		}
	}
	if len(figs) == 0 && out.Low.Known {
		// Nobody gives a best estimate: take the conservative figure.
		out.Best = out.Low
		e.Basis[field+".best"] = lowIDs
	}
	if len(figs) > 0 {
		out.Best = N(int(math.Round(weightedBest(figs))))
		e.Basis[field+".best"] = bestIDs
	}
	// Widen after either way of finding best: a low taken as best may lie
	// above another report's high ("at least 10" and "up to 5").
	if out.Best.Known && out.Low.Known && out.Best.N < out.Low.N {
		out.Low = out.Best
	}
	if out.Best.Known && out.High.Known && out.Best.N > out.High.N {
		out.High = out.Best
	}
	if out.Low.Known {
		e.Basis[field+".low"] = lowIDs
	}
	if out.High.Known {
		e.Basis[field+".high"] = highIDs
	}
	return out
}

func firstKnown(ns ...Num) Num {
	for _, n := range ns {
		if n.Known {
			return n
		}
	}
	return Num{}
}

// figure is one report's best estimate of a count, with the origin it
// comes from and its weight (see figureWeight).
type figure struct {
	origin string
	v      float64
	w      int
}

// reliabilityWeights weigh a source's grade, A to G, in tenths: A 10 … E 2;
// F (cannot be judged) 5, between fairly and not usually reliable, as
// nothing is known for or against it; G (deliberately deceptive) 0.
var reliabilityWeights = [...]int{10, 8, 6, 4, 2, 5, 0}

// credibilityWeights weigh a report's grade, 1 to 6, in tenths: 1 10 …
// 5 2; 6 (cannot be judged) 5; ungraded (0) 6, as possibly true (3), as
// the rest of Fuse takes it.
var credibilityWeights = [...]int{6, 10, 8, 6, 4, 2, 5}

// figureWeight is how much a report's figure counts towards best: its
// source's reliability weight times its own credibility weight (0–100).
func figureWeight(r *SourcedReport) int {
	rw := 5 // ungraded source: as F
	if g := r.Source.Reliability; len(g) == 1 && g[0] >= 'A' && g[0] <= 'G' {
		rw = reliabilityWeights[g[0]-'A']
	}
	cw := credibilityWeights[0]
	if c := r.Report.Credibility; c.Valid() {
		cw = credibilityWeights[c]
	}
	return rw * cw
}

// weightedBest returns the weighted median over origins of the figures:
// each origin's own weighted median of its reports' figures, weighing as
// its best-graded report. Figures of weight 0 count only when every one
// is 0 (then all count alike). figs is reordered and overwritten.
func weightedBest(figs []figure) float64 {
	positive := figs[:0]
	for _, f := range figs {
		if f.w > 0 {
			positive = append(positive, f)
		}
	}
	if len(positive) == 0 {
		for i := range figs {
			figs[i].w = 1
		}
	} else {
		figs = positive
	}
	slices.SortFunc(figs, func(a, b figure) int { return cmp.Or(strings.Compare(a.origin, b.origin), cmp.Compare(a.v, b.v)) })
	origins := figs[:0]
	for i := 0; i < len(figs); {
		j, w := i+1, figs[i].w
		for ; j < len(figs) && figs[j].origin == figs[i].origin; j++ {
			w = max(w, figs[j].w)
		}
		// Write behind the runs still to read: len(origins) ≤ i.
		origins = append(origins, figure{figs[i].origin, weightedMedian(figs[i:j]), w})
		i = j
	}
	slices.SortFunc(origins, func(a, b figure) int { return cmp.Compare(a.v, b.v) })
	return weightedMedian(origins)
}

// weightedMedian returns the value at which the weights of the figures
// (sorted by value, weights positive) below and above balance: the first
// whose running weight passes half the total, or, when it reaches half
// exactly, the midpoint of it and the next. With equal weights it is the
// plain median.
func weightedMedian(figs []figure) float64 {
	total := 0
	for _, f := range figs {
		total += f.w
	}
	cum := 0
	for i, f := range figs {
		cum += f.w
		switch {
		case 2*cum > total:
			return f.v
		case 2*cum == total && i+1 < len(figs):
			return (f.v + figs[i+1].v) / 2
		}
	}
	return figs[len(figs)-1].v
}

// Tolerances used to judge contradictions.
const (
	// casualtyRatio and casualtyGap: two best figures contradict when the
	// larger exceeds the smaller by both this factor and this many.
	casualtyRatio = 1.5
	casualtyGap   = 5
)

// placeToleranceKm is how far a place given at each location precision
// may lie from the true spot.
var placeToleranceKm = [...]float64{0: 500, 1: 5, 2: 25, 3: 60, 4: 250, 5: 600, 6: 2000, 7: 2000}

// dateToleranceDays is how far a date given at each date precision may
// lie from the true day.
var dateToleranceDays = [...]int{0: 366, 1: 1, 2: 6, 3: 7, 4: 31, 5: 366}

func findContradictions(e *Event, rs []SourcedReport, parties map[string]bool, parents map[string]string) {
	casualtyContradiction(e, rs)
	claimContradictions(e, rs, parents)
	denials(e, rs)
	placeContradiction(e, rs)
	dateContradiction(e, rs)
	selfClaim(e, rs, parties)
}

// denials names reports that deny the incident took place.
func denials(e *Event, rs []SourcedReport) {
	var deny, assert []int64
	var who []string
	for _, r := range rs {
		if r.Report.Denial {
			deny = append(deny, r.Report.ID)
			who = appendNew(who, r.Source.Name)
		} else {
			assert = append(assert, r.Report.ID)
		}
	}
	if len(deny) > 0 && len(assert) > 0 {
		e.Contradictions = append(e.Contradictions, Contradiction{
			Kind:        ContradictionDenied,
			Description: strings.Join(who, ", ") + " denied that the incident took place",
			Sides:       [][]int64{assert, deny},
		})
	}
}

func casualtyContradiction(e *Event, rs []SourcedReport) {
	var lo, hi *SourcedReport
	for i := range rs {
		b := rs[i].Report.Killed.Best
		if !b.Known {
			continue
		}
		if lo == nil || b.N < lo.Report.Killed.Best.N {
			lo = &rs[i]
		}
		if hi == nil || b.N > hi.Report.Killed.Best.N {
			hi = &rs[i]
		}
	}
	if lo == nil || hi == nil {
		return
	}
	a, b := lo.Report.Killed.Best.N, hi.Report.Killed.Best.N
	if b-a < casualtyGap || float64(b) <= casualtyRatio*float64(a) {
		return
	}
	mid := float64(a+b) / 2
	var low, high []int64
	for _, r := range rs {
		if v := r.Report.Killed.Best; v.Known {
			if float64(v.N) < mid {
				low = append(low, r.Report.ID)
			} else {
				high = append(high, r.Report.ID)
			}
		}
	}
	e.Contradictions = append(e.Contradictions, Contradiction{
		Kind:        ContradictionCasualties,
		Description: fmt.Sprintf("killed: %s says %d, %s says %d", lo.Source.Name, a, hi.Source.Name, b),
		Sides:       [][]int64{low, high},
	})
}

func claimContradictions(e *Event, rs []SourcedReport, parents map[string]string) {
	type blame struct {
		reports []int64
		status  AttributionStatus
		by      []string
	}
	blames := map[string]*blame{}
	denied := map[string][]int64{}
	names := map[string]string{}
	// joint marks actors that one report blames together ("A and B"):
	// partners in the act, not rival culprits.
	joint := map[[2]string]bool{}
	var order []string
	for _, r := range rs {
		var blamed []string
		for _, a := range r.Report.Actors {
			if a.Role == RolePerpetrator && a.Attribution != AttributionDisputed && a.Attribution != AttributionDenied && (a.ActorID != "" || a.Name != "") {
				blamed = append(blamed, actorKey(a))
			}
		}
		for _, x := range blamed {
			for _, y := range blamed {
				joint[[2]string{x, y}] = true
			}
		}
		for _, a := range r.Report.Actors {
			if a.Role != RolePerpetrator || a.ActorID == "" && a.Name == "" {
				continue
			}
			k := actorKey(a)
			names[k] = a.Name
			switch a.Attribution {
			case AttributionClaimed, AttributionAttributed, AttributionSuspected:
				b := blames[k]
				if b == nil {
					b = &blame{status: a.Attribution}
					blames[k] = b
					order = append(order, k)
				}
				b.reports = append(b.reports, r.Report.ID)
				b.by = appendNew(b.by, r.Source.Name)
				if a.Attribution == AttributionClaimed {
					b.status = AttributionClaimed
				}
			case AttributionDenied:
				denied[k] = append(denied[k], r.Report.ID)
			}
		}
	}
	// Rival culprits: blamed actors none of which is the other's parent
	// or its partner in one report's account.
	allied := func(a, b string) bool { return related(a, b, parents) || joint[[2]string{a, b}] }
	var rivals []string
	for _, k := range order {
		alone := true
		for _, r := range rivals {
			if allied(k, r) {
				alone = false
			}
		}
		if alone {
			rivals = append(rivals, k)
		}
	}
	if len(rivals) > 1 {
		var sides [][]int64
		var desc []string
		for _, rv := range rivals {
			var side []int64
			for _, k := range order {
				if allied(k, rv) {
					side = appendNew(side, blames[k].reports...)
				}
			}
			sides = append(sides, side)
			desc = append(desc, fmt.Sprintf("%s (%s by %s)", names[rv], blames[rv].status, strings.Join(blames[rv].by, ", ")))
		}
		e.Contradictions = append(e.Contradictions, Contradiction{
			Kind:        ContradictionClaims,
			Description: "rival attributions of responsibility: " + strings.Join(desc, "; "),
			Sides:       sides,
		})
	}
	for _, k := range order {
		if d := denied[k]; len(d) > 0 && blames[k].status == AttributionClaimed {
			e.Contradictions = append(e.Contradictions, Contradiction{
				Kind:        ContradictionClaims,
				Description: "a claim of responsibility by " + names[k] + " is contradicted by a denial",
				Sides:       [][]int64{blames[k].reports, d},
			})
		}
	}
}

func placeContradiction(e *Event, rs []SourcedReport) {
	for i := range rs {
		for j := i + 1; j < len(rs); j++ {
			a, b := &rs[i].Report, &rs[j].Report
			pa, oka := a.Point()
			pb, okb := b.Point()
			if a.Country != "" && b.Country != "" && a.Country != b.Country &&
				precisionOr(a.Precision, 8) < LocationWater && precisionOr(b.Precision, 8) < LocationWater {
				e.Contradictions = append(e.Contradictions, Contradiction{
					Kind:        ContradictionPlace,
					Description: fmt.Sprintf("place: %s puts it in %s, %s in %s", rs[i].Source.Name, a.Country, rs[j].Source.Name, b.Country),
					Sides:       [][]int64{{a.ID}, {b.ID}},
				})
				return
			}
			if !oka || !okb {
				continue
			}
			d := HaversineKm(pa, pb)
			tol := placeToleranceKm[min(int(a.Precision), 7)] + placeToleranceKm[min(int(b.Precision), 7)]
			if d > tol {
				e.Contradictions = append(e.Contradictions, Contradiction{
					Kind:        ContradictionPlace,
					Description: fmt.Sprintf("place: %s (%s) and %s (%s) are %.0f km apart", placeLabel(a), rs[i].Source.Name, placeLabel(b), rs[j].Source.Name, d),
					Sides:       [][]int64{{a.ID}, {b.ID}},
				})
				return
			}
		}
	}
}

func placeLabel(r *Report) string {
	if r.Name != "" {
		return r.Name
	}
	return r.Country
}

func dateContradiction(e *Event, rs []SourcedReport) {
	for i := range rs {
		for j := i + 1; j < len(rs); j++ {
			a, b := &rs[i].Report, &rs[j].Report
			if a.DateStart.IsZero() || b.DateStart.IsZero() {
				continue
			}
			aEnd, bEnd := a.DateEnd, b.DateEnd
			if aEnd.IsZero() {
				aEnd = a.DateStart
			}
			if bEnd.IsZero() {
				bEnd = b.DateStart
			}
			tol := dateToleranceDays[min(int(a.DatePrecision), 5)] + dateToleranceDays[min(int(b.DatePrecision), 5)]
			if aEnd.AddDays(tol).Before(b.DateStart) || bEnd.AddDays(tol).Before(a.DateStart) {
				e.Contradictions = append(e.Contradictions, Contradiction{
					Kind:        ContradictionDate,
					Description: fmt.Sprintf("date: %s says %s, %s says %s", rs[i].Source.Name, a.DateStart, rs[j].Source.Name, b.DateStart),
					Sides:       [][]int64{{a.ID}, {b.ID}},
				})
				return
			}
		}
	}
}

// selfClaim flags a claim by a party whose only sources speak for it.
func selfClaim(e *Event, rs []SourcedReport, parties map[string]bool) {
	var own []int64
	var voices []string
	others := 0
	for _, r := range rs {
		switch s := r.Source.SpeaksFor; {
		case s != "" && parties[s]:
			own = append(own, r.Report.ID)
			voices = appendNew(voices, r.Source.Name)
		case !r.Report.Denial:
			others++
		}
	}
	if len(own) == 0 || others > 0 {
		return
	}
	e.Contradictions = append(e.Contradictions, Contradiction{
		Kind:        ContradictionSelfClaim,
		Description: "only the party's own voice (" + strings.Join(voices, ", ") + ") reports this; no independent source confirms it",
		Sides:       [][]int64{own},
	})
}

// HaversineKm returns the great-circle distance between two points in km.
func HaversineKm(a, b LatLon) float64 {
	const r = 6371.0088
	la1, la2 := a.Lat*math.Pi/180, b.Lat*math.Pi/180
	dla, dlo := la2-la1, (b.Lon-a.Lon)*math.Pi/180
	h := math.Sin(dla/2)*math.Sin(dla/2) + math.Cos(la1)*math.Cos(la2)*math.Sin(dlo/2)*math.Sin(dlo/2)
	return 2 * r * math.Asin(math.Min(1, math.Sqrt(h)))
}
