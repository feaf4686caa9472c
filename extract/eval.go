package extract

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/actors"
	"github.com/vigil-osint/vigil/geo"
	"github.com/vigil-osint/vigil/ingest/wikilist"
)

// GoldDoc is a text with the incidents a person read in it. A text with
// no incidents is a negative: any report from it is a false positive.
// Negatives name passages of a text with incidents that tell of none
// (politics, trials, arrests, foiled plots, accidents): each is quoted
// exactly as the text has it (every place it occurs counts), and a report
// whose evidence (other than place, date and channel) falls in one is a
// false alarm on that passage.
type GoldDoc struct {
	ID        string         `json:"id"`
	File      string         `json:"file,omitempty"` // text file, relative to the gold file
	Text      string         `json:"text,omitempty"`
	Published string         `json:"published,omitempty"` // YYYY-MM-DD
	Source    string         `json:"source,omitempty"`
	Incidents []GoldIncident `json:"incidents"`
	Negatives []string       `json:"negatives,omitempty"`
	// Uncounted marks a text of a violent event the gold does not count
	// as an incident for detection (PLOVER: an ASSAULT or FIGHT without
	// dead or injured): its reports are neither right nor wrong, and it
	// is counted in Result.Uncounted.
	Uncounted bool `json:"uncounted,omitempty"`
}

// GoldIncident is one incident as a person reads it. Empty or nil fields
// are not scored.
type GoldIncident struct {
	Date        string   `json:"date,omitempty"`
	Country     string   `json:"country,omitempty"`
	Admin1      string   `json:"admin1,omitempty"`
	Killed      *int     `json:"killed,omitempty"`
	Wounded     *int     `json:"wounded,omitempty"`
	Perpetrator []string `json:"perpetrator,omitempty"` // actor ids, or names the dictionary lacks
	// Named says the text names the perpetrator (perpetrator accuracy is
	// scored only where it does).
	Named      bool   `json:"named,omitempty"`
	AttackType string `json:"attack_type,omitempty"`
	// Location is the place as the gold names it ("Quetta, Balochistan,
	// Pakistan"); it only decides whether the text names the place.
	Location string `json:"location,omitempty"`
	// AllDead says Killed counts everyone the incident killed, attackers
	// too (PLOVER's dead): it is compared with the killed and the
	// attackers killed together.
	AllDead bool `json:"all_dead,omitempty"`
}

// LoadGold reads gold data: a Wikipedia incident-list CSV (each row's
// details text with its date, dead, injured, location, perpetrator and
// type) or a JSON Lines file of GoldDoc. The lists' published date is the
// day after the incident, as a next-day news story would carry.
func LoadGold(ctx context.Context, path string, dict *actors.Dictionary, gaz *geo.Gazetteer) ([]GoldDoc, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("extract: gold: %w", err)
	}
	if strings.HasSuffix(strings.ToLower(path), ".csv") {
		return loadListGold(ctx, bytes.NewReader(data), path, dict, gaz)
	}
	first, _, _ := bytes.Cut(bytes.TrimLeft(data, " \t\r\n"), []byte("\n"))
	if isPlover(first) {
		return loadPlover(bytes.NewReader(data), path, gaz)
	}
	var out []GoldDoc
	dec := json.NewDecoder(bytes.NewReader(data))
	for {
		var g GoldDoc
		if err := dec.Decode(&g); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, fmt.Errorf("extract: gold %s: record %d: %w", path, len(out)+1, err)
		}
		if g.File != "" && g.Text == "" {
			b, err := os.ReadFile(filepath.Join(filepath.Dir(path), g.File))
			if err != nil {
				return nil, fmt.Errorf("extract: gold %s: %w", path, err)
			}
			g.Text = string(b)
		}
		for _, n := range g.Negatives {
			if n == "" || !strings.Contains(g.Text, n) {
				return nil, fmt.Errorf("extract: gold %s: record %d (%s): negative passage %q is not in the text", path, len(out)+1, g.ID, clip(n, 60))
			}
		}
		out = append(out, g)
	}
	return out, nil
}

