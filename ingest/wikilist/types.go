package wikilist

import (
	"slices"
	"strings"

	"github.com/vigil-osint/vigil"
)

// kindOf is what one word of the type column means in ACLED's and GTD's
// terms. An empty field means the word does not settle it: a shooting
// may be an attack on civilians or a clash with the police, so its ACLED
// type is left to the details and to linkage.
type kindOf struct {
	sub    vigil.SubEventType
	attack vigil.AttackType
	weapon vigil.WeaponType
	rank   int // which word's ACLED type wins when a row names several; higher wins
}

// typeWords maps the lists' attack types, folded to lower case and
// singular, to ACLED sub-event types and GTD attack and weapon types.
var typeWords = map[string]kindOf{
	"suicide bombing":     {"Suicide bomb", "Bombing/Explosion", "Explosives", 5},
	"suicide car bombing": {"Suicide bomb", "Bombing/Explosion", "Explosives", 5},
	"suicide attack":      {"Suicide bomb", "Bombing/Explosion", "Explosives", 5},
	"suicide bomb":        {"Suicide bomb", "Bombing/Explosion", "Explosives", 5},
	"suicide car bomb":    {"Suicide bomb", "Bombing/Explosion", "Explosives", 5},
	"bombing":             {"Remote explosive/landmine/IED", "Bombing/Explosion", "Explosives", 4},
	"car bombing":         {"Remote explosive/landmine/IED", "Bombing/Explosion", "Explosives", 4},
	"car bomb":            {"Remote explosive/landmine/IED", "Bombing/Explosion", "Explosives", 4},
	"bike bombing":        {"Remote explosive/landmine/IED", "Bombing/Explosion", "Explosives", 4},
	"motorcycle bombing":  {"Remote explosive/landmine/IED", "Bombing/Explosion", "Explosives", 4},
	"roadside bombing":    {"Remote explosive/landmine/IED", "Bombing/Explosion", "Explosives", 4},
	"roadside bomb":       {"Remote explosive/landmine/IED", "Bombing/Explosion", "Explosives", 4},
	"ied":                 {"Remote explosive/landmine/IED", "Bombing/Explosion", "Explosives", 4},
	"ied attack":          {"Remote explosive/landmine/IED", "Bombing/Explosion", "Explosives", 4},
	"landmine":            {"Remote explosive/landmine/IED", "Bombing/Explosion", "Explosives", 4},
	"land mine":           {"Remote explosive/landmine/IED", "Bombing/Explosion", "Explosives", 4},
	"bus bombing":         {"Remote explosive/landmine/IED", "Bombing/Explosion", "Explosives", 4},
	"truck bombing":       {"Remote explosive/landmine/IED", "Bombing/Explosion", "Explosives", 4},
	"bomb":                {"Remote explosive/landmine/IED", "Bombing/Explosion", "Explosives", 4},
	"explosive attack":    {"Remote explosive/landmine/IED", "Bombing/Explosion", "Explosives", 4},
	"explosion":           {"Remote explosive/landmine/IED", "Bombing/Explosion", "Explosives", 4},
	"grenade attack":      {"Grenade", "Bombing/Explosion", "Explosives", 4},
	"grenade":             {"Grenade", "Bombing/Explosion", "Explosives", 4},
	"rocket attack":       {"Shelling/artillery/missile attack", "Bombing/Explosion", "Explosives", 3},
	"rocket":              {"Shelling/artillery/missile attack", "Bombing/Explosion", "Explosives", 3},
	"rpg attack":          {"Shelling/artillery/missile attack", "Bombing/Explosion", "Explosives", 3},
	"artillery":           {"Shelling/artillery/missile attack", "Bombing/Explosion", "Explosives", 3},
	"mortar attack":       {"Shelling/artillery/missile attack", "Bombing/Explosion", "Explosives", 3},
	"shelling":            {"Shelling/artillery/missile attack", "Bombing/Explosion", "Explosives", 3},
	"kidnapping":          {"Abduction/forced disappearance", "Hostage Taking (Kidnapping)", "", 2},
	"abduction":           {"Abduction/forced disappearance", "Hostage Taking (Kidnapping)", "", 2},
	"hostage taking":      {"", "Hostage Taking (Barricade Incident)", "", 0},
	"hostage-taking":      {"", "Hostage Taking (Barricade Incident)", "", 0},
	"hostage crisis":      {"", "Hostage Taking (Barricade Incident)", "", 0},
	"execution":           {"Attack", "", "", 1},
	"beheading":           {"Attack", "", "Melee", 1},
	"assassination":       {"", "Assassination", "", 0},
	"targeted killing":    {"", "Assassination", "", 0},
	"shooting":            {"", "Armed Assault", "Firearms", 0},
	"mass shooting":       {"", "Armed Assault", "Firearms", 0},
	"spree shooting":      {"", "Armed Assault", "Firearms", 0},
	"shooting ambush":     {"", "Armed Assault", "Firearms", 0},
	"gunfight":            {"", "Armed Assault", "Firearms", 0},
	"ambush":              {"", "Armed Assault", "Firearms", 0},
	"stabbing":            {"", "Armed Assault", "Melee", 0},
	"melee attack":        {"", "Armed Assault", "Melee", 0},
	"arson":               {"", "Facility/Infrastructure Attack", "Incendiary", 0},
}

// Kinds maps the type column ("Suicide bombing, shooting") to an ACLED
// event and sub-event type (of the word that settles it most: a suicide
// bombing over a bombing over a shelling over a kidnapping over an
// execution) and the GTD attack and weapon types of every word, in the
// column's order. Words it does not know ("Attack", "Raid", "Unknown")
// add nothing.
func Kinds(typ string) (vigil.EventType, vigil.SubEventType, []vigil.AttackType, []vigil.WeaponType) {
	var (
		sub     vigil.SubEventType
		rank    = -1
		attacks []vigil.AttackType
		weapons []vigil.WeaponType
	)
	typ = strings.ReplaceAll(typ, " and ", ",")
	for _, w := range strings.FieldsFunc(typ, func(r rune) bool { return r == ',' || r == ';' || r == '/' }) {
		k, ok := typeWords[typeKey(w)]
		if !ok {
			k, ok = typeWords[strings.TrimSuffix(typeKey(w), "s")]
		}
		if !ok {
			continue
		}
		if k.sub != "" && k.rank > rank {
			sub, rank = k.sub, k.rank
		}
		if k.attack != "" && !slices.Contains(attacks, k.attack) {
			attacks = append(attacks, k.attack)
		}
		if k.weapon != "" && !slices.Contains(weapons, k.weapon) {
			weapons = append(weapons, k.weapon)
		}
	}
	return sub.Parent(), sub, attacks, weapons
}

// typeKey folds one word of the type column: lower case, single spaces,
// plurals made singular ("Suicide bombings" → "suicide bombing").
func typeKey(w string) string {
	w = strings.ToLower(strings.Join(strings.Fields(w), " "))
	// An attempted attack is coded as the attack, as GTD and ACLED do.
	w = strings.TrimPrefix(w, "attempted ")
	if strings.HasSuffix(w, "ings") {
		w = strings.TrimSuffix(w, "s")
	}
	return w
}
