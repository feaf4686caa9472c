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

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/internal/eventrow"
	"github.com/vigil-osint/vigil/internal/parallel"
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
		return 0, fmt.Errorf("sqlite: link mark: %w", err)
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
	const cols = `SELECT r.id, r.document_id, r.event_id, r.data, d.source_id, d.tlp_rank,
		EXISTS (SELECT 1 FROM link_confirmed c WHERE c.event_id = r.event_id)
		FROM reports r JOIN documents d ON d.id = r.document_id`
	seen := map[int64]bool{}
	// Rows are read in batches; each batch is decoded in parallel while
	// fn takes the one before.
	deliver := func(b *linkBatch) error {
		if err := <-b.done; err != nil {
			return err
		}
		for i := range b.raw {
			lr := &b.recs[i]
			if !f.Pending {
				// Blocks may overlap: hand each report out once.
				if seen[lr.Report.ID] {
					continue
				}
				seen[lr.Report.ID] = true
			}
			lr.Source = byID[b.raw[i].src]
			if err := fn(lr); err != nil {
				return err
			}
		}
		return nil
	}
	scan := func(rows *sql.Rows, err error) error {
		if err != nil {
			return fmt.Errorf("sqlite: link records: %w", err)
		}
		defer rows.Close()
		var prev *linkBatch
		for {
			b := &linkBatch{}
			for len(b.raw) < scanBatch && rows.Next() {
				var r rawReport
				if err := rows.Scan(&r.id, &r.doc, &r.ev, &r.data, &r.src, &r.rank, &r.locked); err != nil {
					return fmt.Errorf("sqlite: link records: %w", err)
				}
				b.raw = append(b.raw, r)
			}
			if len(b.raw) > 0 {
				b.decode()
			}
			if prev != nil {
				if err := deliver(prev); err != nil {
					return err
				}
			}
			if len(b.raw) == 0 {
				return rows.Err()
			}
			prev = b
		}
	}
	if f.Pending {
		mark, err := linkMark(ctx, s.db)
		if err != nil {
			return err
		}
		// The whole backlog, in one ordered scan: through the writer
		// pool, whose connections do not map the file, so that a full
		// run's resident memory is its own working set (as an import's).
		return scan(s.w.QueryContext(ctx, cols+` WHERE r.id > ? ORDER BY r.id`, mark))
	}
	// A block's reports are those that start in it (or up to
	// longSpanDays before it and reach into it), by the index on country
	// and start, and the long ones that reach into it, by the partial
	// index of long reports: two searches, since one with OR walks the
	// country's whole history before the block.
	st, err := s.db.PrepareContext(ctx, cols+` WHERE r.id IN (
			SELECT report_id FROM link_index WHERE country = ?1 AND date_start BETWEEN ?2 AND ?3 AND date_end >= ?4
			UNION ALL
			SELECT report_id FROM link_index INDEXED BY link_index_long WHERE country = ?1 AND long = 1 AND date_start <= ?3 AND date_end >= ?4)
		ORDER BY r.id`)
	if err != nil {
		return fmt.Errorf("sqlite: link records: %w", err)
	}
	defer st.Close()
	for _, b := range f.Blocks {
		rows, err := st.QueryContext(ctx, b.Country, b.From.AddDays(-longSpanDays).String(), b.To.String(), b.From.String())
		if err := scan(rows, err); err != nil {
			return err
		}
	}
	return nil
}

// scanBatch is how many reports ScanLinkRecords decodes at a time.
const scanBatch = 4096

// rawReport is a report row as read, before its data is decoded.
type rawReport struct {
	id, doc, src int64
	ev           sql.NullInt64
	data         string
	locked       bool
	rank         int
}

// linkBatch is a batch of report rows and their records, decoded in
// parallel; done yields once they are.
type linkBatch struct {
	raw  []rawReport
	recs []vigil.LinkRecord
	done <-chan error
}

