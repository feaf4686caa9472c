package extract

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/vigil-osint/vigil"
)

// sentence is a stretch of tokens [a, b) with what the extractor found in it.
type sentence struct {
	a, b      int
	block     int
	row       int // the table row the sentence lies in, from 1; 0 outside tables
	negative  bool
	strong    bool // tells of an attack with casualties, or an attack verb
	mentions  []mention
	cues      []cueHit
	actors    []actorHit
	places    []placeHit
	placeDone bool
	best      *placeHit // the place nearest its attack words, geocoded
}

type cueHit struct{ idx, tok, n int }

// doc is one text being read.
type doc struct {
	in      Input
	text    string
	toks    []token
	sents   []*sentence
	dates   []dateExpr
	country string          // the country the text names most, as a hint
	support map[string]bool // the countries the text names, its forces' demonyms and its actors' homes
	context []string        // the places the text names
	ctxKey  string          // context joined, for the geocode cache's key
	// rowCells are the date and count cells of the table rows (by
	// sentence.row) under a header that names them.
	rowCells map[int]rowCells
	rowSents map[int][]*sentence // the sentences of each table row, once asked for
}

// Extract reads the incidents a text reports, one report each, in the
// order the text tells them. A text that reports none gives no reports
// and no error. The text must be valid for its size (MaxText); other
// faults of the input (invalid UTF-8, control bytes) are read around.
func (x *Extractor) Extract(ctx context.Context, in Input) ([]vigil.Report, error) {
	if len(in.Text) > MaxText {
		return nil, vigil.Errorf(vigil.EINVALID, "extract: text of %d bytes is longer than the %d bytes read", len(in.Text), MaxText)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("extract: %w", err)
	}
	d := &doc{in: in, text: in.Text}
	d.toks = dropCitations(tokenize(in.Text))
	d.split()
	d.dates = findDates(d.toks, in.Published)
	x.scan(d)
	incs := x.segment(ctx, d)
	out := make([]vigil.Report, 0, len(incs))
	for i, inc := range incs {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("extract: %w", err)
		}
		r := x.report(ctx, d.rowView(inc), inc)
		r.Key = strconv.Itoa(i)
		out = append(out, r)
	}
	return out, nil
}

// rowView returns the text as inc sees it: d itself, or for a table
// row's incident d with the row's own hints, so that a row's "Karachi,
// Pakistan" is geocoded in Pakistan however many rows of the table are
// in Afghanistan.
func (d *doc) rowView(inc *incident) *doc {
	row := inc.sents[0].row
	if row == 0 {
		return d
	}
	if d.rowSents == nil {
		d.rowSents = map[int][]*sentence{}
		for _, s := range d.sents {
			if s.row != 0 {
				d.rowSents[s.row] = append(d.rowSents[s.row], s)
			}
		}
	}
	v := *d
	v.country, v.support, v.context, v.ctxKey = "", nil, nil, ""
	v.hints(d.rowSents[row])
	return &v
}

// dropCitations removes footnote markers ("[12]") that articles carry.
func dropCitations(toks []token) []token {
	out := toks[:0]
	for i := 0; i < len(toks); i++ {
		if toks[i].text == "[" && i+2 < len(toks) && toks[i+1].num >= 0 && toks[i+2].text == "]" {
			i += 2
			continue
		}
		out = append(out, toks[i])
	}
	return out
}

// stopHeadings end the part of an article that tells of the incident.
var stopHeadings = map[string]bool{"see also": true, "references": true, "external links": true, "notes": true,
	"further reading": true, "reactions": true, "international reactions": true, "sources": true, "citations": true}