var reCite = regexp.MustCompile(`\[\d+\]`)

func loadListGold(ctx context.Context, r io.Reader, path string, dict *actors.Dictionary, gaz *geo.Gazetteer) ([]GoldDoc, error) {
	cr := csv.NewReader(r)
	rows, err := cr.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("extract: gold %s: %w", path, err)
	}
	if len(rows) < 2 {
		return nil, fmt.Errorf("extract: gold %s: no rows", path)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))] = i
	}
	for _, c := range []string{"month", "day", "dead", "injured", "location", "details", "perpetrator", "type"} {
		if _, ok := col[c]; !ok {
			return nil, fmt.Errorf("extract: gold %s: not an incident list: no %s column", path, c)
		}
	}
	get := func(rec []string, c string) string {
		if i, ok := col[c]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	var out []GoldDoc
	for n, rec := range rows[1:] {
		start, _, _, _, err := wikilist.Dates(get(rec, "month"), get(rec, "day"))
		if err != nil {
			continue
		}
		text := get(rec, "details")
		g := GoldDoc{ID: fmt.Sprintf("%s:%d", filepath.Base(path), n+2), Text: text,
			Published: start.AddDays(1).String(), Source: "Wikipedia incident lists"}
		loc := get(rec, "location")
		inc := GoldIncident{Date: start.String(), Location: loc}
		country := get(rec, "country")
		if country == "" {
			if i := strings.LastIndexByte(loc, ','); i >= 0 {
				country = strings.TrimSpace(loc[i+1:])
			} else {
				country = loc
			}
		}
		if c, ok := gaz.CountryCode(country); ok {
			inc.Country = c
		}
		if cs, err := gaz.Geocode(ctx, geo.Query{Text: loc, Country: inc.Country}); err == nil && len(cs) > 0 && cs[0].LocationPrecision <= vigil.LocationAdmin1 {
			inc.Admin1 = cs[0].Admin1
		}
		if c := wikilist.ParseCount(get(rec, "dead")); c.OK && c.Victims.Best.Known {
			v := c.Victims.Best.N
			inc.Killed = &v
		}
		if c := wikilist.ParseCount(get(rec, "injured")); c.OK && c.Victims.Best.Known {
			v := c.Victims.Best.N
			inc.Wounded = &v
		}
		_, _, attacks, _ := wikilist.Kinds(get(rec, "type"))
		if len(attacks) > 0 {
			inc.AttackType = string(attacks[0])
		}
		rep := vigil.Report{DateStart: start, Place: vigil.Place{Country: inc.Country}}
		rep.Actors = wikilist.Perpetrators(get(rec, "perpetrator"), "gold")
		if dict != nil {
			dict.Apply(&rep)
		}
		for _, a := range rep.Actors {
			if a.Attribution == vigil.AttributionUnknown {
				continue
			}
			id := a.ActorID
			if id == "" {
				id = strings.ToLower(a.AsWritten)
			}
			inc.Perpetrator = append(inc.Perpetrator, id)
			if namesActor(text, a, dict) {
				inc.Named = true
			}
		}
		g.Incidents = []GoldIncident{inc}
		out = append(out, g)
	}
	return out, nil
}

// namesActor reports whether a text names an actor: its name as written
// in the gold, or one of the dictionary's names for it.
func namesActor(text string, a vigil.ReportActor, dict *actors.Dictionary) bool {
	low := strings.ToLower(text)
	names := []string{a.AsWritten}
	if dict != nil && a.ActorID != "" {
		if act := dict.Actor(a.ActorID); act != nil {
			for _, n := range act.Names {
				names = append(names, n.Name)
			}
		}
		// A rule's actor is named by the name it was written as ("Islamic State").
	}
	for _, n := range names {
		n = strings.ToLower(strings.TrimSpace(n))
		if len(n) < 3 {
			continue
		}
		if i := strings.Index(low, n); i >= 0 {
			return true
		}
	}
	return false
}

