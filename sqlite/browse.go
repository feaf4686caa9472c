package sqlite

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/vigil-osint/vigil"
)

var _ vigil.BrowseService = (*Store)(nil)

// eventOrders maps each order to its ORDER BY clause. Ties break on id so
// that pages are stable.
var eventOrders = map[vigil.EventOrder]string{
	"":                      `e.date_start, e.id`,
	vigil.OrderDate:         `e.date_start, e.id`,
	vigil.OrderDateDesc:     `e.date_start DESC, e.id DESC`,
	vigil.OrderKilled:       `json_extract(e.data, '$.killed.best') IS NULL, json_extract(e.data, '$.killed.best'), e.id`,
	vigil.OrderKilledDesc:   `json_extract(e.data, '$.killed.best') IS NULL, json_extract(e.data, '$.killed.best') DESC, e.id DESC`,
	vigil.OrderUpdated:      `e.updated_at, e.id`,
	vigil.OrderUpdatedDesc:  `e.updated_at DESC, e.id DESC`,
	vigil.OrderCountry:      `e.country, e.date_start, e.id`,
	vigil.OrderCountryDesc:  `e.country DESC, e.date_start DESC, e.id DESC`,
	vigil.OrderIDAscending:  `e.id`,
	vigil.OrderIDDescending: `e.id DESC`,
}

// FindEventPage returns a page of the events that match the filter, in
// the given order, and how many match in all.
func (s *Store) FindEventPage(ctx context.Context, f vigil.EventFilter, order vigil.EventOrder) ([]*vigil.Event, int, error) {
	by, ok := eventOrders[order]
	if !ok {
		return nil, 0, vigil.Errorf(vigil.EINVALID, "order %q: want one of %v", order, vigil.EventOrders)
	}
	where, args := eventWhere(f)
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM events e`+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("sqlite: count events: %w", err)
	}
	q := `SELECT e.id, e.data FROM events e` + where + ` ORDER BY ` + by
	if f.Limit > 0 {
		q += ` LIMIT ? OFFSET ?`
		args = append(args, f.Limit, max(f.Offset, 0))
	} else if f.Offset > 0 {
		q += ` LIMIT -1 OFFSET ?`
		args = append(args, f.Offset)
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("sqlite: events: %w", err)
	}
	defer rows.Close()
	out := []*vigil.Event{}
	for rows.Next() {
		var id int64
		var data string
		if err := rows.Scan(&id, &data); err != nil {
			return nil, 0, fmt.Errorf("sqlite: events: %w", err)
		}
		e, err := decodeEvent(id, data)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, e)
	}
	return out, total, rows.Err()
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
		if err := json.Unmarshal([]byte(data), &d); err != nil {
			return nil, 0, fmt.Errorf("sqlite: decode document %d: %w", id, err)
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
	rows, err := s.db.QueryContext(ctx, `SELECT s.id, s.data,
		(SELECT count(*) FROM documents d WHERE d.source_id = s.id),
		(SELECT count(*) FROM documents d WHERE d.source_id = s.id AND d.tlp_rank <= ?1),
		(SELECT count(DISTINCT r.event_id) FROM documents d JOIN reports r ON r.document_id = d.id
			JOIN events e ON e.id = r.event_id WHERE d.source_id = s.id AND e.tlp_rank <= ?1 AND e.date_start <> '')
		FROM sources s ORDER BY s.name`, rank)
	if err != nil {
		return nil, fmt.Errorf("sqlite: source stats: %w", err)
	}
	defer rows.Close()
	out := []vigil.SourceStats{}
	for rows.Next() {
		var (
			id       int64
			data     string
			all, doc int
			events   int
		)
		if err := rows.Scan(&id, &data, &all, &doc, &events); err != nil {
			return nil, fmt.Errorf("sqlite: source stats: %w", err)
		}
		if all > 0 && doc == 0 {
			continue
		}
		src, err := decodeSource(data)
		if err != nil {
			return nil, err
		}
		src.ID = id
		out = append(out, vigil.SourceStats{Source: src, Documents: doc, Events: events})
	}
	return out, rows.Err()
}

// FindBatchMarkings returns each batch's most restricted marking among the
// documents it brought or updated, in their current and superseded
// versions; RED for a batch with none.
func (s *Store) FindBatchMarkings(ctx context.Context) (map[int64]vigil.TLP, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT b.id, max(coalesce(x.r, -1)) FROM batches b LEFT JOIN (
			SELECT batch_id AS b, tlp_rank AS r FROM documents WHERE batch_id IS NOT NULL
			UNION ALL
			SELECT h.batch_id, max(d.tlp_rank, CASE json_extract(h.data, '$.tlp')
				WHEN 'CLEAR' THEN 0 WHEN 'GREEN' THEN 1 WHEN 'AMBER' THEN 2 WHEN 'AMBER+STRICT' THEN 3 ELSE 4 END)
			FROM document_history h JOIN documents d ON d.id = h.document_id WHERE h.batch_id IS NOT NULL
		) x ON x.b = b.id GROUP BY b.id`)
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
		out[id] = rankTLP(r)
	}
	return out, rows.Err()
}

// rankTLP returns the level of a rank, RED for anything out of range.
func rankTLP(r int) vigil.TLP {
	if r < 0 || r >= len(vigil.TLPLevels) {
		return vigil.TLPRed
	}
	return vigil.TLPLevels[r]
}

// FindDocumentMarkings returns the markings of the documents with the
// given ids.
func (s *Store) FindDocumentMarkings(ctx context.Context, ids []int64) (map[int64]vigil.TLP, error) {
	out := map[int64]vigil.TLP{}
	for len(ids) > 0 {
		n := min(len(ids), 500)
		args := make([]any, n)
		for i, id := range ids[:n] {
			args[i] = id
		}
		rows, err := s.db.QueryContext(ctx, `SELECT id, tlp_rank FROM documents WHERE id IN (`+placeholders(n)+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("sqlite: document markings: %w", err)
		}
		for rows.Next() {
			var id int64
			var r int
			if err := rows.Scan(&id, &r); err != nil {
				rows.Close()
				return nil, fmt.Errorf("sqlite: document markings: %w", err)
			}
			out[id] = rankTLP(r)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("sqlite: document markings: %w", err)
		}
		ids = ids[n:]
	}
	return out, nil
}