// split cuts the tokens into sentences and blocks (paragraphs, list items,
// table rows). A table row is a block of its own, and its sentences know
// their row, so that an incident never runs from one row into the next;
// the date and count cells of rows under a header that names them are
// kept
// (table.go).
func (d *doc) split() {
	start, block, row := 0, 0, 0
	inRow := false // the sentence being read lies in a table row
	// The columns that the current table's header names, and the token
	// that begins the table.
	var cols columns
	hasCols, table := false, 0
	d.rowCells = map[int]rowCells{}
	stopped := false
	flush := func(end int) {
		if end > start && !stopped {
			s := &sentence{a: start, b: end, block: block}
			if inRow {
				s.row = row
			}
			// A heading line: few words, no final stop.
			if h := d.heading(s); h != "" && stopHeadings[h] {
				stopped = true
				return
			}
			d.sents = append(d.sents, s)
		}
		start = end
	}
	for i := range d.toks {
		if i == 0 || strings.Contains(d.text[d.toks[i-1].end:d.toks[i].start], "\n") {
			// A new line.
			next := tableRow(d.text, d.toks[i].start)
			if i > start && (next || inRow) {
				flush(i)
				block++
			}
			if next {
				row++
				cs := cells(d.text, d.toks[i].start)
				if !inRow {
					// A table's first row: its header, if it is one.
					table = i
					cols, hasCols = header(d.text, cs)
				} else if hasCols {
					d.rowCells[row] = cols.row(cs, table, d.rowCells[row-1])
				}
			}
			inRow = next
		}
		if i > start {
			gap := d.text[d.toks[i-1].end:d.toks[i].start]
			if nl := strings.Count(gap, "\n"); nl > 0 {
				if nl > 1 || d.toks[i].text == "-" || d.toks[i].text == "*" || d.toks[i].text == "•" || d.toks[i].text == "#" || endsSentence(d.toks[i-1]) || isHeadingLine(d.text, d.toks[i-1].end) {
					flush(i)
					block++
				}
			}
		}
		t := d.toks[i]
		if (t.text == "." || t.text == "!" || t.text == "?") && i+1 < len(d.toks) {
			n := d.toks[i+1]
			if n.upper || n.num >= 0 || n.text == "\"" || n.text == "“" {
				if !abbreviation(d.toks, i) {
					flush(i + 1)
				}
			}
		}
	}
	flush(len(d.toks))
}

func endsSentence(t token) bool {
	return t.text == "." || t.text == "!" || t.text == "?" || t.text == ":"
}

// isHeadingLine reports whether the line that ends at off is short and has
// no final stop.
func isHeadingLine(text string, off int) bool {
	ls := strings.LastIndexByte(text[:off], '\n') + 1
	line := strings.TrimSpace(text[ls:off])
	return len(line) > 0 && len(line) < 40
}

// heading returns a short sentence without a final stop in lower case, or "".
func (d *doc) heading(s *sentence) string {
	if s.b-s.a > 5 || endsSentence(d.toks[s.b-1]) {
		return ""
	}
	var ws []string
	for _, t := range d.toks[s.a:s.b] {
		if !t.punct {
			ws = append(ws, t.low)
		}
	}
	return strings.Join(ws, " ")
}

// abbreviation reports whether the dot at toks[i] ends an abbreviation
// ("Gen.", "Maj.", "Mr.") rather than a sentence.
func abbreviation(toks []token, i int) bool {
	if i == 0 {
		return false
	}
	p := toks[i-1]
	switch p.low {
	case "mr", "mrs", "ms", "dr", "gen", "maj", "lt", "col", "capt", "sgt", "st", "no", "prof", "gov", "sen", "rep", "brig", "jr", "sr", "vs", "pd":
		return true
	}
	return len(p.text) == 1 && p.upper
}

