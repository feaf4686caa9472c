package stix

import (
	"strings"

	"github.com/vigil-osint/vigil"
)

// TLP 2.0 marking definitions as OASIS publishes them (extension
// definition 60a3c5c5…), and the TLP 1.0 ones STIX 2.1 predefines.
const (
	// TLPExtension is the extension definition of TLP 2.0 markings.
	TLPExtension = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
	// TLP2Created is the created timestamp of the published TLP 2.0 objects.
	TLP2Created = "2022-10-01T00:00:00.000Z"
)

// TLP2IDs maps each TLP 2.0 level to the id of its published marking definition.
var TLP2IDs = map[vigil.TLP]string{
	vigil.TLPClear:       "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
	vigil.TLPGreen:       "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
	vigil.TLPAmber:       "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
	vigil.TLPAmberStrict: "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
	vigil.TLPRed:         "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}

// tlp1IDs maps the TLP 1.0 marking definitions of STIX 2.1 onto TLP 2.0
// levels (WHITE is CLEAR).
var tlp1IDs = map[string]vigil.TLP{
	"marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9": vigil.TLPClear,
	"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da": vigil.TLPGreen,
	"marking-definition--f88d31f6-486f-44da-b317-01333bde0b82": vigil.TLPAmber,
	"marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed": vigil.TLPRed,
}

// TLPByID returns the TLP level of a well-known marking definition id.
func TLPByID(id string) (vigil.TLP, bool) {
	if t, ok := tlp1IDs[id]; ok {
		return t, true
	}
	for t, mid := range TLP2IDs {
		if mid == id {
			return t, true
		}
	}
	return "", false
}

// TLPMarking returns the published TLP 2.0 marking-definition object of a level.
func TLPMarking(t vigil.TLP) map[string]any {
	return map[string]any{
		"type":         "marking-definition",
		"spec_version": "2.1",
		"id":           TLP2IDs[t],
		"created":      TLP2Created,
		"name":         "TLP:" + string(t),
		"extensions": map[string]any{
			TLPExtension: map[string]any{"extension_type": "property-extension", "tlp_2_0": strings.ToLower(string(t))},
		},
	}
}

// CredibilityFromConfidence maps a STIX confidence (0–100) onto the
// Admiralty credibility scale as STIX 2.1 (Appendix "Confidence scales")
// does: 0–19 improbable (5), 20–39 doubtful (4), 40–59 possibly true (3),
// 60–79 probably true (2), 80–100 confirmed (1). A missing confidence is 6,
// truth cannot be judged.
func CredibilityFromConfidence(c *int) vigil.Credibility {
	switch {
	case c == nil:
		return vigil.CredibilityUnknown
	case *c < 20:
		return vigil.CredibilityImprobable
	case *c < 40:
		return vigil.CredibilityDoubtful
	case *c < 60:
		return vigil.CredibilityPossible
	case *c < 80:
		return vigil.CredibilityProbable
	}
	return vigil.CredibilityConfirmed
}

// ConfidenceFromCredibility is the inverse mapping: 1 → 90, 2 → 70, 3 → 50,
// 4 → 30, 5 → 10; 6 (and ungraded) has no confidence (nil).
func ConfidenceFromCredibility(c vigil.Credibility) *int {
	var n int
	switch c {
	case 1:
		n = 90
	case 2:
		n = 70
	case 3:
		n = 50
	case 4:
		n = 30
	case 5:
		n = 10
	default:
		return nil
	}
	return &n
}

// RelationshipType maps a STIX relationship type between two actors onto
// vigil's. vigil's own types (exported as they are) map to themselves;
// "attributed-to" (an intrusion set attributed to a threat actor) is
// "subsidiary-of". Other types have no vigil counterpart.
func RelationshipType(t string) (vigil.RelationshipType, bool) {
	if rt := vigil.RelationshipType(t); rt.Valid() {
		return rt, true
	}
	if t == "attributed-to" {
		return vigil.RelParent, true
	}
	return "", false
}
