package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/spf13/cobra"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/actors"
	"github.com/vigil-osint/vigil/ingest"
	"github.com/vigil-osint/vigil/jobs"
	"github.com/vigil-osint/vigil/link"
)

// natsFlags are the flags that name the job queue.
type natsFlags struct {
	url      string
	replicas int
	ackWait  time.Duration
}

func (n *natsFlags) add(cmd *cobra.Command) {
	cmd.Flags().StringVar(&n.url, "nats", os.Getenv("VIGIL_NATS"), "NATS server URLs, comma-separated (default $VIGIL_NATS)")
	cmd.Flags().IntVar(&n.replicas, "replicas", 1, "servers that keep each job (3 on a cluster of three)")
	cmd.Flags().DurationVar(&n.ackWait, "ack-wait", 30*time.Second, "how long a silent worker keeps a job before another gets it")
}

// open connects to NATS and opens the queue. The connection retries and
// moves to another server of a cluster when one goes away.
func (n *natsFlags) open(ctx context.Context, name string) (*nats.Conn, *jobs.Queue, error) {
	if n.url == "" {
		return nil, nil, errors.New("no NATS server: give --nats URL or set VIGIL_NATS")
	}
	nc, err := nats.Connect(n.url, nats.Name(name), nats.MaxReconnects(-1), nats.ReconnectWait(250*time.Millisecond))
	if err != nil {
		return nil, nil, fmt.Errorf("nats %s: %w", n.url, err)
	}
	q, err := jobs.Open(ctx, nc, jobs.Config{Replicas: n.replicas, AckWait: n.ackWait})
	if err != nil {
		nc.Close()
		return nil, nil, err
	}
	return nc, q, nil
}

