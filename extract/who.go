package extract

import (
	"strings"

	"github.com/vigil-osint/vigil"
)

// actorHit is an actor's name in a text.
type actorHit struct {
	a, b int
	g    groupName
}

// findActors finds the actor names of tokens [a, b), longest first.
func (x *Extractor) findActors(toks []token, a, b int) []actorHit {
	var out []actorHit
	for i := a; i < b; i++ {
		n, idx := x.groups.match(toks[:b], i)
		if n == 0 {
			continue
		}
		g := x.groupNames[idx]
		if g.caps && toks[i].text != g.name {
			continue // "is" is not IS
		}
		if !toks[i].upper && !g.caps && toks[i].num < 0 && !strings.HasPrefix(toks[i].low, "al") {
			// Names are written capitalised; "taliban" in running lower case is rare enough to keep,
			// but common words that are aliases are not.
			if len(g.name) <= 4 {
				continue
			}
		}
		out = append(out, actorHit{a: i, b: i + n, g: g})
		i += n - 1
	}
	return out
}

// who fills the perpetrators and how their attribution stands: claimed
// (with the channel: Amaq, Voice of Khurasan, a statement), denied,
// suspected, attributed by an official or by the text, or an unknown
// perpetrator ("unidentified gunmen", "no group has claimed").
func (x *Extractor) who(d *doc, inc *incident, r *vigil.Report) {
	toks := d.toks
	all := append(append([]*sentence{}, inc.sents...), inc.attached...)
	byID := map[string]int{}
	unknownAt := -1
	for _, s := range all {
		has := func(ps *phraseSet) (int, int) {
			for i := s.a; i < s.b; i++ {
				if n, idx := ps.match(toks[:s.b], i); n > 0 {
					return i, idx
				}
			}
			return -1, -1
		}
		claimAt, _ := has(x.claim)
		denyAt, _ := has(x.deny)
		suspAt, _ := has(x.suspect)
		offAt, _ := has(x.off)
		if u, _ := has(x.unknown); u >= 0 && unknownAt < 0 {
			unknownAt = u
		}
		said := false
		for i := s.a; i < s.b; i++ {
			if w := toks[i].low; w == "said" || w == "says" || w == "according" || w == "told" || w == "stated" {
				said = true
			}
		}
		for _, h := range s.actors {
			if h.g.state {
				continue
			}
			// An actor attacked, not attacking: "an attack on Taliban", "against the Taliban".
			if h.a > s.a {
				p := toks[h.a-1].low
				if h.a-2 >= s.a && (p == "the" || p == "a") {
					p = toks[h.a-2].low
				}
				if p == "on" || p == "against" || p == "targeting" || p == "targeted" {
					continue
				}
			}
			ra := vigil.ReportActor{Name: h.g.name, AsWritten: d.text[toks[h.a].start:toks[h.b-1].end], Role: vigil.RolePerpetrator}
			if h.g.actorID != "" {
				if act := x.dict.Actor(h.g.actorID); act != nil {
					ra.ActorID, ra.Name = act.ID, act.Name
				}
			}
			conf := 0.6
			ev := d.span("actors", h.a, h.b, 0)
			switch {
			case claimAt >= 0 && (claimAt > h.a || claimAt < h.a && strings.Contains(d.text[toks[claimAt].start:toks[h.a].start], " by ")):
				ra.Attribution = vigil.AttributionClaimed
				ra.AttributedBy = ra.Name
				conf = 0.85
				for i := s.a; i < s.b; i++ {
					if n, idx := x.channels.match(toks[:s.b], i); n > 0 {
						ra.Channel = x.channelKeys[idx]
						r.Evidence = append(r.Evidence, d.span("channel", i, i+n, 0.7))
						break
					}
				}
			case denyAt > h.a:
				ra.Attribution = vigil.AttributionDenied
				ra.AttributedBy = ra.Name
				conf = 0.7
			case suspAt >= 0:
				ra.Attribution = vigil.AttributionSuspected
				ra.AttributedBy = orSource(d)
				if said && offAt >= 0 {
					ra.AttributedBy = d.text[toks[offAt].start:toks[offAt].end]
				}
				conf = 0.5
			case said && offAt >= 0:
				ra.Attribution = vigil.AttributionAttributed
				ra.AttributedBy = d.text[toks[offAt].start:toks[offAt].end]
			default:
				ra.Attribution = vigil.AttributionAttributed
				ra.AttributedBy = orSource(d)
			}
			ev.Confidence = conf
			key := ra.ActorID
			if key == "" {
				key = strings.ToLower(ra.Name)
			}
			if k, ok := byID[key]; ok {
				// A claim or denial outranks a plain mention.
				if rank(ra.Attribution) > rank(r.Actors[k].Attribution) {
					r.Actors[k] = ra
				}
				continue
			}
			byID[key] = len(r.Actors)
			r.Actors = append(r.Actors, ra)
			r.Evidence = append(r.Evidence, ev)
		}
	}
	perps := 0
	for _, a := range r.Actors {
		if a.Attribution != vigil.AttributionDenied {
			perps++
		}
	}
	if perps == 0 && unknownAt >= 0 {
		r.Actors = append(r.Actors, vigil.ReportActor{Name: "Unknown", AsWritten: d.text[toks[unknownAt].start:toks[unknownAt].end],
			Role: vigil.RolePerpetrator, Attribution: vigil.AttributionUnknown, AttributedBy: orSource(d)})
		r.Evidence = append(r.Evidence, d.span("actors", unknownAt, unknownAt+1, 0.6))
	}
}

func rank(s vigil.AttributionStatus) int {
	switch s {
	case vigil.AttributionClaimed:
		return 4
	case vigil.AttributionDenied:
		return 3
	case vigil.AttributionAttributed:
		return 2
	case vigil.AttributionSuspected:
		return 1
	}
	return 0
}

func orSource(d *doc) string {
	if d.in.Source != "" {
		return d.in.Source
	}
	return "the text"
}
