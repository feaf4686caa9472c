package link

import (
	"cmp"
	"fmt"
	"iter"
	"math"
	"runtime"
	"slices"
	"sync"

	"github.com/vigil-osint/vigil"
)

// Result is the outcome of linking a set of records.
type Result struct {
	// Clusters are the changes to make: reports without an event, and
	// events to merge whole into a target event (Event 0: a new one).
	Clusters []vigil.LinkCluster
	// Review holds the uncertain links, one per pair of groups, best
	// first.
	Review []vigil.ReviewItem
	// Group gives each record (by index) the index of its group's first
	// record: records with the same Group are one event.
	Group []int
	// Compared counts the pairs scored; Accepted the links made.
	Compared, Accepted int
}

// pair is a scored candidate pair of record indices.
type pair struct {
	i, j  int32
	score float64
}

// Link links the records into events. Records that share an Event start
// in one group; only pairs with at least one New record are scored, so an
// incremental run compares the new reports with the stored ones and
// leaves the stored grouping alone. cannot lists pairs of report ids that
// a person kept apart.
func (c *Config) Link(recs []Record, cannot [][2]int64) *Result {
	sc := c.scorer()
	res := &Result{}
	// Link a copy of the records in block order (country, then date), so
	// that the records that scoring and clustering visit together lie
	// together in memory; order maps a position in the copy back.
	type key struct {
		country Sym
		start   int32
		i       int32
	}
	keys := make([]key, len(recs))
	for i := range recs {
		keys[i] = key{recs[i].Country, recs[i].Start, int32(i)}
	}
	slices.SortFunc(keys, func(a, b key) int {
		return cmp.Or(cmp.Compare(a.country, b.country), cmp.Compare(a.start, b.start), cmp.Compare(a.i, b.i))
	})
	order := make([]int32, len(recs))
	loc := make([]Record, len(recs))
	for k, kk := range keys {
		order[k] = kk.i
		loc[k] = recs[kk.i]
	}
	keys = nil
	uf := newGroups(len(loc))
	byEvent := map[int64]int{}
	for i := range loc {
		uf.locked[i], uf.rank[i] = loc[i].Locked, loc[i].Rank
		if e := loc[i].Event; e != 0 {
			if j, ok := byEvent[e]; ok {
				uf.union(j, i)
			} else {
				byEvent[e] = i
			}
		}
	}
	no := map[[2]int64]bool{}
	for _, p := range cannot {
		no[[2]int64{min(p[0], p[1]), max(p[0], p[1])}] = true
	}
	pairs, compared := sc.candidates(loc)
	res.Compared = compared
	// Groups meet only through candidate pairs, so the links are decided
	// one connected part of the candidate graph at a time: the same
	// decisions as in one pass over every pair, best first, but each
	// part's records lie together in memory, its pairs sort alone, and
	// the parts are shared among the processors (each touches only its
	// own records' groups).
	parts := components(uf, pairs)
	pairs = nil
	workers := max(1, min(runtime.GOMAXPROCS(0), len(parts)))
	decided := make([]decisions, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d := &decided[w]
			d.review = map[reviewKey]queued{}
			for _, part := range parts[w*len(parts)/workers : (w+1)*len(parts)/workers] {
				sc.decide(loc, uf, part, no, d)
			}
		}()
	}
	wg.Wait()
	var reviewOrder []queued
	for _, d := range decided {
		res.Accepted += d.accepted
		for _, k := range d.order {
			reviewOrder = append(reviewOrder, d.review[k])
		}
	}
	// Review keys were taken at queueing time; settle them on the final
	// groups and keep one item per pair of groups.
	seen := map[reviewKey]bool{}
	for _, p := range reviewOrder {
		ra, rb := uf.find(int(p.i)), uf.find(int(p.j))
		fk := reviewKey{min(ra, rb), max(ra, rb)}
		if ra == rb || seen[fk] {
			continue
		}
		seen[fk] = true
		a, b := &loc[p.i], &loc[p.j]
		if a.ID > b.ID {
			a, b = b, a
		}
		s := sc.score(a, b, true)
		if p.why != "" && s.Total >= c.Accept {
			// Say why a score that links was not linked.
			s.Parts = append(s.Parts, fmt.Sprintf("queued although at or above %.2f: %s", c.Accept, p.why))
		}
		res.Review = append(res.Review, vigil.ReviewItem{ReportA: a.ID, ReportB: b.ID, EventA: a.Event, EventB: b.Event,
			Score: s.Total, Explanation: s.Parts, Status: vigil.ReviewOpen})
	}
	slices.SortFunc(res.Review, func(a, b vigil.ReviewItem) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(a.ReportA, b.ReportA), cmp.Compare(a.ReportB, b.ReportB))
	})
	// Each group is known by its first record in the caller's order.
	first := make([]int32, len(loc))
	for i := range first {
		first[i] = int32(len(loc))
	}
	for k := range loc {
		r := uf.find(k)
		first[r] = min(first[r], order[k])
	}
	res.Group = make([]int, len(recs))
	for k := range loc {
		res.Group[order[k]] = int(first[uf.find(k)])
	}
	res.Clusters = clusters(loc, uf)
	return res
}

