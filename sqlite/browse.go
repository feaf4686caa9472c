package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/actors"
	"github.com/vigil-osint/vigil/internal/eventrow"
	"github.com/vigil-osint/vigil/internal/sqlstore"
)

var _ vigil.BrowseService = (*Store)(nil)

// eventOrders maps each order to its ORDER BY clause. Ties break on id so
// that pages are stable.
var eventOrders = map[vigil.EventOrder]string{
	"":                      `e.date_start, e.id`,
	vigil.OrderDate:         `e.date_start, e.id`,
	vigil.OrderDateDesc:     `e.date_start DESC, e.id DESC`,
	vigil.OrderKilled:       `e.killed_best < 0, e.killed_best, e.id`,
	vigil.OrderKilledDesc:   `e.killed_best < 0, e.killed_best DESC, e.id DESC`,
	vigil.OrderUpdated:      `e.updated_at, e.id`,
	vigil.OrderUpdatedDesc:  `e.updated_at DESC, e.id DESC`,
	vigil.OrderCountry:      `e.country, e.date_start, e.id`,
	vigil.OrderCountryDesc:  `e.country DESC, e.date_start DESC, e.id DESC`,
	vigil.OrderIDAscending:  `e.id`,
	vigil.OrderIDDescending: `e.id DESC`,
}