// scan finds, in every sentence, the counts, attack words, negative
// cues, actor names and place phrases.
func (x *Extractor) scan(d *doc) {
	toks := d.toks
	for _, s := range d.sents {
		for i := s.a; i < s.b; i++ {
			if n, idx := x.cues.match(toks[:s.b], i); n > 0 {
				s.cues = append(s.cues, cueHit{idx, i, n})
				i += n - 1
				continue
			}
		}
		weakOnly := true
		deedOnly := false            // a protest's cue: lifted by a deed verb only
		negAt, judicial := -1, false // the first negative cue; a trial's
		for i := s.a; i < s.b; i++ {
			if n, idx := x.negative.match(toks[:s.b], i); n > 0 {
				s.negative = true
				cue := strings.ToLower(x.lex.NegativeCues[idx])
				judicial = judicial || judicialCues[cue]
				if negAt < 0 {
					negAt = i
				}
				if protestCues[cue] {
					deedOnly = true
				} else if !weakNegatives[cue] || !placeNoun(toks, i, n, s) {
					weakOnly = false
					break
				}
				i += n - 1
				continue
			}
			if strings.HasPrefix(toks[i].low, "commemorat") {
				s.negative, weakOnly = true, false
				if negAt < 0 {
					negAt = i
				}
				break
			}
		}
		// "a suicide blast in the premises of a local court": a court
		// attacked is no trial.
		// "Five people died when their bus collided with a truck": an
		// accident or a disaster is no attack, even when the sentence
		// opens with its dead; unless it names an attack besides ("a
		// bomb hidden in a gas cylinder"; not the "attack" of "a heart
		// attack").
		for i := s.a; i < s.b; i++ {
			if n, _ := x.accident.match(toks[:s.b], i); n > 0 {
				attack := false
				for _, c := range s.cues {
					attack = attack || c.tok+c.n <= i || c.tok >= i+n
				}
				if !attack {
					s.negative, weakOnly, judicial = true, false, true
					if negAt < 0 || i < negAt {
						negAt = i
					}
				}
				break
			}
		}
		// "a suicide bomber blew himself up among people gathered to
		// protest against …": protesters attacked are no protest; a
		// protest against a bombing names the bombing but tells of no deed.
		if s.negative && weakOnly && (!deedOnly && len(s.cues) > 0 || x.hasDeed(toks, s)) {
			s.negative = false
		}
		s.mentions = x.mentions(toks, s.a, s.b, 0)
		// "Eleven people were killed ... at a gathering commemorating the
		// anniversary", "50 soldiers were killed ..., ten others were
		// arrested": a sentence that opens with its dead tells of an
		// attack, whatever it adds after them; not so a trial's.
		if s.negative && !judicial && negAt >= 0 {
			for _, m := range s.mentions {
				if !m.subset && !m.attackers && m.startTok <= s.a+2 && m.endTok <= negAt {
					s.negative = false
				}
			}
		}
		s.actors = x.findActors(toks, s.a, s.b)
		s.places = x.findPlaces(d, s.a, s.b)
		s.strong = x.isStrong(d, s)
	}
	d.hints(d.sents)
}

// hints sets the text's country, the countries it is about and the
// places it names, as geocoding's hints, from sents: the countries their
// places and forces' demonyms name, else their actors' homes.
func (d *doc) hints(sents []*sentence) {
	counts := map[string]int{}
	for _, s := range sents {
		for _, p := range s.places {
			if p.country != "" && !p.away && !p.weak {
				counts[p.country]++
			}
		}
		for i := s.a; i < s.b; i++ {
			if c, ok := demonyms[d.toks[i].text]; ok && !travellerAfter(d.toks, i+1, s.b) {
				counts[c]++
			}
		}
	}
	// A text that names no country may name the group that fights in one
	// ("Tehreek-e-Taliban claimed", "a Taliban attack").
	if len(counts) == 0 {
		for _, s := range sents {
			for _, h := range s.actors {
				if len(h.g.countries) == 1 {
					counts[h.g.countries[0]]++
				}
			}
		}
	}
	d.support = map[string]bool{}
	for c := range counts {
		d.support[c] = true
	}
	best := 0
	for c, n := range counts {
		if n > best || n == best && c < d.country {
			d.country, best = c, n
		}
	}
	seen := map[string]bool{}
	for _, s := range sents {
		for _, p := range s.places {
			if !p.isCountry && !seen[p.phrase] && len(d.context) < 8 {
				seen[p.phrase] = true
				d.context = append(d.context, p.phrase)
			}
		}
	}
}

// judicialCues tell of a trial or a sentence: a sentence with one stays
// negative even when it opens with the dead ("20 people were killed in
// the attack, for which the court sentenced three men").
var judicialCues = map[string]bool{"sentenced": true, "convicted": true, "trial": true, "court": true, "verdict": true,
	"hanged": true, "extradited": true}

// weakNegatives are negative cues that name a place as often as a
// development ("court": a trial, or the court building attacked); a
// sentence with an attack word or a deed verb is not negative for them.
var weakNegatives = map[string]bool{"court": true}

