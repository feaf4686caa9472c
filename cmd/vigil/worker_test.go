package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/bench"
	"github.com/vigil-osint/vigil/jobs"
	"github.com/vigil-osint/vigil/postgres/pgtest"
)

// natsCluster starts three JetStream servers clustered on this machine's
// loopback, and returns them and their client URLs, comma-separated.
func natsCluster(t *testing.T) ([]*server.Server, string) {
	t.Helper()
	ports := make([]int, 3)
	for i := range ports {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ports[i] = l.Addr().(*net.TCPAddr).Port
		l.Close()
	}
	var servers []*server.Server
	var urls []string
	for i := range 3 {
		var routes []string
		for j, p := range ports {
			if j != i {
				routes = append(routes, fmt.Sprintf("nats://127.0.0.1:%d", p))
			}
		}
		opts := &server.Options{
			ServerName: fmt.Sprintf("n%d", i+1), Host: "127.0.0.1", Port: -1,
			JetStream: true, StoreDir: t.TempDir(), NoLog: true, NoSigs: true,
			Cluster: server.ClusterOpts{Name: "vigil", Host: "127.0.0.1", Port: ports[i]},
			Routes:  server.RoutesFromStr(strings.Join(routes, ",")),
		}
		s, err := server.NewServer(opts)
		if err != nil {
			t.Fatal(err)
		}
		go s.Start()
		t.Cleanup(s.Shutdown)
		if !s.ReadyForConnections(10 * time.Second) {
			t.Fatalf("nats server %d did not start", i+1)
		}
		servers = append(servers, s)
		urls = append(urls, s.ClientURL())
	}
	return servers, strings.Join(urls, ",")
}

