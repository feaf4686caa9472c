package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/vigil-osint/vigil"
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
		return 0, fmt.Errorf("postgres: count events: %w", err)
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
		q += ` OFFSET ?`
		args = append(args, f.Offset)
	}
	ids, err := s.ids(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: events: %w", err)
	}
	return ids, nil
}

// FindEventsByID returns the events with the given ids, in that order;
// unknown ids (and events removed since the ids were read) are left out.
func (s *Store) FindEventsByID(ctx context.Context, ids []int64) ([]*vigil.Event, error) {
	raw, err := scanEventRows(s.db.QueryContext(ctx, `SELECT `+eventRowCols+` FROM events e WHERE e.id = ANY(?::bigint[])`, ids))
	if err != nil {
		return nil, err
	}
	evs, err := s.decodeEvents(ctx, s.db, raw)
	if err != nil {
		return nil, err
	}
	return eventrow.InOrder(ids, evs), nil
}

// ids runs a query of one integer column.
func (s *Store) ids(ctx context.Context, q string, args ...any) ([]int64, error) {
	return sqlstore.IDs(ctx, s.db, q, args...)
}

// FindDocuments returns the documents that match the filter, without their
// text, by id.
func (s *Store) FindDocuments(ctx context.Context, f vigil.DocumentFilter) (docs []*vigil.Document, total int, err error) {
	// The count and the page come from one snapshot.
	err = s.inReadTx(ctx, func(q querier) error {
		docs, total, err = findDocuments(ctx, q, f)
		return err
	})
	return docs, total, err
}

func findDocuments(ctx context.Context, db querier, f vigil.DocumentFilter) ([]*vigil.Document, int, error) {
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
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM documents`+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("postgres: count documents: %w", err)
	}
	q := `SELECT id, data::text FROM documents` + where + ` ORDER BY id`
	if f.Limit > 0 {
		q += ` LIMIT ? OFFSET ?`
		args = append(args, f.Limit, max(f.Offset, 0))
	} else if f.Offset > 0 {
		q += ` OFFSET ?`
		args = append(args, f.Offset)
	}
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: documents: %w", err)
	}
	defer rows.Close()
	out := []*vigil.Document{}
	for rows.Next() {
		var id int64
		var data string
		if err := rows.Scan(&id, &data); err != nil {
			return nil, 0, fmt.Errorf("postgres: documents: %w", err)
		}
		var d vigil.Document
		if err := json.Unmarshal([]byte(data), &d); err != nil {
			return nil, 0, fmt.Errorf("postgres: decode document %d: %w", id, err)
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
		var args []any
		if strings.Contains(q, "?1") {
			args = append(args, rank)
		}
		rows, err := s.db.QueryContext(ctx, q, args...)
		if err != nil {
			return nil, fmt.Errorf("postgres: source stats: %w", err)
		}
		for rows.Next() {
			var id int64
			var n int
			if err := rows.Scan(&id, &n); err != nil {
				rows.Close()
				return nil, fmt.Errorf("postgres: source stats: %w", err)
			}
			get(id)[i] = n
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("postgres: source stats: %w", err)
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
	rows, err := s.db.QueryContext(ctx, `SELECT b.id, greatest(
			coalesce((SELECT max(d.tlp_rank) FROM documents d WHERE d.batch_id = b.id), -1),
			coalesce((SELECT max(greatest(d.tlp_rank, CASE h.data->>'tlp'
				WHEN 'CLEAR' THEN 0 WHEN 'GREEN' THEN 1 WHEN 'AMBER' THEN 2 WHEN 'AMBER+STRICT' THEN 3 ELSE 4 END))
				FROM document_history h JOIN documents d ON d.id = h.document_id WHERE h.batch_id = b.id), -1))
		FROM batches b`)
	if err != nil {
		return nil, fmt.Errorf("postgres: batch markings: %w", err)
	}
	defer rows.Close()
	out := map[int64]vigil.TLP{}
	for rows.Next() {
		var id int64
		var r int
		if err := rows.Scan(&id, &r); err != nil {
			return nil, fmt.Errorf("postgres: batch markings: %w", err)
		}
		out[id] = vigil.TLPAtRank(r)
	}
	return out, rows.Err()
}

// FindDocumentMarkings returns the markings of the documents with the
// given ids.
func (s *Store) FindDocumentMarkings(ctx context.Context, ids []int64) (map[int64]vigil.TLP, error) {
	out := map[int64]vigil.TLP{}
	err := func() error {
		rows, err := s.db.QueryContext(ctx, `SELECT id, tlp_rank FROM documents WHERE id = ANY(?::bigint[])`, ids)
		if err != nil {
			return fmt.Errorf("postgres: document markings: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var r int
			if err := rows.Scan(&id, &r); err != nil {
				return fmt.Errorf("postgres: document markings: %w", err)
			}
			out[id] = vigil.TLPAtRank(r)
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("postgres: document markings: %w", err)
		}
		return nil
	}()
	return out, err
}

// groupings maps each grouping to its bucket key expression over
// events, which hold coordinates and killed as columns (migration 00008),
// events, so that eventWhere serves it, and which holds coordinates and
// killed as columns rather than in JSON.
var groupings = map[vigil.EventGrouping]string{
	vigil.ByCountry: `e.country`,
	vigil.ByAdmin1:  `e.country || '/' || e.admin1`,
	vigil.ByMonth:   `substr(e.date_start, 1, 7)`,
	vigil.ByYear:    `substr(e.date_start, 1, 4)`,
	vigil.ByGrid:    `floor(e.lat)::bigint || ',' || floor(e.lon)::bigint`,
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
		sum(greatest(e.killed_low, 0))::bigint, sum(greatest(e.killed_best, 0))::bigint, sum(greatest(e.killed_high, 0))::bigint,
		count(*) FILTER (WHERE e.killed_best < 0)
		FROM events e`+where+` GROUP BY k ORDER BY k`, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: summarize events: %w", err)
	}
	defer rows.Close()
	out := []vigil.EventBucket{}
	for rows.Next() {
		var b vigil.EventBucket
		if err := rows.Scan(&b.Key, &b.Events, &b.KilledLow, &b.KilledBest, &b.KilledHigh, &b.UnknownKilled); err != nil {
			return nil, fmt.Errorf("postgres: summarize events: %w", err)
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
			return fmt.Errorf("postgres: markings: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var k K
			var r int
			if err := rows.Scan(&k, &r); err != nil {
				return fmt.Errorf("postgres: markings: %w", err)
			}
			out[k] = vigil.TLPAtRank(r)
		}
		return rows.Err()
	})
	return out, err
}
