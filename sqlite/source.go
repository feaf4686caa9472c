package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/internal/sqlstore"
)

// UpsertSource creates the source or updates the one with its name.
func (s *Store) UpsertSource(ctx context.Context, src *vigil.Source) error {
	if err := src.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error { return s.upsertSource(ctx, tx, src) })
}

// upsertSource stores src and, when it regrades a stored source, fuses
// again the events fused from its reports (refuseSource).
func (s *Store) upsertSource(ctx context.Context, tx *sql.Tx, src *vigil.Source) error {
	var id int64
	var recorded, data string
	regraded := false
	err := tx.QueryRowContext(ctx, `SELECT id, recorded_at, data FROM sources WHERE name = ?`, src.Name).Scan(&id, &recorded, &data)
	switch {
	case err == sql.ErrNoRows:
		src.RecordedAt = s.Now()
		res, err := tx.ExecContext(ctx, `INSERT INTO sources (name, data, recorded_at) VALUES (?, ?, ?)`,
			src.Name, "{}", timeText(src.RecordedAt))
		if err != nil {
			return fmt.Errorf("sqlite: insert source %q: %w", src.Name, err)
		}
		if src.ID, err = res.LastInsertId(); err != nil {
			return fmt.Errorf("sqlite: insert source: %w", err)
		}
	case err != nil:
		return fmt.Errorf("sqlite: find source %q: %w", src.Name, err)
	default:
		src.ID, src.RecordedAt = id, parseTime(recorded)
		old, err := decodeSource(data)
		if err != nil {
			return err
		}
		regraded = !vigil.SameGrade(old, src)
	}
	_, err = tx.ExecContext(ctx, `UPDATE sources SET data = ? WHERE id = ?`, mustJSON(src), src.ID)
	if err != nil {
		return fmt.Errorf("sqlite: update source %q: %w", src.Name, err)
	}
	if regraded {
		return s.refuseSource(ctx, tx, src.ID)
	}
	return nil
}

// refuseSource fuses again, with the source's grade as tx holds it, the
// stored events that keep the fusion of one of its reports: those of
// several reports (an event of one is fused as it is read).
func (s *Store) refuseSource(ctx context.Context, tx *sql.Tx, id int64) error {
	ids, err := sqlstore.IDs(ctx, conn{tx}, `SELECT DISTINCT r.event_id FROM documents d JOIN reports r ON r.document_id = d.id
		JOIN events e ON e.id = r.event_id WHERE d.source_id = ? AND e.data <> '' ORDER BY 1`, id)
	if err != nil {
		return fmt.Errorf("sqlite: events of source %d: %w", id, err)
	}
	return s.refuseIDs(ctx, tx, ids)
}

// refuseIDs fuses the events ids again in tx.
func (s *Store) refuseIDs(ctx context.Context, tx *sql.Tx, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	w, err := s.newWriter(ctx, tx, 0)
	if err != nil {
		return err
	}
	defer w.close()
	return w.refuseAll(ids)
}

// FuseEvents fuses again every stored event that keeps a fusion: those
// of several reports (an event of one is fused as it is read), refuseChunk
// events a transaction (vigil.EventFuser).
func (s *Store) FuseEvents(ctx context.Context) (int, error) {
	ids, err := sqlstore.IDs(ctx, conn{s.db}, `SELECT id FROM events WHERE data <> '' ORDER BY id`)
	if err != nil {
		return 0, fmt.Errorf("sqlite: events to fuse: %w", err)
	}
	for part := range slices.Chunk(ids, refuseChunk) {
		if err := s.inTx(ctx, func(tx *sql.Tx) error { return s.refuseIDs(ctx, tx, part) }); err != nil {
			return 0, err
		}
	}
	return len(ids), nil
}

// FindSourceByName returns the named source, or ENOTFOUND.
func (s *Store) FindSourceByName(ctx context.Context, name string) (*vigil.Source, error) {
	var data string
	err := s.db.QueryRowContext(ctx, `SELECT data FROM sources WHERE name = ?`, name).Scan(&data)
	if err != nil {
		return nil, notFound(err, "source %q", name)
	}
	return decodeSource(data)
}

// FindSources returns every source, by name.
func (s *Store) FindSources(ctx context.Context) ([]*vigil.Source, error) {
	return s.sources(ctx, s.db)
}

// sourcesByID returns the sources by id.
func (s *Store) sourcesByID(ctx context.Context, q querier) (map[int64]*vigil.Source, error) {
	srcs, err := s.sources(ctx, q)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]*vigil.Source, len(srcs))
	for _, src := range srcs {
		byID[src.ID] = src
	}
	return byID, nil
}

func (s *Store) sources(ctx context.Context, q querier) ([]*vigil.Source, error) {
	rows, err := q.QueryContext(ctx, `SELECT data FROM sources ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: sources: %w", err)
	}
	defer rows.Close()
	var out []*vigil.Source
	for rows.Next() {
		var data string
		if err := rows.Scan(&data); err != nil {
			return nil, fmt.Errorf("sqlite: sources: %w", err)
		}
		src, err := decodeSource(data)
		if err != nil {
			return nil, err
		}
		out = append(out, src)
	}
	return out, rows.Err()
}

func decodeSource(data string) (*vigil.Source, error) {
	var src vigil.Source
	if err := json.Unmarshal([]byte(data), &src); err != nil {
		return nil, fmt.Errorf("sqlite: decode source: %w", err)
	}
	return &src, nil
}
