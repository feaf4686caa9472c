package stix

import (
	"encoding/json"
	"slices"

	"github.com/vigil-osint/vigil"
)

// DocumentRef names a document by its source and key.
type DocumentRef struct {
	Source string `json:"source"`
	Key    string `json:"key"`
}

// SourcedRelationship is how vigil's writer keeps a relationship whole in
// x_vigil_relationship: its fields, and the documents that assert it.
type SourcedRelationship struct {
	vigil.Relationship
	Documents []DocumentRef `json:"documents"`
}

// Composition is a claim about a group's composition that a bundle
// carries (vigil's writer puts it on a note, in x_vigil_composition), with
// the documents that make it.
type Composition struct {
	vigil.CompositionClaim
	Documents []DocumentRef `json:"documents"`
}

// RelationshipDocuments returns the documents that assert the i-th
// relationship of Relationships: those vigil's writer named, and the
// bundle's reports whose object_refs include the relationship.
func (r *Reader) RelationshipDocuments(i int) []DocumentRef {
	if i < 0 || i >= len(r.relDocs) {
		return nil
	}
	return r.relDocs[i]
}

// Composition returns the composition claims the bundle carries.
func (r *Reader) Composition() []Composition { return r.comps }

// vigilRelationship restores a relationship that vigil's writer kept in
// x_vigil_relationship; ok is false when the object has none or it does
// not validate.
func vigilRelationship(o *object) (SourcedRelationship, bool) {
	var sr SourcedRelationship
	v := o.str("x_vigil_relationship")
	if v == "" || json.Unmarshal([]byte(v), &sr) != nil || sr.Validate() != nil {
		return sr, false
	}
	sr.ID, sr.DocumentIDs = 0, nil
	return sr, true
}

// composition reads a note that vigil's writer made of a composition
// claim; ok is false for any other note.
func (r *Reader) composition(o *object) bool {
	v := o.str("x_vigil_composition")
	if v == "" {
		return false
	}
	var c Composition
	if json.Unmarshal([]byte(v), &c) != nil || c.Validate() != nil {
		return false
	}
	c.ID, c.DocumentIDs = 0, nil
	r.comps = append(r.comps, c)
	o.used = true
	return true
}

// relationshipDocuments adds, for each relationship, the bundle's reports
// that name it in their object_refs.
func (r *Reader) relationshipDocuments(docs map[string]*vigil.Item) {
	for _, o := range r.objects {
		it := docs[o.id]
		if o.typ != "report" || it == nil {
			continue
		}
		for _, ref := range o.strs("object_refs") {
			i, ok := r.relIndex[ref]
			if !ok {
				continue
			}
			d := DocumentRef{Source: it.Document.Source, Key: it.Document.Key}
			if !slices.Contains(r.relDocs[i], d) {
				r.relDocs[i] = append(r.relDocs[i], d)
			}
		}
	}
}
