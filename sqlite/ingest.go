package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/internal/eventrow"
	"github.com/vigil-osint/vigil/internal/parallel"
	"github.com/vigil-osint/vigil/internal/sqlstore"
	"github.com/vigil-osint/vigil/internal/storecodec"
)

// Ingest stores the items in one transaction; see vigil.ImportService.
func (s *Store) Ingest(ctx context.Context, b *vigil.Batch, items []vigil.Item) ([]vigil.Outcome, error) {
	var out []vigil.Outcome
	var next vigil.Batch // b as this transaction saves it
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		out, next, err = s.ingest(ctx, tx, b, items)
		return err
	})
	if err != nil {
		return nil, err
	}
	if b != nil {
		*b = next
	}
	return out, nil
}

// BeginIngest starts a write transaction that takes several chunks of an
// import; see vigil.BulkIngester.
func (s *Store) BeginIngest(ctx context.Context) (vigil.IngestTx, error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("sqlite: begin: %w", err)
	}
	return &ingestTx{s: s, ctx: ctx, tx: tx}, nil
}

// ingestTx is the transaction of BeginIngest.
type ingestTx struct {
	s   *Store
	ctx context.Context
	tx  *sql.Tx
}

func (t *ingestTx) Ingest(ctx context.Context, b *vigil.Batch, items []vigil.Item) ([]vigil.Outcome, error) {
	out, next, err := t.s.ingest(ctx, t.tx, b, items)
	if err != nil {
		return nil, err
	}
	if b != nil {
		*b = next
	}
	return out, nil
}

// Commit commits the transaction with the audit entry of the change, when
// the context BeginIngest was given holds one (vigil.WithAudit), as inTx
// does.
func (t *ingestTx) Commit() error { return t.s.commit(t.ctx, t.tx) }

func (t *ingestTx) Rollback() error {
	if err := t.tx.Rollback(); err != nil && !errors.Is(err, sql.ErrTxDone) {
		return fmt.Errorf("sqlite: rollback: %w", err)
	}
	return nil
}

// ingest stores the items in tx and returns their outcomes and b as tx
// saves it (the zero batch for nil).
//
// The documents and events a chunk may already hold are looked up in
// batches, new rows get their ids inside the write transaction (SQLite has
// one writer, and the transaction begins IMMEDIATE), new events are fused
// in memory, and new rows go in with one prepared statement a table. The
// references between the tables are checked at commit.
func (s *Store) ingest(ctx context.Context, tx *sql.Tx, b *vigil.Batch, items []vigil.Item) ([]vigil.Outcome, vigil.Batch, error) {
	out := make([]vigil.Outcome, len(items))
	var batchID int64
	if b != nil {
		batchID = b.ID
	}
	w, err := s.newWriter(ctx, tx, batchID)
	if err != nil {
		return nil, vigil.Batch{}, err
	}
	defer w.close()
	if err := w.prefetch(items); err != nil {
		return nil, vigil.Batch{}, err
	}
	w.encodeReports(items)
	for i := range items {
		if out[i], err = w.item(i, &items[i]); err != nil {
			return nil, vigil.Batch{}, err
		}
	}
	if err := w.finish(); err != nil || b == nil {
		return out, vigil.Batch{}, err
	}
	next, err := sqlstore.SaveIngested(ctx, conn{tx}, *b, out)
	return out, next, err
}

type docKey struct {
	source int64
	key    string
}

// storedDoc is a document already in the store.
type storedDoc struct {
	id               int64
	hash, data, when string
	pending          bool // inserted by this transaction, not yet written
}

// writer holds one ingest transaction's state.
type writer struct {
	s   *Store
	ctx context.Context
	// rowCtx is ctx without its cancellation, for the statements run once a
	// row: the driver watches a cancellable context with a goroutine of its
	// own for every statement it runs, which cost an import more than a
	// tenth of its CPU time. The transaction still watches ctx, and
	// insertRows checks it.
	rowCtx  context.Context
	tx      *sql.Tx
	batchID any
	now     string
	sources map[string]*vigil.Source
	byID    map[int64]*vigil.Source
	parents map[string]string
	stmts   map[string]*sql.Stmt

	docs                        map[docKey]*storedDoc
	events                      map[string]int64 // event ids by key, stored or fresh
	fresh                       map[int64]*eventrow.Fresh
	touched                     map[int64]bool // stored events whose reports changed
	nextDoc, nextRep, nextEvent int64

	docRows, repRows [][]any
	// encoded holds the stored form of each item's reports, by item and
	// report, as a new document's reports are stored; see encodeReports.
	encoded [][][]byte
}

