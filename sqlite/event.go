package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/actors"
	"github.com/vigil-osint/vigil/internal/eventrow"
	"github.com/vigil-osint/vigil/internal/parallel"
)

// actorNamesSQL selects the ids of the actors that a normalised name
// names, through only the names a clearance allows (every name when it is
// empty): a reader must not confirm an alias above their clearance by the
// events a filter by it finds.
func actorNamesSQL(norm string, clearance vigil.TLP) (string, []any) {
	if clearance == "" {
		return `SELECT actor_id FROM actor_names WHERE norm = ?`, []any{norm}
	}
	return `SELECT actor_id FROM actor_names WHERE norm = ? AND tlp_rank <= ?`, []any{norm, clearance.Rank()}
}

// eventWhere builds the WHERE clause of an event filter.
func eventWhere(f vigil.EventFilter) (string, []any) {
	var conds []string
	var args []any
	if f.Actor != "" {
		n := actors.Normalize(f.Actor)
		names, nameArgs := actorNamesSQL(n, f.Clearance)
		conds = append(conds, `e.id IN (SELECT ea.event_id FROM event_actors ea WHERE
			(ea.actor_id <> '' AND ea.actor_id IN (`+names+`)) OR (ea.actor_id = '' AND ea.name_norm = ?))`)
		args = append(append(args, nameArgs...), n)
	}
	if len(f.Countries) > 0 {
		conds = append(conds, `e.country IN (`+placeholders(len(f.Countries))+`)`)
		for _, c := range f.Countries {
			args = append(args, strings.ToUpper(strings.TrimSpace(c)))
		}
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
		conds = append(conds, `e.event_type IN (`+placeholders(len(f.Types))+`)`)
		for _, t := range f.Types {
			args = append(args, string(t))
		}
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

func placeholders(n int) string { return strings.TrimSuffix(strings.Repeat("?,", n), ",") }

// FindEvents returns the events that match the filter, by start date, and
// how many match in all.
func (s *Store) FindEvents(ctx context.Context, f vigil.EventFilter) ([]*vigil.Event, int, error) {
	where, args := eventWhere(f)
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM events e`+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("sqlite: count events: %w", err)
	}
	q := `SELECT ` + eventRowCols + ` FROM events e` + where + ` ORDER BY e.date_start, e.id`
	if f.Limit > 0 {
		q += fmt.Sprintf(` LIMIT %d OFFSET %d`, f.Limit, max(f.Offset, 0))
	} else if f.Offset > 0 {
		q += fmt.Sprintf(` LIMIT -1 OFFSET %d`, f.Offset)
	}
	raw, err := scanEventRows(s.db.QueryContext(ctx, q, args...))
	if err != nil {
		return nil, 0, err
	}
	out, err := s.decodeEvents(ctx, s.db, raw)
	return out, total, err
}

// eventRowCols are the columns of events that decodeEvents needs, in the
// order of eventRow.
const eventRowCols = `e.id, coalesce(e.key, ''), e.data, e.recorded_at, e.updated_at`

// eventRow is an events row as decodeEvents takes it.
type eventRow struct {
	id                       int64
	key, data, recorded, upd string
	// loaded says that reps holds the event's reports (eventRowsByID):
	// all of them, for an event stored without fused data.
	loaded bool
	reps   []reportRow
}

// scanEventRows reads the rows of a query that selects eventRowCols.
func scanEventRows(rows *sql.Rows, err error) ([]eventRow, error) {
	if err != nil {
		return nil, fmt.Errorf("sqlite: events: %w", err)
	}
	defer rows.Close()
	var out []eventRow
	for rows.Next() {
		var r eventRow
		if err := rows.Scan(&r.id, &r.key, &r.data, &r.recorded, &r.upd); err != nil {
			return nil, fmt.Errorf("sqlite: events: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: events: %w", err)
	}
	return out, nil
}

// decodeEvents turns events rows into events, in their order. An event of
// several reports is decoded from its fused JSON; an event of one report
// keeps none (see eventrow.EventValues) and is fused again here from that report,
// its document's marking and its source, which is what fusion reads: from
// the reports its row brought (eventRow.loaded), else from those read here.
func (s *Store) decodeEvents(ctx context.Context, q querier, raw []eventRow) ([]*vigil.Event, error) {
	var ids []int64
	fuse := false
	for _, r := range raw {
		if r.data == "" {
			fuse = true
			if !r.loaded {
				ids = append(ids, r.id)
			}
		}
	}
	if !fuse {
		return s.eventsFrom(ctx, q, raw, nil, nil)
	}
	byID, err := s.sourcesByID(ctx, q)
	if err != nil {
		return nil, err
	}
	var reps map[int64][]vigil.SourcedReport
	if len(ids) > 0 {
		if reps, err = reportsOfEvents(ctx, q, ids, byID, false); err != nil {
			return nil, err
		}
	}
	return s.eventsFrom(ctx, q, raw, reps, byID)
}

// eventsFrom decodes the events of raw, fusing each event of one report
// (stored without fused data) from its reports: those its row brought
// (eventRow.loaded, with their sources from byID), else those in reps.
func (s *Store) eventsFrom(ctx context.Context, q querier, raw []eventRow, reps map[int64][]vigil.SourcedReport, byID map[int64]*vigil.Source) ([]*vigil.Event, error) {
	var parents map[string]string
	for _, r := range raw {
		if r.data == "" {
			var err error
			if parents, err = s.parents(ctx, q); err != nil {
				return nil, err
			}
			break
		}
	}
	// Decoding and fusing run on every processor.
	out := make([]*vigil.Event, len(raw))
	err := <-parallel.Go(len(raw), 1, func(i int) error {
		r := &raw[i]
		if r.data != "" {
			e, err := decodeEvent(r.id, r.data)
			out[i] = e
			return err
		}
		srs := reps[r.id]
		if r.loaded {
			// Fuse keeps nothing of the reports it reads, so that
			// their room serves the next event.
			buf := fusedScratch.Get().(*[]vigil.SourcedReport)
			defer func() {
				clear(*buf)
				fusedScratch.Put(buf)
			}()
			var err error
			if *buf, err = r.sourcedReports(byID, (*buf)[:0]); err != nil {
				return err
			}
			srs = *buf
		}
		e := vigil.Fuse(r.key, srs, parents)
		e.ID, e.RecordedAt, e.UpdatedAt = r.id, parseTime(r.recorded), parseTime(r.upd)
		out[i] = &e
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// reportRow is a report as an events row brings it (eventRowsByID): what
// fusion reads of it and of its document.
type reportRow struct {
	id, docID, srcID int64
	data             string
	rank             int
	doc              string // the document's stored form, when read whole
}

// fusedScratch holds the slices that eventsFrom decodes an event's
// reports into before fusing them.
var fusedScratch = sync.Pool{New: func() any { return new([]vigil.SourcedReport) }}

// reportSource returns the source src of report id from byID, or an
// error naming both when byID lacks it.
func reportSource(byID map[int64]*vigil.Source, id, src int64) (*vigil.Source, error) {
	if s := byID[src]; s != nil {
		return s, nil
	}
	return nil, fmt.Errorf("sqlite: report %d: source %d is missing", id, src)
}

// sourcedReports decodes the reports that r brought, in report order,
// with their documents' markings and their sources from byID, for fusion
// (without what it does not read), into buf, which it returns.
func (r *eventRow) sourcedReports(byID map[int64]*vigil.Source, buf []vigil.SourcedReport) ([]vigil.SourcedReport, error) {
	out := slices.Grow(buf[:0], len(r.reps))[:len(r.reps)]
	for i, rr := range r.reps {
		src, err := reportSource(byID, rr.id, rr.srcID)
		if err != nil {
			return out, err
		}
		sr := &out[i]
		if err := decodeFusedReportTo(&sr.Report, rr.id, rr.docID, r.id, rr.data); err != nil {
			return out, err
		}
		sr.Document = vigil.Document{ID: rr.docID, SourceID: rr.srcID, Marking: vigil.TLPAtRank(rr.rank)}
		sr.Source = *src
	}
	return out, nil
}

// wholeReports decodes the reports that r brought whole (eventRowsByID),
// in report order, with their documents and their sources from byID; nil
// for none.
func (r *eventRow) wholeReports(byID map[int64]*vigil.Source) ([]vigil.SourcedReport, error) {
	if len(r.reps) == 0 {
		return nil, nil
	}
	out := make([]vigil.SourcedReport, len(r.reps))
	for i, rr := range r.reps {
		src, err := reportSource(byID, rr.id, rr.srcID)
		if err != nil {
			return nil, err
		}
		sr := &out[i]
		if err := decodeReportTo(&sr.Report, rr.id, rr.docID, r.id, rr.data); err != nil {
			return nil, err
		}
		sr.Document = vigil.Document{SourceID: rr.srcID, Marking: vigil.TLPAtRank(rr.rank)}
		if err := decodeDocument(rr.docID, rr.doc, &sr.Document); err != nil {
			return nil, err
		}
		sr.Document.ID, sr.Source = rr.docID, *src
	}
	return out, nil
}

// eventRowsByID reads the events rows of ids, in no particular order,
// each of an event stored without fused data with its reports (and what
// fusion reads of their documents) in the same query, so that a page of
// events costs one statement rather than one for its rows and another
// for their reports, each of several hundred placeholders. Unknown ids are
// left out. With whole, every event comes with all its reports and their
// documents' stored forms, and only events with values (date_start).
func eventRowsByID(ctx context.Context, q querier, ids []int64, whole bool) ([]eventRow, error) {
	join, doc, where := `e.data = '' AND r.event_id = e.id`, `''`, ``
	if whole {
		join, doc, where = `r.event_id = e.id`, `coalesce(CAST(d.data AS TEXT), '')`, ` WHERE e.date_start <> ''`
	}
	var raw []eventRow
	// In id order, each table is read in the order of its file, which
	// touches fewer of its pages between one row and the next; callers
	// put the events in the order they want.
	ids = slices.Clone(ids)
	slices.Sort(ids)
	for len(ids) > 0 {
		part := ids[:min(len(ids), eventRowsBatch)]
		ids = ids[len(part):]
		// The ids go as one JSON array: one short statement to prepare,
		// whatever the page's size. A report's stored form is read as
		// text, which the driver copies once (a blob it copies twice);
		// the bytes are the same.
		list := make([]byte, 0, 8*len(part)+2)
		list = append(list, '[')
		for i, id := range part {
			if i > 0 {
				list = append(list, ',')
			}
			list = strconv.AppendInt(list, id, 10)
		}
		list = append(list, ']')
		rows, err := q.QueryContext(ctx, `SELECT `+eventRowCols+`, coalesce(r.id, 0), coalesce(r.document_id, 0),
				coalesce(CAST(r.data AS TEXT), ''), coalesce(d.tlp_rank, 0), coalesce(d.source_id, 0), `+doc+`
			FROM (SELECT DISTINCT value AS id FROM json_each(?)) j JOIN events e ON e.id = j.id
			LEFT JOIN reports r ON `+join+`
			LEFT JOIN documents d ON d.id = r.document_id`+where, string(list))
		if err != nil {
			return nil, fmt.Errorf("sqlite: events: %w", err)
		}
		if raw, err = scanEventReportRows(rows, slices.Grow(raw, len(part))); err != nil {
			return nil, err
		}
	}
	return raw, nil
}

// eventRowsBatch is how many ids one eventRowsByID statement reads.
const eventRowsBatch = 4096

// scanEventReportRows appends the events of rows (eventRowsByID's
// columns) to raw, each once with its reports in report order.
func scanEventReportRows(rows *sql.Rows, raw []eventRow) ([]eventRow, error) {
	defer rows.Close()
	at := make(map[int64]int, cap(raw)-len(raw))
	for rows.Next() {
		var r eventRow
		var rr reportRow
		if err := rows.Scan(&r.id, &r.key, &r.data, &r.recorded, &r.upd, &rr.id, &rr.docID, &rr.data, &rr.rank, &rr.srcID, &rr.doc); err != nil {
			return nil, fmt.Errorf("sqlite: events: %w", err)
		}
		i, ok := at[r.id]
		if !ok {
			i = len(raw)
			at[r.id] = i
			r.loaded = true
			raw = append(raw, r)
		}
		if rr.id != 0 {
			raw[i].reps = append(raw[i].reps, rr)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: events: %w", err)
	}
	for i := range raw {
		if reps := raw[i].reps; len(reps) > 1 {
			slices.SortFunc(reps, func(a, b reportRow) int { return cmp.Compare(a.id, b.id) })
		}
	}
	return raw, nil
}

// reportsOfEvents loads the reports of events, by event and in report
// order, with their sources (from byID) and, with whole, their documents;
// else only what fusion reads of a document (its marking). Decoding the
// JSON is most of the work: it runs on every processor.
func reportsOfEvents(ctx context.Context, q querier, ids []int64, byID map[int64]*vigil.Source, whole bool) (map[int64][]vigil.SourcedReport, error) {
	type row struct {
		id, docID, srcID int64
		ev               sql.NullInt64
		data, doc        string
		rank             int
	}
	docCol := "''"
	if whole {
		docCol = "d.data"
	}
	reps := make(map[int64][]vigil.SourcedReport, len(ids))
	err := inBatches(ids, func(part []any) error {
		rows, err := q.QueryContext(ctx, `SELECT r.id, r.document_id, r.event_id, r.data, d.tlp_rank, d.source_id, `+docCol+`
			FROM reports r JOIN documents d ON d.id = r.document_id
			WHERE r.event_id IN (`+placeholders(len(part))+`) ORDER BY r.event_id, r.id`, part...)
		if err != nil {
			return fmt.Errorf("sqlite: reports of events: %w", err)
		}
		defer rows.Close()
		var raw []row
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.id, &r.docID, &r.ev, &r.data, &r.rank, &r.srcID, &r.doc); err != nil {
				return fmt.Errorf("sqlite: reports of events: %w", err)
			}
			if _, err := reportSource(byID, r.id, r.srcID); err != nil {
				return err
			}
			raw = append(raw, r)
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("sqlite: reports of events: %w", err)
		}
		decoded := make([]vigil.SourcedReport, len(raw))
		if err := <-parallel.Go(len(raw), 1, func(i int) error {
			r, sr := raw[i], &decoded[i]
			if err := decodeReportTo(&sr.Report, r.id, r.docID, r.ev.Int64, r.data); err != nil {
				return err
			}
			sr.Document = vigil.Document{SourceID: r.srcID, Marking: vigil.TLPAtRank(r.rank)}
			if whole {
				if err := decodeDocument(r.docID, r.doc, &sr.Document); err != nil {
					return err
				}
			}
			sr.Document.ID, sr.Source = r.docID, *byID[r.srcID]
			return nil
		}); err != nil {
			return err
		}
		for i, r := range raw {
			reps[r.ev.Int64] = append(reps[r.ev.Int64], decoded[i])
		}
		return nil
	})
	return reps, err
}

func decodeEvent(id int64, data string) (*vigil.Event, error) {
	var e vigil.Event
	if err := json.Unmarshal([]byte(data), &e); err != nil {
		return nil, fmt.Errorf("sqlite: decode event %d: %w", id, err)
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

// FindEventDetails returns the events with the given ids, in that order,
// each with its reports, their documents and sources as FindEventByID
// gives them; ids of no event are left out. It reads them in batches,
// each report once: an event of one report is fused from it.
func (s *Store) FindEventDetails(ctx context.Context, ids []int64) ([]*vigil.Event, error) {
	byID, err := s.sourcesByID(ctx, s.db)
	if err != nil {
		return nil, err
	}
	raw, err := eventRowsByID(ctx, s.db, ids, true)
	if err != nil {
		return nil, err
	}
	// Decoding the reports and their documents runs on every processor.
	found := make([][]vigil.SourcedReport, len(raw))
	if err := parallel.Do(len(raw), 1, func(i int) error {
		var err error
		found[i], err = raw[i].wholeReports(byID)
		return err
	}); err != nil {
		return nil, err
	}
	reps := make(map[int64][]vigil.SourcedReport, len(raw))
	for i := range raw {
		reps[raw[i].id] = found[i]
		raw[i].loaded = false // fused from reps, which the events keep
	}
	evs, err := s.eventsFrom(ctx, s.db, raw, reps, nil)
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
	if err := s.db.QueryRowContext(ctx, `SELECT data FROM documents WHERE id = ?`, id).Scan(&data); err != nil {
		return nil, notFound(err, "document %d", id)
	}
	var d vigil.Document
	if err := decodeDocument(id, data, &d); err != nil {
		return nil, err
	}
	d.ID = id
	return &d, nil
}

// FindReportHistory returns the superseded versions of a document's
// reports, oldest first.
func (s *Store) FindReportHistory(ctx context.Context, documentID int64) ([]vigil.ReportVersion, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT report_id, content_hash, data, superseded_at, coalesce(batch_id, 0)
		FROM report_history WHERE document_id = ? ORDER BY id`, documentID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: report history: %w", err)
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
			return nil, fmt.Errorf("sqlite: report history: %w", err)
		}
		if v.Report, err = decodeReport(id, documentID, sql.NullInt64{}, data); err != nil {
			return nil, err
		}
		v.SupersededAt = parseTime(when)
		out = append(out, v)
	}
	return out, rows.Err()
}