// CountEvents returns how many events match the filter.
func (s *Store) CountEvents(ctx context.Context, f vigil.EventFilter) (int, error) {
	where, args := eventWhere(f)
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM events e`+where, args...).Scan(&total); err != nil {
		return 0, fmt.Errorf("sqlite: count events: %w", err)
	}
	return total, nil
}

// FindEventPage returns a page of the events that match the filter, in
// the given order.
func (s *Store) FindEventPage(ctx context.Context, f vigil.EventFilter, order vigil.EventOrder) ([]*vigil.Event, error) {
	ids, err := s.pageIDs(ctx, f, order)
	if err != nil {
		return nil, err
	}
	return s.FindEventsByID(ctx, ids)
}

var _ vigil.EventKeyPager = (*Store)(nil)

// FindEventPageKeys returns the ids of the page of events that
// FindEventPage returns, and the cursor after the last of them.
func (s *Store) FindEventPageKeys(ctx context.Context, f vigil.EventFilter, order vigil.EventOrder) ([]int64, *vigil.EventCursor, error) {
	if f.After == nil {
		s.copyLog(ctx)
	}
	// A page whose every event was removed (or is being made again) since
	// its ids were read is read again: its ids are then others.
	for range 3 {
		ids, err := s.pageIDs(ctx, f, order)
		if err != nil || len(ids) == 0 {
			return ids, nil, err
		}
		c, err := s.cursorAfter(ctx, ids)
		if err != nil || c != nil {
			return ids, c, err
		}
	}
	return nil, nil, vigil.Errorf(vigil.ECONFLICT, "the events of a page were removed while it was read: try again")
}

// copyLog copies what the write-ahead log holds into the store's file
// before a read of every page of events (the first page's keys): pages
// still in the log are read from it a page at a time, where those in the
// file come from its mapping, and a reader ignores the log only once all
// of it is in the file: with 40 MB of a 330 MB store in the log, an
// export of it took 6.9 s without, 4.5 s with. The copy waits for nobody
// (PASSIVE): with readers or a writer busy, it copies what it can, and
// its failure (a store opened read-only) only leaves the log where it was.
func (s *Store) copyLog(ctx context.Context) {
	var busy, logged, copied int
	s.db.QueryRowContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &logged, &copied)
}

// cursorAfter returns the cursor after the last of the events ids that is
// still there (and not being made again), or nil when none is. Its values
// are those of the events row, which the order and the keyset compare:
// one row read for a page, where reading them with the page's ids would
// read every row of the page for orders that an index does not cover.
func (s *Store) cursorAfter(ctx context.Context, ids []int64) (*vigil.EventCursor, error) {
	for i := len(ids) - 1; i >= 0; i-- {
		c := vigil.EventCursor{ID: ids[i]}
		var date, upd string
		var killed int64
		err := s.db.QueryRowContext(ctx, `SELECT date_start, country, killed_best, updated_at FROM events WHERE id = ?`, c.ID).
			Scan(&date, &c.Country, &killed, &upd)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && date == "") {
			continue // removed or being made since: no page holds it
		}
		if err != nil {
			return nil, fmt.Errorf("sqlite: event page: %w", err)
		}
		if c.DateStart, err = vigil.ParseDate(date); err != nil {
			return nil, fmt.Errorf("sqlite: event %d: date_start: %w", c.ID, err)
		}
		c.Killed, c.UpdatedAt = eventrow.ColNum(killed), parseTime(upd)
		return &c, nil
	}
	return nil, nil
}

// FindEventDetailPage returns the page FindEventPage does, each event with
// its reports, documents and sources as FindEventDetails reads them.
func (s *Store) FindEventDetailPage(ctx context.Context, f vigil.EventFilter, order vigil.EventOrder) ([]*vigil.Event, error) {
	ids, err := s.pageIDs(ctx, f, order)
	if err != nil {
		return nil, err
	}
	return s.FindEventDetails(ctx, ids)
}

// pageIDs returns the ids of a page of the events that match the filter,
// in the given order.
func (s *Store) pageIDs(ctx context.Context, f vigil.EventFilter, order vigil.EventOrder) ([]int64, error) {
	by, ok := eventOrders[order]
	if !ok {
		return nil, vigil.Errorf(vigil.EINVALID, "order %q: want one of %v", order, vigil.EventOrders)
	}
	if f.Actor != "" && (order == "" || order == vigil.OrderDate || order == vigil.OrderDateDesc) {
		ids, err := s.actorPageIDs(ctx, f, order == vigil.OrderDateDesc)
		if err != nil {
			return nil, fmt.Errorf("sqlite: events: %w", err)
		}
		return ids, nil
	}
	where, args := eventWhere(f)
	if f.After != nil {
		cond, after, ok := eventrow.Keyset(order, f.After)
		if !ok {
			return nil, vigil.Errorf(vigil.EINVALID, "order %q: a cursor needs one of the orders %v", order, vigil.EventOrders)
		}
		where += ` AND ` + cond
		args = append(args, after...)
	}
	// The page's ids come first, from the indexes alone where the order
	// allows; only the page's rows are then read whole, so that a deep
	// offset does not decode the rows it skips.
	q := `SELECT e.id FROM events e` + where + ` ORDER BY ` + by
	if f.Limit > 0 {
		q += ` LIMIT ? OFFSET ?`
		args = append(args, f.Limit, max(f.Offset, 0))
	} else if f.Offset > 0 {
		q += ` LIMIT -1 OFFSET ?`
		args = append(args, f.Offset)
	}
	ids, err := s.ids(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: events: %w", err)
	}
	return ids, nil
}

// FindEventsByID returns the events with the given ids, in that order;
// unknown ids (and events removed since the ids were read) are left out.
func (s *Store) FindEventsByID(ctx context.Context, ids []int64) ([]*vigil.Event, error) {
	raw, err := eventRowsByID(ctx, s.db, ids, false)
	if err != nil {
		return nil, err
	}
	evs, err := s.decodeEvents(ctx, s.db, raw)
	if err != nil {
		return nil, err
	}
	return eventrow.InOrder(ids, evs), nil
}

// actorPairsSQL reads the (date, event) pairs of the events of an actor
// (names selects the actors of its normalised name, actorNamesSQL; the name
// is an argument again after the after condition's): those with a dictionary actor of that name, and those with
// an unknown actor written so. Each condition on actor_id is the one of the
// partial index that serves it, so that SQLite uses it.
func actorPairsSQL(names, after, dir string) string {
	return `SELECT date_start, event_id FROM event_actors WHERE actor_id <> '' AND actor_id IN (` + names + `)` + after +
		` UNION SELECT date_start, event_id FROM event_actors WHERE actor_id = '' AND name_norm = ?` + after +
		` ORDER BY 1` + dir + `, 2` + dir
}

// actorPageIDs returns the ids of a page of the events of f.Actor, by
// start date and id (descending with desc). It reads the actor's (date,
// event) pairs from the event_actors indexes alone, sorted, and checks the
// filter's other conditions on the events a chunk at a time, so that only
// about a page of events is looked up rather than every event of the
// actor.
func (s *Store) actorPageIDs(ctx context.Context, f vigil.EventFilter, desc bool) ([]int64, error) {
	dir, cmp := "", ">"
	if desc {
		dir, cmp = " DESC", "<"
	}
	n := actors.Normalize(f.Actor)
	after, afterArgs := "", []any(nil)
	if f.After != nil {
		after = ` AND (date_start, event_id) ` + cmp + ` (?, ?)`
		afterArgs = []any{f.After.DateStart.String(), f.After.ID}
	}
	names, nameArgs := actorNamesSQL(n, f.Clearance)
	q := actorPairsSQL(names, after, dir)
	args := append(append(append(nameArgs, afterArgs...), n), afterArgs...)
	rest := f
	rest.Actor, rest.After = "", nil
	where, whereArgs := eventWhere(rest)
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	skip := max(f.Offset, 0)
	var out, cand []int64
	full := func() bool { return f.Limit > 0 && len(out) >= f.Limit }
	// check keeps the candidates that pass the other conditions, in order.
	check := func() error {
		pass := make(map[int64]bool, len(cand))
		err := inBatches(cand, func(part []any) error {
			ids, err := s.ids(ctx, `SELECT e.id FROM events e`+where+` AND e.id IN (`+placeholders(len(part))+`)`, append(append([]any(nil), whereArgs...), part...)...)
			for _, id := range ids {
				pass[id] = true
			}
			return err
		})
		for _, id := range cand {
			switch {
			case !pass[id] || full():
			case skip > 0:
				skip--
			default:
				out = append(out, id)
			}
		}
		cand = cand[:0]
		return err
	}
	chunk := max(2*(skip+f.Limit), 64)
	for rows.Next() {
		var d string
		var id int64
		if err := rows.Scan(&d, &id); err != nil {
			return nil, err
		}
		if cand = append(cand, id); len(cand) < chunk {
			continue
		}
		if err := check(); err != nil {
			return nil, err
		}
		if full() {
			return out, nil
		}
		chunk *= 4
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, check()
}

// ids runs a query of one integer column.
func (s *Store) ids(ctx context.Context, q string, args ...any) ([]int64, error) {
	return sqlstore.IDs(ctx, conn{s.db}, q, args...)
}

// FindDocuments returns the documents that match the filter, without their
// text, by id.
func (s *Store) FindDocuments(ctx context.Context, f vigil.DocumentFilter) ([]*vigil.Document, int, error) {
	where, args := ` WHERE 1 = 1`, []any{}
	if f.SourceID != 0 {
		where += ` AND source_id = ?`
		args = append(args, f.SourceID)
	}
	if f.BatchID != 0 {
		where += ` AND batch_id = ?`
		args = append(args, f.BatchID)
	}
	if f.Clearance != "" {
		where += ` AND tlp_rank <= ?`
		args = append(args, f.Clearance.Rank())
	}
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM documents`+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("sqlite: count documents: %w", err)
	}
	q := `SELECT id, data FROM documents` + where + ` ORDER BY id`
	if f.Limit > 0 {
		q += ` LIMIT ? OFFSET ?`
		args = append(args, f.Limit, max(f.Offset, 0))
	} else if f.Offset > 0 {
		q += ` LIMIT -1 OFFSET ?`
		args = append(args, f.Offset)
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("sqlite: documents: %w", err)
	}
	defer rows.Close()
	out := []*vigil.Document{}
	for rows.Next() {
		var id int64
		var data string
		if err := rows.Scan(&id, &data); err != nil {
			return nil, 0, fmt.Errorf("sqlite: documents: %w", err)
		}
		var d vigil.Document
		if err := decodeDocument(id, data, &d); err != nil {
			return nil, 0, err
		}
		d.ID, d.Text = id, ""
		out = append(out, &d)
	}
	return out, total, rows.Err()
}

