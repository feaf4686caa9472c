package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"

	"github.com/vigil-osint/vigil"
	"github.com/vigil-osint/vigil/actors"
	"github.com/vigil-osint/vigil/sqlite"
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

// storePath resolves the store's location: --db, then VIGIL_DB, then the
// default.
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
	return sqlite.Open(ctx, path)
}

// loadDictionary reads the actor dictionary (the shipped one unless
// --actors names a file) and makes sure the store holds its actors.
func (a *app) loadDictionary(ctx context.Context, s vigil.Store) (*actors.Dictionary, error) {
	d, err := actors.Load(a.actorsPath)
	if err != nil {
		return nil, err
	}
	if err := storeActors(ctx, s, d); err != nil {
		return nil, err
	}
	return d, nil
}

// storeActors upserts a dictionary's actors, parents first.
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
		if err := s.UpsertActor(ctx, a); err != nil {
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
