package extract

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"sort"
	"strings"

	"github.com/vigil-osint/vigil/data"
)

// LexiconEnv names the environment variable that points to a user lexicon
// file, merged over the shipped one.
const LexiconEnv = "VIGIL_EXTRACT_LEXICON"

// Vague is a count given in words that do not say how many ("dozens"):
// its low end and the best figure coders use (ACLED codes "dozens" as 12).
type Vague struct {
	Low  int `json:"low"`
	Best int `json:"best"`
}

// Cue is a word or phrase that tells of an attack and how it was made.
type Cue struct {
	Phrase   string `json:"phrase"`
	Attack   string `json:"attack,omitempty"`    // GTD attack type
	Weapon   string `json:"weapon,omitempty"`    // GTD weapon type
	SubEvent string `json:"sub_event,omitempty"` // ACLED sub-event type
	Rank     int    `json:"rank"`                // which cue's sub-event wins; higher wins
	Suicide  bool   `json:"suicide,omitempty"`   // the attacker died in the act
}

// Group is an armed group's name that the actor dictionary may lack; the
// extractor names it as written when the dictionary does not resolve it.
type Group struct {
	Name string `json:"name"`
	// Countries the group fights in, when it is one or few: a text that
	// names the group and no country is about them.
	Countries []string `json:"countries,omitempty"`
}

// Lexicon is the extractor's word lists. The shipped one is
// data/extract/lexicon.json; a user file with the same keys extends it
// (see Merge).
type Lexicon struct {
	Numbers       map[string]int    `json:"numbers"`
	VagueNumbers  map[string]Vague  `json:"vague_numbers"`
	Qualifiers    map[string]string `json:"qualifiers"` // low, high or approx
	KillWords     []string          `json:"kill_words"`
	WoundWords    []string          `json:"wound_words"`
	TollWords     []string          `json:"toll_words"`
	TollRise      []string          `json:"toll_rise"`
	AttackerNouns []string          `json:"attacker_nouns"`
	PersonNouns   map[string]string `json:"person_nouns"` // noun → GTD target type ("" for none)
	TargetNouns   map[string]string `json:"target_nouns"` // noun → GTD target type
	AttackCues    []Cue             `json:"attack_cues"`
	NegativeCues  []string          `json:"negative_cues"`
	// AccidentCues tell of accidents and disasters ("collided", "an
	// earthquake", "died of natural causes"): a sentence with one tells
	// of no attack, even when it opens with its dead.
	AccidentCues     []string          `json:"accident_cues"`
	ClaimCues        []string          `json:"claim_cues"`
	DenyCues         []string          `json:"deny_cues"`
	SuspectCues      []string          `json:"suspect_cues"`
	UnknownCues      []string          `json:"unknown_cues"`
	Officials        []string          `json:"officials"`
	Channels         map[string]string `json:"channels"` // phrase → channel name
	Groups           []Group           `json:"groups"`
	PerpetratorNouns []string          `json:"perpetrator_nouns"`
	NotPlaces        []string          `json:"not_places"`
	// DeedVerbs make an attack word a deed ("a rocket was fired"), not
	// a mention ("rocket attacks are common").
	DeedVerbs []string `json:"deed_verbs"`
}

// DefaultLexicon returns the shipped lexicon.
func DefaultLexicon() (*Lexicon, error) {
	f, err := data.Files.Open("extract/lexicon.json")
	if err != nil {
		return nil, fmt.Errorf("extract: shipped lexicon: %w", err)
	}
	defer f.Close()
	return ReadLexicon(f, "data/extract/lexicon.json")
}

// ReadLexicon reads a lexicon in the shipped file's format; name labels
// errors.
func ReadLexicon(r io.Reader, name string) (*Lexicon, error) {
	var l Lexicon
	dec := json.NewDecoder(io.LimitReader(r, 16<<20))
	dec.DisallowUnknownFields()
	var raw map[string]json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("extract: lexicon %s: %w", name, err)
	}
	delete(raw, "about")
	b, _ := json.Marshal(raw)
	dec = json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&l); err != nil {
		return nil, fmt.Errorf("extract: lexicon %s: %w", name, err)
	}
	for k, v := range l.Qualifiers {
		if v != "low" && v != "high" && v != "approx" {
			return nil, fmt.Errorf("extract: lexicon %s: qualifier %q: %q, want low, high or approx", name, k, v)
		}
	}
	return &l, nil
}

