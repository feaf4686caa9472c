package stix

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/vigil-osint/vigil"
	istix "github.com/vigil-osint/vigil/ingest/stix"
)

// Basis is a document behind an assertion (a relationship, a composition
// claim), with its source.
type Basis struct {
	Document vigil.Document
	Source   vigil.Source
}

// refs returns the documents of a basis, named by source and key.
func refs(basis []Basis) []istix.DocumentRef {
	out := []istix.DocumentRef{}
	for _, b := range basis {
		out = append(out, istix.DocumentRef{Source: b.Document.Source, Key: b.Document.Key})
	}
	return out
}

// basisDocuments writes each document of a basis as a report whose
// object_refs include ref, created by its source's identity.
func (w *Writer) basisDocuments(ref string, basis []Basis) {
	for _, b := range basis {
		src := b.Source
		if src.Name == "" {
			src = vigil.Source{Name: b.Document.Source, Kind: vigil.SourceNews, Reliability: vigil.ReliabilityF}
		}
		doc := b.Document
		if doc.Source == "" {
			doc.Source = src.Name
		}
		ident := w.identity(src)
		w.document(doc, ident, []string{ref}, w.markingRef(doc.Marking), stamp(doc.RecordedAt, w.opt.Now))
	}
}

// WriteSourcedRelationship writes a relationship and the documents that
// assert it: each document a report whose object_refs name the
// relationship, created by its source's identity. vigil's STIX reader
// gives the documents back with the relationship (RelationshipDocuments).
func (w *Writer) WriteSourcedRelationship(r *vigil.Relationship, basis []Basis) error {
	id := w.relationship(r, refs(basis))
	w.basisDocuments(id, basis)
	return w.err
}

// WriteComposition writes a composition claim as a note on the group's
// threat-actor (and on the actor its members came from), with the
// documents that make the claim as reports that refer to the note. The
// note's abstract says what the claim is about and whether it asserts or
// denies it, its content what it says, its authors the sources, its
// confidence the claim's credibility; x_vigil_composition keeps the whole
// claim, so that vigil's STIX reader gives it back (Composition).
func (w *Writer) WriteComposition(c *vigil.CompositionClaim, basis []Basis) error {
	named := stamp(c.RecordedAt, w.opt.Now)
	objs := []string{w.actorObject(c.Actor, c.Actor, named)}
	if c.FromActor != "" {
		objs = append(objs, w.actorObject(c.FromActor, c.FromActor, named))
	}
	key := fmt.Sprintf("composition:%s|%s|%s|%s|%s|%s|%s", c.Actor, c.Kind, c.Layer, c.Stance, c.ValidFrom, c.ValidTo, c.What)
	o := sdo("note", key, stamp(c.RecordedAt, w.opt.Now), stamp(c.RecordedAt, w.opt.Now))
	stance := "asserts"
	if c.Stance == vigil.StanceDenies {
		stance = "denies"
	}
	period := ""
	if !c.ValidFrom.IsZero() || !c.ValidTo.IsZero() {
		period = fmt.Sprintf(", %s to %s", c.ValidFrom, c.ValidTo)
	}
	o["abstract"] = fmt.Sprintf("Composition (%s, %s%s): %s", c.Kind, c.Layer, period, stance)
	content := c.What
	if len(c.Groups) > 0 {
		content += "\nWho: " + strings.Join(c.Groups, ", ")
	}
	if c.Region != "" {
		content += "\nWhere: " + c.Region
	}
	if c.Description != "" {
		content += "\n\n" + c.Description
	}
	o["content"] = content
	var authors []string
	for _, b := range basis {
		if n := b.Document.Source; n != "" {
			authors = append(authors, n)
		}
	}
	if len(authors) > 0 {
		o["authors"] = authors
	}
	o["object_refs"] = objs
	if cf := istix.ConfidenceFromCredibility(c.Credibility); cf != nil {
		o["confidence"] = *cf
	}
	vc := istix.Composition{CompositionClaim: *c, Documents: refs(basis)}
	vc.ID, vc.DocumentIDs, vc.RecordedAt = 0, nil, time.Time{}
	o["x_vigil_composition"] = jsonString(vc)
	w.emit(o)
	w.basisDocuments(o["id"].(string), basis)
	return w.err
}