// Score counts right answers out of the cases scored.
type Score struct{ Right, Of int }

func (s *Score) add(ok bool) {
	s.Of++
	if ok {
		s.Right++
	}
}

// Pct is the share right, in percent.
func (s Score) Pct() float64 {
	if s.Of == 0 {
		return 0
	}
	return 100 * float64(s.Right) / float64(s.Of)
}

// Result is an evaluation's outcome.
type Result struct {
	Docs, Gold, Reports   int
	TP, FP, FN            int
	Found                 Score // gold incidents with a matching report
	Country, Admin1, Date Score
	// CountryNamed and CountryUnnamed split Country by whether the text
	// names the incident's place (see namesPlace): a text that names
	// none ("Two traffic wardens were gunned down by two men.") can only
	// be placed by the extractor's fallbacks.
	CountryNamed, CountryUnnamed Score
	KilledExact, Killed10        Score
	WoundedExact, Wounded10      Score
	Perpetrator, AttackType      Score
	// NegativesClear counts negative passages that drew no report.
	NegativesClear Score
	// Uncounted counts the texts marked Uncounted (violent events the
	// gold does not count for detection); Right is those that drew a
	// report.
	Uncounted     Score
	DocsPerSecond float64
	Misses        []string // what went wrong, one line each (capped)
}

// Precision, Recall and F1 of incident detection.
func (r Result) Precision() float64 { return ratio(r.TP, r.TP+r.FP) }

// Recall of incident detection.
func (r Result) Recall() float64 { return ratio(r.TP, r.TP+r.FN) }

