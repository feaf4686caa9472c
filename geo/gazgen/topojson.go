package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/paulmach/orb"
)

// topology is the part of a TopoJSON file the generator reads.
type topology struct {
	Transform *struct {
		Scale     [2]float64 `json:"scale"`
		Translate [2]float64 `json:"translate"`
	} `json:"transform"`
	Arcs    [][][2]float64            `json:"arcs"`
	Objects map[string]topoCollection `json:"objects"`
}

type topoCollection struct {
	Geometries []topoGeometry `json:"geometries"`
}

type topoGeometry struct {
	Type       string          `json:"type"`
	ID         json.RawMessage `json:"id"`
	Arcs       json.RawMessage `json:"arcs"`
	Properties map[string]any  `json:"properties"`
}

// topoFeature is one decoded geometry with its properties and id.
type topoFeature struct {
	ID    string
	Props map[string]any
	Geom  orb.MultiPolygon
}

// readTopoJSON decodes every polygon geometry of every object in a
// TopoJSON file: arcs are delta-decoded when the topology is quantized, and
// a negative arc index ~i stands for arc i reversed.
func readTopoJSON(path string) ([]topoFeature, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var t topology
	if err := json.Unmarshal(b, &t); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	arcs := make([][]orb.Point, len(t.Arcs))
	for i, a := range t.Arcs {
		pts := make([]orb.Point, len(a))
		var x, y float64
		for j, p := range a {
			if t.Transform != nil {
				x += p[0]
				y += p[1]
				pts[j] = orb.Point{x*t.Transform.Scale[0] + t.Transform.Translate[0], y*t.Transform.Scale[1] + t.Transform.Translate[1]}
			} else {
				pts[j] = orb.Point{p[0], p[1]}
			}
		}
		arcs[i] = pts
	}
	ring := func(idx []int) orb.Ring {
		var r orb.Ring
		for _, i := range idx {
			var pts []orb.Point
			if i >= 0 {
				pts = arcs[i]
			} else {
				src := arcs[^i]
				pts = make([]orb.Point, len(src))
				for k := range src {
					pts[k] = src[len(src)-1-k]
				}
			}
			if len(r) > 0 && len(pts) > 0 {
				pts = pts[1:] // arcs share their end points
			}
			r = append(r, pts...)
		}
		return r
	}
	var out []topoFeature
	for _, obj := range t.Objects {
		for _, g := range obj.Geometries {
			f := topoFeature{Props: g.Properties}
			if len(g.ID) > 0 {
				var s string
				if json.Unmarshal(g.ID, &s) != nil {
					s = string(g.ID)
				}
				f.ID = s
			}
			switch g.Type {
			case "Polygon":
				var rings [][]int
				if err := json.Unmarshal(g.Arcs, &rings); err != nil {
					return nil, fmt.Errorf("%s: %w", path, err)
				}
				var p orb.Polygon
				for _, r := range rings {
					p = append(p, ring(r))
				}
				f.Geom = orb.MultiPolygon{p}
			case "MultiPolygon":
				var polys [][][]int
				if err := json.Unmarshal(g.Arcs, &polys); err != nil {
					return nil, fmt.Errorf("%s: %w", path, err)
				}
				for _, rings := range polys {
					var p orb.Polygon
					for _, r := range rings {
						p = append(p, ring(r))
					}
					f.Geom = append(f.Geom, p)
				}
			default:
				continue
			}
			out = append(out, f)
		}
	}
	return out, nil
}
