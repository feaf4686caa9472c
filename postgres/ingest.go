package postgres

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/internal/eventrow"
	"github.com/vigil-osint/vigil/internal/sqlstore"
)

// Ingest stores the items in one transaction; see vigil.ImportService.
//
// A chunk is written in few round trips: the documents and events it may
// already hold are looked up with one query each (the keys sent as
// arrays), new rows take their ids from the tables' sequences in one
// query, new events are fused in memory, and every new row of documents,
// reports, events, their actors and facts goes in through COPY. Updated
// documents keep their old versions in history, row by row (the rarer
// path). Imports hold the write lock for their transaction, so two
// importers of the same keys cannot both insert them; readers are never
// blocked.
func (s *Store) Ingest(ctx context.Context, b *vigil.Batch, items []vigil.Item) ([]vigil.Outcome, error) {
	out := make([]vigil.Outcome, len(items))
	var batchID int64
	if b != nil {
		batchID = b.ID
	}
	var next vigil.Batch // b as this transaction saves it
	err := s.inWriteTx(ctx, func(tx *txn) error {
		w, err := s.newWriter(ctx, tx, batchID)
		if err != nil {
			return err
		}
		defer w.close()
		if err := w.prefetch(items); err != nil {
			return err
		}
		for i := range items {
			if out[i], err = w.item(&items[i]); err != nil {
				return err
			}
		}
		if err := w.finish(); err != nil || b == nil {
			return err
		}
		next, err = sqlstore.SaveIngested(ctx, tx.conn, *b, out)
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
	s       *Store
	ctx     context.Context
	tx      *txn
	batchID any
	now     string
	sources map[string]*vigil.Source
	byID    map[int64]*vigil.Source
	parents map[string]string

	docs    map[docKey]*storedDoc
	events  map[string]int64 // event ids by key, stored or fresh
	fresh   map[int64]*eventrow.Fresh
	touched map[int64]bool // stored events whose reports changed
	// ids holds ids taken from each table's sequence and not yet used.
	ids map[string][]int64

	docRows, repRows [][]any
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

func (s *Store) newWriter(ctx context.Context, tx *txn, batchID int64) (*writer, error) {
	w := &writer{s: s, ctx: ctx, tx: tx, now: timeText(s.Now()), sources: map[string]*vigil.Source{}, byID: map[int64]*vigil.Source{},
		docs: map[docKey]*storedDoc{}, events: map[string]int64{},
		fresh: map[int64]*eventrow.Fresh{}, touched: map[int64]bool{}, ids: map[string][]int64{}}
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
	return w, nil
}

func (w *writer) close() {}

func (w *writer) exec(name string, args ...any) error {
	if _, err := w.tx.ExecContext(w.ctx, writerSQL[name], args...); err != nil {
		return fmt.Errorf("postgres: %s: %w", name, err)
	}
	return nil
}

// take returns the next id of table's sequence, taking more when none
// is left.
func (w *writer) take(table string) (int64, error) {
	if len(w.ids[table]) == 0 {
		if err := w.reserve(table, 1); err != nil {
			return 0, err
		}
	}
	id := w.ids[table][0]
	w.ids[table] = w.ids[table][1:]
	return id, nil
}

// reserve takes n more ids from table's sequence in one query.
func (w *writer) reserve(table string, n int) error {
	if n <= 0 {
		return nil
	}
	rows, err := w.tx.QueryContext(w.ctx, `SELECT nextval(pg_get_serial_sequence(?, 'id')) FROM generate_series(1, ?)`, table, n)
	if err != nil {
		return fmt.Errorf("postgres: ids of %s: %w", table, err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return fmt.Errorf("postgres: ids of %s: %w", table, err)
	}
	w.ids[table] = append(w.ids[table], ids...)
	return nil
}

// prefetch looks up the stored documents and events that the items name,
// one query each, and takes from the sequences the ids that the new
// documents, their reports and the new events will need.
func (w *writer) prefetch(items []vigil.Item) error {
	var srcIDs []int64
	var keys, eventKeys []string
	for i := range items {
		doc := &items[i].Document
		if src := w.source(doc); src != nil {
			srcIDs, keys = append(srcIDs, src.ID), append(keys, doc.Key)
		}
		for _, r := range items[i].Reports {
			if r.EventKey != "" {
				eventKeys = append(eventKeys, r.EventKey)
			}
		}
	}
	if len(keys) > 0 {
		rows, err := w.tx.QueryContext(w.ctx, `SELECT d.id, d.source_id, d.key, d.content_hash, d.data::text, d.recorded_at
			FROM documents d JOIN unnest(?::bigint[], ?::text[]) AS k(source_id, key) ON d.source_id = k.source_id AND d.key = k.key`,
			srcIDs, keys)
		if err != nil {
			return fmt.Errorf("postgres: look up documents: %w", err)
		}
		for rows.Next() {
			d := &storedDoc{}
			var k docKey
			if err := rows.Scan(&d.id, &k.source, &k.key, &d.hash, &d.data, &d.when); err != nil {
				rows.Close()
				return fmt.Errorf("postgres: look up documents: %w", err)
			}
			w.docs[k] = d
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("postgres: look up documents: %w", err)
		}
	}
	if len(eventKeys) > 0 {
		rows, err := w.tx.QueryContext(w.ctx, `SELECT id, key FROM events WHERE key = ANY(?::text[])`, eventKeys)
		if err != nil {
			return fmt.Errorf("postgres: look up events: %w", err)
		}
		for rows.Next() {
			var id int64
			var key string
			if err := rows.Scan(&id, &key); err != nil {
				rows.Close()
				return fmt.Errorf("postgres: look up events: %w", err)
			}
			w.events[key] = id
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("postgres: look up events: %w", err)
		}
	}
	// What the new rows need: a document id per new key, a report id per
	// report of a new document, an event id per new event key.
	newDocs, newReps := map[docKey]bool{}, 0
	for i := range items {
		if src := w.source(&items[i].Document); src != nil {
			k := docKey{src.ID, items[i].Document.Key}
			if w.docs[k] == nil && !newDocs[k] {
				newDocs[k] = true
				newReps += len(items[i].Reports)
			}
		}
	}
	newEvents := map[string]bool{}
	for _, k := range eventKeys {
		if _, ok := w.events[k]; !ok {
			newEvents[k] = true
		}
	}
	for table, n := range map[string]int{"documents": len(newDocs), "reports": newReps, "events": len(newEvents)} {
		if err := w.reserve(table, n); err != nil {
			return err
		}
	}
	return nil
}

func (w *writer) source(doc *vigil.Document) *vigil.Source {
	if src := w.sources[doc.Source]; src != nil {
		return src
	}
	return w.byID[doc.SourceID]
}

func (w *writer) item(it *vigil.Item) (vigil.Outcome, error) {
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
		return vigil.OutcomeNew, w.insert(k, &doc, src, it.Reports)
	case old.hash == doc.ContentHash:
		return vigil.OutcomeUnchanged, nil
	case doc.Version != 0:
		// The source's own version: never replace a newer one.
		var stored struct {
			Version int64 `json:"version"`
		}
		if err := json.Unmarshal([]byte(old.data), &stored); err != nil {
			return "", fmt.Errorf("postgres: decode document %d: %w", old.id, err)
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
	data := mustJSON(doc)
	if err := w.exec("docHistory", doc.ID, old.hash, old.data, old.when, w.now, w.batchID); err != nil {
		return "", err
	}
	if err := w.exec("updateDoc", doc.ContentHash, doc.Marking.Rank(), w.batchID, data, w.now, doc.ID); err != nil {
		return "", err
	}
	oldHash := old.hash
	*old = storedDoc{id: doc.ID, hash: doc.ContentHash, data: data, when: w.now}
	buffered := len(w.repRows)
	err := w.replaceReports(&doc, src, oldHash, it.Reports)
	old.pending = len(w.repRows) > buffered // its new reports wait in the buffer
	return vigil.OutcomeUpdated, err
}

func (w *writer) insert(k docKey, doc *vigil.Document, src *vigil.Source, reps []vigil.Report) error {
	id, err := w.take("documents")
	if err != nil {
		return err
	}
	doc.ID, doc.RecordedAt = id, parseTime(w.now)
	data := mustJSON(doc)
	w.docRows = append(w.docRows, []any{doc.ID, src.ID, doc.Key, doc.ContentHash, doc.Marking.Rank(), w.batchID, data, w.now})
	w.docs[k] = &storedDoc{id: doc.ID, hash: doc.ContentHash, data: data, when: w.now, pending: true}
	for i := range reps {
		r := &reps[i]
		if r.ID, err = w.take("reports"); err != nil {
			return err
		}
		r.DocumentID, r.RecordedAt = doc.ID, doc.RecordedAt
		ev, err := w.eventFor(r.EventKey)
		if err != nil {
			return err
		}
		w.repRows = append(w.repRows, []any{r.ID, doc.ID, r.Key, ev, eventrow.EncodeReport(r), w.now})
		w.note(ev, doc, src, r)
	}
	return nil
}

// eventFor returns the id of the event that a report's EventKey names,
// making a fresh event when none exists; nil for no key.
func (w *writer) eventFor(key string) (any, error) {
	if key == "" {
		return nil, nil
	}
	if id, ok := w.events[key]; ok {
		if w.fresh[id] == nil {
			w.touched[id] = true
		}
		return id, nil
	}
	id, err := w.take("events")
	if err != nil {
		return nil, err
	}
	w.events[key] = id
	w.fresh[id] = &eventrow.Fresh{Key: key}
	return id, nil
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
	rows, err := w.tx.QueryContext(w.ctx, writerSQL["docReports"], doc.ID)
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
		return w.exec("repHistory", o.id, doc.ID, oldHash, o.data, o.recorded, w.now, w.batchID)
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
			if ev, err = w.eventFor(r.EventKey); err != nil {
				return err
			}
		case o.event.Valid:
			ev = o.event.Int64 // a linked report stays in its event
		}
		r.ID, r.DocumentID, r.RecordedAt = o.id, doc.ID, parseTime(w.now)
		if err := w.exec("updateRep", ev, eventrow.EncodeReport(r), w.now, r.ID); err != nil {
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
		if r.ID, err = w.take("reports"); err != nil {
			return err
		}
		r.DocumentID, r.RecordedAt = doc.ID, parseTime(w.now)
		ev, err := w.eventFor(r.EventKey)
		if err != nil {
			return err
		}
		w.repRows = append(w.repRows, []any{r.ID, doc.ID, r.Key, ev, eventrow.EncodeReport(r), w.now})
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
	var old struct {
		EventKey string `json:"event_key"`
	}
	if err := json.Unmarshal([]byte(data), &old); err != nil {
		return false, fmt.Errorf("postgres: decode report: %w", err)
	}
	if f := w.fresh[event.Int64]; f != nil { // made by this chunk
		return old.EventKey != f.Key, nil
	}
	var key sql.NullString
	if err := w.tx.QueryRowContext(w.ctx, `SELECT key FROM events WHERE id = ?`, event.Int64).Scan(&key); err != nil {
		return false, fmt.Errorf("postgres: event %d: %w", event.Int64, err)
	}
	return old.EventKey != key.String, nil
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
	if err := w.flush(); err != nil {
		return err
	}
	var evRows, actorRows [][]any
	for id, f := range w.fresh {
		if len(f.Reps) == 0 { // its only document was retracted in the same chunk
			continue
		}
		e := vigil.Fuse(f.Key, f.Reps, w.parents)
		e.ID, e.RecordedAt, e.UpdatedAt = id, parseTime(w.now), parseTime(w.now)
		evRows = append(evRows, append([]any{id, f.Key}, eventrow.EventValues(&e)...))
		actorRows = eventrow.ActorRows(actorRows, &e)
	}
	if err := w.insertRows("events", eventrow.EventCols, evRows); err != nil {
		return err
	}
	if err := w.insertRows("event_actors", eventrow.ActorCols, actorRows); err != nil {
		return err
	}
	for id := range w.touched {
		if err := w.refuse(id); err != nil {
			return err
		}
	}
	return nil
}

// insertRows writes rows through COPY.
func (w *writer) insertRows(table string, cols []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	if _, err := w.tx.tx.CopyFrom(w.ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows)); err != nil {
		return fmt.Errorf("postgres: copy into %s: %w", table, err)
	}
	return nil
}

// refuse loads a stored event's reports, fuses them and saves the event;
// an event left without reports is deleted.
func (w *writer) refuse(id int64) error {
	var key sql.NullString
	var recorded string
	if err := w.tx.QueryRowContext(w.ctx, `SELECT key, recorded_at FROM events WHERE id = ? FOR UPDATE`, id).Scan(&key, &recorded); err != nil {
		return notFound(err, "event %d", id)
	}
	reps, err := w.s.eventReports(w.ctx, w.tx, id)
	if err != nil {
		return err
	}
	if len(reps) == 0 {
		if err := w.exec("deleteEventActors", id); err != nil {
			return err
		}
		_, err := w.tx.ExecContext(w.ctx, `DELETE FROM events WHERE id = ?`, id)
		return err
	}
	e := vigil.Fuse(key.String, reps, w.parents)
	e.ID, e.RecordedAt, e.UpdatedAt = id, parseTime(recorded), parseTime(w.now)
	vals := eventrow.EventValues(&e)
	// updateEvent sets every column but id, key and recorded_at.
	if err := w.exec("updateEvent", append(append(vals[:len(vals)-2:len(vals)-2], vals[len(vals)-1]), id)...); err != nil {
		return err
	}
	if err := w.exec("deleteEventActors", id); err != nil {
		return err
	}
	return w.insertRows("event_actors", eventrow.ActorCols, eventrow.ActorRows(nil, &e))
}

// parents maps each actor to its parent, for fusion.
func (s *Store) parents(ctx context.Context, q querier) (map[string]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, coalesce(data->>'parent', '') FROM actors`)
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
