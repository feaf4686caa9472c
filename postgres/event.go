package postgres

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/actors"
	"github.com/vigil-osint/vigil/internal/eventrow"
	"github.com/vigil-osint/vigil/internal/parallel"
)

// eventReports loads an event's reports with their documents and sources,
// the sources read with them in the same statement.
func (s *Store) eventReports(ctx context.Context, q querier, eventID int64) ([]vigil.SourcedReport, error) {
	reps, err := reportsOfEvents(ctx, q, []int64{eventID}, nil, true)
	return reps[eventID], err
}

// reportsOfEvents loads the reports of events, by event and in report
// order, with their sources (from byID, or read with the reports when it
// is nil) and, with whole, their documents; else only what fusion reads of
// a document (its marking). It is one statement however many events.
// Decoding the JSON is most of the work: it runs on every processor.
func reportsOfEvents(ctx context.Context, q querier, ids []int64, byID map[int64]*vigil.Source, whole bool) (map[int64][]vigil.SourcedReport, error) {
	type row struct {
		id, docID, srcID int64
		ev               sql.NullInt64
		data, doc, src   string
		rank             int
	}
	docCol, srcCol, join := `''`, `''`, ``
	if whole {
		docCol = `d.data::text`
	}
	if byID == nil {
		srcCol, join = `s.data::text`, ` JOIN sources s ON s.id = d.source_id`
	}
	raw, err := func() ([]row, error) {
		rows, err := q.QueryContext(ctx, `SELECT r.id, r.document_id, r.event_id, r.data::text, d.tlp_rank, d.source_id, `+docCol+`, `+srcCol+`
			FROM reports r JOIN documents d ON d.id = r.document_id`+join+`
			WHERE r.event_id = ANY(?::bigint[]) ORDER BY r.event_id, r.id`, ids)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var raw []row
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.id, &r.docID, &r.ev, &r.data, &r.rank, &r.srcID, &r.doc, &r.src); err != nil {
				return nil, err
			}
			raw = append(raw, r)
		}
		return raw, rows.Err()
	}()
	if err != nil {
		return nil, fmt.Errorf("postgres: reports of events: %w", err)
	}
	decoded := make([]vigil.SourcedReport, len(raw))
	err = parallel.Do(len(raw), parallelMin, func(i int) error {
		r, sr := &raw[i], &decoded[i]
		var err error
		if sr.Report, err = eventrow.DecodeReport(r.id, r.docID, r.ev, r.data); err != nil {
			return err
		}
		sr.Document = vigil.Document{SourceID: r.srcID, Marking: vigil.TLPAtRank(r.rank)}
		if whole {
			sr.Document = vigil.Document{}
			if err := json.Unmarshal([]byte(r.doc), &sr.Document); err != nil {
				return fmt.Errorf("postgres: decode document %d: %w", r.docID, err)
			}
		}
		sr.Document.ID = r.docID
		switch src := byID[r.srcID]; {
		case byID == nil:
			if err := json.Unmarshal([]byte(r.src), &sr.Source); err != nil {
				return fmt.Errorf("postgres: decode source %d: %w", r.srcID, err)
			}
		case src == nil:
			return fmt.Errorf("postgres: report %d: source %d is missing", r.id, r.srcID)
		default:
			sr.Source = *src
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	reps := make(map[int64][]vigil.SourcedReport, len(ids))
	for i, r := range raw {
		reps[r.ev.Int64] = append(reps[r.ev.Int64], decoded[i])
	}
	return reps, nil
}

// eventWhere builds the WHERE clause of an event filter.
func eventWhere(f vigil.EventFilter) (string, []any) {
	var conds []string
	var args []any
	if f.Actor != "" {
		n := actors.Normalize(f.Actor)
		names := `SELECT actor_id FROM actor_names WHERE norm = ?`
		args = append(args, n)
		if f.Clearance != "" {
			// Only through the names the reader may see.
			names += ` AND tlp_rank <= ?`
			args = append(args, f.Clearance.Rank())
		}
		conds = append(conds, `e.id IN (SELECT ea.event_id FROM event_actors ea WHERE
			(ea.actor_id <> '' AND ea.actor_id IN (`+names+`)) OR (ea.actor_id = '' AND ea.name_norm = ?))`)
		args = append(args, n)
	}
	if len(f.Countries) > 0 {
		cs := make([]string, len(f.Countries))
		for i, c := range f.Countries {
			cs[i] = strings.ToUpper(strings.TrimSpace(c))
		}
		conds = append(conds, `e.country = ANY(?::text[])`)
		args = append(args, cs)
	}
	if len(f.Admin1) > 0 {
		var or []string
		for _, a := range f.Admin1 {
			or = append(or, `e.admin1 = ? OR e.admin1_name = ?`)
			args = append(args, actors.Normalize(a), eventrow.Admin1Norm(a))
		}
		conds = append(conds, `(`+strings.Join(or, " OR ")+`)`)
	}
	if !f.From.IsZero() {
		conds = append(conds, `e.date_end >= ?`)
		args = append(args, f.From.String())
	}
	if !f.To.IsZero() {
		conds = append(conds, `e.date_start <= ?`)
		args = append(args, f.To.String())
	}
	if len(f.Types) > 0 {
		ts := make([]string, len(f.Types))
		for i, t := range f.Types {
			ts[i] = string(t)
		}
		conds = append(conds, `e.event_type = ANY(?::text[])`)
		args = append(args, ts)
	}
	if f.MinCredibility > 0 {
		// An ungraded event (0) counts as 6, truth cannot be judged.
		conds = append(conds, `(CASE e.credibility WHEN 0 THEN 6 ELSE e.credibility END) <= ?`)
		args = append(args, int(f.MinCredibility))
	}
	if f.Clearance != "" {
		conds = append(conds, `e.tlp_rank <= ?`)
		args = append(args, f.Clearance.Rank())
	}
	// Events being made inside an open ingest have no values yet.
	conds = append(conds, `e.date_start <> ''`)
	return ` WHERE ` + strings.Join(conds, " AND "), args
}

// FindEvents returns the events that match the filter, by start date, and
// how many match in all.
func (s *Store) FindEvents(ctx context.Context, f vigil.EventFilter) (evs []*vigil.Event, total int, err error) {
	// The count and the list come from one snapshot.
	err = s.inReadTx(ctx, func(q querier) error {
		evs, total, err = s.findEvents(ctx, q, f)
		return err
	})
	return evs, total, err
}

func (s *Store) findEvents(ctx context.Context, db querier, f vigil.EventFilter) ([]*vigil.Event, int, error) {
	where, args := eventWhere(f)
	var total int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM events e`+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("postgres: count events: %w", err)
	}
	q := `SELECT ` + eventRowCols + ` FROM events e` + where + ` ORDER BY e.date_start, e.id`
	if f.Limit > 0 {
		q += fmt.Sprintf(` LIMIT %d OFFSET %d`, f.Limit, max(f.Offset, 0))
	} else if f.Offset > 0 {
		q += fmt.Sprintf(` OFFSET %d`, f.Offset)
	}
	raw, err := scanEventRows(db.QueryContext(ctx, q, args...))
	if err != nil {
		return nil, 0, err
	}
	out, err := s.decodeEvents(ctx, db, raw)
	return out, total, err
}

// eventRowCols are the columns of events that decodeEvents needs, in the
// order of eventRow.
const eventRowCols = `e.id, coalesce(e.key, ''), e.data, e.recorded_at, e.updated_at`

// eventRow is an events row as decodeEvents takes it.
type eventRow struct {
	id                       int64
	key, data, recorded, upd string
}

// scanEventRows reads the rows of a query that selects eventRowCols.
func scanEventRows(rows pgx.Rows, err error) ([]eventRow, error) {
	if err != nil {
		return nil, fmt.Errorf("postgres: events: %w", err)
	}
	defer rows.Close()
	var out []eventRow
	for rows.Next() {
		var r eventRow
		if err := rows.Scan(&r.id, &r.key, &r.data, &r.recorded, &r.upd); err != nil {
			return nil, fmt.Errorf("postgres: events: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: events: %w", err)
	}
	return out, nil
}

// decodeEvents turns events rows into events, in their order. An event of
// several reports is decoded from its fused JSON; an event of one report
// keeps none (see eventrow.EventValues) and is fused again here from that report,
// its document's marking and its source, which is what fusion reads.
func (s *Store) decodeEvents(ctx context.Context, q querier, raw []eventRow) ([]*vigil.Event, error) {
	var ids []int64
	for _, r := range raw {
		if r.data == "" {
			ids = append(ids, r.id)
		}
	}
	var reps map[int64][]vigil.SourcedReport
	if len(ids) > 0 {
		byID, err := s.sourcesByID(ctx, q)
		if err != nil {
			return nil, err
		}
		if reps, err = reportsOfEvents(ctx, q, ids, byID, false); err != nil {
			return nil, err
		}
	}
	return s.eventsFrom(ctx, q, raw, reps)
}

// eventsFrom decodes the events of raw, in their order, fusing each event
// of one report (stored without fused data) from its reports in reps.
// Decoding and fusing run on every processor.
func (s *Store) eventsFrom(ctx context.Context, q querier, raw []eventRow, reps map[int64][]vigil.SourcedReport) ([]*vigil.Event, error) {
	var parents map[string]string
	if slices.ContainsFunc(raw, func(r eventRow) bool { return r.data == "" }) {
		var err error
		if parents, err = s.parents(ctx, q); err != nil {
			return nil, err
		}
	}
	out := make([]*vigil.Event, len(raw))
	err := parallel.Do(len(raw), parallelMin, func(i int) error {
		r := &raw[i]
		if r.data != "" {
			e, err := decodeEvent(r.id, r.data)
			out[i] = e
			return err
		}
		e := vigil.Fuse(r.key, reps[r.id], parents)
		e.ID, e.RecordedAt, e.UpdatedAt = r.id, parseTime(r.recorded), parseTime(r.upd)
		out[i] = &e
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// parallelMin is how many items a goroutine takes when a page is decoded
// on every processor: fewer are not worth a goroutine.
const parallelMin = 64

func decodeEvent(id int64, data string) (*vigil.Event, error) {
	var e vigil.Event
	if err := json.Unmarshal([]byte(data), &e); err != nil {
		return nil, fmt.Errorf("postgres: decode event %d: %w", id, err)
	}
	e.ID = id
	return &e, nil
}

// FindEventByID returns the event with its reports, their documents and
// sources, or ENOTFOUND.
func (s *Store) FindEventByID(ctx context.Context, id int64) (*vigil.Event, error) {
	evs, err := s.FindEventDetails(ctx, []int64{id})
	if err != nil {
		return nil, err
	}
	if len(evs) == 0 {
		return nil, vigil.Errorf(vigil.ENOTFOUND, "event %d", id)
	}
	return evs[0], nil
}

var _ vigil.EventDetailer = (*Store)(nil)

// FindEventDetails returns the events with the given ids, in that order,
// each with its reports, their documents and sources as FindEventByID
// gives them; ids of no event are left out. It reads them from one
// snapshot in a few statements however many ids, each report once: an
// event of one report is fused from it.
func (s *Store) FindEventDetails(ctx context.Context, ids []int64) (evs []*vigil.Event, err error) {
	err = s.inReadTx(ctx, func(q querier) error {
		evs, err = s.findEventDetails(ctx, q, ids)
		return err
	})
	return evs, err
}

func (s *Store) findEventDetails(ctx context.Context, q querier, ids []int64) ([]*vigil.Event, error) {
	byID, err := s.sourcesByID(ctx, q)
	if err != nil {
		return nil, err
	}
	raw, err := scanEventRows(q.QueryContext(ctx, `SELECT `+eventRowCols+` FROM events e
		WHERE e.date_start <> '' AND e.id = ANY(?::bigint[])`, ids))
	if err != nil {
		return nil, err
	}
	found := make([]int64, len(raw))
	for i, r := range raw {
		found[i] = r.id
	}
	reps, err := reportsOfEvents(ctx, q, found, byID, true)
	if err != nil {
		return nil, err
	}
	evs, err := s.eventsFrom(ctx, q, raw, reps)
	if err != nil {
		return nil, err
	}
	for _, e := range evs {
		e.Reports = reps[e.ID]
	}
	return eventrow.InOrder(ids, evs), nil
}

// FindDocumentByKey returns the document a source filed under a key, or
// ENOTFOUND.
func (s *Store) FindDocumentByKey(ctx context.Context, source, key string) (*vigil.Document, error) {
	var id int64
	err := s.db.QueryRowContext(ctx, `SELECT d.id FROM documents d JOIN sources s ON s.id = d.source_id
		WHERE s.name = ? AND d.key = ?`, source, key).Scan(&id)
	if err != nil {
		return nil, notFound(err, "document %q of source %q", key, source)
	}
	return s.FindDocumentByID(ctx, id)
}

// FindDocumentByID returns the document, or ENOTFOUND.
func (s *Store) FindDocumentByID(ctx context.Context, id int64) (*vigil.Document, error) {
	var data string
	if err := s.db.QueryRowContext(ctx, `SELECT data::text FROM documents WHERE id = ?`, id).Scan(&data); err != nil {
		return nil, notFound(err, "document %d", id)
	}
	var d vigil.Document
	if err := json.Unmarshal([]byte(data), &d); err != nil {
		return nil, fmt.Errorf("postgres: decode document %d: %w", id, err)
	}
	d.ID = id
	return &d, nil
}

// FindReportHistory returns the superseded versions of a document's
// reports, oldest first.
func (s *Store) FindReportHistory(ctx context.Context, documentID int64) ([]vigil.ReportVersion, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT report_id, content_hash, data::text, superseded_at, coalesce(batch_id, 0)
		FROM report_history WHERE document_id = ? ORDER BY id`, documentID)
	if err != nil {
		return nil, fmt.Errorf("postgres: report history: %w", err)
	}
	defer rows.Close()
	var out []vigil.ReportVersion
	for rows.Next() {
		var (
			id         int64
			v          vigil.ReportVersion
			data, when string
		)
		if err := rows.Scan(&id, &v.ContentHash, &data, &when, &v.BatchID); err != nil {
			return nil, fmt.Errorf("postgres: report history: %w", err)
		}
		if v.Report, err = eventrow.DecodeReport(id, documentID, sql.NullInt64{}, data); err != nil {
			return nil, err
		}
		v.SupersededAt = parseTime(when)
		out = append(out, v)
	}
	return out, rows.Err()
}