// FindSourceStats returns every source that the clearance lets a reader
// know of, with the documents and events it allows.
func (s *Store) FindSourceStats(ctx context.Context, clearance vigil.TLP) ([]vigil.SourceStats, error) {
	rank := len(vigil.TLPLevels)
	if clearance != "" {
		rank = clearance.Rank()
	}
	// Per source: all documents, allowed documents, allowed events, each
	// counted in one pass over its table rather than once per source.
	counts := map[int64]*[3]int{}
	get := func(id int64) *[3]int {
		if counts[id] == nil {
			counts[id] = new([3]int)
		}
		return counts[id]
	}
	for i, q := range []string{
		`SELECT source_id, count(*) FROM documents GROUP BY source_id`,
		`SELECT source_id, count(*) FROM documents WHERE tlp_rank <= ?1 GROUP BY source_id`,
		`SELECT d.source_id, count(DISTINCT r.event_id) FROM documents d JOIN reports r ON r.document_id = d.id
			JOIN events e ON e.id = r.event_id WHERE d.tlp_rank <= ?1 AND e.tlp_rank <= ?1 AND e.date_start <> '' GROUP BY d.source_id`,
	} {
		rows, err := s.db.QueryContext(ctx, q, rank)
		if err != nil {
			return nil, fmt.Errorf("sqlite: source stats: %w", err)
		}
		for rows.Next() {
			var id int64
			var n int
			if err := rows.Scan(&id, &n); err != nil {
				rows.Close()
				return nil, fmt.Errorf("sqlite: source stats: %w", err)
			}
			get(id)[i] = n
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("sqlite: source stats: %w", err)
		}
	}
	srcs, err := s.FindSources(ctx)
	if err != nil {
		return nil, err
	}
	out := []vigil.SourceStats{}
	for _, src := range srcs {
		c := get(src.ID)
		if c[0] > 0 && c[1] == 0 {
			continue
		}
		out = append(out, vigil.SourceStats{Source: src, Documents: c[1], Events: c[2]})
	}
	return out, nil
}