// protestCues are negative cues of a protest: a sentence with a deed verb
// ("blew himself up", "opened fire") tells of an attack on the protest.
var protestCues = map[string]bool{"protest against": true, "protests against": true, "to protest": true, "in protest": true}

// placeNoun reports whether the cue toks[i:i+n] names a place: a
// building noun or a preposition follows it ("a court building", "a
// sessions court in Charsadda"), or a preposition of place stands before
// it ("the premises of a local court", "outside the court").
func placeNoun(toks []token, i, n int, s *sentence) bool {
	if e := i + n; e < s.b {
		switch toks[e].low {
		case "building", "buildings", "complex", "compound", "premises", "house", "gate", "gates", "in", "at", "near", "on":
			return true
		}
	}
	for k := i - 1; k >= max(s.a, i-4); k-- {
		switch toks[k].low {
		case "of", "at", "outside", "near", "inside", "into", "stormed", "attacked", "targeted", "hit":
			return true
		}
	}
	return false
}

// hasDeed reports whether a sentence holds a deed verb ("stormed").
func (x *Extractor) hasDeed(toks []token, s *sentence) bool {
	for i := s.a; i < s.b; i++ {
		if n, _ := x.deeds.match(toks[:s.b], i); n > 0 {
			return true
		}
	}
	return false
}

// travellers are the nouns after a demonym that name people abroad as
// often as at home ("a German woman", "Chinese nationals", "Punjabi
// migrants"): their demonym says where they come from, not where the text
// is.
var travellers = map[string]bool{"man": true, "woman": true, "men": true, "women": true, "national": true, "nationals": true,
	"citizen": true, "citizens": true, "tourist": true, "tourists": true, "engineer": true, "engineers": true, "migrant": true,
	"migrants": true, "diplomat": true, "diplomats": true, "journalist": true, "journalists": true, "embassy": true, "consulate": true,
	"refugee": true, "refugees": true, "immigrant": true, "immigrants": true, "origin": true, "descent": true, "shop": true, "worker": true, "workers": true}

// travellerAfter reports whether a traveller noun in lower case follows
// a demonym within two words.
func travellerAfter(toks []token, i, b int) bool {
	for k := i; k < b && k < i+2; k++ {
		if travellers[toks[k].low] && !toks[k].upper { // "a Chinese national", not "the Afghan National Army"
			return true
		}
	}
	return false
}

// demonyms give a text's country when it names no country outright
// ("Afghan police").
var demonyms = map[string]string{"Afghan": "AF", "Afghans": "AF", "Pakistani": "PK", "Pakistanis": "PK", "Iranian": "IR", "Iranians": "IR",
	"Russian": "RU", "Tajik": "TJ", "Tajikistani": "TJ", "Uzbek": "UZ", "Kyrgyz": "KG", "Kazakh": "KZ", "Turkmen": "TM", "Chechen": "RU", "Dagestani": "RU"}

// isStrong says whether a sentence tells of an attack: a count of people
// killed or wounded, or an attack word with a casualty word or in the
// form of a deed ("exploded", "opened fire").
func (x *Extractor) isStrong(d *doc, s *sentence) bool {
	if s.negative {
		return false
	}
	for _, m := range s.mentions {
		if !m.subset {
			return true
		}
	}
	casualty, deed := false, false
	for i := s.a; i < s.b; i++ {
		if x.killWord[d.toks[i].low] || x.woundWord[d.toks[i].low] {
			casualty = true
		}
		if n, _ := x.deeds.match(d.toks[:s.b], i); n > 0 {
			deed = true
		}
	}
	for _, c := range s.cues {
		cue := x.lex.AttackCues[c.idx]
		if cue.Rank < 1 && !casualty {
			continue
		}
		if casualty || deed {
			return true
		}
		last := d.toks[c.tok+c.n-1].low
		if strings.HasSuffix(last, "ed") || strings.HasSuffix(last, "up") || last == "fire" || last == "down" || last == "dead" {
			return true
		}
	}
	return false
}

// incident is the sentences of a text about one incident.
type incident struct {
	sents    []*sentence
	attached []*sentence // sentences that add who or how, not what happened
	place    *placeHit
	date     *dateExpr
}

