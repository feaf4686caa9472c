package vigil

import (
	"fmt"
	"strings"
)

// This file documents every enumeration of the model in one place: the
// grading scales, precisions, attribution statuses, handling markings, and
// the event, attack, weapon and target taxonomies. Each type validates its
// values and parses them leniently (case and spacing) from text.

// Reliability grades a source on the Admiralty scale, as MISP's
// admiralty-scale taxonomy has it: A completely reliable … E unreliable,
// F cannot be judged, G deliberately deceptive.
type Reliability string

// The reliability grades.
const (
	ReliabilityA Reliability = "A" // completely reliable
	ReliabilityB Reliability = "B" // usually reliable
	ReliabilityC Reliability = "C" // fairly reliable
	ReliabilityD Reliability = "D" // not usually reliable
	ReliabilityE Reliability = "E" // unreliable
	ReliabilityF Reliability = "F" // reliability cannot be judged
	ReliabilityG Reliability = "G" // deliberately deceptive
)

var reliabilityText = map[Reliability]string{
	ReliabilityA: "completely reliable",
	ReliabilityB: "usually reliable",
	ReliabilityC: "fairly reliable",
	ReliabilityD: "not usually reliable",
	ReliabilityE: "unreliable",
	ReliabilityF: "reliability cannot be judged",
	ReliabilityG: "deliberately deceptive",
}

// Valid reports whether r is one of the grades A–G.
func (r Reliability) Valid() bool { _, ok := reliabilityText[r]; return ok }

// Describe returns the grade's meaning in words.
func (r Reliability) Describe() string { return reliabilityText[r] }

// ParseReliability parses a grade such as "b" or "B".
func ParseReliability(s string) (Reliability, error) {
	r := Reliability(strings.ToUpper(strings.TrimSpace(s)))
	if !r.Valid() {
		return "", Errorf(EINVALID, "reliability %q: want one of A, B, C, D, E, F, G", s)
	}
	return r, nil
}

// Credibility grades a piece of information on the Admiralty scale:
// 1 confirmed by other sources … 5 improbable, 6 truth cannot be judged.
// The zero value means not graded.
type Credibility int

// The credibility grades.
const (
	CredibilityConfirmed  Credibility = 1 // confirmed by other sources
	CredibilityProbable   Credibility = 2 // probably true
	CredibilityPossible   Credibility = 3 // possibly true
	CredibilityDoubtful   Credibility = 4 // doubtful
	CredibilityImprobable Credibility = 5 // improbable
	CredibilityUnknown    Credibility = 6 // truth cannot be judged
)

// Valid reports whether c is 1–6.
func (c Credibility) Valid() bool { return c >= 1 && c <= 6 }

// Describe returns the grade's meaning in words.
func (c Credibility) Describe() string {
	switch c {
	case 1:
		return "confirmed by other sources"
	case 2:
		return "probably true"
	case 3:
		return "possibly true"
	case 4:
		return "doubtful"
	case 5:
		return "improbable"
	case 6:
		return "truth cannot be judged"
	}
	return "not graded"
}

// SourceKind says what kind of speaker a source is.
type SourceKind string

// The source kinds.
const (
	SourceNews         SourceKind = "news"
	SourceOfficial     SourceKind = "official"
	SourceGroupMedia   SourceKind = "armed-group-media"
	SourceIntelligence SourceKind = "intelligence"
	SourceNGO          SourceKind = "ngo"
	SourceDataset      SourceKind = "dataset"
	SourceSocial       SourceKind = "social"
	SourceAcademic     SourceKind = "academic"
)

// SourceKinds lists every source kind.
var SourceKinds = []SourceKind{SourceNews, SourceOfficial, SourceGroupMedia, SourceIntelligence, SourceNGO, SourceDataset, SourceSocial, SourceAcademic}

// Valid reports whether k is a known kind.
func (k SourceKind) Valid() bool { return contains(SourceKinds, k) }

// TLP is a handling marking on the Traffic Light Protocol 2.0 scale. Levels
// are ordered: a reader cleared for a level may see that level and every
// level below it.
type TLP string

// The TLP 2.0 levels, from least to most restricted.
const (
	TLPClear       TLP = "CLEAR"
	TLPGreen       TLP = "GREEN"
	TLPAmber       TLP = "AMBER"
	TLPAmberStrict TLP = "AMBER+STRICT"
	TLPRed         TLP = "RED"
)