// F1 of incident detection.
func (r Result) F1() float64 {
	p, rc := r.Precision(), r.Recall()
	if p+rc == 0 {
		return 0
	}
	return 2 * p * rc / (p + rc)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Evaluate extracts every gold document's reports and scores them. Each
// gold incident is matched to at most one report, greedily by agreement
// on country, killed and date (see matchIncidents); unmatched reports are
// false positives.
func (x *Extractor) Evaluate(ctx context.Context, gold []GoldDoc) (Result, error) {
	var res Result
	t0 := time.Now()
	for _, g := range gold {
		in := Input{ID: g.ID, Text: g.Text, Source: g.Source}
		if g.Published != "" {
			if d, err := vigil.ParseDate(g.Published); err == nil {
				in.Published = d.Time()
			}
		}
		reps, err := x.Extract(ctx, in)
		if err != nil {
			return res, fmt.Errorf("extract: evaluate %s: %w", g.ID, err)
		}
		res.Docs++
		res.Reports += len(reps)
		if g.Uncounted {
			res.Uncounted.add(len(reps) > 0)
			continue
		}
		res.Gold += len(g.Incidents)
		used := make([]bool, len(reps))
		match := matchIncidents(g.Incidents, reps)
		for k, gi := range g.Incidents {
			bi := match[k]
			if bi < 0 {
				res.FN++
				res.Found.add(false)
				res.miss("%s: not found: %s", g.ID, goldLine(gi, g.Text))
				continue
			}
			used[bi] = true
			res.TP++
			res.Found.add(true)
			r := reps[bi]
			if gi.Country != "" {
				res.Country.add(r.Country == gi.Country)
				named := x.namesPlace(g.Text, gi)
				if named {
					res.CountryNamed.add(r.Country == gi.Country)
				} else {
					res.CountryUnnamed.add(r.Country == gi.Country)
				}
				if r.Country != gi.Country {
					how := "the text names it"
					if !named {
						how = "the text names no place of it"
					}
					res.miss("%s: country %q, gold %q (%s)", g.ID, r.Country, gi.Country, how)
				}
			}
			if gi.Admin1 != "" {
				res.Admin1.add(r.Admin1 == gi.Admin1)
				if r.Admin1 != gi.Admin1 && r.Country == gi.Country {
					res.miss("%s: admin-1 %q (%s), gold %q", g.ID, r.Admin1, r.Place.Name, gi.Admin1)
				}
			}
			if gi.Date != "" {
				res.Date.add(dateIn(gi.Date, r))
			}
			if gi.Killed != nil {
				got := lowOrBest(r.Killed)
				if gi.AllDead && r.AttackersKilled.Known {
					got = vigil.Num{N: got.N + r.AttackersKilled.N, Known: true}
				}
				res.KilledExact.add(got.Known && got.N == *gi.Killed || !got.Known && *gi.Killed == 0)
				res.Killed10.add(within(got, *gi.Killed))
				if !(got.Known && got.N == *gi.Killed || !got.Known && *gi.Killed == 0) {
					res.miss("%s: killed %s, gold %d: %s", g.ID, got, *gi.Killed, clip(g.Text, 200))
				}
			}
			if gi.Wounded != nil {
				got := lowOrBest(r.Wounded)
				res.WoundedExact.add(got.Known && got.N == *gi.Wounded || !got.Known && *gi.Wounded == 0)
				res.Wounded10.add(within(got, *gi.Wounded))
				if !(got.Known && got.N == *gi.Wounded || !got.Known && *gi.Wounded == 0) {
					res.miss("%s: wounded %s, gold %d: %s", g.ID, got, *gi.Wounded, clip(g.Text, 200))
				}
			}
			if len(gi.Perpetrator) > 0 && gi.Named {
				ok := perpMatch(r, gi.Perpetrator)
				res.Perpetrator.add(ok)
				if !ok {
					res.miss("%s: perpetrator %v, gold %v: %s", g.ID, perpList(r), gi.Perpetrator, clip(g.Text, 200))
				}
			}
			if gi.AttackType != "" {
				ok := false
				for _, a := range r.AttackTypes {
					ok = ok || string(a) == gi.AttackType
				}
				res.AttackType.add(ok)
			}
		}
		for i := range reps {
			if !used[i] {
				res.FP++
				res.miss("%s: extra report: %s", g.ID, clip(reps[i].Summary, 160))
			}
		}
		for _, n := range g.Negatives {
			hit := negativeHit(g.Text, n, reps)
			res.NegativesClear.add(!hit)
			if hit {
				res.miss("%s: report from a passage that tells of no incident: %s", g.ID, clip(n, 160))
			}
		}
	}
	if el := time.Since(t0).Seconds(); el > 0 {
		res.DocsPerSecond = float64(res.Docs) / el
	}
	return res, nil
}

// matchIncidents pairs each gold incident with at most one report, the
// best-agreeing pairs first (country 2, killed 2, date 1). In a text of
// one incident any report will do; in a text of several, a pair must
// agree on the country or the killed, as a person would pair them.
func matchIncidents(gold []GoldIncident, reps []vigil.Report) []int {
	type pair struct{ g, r, s int }
	var pairs []pair
	for k, gi := range gold {
		for i, r := range reps {
			s := 0
			if gi.Country != "" && r.Country == gi.Country {
				s += 2
			}
			if gi.Killed != nil {
				if got := lowOrBest(r.Killed); got.Known && got.N == *gi.Killed || r.Killed.Best.Known && r.Killed.Best.N == *gi.Killed {
					s += 2
				}
			}
			if gi.Date != "" && dateIn(gi.Date, r) {
				s++
			}
			if len(gold) > 1 && s < 2 {
				continue
			}
			pairs = append(pairs, pair{k, i, s})
		}
	}
	slices.SortStableFunc(pairs, func(a, b pair) int { return b.s - a.s })
	match := make([]int, len(gold))
	for k := range match {
		match[k] = -1
	}
	used := make([]bool, len(reps))
	for _, p := range pairs {
		if match[p.g] < 0 && !used[p.r] {
			match[p.g], used[p.r] = p.r, true
		}
	}
	return match
}

// negativeHit reports whether a report's evidence, other than its place,
// date and channel, lies in any occurrence of the passage neg.
func negativeHit(text, neg string, reps []vigil.Report) bool {
	for off := 0; ; {
		i := strings.Index(text[off:], neg)
		if i < 0 {
			return false
		}
		a, b := off+i, off+i+len(neg)
		for _, r := range reps {
			for _, sp := range r.Evidence {
				if sp.Field == "place" || sp.Field == "date_start" || sp.Field == "channel" {
					continue
				}
				if sp.Start < b && sp.End > a {
					return true
				}
			}
		}
		off = b
	}
}

// goldLine names a gold incident in a miss: its country and killed in a
// text of several, else the text.
func goldLine(gi GoldIncident, text string) string {
	k := "?"
	if gi.Killed != nil {
		k = fmt.Sprint(*gi.Killed)
	}
	return fmt.Sprintf("%s %s, killed %s: %s", gi.Date, gi.Country, k, clip(text, 160))
}

func (r *Result) miss(format string, args ...any) {
	if len(r.Misses) < 5000 {
		r.Misses = append(r.Misses, fmt.Sprintf(format, args...))
	}
}

func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

func dateIn(gold string, r vigil.Report) bool {
	d, err := vigil.ParseDate(gold)
	if err != nil || r.DateStart.IsZero() {
		return false
	}
	end := r.DateEnd
	if end.IsZero() {
		end = r.DateStart
	}
	return !d.Before(r.DateStart) && !d.After(end)
}

func within(got vigil.Num, gold int) bool {
	if !got.Known {
		return gold == 0
	}
	diff := got.N - gold
	if diff < 0 {
		diff = -diff
	}
	return float64(diff) <= 0.1*float64(gold)
}

func perpMatch(r vigil.Report, gold []string) bool {
	for _, a := range r.Actors {
		if a.Role != vigil.RolePerpetrator || a.Attribution == vigil.AttributionDenied || a.Attribution == vigil.AttributionUnknown {
			continue
		}
		for _, g := range gold {
			if a.ActorID == g || strings.EqualFold(a.Name, g) || strings.EqualFold(a.AsWritten, g) {
				return true
			}
			// A dictionary actor and its parent (ISKP and the Islamic State) are not the same answer.
		}
	}
	return false
}

func perpList(r vigil.Report) []string {
	var out []string
	for _, a := range r.Actors {
		id := a.ActorID
		if id == "" {
			id = a.Name
		}
		out = append(out, id+"/"+string(a.Attribution))
	}
	return out
}

// Print writes the result as a table.
func (r Result) Print(w io.Writer) {
	fmt.Fprintf(w, "documents %d, gold incidents %d, reports %d\n", r.Docs, r.Gold, r.Reports)
	fmt.Fprintf(w, "incident detection: precision %.3f, recall %.3f, F1 %.3f (TP %d, FP %d, FN %d)\n", r.Precision(), r.Recall(), r.F1(), r.TP, r.FP, r.FN)
	row := func(name string, s Score) {
		if s.Of > 0 {
			fmt.Fprintf(w, "  %-22s %6.1f%%  (%d of %d)\n", name, s.Pct(), s.Right, s.Of)
		}
	}
	row("incident found", r.Found)
	row("country", r.Country)
	if r.Country.Of == 0 && r.TP > 0 {
		fmt.Fprintf(w, "  %-22s not scored: no incident found has a gold country\n", "country")
	}
	row("  text names the place", r.CountryNamed)
	row("  text names none", r.CountryUnnamed)
	row("admin-1", r.Admin1)
	row("date", r.Date)
	row("killed exact", r.KilledExact)
	row("killed within 10%", r.Killed10)
	row("wounded exact", r.WoundedExact)
	row("wounded within 10%", r.Wounded10)
	row("perpetrator (named)", r.Perpetrator)
	row("attack type", r.AttackType)
	row("negatives left alone", r.NegativesClear)
	if u := r.Uncounted; u.Of > 0 {
		// Were they incidents, the detection figures would be these.
		as := Result{TP: r.TP + u.Right, FP: r.FP, FN: r.FN + u.Of - u.Right}
		fmt.Fprintf(w, "attacks the gold gives no count (left out above): %d of %d drew a report; counted as incidents: precision %.3f, recall %.3f, F1 %.3f\n",
			u.Right, u.Of, as.Precision(), as.Recall(), as.F1())
	}
	fmt.Fprintf(w, "%.0f documents/s\n", r.DocsPerSecond)
}

// namesPlace reports whether a text names the gold incident's place, so
// that country accuracy can be given over the texts that do. It reads the
// gold and the gazetteer, never the extractor's output: the text names
// the place when it holds, as whole words, a comma-separated part of the
// gold location ("Quetta", "Balochistan" of "Quetta, Balochistan,
// Pakistan"), or a capitalised word or run of words (up to four) that is
// a name of the gold country, of one of its provinces, or the primary
// name of a town (1,000 people or more) or district in it.
func (x *Extractor) namesPlace(text string, gi GoldIncident) bool {
	low := strings.ToLower(text)
	for _, part := range strings.Split(gi.Location, ",") {
		if part = strings.ToLower(strings.TrimSpace(part)); len(part) > 1 && containsWord(low, part) {
			return true
		}
	}
	if gi.Country == "" || x.gaz == nil {
		return false
	}
	words := capitalWords(text)
	for i := range words {
		for n := 1; n <= 4 && i+n <= len(words); n++ {
			if !adjacent(text, words[i:i+n]) {
				break
			}
			name := text[words[i].start:words[i+n-1].end]
			if c, ok := x.gaz.CountryCode(name); ok && c == gi.Country {
				return true
			}
			if _, ok := x.gaz.Admin1Code(name, gi.Country); ok {
				return true
			}
			for _, p := range x.gaz.Lookup(name) {
				if p.Country == gi.Country && strings.EqualFold(p.Name, name) && (p.FeatureClass == "A" || p.Population >= 1000) {
					return true
				}
			}
		}
	}
	return false
}

type wordSpan struct{ start, end int }

// capitalWords returns the spans of the words of text that start with an
// upper-case letter.
func capitalWords(text string) []wordSpan {
	var out []wordSpan
	start := -1
	for i, r := range text + " " {
		letter := unicode.IsLetter(r) || r == '\'' || r == '’' || r == '-'
		if letter && start < 0 {
			start = i
		}
		if !letter && start >= 0 {
			if r0, _ := utf8.DecodeRuneInString(text[start:]); unicode.IsUpper(r0) {
				out = append(out, wordSpan{start, i})
			}
			start = -1
		}
	}
	return out
}

// adjacent reports whether words follow each other separated by single
// spaces only (a run of words, "Dera Ismail Khan").
func adjacent(text string, ws []wordSpan) bool {
	for k := 1; k < len(ws); k++ {
		if text[ws[k-1].end:ws[k].start] != " " {
			return false
		}
	}
	return true
}

// containsWord reports whether s holds w with no letter or digit on
// either side.
func containsWord(s, w string) bool {
	for off := 0; ; {
		i := strings.Index(s[off:], w)
		if i < 0 {
			return false
		}
		a, b := off+i, off+i+len(w)
		before, _ := utf8.DecodeLastRuneInString(s[:a])
		after, _ := utf8.DecodeRuneInString(s[b:])
		if !isWordRune(before) && !isWordRune(after) {
			return true
		}
		off = a + 1
	}
}

func isWordRune(r rune) bool {
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r))
}
