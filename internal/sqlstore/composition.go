package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/vigil-osint/vigil"
)

// Composition is vigil.CompositionService on a DB.
type Composition struct{ DB *DB }

var _ vigil.CompositionService = Composition{}

// CreateCompositionClaim records a sourced claim about a group's
// composition; see vigil.CompositionService.
func (s Composition) CreateCompositionClaim(ctx context.Context, c *vigil.CompositionClaim) error {
	if err := c.Validate(); err != nil {
		return err
	}
	return s.DB.InTx(ctx, func(tx Conn) error {
		for _, id := range []string{c.Actor, c.FromActor} {
			if id == "" {
				continue
			}
			var one int
			if err := tx.QueryRow(ctx, `SELECT 1 FROM actors WHERE id = ?`, id).Scan(&one); err != nil {
				return s.DB.notFound(err, "composition: actor %q", id)
			}
		}
		for _, id := range c.DocumentIDs {
			var one int
			if err := tx.QueryRow(ctx, `SELECT 1 FROM documents WHERE id = ?`, id).Scan(&one); err != nil {
				return s.DB.notFound(err, "composition of %s: document %d", c.Actor, id)
			}
		}
		c.RecordedAt = s.DB.Now()
		id, err := tx.Insert(ctx, `INSERT INTO composition_claims (actor_id, kind, layer, valid_from, valid_to, data, recorded_at)
			VALUES (?, ?, ?, ?, ?, '{}', ?)`, c.Actor, string(c.Kind), c.Layer, c.ValidFrom.String(), c.ValidTo.String(), timeText(c.RecordedAt))
		if err != nil {
			return s.DB.errorf(err, "insert composition claim")
		}
		c.ID = id
		for _, id := range c.DocumentIDs {
			if _, err := tx.Exec(ctx, `INSERT INTO composition_documents (claim_id, document_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, c.ID, id); err != nil {
				return s.DB.errorf(err, "composition claim documents")
			}
		}
		data, err := json.Marshal(c)
		if err != nil {
			return fmt.Errorf("composition claim: %w", err)
		}
		if _, err := tx.Exec(ctx, `UPDATE composition_claims SET data = ? WHERE id = ?`, string(data), c.ID); err != nil {
			return s.DB.errorf(err, "insert composition claim")
		}
		return nil
	})
}

// FindCompositionClaims returns the claims that match the filter, by start
// date, then id.
func (s Composition) FindCompositionClaims(ctx context.Context, f vigil.CompositionFilter) ([]*vigil.CompositionClaim, error) {
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
	return all(ctx, s.DB, "composition claims", scanData[vigil.CompositionClaim], q+` ORDER BY valid_from, id`, args...)
}
