// Package actors loads actor dictionaries, resolves the names that reports
// use to actors (with the dates and places the names hold for), and applies
// the dictionary's attribution rules.
package actors

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/data"
)

// Rule attributes an act of one actor to another where the data cannot
// tell them apart, as UCDP codes every Islamic State branch as "IS". A rule
// applies to a perpetrator or party resolved to Actor, in one of
// Countries, on or after ValidFrom and on or before ValidTo.
type Rule struct {
	ID          string     `json:"id"`
	Actor       string     `json:"actor"`
	AttributeTo string     `json:"attribute_to"`
	Countries   []string   `json:"countries"`
	ValidFrom   vigil.Date `json:"valid_from"`
	ValidTo     vigil.Date `json:"valid_to"`
	Description string     `json:"description"`
}

// By returns how reports credit the rule: "vigil rule ID".
func (r *Rule) By() string { return "vigil rule " + r.ID }

// Dictionary is a set of actors with their names and the attribution rules.
type Dictionary struct {
	Actors []*vigil.Actor `json:"actors"`
	Rules  []*Rule        `json:"rules"`

	byID  map[string]*vigil.Actor
	names map[string][]nameRef
}

type nameRef struct {
	actor *vigil.Actor
	name  vigil.ActorName
}

// Default returns the dictionary vigil ships.
func Default() (*Dictionary, error) {
	f, err := data.Files.Open("actors.json")
	if err != nil {
		return nil, fmt.Errorf("actors: %w", err)
	}
	defer f.Close()
	return Read(f, "actors.json (embedded)")
}

// Load reads a dictionary from a file, or the shipped one when path is "".
func Load(path string) (*Dictionary, error) {
	if path == "" {
		return Default()
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("actors: %w", err)
	}
	defer f.Close()
	return Read(f, path)
}

// Read parses and validates a dictionary; name appears in errors.
func Read(r io.Reader, name string) (*Dictionary, error) {
	var d Dictionary
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("actors: %s: %w", name, err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var raw struct {
		About  string         `json:"about"`
		Actors []*vigil.Actor `json:"actors"`
		Rules  []*Rule        `json:"rules"`
	}
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("actors: %s: %s%w", name, where(data, err), err)
	}
	d.Actors, d.Rules = raw.Actors, raw.Rules
	if err := d.index(); err != nil {
		return nil, fmt.Errorf("actors: %s: %w", name, err)
	}
	return &d, nil
}

// New builds a dictionary from actors (as a store returns them) and rules.
func New(actors []*vigil.Actor, rules []*Rule) (*Dictionary, error) {
	d := &Dictionary{Actors: actors, Rules: rules}
	if err := d.index(); err != nil {
		return nil, fmt.Errorf("actors: %w", err)
	}
	return d, nil
}

func (d *Dictionary) index() error {
	d.byID = map[string]*vigil.Actor{}
	d.names = map[string][]nameRef{}
	for _, a := range d.Actors {
		if err := a.Validate(); err != nil {
			return err
		}
		if d.byID[a.ID] != nil {
			return vigil.Errorf(vigil.EINVALID, "actor %s appears twice", a.ID)
		}
		d.byID[a.ID] = a
		d.addName(a, vigil.ActorName{Name: a.Name})
		d.addName(a, vigil.ActorName{Name: a.ID})
		for _, n := range a.Names {
			d.addName(a, n)
		}
	}
	for _, a := range d.Actors {
		if a.Parent != "" && d.byID[a.Parent] == nil {
			return vigil.Errorf(vigil.EINVALID, "actor %s: parent %q is not in the dictionary", a.ID, a.Parent)
		}
	}
	for _, r := range d.Rules {
		if r.ID == "" || d.byID[r.Actor] == nil || d.byID[r.AttributeTo] == nil {
			return vigil.Errorf(vigil.EINVALID, "rule %q: needs an id and known actor and attribute_to", r.ID)
		}
	}
	return nil
}

func (d *Dictionary) addName(a *vigil.Actor, n vigil.ActorName) {
	k := Normalize(n.Name)
	for _, x := range d.names[k] {
		if x.actor == a && x.name.ValidFrom == n.ValidFrom && x.name.ValidTo == n.ValidTo && slices.Equal(x.name.Countries, n.Countries) {
			return
		}
	}
	d.names[k] = append(d.names[k], nameRef{a, n})
}

// Actor returns the actor with the id, or nil.
func (d *Dictionary) Actor(id string) *vigil.Actor { return d.byID[id] }

// Match is a candidate actor for a name, with the alias that matched.
type Match struct {
	Actor   *vigil.Actor
	Alias   vigil.ActorName
	Score   float64
	Reasons []string
}

