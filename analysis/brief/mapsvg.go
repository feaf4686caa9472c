package brief

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/geo"
)

// MapInput is what the map draws: the shipped boundaries, the events, the
// count of events per admin-1 unit and the home area.
type MapInput struct {
	Countries, Admin1 []geo.Shape
	Facts             *vigil.Facts
	// Counts maps admin-1 codes (as the boundaries key them) to events.
	Counts map[string]int
	Home   []string
	Title  string
	// From and To, when set, leave out the facts that start outside them.
	From, To vigil.Date
}

func (in *MapInput) shows(i int) bool {
	fs := in.Facts
	return fs.Located[i] && (in.From.IsZero() || !fs.DateStart[i].Before(in.From)) && (in.To.IsZero() || !fs.DateStart[i].After(in.To))
}

const mapW = 900.0

// Map draws an SVG map: countries, admin-1 units shaded by their events
// (log scale), the home area outlined, and the events as dots (one per
// 0.1° cell, its area by the events there). It returns nil when no event
// is located.
func Map(in MapInput) []byte {
	var b orb.Bound
	first := true
	if in.Facts == nil {
		return nil
	}
	for i := range in.Facts.Len() {
		if !in.shows(i) {
			continue
		}
		p := orb.Point{in.Facts.Longitude[i], in.Facts.Latitude[i]}
		if first {
			b, first = orb.Bound{Min: p, Max: p}, false
		} else {
			b = b.Extend(p)
		}
	}
	if first {
		return nil
	}
	// At least 8° across, and a margin of a tenth.
	cx, cy := (b.Min[0]+b.Max[0])/2, (b.Min[1]+b.Max[1])/2
	dx, dy := math.Max(8, (b.Max[0]-b.Min[0])*1.2), math.Max(6, (b.Max[1]-b.Min[1])*1.2)
	b = orb.Bound{Min: orb.Point{cx - dx/2, math.Max(-85, cy-dy/2)}, Max: orb.Point{cx + dx/2, math.Min(85, cy+dy/2)}}
	kx := math.Cos(cy * math.Pi / 180) // equirectangular, true at the middle latitude
	scale := mapW / ((b.Max[0] - b.Min[0]) * kx)
	h := (b.Max[1] - b.Min[1]) * scale
	proj := func(p orb.Point) (float64, float64) {
		return (p[0] - b.Min[0]) * kx * scale, (b.Max[1] - p[1]) * scale
	}
	path := func(mp orb.MultiPolygon) string {
		mp = clip.MultiPolygon(b, mp.Clone())
		var sb strings.Builder
		for _, poly := range mp {
			for _, ring := range poly {
				lx, ly := math.Inf(1), math.Inf(1)
				n := 0
				for i, pt := range ring {
					x, y := proj(pt)
					if i > 0 && math.Abs(x-lx) < 0.7 && math.Abs(y-ly) < 0.7 && i < len(ring)-1 {
						continue
					}
					if n == 0 {
						sb.WriteString("M")
					} else {
						sb.WriteString("L")
					}
					fmt.Fprintf(&sb, "%.1f %.1f", x, y)
					lx, ly, n = x, y, n+1
				}
				sb.WriteString("Z")
			}
		}
		return sb.String()
	}
	var s strings.Builder
	fmt.Fprintf(&s, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %.0f %.0f" width="%.0f" height="%.0f" font-family="sans-serif" font-size="11">`, mapW, h+40, mapW, h+40)
	fmt.Fprintf(&s, `<title>%s</title><rect width="%.0f" height="%.0f" fill="#dfeef7"/>`, svgText(in.Title), mapW, h)
	for _, c := range in.Countries {
		if !c.Bound.Intersects(b) {
			continue
		}
		fmt.Fprintf(&s, `<path d="%s" fill="#f4f1ea" stroke="#777" stroke-width="0.8"><title>%s</title></path>`, path(c.Geom), svgText(c.Name))
	}
	maxN := 0
	for _, n := range in.Counts {
		maxN = max(maxN, n)
	}
	home := map[string]bool{}
	for _, h := range in.Home {
		home[strings.ToUpper(strings.TrimSpace(h))] = true
	}
	var homePaths []string
	for _, a := range in.Admin1 {
		if !a.Bound.Intersects(b) {
			continue
		}
		n := in.Counts[a.Key]
		fill := "none"
		if n > 0 {
			// Log scale from pale to deep red.
			t := math.Log1p(float64(n)) / math.Log1p(float64(maxN))
			fill = fmt.Sprintf("rgb(%d,%d,%d)", 253-int(t*90), 219-int(t*180), 199-int(t*170))
		}
		d := path(a.Geom)
		fmt.Fprintf(&s, `<path d="%s" fill="%s" stroke="#aaa" stroke-width="0.4"><title>%s (%s): %d events</title></path>`, d, fill, svgText(a.Name), svgText(a.Key), n)
		if home[a.Key] {
			homePaths = append(homePaths, d)
		}
	}
	for _, d := range homePaths {
		fmt.Fprintf(&s, `<path d="%s" fill="none" stroke="#0072b2" stroke-width="2.2"/>`, d)
	}
	// Dots: events per 0.1° cell.
	type cell struct{ x, y int }
	cells := map[cell]int{}
	for i := range in.Facts.Len() {
		if in.shows(i) {
			cells[cell{int(math.Floor(in.Facts.Longitude[i] * 10)), int(math.Floor(in.Facts.Latitude[i] * 10))}]++
		}
	}
	keys := make([]cell, 0, len(cells))
	for k := range cells {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b cell) int { // big dots below small ones, ties by place
		if d := cells[b] - cells[a]; d != 0 {
			return d
		}
		if a.x != b.x {
			return a.x - b.x
		}
		return a.y - b.y
	})
	maxC := 0
	for _, n := range cells {
		maxC = max(maxC, n)
	}
	for _, k := range keys {
		n := cells[k]
		x, y := proj(orb.Point{(float64(k.x) + 0.5) / 10, (float64(k.y) + 0.5) / 10})
		r := 2 + 10*math.Sqrt(float64(n)/float64(maxC))
		fmt.Fprintf(&s, `<circle cx="%.1f" cy="%.1f" r="%.1f" fill="#d55e00" fill-opacity="0.55" stroke="#7a2e00" stroke-width="0.5"><title>%d events</title></circle>`, x, y, r, n)
	}
	fmt.Fprintf(&s, `<text x="8" y="%.0f">Admin-1 shading: events per unit (log scale, darkest = %d). Dots: events per 0.1° cell (largest = %d).`, h+16, maxN, maxC)
	if len(homePaths) > 0 {
		s.WriteString(` Blue outline: the home area.`)
	}
	fmt.Fprintf(&s, `</text><text x="8" y="%.0f" fill="#555">Boundaries: Natural Earth, geoBoundaries (see NOTICE). Equirectangular, %.1f°–%.1f°E, %.1f°–%.1f°N.</text></svg>`,
		h+32, b.Min[0], b.Max[0], b.Min[1], b.Max[1])
	return []byte(s.String())
}