// TLPLevels lists the levels from least to most restricted.
var TLPLevels = []TLP{TLPClear, TLPGreen, TLPAmber, TLPAmberStrict, TLPRed}

// Rank returns the level's order (CLEAR 0 … RED 4), or -1 when invalid.
func (t TLP) Rank() int {
	for i, l := range TLPLevels {
		if l == t {
			return i
		}
	}
	return -1
}

// Valid reports whether t is a TLP 2.0 level.
func (t TLP) Valid() bool { return t.Rank() >= 0 }

// Allows reports whether a reader cleared for t may see material marked m.
func (t TLP) Allows(m TLP) bool { return m.Rank() >= 0 && m.Rank() <= t.Rank() }

// ParseTLP parses a level such as "amber+strict" or "TLP:GREEN".
func ParseTLP(s string) (TLP, error) {
	t := TLP(strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(s)), "TLP:"))
	if t == "WHITE" { // TLP 1.0's name for CLEAR
		t = TLPClear
	}
	if !t.Valid() {
		return "", Errorf(EINVALID, "TLP marking %q: want one of CLEAR, GREEN, AMBER, AMBER+STRICT, RED", s)
	}
	return t, nil
}

// DatePrecision says how precisely a date is known, on UCDP's date_prec scale.
type DatePrecision int

// The date precisions.
const (
	DateDay   DatePrecision = 1 // the exact day
	DateDays  DatePrecision = 2 // within two to six days
	DateWeek  DatePrecision = 3 // within a week
	DateMonth DatePrecision = 4 // within a month
	DateYear  DatePrecision = 5 // within a year
)

// Valid reports whether p is 1–5.
func (p DatePrecision) Valid() bool { return p >= 1 && p <= 5 }

// Describe returns the precision in words.
func (p DatePrecision) Describe() string {
	return [...]string{"unknown", "day", "2–6 days", "week", "month", "year"}[max(0, min(int(p), 5))]
}

// LocationPrecision says how precisely a place is known, on UCDP's
// where_prec scale.
type LocationPrecision int

// The location precisions.
const (
	LocationExact   LocationPrecision = 1 // the exact place
	LocationNear    LocationPrecision = 2 // within about 25 km of a named place
	LocationAdmin2  LocationPrecision = 3 // a district (admin-2 unit)
	LocationAdmin1  LocationPrecision = 4 // a province (admin-1 unit)
	LocationRegion  LocationPrecision = 5 // larger than a province, or between places
	LocationCountry LocationPrecision = 6 // a country
	LocationWater   LocationPrecision = 7 // international waters or airspace
)

// Valid reports whether p is 1–7.
func (p LocationPrecision) Valid() bool { return p >= 1 && p <= 7 }

// Describe returns the precision in words.
func (p LocationPrecision) Describe() string {
	return [...]string{"unknown", "exact place", "within 25 km", "district", "province", "region", "country", "water or airspace"}[max(0, min(int(p), 7))]
}

// AttributionStatus says how the attribution of an act to an actor stands.
type AttributionStatus string

// The attribution statuses.
const (
	AttributionClaimed    AttributionStatus = "claimed"    // the actor claimed it
	AttributionAttributed AttributionStatus = "attributed" // a source or rule attributes it
	AttributionSuspected  AttributionStatus = "suspected"  // suspected, not established
	AttributionDenied     AttributionStatus = "denied"     // the actor denied it
	AttributionDisputed   AttributionStatus = "disputed"   // sources name rival actors
	AttributionUnknown    AttributionStatus = "unknown"    // unidentified perpetrators
)

// AttributionStatuses lists every status.
var AttributionStatuses = []AttributionStatus{AttributionClaimed, AttributionAttributed, AttributionSuspected, AttributionDenied, AttributionDisputed, AttributionUnknown}

// Valid reports whether s is a known status.
func (s AttributionStatus) Valid() bool { return contains(AttributionStatuses, s) }

// ActorRole is the part an actor plays in an incident.
type ActorRole string

// The roles.
const (
	RolePerpetrator ActorRole = "perpetrator" // carried out the act
	RoleTarget      ActorRole = "target"      // was attacked
	RoleParty       ActorRole = "party"       // a side in a clash where neither is only the target
)

