package http

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/link"
)

// Importer takes an uploaded file into the store. cmd/vigil provides one
// over the same readers as `vigil import`.
type Importer interface {
	// Formats lists the format names it reads.
	Formats() []string
	// Check says whether an upload of the format with these options can
	// start (articles as text need the source they are filed under); its
	// error, before the file is read, is the request's 400.
	Check(format string, opts UploadOptions) error
	// Import reads r, a file of the format, into the store as one batch,
	// calling progress after each chunk, and writing to warn, a line each,
	// what the uploader must know that the batch does not keep (lines of
	// a file that were skipped). It returns the batch once it exists, with
	// the error that ended the import, if any.
	Import(ctx context.Context, format, name string, opts UploadOptions, r io.Reader, progress func(vigil.Counts), warn io.Writer) (*vigil.Batch, error)
	// Link links the reports that wait for linkage (articles come without
	// events) as `vigil link` does, recording the run as by's, then runs
	// what follows new events (watch rules, ACH indicator items). Stats
	// are nil when the store keeps no linkage.
	Link(ctx context.Context, by string) (*link.Stats, error)
}

// UploadOptions are an upload's query parameters beyond its format and
// name, as `vigil import`'s flags: the source its documents are filed
// under (text: required; stix: for objects that name no creator), that
// source's kind and reliability (text), and the UCDP GED release (ucdp:
// otherwise read from the file's name).
type UploadOptions struct {
	Source      string `json:"source,omitempty"`
	Kind        string `json:"kind,omitempty"`
	Reliability string `json:"reliability,omitempty"`
	Version     string `json:"version,omitempty"`
}

// batchMarkings returns the markings of the batches, and whether the
// principal may see each.
func (s *Server) visibleBatch(ctx context.Context, p *principal) (func(id int64) bool, error) {
	marks, err := s.Browse.FindBatchMarkings(ctx)
	if err != nil {
		return nil, err
	}
	return func(id int64) bool {
		m, ok := marks[id]
		return ok && p.allows(m)
	}, nil
}

// listBatches lists the import batches whose every document the reader may
// see, newest first; a batch that brought no document shows only to
// readers cleared for RED.
func (s *Server) listBatches(w http.ResponseWriter, r *http.Request, p *principal) error {
	visible, err := s.visibleBatch(r.Context(), p)
	if err != nil {
		return err
	}
	bs, err := s.Store.FindBatches(r.Context())
	if err != nil {
		return err
	}
	out := []*vigil.Batch{}
	for _, b := range bs {
		if visible(b.ID) {
			out = append(out, b)
		}
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) getBatch(w http.ResponseWriter, r *http.Request, p *principal) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	visible, err := s.visibleBatch(r.Context(), p)
	if err != nil {
		return err
	}
	if visible(id) {
		bs, err := s.Store.FindBatches(r.Context())
		if err != nil {
			return err
		}
		for _, b := range bs {
			if b.ID == id {
				return writeTagged(w, r, b)
			}
		}
	}
	return errorf(vigil.ENOTFOUND, "batch %d", id)
}

// Job is an upload being imported, for polling its progress.
type Job struct {
	ID         string            `json:"id"`
	Format     string            `json:"format"`
	File       string            `json:"file"`
	Size       int64             `json:"size"`
	Status     vigil.BatchStatus `json:"status"` // running, done, failed
	Counts     vigil.Counts      `json:"counts"`
	BatchID    int64             `json:"batch_id,omitempty"`
	Error      string            `json:"error,omitempty"`
	StartedAt  time.Time         `json:"started_at"`
	FinishedAt time.Time         `json:"finished_at,omitzero"`
	Options    UploadOptions     `json:"options,omitzero"`
	// Linked says that the linkage run that follows an import (the job is
	// running until it ends) is done, LinkError why it failed (the import
	// stands). Link is its figures, for readers cleared for RED only: the
	// run counts every report that waited, whatever its marking.
	Linked    bool        `json:"linked,omitempty"`
	Link      *link.Stats `json:"link,omitempty"`
	LinkError string      `json:"link_error,omitempty"`
	// Warnings are what the import wrote for the uploader (lines of the
	// file it skipped, and why), the first maxJobWarnings of them;
	// WarningsOmitted counts the rest.
	Warnings        []string `json:"warnings,omitempty"`
	WarningsOmitted int      `json:"warnings_omitted,omitempty"`
	owner           int64
}

