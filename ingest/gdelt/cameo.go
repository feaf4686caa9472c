package gdelt

import "github.com/vigil-osint/vigil"

// cameo is what vigil makes of a violent CAMEO event code: its label in
// the CAMEO codebook, and the ACLED event type and sub-type (empty when
// none fits) it maps onto.
type cameo struct {
	label string
	typ   vigil.EventType
	sub   vigil.SubEventType
}

// Cameo maps the CAMEO event codes that vigil imports: root codes 18
// (assault), 19 (fight) and 20 (unconventional mass violence), and 145
// (protest violently, riot) with its children. A code of those roots that
// is not listed takes its base code's entry (its first three digits), then
// its root's.
var Cameo = map[string]cameo{
	"145":  {"Protest violently, riot", vigil.EventRiots, "Violent demonstration"},
	"1451": {"Engage in violent protest for leadership change", vigil.EventRiots, "Violent demonstration"},
	"1452": {"Engage in violent protest for policy change", vigil.EventRiots, "Violent demonstration"},
	"1453": {"Engage in violent protest for rights", vigil.EventRiots, "Violent demonstration"},
	"1454": {"Engage in violent protest for change in institutions, regime", vigil.EventRiots, "Violent demonstration"},

	"18":   {"Assault", vigil.EventViolenceCivilians, ""},
	"180":  {"Use unconventional violence", vigil.EventViolenceCivilians, "Attack"},
	"181":  {"Abduct, hijack, or take hostage", vigil.EventViolenceCivilians, "Abduction/forced disappearance"},
	"182":  {"Physically assault", vigil.EventViolenceCivilians, "Attack"},
	"1821": {"Sexually assault", vigil.EventViolenceCivilians, "Sexual violence"},
	"1822": {"Torture", vigil.EventViolenceCivilians, "Attack"},
	"1823": {"Kill by physical assault", vigil.EventViolenceCivilians, "Attack"},
	"183":  {"Conduct suicide, car, or other non-military bombing", vigil.EventExplosions, "Remote explosive/landmine/IED"},
	"1831": {"Carry out suicide bombing", vigil.EventExplosions, "Suicide bomb"},
	"1832": {"Carry out vehicular bombing", vigil.EventExplosions, "Remote explosive/landmine/IED"},
	"1833": {"Carry out roadside bombing", vigil.EventExplosions, "Remote explosive/landmine/IED"},
	"1834": {"Carry out location bombing", vigil.EventExplosions, "Remote explosive/landmine/IED"},
	"184":  {"Use as human shield", vigil.EventViolenceCivilians, "Attack"},
	"185":  {"Attempt to assassinate", vigil.EventViolenceCivilians, "Attack"},
	"186":  {"Assassinate", vigil.EventViolenceCivilians, "Attack"},

	"19":   {"Fight", vigil.EventBattles, ""},
	"190":  {"Use conventional military force", vigil.EventBattles, "Armed clash"},
	"191":  {"Impose blockade, restrict movement", vigil.EventStrategic, "Other"},
	"192":  {"Occupy territory", vigil.EventBattles, ""},
	"193":  {"Fight with small arms and light weapons", vigil.EventBattles, "Armed clash"},
	"194":  {"Fight with artillery and tanks", vigil.EventExplosions, "Shelling/artillery/missile attack"},
	"195":  {"Employ aerial weapons", vigil.EventExplosions, "Air/drone strike"},
	"1951": {"Employ precision-guided aerial munitions", vigil.EventExplosions, "Air/drone strike"},
	"1952": {"Employ remotely piloted aerial munitions", vigil.EventExplosions, "Air/drone strike"},
	"196":  {"Violate ceasefire", vigil.EventBattles, "Armed clash"},

	"20":   {"Use unconventional mass violence", vigil.EventViolenceCivilians, ""},
	"200":  {"Use unconventional mass violence", vigil.EventViolenceCivilians, "Attack"},
	"201":  {"Engage in mass expulsion", vigil.EventStrategic, "Other"},
	"202":  {"Engage in mass killings", vigil.EventViolenceCivilians, "Attack"},
	"203":  {"Engage in ethnic cleansing", vigil.EventViolenceCivilians, "Attack"},
	"204":  {"Use weapons of mass destruction", vigil.EventExplosions, ""},
	"2041": {"Use chemical, biological, or radiological weapons", vigil.EventExplosions, "Chemical weapon"},
	"2042": {"Detonate nuclear weapons", vigil.EventExplosions, ""},
}

// violent returns vigil's reading of a CAMEO event code (two to four
// digits), and false for a code outside the violent ones (most of what
// GDELT codes: statements, visits, appeals, aid).
func violent(code string) (cameo, bool) {
	switch {
	case len(code) >= 3 && code[:3] == "145":
	case len(code) >= 2 && (code[:2] == "18" || code[:2] == "19" || code[:2] == "20"):
	default:
		return cameo{}, false
	}
	for n := len(code); n >= 2; n-- {
		if c, ok := Cameo[code[:n]]; ok {
			return c, true
		}
	}
	return cameo{}, false
}
