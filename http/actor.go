package http

import (
	"net/http"

	"github.com/vigil-osint/vigil"
)

// listActors lists actors; name matches any name or alias, at keeps only
// names valid on that day. A reader sees the actors and names their
// clearance allows, and name matches only through those (see
// vigil.Actor.Cleared).
func (s *Server) listActors(w http.ResponseWriter, r *http.Request, p *principal) error {
	q := r.URL.Query()
	f := vigil.ActorFilter{Name: q.Get("name"), Clearance: p.clearance()}
	if v := q.Get("at"); v != "" {
		var err error
		if f.At, err = vigil.ParseDate(v); err != nil {
			return errorf(vigil.EINVALID, "at: %s", vigil.ErrorMessage(err))
		}
	}
	as, err := s.Store.FindActors(r.Context(), f)
	if err != nil {
		return err
	}
	if as == nil {
		as = []*vigil.Actor{}
	}
	return writeJSON(w, http.StatusOK, as)
}

// getActor returns an actor as the reader's clearance sees it: without
// the names it does not allow, and not at all (404, as for an actor that
// does not exist) when it does not allow the actor's marking.
func (s *Server) getActor(w http.ResponseWriter, r *http.Request, p *principal) error {
	id := r.PathValue("id")
	a, err := s.Store.FindActorByID(r.Context(), id)
	if err != nil {
		return err
	}
	if a = a.Cleared(p.clearance()); a == nil {
		return errorf(vigil.ENOTFOUND, "actor %q", id)
	}
	return writeTagged(w, r, a)
}

// listRelationships lists the relationships between actors whose every
// document the reader may see: a tie asserted by a document above their
// clearance is not shown at all.
func (s *Server) listRelationships(w http.ResponseWriter, r *http.Request, p *principal) error {
	q := r.URL.Query()
	f := vigil.RelationshipFilter{Actor: q.Get("actor"), Type: vigil.RelationshipType(q.Get("type"))}
	if f.Type != "" && !f.Type.Valid() {
		return errorf(vigil.EINVALID, "type %q: want one of %v", f.Type, vigil.RelationshipTypes)
	}
	if v := q.Get("at"); v != "" {
		var err error
		if f.At, err = vigil.ParseDate(v); err != nil {
			return errorf(vigil.EINVALID, "at: %s", vigil.ErrorMessage(err))
		}
	}
	rels, err := s.Store.FindRelationships(r.Context(), f)
	if err != nil {
		return err
	}
	out, err := s.allowedRelationships(r.Context(), p, rels)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}