// reviewKey names a pair of groups by their roots, lower first.
type reviewKey struct{ a, b int }

// decisions is what deciding some parts of the candidate graph made: the
// links accepted and the pairs queued for review, one per pair of groups
// (as they stood when queued), in the order queued.
type decisions struct {
	accepted int
	review   map[reviewKey]queued
	order    []reviewKey
	// uncertain is scratch space for one part's pairs below Accept.
	uncertain []pair
}

// queued is a pair sent to review and, for a pair that scores at or above
// Accept, why it was not linked.
type queued struct {
	pair
	why string
}

// Why a link that scores at or above Accept goes to review instead.
const (
	whyGroups    = "the reports already linked on either side do not all fit the other side"
	whyConfirmed = "a person confirmed one of the events: nothing joins it without review"
	whyMarking   = "the reports carry different markings: as one event they would be hidden from readers not cleared for the more restricted one"
)

// decide decides the links of one connected part of the candidate graph:
// its pairs best first, those at or above Accept linked where the groups
// bear it (else queued for review, unless a person kept them apart), then
// those below queued for review.
func (c *scorer) decide(loc []Record, uf *groups, part []pair, no map[[2]int64]bool, d *decisions) {
	queue := func(p pair, why string) {
		ra, rb := uf.find(int(p.i)), uf.find(int(p.j))
		k := reviewKey{min(ra, rb), max(ra, rb)}
		if _, ok := d.review[k]; !ok {
			d.review[k] = queued{p, why}
			d.order = append(d.order, k)
		}
	}
	slices.SortFunc(part, func(a, b pair) int {
		if a.score != b.score {
			return cmp.Compare(b.score, a.score)
		}
		return cmp.Or(cmp.Compare(a.i, b.i), cmp.Compare(a.j, b.j))
	})
	d.uncertain = d.uncertain[:0]
	for _, p := range part {
		ra, rb := uf.find(int(p.i)), uf.find(int(p.j))
		if ra == rb {
			continue
		}
		if p.score < c.Accept {
			d.uncertain = append(d.uncertain, p)
			continue
		}
		ok, kept := c.compatible(loc, uf, ra, rb, no)
		switch {
		case kept:
		case !ok:
			// A link the group as a whole does not bear: a person decides.
			queue(p, whyGroups)
		case uf.locked[ra] || uf.locked[rb]:
			queue(p, whyConfirmed)
		case uf.rank[ra] != uf.rank[rb]:
			// An event takes the marking of its most restricted report:
			// only a person may hide the less restricted reports so.
			queue(p, whyMarking)
		default:
			uf.union(ra, rb)
			d.accepted++
		}
	}
	for _, p := range d.uncertain {
		ra, rb := uf.find(int(p.i)), uf.find(int(p.j))
		if ra == rb {
			continue
		}
		if _, kept := c.compatible(loc, uf, ra, rb, no); !kept {
			queue(p, "")
		}
	}
}

