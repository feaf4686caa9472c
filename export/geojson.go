package export

import (
	"bufio"
	"fmt"
	"io"
	"strconv"

	"github.com/vigil-osint/vigil"
)

// geojsonWriter writes a GeoJSON FeatureCollection (RFC 7946): one Point
// feature per event, [longitude, latitude] in WGS 84, with the event's JSON
// (as `vigil events list --format json` prints it) as its properties. An
// event without coordinates has a null geometry, which RFC 7946 allows and
// QGIS and Leaflet skip on a map.
type geojsonWriter struct {
	w   *bufio.Writer
	n   int
	buf []byte
}

// NewGeoJSON returns a writer of a GeoJSON FeatureCollection.
func NewGeoJSON(w io.Writer) Writer {
	return &geojsonWriter{w: bufio.NewWriterSize(w, 64<<10)}
}

// Write writes one event as a row (a feature).
func (g *geojsonWriter) Write(e *vigil.Event) error {
	b := g.buf[:0]
	if g.n == 0 {
		b = append(b, `{"type":"FeatureCollection","features":[`...)
	} else {
		b = append(b, ',')
	}
	g.n++
	b = append(b, "\n"+`{"type":"Feature","id":`...)
	b = strconv.AppendInt(b, e.ID, 10)
	if p, ok := e.Point(); ok {
		b = append(b, `,"geometry":{"type":"Point","coordinates":[`...)
		b = strconv.AppendFloat(b, p.Lon, 'f', -1, 64)
		b = append(b, ',')
		b = strconv.AppendFloat(b, p.Lat, 'f', -1, 64)
		b = append(b, "]}"...)
	} else {
		b = append(b, `,"geometry":null`...)
	}
	b = append(b, `,"properties":`...)
	b, err := appendEventJSON(b, e)
	if err != nil {
		return fmt.Errorf("export: geojson: event %d: %w", e.ID, err)
	}
	b = append(b, '}')
	g.buf = b
	if _, err := g.w.Write(b); err != nil {
		return fmt.Errorf("export: geojson: %w", err)
	}
	return nil
}

// Close writes what an empty export still needs and flushes.
func (g *geojsonWriter) Close() error {
	if g.n == 0 {
		g.w.WriteString(`{"type":"FeatureCollection","features":[`)
	}
	g.w.WriteString("\n]}\n")
	if err := g.w.Flush(); err != nil {
		return fmt.Errorf("export: geojson: %w", err)
	}
	return nil
}