// maxJobWarnings bounds the warnings a job keeps.
const maxJobWarnings = 100

// jobWarnings is the writer an import writes its warnings to: each line
// becomes one of the job's warnings.
type jobWarnings struct {
	jobs    *jobs
	id, cut string // cut: a prefix to leave out ("vigil: ")
	partial []byte
}

func (w *jobWarnings) Write(p []byte) (int, error) {
	w.partial = append(w.partial, p...)
	for {
		i := bytes.IndexByte(w.partial, '\n')
		if i < 0 {
			break
		}
		line := strings.TrimPrefix(string(w.partial[:i]), w.cut)
		w.partial = w.partial[i+1:]
		if strings.TrimSpace(line) == "" {
			continue
		}
		w.jobs.update(w.id, func(j *Job) {
			if len(j.Warnings) < maxJobWarnings {
				j.Warnings = append(j.Warnings, line)
			} else {
				j.WarningsOmitted++
			}
		})
	}
	return len(p), nil
}

// jobs holds the uploads of this process.
type jobs struct {
	mu     sync.Mutex
	m      map[string]*Job
	wg     sync.WaitGroup
	ctx    context.Context
	cancel context.CancelFunc
}

func newJobs() *jobs {
	ctx, cancel := context.WithCancel(context.Background())
	return &jobs{m: map[string]*Job{}, ctx: ctx, cancel: cancel}
}

func (j *jobs) stop() { j.cancel(); j.wg.Wait() }

func (j *jobs) get(id string) (Job, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	jb, ok := j.m[id]
	if !ok {
		return Job{}, false
	}
	return *jb, true
}

func (j *jobs) update(id string, fn func(*Job)) {
	j.mu.Lock()
	defer j.mu.Unlock()
	fn(j.m[id])
}

// upload takes a file in the request body (format and name in the query),
// keeps it in a temporary file, and imports it in the background. It
// answers 202 with the job to poll.
func (s *Server) upload(w http.ResponseWriter, r *http.Request, p *principal) error {
	if s.Importer == nil {
		return errorf(eNotImplemented, "this server takes no uploads")
	}
	format := r.URL.Query().Get("format")
	if !slices.Contains(s.Importer.Formats(), format) {
		return errorf(vigil.EINVALID, "format %q: want one of %s", format, strings.Join(s.Importer.Formats(), ", "))
	}
	q := r.URL.Query()
	opts := UploadOptions{Source: strings.TrimSpace(q.Get("source")), Kind: q.Get("kind"), Reliability: q.Get("reliability"), Version: q.Get("version")}
	if len(opts.Source) > 200 {
		return errorf(vigil.EINVALID, "source: at most 200 characters")
	}
	if err := s.Importer.Check(format, opts); err != nil {
		return errorf(vigil.EINVALID, "%s", vigil.ErrorMessage(err))
	}
	name := filepath.Base(filepath.Clean("/" + r.URL.Query().Get("name")))
	if name == "/" || name == "." {
		name = "upload"
	}
	if len(name) > 200 {
		name = name[:200]
	}
	tmp, err := os.CreateTemp("", "vigil-upload-*")
	if err != nil {
		return fmt.Errorf("http: upload: %w", err)
	}
	n, err := io.Copy(tmp, http.MaxBytesReader(w, r.Body, s.MaxUpload))
	if err == nil {
		_, err = tmp.Seek(0, io.SeekStart)
	}
	if err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	jb := &Job{ID: NewSecret("")[:22], Format: format, File: "upload:" + name, Size: n, Status: vigil.BatchRunning,
		StartedAt: s.Now().UTC(), Options: opts, owner: p.user.ID}
	s.jobs.mu.Lock()
	for id, old := range s.jobs.m { // forget jobs finished an hour ago
		if old.Status != vigil.BatchRunning && time.Since(old.FinishedAt) > time.Hour {
			delete(s.jobs.m, id)
		}
	}
	s.jobs.m[jb.ID] = jb
	s.jobs.mu.Unlock()
	s.jobs.wg.Add(1)
	go s.runJob(jb.ID, p, tmp)
	snapshot, _ := s.jobs.get(jb.ID)
	w.Header().Set("Location", "/api/v1/import-jobs/"+jb.ID)
	return writeJSON(w, http.StatusAccepted, snapshot)
}

