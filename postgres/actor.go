package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/actors"
)

// UpsertActor creates the actor or replaces the one with its ID.
func (s *Store) UpsertActor(ctx context.Context, a *vigil.Actor) error {
	if err := a.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *txn) error {
		var recorded string
		err := tx.QueryRowContext(ctx, `SELECT recorded_at FROM actors WHERE id = ?`, a.ID).Scan(&recorded)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			a.RecordedAt = s.Now()
		case err != nil:
			return fmt.Errorf("postgres: find actor %s: %w", a.ID, err)
		default:
			a.RecordedAt = parseTime(recorded)
		}
		if a.Parent != "" {
			var one int
			if err := tx.QueryRowContext(ctx, `SELECT 1 FROM actors WHERE id = ?`, a.Parent).Scan(&one); err != nil && a.Parent != a.ID {
				return notFound(err, "actor %s: parent %s", a.ID, a.Parent)
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO actors (id, data, recorded_at) VALUES (?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET data = excluded.data`, a.ID, mustJSON(a), timeText(a.RecordedAt)); err != nil {
			return fmt.Errorf("postgres: upsert actor %s: %w", a.ID, err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM actor_names WHERE actor_id = ?`, a.ID); err != nil {
			return fmt.Errorf("postgres: actor names %s: %w", a.ID, err)
		}
		names := append([]vigil.ActorName{{Name: a.Name}, {Name: a.ID}}, a.Names...)
		for _, n := range names {
			if _, err := tx.ExecContext(ctx, `INSERT INTO actor_names (actor_id, norm, valid_from, valid_to) VALUES (?, ?, ?, ?)`,
				a.ID, actors.Normalize(n.Name), n.ValidFrom.String(), n.ValidTo.String()); err != nil {
				return fmt.Errorf("postgres: actor names %s: %w", a.ID, err)
			}
		}
		return nil
	})
}

// FindActorByID returns the actor, or ENOTFOUND.
func (s *Store) FindActorByID(ctx context.Context, id string) (*vigil.Actor, error) {
	var data string
	if err := s.db.QueryRowContext(ctx, `SELECT data FROM actors WHERE id = ?`, id).Scan(&data); err != nil {
		return nil, notFound(err, "actor %q", id)
	}
	var a vigil.Actor
	if err := json.Unmarshal([]byte(data), &a); err != nil {
		return nil, fmt.Errorf("postgres: decode actor: %w", err)
	}
	return &a, nil
}

// FindActors returns the actors that match the filter, by ID.
func (s *Store) FindActors(ctx context.Context, f vigil.ActorFilter) ([]*vigil.Actor, error) {
	q := `SELECT data FROM actors ORDER BY id`
	var args []any
	if f.Name != "" {
		q = `SELECT data FROM actors WHERE id IN (SELECT actor_id FROM actor_names WHERE norm = ?`
		args = append(args, actors.Normalize(f.Name))
		if !f.At.IsZero() {
			q += ` AND (valid_from = '' OR valid_from <= ?) AND (valid_to = '' OR valid_to >= ?)`
			args = append(args, f.At.String(), f.At.String())
		}
		q += `) ORDER BY id`
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: actors: %w", err)
	}
	defer rows.Close()
	var out []*vigil.Actor
	for rows.Next() {
		var data string
		if err := rows.Scan(&data); err != nil {
			return nil, fmt.Errorf("postgres: actors: %w", err)
		}
		var a vigil.Actor
		if err := json.Unmarshal([]byte(data), &a); err != nil {
			return nil, fmt.Errorf("postgres: decode actor: %w", err)
		}
		out = append(out, &a)
	}
	return out, rows.Err()
}

// CreateRelationship records a relationship.
func (s *Store) CreateRelationship(ctx context.Context, r *vigil.Relationship) error {
	if err := r.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *txn) error {
		for _, id := range []string{r.From, r.To} {
			var one int
			if err := tx.QueryRowContext(ctx, `SELECT 1 FROM actors WHERE id = ?`, id).Scan(&one); err != nil {
				return notFound(err, "relationship: actor %q", id)
			}
		}
		r.RecordedAt = s.Now()
		newID, err := insertID(ctx, tx, `INSERT INTO relationships (from_actor, to_actor, type, valid_from, valid_to, data, recorded_at)
			VALUES (?, ?, ?, ?, ?, '{}', ?)`, r.From, r.To, string(r.Type), r.ValidFrom.String(), r.ValidTo.String(), timeText(r.RecordedAt))
		if err != nil {
			return fmt.Errorf("postgres: insert relationship: %w", err)
		}
		r.ID = newID
		_, err = tx.ExecContext(ctx, `UPDATE relationships SET data = ? WHERE id = ?`, mustJSON(r), r.ID)
		return err
	})
}

// FindRelationships returns the relationships that match the filter.
func (s *Store) FindRelationships(ctx context.Context, f vigil.RelationshipFilter) ([]*vigil.Relationship, error) {
	q := `SELECT data FROM relationships WHERE 1=1`
	var args []any
	if f.Actor != "" {
		q += ` AND (from_actor = ? OR to_actor = ?)`
		args = append(args, f.Actor, f.Actor)
	}
	if f.Type != "" {
		q += ` AND type = ?`
		args = append(args, string(f.Type))
	}
	if !f.At.IsZero() {
		q += ` AND (valid_from = '' OR valid_from <= ?) AND (valid_to = '' OR valid_to >= ?)`
		args = append(args, f.At.String(), f.At.String())
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY valid_from, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: relationships: %w", err)
	}
	defer rows.Close()
	var out []*vigil.Relationship
	for rows.Next() {
		var data string
		if err := rows.Scan(&data); err != nil {
			return nil, fmt.Errorf("postgres: relationships: %w", err)
		}
		var r vigil.Relationship
		if err := json.Unmarshal([]byte(data), &r); err != nil {
			return nil, fmt.Errorf("postgres: decode relationship: %w", err)
		}
		out = append(out, &r)
	}
	return out, rows.Err()
}