func (b *linkBatch) decode() {
	b.recs = make([]vigil.LinkRecord, len(b.raw))
	b.done = parallel.Go(len(b.raw), 1, func(i int) error {
		r := &b.raw[i]
		rep, err := decodeReport(r.id, r.doc, r.ev, r.data)
		b.recs[i] = vigil.LinkRecord{Report: rep, Locked: r.locked, Marking: vigil.TLPAtRank(r.rank)}
		return err
	})
}

// FindCannotLinks returns the pairs of reports people kept apart.
func (s *Store) FindCannotLinks(ctx context.Context) ([][2]int64, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT report_a, report_b FROM link_cannot ORDER BY report_a, report_b`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: cannot-links: %w", err)
	}
	defer rows.Close()
	var out [][2]int64
	for rows.Next() {
		var p [2]int64
		if err := rows.Scan(&p[0], &p[1]); err != nil {
			return nil, fmt.Errorf("sqlite: cannot-links: %w", err)
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

func (s *Store) newLinker(ctx context.Context, tx *sql.Tx, op *vigil.LinkOp) (*linker, error) {
	w, err := s.newWriter(ctx, tx, 0)
	if err != nil {
		return nil, err
	}
	l := &linker{w: w, op: op, touched: map[int64]bool{}, retired: map[int64]bool{}}
	op.At = parseTime(w.now)
	res, err := tx.ExecContext(ctx, `INSERT INTO link_ops (kind, data, at) VALUES (?, '{}', ?)`, string(op.Kind), w.now)
	if err != nil {
		return nil, fmt.Errorf("sqlite: record %s: %w", op.Kind, err)
	}
	if op.ID, err = res.LastInsertId(); err != nil {
		return nil, fmt.Errorf("sqlite: record %s: %w", op.Kind, err)
	}
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
	ids = slices.DeleteFunc(ids, func(id int64) bool { return l.retired[id] })
	if err := l.w.refuseAll(ids); err != nil {
		return err
	}
	for id := range l.retired {
		// An event merged away stays as a tombstone, hidden from reads,
		// so that its id is never reused and an undo can bring it back.
		if _, err := l.w.tx.ExecContext(l.w.ctx, `UPDATE events SET date_start = '', date_end = '', updated_at = ? WHERE id = ?`, l.w.now, id); err != nil {
			return fmt.Errorf("sqlite: retire event %d: %w", id, err)
		}
		if err := l.w.exec("deleteEventActors", id); err != nil {
			return err
		}
	}
	_, err := l.w.tx.ExecContext(l.w.ctx, `UPDATE link_ops SET data = ? WHERE id = ?`, mustJSON(l.op), l.op.ID)
	if err != nil {
		return fmt.Errorf("sqlite: record %s: %w", l.op.Kind, err)
	}
	return nil
}

// newEvent makes an empty event for reports to move into.
func (l *linker) newEvent() (int64, error) {
	id := l.w.nextEvent
	l.w.nextEvent++
	_, err := l.w.tx.ExecContext(l.w.ctx, `INSERT INTO events (id, key, data, recorded_at, updated_at) VALUES (?, NULL, '{}', ?, ?)`, id, l.w.now, l.w.now)
	if err != nil {
		return 0, fmt.Errorf("sqlite: new event: %w", err)
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
		return nil, fmt.Errorf("sqlite: reports of event %d: %w", ev, err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("sqlite: reports of event %d: %w", ev, err)
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
		return fmt.Errorf("sqlite: event %d: %w", id, err)
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

// fuseChunk is how many new events a linkage run fuses at a time.
const fuseChunk = 2_000

func init() {
	writerSQL["linkReview"] = `INSERT OR IGNORE INTO link_review (report_a, report_b, score, explanation, status, created_at) VALUES (?, ?, ?, ?, 'open', ?)`
}

// linkCacheKiB is the page cache of a large linkage run's write
// transaction, in KiB: the full linkage of 1M reports took 62.9–63.6 s
// with the pools' 32 MB and 52.2–58.6 s with this (`vigil link bench
// --sizes 1000 --store 1000000`, quiet machine, two and three runs), its
// peak memory 0.8 GB and 0.8–1.0 GB. Runs of fewer than largeLinkRun
// clusters keep the pool's cache: setting it made 1,000 new reports into
// 1M take 1.0 s rather than 0.6 s.
const (
	linkCacheKiB = 256 << 10
	largeLinkRun = 10_000
)

// ApplyLinks writes a linkage run; see vigil.LinkService. The moves go in
// report order, each a prepared statement that needs no read; the events
// the run makes are numbered in the order of their first reports, fused
// from one range scan of their reports and inserted whole; the blocking
// keys come from the run.
func (s *Store) ApplyLinks(ctx context.Context, run *vigil.LinkRun) error {
	op := &vigil.LinkOp{Kind: vigil.LinkOpLink, Reason: run.Reason, By: run.By}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		// A full run rewrites reports across the whole table: pages that
		// stay in the cache go to the log once, not again at each spill.
		// A small run keeps the pool's cache, which costs it nothing to set.
		if len(run.Clusters) >= largeLinkRun {
			if _, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA cache_size = -%d`, linkCacheKiB)); err != nil {
				return fmt.Errorf("sqlite: linkage cache: %w", err)
			}
			defer tx.ExecContext(context.WithoutCancel(ctx), fmt.Sprintf(`PRAGMA cache_size = -%d`, cacheKiB))
		}
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
		// Each report to its cluster's event: a new one (ids from the
		// writer's next) or the target, with the reports of the events
		// merged into it.
		var moves []move
		firstMade := l.w.nextEvent
		// New events are numbered in the order of their first reports, so
		// that the index of reports by event grows at its end as the
		// moves walk the reports, and the new events' reports are read
		// back in the order they lie in.
		type fresh struct {
			cluster int
			first   int64
		}
		var made []fresh
		for i, c := range run.Clusters {
			if c.Event == 0 {
				f := fresh{cluster: i}
				if len(c.Reports) > 0 {
					f.first = slices.Min(c.Reports)
				}
				made = append(made, f)
			}
		}
		slices.SortFunc(made, func(a, b fresh) int { return cmp.Or(cmp.Compare(a.first, b.first), cmp.Compare(a.cluster, b.cluster)) })
		newID := make(map[int]int64, len(made))
		for _, m := range made {
			newID[m.cluster] = l.w.nextEvent
			op.Made = append(op.Made, l.w.nextEvent)
			l.w.nextEvent++
		}
		for i, c := range run.Clusters {
			target := c.Event
			if target == 0 {
				target = newID[i]
			} else {
				l.touched[target] = true
			}
			for _, e := range c.Events {
				if e == target {
					continue
				}
				ids, err := l.eventReportIDs(e)
				if err != nil {
					return err
				}
				for _, id := range ids {
					moves = append(moves, move{id, e, target})
				}
				l.retired[e] = true
			}
			for _, r := range c.Reports {
				moves = append(moves, move{r, 0, target})
			}
		}
		// In report order, so that the updates walk the reports table
		// page by page.
		slices.SortFunc(moves, func(a, b move) int { return cmp.Compare(a.report, b.report) })
		if err := l.moveAll(moves); err != nil {
			return err
		}
		if err := l.fuseMade(firstMade, l.w.nextEvent); err != nil {
			return err
		}
		for _, it := range run.Review {
			a, b := min(it.ReportA, it.ReportB), max(it.ReportA, it.ReportB)
			if err := l.w.exec("linkReview", a, b, it.Score, mustJSON(it.Explanation), l.w.now); err != nil {
				return err
			}
		}
		if run.Mark > mark {
			if err := l.index(mark, run.Mark, run.Keys); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO link_state (id, mark) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET mark = excluded.mark`, run.Mark); err != nil {
				return fmt.Errorf("sqlite: link mark: %w", err)
			}
		}
		if err := l.finish(); err != nil {
			return err
		}
		run.OpID = op.ID
		return nil
	})
}