// components splits the pairs by the connected part of the graph that
// they and the groups already made form, parts in the order of their
// first record. The parts share pairs' backing array.
func components(uf *groups, pairs []pair) [][]pair {
	n := len(uf.parent)
	cc := make([]int32, n)
	for i := range cc {
		cc[i] = int32(uf.find(i))
	}
	find := func(i int32) int32 {
		for cc[i] != i {
			cc[i] = cc[cc[i]]
			i = cc[i]
		}
		return i
	}
	for _, p := range pairs {
		a, b := find(p.i), find(p.j)
		if a != b {
			cc[max(a, b)] = min(a, b)
		}
	}
	// Count the pairs of each part (by its root, its first record), then
	// place them.
	start := make([]int32, n+1)
	for _, p := range pairs {
		start[find(p.i)+1]++
	}
	for i := range n {
		start[i+1] += start[i]
	}
	out := make([]pair, len(pairs))
	next := slices.Clone(start[:n])
	for _, p := range pairs {
		r := find(p.i)
		out[next[r]] = p
		next[r]++
	}
	var parts [][]pair
	for i := range n {
		if start[i+1] > start[i] {
			parts = append(parts, out[start[i]:start[i+1]])
		}
	}
	return parts
}

// compatible reports whether two groups may merge: no pair across them is
// kept apart by a person or by the reports' own words (kept: two named
// venues), none is vetoed, and their mean score across is at least the
// review threshold.
func (c *scorer) compatible(recs []Record, uf *groups, ra, rb int, no map[[2]int64]bool) (ok, kept bool) {
	if len(no) > 0 {
		for x := range uf.all(ra) {
			for y := range uf.all(rb) {
				a, b := recs[x].ID, recs[y].ID
				if no[[2]int64{min(a, b), max(a, b)}] {
					return false, true
				}
			}
		}
	}
	sum, n := 0.0, 0
	vetoed := false
	for x := range uf.all(ra) {
		a := &recs[x]
		for y := range uf.all(rb) {
			s := c.score(a, &recs[y], false)
			switch {
			case s.named:
				// Two incidents at two named venues: the report that
				// fits both went to its best match, and no person
				// needs to be asked.
				return false, true
			case s.Veto != "":
				vetoed = true
			}
			sum += s.Total
			n++
		}
	}
	if vetoed {
		// A report that fits two groups that cannot be one: a person
		// decides where it belongs.
		return false, false
	}
	return n == 0 || sum/float64(n) >= c.Review, false
}

// candidates scores the pairs that blocking lets through, in parallel by
// country, and returns those at or above the review threshold.
func (c *scorer) candidates(recs []Record) ([]pair, int) {
	blocks := map[Sym][]int32{}
	for i := range recs {
		if recs[i].Country != 0 {
			blocks[recs[i].Country] = append(blocks[recs[i].Country], int32(i))
		}
	}
	keys := make([]Sym, 0, len(blocks))
	for k := range blocks {
		keys = append(keys, k)
	}
	// Largest blocks first, so that the workers finish together.
	slices.SortFunc(keys, func(a, b Sym) int { return cmp.Or(cmp.Compare(len(blocks[b]), len(blocks[a])), cmp.Compare(a, b)) })
	work := make(chan Sym)
	var mu sync.Mutex
	var out []pair
	total := 0
	var wg sync.WaitGroup
	for range max(1, runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range work {
				ps, n := c.block(recs, blocks[k])
				mu.Lock()
				out = append(out, ps...)
				total += n
				mu.Unlock()
			}
		}()
	}
	for _, k := range keys {
		work <- k
	}
	close(work)
	wg.Wait()
	return out, total
}