// lockedBuffer is a buffer that workers write to at once.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestWorkersSurviveKills queues the UCDP sample in 19 jobs on a cluster of
// three NATS servers, has two workers take them, kills one worker in the
// middle of a job and one NATS server in the middle of the batch, and
// checks that every row was imported exactly once in effect: 905
// documents and events, the batches' new counts adding up to 905 (a job
// done again finds its rows unchanged), and the killed worker's job done
// by the other.
func TestWorkersSurviveKills(t *testing.T) {
	servers, urls := natsCluster(t)
	db := filepath.Join(t.TempDir(), "w.db")
	if os.Getenv(pgtest.Env) != "" {
		db = pgtest.URL(t)
	}
	mustRun(t, "--db", db, "init")
	ctx := context.Background()

	// The cluster elects its JetStream leader in a moment: queue once it
	// can.
	deadline := time.Now().Add(30 * time.Second)
	for {
		out, errOut, code := vigilRun(t, "enqueue", "import", "ucdp", sample, "--nats", urls, "--replicas", "3", "--rows", "50", "--ack-wait", "3s")
		if code == 0 {
			if !strings.Contains(out, "queued in 19 job(s)") {
				t.Fatalf("enqueue said %q", out)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("enqueue: exit %d: %s", code, errOut)
		}
		time.Sleep(500 * time.Millisecond)
	}

	var (
		done      atomic.Int64
		killedJob atomic.Value // the id of the job the killed worker held
		seen      sync.Map     // job id → deliveries
		out       lockedBuffer
		wg        sync.WaitGroup
	)
	type worker struct {
		ctx    context.Context
		cancel context.CancelFunc
		nc     *nats.Conn
		q      *jobs.Queue
		h      jobs.Handler
	}
	start := func(name string) *worker {
		w := &worker{}
		w.ctx, w.cancel = context.WithCancel(ctx)
		a := &app{stdout: &out, stderr: &out, dbPath: db}
		s, err := a.openStore(ctx)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		dict, err := a.loadDictionary(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		nf := natsFlags{url: urls, replicas: 3, ackWait: 3 * time.Second}
		if w.nc, w.q, err = nf.open(ctx, name); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(w.nc.Close)
		w.h = a.jobHandler(s, dict)
		return w
	}
	a, b := start("worker a"), start("worker b")
	run := func(w *worker, h jobs.Handler) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.q.Work(w.ctx, h, func(format string, args ...any) { fmt.Fprintf(&out, format+"\n", args...) })
		}()
	}
	count := func(j *jobs.Job) {
		n, _ := seen.LoadOrStore(j.ID, new(atomic.Int64))
		n.(*atomic.Int64).Add(1)
	}
	// Worker a dies in the middle of its third job: its context ends while
	// the import runs, and its connection closes without a word. Should
	// the import have finished first, the worker still dies before it
	// acknowledges the job.
	var aJobs atomic.Int64
	run(a, func(ctx context.Context, j *jobs.Job) error {
		count(j)
		if aJobs.Add(1) == 3 {
			killedJob.Store(j.ID)
			go func() {
				time.Sleep(30 * time.Millisecond)
				a.cancel()
				a.nc.Close()
			}()
			a.h(ctx, j)
			<-ctx.Done()
			return ctx.Err()
		}
		err := a.h(ctx, j)
		if err == nil {
			done.Add(1)
		}
		return err
	})
	run(b, func(ctx context.Context, j *jobs.Job) error {
		count(j)
		err := b.h(ctx, j)
		if err == nil {
			if done.Add(1) == 8 {
				// A NATS server dies in the middle of the batch.
				servers[0].Shutdown()
			}
		}
		return err
	})

	// Wait until the queue is empty and nothing is held.
	ctl := start("control")
	deadline = time.Now().Add(3 * time.Minute)
	for {
		time.Sleep(time.Second)
		waiting, held, err := ctl.q.Pending(ctx)
		if err == nil && waiting == 0 && held == 0 && done.Load() >= 19 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("jobs not done after 3 minutes: waiting %d, held %d, %v; %d done\n%s", waiting, held, err, done.Load(), out.String())
		}
	}
	b.cancel()
	wg.Wait()

	s, err := openStoreAt(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	evs, total, err := s.FindEvents(ctx, vigil.EventFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if total != 905 || len(evs) != 905 {
		t.Errorf("%d events after the jobs, want the sample's 905", total)
	}
	keys := map[string]bool{}
	for _, e := range evs {
		if keys[e.Key] {
			t.Errorf("event %s twice", e.Key)
		}
		keys[e.Key] = true
	}
	bs, err := s.FindBatches(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var c vigil.Counts
	for _, b := range bs {
		c.New += b.Counts.New
		c.Unchanged += b.Counts.Unchanged
	}
	if c.New != 905 {
		t.Errorf("the batches brought %d new documents in all, want 905 exactly once", c.New)
	}
	id, _ := killedJob.Load().(string)
	n, _ := seen.Load(id)
	if id == "" || n == nil || n.(*atomic.Int64).Load() < 2 {
		t.Errorf("the killed worker's job %q was not delivered again", id)
	}
	t.Logf("%d batches, %d rows found unchanged on redelivery", len(bs), c.Unchanged)
}

// BenchmarkWorkers measures import throughput through the queue with one
// and with two workers: a generated GED file of VIGIL_BENCH_ROWS rows
// (default 20,000) queued in parts of 1,000 rows on one in-process NATS
// server, into a fresh store (PostgreSQL when VIGIL_TEST_POSTGRES is set,
// else SQLite). Run with -benchtime 1x.
func BenchmarkWorkers(b *testing.B) {
	rows := 20000
	if n, err := strconv.Atoi(os.Getenv("VIGIL_BENCH_ROWS")); err == nil && n > 0 {
		rows = n
	}
	file := filepath.Join(b.TempDir(), "ged.csv")
	if err := bench.GEDFile(file, sample, rows); err != nil {
		b.Fatal(err)
	}
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			for range b.N {
				ns, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: -1, JetStream: true, StoreDir: b.TempDir(), NoLog: true, NoSigs: true})
				if err != nil {
					b.Fatal(err)
				}
				go ns.Start()
				if !ns.ReadyForConnections(10 * time.Second) {
					b.Fatal("nats server did not start")
				}
				db := filepath.Join(b.TempDir(), "w.db")
				if os.Getenv(pgtest.Env) != "" {
					db = pgtest.URL(b)
				}
				var out lockedBuffer
				a := &app{stdout: &out, stderr: &out, dbPath: db}
				if code := run(context.Background(), []string{"--db", db, "init"}, strings.NewReader(""), &out, &out); code != 0 {
					b.Fatalf("init: %s", out.String())
				}
				if code := run(context.Background(), []string{"enqueue", "import", "ucdp", file, "--nats", ns.ClientURL(), "--rows", "1000"},
					strings.NewReader(""), &out, &out); code != 0 {
					b.Fatalf("enqueue: %s", out.String())
				}
				ctx, cancel := context.WithCancel(context.Background())
				var wg sync.WaitGroup
				var ctl *jobs.Queue
				b.ResetTimer()
				start := time.Now()
				for range workers {
					s, err := a.openStore(ctx)
					if err != nil {
						b.Fatal(err)
					}
					defer s.Close()
					dict, err := a.loadDictionary(ctx, s)
					if err != nil {
						b.Fatal(err)
					}
					nf := natsFlags{url: ns.ClientURL(), replicas: 1, ackWait: 30 * time.Second}
					nc, q, err := nf.open(ctx, "bench worker")
					if err != nil {
						b.Fatal(err)
					}
					defer nc.Close()
					ctl = q
					wg.Add(1)
					go func() {
						defer wg.Done()
						q.Work(ctx, a.jobHandler(s, dict), func(string, ...any) {})
					}()
				}
				for {
					time.Sleep(200 * time.Millisecond)
					waiting, held, err := ctl.Pending(ctx)
					if err == nil && waiting == 0 && held == 0 {
						break
					}
				}
				took := time.Since(start)
				b.StopTimer()
				cancel()
				wg.Wait()
				ns.Shutdown()
				b.ReportMetric(float64(rows)/took.Seconds(), "rows/s")
			}
		})
	}
}

