package link

import (
	"cmp"
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
	res := &Result{}
	uf := newGroups(len(recs))
	byEvent := map[int64]int{}
	for i := range recs {
		uf.locked[i] = recs[i].Locked
		if e := recs[i].Event; e != 0 {
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
	pairs, compared := c.candidates(recs)
	res.Compared = compared
	slices.SortFunc(pairs, func(a, b pair) int {
		if a.score != b.score {
			return cmp.Compare(b.score, a.score)
		}
		return cmp.Or(cmp.Compare(a.i, b.i), cmp.Compare(a.j, b.j))
	})
	type reviewKey struct{ a, b int }
	review := map[reviewKey]pair{}
	var reviewOrder []reviewKey
	queue := func(p pair) {
		ra, rb := uf.find(int(p.i)), uf.find(int(p.j))
		k := reviewKey{min(ra, rb), max(ra, rb)}
		if _, ok := review[k]; !ok {
			review[k] = p
			reviewOrder = append(reviewOrder, k)
		}
	}
	var uncertain []pair
	for _, p := range pairs {
		ra, rb := uf.find(int(p.i)), uf.find(int(p.j))
		if ra == rb {
			continue
		}
		if p.score < c.Accept {
			uncertain = append(uncertain, p)
			continue
		}
		ok, kept := c.compatible(recs, uf, ra, rb, no)
		switch {
		case kept:
		case !ok:
			// A link the group as a whole does not bear: a person decides.
			queue(p)
		case uf.locked[ra] || uf.locked[rb]:
			queue(p)
		default:
			uf.union(ra, rb)
			res.Accepted++
		}
	}
	for _, p := range uncertain {
		ra, rb := uf.find(int(p.i)), uf.find(int(p.j))
		if ra == rb {
			continue
		}
		if _, kept := c.compatible(recs, uf, ra, rb, no); !kept {
			queue(p)
		}
	}
	// Review keys were taken at queueing time; settle them on the final
	// groups and keep one item per pair of groups.
	seen := map[reviewKey]bool{}
	for _, k := range reviewOrder {
		p := review[k]
		ra, rb := uf.find(int(p.i)), uf.find(int(p.j))
		fk := reviewKey{min(ra, rb), max(ra, rb)}
		if ra == rb || seen[fk] {
			continue
		}
		seen[fk] = true
		a, b := &recs[p.i], &recs[p.j]
		sc := c.score(a, b, true)
		res.Review = append(res.Review, vigil.ReviewItem{ReportA: a.ID, ReportB: b.ID, EventA: a.Event, EventB: b.Event,
			Score: sc.Total, Explanation: sc.Parts, Status: vigil.ReviewOpen})
	}
	slices.SortStableFunc(res.Review, func(a, b vigil.ReviewItem) int { return cmp.Compare(b.Score, a.Score) })
	res.Group = make([]int, len(recs))
	for i := range recs {
		res.Group[i] = uf.first[uf.find(i)]
	}
	res.Clusters = clusters(recs, uf)
	return res
}

// compatible reports whether two groups may merge: no pair across them is
// vetoed, none is kept apart by a person (kept), and their mean score
// across is at least the review threshold.
func (c *Config) compatible(recs []Record, uf *groups, ra, rb int, no map[[2]int64]bool) (ok, kept bool) {
	sum, n := 0.0, 0
	for _, x := range uf.members[ra] {
		for _, y := range uf.members[rb] {
			a, b := &recs[x], &recs[y]
			if no[[2]int64{min(a.ID, b.ID), max(a.ID, b.ID)}] {
				return false, true
			}
			s := c.score(a, b, false)
			if s.Veto != "" {
				// A report that fits two groups that cannot be one: a
				// person decides where it belongs.
				return false, false
			}
			sum += s.Total
			n++
		}
	}
	return n == 0 || sum/float64(n) >= c.Review, false
}

// candidates scores the pairs that blocking lets through, in parallel by
// country, and returns those at or above the review threshold.
func (c *Config) candidates(recs []Record) ([]pair, int) {
	blocks := map[string][]int32{}
	for i := range recs {
		if recs[i].Country != "" {
			blocks[recs[i].Country] = append(blocks[recs[i].Country], int32(i))
		}
	}
	keys := make([]string, 0, len(blocks))
	for k := range blocks {
		keys = append(keys, k)
	}
	// Largest blocks first, so that the workers finish together.
	slices.SortFunc(keys, func(a, b string) int { return cmp.Or(cmp.Compare(len(blocks[b]), len(blocks[a])), cmp.Compare(a, b)) })
	work := make(chan string)
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
func (c *Config) block(recs []Record, idx []int32) ([]pair, int) {
	var singles, episodes []int32
	for _, i := range idx {
		if recs[i].span() > c.EpisodeDays {
			episodes = append(episodes, i)
		} else {
			singles = append(singles, i)
		}
	}
	slices.SortFunc(singles, func(a, b int32) int { return cmp.Or(cmp.Compare(recs[a].Start, recs[b].Start), cmp.Compare(a, b)) })
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
	for x, i := range singles {
		if !fine(&recs[i]) {
			sweep(x, all)
			continue
		}
		sweep(x, coarse)
		for _, k := range neighbours(recs[i].Lat, recs[i].Lon) {
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
	return r.HasPoint && r.LocPrec >= int8(vigil.LocationExact) && r.LocPrec <= int8(vigil.LocationAdmin2) && r.Venue == ""
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

// neighbours returns the cells that hold every point within nearKm of a
// point by distanceKm: the rows above and below, and as many columns as a
// degree of longitude shrinks to at the farthest latitude the rows reach,
// round the antimeridian.
func neighbours(lat, lon float32) []cell {
	row := int32(math.Floor(float64(lat) / cellDeg))
	far := min(89.0, math.Abs(float64(lat))+cellDeg)
	dlon := cellDeg / math.Cos(far*math.Pi/180)
	lo := int32(math.Floor((float64(lon) + 180 - dlon) / cellDeg))
	hi := int32(math.Floor((float64(lon) + 180 + dlon) / cellDeg))
	if hi-lo+1 >= gridCols {
		lo, hi = 0, gridCols-1
	}
	out := make([]cell, 0, 3*(hi-lo+1))
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
	for root, members := range uf.members {
		if len(members) == 0 || uf.find(root) != root {
			continue
		}
		count := map[int64]int{}
		locked := map[int64]bool{}
		var loose []int64
		for _, m := range members {
			r := &recs[m]
			if r.Event == 0 {
				loose = append(loose, r.ID)
				continue
			}
			count[r.Event]++
			locked[r.Event] = locked[r.Event] || r.Locked
		}
		var target int64
		for e, n := range count {
			switch {
			case target == 0,
				locked[e] && !locked[target],
				locked[e] == locked[target] && (n > count[target] || n == count[target] && e < target):
				target = e
			}
		}
		if len(count) <= 1 && len(loose) == 0 {
			continue
		}
		cl := vigil.LinkCluster{Event: target, Reports: loose}
		for e := range count {
			if e != target {
				cl.Events = append(cl.Events, e)
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
// members, its first record and whether a person locked it.
type groups struct {
	parent  []int
	members [][]int
	first   []int
	locked  []bool
}

func newGroups(n int) *groups {
	g := &groups{parent: make([]int, n), members: make([][]int, n), first: make([]int, n), locked: make([]bool, n)}
	for i := range n {
		g.parent[i], g.members[i], g.first[i] = i, []int{i}, i
	}
	return g
}

func (g *groups) find(i int) int {
	for g.parent[i] != i {
		g.parent[i] = g.parent[g.parent[i]]
		i = g.parent[i]
	}
	return i
}

// union merges the groups of i and j, the smaller into the larger.
func (g *groups) union(i, j int) {
	a, b := g.find(i), g.find(j)
	if a == b {
		return
	}
	if len(g.members[a]) < len(g.members[b]) {
		a, b = b, a
	}
	g.parent[b] = a
	g.members[a] = append(g.members[a], g.members[b]...)
	g.members[b] = nil
	g.first[a] = min(g.first[a], g.first[b])
	g.locked[a] = g.locked[a] || g.locked[b]
}
