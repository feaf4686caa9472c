// Package jobs spreads vigil's heavy work (imports, which extract text
// articles as they go, and linkage) over machines through a durable NATS
// JetStream work queue. Enqueuers publish jobs; workers take them one at a
// time from a shared pull consumer and acknowledge each only after its work
// is committed to the store.
//
// Delivery is at least once: a job whose worker dies before acknowledging
// it is delivered again once AckWait has passed, and a publish retried
// after a lost answer is dropped by the stream's duplicate window (the job
// id is its message id). Processing is idempotent, so a job done twice
// changes nothing the second time: documents are keyed by source and key
// and their content hash (the second import finds them unchanged), and a
// worker skips a job whose batch the store already holds as done.
package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// The stream, its subject and the workers' durable consumer.
const (
	Stream   = "VIGIL_JOBS"
	Subject  = "vigil.jobs"
	Consumer = "vigil-workers"
)

// The kinds of job.
const (
	KindImport = "import" // Content is (a part of) a file of Format
	KindLink   = "link"   // link the reports linkage has not yet seen
)

// Job is one unit of work.
type Job struct {
	// ID identifies the job: the message id, for the stream's duplicate
	// window, and the batch name, for the worker's check for done work.
	ID   string `json:"id"`
	Kind string `json:"kind"`
	// Format is the import format ("ucdp", "acled", "text", …); File is
	// the name of the file the content came from, Part and Parts which
	// part of it this is (1-based).
	Format string `json:"format,omitempty"`
	File   string `json:"file,omitempty"`
	Part   int    `json:"part,omitempty"`
	Parts  int    `json:"parts,omitempty"`
	// Content is the part's bytes: for a table format, the header and a
	// run of rows.
	Content []byte `json:"content,omitempty"`
	// Options carries the import's options (source, kind, reliability,
	// version).
	Options map[string]string `json:"options,omitempty"`
}

// Config sizes the queue.
type Config struct {
	// Replicas is how many servers keep each job (1 for a single server,
	// 3 for a cluster of three).
	Replicas int
	// AckWait is how long a worker may hold a job without word before it
	// is delivered to another (default 30 s); workers send word while a
	// long job runs.
	AckWait time.Duration
}

// Queue is the job queue on a JetStream server or cluster.
type Queue struct {
	js       jetstream.JetStream
	consumer jetstream.Consumer
	ackWait  time.Duration
}

// Open makes sure the stream and the workers' consumer exist, and returns
// the queue. The stream is a work queue: a job acknowledged is removed.
func Open(ctx context.Context, nc *nats.Conn, cfg Config) (*Queue, error) {
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	if cfg.Replicas < 1 {
		cfg.Replicas = 1
	}
	if cfg.AckWait <= 0 {
		cfg.AckWait = 30 * time.Second
	}
	err = again(ctx, func() error {
		_, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
			Name:       Stream,
			Subjects:   []string{Subject},
			Retention:  jetstream.WorkQueuePolicy,
			Storage:    jetstream.FileStorage,
			Replicas:   cfg.Replicas,
			Duplicates: 10 * time.Minute,
			MaxMsgSize: 8 << 20,
		})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("jobs: stream %s: %w", Stream, err)
	}
	var c jetstream.Consumer
	err = again(ctx, func() error {
		var err error
		c, err = js.CreateOrUpdateConsumer(ctx, Stream, jetstream.ConsumerConfig{
			Durable:       Consumer,
			AckPolicy:     jetstream.AckExplicitPolicy,
			AckWait:       cfg.AckWait,
			MaxAckPending: 64,
			Replicas:      cfg.Replicas,
		})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("jobs: consumer %s: %w", Consumer, err)
	}
	return &Queue{js: js, consumer: c, ackWait: cfg.AckWait}, nil
}

// Enqueue publishes a job and waits until the stream has stored it. A job
// published twice under one id (a retry after a lost answer) is stored
// once.
func (q *Queue) Enqueue(ctx context.Context, j *Job) error {
	if j.ID == "" || j.Kind == "" {
		return errors.New("jobs: a job needs an id and a kind")
	}
	b, err := json.Marshal(j)
	if err != nil {
		return fmt.Errorf("jobs: %w", err)
	}
	err = again(ctx, func() error {
		_, err := q.js.Publish(ctx, Subject, b, jetstream.WithMsgID(j.ID))
		return err
	})
	if err != nil {
		return fmt.Errorf("jobs: enqueue %s: %w", j.ID, err)
	}
	return nil
}

// attempts is how many times again tries.
const attempts = 11

// again runs op until it succeeds, has failed attempts times, or ctx ends.
// A cluster electing a new leader answers with errors for a moment, and
// one under load late (the client's own timeout), so the requests that
// set up and fill the queue try again.
func again(ctx context.Context, op func() error) error {
	var err error
	for range attempts {
		if err = op(); err == nil || ctx.Err() != nil {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(200 * time.Millisecond):
		}
	}
	return err
}

// Pending returns how many jobs wait and how many are held by workers.
func (q *Queue) Pending(ctx context.Context) (waiting, held int, err error) {
	info, err := q.consumer.Info(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("jobs: %w", err)
	}
	return int(info.NumPending), info.NumAckPending, nil
}

// Handler does a job. It returns nil once the job's work is committed.
type Handler func(ctx context.Context, j *Job) error

// Work takes jobs one at a time and runs h on each until ctx ends. A job
// is acknowledged after h succeeds; on failure it is handed back to be
// delivered again after a pause. While h runs, the worker tells the
// server the job is in progress, so a long job is not given to another.
// A message that is not a job is acknowledged and dropped (logged through
// logf), so that it cannot block the queue.
func (q *Queue) Work(ctx context.Context, h Handler, logf func(format string, args ...any)) error {
	for ctx.Err() == nil {
		batch, err := q.consumer.Fetch(1, jetstream.FetchMaxWait(2*time.Second))
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			logf("jobs: fetch: %v", err)
			time.Sleep(500 * time.Millisecond)
			continue
		}
		for msg := range batch.Messages() {
			q.handle(ctx, msg, h, logf)
		}
		if err := batch.Error(); err != nil && ctx.Err() == nil && !errors.Is(err, nats.ErrTimeout) {
			logf("jobs: fetch: %v", err)
			time.Sleep(500 * time.Millisecond)
		}
	}
	return ctx.Err()
}

func (q *Queue) handle(ctx context.Context, msg jetstream.Msg, h Handler, logf func(string, ...any)) {
	var j Job
	if err := json.Unmarshal(msg.Data(), &j); err != nil || j.ID == "" {
		logf("jobs: dropping a message that is not a job: %v", err)
		msg.Term()
		return
	}
	// Word while the job runs.
	stop := make(chan struct{})
	go func() {
		t := time.NewTicker(q.ackWait / 3)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				msg.InProgress()
			}
		}
	}()
	err := h(ctx, &j)
	close(stop)
	if ctx.Err() != nil {
		// The worker is stopping: the job goes back unacknowledged.
		return
	}
	if err != nil {
		logf("jobs: %s: %v (to be tried again)", j.ID, err)
		msg.NakWithDelay(time.Second)
		return
	}
	if err := msg.DoubleAck(ctx); err != nil {
		// The work is committed; a redelivery will find it done.
		logf("jobs: %s: acknowledging: %v", j.ID, err)
	}
}
