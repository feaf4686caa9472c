package postgres

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/internal/eventrow"
)

var _ vigil.LinkService = (*Store)(nil)

// longSpanDays is the span beyond which link_index marks a report long:
// block lookups find the others by date_start within this many days.
const longSpanDays = 31

// LinkMark returns the highest report id linkage has seen.
func (s *Store) LinkMark(ctx context.Context) (int64, error) {
	return linkMark(ctx, s.db)
}

func linkMark(ctx context.Context, q querier) (int64, error) {
	var m int64
	if err := q.QueryRowContext(ctx, `SELECT coalesce((SELECT mark FROM link_state WHERE id = 1), 0)`).Scan(&m); err != nil {
		return 0, fmt.Errorf("postgres: link mark: %w", err)
	}
	return m, nil
}

// ScanLinkRecords streams the reports a linkage run reads; see
// vigil.LinkService.
func (s *Store) ScanLinkRecords(ctx context.Context, f vigil.LinkFilter, fn func(*vigil.LinkRecord) error) error {
	byID, err := s.sourcesByID(ctx, s.db)
	if err != nil {
		return err
	}
	const cols = `SELECT r.id, r.document_id, r.event_id, r.data::text, d.source_id, d.tlp_rank,
		EXISTS (SELECT 1 FROM link_confirmed c WHERE c.event_id = r.event_id)
		FROM reports r JOIN documents d ON d.id = r.document_id`
	seen := map[int64]bool{}
	scan := func(q string, args ...any) error {
		rows, err := s.db.QueryContext(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("postgres: link records: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var (
				id, doc, src int64
				rank         int
				ev           sql.NullInt64
				data         string
				lr           vigil.LinkRecord
			)
			if err := rows.Scan(&id, &doc, &ev, &data, &src, &rank, &lr.Locked); err != nil {
				return fmt.Errorf("postgres: link records: %w", err)
			}
			if lr.Report, err = eventrow.DecodeReport(id, doc, ev, data); err != nil {
				return err
			}
			if !f.Pending {
				// Blocks may overlap: hand each report out once.
				if seen[id] {
					continue
				}
				seen[id] = true
			}
			lr.Source, lr.Marking = byID[src], vigil.TLPAtRank(rank)
			if err := fn(&lr); err != nil {
				return err
			}
		}
		return rows.Err()
	}
	if f.Pending {
		mark, err := linkMark(ctx, s.db)
		if err != nil {
			return err
		}
		return scan(cols+` WHERE r.id > ? ORDER BY r.id`, mark)
	}
	for _, b := range f.Blocks {
		err := scan(cols+` JOIN link_index li ON li.report_id = r.id
			WHERE li.country = ? AND li.date_end >= ? AND (li.date_start BETWEEN ? AND ? OR li.long AND li.date_start <= ?)
			ORDER BY r.id`,
			b.Country, b.From.String(), b.From.AddDays(-longSpanDays).String(), b.To.String(), b.To.String())
		if err != nil {
			return err
		}
	}
	return nil
}

