package stix

import (
	"context"
	"fmt"
	"slices"

	"github.com/vigil-osint/vigil"
)

// StoreActors stores the bundle's actors before its items: new ones as they
// are, known ones merged with the actor the store holds (vigil.Actor.Merge),
// parents first. An import meets the stored actor here, and the rule holds
// across imports as within a bundle: the stored actor becomes as open as
// the bundle's assertion when that is more open (an actor stored AMBER,
// then a CLEAR bundle naming it, shows to CLEAR readers) and stays as open
// as it was when the bundle's is more restricted (a CLEAR actor never
// becomes AMBER-only because an AMBER bundle names it). Notes that the
// merged actor's marking does not cover become documents of their own,
// with their marking, among the bundle's items (KeepNotes).
func (r *Reader) StoreActors(ctx context.Context, s vigil.ActorService) error {
	pending := r.Actors()
	for len(pending) > 0 {
		var next []*vigil.Actor
		for _, a := range pending {
			if a.Parent != "" {
				if _, err := s.FindActorByID(ctx, a.Parent); err != nil {
					next = append(next, a)
					continue
				}
			}
			if err := r.storeActor(ctx, s, a); err != nil {
				return err
			}
		}
		if len(next) == len(pending) {
			// Parents that are nowhere: store the actors without them.
			for _, a := range next {
				c := *a
				c.Parent = ""
				if err := r.storeActor(ctx, s, &c); err != nil {
					return err
				}
			}
			break
		}
		pending = next
	}
	return nil
}

// storeActor stores a, merged into the stored actor with its ID if any.
func (r *Reader) storeActor(ctx context.Context, s vigil.ActorService, a *vigil.Actor) error {
	old, err := s.FindActorByID(ctx, a.ID)
	switch {
	case err == nil:
		merged := *old
		merged.Names = slices.Clone(old.Names)
		r.KeepNotes(&merged, a, merged.Merge(a))
		a = &merged
	case vigil.ErrorCode(err) != vigil.ENOTFOUND:
		return fmt.Errorf("stix: actor %s: %w", a.ID, err)
	}
	if err := s.UpsertActor(ctx, a); err != nil {
		return fmt.Errorf("stix: actor %s: %w", a.ID, err)
	}
	return nil
}
