package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/vigil-osint/vigil"
)

var _ vigil.CompositionService = (*Store)(nil)

// CreateCompositionClaim records a sourced claim about a group's
// composition; see vigil.CompositionService.
func (s *Store) CreateCompositionClaim(ctx context.Context, c *vigil.CompositionClaim) error {
	if err := c.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *txn) error {
		for _, id := range []string{c.Actor, c.FromActor} {
			if id == "" {
				continue
			}
			var one int
			if err := tx.QueryRowContext(ctx, `SELECT 1 FROM actors WHERE id = ?`, id).Scan(&one); err != nil {
				return notFound(err, "composition: actor %q", id)
			}
		}
		for _, id := range c.DocumentIDs {
			var one int
			if err := tx.QueryRowContext(ctx, `SELECT 1 FROM documents WHERE id = ?`, id).Scan(&one); err != nil {
				return notFound(err, "composition of %s: document %d", c.Actor, id)
			}
		}
		c.RecordedAt = s.Now()
		newID, err := insertID(ctx, tx, `INSERT INTO composition_claims (actor_id, kind, layer, valid_from, valid_to, data, recorded_at)
			VALUES (?, ?, ?, ?, ?, '{}', ?)`, c.Actor, string(c.Kind), c.Layer, c.ValidFrom.String(), c.ValidTo.String(), timeText(c.RecordedAt))
		if err != nil {
			return fmt.Errorf("postgres: insert composition claim: %w", err)
		}
		c.ID = newID
		for _, id := range c.DocumentIDs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO composition_documents (claim_id, document_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, c.ID, id); err != nil {
				return fmt.Errorf("postgres: composition claim documents: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE composition_claims SET data = ? WHERE id = ?`, mustJSON(c), c.ID); err != nil {
			return fmt.Errorf("postgres: insert composition claim: %w", err)
		}
		return nil
	})
}

// FindCompositionClaims returns the claims that match the filter, by start
// date, then id.
func (s *Store) FindCompositionClaims(ctx context.Context, f vigil.CompositionFilter) ([]*vigil.CompositionClaim, error) {
	q := `SELECT data FROM composition_claims WHERE 1=1`
	var args []any
	if f.Actor != "" {
		q += ` AND actor_id = ?`
		args = append(args, f.Actor)
	}
	if f.Kind != "" {
		q += ` AND kind = ?`
		args = append(args, string(f.Kind))
	}
	if !f.To.IsZero() {
		q += ` AND (valid_from = '' OR valid_from <= ?)`
		args = append(args, f.To.String())
	}
	if !f.From.IsZero() {
		q += ` AND (valid_to = '' OR valid_to >= ?)`
		args = append(args, f.From.String())
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY valid_from, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: composition claims: %w", err)
	}
	defer rows.Close()
	var out []*vigil.CompositionClaim
	for rows.Next() {
		var data string
		if err := rows.Scan(&data); err != nil {
			return nil, fmt.Errorf("postgres: composition claims: %w", err)
		}
		var c vigil.CompositionClaim
		if err := json.Unmarshal([]byte(data), &c); err != nil {
			return nil, fmt.Errorf("postgres: decode composition claim: %w", err)
		}
		out = append(out, &c)
	}
	return out, rows.Err()
}