// encodeReports encodes, as insert stores them, the reports of the items
// whose documents the store does not hold (prefetch looked them up), on
// every processor: encoding is a fifth of an import's work, and the rest
// of it has one writer.
func (w *writer) encodeReports(items []vigil.Item) {
	at := parseTime(w.now)
	w.encoded = make([][][]byte, len(items))
	<-parallel.Go(len(items), 1, func(i int) error {
		doc := &items[i].Document
		if src := w.source(doc); src == nil || w.docs[docKey{src.ID, doc.Key}] == nil {
			w.encoded[i] = encodeReports(items[i].Reports, at)
		}
		return nil
	})
}

// writerSQL are the statements of the rarer paths: updates and history.
var writerSQL = map[string]string{
	"findDoc":           `SELECT id, content_hash, data, recorded_at FROM documents WHERE source_id = ? AND key = ?`,
	"updateDoc":         `UPDATE documents SET content_hash = ?, tlp_rank = ?, batch_id = ?, data = ?, recorded_at = ? WHERE id = ?`,
	"docHistory":        `INSERT INTO document_history (document_id, content_hash, data, recorded_at, superseded_at, batch_id) VALUES (?, ?, ?, ?, ?, ?)`,
	"docReports":        `SELECT id, key, event_id, data, recorded_at FROM reports WHERE document_id = ?`,
	"updateRep":         `UPDATE reports SET event_id = ?, data = ?, recorded_at = ? WHERE id = ?`,
	"deleteRep":         `DELETE FROM reports WHERE id = ?`,
	"repHistory":        `INSERT INTO report_history (report_id, document_id, content_hash, data, recorded_at, superseded_at, batch_id) VALUES (?, ?, ?, ?, ?, ?, ?)`,
	"updateEvent":       updateEventSQL,
	"deleteEventActors": `DELETE FROM event_actors WHERE event_id = ?`,
}

// updateEventSQL sets every column of an event but id, key and
// recorded_at, in the order of eventrow.EventValues, then takes the id.
var updateEventSQL = func() string {
	var set []string
	for _, c := range eventrow.EventCols[2:] {
		if c != "recorded_at" {
			set = append(set, c+" = ?")
		}
	}
	return `UPDATE events SET ` + strings.Join(set, ", ") + ` WHERE id = ?`
}()