// Valid reports whether r is a known role.
func (r ActorRole) Valid() bool { return r == RolePerpetrator || r == RoleTarget || r == RoleParty }

// ActorKind classifies an actor, possibly differently over time.
type ActorKind string

// The actor kinds.
const (
	ActorArmedGroup ActorKind = "armed-group" // a rebel, insurgent or terrorist group
	ActorState      ActorKind = "state"       // a government or its forces
	ActorDeFacto    ActorKind = "de-facto-authority"
	ActorMilitia    ActorKind = "militia"
	ActorCivilians  ActorKind = "civilians"
	ActorExternal   ActorKind = "external-force" // a foreign state's forces
	ActorOther      ActorKind = "other"
)

// ActorKinds lists every actor kind.
var ActorKinds = []ActorKind{ActorArmedGroup, ActorState, ActorDeFacto, ActorMilitia, ActorCivilians, ActorExternal, ActorOther}

// Valid reports whether k is a known kind.
func (k ActorKind) Valid() bool { return contains(ActorKinds, k) }

// RelationshipType is the kind of tie between two actors.
type RelationshipType string

// The relationship types.
const (
	RelAllegiance  RelationshipType = "allegiance"
	RelSplinter    RelationshipType = "splinter"
	RelRivalry     RelationshipType = "rivalry"
	RelCooperation RelationshipType = "cooperation"
	RelSanctuary   RelationshipType = "sanctuary"
	RelCombat      RelationshipType = "combat"
	RelRecruitment RelationshipType = "recruitment-from"
	RelParent      RelationshipType = "subsidiary-of"
)

// RelationshipTypes lists every relationship type.
var RelationshipTypes = []RelationshipType{RelAllegiance, RelSplinter, RelRivalry, RelCooperation, RelSanctuary, RelCombat, RelRecruitment, RelParent}

// Valid reports whether t is a known type.
func (t RelationshipType) Valid() bool { return contains(RelationshipTypes, t) }

// EventType is one of ACLED's six event types.
type EventType string

// SubEventType is one of ACLED's 25 sub-event types.
type SubEventType string

// The ACLED event types.
const (
	EventBattles           EventType = "Battles"
	EventExplosions        EventType = "Explosions/Remote violence"
	EventViolenceCivilians EventType = "Violence against civilians"
	EventProtests          EventType = "Protests"
	EventRiots             EventType = "Riots"
	EventStrategic         EventType = "Strategic developments"
)

// SubEventTypes maps each ACLED sub-event type to its event type.
var SubEventTypes = map[SubEventType]EventType{
	"Government regains territory":        EventBattles,
	"Non-state actor overtakes territory": EventBattles,
	"Armed clash":                         EventBattles,
	"Chemical weapon":                     EventExplosions,
	"Air/drone strike":                    EventExplosions,
	"Suicide bomb":                        EventExplosions,
	"Shelling/artillery/missile attack":   EventExplosions,
	"Remote explosive/landmine/IED":       EventExplosions,
	"Grenade":                             EventExplosions,
	"Sexual violence":                     EventViolenceCivilians,
	"Attack":                              EventViolenceCivilians,
	"Abduction/forced disappearance":      EventViolenceCivilians,
	"Peaceful protest":                    EventProtests,
	"Protest with intervention":           EventProtests,
	"Excessive force against protesters":  EventProtests,
	"Violent demonstration":               EventRiots,
	"Mob violence":                        EventRiots,
	"Agreement":                           EventStrategic,
	"Arrests":                             EventStrategic,
	"Change to group/activity":            EventStrategic,
	"Disrupted weapons use":               EventStrategic,
	"Headquarters or base established":    EventStrategic,
	"Looting/property destruction":        EventStrategic,
	"Non-violent transfer of territory":   EventStrategic,
	"Other":                               EventStrategic,
}

// EventTypes lists ACLED's event types.
var EventTypes = []EventType{EventBattles, EventExplosions, EventViolenceCivilians, EventProtests, EventRiots, EventStrategic}

// Valid reports whether t is an ACLED event type.
func (t EventType) Valid() bool { return contains(EventTypes, t) }

// ParseEventType matches s against the event types ignoring case and spacing.
func ParseEventType(s string) (EventType, error) {
	if t, ok := lookupFold(EventTypes, s); ok {
		return t, nil
	}
	return "", Errorf(EINVALID, "event type %q: want one of %s", s, join(EventTypes))
}

