package brief

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/vigil-osint/vigil/analysis"
)

// The palette: colour-blind safe (Okabe–Ito).
var (
	blue   = color.RGBA{0, 114, 178, 255}
	orange = color.RGBA{230, 159, 0, 255}
	green  = color.RGBA{0, 158, 115, 255}
	red    = color.RGBA{213, 94, 0, 255}
	purple = color.RGBA{204, 121, 167, 255}
	grey   = color.RGBA{120, 120, 120, 255}
)

func faded(c color.RGBA) color.NRGBA { return color.NRGBA{c.R, c.G, c.B, 70} }

// periodTicks labels the x axis (period index) with at most about 12
// period names.
type periodTicks []string

func (t periodTicks) Ticks(_, _ float64) []plot.Tick {
	step := max(1, int(math.Ceil(float64(len(t))/12)))
	// Prefer steps that fall on years for monthly and quarterly series.
	for _, s := range []int{1, 2, 3, 4, 6, 12, 24, 36, 48, 60, 120} {
		if s >= step {
			step = s
			break
		}
	}
	var out []plot.Tick
	for i := range t {
		if i%step == 0 {
			out = append(out, plot.Tick{Value: float64(i), Label: t[i]})
		} else {
			out = append(out, plot.Tick{Value: float64(i)})
		}
	}
	return out
}

func newPlot(title, ylabel string, labels []string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = vg.Points(11)
	p.Y.Label.Text = ylabel
	p.X.Tick.Marker = periodTicks(labels)
	p.X.Tick.Label.Rotation = math.Pi / 4
	p.X.Tick.Label.XAlign = draw.XRight
	p.X.Tick.Label.YAlign = draw.YCenter
	p.Y.Min = 0
	p.X.Min, p.X.Max = -0.5, float64(len(labels))-0.5
	p.Legend.Top = true
	p.Legend.Left = true
	p.Add(plotter.NewGrid())
	return p
}

// svg renders the plot as an SVG element, without the XML declaration, so
// that it can sit inline in HTML.
func svg(p *plot.Plot, w, h vg.Length) ([]byte, error) {
	c := vgsvg.New(w, h)
	p.Draw(draw.New(c))
	var b bytes.Buffer
	if _, err := c.WriteTo(&b); err != nil {
		return nil, fmt.Errorf("brief: chart %q: %w", p.Title.Text, err)
	}
	out := b.Bytes()
	if i := bytes.Index(out, []byte("<svg")); i > 0 {
		out = out[i:]
	}
	return out, nil
}

// line adds a line, with an interval band when lo and hi are given. Where
// ok is false the period has no value and the line breaks, so that a
// period without events does not read as a zero.
func line(p *plot.Plot, name string, c color.RGBA, y, lo, hi []float64, ok []bool) error {
	var legend plot.Thumbnailer
	for i := 0; i < len(y); {
		if ok != nil && !ok[i] {
			i++
			continue
		}
		j := i
		for j < len(y) && (ok == nil || ok[j]) {
			j++
		}
		xy := make(plotter.XYs, 0, j-i)
		for k := i; k < j; k++ {
			xy = append(xy, plotter.XY{X: float64(k), Y: y[k]})
		}
		if lo != nil {
			band := make(plotter.XYs, 0, 2*(j-i))
			for k := i; k < j; k++ {
				band = append(band, plotter.XY{X: float64(k), Y: lo[k]})
			}
			for k := j - 1; k >= i; k-- {
				band = append(band, plotter.XY{X: float64(k), Y: hi[k]})
			}
			poly, err := plotter.NewPolygon(band)
			if err != nil {
				return err
			}
			poly.Color, poly.LineStyle.Width = faded(c), 0
			p.Add(poly)
		}
		l, s, err := plotter.NewLinePoints(xy)
		if err != nil {
			return err
		}
		l.Color, l.Width = c, vg.Points(1.5)
		s.Color, s.Radius, s.Shape = c, vg.Points(1.5), draw.CircleGlyph{}
		p.Add(l)
		if j-i == 1 || len(y) <= 40 {
			p.Add(s) // a lone period would be invisible as a line
		}
		legend = l
		i = j
	}
	if name != "" && legend != nil {
		p.Legend.Add(name, legend)
	}
	return nil
}

func labels(ind *analysis.Indicators) []string {
	out := make([]string, len(ind.Periods))
	for i, p := range ind.Periods {
		out[i] = p.Period
	}
	return out
}

const chartW, chartH = 18 * vg.Centimeter, 8 * vg.Centimeter

// TempoChart draws events per period as bars and killed (best, with the
// low–high band) as a line.
func TempoChart(ind *analysis.Indicators) ([]byte, error) {
	n := len(ind.Periods)
	ev, kb, kl, kh := make(plotter.Values, n), make([]float64, n), make([]float64, n), make([]float64, n)
	for i, p := range ind.Periods {
		ev[i] = float64(p.Events)
		kb[i], kl[i], kh[i] = float64(p.Killed.Best), float64(p.Killed.Low), float64(p.Killed.High)
	}
	top := newPlot("Tempo: events per "+string(ind.By), "events", labels(ind))
	bars, err := plotter.NewBarChart(ev, vg.Length(math.Max(1, 400/float64(max(n, 1)))))
	if err != nil {
		return nil, err
	}
	bars.Color, bars.LineStyle.Width = blue, 0
	top.Add(bars)
	bottom := newPlot("Killed per "+string(ind.By)+" (best; band: low–high)", "killed", labels(ind))
	if err := line(bottom, "", red, kb, kl, kh, nil); err != nil {
		return nil, err
	}
	return stack(top, bottom)
}

