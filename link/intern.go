package link

import (
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/vigil-osint/vigil"
)

// Sym is an interned string: records hold names as Syms so that they hold
// no pointers, and two names compare as two integers. The zero Sym is the
// empty string. Syms live as long as the process; the names linkage
// interns (countries, provinces, venues, actor keys, types) are few next
// to the reports that carry them.
type Sym int32

// Set is an interned list of Syms (a record's actors). The zero Set is
// the empty list.
type Set int32

// symbols is the process's table of Syms and Sets. Lookups of a Sym's
// name or a Set's members take no lock: the tables only grow, and a
// reader sees them through an atomic pointer published after each append.
var symbols = func() *symtab {
	t := &symtab{ids: map[string]Sym{"": 0}, sets: map[string]Set{"": 0}}
	names, lists := []string{""}, [][]Sym{nil}
	t.names.Store(&names)
	t.lists.Store(&lists)
	return t
}()

type symtab struct {
	mu    sync.Mutex
	ids   map[string]Sym
	sets  map[string]Set
	names atomic.Pointer[[]string]
	lists atomic.Pointer[[][]Sym]
}

// Intern returns the Sym of a name.
func Intern(s string) Sym {
	if s == "" {
		return 0
	}
	t := symbols
	t.mu.Lock()
	defer t.mu.Unlock()
	if id, ok := t.ids[s]; ok {
		return id
	}
	s = strings.Clone(s)
	names := append(*t.names.Load(), s)
	id := Sym(len(names) - 1)
	t.ids[s] = id
	t.names.Store(&names)
	return id
}

// String returns the interned name.
func (s Sym) String() string { return (*symbols.names.Load())[s] }

// InternSet returns the Set of a list of names, in their order.
func InternSet(names []string) Set {
	if len(names) == 0 {
		return 0
	}
	var buf [64]byte
	key := buf[:0]
	var sbuf [16]Sym
	syms := sbuf[:0]
	for _, n := range names {
		m := Intern(n)
		syms = append(syms, m)
		key = append(key, byte(m), byte(m>>8), byte(m>>16), byte(m>>24))
	}
	t := symbols
	t.mu.Lock()
	defer t.mu.Unlock()
	if id, ok := t.sets[string(key)]; ok {
		return id
	}
	lists := append(*t.lists.Load(), slices.Clone(syms))
	id := Set(len(lists) - 1)
	t.sets[string(key)] = id
	t.lists.Store(&lists)
	return id
}

// Syms returns the members of a set. The caller must not change them.
func (s Set) Syms() []Sym { return (*symbols.lists.Load())[s] }

// Names returns the members of a set as names.
func (s Set) Names() []string {
	var out []string
	for _, m := range s.Syms() {
		out = append(out, m.String())
	}
	return out
}

// subParents maps each sub-event type's Sym to its event type's.
var subParents = sync.OnceValue(func() map[Sym]Sym {
	m := make(map[Sym]Sym, len(vigil.SubEventTypes))
	for s, t := range vigil.SubEventTypes {
		m[Intern(string(s))] = Intern(string(t))
	}
	return m
})

// parentType returns the event type of a sub-event type, 0 when unknown.
func parentType(sub Sym) Sym { return subParents()[sub] }