// segment groups a text's sentences into incidents: a sentence telling of
// an attack starts a new incident when its place or date conflicts with
// the current one's (outside tables), or when it begins another table
// row; sentences that only name perpetrators or claims go with the
// incident before them (or the next, at the start), in the same table row.
func (x *Extractor) segment(ctx context.Context, d *doc) []*incident {
	var incs []*incident
	var cur *incident
	var pending []*sentence
	row := 0
	for _, s := range d.sents {
		if s.row != row {
			// A table row holds its own incident: nothing of one row
			// goes with another's.
			cur, pending, row = nil, nil, s.row
		}
		if s.strong {
			// A table row's places are found with the row's own hints
			// (rowView), when its report is made.
			var p *placeHit
			if s.row == 0 {
				p = x.sentencePlace(ctx, d, s)
			}
			dt := d.sentenceDate(s)
			// A table row is one incident however many places its
			// cells name.
			if cur == nil || s.row == 0 && conflicts(cur, p, dt) && !laterDeaths(s) {
				cur = &incident{}
				incs = append(incs, cur)
				cur.attached = append(cur.attached, pending...)
				pending = nil
			}
			cur.sents = append(cur.sents, s)
			if cur.place == nil && p != nil {
				cur.place = p
			}
			if cur.date == nil && dt != nil {
				cur.date = dt
			}
			continue
		}
		if s.negative {
			continue
		}
		if len(s.actors) > 0 || len(s.cues) > 0 {
			if cur != nil {
				cur.attached = append(cur.attached, s)
			} else {
				pending = append(pending, s)
			}
		}
	}
	return incs
}

// laterDeaths reports whether a sentence only adds to the dead of the
// incident before it ("On 15 February, the ambassador succumbed to his
// wounds").
func laterDeaths(s *sentence) bool {
	n := 0
	for _, m := range s.mentions {
		if m.subset {
			continue
		}
		if !m.additive || m.wound {
			return false
		}
		n++
	}
	return n > 0
}

// conflicts reports whether a sentence's place or date puts it in another
// incident than inc.
func conflicts(inc *incident, p *placeHit, dt *dateExpr) bool {
	if p != nil && inc.place != nil && p.cand != nil && inc.place.cand != nil {
		a, b := p.cand, inc.place.cand
		if a.Country != b.Country {
			return true
		}
		if a.Admin1 != "" && b.Admin1 != "" && a.Admin1 != b.Admin1 {
			return true
		}
	}
	if dt != nil && inc.date != nil && dt.absolute && inc.date.absolute {
		if dt.start.DaysUntil(inc.date.start) > 2 || inc.date.start.DaysUntil(dt.start) > 2 {
			return true
		}
	}
	return false
}

// sentenceDate is the date expression inside a sentence, if any.
func (d *doc) sentenceDate(s *sentence) *dateExpr {
	for i := range d.dates {
		if d.dates[i].tokA >= s.a && d.dates[i].tokB <= s.b {
			return &d.dates[i]
		}
	}
	return nil
}

// span makes an evidence span of the tokens [a, b).
func (d *doc) span(field string, a, b int, conf float64) vigil.Span {
	if b <= a {
		b = a + 1
	}
	st, en := d.toks[a].start, d.toks[b-1].end
	return vigil.Span{Field: field, Start: st, End: en, Text: d.text[st:en], Confidence: conf}
}

// sentenceText is a sentence's text, clipped.
func (d *doc) sentenceText(s *sentence, max int) string {
	t := strings.TrimSpace(d.text[d.toks[s.a].start:d.toks[s.b-1].end])
	t = strings.Join(strings.Fields(t), " ")
	if len(t) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(t[cut]) {
			cut--
		}
		t = t[:cut] + "…"
	}
	return strings.ToValidUTF8(t, "")
}