// index writes the blocking keys of the reports a run saw for the first
// time, ids above since up to mark: the keys the run read, or, when it
// gives none, those of the reports decoded here.
func (l *linker) index(since, mark int64, keys []vigil.LinkKey) error {
	if len(keys) == 0 {
		var err error
		if keys, err = l.readKeys(since, mark); err != nil {
			return err
		}
	}
	rows := &jsonRows{l: l, what: "link index", q: `INSERT OR REPLACE INTO link_index (report_id, country, date_start, date_end, long)
			SELECT j.value->>0, j.value->>1, j.value->>2, j.value->>3, j.value->>4 FROM json_each(?) j`}
	// In the order of the index (country, start, report): see migration
	// 00012.
	keys = slices.Clone(keys)
	for i := range keys {
		keys[i].Country = strings.ToUpper(keys[i].Country)
	}
	slices.SortFunc(keys, func(a, b vigil.LinkKey) int {
		return cmp.Or(strings.Compare(a.Country, b.Country), cmp.Compare(b.Start.DaysUntil(a.Start), 0), cmp.Compare(a.Report, b.Report))
	})
	for i := range keys {
		k := &keys[i]
		if k.Report <= since || k.Report > mark {
			continue
		}
		end := k.End
		if end.IsZero() {
			end = k.Start
		}
		long := 0
		if !k.Start.IsZero() && k.Start.DaysUntil(end) > longSpanDays {
			long = 1
		}
		if len(keys) < indexChunk {
			// A few keys (an incremental run) go a prepared statement
			// each: a statement from JSON costs some 100 ms whatever
			// its size (measured: 1,002 keys in 84–150 ms, against 7–10
			// ms so), a million keys half as much again.
			if err := l.w.exec("linkIndex", k.Country, k.Start.String(), k.Report, end.String(), long); err != nil {
				return err
			}
			continue
		}
		js := rows.open()
		js = strconv.AppendInt(js, k.Report, 10)
		js = append(js, ',')
		js = appendJSONString(js, k.Country)
		js = append(js, ',')
		js = appendJSONString(js, k.Start.String())
		js = append(js, ',')
		js = appendJSONString(js, end.String())
		js = append(js, ',', byte('0'+long))
		if err := rows.close(js); err != nil {
			return err
		}
	}
	return rows.flush()
}

