package vigil_test

import (
	"testing"

	"github.com/vigil-osint/vigil"
)

func TestParseTLP(t *testing.T) {
	tests := []struct {
		in      string
		want    vigil.TLP
		wantErr bool
	}{
		{"CLEAR", vigil.TLPClear, false},
		{"green", vigil.TLPGreen, false},
		{" Amber ", vigil.TLPAmber, false},
		{"TLP:AMBER+STRICT", vigil.TLPAmberStrict, false},
		{"amber+strict", vigil.TLPAmberStrict, false},
		{"tlp:red", vigil.TLPRed, false},
		{"WHITE", vigil.TLPClear, false},
		{"TLP:WHITE", vigil.TLPClear, false},
		{"AMBER STRICT", "", true},
		{"BLACK", "", true},
		{"", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := vigil.ParseTLP(tt.in)
			if tt.wantErr {
				if err == nil || vigil.ErrorCode(err) != vigil.EINVALID {
					t.Errorf("ParseTLP(%q): got %q, %v, want an EINVALID error", tt.in, got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("ParseTLP(%q): got %q, %v, want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestTLPAllows(t *testing.T) {
	levels := vigil.TLPLevels
	if len(levels) != 5 || levels[0] != vigil.TLPClear || levels[4] != vigil.TLPRed {
		t.Fatalf("levels: got %v, want CLEAR … RED", levels)
	}
	for i, reader := range levels {
		if got := reader.Rank(); got != i {
			t.Errorf("%s.Rank(): got %d, want %d", reader, got, i)
		}
		for j, m := range levels {
			if got, want := reader.Allows(m), j <= i; got != want {
				t.Errorf("%s.Allows(%s): got %v, want %v", reader, m, got, want)
			}
		}
	}
	tests := []struct {
		name   string
		reader vigil.TLP
		m      vigil.TLP
		want   bool
	}{
		{"an invalid marking is never allowed", vigil.TLPRed, "BLACK", false},
		{"an unmarked document is not allowed", vigil.TLPRed, "", false},
		{"an invalid clearance allows nothing", "BLACK", vigil.TLPClear, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.reader.Allows(tt.m); got != tt.want {
				t.Errorf("%q.Allows(%q): got %v, want %v", tt.reader, tt.m, got, tt.want)
			}
		})
	}
}

func TestParseEventType(t *testing.T) {
	tests := []struct {
		in      string
		want    vigil.EventType
		wantErr bool
	}{
		{"Battles", vigil.EventBattles, false},
		{"battles", vigil.EventBattles, false},
		{"EXPLOSIONS/REMOTE VIOLENCE", vigil.EventExplosions, false},
		{"violence  against\tcivilians", vigil.EventViolenceCivilians, false},
		{"Strategic developments", vigil.EventStrategic, false},
		{"Battle", "", true},
		{"", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := vigil.ParseEventType(tt.in)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("ParseEventType(%q): got %q, %v, want %q (error %v)", tt.in, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestSubEventType(t *testing.T) {
	if got := len(vigil.SubEventTypes); got != 25 {
		t.Errorf("got %d sub-event types, want ACLED's 25", got)
	}
	for s, parent := range vigil.SubEventTypes {
		if !parent.Valid() {
			t.Errorf("%q: parent %q is not an event type", s, parent)
		}
	}
	tests := []struct {
		in     string
		want   vigil.SubEventType
		parent vigil.EventType
	}{
		{"Suicide bomb", "Suicide bomb", vigil.EventExplosions},
		{"suicide BOMB", "Suicide bomb", vigil.EventExplosions},
		{"armed clash", "Armed clash", vigil.EventBattles},
		{"Remote explosive/landmine/IED", "Remote explosive/landmine/IED", vigil.EventExplosions},
		{"Attack", "Attack", vigil.EventViolenceCivilians},
		{"Abduction/forced disappearance", "Abduction/forced disappearance", vigil.EventViolenceCivilians},
		{"Arrests", "Arrests", vigil.EventStrategic},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := vigil.ParseSubEventType(tt.in)
			if err != nil || got != tt.want {
				t.Fatalf("ParseSubEventType(%q): got %q, %v, want %q", tt.in, got, err, tt.want)
			}
			if got := got.Parent(); got != tt.parent {
				t.Errorf("%q.Parent(): got %q, want %q", tt.want, got, tt.parent)
			}
		})
	}
	if _, err := vigil.ParseSubEventType("Car bomb"); err == nil {
		t.Error(`ParseSubEventType("Car bomb"): got no error`)
	}
	if got := vigil.SubEventType("Car bomb").Parent(); got != "" {
		t.Errorf("unknown sub-event parent: got %q, want empty", got)
	}
}

func TestParseGTDTypes(t *testing.T) {
	vehicle := vigil.WeaponType("Vehicle (not to include vehicle-borne explosives, i.e., car or truck bombs)")
	weapons := []struct {
		in      string
		want    vigil.WeaponType
		wantErr bool
	}{
		{"vehicle", vehicle, false},
		{"Vehicle", vehicle, false},
		{"VEHICLE", vehicle, false},
		{string(vehicle), vehicle, false},
		{"explosives", "Explosives", false},
		{"Firearms", "Firearms", false},
		{"Car bomb", "", true},
	}
	for _, tt := range weapons {
		t.Run("weapon "+tt.in, func(t *testing.T) {
			got, err := vigil.ParseWeaponType(tt.in)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("ParseWeaponType(%q): got %q, %v, want %q", tt.in, got, err, tt.want)
			}
			if err == nil && !got.Valid() {
				t.Errorf("%q is not Valid", got)
			}
		})
	}
	if got, err := vigil.ParseAttackType("bombing/explosion"); err != nil || got != "Bombing/Explosion" {
		t.Errorf(`ParseAttackType("bombing/explosion"): got %q, %v`, got, err)
	}
	if got, err := vigil.ParseTargetType("religious figures/institutions"); err != nil || got != "Religious Figures/Institutions" {
		t.Errorf(`ParseTargetType("religious figures/institutions"): got %q, %v`, got, err)
	}
	if _, err := vigil.ParseTargetType("Mosque"); err == nil || vigil.ErrorCode(err) != vigil.EINVALID {
		t.Errorf(`ParseTargetType("Mosque"): got %v, want an EINVALID error`, err)
	}
}

func TestGrades(t *testing.T) {
	rel := []struct {
		in      string
		want    vigil.Reliability
		wantErr bool
	}{
		{"b", vigil.ReliabilityB, false},
		{" G ", vigil.ReliabilityG, false},
		{"H", "", true},
		{"", "", true},
	}
	for _, tt := range rel {
		t.Run("reliability "+tt.in, func(t *testing.T) {
			got, err := vigil.ParseReliability(tt.in)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("ParseReliability(%q): got %q, %v, want %q", tt.in, got, err, tt.want)
			}
		})
	}
	if got := vigil.ReliabilityF.Describe(); got != "reliability cannot be judged" {
		t.Errorf("F: got %q", got)
	}
	for c := vigil.Credibility(0); c <= 7; c++ {
		if got, want := c.Valid(), c >= 1 && c <= 6; got != want {
			t.Errorf("Credibility(%d).Valid(): got %v, want %v", c, got, want)
		}
	}
	if got := vigil.Credibility(0).Describe(); got != "not graded" {
		t.Errorf("0: got %q, want not graded", got)
	}
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"date precision 1", vigil.DateDay.Describe(), "day"},
		{"date precision out of range", vigil.DatePrecision(9).Describe(), "year"},
		{"date precision unknown", vigil.DatePrecision(0).Describe(), "unknown"},
		{"location precision 4", vigil.LocationAdmin1.Describe(), "province"},
		{"location precision negative", vigil.LocationPrecision(-1).Describe(), "unknown"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}

func TestEnumValid(t *testing.T) {
	tests := []struct {
		name string
		ok   bool
	}{
		{"attribution claimed", vigil.AttributionClaimed.Valid()},
		{"attribution blamed", !vigil.AttributionStatus("blamed").Valid()},
		{"role party", vigil.RoleParty.Valid()},
		{"role victim", !vigil.ActorRole("victim").Valid()},
		{"kind de facto", vigil.ActorDeFacto.Valid()},
		{"source kind group media", vigil.SourceGroupMedia.Valid()},
		{"source kind blog", !vigil.SourceKind("blog").Valid()},
		{"relationship subsidiary", vigil.RelParent.Valid()},
		{"date precision 5", vigil.DateYear.Valid()},
		{"date precision 6", !vigil.DatePrecision(6).Valid()},
		{"location precision 7", vigil.LocationWater.Valid()},
		{"location precision 0", !vigil.LocationPrecision(0).Valid()},
	}
	for _, tt := range tests {
		if !tt.ok {
			t.Errorf("%s: wrong validity", tt.name)
		}
	}
}