func (s *Store) newWriter(ctx context.Context, tx *sql.Tx, batchID int64) (*writer, error) {
	w := &writer{s: s, ctx: ctx, rowCtx: context.WithoutCancel(ctx), tx: tx, now: timeText(s.Now()), sources: map[string]*vigil.Source{}, byID: map[int64]*vigil.Source{},
		stmts: map[string]*sql.Stmt{}, docs: map[docKey]*storedDoc{}, events: map[string]int64{},
		fresh: map[int64]*eventrow.Fresh{}, touched: map[int64]bool{}}
	if batchID != 0 {
		w.batchID = batchID
	}
	srcs, err := s.sources(ctx, tx)
	if err != nil {
		return nil, err
	}
	for _, src := range srcs {
		w.sources[src.Name], w.byID[src.ID] = src, src
	}
	if w.parents, err = s.parents(ctx, tx); err != nil {
		return nil, err
	}
	for table, next := range map[string]*int64{"documents": &w.nextDoc, "reports": &w.nextRep, "events": &w.nextEvent} {
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) + 1 FROM `+table).Scan(next); err != nil {
			return nil, fmt.Errorf("sqlite: next id of %s: %w", table, err)
		}
	}
	return w, nil
}

func (w *writer) close() {
	for _, st := range w.stmts {
		st.Close()
	}
}

// stmt returns a prepared statement of writerSQL, preparing it on first use.
func (w *writer) stmt(name string) (*sql.Stmt, error) {
	if st := w.stmts[name]; st != nil {
		return st, nil
	}
	st, err := w.tx.PrepareContext(w.ctx, writerSQL[name])
	if err != nil {
		return nil, fmt.Errorf("sqlite: prepare %s: %w", name, err)
	}
	w.stmts[name] = st
	return st, nil
}

func (w *writer) exec(name string, args ...any) error {
	st, err := w.stmt(name)
	if err != nil {
		return err
	}
	if _, err := st.ExecContext(w.rowCtx, args...); err != nil {
		return fmt.Errorf("sqlite: %s: %w", name, err)
	}
	return nil
}

// lookupBatch is how many keys one IN (…) lookup holds.
const lookupBatch = 400

// prefetch looks up, in batches, the stored documents and events that the
// items name.
func (w *writer) prefetch(items []vigil.Item) error {
	bySource := map[int64][]string{}
	var eventKeys []string
	for i := range items {
		doc := &items[i].Document
		if src := w.source(doc); src != nil {
			bySource[src.ID] = append(bySource[src.ID], doc.Key)
		}
		for _, r := range items[i].Reports {
			if r.EventKey != "" {
				eventKeys = append(eventKeys, r.EventKey)
			}
		}
	}
	for src, keys := range bySource {
		err := inBatches(keys, func(part []any) error {
			rows, err := w.tx.QueryContext(w.ctx, `SELECT id, key, content_hash, data, recorded_at FROM documents
				WHERE source_id = ? AND key IN (`+placeholders(len(part))+`)`, append([]any{src}, part...)...)
			if err != nil {
				return fmt.Errorf("sqlite: look up documents: %w", err)
			}
			defer rows.Close()
			for rows.Next() {
				d := &storedDoc{}
				var key string
				if err := rows.Scan(&d.id, &key, &d.hash, &d.data, &d.when); err != nil {
					return fmt.Errorf("sqlite: look up documents: %w", err)
				}
				w.docs[docKey{src, key}] = d
			}
			return rows.Err()
		})
		if err != nil {
			return err
		}
	}
	return inBatches(eventKeys, func(part []any) error {
		rows, err := w.tx.QueryContext(w.ctx, `SELECT id, key FROM events WHERE key IN (`+placeholders(len(part))+`)`, part...)
		if err != nil {
			return fmt.Errorf("sqlite: look up events: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var key string
			if err := rows.Scan(&id, &key); err != nil {
				return fmt.Errorf("sqlite: look up events: %w", err)
			}
			w.events[key] = id
		}
		return rows.Err()
	})
}

// inBatches calls fn with the keys in parts of at most lookupBatch, as
// the arguments of one IN (…) list each.
func inBatches[T any](keys []T, fn func([]any) error) error {
	for len(keys) > 0 {
		n := min(len(keys), lookupBatch)
		part := make([]any, n)
		for i, k := range keys[:n] {
			part[i] = k
		}
		if err := fn(part); err != nil {
			return err
		}
		keys = keys[n:]
	}
	return nil
}

func (w *writer) source(doc *vigil.Document) *vigil.Source {
	if src := w.sources[doc.Source]; src != nil {
		return src
	}
	return w.byID[doc.SourceID]
}

func (w *writer) item(i int, it *vigil.Item) (vigil.Outcome, error) {
	doc := it.Document
	src := w.source(&doc)
	if src == nil {
		return "", vigil.Errorf(vigil.ENOTFOUND, "document %q: source %q is not in the store", doc.Key, doc.Source)
	}
	doc.SourceID, doc.Source = src.ID, src.Name
	if doc.Marking == "" {
		doc.Marking = vigil.TLPClear
	}
	if err := doc.Validate(); err != nil {
		return "", err
	}
	for i := range it.Reports {
		if err := it.Reports[i].Validate(); err != nil {
			return "", vigil.Errorf(vigil.EINVALID, "document %q: report %q: %s", doc.Key, it.Reports[i].Key, err.Error())
		}
	}
	k := docKey{src.ID, doc.Key}
	old := w.docs[k]
	switch {
	case old == nil:
		return vigil.OutcomeNew, w.insert(k, &doc, src, it.Reports, w.encoded[i])
	case old.hash == doc.ContentHash:
		return vigil.OutcomeUnchanged, nil
	case doc.Version != 0:
		var stored vigil.Document
		if err := decodeDocument(old.id, old.data, &stored); err != nil {
			return "", err
		}
		if stored.Version > doc.Version {
			return vigil.OutcomeOlder, nil
		}
	}
	// A new version: keep the old one in history and replace it.
	if old.pending {
		if err := w.flush(); err != nil {
			return "", err
		}
	}
	doc.ID, doc.RecordedAt = old.id, parseTime(w.now)
	data := encodeDocument(&doc)
	hist, err := storecodec.DocumentJSON(old.data) // history is kept as JSON
	if err != nil {
		return "", fmt.Errorf("sqlite: decode document %d: %w", old.id, err)
	}
	if err := w.exec("docHistory", doc.ID, old.hash, hist, old.when, w.now, w.batchID); err != nil {
		return "", err
	}
	if err := w.exec("updateDoc", doc.ContentHash, doc.Marking.Rank(), w.batchID, data, w.now, doc.ID); err != nil {
		return "", err
	}
	oldHash := old.hash
	*old = storedDoc{id: doc.ID, hash: doc.ContentHash, data: string(data), when: w.now}
	buffered := len(w.repRows)
	err = w.replaceReports(&doc, src, oldHash, it.Reports)
	old.pending = len(w.repRows) > buffered // its new reports wait in the buffer
	return vigil.OutcomeUpdated, err
}

// insert buffers a new document and its reports, whose stored form is
// encoded.
func (w *writer) insert(k docKey, doc *vigil.Document, src *vigil.Source, reps []vigil.Report, encoded [][]byte) error {
	doc.ID, doc.RecordedAt = w.nextDoc, parseTime(w.now)
	w.nextDoc++
	data := encodeDocument(doc)
	w.docRows = append(w.docRows, []any{doc.ID, src.ID, doc.Key, doc.ContentHash, doc.Marking.Rank(), w.batchID, data, w.now})
	w.docs[k] = &storedDoc{id: doc.ID, hash: doc.ContentHash, data: string(data), when: w.now, pending: true}
	for i := range reps {
		r := &reps[i]
		r.ID, r.DocumentID, r.RecordedAt = w.nextRep, doc.ID, doc.RecordedAt
		w.nextRep++
		ev := w.eventFor(r.EventKey)
		w.repRows = append(w.repRows, []any{r.ID, doc.ID, r.Key, ev, encoded[i], w.now})
		w.note(ev, doc, src, r)
	}
	return nil
}

// eventFor returns the id of the event that a report's EventKey names,
// making a fresh event when none exists; nil for no key.
func (w *writer) eventFor(key string) any {
	if key == "" {
		return nil
	}
	if id, ok := w.events[key]; ok {
		if w.fresh[id] == nil {
			w.touched[id] = true
		}
		return id
	}
	id := w.nextEvent
	w.nextEvent++
	w.events[key] = id
	w.fresh[id] = &eventrow.Fresh{Key: key}
	return id
}

// note remembers a report of a fresh event for its fusion.
func (w *writer) note(ev any, doc *vigil.Document, src *vigil.Source, r *vigil.Report) {
	id, ok := ev.(int64)
	if !ok {
		return
	}
	r.EventID = id
	if f := w.fresh[id]; f != nil {
		f.Note(vigil.SourcedReport{Report: *r, Document: *doc, Source: *src})
	}
}

// forget drops a report that is replaced or deleted from the fresh event
// it was noted in.
func (w *writer) forget(event sql.NullInt64, report int64) {
	if f := w.fresh[event.Int64]; event.Valid && f != nil {
		f.Forget(report)
	}
}

// replaceReports stores reps as the reports of an updated document.
func (w *writer) replaceReports(doc *vigil.Document, src *vigil.Source, oldHash string, reps []vigil.Report) error {
	st, err := w.stmt("docReports")
	if err != nil {
		return err
	}
	rows, err := st.QueryContext(w.ctx, doc.ID)
	if err != nil {
		return fmt.Errorf("sqlite: reports of document %d: %w", doc.ID, err)
	}
	type old struct {
		id             int64
		event          sql.NullInt64
		data, recorded string
	}
	olds := map[string]old{}
	for rows.Next() {
		var o old
		var key string
		if err := rows.Scan(&o.id, &key, &o.event, &o.data, &o.recorded); err != nil {
			rows.Close()
			return fmt.Errorf("sqlite: reports of document %d: %w", doc.ID, err)
		}
		olds[key] = o
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sqlite: reports of document %d: %w", doc.ID, err)
	}
	retire := func(o old) error {
		if o.event.Valid {
			w.touch(o.event.Int64)
			w.forget(o.event, o.id)
		}
		return w.exec("repHistory", o.id, doc.ID, oldHash, []byte(o.data), o.recorded, w.now, w.batchID)
	}
	var fresh []vigil.Report
	for i := range reps {
		r := &reps[i]
		o, ok := olds[r.Key]
		if !ok {
			fresh = append(fresh, *r)
			continue
		}
		delete(olds, r.Key)
		if err := retire(o); err != nil {
			return err
		}
		// A report goes where its key says, unless linkage or a person
		// moved it out of the event its key named: then it stays.
		moved, err := w.moved(o.event, o.data)
		if err != nil {
			return err
		}
		var ev any
		switch {
		case moved:
			ev = o.event.Int64
		case r.EventKey != "":
			ev = w.eventFor(r.EventKey)
		case o.event.Valid:
			ev = o.event.Int64 // a linked report stays in its event
		}
		r.ID, r.DocumentID, r.RecordedAt = o.id, doc.ID, parseTime(w.now)
		if err := w.exec("updateRep", ev, encodeReport(r), w.now, r.ID); err != nil {
			return err
		}
		w.note(ev, doc, src, r)
		if id, ok := ev.(int64); ok {
			w.touch(id)
		}
	}
	for _, key := range slices.Sorted(maps.Keys(olds)) { // in key order: history rows keep an order
		o := olds[key]
		if err := retire(o); err != nil {
			return err
		}
		if err := w.exec("deleteRep", o.id); err != nil {
			return err
		}
	}
	for i := range fresh {
		r := &fresh[i]
		r.ID, r.DocumentID, r.RecordedAt = w.nextRep, doc.ID, parseTime(w.now)
		w.nextRep++
		ev := w.eventFor(r.EventKey)
		w.repRows = append(w.repRows, []any{r.ID, doc.ID, r.Key, ev, encodeReport(r), w.now})
		w.note(ev, doc, src, r)
	}
	return nil
}

// moved reports whether a stored report (its event and data) is in an
// event other than the one its event key named: linkage or a person put
// it there.
func (w *writer) moved(event sql.NullInt64, data string) (bool, error) {
	if !event.Valid {
		return false, nil
	}
	oldKey, err := storecodec.ReportEventKey(data)
	if err != nil {
		return false, fmt.Errorf("sqlite: decode report: %w", err)
	}
	if f := w.fresh[event.Int64]; f != nil { // made by this chunk
		return oldKey != f.Key, nil
	}
	var key sql.NullString
	if err := w.tx.QueryRowContext(w.ctx, `SELECT key FROM events WHERE id = ?`, event.Int64).Scan(&key); err != nil {
		return false, fmt.Errorf("sqlite: event %d: %w", event.Int64, err)
	}
	return oldKey != key.String, nil
}

func (w *writer) touch(id int64) {
	if w.fresh[id] == nil {
		w.touched[id] = true
	}
}

// flush writes the buffered documents and reports.
func (w *writer) flush() error {
	if err := w.insertRows("documents", []string{"id", "source_id", "key", "content_hash", "tlp_rank", "batch_id", "data", "recorded_at"}, w.docRows); err != nil {
		return err
	}
	if err := w.insertRows("reports", []string{"id", "document_id", "key", "event_id", "data", "recorded_at"}, w.repRows); err != nil {
		return err
	}
	for _, d := range w.docs {
		d.pending = false
	}
	w.docRows, w.repRows = w.docRows[:0], w.repRows[:0]
	return nil
}

// finish writes what is buffered, fuses and writes the fresh events, and
// fuses again the stored events whose reports changed.
func (w *writer) finish() error {
	// Fresh events are fused on every processor while the documents and
	// reports go in, and go in in the order of their ids, each insert an
	// append.
	ids := make([]int64, 0, len(w.fresh))
	for id, f := range w.fresh {
		if len(f.Reps) > 0 { // none when its only document was retracted in the same chunk
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	evRows, actors := make([][]any, len(ids)), make([][][]any, len(ids))
	at := parseTime(w.now)
	fused := parallel.Go(len(ids), 1, func(i int) error {
		f := w.fresh[ids[i]]
		e := vigil.Fuse(f.Key, f.Reps, w.parents)
		e.ID, e.RecordedAt, e.UpdatedAt = ids[i], at, at
		evRows[i] = append([]any{ids[i], f.Key}, eventrow.EventValues(&e)...)
		actors[i] = eventrow.ActorRows(nil, &e)
		return nil
	})
	err := w.flush()
	<-fused
	if err != nil {
		return err
	}
	var actorRows [][]any
	for _, a := range actors {
		actorRows = append(actorRows, a...)
	}
	if err := w.insertEvents(evRows); err != nil {
		return err
	}
	if err := w.insertRows("event_actors", eventrow.ActorCols, actorRows); err != nil {
		return err
	}
	ids = ids[:0]
	for id := range w.touched {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return w.refuseAll(ids)
}

// insertEvents inserts rows of eventrow.EventCols and marks their fact blocks
// dirty, once a block.
func (w *writer) insertEvents(rows [][]any) error {
	if err := w.insertRows("events", eventrow.EventCols, rows); err != nil {
		return err
	}
	blocks := map[int64]bool{}
	for _, r := range rows {
		blocks[r[0].(int64)>>blockShift] = true
	}
	for b := range blocks {
		if _, err := w.tx.ExecContext(w.ctx, `INSERT INTO fact_dirty (block) VALUES (?)`, b); err != nil {
			return fmt.Errorf("sqlite: mark fact block %d: %w", b, err)
		}
	}
	return nil
}

// insertRows writes rows one prepared single-row INSERT each, the
// statement cached for the transaction. Single-row statements need no
// statement journal, which multi-row inserts make SQLite write (and
// truncate) for every statement: measured, they are the faster way here.
func (w *writer) insertRows(table string, cols []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	name := "insert " + table
	st := w.stmts[name]
	if st == nil {
		q := `INSERT INTO ` + table + ` (` + strings.Join(cols, ", ") + `) VALUES (` + placeholders(len(cols)) + `)`
		var err error
		if st, err = w.tx.PrepareContext(w.ctx, q); err != nil {
			return fmt.Errorf("sqlite: prepare %s: %w", name, err)
		}
		w.stmts[name] = st
	}
	for i, r := range rows {
		if i%1024 == 0 && w.ctx.Err() != nil {
			return fmt.Errorf("sqlite: %s: %w", name, w.ctx.Err())
		}
		if _, err := st.ExecContext(w.rowCtx, r...); err != nil {
			return fmt.Errorf("sqlite: %s: %w", name, err)
		}
	}
	return nil
}

// refuseChunk is how many events refuseAll holds in memory at once.
const refuseChunk = 2000

// refuseAll loads stored events' reports, fuses each event again and saves
// it; an event left without reports is deleted. The reads go in batches,
// refuseChunk events at a time.
func (w *writer) refuseAll(ids []int64) error {
	for len(ids) > refuseChunk {
		if err := w.refuseAll(ids[:refuseChunk]); err != nil {
			return err
		}
		ids = ids[refuseChunk:]
	}
	type stored struct{ key, recorded string }
	evs := make(map[int64]stored, len(ids))
	err := inBatches(ids, func(part []any) error {
		rows, err := w.tx.QueryContext(w.ctx, `SELECT id, coalesce(key, ''), recorded_at FROM events WHERE id IN (`+placeholders(len(part))+`)`, part...)
		if err != nil {
			return fmt.Errorf("sqlite: events to fuse: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var e stored
			if err := rows.Scan(&id, &e.key, &e.recorded); err != nil {
				return fmt.Errorf("sqlite: events to fuse: %w", err)
			}
			evs[id] = e
		}
		return rows.Err()
	})
	if err != nil {
		return err
	}
	reps, err := reportsOfEvents(w.ctx, w.tx, ids, w.byID, false)
	if err != nil {
		return err
	}
	for _, id := range ids {
		ev, ok := evs[id]
		if !ok {
			return vigil.Errorf(vigil.ENOTFOUND, "event %d", id)
		}
		if err := w.exec("deleteEventActors", id); err != nil {
			return err
		}
		if len(reps[id]) == 0 {
			if _, err := w.tx.ExecContext(w.ctx, `DELETE FROM events WHERE id = ?`, id); err != nil {
				return fmt.Errorf("sqlite: delete event %d: %w", id, err)
			}
			continue
		}
		e := vigil.Fuse(ev.key, reps[id], w.parents)
		e.ID, e.RecordedAt, e.UpdatedAt = id, parseTime(ev.recorded), parseTime(w.now)
		vals := eventrow.EventValues(&e)
		// updateEvent sets every column but id, key and recorded_at.
		if err := w.exec("updateEvent", append(append(vals[:len(vals)-2:len(vals)-2], vals[len(vals)-1]), id)...); err != nil {
			return err
		}
		if err := w.insertRows("event_actors", eventrow.ActorCols, eventrow.ActorRows(nil, &e)); err != nil {
			return err
		}
	}
	return nil
}

// parents maps each actor to its parent, for fusion.
func (s *Store) parents(ctx context.Context, q querier) (map[string]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, coalesce(json_extract(data, '$.parent'), '') FROM actors`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: actor parents: %w", err)
	}
	defer rows.Close()
	m := map[string]string{}
	for rows.Next() {
		var id, parent string
		if err := rows.Scan(&id, &parent); err != nil {
			return nil, fmt.Errorf("sqlite: actor parents: %w", err)
		}
		if parent != "" {
			m[id] = parent
		}
	}
	return m, rows.Err()
}