// FindCannotLinks returns the pairs of reports people kept apart.
func (s *Store) FindCannotLinks(ctx context.Context) ([][2]int64, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT report_a, report_b FROM link_cannot ORDER BY report_a, report_b`)
	if err != nil {
		return nil, fmt.Errorf("postgres: cannot-links: %w", err)
	}
	defer rows.Close()
	var out [][2]int64
	for rows.Next() {
		var p [2]int64
		if err := rows.Scan(&p[0], &p[1]); err != nil {
			return nil, fmt.Errorf("postgres: cannot-links: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// linker holds one linkage transaction's state.
type linker struct {
	w       *writer
	op      *vigil.LinkOp
	touched map[int64]bool
	retired map[int64]bool
}

func (s *Store) newLinker(ctx context.Context, tx *txn, op *vigil.LinkOp) (*linker, error) {
	w, err := s.newWriter(ctx, tx, 0)
	if err != nil {
		return nil, err
	}
	l := &linker{w: w, op: op, touched: map[int64]bool{}, retired: map[int64]bool{}}
	op.At = parseTime(w.now)
	newID, err := insertID(ctx, tx, `INSERT INTO link_ops (kind, data, at) VALUES (?, '{}', ?)`, string(op.Kind), w.now)
	if err != nil {
		return nil, fmt.Errorf("postgres: record %s: %w", op.Kind, err)
	}
	op.ID = newID
	return l, nil
}

// finish fuses the touched events again, retires the emptied ones and
// saves the operation.
func (l *linker) finish() error {
	ids := make([]int64, 0, len(l.touched))
	for id := range l.touched {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		if l.retired[id] {
			continue
		}
		if err := l.w.refuse(id); err != nil {
			return err
		}
	}
	for id := range l.retired {
		// An event merged away stays as a tombstone, hidden from reads,
		// so that its id is never reused and an undo can bring it back.
		if _, err := l.w.tx.ExecContext(l.w.ctx, `UPDATE events SET date_start = '', date_end = '', updated_at = ? WHERE id = ?`, l.w.now, id); err != nil {
			return fmt.Errorf("postgres: retire event %d: %w", id, err)
		}
		if err := l.w.exec("deleteEventActors", id); err != nil {
			return err
		}
	}
	_, err := l.w.tx.ExecContext(l.w.ctx, `UPDATE link_ops SET data = ? WHERE id = ?`, mustJSON(l.op), l.op.ID)
	if err != nil {
		return fmt.Errorf("postgres: record %s: %w", l.op.Kind, err)
	}
	return nil
}

// newEvent makes an empty event for reports to move into.
func (l *linker) newEvent() (int64, error) {
	id, err := l.w.take("events")
	if err != nil {
		return 0, err
	}
	_, err = l.w.tx.ExecContext(l.w.ctx, `INSERT INTO events (id, key, data, recorded_at, updated_at) VALUES (?, NULL, '{}', ?, ?)`, id, l.w.now, l.w.now)
	if err != nil {
		return 0, fmt.Errorf("postgres: new event: %w", err)
	}
	l.op.Made = append(l.op.Made, id)
	l.touched[id] = true
	return id, nil
}

// moveReport moves one report to event to, recording where it was.
func (l *linker) moveReport(id, to int64) error {
	var from sql.NullInt64
	if err := l.w.tx.QueryRowContext(l.w.ctx, `SELECT event_id FROM reports WHERE id = ?`, id).Scan(&from); err != nil {
		return notFound(err, "report %d", id)
	}
	if from.Valid && from.Int64 == to {
		return nil
	}
	if err := l.w.exec("linkMove", l.op.ID, id, from, to); err != nil {
		return err
	}
	if err := l.w.exec("linkSetEvent", to, id); err != nil {
		return err
	}
	l.op.Moves++
	l.touched[to] = true
	if from.Valid {
		l.touched[from.Int64] = true
	}
	return nil
}

// mergeEvent moves every report of event from into event to and retires
// from.
func (l *linker) mergeEvent(from, to int64) error {
	if from == to {
		return nil
	}
	ids, err := l.eventReportIDs(from)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := l.moveReport(id, to); err != nil {
			return err
		}
	}
	l.retired[from] = true
	return nil
}

func (l *linker) eventReportIDs(ev int64) ([]int64, error) {
	rows, err := l.w.tx.QueryContext(l.w.ctx, `SELECT id FROM reports WHERE event_id = ? ORDER BY id`, ev)
	if err != nil {
		return nil, fmt.Errorf("postgres: reports of event %d: %w", ev, err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("postgres: reports of event %d: %w", ev, err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// liveEvent checks that an event exists and is not retired.
func (l *linker) liveEvent(id int64) error {
	var n int
	err := l.w.tx.QueryRowContext(l.w.ctx, `SELECT count(*) FROM events WHERE id = ? AND date_start <> ''`, id).Scan(&n)
	if err != nil {
		return fmt.Errorf("postgres: event %d: %w", id, err)
	}
	if n == 0 {
		return vigil.Errorf(vigil.ENOTFOUND, "event %d", id)
	}
	return nil
}

func init() {
	writerSQL["linkMove"] = `INSERT INTO link_moves (op_id, report_id, from_event, to_event) VALUES (?, ?, ?, ?)`
	writerSQL["linkSetEvent"] = `UPDATE reports SET event_id = ? WHERE id = ?`
}

// ApplyLinks writes a linkage run; see vigil.LinkService.
func (s *Store) ApplyLinks(ctx context.Context, run *vigil.LinkRun) error {
	op := &vigil.LinkOp{Kind: vigil.LinkOpLink, Reason: run.Reason, By: run.By}
	return s.inWriteTx(ctx, func(tx *txn) error {
		mark, err := linkMark(ctx, tx)
		if err != nil {
			return err
		}
		if mark != run.Since {
			return vigil.Errorf(vigil.ECONFLICT, "linkage: another run moved the mark from %d to %d", run.Since, mark)
		}
		l, err := s.newLinker(ctx, tx, op)
		if err != nil {
			return err
		}
		defer l.w.close()
		for _, c := range run.Clusters {
			target := c.Event
			if target == 0 {
				if target, err = l.newEvent(); err != nil {
					return err
				}
			}
			for _, e := range c.Events {
				if err := l.mergeEvent(e, target); err != nil {
					return err
				}
			}
			for _, r := range c.Reports {
				if err := l.moveReport(r, target); err != nil {
					return err
				}
			}
		}
		for _, it := range run.Review {
			a, b := min(it.ReportA, it.ReportB), max(it.ReportA, it.ReportB)
			if _, err := tx.ExecContext(ctx, `INSERT INTO link_review (report_a, report_b, score, explanation, status, created_at)
				VALUES (?, ?, ?, ?, 'open', ?) ON CONFLICT DO NOTHING`, a, b, it.Score, mustJSON(it.Explanation), l.w.now); err != nil {
				return fmt.Errorf("postgres: review item: %w", err)
			}
		}
		if run.Mark > mark {
			if _, err := tx.ExecContext(ctx, `INSERT INTO link_index (report_id, country, date_start, date_end, long)
				SELECT id, upper(coalesce(data->>'country', '')), coalesce(data->>'date_start', ''),
					coalesce(nullif(data->>'date_end', ''), data->>'date_start', ''),
					coalesce(nullif(data->>'date_end', '')::date - nullif(data->>'date_start', '')::date > ?, false)
				FROM reports WHERE id > ? AND id <= ?
				ON CONFLICT (report_id) DO UPDATE SET country = excluded.country, date_start = excluded.date_start,
					date_end = excluded.date_end, long = excluded.long`, longSpanDays, mark, run.Mark); err != nil {
				return fmt.Errorf("postgres: link index: %w", err)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO link_state (id, mark) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET mark = excluded.mark`, run.Mark); err != nil {
				return fmt.Errorf("postgres: link mark: %w", err)
			}
		}
		if err := l.finish(); err != nil {
			return err
		}
		run.OpID = op.ID
		return nil
	})
}

