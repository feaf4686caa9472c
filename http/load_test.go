package http

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/actors"
	"github.com/vigil-osint/vigil/bench"
	"github.com/vigil-osint/vigil/ingest"
	"github.com/vigil-osint/vigil/ingest/ucdp"
	"github.com/vigil-osint/vigil/sqlite"
)

// TestLoad is the API's load generator. It runs only when VIGIL_LOAD_EVENTS
// is set:
//
//	VIGIL_LOAD_EVENTS=1000000 VIGIL_LOAD_DB=/tmp/load.db go test -run TestLoad -v -timeout 1h ./http
//
// It fills the store (VIGIL_LOAD_DB, kept between runs; a temporary file
// otherwise) with that many GED-shaped events made from the real UCDP
// sample, serves it on loopback, asks every endpoint of the mix once (the
// cold pass: first counts, statistics, summaries and indicators are
// computed then and cached for the server's TTL, VIGIL_LOAD_TTL seconds,
// default 60), and then has VIGIL_LOAD_CLIENTS clients (8) send requests
// for VIGIL_LOAD_SECONDS (20) from the mix: event lists (first pages, a
// page by cursor anywhere, offsets down to MaxOffset, filters, orders), event detail,
// sources, the map's aggregates, indicators and their drill-down. It logs
// each endpoint's cold time, then p50, p95 and p99 latency and requests
// per second, per endpoint and in all. VIGIL_LOAD_SKIP leaves endpoints out
// by name.
func TestLoad(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("VIGIL_LOAD_EVENTS"))
	if n <= 0 {
		t.Skip("set VIGIL_LOAD_EVENTS to run the load generator")
	}
	clients := envInt("VIGIL_LOAD_CLIENTS", 8)
	seconds := envInt("VIGIL_LOAD_SECONDS", 20)
	dbPath := os.Getenv("VIGIL_LOAD_DB")
	if dbPath == "" {
		dbPath = filepath.Join(t.TempDir(), "load.db")
	}
	s, err := sqlite.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	total, err := s.CountEvents(ctx, vigil.EventFilter{})
	if err != nil {
		t.Fatal(err)
	} else if total < n {
		fillStore(t, s, n-total)
		if total, err = s.CountEvents(ctx, vigil.EventFilter{}); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("store %s holds %d events", dbPath, total)

	u := &vigil.User{Name: fmt.Sprintf("load%d", time.Now().UnixNano()), Role: vigil.RoleViewer, Clearance: vigil.TLPGreen}
	if _, err := AddUser(ctx, s, s, "load", u, "load-password-123"); err != nil {
		t.Fatal(err)
	}
	_, token, err := IssueToken(ctx, s, s, "load", u.ID, "load", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	srv := NewServer()
	srv.Store, srv.Users, srv.Audit, srv.Browse = s, s, s, s
	srv.Analysis, srv.ACH, srv.Link, srv.Watch = s, s, s, s
	srv.Rate = rate.Inf
	srv.CacheTTL = time.Duration(envInt("VIGIL_LOAD_TTL", 60)) * time.Second
	if err := srv.Open("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer srv.Close(context.Background())

	// Cursors anywhere in the list: after a random day, as a client
	// holding the previous page's next_cursor sends.
	cursor := func(rng *rand.Rand) string {
		d := vigil.DateOf(time.Date(1989, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(36*365)))
		return url.QueryEscape(encodeCursor("", &vigil.Event{ID: 1, DateStart: d}))
	}
	endpoints := []struct {
		name string
		path func(rng *rand.Rand) string
	}{
		{"events page", func(rng *rand.Rand) string { return fmt.Sprintf("/api/v1/events?limit=50&offset=%d", rng.IntN(20)*50) }},
		{"events cursor", func(rng *rand.Rand) string { return "/api/v1/events?limit=50&cursor=" + cursor(rng) }},
		{"events deep", func(rng *rand.Rand) string {
			return fmt.Sprintf("/api/v1/events?limit=50&offset=%d", rng.IntN(max(min(total, MaxOffset)-50, 1)))
		}},
		{"events ISKP", func(*rand.Rand) string { return "/api/v1/events?actor=ISKP&limit=50" }},
		{"events AF 2020", func(*rand.Rand) string { return "/api/v1/events?country=AF&from=2020-01-01&to=2020-12-31&limit=50" }},
		{"events -date", func(*rand.Rand) string { return "/api/v1/events?sort=-date&limit=50" }},
		{"event detail", func(rng *rand.Rand) string { return fmt.Sprintf("/api/v1/events/%d", 1+rng.IntN(total)) }},
		{"sources", func(*rand.Rand) string { return "/api/v1/sources" }},
		{"summary country", func(*rand.Rand) string { return "/api/v1/event-summary?by=country" }},
		{"summary admin1", func(*rand.Rand) string { return "/api/v1/event-summary?by=admin1&actor=ISKP" }},
		{"summary grid", func(*rand.Rand) string { return "/api/v1/event-summary?by=grid&from=2015-01-01" }},
		{"indicators", func(*rand.Rand) string { return "/api/v1/indicators?actor=ISKP&by=year&ids=false" }},
		{"indicator drill", func(rng *rand.Rand) string {
			return fmt.Sprintf("/api/v1/indicators/events?actor=ISKP&by=year&limit=50&offset=%d", 50*rng.IntN(20))
		}},
	}
	// VIGIL_LOAD_SKIP leaves endpoints out of the mix by name, comma-separated
	// (e.g. "events deep": the offsets the cursors replace).
	if skip := os.Getenv("VIGIL_LOAD_SKIP"); skip != "" {
		endpoints = slices.DeleteFunc(endpoints, func(ep struct {
			name string
			path func(rng *rand.Rand) string
		}) bool {
			return slices.Contains(strings.Split(skip, ","), ep.name)
		})
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
	get := func(path string) (time.Duration, error) {
		req, _ := http.NewRequest("GET", srv.URL()+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		start := time.Now()
		res, err := client.Do(req)
		if err != nil {
			return 0, err
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != 200 {
			return 0, fmt.Errorf("GET %s: %s", path, res.Status)
		}
		return time.Since(start), nil
	}
	if os.Getenv("VIGIL_LOAD_WARM") != "0" {
		rng := rand.New(rand.NewPCG(0, 1))
		for _, ep := range endpoints {
			d, err := get(ep.path(rng))
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("cold %-16s %v", ep.name, d.Round(time.Millisecond))
		}
	}
	type sample struct {
		ep  int
		dur time.Duration
	}
	var mu sync.Mutex
	var samples []sample
	errs := 0
	began := time.Now()
	deadline := began.Add(time.Duration(seconds) * time.Second)
	var wg sync.WaitGroup
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(c), 1))
			for time.Now().Before(deadline) {
				ep := rng.IntN(len(endpoints))
				d, err := get(endpoints[ep].path(rng))
				mu.Lock()
				if err != nil {
					errs++
					if errs < 5 {
						t.Log(err)
					}
				} else {
					samples = append(samples, sample{ep, d})
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(began).Seconds()
	quantiles := func(ds []time.Duration) (p50, p95, p99 time.Duration) {
		slices.Sort(ds)
		q := func(p float64) time.Duration {
			return ds[min(len(ds)-1, int(p*float64(len(ds))))].Round(100 * time.Microsecond)
		}
		return q(0.50), q(0.95), q(0.99)
	}
	var all []time.Duration
	for _, s := range samples {
		all = append(all, s.dur)
	}
	if len(all) > 0 {
		a, b, c := quantiles(all)
		t.Logf("%d clients, %.0f s: %d requests, %.0f req/s, %d errors; all: p50 %v p95 %v p99 %v", clients, elapsed, len(samples), float64(len(samples))/elapsed, errs, a, b, c)
	}
	for i, ep := range endpoints {
		var ds []time.Duration
		for _, s := range samples {
			if s.ep == i {
				ds = append(ds, s.dur)
			}
		}
		if len(ds) == 0 {
			continue
		}
		a, b, c := quantiles(ds)
		t.Logf("%-16s n=%-6d %6.1f req/s  p50 %-8v p95 %-8v p99 %-8v", ep.name, len(ds), float64(len(ds))/elapsed, a, b, c)
	}
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// fillStore imports n GED-shaped events made from the real sample.
func fillStore(t *testing.T, s vigil.Store, n int) {
	t.Helper()
	dict, err := actors.Load("")
	if err != nil {
		t.Fatal(err)
	}
	storeDict(t, s, dict)
	file := filepath.Join(t.TempDir(), "ged_load.csv")
	if err := bench.GEDFile(file, "../testdata/ucdp/ucdp_ged231_sample.csv", n); err != nil {
		t.Fatal(err)
	}
	fh, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	r, err := ucdp.NewReader(fh, file, "23.1", dict)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := ingest.Run(ctx, s, &vigil.Batch{Format: "ucdp", File: file}, r, ingest.Options{}); err != nil {
		t.Fatal(err)
	}
	t.Logf("imported %d events in %v", n, time.Since(start).Round(time.Second))
}
