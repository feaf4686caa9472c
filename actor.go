package vigil

import (
	"slices"
	"strings"
	"time"
)

// Actor is a group, a faction, a state force, civilians. Actors are
// identified by a stable slug ("iskp", "taliban"). Names and kinds hold
// over periods: the Taliban are an armed group until 15 August 2021 and
// the de facto authority after.
type Actor struct {
	ID     string      `json:"id"`
	Name   string      `json:"name"`
	Kind   ActorKind   `json:"kind"`
	Parent string      `json:"parent,omitempty"` // the parent actor's id
	Names  []ActorName `json:"names,omitempty"`
	// Periods record the actor's kind and role over time; Kind is the
	// actor's kind when no period covers a date.
	Periods []ActorPeriod `json:"periods,omitempty"`
	// Countries are ISO 3166-1 codes of the actor's home countries.
	Countries []string `json:"countries,omitempty"`
	Notes     string   `json:"notes,omitempty"`
	// Marking is the handling marking of the actor itself: of its
	// existence, its notes and every name (see Cleared). Empty is CLEAR.
	Marking    TLP       `json:"marking,omitempty"`
	RecordedAt time.Time `json:"recorded_at"`
}

// ActorName is a name or alias of an actor, in a language, valid over a
// period (zero dates are open). An alias is an assertion with a source,
// never a merge of two actors.
type ActorName struct {
	Name      string `json:"name"`
	Lang      string `json:"lang,omitempty"`
	ValidFrom Date   `json:"valid_from"`
	ValidTo   Date   `json:"valid_to"`
	// Usage says where the name is used: "UCDP", "ACLED", "GTD",
	// "Afghan officials and media".
	Usage string `json:"usage,omitempty"`
	// Countries, when set, are where the name means this actor: "Daesh"
	// names ISKP in Afghan usage and the Islamic State elsewhere.
	Countries []string `json:"countries,omitempty"`
	Source    string   `json:"source,omitempty"`
	// Marking is the handling marking of the source that asserts the
	// name (see Actor.Cleared). Empty is CLEAR.
	Marking TLP `json:"marking,omitempty"`
}

// Markings of actors. An actor is what a source asserts about it, and the
// parts of an actor carry the marking of the source that asserts them:
//
//   - Actor.Marking covers the actor itself: that it exists, its notes
//     (a STIX object's description) and, through it, every name. An actor
//     made from a marked source (a threat-actor in an AMBER bundle) carries
//     that marking; the shipped dictionary's actors are CLEAR.
//   - ActorName.Marking covers one name: an alias an AMBER bundle adds to a
//     CLEAR actor is AMBER. A name's effective marking is the more
//     restricted of its own and the actor's.
//   - When sources of different markings assert one name, the least
//     restricted one wins (AddName): a CLEAR source made it public.
//   - When sources of different markings assert one actor, it is as open
//     as the most open (Merge), and notes more restricted than that are
//     kept apart, as a document with their marking, not in its notes.
//
// A reader sees an actor only when their clearance allows its marking,
// and of its names only those it allows (Cleared); the store matches a
// name filter with a clearance only through names it allows.

// NameMarking returns the effective marking of the actor's name n: the
// more restricted of n's and the actor's, CLEAR when neither is set.
func (a *Actor) NameMarking(n ActorName) TLP {
	return MoreRestricted(a.Marking, n.Marking)
}

// MoreRestricted returns the more restricted of two markings, CLEAR when
// neither is set.
func MoreRestricted(x, y TLP) TLP {
	if y.Rank() > x.Rank() {
		x = y
	}
	if x.Rank() < 0 {
		return TLPClear
	}
	return x
}

// Cleared returns the actor as a reader cleared for clearance sees it: nil
// when clearance does not allow the actor's marking, else a copy without
// the names it does not allow (a itself when it allows them all). An empty
// clearance sees everything.
func (a *Actor) Cleared(clearance TLP) *Actor {
	if clearance == "" {
		return a
	}
	if !clearance.Allows(MoreRestricted(a.Marking, "")) {
		return nil
	}
	if !slices.ContainsFunc(a.Names, func(n ActorName) bool { return !clearance.Allows(a.NameMarking(n)) }) {
		return a // nothing to leave out
	}
	c := *a
	c.Names = nil
	for _, n := range a.Names {
		if clearance.Allows(a.NameMarking(n)) {
			c.Names = append(c.Names, n)
		}
	}
	return &c
}

