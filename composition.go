package vigil

import (
	"context"
	"sort"
	"strings"
	"time"
)

// CompositionKind says what a composition claim describes.
type CompositionKind string

// The composition kinds.
const (
	// CompositionLayer is a layer of a group's structure as it stands
	// over a period: an outer layer of local fighters, a foreign core.
	CompositionLayer CompositionKind = "layer"
	// CompositionOrigin is a stream a group was formed from: commanders
	// who defected from another group, fighters resettled, operatives
	// sent by a parent.
	CompositionOrigin CompositionKind = "origin"
	// CompositionRecruitment is a pool a group recruits from over a
	// period: Tajik and Uzbek recruits in the north since 2021.
	CompositionRecruitment CompositionKind = "recruitment"
)

// CompositionKinds lists every composition kind.
var CompositionKinds = []CompositionKind{CompositionLayer, CompositionOrigin, CompositionRecruitment}

// Valid reports whether k is a known kind.
func (k CompositionKind) Valid() bool { return contains(CompositionKinds, k) }

// Stance says whether a claim asserts what it describes or denies it.
type Stance string

// The stances. The Taliban deny that ISKP has a foreign core which the
// Ahmadzai analysis asserts: both claims are kept, side by side.
const (
	StanceAsserts Stance = "asserts"
	StanceDenies  Stance = "denies"
)

// Valid reports whether s is a known stance ("" means asserts).
func (s Stance) Valid() bool { return s == "" || s == StanceAsserts || s == StanceDenies }

// CompositionClaim is a sourced claim about who makes up a group: one of
// its layers, a stream it was formed from, or a pool it recruits from,
// over a period (zero dates are open), with the documents that make the
// claim and a credibility on the Admiralty scale. Claims are assertions,
// never merged: conflicting ones are kept side by side (see
// CompositionConflicts).
type CompositionClaim struct {
	ID    int64           `json:"id"`
	Actor string          `json:"actor"` // the group's actor id
	Kind  CompositionKind `json:"kind"`
	// Layer names the layer or stream within the group ("outer layer",
	// "core", "stream 1: TTP commanders"); claims about one layer line up
	// on the timeline.
	Layer string `json:"layer"`
	// What says who the members are, in the analyst's words.
	What string `json:"what"`
	// Groups are the peoples, nationalities or regions of origin the
	// claim names ("Pashtun", "Tajik", "Central Asian"), for comparison
	// across periods.
	Groups []string `json:"groups,omitempty"`
	// FromActor is the actor the members came from, when there is one
	// (TTP for the Tirah stream).
	FromActor string `json:"from_actor,omitempty"`
	// Region is where the layer or stream is found ("Tirah valley",
	// "northern and western Afghanistan").
	Region      string `json:"region,omitempty"`
	Stance      Stance `json:"stance,omitempty"`
	ValidFrom   Date   `json:"valid_from"`
	ValidTo     Date   `json:"valid_to"`
	Description string `json:"description,omitempty"`
	// DocumentIDs are the documents that make the claim.
	DocumentIDs []int64     `json:"document_ids,omitempty"`
	Credibility Credibility `json:"credibility,omitempty"`
	RecordedAt  time.Time   `json:"recorded_at"`
}

// Validate checks the claim's fields.
func (c *CompositionClaim) Validate() error {
	switch {
	case c.Actor == "":
		return Errorf(EINVALID, "composition: actor required")
	case !c.Kind.Valid():
		return Errorf(EINVALID, "composition of %s: kind %q: want one of %s", c.Actor, c.Kind, join(CompositionKinds))
	case strings.TrimSpace(c.Layer) == "":
		return Errorf(EINVALID, "composition of %s: layer required", c.Actor)
	case strings.TrimSpace(c.What) == "":
		return Errorf(EINVALID, "composition of %s, %s: what required", c.Actor, c.Layer)
	case !c.Stance.Valid():
		return Errorf(EINVALID, "composition of %s, %s: stance %q: want asserts or denies", c.Actor, c.Layer, c.Stance)
	case !c.ValidTo.IsZero() && c.ValidTo.Before(c.ValidFrom):
		return Errorf(EINVALID, "composition of %s, %s: ends %s before it starts %s", c.Actor, c.Layer, c.ValidTo, c.ValidFrom)
	case c.Credibility != 0 && !c.Credibility.Valid():
		return Errorf(EINVALID, "composition of %s, %s: credibility %d: want 1–6", c.Actor, c.Layer, c.Credibility)
	case c.FromActor != "" && c.FromActor == c.Actor:
		return Errorf(EINVALID, "composition of %s, %s: from_actor is the group itself", c.Actor, c.Layer)
	}
	return nil
}

// Overlaps reports whether the claim's period and [from, to] (zero ends
// open) share a day.
func (c *CompositionClaim) Overlaps(from, to Date) bool {
	return Overlaps(c.ValidFrom, c.ValidTo, from, to)
}

// Overlaps reports whether the periods [af, at] and [bf, bt] share a day;
// zero ends are open.
func Overlaps(af, at, bf, bt Date) bool {
	return (at.IsZero() || bf.IsZero() || !at.Before(bf)) && (bt.IsZero() || af.IsZero() || !bt.Before(af))
}

// CompositionConflict is two claims about one layer of one group over
// periods that overlap, where one denies what the other asserts.
type CompositionConflict struct {
	Actor string `json:"actor"`
	Layer string `json:"layer"`
	// Claims are the ids of the claims on each side: asserting first.
	Claims [2]int64 `json:"claims"`
}

// CompositionConflicts finds the conflicts among claims: for each layer of
// each group, every asserting claim against every denying one whose period
// overlaps it. Neither side is dropped; the conflict names both.
func CompositionConflicts(claims []*CompositionClaim) []CompositionConflict {
	var out []CompositionConflict
	for _, a := range claims {
		if a.Stance == StanceDenies {
			continue
		}
		for _, d := range claims {
			if d.Stance != StanceDenies || d.Actor != a.Actor || !strings.EqualFold(d.Layer, a.Layer) {
				continue
			}
			if a.Overlaps(d.ValidFrom, d.ValidTo) {
				out = append(out, CompositionConflict{Actor: a.Actor, Layer: a.Layer, Claims: [2]int64{a.ID, d.ID}})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Claims[0] != out[j].Claims[0] {
			return out[i].Claims[0] < out[j].Claims[0]
		}
		return out[i].Claims[1] < out[j].Claims[1]
	})
	return out
}

// CompositionFilter selects composition claims. Zero fields select
// everything.
type CompositionFilter struct {
	Actor string // the group's actor id
	Kind  CompositionKind
	// From and To keep the claims whose period overlaps [From, To].
	From Date
	To   Date
}

// CompositionService keeps sourced claims about the composition of groups.
// Stores that have it say so by implementing it (the SQLite store does);
// callers find it with a type assertion on the Store.
type CompositionService interface {
	// CreateCompositionClaim records a claim and sets c.ID and
	// c.RecordedAt. EINVALID when it does not validate, ENOTFOUND when its
	// actor, its from_actor or one of its documents is unknown.
	CreateCompositionClaim(ctx context.Context, c *CompositionClaim) error
	// FindCompositionClaims returns the claims that match the filter, by
	// start date (open starts first), then id.
	FindCompositionClaims(ctx context.Context, f CompositionFilter) ([]*CompositionClaim, error)
}
