package vigil

import (
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
