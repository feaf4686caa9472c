package http

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
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
// sample, serves it on loopback, and has VIGIL_LOAD_CLIENTS clients (8)
// send requests for VIGIL_LOAD_SECONDS (20) from a mix of endpoints. It
// logs p50, p95 and p99 latency and requests per second per endpoint.
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
	if _, total, err := s.FindEvents(ctx, vigil.EventFilter{Limit: 1}); err != nil {
		t.Fatal(err)
	} else if total < n {
		fillStore(t, s, n-total)
	}
	_, total, _ := s.FindEvents(ctx, vigil.EventFilter{Limit: 1})
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
	srv.Rate = rate.Inf
	if err := srv.Open("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer srv.Close(context.Background())

	endpoints := []struct{ name, path string }{
		{"events page", "/api/v1/events?limit=50&offset=%d"}, // within the first 1,000
		{"events deep", "/api/v1/events?limit=50&offset=%d"}, // anywhere
		{"events ISKP", "/api/v1/events?actor=ISKP&limit=50"},
		{"events AF 2020", "/api/v1/events?country=AF&from=2020-01-01&to=2020-12-31&limit=50"},
		{"events -date", "/api/v1/events?sort=-date&limit=50"},
		{"event detail", "/api/v1/events/%d"},
		{"sources", "/api/v1/sources"},
		{"summary admin1", "/api/v1/event-summary?by=admin1&actor=ISKP"},
		{"summary grid", "/api/v1/event-summary?by=grid&from=2015-01-01"},
	}
	type sample struct {
		ep  int
		dur time.Duration
	}
	var mu sync.Mutex
	var samples []sample
	errs := 0
	deadline := time.Now().Add(time.Duration(seconds) * time.Second)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
	var wg sync.WaitGroup
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(c), 1))
			for time.Now().Before(deadline) {
				ep := rng.IntN(len(endpoints))
				path := endpoints[ep].path
				switch ep {
				case 0:
					path = fmt.Sprintf(path, rng.IntN(20)*50)
				case 1:
					path = fmt.Sprintf(path, rng.IntN(max(total-50, 1)))
				case 5:
					path = fmt.Sprintf(path, 1+rng.IntN(total))
				}
				req, _ := http.NewRequest("GET", srv.URL()+path, nil)
				req.Header.Set("Authorization", "Bearer "+token)
				start := time.Now()
				res, err := client.Do(req)
				if err == nil {
					io.Copy(io.Discard, res.Body)
					res.Body.Close()
				}
				d := time.Since(start)
				mu.Lock()
				if err != nil || res.StatusCode != 200 {
					errs++
				}
				samples = append(samples, sample{ep, d})
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	t.Logf("%d clients, %d s: %d requests, %.0f req/s, %d errors", clients, seconds, len(samples), float64(len(samples))/float64(seconds), errs)
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
		slices.Sort(ds)
		q := func(p float64) time.Duration {
			return ds[min(len(ds)-1, int(p*float64(len(ds))))].Round(100 * time.Microsecond)
		}
		t.Logf("%-15s n=%-6d p50 %-8v p95 %-8v p99 %-8v", ep.name, len(ds), q(0.50), q(0.95), q(0.99))
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