// FindReviewItems returns the review queue.
func (s *Store) FindReviewItems(ctx context.Context, open bool) ([]*vigil.ReviewItem, error) {
	q := `SELECT v.id, v.report_a, v.report_b, coalesce(ra.event_id, 0), coalesce(rb.event_id, 0), v.score, v.explanation,
		v.status, coalesce(v.decided_by, 0), v.created_at
		FROM link_review v LEFT JOIN reports ra ON ra.id = v.report_a LEFT JOIN reports rb ON rb.id = v.report_b`
	if open {
		// An open item whose reports have come together since is moot.
		q += ` WHERE v.status = 'open' AND ra.id IS NOT NULL AND rb.id IS NOT NULL AND ra.event_id IS DISTINCT FROM rb.event_id`
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY v.id`)
	if err != nil {
		return nil, fmt.Errorf("postgres: review items: %w", err)
	}
	defer rows.Close()
	var out []*vigil.ReviewItem
	for rows.Next() {
		var (
			it         vigil.ReviewItem
			expl, when string
			status     string
		)
		if err := rows.Scan(&it.ID, &it.ReportA, &it.ReportB, &it.EventA, &it.EventB, &it.Score, &expl, &status, &it.DecidedBy, &when); err != nil {
			return nil, fmt.Errorf("postgres: review items: %w", err)
		}
		if err := json.Unmarshal([]byte(expl), &it.Explanation); err != nil {
			return nil, fmt.Errorf("postgres: review item %d: %w", it.ID, err)
		}
		it.Status, it.CreatedAt = vigil.ReviewStatus(status), parseTime(when)
		out = append(out, &it)
	}
	return out, rows.Err()
}

// Decide applies a person's decision; see vigil.LinkService.
func (s *Store) Decide(ctx context.Context, op *vigil.LinkOp) error {
	if err := op.Validate(); err != nil {
		return err
	}
	return s.inWriteTx(ctx, func(tx *txn) error {
		if op.Review != 0 {
			var st string
			err := tx.QueryRowContext(ctx, `SELECT status FROM link_review WHERE id = ?`, op.Review).Scan(&st)
			if err != nil {
				return notFound(err, "review item %d", op.Review)
			}
		}
		l, err := s.newLinker(ctx, tx, op)
		if err != nil {
			return err
		}
		defer l.w.close()
		for _, e := range op.Events {
			if err := l.liveEvent(e); err != nil {
				return err
			}
		}
		switch op.Kind {
		case vigil.LinkOpMerge:
			for _, e := range op.Events[1:] {
				if err := l.mergeEvent(e, op.Events[0]); err != nil {
					return err
				}
			}
			if err := l.settleReviews(op.Events, vigil.ReviewMerged); err != nil {
				return err
			}
		case vigil.LinkOpSplit:
			ids, err := l.eventReportIDs(op.Events[0])
			if err != nil {
				return err
			}
			var stay []int64
			for _, id := range ids {
				if !slices.Contains(op.Reports, id) {
					stay = append(stay, id)
				}
			}
			for _, r := range op.Reports {
				if !slices.Contains(ids, r) {
					return vigil.Errorf(vigil.EINVALID, "split: report %d is not in event %d", r, op.Events[0])
				}
			}
			if len(stay) == 0 {
				return vigil.Errorf(vigil.EINVALID, "split: every report of event %d would leave it", op.Events[0])
			}
			to, err := l.newEvent()
			if err != nil {
				return err
			}
			for _, r := range op.Reports {
				if err := l.moveReport(r, to); err != nil {
					return err
				}
			}
			if err := l.keepApart(op.Reports, stay); err != nil {
				return err
			}
		case vigil.LinkOpConfirm:
			if _, err := tx.ExecContext(ctx, `INSERT INTO link_confirmed (event_id, op_id) VALUES (?, ?)`, op.Events[0], op.ID); err != nil {
				return fmt.Errorf("postgres: confirm: %w", err)
			}
		case vigil.LinkOpReject:
			a, err := l.eventReportIDs(op.Events[0])
			if err != nil {
				return err
			}
			b, err := l.eventReportIDs(op.Events[1])
			if err != nil {
				return err
			}
			if err := l.keepApart(a, b); err != nil {
				return err
			}
			if err := l.settleReviews(op.Events, vigil.ReviewRejected); err != nil {
				return err
			}
		}
		return l.finish()
	})
}

// keepApart records that no report of as may join one of bs.
func (l *linker) keepApart(as, bs []int64) error {
	for _, a := range as {
		for _, b := range bs {
			if _, err := l.w.tx.ExecContext(l.w.ctx, `INSERT INTO link_cannot (report_a, report_b, op_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
				min(a, b), max(a, b), l.op.ID); err != nil {
				return fmt.Errorf("postgres: keep apart: %w", err)
			}
		}
	}
	return nil
}