// ClaimStore is what WriteActorClaims reads: the relationships, the
// documents behind them and their sources (and composition claims where
// the store keeps them, vigil.CompositionService).
type ClaimStore interface {
	FindRelationships(ctx context.Context, f vigil.RelationshipFilter) ([]*vigil.Relationship, error)
	FindDocumentByID(ctx context.Context, id int64) (*vigil.Document, error)
	FindSourceByName(ctx context.Context, name string) (*vigil.Source, error)
}

// actorFinder is what WriteActorClaims asks of a store that holds actors,
// to leave out the claims about actors allow does not allow.
type actorFinder interface {
	FindActorByID(ctx context.Context, id string) (*vigil.Actor, error)
}

// WriteActorClaims writes the store's relationships and composition
// claims, each with the documents behind it and their sources. A claim
// goes in only when allow (nil: everything) allows every document behind
// it, as GET /relationships shows them: the claim's values (its type,
// dates, description) may come from any of them; and, where the store
// holds actors, every actor it names (an actor known only from an AMBER
// source is not named to a CLEAR reader).
func (w *Writer) WriteActorClaims(ctx context.Context, s ClaimStore, allow func(vigil.TLP) bool) error {
	actorOK := map[string]bool{}
	actorsAllowed := func(ids ...string) (bool, error) {
		af, ok := s.(actorFinder)
		if allow == nil || !ok {
			return true, nil
		}
		for _, id := range ids {
			if id == "" {
				continue
			}
			seen, known := actorOK[id]
			if !known {
				a, err := af.FindActorByID(ctx, id)
				switch {
				case vigil.ErrorCode(err) == vigil.ENOTFOUND:
					seen = true
				case err != nil:
					return false, err
				default:
					seen = allow(vigil.MoreRestricted(a.Marking, ""))
				}
				actorOK[id] = seen
			}
			if !seen {
				return false, nil
			}
		}
		return true, nil
	}
	cache := map[int64]*Basis{}
	basis := func(ids []int64) ([]Basis, bool, error) {
		var out []Basis
		for _, id := range ids {
			b, ok := cache[id]
			if !ok {
				d, err := s.FindDocumentByID(ctx, id)
				if err != nil {
					return nil, false, err
				}
				src, err := s.FindSourceByName(ctx, d.Source)
				if err != nil {
					return nil, false, err
				}
				if allow == nil || allow(d.Marking) {
					b = &Basis{Document: *d, Source: *src}
				}
				cache[id] = b
			}
			if b != nil {
				out = append(out, *b)
			}
		}
		return out, len(out) == len(ids), nil
	}
	rels, err := s.FindRelationships(ctx, vigil.RelationshipFilter{})
	if err != nil {
		return err
	}
	for _, r := range rels {
		if ok, err := actorsAllowed(r.From, r.To); err != nil || !ok {
			if err != nil {
				return fmt.Errorf("relationship %d: %w", r.ID, err)
			}
			continue
		}
		b, ok, err := basis(r.DocumentIDs)
		if err != nil {
			return fmt.Errorf("relationship %d: %w", r.ID, err)
		}
		if !ok {
			continue
		}
		if err := w.WriteSourcedRelationship(r, b); err != nil {
			return err
		}
	}
	cs, ok := s.(vigil.CompositionService)
	if !ok {
		return nil
	}
	claims, err := cs.FindCompositionClaims(ctx, vigil.CompositionFilter{})
	if err != nil {
		return err
	}
	for _, c := range claims {
		if ok, err := actorsAllowed(c.Actor, c.FromActor); err != nil || !ok {
			if err != nil {
				return fmt.Errorf("composition claim %d: %w", c.ID, err)
			}
			continue
		}
		b, ok, err := basis(c.DocumentIDs)
		if err != nil {
			return fmt.Errorf("composition claim %d: %w", c.ID, err)
		}
		if !ok {
			continue
		}
		if err := w.WriteComposition(c, b); err != nil {
			return err
		}
	}
	return nil
}