// report builds the report of one incident.
func (x *Extractor) report(ctx context.Context, d *doc, inc *incident) vigil.Report {
	var r vigil.Report
	all := append(slices.Clone(inc.sents), inc.attached...)
	r.Summary = d.sentenceText(inc.sents[0], 400)

	// How many.
	x.counts(d, inc, &r)

	// How.
	best := -1
	suicide := false
	seenA, seenW := map[string]bool{}, map[string]bool{}
	for _, s := range all {
		for _, c := range s.cues {
			cue := x.lex.AttackCues[c.idx]
			if cue.Attack != "" && !seenA[cue.Attack] && len(r.AttackTypes) < 3 {
				seenA[cue.Attack] = true
				r.AttackTypes = append(r.AttackTypes, vigil.AttackType(cue.Attack))
				r.Evidence = append(r.Evidence, d.span("attack_types", c.tok, c.tok+c.n, 0.7))
			}
			if cue.Weapon != "" && !seenW[cue.Weapon] {
				seenW[cue.Weapon] = true
				r.WeaponTypes = append(r.WeaponTypes, vigil.WeaponType(cue.Weapon))
				r.Evidence = append(r.Evidence, d.span("weapon_types", c.tok, c.tok+c.n, 0.7))
			}
			if cue.SubEvent != "" && cue.Rank > best {
				best = cue.Rank
				r.SubEventType = vigil.SubEventType(cue.SubEvent)
			}
			suicide = suicide || cue.Suicide
		}
	}
	if r.SubEventType == "" {
		r.SubEventType = "Attack"
	}
	r.EventType = r.SubEventType.Parent()
	if suicide && !r.AttackersKilled.Known {
		r.AttackersKilled = vigil.N(1)
	}
	d.tableCounts(inc, &r)

	// Targets.
	x.targets(d, inc, &r)

	// When.
	x.when(d, inc, &r)

	// Who, then where: a text that names no place may still name a
	// perpetrator with one home country; the dictionary's rules then
	// need the country.
	x.who(d, inc, &r)
	x.where(ctx, d, inc, &r)
	x.dict.Apply(&r)
	return r
}