func newWorkerCmd(a *app) *cobra.Command {
	var nf natsFlags
	cmd := &cobra.Command{
		Use:   "worker --nats URL",
		Short: "Take import and linkage jobs from the NATS JetStream queue and do them on the store",
		Long: `Take jobs from the durable work queue on NATS JetStream (vigil enqueue puts
them there) and do them on the store that --db names, one at a time, until
interrupted. Run as many workers, on as many machines, as the work needs: each job
goes to one worker, is acknowledged only once its work is committed, and goes to
another worker if its own dies. A job done twice changes nothing: documents are
kept by key and content hash, and a job whose batch the store holds as done is
skipped.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			s, err := a.openStore(ctx)
			if err != nil {
				return err
			}
			defer s.Close()
			dict, err := a.loadDictionary(ctx, s)
			if err != nil {
				return err
			}
			nc, q, err := nf.open(ctx, "vigil worker")
			if err != nil {
				return err
			}
			defer nc.Close()
			fmt.Fprintf(a.stderr, "vigil worker: taking jobs from %s\n", nf.url)
			err = q.Work(ctx, a.jobHandler(s, dict), func(format string, args ...any) {
				fmt.Fprintf(a.stderr, format+"\n", args...)
			})
			if errors.Is(err, context.Canceled) {
				return nil
			}
			return err
		},
	}
	nf.add(cmd)
	return cmd
}

// jobHandler does one job on the store.
func (a *app) jobHandler(s vigil.Store, dict *actors.Dictionary) jobs.Handler {
	return func(ctx context.Context, j *jobs.Job) error {
		switch j.Kind {
		case jobs.KindLink:
			ls, ok := s.(vigil.LinkService)
			if !ok {
				return fmt.Errorf("job %s: the store %T does not support linkage", j.ID, s)
			}
			var lf linkFlags
			lf.add(&cobra.Command{}) // the defaults
			st, err := link.Run(ctx, ls, lf.config(dict), "vigil worker")
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "job %s: linked %d new reports: %d links, %d for review\n", j.ID, st.Pending, st.Accepted, st.Review)
			return nil
		case jobs.KindImport:
			return a.importJob(ctx, s, dict, j)
		}
		return fmt.Errorf("job %s: unknown kind %q", j.ID, j.Kind)
	}
}

// importJob imports a job's content as a file of its format, unless the
// store already holds a finished batch of the same format and checksum.
func (a *app) importJob(ctx context.Context, s vigil.Store, dict *actors.Dictionary, j *jobs.Job) error {
	f, ok := importFormats[j.Format]
	if !ok {
		return fmt.Errorf("job %s: unknown format %q", j.ID, j.Format)
	}
	sum := sha256.Sum256(j.Content)
	checksum := hex.EncodeToString(sum[:])
	bs, err := s.FindBatches(ctx)
	if err != nil {
		return err
	}
	for _, b := range bs {
		if b.Format == j.Format && b.Checksum == checksum && b.Status == vigil.BatchDone {
			fmt.Fprintf(a.stdout, "job %s: done before (batch %d)\n", j.ID, b.ID)
			return nil
		}
	}
	dir, err := os.MkdirTemp("", "vigil-job-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, fmt.Sprintf("%s.part%d%s", strings.TrimSuffix(filepath.Base(j.File), filepath.Ext(j.File)), j.Part, filepath.Ext(j.File)))
	if err := os.WriteFile(path, j.Content, 0o600); err != nil {
		return err
	}
	o := &importOptions{version: j.Options["version"], source: j.Options["source"], kind: j.Options["kind"],
		reliability: j.Options["reliability"], ctx: ctx, warn: a.stderr}
	b, err := a.importFile(ctx, s, dict, j.Format, f, o, path)
	if errors.Is(err, ingest.ErrRejected) {
		err = nil // the batch lists them
	}
	if err != nil {
		return err
	}
	c := b.Counts
	fmt.Fprintf(a.stdout, "job %s: %s part %d/%d: read %d, new %d, unchanged %d, updated %d, rejected %d, skipped %d (batch %d)\n",
		j.ID, j.File, j.Part, j.Parts, c.Read, c.New, c.Unchanged, c.Updated, c.Rejected, c.Skipped, b.ID)
	return nil
}

// tableFormats are the formats whose files are a header and rows, which
// enqueue splits into parts.
var tableFormats = map[string]bool{"ucdp": true, "acled": true, "wikilist": true}

func newEnqueueCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "enqueue",
		Short: "Put import and linkage jobs on the NATS JetStream queue for vigil worker",
	}
	var nf natsFlags
	var rows int
	opts := map[string]*string{"source": new(string), "version": new(string), "kind": new(string), "reliability": new(string)}
	imp := &cobra.Command{
		Use:   "import FORMAT FILE...",
		Short: "Queue files for import; tables are split into parts of --rows rows",
		Long: `Queue files for import by the workers. A table (ucdp, acled, wikilist) is split
into parts of --rows rows, each with the header, so that workers share one file;
other formats go whole. The options are those of vigil import. Text articles are
not queued yet: their documents are keyed by file path, which a worker does not
share; import them with vigil import text.`,
		Args: cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			o := map[string]string{}
			for k, v := range opts {
				if *v != "" {
					o[k] = *v
				}
			}
			return a.enqueueImport(cmd.Context(), &nf, args[0], o, args[1:], rows)
		},
	}
	nf.add(imp)
	imp.Flags().IntVar(&rows, "rows", 2000, "rows per job for tables")
	for k, v := range opts {
		imp.Flags().StringVar(v, k, "", "as vigil import's --"+k)
	}
	var lnf natsFlags
	lnk := &cobra.Command{
		Use:   "link",
		Short: "Queue a linkage run of the reports not yet linked",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			nc, q, err := lnf.open(cmd.Context(), "vigil enqueue")
			if err != nil {
				return err
			}
			defer nc.Close()
			j := &jobs.Job{Kind: jobs.KindLink, ID: fmt.Sprintf("link-%d", time.Now().UnixNano())}
			if err := q.Enqueue(cmd.Context(), j); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "queued %s\n", j.ID)
			return nil
		},
	}
	lnf.add(lnk)
	cmd.AddCommand(imp, lnk)
	return cmd
}

// enqueueImport queues files for import by the workers: tables split into
// parts of rows rows, other formats whole.
func (a *app) enqueueImport(ctx context.Context, nf *natsFlags, format string, opts map[string]string, files []string, rows int) error {
	f, ok := importFormats[format]
	if !ok || format == "text" {
		return fmt.Errorf("enqueue import: format %q: want ucdp, acled, gtd, wikilist, case or stix (text is imported here, not queued)", format)
	}
	files, err := f.files(files)
	if err != nil {
		return err
	}
	nc, q, err := nf.open(ctx, "vigil enqueue")
	if err != nil {
		return err
	}
	defer nc.Close()
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		parts := [][]byte{b}
		if tableFormats[format] {
			parts = jobs.SplitTable(b, rows)
		}
		for i, p := range parts {
			j := &jobs.Job{Kind: jobs.KindImport, Format: format, File: file, Part: i + 1, Parts: len(parts), Content: p, Options: opts}
			j.ID = jobID(format, opts, p)
			if err := q.Enqueue(ctx, j); err != nil {
				return err
			}
		}
		fmt.Fprintf(a.stdout, "%s: queued in %d job(s) for vigil worker\n", file, len(parts))
	}
	return nil
}

// queuedImport queues an import of vigil import's when VIGIL_NATS names a
// queue (text apart, whose documents are keyed by file path); ok is false
// when the import is to run here.
func (a *app) queuedImport(ctx context.Context, format string, o *importOptions, files []string) (ok bool, err error) {
	url := os.Getenv("VIGIL_NATS")
	if url == "" || format == "text" {
		return false, nil
	}
	opts := map[string]string{}
	for k, v := range map[string]string{"source": o.source, "version": o.version, "kind": o.kind, "reliability": o.reliability} {
		if v != "" {
			opts[k] = v
		}
	}
	nf := natsFlags{url: url, replicas: 1, ackWait: 30 * time.Second}
	if r, err := strconv.Atoi(os.Getenv("VIGIL_NATS_REPLICAS")); err == nil && r > 0 {
		nf.replicas = r
	}
	return true, a.enqueueImport(ctx, &nf, format, opts, files, 2000)
}

// jobID names an import job by what it holds, so that queueing the same
// part twice within the stream's duplicate window stores it once.
func jobID(format string, opts map[string]string, content []byte) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%v\x00", format, opts)
	h.Write(content)
	return "import-" + hex.EncodeToString(h.Sum(nil))[:24]
}