// jsonRows gathers rows for one statement as a JSON array of arrays,
// which the statement reads with json_each(?) as its last argument, and
// writes them indexChunk rows at a time: a prepared statement a row costs
// more in calls than in writing.
type jsonRows struct {
	l    *linker
	what string // names the rows in errors
	q    string
	args []any // the statement's arguments before the JSON
	js   []byte
	n    int
}

// open starts a row and returns the buffer to append its elements to.
func (r *jsonRows) open() []byte {
	if len(r.js) == 0 {
		r.js = append(r.js, '[')
	} else {
		r.js = append(r.js, ',')
	}
	return append(r.js, '[')
}

// close ends the row whose elements js holds, and writes the chunk once
// it is full.
func (r *jsonRows) close(js []byte) error {
	r.js = append(js, ']')
	if r.n++; r.n%indexChunk == 0 {
		return r.flush()
	}
	return nil
}

// flush writes the rows gathered so far.
func (r *jsonRows) flush() error {
	if len(r.js) == 0 {
		return nil
	}
	r.js = append(r.js, ']')
	_, err := r.l.w.tx.ExecContext(r.l.w.ctx, r.q, append(r.args, r.js)...)
	r.js = r.js[:0]
	if err != nil {
		return fmt.Errorf("sqlite: %s: %w", r.what, err)
	}
	return nil
}

func init() {
	writerSQL["linkIndex"] = `INSERT OR REPLACE INTO link_index (country, date_start, report_id, date_end, long) VALUES (?, ?, ?, ?, ?)`
}

// indexChunk is how many blocking keys, or history rows of moves, one
// statement writes.
const indexChunk = 50_000