// LoadLexicon reads a lexicon file.
func LoadLexicon(path string) (*Lexicon, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("extract: %w", err)
	}
	defer f.Close()
	return ReadLexicon(f, path)
}

// Merge adds o's entries to l: lists are appended, maps merged with o's
// values winning.
func (l *Lexicon) Merge(o *Lexicon) {
	mergeMap(&l.Numbers, o.Numbers)
	mergeMap(&l.VagueNumbers, o.VagueNumbers)
	mergeMap(&l.Qualifiers, o.Qualifiers)
	mergeMap(&l.PersonNouns, o.PersonNouns)
	mergeMap(&l.TargetNouns, o.TargetNouns)
	mergeMap(&l.Channels, o.Channels)
	l.KillWords = append(l.KillWords, o.KillWords...)
	l.WoundWords = append(l.WoundWords, o.WoundWords...)
	l.TollWords = append(l.TollWords, o.TollWords...)
	l.TollRise = append(l.TollRise, o.TollRise...)
	l.AttackerNouns = append(l.AttackerNouns, o.AttackerNouns...)
	l.AttackCues = append(l.AttackCues, o.AttackCues...)
	l.NegativeCues = append(l.NegativeCues, o.NegativeCues...)
	l.AccidentCues = append(l.AccidentCues, o.AccidentCues...)
	l.ClaimCues = append(l.ClaimCues, o.ClaimCues...)
	l.DenyCues = append(l.DenyCues, o.DenyCues...)
	l.SuspectCues = append(l.SuspectCues, o.SuspectCues...)
	l.UnknownCues = append(l.UnknownCues, o.UnknownCues...)
	l.Officials = append(l.Officials, o.Officials...)
	l.Groups = append(l.Groups, o.Groups...)
	l.PerpetratorNouns = append(l.PerpetratorNouns, o.PerpetratorNouns...)
	l.NotPlaces = append(l.NotPlaces, o.NotPlaces...)
	l.DeedVerbs = append(l.DeedVerbs, o.DeedVerbs...)
}

func mergeMap[V any](dst *map[string]V, src map[string]V) {
	if *dst == nil {
		*dst = map[string]V{}
	}
	maps.Copy(*dst, src)
}

// phraseSet matches phrases of one or more words against a token stream.
type phraseSet struct {
	first map[string][][]string // first word → phrases (as words), longest first
	value map[string]int        // joined phrase → index into the list it came from
}

func newPhraseSet(phrases []string) *phraseSet {
	ps := &phraseSet{first: map[string][][]string{}, value: map[string]int{}}
	for i, p := range phrases {
		ws := words(strings.ToLower(p))
		if len(ws) == 0 {
			continue
		}
		k := strings.Join(ws, " ")
		if _, dup := ps.value[k]; dup {
			continue
		}
		ps.value[k] = i
		ps.first[ws[0]] = append(ps.first[ws[0]], ws)
	}
	for _, l := range ps.first {
		sort.SliceStable(l, func(i, j int) bool { return len(l[i]) > len(l[j]) })
	}
	return ps
}

// match returns the length in tokens of the longest phrase starting at
// toks[i], and the phrase's index, or 0 (also past the end of toks).
func (ps *phraseSet) match(toks []token, i int) (n, idx int) {
	if i < 0 || i >= len(toks) {
		return 0, 0
	}
	for _, p := range ps.first[toks[i].low] {
		if i+len(p) > len(toks) {
			continue
		}
		ok := true
		for j := 1; j < len(p); j++ {
			if toks[i+j].low != p[j] {
				ok = false
				break
			}
		}
		if ok {
			return len(p), ps.value[strings.Join(p, " ")]
		}
	}
	return 0, -1
}

// words splits a lower-cased phrase as the tokenizer does.
func words(s string) []string {
	toks := tokenize(s)
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.low
	}
	return out
}