// block scores the pairs of one country: single incidents against those
// within the window after them, episodes against episodes.
//
// Two fine reports (see fine) farther apart than nearKm never match: the
// score vetoes them. So a fine report meets the other fine reports only in
// its own and the neighbouring cells of a grid nearKm wide, which keeps
// the pairs near-linear in the number of reports however dense a country's
// reporting; the other reports meet every report of their window.
func (c *scorer) block(recs []Record, idx []int32) ([]pair, int) {
	var singles, episodes []int32
	for _, i := range idx {
		if recs[i].span() > c.EpisodeDays {
			episodes = append(episodes, i)
		} else {
			singles = append(singles, i)
		}
	}
	byStart := func(a, b int32) int { return cmp.Or(cmp.Compare(recs[a].Start, recs[b].Start), cmp.Compare(a, b)) }
	if !slices.IsSortedFunc(singles, byStart) { // Link hands them over sorted
		slices.SortFunc(singles, byStart)
	}
	var out []pair
	n := 0
	try := func(i, j int32) {
		a, b := &recs[i], &recs[j]
		if !a.New && !b.New {
			return
		}
		n++
		if s := c.score(a, b, false); s.Total >= c.Review {
			out = append(out, pair{min(i, j), max(i, j), s.Total})
		}
	}
	// sweep tries singles[x] against the singles at the positions in
	// list (ascending) after x, up to the end of its window: the blocking
	// window, or less when the dates' precisions allow less (tol is the
	// largest date tolerance in list; score vetoes pairs farther apart
	// than their two tolerances).
	sweep := func(x int, l *posList) {
		i := singles[x]
		end := recs[i].End + min(c.WindowDays, dateTolerance(&recs[i])+l.tol)
		list := l.pos
		k, _ := slices.BinarySearch(list, int32(x+1))
		for _, y := range list[k:] {
			j := singles[y]
			if recs[j].Start > end {
				break
			}
			try(i, j)
		}
	}
	all, coarse := &posList{}, &posList{}
	cells := map[cell]*posList{}
	for x, i := range singles {
		r := &recs[i]
		all.add(x, r)
		if !fine(r) {
			coarse.add(x, r)
			continue
		}
		k := cellOf(r.Lat, r.Lon)
		if cells[k] == nil {
			cells[k] = &posList{}
		}
		cells[k].add(x, r)
	}
	var near []cell
	for x, i := range singles {
		if !fine(&recs[i]) {
			sweep(x, all)
			continue
		}
		sweep(x, coarse)
		near = neighbours(recs[i].Lat, recs[i].Lon, near[:0])
		for _, k := range near {
			if l := cells[k]; l != nil {
				sweep(x, l)
			}
		}
	}
	for x, i := range episodes {
		for _, j := range episodes[x+1:] {
			if recs[j].Start <= recs[i].End+c.WindowDays && recs[i].Start <= recs[j].End+c.WindowDays {
				try(i, j)
			}
		}
	}
	return out, n
}

// posList is a list of positions in a block's singles, ascending, with
// the largest date tolerance of their records.
type posList struct {
	pos []int32
	tol int32
}

func (l *posList) add(x int, r *Record) {
	l.pos = append(l.pos, int32(x))
	l.tol = max(l.tol, dateTolerance(r))
}

// dateTolerance is how many days a record's dates may be off (see score).
func dateTolerance(r *Record) int32 { return dateToleranceDays[min(max(r.DatePrec, 0), 5)] }

// nearKm is the farthest apart two fine reports may be and still match:
// twice the place tolerance of the coarsest fine precision (score vetoes
// pairs beyond it).
var nearKm = 2 * placeToleranceKm[vigil.LocationAdmin2]

// fine reports whether the score judges a report by distance alone: a
// point at admin-2 precision or finer, and no named venue (two reports of
// one venue are not vetoed by distance).
func fine(r *Record) bool {
	return r.HasPoint && r.LocPrec >= int8(vigil.LocationExact) && r.LocPrec <= int8(vigil.LocationAdmin2) && r.Venue == 0
}

// cell is a square of the grid, cellDeg degrees a side, by row and column.
type cell struct{ row, col int32 }

// cellDeg is the grid's side in degrees: nearKm in degrees of latitude.
var cellDeg = nearKm / kmPerDegree

// gridCols is how many columns go round the earth.
var gridCols = int32(math.Ceil(360 / cellDeg))

func cellOf(lat, lon float32) cell {
	return cell{int32(math.Floor(float64(lat) / cellDeg)), int32(math.Floor((float64(lon)+180)/cellDeg)) % gridCols}
}

