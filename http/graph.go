package http

import (
	"context"
	"net/http"
	"strconv"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/network"
)

// clearedNetwork is the store as network.Build reads it for one reader:
// events their clearance allows, and relationships whose every document
// it allows (as GET /relationships shows them), so that no edge, weight
// or metric of the graph owes anything to material above it.
type clearedNetwork struct {
	s *Server
	p *principal
}

func (c clearedNetwork) FindActors(ctx context.Context, f vigil.ActorFilter) ([]*vigil.Actor, error) {
	f.Clearance = c.p.clearance()
	return c.s.Store.FindActors(ctx, f)
}

func (c clearedNetwork) FindRelationships(ctx context.Context, f vigil.RelationshipFilter) ([]*vigil.Relationship, error) {
	rels, err := c.s.Store.FindRelationships(ctx, f)
	if err != nil {
		return nil, err
	}
	return c.s.allowedRelationships(ctx, c.p, rels)
}

func (c clearedNetwork) FindEventPage(ctx context.Context, f vigil.EventFilter, order vigil.EventOrder) ([]*vigil.Event, error) {
	f.Clearance = c.p.clearance()
	return c.s.Browse.FindEventPage(ctx, f, order)
}

func (c clearedNetwork) FindDocumentByID(ctx context.Context, id int64) (*vigil.Document, error) {
	d, err := c.s.Store.FindDocumentByID(ctx, id)
	if err == nil && !c.p.allows(d.Marking) {
		return nil, errorf(vigil.ENOTFOUND, "document %d", id)
	}
	return d, err
}

// allowedRelationships keeps the relationships whose every document the
// principal may see, between actors they may see.
func (s *Server) allowedRelationships(ctx context.Context, p *principal, rels []*vigil.Relationship) ([]*vigil.Relationship, error) {
	var ids []int64
	for _, rel := range rels {
		ids = append(ids, rel.DocumentIDs...)
	}
	marks, err := s.Browse.FindDocumentMarkings(ctx, ids)
	if err != nil {
		return nil, err
	}
	seen, err := s.visibleActors(ctx, p)
	if err != nil {
		return nil, err
	}
	out := []*vigil.Relationship{}
next:
	for _, rel := range rels {
		if seen != nil && (!seen[rel.From] || !seen[rel.To]) {
			continue
		}
		for _, id := range rel.DocumentIDs {
			if m, ok := marks[id]; !ok || !p.allows(m) {
				continue next
			}
		}
		out = append(out, rel)
	}
	return out, nil
}

// getActorGraph returns the network of actors over a window, as `vigil
// actors graph --format json` does: at (relationships that hold on that
// day, events of the span days up to it, 365 by default) or from and to;
// actor keeps one actor, its neighbours and the ties among them.
func (s *Server) getActorGraph(w http.ResponseWriter, r *http.Request, p *principal) error {
	q := r.URL.Query()
	date := func(name string) (vigil.Date, error) {
		v := q.Get(name)
		if v == "" {
			return vigil.Date{}, nil
		}
		d, err := vigil.ParseDate(v)
		if err != nil {
			return d, errorf(vigil.EINVALID, "%s: %s", name, vigil.ErrorMessage(err))
		}
		return d, nil
	}
	at, err := date("at")
	if err != nil {
		return err
	}
	var win network.Window
	if !at.IsZero() {
		span := 365
		if v := q.Get("span"); v != "" {
			if span, err = strconv.Atoi(v); err != nil || span < 1 || span > 36600 {
				return errorf(vigil.EINVALID, "span %q: want 1–36600 days", v)
			}
		}
		if q.Get("from") != "" || q.Get("to") != "" {
			return errorf(vigil.EINVALID, "give at (and span) or from and to, not both")
		}
		win = network.AtDay(at, span)
	} else {
		if win.From, err = date("from"); err != nil {
			return err
		}
		if win.To, err = date("to"); err != nil {
			return err
		}
	}
	ctx := r.Context()
	var ego []string
	if name := q.Get("actor"); name != "" {
		found, err := s.Store.FindActors(ctx, vigil.ActorFilter{Name: name, Clearance: p.clearance()})
		if err != nil {
			return err
		}
		if len(found) == 0 {
			return errorf(vigil.ENOTFOUND, "no actor is named %q", name)
		}
		for _, a := range found {
			ego = append(ego, a.ID)
		}
	}
	g, err := network.Build(ctx, clearedNetwork{s, p}, win, network.Options{Clearance: p.clearance()})
	if err != nil {
		return err
	}
	if ego != nil {
		g = g.Ego(ego...)
	}
	return writeJSON(w, http.StatusOK, g)
}