// stack draws plots one above the other in one SVG.
func stack(ps ...*plot.Plot) ([]byte, error) {
	h := chartH * vg.Length(len(ps))
	c := vgsvg.New(chartW, h)
	dc := draw.New(c)
	t := draw.Tiles{Rows: len(ps), Cols: 1, PadY: vg.Millimeter * 2}
	grid := make([][]*plot.Plot, len(ps))
	for i, p := range ps {
		grid[i] = []*plot.Plot{p}
	}
	canvases := plot.Align(grid, t, dc)
	for i, p := range ps {
		p.Draw(canvases[i][0])
	}
	var b bytes.Buffer
	if _, err := c.WriteTo(&b); err != nil {
		return nil, fmt.Errorf("brief: chart: %w", err)
	}
	out := b.Bytes()
	if i := bytes.Index(out, []byte("<svg")); i > 0 {
		out = out[i:]
	}
	return out, nil
}

// band is a chart title's note on its band: the 95% bootstrap interval
// when one was drawn (some low differs from its high), and the other note.
func band(lo, hi []float64, other string) string {
	var notes []string
	for i := range lo {
		if lo[i] != hi[i] {
			notes = append(notes, "band: 95% bootstrap")
			break
		}
	}
	if other != "" {
		notes = append(notes, other)
	}
	if len(notes) == 0 {
		return ""
	}
	return " (" + strings.Join(notes, "; ") + ")"
}

// SpreadChart draws the admin-1 units and countries struck per period and
// so far, and below them the share outside the home area and the standard
// distance with their bootstrap intervals.
func SpreadChart(ind *analysis.Indicators) ([]byte, error) {
	n := len(ind.Periods)
	units, cum, countries := make([]float64, n), make([]float64, n), make([]float64, n)
	share, slo, shi := make([]float64, n), make([]float64, n), make([]float64, n)
	sd, sdlo, sdhi := make([]float64, n), make([]float64, n), make([]float64, n)
	hasHome := false
	shareOK, sdOK := make([]bool, n), make([]bool, n)
	for i, p := range ind.Periods {
		units[i], cum[i], countries[i] = float64(p.Admin1Units), float64(p.Admin1Cumulative), float64(p.Countries)
		if s := p.OutsideHome; s != nil {
			hasHome = true
			share[i], slo[i], shi[i], shareOK[i] = 100*s.Share, 100*s.Low, 100*s.High, s.Of > 0
		}
		if e := p.StandardDistanceKm; e != nil {
			sd[i], sdlo[i], sdhi[i], sdOK[i] = e.Value, e.Low, e.High, true
		}
	}
	a := newPlot("Spread: admin-1 units and countries struck", "units", labels(ind))
	for _, l := range []struct {
		name string
		c    color.RGBA
		y    []float64
	}{{"admin-1 units in the period", blue, units}, {"admin-1 units so far", grey, cum}, {"countries in the period", orange, countries}} {
		if err := line(a, l.name, l.c, l.y, nil, nil, nil); err != nil {
			return nil, err
		}
	}
	var b *plot.Plot
	if hasHome {
		b = newPlot("Share of events outside the home area, %"+band(slo, shi, ""), "%", labels(ind))
		b.Y.Max = 100
		if err := line(b, "", green, share, slo, shi, shareOK); err != nil {
			return nil, err
		}
	}
	c := newPlot("Standard distance from the centroid, km"+band(sdlo, sdhi, "gaps: no located events"), "km", labels(ind))
	if err := line(c, "", purple, sd, sdlo, sdhi, sdOK); err != nil {
		return nil, err
	}
	if b != nil {
		return stack(a, b, c)
	}
	return stack(a, c)
}

// TargetsChart draws the target types' shares over the whole span as
// horizontal bars, and the entropy per period with its interval. It
// returns nil when no event has target types.
func TargetsChart(ind *analysis.Indicators) ([]byte, error) {
	ts := ind.Total.Targets
	if len(ts) == 0 {
		return nil, nil
	}
	vals := make(plotter.Values, len(ts))
	names := make([]string, len(ts))
	for i, t := range ts {
		// Largest at the top.
		vals[len(ts)-1-i] = 100 * t.Share
		names[len(ts)-1-i] = string(t.Type)
	}
	a := plot.New()
	a.Title.Text = "Targets: share of events with known targets, %"
	a.Title.TextStyle.Font.Size = vg.Points(11)
	bars, err := plotter.NewBarChart(vals, vg.Points(10))
	if err != nil {
		return nil, err
	}
	bars.Horizontal, bars.Color, bars.LineStyle.Width = true, orange, 0
	a.Add(bars)
	a.NominalY(names...)
	a.X.Min = 0
	n := len(ind.Periods)
	h, hlo, hhi, hok := make([]float64, n), make([]float64, n), make([]float64, n), make([]bool, n)
	for i, p := range ind.Periods {
		h[i], hlo[i], hhi[i], hok[i] = p.TargetEntropy, p.TargetEntropy, p.TargetEntropy, p.TargetsKnown > 0
		if ci := p.TargetEntropyCI; ci != nil {
			hlo[i], hhi[i] = ci.Low, ci.High
		}
	}
	b := newPlot("Target diversification: Shannon entropy, nats"+band(hlo, hhi, ""), "entropy", labels(ind))
	if err := line(b, "", blue, h, hlo, hhi, hok); err != nil {
		return nil, err
	}
	return stack(a, b)
}

// svgText escapes text for SVG written by hand.
func svgText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;").Replace(s)
}
