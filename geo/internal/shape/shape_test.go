package shape

import (
	"bytes"
	"math"
	"testing"

	"github.com/paulmach/orb"
)

// square returns a closed ring around (x, y) with n points per side.
func square(x, y, half float64, n int) orb.Ring {
	var r orb.Ring
	for i := 0; i < n; i++ {
		r = append(r, orb.Point{x - half + 2*half*float64(i)/float64(n), y - half})
	}
	for i := 0; i < n; i++ {
		r = append(r, orb.Point{x + half, y - half + 2*half*float64(i)/float64(n)})
	}
	for i := 0; i < n; i++ {
		r = append(r, orb.Point{x + half - 2*half*float64(i)/float64(n), y + half})
	}
	for i := 0; i < n; i++ {
		r = append(r, orb.Point{x - half, y + half - 2*half*float64(i)/float64(n)})
	}
	return append(r, r[0])
}

func testFeatures() []Feature {
	return []Feature{
		{Key: "A", Geom: orb.MultiPolygon{{square(0, 0, 1, 2)}}},
		// Long enough for a band index, with a hole.
		{Key: "B", Geom: orb.MultiPolygon{{square(10, 10, 2, 50), square(10, 10, 0.5, 3)}}},
	}
}

func TestLocate(t *testing.T) {
	l := NewLayer(testFeatures())
	tests := []struct {
		name     string
		lon, lat float64
		want     int
	}{
		{"inside A", 0.2, -0.3, 0},
		{"inside B", 11.5, 8.5, 1},
		{"in B's hole", 10.1, 10.1, -1},
		{"outside both", 5, 5, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := l.Locate(tt.lon, tt.lat); got != tt.want {
				t.Errorf("Locate(%v, %v) = %d, want %d", tt.lon, tt.lat, got, tt.want)
			}
		})
	}
	if i, d := l.Nearest(12.05, 10, 0.1); i != 1 || d > 0.06 {
		t.Errorf("Nearest just outside B = %d, %v; want 1 within 0.05", i, d)
	}
	if i, _ := l.Nearest(20, 20, 0.1); i != -1 {
		t.Errorf("Nearest far away = %d, want -1", i)
	}
}

func TestEncodeDecode(t *testing.T) {
	fs := testFeatures()
	var buf bytes.Buffer
	if err := Encode(&buf, fs); err != nil {
		t.Fatal(err)
	}
	got, err := Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(fs) {
		t.Fatalf("decoded %d features, want %d", len(got), len(fs))
	}
	for i := range fs {
		if got[i].Key != fs[i].Key || len(got[i].Geom[0]) != len(fs[i].Geom[0]) || len(got[i].Geom[0][0]) != len(fs[i].Geom[0][0]) {
			t.Errorf("feature %d: got %s with %d rings", i, got[i].Key, len(got[i].Geom[0]))
		}
		for j, p := range fs[i].Geom[0][0] {
			q := got[i].Geom[0][0][j]
			if d := (p[0]-q[0])*(p[0]-q[0]) + (p[1]-q[1])*(p[1]-q[1]); d > 1e-8 {
				t.Fatalf("feature %d point %d: got %v, want %v", i, j, q, p)
			}
		}
	}
	if _, err := Decode(bytes.NewReader([]byte("nope"))); err == nil {
		t.Error("Decode of garbage: no error")
	}
}

func TestDistanceTo(t *testing.T) {
	l := NewLayer(testFeatures())
	tests := []struct {
		name     string
		feature  int
		lon, lat float64
		maxDeg   float64
		want     float64 // -1: +Inf
	}{
		{"inside A", 0, 0.5, 0.5, 1, 0},
		{"east of A", 0, 1.5, 0, 1, 0.5},
		{"beyond maxDeg", 0, 3, 0, 1, -1},
		{"inside banded B", 1, 11.5, 8.5, 1, 0},
		{"north of banded B", 1, 10, 12.25, 1, 0.25},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := l.DistanceTo(tt.feature, tt.lon, tt.lat, tt.maxDeg)
			if tt.want < 0 {
				if !math.IsInf(got, 1) {
					t.Errorf("DistanceTo = %v, want +Inf", got)
				}
				return
			}
			if math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("DistanceTo = %v, want %v", got, tt.want)
			}
		})
	}
}
