// Package extract reads reports of violent incidents out of article text,
// offline: whether the text tells of an attack at all, when and where it
// happened, who did it and how the attribution stands, how it was done
// and how many were killed and wounded, each value with the span of text
// it came from and a confidence.
//
// It works by dictionaries and the gazetteer, not by a trained model: the
// lexicon (data/extract/lexicon.json, extensible by a user file) names the
// attack words, casualty words, number words, target nouns and claim
// phrases; the actor dictionary names the perpetrators; vigil's gazetteer
// places the incident.
package extract

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/actors"
	"github.com/vigil-osint/vigil/geo"
)

// MaxText is the longest text Extract reads, in bytes. Longer texts are
// refused: no article is that long, and time and memory per document stay
// bounded.
const MaxText = 2 << 20

// Input is a document to read.
type Input struct {
	ID        string    `json:"id,omitempty"`
	Source    string    `json:"source,omitempty"`
	Title     string    `json:"title,omitempty"`
	URL       string    `json:"url,omitempty"`
	Published time.Time `json:"published,omitzero"` // anchors relative dates ("on Friday")
	Text      string    `json:"text"`
}

// UnmarshalJSON reads an Input as JSON Lines give it, with published as
// an RFC 3339 time or a day (YYYY-MM-DD, as the gold files write it); a
// day stands for its start (UTC).
func (in *Input) UnmarshalJSON(b []byte) error {
	type plain Input
	var raw struct {
		*plain
		Published string `json:"published"`
	}
	raw.plain = (*plain)(in)
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	in.Published = time.Time{}
	if raw.Published == "" {
		return nil
	}
	if t, err := time.Parse(time.RFC3339Nano, raw.Published); err == nil {
		in.Published = t
		return nil
	}
	if len(raw.Published) == 10 {
		if d, err := vigil.ParseDate(raw.Published); err == nil {
			in.Published = d.Time()
			return nil
		}
	}
	return fmt.Errorf("published %q: want YYYY-MM-DD or an RFC 3339 time", raw.Published)
}

// Options configure an Extractor. Nil fields take the shipped defaults.
type Options struct {
	Lexicon   *Lexicon
	Actors    *actors.Dictionary
	Gazetteer *geo.Gazetteer
}

// Extractor reads reports out of text. It is safe for concurrent use.
type Extractor struct {
	lex  *Lexicon
	dict *actors.Dictionary
	gaz  *geo.Gazetteer

	numbers, vague, qualifiers                   *phraseSet
	numberVals                                   []int
	vagueVals                                    []Vague
	qualifierKind                                []string
	killWords, woundWords, tollWords, tollRise   *phraseSet
	killWord, woundWord                          map[string]bool
	attackerNoun                                 map[string]bool
	personNouns                                  *phraseSet
	personKeys                                   []string
	targetNouns                                  *phraseSet
	targetKeys                                   []string
	cues                                         *phraseSet
	negative, claim, deny, suspect, unknown, off *phraseSet
	accident                                     *phraseSet
	channels                                     *phraseSet
	channelKeys                                  []string
	groups                                       *phraseSet
	groupNames                                   []groupName
	perpNouns                                    map[string]bool
	deeds                                        *phraseSet
	notPlaces                                    map[string]bool

	geoMu    sync.Mutex
	geoCache map[string][]geo.Candidate
	lookMu   sync.Mutex
	look     map[string]bool
}

// groupName is an actor name the extractor looks for in text.
type groupName struct {
	name    string
	actorID string // "" for a lexicon group the dictionary lacks
	state   bool   // a state's forces: never a perpetrator of an attack here
	caps    bool   // short upper-case alias ("IS"): matched in upper case only
	// countries the actor fights in (the dictionary's or the lexicon's)
	countries []string
}

var (
	defaultOnce sync.Once
	defaultX    *Extractor
	defaultErr  error
)

// Default returns an extractor with the shipped lexicon (merged with the
// file VIGIL_EXTRACT_LEXICON names, if set), actor dictionary and
// gazetteer.
func Default() (*Extractor, error) {
	defaultOnce.Do(func() {
		var opt Options
		if p := os.Getenv(LexiconEnv); p != "" {
			l, err := DefaultLexicon()
			if err != nil {
				defaultErr = err
				return
			}
			u, err := LoadLexicon(p)
			if err != nil {
				defaultErr = err
				return
			}
			l.Merge(u)
			opt.Lexicon = l
		}
		defaultX, defaultErr = New(opt)
	})
	return defaultX, defaultErr
}