// settleReviews marks the open review items between the reports of the
// events (taken before any move) as decided by the operation, and the
// operation's own item whatever its reports.
func (l *linker) settleReviews(events []int64, status vigil.ReviewStatus) error {
	if l.op.Review != 0 {
		if _, err := l.w.tx.ExecContext(l.w.ctx, `UPDATE link_review SET status = ?, decided_by = ? WHERE id = ?`, string(status), l.op.ID, l.op.Review); err != nil {
			return fmt.Errorf("postgres: settle review: %w", err)
		}
	}
	// Reports moved by this operation are in link_moves with their old
	// events; the others are where they were.
	_, err := l.w.tx.ExecContext(l.w.ctx, `WITH ev(report_id, event_id) AS (
			SELECT r.id, coalesce((SELECT m.from_event FROM link_moves m WHERE m.op_id = ? AND m.report_id = r.id), r.event_id)
			FROM reports r WHERE r.event_id = ANY(?::bigint[])
			   OR r.id IN (SELECT report_id FROM link_moves WHERE op_id = ?))
		UPDATE link_review SET status = ?, decided_by = ?
		WHERE status = 'open' AND report_a IN (SELECT report_id FROM ev) AND report_b IN (SELECT report_id FROM ev)
		  AND (SELECT event_id FROM ev WHERE report_id = report_a) IS DISTINCT FROM (SELECT event_id FROM ev WHERE report_id = report_b)`,
		l.op.ID, events, l.op.ID, string(status), l.op.ID)
	if err != nil {
		return fmt.Errorf("postgres: settle reviews: %w", err)
	}
	return nil
}

