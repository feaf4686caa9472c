package main

import (
	"context"
	"fmt"
	"io"
	"slices"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/actors"
	"github.com/vigil-osint/vigil/ingest"
	"github.com/vigil-osint/vigil/ingest/casefile"
	"github.com/vigil-osint/vigil/ingest/stix"
)

// storeHooks is a reader with records to store around its items: before
// them (actors that the reports name), and after them (relationships).
type storeHooks interface {
	BeforeItems(ctx context.Context, s vigil.Store) error
	AfterItems(ctx context.Context, s vigil.Store) error
}

// stixImport stores a bundle's actors and relationships around its items.
type stixImport struct{ *stix.Reader }

// BeforeItems stores the bundle's actors, merged with those the store
// holds (stix.Reader.StoreActors).
func (x *stixImport) BeforeItems(ctx context.Context, s vigil.Store) error {
	return x.StoreActors(ctx, s)
}

// AfterItems records the bundle's relationships that the store does not
// hold yet, so that importing a bundle twice changes nothing.
func (x *stixImport) AfterItems(ctx context.Context, s vigil.Store) error {
	for i, r := range x.Relationships() {
		have, err := s.FindRelationships(ctx, vigil.RelationshipFilter{Actor: r.From, Type: r.Type})
		if err != nil {
			return fmt.Errorf("stix: relationships: %w", err)
		}
		dup := false
		for _, h := range have {
			if h.From == r.From && h.To == r.To && h.ValidFrom == r.ValidFrom && h.ValidTo == r.ValidTo && h.Description == r.Description {
				dup = true
			}
		}
		if dup {
			continue
		}
		if r.DocumentIDs, err = documentIDs(ctx, s, x.RelationshipDocuments(i)); err != nil {
			return fmt.Errorf("stix: relationship %s %s %s: %w", r.From, r.Type, r.To, err)
		}
		if err := s.CreateRelationship(ctx, r); err != nil {
			return fmt.Errorf("stix: relationship %s %s %s: %w", r.From, r.Type, r.To, err)
		}
	}
	return storeStixComposition(ctx, s, x.Reader)
}

// caseImport stores a case file's relationships after its documents,
// which they cite.
type caseImport struct{ *casefile.Reader }

func openCase(r io.Reader, name string, dict *actors.Dictionary) (ingest.Reader, error) {
	cr, err := casefile.NewReader(r, name, dict)
	if err != nil {
		return nil, err
	}
	return &caseImport{cr}, nil
}

// BeforeItems does nothing: a case file's actors are the dictionary's.
func (x *caseImport) BeforeItems(context.Context, vigil.Store) error { return nil }

// AfterItems stores the case file's relationships with the ids of the
// documents that assert them, leaving out those already stored.
func (x *caseImport) AfterItems(ctx context.Context, s vigil.Store) error {
	rels, err := x.Relationships()
	if err != nil {
		return err
	}
	for _, cr := range rels {
		r := cr.Relationship
		r.DocumentIDs = nil
		for _, ref := range cr.Documents {
			d, err := s.FindDocumentByKey(ctx, ref.Source, ref.Key)
			if err != nil {
				return fmt.Errorf("relationship %s %s %s: %w", r.From, r.Type, r.To, err)
			}
			r.DocumentIDs = append(r.DocumentIDs, d.ID)
		}
		stored, err := s.FindRelationships(ctx, vigil.RelationshipFilter{Actor: r.From, Type: r.Type})
		if err != nil {
			return err
		}
		if slices.ContainsFunc(stored, func(o *vigil.Relationship) bool {
			return o.From == r.From && o.To == r.To && o.ValidFrom == r.ValidFrom && o.ValidTo == r.ValidTo && o.Description == r.Description
		}) {
			continue
		}
		if err := s.CreateRelationship(ctx, &r); err != nil {
			return fmt.Errorf("relationship %s %s %s: %w", r.From, r.Type, r.To, err)
		}
	}
	return storeCaseComposition(ctx, s, x.Reader)
}