// AddName adds n to the actor's names, or, when the actor already has n's
// name (over any period), lowers that name's marking to n's where n's is
// less restricted: a name is as open as the most open source that asserts
// it. A name equal to the actor's own name is not added.
func (a *Actor) AddName(n ActorName) {
	if n.Name == "" || n.Name == a.Name {
		return
	}
	found := false
	for i, x := range a.Names {
		if x.Name == n.Name {
			found = true
			if MoreRestricted(n.Marking, "").Rank() < MoreRestricted(x.Marking, "").Rank() {
				a.Names[i].Marking = n.Marking
			}
		}
	}
	if !found {
		a.Names = append(a.Names, n)
	}
}

// MergeNotes returns notes followed by each paragraph of more (paragraphs
// are separated by blank lines) that notes does not already say: notes
// that two assertions of an actor share are kept once, and what either
// adds is kept.
func MergeNotes(notes, more string) string {
	return strings.TrimSpace(notes + "\n\n" + NewNotes(notes, more))
}

// NewNotes returns the paragraphs of more that notes does not say, each
// once, joined by blank lines: what more would add to notes.
func NewNotes(notes, more string) string {
	var out []string
	for _, p := range strings.Split(more, "\n\n") {
		if p = strings.TrimSpace(p); p != "" && !strings.Contains(notes, p) && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return strings.Join(out, "\n\n")
}

// MarkedNotes is notes on an actor with the marking of the source that
// wrote them.
type MarkedNotes struct {
	Text    string
	Marking TLP
}

// Merge merges b, another source's assertion of the same actor (by ID),
// into a, and returns the notes that may no longer ride on it. An actor is
// as open as its most open assertion: a takes the less restricted of the
// two markings, so that a CLEAR source naming an actor shows it to CLEAR
// readers and an AMBER one never hides a CLEAR actor. Every name keeps the
// marking it had (the more restricted of its own and its actor's), and a
// name both assert is as open as the more open (AddName); b's own name
// becomes one of a's names with b's marking. Notes carry their
// assertion's marking, and ride on the actor only where its marking covers
// them: notes more restricted than the merged actor are returned, with
// their marking, for the caller to keep as a marked document of their own
// (b's notes that a holds already are not added twice). a keeps its kind,
// parent, periods and countries, and its name unless b opens it up under
// another name: then the actor goes by b's, and a's is a name at a's
// marking.
func (a *Actor) Merge(b *Actor) []MarkedNotes {
	ma, mb := MoreRestricted(a.Marking, ""), MoreRestricted(b.Marking, "")
	m := ma
	if mb.Rank() < m.Rank() {
		m = mb
	}
	if m.Rank() < ma.Rank() {
		// a opens up: its names keep the marking they had through it.
		a.Names = slices.Clone(a.Names)
		for i := range a.Names {
			a.Names[i].Marking = clearEmpty(MoreRestricted(a.Names[i].Marking, ma))
		}
	}
	notes := a.Notes
	var hidden []MarkedNotes
	if m.Rank() < ma.Rank() && notes != "" {
		hidden, notes = append(hidden, MarkedNotes{a.Notes, ma}), ""
	}
	if b.Notes != "" && !strings.Contains(notes, b.Notes) {
		if mb.Rank() > m.Rank() {
			hidden = append(hidden, MarkedNotes{b.Notes, mb})
		} else {
			notes = MergeNotes(notes, b.Notes)
		}
	}
	// What the open notes say too is no secret.
	for i := range hidden {
		hidden[i].Text = NewNotes(notes, hidden[i].Text)
	}
	hidden = slices.DeleteFunc(hidden, func(h MarkedNotes) bool { return h.Text == "" })
	a.Notes, a.Marking = notes, clearEmpty(m)
	for _, n := range b.Names {
		n.Marking = clearEmpty(MoreRestricted(n.Marking, mb))
		a.AddName(n)
	}
	if m.Rank() < ma.Rank() && b.Name != "" && b.Name != a.Name {
		// a's own name was asserted at a's marking: the actor goes by
		// b's, and a's is a name at a's marking.
		old := a.Name
		a.Name = b.Name
		a.Names = slices.DeleteFunc(a.Names, func(n ActorName) bool { return n.Name == b.Name })
		a.AddName(ActorName{Name: old, Marking: clearEmpty(ma)})
		return hidden
	}
	a.AddName(ActorName{Name: b.Name, Marking: clearEmpty(mb)})
	return hidden
}

// clearEmpty returns m, or "" for CLEAR: what an actor or name keeps.
func clearEmpty(m TLP) TLP {
	if m.Rank() <= 0 {
		return ""
	}
	return m
}

// ActorPeriod is the kind and role an actor had over a period.
type ActorPeriod struct {
	Kind      ActorKind `json:"kind"`
	Role      string    `json:"role"` // e.g. "insurgency", "de facto government"
	ValidFrom Date      `json:"valid_from"`
	ValidTo   Date      `json:"valid_to"`
}

// Covers reports whether the period [from, to] (zero ends open) holds d.
func Covers(from, to, d Date) bool {
	if d.IsZero() {
		return true
	}
	return (from.IsZero() || !d.Before(from)) && (to.IsZero() || !d.After(to))
}

// KindAt returns the actor's kind and role on day d.
func (a *Actor) KindAt(d Date) (ActorKind, string) {
	for _, p := range a.Periods {
		if Covers(p.ValidFrom, p.ValidTo, d) {
			return p.Kind, p.Role
		}
	}
	return a.Kind, ""
}

// Validate checks the actor's fields.
func (a *Actor) Validate() error {
	switch {
	case a.ID == "":
		return Errorf(EINVALID, "actor: id required")
	case a.Name == "":
		return Errorf(EINVALID, "actor %s: name required", a.ID)
	case !a.Kind.Valid():
		return Errorf(EINVALID, "actor %s: kind %q: want one of %s", a.ID, a.Kind, join(ActorKinds))
	}
	for _, p := range a.Periods {
		if !p.Kind.Valid() {
			return Errorf(EINVALID, "actor %s: period kind %q", a.ID, p.Kind)
		}
		if !p.ValidTo.IsZero() && p.ValidTo.Before(p.ValidFrom) {
			return Errorf(EINVALID, "actor %s: period ends %s before it starts %s", a.ID, p.ValidTo, p.ValidFrom)
		}
	}
	if a.Marking != "" && !a.Marking.Valid() {
		return Errorf(EINVALID, "actor %s: marking %q: want a TLP 2.0 level", a.ID, a.Marking)
	}
	for _, n := range a.Names {
		if n.Name == "" {
			return Errorf(EINVALID, "actor %s: empty name", a.ID)
		}
		if n.Marking != "" && !n.Marking.Valid() {
			return Errorf(EINVALID, "actor %s: name %q: marking %q: want a TLP 2.0 level", a.ID, n.Name, n.Marking)
		}
	}
	return nil
}

// Relationship is a tie between two actors over a period, with the
// documents behind it. Conflicting assertions are kept side by side.
type Relationship struct {
	ID          int64            `json:"id"`
	From        string           `json:"from"` // actor id
	To          string           `json:"to"`   // actor id
	Type        RelationshipType `json:"type"`
	ValidFrom   Date             `json:"valid_from"`
	ValidTo     Date             `json:"valid_to"`
	Description string           `json:"description,omitempty"`
	// DocumentIDs are the documents that assert the relationship.
	DocumentIDs []int64     `json:"document_ids,omitempty"`
	Credibility Credibility `json:"credibility,omitempty"`
	RecordedAt  time.Time   `json:"recorded_at"`
}

// Validate checks the relationship's fields.
func (r *Relationship) Validate() error {
	switch {
	case r.From == "" || r.To == "":
		return Errorf(EINVALID, "relationship: both actors required")
	case !r.Type.Valid():
		return Errorf(EINVALID, "relationship %s→%s: type %q: want one of %s", r.From, r.To, r.Type, join(RelationshipTypes))
	case !r.ValidTo.IsZero() && r.ValidTo.Before(r.ValidFrom):
		return Errorf(EINVALID, "relationship %s→%s: ends before it starts", r.From, r.To)
	case r.Credibility != 0 && !r.Credibility.Valid():
		return Errorf(EINVALID, "relationship %s→%s: credibility %d", r.From, r.To, r.Credibility)
	}
	return nil
}
