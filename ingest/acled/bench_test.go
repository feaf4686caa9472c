package acled

import (
	"context"
	"errors"

	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/ingest"
	"github.com/vigil-osint/vigil/sqlite"
)

// generator produces an ACLED-shaped export of n rows on demand, so that
// a million-row file costs no memory and no disk.
type generator struct {
	n, i int
	buf  []byte
	off  int
}

var genActors = [][2]string{
	{"Islamic State Khorasan Province (ISKP)", "Rebel group"},
	{"Taliban and/or Islamic State Khorasan Province (ISKP)", "Rebel group"},
	{"Military Forces of Afghanistan (2021-)", "State forces"},
	{"Tehrik-i-Taliban Pakistan (TTP)", "Rebel group"},
	{"Unidentified Armed Group (Pakistan)", "Political militia"},
	{"Military Forces of Pakistan", "State forces"},
}

var genTypes = [][2]string{
	{"Explosions/Remote violence", "Suicide bomb"},
	{"Battles", "Armed clash"},
	{"Violence against civilians", "Attack"},
	{"Explosions/Remote violence", "Remote explosive/landmine/IED"},
}

func newGenerator(n int) *generator {
	g := &generator{n: n}
	g.buf = append(g.buf, "\ufeff"...)
	for i, c := range Columns {
		if i > 0 {
			g.buf = append(g.buf, ',')
		}
		g.buf = append(g.buf, c...)
	}
	g.buf = append(g.buf, '\n')
	return g
}

func (g *generator) Read(p []byte) (int, error) {
	for g.off == len(g.buf) {
		if g.i == g.n {
			return 0, io.EOF
		}
		g.buf, g.off = g.row(g.buf[:0], g.i), 0
		g.i++
	}
	n := copy(p, g.buf[g.off:])
	g.off += n
	return n, nil
}

func (g *generator) row(b []byte, i int) []byte {
	a := genActors[i%len(genActors)]
	t := genTypes[i%len(genTypes)]
	day := time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i%2900)
	country, iso, admin1 := "Afghanistan", "4", "Nangarhar"
	if i%3 == 0 {
		country, iso, admin1 = "Pakistan", "586", "Khyber Pakhtunkhwa"
	}
	b = append(b, "AFG"...)
	b = strconv.AppendInt(b, int64(i), 10)
	b = append(b, ',')
	b = append(b, day.Format("2006-01-02")...)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(day.Year()), 10)
	b = append(b, ",1,Political violence,"...)
	b = append(b, t[0]+","+t[1]+","+a[0]+",,"+a[1]+",Civilians ("+country+"),,Civilians,,Civilian targeting,"+iso+",Caucasus and Central Asia,"+country+","+admin1+",Achin,,Achin,"...)
	b = strconv.AppendFloat(b, 34+float64(i%1000)/1000, 'f', 4, 64)
	b = append(b, ',')
	b = strconv.AppendFloat(b, 70+float64(i%777)/1000, 'f', 4, 64)
	b = append(b, ",1,Pajhwok; Tolo News,National,\"On this day, an attack near Achin, reported by \"\"local sources\"\", killed several people.\","...)
	b = strconv.AppendInt(b, int64(i%17), 10)
	b = append(b, ",,"...)
	b = strconv.AppendInt(b, 1600000000+int64(i), 10)
	return append(b, '\n')
}

func benchRows() int {
	if n, err := strconv.Atoi(os.Getenv("VIGIL_BENCH_ROWS")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}

// heapWatch samples the live heap after a GC, for the memory-flat claim.
type heapWatch struct{ first, max uint64 }

func (h *heapWatch) sample() {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	if h.first == 0 {
		h.first = m.HeapAlloc
	}
	h.max = max(h.max, m.HeapAlloc)
}

// BenchmarkReader reads a generated ACLED-shaped file of VIGIL_BENCH_ROWS
// rows (default 1M) through the reader, actor resolution included. It
// reports rows/s and the live heap after the first 10k rows and at most
// over the run: flat when they are close.
func BenchmarkReader(b *testing.B) {
	n := benchRows()
	d := dict(b)
	for b.Loop() {
		r, err := NewReader(newGenerator(n), "bench.csv", d)
		if err != nil {
			b.Fatal(err)
		}
		var hw heapWatch
		start := time.Now()
		rows := 0
		for {
			_, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			if rows++; rows%(n/10+1) == 10_000 || rows == 10_000 {
				hw.sample()
			}
		}
		b.ReportMetric(float64(rows)/time.Since(start).Seconds(), "rows/s")
		b.ReportMetric(float64(hw.first)/1e6, "MB-heap-at-10k")
		b.ReportMetric(float64(hw.max)/1e6, "MB-heap-max")
	}
}

// BenchmarkImport imports a generated ACLED-shaped file of
// VIGIL_BENCH_ROWS rows into a fresh SQLite store with ingest.Run, as
// `vigil import acled` does.
func BenchmarkImport(b *testing.B) {
	n := benchRows()
	d := dict(b)
	for b.Loop() {
		ctx := context.Background()
		s, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
		if err != nil {
			b.Fatal(err)
		}
		r, err := NewReader(newGenerator(n), "bench.csv", d)
		if err != nil {
			b.Fatal(err)
		}
		var hw heapWatch
		batch := &vigil.Batch{Format: "acled", File: "bench.csv", Source: SourceName}
		start := time.Now()
		chunks := 0
		err = ingest.Run(ctx, s, batch, r, ingest.Options{Progress: func(vigil.Counts) {
			if chunks++; chunks == 5 || chunks%100 == 0 {
				hw.sample()
			}
		}})
		if err != nil && !errors.Is(err, ingest.ErrRejected) {
			b.Fatal(err)
		}
		el := time.Since(start)
		if batch.Counts.New != n {
			b.Fatalf("new %d of %d rows", batch.Counts.New, n)
		}
		b.ReportMetric(float64(n)/el.Seconds(), "rows/s")
		b.ReportMetric(float64(hw.first)/1e6, "MB-heap-at-10k")
		b.ReportMetric(float64(hw.max)/1e6, "MB-heap-max")
		s.Close()
	}
}

func TestGenerator(t *testing.T) {
	items, rejects := readAll(t, mustRead(t, newGenerator(50)))
	if len(items) != 50 || len(rejects) != 0 {
		t.Fatalf("got %d items, %d rejections: %v", len(items), len(rejects), rejects)
	}
	if got := items[1].Reports[0].Actors[0].Attribution; got != vigil.AttributionDisputed {
		t.Errorf("row 1 attribution %q", got)
	}
}

func mustRead(t *testing.T, r io.Reader) string {
	t.Helper()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
