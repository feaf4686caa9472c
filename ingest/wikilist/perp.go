package wikilist

import (
	"regexp"
	"strings"

	"github.com/vigil-osint/vigil"
)

var (
	// reQualifier is a trailing "(suspected)", "(claimed)" or "suspected".
	reQualifier = regexp.MustCompile(`(?i)\s*(?:\((suspected|claimed|alleged|disputed)\)|\s(suspected|alleged))\s*$`)
	// reAlternative splits "A or B" and "A / B": the list names rivals.
	reAlternative = regexp.MustCompile(`\s+or\s+|\s*/\s*`)
	// reJoint splits "A and B", "A & B" and "A, B": the list names partners.
	reJoint = regexp.MustCompile(`\s+and\s+|\s*&\s*|\s*,\s*`)
)

// Perpetrators reads the perpetrator column as written, before the actor
// dictionary resolves the names:
//
//	"Taliban"                          attributed by the list
//	"Taliban (suspected)"              suspected
//	"Islamic State (claimed)"          claimed (the group claimed it)
//	"Taliban and Haqqani Network"      both, attributed
//	"Taliban or Islamic State (suspected)"   both, disputed: the list names rivals
//	"Unknown", "Unknown militants"     one perpetrator of unknown identity
//	""                                 none
//
// A qualifier at the end of a list ("A or B (suspected)") holds for every
// name in it, as the lists use it. by is the source the attributions are
// credited to.
func Perpetrators(s, by string) []vigil.ReportActor {
	s = strings.TrimSpace(strings.Join(strings.Fields(s), " "))
	if s == "" {
		return nil
	}
	if strings.HasPrefix(strings.ToLower(s), "unknown") {
		return []vigil.ReportActor{{Name: s, AsWritten: s, Role: vigil.RolePerpetrator, Attribution: vigil.AttributionUnknown, AttributedBy: by}}
	}
	listQual := qualifier(s)
	alts := reAlternative.Split(s, -1)
	var out []vigil.ReportActor
	for _, alt := range alts {
		for _, part := range reJoint.Split(alt, -1) {
			q := qualifier(part)
			name := strings.TrimSpace(reQualifier.ReplaceAllString(part, ""))
			if name == "" {
				continue
			}
			st := vigil.AttributionAttributed
			switch {
			case q != "":
				st = q
			case listQual != "":
				st = listQual
			}
			if len(alts) > 1 && st != vigil.AttributionClaimed {
				st = vigil.AttributionDisputed
			}
			a := vigil.ReportActor{Name: name, AsWritten: name, Role: vigil.RolePerpetrator, Attribution: st, AttributedBy: by}
			out = append(out, a)
		}
	}
	return out
}

// qualifier returns the attribution status a trailing qualifier gives, or "".
func qualifier(s string) vigil.AttributionStatus {
	m := reQualifier.FindStringSubmatch(s)
	if m == nil {
		return ""
	}
	switch strings.ToLower(m[1] + m[2]) {
	case "claimed":
		return vigil.AttributionClaimed
	case "disputed":
		return vigil.AttributionDisputed
	}
	return vigil.AttributionSuspected
}