// Parent returns the event type a sub-event type belongs to, or "".
func (s SubEventType) Parent() EventType { return SubEventTypes[s] }

// Valid reports whether s is an ACLED sub-event type.
func (s SubEventType) Valid() bool { _, ok := SubEventTypes[s]; return ok }

// ParseSubEventType matches s against the sub-event types ignoring case.
func ParseSubEventType(s string) (SubEventType, error) {
	for k := range SubEventTypes {
		if fold(string(k)) == fold(s) {
			return k, nil
		}
	}
	return "", Errorf(EINVALID, "sub-event type %q is not one of ACLED's 25", s)
}

// AttackType is one of GTD's attack types.
type AttackType string

// AttackTypes lists GTD's attack types (attacktype1_txt).
var AttackTypes = []AttackType{
	"Assassination", "Armed Assault", "Bombing/Explosion", "Hijacking",
	"Hostage Taking (Barricade Incident)", "Hostage Taking (Kidnapping)",
	"Facility/Infrastructure Attack", "Unarmed Assault", "Unknown",
}

// Valid reports whether t is a GTD attack type.
func (t AttackType) Valid() bool { return contains(AttackTypes, t) }

// WeaponType is one of GTD's weapon types.
type WeaponType string

// WeaponTypes lists GTD's weapon types (weaptype1_txt).
var WeaponTypes = []WeaponType{
	"Biological", "Chemical", "Radiological", "Nuclear", "Firearms", "Explosives",
	"Fake Weapons", "Incendiary", "Melee",
	"Vehicle (not to include vehicle-borne explosives, i.e., car or truck bombs)",
	"Sabotage Equipment", "Other", "Unknown",
}

// Valid reports whether t is a GTD weapon type.
func (t WeaponType) Valid() bool { return contains(WeaponTypes, t) }

// TargetType is one of GTD's target types.
type TargetType string

// TargetTypes lists GTD's target types (targtype1_txt).
var TargetTypes = []TargetType{
	"Business", "Government (General)", "Police", "Military", "Abortion Related",
	"Airports & Aircraft", "Government (Diplomatic)", "Educational Institution",
	"Food or Water Supply", "Journalists & Media", "Maritime", "NGO", "Other",
	"Private Citizens & Property", "Religious Figures/Institutions", "Telecommunication",
	"Terrorists/Non-State Militia", "Tourists", "Transportation", "Unknown", "Utilities",
	"Violent Political Party",
}

// Valid reports whether t is a GTD target type.
func (t TargetType) Valid() bool { return contains(TargetTypes, t) }

// ParseAttackType, ParseWeaponType and ParseTargetType match s against the
// GTD lists ignoring case; they accept the GTD's short forms where its own
// files use them ("Vehicle").

// ParseAttackType matches s against GTD's attack types.
func ParseAttackType(s string) (AttackType, error) { return parseList(AttackTypes, s, "attack type") }

// ParseWeaponType matches s against GTD's weapon types.
func ParseWeaponType(s string) (WeaponType, error) {
	if fold(s) == "vehicle" {
		return WeaponTypes[9], nil
	}
	return parseList(WeaponTypes, s, "weapon type")
}

// ParseTargetType matches s against GTD's target types.
func ParseTargetType(s string) (TargetType, error) { return parseList(TargetTypes, s, "target type") }

func parseList[T ~string](list []T, s, what string) (T, error) {
	if t, ok := lookupFold(list, s); ok {
		return t, nil
	}
	return "", Errorf(EINVALID, "%s %q is not in the GTD's list", what, s)
}

func contains[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func lookupFold[T ~string](list []T, s string) (T, bool) {
	f := fold(s)
	for _, x := range list {
		if fold(string(x)) == f {
			return x, true
		}
	}
	return "", false
}

// fold lowercases s and collapses its white space, for lenient matching.
func fold(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

func join[T ~string](list []T) string {
	parts := make([]string, len(list))
	for i, x := range list {
		parts[i] = fmt.Sprintf("%q", string(x))
	}
	return strings.Join(parts, ", ")
}

// TLPAtRank is the marking of a rank (see TLP.Rank); a rank out of range
// is RED, the most restrictive.
func TLPAtRank(r int) TLP {
	if r < 0 || r >= len(TLPLevels) {
		return TLPRed
	}
	return TLPLevels[r]
}
