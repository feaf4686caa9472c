package geo

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/vigil-osint/vigil/geo/internal/shape"
)

// Shape is the boundary of an administrative unit, for drawing maps.
type Shape struct {
	// Key is the unit's code: ISO 3166-1 alpha-2 for countries, ISO
	// 3166-2 (or GeoNames' "CC.NN") for admin-1 units.
	Key  string
	Name string
	// Geom is in longitude, latitude degrees (WGS 84).
	Geom  orb.MultiPolygon
	Bound orb.Bound
}

// Admin1Shapes returns the admin-1 boundaries the gazetteer holds (the
// region's). The geometries are shared: do not modify them.
func (g *Gazetteer) Admin1Shapes() []Shape {
	out := make([]Shape, len(g.admin1Layer.Features))
	for i, f := range g.admin1Layer.Features {
		out[i] = Shape{Key: f.Key, Name: g.Admin1Name(f.Key), Geom: f.Geom, Bound: f.Bound}
	}
	return out
}

// CountryShapes returns the world's country boundaries. The geometries
// are shared: do not modify them.
func (g *Gazetteer) CountryShapes() []Shape {
	out := make([]Shape, len(g.countryLayer.Features))
	for i, f := range g.countryLayer.Features {
		out[i] = Shape{Key: f.Key, Name: g.CountryName(f.Key), Geom: f.Geom, Bound: f.Bound}
	}
	return out
}

// Admin1Center returns the centroid of an admin-1 unit's area, and false
// when the gazetteer has no boundary for the code.
func (g *Gazetteer) Admin1Center(code string) (lat, lon float64, ok bool) {
	for _, f := range g.admin1Layer.Features {
		if f.Key == code {
			c, _ := planar.CentroidArea(f.Geom)
			return c[1], c[0], true
		}
	}
	return 0, 0, false
}

// admin1DistanceKm returns about how far (km) a point lies outside an
// admin-1 unit's boundary, 0 inside it, and false when it lies farther
// than maxKm or the gazetteer has no boundary for the code.
func (g *Gazetteer) admin1DistanceKm(code string, lat, lon, maxKm float64) (float64, bool) {
	return layerDistanceKm(g.admin1Layer, code, lat, lon, maxKm)
}

// countryDistanceKm is admin1DistanceKm for a country (ISO 3166-1 alpha-2).
func (g *Gazetteer) countryDistanceKm(code string, lat, lon, maxKm float64) (float64, bool) {
	return layerDistanceKm(g.countryLayer, code, lat, lon, maxKm)
}

func layerDistanceKm(l *shape.Layer, code string, lat, lon, maxKm float64) (float64, bool) {
	for i, f := range l.Features {
		if f.Key != code {
			continue
		}
		// Degrees of longitude shrink with latitude: measure in degrees
		// of latitude's length, an overestimate east–west.
		d := l.DistanceTo(i, lon, lat, maxKm/111.2)
		if math.IsInf(d, 1) {
			return 0, false
		}
		return d * 111.2, true
	}
	return 0, false
}
