package sqlite

import (
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/analysis"
	"github.com/vigil-osint/vigil/internal/eventrow"
)

// benchEvents is how many events the analysis benchmark stores.
func benchEvents() int {
	if n, err := strconv.Atoi(os.Getenv("VIGIL_BENCH_EVENTS")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}

// buildAnalysisDB writes n synthetic events of one actor, 2015–2025, at
// the places, with the tolls, of the real UCDP sample's rows, straight
// into the tables (importing a million rows takes minutes): events with
// their JSON, event_actors and event_facts, as ingest writes them.
func buildAnalysisDB(tb testing.TB, path string, n int) {
	tb.Helper()
	ctx := context.Background()
	s, err := Open(ctx, path)
	if err != nil {
		tb.Fatal(err)
	}
	defer s.Close()
	f, err := os.Open("../testdata/ucdp/ucdp_ged231_sample.csv")
	if err != nil {
		tb.Fatal(err)
	}
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		tb.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	type row struct {
		lat, lon        float64
		adm1, country   string
		low, best, high int
	}
	var rows []row
	countries := map[string]string{"700": "AF", "770": "PK", "630": "IR", "702": "TJ", "704": "UZ", "365": "RU"}
	for _, r := range recs[1:] {
		lat, _ := strconv.ParseFloat(r[col["latitude"]], 64)
		lon, _ := strconv.ParseFloat(r[col["longitude"]], 64)
		lo, _ := strconv.Atoi(r[col["low"]])
		be, _ := strconv.Atoi(r[col["best"]])
		hi, _ := strconv.Atoi(r[col["high"]])
		c := countries[r[col["country_id"]]]
		if c == "" {
			c = "X" + r[col["country_id"]] // the rest of the world, coded apart
		}
		rows = append(rows, row{lat, lon, r[col["adm_1"]], c, min(lo, be), be, max(hi, be)})
	}
	targets := vigil.TargetTypes[:8]
	rng := rand.New(rand.NewPCG(1, 2))
	start := vigil.MustDate("2015-01-01")
	days := start.DaysUntil(vigil.MustDate("2025-12-31")) + 1
	now := time.Now().UTC()
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO actors (id, data, recorded_at) VALUES ('iskp', '{"id":"iskp","name":"ISKP"}', ?)`, timeText(now)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO actor_names (actor_id, norm) VALUES ('iskp', 'iskp')`); err != nil {
			return err
		}
		w := &writer{s: s, ctx: ctx, tx: tx, stmts: map[string]*sql.Stmt{}}
		defer w.close()
		for i := 0; i < n; i++ {
			r := rows[rng.IntN(len(rows))]
			d := start.AddDays(rng.IntN(days))
			e := vigil.Event{ID: int64(i + 1), Key: fmt.Sprintf("bench:%d", i), DateStart: d, DateEnd: d, DatePrecision: vigil.DateDay,
				Place:     vigil.Place{Name: r.adm1, Country: r.country, Admin1: r.adm1, Admin1Name: r.adm1, Precision: vigil.LocationExact},
				EventType: vigil.EventExplosions, Killed: vigil.Range{Low: vigil.N(r.low), Best: vigil.N(r.best), High: vigil.N(r.high)},
				Actors:  []vigil.ReportActor{{ActorID: "iskp", Name: "ISKP", Role: vigil.RolePerpetrator, Attribution: vigil.AttributionAttributed}},
				Sources: []vigil.EventSource{{Name: "UCDP GED 23.1", Kind: vigil.SourceDataset, Reliability: vigil.ReliabilityB}},
				Marking: vigil.TLPClear, RecordedAt: now, UpdatedAt: now}
			e.SetPoint(vigil.LatLon{Lat: r.lat, Lon: r.lon})
			if rng.IntN(3) == 0 {
				e.TargetTypes = []vigil.TargetType{targets[rng.IntN(len(targets))]}
			}
			if err := w.insertEvents([][]any{append([]any{e.ID, e.Key}, eventrow.EventValues(&e)...)}); err != nil {
				return err
			}
			if err := w.insertRows("event_actors", eventrow.ActorCols, eventrow.ActorRows(nil, &e)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
}

// analysisDB returns a prepared benchmark store: $VIGIL_BENCH_DB if set
// (built there once and kept), else a fresh one in a temporary directory.
func analysisDB(b *testing.B) *Store {
	b.Helper()
	path := os.Getenv("VIGIL_BENCH_DB")
	if path == "" {
		path = filepath.Join(b.TempDir(), "bench.db")
	}
	if _, err := os.Stat(path); err != nil {
		t0 := time.Now()
		buildAnalysisDB(b, path, benchEvents())
		b.Logf("built %s with %d events in %v", path, benchEvents(), time.Since(t0).Round(time.Millisecond))
	}
	s, err := Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// BenchmarkIndicators1M: all indicators for one actor over a million
// events, monthly 2015–2025, from the store (facts of every event) to the
// computed periods, trends, change points and bootstrap intervals.
//
//	go test ./sqlite -run '^$' -bench Indicators1M -benchtime 3x
func BenchmarkIndicators1M(b *testing.B) {
	s := analysisDB(b)
	ctx := context.Background()
	f := vigil.FactFilter{EventFilter: vigil.EventFilter{Actor: "ISKP"}}
	for _, bb := range []struct {
		name      string
		bootstrap int
	}{{"facts", 0}, {"facts+indicators", 200}} {
		b.Run(bb.name, func(b *testing.B) {
			// The machine is shared: CPU seconds per run say more than
			// wall time when others' work queues this benchmark.
			var r0, r1 syscall.Rusage
			syscall.Getrusage(syscall.RUSAGE_SELF, &r0)
			defer func() {
				syscall.Getrusage(syscall.RUSAGE_SELF, &r1)
				cpu := time.Duration(r1.Utime.Nano()+r1.Stime.Nano()-r0.Utime.Nano()-r0.Stime.Nano()) / time.Duration(b.N)
				b.ReportMetric(cpu.Seconds(), "cpu-s/op")
			}()
			for b.Loop() {
				facts, err := s.FindFacts(ctx, f)
				if err != nil {
					b.Fatal(err)
				}
				if bb.bootstrap == 0 {
					b.ReportMetric(float64(facts.Len()), "events")
					continue
				}
				ind := analysis.ComputeFacts(facts, analysis.Options{By: analysis.Month, From: vigil.MustDate("2015-01-01"),
					To: vigil.MustDate("2025-12-31"), Home: []string{"Nangarhar province", "Kunar province"}, Bootstrap: bb.bootstrap})
				if ind.Total.Events != facts.Len() || len(ind.Periods) != 132 {
					b.Fatalf("%d events in %d periods", ind.Total.Events, len(ind.Periods))
				}
			}
		})
	}
}