// Resolve returns the actors a name may refer to on day at (zero: any day)
// in country (ISO 3166-1, "" for unknown), best first. A name valid on the
// day beats one that is not (which is still listed, lower); a name scoped
// to the country beats an unscoped one, which beats one scoped elsewhere.
func (d *Dictionary) Resolve(name string, at vigil.Date, country string) []Match {
	refs := d.names[Normalize(name)]
	out := make([]Match, 0, len(refs))
	for _, ref := range refs {
		m := Match{Actor: ref.actor, Alias: ref.name, Score: 1}
		m.Reasons = append(m.Reasons, fmt.Sprintf("%q is a name of %s", ref.name.Name, ref.actor.Name))
		if !at.IsZero() {
			if vigil.Covers(ref.name.ValidFrom, ref.name.ValidTo, at) {
				if !ref.name.ValidFrom.IsZero() || !ref.name.ValidTo.IsZero() {
					m.Reasons = append(m.Reasons, "the name holds on "+at.String())
				}
			} else {
				m.Score -= 0.6
				m.Reasons = append(m.Reasons, "the name does not hold on "+at.String())
			}
		}
		switch {
		case len(ref.name.Countries) == 0:
		case country != "" && slices.Contains(ref.name.Countries, country):
			m.Score += 0.3
			m.Reasons = append(m.Reasons, "the name means this actor in "+country)
		case country != "":
			m.Score -= 0.3
			m.Reasons = append(m.Reasons, "the name means this actor in "+strings.Join(ref.name.Countries, ", ")+", not "+country)
		default:
			m.Score -= 0.1
		}
		out = append(out, m)
	}
	slices.SortStableFunc(out, func(a, b Match) int {
		switch {
		case a.Score > b.Score:
			return -1
		case a.Score < b.Score:
			return 1
		}
		return strings.Compare(a.Actor.ID, b.Actor.ID)
	})
	// One entry per actor: its best-scoring alias.
	seen := map[string]bool{}
	uniq := out[:0]
	for _, m := range out {
		if !seen[m.Actor.ID] {
			seen[m.Actor.ID] = true
			uniq = append(uniq, m)
		}
	}
	return uniq
}

// Best returns the best match for the name, if any holds on the day and
// fits the country.
func (d *Dictionary) Best(name string, at vigil.Date, country string) (*vigil.Actor, bool) {
	ms := d.Resolve(name, at, country)
	if len(ms) == 0 || ms[0].Score < 0.9 {
		return nil, false
	}
	return ms[0].Actor, true
}

// Apply resolves a report's actors as written and applies the rules:
// each actor is resolved on the report's start date in its country; a
// perpetrator or party that a rule covers is attributed to the rule's
// actor, keeping the name as written. A claim is never rewritten: when
// the Islamic State itself claims an attack, the claim stays its own.
func (d *Dictionary) Apply(r *vigil.Report) {
	for i := range r.Actors {
		a := &r.Actors[i]
		if a.AsWritten == "" {
			a.AsWritten = a.Name
		}
		if a.ActorID == "" {
			if act, ok := d.Best(a.AsWritten, r.DateStart, r.Country); ok {
				a.ActorID, a.Name = act.ID, act.Name
			}
		}
		if a.Role == vigil.RoleTarget || a.ActorID == "" || a.Attribution == vigil.AttributionClaimed {
			continue
		}
		for _, rule := range d.Rules {
			if rule.Actor == a.ActorID && slices.Contains(rule.Countries, r.Country) &&
				vigil.Covers(rule.ValidFrom, rule.ValidTo, r.DateStart) {
				to := d.byID[rule.AttributeTo]
				a.ActorID, a.Name = to.ID, to.Name
				a.Attribution = vigil.AttributionAttributed
				a.AttributedBy, a.Rule = rule.By(), rule.ID
				break
			}
		}
	}
}

// foldPool holds diacritic folders. A transform.Transformer keeps state
// and must not be shared between goroutines: during an import the reader
// and the store normalize names at the same time.
var foldPool = sync.Pool{New: func() any {
	return transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
}}

// foldDiacritics removes combining marks ("Kābul" → "Kabul").
func foldDiacritics(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	t := foldPool.Get().(transform.Transformer)
	defer foldPool.Put(t)
	out, _, _ := transform.String(t, s)
	return out
}

// Normalize folds a name for matching: case, diacritics, punctuation and
// spacing, and a trailing parenthesised year range as ACLED writes it
// ("Military Forces of Pakistan (2018-)" is "military forces of pakistan").
func Normalize(s string) string {
	if i := strings.LastIndexByte(s, '('); i > 0 && strings.HasSuffix(strings.TrimSpace(s), ")") {
		inner := strings.TrimSpace(s)[i+1 : len(strings.TrimSpace(s))-1]
		if inner != "" && strings.Trim(inner, "0123456789-– ") == "" {
			s = s[:i]
		}
	}
	s = foldDiacritics(s)
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		} else if r != '\'' && r != '’' {
			space = true
		}
	}
	return b.String()
}

// where says where in a dictionary a decoding error lies, as a prefix:
// the line and column of a syntax or type error, else the actor or rule
// that does not decode (a bad date, an unknown field) and its line.
func where(data []byte, err error) string {
	line := func(off int64) (int, int) {
		off = min(max(off, 0), int64(len(data)))
		before := data[:off]
		return 1 + bytes.Count(before, []byte("\n")), int(off) - bytes.LastIndexByte(before, '\n')
	}
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		l, c := line(se.Offset - 1)
		return fmt.Sprintf("line %d, column %d: ", l, c)
	case errors.As(err, &te):
		l, c := line(te.Offset - 1)
		return fmt.Sprintf("line %d, column %d: ", l, c)
	}
	var top struct{ Actors, Rules []json.RawMessage }
	if json.Unmarshal(data, &top) != nil {
		return ""
	}
	for _, list := range []struct {
		name string
		raw  []json.RawMessage
		mk   func() any
	}{{"actors", top.Actors, func() any { return &vigil.Actor{} }}, {"rules", top.Rules, func() any { return &Rule{} }}} {
		for i, raw := range list.raw {
			dec := json.NewDecoder(bytes.NewReader(raw))
			dec.DisallowUnknownFields()
			if dec.Decode(list.mk()) == nil {
				continue
			}
			var id struct{ ID string }
			json.Unmarshal(raw, &id)
			l, _ := line(int64(max(bytes.Index(data, raw), 0)))
			return fmt.Sprintf("%s[%d] (id %q, line %d): ", list.name, i, id.ID, l)
		}
	}
	return ""
}
