package vigil

import (
	"reflect"
	"slices"
	"testing"
)

func TestActorCleared(t *testing.T) {
	a := &Actor{ID: "x", Name: "X", Kind: ActorOther, Names: []ActorName{
		{Name: "Open"}, {Name: "Green", Marking: TLPGreen}, {Name: "Amber", Marking: TLPAmber}, {Name: "Red", Marking: TLPRed},
	}}
	amber := *a
	amber.Marking = TLPAmber
	names := func(a *Actor) []string {
		if a == nil {
			return nil
		}
		var out []string
		for _, n := range a.Names {
			out = append(out, n.Name)
		}
		return out
	}
	for _, tt := range []struct {
		name      string
		a         *Actor
		clearance TLP
		want      []string // nil: hidden
	}{
		{"no clearance sees all", a, "", []string{"Open", "Green", "Amber", "Red"}},
		{"CLEAR", a, TLPClear, []string{"Open"}},
		{"GREEN", a, TLPGreen, []string{"Open", "Green"}},
		{"AMBER+STRICT", a, TLPAmberStrict, []string{"Open", "Green", "Amber"}},
		{"RED", a, TLPRed, []string{"Open", "Green", "Amber", "Red"}},
		{"AMBER actor, GREEN reader", &amber, TLPGreen, nil},
		{"AMBER actor, AMBER reader", &amber, TLPAmber, []string{"Open", "Green", "Amber"}},
	} {
		got := tt.a.Cleared(tt.clearance)
		if (got == nil) != (tt.want == nil) || !slices.Equal(names(got), tt.want) {
			t.Errorf("%s: names %v (hidden %v), want %v", tt.name, names(got), got == nil, tt.want)
		}
	}
	if len(a.Names) != 4 {
		t.Errorf("Cleared changed the actor: %+v", a.Names)
	}
	if m := amber.NameMarking(ActorName{Name: "Open"}); m != TLPAmber {
		t.Errorf("an open name of an AMBER actor is %q, want AMBER", m)
	}
}

func TestActorAddName(t *testing.T) {
	a := &Actor{ID: "x", Name: "X", Kind: ActorOther}
	a.AddName(ActorName{Name: "X", Marking: TLPRed}) // the actor's own name
	a.AddName(ActorName{Name: "Y", Marking: TLPRed})
	a.AddName(ActorName{Name: "Y", Marking: TLPAmber}) // more open: lowers
	a.AddName(ActorName{Name: "Y", Marking: TLPRed})   // more restricted: no change
	a.AddName(ActorName{Name: "Z"})
	a.AddName(ActorName{Name: "Z", Marking: TLPAmber})
	want := []ActorName{{Name: "Y", Marking: TLPAmber}, {Name: "Z"}}
	if !slices.EqualFunc(a.Names, want, func(x, y ActorName) bool { return x.Name == y.Name && x.Marking == y.Marking }) {
		t.Errorf("names %+v, want %+v", a.Names, want)
	}
}

func TestActorValidateMarking(t *testing.T) {
	for _, a := range []*Actor{
		{ID: "x", Name: "X", Kind: ActorOther, Marking: "ORANGE"},
		{ID: "x", Name: "X", Kind: ActorOther, Names: []ActorName{{Name: "Y", Marking: "amber"}}},
	} {
		if err := a.Validate(); ErrorCode(err) != EINVALID {
			t.Errorf("Validate(%+v) = %v, want EINVALID", a, err)
		}
	}
}