// counts fills killed, wounded and attackers killed from the incident's
// mentions: the largest figure stands unless a later one adds to it
// ("also", "another") or supersedes it ("the death toll rose to").
// Figures of the parts of an incident add up ("the first blast killed 10
// and the second killed 15": 25, the figure before a "second" being the
// first part's), unless the text gives a total ("a total of 25", "the
// combined toll"): a total replaces the parts before it, and no part
// after it adds to it; the larger of a sum and a figure given for the
// whole ("two blasts killed 25 … the first killed 10") stands.
func (x *Extractor) counts(d *doc, inc *incident, r *vigil.Report) {
	type agg struct {
		r       vigil.Range
		set     bool
		spans   []vigil.Span
		phrases []string
		total   bool          // a total was given
		sites   []vigil.Range // the figures of the parts, when the text numbers them
	}
	var killed, wounded, attackers agg
	partAttackers := 0 // attackers counted among the killed ("including the bomber")
	add := func(a *agg, m mention, field string) {
		c := m.count
		rng := vigil.Range{}
		if c.low >= 0 {
			rng.Low = vigil.N(c.low)
		}
		if c.best >= 0 {
			rng.Best = vigil.N(c.best)
		}
		if c.high >= 0 {
			rng.High = vigil.N(c.high)
		}
		conf := 0.8
		if c.low != c.best || c.best != c.high {
			conf = 0.6
		}
		sp := d.span(field, m.startTok, m.endTok, conf)
		bigger := func(n vigil.Range) bool { return n.Best.Known && (!a.r.Best.Known || n.Best.N > a.r.Best.N) }
		switch {
		case m.supersede || m.total:
			a.r, a.total = rng, true
		case m.site == 1 && !a.total:
			a.sites = []vigil.Range{rng}
			if !a.set || bigger(rng) {
				a.r = rng
			}
		case m.site > 1 && !a.total:
			if len(a.sites) == 0 && a.set {
				a.sites = append(a.sites, a.r)
			}
			a.sites = append(a.sites, rng)
			sum := a.sites[0]
			for _, p := range a.sites[1:] {
				sum = addRange(sum, p)
			}
			if !a.set || bigger(sum) {
				a.r = sum
			}
		case !a.set:
			a.r = rng
		case m.additive:
			a.r = addRange(a.r, rng)
		case rng.Best.Known && (!a.r.Best.Known || rng.Best.N > a.r.Best.N):
			a.r = rng
		}
		a.set = true
		a.spans = append(a.spans, sp)
		a.phrases = append(a.phrases, sp.Text)
	}
	for _, s := range inc.sents {
		for i := range s.mentions {
			m := s.mentions[i]
			var prev *mention
			if i > 0 {
				prev = &s.mentions[i-1]
			}
			// "two officers were injured, one of them died in hospital": a
			// later death among the wounded just before moves to the dead
			// (not "injuring 11. The visitors included two guards, one of
			// whom was killed": one of the dead).
			if m.subset && m.ofThem && !m.wound && !m.attackers && prev != nil && prev.wound && !prev.attackers && m.best > 0 &&
				!x.personBetween(d.toks, prev.endTok, m.count.startTok) &&
				wounded.set && wounded.r.Best.Known && wounded.r.Best.N >= m.best {
				m.subset, m.additive = false, true
				wounded.r = addRange(wounded.r, vigil.Range{Low: vigil.N(-m.best), Best: vigil.N(-m.best), High: vigil.N(-m.best)})
				if wounded.r.Low.Known && wounded.r.Low.N < 0 {
					wounded.r.Low = vigil.N(0)
				}
				if wounded.r.High.Known && wounded.r.High.N < 0 {
					wounded.r.High = vigil.N(0)
				}
			}
			if m.subset {
				if m.attackers && m.ofVictims && !m.wound && m.best > 0 {
					partAttackers += m.best
				}
				continue
			}
			if m.attackers && x.groupVictims(inc, s, m) {
				m.attackers = false // "an IS bomber killed 12 Taliban fighters"
			}
			switch {
			case m.attackers && !m.wound:
				add(&attackers, m, "attackers_killed")
			case m.attackers:
			case m.wound:
				add(&wounded, m, "wounded")
			default:
				add(&killed, m, "killed")
			}
		}
	}
	// "16 people were killed, including the suicide bomber": 15 victims.
	if partAttackers > 0 && killed.set && killed.r.Best.Known && killed.r.Best.N > partAttackers {
		sub := func(n vigil.Num) vigil.Num {
			if n.Known && n.N >= partAttackers {
				return vigil.N(n.N - partAttackers)
			}
			return n
		}
		killed.r = vigil.Range{Low: sub(killed.r.Low), Best: sub(killed.r.Best), High: sub(killed.r.High)}
		if !attackers.set {
			attackers.r, attackers.set = vigil.Range{Low: vigil.N(partAttackers), Best: vigil.N(partAttackers), High: vigil.N(partAttackers)}, true
		}
	}
	if killed.set {
		r.Killed = killed.r
		r.Evidence = append(r.Evidence, killed.spans...)
	}
	if wounded.set {
		r.Wounded = wounded.r
		r.Evidence = append(r.Evidence, wounded.spans...)
	}
	if attackers.set {
		r.AttackersKilled = lowOrBest(attackers.r)
		r.Evidence = append(r.Evidence, attackers.spans...)
	}
	r.Phrase = strings.Join(append(append(killed.phrases, wounded.phrases...), attackers.phrases...), "; ")
}

// personBetween reports whether toks[a:b] name people (a person or an
// attacker noun): "one of them" after them counts those, not a count
// before them.
func (x *Extractor) personBetween(toks []token, a, b int) bool {
	for q := a; q < b; q++ {
		if x.attackerNoun[toks[q].low] {
			return true
		}
		if n, _ := x.personNouns.match(toks[:b], q); n > 0 {
			return true
		}
	}
	return false
}

// groupVictims reports whether a count of a group's fighters ("12
// Taliban fighters", "15 Taliban") counts victims: the incident names
// another armed group, which attacked them.
func (x *Extractor) groupVictims(inc *incident, s *sentence, m mention) bool {
	var counted *groupName
	for i, h := range s.actors {
		if h.a >= m.count.startTok && h.a < m.endTok {
			counted = &s.actors[i].g
		}
	}
	if counted == nil {
		return false
	}
	for _, t := range append(append([]*sentence{}, inc.sents...), inc.attached...) {
		for _, h := range t.actors {
			if !h.g.state && !sameGroup(h.g, *counted) && (t != s || h.a < m.count.startTok || h.a >= m.endTok) {
				return true
			}
		}
	}
	return false
}

