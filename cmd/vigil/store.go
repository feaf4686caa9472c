package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/actors"
	"github.com/vigil-osint/vigil/ingest/stix"
	"github.com/vigil-osint/vigil/postgres"
)

// defaultDBPath returns where the store lives when neither --db nor
// VIGIL_DB names one: vigil.db in the user's data directory.
func defaultDBPath() (string, error) {
	var dir string
	switch runtime.GOOS {
	case "linux", "freebsd", "openbsd", "netbsd":
		dir = os.Getenv("XDG_DATA_HOME")
		if dir == "" {
			home, err := os.UserHomeDir()
			if err != nil {
				return "", err
			}
			dir = filepath.Join(home, ".local", "share")
		}
	default:
		var err error
		if dir, err = os.UserConfigDir(); err != nil {
			return "", err
		}
	}
	return filepath.Join(dir, "vigil", "vigil.db"), nil
}

// storePath resolves the store's location (a file, or a postgres:// URL):
// --db, then VIGIL_DB, then the default.
func (a *app) storePath() (string, error) {
	if a.dbPath != "" {
		return a.dbPath, nil
	}
	if p := os.Getenv("VIGIL_DB"); p != "" {
		return p, nil
	}
	return defaultDBPath()
}

// openStore opens the store the flags name.
func (a *app) openStore(ctx context.Context) (vigil.Store, error) {
	path, err := a.storePath()
	if err != nil {
		return nil, fmt.Errorf("finding the store: %w", err)
	}
	if !a.mayCreate {
		if err := storeExists(path); err != nil {
			return nil, err
		}
	}
	s, err := openStoreAt(ctx, path)
	if err != nil || !a.loadActors {
		return s, err
	}
	// A dictionary given with --actors is the one the command reads names
	// through, whether or not it loads the dictionary itself (events list
	// --actor, export, indicators): its actors and aliases go in first.
	if _, err := a.loadDictionary(ctx, s); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// storeExists refuses a SQLite store that is not there, naming the
// commands that make one (a PostgreSQL URL names a server's store, which
// migrations create on open).
func storeExists(path string) error {
	if postgres.IsURL(path) || strings.HasPrefix(path, "file:") {
		return nil
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("no store at %s: vigil init makes one, vigil import fills one, vigil demo --db FILE loads the demo case", path)
	}
	return nil
}

// loadDictionary reads the actor dictionary (the shipped one unless
// --actors names a file) and makes sure the store holds its actors.
func (a *app) loadDictionary(ctx context.Context, s vigil.Store) (*actors.Dictionary, error) {
	if a.dict != nil && a.dictStore == s && a.dictPath == a.actorsPath {
		return a.dict, nil
	}
	d, err := actors.Load(a.actorsPath)
	if err != nil {
		return nil, err
	}
	if err := storeActors(ctx, s, d); err != nil {
		return nil, err
	}
	a.dict, a.dictStore, a.dictPath = d, s, a.actorsPath
	return d, nil
}

// storeActors upserts a dictionary's actors, parents first. Names and
// notes the store holds that the dictionary lacks (aliases a STIX bundle
// brought, its notes on the actor, an analyst's) are kept: the dictionary
// adds and updates, it never takes an assertion away. Notes of a stored
// actor more restricted than the dictionary's do not move onto it, where
// readers not cleared for them would see them: they are kept as a
// document of their own (keepMarkedNotes).
func storeActors(ctx context.Context, s vigil.Store, d *actors.Dictionary) error {
	done := map[string]bool{}
	var put func(a *vigil.Actor) error
	put = func(a *vigil.Actor) error {
		if done[a.ID] {
			return nil
		}
		done[a.ID] = true
		if p := d.Actor(a.Parent); p != nil {
			if err := put(p); err != nil {
				return err
			}
		}
		merged := *a
		if old, err := s.FindActorByID(ctx, a.ID); err == nil {
			// A stored name keeps the marking it had through its actor:
			// the dictionary may open up an actor a marked source made,
			// never the names that source asserted.
			stored := make([]vigil.ActorName, len(old.Names))
			for i, n := range old.Names {
				stored[i] = n
				if m := old.NameMarking(n); m.Rank() > 0 {
					stored[i].Marking = m
				}
			}
			merged.Names = mergeNames(a.Names, stored)
			if vigil.MoreRestricted(old.Marking, "").Rank() <= vigil.MoreRestricted(a.Marking, "").Rank() {
				merged.Notes = vigil.MergeNotes(a.Notes, old.Notes)
			} else if err := keepMarkedNotes(ctx, s, old, a.Notes); err != nil {
				return fmt.Errorf("actor %s: %w", a.ID, err)
			}
		} else if vigil.ErrorCode(err) != vigil.ENOTFOUND {
			return err
		}
		if err := s.UpsertActor(ctx, &merged); err != nil {
			return fmt.Errorf("actor %s: %w", a.ID, err)
		}
		return nil
	}
	for _, a := range d.Actors {
		if err := put(a); err != nil {
			return err
		}
	}
	return nil
}

// keepMarkedNotes keeps what the notes of old, a stored actor more
// restricted than the dictionary's, add to open, the dictionary's notes,
// as a document with old's marking, as a STIX import keeps notes more
// restricted than their actor (marked actors come from STIX bundles):
// under the STIX import's default source, made when the store lacks it,
// since the store does not keep which source wrote an actor's notes.
func keepMarkedNotes(ctx context.Context, s vigil.Store, old *vigil.Actor, open string) error {
	text := vigil.NewNotes(open, old.Notes)
	if text == "" {
		return nil
	}
	src, err := s.FindSourceByName(ctx, stix.DefaultSource)
	if vigil.ErrorCode(err) == vigil.ENOTFOUND {
		src = stix.DefaultSourceNamed(stix.DefaultSource)
		err = s.UpsertSource(ctx, src)
	}
	if err != nil {
		return err
	}
	doc := stix.NotesDocument(old, vigil.MarkedNotes{Text: text, Marking: vigil.MoreRestricted(old.Marking, "")}, src.Name, time.Time{})
	doc.ContentHash = vigil.HashContent(doc.Text)
	_, err = s.Ingest(ctx, nil, []vigil.Item{{Document: doc, Source: src}})
	return err
}

// mergeNames returns names followed by the stored names it lacks (the same
// name, folded, over the same period).
func mergeNames(names, stored []vigil.ActorName) []vigil.ActorName {
	type key struct {
		name     string
		from, to vigil.Date
	}
	have := map[key]bool{}
	for _, n := range names {
		have[key{actors.Normalize(n.Name), n.ValidFrom, n.ValidTo}] = true
	}
	out := append([]vigil.ActorName(nil), names...)
	for _, n := range stored {
		if k := (key{actors.Normalize(n.Name), n.ValidFrom, n.ValidTo}); !have[k] {
			have[k] = true
			out = append(out, n)
		}
	}
	return out
}