// TestImportQueuesWithNATS: with VIGIL_NATS set, vigil import puts the file
// on the queue instead of importing it, and a worker then imports it.
func TestImportQueuesWithNATS(t *testing.T) {
	ns, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: -1, JetStream: true, StoreDir: t.TempDir(), NoLog: true, NoSigs: true})
	if err != nil {
		t.Fatal(err)
	}
	go ns.Start()
	t.Cleanup(ns.Shutdown)
	if !ns.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats server did not start")
	}
	db := filepath.Join(t.TempDir(), "q.db")
	t.Setenv("VIGIL_NATS", ns.ClientURL())
	out := mustRun(t, "--db", db, "import", "ucdp", sample)
	if !strings.Contains(out, "queued in 1 job(s)") {
		t.Fatalf("import with VIGIL_NATS said %q", out)
	}
	if _, err := os.Stat(db); err == nil {
		if n := len(eventsJSON(t, db)); n != 0 {
			t.Fatalf("the import ran here: %d events", n)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	a := &app{stdout: &lockedBuffer{}, stderr: &lockedBuffer{}, dbPath: db, mayCreate: true} // as vigil worker
	s, err := a.openStore(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	dict, err := a.loadDictionary(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	nf := natsFlags{url: ns.ClientURL(), replicas: 1, ackWait: 30 * time.Second}
	nc, q, err := nf.open(ctx, "test worker")
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	done := make(chan struct{})
	go func() {
		defer close(done)
		q.Work(ctx, a.jobHandler(s, dict), t.Logf)
	}()
	for deadline := time.Now().Add(time.Minute); ; {
		time.Sleep(200 * time.Millisecond)
		if waiting, held, err := q.Pending(ctx); err == nil && waiting == 0 && held == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the worker did not take the job")
		}
	}
	cancel()
	<-done
	if n := len(eventsJSON(t, db)); n != 905 {
		t.Errorf("after the worker: %d events, want 905", n)
	}
}