// appendJSONString appends s as a JSON string: as it is when it is plain
// printable ASCII, as encoding/json writes it otherwise.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			q, _ := json.Marshal(s)
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// readKeys decodes the blocking keys of the reports with ids above since
// up to mark.
func (l *linker) readKeys(since, mark int64) ([]vigil.LinkKey, error) {
	rows, err := l.w.tx.QueryContext(l.w.ctx, `SELECT id, document_id, event_id, data FROM reports WHERE id > ? AND id <= ? ORDER BY id`, since, mark)
	if err != nil {
		return nil, fmt.Errorf("sqlite: link index: %w", err)
	}
	defer rows.Close()
	var keys []vigil.LinkKey
	for rows.Next() {
		var r rawReport
		if err := rows.Scan(&r.id, &r.doc, &r.ev, &r.data); err != nil {
			return nil, fmt.Errorf("sqlite: link index: %w", err)
		}
		rep, err := decodeReport(r.id, r.doc, r.ev, r.data)
		if err != nil {
			return nil, fmt.Errorf("sqlite: link index: %w", err)
		}
		keys = append(keys, vigil.LinkKey{Report: r.id, Country: rep.Country, Start: rep.DateStart, End: rep.DateEnd})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: link index: %w", err)
	}
	return keys, nil
}

// move is a report to move: from the event it is expected in (0: none)
// to another.
type move struct{ report, from, to int64 }

func init() {
	writerSQL["linkMoveFrom"] = `UPDATE reports SET event_id = ?1 WHERE id = ?2 AND event_id IS ?3`
}

// moveAll moves reports to events, recording where each was; a report
// already in its event stays. The events the reports leave are touched
// (fused again by finish). Each move is one prepared single-row UPDATE
// that finds the report where the run saw it (then its history row needs
// no read, and goes with others in one statement); a report found
// elsewhere, as a person may have moved it since, is read first. Single-row statements need no statement
// journal (a multi-row UPDATE of the reports writes and truncates one:
// measured, three times slower).
func (l *linker) moveAll(moves []move) error {
	upd, err := l.w.stmt("linkMoveFrom")
	if err != nil {
		return err
	}
	event := func(id int64) any {
		if id == 0 {
			return nil
		}
		return id
	}
	// The history rows of the moves so made, [report, from, to].
	rows := &jsonRows{l: l, what: "record moves", args: []any{l.op.ID}, q: `INSERT INTO link_moves (op_id, report_id, from_event, to_event)
			SELECT ?, j.value->>0, j.value->>1, j.value->>2 FROM json_each(?) j ORDER BY j.key`}
	for _, m := range moves {
		res, err := upd.ExecContext(l.w.ctx, m.to, m.report, event(m.from))
		if err != nil {
			return fmt.Errorf("sqlite: move report %d: %w", m.report, err)
		}
		changed, err := res.RowsAffected()
		if err != nil {
			return fmt.Errorf("sqlite: move report %d: %w", m.report, err)
		}
		if changed == 0 {
			if err := l.moveReport(m.report, m.to); err != nil {
				return err
			}
			continue
		}
		js := rows.open()
		js = strconv.AppendInt(js, m.report, 10)
		js = append(js, ',')
		if m.from == 0 {
			js = append(js, "null"...)
		} else {
			js = strconv.AppendInt(js, m.from, 10)
		}
		js = append(js, ',')
		js = strconv.AppendInt(js, m.to, 10)
		l.op.Moves++
		if m.from != 0 {
			l.touched[m.from] = true
		}
		if err := rows.close(js); err != nil {
			return err
		}
	}
	return rows.flush()
}