// UndoLinkOp reverses an operation; see vigil.LinkService.
func (s *Store) UndoLinkOp(ctx context.Context, id int64, reason, by string) (*vigil.LinkOp, error) {
	if reason == "" {
		return nil, vigil.Errorf(vigil.EINVALID, "undo: a reason is required")
	}
	undo := &vigil.LinkOp{Kind: vigil.LinkOpUndo, Undoes: id, Reason: reason, By: by}
	err := s.inWriteTx(ctx, func(tx *txn) error {
		var kind, data string
		var undone sql.NullInt64
		err := tx.QueryRowContext(ctx, `SELECT kind, data::text, undone_by FROM link_ops WHERE id = ? FOR UPDATE`, id).Scan(&kind, &data, &undone)
		if err != nil {
			return notFound(err, "operation %d", id)
		}
		if undone.Valid {
			return vigil.Errorf(vigil.ECONFLICT, "operation %d is already undone by %d", id, undone.Int64)
		}
		if kind == string(vigil.LinkOpUndo) {
			return vigil.Errorf(vigil.EINVALID, "operation %d is an undo: undo the operation again instead", id)
		}
		var orig vigil.LinkOp
		if err := json.Unmarshal([]byte(data), &orig); err != nil {
			return fmt.Errorf("postgres: operation %d: %w", id, err)
		}
		l, err := s.newLinker(ctx, tx, undo)
		if err != nil {
			return err
		}
		defer l.w.close()
		type move struct {
			report   int64
			from     sql.NullInt64
			to       int64
			now      sql.NullInt64
			laterOps int
		}
		rows, err := tx.QueryContext(ctx, `SELECT m.report_id, m.from_event, m.to_event, r.event_id,
			(SELECT count(*) FROM link_moves m2 JOIN link_ops o ON o.id = m2.op_id
			 WHERE m2.report_id = m.report_id AND m2.op_id > m.op_id AND o.undone_by IS NULL AND o.kind <> 'undo')
			FROM link_moves m LEFT JOIN reports r ON r.id = m.report_id WHERE m.op_id = ? ORDER BY m._ord DESC`, id)
		if err != nil {
			return fmt.Errorf("postgres: moves of %d: %w", id, err)
		}
		var moves []move
		for rows.Next() {
			var m move
			if err := rows.Scan(&m.report, &m.from, &m.to, &m.now, &m.laterOps); err != nil {
				rows.Close()
				return fmt.Errorf("postgres: moves of %d: %w", id, err)
			}
			moves = append(moves, m)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("postgres: moves of %d: %w", id, err)
		}
		for _, m := range moves {
			if m.laterOps > 0 || !m.now.Valid || m.now.Int64 != m.to {
				return vigil.Errorf(vigil.ECONFLICT, "operation %d: report %d has been moved since; undo the later operation first", id, m.report)
			}
		}
		for _, m := range moves {
			if m.from.Valid {
				if err := l.revive(m.from.Int64); err != nil {
					return err
				}
			}
			if err := l.w.exec("linkMove", undo.ID, m.report, m.to, m.from); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE reports SET event_id = ? WHERE id = ?`, m.from, m.report); err != nil {
				return fmt.Errorf("postgres: undo move: %w", err)
			}
			undo.Moves++
			l.touched[m.to] = true
			if m.from.Valid {
				l.touched[m.from.Int64] = true
			}
		}
		for _, q := range []string{`DELETE FROM link_cannot WHERE op_id = ?`, `DELETE FROM link_confirmed WHERE op_id = ?`,
			`UPDATE link_review SET status = 'open', decided_by = NULL WHERE decided_by = ?`} {
			if _, err := tx.ExecContext(ctx, q, id); err != nil {
				return fmt.Errorf("postgres: undo %d: %w", id, err)
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE link_ops SET undone_by = ? WHERE id = ?`, undo.ID, id); err != nil {
			return fmt.Errorf("postgres: undo %d: %w", id, err)
		}
		undo.Events = orig.Events
		return l.finish()
	})
	if err != nil {
		return nil, err
	}
	return undo, nil
}

