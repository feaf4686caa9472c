package export

import (
	"bufio"
	"encoding/json"
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
	w     *bufio.Writer
	n     int
	buf   []byte
	enc   *json.Encoder
	props *propsBuffer
}

type propsBuffer struct{ b []byte }

func (p *propsBuffer) Write(b []byte) (int, error) { p.b = append(p.b, b...); return len(b), nil }

// NewGeoJSON returns a writer of a GeoJSON FeatureCollection.
func NewGeoJSON(w io.Writer) Writer {
	g := &geojsonWriter{w: bufio.NewWriterSize(w, 64<<10), props: &propsBuffer{}}
	g.enc = json.NewEncoder(g.props)
	g.enc.SetEscapeHTML(false)
	return g
}

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
	g.props.b = g.props.b[:0]
	if err := g.enc.Encode(e); err != nil {
		return fmt.Errorf("export: geojson: event %d: %w", e.ID, err)
	}
	props := g.props.b
	if n := len(props); n > 0 && props[n-1] == '\n' {
		props = props[:n-1]
	}
	b = append(b, props...)
	b = append(b, '}')
	g.buf = b
	if _, err := g.w.Write(b); err != nil {
		return fmt.Errorf("export: geojson: %w", err)
	}
	return nil
}

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