// sameGroup reports whether two actor names are one group or one within
// the other's name ("Taliban" and "Tehrik-i-Taliban", "Islamic State"
// and "Islamic State Khorasan"): a count of the one is not the other's
// victims.
func sameGroup(a, b groupName) bool {
	if a.actorID != "" && a.actorID == b.actorID {
		return true
	}
	x, y := strings.ToLower(a.name), strings.ToLower(b.name)
	return strings.Contains(x, y) || strings.Contains(y, x)
}

func addRange(a, b vigil.Range) vigil.Range {
	sum := func(x, y vigil.Num) vigil.Num {
		if x.Known && y.Known {
			return vigil.N(x.N + y.N)
		}
		return vigil.Num{}
	}
	return vigil.Range{Low: sum(a.Low, b.Low), Best: sum(a.Best, b.Best), High: sum(a.High, b.High)}
}

func lowOrBest(r vigil.Range) vigil.Num {
	if r.Best.Known {
		return r.Best
	}
	return r.Low
}

// targets fills the target types from the nouns of the victims and the
// places attacked ("a Shia mosque", "a police post").
func (x *Extractor) targets(d *doc, inc *incident, r *vigil.Report) {
	seen := map[string]bool{}
	addType := func(t string, a, b int) {
		if t == "" || seen[t] || len(r.TargetTypes) >= 3 {
			return
		}
		seen[t] = true
		r.TargetTypes = append(r.TargetTypes, vigil.TargetType(t))
		r.Evidence = append(r.Evidence, d.span("target_types", a, b, 0.5))
	}
	for _, s := range inc.sents {
		for _, m := range s.mentions {
			if !m.attackers && m.head != "" {
				addType(x.lex.PersonNouns[m.head], m.startTok, m.endTok)
				if t, ok := x.lex.PersonNouns[strings.ToLower(m.head)]; ok {
					addType(t, m.startTok, m.endTok)
				}
			}
		}
		for i := s.a; i < s.b; i++ {
			if n, idx := x.targetNouns.match(d.toks[:s.b], i); n > 0 {
				addType(x.lex.TargetNouns[x.targetKeys[idx]], i, i+n)
				if t, ok := lookupFold(x.lex.TargetNouns, x.targetKeys[idx]); ok {
					addType(t, i, i+n)
				}
				i += n - 1
			}
		}
	}
}

func lookupFold(m map[string]string, k string) (string, bool) {
	for kk, v := range m {
		if strings.EqualFold(kk, k) {
			return v, true
		}
	}
	return "", false
}

// when fills the dates: a table row's date cell, else a date in the
// incident's sentences, else one written before them in the text, else
// the publication date.
func (x *Extractor) when(d *doc, inc *incident, r *vigil.Report) {
	if start, end, prec, c, ok := d.cellDate(inc); ok {
		r.DateStart, r.DateEnd, r.DatePrecision = start, end, prec
		r.Evidence = append(r.Evidence, vigil.Span{Field: "date_start", Start: c.a, End: c.b, Text: d.text[c.a:c.b], Confidence: 0.9})
		return
	}
	var chosen *dateExpr
	conf := 0.8
	if inc.date != nil {
		chosen = inc.date
	} else {
		first := inc.sents[0].a
		for i := range d.dates {
			if d.dates[i].tokA < first {
				chosen = &d.dates[i] // the last date before the incident
				conf = 0.6
			}
		}
		if chosen == nil {
			for _, s := range inc.attached {
				if dt := d.sentenceDate(s); dt != nil {
					chosen, conf = dt, 0.5
					break
				}
			}
		}
	}
	if chosen != nil {
		r.DateStart, r.DateEnd, r.DatePrecision = chosen.start, chosen.end, chosen.prec
		r.Evidence = append(r.Evidence, d.span("date_start", chosen.tokA, chosen.tokB, conf))
		return
	}
	if !d.in.Published.IsZero() {
		// Undated news is of the day of publication or the day before.
		p := vigil.DateOf(d.in.Published)
		r.DateStart, r.DateEnd, r.DatePrecision = p.AddDays(-1), p, vigil.DateDays
	}
}