func (s *Server) runJob(id string, p *principal, f *os.File) {
	defer s.jobs.wg.Done()
	defer os.Remove(f.Name())
	defer f.Close()
	jb, _ := s.jobs.get(id)
	b, err := s.Importer.Import(s.jobs.ctx, jb.Format, jb.File, jb.Options, f, func(c vigil.Counts) {
		s.jobs.update(id, func(j *Job) { j.Counts = c })
	}, &jobWarnings{jobs: s.jobs, id: id, cut: "vigil: "})
	if b != nil {
		s.jobs.update(id, func(j *Job) { j.BatchID, j.Counts = b.ID, b.Counts })
		ctx := context.WithoutCancel(s.jobs.ctx)
		e := &vigil.AuditEntry{Actor: p.actor(), Action: "import", Object: fmt.Sprintf("batch/%d", b.ID),
			After: vigil.AuditJSON(map[string]any{"format": jb.Format, "file": jb.File, "counts": b.Counts, "status": b.Status})}
		if aerr := s.Audit.AppendAudit(ctx, e); aerr != nil {
			s.Logger.Error("http: audit of an import", "err", aerr)
		}
	}
	var st *link.Stats
	var lerr error
	if err == nil {
		// Articles come without events: their reports join events (or
		// make their own) here, as `vigil link` would.
		s.invalidate()
		st, lerr = s.link(s.jobs.ctx, p)
	}
	s.jobs.update(id, func(j *Job) {
		j.Status, j.FinishedAt, j.Linked = vigil.BatchDone, s.Now().UTC(), err == nil && lerr == nil
		if p.seesAll() {
			j.Link = st
		}
		if err != nil {
			j.Status, j.Error = vigil.BatchFailed, jobError(err)
		}
		if lerr != nil {
			j.LinkError = jobError(lerr)
		}
	})
	s.invalidate()
}

// link runs linkage for p (Importer.Link) and audits the run.
func (s *Server) link(ctx context.Context, p *principal) (*link.Stats, error) {
	st, err := s.Importer.Link(ctx, p.user.Name)
	if err != nil || st == nil || st.OpID == 0 {
		return st, err
	}
	e := &vigil.AuditEntry{Actor: p.actor(), Action: "link", Object: fmt.Sprintf("linkop/%d", st.OpID), After: vigil.AuditJSON(st)}
	if aerr := s.Audit.AppendAudit(context.WithoutCancel(ctx), e); aerr != nil {
		return st, fmt.Errorf("http: audit of a linkage run: %w", aerr)
	}
	return st, nil
}

// runLink links the reports that wait for linkage now, for reports that
// came in other than by upload (vigil import on the server's store), and
// answers the run's figures (to an admin not cleared for RED, only the
// id of the run in the history: the figures count every report).
func (s *Server) runLink(w http.ResponseWriter, r *http.Request, p *principal) error {
	if s.Importer == nil {
		return errorf(eNotImplemented, "this server runs no linkage")
	}
	st, err := s.link(r.Context(), p)
	s.invalidate()
	if err != nil {
		return err
	}
	if st == nil {
		return errorf(eNotImplemented, "this store keeps no linkage")
	}
	if !p.seesAll() {
		st = &link.Stats{OpID: st.OpID}
	}
	return writeJSON(w, http.StatusOK, st)
}

// jobError is a failed upload's error as its uploader reads it: the whole
// chain, which names the record that failed ("relationship iskp
// cooperation ttp: not found: document …"), with the innermost *vigil.Error
// written as its code in words and its message rather than "vigil: CODE:".
// (The problem details of a request carry only the message; a job's
// failure comes from deep in an import, where the message alone names a
// document but not what needed it.)
func jobError(err error) string {
	var e *vigil.Error
	if !errors.As(err, &e) {
		return err.Error()
	}
	return strings.Replace(err.Error(), e.Error(), strings.ReplaceAll(e.Code, "_", " ")+": "+e.Message, 1)
}

// getJob returns an upload's progress, to the user who sent it or an
// admin.
func (s *Server) getJob(w http.ResponseWriter, r *http.Request, p *principal) error {
	jb, ok := s.jobs.get(r.PathValue("id"))
	if !ok || (jb.owner != p.user.ID && p.user.Role != vigil.RoleAdmin) {
		return errorf(vigil.ENOTFOUND, "import job %q", r.PathValue("id"))
	}
	return writeTagged(w, r, jb)
}
