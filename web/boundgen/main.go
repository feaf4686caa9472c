// Command boundgen writes the boundaries the web UI's map shades, from the
// gazetteer vigil embeds, so that the map keys its units exactly as the
// API's event summaries do: admin1.json (the region's admin-1 units as
// GeoJSON, simplified, properties code and name) and iso-numeric.json
// (world-atlas's ISO 3166-1 numeric ids to alpha-2 codes).
//
//	go run ./web/boundgen -out web/public
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"

	"github.com/paulmach/orb/simplify"

	"github.com/vigil-osint/vigil/geo"
	"github.com/vigil-osint/vigil/internal/iso3166"
)

func main() {
	out := flag.String("out", "web/public", "folder to write admin1.json and iso-numeric.json to")
	tolerance := flag.Float64("tolerance", 0.03, "Douglas-Peucker tolerance in degrees")
	flag.Parse()
	if err := run(*out, *tolerance); err != nil {
		fmt.Fprintln(os.Stderr, "boundgen:", err)
		os.Exit(1)
	}
}

type feature struct {
	Type       string            `json:"type"`
	Properties map[string]string `json:"properties"`
	Geometry   geometry          `json:"geometry"`
}

type geometry struct {
	Type        string          `json:"type"`
	Coordinates [][][][]float64 `json:"coordinates"`
}

func run(out string, tolerance float64) error {
	g, err := geo.Default()
	if err != nil {
		return err
	}
	var fs []feature
	for _, s := range g.Admin1Shapes() {
		mp := simplify.DouglasPeucker(tolerance).MultiPolygon(s.Geom.Clone())
		var coords [][][][]float64
		for _, poly := range mp {
			var p [][][]float64
			for _, ring := range poly {
				if len(ring) < 4 {
					continue
				}
				r := make([][]float64, len(ring))
				for i, pt := range ring {
					r[i] = []float64{round(pt[0]), round(pt[1])}
				}
				p = append(p, r)
			}
			if len(p) > 0 {
				coords = append(coords, p)
			}
		}
		if len(coords) == 0 {
			continue
		}
		fs = append(fs, feature{Type: "Feature", Properties: map[string]string{"code": s.Key, "name": s.Name},
			Geometry: geometry{Type: "MultiPolygon", Coordinates: coords}})
	}
	if err := write(filepath.Join(out, "admin1.json"), map[string]any{"type": "FeatureCollection", "features": fs}); err != nil {
		return err
	}
	ids := map[string]string{}
	for n := 1; n < 1000; n++ {
		if c := iso3166.ByNumeric(n); c != nil {
			ids[fmt.Sprintf("%03d", n)] = c.Alpha2
		}
	}
	return write(filepath.Join(out, "iso-numeric.json"), ids)
}

func round(v float64) float64 { return math.Round(v*1e3) / 1e3 }

func write(path string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("boundgen: %w", err)
	}
	return nil
}