// fuseMade fuses the events a linkage run made, ids from to before end
// (their reports moved in already), and inserts them whole; an id left
// without reports is not inserted. The reports are read by ranges of
// events; a range is decoded and fused in parallel while the one before
// is written.
func (l *linker) fuseMade(from, end int64) error {
	type chunk struct {
		raw            []rawReport
		starts         []int // where each event's rows start in raw
		evRows, actors [][]any
		perEvent       [][][]any
		done           <-chan error
	}
	now := parseTime(l.w.now)
	read := func(lo, hi int64) (*chunk, error) {
		rows, err := l.w.tx.QueryContext(l.w.ctx, `SELECT r.id, r.document_id, r.event_id, r.data, d.tlp_rank, d.source_id
			FROM reports r JOIN documents d ON d.id = r.document_id WHERE r.event_id BETWEEN ? AND ? ORDER BY r.event_id, r.id`, lo, hi)
		if err != nil {
			return nil, fmt.Errorf("sqlite: reports of new events: %w", err)
		}
		defer rows.Close()
		c := &chunk{}
		for rows.Next() {
			var r rawReport
			if err := rows.Scan(&r.id, &r.doc, &r.ev, &r.data, &r.rank, &r.src); err != nil {
				return nil, fmt.Errorf("sqlite: reports of new events: %w", err)
			}
			if _, err := reportSource(l.w.byID, r.id, r.src); err != nil {
				return nil, err
			}
			if len(c.raw) == 0 || c.raw[len(c.raw)-1].ev != r.ev {
				c.starts = append(c.starts, len(c.raw))
			}
			c.raw = append(c.raw, r)
		}
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("sqlite: reports of new events: %w", err)
		}
		c.starts = append(c.starts, len(c.raw))
		n := len(c.starts) - 1
		c.evRows, c.perEvent = make([][]any, n), make([][][]any, n)
		c.done = parallel.Go(n, 1, func(k int) error {
			raw := c.raw[c.starts[k]:c.starts[k+1]]
			reps := make([]vigil.SourcedReport, len(raw))
			for i := range raw {
				r := &raw[i]
				rep, err := decodeReport(r.id, r.doc, r.ev, r.data)
				if err != nil {
					return err
				}
				reps[i] = vigil.SourcedReport{Report: rep,
					Document: vigil.Document{ID: r.doc, SourceID: r.src, Marking: vigil.TLPAtRank(r.rank)}, Source: *l.w.byID[r.src]}
			}
			id := raw[0].ev.Int64
			e := vigil.Fuse("", reps, l.w.parents)
			e.ID, e.RecordedAt, e.UpdatedAt = id, now, now
			c.evRows[k] = append([]any{id, nil}, eventrow.EventValues(&e)...)
			c.perEvent[k] = eventrow.ActorRows(nil, &e)
			return nil
		})
		return c, nil
	}
	write := func(c *chunk) error {
		if err := <-c.done; err != nil {
			return err
		}
		for _, rows := range c.perEvent {
			c.actors = append(c.actors, rows...)
		}
		if err := l.w.insertEvents(c.evRows); err != nil {
			return err
		}
		return l.w.insertRows("event_actors", eventrow.ActorCols, c.actors)
	}
	var prev *chunk
	for lo := from; lo < end; lo += fuseChunk {
		c, err := read(lo, min(lo+fuseChunk, end)-1)
		if err != nil {
			return err
		}
		if prev != nil {
			if err := write(prev); err != nil {
				return err
			}
		}
		prev = c
	}
	if prev != nil {
		return write(prev)
	}
	return nil
}