// Extract reads text with the default extractor.
func Extract(ctx context.Context, in Input) ([]vigil.Report, error) {
	x, err := Default()
	if err != nil {
		return nil, err
	}
	return x.Extract(ctx, in)
}

// New returns an extractor.
func New(opt Options) (*Extractor, error) {
	var err error
	x := &Extractor{lex: opt.Lexicon, dict: opt.Actors, gaz: opt.Gazetteer,
		geoCache: map[string][]geo.Candidate{}, look: map[string]bool{}}
	if x.lex == nil {
		if x.lex, err = DefaultLexicon(); err != nil {
			return nil, err
		}
	}
	if x.dict == nil {
		if x.dict, err = actors.Default(); err != nil {
			return nil, fmt.Errorf("extract: %w", err)
		}
	}
	if x.gaz == nil {
		if x.gaz, err = geo.Default(); err != nil {
			return nil, fmt.Errorf("extract: %w", err)
		}
	}
	l := x.lex
	var keys []string
	keys, x.numberVals = mapLists(l.Numbers)
	x.numbers = newPhraseSet(keys)
	var vk []string
	vk, x.vagueVals = mapLists(l.VagueNumbers)
	x.vague = newPhraseSet(vk)
	var qk []string
	qk, x.qualifierKind = mapLists(l.Qualifiers)
	x.qualifiers = newPhraseSet(qk)
	x.killWords, x.woundWords = newPhraseSet(l.KillWords), newPhraseSet(l.WoundWords)
	x.tollWords, x.tollRise = newPhraseSet(l.TollWords), newPhraseSet(l.TollRise)
	x.killWord, x.woundWord = wordSet(l.KillWords), wordSet(l.WoundWords)
	x.attackerNoun = wordSet(l.AttackerNouns)
	var pk []string
	pk, _ = mapLists(l.PersonNouns)
	x.personKeys = lowerAll(pk)
	x.personNouns = newPhraseSet(pk)
	var tk []string
	tk, _ = mapLists(l.TargetNouns)
	x.targetKeys = lowerAll(tk)
	x.targetNouns = newPhraseSet(tk)
	cp := make([]string, len(l.AttackCues))
	for i, c := range l.AttackCues {
		cp[i] = c.Phrase
	}
	x.cues = newPhraseSet(cp)
	x.negative, x.claim, x.deny = newPhraseSet(l.NegativeCues), newPhraseSet(l.ClaimCues), newPhraseSet(l.DenyCues)
	x.accident = newPhraseSet(l.AccidentCues)
	x.suspect, x.unknown, x.off = newPhraseSet(l.SuspectCues), newPhraseSet(l.UnknownCues), newPhraseSet(l.Officials)
	var ck []string
	ck, x.channelKeys = mapLists(l.Channels)
	x.channels = newPhraseSet(ck)
	x.perpNouns = wordSet(l.PerpetratorNouns)
	x.deeds = newPhraseSet(l.DeedVerbs)
	x.notPlaces = map[string]bool{}
	for _, w := range l.NotPlaces {
		x.notPlaces[w] = true
	}
	// Actor names: the dictionary's (Latin script) and the lexicon's groups.
	var names []string
	for _, a := range x.dict.Actors {
		for _, n := range a.Names {
			if !latin(n.Name) || strings.ContainsAny(n.Name, "()") {
				continue
			}
			names = append(names, n.Name)
			x.groupNames = append(x.groupNames, groupName{name: n.Name, actorID: a.ID, countries: a.Countries,
				state: a.Kind != vigil.ActorKind("armed-group"), caps: len(n.Name) <= 4 && strings.ToUpper(n.Name) == n.Name})
		}
	}
	for _, g := range l.Groups {
		names = append(names, g.Name)
		x.groupNames = append(x.groupNames, groupName{name: g.Name, countries: g.Countries})
	}
	x.groups = newPhraseSet(names)
	return x, nil
}

// mapLists returns a map's keys and values in matching order, keys sorted.
func mapLists[V any](m map[string]V) ([]string, []V) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	vals := make([]V, len(keys))
	for i, k := range keys {
		vals[i] = m[k]
	}
	return keys, vals
}

func wordSet(l []string) map[string]bool {
	m := make(map[string]bool, len(l))
	for _, w := range l {
		m[strings.ToLower(w)] = true
	}
	return m
}

func lowerAll(l []string) []string {
	out := make([]string, len(l))
	for i, s := range l {
		out[i] = strings.ToLower(s)
	}
	return out
}

func latin(s string) bool {
	for _, r := range s {
		if r >= 0x250 && r != '–' && r != '’' {
			return false
		}
	}
	return true
}