// revive makes sure an event that reports go back to exists: a retired
// event is refused (by finish); one that ingest deleted is made again
// under its id when that id is free.
func (l *linker) revive(id int64) error {
	var n int
	if err := l.w.tx.QueryRowContext(l.w.ctx, `SELECT count(*) FROM events WHERE id = ?`, id).Scan(&n); err != nil {
		return fmt.Errorf("postgres: event %d: %w", id, err)
	}
	if n > 0 {
		return nil
	}
	_, err := l.w.tx.ExecContext(l.w.ctx, `INSERT INTO events (id, key, data, recorded_at, updated_at) VALUES (?, NULL, '{}', ?, ?)`, id, l.w.now, l.w.now)
	if err != nil {
		return fmt.Errorf("postgres: revive event %d: %w", id, err)
	}
	return nil
}

// FindLinkOps returns the history of linkage operations, newest first.
func (s *Store) FindLinkOps(ctx context.Context, limit int) ([]*vigil.LinkOp, error) {
	q := `SELECT id, data::text, coalesce(undone_by, 0), at FROM link_ops ORDER BY id DESC`
	if limit > 0 {
		q += fmt.Sprintf(` LIMIT %d`, limit)
	}
	rows, err := s.db.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("postgres: link operations: %w", err)
	}
	defer rows.Close()
	var out []*vigil.LinkOp
	for rows.Next() {
		var (
			op         vigil.LinkOp
			id, undone int64
			data, at   string
		)
		if err := rows.Scan(&id, &data, &undone, &at); err != nil {
			return nil, fmt.Errorf("postgres: link operations: %w", err)
		}
		if err := json.Unmarshal([]byte(data), &op); err != nil {
			return nil, fmt.Errorf("postgres: link operation %d: %w", id, err)
		}
		op.ID, op.UndoneBy, op.At = id, undone, parseTime(at)
		out = append(out, &op)
	}
	return out, rows.Err()
}
