package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/actors"
)

// Ingest stores the items in one transaction; see vigil.ImportService.
func (s *Store) Ingest(ctx context.Context, batchID int64, items []vigil.Item) ([]vigil.Outcome, error) {
	out := make([]vigil.Outcome, len(items))
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		w, err := s.newWriter(ctx, tx, batchID)
		if err != nil {
			return err
		}
		defer w.close()
		for i := range items {
			if out[i], err = w.item(&items[i]); err != nil {
				return err
			}
		}
		return w.fuseTouched()
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// writer holds one ingest transaction's prepared statements and the events
// it touched, which it fuses again before the commit.
type writer struct {
	s       *Store
	ctx     context.Context
	tx      *sql.Tx
	batchID any
	now     time.Time
	sources map[string]*vigil.Source
	byID    map[int64]*vigil.Source
	stmts   map[string]*sql.Stmt
	// fresh holds, for events created in this transaction, their reports;
	// touched marks older events whose reports changed.
	fresh   map[int64][]vigil.SourcedReport
	keys    map[int64]string
	touched map[int64]bool
	parents map[string]string
}

var writerSQL = map[string]string{
	"findDoc":     `SELECT id, content_hash, data, recorded_at FROM documents WHERE source_id = ? AND key = ?`,
	"insertDoc":   `INSERT INTO documents (source_id, key, content_hash, tlp_rank, batch_id, data, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
	"updateDoc":   `UPDATE documents SET content_hash = ?, tlp_rank = ?, batch_id = ?, data = ?, recorded_at = ? WHERE id = ?`,
	"docHistory":  `INSERT INTO document_history (document_id, content_hash, data, recorded_at, superseded_at, batch_id) VALUES (?, ?, ?, ?, ?, ?)`,
	"docReports":  `SELECT id, key, event_id, data, recorded_at FROM reports WHERE document_id = ?`,
	"insertRep":   `INSERT INTO reports (document_id, key, event_id, data, recorded_at) VALUES (?, ?, ?, ?, ?)`,
	"updateRep":   `UPDATE reports SET event_id = ?, data = ?, recorded_at = ? WHERE id = ?`,
	"deleteRep":   `DELETE FROM reports WHERE id = ?`,
	"repHistory":  `INSERT INTO report_history (report_id, document_id, content_hash, data, recorded_at, superseded_at, batch_id) VALUES (?, ?, ?, ?, ?, ?, ?)`,
	"eventByKey":  `SELECT id FROM events WHERE key = ?`,
	"insertEvent": `INSERT INTO events (key, data, recorded_at, updated_at) VALUES (?, '{}', ?, ?)`,
}

func (s *Store) newWriter(ctx context.Context, tx *sql.Tx, batchID int64) (*writer, error) {
	w := &writer{s: s, ctx: ctx, tx: tx, now: s.Now(), sources: map[string]*vigil.Source{}, byID: map[int64]*vigil.Source{},
		stmts: map[string]*sql.Stmt{}, fresh: map[int64][]vigil.SourcedReport{}, keys: map[int64]string{}, touched: map[int64]bool{}}
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
	for name, q := range writerSQL {
		st, err := tx.PrepareContext(ctx, q)
		if err != nil {
			w.close()
			return nil, fmt.Errorf("sqlite: prepare %s: %w", name, err)
		}
		w.stmts[name] = st
	}
	return w, nil
}

func (w *writer) close() {
	for _, st := range w.stmts {
		st.Close()
	}
}

func (w *writer) exec(name string, args ...any) (sql.Result, error) {
	res, err := w.stmts[name].ExecContext(w.ctx, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %s: %w", name, err)
	}
	return res, nil
}

func (w *writer) item(it *vigil.Item) (vigil.Outcome, error) {
	doc := it.Document
	src := w.sources[doc.Source]
	if src == nil {
		src = w.byID[doc.SourceID]
	}
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
	var (
		oldHash, oldData, oldRecorded string
	)
	err := w.stmts["findDoc"].QueryRowContext(w.ctx, src.ID, doc.Key).Scan(&doc.ID, &oldHash, &oldData, &oldRecorded)
	switch {
	case err == sql.ErrNoRows:
		return vigil.OutcomeNew, w.insert(&doc, src, it.Reports)
	case err != nil:
		return "", fmt.Errorf("sqlite: find document %q: %w", doc.Key, err)
	case oldHash == doc.ContentHash:
		return vigil.OutcomeUnchanged, nil
	}
	// A new version: keep the old one in history and replace it.
	if _, err := w.exec("docHistory", doc.ID, oldHash, oldData, oldRecorded, timeText(w.now), w.batchID); err != nil {
		return "", err
	}
	doc.RecordedAt = w.now
	if _, err := w.exec("updateDoc", doc.ContentHash, doc.Marking.Rank(), w.batchID, mustJSON(doc), timeText(w.now), doc.ID); err != nil {
		return "", err
	}
	return vigil.OutcomeUpdated, w.replaceReports(&doc, src, oldHash, it.Reports)
}

func (w *writer) insert(doc *vigil.Document, src *vigil.Source, reps []vigil.Report) error {
	doc.RecordedAt = w.now
	res, err := w.exec("insertDoc", src.ID, doc.Key, doc.ContentHash, doc.Marking.Rank(), w.batchID, mustJSON(doc), timeText(w.now))
	if err != nil {
		return err
	}
	if doc.ID, err = res.LastInsertId(); err != nil {
		return fmt.Errorf("sqlite: insert document: %w", err)
	}
	for i := range reps {
		if err := w.insertReport(doc, src, &reps[i]); err != nil {
			return err
		}
	}
	return nil
}

// eventFor returns the id of the event that a report's EventKey names,
// creating the event when it does not exist; nil for no key.
func (w *writer) eventFor(key string) (any, error) {
	if key == "" {
		return nil, nil
	}
	var id int64
	err := w.stmts["eventByKey"].QueryRowContext(w.ctx, key).Scan(&id)
	if err == sql.ErrNoRows {
		res, err := w.exec("insertEvent", key, timeText(w.now), timeText(w.now))
		if err != nil {
			return nil, err
		}
		if id, err = res.LastInsertId(); err != nil {
			return nil, fmt.Errorf("sqlite: insert event: %w", err)
		}
		w.fresh[id] = []vigil.SourcedReport{}
		w.keys[id] = key
		return id, nil
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: find event %q: %w", key, err)
	}
	if _, ok := w.fresh[id]; !ok {
		w.touched[id] = true
	}
	return id, nil
}

func (w *writer) insertReport(doc *vigil.Document, src *vigil.Source, r *vigil.Report) error {
	ev, err := w.eventFor(r.EventKey)
	if err != nil {
		return err
	}
	r.RecordedAt = w.now
	res, err := w.exec("insertRep", doc.ID, r.Key, ev, encodeReport(r), timeText(w.now))
	if err != nil {
		return err
	}
	if r.ID, err = res.LastInsertId(); err != nil {
		return fmt.Errorf("sqlite: insert report: %w", err)
	}
	r.DocumentID = doc.ID
	w.note(ev, doc, src, r)
	return nil
}

// note remembers a report of an event for the fusion at commit.
func (w *writer) note(ev any, doc *vigil.Document, src *vigil.Source, r *vigil.Report) {
	id, ok := ev.(int64)
	if !ok {
		return
	}
	r.EventID = id
	if reps, fresh := w.fresh[id]; fresh {
		w.fresh[id] = append(reps, vigil.SourcedReport{Report: *r, Document: *doc, Source: *src})
	}
}

func (w *writer) replaceReports(doc *vigil.Document, src *vigil.Source, oldHash string, reps []vigil.Report) error {
	rows, err := w.stmts["docReports"].QueryContext(w.ctx, doc.ID)
	if err != nil {
		return fmt.Errorf("sqlite: reports of document %d: %w", doc.ID, err)
	}
	type old struct {
		id       int64
		event    sql.NullInt64
		data     string
		recorded string
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
		}
		_, err := w.exec("repHistory", o.id, doc.ID, oldHash, o.data, o.recorded, timeText(w.now), w.batchID)
		return err
	}
	for i := range reps {
		r := &reps[i]
		o, ok := olds[r.Key]
		if !ok {
			if err := w.insertReport(doc, src, r); err != nil {
				return err
			}
			continue
		}
		delete(olds, r.Key)
		if err := retire(o); err != nil {
			return err
		}
		var ev any
		if r.EventKey != "" {
			if ev, err = w.eventFor(r.EventKey); err != nil {
				return err
			}
		} else if o.event.Valid {
			ev = o.event.Int64 // a linked report stays in its event
		}
		r.ID, r.DocumentID, r.RecordedAt = o.id, doc.ID, w.now
		if _, err := w.exec("updateRep", ev, encodeReport(r), timeText(w.now), r.ID); err != nil {
			return err
		}
		w.note(ev, doc, src, r)
		if id, ok := ev.(int64); ok {
			w.touch(id)
		}
	}
	for _, o := range olds {
		if err := retire(o); err != nil {
			return err
		}
		if _, err := w.exec("deleteRep", o.id); err != nil {
			return err
		}
	}
	return nil
}

func (w *writer) touch(id int64) {
	if _, fresh := w.fresh[id]; !fresh {
		w.touched[id] = true
	}
}

// fuseTouched fuses every event whose reports changed and saves it.
func (w *writer) fuseTouched() error {
	for id, reps := range w.fresh {
		if err := w.s.saveEvent(w.ctx, w.tx, id, w.keys[id], w.now, w.now, reps, w.parents); err != nil {
			return err
		}
	}
	for id := range w.touched {
		if err := w.s.refuse(w.ctx, w.tx, id, w.now, w.parents); err != nil {
			return err
		}
	}
	return nil
}

// refuse loads an event's reports, fuses them and saves the event; an
// event left without reports is deleted.
func (s *Store) refuse(ctx context.Context, tx *sql.Tx, id int64, now time.Time, parents map[string]string) error {
	var key sql.NullString
	var recorded string
	if err := tx.QueryRowContext(ctx, `SELECT key, recorded_at FROM events WHERE id = ?`, id).Scan(&key, &recorded); err != nil {
		return notFound(err, "event %d", id)
	}
	reps, err := s.eventReports(ctx, tx, id)
	if err != nil {
		return err
	}
	if len(reps) == 0 {
		_, err := tx.ExecContext(ctx, `DELETE FROM events WHERE id = ?`, id)
		return err
	}
	return s.saveEvent(ctx, tx, id, key.String, parseTime(recorded), now, reps, parents)
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

func (s *Store) saveEvent(ctx context.Context, tx *sql.Tx, id int64, key string, recorded, now time.Time, reps []vigil.SourcedReport, parents map[string]string) error {
	e := vigil.Fuse(key, reps, parents)
	e.ID, e.RecordedAt, e.UpdatedAt = id, recorded, now
	_, err := tx.ExecContext(ctx, `UPDATE events SET date_start = ?, date_end = ?, country = ?, admin1 = ?, admin1_name = ?,
		event_type = ?, tlp_rank = ?, data = ?, updated_at = ? WHERE id = ?`,
		e.DateStart.String(), e.DateEnd.String(), e.Country, actors.Normalize(e.Admin1), admin1Norm(e.Admin1Name),
		string(e.EventType), e.Marking.Rank(), mustJSON(&e), timeText(now), id)
	if err != nil {
		return fmt.Errorf("sqlite: save event %d: %w", id, err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM event_actors WHERE event_id = ?`, id); err != nil {
		return fmt.Errorf("sqlite: event actors %d: %w", id, err)
	}
	for _, a := range e.Actors {
		if _, err := tx.ExecContext(ctx, `INSERT INTO event_actors (event_id, actor_id, name_norm, role) VALUES (?, ?, ?, ?)`,
			id, a.ActorID, actors.Normalize(a.Name), string(a.Role)); err != nil {
			return fmt.Errorf("sqlite: event actors %d: %w", id, err)
		}
	}
	return nil
}

// admin1Norm folds an admin-1 name for matching, without the unit word.
func admin1Norm(s string) string {
	n := actors.Normalize(s)
	for _, suf := range []string{" province", " governorate", " region", " oblast", " state"} {
		n = strings.TrimSuffix(n, suf)
	}
	return n
}

// encodeReport stores a report without the ids its columns hold.
func encodeReport(r *vigil.Report) string {
	c := *r
	c.ID, c.DocumentID, c.EventID = 0, 0, 0
	return mustJSON(&c)
}

func decodeReport(id, docID int64, event sql.NullInt64, data string) (vigil.Report, error) {
	var r vigil.Report
	if err := json.Unmarshal([]byte(data), &r); err != nil {
		return r, fmt.Errorf("sqlite: decode report %d: %w", id, err)
	}
	r.ID, r.DocumentID, r.EventID = id, docID, event.Int64
	return r, nil
}