// FindReviewItems returns the review queue.
func (s *Store) FindReviewItems(ctx context.Context, open bool) ([]*vigil.ReviewItem, error) {
	q := `SELECT v.id, v.report_a, v.report_b, coalesce(ra.event_id, 0), coalesce(rb.event_id, 0), v.score, v.explanation,
		v.status, coalesce(v.decided_by, 0), v.created_at
		FROM link_review v LEFT JOIN reports ra ON ra.id = v.report_a LEFT JOIN reports rb ON rb.id = v.report_b`
	if open {
		// An open item whose reports have come together since is moot.
		q += ` WHERE v.status = 'open' AND ra.id IS NOT NULL AND rb.id IS NOT NULL AND ra.event_id IS NOT rb.event_id`
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY v.id`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: review items: %w", err)
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
			return nil, fmt.Errorf("sqlite: review items: %w", err)
		}
		if err := json.Unmarshal([]byte(expl), &it.Explanation); err != nil {
			return nil, fmt.Errorf("sqlite: review item %d: %w", it.ID, err)
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
	return s.inTx(ctx, func(tx *sql.Tx) error {
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
				return fmt.Errorf("sqlite: confirm: %w", err)
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
			if _, err := l.w.tx.ExecContext(l.w.ctx, `INSERT OR IGNORE INTO link_cannot (report_a, report_b, op_id) VALUES (?, ?, ?)`,
				min(a, b), max(a, b), l.op.ID); err != nil {
				return fmt.Errorf("sqlite: keep apart: %w", err)
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
			return fmt.Errorf("sqlite: settle review: %w", err)
		}
	}
	// Reports moved by this operation are in link_moves with their old
	// events; the others are where they were.
	_, err := l.w.tx.ExecContext(l.w.ctx, `WITH ev(report_id, event_id) AS (
			SELECT r.id, coalesce((SELECT m.from_event FROM link_moves m WHERE m.op_id = ? AND m.report_id = r.id), r.event_id)
			FROM reports r WHERE r.event_id IN (SELECT value FROM json_each(?))
			   OR r.id IN (SELECT report_id FROM link_moves WHERE op_id = ?))
		UPDATE link_review SET status = ?, decided_by = ?
		WHERE status = 'open' AND report_a IN (SELECT report_id FROM ev) AND report_b IN (SELECT report_id FROM ev)
		  AND (SELECT event_id FROM ev WHERE report_id = report_a) IS NOT (SELECT event_id FROM ev WHERE report_id = report_b)`,
		l.op.ID, mustJSON(events), l.op.ID, string(status), l.op.ID)
	if err != nil {
		return fmt.Errorf("sqlite: settle reviews: %w", err)
	}
	return nil
}

// UndoLinkOp reverses an operation; see vigil.LinkService.
func (s *Store) UndoLinkOp(ctx context.Context, id int64, reason, by string) (*vigil.LinkOp, error) {
	if reason == "" {
		return nil, vigil.Errorf(vigil.EINVALID, "undo: a reason is required")
	}
	undo := &vigil.LinkOp{Kind: vigil.LinkOpUndo, Undoes: id, Reason: reason, By: by}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var kind, data string
		var undone sql.NullInt64
		err := tx.QueryRowContext(ctx, `SELECT kind, data, undone_by FROM link_ops WHERE id = ?`, id).Scan(&kind, &data, &undone)
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
			return fmt.Errorf("sqlite: operation %d: %w", id, err)
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
			FROM link_moves m LEFT JOIN reports r ON r.id = m.report_id WHERE m.op_id = ? ORDER BY m.rowid DESC`, id)
		if err != nil {
			return fmt.Errorf("sqlite: moves of %d: %w", id, err)
		}
		var moves []move
		for rows.Next() {
			var m move
			if err := rows.Scan(&m.report, &m.from, &m.to, &m.now, &m.laterOps); err != nil {
				rows.Close()
				return fmt.Errorf("sqlite: moves of %d: %w", id, err)
			}
			moves = append(moves, m)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("sqlite: moves of %d: %w", id, err)
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
				return fmt.Errorf("sqlite: undo move: %w", err)
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
				return fmt.Errorf("sqlite: undo %d: %w", id, err)
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE link_ops SET undone_by = ? WHERE id = ?`, undo.ID, id); err != nil {
			return fmt.Errorf("sqlite: undo %d: %w", id, err)
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
		return fmt.Errorf("sqlite: event %d: %w", id, err)
	}
	if n > 0 {
		return nil
	}
	_, err := l.w.tx.ExecContext(l.w.ctx, `INSERT INTO events (id, key, data, recorded_at, updated_at) VALUES (?, NULL, '{}', ?, ?)`, id, l.w.now, l.w.now)
	if err != nil {
		return fmt.Errorf("sqlite: revive event %d: %w", id, err)
	}
	return nil
}

// FindLinkOps returns the history of linkage operations, newest first.
func (s *Store) FindLinkOps(ctx context.Context, limit int) ([]*vigil.LinkOp, error) {
	q := `SELECT id, data, coalesce(undone_by, 0), at FROM link_ops ORDER BY id DESC`
	if limit > 0 {
		q += fmt.Sprintf(` LIMIT %d`, limit)
	}
	rows, err := s.db.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("sqlite: link operations: %w", err)
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
			return nil, fmt.Errorf("sqlite: link operations: %w", err)
		}
		if err := json.Unmarshal([]byte(data), &op); err != nil {
			return nil, fmt.Errorf("sqlite: link operation %d: %w", id, err)
		}
		op.ID, op.UndoneBy, op.At = id, undone, parseTime(at)
		out = append(out, &op)
	}
	return out, rows.Err()
}