// TestActorMerge holds Merge to the rule: an actor is as open as its most
// open assertion, names keep the marking they had, and notes more
// restricted than the merged actor come back rather than ride on it.
func TestActorMerge(t *testing.T) {
	amber := func() *Actor {
		return &Actor{ID: "sq", Name: "Silent Quarry", Kind: ActorOther, Marking: TLPAmber,
			Notes: "AMBER-NOTES", Names: []ActorName{{Name: "Quarry Hand"}, {Name: "SQ-Red", Marking: TLPRed}}}
	}
	clear := func() *Actor {
		return &Actor{ID: "sq", Name: "Silent Quarry", Kind: ActorOther, Notes: "CLEAR-NOTES",
			Names: []ActorName{{Name: "Quarry Group"}}}
	}
	tests := []struct {
		name      string
		a, b      *Actor
		marking   TLP
		notes     string
		hidden    []MarkedNotes
		clearSees []string // names a CLEAR reader sees
	}{
		{"AMBER then CLEAR", amber(), clear(), "", "CLEAR-NOTES",
			[]MarkedNotes{{"AMBER-NOTES", TLPAmber}}, []string{"Quarry Group"}},
		{"CLEAR then AMBER", clear(), amber(), "", "CLEAR-NOTES",
			[]MarkedNotes{{"AMBER-NOTES", TLPAmber}}, []string{"Quarry Group"}},
		{"AMBER twice", amber(), amber(), TLPAmber, "AMBER-NOTES", nil, nil},
		{"the same notes CLEAR and AMBER", &Actor{ID: "sq", Name: "Silent Quarry", Kind: ActorOther, Marking: TLPAmber, Notes: "SAME"},
			&Actor{ID: "sq", Name: "Silent Quarry", Kind: ActorOther, Notes: "SAME"}, "", "SAME", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hidden := tt.a.Merge(tt.b)
			if tt.a.Marking != tt.marking || tt.a.Notes != tt.notes || len(hidden)+len(tt.hidden) > 0 && !reflect.DeepEqual(hidden, tt.hidden) {
				t.Fatalf("merged %q %q, hidden %v; want %q %q, %v", tt.a.Marking, tt.a.Notes, hidden, tt.marking, tt.notes, tt.hidden)
			}
			c := tt.a.Cleared(TLPClear)
			var sees []string
			if c != nil {
				for _, n := range c.Names {
					sees = append(sees, n.Name)
				}
			}
			if tt.marking == "" && c == nil || tt.marking != "" && c != nil || !slices.Equal(sees, tt.clearSees) {
				t.Errorf("a CLEAR reader sees %v (names %v), want names %v", c, sees, tt.clearSees)
			}
			if r := tt.a.Cleared(TLPRed); r == nil || slices.ContainsFunc(r.Names, func(n ActorName) bool { return n.Name == "SQ-Red" }) != (tt.name != "the same notes CLEAR and AMBER") {
				t.Errorf("a RED reader sees %v", r)
			}
		})
	}
}

func TestMergeNotes(t *testing.T) {
	tests := []struct{ notes, more, want string }{
		{"", "", ""},
		{"", "B", "B"},
		{"A", "", "A"},
		{"A", "A", "A"},
		{"A", "A\n\nB", "A\n\nB"},                // a copy of the actor with a note added
		{"A\n\nB", "B\n\nC\n\nA", "A\n\nB\n\nC"}, // each paragraph once, in order
		{"A", "  B  \n\n\n\nC", "A\n\nB\n\nC"},
		{"Khorasan province, founded 2015", "founded 2015", "Khorasan province, founded 2015"},
	}
	for _, tt := range tests {
		if got := MergeNotes(tt.notes, tt.more); got != tt.want {
			t.Errorf("MergeNotes(%q, %q) = %q, want %q", tt.notes, tt.more, got, tt.want)
		}
	}
}

// TestActorMergeNotesOnce: a second assertion that repeats the actor's
// notes and adds to them (a STIX bundle's copy of a dictionary actor with
// a note on it) adds only what is new.
func TestActorMergeNotesOnce(t *testing.T) {
	a := &Actor{ID: "sq", Name: "Silent Quarry", Kind: ActorOther, Notes: "CLEAR-NOTES"}
	if hidden := a.Merge(&Actor{ID: "sq", Name: "Silent Quarry", Kind: ActorOther, Notes: "CLEAR-NOTES\n\nMORE"}); len(hidden) != 0 || a.Notes != "CLEAR-NOTES\n\nMORE" {
		t.Errorf("merged notes %q, hidden %v; want %q", a.Notes, hidden, "CLEAR-NOTES\n\nMORE")
	}
	// An AMBER copy: only what it adds is kept off the CLEAR actor.
	a = &Actor{ID: "sq", Name: "Silent Quarry", Kind: ActorOther, Notes: "CLEAR-NOTES"}
	hidden := a.Merge(&Actor{ID: "sq", Name: "Silent Quarry", Kind: ActorOther, Marking: TLPAmber, Notes: "CLEAR-NOTES\n\nAMBER-MORE"})
	if want := []MarkedNotes{{"AMBER-MORE", TLPAmber}}; a.Notes != "CLEAR-NOTES" || !reflect.DeepEqual(hidden, want) {
		t.Errorf("merged notes %q, hidden %v; want %q, %v", a.Notes, hidden, "CLEAR-NOTES", want)
	}
}

// TestActorMergeName: an actor an AMBER source named and a CLEAR source
// names otherwise goes by the CLEAR name, the AMBER one an AMBER name.
func TestActorMergeName(t *testing.T) {
	a := &Actor{ID: "sq", Name: "Secret Name", Kind: ActorOther, Marking: TLPAmber}
	a.Merge(&Actor{ID: "sq", Name: "Public Name", Kind: ActorOther})
	c := a.Cleared(TLPClear)
	if c == nil || c.Name != "Public Name" || len(c.Names) != 0 {
		t.Fatalf("a CLEAR reader sees %+v", c)
	}
	if am := a.Cleared(TLPAmber); len(am.Names) != 1 || am.Names[0].Name != "Secret Name" || am.Names[0].Marking != TLPAmber {
		t.Errorf("an AMBER reader sees the names %+v", am.Names)
	}
}
