package sqlstore

import (
	"context"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/actors"
)

// Actors is vigil.ActorService on a DB.
type Actors struct{ DB *DB }

var _ vigil.ActorService = Actors{}

// UpsertActor creates the actor or replaces the one with its ID.
func (s Actors) UpsertActor(ctx context.Context, a *vigil.Actor) error {
	if err := a.Validate(); err != nil {
		return err
	}
	return s.DB.InTx(ctx, func(tx Conn) error {
		var recorded string
		err := tx.QueryRow(ctx, `SELECT recorded_at FROM actors WHERE id = ?`, a.ID).Scan(&recorded)
		switch {
		case s.DB.IsNoRows(err):
			a.RecordedAt = s.DB.Now()
		case err != nil:
			return s.DB.errorf(err, "find actor %s", a.ID)
		default:
			a.RecordedAt = parseTime(recorded)
		}
		if a.Parent != "" {
			var one int
			if err := tx.QueryRow(ctx, `SELECT 1 FROM actors WHERE id = ?`, a.Parent).Scan(&one); err != nil && a.Parent != a.ID {
				return s.DB.notFound(err, "actor %s: parent %s", a.ID, a.Parent)
			}
		}
		if _, err := tx.Exec(ctx, `INSERT INTO actors (id, data, recorded_at) VALUES (?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET data = excluded.data`, a.ID, mustJSON(a), timeText(a.RecordedAt)); err != nil {
			return s.DB.errorf(err, "upsert actor %s", a.ID)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM actor_names WHERE actor_id = ?`, a.ID); err != nil {
			return s.DB.errorf(err, "actor names %s", a.ID)
		}
		// Each row carries the name's effective marking, so that a filter
		// by name with a clearance matches only through names it allows.
		names := append([]vigil.ActorName{{Name: a.Name}, {Name: a.ID}}, a.Names...)
		for _, n := range names {
			if _, err := tx.Exec(ctx, `INSERT INTO actor_names (actor_id, norm, valid_from, valid_to, tlp_rank) VALUES (?, ?, ?, ?, ?)`,
				a.ID, actors.Normalize(n.Name), n.ValidFrom.String(), n.ValidTo.String(), a.NameMarking(n).Rank()); err != nil {
				return s.DB.errorf(err, "actor names %s", a.ID)
			}
		}
		return nil
	})
}

// FindActorByID returns the actor, or ENOTFOUND.
func (s Actors) FindActorByID(ctx context.Context, id string) (*vigil.Actor, error) {
	a, err := scanData[vigil.Actor](s.DB.Read.QueryRow(ctx, `SELECT data FROM actors WHERE id = ?`, id))
	if err != nil {
		return nil, s.DB.notFound(err, "actor %q", id)
	}
	return a, nil
}

// FindActors returns the actors that match the filter, by ID. With a
// clearance, Name matches only through the names it allows, and the
// actors come as the clearance sees them (vigil.Actor.Cleared).
func (s Actors) FindActors(ctx context.Context, f vigil.ActorFilter) ([]*vigil.Actor, error) {
	q := `SELECT data FROM actors ORDER BY id`
	var args []any
	if f.Name != "" {
		q = `SELECT data FROM actors WHERE id IN (SELECT actor_id FROM actor_names WHERE norm = ?`
		args = append(args, actors.Normalize(f.Name))
		if !f.At.IsZero() {
			q += ` AND (valid_from = '' OR valid_from <= ?) AND (valid_to = '' OR valid_to >= ?)`
			args = append(args, f.At.String(), f.At.String())
		}
		if f.Clearance != "" {
			q += ` AND tlp_rank <= ?`
			args = append(args, f.Clearance.Rank())
		}
		q += `) ORDER BY id`
	}
	as, err := all(ctx, s.DB, "actors", scanData[vigil.Actor], q, args...)
	if err != nil || f.Clearance == "" {
		return as, err
	}
	out := as[:0]
	for _, a := range as {
		if c := a.Cleared(f.Clearance); c != nil {
			out = append(out, c)
		}
	}
	return out, nil
}

// CreateRelationship records a relationship.
func (s Actors) CreateRelationship(ctx context.Context, r *vigil.Relationship) error {
	if err := r.Validate(); err != nil {
		return err
	}
	return s.DB.InTx(ctx, func(tx Conn) error {
		for _, id := range []string{r.From, r.To} {
			var one int
			if err := tx.QueryRow(ctx, `SELECT 1 FROM actors WHERE id = ?`, id).Scan(&one); err != nil {
				return s.DB.notFound(err, "relationship: actor %q", id)
			}
		}
		r.RecordedAt = s.DB.Now()
		id, err := tx.Insert(ctx, `INSERT INTO relationships (from_actor, to_actor, type, valid_from, valid_to, data, recorded_at)
			VALUES (?, ?, ?, ?, ?, '{}', ?)`, r.From, r.To, string(r.Type), r.ValidFrom.String(), r.ValidTo.String(), timeText(r.RecordedAt))
		if err != nil {
			return s.DB.errorf(err, "insert relationship")
		}
		r.ID = id
		_, err = tx.Exec(ctx, `UPDATE relationships SET data = ? WHERE id = ?`, mustJSON(r), r.ID)
		return err
	})
}

// FindRelationships returns the relationships that match the filter.
func (s Actors) FindRelationships(ctx context.Context, f vigil.RelationshipFilter) ([]*vigil.Relationship, error) {
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
	return all(ctx, s.DB, "relationships", scanData[vigil.Relationship], q+` ORDER BY valid_from, id`, args...)
}