// neighbours appends to out the cells that hold every point within nearKm
// of a point by distanceKm: the rows above and below, and as many columns
// as a degree of longitude shrinks to at the farthest latitude the rows
// reach, round the antimeridian.
func neighbours(lat, lon float32, out []cell) []cell {
	row := int32(math.Floor(float64(lat) / cellDeg))
	far := min(89.0, math.Abs(float64(lat))+cellDeg)
	dlon := cellDeg / math.Cos(far*math.Pi/180)
	lo := int32(math.Floor((float64(lon) + 180 - dlon) / cellDeg))
	hi := int32(math.Floor((float64(lon) + 180 + dlon) / cellDeg))
	if hi-lo+1 >= gridCols {
		lo, hi = 0, gridCols-1
	}
	for r := row - 1; r <= row+1; r++ {
		for c := lo; c <= hi; c++ {
			out = append(out, cell{r, ((c % gridCols) + gridCols) % gridCols})
		}
	}
	return out
}

// clusters turns the final groups into the changes a store makes.
func clusters(recs []Record, uf *groups) []vigil.LinkCluster {
	var out []vigil.LinkCluster
	type event struct {
		id     int64
		n      int
		locked bool
	}
	var evs []event
	var loose []int64
	for root := range recs {
		if uf.find(root) != root {
			continue
		}
		evs, loose = evs[:0], loose[:0]
		for m := range uf.all(root) {
			r := &recs[m]
			if r.Event == 0 {
				loose = append(loose, r.ID)
				continue
			}
			k := slices.IndexFunc(evs, func(e event) bool { return e.id == r.Event })
			if k < 0 {
				k = len(evs)
				evs = append(evs, event{id: r.Event})
			}
			evs[k].n++
			evs[k].locked = evs[k].locked || r.Locked
		}
		if len(evs) <= 1 && len(loose) == 0 {
			continue
		}
		var t event
		for _, e := range evs {
			switch {
			case t.id == 0,
				e.locked && !t.locked,
				e.locked == t.locked && (e.n > t.n || e.n == t.n && e.id < t.id):
				t = e
			}
		}
		cl := vigil.LinkCluster{Event: t.id, Reports: slices.Clone(loose)}
		for _, e := range evs {
			if e.id != t.id {
				cl.Events = append(cl.Events, e.id)
			}
		}
		slices.Sort(cl.Events)
		slices.Sort(cl.Reports)
		out = append(out, cl)
	}
	slices.SortFunc(out, func(a, b vigil.LinkCluster) int {
		return cmp.Or(cmp.Compare(a.Event, b.Event), cmp.Compare(first(a.Reports), first(b.Reports)))
	})
	return out
}

func first(ids []int64) int64 {
	if len(ids) == 0 {
		return 0
	}
	return ids[0]
}

// groups is a union-find over record indices that keeps each group's
// members (a circular list through next), whether a person locked it and
// the highest rank of its markings.
type groups struct {
	parent, next, size []int32
	locked             []bool
	rank               []int8
}

func newGroups(n int) *groups {
	g := &groups{parent: make([]int32, n), next: make([]int32, n), size: make([]int32, n), locked: make([]bool, n), rank: make([]int8, n)}
	for i := range n {
		g.parent[i], g.next[i], g.size[i] = int32(i), int32(i), 1
	}
	return g
}

func (g *groups) find(i int) int {
	for int(g.parent[i]) != i {
		g.parent[i] = g.parent[g.parent[i]]
		i = int(g.parent[i])
	}
	return i
}

// all yields the members of the group whose root is r.
func (g *groups) all(r int) iter.Seq[int] {
	return func(yield func(int) bool) {
		for i := r; ; {
			if !yield(i) {
				return
			}
			if i = int(g.next[i]); i == r {
				return
			}
		}
	}
}

// union merges the groups of i and j, the smaller into the larger.
func (g *groups) union(i, j int) {
	a, b := g.find(i), g.find(j)
	if a == b {
		return
	}
	if g.size[a] < g.size[b] {
		a, b = b, a
	}
	g.parent[b] = int32(a)
	g.size[a] += g.size[b]
	g.next[a], g.next[b] = g.next[b], g.next[a]
	g.locked[a] = g.locked[a] || g.locked[b]
	g.rank[a] = max(g.rank[a], g.rank[b])
}