// FindBatchMarkings returns each batch's most restricted marking among the
// documents it brought or updated, in their current and superseded
// versions; RED for a batch with none.
func (s *Store) FindBatchMarkings(ctx context.Context) (map[int64]vigil.TLP, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT b.id, max(
			coalesce((SELECT max(d.tlp_rank) FROM documents d WHERE d.batch_id = b.id), -1),
			coalesce((SELECT max(max(d.tlp_rank, CASE json_extract(h.data, '$.tlp')
				WHEN 'CLEAR' THEN 0 WHEN 'GREEN' THEN 1 WHEN 'AMBER' THEN 2 WHEN 'AMBER+STRICT' THEN 3 ELSE 4 END))
				FROM document_history h JOIN documents d ON d.id = h.document_id WHERE h.batch_id = b.id), -1))
		FROM batches b`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: batch markings: %w", err)
	}
	defer rows.Close()
	out := map[int64]vigil.TLP{}
	for rows.Next() {
		var id int64
		var r int
		if err := rows.Scan(&id, &r); err != nil {
			return nil, fmt.Errorf("sqlite: batch markings: %w", err)
		}
		out[id] = vigil.TLPAtRank(r)
	}
	return out, rows.Err()
}

// FindDocumentMarkings returns the markings of the documents with the
// given ids.
func (s *Store) FindDocumentMarkings(ctx context.Context, ids []int64) (map[int64]vigil.TLP, error) {
	out := map[int64]vigil.TLP{}
	err := inBatches(ids, func(args []any) error {
		rows, err := s.db.QueryContext(ctx, `SELECT id, tlp_rank FROM documents WHERE id IN (`+placeholders(len(args))+`)`, args...)
		if err != nil {
			return fmt.Errorf("sqlite: document markings: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var r int
			if err := rows.Scan(&id, &r); err != nil {
				return fmt.Errorf("sqlite: document markings: %w", err)
			}
			out[id] = vigil.TLPAtRank(r)
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("sqlite: document markings: %w", err)
		}
		return nil
	})
	return out, err
}

// groupings maps each grouping to its bucket key expression over events,
// which hold coordinates and killed as columns (see migration 00008).
var groupings = map[vigil.EventGrouping]string{
	// +: grouping by the bare column walks events_country_rank and reads
	// each row from it at random (30 s at 1M events against 5 s for a scan).
	vigil.ByCountry: `+e.country`,
	vigil.ByAdmin1:  `e.country || '/' || e.admin1`,
	vigil.ByMonth:   `substr(e.date_start, 1, 7)`,
	vigil.ByYear:    `substr(e.date_start, 1, 4)`,
	vigil.ByGrid:    `CAST(floor(e.lat) AS INTEGER) || ',' || CAST(floor(e.lon) AS INTEGER)`,
}

// SummarizeEvents counts and sums the events that match the filter, by
// bucket, in key order.
func (s *Store) SummarizeEvents(ctx context.Context, f vigil.EventFilter, by vigil.EventGrouping) ([]vigil.EventBucket, error) {
	key, ok := groupings[by]
	if !ok {
		return nil, vigil.Errorf(vigil.EINVALID, "grouping %q: want one of %v", by, vigil.EventGroupings)
	}
	where, args := eventWhere(f)
	if by == vigil.ByGrid {
		where += ` AND e.lat IS NOT NULL AND e.lon IS NOT NULL`
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+key+` AS k, count(*),
		sum(max(e.killed_low, 0)), sum(max(e.killed_best, 0)), sum(max(e.killed_high, 0)), sum(e.killed_best < 0)
		FROM events e`+where+` GROUP BY k ORDER BY k`, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: summarize events: %w", err)
	}
	defer rows.Close()
	out := []vigil.EventBucket{}
	for rows.Next() {
		var b vigil.EventBucket
		if err := rows.Scan(&b.Key, &b.Events, &b.KilledLow, &b.KilledBest, &b.KilledHigh, &b.UnknownKilled); err != nil {
			return nil, fmt.Errorf("sqlite: summarize events: %w", err)
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// FindEventMarkings returns the markings of the live events with the given
// ids; unknown and retired events are left out.
func (s *Store) FindEventMarkings(ctx context.Context, ids []int64) (map[int64]vigil.TLP, error) {
	return findMarkings[int64](ctx, s, `SELECT id, tlp_rank FROM events WHERE date_start <> '' AND id IN (%s)`, ids)
}

// FindEventKeyMarkings returns the markings of the live events with the
// given keys; unknown keys are left out.
func (s *Store) FindEventKeyMarkings(ctx context.Context, keys []string) (map[string]vigil.TLP, error) {
	return findMarkings[string](ctx, s, `SELECT key, tlp_rank FROM events WHERE date_start <> '' AND key IN (%s)`, keys)
}

// FindReportMarkings returns, for each report with one of the given ids,
// the marking of its document; unknown ids are left out.
func (s *Store) FindReportMarkings(ctx context.Context, ids []int64) (map[int64]vigil.TLP, error) {
	return findMarkings[int64](ctx, s, `SELECT r.id, d.tlp_rank FROM reports r JOIN documents d ON d.id = r.document_id WHERE r.id IN (%s)`, ids)
}

// findMarkings runs a query of (key, tlp_rank) rows over keys, in batches;
// q holds %s where the placeholders go.
func findMarkings[K comparable](ctx context.Context, s *Store, q string, keys []K) (map[K]vigil.TLP, error) {
	out := map[K]vigil.TLP{}
	err := inBatches(keys, func(args []any) error {
		rows, err := s.db.QueryContext(ctx, fmt.Sprintf(q, placeholders(len(args))), args...)
		if err != nil {
			return fmt.Errorf("sqlite: markings: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var k K
			var r int
			if err := rows.Scan(&k, &r); err != nil {
				return fmt.Errorf("sqlite: markings: %w", err)
			}
			out[k] = vigil.TLPAtRank(r)
		}
		return rows.Err()
	})
	return out, err
}
